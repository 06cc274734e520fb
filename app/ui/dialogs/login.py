"""The login at start (when the book has users) and the unlock after idle time."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.book import Book
from app.services import auth
from app.services.auth import LoginFailed


class LoginDialog(QDialog):
    """Name and password; Enter logs in. ``actor`` is set on Accept.

    ``locked_for`` (a username): the window was locked after idle time and
    only that user may unlock it; the name cannot be changed.
    """

    def __init__(
        self,
        book: Book,
        parent: QWidget | None = None,
        *,
        username: str = "",
        locked_for: str = "",
        idle_minutes: int = 0,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.actor: Actor | None = None
        self.locked_for = locked_for
        tr = self.tr
        self.setWindowTitle(tr("Lumbung — dikunci") if locked_for else tr("Lumbung — masuk"))
        heading = QLabel(tr("Lumbung dikunci") if locked_for else tr("Masuk ke Lumbung"))
        heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        where = QLabel(tr("Buku: %1").replace("%1", book.path.name))
        where.setStyleSheet("color: #5f6b7a;")
        intro = QLabel(
            tr(
                "Lumbung dikunci karena tidak dipakai %1 menit. Ketik kata sandi Anda untuk "
                "melanjutkan; buku tetap terbuka."
            ).replace("%1", str(idle_minutes))
            if locked_for
            else tr("Buku ini memakai login. Ketik nama pengguna dan kata sandi Anda.")
        )
        intro.setWordWrap(True)
        self.username = QLineEdit(locked_for or username)
        self.username.setObjectName("username")
        self.username.setReadOnly(bool(locked_for))
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.message.hide()
        form = QFormLayout()
        form.addRow(tr("&Nama pengguna"), self.username)
        form.addRow(tr("&Kata sandi"), self.password)
        self.login_button = QPushButton(tr("&Masuk (Enter)"))
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        self.cancel_button = QPushButton(
            tr("&Keluar dari Lumbung") if locked_for else tr("Batal (Esc)")
        )
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)
        (self.password if (locked_for or username) else self.username).setFocus()

    def try_login(self) -> bool:
        name = self.locked_for or self.username.text()
        try:
            actor = auth.authenticate(self.book.sessions, name, self.password.text())
        except LoginFailed as refused:
            self.message.setText(str(refused))
            self.message.show()
            self.password.clear()
            self.password.setFocus()
            return False
        self.actor = actor
        self.password.clear()
        self.accept()
        return True


def ask_login(book: Book, parent: QWidget | None = None) -> Actor | None:
    """The start-up login; None when the treasurer cancels."""
    dialog = LoginDialog(book, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.actor
