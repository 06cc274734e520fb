"""Menu Pengguna: change your password; for the admin, add users, reset passwords, disable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.actor import SYSTEM
from app.errors import ValidationError
from app.permissions import ROLE_HELP, ROLE_LABELS, ROLES, allowed
from app.services import auth
from app.services.auth import UserInfo
from app.ui import prompts
from app.ui.actions import read, write
from app.ui.context import AppContext

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _same(first: QLineEdit, second: QLineEdit) -> str:
    if first.text() != second.text():
        second.setFocus()
        raise ValidationError("Kedua kata sandi baru tidak sama; ketik ulang.", field="password")
    return first.text()


class _Form(QDialog):
    """A small form: rows, a note, Simpan (Enter) and Batal (Esc)."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f6b7a;")
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("Batal (Esc)"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ChangePasswordDialog(_Form):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ganti kata sandi"), parent)
        self.ctx = ctx
        self.old = _password_edit("old")
        self.new = _password_edit("new")
        self.again = _password_edit("again")
        self.form.addRow(self.tr("Pengguna"), QLabel(ctx.actor.username))
        self.form.addRow(self.tr("Kata sandi &lama"), self.old)
        self.form.addRow(self.tr("Kata sandi &baru"), self.new)
        self.form.addRow(self.tr("&Ulangi kata sandi baru"), self.again)
        self.note.setText(self.tr("Minimal %1 karakter.").replace("%1", str(auth.MIN_PASSWORD)))

    def save(self) -> None:
        username = self.ctx.actor.username

        def work(session: Session) -> bool:
            auth.change_password(session, username, self.old.text(), _same(self.new, self.again))
            return True

        if write(self.ctx, self, work, notify=False):
            self.accept()


class AddUserDialog(_Form):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Tambah pengguna"), parent)
        self.ctx = ctx
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("mis. ida"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ROLES:
            self.role.addItem(f"{ROLE_LABELS[role]}: {ROLE_HELP[role]}", role)
        self.role.setCurrentIndex(ROLES.index("bendahara"))
        self.new = _password_edit("new")
        self.again = _password_edit("again")
        self.form.addRow(self.tr("&Nama pengguna"), self.username)
        self.form.addRow(self.tr("Nama &lengkap"), self.full_name)
        self.form.addRow(self.tr("&Peran"), self.role)
        self.form.addRow(self.tr("&Kata sandi"), self.new)
        self.form.addRow(self.tr("&Ulangi kata sandi"), self.again)
        self.note.setText(
            self.tr(
                "Pengguna tidak pernah dihapus, hanya dinonaktifkan, supaya jejak audit tetap "
                "menyebut namanya. Kata sandi minimal %1 karakter."
            ).replace("%1", str(auth.MIN_PASSWORD))
        )

    def save(self) -> None:
        by = self.ctx.user

        def work(session: Session) -> UserInfo:
            return auth.create_user(
                session,
                self.username.text(),
                role=str(self.role.currentData()),
                password=_same(self.new, self.again),
                full_name=self.full_name.text(),
                by=by,
            )

        if write(self.ctx, self, work, notify=False):
            self.accept()


class ResetPasswordDialog(_Form):
    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Atur ulang kata sandi %1").replace("%1", username), parent)
        self.ctx = ctx
        self.target = username
        self.new = _password_edit("new")
        self.again = _password_edit("again")
        self.form.addRow(self.tr("Kata sandi &baru"), self.new)
        self.form.addRow(self.tr("&Ulangi kata sandi baru"), self.again)
        self.note.setText(
            self.tr(
                "Berikan kata sandi ini kepada %1; sebaiknya ia menggantinya sendiri lewat "
                "Pengguna → Ganti kata sandi."
            ).replace("%1", username)
        )

    def save(self) -> None:
        by = self.ctx.user

        def work(session: Session) -> bool:
            auth.reset_password(session, self.target, _same(self.new, self.again), by=by)
            return True

        if write(self.ctx, self, work, notify=False):
            self.accept()


class UsersDialog(QDialog):
    """The admin's list of users with add, reset password, disable and enable."""

    COLUMNS = ("Nama pengguna", "Nama lengkap", "Peran", "Status", "Login terakhir")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Pengguna"))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(self.tr("&Tambah pengguna..."))
        self.reset_button = QPushButton(self.tr("&Atur ulang kata sandi..."))
        self.disable_button = QPushButton(self.tr("&Nonaktifkan"))
        self.enable_button = QPushButton(self.tr("Aktif&kan lagi"))
        close = QPushButton(self.tr("Tutup (Esc)"))
        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable_user)
        self.enable_button.clicked.connect(self.enable_user)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.disable_button, self.enable_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        note = QLabel(
            self.tr(
                "Selama buku belum punya pengguna, Lumbung dibuka tanpa login. Begitu ada "
                "pengguna aktif, setiap orang masuk dengan nama dan kata sandinya sendiri, dan "
                "perannya menentukan apa yang boleh ia ubah."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6b7a;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.resize(760, 420)
        self.users: list[UserInfo] = []
        self.refresh()

    def refresh(self) -> None:
        self.users = read(self.ctx, auth.list_users)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            values = (
                user.username,
                user.full_name,
                ROLE_LABELS.get(user.role, user.role),
                self.tr("aktif") if user.active else self.tr("nonaktif"),
                dates.format_date(user.last_login.date()) + user.last_login.strftime(" %H:%M")
                if user.last_login
                else "",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def selected(self) -> UserInfo | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def add_user(self) -> None:
        first = not any(u.active for u in self.users)
        if AddUserDialog(self.ctx, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            if first:
                prompts.inform(
                    self,
                    self.tr("Login mulai dipakai"),
                    self.tr(
                        "Buku ini sekarang punya pengguna: mulai pembukaan berikutnya Lumbung "
                        "meminta nama pengguna dan kata sandi."
                    ),
                )

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        if ResetPasswordDialog(self.ctx, user.username, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def disable_user(self) -> None:
        user = self.selected()
        if user is None:
            return
        by = self.ctx.user
        if (
            write(
                self.ctx, self, lambda s: auth.disable_user(s, user.username, by=by), notify=False
            )
            is not None
        ):
            self.refresh()

    def enable_user(self) -> None:
        user = self.selected()
        if user is None:
            return
        by = self.ctx.user
        if (
            write(self.ctx, self, lambda s: auth.enable_user(s, user.username, by=by), notify=False)
            is not None
        ):
            self.refresh()


def install_user_menu(window: MainWindow) -> dict[str, QAction]:
    """Menu Pengguna: Ganti kata sandi, Kelola pengguna (admin), Kunci sekarang."""
    ctx = window.ctx
    tr = window.tr
    logged_in = ctx.actor != SYSTEM
    menu = window.menuBar().addMenu(tr("&Pengguna"))
    found: dict[str, QAction] = {}
    change = QAction(tr("&Ganti kata sandi..."), window)
    change.setEnabled(logged_in)
    change.triggered.connect(lambda: ChangePasswordDialog(ctx, window).exec())
    manage = QAction(tr("&Kelola pengguna..."), window)
    manage.setEnabled(allowed(ctx.actor.role, "pengguna.kelola"))
    manage.triggered.connect(lambda: UsersDialog(ctx, window).exec())
    lock = QAction(tr("&Kunci sekarang"), window)
    # Ctrl+L is kas keluar on the Kas & Jurnal screen.
    lock.setShortcut(QKeySequence("Ctrl+Shift+L"))
    lock.setEnabled(logged_in)
    lock.triggered.connect(lambda: _lock_now(window))
    for key, action in (("change", change), ("manage", manage), ("lock", lock)):
        menu.addAction(action)
        found[key] = action
    return found


def _lock_now(window: MainWindow) -> None:
    idle = getattr(window, "idle_lock", None)
    if idle is not None:
        idle.lock()
