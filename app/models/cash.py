"""Daily cash count (kas opname): cash in the drawer against the book balance of 1-101."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class CashCount(Base):
    """One count per date; a recount replaces it until the day is closed."""

    __tablename__ = "cash_count"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[date] = mapped_column(Date, unique=True)
    # JSON text: {"100000": 3, "50000": 1, ..., "100": 7} (pieces per denomination).
    counts: Mapped[str] = mapped_column(Text)
    total: Mapped[int] = mapped_column(BigInteger)
    book_balance: Mapped[int] = mapped_column(BigInteger)
    difference: Mapped[int] = mapped_column(BigInteger)  # total - book_balance
    note: Mapped[str] = mapped_column(Text, default="")
    counted_by: Mapped[str] = mapped_column(String(64))
    counted_at: Mapped[datetime] = mapped_column(DateTime)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
