"""Bagan akun: add an account under a group (with a code suggestion), or rename one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.services import accounts as account_service
from app.services.accounts import AccountInfo
from app.ui import actions
from app.ui.context import AppContext

GROUPS = (
    ("aset", "Aset (1-xxx)"),
    ("liabilitas", "Liabilitas (2-xxx)"),
    ("ekuitas", "Ekuitas (3-xxx)"),
    ("pendapatan", "Pendapatan (4-xxx)"),
    ("beban", "Beban (5-xxx)"),
)
_DIGIT = {"aset": "1", "liabilitas": "2", "ekuitas": "3", "pendapatan": "4", "beban": "5"}


def _near(codes: list[str], group: str, selected: str) -> str:
    """Where the code suggestion starts: the selected account when it is in the group,
    else the group's last ordinary code (below x-900, kept for "lain-lain")."""
    digit = _DIGIT[group]
    if selected.startswith(digit + "-") and len(selected) == 5:
        return selected
    ordinary = sorted(c for c in codes if c.startswith(digit + "-") and len(c) == 5 and c[2] != "9")
    return ordinary[-1] if ordinary else f"{digit}-100"


class AccountDialog(QDialog):
    """New account (``rename`` is None) or a new name for ``rename``."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        rename: AccountInfo | None = None,
        selected: str = "",
        group: str = "beban",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rename = rename
        self.selected = selected
        self.saved: AccountInfo | None = None
        self.codes = actions.read(ctx, lambda s: [a.code for a in account_service.list_accounts(s)])

        self.group = QComboBox()
        for key, label in GROUPS:
            self.group.addItem(self.tr(label), key)
        self.code = QLineEdit()
        self.code.setMaxLength(6)
        self.code.setPlaceholderText("5-312")
        self.code_hint = QLabel()
        self.code_hint.setStyleSheet("color: #555;")
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.contra = QCheckBox(self.tr("Akun &lawan (kontra), misalnya akumulasi penyusutan"))
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        if rename is None:
            self.setWindowTitle(self.tr("Tambah akun"))
            for text, widget in (
                (self.tr("&Kelompok:"), self.group),
                (self.tr("K&ode:"), self.code),
            ):
                caption = QLabel(text)
                caption.setBuddy(widget)
                form.addRow(caption, widget)
            form.addRow("", self.code_hint)
        else:
            self.setWindowTitle(self.tr("Ubah nama akun %1").replace("%1", rename.code))
            form.addRow(self.tr("Akun:"), QLabel(f"<b>{rename.code}</b> · {rename.name}"))
            self.name.setText(rename.name)
        name_label = QLabel(self.tr("&Nama akun:"))
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        if rename is None:
            form.addRow("", self.contra)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

        self.group.currentIndexChanged.connect(lambda _i: self._suggest())
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        if rename is None:
            index = self.group.findData(group)
            self.group.setCurrentIndex(max(index, 0))
            self._suggest()
            self.group.setFocus()
        else:
            self.name.selectAll()
            self.name.setFocus()

    def _suggest(self) -> None:
        group = str(self.group.currentData())
        near = _near(self.codes, group, self.selected)
        try:
            code = actions.read(self.ctx, lambda s: account_service.suggest_code(s, near))
        except DomainError:
            code = ""
        self.code.setText(code)
        self.code_hint.setText(
            self.tr("Saran: kode bebas berikutnya sesudah %1; boleh diubah.").replace("%1", near)
            if code
            else ""
        )

    def save(self) -> None:
        name = self.name.text()
        rename = self.rename
        if rename is not None:

            def work(session: Session) -> AccountInfo:
                return account_service.rename_account(session, rename.code, name, by=self.ctx.user)

        else:
            group = str(self.group.currentData())
            code = self.code.text()
            contra = self.contra.isChecked()

            def work(session: Session) -> AccountInfo:
                return account_service.add_account(
                    session, group=group, code=code, name=name, by=self.ctx.user, contra=contra
                )

        saved = actions.write(self.ctx, self, work)
        if saved is not None:
            self.saved = saved
            self.accept()


def open_account_form(
    ctx: AppContext,
    parent: QWidget | None,
    *,
    rename: AccountInfo | None = None,
    selected: str = "",
    group: str = "beban",
) -> AccountInfo | None:
    dialog = AccountDialog(ctx, parent, rename=rename, selected=selected, group=group)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.saved
    finally:
        dialog.deleteLater()
