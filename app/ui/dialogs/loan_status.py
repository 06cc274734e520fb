"""Hapus buku (write-off of a Macet loan) and a manual kolektibilitas, each with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
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

from app.ledger import Posted
from app.money import format_rupiah
from app.queries.loans import LoanRow
from app.services import loans
from app.services.loan_state import CLASSES
from app.ui import actions
from app.ui.context import AppContext
from app.ui.widgets.date_edit import DateEdit


def _buttons(dialog: QDialog, save_text: str) -> tuple[QPushButton, QHBoxLayout]:
    save = QPushButton(save_text)
    save.setDefault(True)
    cancel = QPushButton(dialog.tr("&Batal (Esc)"))
    cancel.setAutoDefault(False)
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(save)
    row.addWidget(cancel)
    return save, row


class WriteOffDialog(QDialog):
    def __init__(self, ctx: AppContext, row: LoanRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.entry_id: int | None = None
        self.setWindowTitle(self.tr("Hapus buku pinjaman %1").replace("%1", row.number))
        self.setMinimumWidth(560)
        text = QLabel(
            self.tr(
                "<b>%1 · %2 %3</b><br>Sisa pokok %4 · tunggakan %5 · DPD %6 hari · %7<br><br>"
                "Hapus buku hanya untuk pinjaman Macet, atas keputusan pengurus. Sisa pokok "
                "dibebankan ke cadangan kerugian (CKPN); penerimaan kemudian dicatat sebagai "
                "pemulihan."
            )
            .replace("%1", row.number)
            .replace("%2", row.member_number)
            .replace("%3", row.member_name)
            .replace("%4", format_rupiah(row.outstanding))
            .replace("%5", format_rupiah(row.arrears))
            .replace("%6", str(row.dpd))
            .replace("%7", row.klass)
        )
        text.setWordWrap(True)
        self.date = DateEdit(self)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("misalnya Keputusan rapat pengurus 12/2025 No. 3"))
        form = QFormLayout()
        date_label = QLabel(self.tr("&Tanggal:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        reason_label = QLabel(self.tr("&Dasar keputusan:"))
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.save_button, buttons = _buttons(self, self.tr("&Hapus buku (Enter)"))
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.reason.setFocus()

    def save(self) -> None:
        on, reason = self.date.value(), self.reason.text()

        def work(session: Session) -> Posted:
            return loans.write_off(session, self.row.id, on=on, reason=reason, by=self.ctx.user)

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.entry_id = posted.id
            self.accept()


class ClassDialog(QDialog):
    """Kolektibilitas by judgement (D/M classes), or back to the DPD rule."""

    def __init__(self, ctx: AppContext, row: LoanRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved = False
        self.setWindowTitle(self.tr("Ubah kolektibilitas %1").replace("%1", row.number))
        self.setMinimumWidth(520)
        text = QLabel(
            self.tr("<b>%1 · %2</b><br>Sekarang: %3 (DPD %4 hari%5)")
            .replace("%1", row.number)
            .replace("%2", row.member_name)
            .replace("%3", row.klass)
            .replace("%4", str(row.dpd))
            .replace("%5", self.tr(", ditetapkan manual") if row.class_overridden else "")
        )
        self.klass = QComboBox()
        self.klass.addItem(self.tr("Otomatis menurut DPD"), "")
        for klass in CLASSES:
            self.klass.addItem(self.tr(klass), klass)
        self.klass.setCurrentIndex(max(self.klass.findData(row.klass), 0))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Alasan penetapan manual (wajib)"))
        form = QFormLayout()
        klass_label = QLabel(self.tr("&Kolektibilitas:"))
        klass_label.setBuddy(self.klass)
        form.addRow(klass_label, self.klass)
        reason_label = QLabel(self.tr("&Alasan:"))
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        self.save_button, buttons = _buttons(self, self.tr("&Simpan (Enter)"))
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.klass.setFocus()

    def save(self) -> None:
        klass, reason = str(self.klass.currentData()), self.reason.text()

        def work(session: Session) -> bool:
            loans.override_class(session, self.row.id, klass, reason=reason, by=self.ctx.user)
            return True

        if actions.write(self.ctx, self, work):
            self.saved = True
            self.accept()
