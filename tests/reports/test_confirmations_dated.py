"""Slips and the arrears list as of a past date: only the lines dated up to it count.

``build_confirmations`` and ``build_arrears`` read the savings through the
date-index path of ``sums_on``; whichever side of the date is smaller, the
balances must be those of the plain dated join (``savings_by_member``).
"""

from __future__ import annotations

from datetime import date

import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import savings_by_member
from app.ledger.chart import SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.reports.build_confirmations import build_arrears, build_confirmations
from app.services import savings
from tests.reports.test_confirmations import Small, small_book
from tests.services.helpers import USER

TODAY = date(2026, 3, 31)
# Before most entries, after most of them, and after the last one.
DATES = (date(2025, 1, 6), date(2025, 1, 31), date(2025, 7, 31), date(2025, 12, 31), TODAY)


@pytest.fixture
def dated_book(book: Book, monkeypatch: pytest.MonkeyPatch) -> tuple[Book, Small]:
    monkeypatch.setattr("app.dates.today", lambda: TODAY)
    small = small_book(book)
    with unit_of_work(book.sessions) as s:
        savings.deposit(s, small.asep, {"wajib": 120_000}, on=date(2026, 1, 5), by=USER)
        savings.deposit(s, small.dedi, {"sukarela": 75_000}, on=date(2026, 2, 2), by=USER)
    return book, small


@pytest.mark.parametrize("on", DATES)
def test_slips_use_savings_dated_on(dated_book: tuple[Book, Small], on: date) -> None:
    book, _ = dated_book
    with read_session(book.sessions) as s:
        expected = savings_by_member(s, on)
        slips = build_confirmations(s, on)
    assert slips
    for slip in slips:
        own = expected.get(slip.member_id, {})
        assert (slip.pokok, slip.wajib, slip.sukarela) == (
            own.get(SIMPANAN_POKOK, 0),
            own.get(SIMPANAN_WAJIB, 0),
            own.get(SIMPANAN_SUKARELA, 0),
        )


def test_slips_leave_out_later_deposits(dated_book: tuple[Book, Small]) -> None:
    book, small = dated_book
    with read_session(book.sessions) as s:
        on_year_end = {c.member_id: c for c in build_confirmations(s, date(2025, 12, 31))}
        on_today = {c.member_id: c for c in build_confirmations(s, TODAY)}
    assert (on_year_end[small.asep].wajib, on_today[small.asep].wajib) == (180_000, 300_000)
    assert (on_year_end[small.dedi].sukarela, on_today[small.dedi].sukarela) == (0, 75_000)


def test_arrears_dated(dated_book: tuple[Book, Small]) -> None:
    book, small = dated_book
    with read_session(book.sessions) as s:
        year_end = {r.member_id: r for r in build_arrears(s, date(2025, 12, 31)).rows}
        today = {r.member_id: r for r in build_arrears(s, TODAY).rows}
    # By 31/12/2025 Asep had paid January to September: October to December owed.
    assert year_end[small.asep].wajib_months == ((2025, 10), (2025, 11), (2025, 12))
    assert year_end[small.asep].wajib == 60_000
    assert small.dedi not in year_end
    # His January 2026 deposit covers those and January to March 2026; the
    # others now owe January to March 2026.
    assert small.asep not in today
    assert today[small.dedi].wajib_months == ((2026, 1), (2026, 2), (2026, 3))
    assert today[small.dedi].wajib == 60_000
