"""SQLAlchemy tables only; no behaviour lives here."""

from app.models.account import Account
from app.models.audit import AuditRecord
from app.models.base import Base
from app.models.cash import CashCount
from app.models.journal import (
    ClosedPeriod,
    JournalEntry,
    JournalLine,
    LedgerYearCash,
    LedgerYearTotal,
    NumberSequence,
)
from app.models.loan import Loan, LoanInstallment, LoanProduct
from app.models.member import Member
from app.models.settings import SavingsRate, Setting
from app.models.user import User

__all__ = [
    "Account",
    "AuditRecord",
    "Base",
    "CashCount",
    "ClosedPeriod",
    "JournalEntry",
    "JournalLine",
    "LedgerYearCash",
    "LedgerYearTotal",
    "Loan",
    "LoanInstallment",
    "LoanProduct",
    "Member",
    "NumberSequence",
    "SavingsRate",
    "Setting",
    "User",
]
