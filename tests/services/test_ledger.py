"""The ledger: post() guards every rupiah, reversal corrects, check() sees tampering."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, NotFound, PeriodClosed, UnbalancedEntry, ValidationError
from app.ledger import Entry, Line, post, reverse
from app.ledger.balances import account_totals, balance
from app.ledger.check import check_book
from app.ledger.periods import close_period
from app.models import JournalEntry, JournalLine

USER = "bendahara"
pytestmark = pytest.mark.usefixtures("fixed_today")


def _expense(on: date = date(2025, 3, 1), amount: int = 150_000) -> Entry:
    return Entry(
        date=on,
        kind="KK",
        memo="Listrik Maret",
        lines=[Line("5-305", amount), Line("1-101", -amount)],
    )


def _count(book: Book) -> tuple[int, int]:
    with read_session(book.sessions) as s:
        return (
            s.scalar(select(func.count(JournalEntry.id))) or 0,
            s.scalar(select(func.count(JournalLine.id))) or 0,
        )


def test_post_numbers_entries_per_kind_and_year(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        first = post(s, _expense(), by=USER)
        second = post(s, _expense(), by=USER)
        other_year = post(s, _expense(date(2024, 12, 31)), by=USER)
        general = post(
            s,
            Entry(date(2025, 3, 2), "JU", "Setor ke bank", [Line("1-111", 10), Line("1-101", -10)]),
            by=USER,
        )
    assert (first.number, second.number) == ("KK-2025-000001", "KK-2025-000002")
    assert other_year.number == "KK-2024-000001"
    assert general.number == "JU-2025-000001"


def test_unbalanced_entry_is_refused_and_nothing_written(book: Book) -> None:
    before = _count(book)
    with pytest.raises(UnbalancedEntry, match="tidak seimbang"), unit_of_work(book.sessions) as s:
        post(s, _expense(), by=USER)  # a good one first: the whole action must roll back
        post(
            s,
            Entry(date(2025, 3, 1), "JU", "salah", [Line("5-305", 100), Line("1-101", -90)]),
            by=USER,
        )
    assert _count(book) == before


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([Line("5-305", 100)], UnbalancedEntry),
        ([Line("5-305", 0), Line("1-101", 0)], ValidationError),
        ([Line("9-999", 100), Line("1-101", -100)], NotFound),
        ([Line("3-102", -100), Line("1-101", 100)], ValidationError),  # savings need a member
        ([Line("5-305", 200_000_000_000), Line("1-101", -200_000_000_000)], ValidationError),
    ],
)
def test_post_refuses_bad_lines(book: Book, lines: list[Line], error: type[Exception]) -> None:
    with pytest.raises(error), unit_of_work(book.sessions) as s:
        post(s, Entry(date(2025, 3, 1), "JU", "x", lines), by=USER)
    assert _count(book) == (0, 0)


def test_future_dates_are_refused(book: Book, fixed_today: date) -> None:
    with pytest.raises(ValidationError, match="belum terjadi"), unit_of_work(book.sessions) as s:
        post(s, _expense(date(2026, 1, 1)), by=USER)


def test_closed_period_refuses_postings(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        close_period(s, kind="year", start=date(2024, 1, 1), end=date(2024, 12, 31), by=USER)
    with pytest.raises(PeriodClosed, match="2024"), unit_of_work(book.sessions) as s:
        post(s, _expense(date(2024, 6, 30)), by=USER)
    with unit_of_work(book.sessions) as s:
        post(s, _expense(date(2025, 1, 1)), by=USER)


def test_reversal_mirrors_the_entry_once(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        original = post(s, _expense(), by=USER)
    with unit_of_work(book.sessions) as s:
        rv = reverse(s, original.id, reason="salah akun", on=date(2025, 3, 5), by=USER)
    assert rv.number == "RV-2025-000001"
    with read_session(book.sessions) as s:
        assert balance(s, "5-305") == 0
        assert balance(s, "1-101") == 0
        assert balance(s, "5-305", on=date(2025, 3, 4)) == 150_000
    with pytest.raises(NotAllowed, match="sudah dibalik"), unit_of_work(book.sessions) as s:
        reverse(s, original.id, reason="lagi", on=date(2025, 3, 6), by=USER)
    with pytest.raises(NotAllowed, match="pembalik"), unit_of_work(book.sessions) as s:
        reverse(s, rv.id, reason="balik pembalik", on=date(2025, 3, 6), by=USER)


def test_posted_rows_cannot_be_updated_by_the_program(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        posted = post(s, _expense(), by=USER)
    with pytest.raises(Exception, match="tidak dapat diubah"), unit_of_work(book.sessions) as s:
        s.get(JournalEntry, posted.id).memo = "diubah"  # type: ignore[union-attr]
        s.flush()


def _tampered_book(book: Book, statement: str) -> list[str]:
    with unit_of_work(book.sessions) as s:
        for day in (1, 2, 3):
            post(s, _expense(date(2025, 3, day), 1000 * day), by=USER)
    raw = sqlite3.connect(book.path)
    for table in ("journal_line", "journal_entry"):
        for action in ("update", "delete"):
            raw.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    raw.execute(statement)
    raw.commit()
    raw.close()
    with read_session(book.sessions) as s:
        return [str(p) for p in check_book(s)]


def test_check_is_clean_on_an_untouched_book(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        post(s, _expense(), by=USER)
    with read_session(book.sessions) as s:
        assert check_book(s) == []


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE journal_line SET amount = 999 WHERE id = 3", "KK-2025-000002"),
        ("UPDATE journal_entry SET memo = 'lain' WHERE id = 1", "KK-2025-000001"),
        ("DELETE FROM journal_line WHERE id = 5", "KK-2025-000003"),
        (
            "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
            "VALUES (2, 3, 1, 5, 'Simpan Pinjam', '')",
            "KK-2025-000002",
        ),
        ("DELETE FROM journal_entry WHERE id = 2", "KK-2025-000003"),
    ],
)
def test_check_reports_edits_behind_the_programs_back(
    book: Book, statement: str, expected: str
) -> None:
    problems = _tampered_book(book, statement)
    assert any(p.startswith(expected) for p in problems), problems
    assert any("trigger" in p for p in problems)


def test_account_totals_balance_to_zero(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        post(s, _expense(), by=USER)
        post(s, _expense(date(2025, 4, 1), 7), by=USER)
    with read_session(book.sessions) as s:
        totals = account_totals(s)
    assert sum(totals.values()) == 0
    assert totals["5-305"] == 150_007
