"""SHU (DOMAIN.md 5.2-5.6): allocation percentages, the per-member plan, posting, payment.

The SHU of a year is income - expenses (tax included): from the closing entry
of a closed year, else from the year's income and expense lines (a
simulation before tutup buku). Every split is ``money.allocate`` (largest
remainder; ties to the earlier component or the lower member number), so the
parts always add up. A pool whose weights sum to zero goes to Cadangan. A
negative SHU is not distributed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import NotAllowed, ValidationError
from app.ledger import Entry, Line, Posted, post, post_many
from app.ledger.balances import sums_between, sums_on
from app.ledger.chart import (
    CADANGAN,
    JASA_PINJAMAN,
    KAS,
    SHU_TAHUN_BERJALAN,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    UTANG_SHU_ANGGOTA,
)
from app.models import Account, JournalEntry, JournalLine, Member
from app.models.account import EXPENSE, INCOME
from app.models.member import ACTIVE
from app.money import allocate, format_rupiah
from app.services import audit, settings
from app.services.closing import (
    DISTRIBUTION_MEMO,
    PAYMENT_MEMO,
    closing_entry,
    distribution_entry,
    shu_of_closing,
    year_closed,
)

CADANGAN_KEY, JASA_MODAL, JASA_ANGGOTA = "cadangan", "jasa_modal", "jasa_anggota"
TUNAI, SUKARELA = "tunai", "sukarela"


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    account: str
    default_percent: Decimal


# DOMAIN.md 5.3, in this order (ties of the split go to the earlier component).
COMPONENTS: tuple[Component, ...] = (
    Component(CADANGAN_KEY, "Cadangan", CADANGAN, Decimal(30)),
    Component(JASA_MODAL, "Jasa Modal", UTANG_SHU_ANGGOTA, Decimal(20)),
    Component(JASA_ANGGOTA, "Jasa Anggota", UTANG_SHU_ANGGOTA, Decimal(25)),
    Component("dana_pengurus", "Dana Pengurus dan Pengawas", "2-142", Decimal(5)),
    Component("dana_karyawan", "Dana Karyawan", "2-143", Decimal(5)),
    Component("dana_pendidikan", "Dana Pendidikan", "2-144", Decimal(5)),
    Component("dana_sosial", "Dana Sosial", "2-145", Decimal(5)),
    Component("dana_pembangunan", "Dana Pembangunan Daerah Kerja", "2-146", Decimal(5)),
)
_BY_KEY = {c.key: c for c in COMPONENTS}
_SUKARELA_OPTION = "shu.jasa_modal_termasuk_sukarela"


def _percent_key(year: int) -> str:
    return f"shu.persentase.{year}"


# -- the pure split ------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """The SHU cut into components and the two member pools cut into members."""

    components: tuple[int, ...]  # in COMPONENTS order, before empty pools move
    jasa_modal: tuple[int, ...]  # per member, in the order of the weights given
    jasa_anggota: tuple[int, ...]
    to_cadangan: int  # pools whose weights sum to zero

    @property
    def cadangan(self) -> int:
        return self.components[0] + self.to_cadangan


def _pool(amount: int, weights: Sequence[int]) -> tuple[tuple[int, ...], int]:
    if amount == 0:
        return tuple(0 for _ in weights), 0
    if sum(weights) == 0:
        return tuple(0 for _ in weights), amount
    return tuple(allocate(amount, list(weights))), 0


def split_shu(
    shu: int,
    percents: Sequence[Decimal],
    savings: Sequence[int],
    interest: Sequence[int],
) -> Split:
    """DOMAIN.md 5.3-5.5 on plain numbers.

    ``percents`` follow COMPONENTS; ``savings`` (S) and ``interest`` (T) are the
    members' weights ordered by member number. A SHU of zero or less splits
    into nothing.
    """
    if len(percents) != len(COMPONENTS):
        raise ValueError("one percentage per component")
    if len(savings) != len(interest):
        raise ValueError("savings and interest need one weight per member each")
    if shu <= 0:
        zeros = tuple(0 for _ in savings)
        return Split(tuple(0 for _ in COMPONENTS), zeros, zeros, 0)
    parts = allocate(shu, list(percents))
    jasa_modal, empty_modal = _pool(parts[1], [max(s, 0) for s in savings])
    jasa_anggota, empty_anggota = _pool(parts[2], [max(t, 0) for t in interest])
    return Split(tuple(parts), jasa_modal, jasa_anggota, empty_modal + empty_anggota)


# -- settings ------------------------------------------------------------------------


def percentages(session: Session, year: int) -> dict[str, Decimal]:
    """The allocation of ``year`` (DOMAIN.md 5.3 unless set for that year)."""
    stored = settings.get_option(session, _percent_key(year), None)
    result = {c.key: c.default_percent for c in COMPONENTS}
    if isinstance(stored, dict):
        for key, value in stored.items():
            if key in result:
                result[key] = Decimal(str(value))
    return result


def _parse_percent(component: Component, value: Decimal | str | int) -> Decimal:
    try:
        if isinstance(value, str):
            number = Decimal(value.strip().rstrip("%").strip().replace(",", ".") or "0")
        else:
            number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise ValidationError(
            f'Persentase {component.label} "{value}" bukan angka; tulis misalnya 30 atau 2,5.',
            field=component.key,
        ) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError(
            f"Persentase {component.label} harus antara 0 dan 100.", field=component.key
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(
            f"Persentase {component.label} paling banyak dua angka di belakang koma.",
            field=component.key,
        )
    return number.normalize()


def set_percentages(
    session: Session, year: int, values: Mapping[str, Decimal | str | int], *, by: str
) -> dict[str, Decimal]:
    """Set the AD/ART allocation of ``year``; the percentages must add up to exactly 100."""
    permissions.require(session, "pengaturan.ubah")
    unknown = sorted(set(values) - set(_BY_KEY))
    if unknown:
        raise ValidationError(f"Komponen SHU tidak dikenal: {', '.join(unknown)}.")
    if distribution_entry(session, year) is not None:
        raise NotAllowed(
            f"SHU tahun {year} sudah dibagikan; persentase pembagiannya tidak dapat diubah."
        )
    parsed = {c.key: _parse_percent(c, values.get(c.key, 0)) for c in COMPONENTS}
    total = sum(parsed.values(), Decimal(0))
    if total != 100:
        raise ValidationError(
            f"Jumlah persentase pembagian SHU harus tepat 100%, sekarang "
            f"{_format_percent(total)}%. Tidak ada yang disimpan."
        )
    settings.set_option(session, _percent_key(year), {k: str(v) for k, v in parsed.items()}, by=by)
    return parsed


def _format_percent(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _sukarela_key(year: int) -> str:
    return f"{_SUKARELA_OPTION}.{year}"


def jasa_modal_includes_sukarela(session: Session, year: int | None = None) -> bool:
    """Whether jasa modal weighs sukarela too. For a year whose SHU stands distributed,
    as it was when the distribution was posted: changing the option later must not
    change the shares already paid, nor the RAT book that shows them."""
    if year is not None and distribution_entry(session, year) is not None:
        kept = settings.get_option(session, _sukarela_key(year), None)
        if kept is not None:
            return bool(kept)
    return bool(settings.get_option(session, _SUKARELA_OPTION, False))


def set_jasa_modal_includes_sukarela(session: Session, value: bool, *, by: str) -> None:
    permissions.require(session, "pengaturan.ubah")
    settings.set_option(session, _SUKARELA_OPTION, bool(value), by=by)


# -- the plan --------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentAmount:
    key: str
    label: str
    account: str
    percent: Decimal
    amount: int


@dataclass(frozen=True)
class MemberShu:
    member_id: int
    number: str
    name: str
    savings: int  # S: weight of jasa modal
    interest: int  # T: loan interest paid in the year
    jasa_modal: int
    jasa_anggota: int

    @property
    def total(self) -> int:
        return self.jasa_modal + self.jasa_anggota


@dataclass(frozen=True)
class ShuPlan:
    year: int
    shu: int
    closed: bool  # SHU from the closing entry (True) or a simulation of an open year
    components: tuple[ComponentAmount, ...]
    to_cadangan: int  # member pools without weights, moved to Cadangan
    savings_base: int  # sum of S
    interest_base: int  # sum of T
    members: tuple[MemberShu, ...]
    distributed: str  # number of the distribution entry, "" when not yet posted

    @property
    def cadangan(self) -> int:
        return self.components[0].amount + self.to_cadangan

    @property
    def distributable(self) -> bool:
        return self.shu > 0


def _account_ids(session: Session, codes: Sequence[str]) -> set[int]:
    return set(session.scalars(select(Account.id).where(Account.code.in_(list(codes)))))


def _group_ids(session: Session, groups: Sequence[str]) -> set[int]:
    return set(session.scalars(select(Account.id).where(Account.grp.in_(list(groups)))))


def year_shu(session: Session, year: int) -> tuple[int, bool]:
    """SHU of ``year`` and whether it comes from tutup buku (True) or is a simulation."""
    if year_closed(session, year):
        entry = closing_entry(session, year)
        return (shu_of_closing(session, entry.id) if entry is not None else 0), True
    # Open year: its income and expense lines. A closing entry reversed on reopening
    # nets to zero with its reversal, both dated 31/12.
    sums = sums_between(
        session,
        date(year, 1, 1),
        date(year, 12, 31),
        account_ids=_group_ids(session, (INCOME, EXPENSE)),
    )
    return -sum(sums.values()), False


def interest_paid(session: Session, year: int) -> dict[int, int]:
    """T: 4-101 lines with a member, dated in the year (reversals net as in the ledger)."""
    sums = sums_between(
        session,
        date(year, 1, 1),
        date(year, 12, 31),
        ("member",),
        account_ids=_account_ids(session, (JASA_PINJAMAN,)),
    )
    return {int(key[0]): -total for key, total in sums.items() if key[0] is not None}


def savings_weights(session: Session, year: int) -> dict[int, int]:
    """S: pokok + wajib (+ sukarela when set) of every member on 31/12."""
    codes = [SIMPANAN_POKOK, SIMPANAN_WAJIB]
    if jasa_modal_includes_sukarela(session, year):
        codes.append(SIMPANAN_SUKARELA)
    sums = sums_on(
        session, date(year, 12, 31), ("member",), account_ids=_account_ids(session, codes)
    )
    # Savings are credit balances: a positive weight is a negative sum.
    return {int(key[0]): -total for key, total in sums.items() if key[0] is not None}


def calculate(session: Session, year: int) -> ShuPlan:
    """The SHU plan of ``year``: components and every member's jasa modal and jasa anggota."""
    shu, closed = year_shu(session, year)
    pct = percentages(session, year)
    savings = savings_weights(session, year)
    interest = interest_paid(session, year)
    ids = {m for m, s in savings.items() if s > 0} | {m for m, t in interest.items() if t > 0}
    people = sorted(
        session.execute(select(Member.id, Member.number, Member.name).where(Member.id.in_(ids))),
        key=lambda row: row[1],
    )
    s_weights = [max(savings.get(mid, 0), 0) for mid, _, _ in people]
    t_weights = [max(interest.get(mid, 0), 0) for mid, _, _ in people]
    split = split_shu(shu, [pct[c.key] for c in COMPONENTS], s_weights, t_weights)
    components = tuple(
        ComponentAmount(c.key, c.label, c.account, pct[c.key], amount)
        for c, amount in zip(COMPONENTS, split.components, strict=True)
    )
    members = tuple(
        MemberShu(mid, number, name, s, t, jm, ja)
        for (mid, number, name), s, t, jm, ja in zip(
            people, s_weights, t_weights, split.jasa_modal, split.jasa_anggota, strict=True
        )
    )
    shared = distribution_entry(session, year)
    return ShuPlan(
        year=year,
        shu=shu,
        closed=closed,
        components=components,
        to_cadangan=split.to_cadangan,
        savings_base=sum(s_weights),
        interest_base=sum(t_weights),
        members=members,
        distributed=shared.number if shared is not None else "",
    )


# -- after the RAT -------------------------------------------------------------------


def post_distribution(session: Session, year: int, rat_date: date, *, by: str) -> Posted:
    """Dr 3-502 / Cr 3-201, 2-141 (one line per member), 2-142..2-146; dated the RAT date."""
    shared = distribution_entry(session, year)
    if shared is not None:
        raise NotAllowed(
            f"SHU tahun {year} sudah dibagikan dengan jurnal {shared.number} "
            f"({dates.format_date(shared.date)}); pembagian hanya sekali setahun."
        )
    if not year_closed(session, year):
        raise NotAllowed(f"Tahun buku {year} belum tutup buku; tutup buku dulu sebelum RAT.")
    if rat_date <= date(year, 12, 31):
        raise ValidationError(
            f"Tanggal RAT {dates.format_date(rat_date)} harus sesudah tahun buku {year} berakhir."
        )
    plan = calculate(session, year)
    if not plan.distributable:
        raise NotAllowed(
            f"SHU tahun {year} {format_rupiah(plan.shu)}: SHU nol atau negatif tidak dibagikan."
        )
    lines = [Line(SHU_TAHUN_BERJALAN, plan.shu)]
    if plan.cadangan:
        lines.append(Line(CADANGAN, -plan.cadangan, memo="Cadangan"))
    for member in plan.members:
        if member.total:
            lines.append(
                Line(
                    UTANG_SHU_ANGGOTA,
                    -member.total,
                    member_id=member.member_id,
                    memo=(
                        f"Jasa modal {format_rupiah(member.jasa_modal)}, jasa anggota "
                        f"{format_rupiah(member.jasa_anggota)}"
                    ),
                )
            )
    for component in plan.components[3:]:
        if component.amount:
            lines.append(Line(component.account, -component.amount, memo=component.label))
    memo = f"{DISTRIBUTION_MEMO.format(year=year)} (RAT {dates.format_date(rat_date)})"
    posted = post(session, Entry(date=rat_date, kind="SH", memo=memo, lines=lines), by=by)
    settings.remember_option(
        session, _sukarela_key(year), jasa_modal_includes_sukarela(session), by=by
    )
    audit.record(
        session,
        by=by,
        action="shu.bagi",
        entity="journal_entry",
        entity_id=posted.id,
        after={"tahun": year, "shu": plan.shu, "tanggal_rat": rat_date, "jurnal": posted.number},
    )
    return posted


@dataclass(frozen=True)
class ShuOwed:
    member_id: int
    number: str
    name: str
    status: str
    allocated: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.allocated - self.paid


def owed_to_members(session: Session, year: int) -> list[ShuOwed]:
    """Each member's SHU of ``year`` (2-141 in the distribution) and what was paid of it."""
    shared = distribution_entry(session, year)
    if shared is None:
        return []
    payable = select(Account.id).where(Account.code == UTANG_SHU_ANGGOTA).scalar_subquery()
    allocated = dict(
        session.execute(
            select(JournalLine.member_id, -func.sum(JournalLine.amount))
            .where(
                JournalLine.entry_id == shared.id,
                JournalLine.account_id == payable,
                JournalLine.member_id.is_not(None),
            )
            .group_by(JournalLine.member_id)
        ).all()
    )
    payments = select(JournalEntry.id).where(
        JournalEntry.kind == "PS",
        JournalEntry.memo.like(PAYMENT_MEMO.format(year=year) + " %"),
    )
    reversals = select(JournalEntry.id).where(JournalEntry.reverses_id.in_(payments))
    paid = dict(
        session.execute(
            select(JournalLine.member_id, func.sum(JournalLine.amount))
            .where(
                JournalLine.account_id == payable,
                JournalLine.entry_id.in_(payments) | JournalLine.entry_id.in_(reversals),
            )
            .group_by(JournalLine.member_id)
        ).all()
    )
    people = session.execute(
        select(Member.id, Member.number, Member.name, Member.status)
        .where(Member.id.in_(list(allocated)))
        .order_by(Member.number)
    )
    return [
        ShuOwed(mid, number, name, status, int(allocated[mid]), int(paid.get(mid, 0) or 0))
        for mid, number, name, status in people
    ]


def pay_members(
    session: Session,
    year: int,
    method: str,
    *,
    on: date,
    by: str,
    member_ids: Sequence[int] | None = None,
) -> list[Posted]:
    """Pay members their SHU of ``year`` in one batch, one entry (receipt) each, all or none.

    ``tunai``: Dr 2-141, Cr 1-101. ``sukarela``: Dr 2-141, Cr 2-101 (active
    members only). ``member_ids`` limits the batch (e.g. cash for those who
    left, sukarela for the rest); without it every member still owed is paid.
    """
    if method not in (TUNAI, SUKARELA):
        raise ValidationError('Cara pembayaran SHU harus "tunai" atau "sukarela".')
    shared = distribution_entry(session, year)
    if shared is None:
        raise NotAllowed(f"SHU tahun {year} belum dibagikan (jurnal pembagian sesudah RAT).")
    if on < shared.date:
        raise ValidationError(
            f"Pembayaran SHU tidak boleh bertanggal sebelum pembagiannya "
            f"({dates.format_date(shared.date)})."
        )
    owed = {row.member_id: row for row in owed_to_members(session, year)}
    if member_ids is None:
        chosen = [row for row in owed.values() if row.remaining > 0]
    else:
        if len(set(member_ids)) != len(member_ids):
            raise ValidationError("Seorang anggota tercantum dua kali dalam pembayaran ini.")
        missing = [mid for mid in member_ids if mid not in owed or owed[mid].remaining <= 0]
        if missing:
            names = session.scalars(select(Member.number).where(Member.id.in_(missing))).all()
            raise NotAllowed(
                f"Tidak ada SHU tahun {year} yang belum dibayar untuk anggota "
                f"{', '.join(sorted(names)) or missing}."
            )
        chosen = [owed[mid] for mid in member_ids]
    if not chosen:
        raise NotAllowed(f"Semua SHU anggota tahun {year} sudah dibayar.")
    if method == SUKARELA:
        inactive = [row for row in chosen if row.status != ACTIVE]
        if inactive:
            listed = ", ".join(f"{r.number} {r.name} ({r.status})" for r in inactive[:5])
            raise NotAllowed(
                f"SHU anggota yang tidak aktif tidak dapat masuk simpanan sukarela: {listed}. "
                "Bayar mereka tunai."
            )
    how = "tunai" if method == TUNAI else "ke simpanan sukarela"
    entries = []
    for row in chosen:
        credit = (
            Line(KAS, -row.remaining)
            if method == TUNAI
            else Line(SIMPANAN_SUKARELA, -row.remaining, member_id=row.member_id)
        )
        entries.append(
            Entry(
                date=on,
                kind="PS",
                memo=f"{PAYMENT_MEMO.format(year=year)} {row.number} {row.name} ({how})",
                member_id=row.member_id,
                lines=[
                    Line(UTANG_SHU_ANGGOTA, row.remaining, member_id=row.member_id),
                    credit,
                ],
            )
        )
    posted = post_many(session, entries, by=by)
    audit.record(
        session,
        by=by,
        action="shu.bayar",
        entity="journal_entry",
        entity_id=shared.id,
        after={
            "tahun": year,
            "cara": method,
            "anggota": len(entries),
            "jumlah": sum(r.remaining for r in chosen),
            "jurnal": f"{posted[0].number} s.d. {posted[-1].number}",
        },
    )
    return posted
