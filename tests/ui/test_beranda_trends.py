"""Beranda's 24-month charts: loaded after the cards, drawn, refreshed, read aloud."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from app.db import read_session, unit_of_work
from app.money import format_number, format_rupiah
from app.queries.trends import MonthFigures, monthly_trends
from app.services import loans, savings
from app.ui.context import AppContext
from app.ui.views.beranda import BerandaView
from app.ui.widgets.trend_chart import TrendChart, compact_rupiah, nice_ticks, percent_text
from tests.ui.conftest import USER, register_people


def _month(start: date, k: int) -> date:
    year, month = divmod(start.month - 1 + k, 12)
    return start.replace(year=start.year + year, month=month + 1)


def _a_year_of_books(ctx: AppContext) -> list[int]:
    """Three members since January 2025 saving every month; one loan falls behind."""
    ids = register_people(ctx, 3, joined=date(2025, 1, 6))
    with unit_of_work(ctx.sessions) as session:
        for k in range(12):
            day = _month(date(2025, 1, 20), k)
            for member_id in ids:
                savings.deposit(
                    session,
                    member_id,
                    {"wajib": 20_000, "sukarela": 30_000 * (k + 1)},
                    on=day,
                    by=USER,
                )
        loan_id = loans.apply(
            session,
            loans.LoanApplication(ids[0], 6_000_000, Decimal("0.015"), 12, "flat"),
            on=date(2025, 2, 3),
            by=USER,
        )
        loans.approve(session, loan_id, on=date(2025, 2, 3), by="ketua")
        loans.disburse(session, loan_id, on=date(2025, 2, 3), by=USER)
        loans.repay(session, loan_id, 590_000, on=date(2025, 3, 3), by=USER)  # then nothing
    return ids


def _trends(ctx: AppContext, on: date) -> tuple[MonthFigures, ...]:
    with read_session(ctx.sessions) as session:
        return monthly_trends(session, on)


def _has_colour(image, colour: QColor, tolerance: int = 40) -> bool:
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red())
                + abs(pixel.green() - colour.green())
                + abs(pixel.blue() - colour.blue())
                <= tolerance
            ):
                return True
    return False


def test_beranda_draws_the_trends_of_the_query(qtbot, ctx, boxes, fixed_today):
    _a_year_of_books(ctx)
    view = BerandaView(ctx)
    qtbot.addWidget(view)
    view.resize(1080, 760)
    view.show()
    chart = view.chart
    assert chart.panels == [] and chart.message == "Memuat grafik..."
    view.refresh()
    view.wait_loaded()

    expected = _trends(ctx, fixed_today)
    assert len(expected) == 12 and expected[-1].on == fixed_today
    assert chart.figures == expected
    last = expected[-1]
    latest = {panel.key: panel.latest for panel in chart.panels}
    assert latest == {
        "members": format_number(last.members),
        "savings": format_rupiah(last.savings),
        "loans": format_rupiah(last.loans_outstanding),
        "npl": percent_text(last.npl_percent),
    }
    # The figures themselves: three members, their savings, the loan, and it is Macet.
    assert last.members == 3 and latest["members"] == "3"
    assert latest["savings"] == format_rupiah(3 * 50_000 + 3 * 12 * 20_000 + 3 * 30_000 * 78)
    assert latest["loans"] == "Rp5.500.000" and latest["npl"] == "100,0%"
    assert [s.values for s in chart.panels[1].series] == [
        tuple(float(f.sukarela) for f in expected),
        tuple(float(f.wajib) for f in expected),
        tuple(float(f.pokok) for f in expected),
    ]
    # Painted: the panels' white cards and their lines, at the window's usual size.
    assert len(chart.panel_rects()) == 4 and chart.panel_rects()[3].right() < chart.width()
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() == chart.width()
    assert _has_colour(image, QColor("#285f48"))  # the members' line
    assert _has_colour(image, QColor("#b3261e"))  # the NPL line (and its red latest value)
    # Read aloud, and told month by month when hovered.
    assert chart.accessibleName() == "Grafik perkembangan 24 bulan"
    assert "Anggota aktif: 3" in chart.accessibleDescription()
    assert chart.tooltip_at(1, 11).splitlines() == [
        "Des 2025",
        f"Pokok: {format_rupiah(last.pokok)}",
        f"Wajib: {format_rupiah(last.wajib)}",
        f"Sukarela: {format_rupiah(last.sukarela)}",
        f"Jumlah: {format_rupiah(last.savings)}",
    ]
    rect = chart.panel_rects()[0]
    qtbot.mouseMove(chart, QPoint(rect.right() - 16, rect.bottom() - 60))
    assert chart._hover == (0, 11)


def test_cards_come_first_and_a_refresh_keeps_the_old_charts(
    qtbot, ctx, boxes, fixed_today, monkeypatch
):
    ids = _a_year_of_books(ctx)
    release = threading.Event()
    calls: list[date] = []

    def slow_trends(session, end, progress=None):
        calls.append(end)
        assert release.wait(20)
        return monthly_trends(session, end, progress=progress)

    monkeypatch.setattr("app.ui.views.beranda.monthly_trends", slow_trends)
    view = BerandaView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    view.loader.wait()  # the cards, while the charts are still being read
    assert view.members_card.value.text() == "3"
    assert view.chart.panels == [] and view.chart.message == "Memuat grafik..."
    release.set()
    view.wait_loaded()
    assert view.chart.figures[-1].sukarela == 3 * 30_000 * 78

    # The books change: the old charts stay up until the new figures arrive.
    with unit_of_work(ctx.sessions) as session:
        savings.deposit(session, ids[0], {"sukarela": 1_000_000}, on=fixed_today, by=USER)
    release.clear()
    view.refresh()
    view.loader.wait()
    assert view.chart.panels and view.chart.figures[-1].sukarela == 3 * 30_000 * 78
    release.set()
    view.wait_loaded()
    assert view.chart.figures[-1].sukarela == 3 * 30_000 * 78 + 1_000_000
    assert view.chart.figures == _trends(ctx, fixed_today)
    assert calls == [fixed_today, fixed_today]


def test_an_empty_book_says_so(qtbot, ctx, boxes, fixed_today):
    view = BerandaView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    view.wait_loaded()
    assert view.chart.panels == []
    assert view.chart.message.startswith("Belum ada transaksi")
    assert not view.chart.grab().toImage().isNull()


def test_a_narrow_chart_goes_two_by_two(qtbot, ctx, fixed_today):
    _a_year_of_books(ctx)
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 420)
    chart.set_figures(_trends(ctx, fixed_today))
    rects = chart.panel_rects()
    assert rects[0].top() == rects[1].top() < rects[2].top() == rects[3].top()
    assert not chart.grab().toImage().isNull()


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0"),
        (999, "999"),
        (75_000, "75 rb"),
        (350_000_000, "350 jt"),
        (1_234_000_000, "1,2 M"),
        (999_960_000, "1 M"),
        (12_000_000_000_000, "12 T"),
        (-2_500_000, "-2,5 jt"),
    ],
)
def test_compact_rupiah(amount: int, text: str) -> None:
    assert compact_rupiah(amount) == text


def test_nice_ticks_cover_the_values() -> None:
    assert nice_ticks(0, 97, 4) == [0, 50, 100]
    ticks = nice_ticks(4450, 4925, 4, whole=True)
    assert ticks[0] <= 4450 and ticks[-1] >= 4925 and 3 <= len(ticks) <= 5
    assert nice_ticks(3, 3, 4, whole=True)[0] < 3 < nice_ticks(3, 3, 4, whole=True)[-1]
