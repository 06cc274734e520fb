"""Five years at a glance for the RAT book's charts: members, savings, loans, NPL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import JournalEntry
from app.queries import statements as q
from app.queries.trends import figures_at
from app.reports.build_members import membership_movement

YEARS = 5


@dataclass(frozen=True)
class YearFigures:
    """One year's end (31 December): what the charts plot."""

    year: int
    members: int
    pokok: int
    wajib: int
    sukarela: int
    loans_outstanding: int
    npl_ratio: Decimal


def build_trends(
    session: Session, year: int, people: Sequence[q.MemberInfo], years: int = YEARS
) -> tuple[YearFigures, ...]:
    """The last ``years`` year ends up to ``year``, oldest first; years before the book
    began are left out."""
    first = session.scalar(select(func.min(JournalEntry.date)))
    if first is None:
        return ()
    span = range(max(year - years + 1, first.year), year + 1)
    at_year_ends = figures_at(session, [date(y, 12, 31) for y in span])
    return tuple(
        YearFigures(
            year=y,
            members=membership_movement(people, y).end.total,
            pokok=figures.pokok,
            wajib=figures.wajib,
            sukarela=figures.sukarela,
            loans_outstanding=figures.loans_outstanding,
            npl_ratio=figures.npl_ratio,
        )
        for y, figures in zip(span, at_year_ends, strict=True)
    )
