"""Read side of the ledger: neraca saldo, buku besar, journal list, cash book.

Every figure is a SUM over journal lines; amounts are signed debit-positive
inside, and shown as debit/credit columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from app.errors import NotFound, ValidationError
from app.ledger.balances import sums_on
from app.ledger.chart import KAS
from app.models import Account, JournalEntry, JournalLine, Member

# -- neraca saldo ------------------------------------------------------------------


@dataclass(frozen=True)
class TrialRow:
    code: str
    name: str
    group: str
    normal: str
    debit: int
    credit: int

    @property
    def balance(self) -> int:
        """Signed, debit positive."""
        return self.debit - self.credit


@dataclass(frozen=True)
class TrialBalance:
    on: date
    before_closing: bool
    rows: tuple[TrialRow, ...]

    @property
    def total_debit(self) -> int:
        return sum(r.debit for r in self.rows)

    @property
    def total_credit(self) -> int:
        return sum(r.credit for r in self.rows)

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit


def _closing_ids(on: date) -> Any:
    """Closing entries dated ``on`` and the reversals of those (a year reopened)."""
    closing = select(JournalEntry.id).where(JournalEntry.kind == "TB", JournalEntry.date == on)
    reversals = select(JournalEntry.id).where(
        JournalEntry.date == on, JournalEntry.reverses_id.in_(closing)
    )
    return closing.union(reversals).subquery()


def trial_balance(session: Session, on: date, *, before_closing: bool = False) -> TrialBalance:
    """Every account with a balance on ``on``; ``before_closing`` leaves out the closing
    entries dated ``on`` (the RAT workbook's Neraca Saldo on 31/12 is before closing)."""
    sums = {key[0]: total for key, total in sums_on(session, on).items()}
    if before_closing:
        closing = session.execute(
            select(JournalLine.account_id, func.sum(JournalLine.amount))
            .where(JournalLine.entry_id.in_(select(_closing_ids(on).c.id)))
            .group_by(JournalLine.account_id)
        )
        for account_id, total in closing:
            sums[account_id] = sums.get(account_id, 0) - int(total)
    accounts = session.execute(
        select(Account.id, Account.code, Account.name, Account.grp, Account.normal).order_by(
            Account.code
        )
    )
    rows = tuple(
        TrialRow(code, name, grp, normal, max(sums[aid], 0), max(-sums[aid], 0))
        for aid, code, name, grp, normal in accounts
        if sums.get(aid)
    )
    return TrialBalance(on, before_closing, rows)


# -- buku besar --------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    entry_id: int
    number: str
    date: date
    kind: str
    memo: str
    line_memo: str
    member_id: int | None
    debit: int
    credit: int
    balance: int  # running, signed debit positive


@dataclass(frozen=True)
class AccountLedger:
    code: str
    name: str
    normal: str
    start: date
    end: date
    opening: int  # signed debit positive, before ``start``
    lines: tuple[LedgerLine, ...]
    total_lines: int  # in the period, for paging
    closing: int  # signed debit positive, at ``end``

    @property
    def total_debit(self) -> int:
        return sum(line.debit for line in self.lines)

    @property
    def total_credit(self) -> int:
        return sum(line.credit for line in self.lines)


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ValidationError("Tanggal awal harus sebelum atau sama dengan tanggal akhir.")


def account_ledger(
    session: Session,
    code: str,
    start: date,
    end: date,
    *,
    member_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> AccountLedger:
    """Buku besar of one account: opening balance, then each line with the running balance.

    With ``limit``/``offset`` one page of lines comes back; the running balance
    still counts every line before the page.
    """
    _check_period(start, end)
    account = session.scalar(select(Account).where(Account.code == code))
    if account is None:
        raise NotFound(f"Akun {code} tidak ada di bagan akun.")
    group = ("member",) if member_id is not None else ()
    opening_sums = sums_on(session, start - timedelta(days=1), group, account_ids={account.id})
    opening = opening_sums.get((member_id,) if member_id is not None else (), 0)
    # Lines through the entries of the period; "account_id + 0" keeps SQLite on that
    # path instead of walking every line of the account.
    in_period = select(JournalEntry.id).where(JournalEntry.date >= start, JournalEntry.date <= end)
    light = (
        select(JournalLine.id, JournalLine.amount)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.entry_id.in_(in_period), (JournalLine.account_id + 0) == account.id)
        .order_by(JournalEntry.date, JournalEntry.id, JournalLine.line_no)
    )
    if member_id is not None:
        light = light.where(JournalLine.member_id == member_id)
    all_lines = session.execute(light).all()
    stop = len(all_lines) if limit is None else min(len(all_lines), offset + limit)
    running = opening + sum(int(amount) for _, amount in all_lines[:offset])
    page = all_lines[offset:stop]
    details = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                JournalLine.id,
                JournalEntry.id,
                JournalEntry.number,
                JournalEntry.date,
                JournalEntry.kind,
                JournalEntry.memo,
                JournalLine.memo,
                JournalLine.member_id,
            )
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalLine.id.in_([line_id for line_id, _ in page]))
        )
    }
    lines = []
    for line_id, amount in page:
        eid, number, on, kind, memo, line_memo, mid = details[line_id]
        running += int(amount)
        lines.append(
            LedgerLine(
                eid,
                number,
                on,
                kind,
                memo,
                line_memo,
                mid,
                max(int(amount), 0),
                max(-int(amount), 0),
                running,
            )
        )
    return AccountLedger(
        account.code,
        account.name,
        account.normal,
        start,
        end,
        opening,
        tuple(lines),
        len(all_lines),
        opening + sum(int(amount) for _, amount in all_lines),
    )


def cash_book(
    session: Session, start: date, end: date, *, limit: int | None = None, offset: int = 0
) -> AccountLedger:
    """Buku kas: the 1-101 lines of a period with the running cash balance."""
    return account_ledger(session, KAS, start, end, limit=limit, offset=offset)


# -- journal list ------------------------------------------------------------------


@dataclass(frozen=True)
class JournalRow:
    id: int
    number: str
    date: date
    kind: str
    memo: str
    member_id: int | None
    member_number: str
    member_name: str
    amount: int  # total debit
    posted_by: str
    reverses: str  # number of the entry this one reverses
    reversed_by: str  # number of the entry that reverses this one


@dataclass(frozen=True)
class JournalPage:
    total: int
    rows: tuple[JournalRow, ...]


def journal_list(
    session: Session,
    *,
    number: str = "",
    start: date | None = None,
    end: date | None = None,
    memo: str = "",
    member_id: int | None = None,
    kind: str = "",
    limit: int = 100,
    offset: int = 0,
) -> JournalPage:
    """Entries, newest first, filtered by number, date range, memo text, member, kind."""
    conditions: list[ColumnElement[bool]] = []
    if number.strip():
        conditions.append(JournalEntry.number.ilike(f"%{number.strip()}%"))
    if start is not None:
        conditions.append(JournalEntry.date >= start)
    if end is not None:
        conditions.append(JournalEntry.date <= end)
    if memo.strip():
        conditions.append(JournalEntry.memo.ilike(f"%{memo.strip()}%"))
    if kind:
        conditions.append(JournalEntry.kind == kind)
    if member_id is not None:
        with_lines = select(JournalLine.entry_id).where(JournalLine.member_id == member_id)
        conditions.append(or_(JournalEntry.member_id == member_id, JournalEntry.id.in_(with_lines)))
    where = and_(true(), *conditions)
    total = int(session.scalar(select(func.count(JournalEntry.id)).where(where)) or 0)
    page_ids = (
        select(JournalEntry.id)
        .where(where)
        .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    original = aliased(JournalEntry)
    reversal = aliased(JournalEntry)
    debit = (
        select(func.coalesce(func.sum(JournalLine.amount), 0))
        .where(JournalLine.entry_id == JournalEntry.id, JournalLine.amount > 0)
        .correlate(JournalEntry)
        .scalar_subquery()
    )
    stmt = (
        select(
            JournalEntry.id,
            JournalEntry.number,
            JournalEntry.date,
            JournalEntry.kind,
            JournalEntry.memo,
            JournalEntry.member_id,
            Member.number,
            Member.name,
            debit,
            JournalEntry.posted_by,
            original.number,
            reversal.number,
        )
        .join(page_ids, page_ids.c.id == JournalEntry.id)
        .outerjoin(Member, Member.id == JournalEntry.member_id)
        .outerjoin(original, original.id == JournalEntry.reverses_id)
        .outerjoin(reversal, reversal.reverses_id == JournalEntry.id)
        .order_by(JournalEntry.date.desc(), JournalEntry.id.desc())
    )
    rows = tuple(
        JournalRow(
            eid,
            num,
            on,
            k,
            text,
            mid,
            mnum or "",
            mname or "",
            int(amount),
            by,
            orig or "",
            rev or "",
        )
        for eid, num, on, k, text, mid, mnum, mname, amount, by, orig, rev in session.execute(stmt)
    )
    return JournalPage(total, rows)


@dataclass(frozen=True)
class EntryLine:
    line_no: int
    code: str
    account_name: str
    debit: int
    credit: int
    member_id: int | None
    member_number: str
    member_name: str
    loan_id: int | None
    unit: str
    memo: str


@dataclass(frozen=True)
class EntryDetail:
    row: JournalRow
    posted_at: str
    lines: tuple[EntryLine, ...]


def entry_detail(session: Session, entry_id: int) -> EntryDetail:
    """One entry with its lines (the voucher, bukti kas or bukti jurnal)."""
    entry = session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound("Jurnal tidak ditemukan.")
    page = journal_list(session, number=entry.number, limit=5)
    row = next(r for r in page.rows if r.id == entry_id)
    stmt = (
        select(
            JournalLine.line_no,
            Account.code,
            Account.name,
            JournalLine.amount,
            JournalLine.member_id,
            Member.number,
            Member.name,
            JournalLine.loan_id,
            JournalLine.unit,
            JournalLine.memo,
        )
        .join(Account, Account.id == JournalLine.account_id)
        .outerjoin(Member, Member.id == JournalLine.member_id)
        .where(JournalLine.entry_id == entry_id)
        .order_by(JournalLine.line_no)
    )
    lines = tuple(
        EntryLine(
            no,
            code,
            name,
            max(int(amount), 0),
            max(-int(amount), 0),
            mid,
            mnum or "",
            mname or "",
            loan,
            unit,
            memo,
        )
        for no, code, name, amount, mid, mnum, mname, loan, unit, memo in session.execute(stmt)
    )
    return EntryDetail(row, entry.posted_at.isoformat(sep=" "), lines)
