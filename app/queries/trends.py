"""Beranda's trends: members, savings, loans outstanding and NPL at the last 24 month ends.

The figures are the same as the RAT book's year ends (app.reports.build_trends:
``sums_on``, the membership on a date, ``summarize(portfolio(session, on))``),
but computed for every month end at once. Calling those per date costs about a
second each on a big book; here every table is read once:

- balances: the all-time total of each account (its covering index, no dates),
  less the lines dated after the window's first point, summed per day;
- members: joined and left dates of every member, counted in Python;
- loans: the principal left on each loan at the first point, plus per loan and
  per day the principal lines and the repayments after it; the schedules of the
  loans that owe anything during the window; DPD and class then come from the
  same pure functions as the portfolio (``fill``, ``days_past_due``, the
  classification of the loan settings).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from app import dates
from app.ledger.chart import (
    JASA_PINJAMAN,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    account_ids,
)
from app.models import JournalEntry, JournalLine, Loan, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.models.member import ACTIVE
from app.queries.loans import read_schedules
from app.services import loans as loan_service
from app.services.loan_state import CLASSES, Due, days_past_due, fill

MONTHS = 24
_CHUNK = 5000  # ids per IN (...) list


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


def monthly_trends(session: Session, end: date, months: int = MONTHS) -> tuple[MonthFigures, ...]:
    """Figures at the last ``months`` month ends up to ``end`` (the last point is ``end``),
    oldest first; months before the book's first entry are left out."""
    first = session.scalar(select(func.min(JournalEntry.date)))
    if first is None:
        return ()
    points = [
        p for p in month_points(end, months) if (p.year, p.month) >= (first.year, first.month)
    ]
    return figures_at(session, points)


def figures_at(session: Session, points: list[date]) -> tuple[MonthFigures, ...]:
    """Members, savings by type, loans outstanding and NPL at each of ``points`` (in
    ascending order), from one read of the lines after the first point."""
    if not points:
        return ()
    ids = account_ids(session)
    balances = _balances(session, points, ids)
    members = _members(session, points)
    npl = _npl_ratios(session, points, ids)
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


def _at_points(base: int, moved: list[int]) -> list[int]:
    """The value at each point: ``base`` (at the first point) plus the changes up to it.

    ``moved[i]`` is what changed after point i - 1 up to point i (``moved[0]`` is
    0); a last extra slot holds the changes after the last point and is left out.
    """
    return list(accumulate(moved[:-1], initial=base))[1:]


# -- balances ---------------------------------------------------------------------------


def _balances(session: Session, points: list[date], ids: dict[str, int]) -> dict[str, list[int]]:
    """Signed balance (debit positive) of the savings accounts and 1-131 at each point.

    All-time totals (the covering index, no dates) less what was posted after
    the first point; those lines are found through the date index, summed per
    day with one column per account, so SQLite groups in the index's order.
    """
    codes = (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA, PINJAMAN_ANGGOTA)
    accounts = [ids[code] for code in codes if code in ids]
    connection = session.connection()
    totals = {
        account: int(total)
        for account, total in connection.execute(
            select(JournalLine.account_id, func.sum(JournalLine.amount))
            .where(JournalLine.account_id.in_(accounts))
            .group_by(JournalLine.account_id)
        )
    }
    per_day = select(
        JournalEntry.date,
        *(
            func.sum(case((JournalLine.account_id == account, JournalLine.amount), else_=0))
            for account in accounts
        ),
    ).join(JournalLine, JournalLine.entry_id == JournalEntry.id)
    stmt = per_day.where(JournalEntry.date > points[0]).group_by(JournalEntry.date)
    moved = {account: [0] * (len(points) + 1) for account in accounts}
    for day, *sums in connection.execute(stmt):
        slot = bisect_left(points, day)  # counts from the first point on or after its day
        for column, amount in zip(accounts, sums, strict=True):
            moved[column][slot] += int(amount)
    result: dict[str, list[int]] = {}
    for code in codes:
        if code not in ids:
            result[code] = [0] * len(points)
            continue
        changes = moved[ids[code]]
        result[code] = _at_points(totals.get(ids[code], 0) - sum(changes), changes)
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


def _loan_lines_after(
    session: Session, points: list[date], principal_id: int | None, interest_id: int | None
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Per loan, the principal lines (1-131, debit +) and the repayments (interest +
    principal, as loans.repaid_amounts counts them) dated after the first point,
    summed per point in SQL: one pass over those entries' lines, through the date
    index, a row per loan and point instead of one per line."""
    if principal_id is None:
        return {}, {}
    wanted = [a for a in (principal_id, interest_id) if a is not None]
    reversed_entry = aliased(JournalEntry)
    kinds = loan_service.REPAYMENT_KINDS
    whens = [(JournalEntry.date <= p, index) for index, p in enumerate(points) if index]
    # One point: every later line falls after it (SQLite has no CASE without a WHEN).
    slot = case(*whens, else_=len(points)) if whens else literal(len(points))
    counts_as_repaid = or_(
        JournalEntry.kind.in_(kinds),
        and_(JournalEntry.kind == "RV", reversed_entry.kind.in_(kinds)),
    )
    stmt = (
        select(
            JournalLine.loan_id,
            slot,
            func.sum(case((JournalLine.account_id == principal_id, JournalLine.amount), else_=0)),
            func.sum(case((counts_as_repaid, -JournalLine.amount), else_=0)),
        )
        .select_from(JournalEntry)
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .outerjoin(reversed_entry, reversed_entry.id == JournalEntry.reverses_id)
        # "+ 0": the planner stays on the date index instead of walking the accounts.
        .where(
            JournalEntry.date > points[0],
            JournalLine.loan_id.is_not(None),
            (JournalLine.account_id + 0).in_(wanted),
        )
        .group_by(JournalLine.loan_id, slot)
    )
    slots = len(points) + 1
    principal: dict[int, list[int]] = {}
    repaid: dict[int, list[int]] = {}
    for loan_id, at, moved, paid in session.connection().execute(stmt):
        if moved:
            principal.setdefault(loan_id, [0] * slots)[at] += int(moved)
        if paid:
            repaid.setdefault(loan_id, [0] * slots)[at] += int(paid)
    return principal, repaid


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _npl_ratios(session: Session, points: list[date], ids: dict[str, int]) -> list[Decimal]:
    """NPL at each point, as summarize(portfolio(session, on)) computes it."""
    connection = session.connection()
    start = points[0]
    loans = {
        loan_id: _Loan(disbursed_on, cutover, override or "")
        for loan_id, disbursed_on, cutover, override in connection.execute(
            select(Loan.id, Loan.disbursed_on, Loan.paid_before_cutover, Loan.class_override).where(
                Loan.status.in_((DISBURSED, PAID_OFF, WRITTEN_OFF))
            )
        )
    }
    if not loans:
        return [Decimal(0)] * len(points)
    principal_id = ids.get(PINJAMAN_ANGGOTA)
    later, repaid_later = _loan_lines_after(session, points, principal_id, ids.get(JASA_PINJAMAN))
    # Principal left on each loan at the first point: all its 1-131 lines, less the later ones.
    whole: dict[int, int] = {
        loan_id: int(total)
        for loan_id, total in connection.execute(
            select(JournalLine.loan_id, func.sum(JournalLine.amount))
            # "+ 0": along ix_journal_line_loan_account_amount, not the account index.
            .where((JournalLine.account_id + 0) == principal_id, JournalLine.loan_id.is_not(None))
            .group_by(JournalLine.loan_id)
        )
        if loan_id is not None
    }
    empty = [0] * (len(points) + 1)
    left_at: dict[int, list[int]] = {}
    for loan_id in loans:
        moved = later.get(loan_id)
        if moved is None:  # nothing posted since the first point: the same all along
            if whole.get(loan_id, 0) > 0:
                left_at[loan_id] = [whole[loan_id]] * len(points)
            continue
        owed = _at_points(whole.get(loan_id, 0) - sum(moved), moved)
        if max(owed) > 0:  # only loans that owe something at some point can count
            left_at[loan_id] = owed
    live = sorted(left_at)
    # What was repaid up to the first point, on the loans that had been disbursed by then
    # (no repayment is dated before its loan's disbursement).
    before = [
        loan_id
        for loan_id in live
        if (disbursed := loans[loan_id].disbursed_on) is None or disbursed <= start
    ]
    repaid_base: dict[int, int] = {}
    for chunk in _chunks(before):
        repaid_base.update(loan_service.repaid_amounts(session, chunk, start))
    schedules = read_schedules(session, live)

    classification = loan_service.loan_settings(session).classification
    outstanding = [0] * len(points)
    bad = [0] * len(points)
    for loan_id in live:
        loan = loans[loan_id]
        lefts = left_at[loan_id]
        repaid = _at_points(repaid_base.get(loan_id, 0), repaid_later.get(loan_id, empty))
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
