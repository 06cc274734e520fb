"""Start the window: choose or create a book, open it, show the main window."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.actor import SYSTEM, Actor
from app.book import Book, default_book_path, demo_book_path, is_book, open_book
from app.errors import DomainError
from app.logs import log_dir, setup_logging
from app.ui import gc_guard
from app.ui.context import AppContext
from app.ui.style import STYLESHEET

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """A bug: log the traceback, tell the treasurer where it is, keep the books safe."""
    log.error("Kesalahan program:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            QApplication.translate("app", "Kesalahan program"),
            QApplication.translate(
                "app",
                "Terjadi kesalahan di dalam program (bukan kesalahan Anda). Transaksi yang "
                "sedang disimpan dibatalkan seluruhnya. Mohon laporkan kejadian ini beserta "
                "file log di folder:\n%1",
            ).replace("%1", str(log_dir())),
        )


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("Lumbung")
    app.setApplicationVersion(__version__)
    gc_guard.install(app)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    icon = RESOURCES / "icons" / "lumbung.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def choose_book(path: Path | None, *, demo: bool) -> Path | None:
    """The book to open: the demo book, the given one, or what the first-run dialog makes."""
    if demo:
        target = demo_book_path()
        if not is_book(target):
            from app.ui.dialogs.first_run import make_demo_with_progress

            if not make_demo_with_progress(target):
                return None
        return target
    target = path or default_book_path()
    if is_book(target):
        return target
    from app.ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(target)
    if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
        return None
    return dialog.chosen_path


def login(book: Book) -> Actor | None:
    """SYSTEM for a book without users; else the login dialog's actor (None: cancelled)."""
    from app.db import read_session
    from app.services import auth

    with read_session(book.sessions) as session:
        needed = auth.has_users(session)
    if not needed:
        return SYSTEM
    from app.ui.dialogs.login import ask_login

    return ask_login(book)


def _quit_after_env(app: QApplication) -> None:
    """LUMBUNG_QUIT_AFTER_MS=N: quit N ms after the window shows (smoke tests of a bundle)."""
    value = os.environ.get("LUMBUNG_QUIT_AFTER_MS", "").strip()
    if value.isdigit():
        from PySide6.QtCore import QTimer

        log.info("LUMBUNG_QUIT_AFTER_MS=%s: the window quits by itself", value)
        QTimer.singleShot(int(value), app.quit)


def run(path: Path | None = None, *, demo: bool = False) -> int:
    setup_logging()
    app = make_application()
    sys.excepthook = _excepthook
    target = choose_book(path, demo=demo)
    if target is None:
        return 0
    try:
        book: Book = open_book(target)
    except DomainError as error:
        QMessageBox.warning(None, app.translate("app", "Buku tidak dapat dibuka"), str(error))
        return 2
    from app.ui.main_window import MainWindow

    actor = login(book)
    if actor is None:  # the login was cancelled
        book.close()
        return 0
    ctx = (
        AppContext(book=book, user="bendahara")
        if actor is SYSTEM
        else AppContext(book=book, user=actor.username, actor=actor)
    )
    window = MainWindow(ctx)
    window.show()
    if actor is not SYSTEM:
        from app.ui.idle_lock import IdleLock, idle_minutes

        minutes = idle_minutes(window)
        if minutes > 0:
            window.idle_lock = IdleLock(window, minutes)
    _quit_after_env(app)
    from app.ui.safety import background_jobs_enabled

    jobs = background_jobs_enabled()
    if jobs:
        window.safety.start(daily_backup=True)  # chain check (banner), then the daily backup
    try:
        return app.exec()
    finally:
        window.safety.stop()
        if jobs:
            window.safety.backup_at_close()
        book.close()
