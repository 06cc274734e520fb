"""Settings: the cooperative's profile, officers and savings amounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Setting(Base):
    """One named value (profile field, officer name, option), stored as JSON text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SavingsRate(Base):
    """The pokok or monthly wajib amount from a month on (DOMAIN.md 2)."""

    __tablename__ = "savings_rate"
    __table_args__ = (
        UniqueConstraint("kind", "effective_from"),
        CheckConstraint("kind IN ('pokok', 'wajib')", name="kind"),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    effective_from: Mapped[date] = mapped_column(Date)
