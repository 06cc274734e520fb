"""Kas opname: count by denomination, difference with a note, recount, closing a day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, PeriodClosed, ValidationError
from app.models import AuditRecord
from app.services import cash_count, cashbook
from tests.services.helpers import USER

pytestmark = pytest.mark.usefixtures("fixed_today")
DAY = date(2025, 3, 10)


@pytest.fixture
def cash(book: Book) -> Book:
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(s, on=DAY, account="3-301", amount=1_235_600, memo="Hibah", by=USER)
    return book


def test_count_matching_the_book(cash: Book) -> None:
    counts = {100_000: 12, 20_000: 1, 10_000: 1, 5_000: 1, 500: 1, 100: 1}
    with unit_of_work(cash.sessions) as s:
        info = cash_count.record_count(s, DAY, counts, by=USER)
    assert (info.total, info.book_balance, info.difference) == (1_235_600, 1_235_600, 0)
    assert dict(info.counts)[100_000] == 12 and dict(info.counts)[50_000] == 0


def test_a_difference_needs_a_note(cash: Book) -> None:
    short = {100_000: 12, 20_000: 1, 10_000: 1, 5_000: 1}  # Rp600 missing
    with pytest.raises(ValidationError, match="catatan"), unit_of_work(cash.sessions) as s:
        cash_count.record_count(s, DAY, short, by=USER)
    with unit_of_work(cash.sessions) as s:
        info = cash_count.record_count(s, DAY, short, by=USER, note="uang receh terselip")
    assert info.difference == -600 and info.note == "uang receh terselip"


def test_bad_counts_are_refused(cash: Book) -> None:
    for counts in ({75_000: 1}, {100_000: -1}):
        with pytest.raises(ValidationError), unit_of_work(cash.sessions) as s:
            cash_count.record_count(s, DAY, counts, by=USER, note="x")
    with pytest.raises(ValidationError, match="belum tiba"), unit_of_work(cash.sessions) as s:
        cash_count.record_count(s, date(2026, 1, 2), {}, by=USER)


def test_recount_replaces_the_count_and_is_audited(cash: Book) -> None:
    with unit_of_work(cash.sessions) as s:
        cash_count.record_count(s, DAY, {100_000: 12}, by=USER, note="belum selesai")
        info = cash_count.record_count(
            s, DAY, {100_000: 12, 20_000: 1, 10_000: 1, 5_000: 1, 500: 1, 100: 1}, by="ketua"
        )
    assert info.difference == 0 and info.counted_by == "ketua"
    with read_session(cash.sessions) as s:
        assert len(cash_count.counts_between(s, DAY, DAY)) == 1
        recount = s.scalar(
            select(AuditRecord).where(AuditRecord.action == "kas_opname.hitung_ulang")
        )
        assert recount is not None and "belum selesai" in recount.before


def test_a_closed_cash_day_refuses_postings_and_recounts(cash: Book) -> None:
    with unit_of_work(cash.sessions) as s:
        cash_count.record_count(
            s, DAY, {100_000: 12, 20_000: 1, 10_000: 1, 5_000: 1, 500: 1, 100: 1}, by=USER
        )
        assert cash_count.close_day(s, DAY, by=USER).closed
    with pytest.raises(PeriodClosed, match="sudah ditutup"), unit_of_work(cash.sessions) as s:
        cashbook.cash_out(s, on=DAY, account="5-304", amount=1000, memo="ATK", by=USER)
    with pytest.raises(PeriodClosed), unit_of_work(cash.sessions) as s:
        cash_count.record_count(s, DAY, {100_000: 13}, by=USER, note="x")
    with pytest.raises(NotAllowed, match="sudah ditutup"), unit_of_work(cash.sessions) as s:
        cash_count.close_day(s, DAY, by=USER)
    with unit_of_work(cash.sessions) as s:  # the next day is open
        cashbook.cash_out(
            s, on=date(2025, 3, 11), account="5-304", amount=1000, memo="ATK", by=USER
        )


def test_closing_a_day_needs_a_current_count(cash: Book) -> None:
    with pytest.raises(Exception, match="Belum ada kas opname"), unit_of_work(cash.sessions) as s:
        cash_count.close_day(s, DAY, by=USER)
    with unit_of_work(cash.sessions) as s:
        cash_count.record_count(s, DAY, {}, by=USER, note="belum dihitung")
    with unit_of_work(cash.sessions) as s:
        cashbook.cash_out(s, on=DAY, account="5-304", amount=1000, memo="ATK", by=USER)
    with pytest.raises(NotAllowed, match="hitung ulang"), unit_of_work(cash.sessions) as s:
        cash_count.close_day(s, DAY, by=USER)
