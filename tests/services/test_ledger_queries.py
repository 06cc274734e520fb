"""Neraca saldo, buku besar, journal list and cash book."""

from __future__ import annotations

from datetime import date

import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.queries import ledger as q
from app.services import cashbook, closing
from tests.services.helpers import ASEP, USER, register
from tests.services.yearend import YEAR_END, a_year_of_business, count_cash_exactly

pytestmark = pytest.mark.usefixtures("fixed_today")


def test_trial_balance_on_any_date_balances(book: Book) -> None:
    shu = a_year_of_business(book)
    with read_session(book.sessions) as s:
        mid_year = q.trial_balance(s, date(2025, 6, 30))
        year_end = q.trial_balance(s, YEAR_END)
    assert mid_year.balanced and year_end.balanced
    assert {r.code: (r.debit, r.credit) for r in mid_year.rows} == {
        "1-101": (2_550_000, 0),
        "3-101": (0, 50_000),
        "4-901": (0, 2_500_000),
    }
    assert year_end.total_debit == 2_550_000 - 1_500_000 + 1_500_000
    with read_session(book.sessions) as s:  # more entries before the date than after it
        july = q.trial_balance(s, date(2025, 7, 1))
    assert {r.code: r.balance for r in july.rows} == {
        "1-101": 1_350_000,
        "3-101": -50_000,
        "4-901": -2_500_000,
        "5-301": 1_200_000,
    }
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    with read_session(book.sessions) as s:
        after = q.trial_balance(s, YEAR_END)
        before = q.trial_balance(s, YEAR_END, before_closing=True)
    assert after.balanced and before.balanced
    assert {r.code for r in after.rows} == {"1-101", "3-101", "3-502"}
    assert {r.code: r.balance for r in after.rows}["3-502"] == -shu
    assert {r.code for r in before.rows} == {"1-101", "3-101", "4-901", "5-301", "5-305"}


def test_account_ledger_runs_its_balance_and_pages(book: Book) -> None:
    a_year_of_business(book)
    with read_session(book.sessions) as s:
        whole = q.cash_book(s, date(2025, 6, 1), YEAR_END)
        page = q.cash_book(s, date(2025, 6, 1), YEAR_END, limit=1, offset=1)
    assert whole.opening == 50_000 and whole.total_lines == 3
    assert [line.balance for line in whole.lines] == [2_550_000, 1_350_000, 1_050_000]
    assert whole.closing == 1_050_000
    assert (whole.total_debit, whole.total_credit) == (2_500_000, 1_500_000)
    assert [line.balance for line in page.lines] == [1_350_000]
    assert page.lines[0].number == "KK-2025-000001" and page.lines[0].credit == 1_200_000
    with read_session(book.sessions) as s:
        pokok = q.account_ledger(s, "3-101", date(2025, 1, 1), YEAR_END, member_id=1)
        nobody = q.account_ledger(s, "3-101", date(2025, 1, 1), YEAR_END, member_id=99)
    assert [line.credit for line in pokok.lines] == [50_000] and pokok.closing == -50_000
    assert nobody.lines == () and nobody.closing == 0


def test_journal_list_searches_and_pages(book: Book) -> None:
    a_year_of_business(book)
    member_id = register(book, ASEP, on=date(2025, 8, 1))
    with unit_of_work(book.sessions) as s:
        kk = cashbook.cash_out(
            s, on=date(2025, 9, 1), account="5-304", amount=20_000, memo="Kertas HVS", by=USER
        )
        cashbook.reverse_entry(s, kk.id, reason="dobel", on=date(2025, 9, 2), by=USER)
    with read_session(book.sessions) as s:
        everything = q.journal_list(s)
        assert everything.total == 7
        assert [r.number for r in everything.rows][:2] == ["RV-2025-000001", "KK-2025-000003"]
        assert everything.rows[1].reversed_by == "RV-2025-000001"
        assert everything.rows[0].reverses == "KK-2025-000003"
        assert [r.number for r in q.journal_list(s, memo="hvs").rows] == ["KK-2025-000003"]
        assert q.journal_list(s, number="KM-2025").total == 1
        by_member = q.journal_list(s, member_id=member_id)
        assert [r.member_name for r in by_member.rows] == ["Asep Saepudin"]
        between = q.journal_list(s, start=date(2025, 7, 1), end=date(2025, 7, 31))
        assert between.total == 2
        paged = q.journal_list(s, limit=2, offset=2)
        assert paged.total == 7 and len(paged.rows) == 2
        detail = q.entry_detail(s, kk.id)
        assert [(x.code, x.debit, x.credit) for x in detail.lines] == [
            ("5-304", 20_000, 0),
            ("1-101", 0, 20_000),
        ]
