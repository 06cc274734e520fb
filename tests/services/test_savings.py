"""Savings: deposits, withdrawals that never overdraw, wajib arrears and collection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import dates
from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import InsufficientBalance, NotAllowed, ValidationError
from app.ledger.balances import member_savings
from app.models import JournalEntry
from app.queries.savings import wajib_due
from app.services import savings, settings
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")


def _entries(book: Book) -> int:
    with read_session(book.sessions) as s:
        return s.scalar(select(func.count(JournalEntry.id))) or 0


def test_one_visit_is_one_entry_with_every_part(book: Book) -> None:
    member_id = register(book)
    with unit_of_work(book.sessions) as s:
        posted = savings.deposit(
            s, member_id, {"wajib": 40_000, "sukarela": 60_000}, on=date(2025, 2, 3), by=USER
        )
    with read_session(book.sessions) as s:
        assert member_savings(s, member_id) == {"3-101": 50_000, "3-102": 40_000, "2-101": 60_000}
    assert posted.number == "ST-2025-000002"


@pytest.mark.parametrize(
    ("parts", "error", "message"),
    [
        ({"sukarela": 0}, ValidationError, "Isi jumlah"),
        ({"sukarela": -5}, ValidationError, "lebih dari Rp0"),
        ({"sukarela": 100_000_000_001}, ValidationError, "melebihi batas"),
        ({"pokok": 50_000}, NotAllowed, "sudah dibayar"),
        ({"bunga": 5}, ValidationError, "tidak dikenal"),
    ],
)
def test_bad_deposits_write_nothing(
    book: Book, parts: dict[str, int], error: type[Exception], message: str
) -> None:
    member_id = register(book)
    before = _entries(book)
    with pytest.raises(error, match=message), unit_of_work(book.sessions) as s:
        savings.deposit(s, member_id, parts, on=date(2025, 2, 3), by=USER)
    assert _entries(book) == before


def test_deposit_before_joining_is_refused(book: Book) -> None:
    member_id = register(book, on=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="sebelum"), unit_of_work(book.sessions) as s:
        savings.deposit(s, member_id, {"wajib": 20_000}, on=date(2025, 2, 1), by=USER)


def test_withdrawal_never_overdraws(book: Book) -> None:
    member_id = register(book)
    with unit_of_work(book.sessions) as s:
        savings.deposit(s, member_id, {"sukarela": 150_000}, on=date(2025, 2, 1), by=USER)
    with pytest.raises(InsufficientBalance) as refused, unit_of_work(book.sessions) as s:
        savings.withdraw(s, member_id, 200_000, on=date(2025, 3, 1), by=USER)
    assert str(refused.value) == (
        "Saldo simpanan sukarela Siti Aminah hanya Rp150.000; penarikan Rp200.000 ditolak."
    )
    with unit_of_work(book.sessions) as s:
        savings.withdraw(s, member_id, 150_000, on=date(2025, 3, 1), by=USER)
    with read_session(book.sessions) as s:
        assert member_savings(s, member_id)["2-101"] == 0


def test_backdated_withdrawal_cannot_overdraw_a_later_one(book: Book) -> None:
    member_id = register(book)
    with unit_of_work(book.sessions) as s:
        savings.deposit(s, member_id, {"sukarela": 100_000}, on=date(2025, 2, 1), by=USER)
        savings.withdraw(s, member_id, 80_000, on=date(2025, 4, 1), by=USER)
        savings.deposit(s, member_id, {"sukarela": 500_000}, on=date(2025, 5, 1), by=USER)
    # Today's balance is 520.000, but on 1 March only 20.000 may go: 1 April needs 80.000.
    with read_session(book.sessions) as s:
        assert savings.sukarela_available(s, member_id, date(2025, 3, 1)) == 20_000
        assert savings.sukarela_available(s, member_id, date(2025, 6, 1)) == 520_000
    with pytest.raises(InsufficientBalance), unit_of_work(book.sessions) as s:
        savings.withdraw(s, member_id, 30_000, on=date(2025, 3, 1), by=USER)


def test_wajib_arrears_follow_rate_changes(book: Book) -> None:
    member_id = register(book, on=date(2025, 1, 20))
    with unit_of_work(book.sessions) as s:
        settings.set_rate(s, "wajib", 25_000, date(2025, 4, 1), by=USER)
        savings.deposit(s, member_id, {"wajib": 60_000}, on=date(2025, 3, 1), by=USER)
    with read_session(book.sessions) as s:
        status = savings.wajib_status(s, member_id, 2025, 6)
    # Jan-Mar at 20.000, Apr-Jun at 25.000.
    assert status.expected == 3 * 20_000 + 3 * 25_000
    assert status.arrears == 75_000
    assert status.unpaid_months == ((2025, 4), (2025, 5), (2025, 6))


def test_collect_wajib_posts_one_receipt_per_member_all_or_nothing(book: Book) -> None:
    siti, asep, dedi = register(book, SITI), register(book, ASEP), register(book, DEDI)
    with read_session(book.sessions) as s:
        due = {row.member_id: row.arrears for row in wajib_due(s, 2025, 3)}
    assert due == {siti: 60_000, asep: 60_000, dedi: 60_000}
    before = _entries(book)
    with pytest.raises(ValidationError), unit_of_work(book.sessions) as s:
        savings.collect_wajib(s, [(siti, 60_000), (asep, 0)], on=date(2025, 3, 25), by=USER)
    assert _entries(book) == before
    with unit_of_work(book.sessions) as s:
        posted = savings.collect_wajib(
            s,
            [(siti, 60_000), (asep, 20_000)],
            on=date(2025, 3, 25),
            by=USER,
            month_label="Maret 2025",
        )
    assert len({p.number for p in posted}) == 2
    with read_session(book.sessions) as s:
        due = {row.member_id: row.arrears for row in wajib_due(s, 2025, 3)}
    assert due == {asep: 40_000, dedi: 60_000}


@given(
    amounts=st.lists(st.integers(0, 50_000), min_size=1, max_size=4),
    join_offset=st.integers(0, 40),
    paid=st.integers(0, 3_000_000),
)
def test_calendar_agrees_with_the_month_by_month_walk(
    amounts: list[int], join_offset: int, paid: int
) -> None:
    rates = [
        settings.Rate("wajib", amount, dates.add_months(date(2020, 1, 1), 9 * i))
        for i, amount in enumerate(amounts)
    ]
    joined = dates.add_months(date(2020, 1, 15), join_offset)
    calendar = savings.WajibCalendar(rates, date(2020, 1, 1), 2023, 6)
    walked = savings.status_from(savings.expected_wajib(rates, joined, 2023, 6), paid)
    assert calendar.status(joined, paid) == walked


def test_member_joining_late_in_the_month_is_billed(book: Book) -> None:
    member_id = register(book, on=date(2025, 1, 30))
    with read_session(book.sessions) as s:
        assert [row.member_id for row in wajib_due(s, 2025, 1)] == [member_id]
