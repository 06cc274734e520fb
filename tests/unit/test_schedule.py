"""Loan schedules against every row of shared/examples/loan_schedules.csv (DOMAIN.md 3.1)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.money import percent
from app.services.schedule import (
    ANUITAS,
    FLAT,
    MENURUN,
    build_schedule,
    effective_monthly_rate,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "loan_schedules.csv"


def _cases() -> dict[str, list[dict[str, str]]]:
    cases: dict[str, list[dict[str, str]]] = defaultdict(list)
    with EXAMPLES.open(newline="") as handle:
        for row in csv.DictReader(handle):
            cases[row["case"]].append(row)
    return cases


CASES = _cases()


def test_examples_are_there() -> None:
    assert len(CASES) == 12
    assert sum(len(rows) for rows in CASES.values()) == 144


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_matches_every_row(case: str) -> None:
    rows = CASES[case]
    first = rows[0]
    schedule = build_schedule(
        int(first["principal"]),
        percent(first["monthly_rate_pct"]),
        int(first["months"]),
        first["method"],
        date.fromisoformat(first["disbursed"]),
    )
    assert len(schedule.installments) == len(rows)
    for row, inst in zip(rows, schedule.installments, strict=True):
        assert inst.k == int(row["k"])
        assert inst.due == date.fromisoformat(row["due"])
        assert inst.principal == int(row["principal_part"]), (case, inst.k)
        assert inst.interest == int(row["interest_part"]), (case, inst.k)
        assert inst.amount == int(row["installment"]), (case, inst.k)
        assert inst.principal_left == int(row["principal_left"]), (case, inst.k)


def test_domain_worked_example_totals() -> None:
    start = date(2025, 1, 31)
    rate = Decimal("0.015")
    assert build_schedule(10_000_000, rate, 12, FLAT, start).total_interest == 1_800_000
    assert build_schedule(10_000_000, rate, 12, MENURUN, start).total_interest == 975_000
    assert build_schedule(10_000_000, rate, 12, ANUITAS, start).total_interest == 1_001_599


def test_flat_effective_rate_is_about_2_64_percent() -> None:
    schedule = build_schedule(10_000_000, Decimal("0.015"), 12, FLAT, date(2025, 1, 31))
    assert Decimal("0.0263") < effective_monthly_rate(schedule) < Decimal("0.0265")


def test_rounding_up_installments_keeps_principal_exact() -> None:
    schedule = build_schedule(
        10_000_000, Decimal("0.015"), 12, FLAT, date(2025, 1, 31), round_to=1000
    )
    assert all(i.amount % 1000 == 0 for i in schedule.installments[:-1])
    assert sum(i.principal for i in schedule.installments) == 10_000_000
    assert schedule.installments[-1].principal_left == 0


@pytest.mark.parametrize(
    ("principal", "rate", "months"),
    [(0, "1", 12), (-5, "1", 12), (1000, "-1", 12), (1000, "1", 0)],
)
def test_bad_terms_are_refused(principal: int, rate: str, months: int) -> None:
    with pytest.raises(ValidationError):
        build_schedule(principal, Decimal(rate) / 100, months, FLAT, date(2025, 1, 1))


@given(
    principal=st.integers(1, 10**10),
    rate_bp=st.integers(0, 500),
    months=st.integers(1, 120),
    method=st.sampled_from([FLAT, MENURUN, ANUITAS]),
    round_to=st.sampled_from([1, 100, 500, 1000]),
)
def test_principal_parts_always_add_up(
    principal: int, rate_bp: int, months: int, method: str, round_to: int
) -> None:
    schedule = build_schedule(
        principal, Decimal(rate_bp) / 10000, months, method, date(2025, 1, 31), round_to=round_to
    )
    assert sum(i.principal for i in schedule.installments) == principal
    assert all(i.principal >= 0 and i.interest >= 0 for i in schedule.installments)
    assert schedule.installments[-1].principal_left == 0
