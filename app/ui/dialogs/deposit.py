"""Setoran simpanan (F2): one visit, one entry, one receipt (JOURNEYS.md 2).

Type "asep" (or his number, NIK, phone), Enter picks him; his balances and
wajib position appear; the wajib months fill the wajib amount; Enter saves
and the receipt preview opens for printing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.ledger import Posted
from app.money import format_rupiah, terbilang_rupiah
from app.queries.savings import FUTURE_MONTHS, CounterInfo, counter_info
from app.services import savings
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs import receipt_preview
from app.ui.dialogs._counter import BalancePanel, PickerEnter, span_text
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.member_picker import MemberPicker
from app.ui.widgets.money_edit import MoneyEdit


class DepositDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info: CounterInfo | None = None
        self.entry_id: int | None = None
        self.setWindowTitle(self.tr("Setoran simpanan"))
        self.setMinimumWidth(720)

        self.picker = MemberPicker(ctx, self)
        self.panel = BalancePanel(self)
        self.months = QSpinBox()
        self.months.setRange(0, 120)
        self.months.setSuffix(self.tr(" bulan"))
        self.months.setToolTip(self.tr("Jumlah bulan simpanan wajib; mengisi jumlah wajib"))
        self.wajib = MoneyEdit(what=self.tr("Simpanan wajib"))
        self.wajib_note = QLabel()
        self.wajib_note.setStyleSheet("color: #555;")
        self.sukarela = MoneyEdit(what=self.tr("Simpanan sukarela"))
        self.pokok = QCheckBox(self.tr("Bayar simpanan pokok"))
        self.pokok.setEnabled(False)
        self.date = DateEdit(self)
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setStyleSheet("font-style: italic;")
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        member_label = QLabel(self.tr("&Anggota:"))
        member_label.setBuddy(self.picker)
        form.addRow(member_label, self.picker)
        form.addRow("", self.panel)
        wajib_row = QHBoxLayout()
        wajib_row.addWidget(self.months)
        wajib_row.addWidget(QLabel("="))
        wajib_row.addWidget(self.wajib, 1)
        wajib_label = QLabel(self.tr("Simpanan &wajib:"))
        wajib_label.setBuddy(self.months)
        form.addRow(wajib_label, wajib_row)
        form.addRow("", self.wajib_note)
        sukarela_label = QLabel(self.tr("Simpanan s&ukarela:"))
        sukarela_label.setBuddy(self.sukarela)
        form.addRow(sukarela_label, self.sukarela)
        pokok_label = QLabel(self.tr("Simpanan &pokok:"))
        pokok_label.setBuddy(self.pokok)
        form.addRow(pokok_label, self.pokok)
        date_label = QLabel(self.tr("&Tanggal:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        form.addRow(self.tr("Jumlah setoran:"), self.total)
        form.addRow(self.tr("Terbilang:"), self.words)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

        for first, second in (
            (self.picker, self.months),
            (self.months, self.wajib),
            (self.wajib, self.sukarela),
            (self.sukarela, self.pokok),
            (self.pokok, self.date),
            (self.date, self.save_button),
            (self.save_button, self.cancel_button),
        ):
            QWidget.setTabOrder(first, second)

        self._enter = PickerEnter(self.picker, self.months)
        self.picker.member_changed.connect(self._member_changed)
        self.months.valueChanged.connect(self._months_changed)
        self.wajib.amount_changed.connect(self._update_totals)
        self.sukarela.amount_changed.connect(self._update_totals)
        self.pokok.toggled.connect(self._update_totals)
        self.date.dateChanged.connect(lambda _d: self._reload_info())
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self._update_totals()
        if member_id:
            self.picker.set_member(member_id)
            self.months.setFocus()
        else:
            self.picker.setFocus()

    # -- member ------------------------------------------------------------------

    def _member_changed(self, member_id: int) -> None:
        self._reload_info(fill=True)
        if member_id and self.picker.hasFocus():
            self.months.setFocus(Qt.FocusReason.TabFocusReason)
            self.months.selectAll()

    def _reload_info(self, *, fill: bool = False) -> None:
        member_id = self.picker.member_id()
        if not member_id:
            self.info = None
            self.panel.clear()
            self.pokok.setChecked(False)
            self.pokok.setEnabled(False)
            self.pokok.setText(self.tr("Bayar simpanan pokok"))
            self._update_totals()
            return
        on = self.date.value()
        self.info = actions.read(self.ctx, lambda s: counter_info(s, member_id, on))
        self.panel.show_info(self.info)
        due = self.info.pokok_due
        self.pokok.setEnabled(due > 0)
        if due:
            self.pokok.setText(self.tr("Bayar simpanan pokok %1").replace("%1", format_rupiah(due)))
        else:
            self.pokok.setChecked(False)
            self.pokok.setText(self.tr("Sudah dibayar"))
        self.months.setMaximum(len(self.info.schedule) or FUTURE_MONTHS)
        if fill:
            months = self.info.months_owed or 1
            if self.months.value() == months:
                self._months_changed(months)
            else:
                self.months.setValue(months)
        self._update_totals()

    def _months_changed(self, months: int) -> None:
        if self.info is None:
            return
        amount, _first, _last = self.info.wajib_plan(months)
        self.wajib.set_amount(amount)

    # -- totals ------------------------------------------------------------------

    def _covered(self, amount: int) -> str:
        """Which wajib months the typed amount pays, oldest unpaid first."""
        if self.info is None or amount <= 0:
            return ""
        rest = amount
        covered = []
        for month in self.info.schedule:
            if rest < month.amount:
                break
            rest -= month.amount
            covered.append(month)
        if not covered:
            return self.tr("belum cukup untuk satu bulan")
        text = self.tr("untuk %1").replace("%1", span_text(covered[0], covered[-1]))
        if rest:
            text += self.tr(" dan %1 untuk bulan berikutnya").replace("%1", format_rupiah(rest))
        return text

    def _pokok_amount(self) -> int:
        if self.info is None or not self.pokok.isChecked():
            return 0
        return self.info.pokok_due

    def _update_totals(self) -> None:
        wajib = self.wajib.amount_or_none()
        sukarela = self.sukarela.amount_or_none()
        self.wajib_note.setText(self._covered(wajib or 0))
        if wajib is None or sukarela is None:
            self.total.setText("–")
            self.words.setText(self.tr("Ada jumlah yang tidak dapat dibaca; periksa isian."))
            return
        total = wajib + sukarela + self._pokok_amount()
        self.total.setText(format_rupiah(total))
        self.words.setText(terbilang_rupiah(total).capitalize() if total > 0 else "")

    # -- save --------------------------------------------------------------------

    def parts(self) -> dict[str, int]:
        """The typed amounts by kind; raises ValidationError for an amount that is not rupiah."""
        parts = {
            savings.WAJIB: self.wajib.amount(),
            savings.SUKARELA: self.sukarela.amount(),
        }
        if self._pokok_amount():
            parts[savings.POKOK] = self._pokok_amount()
        return {kind: amount for kind, amount in parts.items() if amount}

    def save(self) -> None:
        member_id = self.picker.member_id()
        on = self.date.value()

        def work(session: Session) -> Posted:
            if not member_id:
                raise ValidationError(
                    "Pilih dulu anggota yang menyetor: ketik nomor, nama atau NIK-nya, lalu Enter."
                )
            return savings.deposit(session, member_id, self.parts(), on=on, by=self.ctx.user)

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.entry_id = posted.id
            self.accept()


def open_deposit(ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> int | None:
    """The deposit dialog; after saving, the receipt preview. Returns the entry id, or None."""
    dialog = DepositDialog(ctx, parent, member_id)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.entry_id:
            return None
        entry_id = dialog.entry_id
    finally:
        dialog.deleteLater()
    receipt_preview.show_receipt(ctx, parent, entry_id)
    return entry_id
