"""The read side of the year end for the window: which years exist, and how a year stands.

Everything here returns frozen dataclasses (the screens load them in a worker
thread and keep no session). The checks themselves are
``services.closing.closing_checklist``; the SHU plan is ``services.shu.calculate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates
from app.models import ClosedPeriod, JournalEntry


@dataclass(frozen=True)
class YearSpan:
    first: int  # the earliest year with an entry (this year when the book is empty)
    last: int  # this year

    @property
    def last_finished(self) -> int:
        """The year a treasurer closes in January: last year, or the first year of a new book."""
        return max(self.first, self.last - 1)

    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))


def year_span(session: Session) -> YearSpan:
    today = dates.today()
    first = session.scalar(select(func.min(JournalEntry.date)))
    first_year = min(first.year, today.year) if first is not None else today.year
    return YearSpan(first_year, today.year)


@dataclass(frozen=True)
class YearLock:
    year: int
    closed_by: str
    closed_at: datetime
    note: str


def year_lock(session: Session, year: int) -> YearLock | None:
    """Who closed ``year`` and when (None while it is open)."""
    end = date(year, 12, 31)
    lock = session.scalar(
        select(ClosedPeriod).where(
            ClosedPeriod.kind == "year",
            ClosedPeriod.start_date <= end,
            ClosedPeriod.end_date >= end,
        )
    )
    if lock is None:
        return None
    return YearLock(year, lock.closed_by, lock.closed_at, lock.note or "")
