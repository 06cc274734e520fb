"""Beranda writes counts the Indonesian way, "4.925", like the rupiah and the charts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.queries.dashboard import Summary
from app.queries.loan_dashboard import DueSoon, LoanDashboard
from app.queries.loans import PortfolioSummary
from app.queries.savings import WajibDue
from app.ui.context import AppContext
from app.ui.views.beranda import BerandaView

ACTIVE_MEN, ACTIVE_WOMEN = 2_330, 2_595


def _big_book_figures(today: date) -> tuple[Summary, list[WajibDue], LoanDashboard]:
    figures = Summary(
        active_members=ACTIVE_MEN + ACTIVE_WOMEN,
        active_men=ACTIVE_MEN,
        active_women=ACTIVE_WOMEN,
        left_members=1_075,
        pokok=245_000_000,
        wajib=5_400_000_000,
        sukarela=3_100_000_000,
        cash=812_000_000,
        entries_today=1_451,
        deposits_today=1_207,
    )
    due = [
        WajibDue(
            member_id=k,
            number=f"A-{k:04d}",
            name=f"Anggota {k}",
            phone="",
            dusun="Krajan",
            unpaid_months=tuple((2025 - m // 12, 12 - m % 12) for m in range(1 + k % 1_200)),
            arrears=20_000 * (1 + k % 1_200),
            monthly=20_000,
        )
        for k in range(1, 1_240)
    ]
    week = tuple(
        DueSoon(k, f"P-{k:05d}", f"A-{k:04d}", f"Anggota {k}", "", 3, today + timedelta(days=2), 1)
        for k in range(1, 1_102)
    )
    lending = LoanDashboard(
        summary=PortfolioSummary(
            loans=2_209,
            outstanding=9_000_000_000,
            arrears=400_000_000,
            overdue_loans=1_034,
            classes=(),
            npl_outstanding=300_000_000,
        ),
        due_this_week=week,
    )
    return figures, due, lending


def test_cards_group_thousands_with_dots(
    qtbot: QtBot, ctx: AppContext, fixed_today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures, due, lending = _big_book_figures(fixed_today)
    monkeypatch.setattr("app.ui.views.beranda.summary", lambda _s, _today: figures)
    monkeypatch.setattr("app.ui.views.beranda.wajib_due", lambda _s, _y, _m: due)
    monkeypatch.setattr("app.ui.views.beranda.loan_dashboard", lambda _s, _today: lending)
    view = BerandaView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.refresh()
    view.wait_loaded()
    qtbot.waitUntil(lambda: view.members_card.value.text() != "—")

    assert view.members_card.value.text() == "4.925"
    # No-break spaces: a narrow card wraps at the " · ", never inside "Perempuan 2.595".
    assert view.members_card.note.text() == (
        "Laki-laki\xa02.330 · Perempuan\xa02.595\n1.075 sudah tidak aktif"
    )
    assert view.today_card.value.text() == "1.451"
    assert view.today_card.note.text() == "1.207 setoran simpanan"
    assert view.arrears_card.note.text() == "1.239 anggota belum lunas"
    assert view.arrears_title.text().endswith(": 1.239 anggota")
    assert view.loans_card.note.text() == "2.209 pinjaman berjalan"
    assert view.overdue_card.value.text() == "1.034"
    assert view.due_week_card.value.text() == "1.101"
    assert view.due_title.text() == "Angsuran jatuh tempo minggu ini: 1.101"
    # The longest arrears first: 1.200 months owed, written like every other count.
    longest = view.arrears_table.item(0, 3)
    assert longest is not None and longest.text() == "1.200"
