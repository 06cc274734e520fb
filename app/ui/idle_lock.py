"""Lock the window after idle time: the books stay open, the content hides behind the login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.services import settings
from app.ui.actions import read

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

IDLE_OPTION = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 15

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


def idle_minutes(window: MainWindow) -> int:
    """The setting ``option.idle_lock_minutes`` (default 15; 0 turns the lock off)."""
    value = read(window.ctx, lambda s: settings.get_option(s, IDLE_OPTION, DEFAULT_IDLE_MINUTES))
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return max(minutes, 0)


class IdleLock(QObject):
    """An application-wide event filter restarts a timer; when it fires, the login returns."""

    def __init__(self, window: MainWindow, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.minutes = minutes
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(minutes, 1) * 60_000)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if not self.locked and event.type() in _ACTIVITY:
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def lock(self) -> bool:
        """Hide everything behind the login for the same user; False when she quits instead."""
        from app.ui.dialogs.login import LoginDialog

        if self.locked:
            return True
        self.locked = True
        self.timer.stop()
        window = self.window
        # Open dialogs close (nothing half-typed is saved); the window's content hides.
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and isinstance(widget, QDialog):
                widget.reject()
        hidden: list[QWidget] = [w for w in (window.centralWidget(), window.menuBar()) if w]
        for widget in hidden:
            widget.setVisible(False)
        dialog = LoginDialog(
            window.ctx.book, window, locked_for=window.ctx.actor.username, idle_minutes=self.minutes
        )
        unlocked = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        self.locked = False
        if not unlocked:
            window.close()
            return False
        for widget in hidden:
            widget.setVisible(True)
        self.timer.start()
        return True
