"""Builders for the cash book, closing and SHU tests: a small year of business."""

from __future__ import annotations

from datetime import date

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import balance
from app.services import cash_count, cashbook
from tests.services.helpers import SITI, USER, register

YEAR_END = date(2025, 12, 31)
INCOME = 2_500_000  # bank interest
EXPENSES = 1_200_000 + 300_000  # salary + electricity


def a_year_of_business(book: Book) -> int:
    """One member (pokok in cash), income and expenses through the cash book; returns SHU."""
    register(book, SITI, on=date(2025, 1, 6))
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 6, 30), account="4-901", amount=INCOME, memo="Bunga bank", by=USER
        )
        cashbook.cash_out(
            s, on=date(2025, 7, 1), account="5-301", amount=1_200_000, memo="Gaji", by=USER
        )
        cashbook.cash_out(
            s, on=date(2025, 7, 2), account="5-305", amount=300_000, memo="Listrik", by=USER
        )
    return INCOME - EXPENSES


def count_cash_exactly(book: Book, on: date = YEAR_END, *, close: bool = False) -> None:
    """A kas opname that matches the book: the balance in Rp100 coins and larger notes."""
    with read_session(book.sessions) as s:
        amount = balance(s, "1-101", on=on)
    counts = {100_000: amount // 100_000, 100: (amount % 100_000) // 100}
    assert amount % 100 == 0
    with unit_of_work(book.sessions) as s:
        cash_count.record_count(s, on, counts, by=USER)
        if close:
            cash_count.close_day(s, on, by=USER)
