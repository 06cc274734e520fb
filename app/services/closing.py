"""Year end (DOMAIN.md 5.1): the tutup buku checklist, the closing entry, the lock, reopening.

``close_year`` refuses unless every check passes, then posts one closing
entry (kind TB, dated 31/12) that brings every income and expense account to
zero and puts the net into 3-502 SHU Tahun Berjalan, and locks the year.
``reopen_year`` (admin only) removes the lock and reverses the closing entry,
both audited.

Acknowledgements that let a check pass without the books changing (the
allowance proposal dismissed with a reason, the open loan applications
reviewed) are stored as options (``settings.set_option``, audited) per year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import NotAllowed, NotFound, ValidationError
from app.ledger import Entry, Line, Posted, post, reverse
from app.ledger.balances import balance, sums_on
from app.ledger.chart import BEBAN_PENYISIHAN, CKPN, KAS, SHU_TAHUN_BERJALAN
from app.ledger.check import Progress
from app.ledger.periods import close_period
from app.models import Account, ClosedPeriod, JournalEntry, JournalLine, Loan
from app.models.account import EXPENSE, INCOME
from app.models.loan import APPLIED, APPROVED
from app.money import format_rupiah
from app.services import audit, integrity, settings
from app.services.cash_count import counts_between

ADMIN = "admin"
DISTRIBUTION_MEMO = "Pembagian SHU tahun buku {year}"
PAYMENT_MEMO = "Pembayaran SHU tahun buku {year}"

CHECK_BALANCED = "Neraca saldo seimbang"
CHECK_CHAIN = "Rantai hash jurnal utuh"
CHECK_CASH = "Kas dihitung (kas opname) di akhir tahun"
CHECK_ALLOWANCE = "Penyisihan kerugian pinjaman (PPAP) dibukukan"
CHECK_APPLICATIONS = "Pengajuan pinjaman sudah ditinjau"
CHECK_PREVIOUS = "Tahun buku sebelumnya sudah ditutup"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


class ClosingRefused(NotAllowed):
    """Tutup buku refused; ``failed`` holds the checks that did not pass."""

    def __init__(self, year: int, failed: list[Check]) -> None:
        listed = "; ".join(f"{c.name}: {c.detail}" for c in failed)
        super().__init__(
            f"Tutup buku tahun {year} ditolak, {len(failed)} pemeriksaan belum lolos: {listed}."
        )
        self.year = year
        self.failed = tuple(failed)


@dataclass(frozen=True)
class AllowanceProposal:
    year: int
    required: int  # PPAP required on 31/12 (DOMAIN.md 3.3)
    booked: int  # credit balance of 1-139 on 31/12
    entry: Entry | None  # Dr 5-104 / Cr 1-139 for the difference (or the reverse)

    @property
    def difference(self) -> int:
        return self.required - self.booked


@dataclass(frozen=True)
class ClosingResult:
    year: int
    entry: Posted | None  # None when the year had no income or expense at all
    shu: int
    checks: tuple[Check, ...]


def _start(year: int) -> date:
    return date(year, 1, 1)


def _end(year: int) -> date:
    return date(year, 12, 31)


# -- state of a year -------------------------------------------------------------


def _year_lock(session: Session, year: int) -> ClosedPeriod | None:
    return session.scalar(
        select(ClosedPeriod).where(
            ClosedPeriod.kind == "year",
            ClosedPeriod.start_date <= _end(year),
            ClosedPeriod.end_date >= _end(year),
        )
    )


def year_closed(session: Session, year: int) -> bool:
    return _year_lock(session, year) is not None


def _has_entries(session: Session, year: int) -> bool:
    """Any entry in the year other than opening balances (saldo awal needs no closing)."""
    found = session.scalar(
        select(JournalEntry.id)
        .where(
            JournalEntry.date >= _start(year),
            JournalEntry.date <= _end(year),
            JournalEntry.kind != "SA",
        )
        .limit(1)
    )
    return found is not None


def _unreversed(
    session: Session, kind: str, start: date, end: date, memo_prefix: str = ""
) -> JournalEntry | None:
    reversed_ids = select(JournalEntry.reverses_id).where(JournalEntry.reverses_id.is_not(None))
    stmt = (
        select(JournalEntry)
        .where(
            JournalEntry.kind == kind,
            JournalEntry.date >= start,
            JournalEntry.date <= end,
            JournalEntry.id.not_in(reversed_ids),
        )
        .order_by(JournalEntry.id.desc())
        .limit(1)
    )
    if memo_prefix:
        stmt = stmt.where(JournalEntry.memo.like(memo_prefix + "%"))
    return session.scalar(stmt)


def closing_entry(session: Session, year: int) -> JournalEntry | None:
    """The standing (not reversed) closing entry of ``year``."""
    return _unreversed(session, "TB", _end(year), _end(year))


def distribution_entry(session: Session, year: int) -> JournalEntry | None:
    """The standing SHU distribution entry of ``year`` (posted in a later year)."""
    return _unreversed(
        session, "SH", _end(year), date.max, DISTRIBUTION_MEMO.format(year=year) + " "
    )


# -- the checklist ---------------------------------------------------------------


def _unbalanced_in(session: Session, year: int) -> list[str]:
    """Entries of the year whose lines do not balance (earlier years were checked when
    they closed, and the hash chain proves they have not changed since)."""
    entries = select(JournalEntry.id).where(
        JournalEntry.date >= _start(year), JournalEntry.date <= _end(year)
    )
    bad = select(JournalLine.entry_id).where(JournalLine.entry_id.in_(entries))
    bad = bad.group_by(JournalLine.entry_id).having(
        (func.sum(JournalLine.amount) != 0) | (func.count(JournalLine.id) < 2)
    )
    ids = list(session.scalars(bad))
    headless = session.scalars(
        select(JournalEntry.number)
        .where(
            JournalEntry.date >= _start(year),
            JournalEntry.date <= _end(year),
            JournalEntry.id.not_in(select(JournalLine.entry_id).distinct()),
        )
        .limit(5)
    ).all()
    numbers = list(session.scalars(select(JournalEntry.number).where(JournalEntry.id.in_(ids))))
    return sorted(numbers + list(headless))


def _check_balanced(session: Session, year: int) -> Check:
    totals = sums_on(session, _end(year))
    total = sum(totals.values())
    debit = sum(v for v in totals.values() if v > 0)
    if total != 0:
        return Check(
            CHECK_BALANCED,
            False,
            f"total debit dan kredit pada {dates.format_date(_end(year))} selisih "
            f"{format_rupiah(abs(total))}",
        )
    unbalanced = _unbalanced_in(session, year)
    if unbalanced:
        shown = ", ".join(unbalanced[:3])
        more = f" dan {len(unbalanced) - 3} lainnya" if len(unbalanced) > 3 else ""
        return Check(
            CHECK_BALANCED, False, f"jurnal tidak seimbang: {shown}{more}; jalankan `lumbung check`"
        )
    return Check(
        CHECK_BALANCED,
        True,
        f"debit = kredit = {format_rupiah(debit)} pada {dates.format_date(_end(year))}",
    )


def _check_chain(session: Session, progress: Progress | None, store: bool) -> Check:
    # From the verified checkpoint when there is one (the window stores it at start):
    # on a 5.000-member book the whole chain takes half a minute, this a second or two.
    result = integrity.startup_check(session, progress=progress)
    problems = result.problems
    if problems:
        shown = ", ".join(str(p) for p in problems[:3])
        more = f" dan {len(problems) - 3} lainnya" if len(problems) > 3 else ""
        return Check(
            CHECK_CHAIN, False, f"{shown}{more}; jalankan `lumbung check` untuk daftar lengkap"
        )
    if store and result.checkpoint is not None:
        integrity.save_checkpoint(session, result.checkpoint)
    how = "seluruh rantai dihitung ulang" if result.full else "dari titik periksa terakhir"
    return Check(CHECK_CHAIN, True, f"tidak ada jurnal yang diubah, dihapus atau disisipi ({how})")


def _check_cash(session: Session, year: int) -> Check:
    december = counts_between(session, date(year, 12, 1), _end(year))
    if december:
        last = december[-1]
        return Check(
            CHECK_CASH,
            True,
            f"kas opname {dates.format_date(last.date)}: {format_rupiah(last.total)}, selisih "
            f"{format_rupiah(last.difference)}",
        )
    cash_moved = session.scalar(
        select(JournalLine.id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            Account.code == KAS,
            JournalEntry.date >= _start(year),
            JournalEntry.date <= _end(year),
        )
        .limit(1)
    )
    if cash_moved is None:
        return Check(CHECK_CASH, True, f"tidak ada transaksi kas di tahun {year}")
    return Check(
        CHECK_CASH,
        False,
        f"belum ada kas opname di bulan Desember {year}; hitung kas hari kerja terakhir",
    )


def _dismissal_key(year: int) -> str:
    return f"tutup_buku.{year}.ppap_ditolak"


def _review_key(year: int) -> str:
    return f"tutup_buku.{year}.pengajuan_ditinjau"


def required_allowance(session: Session, on: date) -> int:
    from app.queries import loans as loan_queries

    return loan_queries.summarize(session, loan_queries.portfolio(session, on)).allowance


def propose_allowance_entry(session: Session, year: int) -> AllowanceProposal:
    """Required PPAP on 31/12 against the booked 1-139, and the entry that makes them equal."""
    required = required_allowance(session, _end(year))
    booked = -balance(session, CKPN, on=_end(year))
    difference = required - booked
    entry = None
    if difference:
        entry = Entry(
            date=_end(year),
            kind="JU",
            memo=(
                f"Penyesuaian penyisihan kerugian pinjaman (PPAP) tahun {year}: wajib "
                f"{format_rupiah(required)}, tercatat {format_rupiah(booked)}"
            ),
            lines=[Line(BEBAN_PENYISIHAN, difference), Line(CKPN, -difference)],
        )
    return AllowanceProposal(year, required, booked, entry)


def book_allowance(session: Session, year: int, *, by: str) -> Posted:
    """Post the proposed allowance entry (dated 31/12; a closed cash day does not stop it)."""
    permissions.require(session, "tutup_buku")
    proposal = propose_allowance_entry(session, year)
    if proposal.entry is None:
        raise NotAllowed(
            f"Penyisihan kerugian pinjaman tahun {year} sudah sesuai "
            f"({format_rupiah(proposal.required)}); tidak ada yang perlu dibukukan."
        )
    return post(session, proposal.entry, by=by, day_locks=False)


def dismiss_allowance(session: Session, year: int, *, reason: str, by: str) -> None:
    """Record that the allowance proposal is deliberately not booked, and why."""
    permissions.require(session, "tutup_buku")
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ValidationError("Tulis alasan usulan penyisihan tidak dibukukan.", field="reason")
    proposal = propose_allowance_entry(session, year)
    settings.set_option(
        session,
        _dismissal_key(year),
        {"alasan": cleaned, "wajib": proposal.required, "tercatat": proposal.booked},
        by=by,
    )


def _open_applications(session: Session, year: int) -> int:
    return int(
        session.scalar(
            select(func.count(Loan.id)).where(
                Loan.status.in_((APPLIED, APPROVED)), Loan.applied_on <= _end(year)
            )
        )
        or 0
    )


def acknowledge_applications(session: Session, year: int, *, note: str, by: str) -> None:
    """Record that the loan applications still waiting were reviewed for the year end."""
    permissions.require(session, "tutup_buku")
    cleaned = " ".join(note.split())
    if not cleaned:
        raise ValidationError("Tulis catatan hasil peninjauan pengajuan pinjaman.", field="note")
    settings.set_option(
        session,
        _review_key(year),
        {"catatan": cleaned, "jumlah": _open_applications(session, year)},
        by=by,
    )


def _check_allowance(session: Session, year: int) -> Check:
    proposal = propose_allowance_entry(session, year)
    figures = (
        f"wajib {format_rupiah(proposal.required)}, tercatat di 1-139 "
        f"{format_rupiah(proposal.booked)}"
    )
    if proposal.difference == 0:
        return Check(CHECK_ALLOWANCE, True, figures)
    dismissed = settings.get_option(session, _dismissal_key(year), None)
    if isinstance(dismissed, dict) and dismissed.get("alasan"):
        return Check(
            CHECK_ALLOWANCE, True, f"{figures}; tidak dibukukan karena: {dismissed['alasan']}"
        )
    return Check(
        CHECK_ALLOWANCE,
        False,
        f"{figures} (selisih {format_rupiah(abs(proposal.difference))}); bukukan usulan "
        "penyesuaian atau catat alasan tidak dibukukan",
    )


def _check_applications(session: Session, year: int) -> Check:
    waiting = _open_applications(session, year)
    if waiting == 0:
        return Check(CHECK_APPLICATIONS, True, "tidak ada pengajuan yang menunggu")
    reviewed = settings.get_option(session, _review_key(year), None)
    if isinstance(reviewed, dict) and reviewed.get("catatan"):
        return Check(
            CHECK_APPLICATIONS,
            True,
            f"{waiting} pengajuan menunggu, sudah ditinjau: {reviewed['catatan']}",
        )
    return Check(
        CHECK_APPLICATIONS,
        False,
        f"{waiting} pengajuan pinjaman belum diputuskan atau belum dicairkan; putuskan atau "
        "catat bahwa sudah ditinjau",
    )


def _check_previous(session: Session, year: int) -> Check:
    first = session.scalar(select(func.min(JournalEntry.date)).where(JournalEntry.kind != "SA"))
    open_years = []
    if first is not None:
        for earlier in range(first.year, year):
            if _has_entries(session, earlier) and not year_closed(session, earlier):
                open_years.append(earlier)
    if open_years:
        listed = ", ".join(str(y) for y in open_years)
        return Check(
            CHECK_PREVIOUS, False, f"tahun {listed} belum tutup buku; tutup buku berurutan"
        )
    if year_closed(session, year - 1):
        return Check(CHECK_PREVIOUS, True, f"tahun {year - 1} sudah tutup buku")
    return Check(CHECK_PREVIOUS, True, f"tahun {year - 1} tidak punya transaksi")


def closing_checklist(
    session: Session,
    year: int,
    progress: Progress | None = None,
    *,
    store_checkpoint: bool = False,
) -> list[Check]:
    """The tutup buku checks of ``year``, each with what was found (DOMAIN.md 5.1).

    ``store_checkpoint`` (closing itself, a write) keeps a clean chain's new
    checkpoint, so the next check starts from it.
    """
    return [
        _check_balanced(session, year),
        _check_chain(session, progress, store_checkpoint),
        _check_cash(session, year),
        _check_allowance(session, year),
        _check_applications(session, year),
        _check_previous(session, year),
    ]


# -- closing and reopening ---------------------------------------------------------


def closing_lines(session: Session, year: int) -> list[Line]:
    """Every income and expense account (per unit usaha) to zero, the net into 3-502."""
    codes = dict(
        session.execute(
            select(Account.id, Account.code).where(Account.grp.in_((INCOME, EXPENSE)))
        ).all()
    )
    sums = sums_on(session, _end(year), ("account", "unit"), account_ids=set(codes))
    lines: list[Line] = []
    net_by_unit: dict[str, int] = defaultdict(int)
    for (account_id, unit), total in sorted(sums.items(), key=lambda i: (codes[i[0][0]], i[0][1])):
        lines.append(Line(codes[account_id], -total, unit=unit))
        net_by_unit[unit] += total
    for unit, net in sorted(net_by_unit.items()):
        if net:
            lines.append(Line(SHU_TAHUN_BERJALAN, net, unit=unit))
    return lines


def shu_of_closing(session: Session, entry_id: int) -> int:
    """SHU moved into 3-502 by a closing entry (credit positive)."""
    total = session.scalar(
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.entry_id == entry_id, Account.code == SHU_TAHUN_BERJALAN)
    )
    return -int(total or 0)


def close_year(
    session: Session, year: int, *, by: str, progress: Progress | None = None
) -> ClosingResult:
    """Tutup buku: refuse unless every check passes; post the closing entry; lock the year."""
    permissions.require(session, "tutup_buku")
    if year_closed(session, year):
        raise NotAllowed(f"Tahun buku {year} sudah tutup buku.")
    if dates.today() < _end(year):
        raise ValidationError(
            f"Tahun buku {year} belum berakhir; tutup buku paling cepat "
            f"{dates.format_date(_end(year))}."
        )
    checks = closing_checklist(session, year, progress, store_checkpoint=True)
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ClosingRefused(year, failed)
    lines = closing_lines(session, year)
    posted = None
    shu = -sum(line.amount for line in lines if line.account == SHU_TAHUN_BERJALAN)
    if lines:
        posted = post(
            session,
            Entry(
                date=_end(year),
                kind="TB",
                memo=f"Tutup buku tahun {year}: pendapatan dan beban ke SHU Tahun Berjalan",
                lines=lines,
            ),
            by=by,
            day_locks=False,
        )
    close_period(
        session,
        kind="year",
        start=_start(year),
        end=_end(year),
        by=by,
        note=f"Tutup buku {year}; SHU {format_rupiah(shu)}",
    )
    lock = _year_lock(session, year)
    audit.record(
        session,
        by=by,
        action="tutup_buku.tutup",
        entity="closed_period",
        entity_id=lock.id if lock is not None else None,
        after={"tahun": year, "jurnal": posted.number if posted else "", "shu": shu},
    )
    session.flush()
    return ClosingResult(year, posted, shu, tuple(checks))


def reopen_year(
    session: Session, year: int, *, by: str, reason: str, role: str | None = None
) -> Posted | None:
    """Open a closed year again: reverse its closing entry and remove the lock (audited).

    Only the admin role may do this (DOMAIN.md 5.1): the actor of the unit of
    work must be an admin (``permissions``). ``role`` is the older way of
    saying who is at the keyboard; when given, it must be admin as well. A later
    closed year must be reopened first, and an SHU distribution of the year must
    be reversed first.
    """
    actor = permissions.require(session, "tutup_buku.buka_kembali")
    if role is not None and role != ADMIN:
        raise NotAllowed("Membuka kembali tahun buku yang sudah ditutup hanya boleh oleh admin.")
    cleaned = " ".join(reason.split())
    if not cleaned:
        raise ValidationError("Tulis alasan membuka kembali tahun buku.", field="reason")
    lock = _year_lock(session, year)
    if lock is None:
        raise NotFound(f"Tahun buku {year} belum tutup buku; tidak ada yang perlu dibuka.")
    if year_closed(session, year + 1):
        raise NotAllowed(f"Tahun buku {year + 1} juga sudah ditutup; buka kembali tahun itu dulu.")
    shared = distribution_entry(session, year)
    if shared is not None:
        raise NotAllowed(
            f"SHU tahun {year} sudah dibagikan ({shared.number}); balik dulu jurnal pembagian "
            "itu sebelum membuka kembali tahun bukunya."
        )
    lock_id = lock.id
    before = {
        "tahun": year,
        "ditutup_oleh": lock.closed_by,
        "ditutup_pada": lock.closed_at,
        "catatan": lock.note,
    }
    session.delete(lock)
    session.flush()
    entry = closing_entry(session, year)
    reversal = None
    if entry is not None:
        reversal = reverse(
            session,
            entry.id,
            reason=f"buka kembali tahun buku {year}: {cleaned}",
            on=_end(year),
            by=by,
            day_locks=False,
        )
    audit.record(
        session,
        by=by,
        action="tutup_buku.buka_kembali",
        entity="closed_period",
        entity_id=lock_id,
        before=before,
        after={
            "jurnal_tutup_buku": entry.number if entry else "",
            "pembalik": reversal.number if reversal else "",
            "peran": actor.role,
        },
        note=cleaned,
    )
    session.flush()
    return reversal
