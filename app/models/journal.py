"""The journal: entries and their lines. Rows here are written once, never changed."""

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


class JournalEntry(Base):
    __tablename__ = "journal_entry"
    __table_args__ = (Index("ix_journal_entry_date", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    memo: Mapped[str] = mapped_column(Text, default="")
    # The member an entry is about (receipts, history); lines carry it too.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id"), unique=True, default=None
    )
    posted_by: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(DateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class JournalLine(Base):
    __tablename__ = "journal_line"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="nonzero"),
        # Balances are SUMs over these covering indexes (DESIGN.md "The ledger").
        Index("ix_journal_line_account_member_amount", "account_id", "member_id", "amount"),
        Index("ix_journal_line_member_entry", "member_id", "entry_id"),
        Index("ix_journal_line_loan_account_amount", "loan_id", "account_id", "amount"),
        Index("ix_journal_line_entry", "entry_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    # Signed whole rupiah: debit > 0, credit < 0.
    amount: Mapped[int] = mapped_column(BigInteger)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), default=None)
    # The loans table arrives with the loans module; the column exists from the
    # start so that the journal never has to be rebuilt to gain it.
    loan_id: Mapped[int | None] = mapped_column(Integer, default=None)
    unit: Mapped[str] = mapped_column(String(32), default="Simpan Pinjam")
    memo: Mapped[str] = mapped_column(Text, default="")


class LedgerYearTotal(Base):
    """The journal lines of a year summed per account, member, loan, unit and kind.

    A cache, kept by the trigger ``journal_line_year_total`` as each line is
    inserted (lines are never updated or deleted), so that a balance on 31/12 or
    the flows of a whole year are read from a few thousand rows instead of
    millions of lines. ``lumbung check`` proves it equals the SUM of the lines.
    ``member_id``/``loan_id`` are 0 for a line without one (a primary key column
    cannot be NULL); ``kind`` is the entry's kind, or for a reversal the kind of
    the entry it reverses. ``debit`` sums the positive amounts, ``credit`` the
    negative ones (so it is <= 0).
    """

    __tablename__ = "ledger_year_total"
    __table_args__ = ({"sqlite_with_rowid": False},)

    # The account first: reads ask for a few accounts over a span of years.
    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    debit: Mapped[int] = mapped_column(BigInteger)
    credit: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[int] = mapped_column(Integer)


class LedgerYearCash(Base):
    """Per year, the lines on the other side of cash, for the cash flow (direct method).

    Every line not on a cash account (1-101, 1-102, 1-111) of an entry that has
    a cash line, summed per account, side (``debit``: the line is a debit, so
    cash went out) and whether the entry is a saldo awal (``opening``). Kept by
    the trigger ``journal_line_year_cash``; ``lumbung check`` proves it.
    """

    __tablename__ = "ledger_year_cash"
    __table_args__ = ({"sqlite_with_rowid": False},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    debit: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    opening: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[int] = mapped_column(Integer)


class NumberSequence(Base):
    """Last number given per series and year (entry numbers, member numbers)."""

    __tablename__ = "number_sequence"
    __table_args__ = (UniqueConstraint("series", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ClosedPeriod(Base):
    """A span of dates nobody may post into (a closed year, a closed cash day)."""

    __tablename__ = "closed_period"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="ordered"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # 'year' or 'day'
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    closed_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
