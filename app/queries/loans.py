"""Read side for loans: the portfolio on a date (outstanding, arrears, DPD, class), detail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.db import READ_MEMO, plain_rows
from app.errors import NotAllowed
from app.ledger.chart import JASA_PINJAMAN, PINJAMAN_ANGGOTA
from app.ledger.year_totals import flows
from app.models import Account, JournalEntry, JournalLine, Loan, LoanInstallment, Member
from app.models.loan import APPLIED, APPROVED, DISBURSED, PAID_OFF, WRITTEN_OFF
from app.money import apply_rate
from app.services import loans as loan_service
from app.services.loan_state import (
    CLASSES,
    Allocation,
    Due,
    InstallmentState,
    allocate_payment,
    arrears,
    days_past_due,
    fill,
    overdue_count,
    penalty,
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


def _outstanding_of(session: Session, on: date, ids: list[int]) -> dict[int, int]:
    """Principal left (the 1-131 lines) on ``on`` of a few loans, from their own lines."""
    stmt = (
        select(JournalLine.loan_id, func.sum(JournalLine.amount))
        # "+ 0": by the loan's own lines, not every 1-131 line of the book.
        .join(Account, Account.id == JournalLine.account_id + 0)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            Account.code == PINJAMAN_ANGGOTA,
            JournalLine.loan_id.in_(ids),
            JournalEntry.date <= on,
        )
        .group_by(JournalLine.loan_id)
    )
    return {loan_id: int(total) for loan_id, total in session.execute(stmt) if loan_id}


def _every_loan_on(session: Session, on: date) -> tuple[dict[int, int], dict[int, int]]:
    """Principal left and repaid (as ``loans.repaid_amounts`` counts it) on ``on`` of
    every loan, in one read: the per-year totals of the years before ``on`` and the
    lines of its year up to it (``app.ledger.year_totals``)."""
    codes = (PINJAMAN_ANGGOTA, JASA_PINJAMAN)
    accounts = {
        code: account_id
        for code, account_id in session.execute(
            select(Account.code, Account.id).where(Account.code.in_(codes))
        )
    }
    principal_id = accounts.get(PINJAMAN_ANGGOTA)
    if principal_id is None:
        return {}, {}
    found = flows(
        session, None, on, ("loan", "account", "kind"), account_ids=set(accounts.values())
    )
    outstanding: dict[int, int] = {}
    repaid: dict[int, int] = {}
    for (loan_id, account_id, kind), flow in found.items():
        if loan_id is None:
            continue
        if account_id == principal_id:
            outstanding[loan_id] = outstanding.get(loan_id, 0) + flow.net
        if kind in loan_service.REPAYMENT_KINDS:
            repaid[loan_id] = repaid.get(loan_id, 0) - flow.net
    return outstanding, repaid


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


SCHEDULE_MEMO = "lumbung.schedules"


def read_schedules(session: Session, loan_ids: list[int]) -> dict[int, list[Due]]:
    """The stored installments of each loan, in order, as plain ``Due`` rows.

    Inside a read session they are kept for its length (the RAT book asks for the
    same loans at two year ends and in its trends); a schedule never changes once the
    loan is disbursed, and the snapshot cannot change under the session anyway.
    """
    kept: dict[int, list[Due]] | None = None
    if READ_MEMO in session.info:
        kept = session.info.setdefault(SCHEDULE_MEMO, {})
    wanted = loan_ids if kept is None else [i for i in loan_ids if i not in kept]
    schedules: dict[int, list[Due]] = defaultdict(list)
    for chunk in _chunks(wanted):
        installments = (
            select(
                LoanInstallment.loan_id,
                LoanInstallment.k,
                LoanInstallment.due,
                LoanInstallment.principal,
                LoanInstallment.interest,
            )
            .where(LoanInstallment.loan_id.in_(chunk))
            .order_by(LoanInstallment.loan_id, LoanInstallment.k)
        )
        # Plain rows (a RAT book reads a hundred thousand installments): due is text.
        for loan_id, k, due, principal, interest in plain_rows(session, installments):
            schedules[loan_id].append(Due(k, date.fromisoformat(due), principal, interest))
    if kept is None:
        return schedules
    for loan_id in wanted:
        kept[loan_id] = schedules.get(loan_id, [])
    return {loan_id: kept[loan_id] for loan_id in loan_ids if kept[loan_id]}


def portfolio(
    session: Session,
    on: date,
    *,
    statuses: tuple[str, ...] = (DISBURSED, PAID_OFF, WRITTEN_OFF),
    text: str = "",
    outstanding_only: bool = False,
    keep: Collection[int] = (),
) -> list[LoanRow]:
    """Every loan with its position on ``on``, in a handful of queries whatever the count.

    A loan's own status is today's; its figures are as of ``on`` (a loan paid off
    in March shows its outstanding principal on 31 January as it was then).
    Plain columns, no ORM objects; repayments and schedules are read only for
    the loans with principal left on ``on`` (the others owe nothing, are not late).
    ``outstanding_only`` leaves out the loans that owe nothing on ``on``, except
    those in ``keep``.
    """
    config = loan_service.loan_settings(session)
    classification = config.classification
    stmt = (
        select(
            Loan.id,
            Loan.number,
            Loan.member_id,
            Loan.principal,
            Loan.monthly_rate,
            Loan.months,
            Loan.method,
            Loan.status,
            Loan.applied_on,
            Loan.disbursed_on,
            Loan.closed_on,
            Loan.paid_before_cutover,
            Loan.class_override,
            Member.number,
            Member.name,
            Member.phone,
        )
        .join(Member, Member.id == Loan.member_id)
        .where(Loan.status.in_(statuses))
        .order_by(Loan.number)
    )
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(
            or_(Loan.number.ilike(like), Member.name.ilike(like), Member.number == text.strip())
        )
    # Plain rows (every loan of the book): the three dates come back as text.
    loans = [
        (*row[:8], _day(row[8]), _day(row[9]), _day(row[10]), *row[11:])
        for row in plain_rows(session, stmt)
    ]
    ids = [row[0] for row in loans]
    # A few loans (a detail, a member): by their own lines; many: one read of all.
    few = len(ids) <= loan_service.FEW_LOANS
    if few:
        outstanding = _outstanding_of(session, on, ids)
    else:
        outstanding, repaid_by_loan = _every_loan_on(session, on)
    live = [
        row[0]
        for row in loans
        if outstanding.get(row[0], 0) > 0 and row[9] is not None and row[9] <= on
    ]
    if few:
        repaid = loan_service.repaid_amounts(session, live, on)
    else:
        repaid = {loan_id: repaid_by_loan.get(loan_id, 0) for loan_id in live}
    schedules = read_schedules(session, live)
    rates: dict[str, Decimal] = {}
    rows = []
    for (
        loan_id,
        number,
        member_id,
        principal,
        rate_text,
        months,
        method,
        status,
        applied_on,
        disbursed_on,
        closed_on,
        paid_before_cutover,
        class_override,
        member_number,
        name,
        phone,
    ) in loans:
        left = outstanding.get(loan_id, 0)
        if outstanding_only and left <= 0 and loan_id not in keep:
            continue
        disbursed = disbursed_on is not None and disbursed_on <= on
        dpd = late = overdue = 0
        if left > 0 and disbursed:
            schedule = schedules.get(loan_id, [])
            cutover = sum(d.amount for d in schedule[:paid_before_cutover])
            paid = repaid.get(loan_id, 0) + cutover
            # Installments fully paid count in none of DPD, arrears, overdue: skip them.
            first = 0
            while first < len(schedule) and schedule[first].amount <= paid:
                paid -= schedule[first].amount
                first += 1
            states = fill(schedule[first:], paid)
            dpd = days_past_due(states, on)
            late = arrears(states, on)
            overdue = overdue_count(states, on)
        klass = class_override or classification.classify(dpd)
        rate = rates.get(rate_text)
        if rate is None:
            rate = rates[rate_text] = Decimal(rate_text)
        rows.append(
            LoanRow(
                id=loan_id,
                number=number,
                member_id=member_id,
                member_number=member_number,
                member_name=name,
                phone=phone,
                principal=principal,
                monthly_rate=rate,
                months=months,
                method=method,
                status=status,
                applied_on=applied_on,
                disbursed_on=disbursed_on,
                closed_on=closed_on,
                outstanding=max(left, 0),
                arrears=late,
                dpd=dpd,
                overdue_installments=overdue,
                klass=klass,
                class_overridden=bool(class_override),
                allowance=apply_rate(left, classification.ppap_rate(klass)) if left > 0 else 0,
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


# -- the counter and the decision: what a dialog shows about one loan ---------------


@dataclass(frozen=True)
class DueNow:
    """An installment still (partly) unpaid: its amount, what is left, days late on a date."""

    k: int
    due: date
    amount: int
    unpaid: int
    unpaid_interest: int
    unpaid_principal: int
    days_late: int


@dataclass(frozen=True)
class RepaymentInfo:
    """What the repayment dialog shows on ``on``: what is due, payoff, and how to split."""

    loan_id: int
    number: str
    member_id: int
    member_number: str
    member_name: str
    method: str
    principal: int
    monthly_rate: Decimal
    months: int
    status: str
    disbursed_on: date | None
    on: date
    outstanding: int  # principal still owed
    owed: int  # every unpaid interest and principal (the most a repayment may be)
    paid_installments: int
    states: tuple[InstallmentState, ...]
    due_now: tuple[DueNow, ...]  # unpaid installments due on or before ``on``, oldest first
    next_due: DueNow | None  # the first unpaid installment that falls due after ``on``
    payoff: loan_service.Payoff
    penalty_daily_rate: Decimal
    penalty_grace_days: int

    @property
    def amount_due(self) -> int:
        return sum(d.unpaid for d in self.due_now)

    @property
    def suggested(self) -> int:
        """What to fill in: what is due now, else the next installment."""
        if self.due_now:
            return self.amount_due
        return self.next_due.unpaid if self.next_due else 0

    @property
    def days_late(self) -> int:
        return max((d.days_late for d in self.due_now), default=0)

    def split(self, amount: int) -> tuple[list[Allocation], int]:
        """How ``amount`` would be allocated (as ``repay`` will) and the denda to propose."""
        if amount <= 0:
            return [], 0
        parts = allocate_payment(self.states, min(amount, self.owed))
        fine = penalty(
            parts,
            self.states,
            self.on,
            daily_rate=self.penalty_daily_rate,
            grace_days=self.penalty_grace_days,
        )
        return parts, fine

    def payoff_penalty(self) -> int:
        """Denda proposed with a payoff: on what is overdue among the installments due now."""
        return self.split(self.amount_due)[1] if self.due_now else 0


def _due_now(state: InstallmentState, on: date) -> DueNow:
    return DueNow(
        state.k,
        state.due,
        state.amount,
        state.unpaid,
        state.unpaid_interest,
        state.unpaid_principal,
        max((on - state.due).days, 0),
    )


def repayment_info(session: Session, loan_id: int, on: date) -> RepaymentInfo:
    loan = loan_service.get_loan(session, loan_id)
    if loan.status != DISBURSED or loan.disbursed_on is None:
        raise NotAllowed(
            f"Pinjaman {loan.number} berstatus {loan.status}; angsuran hanya untuk pinjaman "
            "yang sudah dicairkan dan belum lunas."
        )
    member = session.get(Member, loan.member_id)
    assert member is not None
    config = loan_service.loan_settings(session)
    states = loan_service.installment_states(session, loan)
    unpaid = [s for s in states if not s.is_paid]
    due_now = tuple(_due_now(s, on) for s in unpaid if s.due <= on)
    later = [s for s in unpaid if s.due > on]
    return RepaymentInfo(
        loan_id=loan.id,
        number=loan.number,
        member_id=member.id,
        member_number=member.number,
        member_name=member.name,
        method=loan.method,
        principal=loan.principal,
        monthly_rate=Decimal(loan.monthly_rate),
        months=loan.months,
        status=loan.status,
        disbursed_on=loan.disbursed_on,
        on=on,
        outstanding=sum(s.unpaid_principal for s in states),
        owed=sum(s.unpaid for s in states),
        paid_installments=sum(1 for s in states if s.is_paid),
        states=tuple(states),
        due_now=due_now,
        next_due=_due_now(later[0], on) if later else None,
        payoff=loan_service.payoff_amount(session, loan.id, on),
        penalty_daily_rate=config.penalty_daily_rate,
        penalty_grace_days=config.penalty_grace_days,
    )


def member_loans(session: Session, member_id: int, on: date) -> list[LoanRow]:
    """A member's loans that are running or waiting (applied, approved), oldest first."""
    member = session.get(Member, member_id)
    if member is None:
        return []
    rows = portfolio(session, on, statuses=(APPLIED, APPROVED, DISBURSED), text=member.number)
    return sorted(
        (r for r in rows if r.member_id == member_id), key=lambda r: (r.applied_on, r.number)
    )


@dataclass(frozen=True)
class Disbursement:
    entry_id: int
    number: str
    date: date
    principal: int
    fees: int

    @property
    def net(self) -> int:
        return self.principal - self.fees


def disbursement(session: Session, loan_id: int) -> Disbursement | None:
    """The pencairan entry of a loan (its receipt is the "bukti pencairan")."""
    rows = session.execute(
        select(
            JournalEntry.id,
            JournalEntry.number,
            JournalEntry.date,
            Account.code,
            JournalLine.amount,
        )
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalEntry.kind == "PC", JournalLine.loan_id == loan_id)
        .order_by(JournalEntry.id)
    ).all()
    if not rows:
        return None
    entry_id, number, day = rows[0][0], rows[0][1], rows[0][2]
    principal = sum(a for i, _n, _d, code, a in rows if i == entry_id and code == PINJAMAN_ANGGOTA)
    fees = -sum(
        a for i, _n, _d, code, a in rows if i == entry_id and code == loan_service.PROVISI_ADMIN
    )
    return Disbursement(entry_id, number, day, int(principal), int(fees))
