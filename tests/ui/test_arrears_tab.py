"""Laporan → Tunggakan & Konfirmasi: the list loads (in a worker thread), the reminder is
copied, the slips preview."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.book import Book
from app.ui.context import AppContext
from app.ui.dialogs.receipt_preview import ReceiptPreview
from app.ui.main_window import MainWindow
from app.ui.views import arrears as arrears_view
from app.ui.views.arrears import ArrearsModel, ArrearsTab
from app.ui.views.laporan import LaporanView
from tests.reports.test_confirmations import small_book
from tests.ui.conftest import Boxes


@pytest.fixture
def tab(qtbot: QtBot, book: Book, ctx: AppContext, fixed_today: date) -> Iterator[ArrearsTab]:
    small_book(book)
    view = LaporanView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 760)
    view.show()
    widget = view.show_tab("tunggakan")
    assert isinstance(widget, ArrearsTab)
    assert view.tabText(view.keys.index("tunggakan")) == "Tunggakan && Konfirmasi"  # shows "&"
    widget.wait_loaded()
    yield widget


def _cell(tab: ArrearsTab, row: int, column: int) -> str:
    return str(tab.model.data(tab.model.index(row, column)))


def test_the_list_loads_largest_first(tab: ArrearsTab) -> None:
    assert tab.model.rowCount() == 2
    assert _cell(tab, 0, ArrearsModel.NAME).startswith("Siti Aminah")
    assert _cell(tab, 0, ArrearsModel.PHONE) == "+6281211112222"
    assert _cell(tab, 0, ArrearsModel.LOANS) == "2.300.000"
    assert _cell(tab, 0, ArrearsModel.WAJIB) == "-"
    assert _cell(tab, 1, ArrearsModel.WAJIB) == "60.000"
    assert _cell(tab, 1, ArrearsModel.TOTAL) == "60.000"
    assert "2 anggota menunggak" in tab.summary.text()
    assert not tab.loading.isVisibleTo(tab)
    assert "Rp2.300.000" in tab.message.toPlainText()  # the first row is selected


def test_salin_pesan_puts_the_text_on_the_clipboard(qtbot: QtBot, tab: ArrearsTab) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    tab.table.selectRow(1)
    assert "Asep Saepudin" in tab.message.toPlainText()
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    text = clipboard.text()
    assert text == tab.model.rows[1].reminder_text
    assert "Rp60.000" in text and "Asep Saepudin" in text
    clipboard.clear()
    tab.table.selectRow(0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == tab.model.rows[0].reminder_text


def test_an_earlier_date_reloads(tab: ArrearsTab) -> None:
    tab.on.set_value(date(2025, 8, 31))  # the loan is not late yet; Asep owes nothing yet
    tab.wait_loaded()
    assert tab.model.rowCount() == 0
    assert "0 anggota menunggak per 31/08/2025" in tab.summary.text()
    assert tab.message.toPlainText() == ""
    assert not tab.copy_button.isEnabled()


def test_the_slips_are_made_in_a_thread_and_previewed(
    tab: ArrearsTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ReceiptPreview] = []
    monkeypatch.setattr(arrears_view, "show_preview", shown.append)
    dialog = tab.print_confirmations()
    assert dialog is not None and shown == [dialog]
    assert len(dialog.pages) == 3  # one page per active member
    dialog.deleteLater()


# -- reading in the background -------------------------------------------------------------


def test_the_previous_list_stays_while_the_new_one_loads(tab: ArrearsTab) -> None:
    assert tab.model.rowCount() == 2
    tab.on.set_value(date(2025, 8, 31))
    # No events processed yet: the new list cannot have arrived; the old one is still usable.
    assert tab.loader.busy()
    assert tab.loading.isVisibleTo(tab) and tab.loading.text().startswith("Memuat")
    assert "31/08/2025" in tab.loading.text()
    assert tab.model.rowCount() == 2 and "2 anggota menunggak" in tab.summary.text()
    assert "Rp2.300.000" in tab.message.toPlainText()
    tab.wait_loaded()
    assert not tab.loading.isVisibleTo(tab)
    assert tab.model.rowCount() == 0


def test_a_reload_keeps_the_member_selected(tab: ArrearsTab) -> None:
    tab.table.selectRow(1)
    first = tab.selected()
    assert first is not None and first.name == "Asep Saepudin"
    tab.refresh()  # what the shell does when the books change while the tab is shown
    tab.wait_loaded()
    chosen = tab.selected()
    assert chosen is not None and chosen.name == "Asep Saepudin"
    assert "Asep Saepudin" in tab.message.toPlainText()


def test_the_count_has_a_thousands_separator(tab: ArrearsTab) -> None:
    assert tab.arrears is not None
    one = tab.arrears.rows[1]
    many = tuple(
        dataclasses.replace(one, member_id=10_000 + n, number=f"{n:04d}") for n in range(1711)
    )
    tab._loaded(dataclasses.replace(tab.arrears, rows=many))
    assert tab.summary.text().startswith("1.711 anggota menunggak per 31/12/2025")
    assert "wajib 102.660.000" in tab.summary.text()  # 1.711 x 60.000


def test_nothing_is_cut_at_1280x800(
    qtbot: QtBot, book: Book, ctx: AppContext, boxes: Boxes, fixed_today: date
) -> None:
    small_book(book)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_screen("laporan")
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    tab = laporan.show_tab("tunggakan")
    assert isinstance(tab, ArrearsTab)
    tab.wait_loaded()
    qtbot.wait(10)  # let the layouts settle
    title = tab.title
    assert title.width() >= title.sizeHint().width() or title.wordWrap()
    assert title.height() >= title.heightForWidth(title.width())
    for button in (tab.pdf_button, tab.xlsx_button, tab.print_button, tab.copy_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    table, reminder = tab.splitter.sizes()
    assert 0.58 <= table / (table + reminder) <= 0.66  # ~62/38
    name_width = tab.table.columnWidth(ArrearsModel.NAME)
    longest = max(len(_cell(tab, r, ArrearsModel.NAME)) for r in range(tab.model.rowCount()))
    assert name_width >= tab.table.fontMetrics().averageCharWidth() * max(longest, 28)
    window.safety.stop()
