"""Read side for loans: the portfolio on a date (outstanding, arrears, DPD, class), detail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.ledger.chart import PINJAMAN_ANGGOTA
from app.models import Account, JournalEntry, JournalLine, Loan, LoanInstallment, Member
from app.models.loan import APPLIED, APPROVED, DISBURSED, PAID_OFF, WRITTEN_OFF
from app.money import apply_rate
from app.services import loans as loan_service
from app.services.loan_state import (
    CLASSES,
    Due,
    InstallmentState,
    arrears,
    days_past_due,
    fill,
    overdue_count,
)
from app.services.schedule import build_schedule, effective_monthly_rate


@dataclass(frozen=True)
class LoanRow:
    id: int
    number: str
    member_id: int
    member_number: str
    member_name: str
    phone: str
    principal: int
    monthly_rate: Decimal
    months: int
    method: str
    status: str
    applied_on: date
    disbursed_on: date | None
    closed_on: date | None
    outstanding: int
    arrears: int
    dpd: int
    overdue_installments: int
    klass: str
    class_overridden: bool
    allowance: int  # required PPAP on this loan


@dataclass(frozen=True)
class ClassTotal:
    klass: str
    loans: int
    outstanding: int
    rate: Decimal
    allowance: int


@dataclass(frozen=True)
class PortfolioSummary:
    loans: int
    outstanding: int
    arrears: int
    overdue_loans: int
    classes: tuple[ClassTotal, ...]
    npl_outstanding: int

    @property
    def allowance(self) -> int:
        return sum(c.allowance for c in self.classes)

    @property
    def npl_ratio(self) -> Decimal:
        """NPL = (Kurang Lancar + Diragukan + Macet) / all outstanding principal."""
        if not self.outstanding:
            return Decimal(0)
        return Decimal(self.npl_outstanding) / Decimal(self.outstanding)

    @property
    def health(self) -> str:
        ratio = self.npl_ratio
        if ratio <= Decimal("0.05"):
            return "Sehat"
        if ratio <= Decimal("0.10"):
            return "Cukup Sehat"
        if ratio <= Decimal("0.15"):
            return "Kurang Sehat"
        return "Tidak Sehat"


def _outstanding_by_loan(session: Session, on: date, ids: list[int] | None) -> dict[int, int]:
    stmt = (
        select(JournalLine.loan_id, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            Account.code == PINJAMAN_ANGGOTA,
            JournalLine.loan_id.is_not(None),
            JournalEntry.date <= on,
        )
        .group_by(JournalLine.loan_id)
    )
    if ids is not None:
        stmt = stmt.where(JournalLine.loan_id.in_(ids))
    return {loan_id: int(total) for loan_id, total in session.execute(stmt) if loan_id}


def portfolio(
    session: Session,
    on: date,
    *,
    statuses: tuple[str, ...] = (DISBURSED, PAID_OFF, WRITTEN_OFF),
    text: str = "",
    outstanding_only: bool = False,
) -> list[LoanRow]:
    """Every loan with its position on ``on``, in a handful of queries whatever the count.

    A loan's own status is today's; its figures are as of ``on`` (a loan paid off
    in March shows its outstanding principal on 31 January as it was then).
    """
    config = loan_service.loan_settings(session)
    stmt = (
        select(Loan, Member.number, Member.name, Member.phone)
        .join(Member, Member.id == Loan.member_id)
        .where(Loan.status.in_(statuses))
        .order_by(Loan.number)
    )
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            or_(Loan.number.ilike(like), Member.name.ilike(like), Member.number == text.strip())
        )
    loans = session.execute(stmt).all()
    ids = [loan.id for loan, *_ in loans]
    # A few loans (a detail, a member): filter by id; many: one pass over everything.
    only = ids if len(ids) <= 500 else None
    outstanding = _outstanding_by_loan(session, on, only)
    repaid = loan_service.repaid_amounts(session, only, on)
    installments = select(
        LoanInstallment.loan_id,
        LoanInstallment.k,
        LoanInstallment.due,
        LoanInstallment.principal,
        LoanInstallment.interest,
    ).order_by(LoanInstallment.loan_id, LoanInstallment.k)
    if only is not None:
        installments = installments.where(LoanInstallment.loan_id.in_(only))
    schedules: dict[int, list[Due]] = defaultdict(list)
    for loan_id, k, due, principal, interest in session.execute(installments):
        schedules[loan_id].append(Due(k, due, principal, interest))
    rows = []
    for loan, number, name, phone in loans:
        left = outstanding.get(loan.id, 0)
        if outstanding_only and left <= 0:
            continue
        disbursed = loan.disbursed_on is not None and loan.disbursed_on <= on
        schedule = schedules.get(loan.id, [])
        states: list[InstallmentState] = []
        if disbursed:
            cutover = sum(d.amount for d in schedule[: loan.paid_before_cutover])
            states = fill(schedule, repaid.get(loan.id, 0) + cutover)
        settled = left <= 0
        dpd = 0 if settled or not disbursed else days_past_due(states, on)
        klass = loan.class_override or config.classification.classify(dpd)
        rows.append(
            LoanRow(
                id=loan.id,
                number=loan.number,
                member_id=loan.member_id,
                member_number=number,
                member_name=name,
                phone=phone,
                principal=loan.principal,
                monthly_rate=Decimal(loan.monthly_rate),
                months=loan.months,
                method=loan.method,
                status=loan.status,
                applied_on=loan.applied_on,
                disbursed_on=loan.disbursed_on,
                closed_on=loan.closed_on,
                outstanding=max(left, 0),
                arrears=0 if settled or not disbursed else arrears(states, on),
                dpd=dpd,
                overdue_installments=0 if settled or not disbursed else overdue_count(states, on),
                klass=klass,
                class_overridden=bool(loan.class_override),
                allowance=apply_rate(max(left, 0), config.classification.ppap_rate(klass)),
            )
        )
    return rows


def summarize(session: Session, rows: list[LoanRow]) -> PortfolioSummary:
    """Kolektibilitas table, required allowance (PPAP) and NPL of a portfolio."""
    config = loan_service.loan_settings(session)
    live = [r for r in rows if r.outstanding > 0]
    classes = []
    for klass in CLASSES:
        members = [r for r in live if r.klass == klass]
        total = sum(r.outstanding for r in members)
        rate = config.classification.ppap_rate(klass)
        classes.append(
            ClassTotal(klass, len(members), total, rate, sum(r.allowance for r in members))
        )
    return PortfolioSummary(
        loans=len(live),
        outstanding=sum(r.outstanding for r in live),
        arrears=sum(r.arrears for r in live),
        overdue_loans=sum(1 for r in live if r.arrears > 0),
        classes=tuple(classes),
        npl_outstanding=sum(r.outstanding for r in live if r.klass != CLASSES[0]),
    )


def applications(session: Session) -> list[LoanRow]:
    """Loans waiting for a decision or for disbursement."""
    return portfolio(session, date.max, statuses=(APPLIED, APPROVED))


@dataclass(frozen=True)
class LoanPayment:
    entry_id: int
    number: str
    date: date
    kind: str
    memo: str
    interest: int
    principal: int
    penalty: int

    @property
    def total(self) -> int:
        return self.interest + self.principal + self.penalty


@dataclass(frozen=True)
class LoanDetail:
    row: LoanRow
    purpose: str
    collateral: str
    collateral_value: int
    guarantor: str
    provisi: int
    admin_fee: int
    round_to: int
    decided_on: date | None
    decided_by: str
    decision_note: str
    class_override_reason: str
    installments: tuple[InstallmentState, ...]
    payments: tuple[LoanPayment, ...]
    total_interest: int
    effective_rate: Decimal


def loan_detail(session: Session, loan_id: int, on: date) -> LoanDetail:
    loan = loan_service.get_loan(session, loan_id)
    row = next(
        r
        for r in portfolio(session, on, statuses=(loan.status,), text=loan.number)
        if r.id == loan_id
    )
    states = loan_service.installment_states(session, loan, on) if loan.disbursed_on else []
    if states:
        total_interest = sum(s.interest for s in states)
        planned = build_schedule(
            loan.principal,
            Decimal(loan.monthly_rate),
            loan.months,
            loan.method,
            loan.disbursed_on or loan.applied_on,
            round_to=loan.round_to,
        )
    else:
        planned = build_schedule(
            loan.principal,
            Decimal(loan.monthly_rate),
            loan.months,
            loan.method,
            loan.applied_on,
            round_to=loan.round_to,
        )
        total_interest = planned.total_interest
    guarantor = ""
    if loan.guarantor_id:
        g = session.get(Member, loan.guarantor_id)
        guarantor = f"{g.number} {g.name}" if g else ""
    meta: dict[int, tuple[str, date, str, str]] = {}
    sums: dict[int, list[int]] = {}
    slot = {"4-101": 0, "1-131": 1, "4-103": 2}
    for entry_id, number, day, kind, memo, code, amount in session.execute(
        select(
            JournalEntry.id,
            JournalEntry.number,
            JournalEntry.date,
            JournalEntry.kind,
            JournalEntry.memo,
            Account.code,
            JournalLine.amount,
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.loan_id == loan_id, JournalEntry.kind != "PC")
        .order_by(JournalEntry.date, JournalEntry.id)
    ):
        meta.setdefault(entry_id, (number, day, kind, memo))
        parts = sums.setdefault(entry_id, [0, 0, 0])
        if code in slot:
            parts[slot[code]] -= amount
    return LoanDetail(
        row=row,
        purpose=loan.purpose,
        collateral=loan.collateral,
        collateral_value=loan.collateral_value,
        guarantor=guarantor,
        provisi=loan.provisi,
        admin_fee=loan.admin_fee,
        round_to=loan.round_to,
        decided_on=loan.decided_on,
        decided_by=loan.decided_by,
        decision_note=loan.decision_note,
        class_override_reason=loan.class_override_reason,
        installments=tuple(states),
        payments=tuple(
            LoanPayment(entry_id, *meta[entry_id], *sums[entry_id]) for entry_id in meta
        ),
        total_interest=total_interest,
        effective_rate=effective_monthly_rate(planned),
    )
