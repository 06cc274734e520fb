"""Balances are SUMs over journal lines; nothing else holds money."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import READ_MEMO
from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.ledger.year_totals import flows, nets
from app.models import Account, JournalEntry, JournalLine

SAVINGS_CODES = (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)


S = TypeVar("S", bound=Any)


def _dated(stmt: S, on: date | None) -> S:
    if on is None:
        return stmt
    dated: S = stmt.join(JournalEntry, JournalEntry.id == JournalLine.entry_id).where(
        JournalEntry.date <= on
    )
    return dated


def account_totals(session: Session, on: date | None = None) -> dict[str, int]:
    """Signed total (debit positive) of every account with lines, up to and including ``on``."""
    stmt = (
        select(Account.code, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .group_by(Account.code)
    )
    return {code: int(total) for code, total in session.execute(_dated(stmt, on))}


def balance(
    session: Session, code: str, *, member_id: int | None = None, on: date | None = None
) -> int:
    """Signed balance (debit positive) of one account, optionally for one member."""
    stmt = (
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.code == code)
    )
    if member_id is not None:
        stmt = stmt.where(JournalLine.member_id == member_id)
    return int(session.scalar(_dated(stmt, on)) or 0)


def member_savings(session: Session, member_id: int, on: date | None = None) -> dict[str, int]:
    """Pokok, wajib and sukarela of one member as positive amounts (credit balances)."""
    stmt = (
        select(Account.code, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.member_id == member_id, Account.code.in_(SAVINGS_CODES))
        .group_by(Account.code)
    )
    totals: dict[str, int] = {code: int(t) for code, t in session.execute(_dated(stmt, on))}
    return {code: -int(totals.get(code, 0)) for code in SAVINGS_CODES}


def savings_by_member(session: Session, on: date | None = None) -> dict[int, dict[str, int]]:
    """Every member's pokok, wajib and sukarela (positive), in one grouped query."""
    stmt = (
        select(JournalLine.member_id, Account.code, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.code.in_(SAVINGS_CODES), JournalLine.member_id.is_not(None))
        .group_by(JournalLine.member_id, Account.code)
    )
    result: dict[int, dict[str, int]] = {}
    for member_id, code, total in session.execute(_dated(stmt, on)):
        assert member_id is not None
        result.setdefault(member_id, dict.fromkeys(SAVINGS_CODES, 0))[code] = -int(total)
    return result


# -- dated sums that stay fast on a big book -------------------------------------
#
# Through app.ledger.year_totals: whole years come from the per-year totals, the
# days around them from the lines of those days.


def _regroup(
    raw: dict[tuple[Any, ...], int],
    others: Sequence[str],
    group: Sequence[str],
    account_ids: Collection[int] | None,
) -> dict[tuple[Any, ...], int]:
    result: dict[tuple[Any, ...], int] = {}
    for (account, *values), total in raw.items():
        if account_ids is not None and account not in account_ids:
            continue
        named = dict(zip(others, values, strict=True))
        key = tuple(account if name == "account" else named[name] for name in group)
        result[key] = result.get(key, 0) + total
    return result


# A read transaction sees one snapshot of the book, so what a dated sum read can be
# kept for its length: the RAT book asks for the same sums in its statements, its
# trial balance and its recaps. ``app.db.read_session`` opens the memo (per date and
# grouping, the sums of a set of accounts or of all); a question about accounts
# already read is answered from the memo, another one reads just its accounts. A
# writing session has no memo and always reads afresh.

_Raw = dict[tuple[Any, ...], int]


def _raw_on(
    session: Session, on: date, others: Sequence[str], account_ids: Collection[int] | None
) -> _Raw:
    """Sums keyed by (account, *others) of the lines dated up to ``on``."""
    return nets(flows(session, None, on, ["account", *others], account_ids=account_ids))


def sums_on(
    session: Session,
    on: date,
    group: Sequence[str] = ("account",),
    *,
    account_ids: Collection[int] | None = None,
) -> dict[tuple[Any, ...], int]:
    """Signed sums (debit positive) of the lines dated up to ``on``, per ``group`` key.

    ``group`` names columns of the line: "account" (id), "member", "unit".
    """
    others = [name for name in group if name != "account"]
    memo: dict[tuple[Any, ...], list[tuple[frozenset[int] | None, _Raw]]] | None = session.info.get(
        READ_MEMO
    )
    if memo is None:
        raw = _raw_on(session, on, others, account_ids)
    else:
        wanted = None if account_ids is None else frozenset(account_ids)
        kept = memo.setdefault((on, *others), [])
        found = next(
            (r for ids, r in kept if ids is None or (wanted is not None and wanted <= ids)),
            None,
        )
        if found is None:
            found = _raw_on(session, on, others, wanted)
            kept.append((wanted, found))
        raw = found
    return {k: v for k, v in _regroup(raw, others, group, account_ids).items() if v}


def sums_between(
    session: Session,
    start: date,
    end: date,
    group: Sequence[str] = ("account",),
    *,
    account_ids: Collection[int] | None = None,
) -> dict[tuple[Any, ...], int]:
    """Signed sums of the lines dated ``start`` .. ``end`` (inclusive), per ``group`` key."""
    return nets(flows(session, start, end, group, account_ids=account_ids))
