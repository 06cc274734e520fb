"""Penarikan simpanan sukarela (F3): never below zero; a refusal writes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.ledger import Posted
from app.money import format_rupiah, terbilang_rupiah
from app.queries.savings import CounterInfo, counter_info
from app.services import savings
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs import receipt_preview
from app.ui.dialogs._counter import BalancePanel, PickerEnter
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.member_picker import MemberPicker
from app.ui.widgets.money_edit import MoneyEdit


class WithdrawDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info: CounterInfo | None = None
        self.entry_id: int | None = None
        self.setWindowTitle(self.tr("Penarikan simpanan sukarela"))
        self.setMinimumWidth(600)

        self.picker = MemberPicker(ctx, self)
        self.panel = BalancePanel(self, show_wajib=False)
        self.amount = MoneyEdit(what=self.tr("Jumlah penarikan"))
        self.date = DateEdit(self)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Boleh dikosongkan, misalnya: untuk biaya sekolah"))
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setStyleSheet("font-style: italic;")
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field in (
            (self.tr("&Anggota:"), self.picker),
            (None, self.panel),
            (self.tr("&Jumlah penarikan:"), self.amount),
            (None, self.words),
            (None, self.warning),
            (self.tr("&Tanggal:"), self.date),
            (self.tr("&Keterangan:"), self.note),
        ):
            if text is None:
                form.addRow("", field)
                continue
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        for first, second in (
            (self.picker, self.amount),
            (self.amount, self.date),
            (self.date, self.note),
            (self.note, self.save_button),
            (self.save_button, self.cancel_button),
        ):
            QWidget.setTabOrder(first, second)

        self._enter = PickerEnter(self.picker, self.amount)
        self.picker.member_changed.connect(self._member_changed)
        self.date.dateChanged.connect(lambda _d: self._reload_info())
        self.amount.amount_changed.connect(self._update_words)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self._update_words()
        if member_id:
            self.picker.set_member(member_id)
            self.amount.setFocus()
        else:
            self.picker.setFocus()

    def _member_changed(self, member_id: int) -> None:
        self._reload_info()
        if member_id and self.picker.hasFocus():
            self.amount.setFocus(Qt.FocusReason.TabFocusReason)

    def _reload_info(self) -> None:
        member_id = self.picker.member_id()
        if not member_id:
            self.info = None
            self.panel.clear()
        else:
            on = self.date.value()
            self.info = actions.read(self.ctx, lambda s: counter_info(s, member_id, on))
            self.panel.show_info(self.info)
        self._update_words()

    def _update_words(self) -> None:
        amount = self.amount.amount_or_none()
        if amount is None:
            self.words.setText("")
            self.warning.setText(self.tr("Jumlah tidak dapat dibaca; tulis misalnya 150.000."))
            return
        self.words.setText(terbilang_rupiah(amount).capitalize() if amount > 0 else "")
        warning = ""
        if self.info is not None and amount > self.info.sukarela_available:
            warning = self.tr("Melebihi saldo sukarela yang dapat ditarik (%1).").replace(
                "%1", format_rupiah(self.info.sukarela_available)
            )
        self.warning.setText(warning)

    def save(self) -> None:
        member_id = self.picker.member_id()
        on = self.date.value()
        memo = " ".join(self.note.text().split())

        def work(session: Session) -> Posted:
            if not member_id:
                raise ValidationError(
                    "Pilih dulu anggota yang menarik simpanan: ketik nomor, nama atau NIK-nya, "
                    "lalu Enter."
                )
            amount = self.amount.amount()
            full_memo = memo
            if memo and self.info is not None:
                full_memo = (
                    f"Penarikan simpanan sukarela {self.info.number} {self.info.name}: {memo}"
                )
            return savings.withdraw(
                session, member_id, amount, on=on, by=self.ctx.user, memo=full_memo
            )

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.entry_id = posted.id
            self.accept()
        else:
            self.amount.setFocus()
            self.amount.selectAll()


def open_withdraw(ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> int | None:
    """The withdrawal dialog; after saving, the receipt preview. Returns the entry id, or None."""
    dialog = WithdrawDialog(ctx, parent, member_id)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.entry_id:
            return None
        entry_id = dialog.entry_id
    finally:
        dialog.deleteLater()
    receipt_preview.show_receipt(ctx, parent, entry_id)
    return entry_id
