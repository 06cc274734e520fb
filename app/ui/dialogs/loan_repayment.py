"""Bayar angsuran (JOURNEYS.md 2): what is due today, the denda, and the split before saving.

The dialog opens with what is due on the date (installment numbers, amount,
days late) filled in, and the proposed denda. As the treasurer types another
amount, the split per installment (jasa first, then pokok, oldest first: the
same allocation the service will post) follows live. The denda may be waived
with a reason. "Pelunasan" pays the whole loan off at the payoff amount.
A payment larger than everything owed is refused with the service's message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
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
from app.errors import ValidationError
from app.ledger import Posted
from app.money import format_rupiah, terbilang_rupiah
from app.queries.loans import RepaymentInfo, repayment_info
from app.services import loans
from app.services.loan_products import format_percent
from app.services.schedule import METHOD_LABELS
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs._counter import OK, WARN
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.money_edit import MoneyEdit

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def due_text(info: RepaymentInfo) -> str:
    """Rich text: each installment due by the date, or the next one when none is."""
    if not info.due_now:
        if info.next_due is None:
            return "Tidak ada angsuran yang tersisa."
        nxt = info.next_due
        return (
            f"Tidak ada angsuran jatuh tempo. Berikutnya angsuran ke-{nxt.k}, "
            f"{dates.format_date(nxt.due)}, <b>{format_rupiah(nxt.unpaid)}</b>."
        )
    lines = []
    shown = info.due_now if len(info.due_now) <= 4 else info.due_now[:3]
    for due in shown:
        text = (
            f"Angsuran ke-{due.k}, {dates.format_date(due.due)}: <b>{format_rupiah(due.unpaid)}</b>"
        )
        if due.unpaid != due.amount:
            text += f" (sisa dari {format_rupiah(due.amount)})"
        if due.days_late:
            text += f" · <span style='color:{WARN}'><b>terlambat {due.days_late} hari</b></span>"
        else:
            text += " · jatuh tempo hari ini"
        lines.append(text)
    if len(info.due_now) > len(shown):
        rest = info.due_now[len(shown) :]
        lines.append(
            f"… dan {len(rest)} angsuran lain (ke-{rest[0].k} s.d. {rest[-1].k}), "
            f"{format_rupiah(sum(d.unpaid for d in rest))}"
        )
    if len(info.due_now) > 1:
        lines.append(f"Jumlah jatuh tempo: <b>{format_rupiah(info.amount_due)}</b>")
    return "<br>".join(lines)


class LoanRepaymentDialog(QDialog):
    K, DUE, LATE, INTEREST, PRINCIPAL, TOTAL = range(6)

    def __init__(
        self,
        ctx: AppContext,
        info: RepaymentInfo,
        parent: QWidget | None = None,
        *,
        payoff: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = info
        self.loan_id = info.loan_id
        self.entry_id: int | None = None
        self.proposed_penalty = 0
        self._penalty_auto = True
        self.setWindowTitle(self.tr("Bayar angsuran %1").replace("%1", info.number))
        self.setMinimumWidth(760)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.due = QLabel()
        self.due.setTextFormat(Qt.TextFormat.RichText)
        self.due.setWordWrap(True)
        self.date = DateEdit(self)
        self.payoff = QCheckBox(self.tr("&Pelunasan: lunasi seluruh pinjaman sekarang"))
        self.payoff_text = QLabel()
        self.payoff_text.setTextFormat(Qt.TextFormat.RichText)
        self.payoff_text.setWordWrap(True)
        self.amount = MoneyEdit(what=self.tr("Jumlah angsuran"))
        self.amount.setMinimumWidth(180)
        self.split = QTableWidget(0, 6)
        self.split.setHorizontalHeaderLabels(
            [
                self.tr("Ke"),
                self.tr("Jatuh tempo"),
                self.tr("Terlambat"),
                self.tr("Jasa"),
                self.tr("Pokok"),
                self.tr("Jumlah"),
            ]
        )
        self.split.verticalHeader().setVisible(False)
        self.split.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.split.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.split.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.split.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.split.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.split.setMinimumHeight(5 * (self.fontMetrics().height() + 6) + 8)
        self.split.setMaximumHeight(9 * (self.fontMetrics().height() + 6) + 8)
        self.split_note = QLabel()
        self.split_note.setWordWrap(True)
        self.penalty = MoneyEdit(what=self.tr("Denda"))
        self.penalty_note = QLabel()
        self.waive = QCheckBox(self.tr("Be&baskan denda"))
        self.waive_reason = QLineEdit()
        self.waive_reason.setPlaceholderText(self.tr("Alasan pembebasan denda (wajib)"))
        self.waive_reason.setEnabled(False)
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setStyleSheet("font-style: italic;")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARN}; font-weight: bold;")
        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Bata&l (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Jatuh tempo:"), self.due)
        date_label = QLabel(self.tr("&Tanggal bayar:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        form.addRow("", self.payoff)
        form.addRow("", self.payoff_text)
        amount_label = QLabel(self.tr("&Jumlah dibayar:"))
        amount_label.setBuddy(self.amount)
        form.addRow(amount_label, self.amount)
        form.addRow(self.tr("Pembagian:"), self.split)
        form.addRow("", self.split_note)
        penalty_row = QHBoxLayout()
        penalty_row.addWidget(self.penalty)
        penalty_row.addWidget(self.penalty_note, 1)
        penalty_label = QLabel(self.tr("&Denda:"))
        penalty_label.setBuddy(self.penalty)
        form.addRow(penalty_label, penalty_row)
        waive_row = QHBoxLayout()
        waive_row.addWidget(self.waive)
        waive_row.addWidget(self.waive_reason, 1)
        form.addRow("", waive_row)
        form.addRow(self.tr("Jumlah diterima:"), self.total)
        form.addRow(self.tr("Terbilang:"), self.words)
        buttons = QHBoxLayout()
        buttons.addWidget(self.warning, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(buttons)

        self.date.set_value(info.on)
        self.date.dateChanged.connect(lambda _d: self._reload())
        self.payoff.toggled.connect(self._payoff_toggled)
        self.amount.amount_changed.connect(self.update_split)
        self.penalty.textEdited.connect(self._penalty_edited)
        self.penalty.amount_changed.connect(self._update_total)
        self.waive.toggled.connect(self._waive_toggled)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self._show_info()
        self.amount.set_amount(info.suggested)
        if payoff:
            self.payoff.setChecked(True)
        self.update_split()
        self.amount.setFocus()
        self.amount.selectAll()

    # -- loading -------------------------------------------------------------------------

    def _reload(self) -> None:
        on = self.date.value()
        info = actions.run_action(
            self, lambda: actions.read(self.ctx, lambda s: repayment_info(s, self.loan_id, on))
        )
        if info is None:
            return
        self.info = info
        self._show_info()
        if self.payoff.isChecked():
            self.amount.set_amount(info.payoff.total)
        self.update_split()

    def _show_info(self) -> None:
        info = self.info
        self.heading.setText(
            f"<h3>{info.number} · {info.member_number} {info.member_name}</h3>"
            + self.tr(
                "%1 %2 per bulan, %3 bulan · sisa pokok <b>%4</b> · %5 dari %3 angsuran lunas"
            )
            .replace("%1", METHOD_LABELS.get(info.method, info.method))
            .replace("%2", format_percent(info.monthly_rate))
            .replace("%3", str(info.months))
            .replace("%4", format_rupiah(info.outstanding))
            .replace("%5", str(info.paid_installments))
        )
        self.due.setText(due_text(info))
        payoff = info.payoff
        self.payoff_text.setText(
            self.tr(
                "Pelunasan per %1: sisa pokok %2 + jasa jatuh tempo %3 + jasa angsuran "
                "berikutnya %4 = <b>%5</b>"
            )
            .replace("%1", dates.format_date(info.on))
            .replace("%2", format_rupiah(payoff.principal))
            .replace("%3", format_rupiah(payoff.interest_due))
            .replace("%4", format_rupiah(payoff.next_interest))
            .replace("%5", format_rupiah(payoff.total))
        )
        self.payoff_text.setVisible(self.payoff.isChecked())

    # -- live --------------------------------------------------------------------------

    def _payoff_toggled(self, on: bool) -> None:
        self.payoff_text.setVisible(on)
        self.amount.setReadOnly(on)
        if on:
            self.amount.set_amount(self.info.payoff.total)
            self.setWindowTitle(self.tr("Pelunasan %1").replace("%1", self.info.number))
        else:
            self.amount.set_amount(self.info.suggested)
            self.setWindowTitle(self.tr("Bayar angsuran %1").replace("%1", self.info.number))
        self.update_split()

    def _penalty_edited(self, _text: str) -> None:
        self._penalty_auto = False

    def _waive_toggled(self, on: bool) -> None:
        self.waive_reason.setEnabled(on)
        self.penalty.setEnabled(not on)
        if on:
            self.waive_reason.setFocus()
        self._update_total()

    def _cell(self, row: int, column: int, text: str, *, right: bool = True) -> None:
        item = QTableWidgetItem(text)
        if right:
            item.setTextAlignment(_RIGHT)
        self.split.setItem(row, column, item)

    def update_split(self) -> None:
        info = self.info
        amount = self.amount.amount_or_none()
        self.warning.clear()
        if self.payoff.isChecked():
            parts_text = self.tr(
                "Pelunasan: sisa pokok dan jasa yang disebut di atas; jasa angsuran "
                "selanjutnya dibebaskan."
            )
            self.split.setRowCount(0)
            self.split.setVisible(False)
            self.split_note.setText(parts_text)
            self._set_proposed(info.payoff_penalty())
            self._update_total()
            return
        self.split.setVisible(True)
        if amount is None:
            self.split.setRowCount(0)
            self.split_note.setText(self.tr("Jumlah tidak dapat dibaca; tulis misalnya 575.000."))
            self._set_proposed(0)
            self._update_total()
            return
        parts, fine = info.split(amount)
        due_by_k = {s.k: s.due for s in info.states}
        self.split.setRowCount(len(parts) + (1 if len(parts) > 1 else 0))
        for row, part in enumerate(parts):
            due = due_by_k[part.k]
            late = max((info.on - due).days, 0)
            self._cell(row, self.K, str(part.k), right=False)
            self._cell(row, self.DUE, dates.format_date(due), right=False)
            self._cell(row, self.LATE, self.tr("%1 hari").replace("%1", str(late)) if late else "")
            self._cell(row, self.INTEREST, format_rupiah(part.interest))
            self._cell(row, self.PRINCIPAL, format_rupiah(part.principal))
            self._cell(row, self.TOTAL, format_rupiah(part.amount))
        if len(parts) > 1:
            row = len(parts)
            self._cell(row, self.K, self.tr("Jumlah"), right=False)
            self._cell(row, self.INTEREST, format_rupiah(sum(p.interest for p in parts)))
            self._cell(row, self.PRINCIPAL, format_rupiah(sum(p.principal for p in parts)))
            self._cell(row, self.TOTAL, format_rupiah(sum(p.amount for p in parts)))
        note = ""
        if amount > info.owed:
            note = self.tr(
                "Lebih besar dari seluruh sisa kewajiban %1; pembayaran ini akan ditolak. "
                "Gunakan pelunasan."
            ).replace("%1", format_rupiah(info.owed))
            self.warning.setText(note)
        elif parts:
            last = parts[-1]
            state = next(s for s in info.states if s.k == last.k)
            if last.amount < state.unpaid:
                note = (
                    self.tr("Angsuran ke-%1 baru terbayar sebagian; sisanya %2.")
                    .replace("%1", str(last.k))
                    .replace("%2", format_rupiah(state.unpaid - last.amount))
                )
            elif amount == info.owed:
                note = self.tr("Pembayaran ini melunasi pinjaman.")
        self.split_note.setText(note)
        self._set_proposed(fine)
        self._update_total()

    def _set_proposed(self, fine: int) -> None:
        self.proposed_penalty = fine
        if fine:
            rule = (
                self.tr("diusulkan %1 (%2 per hari keterlambatan)")
                .replace("%1", format_rupiah(fine))
                .replace("%2", format_percent(self.info.penalty_daily_rate))
            )
        else:
            rule = self.tr("tidak ada denda")
        self.penalty_note.setText(rule)
        if self._penalty_auto:
            self.penalty.set_amount(fine)

    def penalty_paid(self) -> int:
        return 0 if self.waive.isChecked() else self.penalty.amount()

    def _update_total(self) -> None:
        amount = self.amount.amount_or_none()
        fine = 0 if self.waive.isChecked() else self.penalty.amount_or_none()
        if amount is None or fine is None:
            self.total.setText("–")
            self.words.setText("")
            return
        total = amount + fine
        self.total.setText(format_rupiah(total))
        color = OK if total else "#555"
        self.total.setStyleSheet(f"font-size: 16pt; font-weight: bold; color: {color};")
        self.words.setText(terbilang_rupiah(total).capitalize() if total else "")

    # -- save --------------------------------------------------------------------------

    def save(self) -> None:
        on = self.date.value()
        payoff = self.payoff.isChecked()
        waived = self.waive.isChecked()
        reason = self.waive_reason.text().strip() if waived else ""

        def work(session: Session) -> Posted:
            if waived and not reason:
                raise ValidationError("Tulis alasan pembebasan denda, atau hapus centangnya.")
            fine = self.penalty_paid()
            if payoff:
                return loans.pay_off(
                    session,
                    self.loan_id,
                    on=on,
                    by=self.ctx.user,
                    penalty_paid=fine,
                    penalty_waived_reason=reason,
                )
            return loans.repay(
                session,
                self.loan_id,
                self.amount.amount(),
                on=on,
                by=self.ctx.user,
                penalty_paid=fine,
                penalty_waived_reason=reason,
            )

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.entry_id = posted.id
            self.accept()
        elif waived and not reason:
            self.waive_reason.setFocus()
        else:
            self.amount.setFocus()
            self.amount.selectAll()


def open_repayment(
    ctx: AppContext, parent: QWidget | None, loan_id: int, *, payoff: bool = False
) -> int | None:
    """The repayment (or payoff) dialog; then the receipt. Returns the entry id, or None."""
    on = dates.today()
    info = actions.run_action(
        parent, lambda: actions.read(ctx, lambda s: repayment_info(s, loan_id, on))
    )
    if info is None:
        return None
    dialog = LoanRepaymentDialog(ctx, info, parent, payoff=payoff)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.entry_id is None:
            return None
        entry_id = dialog.entry_id
    finally:
        dialog.deleteLater()
    prompts.show_receipt(ctx, parent, entry_id)
    return entry_id
