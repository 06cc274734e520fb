"""Pengaturan, Logo koperasi: choose a picture, see it, have it in the book; remove it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from sqlalchemy import func, select

from app.db import read_session, unit_of_work
from app.models import AuditRecord
from app.services import settings
from app.ui.context import AppContext
from app.ui.views import pengaturan
from app.ui.views.pengaturan import LOGO_PREVIEW_H, PengaturanView
from tests.logo_pictures import picture, size_of

SHOTS = Path("/tmp/shots")


def make_view(qtbot, ctx: AppContext) -> PengaturanView:
    view = PengaturanView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    with qtbot.waitActive(view):
        view.activateWindow()
    return view


def stored_logo(ctx: AppContext) -> bytes | None:
    with read_session(ctx.sessions) as s:
        return settings.get_logo(s)


def logo_audits(ctx: AppContext) -> int:
    with read_session(ctx.sessions) as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == "pengaturan.logo")
            )
            or 0
        )


@dataclass
class FileDialog:
    """The replaced "Pilih logo..." dialog: returns ``answer`` ("" = Batal), notes the start."""

    answer: str = ""
    starts: list[str] = field(default_factory=list)


@pytest.fixture
def dialog(monkeypatch: pytest.MonkeyPatch) -> FileDialog:
    fake = FileDialog()

    def choose(_parent: QWidget, start: str) -> str:
        fake.starts.append(start)
        return fake.answer

    monkeypatch.setattr(pengaturan, "choose_logo_file", choose)
    return fake


def press(qtbot, button: QAbstractButton) -> None:
    """From the keyboard: focus the button and press Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_choose_a_logo_shows_it_and_keeps_it_in_the_book(qtbot, ctx, boxes, dialog, tmp_path):
    view = make_view(qtbot, ctx)
    assert view.logo_preview.pixmap().isNull()
    assert view.logo_preview.text() == "Belum ada logo"
    assert not view.clear_logo_button.isEnabled()

    path = tmp_path / "logo koperasi.jpg"
    path.write_bytes(picture((1200, 800), "JPEG", "RGB"))
    dialog.answer = str(path)
    changed: list[bool] = []
    ctx.bus.data_changed.connect(lambda: changed.append(True))
    press(qtbot, view.choose_logo_button)

    assert boxes.refusals == []
    kept = stored_logo(ctx)
    assert kept is not None and size_of(kept) == (600, 400)
    shown = view.logo_preview.pixmap()
    assert not shown.isNull()
    assert round(shown.height() / shown.devicePixelRatio()) == LOGO_PREVIEW_H
    assert round(shown.width() / shown.devicePixelRatio()) == LOGO_PREVIEW_H * 3 // 2
    assert view.clear_logo_button.isEnabled()
    assert view.logo_status.text().startswith("✓")
    assert changed == [True]
    assert logo_audits(ctx) == 1
    if SHOTS.is_dir():
        view.grab().save(str(SHOTS / "pengaturan_logo.png"))

    # A fresh screen (another session of the window) reads it back from the book.
    again = make_view(qtbot, ctx)
    assert not again.logo_preview.pixmap().isNull()


def test_a_refused_file_is_shown_and_nothing_changes(qtbot, ctx, boxes, dialog, tmp_path):
    with unit_of_work(ctx.sessions) as s:
        before = settings.set_logo(s, picture(), by="bendahara")
    view = make_view(qtbot, ctx)
    shown_before = view.logo_preview.pixmap().toImage()

    path = tmp_path / "bukan_gambar.png"
    path.write_text("ini teks, bukan gambar")
    dialog.answer = str(path)
    press(qtbot, view.choose_logo_button)

    assert len(boxes.refusals) == 1
    assert "Pilih gambar PNG atau JPG" in boxes.refusals[0]
    assert stored_logo(ctx) == before
    assert logo_audits(ctx) == 1
    assert view.logo_preview.pixmap().toImage() == shown_before
    assert view.logo_status.text() == ""
    assert view.choose_logo_button.hasFocus()


def test_cancelling_the_file_dialog_changes_nothing(qtbot, ctx, boxes, dialog):
    view = make_view(qtbot, ctx)
    press(qtbot, view.choose_logo_button)
    assert dialog.starts == [str(Path.home())]  # the dialog was asked, and cancelled
    assert boxes.refusals == []
    assert stored_logo(ctx) is None
    assert logo_audits(ctx) == 0


def test_remove_the_logo(qtbot, ctx, boxes):
    with unit_of_work(ctx.sessions) as s:
        settings.set_logo(s, picture(), by="bendahara")
    view = make_view(qtbot, ctx)
    assert not view.logo_preview.pixmap().isNull()

    boxes.answer = False  # "Tidak": it stays
    press(qtbot, view.clear_logo_button)
    assert len(boxes.questions) == 1 and "Hapus logo koperasi?" in boxes.questions[0]
    assert stored_logo(ctx) is not None

    boxes.answer = True
    press(qtbot, view.clear_logo_button)
    assert boxes.refusals == []
    assert stored_logo(ctx) is None
    assert view.logo_preview.pixmap().isNull()
    assert view.logo_preview.text() == "Belum ada logo"
    assert not view.clear_logo_button.isEnabled()
    assert view.choose_logo_button.hasFocus()  # focus does not fall off the disabled button
    assert view.logo_status.text() == "✓ Logo dihapus."
    assert logo_audits(ctx) == 2


def _mnemonics(view: PengaturanView) -> list[str]:
    """The Alt letters of the first tab: its buttons, its labels, and the tab titles."""
    page = view.tabs.widget(0)
    texts = [w.text() for w in page.findChildren(QAbstractButton)]
    texts += [w.text() for w in page.findChildren(QLabel)]
    texts += [view.tabs.tabText(i) for i in range(view.tabs.count())]
    letters = []
    for text in texts:
        match = re.search(r"&([^&])", text.replace("&&", ""))
        if match:
            letters.append(match.group(1).lower())
    return letters


def test_keyboard_reachable_with_letters_of_their_own(qtbot, ctx, boxes):
    view = make_view(qtbot, ctx)
    letters = _mnemonics(view)
    assert letters.count("p") == 1 and letters.count("h") == 1
    assert view.choose_logo_button.text() == "&Pilih logo..."
    assert view.clear_logo_button.text() == "&Hapus logo"
    # Tab from "Simpan profil" lands on "Pilih logo...", then "Hapus logo" once there is one.
    with unit_of_work(ctx.sessions) as s:
        settings.set_logo(s, picture(), by="bendahara")
    view.refresh()
    view.save_button.setFocus()
    qtbot.keyClick(view.save_button, Qt.Key.Key_Tab)
    assert view.choose_logo_button.hasFocus()
    qtbot.keyClick(view.choose_logo_button, Qt.Key.Key_Tab)
    assert view.clear_logo_button.hasFocus()
    # Alt+P and Alt+H (the offscreen test platform does not deliver shortcuts; check them).
    assert view.choose_logo_button.shortcut() == QKeySequence("Alt+P")
    assert view.clear_logo_button.shortcut() == QKeySequence("Alt+H")
