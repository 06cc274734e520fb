"""Kas masuk / kas keluar: one voucher, one entry against 1-101 Kas (JOURNEYS.md 3).

The account picker offers what the service accepts (``counter_accounts``):
income and balance-sheet accounts for kas masuk, expense and balance-sheet
accounts for kas keluar. Type "listrik" or "5-305", Tab, the amount, the memo,
Enter saves; the bukti kas can be printed right after.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.ledger import Posted
from app.ledger.posting import DEFAULT_UNIT
from app.money import format_rupiah, terbilang_rupiah
from app.queries.cash_documents import book_cash, units_in_use
from app.services import cashbook
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs import cash_preview
from app.ui.dialogs._counter import WARN
from app.ui.widgets.account_combo import AccountCombo
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.money_edit import MoneyEdit


class CashEntryDialog(QDialog):
    def __init__(self, ctx: AppContext, incoming: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.incoming = incoming
        self.posted: Posted | None = None
        self.setWindowTitle(self.tr("Kas masuk") if incoming else self.tr("Kas keluar"))
        self.setMinimumWidth(620)

        self.date = DateEdit(self)
        self.date.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.account = AccountCombo(self)
        self.amount = MoneyEdit(what=self.tr("Jumlah"))
        self.amount.setStyleSheet("font-size: 13pt;")
        self.memo = QLineEdit()
        self.memo.setPlaceholderText(
            self.tr("Misalnya: terima bunga bank Desember")
            if incoming
            else self.tr("Misalnya: bayar listrik kantor bulan Desember")
        )
        self.memo.setMaxLength(200)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cash_label = QLabel()
        self.cash_label.setStyleSheet("color: #555;")
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setStyleSheet("font-style: italic;")
        self.words.setMinimumHeight(2 * self.words.fontMetrics().lineSpacing() + 2)
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        heading = QLabel(
            "<h3>"
            + (
                self.tr("Kas masuk: uang diterima koperasi")
                if incoming
                else self.tr("Kas keluar: uang dibayarkan koperasi")
            )
            + "</h3>"
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            (self.tr("&Tanggal:"), self.date),
            (
                self.tr("&Akun pendapatan/lainnya:")
                if incoming
                else self.tr("&Akun beban/lainnya:"),
                self.account,
            ),
            (self.tr("&Jumlah:"), self.amount),
            (self.tr("&Keterangan:"), self.memo),
            (self.tr("&Unit usaha:"), self.unit),
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow(self.tr("Terbilang:"), self.words)
        form.addRow("", self.cash_label)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addLayout(buttons)

        for first, second in (
            (self.date, self.account),
            (self.account, self.amount),
            (self.amount, self.memo),
            (self.memo, self.unit),
            (self.unit, self.save_button),
            (self.save_button, self.cancel_button),
        ):
            QWidget.setTabOrder(first, second)

        self.amount.amount_changed.connect(self._update_words)
        self.date.dateChanged.connect(lambda _d: self._update_cash())
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        accounts, units = actions.read(
            ctx,
            lambda s: (cashbook.counter_accounts(s, incoming=incoming), units_in_use(s)),
        )
        self.account.set_accounts(accounts, keep=False)
        self.unit.addItems(units)
        self._update_words()
        self._update_cash()
        self.account.setFocus()

    def _update_words(self) -> None:
        amount = self.amount.amount_or_none()
        if amount is None:
            self.words.setText(
                f"<span style='color:{WARN}'>"
                + self.tr("Jumlah tidak dapat dibaca; tulis angka saja, misalnya 150000.")
                + "</span>"
            )
        else:
            self.words.setText(terbilang_rupiah(amount).capitalize() if amount > 0 else "")

    def _update_cash(self) -> None:
        on = self.date.value()
        cash = actions.read(self.ctx, lambda s: book_cash(s, on))
        self.cash_label.setText(
            self.tr("Saldo buku kas per tanggal ini: %1").replace("%1", format_rupiah(cash))
        )

    def save(self) -> None:
        on = self.date.value()
        code = self.account.code()
        memo = self.memo.text()
        unit = " ".join(self.unit.currentText().split())
        typed = self.account.currentText().strip()

        def work(session: Session) -> Posted:
            if not code:
                # An account the picker does not offer: let the service say why.
                if typed:
                    account = typed.split(" ")[0]
                else:
                    raise ValidationError(
                        "Pilih akun lawan: ketik kode atau nama akun, misalnya 5-305 atau listrik."
                    )
            else:
                account = code
            amount = self.amount.amount()
            post = cashbook.cash_in if self.incoming else cashbook.cash_out
            return post(
                session,
                on=on,
                account=account,
                amount=amount,
                memo=memo,
                by=self.ctx.user,
                unit=unit or DEFAULT_UNIT,
            )

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.posted = posted
            self.accept()
        elif not code:
            self.account.setFocus(Qt.FocusReason.OtherFocusReason)


def open_cash_entry(ctx: AppContext, parent: QWidget | None, *, incoming: bool) -> int | None:
    """The kas masuk (or keluar) dialog, then the offer to print the bukti kas."""
    dialog = CashEntryDialog(ctx, incoming, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.posted is None:
            return None
        posted = dialog.posted
        amount = dialog.amount.amount_or_none() or 0
        what = (
            dialog.tr("Kas masuk %1 sebesar %2 sudah dicatat.")
            if incoming
            else dialog.tr("Kas keluar %1 sebesar %2 sudah dicatat.")
        )
    finally:
        dialog.deleteLater()
    what = what.replace("%1", posted.number).replace("%2", format_rupiah(amount))
    cash_preview.offer_cash_voucher(ctx, parent, posted.id, what)
    return posted.id
