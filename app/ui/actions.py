"""The one place where the window talks to services and turns DomainError into a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from app.db import read_session, unit_of_work
from app.errors import DomainError
from app.ui.context import AppContext

T = TypeVar("T")


def show_refusal(parent: QWidget | None, error: DomainError) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("actions", "Tidak dapat disimpan"))
    box.setText(str(error))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def run_action(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run an action; a DomainError becomes a message box and the result None."""
    try:
        return action()
    except DomainError as error:
        show_refusal(parent, error)
        return None


def write(
    ctx: AppContext, parent: QWidget | None, work: Callable[[Session], T], *, notify: bool = True
) -> T | None:
    """One user action = one unit of work; nothing is written when it is refused."""

    def action() -> T:
        with unit_of_work(ctx.sessions, actor=ctx.actor) as session:
            result = work(session)
        # Committed: tell the screens, whatever the work returned (None is a result too).
        if notify:
            ctx.bus.data_changed.emit()
        return result

    return run_action(parent, action)


def read(ctx: AppContext, work: Callable[[Session], T]) -> T:
    """A short read; ``work`` must return plain data (frozen dataclasses), never ORM objects."""
    with read_session(ctx.sessions, actor=ctx.actor) as session:
        return work(session)
