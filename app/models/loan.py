"""Loans (DOMAIN.md 3): products, loans and their fixed schedules.

Money owed and paid is never stored here: it is derived from journal lines
that carry the loan's id. The schedule is fixed at approval/disbursement and
kept as rows so that lists of thousands of loans need no recomputation.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

APPLIED, APPROVED, REJECTED, DISBURSED, PAID_OFF, WRITTEN_OFF = (
    "pengajuan",
    "disetujui",
    "ditolak",
    "dicairkan",
    "lunas",
    "dihapusbukukan",
)
LOAN_STATUSES = (APPLIED, APPROVED, REJECTED, DISBURSED, PAID_OFF, WRITTEN_OFF)


class LoanProduct(Base):
    __tablename__ = "loan_product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    method: Mapped[str] = mapped_column(String(8))
    monthly_rate: Mapped[str] = mapped_column(String(16))  # Decimal text, 0.015 = 1,5%
    min_months: Mapped[int] = mapped_column(Integer, default=1)
    max_months: Mapped[int] = mapped_column(Integer, default=36)
    provisi_rate: Mapped[str] = mapped_column(String(16), default="0.01")
    admin_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    # Ceiling: principal at most k x the member's savings; empty = no ceiling.
    ceiling_multiple: Mapped[str] = mapped_column(String(16), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Loan(Base):
    __tablename__ = "loan"
    __table_args__ = (
        CheckConstraint("principal > 0", name="principal"),
        CheckConstraint("months > 0", name="months"),
        CheckConstraint("method IN ('flat', 'menurun', 'anuitas')", name="method"),
        CheckConstraint(
            "status IN ('pengajuan', 'disetujui', 'ditolak', 'dicairkan', 'lunas', "
            "'dihapusbukukan')",
            name="status",
        ),
        Index("ix_loan_member", "member_id"),
        Index("ix_loan_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("loan_product.id"), default=None)
    principal: Mapped[int] = mapped_column(BigInteger)
    monthly_rate: Mapped[str] = mapped_column(String(16))  # Decimal text
    months: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(8))
    round_to: Mapped[int] = mapped_column(Integer, default=1)
    provisi: Mapped[int] = mapped_column(BigInteger, default=0)
    admin_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    purpose: Mapped[str] = mapped_column(Text, default="")
    collateral: Mapped[str] = mapped_column(Text, default="")
    collateral_value: Mapped[int] = mapped_column(BigInteger, default=0)
    guarantor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default=APPLIED)
    applied_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    disbursed_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    # Migrated loans: installments paid before the cut-over (CONTRACT.md Pinjaman).
    paid_before_cutover: Mapped[int] = mapped_column(Integer, default=0)
    class_override: Mapped[str] = mapped_column(String(16), default="")
    class_override_reason: Mapped[str] = mapped_column(Text, default="")


class LoanInstallment(Base):
    __tablename__ = "loan_installment"
    __table_args__ = (UniqueConstraint("loan_id", "k"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id"))
    k: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    principal: Mapped[int] = mapped_column(BigInteger)
    interest: Mapped[int] = mapped_column(BigInteger)
