"""Closed periods: spans of dates that no posting may enter."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.models import ClosedPeriod

Span = tuple[date, date, str]


def closed_spans(session: Session) -> list[Span]:
    rows = session.execute(
        select(ClosedPeriod.start_date, ClosedPeriod.end_date, ClosedPeriod.kind)
    ).all()
    return [(start, end, kind) for start, end, kind in rows]


def describe(span: Span) -> str:
    start, end, kind = span
    if kind == "year":
        return f"tahun buku {start.year} sudah tutup buku"
    if start == end:
        return f"kas hari {dates.format_date(start)} sudah ditutup"
    return f"{dates.format_date(start)} s.d. {dates.format_date(end)}"


def find_closing(spans: list[Span], on: date) -> str | None:
    for span in spans:
        if span[0] <= on <= span[1]:
            return describe(span)
    return None


def close_period(
    session: Session, *, kind: str, start: date, end: date, by: str, note: str = ""
) -> None:
    if kind not in ("year", "day"):
        raise ValidationError("Jenis periode harus 'year' atau 'day'.")
    if start > end:
        raise ValidationError("Awal periode harus sebelum akhirnya.")
    session.add(
        ClosedPeriod(
            kind=kind,
            start_date=start,
            end_date=end,
            closed_by=by,
            closed_at=datetime.now().replace(microsecond=0),
            note=note,
        )
    )
    session.flush()


def is_closed(session: Session, on: date) -> bool:
    return find_closing(closed_spans(session), on) is not None
