"""Loans: lifecycle, allocation, denda, payoff, write-off, DPD and kolektibilitas."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, ValidationError
from app.ledger.balances import balance
from app.models import JournalEntry, Loan
from app.services import loans, members
from app.services.loan_state import Classification, days_past_due
from tests.services.helpers import ASEP, SITI, USER, register

pytestmark = pytest.mark.usefixtures("fixed_today")

START = date(2025, 1, 31)


def _application(member_id: int, method: str = "flat", **kw: object) -> loans.LoanApplication:
    terms: dict[str, object] = {
        "member_id": member_id,
        "principal": 10_000_000,
        "monthly_rate": Decimal("0.015"),
        "months": 12,
        "method": method,
    }
    terms.update(kw)
    return loans.LoanApplication(**terms)  # type: ignore[arg-type]


def _disbursed(book: Book, method: str = "flat", on: date = START) -> tuple[int, int]:
    member_id = register(book, SITI, on=date(2024, 6, 1))
    with unit_of_work(book.sessions) as s:
        loan_id = loans.apply(s, _application(member_id, method), on=on, by=USER)
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return member_id, loan_id


def _entries(book: Book) -> int:
    with read_session(book.sessions) as s:
        return s.scalar(select(func.count(JournalEntry.id))) or 0


def test_lifecycle_posts_disbursement_with_fees(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with read_session(book.sessions) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None and loan.number == "P-2025-0001" and loan.status == "dicairkan"
        assert balance(s, "1-131") == 10_000_000
        assert balance(s, "4-102") == -100_000  # provisi 1%
        assert balance(s, "1-101") == 50_000 - 9_900_000
        assert loans.outstanding_principal(s, loan_id) == 10_000_000


def test_bad_applications_write_nothing(book: Book) -> None:
    member_id = register(book, SITI, on=date(2024, 6, 1))
    other = register(book, ASEP, on=date(2024, 6, 1))
    with unit_of_work(book.sessions) as s:
        members.exit_member(s, other, on=date(2024, 12, 1), reason="pindah", by=USER)
    before = _entries(book)
    cases = [
        (_application(member_id, principal=0), ValidationError),
        (_application(member_id, principal=-5), ValidationError),
        (_application(member_id, monthly_rate=Decimal("-0.01")), ValidationError),
        (_application(member_id, monthly_rate=Decimal("0.12")), ValidationError),
        (_application(member_id, months=0), ValidationError),
        (_application(other), NotAllowed),
        (_application(member_id, guarantor_id=member_id), ValidationError),
    ]
    for application, error in cases:
        with pytest.raises(error), unit_of_work(book.sessions) as s:
            loans.apply(s, application, on=START, by=USER)
    with read_session(book.sessions) as s:
        assert s.scalar(select(func.count(Loan.id))) == 0
    assert _entries(book) == before
    with unit_of_work(book.sessions) as s:  # a high rate goes through when confirmed
        loans.apply(
            s,
            _application(member_id, monthly_rate=Decimal("0.12")),
            on=START,
            by=USER,
            confirm_high_rate=True,
        )


def test_disbursement_needs_approval_and_happens_once(book: Book) -> None:
    member_id = register(book, SITI, on=date(2024, 6, 1))
    with unit_of_work(book.sessions) as s:
        loan_id = loans.apply(s, _application(member_id), on=START, by=USER)
    with pytest.raises(NotAllowed, match="belum disetujui"), unit_of_work(book.sessions) as s:
        loans.disburse(s, loan_id, on=START, by=USER)
    with unit_of_work(book.sessions) as s:
        loans.approve(s, loan_id, on=START, by="ketua")
        loans.disburse(s, loan_id, on=START, by=USER)
    with pytest.raises(NotAllowed, match="sudah dicairkan"), unit_of_work(book.sessions) as s:
        loans.disburse(s, loan_id, on=START, by=USER)


def test_partial_then_several_installments(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with read_session(book.sessions) as s:
        parts, _ = loans.preview_repayment(s, loan_id, 100_000, date(2025, 2, 28))
    assert [(p.k, p.interest, p.principal) for p in parts] == [(1, 100_000, 0)]
    with unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 100_000, on=date(2025, 2, 28), by=USER)
        loans.repay(s, loan_id, 983_333 * 2 - 100_000, on=date(2025, 3, 31), by=USER)
    with read_session(book.sessions) as s:
        assert balance(s, "4-101") == -300_000
        assert loans.outstanding_principal(s, loan_id) == 10_000_000 - 2 * 833_333
        states = loans.installment_states(s, s.get(Loan, loan_id))  # type: ignore[arg-type]
        assert [st.is_paid for st in states[:3]] == [True, True, False]


def test_late_payment_proposes_denda_as_in_journey_two(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 983_333 * 4, on=date(2025, 5, 31), by=USER)
    # Installment 5 is due 30/06/2025; paid 6 days late.
    with read_session(book.sessions) as s:
        parts, fine = loans.preview_repayment(s, loan_id, 983_333, date(2025, 7, 6))
    assert [p.k for p in parts] == [5]
    assert fine == 5_900
    with unit_of_work(book.sessions) as s:
        loans.repay(
            s,
            loan_id,
            983_333,
            on=date(2025, 7, 6),
            by=USER,
            penalty_waived_reason="musibah banjir",
        )
    with unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 983_333, on=date(2025, 7, 31), by=USER, penalty_paid=1_000)
    with read_session(book.sessions) as s:
        assert balance(s, "4-103") == -1_000


def test_overpayment_is_refused_payoff_settles(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with pytest.raises(NotAllowed, match="pelunasan"), unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 12_000_000, on=date(2025, 2, 28), by=USER)
    with unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 983_333 * 3, on=date(2025, 4, 30), by=USER)
    with read_session(book.sessions) as s:
        payoff = loans.payoff_amount(s, loan_id, date(2025, 5, 10))
    assert payoff.principal == 10_000_000 - 3 * 833_333
    assert (payoff.interest_due, payoff.next_interest) == (0, 150_000)
    with unit_of_work(book.sessions) as s:
        loans.pay_off(s, loan_id, on=date(2025, 5, 10), by=USER)
    with read_session(book.sessions) as s:
        assert s.get(Loan, loan_id).status == "lunas"  # type: ignore[union-attr]
        assert loans.outstanding_principal(s, loan_id) == 0
    with pytest.raises(NotAllowed, match="sudah lunas"), unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 1000, on=date(2025, 6, 1), by=USER)


def test_repayment_before_disbursement_date_is_refused(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with (
        pytest.raises(ValidationError, match="sebelum pinjaman dicairkan"),
        unit_of_work(book.sessions) as s,
    ):
        loans.repay(s, loan_id, 1000, on=date(2025, 1, 1), by=USER)


@pytest.mark.parametrize(
    ("dpd", "klass"),
    [
        (0, "Lancar"),
        (90, "Lancar"),
        (91, "Kurang Lancar"),
        (180, "Kurang Lancar"),
        (181, "Diragukan"),
        (270, "Diragukan"),
        (271, "Macet"),
    ],
)
def test_class_boundaries(dpd: int, klass: str) -> None:
    assert Classification().classify(dpd) == klass


def test_dpd_counts_from_the_oldest_unpaid_installment(book: Book) -> None:
    _, loan_id = _disbursed(book)
    with unit_of_work(book.sessions) as s:
        loans.repay(s, loan_id, 983_333 + 500, on=date(2025, 2, 28), by=USER)
    with read_session(book.sessions) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None
        on = date(2025, 3, 31) + timedelta(days=91)
        states = loans.installment_states(s, loan, on)
        assert days_past_due(states, on) == 91  # installment 2, due 31/03, is only partly paid
        assert days_past_due(states, date(2025, 3, 31)) == 0


def test_write_off_only_macet_then_recovery(book: Book, fixed_today: date) -> None:
    _, loan_id = _disbursed(book)
    with pytest.raises(NotAllowed, match="Macet"), unit_of_work(book.sessions) as s:
        loans.write_off(s, loan_id, on=date(2025, 6, 1), reason="rapat pengurus", by=USER)
    with unit_of_work(book.sessions) as s:
        loans.write_off(s, loan_id, on=date(2025, 12, 31), reason="rapat pengurus", by=USER)
        loans.recover(s, loan_id, 250_000, on=date(2025, 12, 31), by=USER)
    with read_session(book.sessions) as s:
        assert loans.outstanding_principal(s, loan_id) == 0
        assert balance(s, "1-139") == 10_000_000
        assert balance(s, "4-902") == -250_000


def test_exit_settles_loans_from_savings(book: Book) -> None:
    member_id, loan_id = _disbursed(book)
    with unit_of_work(book.sessions) as s:
        from app.services import savings

        savings.deposit(s, member_id, {"sukarela": 12_000_000}, on=date(2025, 2, 1), by=USER)
        loans.repay(s, loan_id, 983_333, on=date(2025, 2, 28), by=USER)
    with read_session(book.sessions) as s:
        settlement = members.exit_settlement(s, member_id, date(2025, 3, 15))
    # Principal left after installment 1; interest of installment 2 (due 31/03) is not due yet.
    assert settlement.loans_due == 10_000_000 - 833_333
    assert settlement.refund == 50_000 + 12_000_000 - settlement.loans_due
    with unit_of_work(book.sessions) as s:
        members.exit_member(s, member_id, on=date(2025, 3, 15), reason="pindah", by=USER)
    with read_session(book.sessions) as s:
        assert loans.outstanding_principal(s, loan_id) == 0
        assert s.get(Loan, loan_id).status == "lunas"  # type: ignore[union-attr]


def test_exit_with_debt_above_savings_needs_a_decision(book: Book) -> None:
    member_id, loan_id = _disbursed(book)
    with pytest.raises(NotAllowed, match="keputusan"), unit_of_work(book.sessions) as s:
        members.exit_member(s, member_id, on=date(2025, 3, 15), reason="pindah", by=USER)
    with unit_of_work(book.sessions) as s:
        members.exit_member(
            s,
            member_id,
            on=date(2025, 3, 15),
            reason="pindah",
            by=USER,
            decision="Rapat pengurus 10/03/2025: sisa utang ditagih",
        )
    with read_session(book.sessions) as s:
        # The 50.000 pokok paid interest of installment 1 first; the loan runs on.
        assert loans.outstanding_principal(s, loan_id) == 10_000_000
        assert s.get(Loan, loan_id).status == "dicairkan"  # type: ignore[union-attr]
        assert balance(s, "4-101") == -50_000
