"""Sums of journal lines over any span of dates, fast on a book of many years.

Whole calendar years are read from ``ledger_year_total`` (the lines of a year
summed per account, member, loan, unit and kind; kept by a trigger as lines are
inserted, proven by ``lumbung check``). The days before the first whole year
and after the last are read from the lines themselves, through the entries of
those days (the date index). So a balance on 31/12 reads no line at all, and a
balance on 15 March reads the lines of ten weeks.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from app.db import READ_MEMO, plain_rows
from app.models import JournalEntry, JournalLine, LedgerYearTotal

# What a sum can be keyed by. "kind" is the entry's kind, or for a reversal the
# kind of the entry it reverses (a reversed deposit is a deposit taken back).
KEYS = ("account", "member", "loan", "unit", "kind")


class Flow(NamedTuple):
    """Debits (>= 0) and credits (<= 0) of a group of lines."""

    debit: int
    credit: int

    @property
    def net(self) -> int:
        return self.debit + self.credit


Flows = dict[tuple[Any, ...], Flow]


def _whole_years(start: date | None, end: date | None) -> tuple[int | None, int | None] | None:
    """First and last whole calendar year inside ``start`` .. ``end`` (None: unbounded),
    or None when the span holds no whole year."""
    first = None if start is None else start.year + (0 if (start.month, start.day) == (1, 1) else 1)
    last = None if end is None else end.year - (0 if (end.month, end.day) == (12, 31) else 1)
    if first is not None and last is not None and first > last:
        return None
    return first, last


def _edges(start: date | None, end: date | None) -> list[tuple[date | None, date | None]]:
    """The spans of ``start`` .. ``end`` outside its whole years, to be read line by line."""
    years = _whole_years(start, end)
    if years is None:
        return [(start, end)]
    first, last = years
    edges: list[tuple[date | None, date | None]] = []
    if start is not None and first is not None and start < date(first, 1, 1):
        edges.append((start, date(first - 1, 12, 31)))
    if end is not None and last is not None and end > date(last, 12, 31):
        edges.append((date(last + 1, 1, 1), end))
    return edges


def _from_year_totals(
    session: Session,
    years: tuple[int | None, int | None],
    group: Sequence[str],
    account_ids: Collection[int] | None,
) -> Flows:
    # Member and loan are 0 in the table for a line without one; None outside it.
    columns = {
        "account": LedgerYearTotal.account_id,
        "member": func.nullif(LedgerYearTotal.member_id, literal_column("0")),
        "loan": func.nullif(LedgerYearTotal.loan_id, literal_column("0")),
        "unit": LedgerYearTotal.unit,
        "kind": LedgerYearTotal.kind,
    }
    keys = [columns[name] for name in group]
    stmt = select(*keys, func.sum(LedgerYearTotal.debit), func.sum(LedgerYearTotal.credit))
    first, last = years
    if first is not None:
        stmt = stmt.where(LedgerYearTotal.year >= first)
    if last is not None:
        stmt = stmt.where(LedgerYearTotal.year <= last)
    if account_ids is not None:
        stmt = stmt.where(LedgerYearTotal.account_id.in_(list(account_ids)))
    if keys:
        stmt = stmt.group_by(*keys)
    return _read(session, stmt)


def _read(session: Session, stmt: Any) -> Flows:
    """Rows of (*key, debit, credit) as Flows; plain rows, tens of thousands a call."""
    return {
        tuple(key): Flow(debit, credit)
        for *key, debit, credit in plain_rows(session, stmt)
        if debit is not None  # no rows at all: SUM of nothing
    }


def _from_lines(
    session: Session,
    start: date | None,
    end: date | None,
    group: Sequence[str],
    account_ids: Collection[int] | None,
) -> Flows:
    original = aliased(JournalEntry)
    kind = case(
        (JournalEntry.reverses_id.is_not(None), func.coalesce(original.kind, JournalEntry.kind)),
        else_=JournalEntry.kind,
    )
    columns = {
        "account": JournalLine.account_id,
        "member": JournalLine.member_id,
        "loan": JournalLine.loan_id,
        "unit": JournalLine.unit,
        "kind": kind,
    }
    keys = [columns[name] for name in group]
    entries = select(JournalEntry.id)
    if start is not None:
        entries = entries.where(JournalEntry.date >= start)
    if end is not None:
        entries = entries.where(JournalEntry.date <= end)
    debit = func.sum(case((JournalLine.amount > 0, JournalLine.amount), else_=0))
    credit = func.sum(case((JournalLine.amount < 0, JournalLine.amount), else_=0))
    stmt = select(*keys, debit, credit).where(JournalLine.entry_id.in_(entries))
    if "kind" in group:
        stmt = stmt.join(JournalEntry, JournalEntry.id == JournalLine.entry_id).outerjoin(
            original, original.id == JournalEntry.reverses_id
        )
    if account_ids is not None:
        # "+ 0": through the entries of the span, not every line the account ever had.
        stmt = stmt.where((JournalLine.account_id + 0).in_(list(account_ids)))
    if keys:
        stmt = stmt.group_by(*keys)
    return _read(session, stmt)


def flows(
    session: Session,
    start: date | None,
    end: date | None,
    group: Sequence[str] = ("account",),
    *,
    account_ids: Collection[int] | None = None,
) -> Flows:
    """Debits and credits of the lines dated ``start`` .. ``end`` (inclusive; None is
    unbounded), per ``group`` key: names from KEYS, ids for account/member/loan
    (None for a line without a member or loan). Groups whose lines net to zero
    are kept: a year's deposits and withdrawals can cancel out.
    """
    unknown = set(group) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)}")
    if end is not None:
        # Nothing dated after ``end`` (a balance "today"): up to ``end`` is everything,
        # and its year is read from the totals instead of its lines.
        last = session.scalar(select(func.max(JournalEntry.date)))
        if last is None or last <= end:
            end = None
    parts: list[Flows] = []
    years = _whole_years(start, end)
    if years is not None:
        parts.append(_years(session, years, group, account_ids))
    for edge_start, edge_end in _edges(start, end):
        parts.append(_from_lines(session, edge_start, edge_end, group, account_ids))
    return _added(parts)


def _added(parts: list[Flows]) -> Flows:
    if len(parts) == 1:
        return parts[0]
    result: Flows = {}
    for part in parts:
        for key, flow in part.items():
            kept = result.get(key)
            result[key] = (
                flow if kept is None else Flow(kept.debit + flow.debit, kept.credit + flow.credit)
            )
    return result


_YEARS_MEMO = "lumbung.year_totals_memo"


def _years(
    session: Session,
    years: tuple[int | None, int | None],
    group: Sequence[str],
    account_ids: Collection[int] | None,
) -> Flows:
    """The whole years' part of ``flows``. In a read session, everything up to a year is
    read as everything up to the year before plus that year, and both are kept: the
    RAT book asks for 31/12 of its year and of the year before, for the same
    accounts, and the second then costs nothing."""
    first, last = years
    if READ_MEMO not in session.info or first is not None or last is None:
        return _from_year_totals(session, years, group, account_ids)
    memo: dict[tuple[Any, ...], Flows] = session.info.setdefault(_YEARS_MEMO, {})
    wanted = (tuple(group), None if account_ids is None else frozenset(account_ids))
    found = memo.get((last, *wanted))
    if found is None:
        before = memo.get((last - 1, *wanted))
        if before is None:
            before = memo[(last - 1, *wanted)] = _from_year_totals(
                session, (None, last - 1), group, account_ids
            )
        year = _from_year_totals(session, (last, last), group, account_ids)
        found = memo[(last, *wanted)] = _added([before, year])
    return dict(found)  # the caller's own: the kept one must not change


def nets(flows_by_key: Flows) -> dict[tuple[Any, ...], int]:
    """The signed sum (debit positive) of each group, leaving out those that net to zero."""
    return {key: flow.net for key, flow in flows_by_key.items() if flow.net}
