"""Laporan in the main window: every tab's Alt letters are its own and none is a menu's.

Alt+letter goes to the first control whose text underlines that letter; when two
visible controls (or a control and a menu of the menu bar) share a letter, Qt
only cycles the focus between them and the key no longer does what it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.book import Book
from app.services import closing
from app.services.closing import Check
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.report_files import MadeBar
from app.ui.views.laporan import LaporanView
from app.ui.views.shu import ShuTab
from app.ui.views.table_reports import TableReportsTab
from app.ui.views.tutup_buku import TutupBukuTab
from tests.reports.test_confirmations import small_book
from tests.ui.conftest import Boxes

# The menu bar: &Transaksi, B&uku, &Pengguna, Pe&ngawasan, &Bantuan.
MENU_LETTERS = {"t", "u", "p", "n", "b"}


def mnemonic(text: str) -> str | None:
    """The underlined letter of a control's text ("&&" is a plain "&", "&nbsp;" rich text)."""
    plain = re.sub(r"&(#\d+|[a-zA-Z]+);", "", text.replace("&&", ""))
    found = re.search(r"&([^&\s])", plain)
    return found.group(1).lower() if found else None


def _texts(root: QWidget) -> list[str]:
    texts = []
    for child in root.findChildren(QWidget):
        if not child.isVisibleTo(root):
            continue
        if isinstance(child, (QAbstractButton, QLabel)):
            texts.append(child.text())
        elif isinstance(child, QGroupBox):
            texts.append(child.title())
    return texts


def letters_of(window: MainWindow) -> dict[str, list[str]]:
    """Each Alt letter of the window and the texts that underline it: menu bar titles,
    the Laporan tab titles, then the visible controls."""
    menus = [action.text() for action in window.menuBar().actions()]
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    tabs = [laporan.tabText(i) for i in range(laporan.count())]
    found: dict[str, list[str]] = {}
    for text in [*menus, *tabs, *_texts(window)]:
        letter = mnemonic(text)
        if letter:
            found.setdefault(letter, []).append(text)
    return found


@pytest.fixture
def window(
    qtbot: QtBot, book: Book, ctx: AppContext, boxes: Boxes, fixed_today: date
) -> Iterator[MainWindow]:
    small_book(book)  # arrears, a loan, three members: every tab has something to show
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    shown.show_screen("laporan")
    yield shown
    shown.safety.stop()


def test_the_menu_bar_letters(window: MainWindow) -> None:
    menus = {mnemonic(action.text()) for action in window.menuBar().actions()}
    assert menus == MENU_LETTERS


def test_tab_titles_show_their_ampersand(window: MainWindow) -> None:
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    titles = [laporan.tabText(i) for i in range(laporan.count())]
    assert "Tunggakan && Konfirmasi" in titles and "Daftar && Rekap" in titles
    assert [mnemonic(title) for title in titles] == [None] * len(titles)


@pytest.mark.parametrize("key", ["tutup_buku", "shu", "rat", "tunggakan", "daftar"])
def test_every_laporan_tab_has_letters_of_its_own(
    qtbot: QtBot, window: MainWindow, key: str
) -> None:
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    tab = laporan.show_tab(key)
    for bar in tab.findChildren(MadeBar):  # "Buka file", "Buka folder" once a file is made
        bar.show()
    loader = getattr(tab, "loader", None)
    if loader is not None:
        loader.wait()
    letters = letters_of(window)
    clashes = {letter: texts for letter, texts in letters.items() if len(texts) > 1}
    assert clashes == {}  # a menu bar letter shows up here too, with its menu's title
    for label in tab.findChildren(QLabel):
        if mnemonic(label.text()) and label.isVisibleTo(tab):
            assert label.buddy() is not None, label.text()


def test_rat_and_arrears_letters(window: MainWindow) -> None:
    """The letters chosen for Buku RAT and Tunggakan & Konfirmasi, by name."""
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    rat = laporan.show_tab("rat")
    assert {mnemonic(b.text()) for b in rat.findChildren(QAbstractButton)} >= {"r", "k", "d"}
    arrears = laporan.show_tab("tunggakan")
    labels = {mnemonic(label.text()) for label in arrears.findChildren(QLabel)}
    assert {"g", "e"} <= labels


def test_tutup_buku_with_every_check_failing(window: MainWindow) -> None:
    """The row buttons show only for failing checks: all of them at once still clash with
    nothing (Buka Pi&njaman used to take Pengawasan's N)."""
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    tab = laporan.show_tab("tutup_buku")
    assert isinstance(tab, TutupBukuTab)
    tab.loader.wait()
    assert tab.state is not None
    names = (
        closing.CHECK_BALANCED,
        closing.CHECK_CHAIN,
        closing.CHECK_CASH,
        closing.CHECK_ALLOWANCE,
        closing.CHECK_APPLICATIONS,
        closing.CHECK_PREVIOUS,
    )
    failing = tuple(Check(name, False, "Tahun buku 2024 belum ditutup.") for name in names)
    tab.state = replace(tab.state, checks=failing, lock=None)
    tab._show()
    assert sum(len(buttons) for buttons in tab.row_buttons.values()) == 8
    letters = letters_of(window)
    assert {letter: texts for letter, texts in letters.items() if len(texts) > 1} == {}


def test_the_letters_chosen_for_tutup_buku_shu_and_daftar(window: MainWindow) -> None:
    laporan = window.stack.currentWidget()
    assert isinstance(laporan, LaporanView)
    tutup = laporan.show_tab("tutup_buku")
    assert isinstance(tutup, TutupBukuTab)
    tutup.loader.wait()
    assert mnemonic(tutup.close_button.text()) == "k"  # Tutup bu&ku tahun 2025
    assert mnemonic(tutup.recheck_button.text()) == "r"  # Pe&riksa ulang (F5)
    assert mnemonic(tutup.reopen_button.text()) == "m"  # Buka ke&mbali tahun 2025...
    shu = laporan.show_tab("shu")
    assert isinstance(shu, ShuTab)
    assert shu.reset_button.text() == "Urun&gkan"
    daftar = laporan.show_tab("daftar")
    assert isinstance(daftar, TableReportsTab)
    assert daftar.preview_button.text() == "P&ratinjau (F5)"
