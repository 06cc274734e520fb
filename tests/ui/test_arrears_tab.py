"""Laporan → Tunggakan & Konfirmasi: the list loads, the reminder is copied, the slips preview."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.book import Book
from app.ui.context import AppContext
from app.ui.dialogs.receipt_preview import ReceiptPreview
from app.ui.views import arrears as arrears_view
from app.ui.views.arrears import ArrearsModel, ArrearsTab
from app.ui.views.laporan import LaporanView
from tests.reports.test_confirmations import small_book


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
    assert tab.model.rowCount() == 0
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
