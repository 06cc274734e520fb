"""Logins in the window: the login dialog, a pengawas at the counter, the idle lock, first run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.actor import Actor
from app.book import Book, open_book
from app.db import read_session, unit_of_work
from app.ledger.balances import member_savings
from app.ledger.chart import SIMPANAN_SUKARELA
from app.models import AuditRecord, JournalEntry
from app.services import auth
from app.ui.context import AppContext
from app.ui.dialogs.deposit import DepositDialog
from app.ui.dialogs.first_run import FirstRunDialog
from app.ui.dialogs.login import LoginDialog
from app.ui.idle_lock import IdleLock
from app.ui.main_window import MainWindow
from tests.ui.conftest import Boxes, register_people

SANDI = "Sandi-Ida-2026"


def _with_users(book: Book) -> Book:
    with unit_of_work(book.sessions) as s:
        auth.create_user(s, "admin", role="admin", password="Admin-Lumbung-1", by="sistem")
        auth.create_user(s, "ida", role="bendahara", password=SANDI, by="sistem")
        auth.create_user(s, "wati", role="pengawas", password="Sandi-Wati-2026", by="sistem")
    return book


@pytest.fixture
def users(book: Book) -> Book:
    return _with_users(book)


def _type_and_enter(qtbot: QtBot, dialog: LoginDialog, name: str, password: str) -> None:
    if not dialog.username.isReadOnly():
        dialog.username.clear()
        qtbot.keyClicks(dialog.username, name)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter logs in


def test_wrong_password_says_so_without_saying_which_part(qtbot: QtBot, users: Book) -> None:
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_and_enter(qtbot, dialog, "ida", "salah-sandi")
    assert dialog.actor is None and dialog.isVisible()
    assert dialog.message.text() == auth.WRONG
    assert dialog.password.text() == ""  # cleared for the next try
    _type_and_enter(qtbot, dialog, "ida", SANDI)
    assert dialog.actor == Actor("ida", "bendahara")
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_repeated_failures_lock_the_login(qtbot: QtBot, users: Book) -> None:
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(auth.MAX_FAILURES):
        _type_and_enter(qtbot, dialog, "ida", f"tebakan-{attempt}")
    assert "dikunci" in dialog.message.text()
    _type_and_enter(qtbot, dialog, "ida", SANDI)  # the right one waits too
    assert dialog.actor is None and "dikunci sampai" in dialog.message.text()


def test_a_disabled_login_is_refused(qtbot: QtBot, users: Book) -> None:
    with unit_of_work(users.sessions, actor=Actor("admin", "admin")) as s:
        auth.disable_user(s, "ida", by="admin")
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_and_enter(qtbot, dialog, "ida", SANDI)
    assert dialog.actor is None
    assert "dinonaktifkan" in dialog.message.text()


def test_a_pengawas_deposit_is_refused_by_the_service(
    qtbot: QtBot, book: Book, boxes: Boxes, fixed_today: date
) -> None:
    (member_id,) = register_people(AppContext(book=book, user="bendahara"), 1)
    users = _with_users(book)  # the pengawas logs in to a book in use
    wati = auth.authenticate(users.sessions, "wati", "Sandi-Wati-2026")
    ctx = AppContext(book=users, user=wati.username, actor=wati)
    with read_session(users.sessions) as s:
        entries = s.scalar(select(func.count(JournalEntry.id)))
    dialog = DepositDialog(ctx, None, member_id=member_id)
    qtbot.addWidget(dialog)
    dialog.months.setValue(0)
    qtbot.keyClicks(dialog.sukarela, "50000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(boxes.refusals) == 1
    assert "Peran pengawas hanya dapat melihat" in boxes.refusals[0]
    assert dialog.entry_id is None
    with read_session(users.sessions) as s:
        assert s.scalar(select(func.count(JournalEntry.id))) == entries
        assert member_savings(s, member_id)[SIMPANAN_SUKARELA] == 0


def test_idle_lock_hides_the_window_until_the_same_user_logs_in(
    qtbot: QtBot, users: Book, boxes: Boxes
) -> None:
    ida = auth.authenticate(users.sessions, "ida", SANDI)
    ctx = AppContext(book=users, user=ida.username, actor=ida)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    idle = IdleLock(window, 15)
    window.idle_lock = idle
    assert idle.timer.isActive() and idle.timer.interval() == 15 * 60_000
    seen: dict[str, object] = {}

    def unlock() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        seen["hidden"] = not window.centralWidget().isVisible()
        seen["name"] = dialog.username.text()
        seen["fixed"] = dialog.username.isReadOnly()
        _type_and_enter(qtbot, dialog, "", "salah-sandi")
        seen["message"] = dialog.message.text()
        _type_and_enter(qtbot, dialog, "", SANDI)

    QTimer.singleShot(0, unlock)
    assert idle.lock() is True
    assert seen == {"hidden": True, "name": "ida", "fixed": True, "message": auth.WRONG}
    assert window.centralWidget().isVisible()
    assert idle.timer.isActive()
    idle.stop()
    with read_session(users.sessions) as s:
        logins = s.scalars(select(AuditRecord.username).where(AuditRecord.action == "login"))
        assert list(logins) == ["ida", "ida"]


def test_user_menu_follows_the_role(qtbot: QtBot, users: Book, boxes: Boxes) -> None:
    for actor, manage in ((Actor("admin", "admin"), True), (Actor("wati", "pengawas"), False)):
        window = MainWindow(AppContext(book=users, user=actor.username, actor=actor))
        qtbot.addWidget(window)
        assert window.user_actions["manage"].isEnabled() is manage
        assert window.user_actions["change"].isEnabled()


def test_first_run_makes_her_login_and_the_ketuas(
    qtbot: QtBot, tmp_path: Path, boxes: Boxes
) -> None:
    target = tmp_path / "lumbung.sqlite"
    dialog = FirstRunDialog(target)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_new_book()
    qtbot.keyClicks(dialog.fields["name"], "KDMP Sukamaju")
    qtbot.keyClicks(dialog.fields["bendahara"], "Ida Farida")
    qtbot.keyClicks(dialog.login_user, "ida")
    qtbot.keyClicks(dialog.login_password, "pendek")
    qtbot.keyClicks(dialog.login_again, "pendek")
    dialog.create_new_book()
    assert boxes.refusals and "minimal 8" in boxes.refusals[-1]
    assert not target.exists() or target.stat().st_size == 0  # refused before the book
    for edit in (dialog.login_password, dialog.login_again):
        edit.clear()
        qtbot.keyClicks(edit, SANDI)
    qtbot.keyClicks(dialog.ketua_user, "ahmad")
    qtbot.keyClicks(dialog.ketua_password, "Sandi-Ketua-1")
    dialog.create_new_book()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted, boxes.refusals
    book = open_book(target)
    try:
        with read_session(book.sessions) as s:
            users = {(u.username, u.role, u.full_name) for u in auth.list_users(s)}
    finally:
        book.close()
    assert users == {("ida", "bendahara", "Ida Farida"), ("ahmad", "ketua", "")}
    assert SANDI.encode() not in target.read_bytes()
