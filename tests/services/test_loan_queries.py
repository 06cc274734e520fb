"""The loan portfolio on a date: outstanding, arrears, DPD, classes, PPAP and NPL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.posting import reverse
from app.queries.loans import loan_detail, portfolio, summarize
from app.services import loans
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")


def _loan(book: Book, member_id: int, principal: int, on: date) -> int:
    with unit_of_work(book.sessions) as s:
        loan_id = loans.apply(
            s,
            loans.LoanApplication(member_id, principal, Decimal("0.02"), 10, "flat"),
            on=on,
            by=USER,
        )
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return loan_id


def test_portfolio_classes_allowance_and_npl(book: Book) -> None:
    siti = register(book, SITI, on=date(2024, 1, 2))
    asep = register(book, ASEP, on=date(2024, 1, 2))
    dedi = register(book, DEDI, on=date(2024, 1, 2))
    on_time = _loan(book, siti, 10_000_000, date(2025, 1, 10))
    late = _loan(book, asep, 5_000_000, date(2025, 1, 10))
    paid = _loan(book, dedi, 1_000_000, date(2025, 1, 10))
    with unit_of_work(book.sessions) as s:
        for month in range(2, 12):
            loans.repay(s, on_time, 1_200_000, on=date(2025, month, 10), by=USER)
        loans.repay(s, late, 700_000, on=date(2025, 2, 10), by=USER)
        loans.pay_off(s, paid, on=date(2025, 3, 1), by=USER)
    on = date(2025, 12, 31)
    with read_session(book.sessions) as s:
        rows = {r.id: r for r in portfolio(s, on)}
        summary = summarize(s, list(rows.values()))
        detail = loan_detail(s, late, on)
    assert rows[on_time].outstanding == 0 and rows[on_time].status == "lunas"
    assert rows[paid].outstanding == 0
    # Asep paid no. 1 and part of no. 2 (10/02), nothing since: no. 2 (due 10/03) is late.
    assert rows[late].outstanding == 4_500_000
    assert rows[late].dpd == (on - date(2025, 3, 10)).days
    assert rows[late].klass == "Macet"
    assert rows[late].arrears == 9 * 600_000 - 100_000  # 100.000 went to interest of no. 2
    assert summary.outstanding == 4_500_000
    assert summary.npl_ratio == 1
    assert summary.allowance == 4_500_000
    assert len(detail.installments) == 10 and detail.installments[0].is_paid
    assert [p.principal for p in detail.payments] == [500_000]
    # Before Asep fell behind, the same loan was Lancar.
    with read_session(book.sessions) as s:
        early = {r.id: r for r in portfolio(s, date(2025, 3, 1))}
    assert early[late].klass == "Lancar" and early[late].dpd == 0
    assert early[paid].outstanding == 0 and early[on_time].outstanding == 9_000_000


def test_dashboard_lists_installments_due_this_week(book: Book) -> None:
    from app.queries.loan_dashboard import loan_dashboard

    siti = register(book, SITI, on=date(2024, 1, 2))
    asep = register(book, ASEP, on=date(2024, 1, 2))
    first = _loan(book, siti, 1_000_000, date(2025, 11, 27))  # due 27/12
    second = _loan(book, asep, 2_000_000, date(2025, 11, 20))  # due 20/12, paid
    with unit_of_work(book.sessions) as s:
        loans.repay(s, second, 240_000, on=date(2025, 12, 19), by=USER)
    with read_session(book.sessions) as s:
        board = loan_dashboard(s, date(2025, 12, 21))
    assert [(d.loan_id, d.k, d.unpaid) for d in board.due_this_week] == [(first, 1, 120_000)]
    assert board.summary.loans == 2 and board.summary.outstanding == 2_800_000
    assert board.npl_percent == 0


def test_portfolio_of_many_loans_equals_the_loans_read_one_by_one(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over 500 loans the portfolio reads every loan at once from the year totals;
    # fewer are read by id from their own lines. Both must give the same rows, on
    # year ends (totals only), mid-year (totals + lines) and across a reversal.
    siti = register(book, SITI, on=date(2023, 1, 2))
    asep = register(book, ASEP, on=date(2023, 1, 2))
    dedi = register(book, DEDI, on=date(2023, 1, 2))
    old = _loan(book, siti, 6_000_000, date(2023, 6, 5))
    late = _loan(book, asep, 5_000_000, date(2024, 11, 10))
    recent = _loan(book, dedi, 2_000_000, date(2025, 2, 1))
    with unit_of_work(book.sessions) as s:
        for month in range(7, 13):
            loans.repay(s, old, 720_000, on=date(2023, month, 5), by=USER)
        loans.repay(s, late, 700_000, on=date(2024, 12, 10), by=USER)
        wrong = loans.repay(s, late, 700_000, on=date(2025, 1, 10), by=USER)
        loans.repay(s, recent, 240_000, on=date(2025, 3, 1), by=USER)
    with unit_of_work(book.sessions) as s:
        reverse(s, wrong.id, reason="salah anggota", on=date(2025, 1, 11), by=USER)
    dates = [date(2023, 12, 31), date(2024, 12, 31), date(2025, 1, 10), date(2025, 6, 30)]
    with read_session(book.sessions) as s:
        by_id = {on: portfolio(s, on) for on in dates}
    monkeypatch.setattr("app.services.loans.FEW_LOANS", 0)
    with read_session(book.sessions) as s:
        all_at_once = {on: portfolio(s, on) for on in dates}
    assert all_at_once == by_id
    # The reversal is seen: on 10/01 Asep had paid twice, after it once.
    paid_twice = {r.id: r for r in by_id[date(2025, 1, 10)]}[late]
    paid_once = {r.id: r for r in by_id[date(2025, 6, 30)]}[late]
    assert paid_once.outstanding > paid_twice.outstanding
    assert paid_once.dpd > 0
