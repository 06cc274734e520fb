"""Beranda's trends: members, savings, loans outstanding and NPL at the last 24 month ends.

The figures are the same as the RAT book's year ends (app.reports.build_trends:
``sums_on``, the membership on a date, ``summarize(portfolio(session, on))``),
but computed for every point at once. Calling those per date costs about a
second each on a big book; here the lines are summed once per span, through
``app.ledger.year_totals.flows``:

- sums: everything up to the first point, then what moved in each span (the day
  after a point up to the next), per account, loan and entry kind. Whole
  calendar years come from the per-year totals, so between year ends (the RAT
  book) no line is read at all; between month ends a month of lines each;
- balances: the savings accounts and 1-131 at each point, from those sums;
- members: joined and left dates of every member, counted in Python;
- loans: from the same sums, per loan the principal left (1-131) and what was
  repaid (as ``loans.repaid_amounts`` counts it) at each point; the schedules of
  the loans that owe anything at some point; DPD and class then come from the
  same pure functions as the portfolio (``fill``, ``days_past_due``, the
  classification of the loan settings).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates
from app.ledger.chart import (
    JASA_PINJAMAN,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    account_ids,
)
from app.ledger.year_totals import flows
from app.models import JournalEntry, Loan, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.models.member import ACTIVE
from app.queries.loans import read_schedules
from app.services import loans as loan_service
from app.services.loan_state import CLASSES, Due, days_past_due, fill

MONTHS = 24


@dataclass(frozen=True)
class MonthFigures:
    """The books at the end of one day (a month end, or today for the last point)."""

    on: date
    members: int  # active members that day
    pokok: int  # savings balances, shown positive
    wajib: int
    sukarela: int
    loans_outstanding: int  # balance of 1-131 Pinjaman Anggota
    npl_ratio: Decimal  # (KL + D + M) / all principal outstanding, 0 when nothing is lent

    @property
    def savings(self) -> int:
        return self.pokok + self.wajib + self.sukarela

    @property
    def npl_percent(self) -> Decimal:
        return self.npl_ratio * 100


def month_points(end: date, months: int = MONTHS) -> list[date]:
    """The ends of the ``months - 1`` months before ``end``'s month, then ``end`` itself."""
    if months < 1:
        return []
    first_of_month = dates.month_start(end)
    earlier = [
        dates.month_end(dates.add_months(first_of_month, -back))
        for back in range(months - 1, 0, -1)
    ]
    return [*earlier, end]


# Called with (spans read, spans in all) as the reading goes; a caller that wants to
# stop (the window, on a refresh) raises from it.
Progress = Callable[[int, int], None]


def monthly_trends(
    session: Session, end: date, months: int = MONTHS, progress: Progress | None = None
) -> tuple[MonthFigures, ...]:
    """Figures at the last ``months`` month ends up to ``end`` (the last point is ``end``),
    oldest first; months before the book's first entry are left out."""
    first = session.scalar(select(func.min(JournalEntry.date)))
    if first is None:
        return ()
    points = [
        p for p in month_points(end, months) if (p.year, p.month) >= (first.year, first.month)
    ]
    return figures_at(session, points, progress)


def figures_at(
    session: Session, points: list[date], progress: Progress | None = None
) -> tuple[MonthFigures, ...]:
    """Members, savings by type, loans outstanding and NPL at each of ``points`` (in
    ascending order), from one read of the sums up to the first point and one of
    each span between points."""
    if not points:
        return ()
    ids = account_ids(session)
    moved = _movements(session, points, ids, progress)
    balances = {
        code: _at_points(moved.accounts.get(ids[code]) if code in ids else None, len(points))
        for code in (*_SAVINGS, PINJAMAN_ANGGOTA)
    }
    members = _members(session, points)
    npl = _npl_ratios(session, points, moved)
    return tuple(
        MonthFigures(
            on=on,
            members=members[i],
            pokok=-balances[SIMPANAN_POKOK][i],
            wajib=-balances[SIMPANAN_WAJIB][i],
            sukarela=-balances[SIMPANAN_SUKARELA][i],
            loans_outstanding=balances[PINJAMAN_ANGGOTA][i],
            npl_ratio=npl[i],
        )
        for i, on in enumerate(points)
    )


def _at_points(moved: list[int] | None, count: int) -> list[int]:
    """The value at each point: ``moved[0]`` is everything up to the first point,
    ``moved[i]`` what changed after point i - 1 up to point i (None: nothing ever)."""
    return list(accumulate(moved)) if moved else [0] * count


# -- reading ----------------------------------------------------------------------------

_SAVINGS = (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)


@dataclass
class _Movements:
    """What moved up to the first point (slot 0) and in each span after it (slot i:
    after point i - 1 up to point i), debit positive."""

    accounts: dict[int, list[int]]  # per account: the savings accounts, 1-131, 4-101
    principal: dict[int, list[int]]  # per loan: its 1-131 lines
    repaid: dict[int, list[int]]  # per loan: repayments (interest + principal), credit positive


def _movements(
    session: Session, points: list[date], ids: dict[str, int], progress: Progress | None
) -> _Movements:
    """One ``flows`` per span, per account, loan and kind: whole calendar years come
    from the per-year totals (nothing to read between year ends), the other days
    from their lines through the date index (a month each between month ends).

    Repayments are counted as loans.repaid_amounts counts them: the 1-131 and
    4-101 lines of a loan whose entry is of a repayment kind, a reversal counting
    as the kind of the entry it reverses, amount negated.
    """
    principal_id = ids.get(PINJAMAN_ANGGOTA)
    loan_accounts = {ids[code] for code in (PINJAMAN_ANGGOTA, JASA_PINJAMAN) if code in ids}
    wanted = [ids[code] for code in _SAVINGS if code in ids] + sorted(loan_accounts)
    result = _Movements({}, {}, {})
    if not wanted:
        return result
    kinds = loan_service.REPAYMENT_KINDS
    slots = len(points)
    starts: list[date | None] = [None, *(p + timedelta(days=1) for p in points[:-1])]
    for i, (start, end) in enumerate(zip(starts, points, strict=True)):
        if progress is not None:
            progress(i, slots)
        found = flows(session, start, end, ("account", "loan", "kind"), account_ids=wanted)
        for (account, loan_id, kind), flow in found.items():
            net = flow.debit + flow.credit
            result.accounts.setdefault(account, [0] * slots)[i] += net
            if loan_id is None or account not in loan_accounts:
                continue
            if account == principal_id:
                result.principal.setdefault(loan_id, [0] * slots)[i] += net
            if kind in kinds:
                result.repaid.setdefault(loan_id, [0] * slots)[i] -= net
    return result


# -- members ----------------------------------------------------------------------------


def _members(session: Session, points: list[date]) -> list[int]:
    """Active members at the end of each point: joined by then and not yet left
    (statements.MemberInfo.member_on: the day a membership ends it no longer counts)."""
    joined: list[date] = []
    left: list[date] = []
    for joined_on, status, status_date in session.execute(
        select(Member.joined_on, Member.status, Member.status_date)
    ):
        joined.append(joined_on)
        if status != ACTIVE:
            # Never before the day it began: such a member then simply never counts.
            left.append(max(status_date or joined_on, joined_on))
    joined.sort()
    left.sort()
    # Joined on or before the day, less those whose membership ended on or before it.
    return [bisect_right(joined, on) - bisect_right(left, on) for on in points]


# -- NPL --------------------------------------------------------------------------------


@dataclass
class _Loan:
    disbursed_on: date | None
    paid_before_cutover: int
    class_override: str


def _npl_ratios(session: Session, points: list[date], moved: _Movements) -> list[Decimal]:
    """NPL at each point, as summarize(portfolio(session, on)) computes it."""
    loans = {
        loan_id: _Loan(disbursed_on, cutover, override or "")
        for loan_id, disbursed_on, cutover, override in session.execute(
            select(Loan.id, Loan.disbursed_on, Loan.paid_before_cutover, Loan.class_override).where(
                Loan.status.in_((DISBURSED, PAID_OFF, WRITTEN_OFF))
            )
        )
    }
    if not loans:
        return [Decimal(0)] * len(points)
    left_at: dict[int, list[int]] = {}
    for loan_id in loans:
        changes = moved.principal.get(loan_id)
        if changes is None:  # no 1-131 line at all
            continue
        owed = list(accumulate(changes))
        if max(owed) > 0:  # only loans that owe something at some point can count
            left_at[loan_id] = owed
    live = sorted(left_at)
    schedules = read_schedules(session, live)

    classification = loan_service.loan_settings(session).classification
    outstanding = [0] * len(points)
    bad = [0] * len(points)
    for loan_id in live:
        loan = loans[loan_id]
        lefts = left_at[loan_id]
        repaid = _at_points(moved.repaid.get(loan_id), len(points))
        schedule = schedules.get(loan_id, [])
        ends = list(accumulate(d.amount for d in schedule))
        cutover = sum(d.amount for d in schedule[: loan.paid_before_cutover])
        for i, on in enumerate(points):
            left = lefts[i]
            if left <= 0:
                continue
            dpd = 0
            if loan.disbursed_on is not None and loan.disbursed_on <= on:
                dpd = _dpd(schedule, ends, repaid[i] + cutover, on)
            klass = loan.class_override or classification.classify(dpd)
            outstanding[i] += left
            if klass != CLASSES[0]:
                bad[i] += left
    return [
        Decimal(bad[i]) / Decimal(total) if total else Decimal(0)
        for i, total in enumerate(outstanding)
    ]


def _dpd(schedule: list[Due], ends: list[int], paid: int, on: date) -> int:
    """Days past due with ``paid`` spread over the schedule.

    The installments fully paid (their running total at most ``paid``) are
    skipped by bisection; the first one that is not is filled with what is
    left, and its due date gives the DPD (loan_state.fill and days_past_due).
    """
    first = bisect_right(ends, paid)
    if first >= len(schedule) or schedule[first].due >= on:
        return 0  # all paid, or the oldest unpaid installment is not yet late
    before = ends[first - 1] if first else 0
    return days_past_due(fill(schedule[first : first + 1], paid - before), on)
