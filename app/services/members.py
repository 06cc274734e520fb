"""Members: register (with the pokok payment), edit (audited), exit (settled)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import NotAllowed, NotFound, ValidationError
from app.ledger import Entry, Line, Posted, post, sequences
from app.ledger.balances import member_savings
from app.ledger.chart import (
    KAS,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    UTANG_ANGGOTA_KELUAR,
)
from app.models import JournalEntry, Member
from app.models.member import ACTIVE, ROLES, STATUSES
from app.money import format_rupiah
from app.nik import check_nik, format_rt_rw, normalize_nik, normalize_phone
from app.services import audit, settings

MEMBER_SERIES = "ANGGOTA"


@dataclass(frozen=True)
class MemberInput:
    """What the registration and edit forms send; free text as typed."""

    nik: str
    name: str
    sex: str
    birth_place: str = ""
    birth_date: date | None = None
    address: str = ""
    rt: str = ""
    rw: str = ""
    dusun: str = ""
    occupation: str = ""
    phone: str = ""
    heir_name: str = ""
    heir_relation: str = ""
    heir_phone: str = ""
    role: str = "anggota"
    position: str = ""


@dataclass(frozen=True)
class Registered:
    member_id: int
    number: str
    entry: Posted
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ExitSettlement:
    pokok: int
    wajib: int
    sukarela: int
    loans_due: int

    @property
    def savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela

    @property
    def refund(self) -> int:
        return self.savings - self.loans_due


def clean_input(
    session: Session, data: MemberInput, *, member_id: int | None = None
) -> tuple[MemberInput, tuple[str, ...]]:
    """Validate and normalise a form; returns the cleaned input and the NIK warnings.

    Every hard problem is a ValidationError naming the field; warnings (the NIK
    disagrees with the typed sex or birth date) do not stop the save because the
    NIK is what it is even when it disagrees with the KTP.
    """
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError("Nama anggota wajib diisi, sesuai KTP.", field="name")
    sex = data.sex.strip().upper()
    if sex not in ("L", "P"):
        raise ValidationError("Jenis kelamin harus L (laki-laki) atau P (perempuan).", field="sex")
    nik = normalize_nik(data.nik)
    result = check_nik(nik, sex=sex, birth_date=data.birth_date)
    if result.errors:
        raise ValidationError(" ".join(result.errors), field="nik")
    holder = session.execute(
        select(Member.id, Member.number, Member.name, Member.status).where(Member.nik == nik)
    ).first()
    if holder is not None and holder.id != member_id:
        raise ValidationError(
            f"NIK {nik} sudah dipakai oleh anggota {holder.number} {holder.name} "
            f"(status {holder.status}). Satu orang hanya boleh satu keanggotaan.",
            field="nik",
        )
    if data.role not in ROLES:
        raise ValidationError(
            "Peran harus anggota, pengurus, pengawas atau karyawan.", field="role"
        )
    if data.birth_date is not None and data.birth_date > dates.today():
        raise ValidationError("Tanggal lahir tidak boleh di masa depan.", field="birth_date")
    cleaned = replace(
        data,
        nik=nik,
        name=name,
        sex=sex,
        birth_place=data.birth_place.strip(),
        address=data.address.strip(),
        rt=format_rt_rw(data.rt, "RT"),
        rw=format_rt_rw(data.rw, "RW"),
        dusun=data.dusun.strip(),
        occupation=data.occupation.strip(),
        phone=normalize_phone(data.phone),
        heir_name=" ".join(data.heir_name.split()),
        heir_relation=data.heir_relation.strip(),
        heir_phone=normalize_phone(data.heir_phone),
        position=data.position.strip(),
    )
    return cleaned, result.warnings


def reserve_member_numbers(session: Session, count: int = 1) -> list[str]:
    """Member numbers are given in order and never reused (DOMAIN.md 1)."""
    first = sequences.reserve(session, MEMBER_SERIES, 0, count)
    return [f"{n:04d}" for n in range(first, first + count)]


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("Anggota tidak ditemukan.")
    return member


def require_active(member: Member, on: date | None = None) -> None:
    if member.status != ACTIVE:
        since = f" sejak {dates.format_date(member.status_date)}" if member.status_date else ""
        raise NotAllowed(
            f"Anggota {member.number} {member.name} berstatus {member.status}{since}; "
            "transaksi untuknya tidak dapat diterima."
        )
    if on is not None and on < member.joined_on:
        raise ValidationError(
            f"Tanggal {dates.format_date(on)} sebelum {member.name} menjadi anggota "
            f"({dates.format_date(member.joined_on)})."
        )


def register(session: Session, data: MemberInput, *, joined_on: date, by: str) -> Registered:
    """Register a member; the simpanan pokok payment is part of joining (one entry)."""
    permissions.require(session, "anggota.ubah")
    cleaned, warnings = clean_input(session, data)
    pokok = settings.rate_on(settings.rates(session, settings.POKOK), joined_on)
    if pokok <= 0:
        raise ValidationError(
            "Besar simpanan pokok belum diatur; isi dulu di Pengaturan > Simpanan."
        )
    (number,) = reserve_member_numbers(session)
    member = Member(number=number, joined_on=joined_on, status=ACTIVE, **asdict(cleaned))
    session.add(member)
    session.flush()
    posted = post(
        session,
        Entry(
            date=joined_on,
            kind="ST",
            memo=f"Simpanan pokok {number} {cleaned.name} (pendaftaran anggota)",
            member_id=member.id,
            lines=[
                Line(KAS, pokok),
                Line(SIMPANAN_POKOK, -pokok, member_id=member.id),
            ],
        ),
        by=by,
    )
    audit.record(
        session,
        by=by,
        action="anggota.daftar",
        entity="member",
        entity_id=member.id,
        after={"number": number, **asdict(cleaned), "joined_on": joined_on},
        note=posted.number,
    )
    return Registered(member.id, number, posted, warnings)


def update(session: Session, member_id: int, data: MemberInput, *, by: str) -> tuple[str, ...]:
    """Change a member's profile; the old and new values go to the audit trail."""
    permissions.require(session, "anggota.ubah")
    member = get_member(session, member_id)
    cleaned, warnings = clean_input(session, data, member_id=member_id)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for f in fields(MemberInput):
        new = getattr(cleaned, f.name)
        old = getattr(member, f.name)
        if new != old:
            before[f.name] = old
            after[f.name] = new
            setattr(member, f.name, new)
    if after:
        audit.record(
            session,
            by=by,
            action="anggota.ubah",
            entity="member",
            entity_id=member_id,
            before=before,
            after=after,
        )
    session.flush()
    return warnings


def exit_settlement(session: Session, member_id: int, on: date | None = None) -> ExitSettlement:
    """What leaving would settle: every saving, less what is still owed (DOMAIN.md 1)."""
    from app.services import loans  # loans builds on members; import here, not at the top

    balances = member_savings(session, member_id)
    debts = loans.member_debts(session, member_id, on or dates.today())
    return ExitSettlement(
        pokok=balances[SIMPANAN_POKOK],
        wajib=balances[SIMPANAN_WAJIB],
        sukarela=balances[SIMPANAN_SUKARELA],
        loans_due=sum(d.total for d in debts),
    )


def exit_member(
    session: Session,
    member_id: int,
    *,
    on: date,
    reason: str,
    status: str = "keluar",
    pay_now: bool = True,
    decision: str = "",
    by: str,
) -> Posted | None:
    """Settle and end a membership in one entry; history is never deleted."""
    permissions.require(session, "anggota.ubah")
    member = get_member(session, member_id)
    require_active(member, on)
    if status not in STATUSES or status == ACTIVE:
        raise ValidationError("Status keluar harus keluar, meninggal atau diberhentikan.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Tulis alasan anggota keluar.", field="reason")
    last = session.scalar(
        select(JournalEntry.date)
        .where(JournalEntry.member_id == member_id)
        .order_by(JournalEntry.date.desc())
        .limit(1)
    )
    if last is not None and on < last:
        raise ValidationError(
            f"Tanggal keluar {dates.format_date(on)} sebelum transaksi terakhir anggota ini "
            f"({dates.format_date(last)})."
        )
    from app.services import loans

    settlement = exit_settlement(session, member_id, on)
    if settlement.refund < 0 and not decision.strip():
        raise NotAllowed(
            f"Utang {member.name} ({format_rupiah(settlement.loans_due)}) lebih besar dari "
            f"simpanannya ({format_rupiah(settlement.savings)}). Anggota hanya dapat keluar "
            "dengan keputusan pengurus; tulis keputusannya."
        )
    lines: list[Line] = []
    for code, amount in (
        (SIMPANAN_POKOK, settlement.pokok),
        (SIMPANAN_WAJIB, settlement.wajib),
        (SIMPANAN_SUKARELA, settlement.sukarela),
    ):
        if amount:
            lines.append(Line(code, amount, member_id=member_id))
    loan_lines, _used = loans.settle_from_savings(session, member_id, settlement.savings, on)
    lines += loan_lines
    if settlement.refund > 0:
        lines.append(
            Line(
                KAS if pay_now else UTANG_ANGGOTA_KELUAR,
                -settlement.refund,
                member_id=None if pay_now else member_id,
            )
        )
    posted: Posted | None = None
    if lines:
        posted = post(
            session,
            Entry(
                date=on,
                kind="KL",
                memo=f"Anggota keluar {member.number} {member.name}: {reason}",
                member_id=member_id,
                lines=lines,
            ),
            by=by,
        )
    before = {"status": member.status}
    member.status = status
    member.status_date = on
    member.status_reason = (
        reason if not decision.strip() else f"{reason} (keputusan: {decision.strip()})"
    )
    audit.record(
        session,
        by=by,
        action="anggota.keluar",
        entity="member",
        entity_id=member_id,
        before=before,
        after={
            "status": status,
            "status_date": on,
            "reason": member.status_reason,
            "refund": settlement.refund,
            "paid_now": pay_now,
        },
        note=posted.number if posted else "",
    )
    session.flush()
    return posted
