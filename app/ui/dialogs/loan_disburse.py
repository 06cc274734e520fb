"""Pencairan pinjaman (JOURNEYS.md 4): one Enter posts the cash out and prints the papers.

The dialog shows the net cash (principal - provisi - administration). After
posting, the receipt (bukti pencairan), the kartu angsuran and the ringkasan
perjanjian open one after the other, each ready for Ctrl+P: the cash book, the
loan card, the agreement summary and the receipt are done in one action.
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
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.ledger import Posted
from app.money import format_rupiah, terbilang_rupiah
from app.queries.loans import LoanDetail, loan_detail
from app.services import loans
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs import pdf_preview
from app.ui.dialogs.loan_decision import terms_html
from app.ui.widgets.date_edit import DateEdit


class LoanDisburseDialog(QDialog):
    def __init__(self, ctx: AppContext, detail: LoanDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.loan_id = detail.row.id
        self.entry_id: int | None = None
        row = detail.row
        self.setWindowTitle(self.tr("Pencairan pinjaman %1").replace("%1", row.number))
        self.setMinimumWidth(660)

        net = row.principal - detail.provisi - detail.admin_fee
        heading = QLabel(
            "<h3>"
            + self.tr("Cairkan %1 untuk %2")
            .replace("%1", row.number)
            .replace("%2", row.member_name)
            + "</h3>"
        )
        decided = ""
        if detail.decided_on:
            decided = (
                self.tr("Disetujui %1 oleh %2")
                .replace("%1", dates.format_date(detail.decided_on))
                .replace("%2", detail.decided_by)
            )
        terms = QLabel(terms_html(detail))
        terms.setTextFormat(Qt.TextFormat.RichText)
        fee_rows = [(self.tr("Pokok pinjaman"), format_rupiah(row.principal))]
        if detail.provisi:
            fee_rows.append((self.tr("Dikurangi provisi"), "-" + format_rupiah(detail.provisi)))
        if detail.admin_fee:
            fee_rows.append(
                (self.tr("Dikurangi administrasi"), "-" + format_rupiah(detail.admin_fee))
            )
        breakdown = QLabel(
            "<table cellspacing='0' cellpadding='1'>"
            + "".join(
                f"<tr><td style='padding-right:16px'>{k}</td><td align='right'>{v}</td></tr>"
                for k, v in fee_rows
            )
            + "</table>"
        )
        self.net = QLabel(format_rupiah(net))
        self.net.setStyleSheet("font-size: 16pt; font-weight: bold;")
        words = QLabel(terbilang_rupiah(net).capitalize())
        words.setWordWrap(True)
        words.setStyleSheet("font-style: italic;")
        self.date = DateEdit(self)
        self.print_receipt = QCheckBox(self.tr("Bukti pencairan (&kwitansi)"))
        self.print_card = QCheckBox(self.tr("Kartu &angsuran"))
        self.print_agreement = QCheckBox(self.tr("Ringkasan &perjanjian"))
        for box in (self.print_receipt, self.print_card, self.print_agreement):
            box.setChecked(True)
        self.save_button = QPushButton(self.tr("&Cairkan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        date_label = QLabel(self.tr("&Tanggal cair:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        form.addRow(self.tr("Rincian:"), breakdown)
        form.addRow(self.tr("Uang diserahkan:"), self.net)
        form.addRow(self.tr("Terbilang:"), words)
        prints = QVBoxLayout()
        for box in (self.print_receipt, self.print_card, self.print_agreement):
            prints.addWidget(box)
        form.addRow(self.tr("Lalu cetak:"), prints)
        buttons = QHBoxLayout()
        note = QLabel(decided)
        note.setStyleSheet("color: #555;")
        buttons.addWidget(note, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(terms)
        layout.addLayout(form)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.date.setFocus()

    def save(self) -> None:
        on = self.date.value()

        def work(session: Session) -> Posted:
            return loans.disburse(session, self.loan_id, on=on, by=self.ctx.user)

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.entry_id = posted.id
            self.accept()

    def print_after(self, parent: QWidget | None) -> None:
        """The papers of the disbursement, one preview after the other."""
        if self.entry_id is None:
            return
        if self.print_receipt.isChecked():
            prompts.show_receipt(self.ctx, parent, self.entry_id)
        if self.print_card.isChecked():
            pdf_preview.show_loan_document(self.ctx, parent, self.loan_id, pdf_preview.CARD)
        if self.print_agreement.isChecked():
            pdf_preview.show_loan_document(self.ctx, parent, self.loan_id, pdf_preview.AGREEMENT)


def open_disburse(ctx: AppContext, parent: QWidget | None, loan_id: int) -> int | None:
    """Disburse; then the receipt, card and agreement. Returns the entry id, or None."""
    on = dates.today()
    detail = actions.run_action(
        parent, lambda: actions.read(ctx, lambda s: loan_detail(s, loan_id, on))
    )
    if detail is None:
        return None
    dialog = LoanDisburseDialog(ctx, detail, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        dialog.print_after(parent)
        return dialog.entry_id
    finally:
        dialog.deleteLater()
