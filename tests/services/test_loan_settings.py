"""Loan settings (issue 3): saved as the "loans" option that loans.loan_settings reads."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import ValidationError
from app.models import AuditRecord
from app.services import settings
from app.services.loan_settings import save_loan_settings, stored, validate
from app.services.loan_state import Classification
from app.services.loans import LoanSettings, loan_settings

USER = "bendahara"

CHANGED = LoanSettings(
    provisi_rate=Decimal("0.015"),
    admin_fee=10_000,
    penalty_daily_rate=Decimal("0.002"),
    penalty_grace_days=3,
    ceiling_multiple=Decimal("3"),
    round_to=500,
    waive_future_interest_on_payoff=False,
    classification=Classification(
        dpd_limits=(30, 120, 240),
        ppap_rates=(Decimal("0.01"), Decimal("0.15"), Decimal("0.5"), Decimal("1")),
    ),
)


def _audits(book: Book) -> list[tuple[str, str]]:
    with read_session(book.sessions) as session:
        return [
            (username, entity)
            for username, entity in session.execute(
                select(AuditRecord.username, AuditRecord.entity).where(
                    AuditRecord.action == "pengaturan.opsi"
                )
            )
        ]


def test_defaults_until_saved(book: Book) -> None:
    with read_session(book.sessions) as session:
        assert loan_settings(session) == LoanSettings()


def test_saved_settings_are_what_loans_read(book: Book) -> None:
    with unit_of_work(book.sessions) as session:
        saved = save_loan_settings(session, CHANGED, by=USER)
    assert saved == CHANGED
    with read_session(book.sessions) as session:
        assert loan_settings(session) == CHANGED
        raw = settings.get_option(session, "loans", {})
    assert raw == stored(CHANGED)
    assert raw["ceiling_multiple"] == "3" and raw["dpd_limits"] == [30, 120, 240]
    assert _audits(book) == [(USER, "loans")]


def test_ceiling_can_be_turned_off_again(book: Book) -> None:
    with unit_of_work(book.sessions) as session:
        save_loan_settings(session, CHANGED, by=USER)
    with unit_of_work(book.sessions) as session:
        save_loan_settings(session, replace(CHANGED, ceiling_multiple=None), by=USER)
    with read_session(book.sessions) as session:
        assert loan_settings(session).ceiling_multiple is None


def test_no_change_writes_nothing(book: Book) -> None:
    with unit_of_work(book.sessions) as session:
        save_loan_settings(session, LoanSettings(), by=USER)
    assert _audits(book) == []
    with unit_of_work(book.sessions) as session:
        save_loan_settings(session, CHANGED, by=USER)
        save_loan_settings(session, CHANGED, by=USER)
    assert len(_audits(book)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"provisi_rate": Decimal("-0.01")}, "provisi_rate"),
        ({"provisi_rate": Decimal("0.2")}, "provisi_rate"),
        ({"provisi_rate": Decimal("0.0000001")}, "provisi_rate"),
        ({"admin_fee": -1}, "admin_fee"),
        ({"admin_fee": True}, "admin_fee"),
        ({"penalty_daily_rate": Decimal("0.05")}, "penalty_daily_rate"),
        ({"penalty_grace_days": 91}, "grace_days"),
        ({"ceiling_multiple": Decimal(0)}, "ceiling_multiple"),
        ({"ceiling_multiple": Decimal(101)}, "ceiling_multiple"),
        ({"round_to": 250}, "round_to"),
        ({"classification": Classification(dpd_limits=(90, 90, 270))}, "dpd"),
        ({"classification": Classification(dpd_limits=(-1, 90, 270))}, "dpd"),
        (
            {
                "classification": Classification(
                    ppap_rates=(Decimal("0.1"), Decimal("0.05"), Decimal("0.5"), Decimal(1))
                )
            },
            "ppap",
        ),
        (
            {
                "classification": Classification(
                    ppap_rates=(Decimal(0), Decimal("0.1"), Decimal("0.5"), Decimal(2))
                )
            },
            "ppap",
        ),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(
    book: Book, change: dict[str, object], field: str
) -> None:
    bad = replace(LoanSettings(), **change)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as refused:
        validate(bad)
    assert refused.value.field == field
    with pytest.raises(ValidationError), unit_of_work(book.sessions) as session:
        save_loan_settings(session, bad, by=USER)
    with read_session(book.sessions) as session:
        assert loan_settings(session) == LoanSettings()
    assert _audits(book) == []
