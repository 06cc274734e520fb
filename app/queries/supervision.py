"""The pengawas' checklist of a book year: what the supervisors examine, with the figures.

``supervision_checklist(session, year, on)`` reads (never writes) everything
the Pengawasan screen shows and the draft Laporan Hasil Pengawasan prints:

* kas opname: the days counted in the year, the last count and its difference,
  and whether the period's last month (December, or the last finished month of
  a year still running) was counted, the same rule as Tutup Buku;
* the journal's hash chain, by the quick start-up check (from the stored
  checkpoint; the whole chain only when there is none) and saying which;
* a reproducible random sample of active members (``random.Random(year)``),
  with their savings per type and loan principal outstanding at the period's
  end, to compare with the members' own books;
* the simpanan wajib arrears and the loan arrears (largest first, with phone);
* the reversing entries (kind RV) of the year;
* summary figures: members, savings, loans outstanding, NPL, cash.

The period ends at 31 December of ``year``, or at ``on`` while the year runs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.ledger.balances import account_totals
from app.ledger.chart import KAS, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Member
from app.models.member import ACTIVE
from app.money import format_number, format_rupiah
from app.queries.ledger import journal_list
from app.queries.loans import portfolio, summarize
from app.queries.statements import savings_on
from app.services import integrity, settings
from app.services.cash_count import counts_between
from app.services.savings import WajibCalendar
from app.services.settings import Profile, get_profile

Progress = Callable[[int, int], None]

SAMPLE_SIZE = 10
TOP_ARREARS = 15
MAX_REVERSALS = 200

# Checklist item keys, in the order they are examined and printed.
KAS_OPNAME = "kas_opname"
RANTAI = "rantai"
SAMPEL = "sampel"
TUNGGAKAN_WAJIB = "tunggakan_wajib"
TUNGGAKAN_PINJAMAN = "tunggakan_pinjaman"
PEMBALIKAN = "pembalikan"

GOOD, ATTENTION, TO_CHECK = "baik", "perhatian", "periksa"


@dataclass(frozen=True)
class CashCheck:
    days_counted: int
    last_date: date | None
    last_total: int
    last_book: int
    last_difference: int
    days_with_difference: int
    month_end: date  # the end of the month that must have been counted (December, or last month)
    month_end_counted: bool
    month_end_count_date: date | None


@dataclass(frozen=True)
class ChainStatus:
    clean: bool
    full: bool  # True: the whole chain was recomputed (no checkpoint yet)
    checked: int  # entries whose hash was recomputed
    problems: tuple[str, ...]

    @property
    def method(self) -> str:
        if self.full:
            return "seluruh rantai dihitung ulang (belum ada titik periksa)"
        return (
            "pemeriksaan cepat dari titik periksa terakhir "
            f"({format_number(self.checked)} jurnal dihitung ulang); "
            "pemeriksaan penuh: Buku \u2192 Periksa buku"
        )


@dataclass(frozen=True)
class SampleMember:
    member_id: int
    number: str
    name: str
    dusun: str
    pokok: int
    wajib: int
    sukarela: int
    loans: int  # loans with principal left
    loan_outstanding: int

    @property
    def savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela


@dataclass(frozen=True)
class WajibArrear:
    member_id: int
    number: str
    name: str
    phone: str
    dusun: str
    months: int
    amount: int


@dataclass(frozen=True)
class LoanArrear:
    loan_id: int
    loan_number: str
    member_number: str
    name: str
    phone: str
    outstanding: int
    arrears: int
    dpd: int
    klass: str


@dataclass(frozen=True)
class Reversal:
    entry_id: int
    number: str
    date: date
    memo: str
    posted_by: str
    reverses: str  # the number of the entry it reverses
    amount: int


@dataclass(frozen=True)
class Figures:
    active_members: int
    men: int
    women: int
    pokok: int
    wajib: int
    sukarela: int
    loans: int
    outstanding: int
    npl_ratio: Decimal
    health: str
    cash: int

    @property
    def savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    finding: str
    status: str  # GOOD, ATTENTION, or TO_CHECK (for the pengawas' own eyes)


@dataclass(frozen=True)
class Supervision:
    profile: Profile
    year: int
    start: date
    end: date  # 31 December, or ``on`` while the year runs
    on: date
    cash: CashCheck
    chain: ChainStatus
    sample_seed: int
    sample_from: int  # how many active members the sample was drawn from
    sample: tuple[SampleMember, ...]
    wajib_arrears: tuple[WajibArrear, ...]  # the largest TOP_ARREARS
    wajib_arrears_count: int
    wajib_arrears_total: int
    loan_arrears: tuple[LoanArrear, ...]  # the largest TOP_ARREARS
    loan_arrears_count: int
    loan_arrears_total: int
    reversals: tuple[Reversal, ...]
    reversals_count: int
    figures: Figures
    items: tuple[Item, ...]

    @property
    def period_text(self) -> str:
        return f"{dates.format_date(self.start)} s.d. {dates.format_date(self.end)}"


# -- the parts -------------------------------------------------------------------------


def _cash(session: Session, start: date, end: date) -> CashCheck:
    counts = counts_between(session, start, end)
    if end == dates.year_end(end.year):
        month_end = end
    else:  # the year still runs: the last finished month must have been counted
        month_end = dates.month_start(end) - timedelta(days=1)
        if month_end < start:
            month_end = end
    in_month = [c for c in counts if dates.month_start(c.date) == dates.month_start(month_end)]
    in_month = [c for c in in_month if c.date <= month_end]
    last = counts[-1] if counts else None
    return CashCheck(
        days_counted=len(counts),
        last_date=last.date if last else None,
        last_total=last.total if last else 0,
        last_book=last.book_balance if last else 0,
        last_difference=last.difference if last else 0,
        days_with_difference=sum(1 for c in counts if c.difference != 0),
        month_end=month_end,
        month_end_counted=bool(in_month),
        month_end_count_date=in_month[-1].date if in_month else None,
    )


def _chain(session: Session, progress: Progress | None) -> ChainStatus:
    result = integrity.startup_check(session, progress=progress)
    return ChainStatus(
        clean=result.clean,
        full=result.full,
        checked=result.checked,
        problems=tuple(str(problem) for problem in result.problems),
    )


def _active_members(session: Session, end: date) -> list[tuple[int, str, str, str, str, date, str]]:
    rows = session.execute(
        select(
            Member.id,
            Member.number,
            Member.name,
            Member.phone,
            Member.dusun,
            Member.joined_on,
            Member.sex,
        )
        .where(Member.status == ACTIVE, Member.joined_on <= end)
        .order_by(Member.number)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _savings_by_member(session: Session, on: date) -> dict[int, dict[str, int]]:
    """Pokok, wajib and sukarela of every member on ``on`` (positive; a zero is left out).

    Through ``statements.savings_on`` (the date-index path of ``sums_on``): joining
    every line to its entry for the date takes seconds on a ten-year book.
    """
    result: dict[int, dict[str, int]] = {}
    for (member_id, code), amount in savings_on(session, on).items():
        result.setdefault(member_id, {})[code] = amount
    return result


def draw_sample(member_ids: list[int], year: int, size: int = SAMPLE_SIZE) -> list[int]:
    """The same members for the same year and the same list, whoever asks and whenever."""
    chooser = random.Random(year)
    return sorted(chooser.sample(sorted(member_ids), min(size, len(member_ids))))


def _wajib_arrears(
    session: Session,
    members: list[tuple[int, str, str, str, str, date, str]],
    balances: dict[int, dict[str, int]],
    end: date,
) -> list[WajibArrear]:
    """DOMAIN 2: months due from joining to the period's month x amount - wajib paid by then."""
    if not members:
        return []
    rate_list = settings.rates(session, settings.WAJIB)
    calendar = WajibCalendar(rate_list, min(m[5] for m in members), end.year, end.month)
    found = []
    for member_id, number, name, phone, dusun, joined_on, _sex in members:
        paid = balances.get(member_id, {}).get(SIMPANAN_WAJIB, 0)
        status = calendar.status(joined_on, paid)
        if status.arrears > 0:
            found.append(
                WajibArrear(
                    member_id, number, name, phone, dusun, len(status.unpaid_months), status.arrears
                )
            )
    found.sort(key=lambda a: (-a.amount, a.number))
    return found


def _reversals(session: Session, start: date, end: date) -> tuple[tuple[Reversal, ...], int]:
    page = journal_list(session, kind="RV", start=start, end=end, limit=MAX_REVERSALS)
    rows = tuple(
        Reversal(r.id, r.number, r.date, r.memo, r.posted_by, r.reverses, r.amount)
        for r in sorted(page.rows, key=lambda r: (r.date, r.id))
    )
    return rows, page.total


def _items(s: Supervision) -> tuple[Item, ...]:
    cash = s.cash
    month = dates.format_month(cash.month_end.year, cash.month_end.month)
    if cash.days_counted == 0:
        cash_text = f"Tidak ada kas opname tercatat di tahun {s.year}."
    else:
        assert cash.last_date is not None
        diff = cash.last_difference
        diff_text = (
            "tanpa selisih"
            if diff == 0
            else f"selisih {format_rupiah(abs(diff))} ({'lebih' if diff > 0 else 'kurang'})"
        )
        cash_text = (
            f"{cash.days_counted} hari dihitung di tahun {s.year}; terakhir "
            f"{dates.format_date(cash.last_date)}: {format_rupiah(cash.last_total)} terhadap buku "
            f"{format_rupiah(cash.last_book)}, {diff_text}. "
            f"{cash.days_with_difference} hari dengan selisih."
        )
    if cash.month_end_counted and cash.month_end_count_date is not None:
        cash_text += f" Kas opname {month}: ada ({dates.format_date(cash.month_end_count_date)})."
    else:
        cash_text += f" Kas opname {month}: TIDAK ADA."
    cash_ok = cash.month_end_counted and cash.last_difference == 0

    chain = s.chain
    if chain.clean:
        chain_text = f"Utuh: tidak ada jurnal yang diubah, dihapus atau disisipi; {chain.method}."
    else:
        more = f" (dan {len(chain.problems) - 1} masalah lain)" if len(chain.problems) > 1 else ""
        chain_text = f"RUSAK: {chain.problems[0]}{more}; {chain.method}."

    sample_text = (
        f"{len(s.sample)} dari {s.sample_from} anggota aktif dipilih acak "
        f"(kunci acak {s.sample_seed}); "
        f"cocokkan saldo per {dates.format_date(s.end)} dengan buku simpanan dan kartu angsuran "
        "yang dipegang anggota."
        if s.sample
        else "Belum ada anggota aktif untuk diperiksa."
    )
    wajib_text = (
        f"{s.wajib_arrears_count} anggota menunggak simpanan wajib, jumlah "
        f"{format_rupiah(s.wajib_arrears_total)} (s.d. {month_of(s.end)})."
        if s.wajib_arrears_count
        else f"Tidak ada tunggakan simpanan wajib s.d. {month_of(s.end)}."
    )
    f = s.figures
    npl = f"NPL {format_percent(f.npl_ratio)} ({f.health})"
    loan_text = (
        f"{s.loan_arrears_count} pinjaman menunggak angsuran, jumlah "
        f"{format_rupiah(s.loan_arrears_total)}; {npl}."
        if s.loan_arrears_count
        else f"Tidak ada pinjaman yang menunggak; {npl}."
    )
    reversal_text = (
        f"{s.reversals_count} jurnal pembalik di tahun {s.year}; periksa alasan dan "
        "persetujuan masing-masing."
        if s.reversals_count
        else f"Tidak ada jurnal pembalik di tahun {s.year}."
    )
    return (
        Item(KAS_OPNAME, "Kas opname dilakukan", cash_text, GOOD if cash_ok else ATTENTION),
        Item(RANTAI, "Rantai jurnal utuh", chain_text, GOOD if chain.clean else ATTENTION),
        Item(SAMPEL, "Sampel kartu anggota", sample_text, TO_CHECK),
        Item(
            TUNGGAKAN_WAJIB,
            "Tunggakan simpanan wajib",
            wajib_text,
            ATTENTION if s.wajib_arrears_count else GOOD,
        ),
        Item(
            TUNGGAKAN_PINJAMAN,
            "Tunggakan pinjaman",
            loan_text,
            ATTENTION if s.loan_arrears_count or f.health != "Sehat" else GOOD,
        ),
        Item(
            PEMBALIKAN,
            "Jurnal pembalik tahun ini",
            reversal_text,
            TO_CHECK if s.reversals_count else GOOD,
        ),
    )


def month_of(day: date) -> str:
    return dates.format_month(day.year, day.month)


def format_percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.01'))}%".replace(".", ",")


# -- the checklist -----------------------------------------------------------------------


def supervision_checklist(
    session: Session, year: int, on: date, *, progress: Progress | None = None
) -> Supervision:
    """Everything the pengawas examines for ``year``, as of ``on`` while the year runs."""
    if year < 1900 or date(year, 1, 1) > on:
        raise ValidationError(f"Tahun {year} belum dimulai; pilih tahun buku sampai {on.year}.")
    start = date(year, 1, 1)
    end = min(dates.year_end(year), on)
    profile = get_profile(session)
    chain = _chain(session, progress)
    cash = _cash(session, start, end)

    members = _active_members(session, end)
    balances = _savings_by_member(session, end)
    loans = portfolio(session, end, outstanding_only=True)
    summary = summarize(session, loans)

    by_member: dict[int, list[int]] = defaultdict(list)
    for loan in loans:
        by_member[loan.member_id].append(loan.outstanding)
    chosen = set(draw_sample([m[0] for m in members], year))
    sample = tuple(
        SampleMember(
            member_id,
            number,
            name,
            dusun,
            balances.get(member_id, {}).get(SIMPANAN_POKOK, 0),
            balances.get(member_id, {}).get(SIMPANAN_WAJIB, 0),
            balances.get(member_id, {}).get(SIMPANAN_SUKARELA, 0),
            len(by_member.get(member_id, [])),
            sum(by_member.get(member_id, [])),
        )
        for member_id, number, name, _phone, dusun, _joined, _sex in members
        if member_id in chosen
    )

    wajib = _wajib_arrears(session, members, balances, end)
    late_loans = sorted((r for r in loans if r.arrears > 0), key=lambda r: (-r.arrears, r.number))
    loan_arrears = tuple(
        LoanArrear(
            r.id,
            r.number,
            r.member_number,
            r.member_name,
            r.phone,
            r.outstanding,
            r.arrears,
            r.dpd,
            r.klass,
        )
        for r in late_loans[:TOP_ARREARS]
    )
    reversals, reversals_count = _reversals(session, start, end)

    totals = account_totals(session, on=end)
    sexes: dict[str, int] = defaultdict(int)
    for member in members:
        sexes[member[6]] += 1
    figures = Figures(
        active_members=len(members),
        men=sexes["L"],
        women=sexes["P"],
        pokok=-totals.get(SIMPANAN_POKOK, 0),
        wajib=-totals.get(SIMPANAN_WAJIB, 0),
        sukarela=-totals.get(SIMPANAN_SUKARELA, 0),
        loans=summary.loans,
        outstanding=summary.outstanding,
        npl_ratio=summary.npl_ratio,
        health=summary.health,
        cash=totals.get(KAS, 0),
    )
    result = Supervision(
        profile=profile,
        year=year,
        start=start,
        end=end,
        on=on,
        cash=cash,
        chain=chain,
        sample_seed=year,
        sample_from=len(members),
        sample=sample,
        wajib_arrears=tuple(wajib[:TOP_ARREARS]),
        wajib_arrears_count=len(wajib),
        wajib_arrears_total=sum(a.amount for a in wajib),
        loan_arrears=loan_arrears,
        loan_arrears_count=len(late_loans),
        loan_arrears_total=sum(r.arrears for r in late_loans),
        reversals=reversals,
        reversals_count=reversals_count,
        figures=figures,
        items=(),
    )
    return replace(result, items=_items(result))
