"""Dated sums kept for one read transaction (balances.READ_MEMO) equal fresh reads.

``sums_on`` chooses between reading the lines up to the date and "everything less
what came after"; inside ``read_session`` it keeps each (date, grouping) it read.
Whatever the order of the questions, the answers must be those of a session that
keeps nothing, and a write after the read must be seen by the next read session.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger import Entry, Line, post
from app.ledger.balances import READ_MEMO, sums_on
from app.ledger.chart import SIMPANAN_SUKARELA, account_ids
from app.services import savings
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")

DATES = [date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31), date(2025, 12, 31)]
GROUPS = [("account",), ("account", "member"), ("member",)]


def _fill(book: Book) -> None:
    people = [
        register(book, person, date(2023, 1, 2 + index))
        for index, person in enumerate((SITI, ASEP, DEDI))
    ]
    with unit_of_work(book.sessions) as s:
        for year, month in itertools.product((2023, 2024, 2025), range(1, 13)):
            for index, person in enumerate(people):
                savings.deposit(
                    s,
                    person,
                    {"sukarela": 10_000 * (index + 1) + month},
                    on=date(year, month, 10 + index),
                    by=USER,
                )
        for month in range(1, 13):
            post(
                s,
                Entry(
                    date(2024, month, 20),
                    "KK",
                    "Listrik",
                    [Line("5-305", 7_000), Line("1-101", -7_000)],
                ),
                by=USER,
            )


def _fresh(
    book: Book, on: date, group: tuple[str, ...], ids: frozenset[int] | None
) -> dict[tuple[object, ...], int]:
    session = book.sessions()
    try:
        assert READ_MEMO not in session.info
        return sums_on(session, on, group, account_ids=ids)
    finally:
        session.close()


def test_kept_sums_equal_fresh_reads_in_any_order(book: Book) -> None:
    _fill(book)
    with read_session(book.sessions) as s:
        chart = account_ids(s)
    subsets = [
        None,
        frozenset({chart["1-101"]}),
        frozenset({chart[SIMPANAN_SUKARELA], chart["1-101"]}),
    ]
    questions = list(itertools.product(DATES, GROUPS, subsets))
    expected = {q: _fresh(book, *q) for q in questions}
    assert any(expected[q] for q in questions)
    for order in (questions, list(reversed(questions))):
        with read_session(book.sessions) as s:
            for q in order:
                assert sums_on(s, q[0], q[1], account_ids=q[2]) == expected[q], q
            assert s.info[READ_MEMO]  # the memo was used, not bypassed


def test_a_later_read_session_sees_a_new_entry(book: Book) -> None:
    _fill(book)
    with read_session(book.sessions) as s:
        kas = account_ids(s)["1-101"]
        first = sums_on(s, date(2025, 12, 31))[(kas,)]
    with unit_of_work(book.sessions) as s:
        post(
            s,
            Entry(date(2025, 5, 1), "KK", "Air", [Line("5-305", 3_000), Line("1-101", -3_000)]),
            by=USER,
        )
    with read_session(book.sessions) as s:
        assert sums_on(s, date(2025, 12, 31))[(kas,)] == first - 3_000


def test_a_question_about_one_account_reads_that_account_only(book: Book) -> None:
    _fill(book)
    with read_session(book.sessions) as s:
        chart = account_ids(s)
        kas = frozenset({chart["1-101"]})
        sums_on(s, date(2025, 12, 31), account_ids=kas)
        kept = s.info[READ_MEMO][(date(2025, 12, 31),)]
        assert [ids for ids, _raw in kept] == [kas]
        # A wider question reads again; a narrower or equal one is answered from the memo.
        sums_on(s, date(2025, 12, 31))
        sums_on(s, date(2025, 12, 31), account_ids=kas)
        assert [ids for ids, _raw in kept] == [kas, None]
