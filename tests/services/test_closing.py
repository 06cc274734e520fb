"""Tutup buku: the checklist, the closing entry, the lock, reopening (DOMAIN.md 5.1)."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, PeriodClosed
from app.ledger.balances import account_totals, balance
from app.ledger.periods import is_closed
from app.models import Account, AuditRecord, JournalLine
from app.services import cashbook, closing, loans
from app.services.closing import ClosingRefused
from tests.services.helpers import ASEP, USER, register
from tests.services.yearend import YEAR_END, a_year_of_business, count_cash_exactly

pytestmark = pytest.mark.usefixtures("fixed_today")


def _failed(book: Book, year: int = 2025) -> dict[str, str]:
    with read_session(book.sessions) as s:
        return {c.name: c.detail for c in closing.closing_checklist(s, year) if not c.ok}


def _income_and_expense(book: Book, on: date = YEAR_END) -> dict[str, int]:
    with read_session(book.sessions) as s:
        groups = dict(s.execute(select(Account.code, Account.grp)).all())
        return {
            code: total
            for code, total in account_totals(s, on).items()
            if groups[code] in ("pendapatan", "beban")
        }


def test_closing_zeroes_income_and_expense_and_moves_the_shu(book: Book) -> None:
    shu = a_year_of_business(book)
    count_cash_exactly(book, close=True)  # the cash day 31/12 is locked, closing still posts
    assert _failed(book) == {}
    before = _income_and_expense(book)
    assert -sum(before.values()) == shu == 1_000_000
    with unit_of_work(book.sessions) as s:
        result = closing.close_year(s, 2025, by=USER)
    assert result.shu == shu and result.entry is not None
    assert result.entry.number == "TB-2025-000001" and result.entry.date == YEAR_END
    assert all(total == 0 for total in _income_and_expense(book).values())
    with read_session(book.sessions) as s:
        assert balance(s, "3-502") == -shu
        assert closing.year_closed(s, 2025)
        assert is_closed(s, date(2025, 6, 1))


def test_a_closed_year_refuses_postings(book: Book) -> None:
    a_year_of_business(book)
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    with pytest.raises(PeriodClosed, match="tutup buku"), unit_of_work(book.sessions) as s:
        cashbook.cash_out(
            s, on=date(2025, 8, 1), account="5-304", amount=10_000, memo="ATK", by=USER
        )
    with pytest.raises(NotAllowed, match="sudah tutup buku"), unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)


def test_closing_is_refused_with_the_failed_checks(book: Book) -> None:
    a_year_of_business(book)  # no cash count in December
    with (
        pytest.raises(ClosingRefused, match="Kas dihitung") as refused,
        unit_of_work(book.sessions) as s,
    ):
        closing.close_year(s, 2025, by=USER)
    assert [c.name for c in refused.value.failed] == [closing.CHECK_CASH]
    with read_session(book.sessions) as s:
        assert not closing.year_closed(s, 2025)
        assert closing.closing_entry(s, 2025) is None


def test_closing_a_year_whose_previous_year_is_open_is_refused(book: Book) -> None:
    register(book, ASEP, on=date(2024, 6, 1))  # an entry in 2024
    a_year_of_business(book)
    count_cash_exactly(book)
    assert closing.CHECK_PREVIOUS in _failed(book)
    with (
        pytest.raises(ClosingRefused, match="2024 belum tutup buku"),
        unit_of_work(book.sessions) as s,
    ):
        closing.close_year(s, 2025, by=USER)
    count_cash_exactly(book, date(2024, 12, 31))
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2024, by=USER)
        closing.close_year(s, 2025, by=USER)


def test_closing_with_a_broken_hash_chain_is_refused(book: Book) -> None:
    a_year_of_business(book)
    count_cash_exactly(book)
    raw = sqlite3.connect(book.path)
    raw.execute("DROP TRIGGER journal_entry_no_update")
    raw.execute("UPDATE journal_entry SET memo = 'Gaji direksi' WHERE memo = 'Gaji'")
    raw.commit()
    raw.close()
    failed = _failed(book)
    assert closing.CHECK_CHAIN in failed and "KK-2025-000001" in failed[closing.CHECK_CHAIN]
    with pytest.raises(ClosingRefused, match="Rantai hash"), unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)


def test_reopening_needs_the_admin_role_and_is_audited(book: Book) -> None:
    shu = a_year_of_business(book)
    count_cash_exactly(book, close=True)
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    with pytest.raises(NotAllowed, match="admin"), unit_of_work(book.sessions) as s:
        closing.reopen_year(s, 2025, by=USER, reason="koreksi", role="bendahara")
    with unit_of_work(book.sessions) as s:
        reversal = closing.reopen_year(s, 2025, by="admin", reason="koreksi gaji", role="admin")
    assert reversal is not None and reversal.number == "RV-2025-000001"
    with read_session(book.sessions) as s:
        assert not closing.year_closed(s, 2025)
        assert balance(s, "3-502") == 0
        record = s.scalar(
            select(AuditRecord).where(AuditRecord.action == "tutup_buku.buka_kembali")
        )
        assert record is not None and record.username == "admin"
        assert "koreksi gaji" in record.note and USER in record.before
    assert -sum(_income_and_expense(book).values()) == shu
    with unit_of_work(book.sessions) as s:  # the year takes postings again, then closes again
        cashbook.cash_out(
            s, on=date(2025, 8, 1), account="5-304", amount=100_000, memo="ATK", by=USER
        )
    count_cash_exactly(book, date(2025, 12, 30))  # 31/12 stays a closed cash day
    with unit_of_work(book.sessions) as s:
        result = closing.close_year(s, 2025, by=USER)
    assert result.shu == shu - 100_000


def _loan(book: Book) -> int:
    member_id = register(book, ASEP, on=date(2025, 1, 6))
    application = loans.LoanApplication(
        member_id=member_id,
        principal=10_000_000,
        monthly_rate=Decimal("0.015"),
        months=12,
        method="flat",
    )
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 1, 10), account="2-201", amount=10_000_000, memo="Bank", by=USER
        )
        loan_id = loans.apply(s, application, on=date(2025, 2, 1), by=USER)
        loans.approve(s, loan_id, on=date(2025, 2, 1), by="ketua")
        loans.disburse(s, loan_id, on=date(2025, 2, 1), by=USER)
        loans.apply(s, application, on=date(2025, 12, 20), by=USER)  # still waiting
    return loan_id


def test_allowance_and_applications_must_be_dealt_with(book: Book) -> None:
    a_year_of_business(book)
    loan_id = _loan(book)
    count_cash_exactly(book)
    failed = _failed(book)
    assert set(failed) == {closing.CHECK_ALLOWANCE, closing.CHECK_APPLICATIONS}
    with read_session(book.sessions) as s:
        proposal = closing.propose_allowance_entry(s, 2025)
        outstanding = loans.outstanding_principal(s, loan_id, YEAR_END)
    # Nothing repaid since February: Macet on 31/12, allowance 100% (DOMAIN.md 3.3).
    assert proposal.booked == 0 and proposal.required == outstanding == 10_000_000
    assert proposal.entry is not None
    assert [(line.account, line.amount) for line in proposal.entry.lines] == [
        ("5-104", proposal.required),
        ("1-139", -proposal.required),
    ]
    with unit_of_work(book.sessions) as s:
        closing.book_allowance(s, 2025, by=USER)
        closing.acknowledge_applications(s, 2025, note="dibahas rapat pengurus Januari", by=USER)
    assert _failed(book) == {}
    with unit_of_work(book.sessions) as s:  # too much booked: the proposal goes the other way
        cashbook.journal(
            s,
            on=YEAR_END,
            memo="PPAP tambahan",
            lines=[
                cashbook.JournalInput("5-104", debit=1_000),
                cashbook.JournalInput("1-139", credit=1_000),
            ],
            by=USER,
        )
        reverse = closing.propose_allowance_entry(s, 2025)
        assert reverse.entry is not None and reverse.difference == -1_000
        assert reverse.entry.lines[0].amount == -1_000  # Cr 5-104
        closing.dismiss_allowance(s, 2025, reason="kelebihan kecil, dibiarkan", by=USER)
    assert _failed(book) == {}
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    with read_session(book.sessions) as s:
        assert balance(s, "5-104") == 0
        closing_lines = s.scalars(
            select(JournalLine.amount)
            .join(Account, Account.id == JournalLine.account_id)
            .where(Account.code == "5-104", JournalLine.amount < 0)
        ).all()
        assert proposal.required + 1_000 in [-a for a in closing_lines]


def test_closing_keeps_a_checkpoint_so_the_next_check_is_short(book: Book) -> None:
    """Issue 4 benchmark: the next tutup buku starts from the chain verified by this one."""
    from app.services import integrity

    a_year_of_business(book)
    count_cash_exactly(book)
    with read_session(book.sessions) as s:
        assert integrity.load_checkpoint(s) is None
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    with read_session(book.sessions) as s:
        assert integrity.load_checkpoint(s) is not None
        assert not integrity.startup_check(s).full
