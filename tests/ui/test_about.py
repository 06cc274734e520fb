"""Tentang Lumbung: the version and the folders, each opened in the file manager."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from app import __version__
from app.book import Book
from app.db import unit_of_work
from app.services import backup
from app.ui.context import AppContext
from app.ui.dialogs import about
from app.ui.dialogs.about import AboutDialog, open_about
from app.ui.main_window import MainWindow


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Data and log folders inside tmp_path, not yet made; openUrl captured, not run."""
    data = tmp_path / "data" / "Lumbung"
    logs = tmp_path / "logs" / "Lumbung"
    monkeypatch.setattr(about, "data_dir", lambda: data)
    monkeypatch.setattr(about, "log_dir", lambda: logs)
    return {"data": data, "log": logs}


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return urls


def test_about_shows_version_and_folders(qtbot, book: Book, folders, opened) -> None:
    dialog = AboutDialog(AppContext(book=book, user="bendahara"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert __version__ in dialog.version_label.text()
    assert dialog.fields["data"].text() == str(folders["data"])
    assert dialog.fields["book"].text() == str(book.path)
    assert dialog.fields["backup"].text() == str(book.path.parent / "cadangan")
    assert dialog.fields["log"].text() == str(folders["log"])
    assert list(dialog.fields) == ["data", "book", "backup", "log"]  # no second folder set
    assert all(b.text() == "Buka folder" for b in dialog.buttons.values())
    assert not (book.path.parent / "cadangan").exists()  # shown before the first backup


def test_buka_folder_makes_a_missing_folder_then_opens_it(
    qtbot, book: Book, folders, opened
) -> None:
    dialog = AboutDialog(AppContext(book=book, user="bendahara"))
    qtbot.addWidget(dialog)
    for key in ("backup", "log", "book", "data"):
        qtbot.mouseClick(dialog.buttons[key], Qt.MouseButton.LeftButton)
    backups = book.path.parent / "cadangan"
    expected = [backups, folders["log"], book.path.parent, folders["data"]]
    assert [Path(url.toLocalFile()) for url in opened] == expected
    assert all(url.isLocalFile() for url in opened)
    assert backups.is_dir() and folders["log"].is_dir()


def test_second_backup_folder_is_shown_when_chosen(
    qtbot, book: Book, folders, opened, tmp_path: Path
) -> None:
    flashdisk = tmp_path / "flashdisk" / "Lumbung"
    with unit_of_work(book.sessions) as session:
        backup.set_second_folder(session, flashdisk, by="bendahara")
    dialog = AboutDialog(AppContext(book=book, user="bendahara"))
    qtbot.addWidget(dialog)
    assert list(dialog.fields) == ["data", "book", "backup", "backup2", "log"]
    assert dialog.fields["backup2"].text() == str(flashdisk)
    qtbot.mouseClick(dialog.buttons["backup2"], Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [flashdisk]


def test_folder_that_cannot_be_opened_is_named_to_the_treasurer(
    qtbot, book: Book, folders, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    monkeypatch.setattr(about.prompts, "inform", lambda _p, _t, text: told.append(text))
    dialog = AboutDialog(AppContext(book=book, user="bendahara"))
    qtbot.addWidget(dialog)
    assert dialog.open_folder("log") is False
    assert told == [f"Buka folder ini secara manual:\n{folders['log']}"]


def test_bantuan_menu_opens_the_about_dialog(qtbot, book: Book, folders, opened) -> None:
    window = MainWindow(AppContext(book=book, user="bendahara"))
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Bantuan" in titles
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AboutDialog)
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, close_it)
    window.about_action.trigger()
    assert seen == ["Tentang Lumbung"]


def test_open_about_returns_when_closed(qtbot, book: Book, folders, opened) -> None:
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    open_about(AppContext(book=book, user="bendahara"), None)
