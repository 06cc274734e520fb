"""Loans of the year (DOMAIN.md 7): the recap per loan and the kolektibilitas summary.

Figures are as of 31 December of the year (DPD, arrears, kolektibilitas), the
loans recap lists every loan with principal left on that day, or that had
principal at some time in the year (paid off or written off: Sisa Pokok 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.ledger.balances import balance
from app.ledger.chart import CKPN
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.queries import loans as loan_queries
from app.queries import statements as q


@dataclass(frozen=True)
class LoanRecapRow:
    loan_id: int
    number: str
    member_id: int
    member_number: str
    member_name: str
    disbursed_on: date | None
    principal: int
    monthly_rate: Decimal  # 0.015 = 1,5% a month
    months: int
    method: str  # flat, menurun, anuitas
    status: str  # on 31 December: dicairkan (running), lunas, dihapusbukukan
    opening: int  # principal left on 31/12 of the year before
    lent: int  # disbursed in the year (or a migrated loan's opening row)
    repaid: int  # principal repaid in the year
    written_off: int  # principal written off in the year
    interest_paid: int  # jasa pinjaman paid in the year
    outstanding: int  # Sisa Pokok on 31 December
    arrears: int  # Tunggakan: unpaid amounts of installments due before 31 December
    dpd: int  # Hari Tunggakan
    overdue_installments: int
    klass: str  # Kolektibilitas
    class_overridden: bool
    allowance: int  # PPAP required on this loan

    @property
    def adds_up(self) -> bool:
        return self.opening + self.lent - self.repaid - self.written_off == self.outstanding


@dataclass(frozen=True)
class LoansRecap:
    year: int
    on: date
    rows: tuple[LoanRecapRow, ...]

    @property
    def outstanding(self) -> int:
        return sum(r.outstanding for r in self.rows)

    @property
    def arrears(self) -> int:
        return sum(r.arrears for r in self.rows)

    @property
    def lent(self) -> int:
        return sum(r.lent for r in self.rows)

    @property
    def repaid(self) -> int:
        return sum(r.repaid for r in self.rows)

    @property
    def interest_paid(self) -> int:
        return sum(r.interest_paid for r in self.rows)

    @property
    def disbursed_in_year(self) -> tuple[LoanRecapRow, ...]:
        return tuple(
            r for r in self.rows if r.disbursed_on is not None and r.disbursed_on.year == self.year
        )


def _status_on(outstanding: int, status: str, written_off: int) -> str:
    if outstanding > 0:
        return DISBURSED
    if written_off or status == WRITTEN_OFF:
        return WRITTEN_OFF
    return PAID_OFF


def loans_recap(
    year: int,
    rows_on_end: list[loan_queries.LoanRow],
    rows_before: list[loan_queries.LoanRow],
    flows: dict[int, q.LoanFlow],
) -> LoansRecap:
    """``rows_on_end``/``rows_before``: the portfolio on 31/12 of the year and the year
    before; ``flows``: what each loan moved in the year."""
    end = date(year, 12, 31)
    before = {r.id: r.outstanding for r in rows_before}
    result = []
    for r in rows_on_end:
        flow = flows.get(r.id, q.LoanFlow(0, 0, 0, 0))
        opening = before.get(r.id, 0)
        if r.outstanding <= 0 and opening <= 0 and not flow.lent:
            continue
        result.append(
            LoanRecapRow(
                loan_id=r.id,
                number=r.number,
                member_id=r.member_id,
                member_number=r.member_number,
                member_name=r.member_name,
                disbursed_on=r.disbursed_on,
                principal=r.principal,
                monthly_rate=r.monthly_rate,
                months=r.months,
                method=r.method,
                status=_status_on(r.outstanding, r.status, flow.written_off),
                opening=opening,
                lent=flow.lent,
                repaid=flow.repaid,
                written_off=flow.written_off,
                interest_paid=flow.interest,
                outstanding=r.outstanding,
                arrears=r.arrears,
                dpd=r.dpd,
                overdue_installments=r.overdue_installments,
                klass=r.klass,
                class_overridden=r.class_overridden,
                allowance=r.allowance,
            )
        )
    return LoansRecap(year, end, tuple(result))


@dataclass(frozen=True)
class QualityClass:
    klass: str  # Lancar, Kurang Lancar, Diragukan, Macet
    loans: int
    outstanding: int
    rate: Decimal  # PPAP rate, 0.005 = 0,5%
    allowance: int


@dataclass(frozen=True)
class LoanQuality:
    """The kolektibilitas table on one date, with PPAP and NPL (DOMAIN.md 3.3)."""

    on: date
    classes: tuple[QualityClass, ...]
    loans: int
    outstanding: int
    arrears: int
    overdue_loans: int
    allowance_required: int  # PPAP
    allowance_booked: int  # credit balance of 1-139 CKPN
    npl_outstanding: int  # Kurang Lancar + Diragukan + Macet
    npl_ratio: Decimal  # 0.0514 = 5,14%
    health: str  # Sehat, Cukup Sehat, Kurang Sehat, Tidak Sehat

    @property
    def allowance_difference(self) -> int:
        return self.allowance_required - self.allowance_booked


def loan_quality(session: Session, on: date, rows: list[loan_queries.LoanRow]) -> LoanQuality:
    summary = loan_queries.summarize(session, rows)
    return LoanQuality(
        on=on,
        classes=tuple(
            QualityClass(c.klass, c.loans, c.outstanding, c.rate, c.allowance)
            for c in summary.classes
        ),
        loans=summary.loans,
        outstanding=summary.outstanding,
        arrears=summary.arrears,
        overdue_loans=summary.overdue_loans,
        allowance_required=summary.allowance,
        allowance_booked=-balance(session, CKPN, on=on),
        npl_outstanding=summary.npl_outstanding,
        npl_ratio=summary.npl_ratio,
        health=summary.health,
    )


@dataclass(frozen=True)
class KolektibilitasSummary:
    year: int
    current: LoanQuality  # 31 December of the year
    previous: LoanQuality  # 31 December of the year before


def build_loans(session: Session, year: int) -> tuple[LoansRecap, KolektibilitasSummary]:
    end, before = date(year, 12, 31), date(year - 1, 12, 31)
    # Only the loans the year is about: owing something on either 31/12 or lent
    # during the year (a ten-year book has thousands paid off long ago).
    previous_rows = loan_queries.portfolio(session, before, outstanding_only=True)
    flows = q.loan_flows(session, date(year, 1, 1), end)
    keep = {r.id for r in previous_rows} | {loan_id for loan_id, f in flows.items() if f.lent}
    rows = loan_queries.portfolio(session, end, outstanding_only=True, keep=keep)
    return loans_recap(year, rows, previous_rows, flows), KolektibilitasSummary(
        year, loan_quality(session, end, rows), loan_quality(session, before, previous_rows)
    )
