"""Loan figures for Beranda: outstanding, overdue, NPL, and who is due this week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Loan, LoanInstallment, Member
from app.models.loan import DISBURSED
from app.queries.loans import PortfolioSummary, portfolio, summarize
from app.services import loans as loan_service
from app.services.loan_state import Due, fill

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class DueSoon:
    loan_id: int
    loan_number: str
    member_number: str
    member_name: str
    phone: str
    k: int
    due: date
    unpaid: int


@dataclass(frozen=True)
class LoanDashboard:
    summary: PortfolioSummary
    due_this_week: tuple[DueSoon, ...]

    @property
    def npl_percent(self) -> Decimal:
        return (self.summary.npl_ratio * 100).quantize(Decimal("0.1"))


def due_between(session: Session, start: date, end: date) -> list[DueSoon]:
    """Installments falling due in [start, end] that are not yet fully paid."""
    rows = session.execute(
        select(
            Loan.id, Loan.number, Loan.paid_before_cutover, Member.number, Member.name, Member.phone
        )
        .join(Member, Member.id == Loan.member_id)
        .where(
            Loan.status == DISBURSED,
            Loan.id.in_(
                select(LoanInstallment.loan_id).where(LoanInstallment.due.between(start, end))
            ),
        )
    ).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    schedules: dict[int, list[Due]] = defaultdict(list)
    for loan_id, k, due, principal, interest in session.execute(
        select(
            LoanInstallment.loan_id,
            LoanInstallment.k,
            LoanInstallment.due,
            LoanInstallment.principal,
            LoanInstallment.interest,
        )
        .where(LoanInstallment.loan_id.in_(ids))
        .order_by(LoanInstallment.loan_id, LoanInstallment.k)
    ):
        schedules[loan_id].append(Due(k, due, principal, interest))
    repaid = loan_service.repaid_amounts(session, ids)
    result = []
    for loan_id, number, cutover, member_number, name, phone in rows:
        schedule = schedules[loan_id]
        paid_before = sum(d.amount for d in schedule[:cutover])
        for state in fill(schedule, repaid.get(loan_id, 0) + paid_before):
            if start <= state.due <= end and not state.is_paid:
                result.append(
                    DueSoon(
                        loan_id,
                        number,
                        member_number,
                        name,
                        phone,
                        state.k,
                        state.due,
                        state.unpaid,
                    )
                )
    result.sort(key=lambda d: (d.due, d.member_name))
    return result


def loan_dashboard(session: Session, today: date) -> LoanDashboard:
    rows = portfolio(session, today, statuses=(DISBURSED,))
    return LoanDashboard(
        summary=summarize(session, rows),
        due_this_week=tuple(due_between(session, today, today + WEEK - timedelta(days=1))),
    )
