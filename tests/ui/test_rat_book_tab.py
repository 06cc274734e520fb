"""Laporan → Buku RAT: the reports made in a worker thread, saved, previewed and opened."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.book import Book
from app.db import unit_of_work
from app.reports import build_rat as build_rat_module
from app.services import importer
from app.ui.context import AppContext
from app.ui.views import rat_book
from app.ui.views.laporan import LaporanView
from app.ui.views.rat_book import RatBookTab
from tests.conftest import SHARED, USER
from tests.ui.conftest import Boxes

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
NAME = "Koperasi_Desa_Merah_Putih_Lambangsari"


@pytest.fixture
def tab(qtbot: QtBot, book: Book, ctx: AppContext, fixed_today: date) -> Iterator[RatBookTab]:
    parsed = importer.read_workbook(EXAMPLE)
    with unit_of_work(book.sessions) as session:
        importer.import_workbook(session, parsed, by=USER)
    view = LaporanView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 760)
    view.show()
    widget = view.show_tab("rat")
    assert isinstance(widget, RatBookTab)
    assert view.tabText(view.keys.index("rat")) == "Buku RAT"
    widget.show_year(2025)
    assert widget.year.value() == 2025
    yield widget  # the view stays alive (and owns the tab) until the test ends


def test_the_rat_book_is_made_in_a_thread_saved_and_previewed(
    qtbot: QtBot, tab: RatBookTab, folder: Path, opened: list[str], boxes: Boxes
) -> None:
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)  # the window's event loop keeps running while the book renders
    dialogs: list[str] = []
    QTimer.singleShot(
        0,
        lambda: dialogs.extend(
            w.labelText() for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)
        ),
    )
    qtbot.mouseClick(tab.pdf_button, Qt.MouseButton.LeftButton)
    timer.stop()
    path = folder / f"RAT_{NAME}_2025.pdf"
    assert path.exists() and path.read_bytes().startswith(b"%PDF")
    assert tab.made is not None and tab.made.path == path and tab.made.pages >= 15
    assert ticks, "the window froze while the book was made"
    assert dialogs and "buku RAT" in dialogs[0]
    assert str(path) in tab.status.text() and "belum tutup buku" in tab.status.text()
    assert len(tab.page_labels) == rat_book.PREVIEW_PAGES
    assert not tab.page_labels[0].pixmap().isNull()
    assert boxes.refusals == []

    qtbot.mouseClick(tab.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(path), str(folder)]


def test_the_workbooks_are_saved_beside_it(
    qtbot: QtBot, tab: RatBookTab, folder: Path, boxes: Boxes
) -> None:
    qtbot.mouseClick(tab.xlsx_button, Qt.MouseButton.LeftButton)
    assert (folder / f"RAT_{NAME}_2025.xlsx").exists()
    assert tab.page_labels == []
    qtbot.mouseClick(tab.dinas_button, Qt.MouseButton.LeftButton)
    dinas = folder / f"Laporan_Tahunan_{NAME}_2025.xlsx"
    assert dinas.exists() and tab.made is not None and tab.made.path == dinas
    assert boxes.refusals == []


def test_a_failed_dinas_check_is_shown_and_nothing_is_saved(
    qtbot: QtBot,
    tab: RatBookTab,
    folder: Path,
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = build_rat_module.build_statements

    def unbalanced(*args: Any, **kwargs: Any) -> Any:
        st = real(*args, **kwargs)
        bs = st.balance_sheet
        cash = bs.current_assets.lines[0]
        lines = (
            dataclasses.replace(cash, current=cash.current + 1_000),
            *bs.current_assets.lines[1:],
        )
        bs = dataclasses.replace(
            bs, current_assets=dataclasses.replace(bs.current_assets, lines=lines)
        )
        return dataclasses.replace(st, balance_sheet=bs)

    monkeypatch.setattr(build_rat_module, "build_statements", unbalanced)
    qtbot.mouseClick(tab.dinas_button, Qt.MouseButton.LeftButton)
    assert len(boxes.refusals) == 1
    assert "Total aset = total liabilitas + ekuitas" in boxes.refusals[0]
    assert not folder.exists() or list(folder.iterdir()) == []
    assert tab.made is None and not tab.open_file_button.isEnabled()


def test_cancelling_leaves_no_file(qtbot: QtBot, tab: RatBookTab, folder: Path) -> None:
    cancelled: list[bool] = []

    def cancel() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible() and not cancelled:
                cancelled.append(True)
                widget.findChild(QPushButton).click()  # "Batal", as the treasurer would

    timer = QTimer()
    timer.timeout.connect(cancel)
    timer.start(5)
    made = tab.generate(rat_book.PDF)
    timer.stop()
    assert cancelled and made is None
    assert not folder.exists() or list(folder.iterdir()) == []
    assert tab.made is None
