"""What the kartu angsuran and the ringkasan perjanjian pinjaman say about one loan.

Both PDFs (app/reports/pdf/loan_card.py, loan_agreement.py) render a
``LoanDocument`` and run no queries. A loan not yet disbursed gets the planned
schedule counted from ``on`` (the dates are then an estimate, ``planned``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotAllowed
from app.ledger.chart import PINJAMAN_ANGGOTA
from app.models import Account, JournalEntry, JournalLine, Member
from app.models.loan import APPLIED, REJECTED
from app.services import loans as loan_service
from app.services.loan_state import fill
from app.services.schedule import FLAT, METHOD_LABELS, build_schedule, effective_monthly_rate
from app.services.settings import Profile, get_profile


@dataclass(frozen=True)
class Party:
    number: str
    name: str
    nik: str
    address: str
    phone: str


@dataclass(frozen=True)
class CardRow:
    k: int
    due: date
    principal: int
    interest: int
    principal_left: int  # after this installment, as scheduled
    paid: int  # paid so far towards this installment
    paid_on: date | None  # the date of the payment that completed it

    @property
    def amount(self) -> int:
        return self.principal + self.interest


@dataclass(frozen=True)
class LoanDocument:
    profile: Profile
    number: str
    status: str
    member: Party
    guarantor: Party | None
    principal: int
    monthly_rate: Decimal
    months: int
    method: str
    round_to: int
    provisi: int
    admin_fee: int
    purpose: str
    collateral: str
    collateral_value: int
    applied_on: date
    decided_on: date | None
    decided_by: str
    disbursed_on: date | None
    planned: bool  # True: not disbursed yet, dates counted from ``start`` as an estimate
    start: date
    rows: tuple[CardRow, ...]
    effective_rate: Decimal
    penalty_daily_rate: Decimal
    penalty_grace_days: int
    waive_future_interest_on_payoff: bool

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    @property
    def is_flat(self) -> bool:
        return self.method == FLAT

    @property
    def total_interest(self) -> int:
        return sum(r.interest for r in self.rows)

    @property
    def total_paid(self) -> int:
        return self.principal + self.total_interest

    @property
    def first_installment(self) -> int:
        return self.rows[0].amount if self.rows else 0

    @property
    def equal_installments(self) -> bool:
        """All installments but the last are the same amount (flat, anuitas)."""
        amounts = {r.amount for r in self.rows[:-1]}
        return len(amounts) <= 1

    @property
    def net_received(self) -> int:
        return self.principal - self.provisi - self.admin_fee


def _party(member: Member) -> Party:
    parts = [member.address]
    if member.rt or member.rw:
        parts.append(f"RT {member.rt or '-'}/RW {member.rw or '-'}")
    if member.dusun:
        parts.append(f"Dusun {member.dusun}")
    return Party(
        member.number,
        member.name,
        member.nik,
        ", ".join(p for p in parts if p),
        member.phone,
    )


def _paid_dates(session: Session, loan_id: int) -> list[tuple[date, int]]:
    """(date, amount towards installments) of each repayment, in posting order."""
    rows = session.execute(
        select(JournalEntry.date, JournalEntry.id, JournalLine.amount)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.loan_id == loan_id,
            JournalLine.account_id.in_(
                select(Account.id).where(
                    Account.code.in_((PINJAMAN_ANGGOTA, loan_service.JASA_PINJAMAN))
                )
            ),
            JournalEntry.kind.in_(loan_service.REPAYMENT_KINDS),
        )
        .order_by(JournalEntry.date, JournalEntry.id)
    ).all()
    merged: dict[int, tuple[date, int]] = {}
    for day, entry_id, amount in rows:
        old = merged.get(entry_id, (day, 0))
        merged[entry_id] = (day, old[1] - int(amount))
    return list(merged.values())


def loan_document(session: Session, loan_id: int, on: date) -> LoanDocument:
    """The card and agreement data; an application not yet approved has no documents."""
    loan = loan_service.get_loan(session, loan_id)
    if loan.status in (APPLIED, REJECTED):
        raise NotAllowed(
            f"Pinjaman {loan.number} berstatus {loan.status}; kartu angsuran dan ringkasan "
            "perjanjian dicetak setelah pinjaman disetujui."
        )
    member = session.get(Member, loan.member_id)
    assert member is not None
    guarantor = session.get(Member, loan.guarantor_id) if loan.guarantor_id else None
    config = loan_service.loan_settings(session)
    rate = Decimal(loan.monthly_rate)
    start = loan.disbursed_on or on
    planned = build_schedule(
        loan.principal, rate, loan.months, loan.method, start, round_to=loan.round_to
    )
    rows: list[CardRow] = []
    if loan.disbursed_on is not None:
        schedule = loan_service.schedule_of(session, loan.id)
        cutover = sum(d.amount for d in schedule[: loan.paid_before_cutover])
        states = loan_service.installment_states(session, loan)
        # Replay the repayments in order to find the day each installment was completed.
        completed: dict[int, date] = {}
        total = cutover
        for day, amount in _paid_dates(session, loan.id):
            total += amount
            for state in fill(schedule, total):
                if state.is_paid and state.k not in completed:
                    completed[state.k] = day
        left = loan.principal
        for state in states:
            left -= state.principal
            rows.append(
                CardRow(
                    state.k,
                    state.due,
                    state.principal,
                    state.interest,
                    left,
                    state.paid,
                    completed.get(state.k) if state.is_paid else None,
                )
            )
    else:
        rows = [
            CardRow(i.k, i.due, i.principal, i.interest, i.principal_left, 0, None)
            for i in planned.installments
        ]
    return LoanDocument(
        profile=get_profile(session),
        number=loan.number,
        status=loan.status,
        member=_party(member),
        guarantor=_party(guarantor) if guarantor else None,
        principal=loan.principal,
        monthly_rate=rate,
        months=loan.months,
        method=loan.method,
        round_to=loan.round_to,
        provisi=loan.provisi,
        admin_fee=loan.admin_fee,
        purpose=loan.purpose,
        collateral=loan.collateral,
        collateral_value=loan.collateral_value,
        applied_on=loan.applied_on,
        decided_on=loan.decided_on,
        decided_by=loan.decided_by,
        disbursed_on=loan.disbursed_on,
        planned=loan.disbursed_on is None,
        start=start,
        rows=tuple(rows),
        effective_rate=effective_monthly_rate(planned),
        penalty_daily_rate=config.penalty_daily_rate,
        penalty_grace_days=config.penalty_grace_days,
        waive_future_interest_on_payoff=config.waive_future_interest_on_payoff,
    )
