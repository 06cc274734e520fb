"""Balik jurnal: correct a posted entry by its mirror image, with a reason (audited).

Posted entries are never edited or deleted (DOMAIN.md 4); the reversal names
the original, and the original shows who reversed it.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
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

from app import dates
from app.ledger import Posted
from app.money import format_rupiah
from app.queries.ledger import JournalRow
from app.services import cashbook
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.widgets.date_edit import DateEdit


class ReverseDialog(QDialog):
    def __init__(self, ctx: AppContext, row: JournalRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.posted: Posted | None = None
        self.setWindowTitle(self.tr("Balik jurnal %1").replace("%1", row.number))
        self.setMinimumWidth(560)

        about = QLabel(
            self.tr("<b>%1</b> tanggal %2 · %3<br>%4")
            .replace("%1", row.number)
            .replace("%2", dates.format_date(row.date))
            .replace("%3", format_rupiah(row.amount))
            .replace("%4", row.memo)
        )
        about.setWordWrap(True)
        explain = QLabel(
            self.tr(
                "Jurnal pembalik mencatat kebalikan setiap baris jurnal ini, sehingga "
                "pengaruhnya hilang. Jurnal aslinya tetap ada dan ditandai sudah dibalik."
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        self.date = DateEdit(self)
        self.date.setMinimumDate(QDate(row.date.year, row.date.month, row.date.day))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Misalnya: salah akun, seharusnya 5-304"))
        self.reason.setMaxLength(200)
        form = QFormLayout()
        for text, widget in ((self.tr("&Alasan:"), self.reason), (self.tr("&Tanggal:"), self.date)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            form.addRow(caption, widget)

        self.save_button = QPushButton(self.tr("Balik &jurnal (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.reason.setFocus()

    def save(self) -> None:
        reason = self.reason.text()
        on = self.date.value()
        if reason.strip() and not prompts.confirm(
            self,
            self.tr("Balik jurnal"),
            self.tr('Balik jurnal %1 sebesar %2 dengan alasan "%3"?')
            .replace("%1", self.row.number)
            .replace("%2", format_rupiah(self.row.amount))
            .replace("%3", " ".join(reason.split())),
            yes=self.tr("&Balik jurnal"),
            no=self.tr("&Tidak"),
            warning=True,
        ):
            return

        def work(session: Session) -> Posted:
            return cashbook.reverse_entry(
                session, self.row.id, reason=reason, on=on, by=self.ctx.user
            )

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.posted = posted
            self.accept()


def open_reverse(ctx: AppContext, parent: QWidget | None, row: JournalRow) -> int | None:
    dialog = ReverseDialog(ctx, row, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.posted is None:
            return None
        return dialog.posted.id
    finally:
        dialog.deleteLater()
