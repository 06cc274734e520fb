"""The main window, Beranda, and the first start (new book, demo book)."""

from __future__ import annotations

import sys
import time
import types
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from app.book import create_book, is_book, open_book
from app.db import read_session, unit_of_work
from app.services import savings, settings
from app.services.settings import Profile
from app.ui.dialogs.first_run import FirstRunDialog, make_demo_with_progress
from app.ui.main_window import MainWindow
from app.ui.views.anggota import AnggotaView
from app.ui.views.beranda import BerandaView
from tests.ui.conftest import USER, register_people


def test_main_window_opens_and_ctrl_2_shows_anggota(qtbot, ctx, boxes):
    register_people(ctx, 2)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert isinstance(window.stack.currentWidget(), BerandaView)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), AnggotaView)
    assert window.sidebar.currentRow() == 1
    assert window.stack.currentWidget().model.rowCount() == 2
    ctx.bus.navigate.emit("anggota", 2)
    assert window.stack.currentWidget().detail.id == 2
    window.show_screen("pengaturan")
    window.show_screen("beranda")


def test_beranda_shows_the_figures_and_who_owes_wajib(qtbot, ctx, boxes, fixed_today):
    ids = register_people(ctx, 3, joined=date(2025, 12, 1))
    with unit_of_work(ctx.sessions) as session:
        savings.deposit(
            session, ids[0], {"wajib": 20_000, "sukarela": 15_000}, on=fixed_today, by=USER
        )
    view = BerandaView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()  # the main window does this when it shows the screen
    view.wait_loaded()
    assert view.title.text() == "Koperasi Desa Merah Putih Lambangsari"
    assert view.members_card.value.text() == "3"
    assert "Laki-laki 2 · Perempuan 1" in view.members_card.note.text().replace("\xa0", " ")
    assert view.savings_card.value.text() == "Rp185.000"
    assert view.cash_card.value.text() == "Rp185.000"
    assert view.wajib_card.value.text() == "Rp20.000"
    assert view.today_card.value.text() == "1"
    assert view.arrears_title.text().endswith(": 2 anggota")
    assert view.arrears_card.value.text() == "Rp40.000"
    assert view.arrears_table.rowCount() == 2
    with qtbot.waitSignal(ctx.bus.navigate) as signal:
        view.collect_button.click()
    assert signal.args == ["simpanan", 0]


def test_first_run_makes_a_new_book_by_keyboard(qtbot, tmp_path, boxes):
    target = tmp_path / "lumbung.sqlite"
    dialog = FirstRunDialog(target)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.new_button, Qt.Key.Key_Space)  # the focused first choice
    assert dialog.pages.currentIndex() == 1
    qtbot.keyClicks(dialog.fields["name"], "KDMP Sukamaju")
    qtbot.keyClicks(dialog.fields["desa"], "Sukamaju")
    qtbot.keyClicks(dialog.fields["ketua"], "Pak Ketua")
    dialog.wajib_edit.clear()
    qtbot.keyClicks(dialog.wajib_edit, "25000")
    qtbot.keyClick(dialog.wajib_edit, Qt.Key.Key_Return)

    assert boxes.refusals == []
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.chosen_path == target.resolve()
    book = open_book(target)
    try:
        with read_session(book.sessions) as s:
            profile = settings.get_profile(s)
            pokok = settings.rate_on(settings.rates(s, settings.POKOK), date(2025, 1, 1))
            wajib = settings.rate_on(settings.rates(s, settings.WAJIB), date(2020, 1, 1))
    finally:
        book.close()
    assert (profile.name, profile.desa, profile.ketua) == ("KDMP Sukamaju", "Sukamaju", "Pak Ketua")
    assert (pokok, wajib) == (50_000, 25_000)


def test_first_run_needs_a_name_and_esc_goes_back(qtbot, tmp_path, boxes):
    target = tmp_path / "lumbung.sqlite"
    dialog = FirstRunDialog(target)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new_button.click()
    qtbot.keyClick(dialog.fields["desa"], Qt.Key.Key_Return)
    assert boxes.refusals == ["Nama koperasi wajib diisi."]
    assert not target.exists()
    qtbot.keyClick(dialog.fields["desa"], Qt.Key.Key_Escape)
    assert dialog.pages.currentIndex() == 0 and dialog.isVisible()


@pytest.fixture
def fake_demo(monkeypatch):
    """A stand-in for app.services.demo: a tiny book, with progress reports."""
    calls: list[tuple[int, int]] = []
    module = types.ModuleType("app.services.demo")

    def create_demo_book(path, *, members=60, years=3, seed=1, progress=None, steps=3, pause=0.0):
        book = create_book(Path(path), Profile(name="Koperasi Contoh"), by="demo")
        try:
            for done in range(steps + 1):
                if progress is not None:
                    progress(done, steps)
                calls.append((done, steps))
                time.sleep(pause)
        finally:
            book.close()
        return Path(path)

    module.create_demo_book = create_demo_book  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.services.demo", module)
    return module, calls


def test_demo_book_is_made_in_a_thread_with_progress(qtbot, tmp_path, fake_demo):
    target = tmp_path / "demo.sqlite"
    assert make_demo_with_progress(target) is True
    assert is_book(target)
    assert fake_demo[1][-1] == (3, 3)


def test_demo_can_be_cancelled(qtbot, tmp_path, fake_demo, monkeypatch):
    module, _calls = fake_demo
    slow = module.create_demo_book
    monkeypatch.setattr(
        module, "create_demo_book", lambda path, **kw: slow(path, **kw, steps=2000, pause=0.002)
    )

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QProgressDialog)
        dialog.canceled.emit()  # what its Batal button and Esc do

    QTimer.singleShot(300, cancel)
    target = tmp_path / "demo.sqlite"
    started = time.monotonic()
    assert make_demo_with_progress(target) is False
    assert time.monotonic() - started < 3  # stopped long before the 4 s of work
    assert not target.exists()
