"""ledger_year_total and ``flows``: the per-year totals equal the lines, whatever happened.

A book of three calendar years is filled through the services: members with
deposits and withdrawals, three loans with repayments (one reversed inside its
year, one reversed in the next year), denda, reversed deposits, income and
expenses of two units, years closed (tutup buku), a year reopened (its closing
entry reversed) and closed again. Then:

* ``flows`` over many spans and groupings equals a plain SQL sum of the lines,
  written here without the application's code;
* the table kept by the trigger equals a GROUP BY of the lines;
* ``repaid_amounts`` gives the same answer through the totals as through the
  loan's own lines;
* a changed total, or a dropped trigger, is found by ``check_book``;
* the migration's backfill of a book written before the table existed.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
from app.ledger import reverse
from app.ledger.balances import balance
from app.ledger.chart import account_ids
from app.ledger.check import _year_totals, check_book
from app.ledger.year_totals import Flow, flows
from app.services import books, cash_count, cashbook, closing, loans, members, savings
from app.services.members import MemberInput
from app.services.settings import Profile
from tests.services.helpers import ASEP, DEDI, SITI, USER

pytestmark = pytest.mark.usefixtures("fixed_today")

TOKO = "Toko"  # a second unit usaha, so that the "unit" grouping has two keys

# -- the book ------------------------------------------------------------------------


@dataclass
class Filled:
    members: dict[str, int] = field(default_factory=dict)
    loans: dict[str, int] = field(default_factory=dict)
    # Every repayment: (date, loan key, installment amount, date it was reversed or None).
    repayments: list[tuple[date, str, int, date | None]] = field(default_factory=list)


def _register(sessions: sessionmaker[Session], person: MemberInput, on: date) -> int:
    with unit_of_work(sessions) as s:
        return members.register(s, person, joined_on=on, by=USER).member_id


def _count_cash(sessions: sessionmaker[Session], on: date) -> None:
    with read_session(sessions) as s:
        amount = balance(s, "1-101", on=on)
    assert amount % 100 == 0, amount
    counts = {100_000: amount // 100_000, 100: (amount % 100_000) // 100}
    with unit_of_work(sessions) as s:
        cash_count.record_count(s, on, counts, by=USER)


def _close(sessions: sessionmaker[Session], year: int) -> None:
    with unit_of_work(sessions) as s:
        if closing.propose_allowance_entry(s, year).entry is not None:
            closing.book_allowance(s, year, by=USER)
    with unit_of_work(sessions) as s:
        closing.close_year(s, year, by=USER)


def _loan(
    sessions: sessionmaker[Session],
    member_id: int,
    principal: int,
    rate: str,
    months: int,
    on: date,
) -> int:
    application = loans.LoanApplication(
        member_id=member_id,
        principal=principal,
        monthly_rate=Decimal(rate),
        months=months,
        method="flat",
    )
    with unit_of_work(sessions) as s:
        loan_id = loans.apply(s, application, on=on, by=USER)
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return loan_id


def _repay(
    sessions: sessionmaker[Session],
    filled: Filled,
    key: str,
    amount: int,
    on: date,
    *,
    reversed_on: date | None = None,
    penalty: int = 0,
) -> None:
    with unit_of_work(sessions) as s:
        posted = loans.repay(s, filled.loans[key], amount, on=on, by=USER, penalty_paid=penalty)
    if reversed_on is not None:
        with unit_of_work(sessions) as s:
            reverse(s, posted.id, reason="angsuran salah catat", on=reversed_on, by=USER)
    filled.repayments.append((on, key, amount, reversed_on))


def _deposits(sessions: sessionmaker[Session], filled: Filled, year: int) -> None:
    with unit_of_work(sessions) as s:
        for month in range(1, 13):
            for index, member_id in enumerate(filled.members.values()):
                savings.deposit(
                    s,
                    member_id,
                    {"wajib": 20_000, "sukarela": 10_000 * (index + 1) + 1_000 * month},
                    on=date(year, month, 10 + index),
                    by=USER,
                )


def _business(sessions: sessionmaker[Session], year: int, shift: int) -> None:
    """Bank interest and expenses, in two units."""
    with unit_of_work(sessions) as s:
        cashbook.cash_in(
            s,
            on=date(year, 6, 30),
            account="4-901",
            amount=2_500_000 + shift,
            memo="Bunga bank",
            by=USER,
        )
        cashbook.cash_out(
            s, on=date(year, 7, 1), account="5-301", amount=1_200_000, memo="Gaji", by=USER
        )
        cashbook.cash_out(
            s,
            on=date(year, 7, 2),
            account="5-305",
            amount=300_000 + shift,
            memo="Listrik",
            by=USER,
            unit=TOKO,
        )
        cashbook.cash_in(
            s,
            on=date(year, 9, 1),
            account="4-901",
            amount=400_000,
            memo="Bunga toko",
            by=USER,
            unit=TOKO,
        )


def fill(sessions: sessionmaker[Session], *, close_years: bool = True) -> Filled:
    """2023 .. 2025 of a small cooperative. ``close_years``: tutup buku 2023 and 2024,
    reopen 2024, post into it and close it again (needs the year totals: head only)."""
    filled = Filled()
    for key, person, joined in (
        ("siti", SITI, date(2023, 1, 2)),
        ("asep", ASEP, date(2023, 1, 3)),
        ("dedi", DEDI, date(2023, 1, 4)),
    ):
        filled.members[key] = _register(sessions, person, joined)
    siti, asep, dedi = filled.members.values()

    # 2023
    with unit_of_work(sessions) as s:
        cashbook.cash_in(
            s,
            on=date(2023, 1, 20),
            account="2-201",
            amount=20_000_000,
            memo="Pinjaman bank",
            by=USER,
        )
    _deposits(sessions, filled, 2023)
    _business(sessions, 2023, 0)
    with unit_of_work(sessions) as s:
        savings.withdraw(s, siti, 15_000, on=date(2023, 6, 20), by=USER)
        late = savings.deposit(s, siti, {"sukarela": 50_000}, on=date(2023, 12, 27), by=USER)
    filled.loans["a"] = _loan(sessions, asep, 6_000_000, "0.015", 12, date(2023, 3, 1))
    for month in range(4, 12):
        _repay(sessions, filled, "a", 590_000, date(2023, month, 1))
    # Reversed in the next year: the reversal counts as an AN of 2024.
    _repay(sessions, filled, "a", 590_000, date(2023, 12, 28), reversed_on=date(2024, 1, 3))
    _count_cash(sessions, date(2023, 12, 31))
    if close_years:
        _close(sessions, 2023)

    # 2024
    with unit_of_work(sessions) as s:
        # A deposit of 2023 taken back in 2024 (kind ST in 2024's totals).
        cashbook.reverse_entry(s, late.id, reason="setoran ganda", on=date(2024, 1, 4), by=USER)
    _deposits(sessions, filled, 2024)
    _business(sessions, 2024, 10_000)
    with unit_of_work(sessions) as s:
        savings.withdraw(s, siti, 15_000, on=date(2024, 3, 20), by=USER)
        savings.withdraw(s, dedi, 30_000, on=date(2024, 11, 25), by=USER)
    _repay(sessions, filled, "a", 590_000, date(2024, 2, 1), penalty=5_000)
    _repay(sessions, filled, "a", 590_000, date(2024, 7, 15), reversed_on=date(2024, 7, 20))
    filled.loans["b"] = _loan(sessions, dedi, 3_000_000, "0.02", 6, date(2024, 5, 2))
    for on in (date(2024, 6, 2), date(2024, 7, 2), date(2024, 8, 2), date(2024, 12, 30)):
        _repay(sessions, filled, "b", 560_000, on)
    _count_cash(sessions, date(2024, 12, 31))
    if close_years:
        _close(sessions, 2024)
        with unit_of_work(sessions) as s:  # reopened: the TB entry reversed (RV of TB)
            closing.reopen_year(s, 2024, by="admin", reason="koreksi listrik", role="admin")
        with unit_of_work(sessions) as s:
            cashbook.cash_out(
                s,
                on=date(2024, 8, 1),
                account="5-305",
                amount=100_000,
                memo="Listrik susulan",
                by=USER,
                unit=TOKO,
            )
        _close(sessions, 2024)

    # 2025 (open)
    _deposits(sessions, filled, 2025)
    _business(sessions, 2025, 20_000)
    with unit_of_work(sessions) as s:
        savings.withdraw(s, siti, 15_000, on=date(2025, 9, 20), by=USER)
        bounced = savings.deposit(s, asep, {"sukarela": 70_000}, on=date(2025, 5, 11), by=USER)
        cashbook.reverse_entry(s, bounced.id, reason="uang palsu", on=date(2025, 5, 12), by=USER)
    _repay(sessions, filled, "a", 590_000, date(2025, 1, 15))
    with unit_of_work(sessions) as s:
        payoff = loans.payoff_amount(s, filled.loans["b"], date(2025, 2, 10))
        loans.pay_off(s, filled.loans["b"], on=date(2025, 2, 10), by=USER)
    filled.repayments.append((date(2025, 2, 10), "b", payoff.total, None))
    filled.loans["c"] = _loan(sessions, siti, 2_000_000, "0.01", 10, date(2025, 3, 1))
    for on in (date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)):
        _repay(sessions, filled, "c", 220_000, on)
    _repay(sessions, filled, "c", 100_000, date(2025, 7, 1))
    return filled


@pytest.fixture
def filled(book: Book) -> Filled:
    return fill(book.sessions)


# -- the same sums, computed here from the lines ---------------------------------------

_COLUMN = {
    "account": "l.account_id",
    "member": "l.member_id",
    "loan": "l.loan_id",
    "unit": "l.unit",
    # A reversal counts as the kind of the entry it reverses.
    "kind": "CASE WHEN e.reverses_id IS NULL THEN e.kind ELSE o.kind END",
}
_FROM = """
FROM journal_line AS l
JOIN journal_entry AS e ON e.id = l.entry_id
LEFT JOIN journal_entry AS o ON o.id = e.reverses_id
"""


def expected_flows(
    path: Path,
    start: date | None,
    end: date | None,
    group: Sequence[str],
    account_ids: Iterable[int] | None = None,
) -> dict[tuple[Any, ...], Flow]:
    where = ["1 = 1"]
    params: list[object] = []
    if start is not None:
        where.append("e.date >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("e.date <= ?")
        params.append(end.isoformat())
    if account_ids is not None:
        ids = sorted(account_ids)
        where.append(f"l.account_id IN ({', '.join('?' for _ in ids) or 'NULL'})")
        params.extend(ids)
    keys = [_COLUMN[name] for name in group]
    sql = (
        f"SELECT {''.join(k + ', ' for k in keys)}"
        "sum(CASE WHEN l.amount > 0 THEN l.amount ELSE 0 END), "
        f"sum(CASE WHEN l.amount < 0 THEN l.amount ELSE 0 END), count(*) {_FROM} "
        f"WHERE {' AND '.join(where)}" + (f" GROUP BY {', '.join(keys)}" if keys else "")
    )
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(sql, params).fetchall()
    finally:
        raw.close()
    return {
        tuple(row[: len(keys)]): Flow(row[-3], row[-2])
        for row in rows
        if row[-1]  # no lines at all: the one row of an ungrouped SUM
    }


_TABLE_KEY = (
    "CAST(substr(e.date, 1, 4) AS INTEGER), l.account_id, coalesce(l.member_id, 0), "
    f"coalesce(l.loan_id, 0), l.unit, {_COLUMN['kind']}"
)


def lines_by_year(path: Path) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(
            f"SELECT {_TABLE_KEY}, "
            "sum(CASE WHEN l.amount > 0 THEN l.amount ELSE 0 END), "
            "sum(CASE WHEN l.amount < 0 THEN l.amount ELSE 0 END), count(*) "
            f"{_FROM} GROUP BY 1, 2, 3, 4, 5, 6"
        ).fetchall()
    finally:
        raw.close()
    return {tuple(row[:6]): tuple(row[6:]) for row in rows}


def table_rows(path: Path) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(
            "SELECT year, account_id, member_id, loan_id, unit, kind, debit, credit, lines "
            "FROM ledger_year_total"
        ).fetchall()
    finally:
        raw.close()
    return {tuple(row[:6]): tuple(row[6:]) for row in rows}


def _scalar(path: Path, sql: str, *params: object) -> Any:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(sql, params).fetchone()[0]
    finally:
        raw.close()


# -- 1. flows equals the lines ----------------------------------------------------------

STARTS = [
    None,
    date(2023, 1, 1),
    date(2023, 3, 15),
    date(2023, 12, 31),
    date(2024, 1, 1),
    date(2024, 1, 4),
    date(2024, 7, 1),
    date(2025, 1, 1),
]
ENDS = [
    None,
    date(2023, 1, 1),
    date(2023, 12, 31),
    date(2024, 1, 3),
    date(2024, 6, 30),
    date(2024, 12, 31),
    date(2025, 5, 11),
    date(2025, 12, 31),
]
GROUPS: list[tuple[str, ...]] = [
    ("account",),
    ("account", "member"),
    ("loan", "kind"),
    ("account", "kind"),
    ("member", "account"),
    ("unit",),
    ("kind", "loan", "member", "unit", "account"),
    (),
]


def test_the_book_holds_what_the_test_needs(book: Book, filled: Filled) -> None:
    """Three years, reversals of several kinds (one across a year end), a reopened year."""
    path = book.path
    years = _scalar(path, "SELECT group_concat(DISTINCT substr(date, 1, 4)) FROM journal_entry")
    assert sorted(years.split(",")) == ["2023", "2024", "2025"]
    raw = sqlite3.connect(path)
    try:
        reversed_kinds = raw.execute(
            "SELECT o.kind, substr(o.date, 1, 4), substr(e.date, 1, 4) FROM journal_entry e "
            "JOIN journal_entry o ON o.id = e.reverses_id ORDER BY e.id"
        ).fetchall()
    finally:
        raw.close()
    assert reversed_kinds == [
        ("AN", "2023", "2024"),
        ("ST", "2023", "2024"),
        ("AN", "2024", "2024"),
        ("TB", "2024", "2024"),
        ("ST", "2025", "2025"),
    ]
    closings = _scalar(path, "SELECT count(*) FROM journal_entry WHERE kind = 'TB'")
    assert closings == 3  # 2023, 2024, 2024 again
    with read_session(book.sessions) as s:
        assert closing.year_closed(s, 2023) and closing.year_closed(s, 2024)
        assert not closing.year_closed(s, 2025)
    assert _scalar(path, "SELECT count(DISTINCT unit) FROM journal_line") == 2
    # The table holds every year and no reversal kind of its own.
    kept_years = _scalar(path, "SELECT group_concat(DISTINCT year) FROM ledger_year_total")
    assert sorted(kept_years.split(",")) == ["2023", "2024", "2025"]
    assert _scalar(path, "SELECT count(*) FROM ledger_year_total WHERE kind = 'RV'") == 0


def test_flows_equal_the_lines_for_every_span_and_grouping(book: Book, filled: Filled) -> None:
    with read_session(book.sessions) as s:
        chart = account_ids(s)
    subsets: list[set[int] | None] = [
        None,
        {chart["1-101"]},
        {chart["1-131"], chart["4-101"]},  # pinjaman and jasa: what repaid_amounts reads
        {chart["3-502"], chart["4-901"], chart["5-305"]},  # touched by the closings
        set(),
    ]
    checked = 0
    non_empty = 0
    with read_session(book.sessions) as s:
        for start, end, group, ids in itertools.product(STARTS, ENDS, GROUPS, subsets):
            expected = expected_flows(book.path, start, end, group, ids)
            found = flows(s, start, end, group, account_ids=ids)
            assert found == expected, (start, end, group, ids)
            checked += 1
            non_empty += bool(expected)
    assert checked == len(STARTS) * len(ENDS) * len(GROUPS) * len(subsets)
    assert non_empty > checked // 2  # most questions have an answer to get wrong


def test_flows_keep_the_kind_of_the_reversed_entry(book: Book, filled: Filled) -> None:
    """The 2023 deposit taken back on 4/1/2024 is a debit of ST in 2024, read from the
    year totals (whole 2024) or from the lines (that one day)."""
    siti = filled.members["siti"]
    with read_session(book.sessions) as s:
        day = flows(s, date(2024, 1, 4), date(2024, 1, 4), ("member", "kind"))
        year = flows(s, date(2024, 1, 1), date(2024, 12, 31), ("member", "kind"))
        before = flows(s, date(2023, 1, 1), date(2023, 12, 31), ("member", "kind"))
    assert day == {(siti, "ST"): Flow(50_000, 0), (None, "ST"): Flow(0, -50_000)}
    # Her only debit on a savings entry of 2024 is that reversal; 2023 has none.
    assert year[(siti, "ST")].debit == 50_000
    assert before[(siti, "ST")].debit == 0
    assert not any(kind == "RV" for _member, kind in {**day, **year, **before})
    # The reopening reversed the closing of 2024 on 31/12: TB both ways.
    with read_session(book.sessions) as s:
        chart = account_ids(s)
        closings = flows(
            s, date(2024, 1, 1), None, ("account", "kind"), account_ids={chart["3-502"]}
        )
    tb = closings[(chart["3-502"], "TB")]
    assert tb.debit > 0 > tb.credit


# -- 2. the table kept by the trigger equals the lines ------------------------------------


def test_the_year_totals_equal_the_lines_after_every_posting(book: Book, filled: Filled) -> None:
    kept = table_rows(book.path)
    assert kept == lines_by_year(book.path)
    assert len(kept) > 50
    assert sum(lines for _d, _c, lines in kept.values()) == _scalar(
        book.path, "SELECT count(*) FROM journal_line"
    )
    assert all(debit >= 0 >= credit for debit, credit, _n in kept.values())
    with read_session(book.sessions) as s:
        assert _year_totals(s) == []
        assert check_book(s) == []


# -- 3. repaid_amounts through the totals equals the loan's own lines -----------------------

REPAID_ON = [
    date(2023, 6, 30),
    date(2023, 12, 31),
    date(2024, 1, 3),
    date(2024, 6, 30),
    date(2024, 7, 17),
    date(2024, 12, 31),
    date(2025, 3, 15),
    date(2025, 12, 31),
    None,
]


def _repaid_by_hand(filled: Filled, on: date | None) -> dict[int, int]:
    """What the installments took, less those reversed by ``on``."""
    repaid: dict[int, int] = {}
    for paid_on, key, amount, reversed_on in filled.repayments:
        if on is not None and paid_on > on:
            continue
        loan_id = filled.loans[key]
        taken_back = reversed_on is not None and (on is None or reversed_on <= on)
        repaid[loan_id] = repaid.get(loan_id, 0) + (0 if taken_back else amount)
    return repaid


def test_repaid_amounts_through_the_year_totals_equal_the_loans_lines(
    book: Book, filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    loan_ids = sorted(filled.loans.values())
    assert len(loan_ids) == 3
    many = list(range(1, 602))  # more than FEW_LOANS: real loans and ids of no loan
    assert len(many) > loans.FEW_LOANS and set(loan_ids) <= set(many)
    for on in REPAID_ON:
        with read_session(book.sessions) as s:
            one_by_one = {}
            for loan_id in loan_ids:
                one_by_one.update(loans.repaid_amounts(s, [loan_id], on))
            few = loans.repaid_amounts(s, loan_ids, on)
            every = loans.repaid_amounts(s, None, on)
            by_many = loans.repaid_amounts(s, many, on)
        assert few == one_by_one, on
        assert {k: v for k, v in few.items() if v} == _repaid_by_hand(filled, on), on
        assert every == few, on
        assert by_many == few, on
    # A small list forced through the totals.
    monkeypatch.setattr(loans, "FEW_LOANS", 0)
    for on in REPAID_ON:
        with read_session(book.sessions) as s:
            forced = {loan_id: loans.repaid_amounts(s, [loan_id], on) for loan_id in loan_ids}
            forced_all = loans.repaid_amounts(s, loan_ids, on)
        monkeypatch.setattr(loans, "FEW_LOANS", 500)
        with read_session(book.sessions) as s:
            own = {loan_id: loans.repaid_amounts(s, [loan_id], on) for loan_id in loan_ids}
            own_all = loans.repaid_amounts(s, loan_ids, on)
        monkeypatch.setattr(loans, "FEW_LOANS", 0)
        assert forced == own, on
        assert forced_all == own_all, on


def test_installment_states_do_not_depend_on_the_path(
    book: Book, filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loan a: twelve installments paid, two of them taken back; the states agree both ways."""
    with read_session(book.sessions) as s:
        loan = loans.get_loan(s, filled.loans["a"])
        own = loans.installment_states(s, loan, date(2025, 12, 31))
    monkeypatch.setattr(loans, "FEW_LOANS", 0)
    with read_session(book.sessions) as s:
        loan = loans.get_loan(s, filled.loans["a"])
        forced = loans.installment_states(s, loan, date(2025, 12, 31))
    assert forced == own
    assert sum(1 for state in own if state.unpaid == 0) == 12 - 2


# -- 4. a changed total or a dropped trigger is found --------------------------------------


def _raw(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    raw = sqlite3.connect(path)
    try:
        for sql, params in statements:
            raw.execute(sql, params)
        raw.commit()
    finally:
        raw.close()


def test_a_changed_year_total_is_found(book: Book, filled: Filled) -> None:
    with read_session(book.sessions) as s:
        assert check_book(s) == []
        kas = account_ids(s)["1-101"]
    key = (2024, kas, 0, 0, "Simpan Pinjam", "ST")
    assert key in table_rows(book.path)
    _raw(
        book.path,
        (
            "UPDATE ledger_year_total SET debit = debit + 1000 WHERE year = ? AND account_id = ? "
            "AND member_id = ? AND loan_id = ? AND unit = ? AND kind = ?",
            key,
        ),
    )
    with read_session(book.sessions) as s:
        problems = check_book(s)
        whole_2024 = flows(s, date(2024, 1, 1), date(2024, 12, 31), ("account", "kind"))
        most_of_2024 = flows(s, date(2024, 1, 1), date(2024, 12, 30), ("account", "kind"))
    assert [p.where for p in problems] == ["Ringkasan tahunan"]
    assert "1-101 tahun 2024" in problems[0].message
    assert "tahun 2023" not in problems[0].message and "tahun 2025" not in problems[0].message
    # The whole year is read from the table (so it shows the change); a span short
    # of 31/12 is read from the lines (so it does not).
    truth = expected_flows(book.path, date(2024, 1, 1), date(2024, 12, 31), ("account", "kind"))
    assert whole_2024[(kas, "ST")] == Flow(
        truth[(kas, "ST")].debit + 1000, truth[(kas, "ST")].credit
    )
    assert most_of_2024 == expected_flows(
        book.path, date(2024, 1, 1), date(2024, 12, 30), ("account", "kind")
    )


def test_a_dropped_trigger_and_the_totals_it_left_behind_are_found(
    book: Book, filled: Filled
) -> None:
    _raw(book.path, ("DROP TRIGGER journal_line_year_total", ()))
    with unit_of_work(book.sessions) as s:  # posted the ordinary way, after the trigger went
        savings.deposit(
            s, filled.members["dedi"], {"sukarela": 12_300}, on=date(2025, 12, 1), by=USER
        )
    with read_session(book.sessions) as s:
        problems = check_book(s)
    by_place = {p.where: p.message for p in problems}
    assert set(by_place) == {"Pengaman jurnal", "Ringkasan tahunan"}, problems
    assert "journal_line_year_total" in by_place["Pengaman jurnal"]
    assert "1-101 tahun 2025" in by_place["Ringkasan tahunan"]
    assert "2-101 tahun 2025" in by_place["Ringkasan tahunan"]
    assert "tahun 2024" not in by_place["Ringkasan tahunan"]


# -- 5. the migration sums the lines already in the book ------------------------------------


def test_the_upgrade_sums_the_lines_of_a_book_made_before_the_table(
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
        line_count = _scalar(path, "SELECT count(*) FROM journal_line")
        assert line_count > 300
        assert (
            _scalar(path, "SELECT count(*) FROM journal_entry WHERE reverses_id IS NOT NULL") == 4
        )
        assert not _scalar(
            path, "SELECT count(*) FROM sqlite_master WHERE name = 'ledger_year_total'"
        )
        before = lines_by_year(path)
    finally:
        engine.dispose()

    book = open_book(path)
    try:
        assert current_revision(book.engine) == head_revision()
        assert table_rows(path) == before == lines_by_year(path)
        with read_session(book.sessions) as s:
            assert check_book(s) == []
            for start, end, group in itertools.product(STARTS, ENDS, GROUPS[:4]):
                assert flows(s, start, end, group) == expected_flows(path, start, end, group)
        # The trigger made by the migration keeps the backfilled rows going.
        with unit_of_work(book.sessions) as s:
            savings.deposit(
                s, filled.members["asep"], {"sukarela": 4_000}, on=date(2025, 12, 2), by=USER
            )
        assert table_rows(path) == lines_by_year(path) != before
        with read_session(book.sessions) as s:
            assert check_book(s) == []
    finally:
        book.close()


def test_downgrade_and_upgrade_rebuild_the_same_totals(book: Book, filled: Filled) -> None:
    """A book with closings and a reopened year: the backfill gives what the trigger kept."""
    from alembic import command

    kept = table_rows(book.path)
    command.downgrade(_alembic_config(book.engine), "0005")
    assert current_revision(book.engine) == "0005"
    assert not _scalar(
        book.path,
        "SELECT count(*) FROM sqlite_master WHERE name IN "
        "('ledger_year_total', 'journal_line_year_total')",
    )
    command.upgrade(_alembic_config(book.engine), "head")
    assert current_revision(book.engine) == head_revision()
    assert table_rows(book.path) == kept == lines_by_year(book.path)
    with read_session(book.sessions) as s:
        assert check_book(s) == []
