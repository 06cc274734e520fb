"""Five years at a glance for the RAT book's charts: members, savings, loans, NPL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.ledger.balances import sums_on
from app.ledger.chart import (
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    account_ids,
)
from app.models import JournalEntry
from app.queries import statements as q
from app.queries.loans import portfolio, summarize
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
    ids = account_ids(session)
    wanted = {
        code: ids[code]
        for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA, PINJAMAN_ANGGOTA)
    }
    figures = []
    for y in range(max(year - years + 1, first.year), year + 1):
        on = date(y, 12, 31)
        sums = sums_on(session, on, account_ids=set(wanted.values()))

        def total(code: str, on_sums: dict[tuple[object, ...], int] = sums) -> int:
            return on_sums.get((wanted[code],), 0)

        loans = summarize(session, portfolio(session, on))
        figures.append(
            YearFigures(
                year=y,
                members=membership_movement(people, y).end.total,
                pokok=-total(SIMPANAN_POKOK),
                wajib=-total(SIMPANAN_WAJIB),
                sukarela=-total(SIMPANAN_SUKARELA),
                loans_outstanding=total(PINJAMAN_ANGGOTA),
                npl_ratio=loans.npl_ratio,
            )
        )
    return tuple(figures)
