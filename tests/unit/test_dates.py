"""Dates as typed and shown in Indonesia (DOMAIN.md 9)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from babel.dates import get_month_names
from hypothesis import given
from hypothesis import strategies as st

from app import dates
from app.dates import (
    MONTH_NAMES,
    add_months,
    format_date,
    format_date_long,
    format_datetime,
    format_month,
    iter_months,
    month_end,
    month_start,
    months_inclusive,
    parse_date,
    year_end,
)
from app.errors import ValidationError

plain_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(
    ("d", "k", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 1, 31), 12, date(2026, 1, 31)),
    ],
)
def test_add_months(d: date, k: int, expected: date) -> None:
    assert add_months(d, k) == expected


def test_add_months_counts_from_the_original_date() -> None:
    # Chaining would drift to the 28th; the schedule must not.
    start = date(2025, 1, 31)
    assert [add_months(start, k).day for k in range(1, 7)] == [28, 31, 30, 31, 30, 31]


@given(plain_dates, st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month(d: date, k: int) -> None:
    result = add_months(d, k)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == k
    assert result.day == min(d.day, month_end(result).day)


def test_formats() -> None:
    assert format_date(date(2025, 12, 31)) == "31/12/2025"
    assert format_date(date(2025, 1, 5)) == "05/01/2025"
    assert format_date_long(date(2025, 12, 31)) == "31 Desember 2025"
    assert format_date_long(date(2025, 3, 1)) == "1 Maret 2025"
    assert format_month(2025, 12) == "Desember 2025"
    assert format_month(2026, 2) == "Februari 2026"
    assert format_datetime(datetime(2025, 12, 31, 14, 5, 59)) == "31/12/2025 14:05"
    assert format_datetime(datetime(2025, 1, 2, 3, 4)) == "02/01/2025 03:04"
    with pytest.raises(ValueError):
        format_month(2025, 13)


def test_month_names_match_babel() -> None:
    assert len(MONTH_NAMES) == 12
    assert MONTH_NAMES[0] == "Januari"
    assert MONTH_NAMES[-1] == "Desember"
    babel_names = get_month_names("wide", locale="id")
    assert [babel_names[m] for m in range(1, 13)] == MONTH_NAMES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2025", date(2025, 12, 31)),
        ("1/2/2025", date(2025, 2, 1)),
        ("01/02/2025", date(2025, 2, 1)),
        ("31-12-2025", date(2025, 12, 31)),
        ("2025-12-31", date(2025, 12, 31)),
        ("2025-2-1", date(2025, 2, 1)),
        (" 29/02/2024 ", date(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_passes_dates_through() -> None:
    assert parse_date(date(2025, 1, 2)) == date(2025, 1, 2)
    result = parse_date(datetime(2025, 1, 2, 13, 0))
    assert result == date(2025, 1, 2)
    assert type(result) is date


def test_parse_date_impossible_message() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_date("31/02/2025")
    assert str(exc.value) == (
        'Tanggal "31/02/2025" tidak ada di kalender. '
        "Tulis tanggal sebagai dd/mm/yyyy, misalnya 31/12/2025."
    )


@pytest.mark.parametrize(
    "text", ["29/02/2025", "32/01/2025", "00/01/2025", "15/13/2025", "2025-02-30"]
)
def test_parse_date_refuses_impossible(text: str) -> None:
    with pytest.raises(ValidationError, match="tidak ada di kalender"):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "kemarin",
        "31/12/25",
        "31.12.2025",
        "31/12-2025",
        "2025/12/31",
        "12/31",
        "\uff13\uff11/12/2025",
    ],
)
def test_parse_date_refuses_garbage(text: str) -> None:
    with pytest.raises(ValidationError, match=r"dd/mm/yyyy"):
        parse_date(text)


@given(plain_dates)
def test_parse_inverts_format(d: date) -> None:
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


def test_month_bounds() -> None:
    assert month_start(date(2025, 2, 17)) == date(2025, 2, 1)
    assert month_end(date(2025, 2, 17)) == date(2025, 2, 28)
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2025, 12, 5)) == date(2025, 12, 31)
    assert year_end(2025) == date(2025, 12, 31)


@given(plain_dates)
def test_month_end_is_last_day(d: date) -> None:
    end = month_end(d)
    assert end.month == d.month
    assert (end + timedelta(days=1)).day == 1
    assert month_start(d) <= d <= end


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 31), date(2025, 1, 1), 1),
        (date(2025, 1, 15), date(2025, 12, 1), 12),
        (date(2024, 11, 1), date(2025, 2, 28), 4),
        (date(2025, 3, 1), date(2025, 2, 28), 0),
        (date(2026, 1, 1), date(2025, 12, 31), 0),
    ],
)
def test_months_inclusive(start: date, end: date, expected: int) -> None:
    assert months_inclusive(start, end) == expected


def test_iter_months() -> None:
    assert list(iter_months(date(2024, 11, 20), date(2025, 2, 1))) == [
        (2024, 11),
        (2024, 12),
        (2025, 1),
        (2025, 2),
    ]
    assert list(iter_months(date(2025, 5, 1), date(2025, 5, 31))) == [(2025, 5)]
    assert list(iter_months(date(2025, 5, 1), date(2025, 4, 30))) == []


@given(plain_dates, plain_dates)
def test_iter_months_agrees_with_months_inclusive(a: date, b: date) -> None:
    months = list(iter_months(a, b))
    assert len(months) == months_inclusive(a, b)
    assert months == sorted(set(months))


def test_today_can_be_monkeypatched(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dates.today() == date.today()
    monkeypatch.setattr(dates, "today", lambda: date(2030, 1, 1))
    assert dates.today() == date(2030, 1, 1)
