"""``plain_rows``: the rows of a Core select through the raw cursor, as SQLite stores them.

The same rows as ``session.execute(stmt).all()`` once dates are turned back
into dates: for IN lists (expanded when compiled), date parameters, LIMIT and
OFFSET (parameters after the WHERE ones), parameters in the SELECT list, and
joins; inside the session's transaction, rows added but not yet flushed
included; a datetime parameter refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from app.book import Book
from app.db import plain_rows, read_session, unit_of_work
from app.ledger import Entry, Line, post
from app.models import Account, JournalEntry, JournalLine, Member, Setting
from tests.services.helpers import ASEP, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")


def _as_dates(rows: Sequence[tuple[Any, ...]], columns: Sequence[int]) -> list[tuple[Any, ...]]:
    """Plain rows with the 'YYYY-MM-DD' text of ``columns`` read back as dates."""
    converted = []
    for row in rows:
        values = list(row)
        for index in columns:
            assert isinstance(values[index], str), values[index]
            values[index] = date.fromisoformat(values[index])
        converted.append(tuple(values))
    return converted


@pytest.fixture
def posted(book: Book) -> Book:
    """Two members and a dozen entries in 2025, of several kinds."""
    siti = register(book, SITI, on=date(2025, 1, 6))
    register(book, ASEP, on=date(2025, 1, 7))
    with unit_of_work(book.sessions) as s:
        for month in range(1, 13):
            post(
                s,
                Entry(
                    date(2025, month, 3),
                    "KK",
                    f"Listrik {month}",
                    [Line("5-305", 10_000 * month), Line("1-101", -10_000 * month)],
                ),
                by=USER,
            )
            if month % 3 == 0:
                post(
                    s,
                    Entry(
                        date(2025, month, 15),
                        "ST",
                        f"Setoran {month}",
                        [
                            Line("1-101", 5_000 * month),
                            Line("2-101", -5_000 * month, member_id=siti),
                        ],
                        member_id=siti,
                    ),
                    by=USER,
                )
    return book


def test_an_in_list_a_date_and_a_limit_in_one_statement(posted: Book) -> None:
    stmt = (
        select(JournalEntry.id, JournalEntry.number, JournalEntry.date, JournalEntry.kind)
        .where(
            JournalEntry.kind.in_(["KK", "ST", "PC"]),
            JournalEntry.date >= date(2025, 4, 1),
            JournalEntry.date < date(2025, 11, 1),
        )
        .order_by(JournalEntry.date.desc(), JournalEntry.id)
        .limit(5)
        .offset(2)
    )
    with read_session(posted.sessions) as s:
        orm = _session_rows(s, stmt)
        plain = plain_rows(s, stmt)
    assert _as_dates(plain, [2]) == orm
    # Oct 3 KK, Sep 15 ST, [Sep 3 KK, Aug 3 KK, Jul 3 KK, Jun 15 ST, Jun 3 KK], May, Apr
    assert [(on, kind) for _id, _no, on, kind in orm] == [
        (date(2025, 9, 3), "KK"),
        (date(2025, 8, 3), "KK"),
        (date(2025, 7, 3), "KK"),
        (date(2025, 6, 15), "ST"),
        (date(2025, 6, 3), "KK"),
    ]


@pytest.mark.parametrize(
    "codes",
    [
        ["1-101"],
        ["5-305", "1-101", "2-101", "9-999"],
        [],  # an empty IN list has its own rendering
    ],
)
def test_in_lists_of_every_length(book: Book, codes: list[str]) -> None:
    stmt = (
        select(Account.id, Account.code, Account.active, Account.is_contra)
        .where(Account.code.in_(codes), Account.id > 0)
        .order_by(Account.code)
    )
    with read_session(book.sessions) as s:
        orm = _session_rows(s, stmt)
        plain = plain_rows(s, stmt)
    assert plain == orm
    assert [code for _id, code, _a, _c in plain] == sorted(set(codes) - {"9-999"})
    # Booleans come back as SQLite stores them.
    assert all(type(active) is int for _id, _code, active, _contra in plain)


def test_a_join_with_parameters_in_the_select_list_and_the_where(posted: Book) -> None:
    stmt = (
        select(
            func.substr(JournalEntry.number, 1, 2),
            literal("x") + Account.code,
            JournalEntry.date,
            JournalLine.amount,
            JournalLine.member_id,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(
            Account.code.in_(["1-101", "2-101"]),
            JournalEntry.date.between(date(2025, 3, 1), date(2025, 9, 30)),
            JournalLine.amount != 15_000,
        )
        .order_by(JournalLine.id)
        .limit(100)
    )
    with read_session(posted.sessions) as s:
        orm = _session_rows(s, stmt)
        plain = plain_rows(s, stmt)
    assert _as_dates(plain, [2]) == orm
    assert len(orm) == 7 + 2 * 3 - 1  # seven KK cash lines, three ST, less one of 15 000
    assert {kind for kind, *_rest in orm} == {"KK", "ST"}
    assert all(code in ("x1-101", "x2-101") for _kind, code, *_rest in orm)


def test_grouped_sums_with_a_having_parameter(posted: Book) -> None:
    month = func.substr(JournalEntry.date, 6, 2)
    stmt = (
        select(month, Account.code, func.sum(JournalLine.amount), func.count())
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalEntry.date >= date(2025, 2, 1))
        .group_by(month, Account.code)
        .having(func.count() >= 1, func.sum(JournalLine.amount) != 0)
        .order_by(month, Account.code)
    )
    with read_session(posted.sessions) as s:
        orm = _session_rows(s, stmt)
        plain = plain_rows(s, stmt)
    assert plain == orm
    assert len(orm) > 20


class _Undo(Exception):
    """Raised to roll the unit of work back."""


def test_rows_added_in_the_unit_of_work_are_seen_before_any_flush(book: Book) -> None:
    with pytest.raises(_Undo), unit_of_work(book.sessions) as s:
        s.add(Setting(key="uji.plain_rows", value='"ya"'))
        s.add(
            Member(
                number="99999",
                nik="3204010101900099",
                name="Anggota Uji",
                sex="L",
                joined_on=date(2025, 2, 14),
            )
        )
        assert s.new  # nothing flushed yet
        settings = select(Setting.key, Setting.value).where(Setting.key == "uji.plain_rows")
        assert plain_rows(s, settings) == [("uji.plain_rows", '"ya"')]
        assert not s.new  # plain_rows flushed, as autoflush would
        members = select(Member.number, Member.name, Member.joined_on).where(
            Member.joined_on == date(2025, 2, 14), Member.nik.in_(["3204010101900099"])
        )
        found = plain_rows(s, members)
        assert found == [("99999", "Anggota Uji", "2025-02-14")]
        assert _as_dates(found, [2]) == _session_rows(s, members)
        # A change to a row already flushed is flushed again before the read.
        s.add(Setting(key="uji.plain_rows.2", value="1"))
        s.get(Setting, "uji.plain_rows").value = '"tidak"'  # type: ignore[union-attr]
        assert plain_rows(
            s,
            select(Setting.value).where(Setting.key.like("uji.plain_rows%")).order_by(Setting.key),
        ) == [('"tidak"',), ("1",)]
        # Posted entries (Core inserts in the same transaction) are seen too.
        post(
            s,
            Entry(date(2025, 2, 14), "KK", "Uji", [Line("5-305", 700), Line("1-101", -700)]),
            by=USER,
        )
        lines = plain_rows(s, select(JournalLine.amount).where(JournalLine.amount.in_([700, -700])))
        assert sorted(lines) == [(-700,), (700,)]
        raise _Undo
    with read_session(book.sessions) as s:
        assert plain_rows(s, select(Setting.key).where(Setting.key.like("uji.%"))) == []
        assert plain_rows(s, select(Member.id).where(Member.number == "99999")) == []


def test_a_datetime_parameter_is_refused(posted: Book) -> None:
    stmt = select(JournalEntry.id).where(
        JournalEntry.kind == "KK", JournalEntry.posted_at >= datetime(2025, 1, 1, 8, 0)
    )
    with read_session(posted.sessions) as s, pytest.raises(TypeError, match="datetime"):
        plain_rows(s, stmt)


def _session_rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(stmt).all()]
