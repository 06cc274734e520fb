"""Chart of accounts (DOMAIN.md 4.1)."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

# Groups follow the first digit of the code.
ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = "aset", "liabilitas", "ekuitas", "pendapatan", "beban"


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("normal IN ('D', 'C')", name="normal_side"),
        CheckConstraint(
            "grp IN ('aset', 'liabilitas', 'ekuitas', 'pendapatan', 'beban')", name="group"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    normal: Mapped[str] = mapped_column(String(1))
    grp: Mapped[str] = mapped_column(String(16))
    is_contra: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Accounts whose codes the program relies on (DOMAIN.md 4.1) cannot be
    # deactivated or recoded.
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)
