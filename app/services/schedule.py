"""Loan schedules (DOMAIN.md 3.1): flat, menurun (declining) and anuitas (annuity).

Pure arithmetic on whole rupiah and Decimal rates, no database: the same
function serves the live preview while a loan is typed in, the disbursement,
the repayment allocation and the migration of old loans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from app.dates import add_months
from app.errors import ValidationError
from app.money import MAX_AMOUNT, apply_rate

FLAT, MENURUN, ANUITAS = "flat", "menurun", "anuitas"
METHODS = (FLAT, MENURUN, ANUITAS)
METHOD_LABELS = {FLAT: "Flat", MENURUN: "Menurun", ANUITAS: "Anuitas"}
MAX_TERM_MONTHS = 360


@dataclass(frozen=True)
class Installment:
    k: int
    due: date
    principal: int
    interest: int
    principal_left: int

    @property
    def amount(self) -> int:
        return self.principal + self.interest


@dataclass(frozen=True)
class Schedule:
    principal: int
    monthly_rate: Decimal  # 0.015 for 1,5% a month
    months: int
    method: str
    disbursed: date
    installments: tuple[Installment, ...]

    @property
    def total_interest(self) -> int:
        return sum(i.interest for i in self.installments)

    @property
    def total_paid(self) -> int:
        return self.principal + self.total_interest


def annuity_payment(principal: int, rate: Decimal, months: int) -> int:
    """A = round(P i / (1 - (1 + i)^-n)), half up to Rp1."""
    if rate == 0:
        raise ValueError("annuity_payment needs a positive rate")
    with localcontext() as ctx:
        ctx.prec = 60
        factor = (Decimal(1) + rate) ** (-months)
        exact = Decimal(principal) * rate / (Decimal(1) - factor)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _round_up(amount: int, step: int) -> int:
    if step <= 1:
        return amount
    return -(-amount // step) * step


def validate_terms(principal: int, rate: Decimal, months: int, method: str) -> None:
    if isinstance(principal, bool) or not isinstance(principal, int) or principal <= 0:
        raise ValidationError("Pokok pinjaman harus lebih dari Rp0.", field="principal")
    if principal > MAX_AMOUNT:
        raise ValidationError("Pokok pinjaman melebihi batas Rp100.000.000.000.", field="principal")
    if rate < 0:
        raise ValidationError("Bunga per bulan tidak boleh minus.", field="rate")
    if not 1 <= months <= MAX_TERM_MONTHS:
        raise ValidationError(
            f"Jangka waktu harus 1 sampai {MAX_TERM_MONTHS} bulan.", field="months"
        )
    if method not in METHODS:
        raise ValidationError("Metode pinjaman harus flat, menurun atau anuitas.", field="method")


def build_schedule(
    principal: int,
    monthly_rate: Decimal,
    months: int,
    method: str,
    disbursed: date,
    *,
    round_to: int = 1,
) -> Schedule:
    """The installments of a loan; every rounding is half up to Rp1, done once.

    ``round_to`` (100, 500, 1.000) rounds each installment total up; the last
    installment takes the difference so that the principal is repaid exactly.
    """
    validate_terms(principal, monthly_rate, months, method)
    rows: list[Installment] = []
    left = principal
    equal_principal = principal // months
    annuity = (
        annuity_payment(principal, monthly_rate, months)
        if method == ANUITAS and monthly_rate > 0
        else 0
    )
    for k in range(1, months + 1):
        if method == FLAT:
            interest = apply_rate(principal, monthly_rate)
        else:
            interest = apply_rate(left, monthly_rate)
        if k == months:
            part = left
        elif method == ANUITAS and monthly_rate > 0:
            part = annuity - interest
        else:
            part = equal_principal
        if k < months and round_to > 1:
            part = _round_up(part + interest, round_to) - interest
        part = max(0, min(part, left))
        left -= part
        rows.append(Installment(k, add_months(disbursed, k), part, interest, left))
    return Schedule(principal, monthly_rate, months, method, disbursed, tuple(rows))


def effective_monthly_rate(schedule: Schedule) -> Decimal:
    """The rate at which the installments repay the principal (IRR), for the member to compare.

    Flat 1,5% a month over 12 months is about 2,64% effective. Solved by
    bisection in Decimal; it is a figure to show, never used to post money.
    """
    payments = [i.amount for i in schedule.installments]
    if schedule.total_interest == 0:
        return Decimal(0)

    def present_value(rate: Decimal) -> Decimal:
        total = Decimal(0)
        factor = Decimal(1)
        for amount in payments:
            factor /= Decimal(1) + rate
            total += Decimal(amount) * factor
        return total

    low, high = Decimal(0), Decimal(1)
    with localcontext() as ctx:
        ctx.prec = 30
        for _ in range(80):
            mid = (low + high) / 2
            if present_value(mid) > schedule.principal:
                low = mid
            else:
                high = mid
    return ((low + high) / 2).quantize(Decimal("0.000001"))
