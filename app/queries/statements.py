"""Read side for the year's statements and recaps (the RAT book, the Dinas workbook).

Plain grouped SUMs over journal lines, keyed by account code; amounts are
signed debit positive. "Without closing" leaves out the tutup buku entries
(kind TB) and the reversals of those (a year reopened), so that income and
expense of a year can be read before or after it is closed alike.

A reversal (kind RV) counts as the kind of the entry it reverses: a reversed
deposit is a deposit taken back, not a movement of its own.

Sums come from ``app.ledger.year_totals``: whole years from the per-year
totals, other days from their lines. The cash flow of whole years comes from
``ledger_year_cash``; of other spans, from the lines of the period, found
through the entries of the period (the date index, then the entry index).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from app.ledger.balances import SAVINGS_CODES, sums_on
from app.ledger.chart import PINJAMAN_ANGGOTA
from app.ledger.year_totals import flows
from app.models import Account, JournalEntry, JournalLine, LedgerYearCash, Loan, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF

CLOSING_KIND = "TB"

# Cash and cash equivalents of the cash flow statement (DOMAIN.md 6.4).
CASH_CODES: tuple[str, ...] = ("1-101", "1-102", "1-111")


@dataclass(frozen=True)
class AccountInfo:
    id: int
    code: str
    name: str
    group: str  # aset, liabilitas, ekuitas, pendapatan, beban
    normal: str
    is_contra: bool


def chart(session: Session) -> dict[str, AccountInfo]:
    """Every account by code, in code order."""
    rows = session.execute(
        select(
            Account.id, Account.code, Account.name, Account.grp, Account.normal, Account.is_contra
        ).order_by(Account.code)
    )
    return {
        code: AccountInfo(aid, code, name, grp, normal, bool(contra))
        for aid, code, name, grp, normal, contra in rows
    }


def _codes(session: Session) -> dict[int, str]:
    return {info.id: code for code, info in chart(session).items()}


def balances_on(session: Session, on: date) -> dict[str, int]:
    """Signed balance of every account on ``on`` (all entries dated up to it, closing included)."""
    codes = _codes(session)
    return {codes[key[0]]: total for key, total in sums_on(session, on).items() if total}


def _in_period(start: date, end: date) -> Any:
    """Ids of the entries dated ``start`` .. ``end``."""
    return select(JournalEntry.id).where(JournalEntry.date >= start, JournalEntry.date <= end)


def _by_account_and_kind(
    session: Session, start: date, end: date, account_ids: Collection[int] | None = None
) -> dict[tuple[int, str], int]:
    """Signed sums per (account id, kind of entry) in the period; a reversal of a
    tutup buku entry has kind TB like the entry it reverses."""
    found = flows(session, start, end, ("account", "kind"), account_ids=account_ids)
    return {(int(aid), str(kind)): flow.net for (aid, kind), flow in found.items()}


def period_totals(
    session: Session, start: date, end: date, *, without_closing: bool = True
) -> dict[str, int]:
    """Signed sum per account of the lines dated ``start`` .. ``end``."""
    codes = _codes(session)
    result: dict[str, int] = {}
    for (aid, kind), total in _by_account_and_kind(session, start, end).items():
        if without_closing and kind == CLOSING_KIND:
            continue
        result[codes[aid]] = result.get(codes[aid], 0) + total
    return {code: total for code, total in result.items() if total}


def closing_totals(session: Session, start: date, end: date) -> dict[str, int]:
    """Signed sum per account of the tutup buku entries (and their reversals) in the period."""
    codes = _codes(session)
    result: dict[str, int] = {}
    for (aid, kind), total in _by_account_and_kind(session, start, end).items():
        if kind == CLOSING_KIND:
            result[codes[aid]] = result.get(codes[aid], 0) + total
    return {code: total for code, total in result.items() if total}


def movements_by_kind(
    session: Session,
    start: date,
    end: date,
    codes: Collection[str],
    *,
    without_closing: bool = True,
) -> dict[tuple[str, str], int]:
    """Signed sums of the lines on ``codes`` in the period per (code, kind of entry)."""
    ids = {info.id: code for code, info in chart(session).items() if code in codes}
    if not ids:
        return {}
    result: dict[tuple[str, str], int] = {}
    for (aid, kind), total in _by_account_and_kind(session, start, end, set(ids)).items():
        if total and not (without_closing and kind == CLOSING_KIND):
            result[(ids[aid], kind)] = result.get((ids[aid], kind), 0) + total
    return result


OPENING_KIND = "SA"


@dataclass(frozen=True)
class CashCounterpart:
    code: str  # the account on the other side of the cash
    debit: bool  # that account was debited (cash went out)
    opening: bool  # in a saldo awal entry (kind SA) or its reversal: cut-over, not a flow


def cash_counterparts(
    session: Session, start: date, end: date, cash_codes: Collection[str] = CASH_CODES
) -> dict[CashCounterpart, int]:
    """For every entry in the period that moves cash: its other lines, summed per
    counter account and side. The cash the entry moved is minus the sum of those
    lines, so each counter account says where the cash came from or went to
    (direct method); over all of them the flows add up to the change in cash."""
    accounts = chart(session)
    cash_ids = [accounts[c].id for c in cash_codes if c in accounts]
    if not cash_ids:
        return {}
    codes = {info.id: code for code, info in accounts.items()}
    whole_years = (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)
    if whole_years and set(cash_codes) == set(CASH_CODES):
        # Kept per year by the trigger journal_line_year_cash (migration 0006).
        kept = (
            select(
                LedgerYearCash.account_id,
                LedgerYearCash.debit,
                LedgerYearCash.opening,
                func.sum(LedgerYearCash.amount),
            )
            .where(LedgerYearCash.year >= start.year, LedgerYearCash.year <= end.year)
            .group_by(LedgerYearCash.account_id, LedgerYearCash.debit, LedgerYearCash.opening)
        )
        return {
            CashCounterpart(codes[aid], bool(is_debit), bool(is_opening)): int(total)
            for aid, is_debit, is_opening, total in session.execute(kept)
            if total
        }
    cash_line = aliased(JournalLine)
    moves_cash = (
        select(cash_line.id)
        .where(cash_line.entry_id == JournalLine.entry_id, cash_line.account_id.in_(cash_ids))
        .exists()
    )
    debit = case((JournalLine.amount > 0, 1), else_=0)
    # A reversed saldo awal is a correction of the cut-over, not a flow either.
    original = aliased(JournalEntry)
    kind = func.coalesce(original.kind, JournalEntry.kind)
    opening = case((kind == OPENING_KIND, 1), else_=0)
    # Lines through the entries of the period (the date index), then per entry.
    stmt = (
        select(JournalLine.account_id, debit, opening, func.sum(JournalLine.amount))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .outerjoin(original, original.id == JournalEntry.reverses_id)
        .where(
            JournalLine.entry_id.in_(_in_period(start, end)),
            JournalLine.account_id.not_in(cash_ids),
            moves_cash,
        )
        .group_by(JournalLine.account_id, debit, opening)
    )
    return {
        CashCounterpart(codes[aid], bool(is_debit), bool(is_opening)): int(total)
        for aid, is_debit, is_opening, total in session.execute(stmt)
        if total
    }


@dataclass(frozen=True)
class SavingsFlow:
    """One member's lines on one savings account in a period, as positive amounts."""

    deposits: int  # credits
    withdrawals: int  # debits


def savings_flows(session: Session, start: date, end: date) -> dict[tuple[int, str], SavingsFlow]:
    """Per (member id, savings code): credits and debits dated ``start`` .. ``end``."""
    accounts = chart(session)
    ids = {accounts[c].id: c for c in SAVINGS_CODES if c in accounts}
    found = flows(session, start, end, ("member", "account"), account_ids=set(ids))
    return {
        (int(mid), ids[aid]): SavingsFlow(-flow.credit, flow.debit)
        for (mid, aid), flow in found.items()
        if mid is not None
    }


def savings_on(session: Session, on: date) -> dict[tuple[int, str], int]:
    """Per (member id, savings code): the balance on ``on`` as a positive (credit) amount."""
    accounts = chart(session)
    ids = {accounts[c].id: c for c in SAVINGS_CODES if c in accounts}
    sums = sums_on(session, on, ("account", "member"), account_ids=set(ids))
    return {
        (int(key[1]), ids[key[0]]): -total
        for key, total in sums.items()
        if key[1] is not None and total
    }


@dataclass(frozen=True)
class LoanFlow:
    """One loan's 1-131 and 4-101 lines in a period, as positive amounts."""

    lent: int  # debits of 1-131 (disbursement, or the opening row of a migrated loan)
    repaid: int  # credits of 1-131 other than write-offs
    written_off: int  # credits of 1-131 in write-off entries (kind HB)
    interest: int  # credits of 4-101 (jasa pinjaman paid)


WRITE_OFF_KIND = "HB"


def loan_flows(session: Session, start: date, end: date) -> dict[int, LoanFlow]:
    """Per loan id: what was lent, repaid, written off and paid as interest in the period."""
    accounts = chart(session)
    principal_id = accounts[PINJAMAN_ANGGOTA].id
    interest_id = accounts["4-101"].id if "4-101" in accounts else -1
    found = flows(
        session, start, end, ("loan", "account", "kind"), account_ids={principal_id, interest_id}
    )
    totals: dict[int, list[int]] = {}
    for (loan_id, aid, kind), flow in found.items():
        if loan_id is None:
            continue
        lent, repaid, written_off, interest = totals.setdefault(int(loan_id), [0, 0, 0, 0])
        if aid == principal_id:
            lent += flow.debit
            if kind == WRITE_OFF_KIND:
                written_off -= flow.credit
            else:
                repaid -= flow.credit
        else:
            interest -= flow.net
        totals[int(loan_id)] = [lent, repaid, written_off, interest]
    return {loan_id: LoanFlow(*figures) for loan_id, figures in totals.items()}


@dataclass(frozen=True)
class MemberInfo:
    id: int
    number: str
    nik: str
    name: str
    sex: str
    birth_place: str
    birth_date: date | None
    address: str
    rt: str
    rw: str
    dusun: str
    occupation: str
    phone: str
    joined_on: date
    status: str  # today's status
    status_date: date | None
    role: str
    position: str

    def left_on(self) -> date | None:
        """The day the membership ended, None while it lasts."""
        if self.status == "aktif":
            return None
        return self.status_date or self.joined_on

    def member_on(self, on: date) -> bool:
        """A member at the end of ``on``: joined by then and not yet left."""
        left = self.left_on()
        return self.joined_on <= on and (left is None or left > on)

    def member_during(self, start: date, end: date) -> bool:
        left = self.left_on()
        return self.joined_on <= end and (left is None or left >= start)

    def status_on(self, on: date) -> str:
        left = self.left_on()
        return self.status if left is not None and left <= on else "aktif"


def all_members(session: Session) -> list[MemberInfo]:
    """Every member past and present, by number."""
    rows = session.execute(
        select(
            Member.id,
            Member.number,
            Member.nik,
            Member.name,
            Member.sex,
            Member.birth_place,
            Member.birth_date,
            Member.address,
            Member.rt,
            Member.rw,
            Member.dusun,
            Member.occupation,
            Member.phone,
            Member.joined_on,
            Member.status,
            Member.status_date,
            Member.role,
            Member.position,
        ).order_by(Member.number)
    )
    names = [f.name for f in fields(MemberInfo)]
    return [MemberInfo(**dict(zip(names, row, strict=True))) for row in rows]


def loans_disbursed(session: Session, start: date, end: date) -> tuple[int, int]:
    """Number and total principal of the loans disbursed ``start`` .. ``end``."""
    count, total = session.execute(
        select(func.count(Loan.id), func.coalesce(func.sum(Loan.principal), 0)).where(
            Loan.status.in_((DISBURSED, PAID_OFF, WRITTEN_OFF)),
            Loan.disbursed_on >= start,
            Loan.disbursed_on <= end,
        )
    ).one()
    return int(count or 0), int(total or 0)
