"""Laporan → Daftar & Rekap, and the PDF/Excel of Tunggakan & Konfirmasi: choose a report,
preview its numbers (built in the background), make the files in a worker thread, open them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.book import Book
from app.db import read_session
from app.reports.build_tables import (
    ARREARS,
    CASH_BOOK,
    LOANS,
    MEMBERS,
    SAVINGS,
    TableReport,
    TableRequest,
    build_table,
)
from app.ui import report_files
from app.ui.context import AppContext
from app.ui.views.arrears import ArrearsTab
from app.ui.views.laporan import LaporanView
from app.ui.views.table_reports import TableReportsTab
from tests.reports.test_confirmations import small_book as arrears_book
from tests.reports.test_report_builders import build_small_book
from tests.ui.conftest import Boxes

NAME = "Koperasi_Desa_Merah_Putih_Lambangsari"


def _view(qtbot: QtBot, ctx: AppContext, key: str) -> LaporanView:
    view = LaporanView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 760)
    view.show()
    with qtbot.waitActive(view):
        view.activateWindow()
    view.show_tab(key)
    return view


@pytest.fixture
def tab(qtbot: QtBot, book: Book, ctx: AppContext, fixed_today: date) -> Iterator[TableReportsTab]:
    build_small_book(book)
    view = _view(qtbot, ctx, "daftar")
    widget = view.tab("daftar")
    assert isinstance(widget, TableReportsTab)
    assert view.tabText(view.keys.index("daftar")).replace("&&", "&") == "Daftar & Rekap"
    widget.show_year(2025)
    yield widget  # the view stays alive (and owns the tab) until the test ends
    widget.loader.wait()


def _preview(qtbot: QtBot, tab: TableReportsTab) -> TableReport:
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert tab.report is not None
    return tab.report


def _column(tab: TableReportsTab, title: str) -> int:
    assert tab.report is not None
    return tab.report.column(title)


def _cell(tab: TableReportsTab, row: int, column: int, role: int = 0) -> object:
    model = tab.model
    index = model.index(row if row >= 0 else model.rowCount() + row, column)
    return model.data(index, role or Qt.ItemDataRole.DisplayRole)


def test_enter_on_the_list_previews_the_chosen_report(qtbot: QtBot, tab: TableReportsTab) -> None:
    assert tab.key() == MEMBERS and tab.year.isVisibleTo(tab) and not tab.on.isVisibleTo(tab)
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Down)  # Rekap simpanan
    assert tab.key() == SAVINGS
    qtbot.keyClick(tab.list, Qt.Key.Key_Return)
    assert tab.busy_box.isVisibleTo(tab)  # the window does not wait for the numbers
    report = _preview(qtbot, tab)
    assert report.key == SAVINGS and not tab.busy_box.isVisibleTo(tab)
    assert tab.model.rowCount() == len(report.rows) + 1  # and the total row
    total = _column(tab, "Jumlah Akhir")
    assert _cell(tab, -1, total) == "1.740.000"
    assert _cell(tab, -1, 2) == "Jumlah"
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert _cell(tab, 0, total, Qt.ItemDataRole.TextAlignmentRole) == right
    font = _cell(tab, -1, total, Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()  # type: ignore[attr-defined]
    assert _cell(tab, 0, total, Qt.ItemDataRole.FontRole) is None
    assert "Simpanan Pokok" in str(tab.model.headerData(3, Qt.Orientation.Horizontal))
    assert "Rekapitulasi Simpanan Anggota" in tab.summary.text()
    assert "Belum tutup buku" in tab.summary.text()


def test_f5_previews_and_a_change_marks_the_preview_old(qtbot: QtBot, tab: TableReportsTab) -> None:
    tab.choose(LOANS)
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_F5)
    report = _preview(qtbot, tab)
    assert report.key == LOANS
    outstanding = _column(tab, "Sisa Pokok 31/12")
    assert _cell(tab, -1, outstanding) == "800.000"
    assert "tekan Pratinjau" not in tab.summary.text()
    tab.choose(MEMBERS)
    assert "tekan Pratinjau" in tab.summary.text()


def test_the_cash_book_asks_for_a_period(qtbot: QtBot, tab: TableReportsTab) -> None:
    tab.choose(CASH_BOOK)
    assert not tab.year.isVisibleTo(tab)
    assert tab.start.isVisibleTo(tab) and tab.end.isVisibleTo(tab)
    tab.start.set_value(date(2025, 1, 1))
    tab.end.set_value(date(2025, 12, 31))
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    report = _preview(qtbot, tab)
    assert report.key == CASH_BOOK
    assert _cell(tab, 0, 2) == "Saldo awal per 01/01/2025" and _cell(tab, 0, 5) == "790.000"
    assert _cell(tab, -1, 2) == "Saldo akhir per 31/12/2025"
    assert _cell(tab, -1, 5) == "1.110.000"
    assert tab.model.rowCount() == len(report.rows) + 3


def test_a_period_backwards_is_refused(
    qtbot: QtBot, tab: TableReportsTab, boxes: Boxes, folder: Path
) -> None:
    tab.choose(CASH_BOOK)
    tab.start.set_value(date(2025, 3, 1))
    tab.end.set_value(date(2025, 1, 31))
    tab.preview()
    qtbot.waitUntil(lambda: bool(boxes.refusals), timeout=10_000)
    assert "Tanggal awal" in boxes.refusals[0]
    assert tab.generate(report_files.PDF) is None
    assert len(boxes.refusals) == 2 and not folder.exists()


def test_buat_pdf_saves_previews_the_pages_and_opens(
    qtbot: QtBot, tab: TableReportsTab, folder: Path, opened: list[str], boxes: Boxes
) -> None:
    tab.choose(SAVINGS)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)  # the window's event loop keeps running while the file is made
    dialogs: list[str] = []
    QTimer.singleShot(
        0,
        lambda: dialogs.extend(
            w.labelText() for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)
        ),
    )
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    timer.stop()
    path = folder / f"Rekap_Simpanan_{NAME}_2025.pdf"
    assert path.exists() and path.read_bytes().startswith(b"%PDF")
    assert tab.made is not None and tab.made.path == path and tab.made.pages == 1
    assert ticks, "the window froze while the file was made"
    assert dialogs and "Rekap simpanan" in dialogs[0]
    assert str(path) in tab.files.status.text() and "belum tutup buku" in tab.files.status.text()
    assert len(tab.page_labels) == 1 and not tab.page_labels[0].pixmap().isNull()
    assert tab.views.isTabEnabled(1) and tab.views.currentIndex() == 1
    assert tab.report is not None and tab.report.key == SAVINGS  # the numbers of the file
    assert boxes.refusals == []
    qtbot.mouseClick(tab.files.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.files.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(path), str(folder)]


def test_buat_excel_saves_the_workbook(
    qtbot: QtBot, tab: TableReportsTab, folder: Path, boxes: Boxes
) -> None:
    tab.choose(CASH_BOOK)
    tab.start.set_value(date(2025, 1, 1))
    tab.end.set_value(date(2025, 1, 31))
    qtbot.mouseClick(tab.xlsx_button, Qt.MouseButton.LeftButton)
    path = folder / f"Buku_Kas_{NAME}_01-01-2025_sd_31-01-2025.xlsx"
    assert path.exists() and tab.made is not None and tab.made.path == path
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "Buku Kas"
    assert tab.page_labels == [] and not tab.views.isTabEnabled(1)
    assert boxes.refusals == []


def test_cancelling_leaves_no_file(qtbot: QtBot, tab: TableReportsTab, folder: Path) -> None:
    cancelled: list[bool] = []

    def cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible() and not cancelled:
                cancelled.append(True)
                widget.findChild(QPushButton).click()  # "Batal", as the treasurer would

    tab.choose(MEMBERS)
    timer = QTimer()
    timer.timeout.connect(cancel)
    timer.start(0)
    made = tab.generate(report_files.PDF)
    timer.stop()
    assert cancelled and made is None
    assert not folder.exists() or [p for p in folder.iterdir()] == []
    assert tab.made is None


def _mnemonics(widget: QWidget) -> list[str]:
    letters = []
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, (QPushButton, QLabel)):
            found = re.search(r"&([^&\s])", child.text())
            if found:
                letters.append(found.group(1).lower())
    return letters


@pytest.mark.parametrize("key", [MEMBERS, ARREARS, CASH_BOOK])
def test_every_control_has_its_own_mnemonic(tab: TableReportsTab, key: str) -> None:
    tab.choose(key)
    letters = _mnemonics(tab)
    assert len(letters) == len(set(letters)), letters
    assert not {"t", "u", "n", "b"} & set(letters)  # the menu bar's Transaksi, Buku, ...
    for label in tab.findChildren(QLabel):
        if re.search(r"&[^&\s]", label.text()) and label.isVisibleTo(tab):
            assert label.buddy() is not None, label.text()


# -- the files of Tunggakan & Konfirmasi ---------------------------------------------------------


@pytest.fixture
def arrears_tab(
    qtbot: QtBot, book: Book, ctx: AppContext, fixed_today: date
) -> Iterator[ArrearsTab]:
    arrears_book(book)
    view = _view(qtbot, ctx, "tunggakan")
    widget = view.tab("tunggakan")
    assert isinstance(widget, ArrearsTab)
    yield widget


def test_the_arrears_list_as_pdf_and_excel(
    qtbot: QtBot, arrears_tab: ArrearsTab, folder: Path, opened: list[str], boxes: Boxes
) -> None:
    tab = arrears_tab
    assert not tab.files.isVisibleTo(tab)
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    pdf = folder / f"Daftar_Tunggakan_{NAME}_31-12-2025.pdf"
    assert pdf.exists() and tab.files.isVisibleTo(tab) and str(pdf) in tab.files.status.text()
    qtbot.mouseClick(tab.xlsx_button, Qt.MouseButton.LeftButton)
    xlsx = folder / f"Daftar_Tunggakan_{NAME}_31-12-2025.xlsx"
    ws = openpyxl.load_workbook(xlsx).active
    values = [row for row in ws.iter_rows(values_only=True) if row[2] == "Jumlah"]
    assert values and values[0][-1] == 2_360_000 == tab.arrears.total  # type: ignore[union-attr]
    qtbot.mouseClick(tab.files.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [str(xlsx)]
    tab.on.set_value(date(2025, 11, 30))  # another date: another file
    made = tab.export(report_files.PDF)
    assert made is not None and made.path.name.endswith("_30-11-2025.pdf")
    assert boxes.refusals == []


# -- report_files ----------------------------------------------------------------------------------


def _table(book: Book, request: TableRequest) -> TableReport:
    with read_session(book.sessions) as s:
        return build_table(s, request)


def test_file_names(book: Book, fixed_today: date) -> None:
    build_small_book(book)
    members = _table(book, TableRequest(MEMBERS, year=2025))
    assert report_files.table_file_name(members, "pdf") == f"Daftar_Anggota_{NAME}_2025.pdf"
    cash = _table(book, TableRequest(CASH_BOOK, start=date(2025, 1, 1), end=date(2025, 1, 31)))
    assert report_files.table_file_name(cash, "xlsx") == (
        f"Buku_Kas_{NAME}_01-01-2025_sd_31-01-2025.xlsx"
    )


def test_make_table_file_saves_whole_and_a_cancel_saves_nothing(
    book: Book, fixed_today: date, tmp_path: Path
) -> None:
    build_small_book(book)
    folder = tmp_path / "laporan"
    request = TableRequest(MEMBERS, year=2025)
    made = report_files.make_table_file(book.path, request, "pdf", folder, lambda d, t: None)
    assert made.path == folder / f"Daftar_Anggota_{NAME}_2025.pdf"
    assert made.path.read_bytes().startswith(b"%PDF") and made.pages == 1
    assert made.closed and made.report is not None and len(made.report.rows) == 3
    assert [p.name for p in folder.iterdir()] == [made.path.name]  # no partial file left

    class Stop(Exception):
        pass

    def cancel(done: int, _total: int) -> None:
        if done > 0:
            raise Stop

    with pytest.raises(Stop):
        report_files.make_table_file(
            book.path, TableRequest(SAVINGS, year=2025), "xlsx", folder, cancel
        )
    assert [p.name for p in folder.iterdir()] == [made.path.name]


def test_model_index_outside_is_empty(tab: TableReportsTab) -> None:
    assert tab.model.data(QModelIndex()) is None
    assert tab.model.rowCount() == 0
