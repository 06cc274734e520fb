"""ledger_year_cash and ``cash_counterparts``: the cash flow's year sums equal the lines.

The trigger ``journal_line_year_cash`` adds a non-cash line of an entry that
already has a cash line, and the earlier non-cash lines of an entry when its
first cash line arrives. Entries are posted here with their lines in every
order that matters (cash first, last, in the middle, two cash lines, no cash,
a saldo awal, reversals, several entries in one ``post_many``) over two years,
and after each posting the table must equal

* the same sums worked out in Python from the entries as the test posted them, and
* a GROUP BY of the lines written here in plain SQL on a separate connection;

``check_book`` must stay clean. Then: ``cash_counterparts`` of whole years (read
from the table) equals the lines read in two halves, and the counterparts add
up to the change in cash; a changed row or a dropped trigger is found by
``check_book``; a book written at revision 0005 gets the same rows when opened.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.book import Book, open_book
from app.db import (
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_sessions,
    read_session,
    unit_of_work,
)
from app.ledger import Entry, Line, post, post_many, reverse
from app.ledger.balances import balance
from app.ledger.check import check_book
from app.queries.statements import CASH_CODES, CashCounterpart, cash_counterparts
from app.services import books, savings
from app.services.settings import Profile
from tests.services.helpers import SITI, USER, register
from tests.services.test_year_totals import fill

pytestmark = pytest.mark.usefixtures("fixed_today")

CASH = ("1-101", "1-102", "1-111")  # kas, kas kecil, bank (written out: not the app's)

# (year, account code, debit, opening) -> (amount, lines)
Rows = dict[tuple[int, str, bool, bool], tuple[int, int]]


# -- what the table should hold, worked out two ways ------------------------------------


@dataclass
class Posted:
    """The entries as the test posted them: (year, kind, [(code, amount), ...])."""

    entries: list[tuple[int, str, list[tuple[str, int]]]] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # step name -> entry id
    member_id: int = 0

    def add(self, entry: Entry) -> None:
        self.entries.append(
            (entry.date.year, entry.kind, [(line.account, line.amount) for line in entry.lines])
        )


def by_hand(posted: Posted) -> Rows:
    """Every non-cash line of an entry with a cash line, summed per year, code and side."""
    rows: Rows = {}
    for year, kind, lines in posted.entries:
        if not any(code in CASH for code, _amount in lines):
            continue
        for code, amount in lines:
            if code in CASH:
                continue
            key = (year, code, amount > 0, kind == "SA")
            total, count = rows.get(key, (0, 0))
            rows[key] = (total + amount, count + 1)
    return rows


_GROUPED = f"""
SELECT CAST(strftime('%Y', e.date) AS INTEGER), a.code,
       CASE WHEN l.amount > 0 THEN 1 ELSE 0 END,
       CASE WHEN coalesce(o.kind, e.kind) = 'SA' THEN 1 ELSE 0 END,
       sum(l.amount), count(*)
FROM journal_line AS l
JOIN journal_entry AS e ON e.id = l.entry_id
LEFT JOIN journal_entry AS o ON o.id = e.reverses_id
JOIN account AS a ON a.id = l.account_id
WHERE a.code NOT IN {CASH}
  AND l.entry_id IN (SELECT k.entry_id FROM journal_line AS k
                     JOIN account AS ka ON ka.id = k.account_id
                     WHERE ka.code IN {CASH})
GROUP BY 1, 2, 3, 4
"""

_KEPT = """
SELECT c.year, coalesce(a.code, '#' || c.account_id), c.debit, c.opening, c.amount, c.lines
FROM ledger_year_cash AS c LEFT JOIN account AS a ON a.id = c.account_id
"""


def _query(path: Path, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(sql, tuple(params)).fetchall()
    finally:
        raw.close()


def _rows(path: Path, sql: str) -> Rows:
    found: Rows = {}
    for year, code, debit, opening, amount, lines in _query(path, sql):
        key = (int(year), str(code), bool(debit), bool(opening))
        assert key not in found, key
        found[key] = (int(amount), int(lines))
    return found


def grouped(path: Path) -> Rows:
    return _rows(path, _GROUPED)


def kept(path: Path) -> Rows:
    return _rows(path, _KEPT)


def _raw(path: Path, *statements: str) -> None:
    raw = sqlite3.connect(path)
    try:
        for sql in statements:
            raw.execute(sql)
        raw.commit()
    finally:
        raw.close()


# -- the entries, in the orders that matter ---------------------------------------------


def _entry(on: date, kind: str, *lines: Line) -> Entry:
    return Entry(date=on, kind=kind, memo=f"{kind} {on.isoformat()}", lines=list(lines))


def _steps(member_id: int) -> list[tuple[str, list[Entry] | tuple[str, date]]]:
    """Named steps: a list of entries posted in one ``post_many``, or (step, date): the
    reversal of that step's entry."""
    return [
        (
            # Saldo awal: cash in the middle, two cash lines, non-cash before and after.
            "saldo awal",
            [
                _entry(
                    date(2024, 1, 1),
                    "SA",
                    Line("1-304", 1_000_000),
                    Line("2-201", -5_000_000),
                    Line("1-101", 3_000_000),
                    Line("1-111", 4_000_000),
                    Line("3-201", -3_000_000),
                )
            ],
        ),
        (
            "saldo awal tanpa kas",
            [_entry(date(2024, 1, 1), "SA", Line("1-131", 2_000_000), Line("3-201", -2_000_000))],
        ),
        (
            "kas pertama",
            [
                _entry(
                    date(2024, 2, 1),
                    "KM",
                    Line("1-101", 500_000),
                    Line("4-901", -300_000),
                    Line("4-909", -200_000),
                )
            ],
        ),
        (
            "kas terakhir",
            [
                _entry(
                    date(2024, 3, 1),
                    "KK",
                    Line("5-305", 100_000),
                    Line("5-304", 50_000),
                    Line("1-101", -150_000),
                )
            ],
        ),
        (
            "kas di tengah",
            [
                _entry(
                    date(2024, 4, 1),
                    "JU",
                    Line("5-306", 70_000),
                    Line("4-909", -20_000),
                    Line("1-102", -100_000),
                    Line("5-304", 50_000),
                )
            ],
        ),
        (
            "kas ke bank",  # both lines cash: nothing counts
            [_entry(date(2024, 5, 1), "JU", Line("1-111", 1_000_000), Line("1-101", -1_000_000))],
        ),
        (
            "dua kas, beban di tengah",
            [
                _entry(
                    date(2024, 6, 1),
                    "JU",
                    Line("1-111", -200_000),
                    Line("5-311", 5_000),
                    Line("1-102", 195_000),
                )
            ],
        ),
        (
            "dua kas, beban pertama",
            [
                _entry(
                    date(2024, 6, 2),
                    "JU",
                    Line("5-311", 2_500),
                    Line("1-111", -102_500),
                    Line("1-101", 100_000),
                )
            ],
        ),
        (
            "tanpa kas",
            [_entry(date(2024, 7, 1), "JU", Line("5-307", 100_000), Line("1-3041", -100_000))],
        ),
        (
            # Two entries in one INSERT of lines: one account on both sides, one twice
            # on one side.
            "dua jurnal sekaligus",
            [
                _entry(
                    date(2024, 8, 1),
                    "KM",
                    Line("4-909", -50_000),
                    Line("1-101", 40_000),
                    Line("4-909", 10_000),
                ),
                _entry(
                    date(2024, 8, 2),
                    "KK",
                    Line("5-305", 10_000),
                    Line("5-305", 20_000),
                    Line("1-101", -30_000),
                ),
            ],
        ),
        (
            "setoran anggota",
            [
                _entry(
                    date(2024, 9, 10),
                    "ST",
                    Line("3-102", -20_000, member_id=member_id),
                    Line("2-101", -30_000, member_id=member_id),
                    Line("1-101", 50_000),
                )
            ],
        ),
        ("pembalik kas terakhir", ("kas terakhir", date(2024, 10, 1))),
        ("pembalik kas pertama", ("kas pertama", date(2025, 1, 5))),  # in the next year
        ("pembalik dua kas", ("dua kas, beban pertama", date(2025, 1, 6))),
        (
            "tiga jurnal 2025",
            [
                _entry(
                    date(2025, 2, 3),
                    "KK",
                    Line("5-301", 1_200_000),
                    Line("2-131", -20_000),
                    Line("5-305", 20_000),
                    Line("1-111", -1_200_000),
                ),
                _entry(date(2025, 2, 4), "JU", Line("1-161", 75_000), Line("2-121", -75_000)),
                _entry(
                    date(2025, 2, 5),
                    "KM",
                    Line("1-102", 300_000),
                    Line("4-909", -100_000),
                    Line("1-101", 200_000),
                    Line("2-201", -400_000),
                ),
            ],
        ),
        (
            "saldo awal 2025",  # a second cut-over (another unit's books): opening again
            [
                _entry(
                    date(2025, 3, 1),
                    "SA",
                    Line("1-101", 250_000),
                    Line("1-161", 150_000),
                    Line("3-201", -400_000),
                )
            ],
        ),
        # A wrong cut-over taken back: the correction is opening, not a flow.
        ("saldo awal 2025 dibalik", ("saldo awal 2025", date(2025, 3, 15))),
    ]


def post_steps(
    sessions: sessionmaker[Session],
    member_id: int,
    after_each: Callable[[str, Posted], None] = lambda _name, _posted: None,
    posted: Posted | None = None,
) -> Posted:
    posted = posted if posted is not None else Posted()
    posted.member_id = member_id
    originals: dict[str, Entry] = {}
    for name, step in _steps(member_id):
        with unit_of_work(sessions) as s:
            if isinstance(step, tuple):
                of, on = step
                rv = reverse(s, posted.ids[of], reason="salah catat", on=on, by=USER)
                original = originals[of]
                # Recorded with the kind it reverses: a reversed saldo awal is opening too.
                posted.add(
                    Entry(
                        date=on,
                        kind=original.kind,
                        memo="",
                        lines=[Line(line.account, -line.amount) for line in original.lines],
                    )
                )
                posted.ids[name] = rv.id
            else:
                done = post_many(s, step, by=USER)
                for entry in step:
                    posted.add(entry)
                originals[name] = step[0]
                posted.ids[name] = done[0].id
        after_each(name, posted)
    return posted


# -- 1. after every posting the table equals the lines ------------------------------------


def test_the_table_equals_the_lines_after_every_posting_in_any_line_order(book: Book) -> None:
    member_id = register(book, SITI, on=date(2024, 1, 2))
    checked: list[str] = []

    def after(name: str, posted: Posted) -> None:
        table = kept(book.path)
        assert table == by_hand(posted), name
        assert table == grouped(book.path), name
        with read_session(book.sessions) as s:
            assert check_book(s) == [], name
        checked.append(name)

    # The registration (simpanan pokok paid in cash) was posted by the service.
    before = kept(book.path)
    ((year, code, debit, opening),) = before
    pokok = -before[year, code, debit, opening][0]
    assert (year, code, debit, opening) == (2024, "3-101", False, False) and pokok > 0
    assert before == {(2024, "3-101", False, False): (-pokok, 1)}
    posted = Posted()
    posted.add(_entry(date(2024, 1, 2), "ST", Line("3-101", -pokok), Line("1-101", pokok)))
    post_steps(book.sessions, member_id, after, posted)
    assert len(checked) == len(_steps(member_id))

    table = kept(book.path)
    # What the entries above must have produced, spelled out for the tricky ones.
    assert table[2024, "2-201", False, True] == (-5_000_000, 1)  # saldo awal, before cash
    assert table[2024, "3-201", False, True] == (-3_000_000, 1)  # saldo awal, after cash
    assert table[2024, "1-304", True, True] == (1_000_000, 1)
    assert (2024, "1-131", True, True) not in table  # saldo awal without cash
    assert table[2024, "4-901", False, False] == (-300_000, 1)  # cash first
    assert table[2025, "4-901", True, False] == (300_000, 1)  # ... reversed next year
    # cash last, and its reversal in the same year
    assert table[2024, "5-305", True, False] == (100_000 + 10_000 + 20_000, 3)
    assert table[2024, "5-305", False, False] == (-100_000, 1)
    assert table[2024, "5-304", True, False] == (50_000 + 50_000, 2)  # cash last, middle
    # one account on both sides of one entry
    assert table[2024, "4-909", False, False] == (-200_000 - 20_000 - 50_000, 3)
    assert table[2024, "4-909", True, False] == (10_000, 1)
    # two cash lines plus a bank charge, charge in the middle and first; one reversed
    assert table[2024, "5-311", True, False] == (5_000 + 2_500, 2)
    assert table[2025, "5-311", False, False] == (-2_500, 1)
    assert table[2024, "3-102", False, False] == (-20_000, 1)
    assert table[2024, "2-101", False, False] == (-30_000, 1)
    assert (2024, "5-307", True, False) not in table  # no cash
    assert (2025, "1-161", True, False) not in table  # no cash (2025)
    assert table[2025, "1-161", True, True] == (150_000, 1)  # saldo awal 2025
    assert table[2025, "2-201", False, False] == (-400_000, 1)  # three cash lines, last
    assert not any(code in CASH for _year, code, _debit, _opening in table)
    # Every non-cash line of a cash entry counted once, no other line.
    counted = _query(
        book.path,
        f"SELECT count(*) FROM journal_line l JOIN account a ON a.id = l.account_id "
        f"WHERE a.code NOT IN {CASH} AND EXISTS (SELECT 1 FROM journal_line c "
        f"JOIN account ca ON ca.id = c.account_id "
        f"WHERE c.entry_id = l.entry_id AND ca.code IN {CASH})",
    )[0][0]
    assert sum(lines for _amount, lines in table.values()) == counted
    assert {year for year, *_rest in table} == {2024, 2025}


def test_lines_inserted_in_one_statement_count_once(book: Book) -> None:
    """Lines written by one multi-row INSERT (no program does that today, a bulk import
    might): the trigger still counts each non-cash line of a cash entry once."""
    tails = (
        (("5-305", 300), ("1-101", -1_000), ("5-304", 700)),  # cash in the middle
        (("1-101", -500), ("5-305", 200), ("1-111", -100), ("4-909", 400)),  # cash first
        (("5-305", 100), ("5-304", 200), ("1-102", -300)),  # cash last
        (("5-305", 100), ("5-304", -100)),  # no cash
    )
    posted = Posted()
    entry_ids = []
    with unit_of_work(book.sessions) as s:
        for day, _tail in enumerate(tails, start=1):
            head = _entry(date(2025, 4, day), "JU", Line("5-307", 50), Line("1-3041", -50))
            entry_ids.append(post(s, head, by=USER).id)
    ids = dict(_query(book.path, "SELECT code, id FROM account"))
    for day, (entry_id, tail) in enumerate(zip(entry_ids, tails, strict=True), start=1):
        posted.add(
            _entry(
                date(2025, 4, day),
                "JU",
                Line("5-307", 50),
                Line("1-3041", -50),
                *(Line(code, amount) for code, amount in tail),
            )
        )
        values = ", ".join(
            f"({entry_id}, {3 + no}, {ids[code]}, {amount}, 'Simpan Pinjam', '')"
            for no, (code, amount) in enumerate(tail)
        )
        _raw(
            book.path,
            "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
            f"VALUES {values}",
        )
    table = kept(book.path)
    assert table == by_hand(posted) == grouped(book.path)
    assert table[2025, "5-307", True, False] == (150, 3)  # the head lines, counted late
    assert table[2025, "5-305", True, False] == (300 + 200 + 100, 3)
    assert table[2025, "5-304", True, False] == (700 + 200, 2)


# -- 2. cash_counterparts: whole years from the table, halves from the lines ----------------


def _cash_change(session: Session, year: int) -> int:
    return sum(
        balance(session, code, on=date(year, 12, 31))
        - balance(session, code, on=date(year - 1, 12, 31))
        for code in CASH
    )


def _plus(*parts: dict[CashCounterpart, int]) -> dict[CashCounterpart, int]:
    total: dict[CashCounterpart, int] = {}
    for part in parts:
        for key, amount in part.items():
            total[key] = total.get(key, 0) + amount
    return {key: amount for key, amount in total.items() if amount}


def test_whole_years_equal_their_halves_and_the_change_in_cash(book: Book) -> None:
    filled = fill(book.sessions, close_years=False)
    post_steps(book.sessions, filled.members["siti"])
    assert kept(book.path) == grouped(book.path)
    # Not the app's CASH_CODES object: the same codes, another order and type.
    same_codes = ["1-111", "1-101", "1-102"]
    lines_path = (*CASH_CODES, "9-999")  # a code not in the chart: forces the lines
    with read_session(book.sessions) as s:
        assert check_book(s) == []
        for year in (2023, 2024, 2025):
            start, end = date(year, 1, 1), date(year, 12, 31)
            whole = cash_counterparts(s, start, end)
            halves = _plus(
                cash_counterparts(s, start, date(year, 6, 30)),
                cash_counterparts(s, date(year, 7, 1), end),
            )
            assert whole == halves, year
            assert whole == cash_counterparts(s, start, end, same_codes), year
            assert whole == cash_counterparts(s, start, end, lines_path), year
            assert len(whole) > 5, year
            # Direct method: minus every counterpart is the change in cash.
            change = _cash_change(s, year)
            assert change != 0, year
            assert -sum(whole.values()) == change, year
            # ... and the same for each half against a plain sum of the cash lines.
            for first, last in ((start, date(year, 6, 30)), (date(year, 7, 1), end)):
                (moved,) = _query(
                    book.path,
                    f"SELECT coalesce(sum(l.amount), 0) FROM journal_line l "
                    f"JOIN journal_entry e ON e.id = l.entry_id "
                    f"JOIN account a ON a.id = l.account_id "
                    f"WHERE a.code IN {CASH} AND e.date BETWEEN ? AND ?",
                    (first.isoformat(), last.isoformat()),
                )[0]
                assert -sum(cash_counterparts(s, first, last).values()) == moved
        # Opening rows are keyed apart from the flows.
        in_2024 = cash_counterparts(s, date(2024, 1, 1), date(2024, 12, 31))
        assert in_2024[CashCounterpart("2-201", False, True)] == -5_000_000
        assert CashCounterpart("2-201", False, False) not in in_2024
        assert CashCounterpart("1-131", True, True) not in in_2024  # saldo awal without cash
        # Several whole years at once: the table over three years, the lines alike.
        span = cash_counterparts(s, date(2023, 1, 1), date(2025, 12, 31))
        assert span == cash_counterparts(s, date(2023, 1, 1), date(2025, 12, 31), lines_path)
        assert span == _plus(
            *(cash_counterparts(s, date(y, 1, 1), date(y, 12, 31)) for y in (2023, 2024, 2025))
        )
        assert -sum(span.values()) == sum(balance(s, code) for code in CASH)


# -- 3. a changed row or a dropped trigger is found ----------------------------------------


@pytest.fixture
def stepped(book: Book) -> Posted:
    member_id = register(book, SITI, on=date(2024, 1, 2))
    return post_steps(book.sessions, member_id)


def _account(path: Path, code: str) -> int:
    return int(_query(path, "SELECT id FROM account WHERE code = ?", (code,))[0][0])


@pytest.mark.parametrize(
    ("statement", "place"),
    [
        pytest.param(
            "UPDATE ledger_year_cash SET amount = amount - 1000 WHERE year = 2024 "
            "AND account_id = {4-901} AND debit = 0 AND opening = 0",
            "4-901 tahun 2024",
            id="amount",
        ),
        pytest.param(
            "UPDATE ledger_year_cash SET lines = lines + 1 WHERE year = 2025 "
            "AND account_id = {5-301} AND debit = 1 AND opening = 0",
            "5-301 tahun 2025",
            id="lines",
        ),
        pytest.param(
            "UPDATE ledger_year_cash SET opening = 1 WHERE year = 2024 "
            "AND account_id = {5-311} AND debit = 1 AND opening = 0",
            "5-311 tahun 2024",
            id="opening",
        ),
        pytest.param(
            "DELETE FROM ledger_year_cash WHERE year = 2025 AND account_id = {2-201}",
            "2-201 tahun 2025",
            id="deleted",
        ),
        pytest.param(
            "INSERT INTO ledger_year_cash (year, account_id, debit, opening, amount, lines) "
            "VALUES (2025, {5-399}, 1, 0, 1000, 1)",
            "5-399 tahun 2025",
            id="inserted",
        ),
    ],
)
def test_a_changed_row_is_found(book: Book, stepped: Posted, statement: str, place: str) -> None:
    with read_session(book.sessions) as s:
        assert check_book(s) == []
        whole_before = cash_counterparts(s, date(2024, 1, 1), date(2024, 12, 31))
    sql = statement
    for code in ("4-901", "5-301", "5-311", "2-201", "5-399"):
        sql = sql.replace("{" + code + "}", str(_account(book.path, code)))
    changed = kept(book.path)
    _raw(book.path, sql)
    assert kept(book.path) != changed  # the statement did hit a row
    with read_session(book.sessions) as s:
        problems = check_book(s)
    assert [p.where for p in problems] == ["Ringkasan arus kas"], problems
    message = problems[0].message
    assert place in message
    other_year = "tahun 2025" if place.endswith("2024") else "tahun 2024"
    assert other_year not in message
    assert re.findall(r"\d-\d+ tahun \d{4}", message) == [place]
    if place == "4-901 tahun 2024":
        # The whole year is read from the table (so it shows the change); its halves
        # are read from the lines (so they do not).
        with read_session(book.sessions) as s:
            whole = cash_counterparts(s, date(2024, 1, 1), date(2024, 12, 31))
            halves = _plus(
                cash_counterparts(s, date(2024, 1, 1), date(2024, 6, 30)),
                cash_counterparts(s, date(2024, 7, 1), date(2024, 12, 31)),
            )
        key = CashCounterpart("4-901", False, False)
        assert halves == whole_before
        assert whole == {**whole_before, key: whole_before[key] - 1000}


def test_a_dropped_trigger_and_the_rows_it_left_behind_are_found(
    book: Book, stepped: Posted
) -> None:
    before = kept(book.path)
    _raw(book.path, "DROP TRIGGER journal_line_year_cash")
    with unit_of_work(book.sessions) as s:  # posted the ordinary way, after the trigger went
        post(
            s,
            _entry(date(2025, 6, 1), "KK", Line("1-101", -45_000), Line("5-308", 45_000)),
            by=USER,
        )
        savings.deposit(s, stepped.member_id, {"sukarela": 12_300}, on=date(2025, 6, 2), by=USER)
    assert kept(book.path) == before != grouped(book.path)
    with read_session(book.sessions) as s:
        problems = check_book(s)
    by_place = {p.where: p.message for p in problems}
    assert set(by_place) == {"Pengaman jurnal", "Ringkasan arus kas"}, problems
    assert "journal_line_year_cash" in by_place["Pengaman jurnal"]
    assert "journal_line_year_total" not in by_place["Pengaman jurnal"]
    assert "5-308 tahun 2025" in by_place["Ringkasan arus kas"]
    assert "2-101 tahun 2025" in by_place["Ringkasan arus kas"]
    assert "tahun 2024" not in by_place["Ringkasan arus kas"]


# -- 4. the migration sums the lines of a book written before the table ---------------------


def test_the_upgrade_fills_the_table_of_a_book_made_at_0005(
    tmp_path: Path, profile: Profile
) -> None:
    from alembic import command

    path = tmp_path / "lama.sqlite"
    engine = make_engine(path)
    try:
        command.upgrade(_alembic_config(engine), "0005")
        sessions = make_sessions(engine)
        with unit_of_work(sessions) as s:
            books.initialise(s, profile, by=USER)
        filled = fill(sessions, close_years=False)
        post_steps(sessions, filled.members["siti"])
        assert not _query(path, "SELECT name FROM sqlite_master WHERE name LIKE '%year_cash%'")
        expected = grouped(path)
    finally:
        engine.dispose()
    assert len(expected) > 30
    assert {year for year, *_rest in expected} == {2023, 2024, 2025}
    assert any(opening for _y, _c, _d, opening in expected)

    book = open_book(path)
    try:
        assert current_revision(book.engine) == head_revision()
        assert kept(path) == expected
        with read_session(book.sessions) as s:
            assert check_book(s) == []
        # The trigger made by the migration keeps the backfilled rows going.
        with unit_of_work(book.sessions) as s:
            post(
                s,
                _entry(
                    date(2025, 11, 3),
                    "JU",
                    Line("5-305", 11_000),
                    Line("1-111", -30_000),
                    Line("4-909", -1_000),
                    Line("1-102", 20_000),
                ),
                by=USER,
            )
        after = kept(path)
        assert after == grouped(path) != expected
        assert (
            after[2025, "5-305", True, False][0] == expected[2025, "5-305", True, False][0] + 11_000
        )
        with read_session(book.sessions) as s:
            assert check_book(s) == []
    finally:
        book.close()


def test_a_reversed_saldo_awal_is_opening_and_cancels_it(book: Book, stepped: Posted) -> None:
    # "saldo awal 2025" (Kas 250.000, 1-161 150.000 / 3-201 400.000) was taken back
    # on 15/03/2025: the cash flow shows neither it nor its reversal as a flow.
    with read_session(book.sessions) as s:
        year = cash_counterparts(s, date(2025, 1, 1), date(2025, 12, 31))
        march = cash_counterparts(s, date(2025, 3, 1), date(2025, 3, 31))
    # The entry and its reversal: both opening, netting to nothing per account.
    assert {key.code for key in march} == {"3-201", "1-161"}
    assert all(key.opening for key in march)
    assert sum(v for k, v in march.items() if k.code == "3-201") == 0
    assert sum(v for k, v in march.items() if k.code == "1-161") == 0
    assert not any(key.code in ("3-201", "1-161") and not key.opening for key in year)
