"""Numbers that never repeat: entry numbers, member numbers, loan numbers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import NumberSequence


def reserve(session: Session, series: str, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers of a series; returns the first.

    Safe without further locking because every unit of work holds SQLite's
    write lock from its BEGIN IMMEDIATE.
    """
    seq = session.scalar(
        select(NumberSequence).where(NumberSequence.series == series, NumberSequence.year == year)
    )
    if seq is None:
        seq = NumberSequence(series=series, year=year, last=0)
        session.add(seq)
    first = seq.last + 1
    seq.last += count
    session.flush()
    return first
