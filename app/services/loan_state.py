"""Where a loan stands on a date: pure arithmetic over its schedule and what was repaid.

Repayments fill the schedule in one fixed order (DOMAIN.md 3.2: oldest
installment first, interest before principal), so the cumulative amount repaid
up to a date determines exactly which installments are paid, partly paid or
overdue. Nothing about installments is stored besides the schedule itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from app.money import apply_rate

LANCAR, KURANG_LANCAR, DIRAGUKAN, MACET = "Lancar", "Kurang Lancar", "Diragukan", "Macet"
CLASSES = (LANCAR, KURANG_LANCAR, DIRAGUKAN, MACET)


class Due(NamedTuple):
    """One scheduled installment (from ``loan_installment``).

    A named tuple, not a dataclass: a RAT book reads a hundred thousand of them.
    """

    k: int
    due: date
    principal: int
    interest: int

    @property
    def amount(self) -> int:
        return self.principal + self.interest


@dataclass(frozen=True)
class InstallmentState:
    k: int
    due: date
    principal: int
    interest: int
    paid_principal: int
    paid_interest: int

    @property
    def amount(self) -> int:
        return self.principal + self.interest

    @property
    def paid(self) -> int:
        return self.paid_principal + self.paid_interest

    @property
    def unpaid_principal(self) -> int:
        return self.principal - self.paid_principal

    @property
    def unpaid_interest(self) -> int:
        return self.interest - self.paid_interest

    @property
    def unpaid(self) -> int:
        return self.amount - self.paid

    @property
    def is_paid(self) -> bool:
        return self.unpaid == 0


@dataclass(frozen=True)
class Allocation:
    """How a payment splits: per installment, interest then principal."""

    k: int
    interest: int
    principal: int

    @property
    def amount(self) -> int:
        return self.interest + self.principal


@dataclass(frozen=True)
class Classification:
    dpd_limits: tuple[int, int, int] = (90, 180, 270)
    ppap_rates: tuple[Decimal, Decimal, Decimal, Decimal] = (
        Decimal("0.005"),
        Decimal("0.10"),
        Decimal("0.50"),
        Decimal("1"),
    )

    def classify(self, dpd: int) -> str:
        lancar, kurang, ragu = self.dpd_limits
        if dpd <= lancar:
            return LANCAR
        if dpd <= kurang:
            return KURANG_LANCAR
        if dpd <= ragu:
            return DIRAGUKAN
        return MACET

    def ppap_rate(self, klass: str) -> Decimal:
        return self.ppap_rates[CLASSES.index(klass)]


def fill(schedule: Sequence[Due], repaid: int) -> list[InstallmentState]:
    """Spread the cumulative repaid amount over the schedule in allocation order."""
    left = repaid
    states = []
    for inst in schedule:
        interest = min(left, inst.interest)
        left -= interest
        principal = min(left, inst.principal)
        left -= principal
        states.append(
            InstallmentState(inst.k, inst.due, inst.principal, inst.interest, principal, interest)
        )
    return states


def allocate_payment(states: Sequence[InstallmentState], amount: int) -> list[Allocation]:
    """The split of a new payment over what is still unpaid, oldest first."""
    left = amount
    parts = []
    for state in states:
        if left <= 0:
            break
        if state.is_paid:
            continue
        interest = min(left, state.unpaid_interest)
        left -= interest
        principal = min(left, state.unpaid_principal)
        left -= principal
        if interest or principal:
            parts.append(Allocation(state.k, interest, principal))
    return parts


def days_past_due(states: Sequence[InstallmentState], on: date) -> int:
    """DPD: days since the due date of the oldest installment not fully paid, if before ``on``."""
    for state in states:
        if not state.is_paid:
            return max((on - state.due).days, 0)
    return 0


def arrears(states: Sequence[InstallmentState], on: date) -> int:
    """Unpaid amounts of installments due before ``on``."""
    return sum(s.unpaid for s in states if s.due < on)


def overdue_count(states: Sequence[InstallmentState], on: date) -> int:
    return sum(1 for s in states if s.due < on and not s.is_paid)


def penalty(
    parts: Sequence[Allocation],
    states: Sequence[InstallmentState],
    on: date,
    *,
    daily_rate: Decimal,
    grace_days: int,
) -> int:
    """Denda proposed for the late installments a payment covers (DOMAIN.md 3.2).

    rate x the amount paid towards each late installment x its days late past
    the grace period, rounded half up once for the whole payment.
    """
    due_by_k = {s.k: s.due for s in states}
    weighted = 0
    for part in parts:
        late = (on - due_by_k[part.k]).days - grace_days
        if late > 0:
            weighted += part.amount * late
    return apply_rate(weighted, daily_rate)
