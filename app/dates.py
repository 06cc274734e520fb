"""Dates as the treasurer reads and types them (``31/12/2025``).

``today()`` is the one place that asks the clock, so tests can monkeypatch
``app.dates.today`` and every rule that depends on "now" follows.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, datetime

from babel.dates import format_date as _babel_format_date
from dateutil.relativedelta import relativedelta

from app.errors import ValidationError

MONTH_NAMES = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

_HOW = "Tulis tanggal sebagai dd/mm/yyyy, misalnya 31/12/2025."
# The same separator on both sides, so "31/12-2025" is not silently accepted.
_DMY = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})", re.ASCII)
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)


def today() -> date:
    return date.today()


def add_months(d: date, k: int) -> date:
    """``d`` plus ``k`` months, clamped to the month's end (31 Jan + 1 -> 28 Feb).

    Always count from the original date: stepping month by month would drift
    (31 Jan -> 28 Feb -> 28 Mar instead of 31 Mar).
    """
    result: date = d + relativedelta(months=k)
    return result


def format_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def format_date_long(d: date) -> str:
    return _babel_format_date(d, "d MMMM y", locale="id")


def format_month(year: int, month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return f"{MONTH_NAMES[month - 1]} {year}"


def format_datetime(dt: datetime) -> str:
    return f"{format_date(dt)} {dt.hour:02d}:{dt.minute:02d}"


def parse_date(value: str | date | datetime) -> date:
    """Read ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy`` or ``yyyy-mm-dd``."""
    # datetime is a subclass of date, so it must be narrowed first.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"parse_date() needs str or date, not {type(value).__name__}")

    raw = value.strip()
    if not raw:
        raise ValidationError(f"Tanggal belum diisi. {_HOW}")
    if m := _DMY.fullmatch(raw):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _ISO.fullmatch(raw):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise ValidationError(f'Tanggal "{raw}" tidak dikenali. {_HOW}')
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f'Tanggal "{raw}" tidak ada di kalender. {_HOW}') from None


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def months_inclusive(start: date, end: date) -> int:
    """Calendar months from ``start``'s month to ``end``'s, both counted; 0 if
    ``end``'s month is earlier (e.g. wajib due for a member who joined later)."""
    return max(0, _month_index(end) - _month_index(start) + 1)


def iter_months(start: date, end: date) -> Iterator[tuple[int, int]]:
    """``(year, month)`` from ``start``'s month to ``end``'s, inclusive."""
    for index in range(_month_index(start), _month_index(end) + 1):
        year, month0 = divmod(index, 12)
        yield year, month0 + 1
