"""Balances are SUMs over journal lines; nothing else holds money."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
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
