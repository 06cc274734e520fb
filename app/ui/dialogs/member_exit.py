"""End a membership: show the settlement, record the reason, post one entry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.ledger import Posted
from app.money import format_rupiah
from app.queries.members import member_detail
from app.services import members
from app.services.members import ExitSettlement
from app.ui import prompts
from app.ui.actions import read, write
from app.ui.context import AppContext
from app.ui.widgets.date_edit import DateEdit

STATUSES = (
    ("keluar", "Keluar (atas permintaan sendiri)"),
    ("meninggal", "Meninggal dunia"),
    ("diberhentikan", "Diberhentikan"),
)


class MemberExitDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None, member_id: int) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.posted: Posted | None = None
        self.done_ok = False
        self.detail = read(ctx, lambda s: member_detail(s, member_id))
        self.settlement: ExitSettlement = self._read_settlement(dates.today())
        d = self.detail
        self.setWindowTitle(
            self.tr("Keluar dari keanggotaan: %1 %2").replace("%1", d.number).replace("%2", d.name)
        )
        self._build()
        self._update()
        self.reason_edit.setFocus()

    def _build(self) -> None:
        tr = self.tr
        d = self.detail
        head = QLabel(
            tr("<b>%1 · %2</b><br>Anggota sejak %3")
            .replace("%1", d.number)
            .replace("%2", d.name)
            .replace("%3", dates.format_date(d.joined_on))
        )

        money = QGroupBox(tr("Perhitungan pengembalian"))
        grid = QGridLayout(money)
        self.amount_labels: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(
            (
                ("pokok", tr("Simpanan pokok")),
                ("wajib", tr("Simpanan wajib")),
                ("sukarela", tr("Simpanan sukarela")),
                ("savings", tr("Jumlah simpanan")),
                ("loans", tr("Dikurangi utang pinjaman (pokok, bunga, denda)")),
            )
        ):
            grid.addWidget(QLabel(caption), row, 0)
            value = QLabel()
            value.setObjectName(key)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.amount_labels[key] = value
            grid.addWidget(value, row, 1)
        self.refund_caption = QLabel()
        self.refund_label = QLabel()
        self.refund_label.setObjectName("refund")
        self.refund_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.refund_caption, 5, 0)
        grid.addWidget(self.refund_label, 5, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnMinimumWidth(1, 140)

        form_box = QGroupBox(tr("Data keluar"))
        form = QFormLayout(form_box)
        self.date_edit = DateEdit()
        self.status_combo = QComboBox()
        for status, label in STATUSES:
            self.status_combo.addItem(tr(label), status)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setPlaceholderText(tr("wajib diisi, mis. pindah domisili"))
        self.cash_radio = QRadioButton(tr("Dibayar &tunai sekarang (kas keluar)"))
        self.payable_radio = QRadioButton(
            tr("Di&catat sebagai utang kepada anggota keluar (2-171), dibayar nanti")
        )
        self.cash_radio.setChecked(True)
        self._how = QButtonGroup(self)
        self._how.addButton(self.cash_radio)
        self._how.addButton(self.payable_radio)
        self.decision_edit = QLineEdit()
        self.decision_edit.setObjectName("decision")
        self.decision_edit.setPlaceholderText(
            tr("nomor dan tanggal keputusan rapat pengurus, isi keputusannya")
        )
        self.heir_label = QLabel()
        self.heir_label.setWordWrap(True)
        form.addRow(tr("Tanggal &keluar"), self.date_edit)
        form.addRow(tr("&Status"), self.status_combo)
        form.addRow(tr("&Alasan"), self.reason_edit)
        form.addRow(tr("Pengembalian"), self.cash_radio)
        form.addRow("", self.payable_radio)
        self.decision_row_label = QLabel(tr("Keputusan &pengurus"))
        self.decision_row_label.setBuddy(self.decision_edit)
        form.addRow(self.decision_row_label, self.decision_edit)
        form.addRow("", self.heir_label)

        note = QLabel(
            tr(
                "Seluruh simpanan ditutup dalam satu jurnal. Riwayat anggota tidak dihapus; "
                "statusnya berubah dan tidak dapat menerima transaksi lagi."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")

        self.save_button = QPushButton(tr("&Proses keluar"))
        self.save_button.setDefault(True)
        cancel = QPushButton(tr("Batal (Esc)"))
        cancel.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(money)
        layout.addWidget(form_box)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.setMinimumWidth(620)
        self.status_combo.currentIndexChanged.connect(self._update)
        self.date_edit.dateChanged.connect(self._date_changed)

    def _read_settlement(self, on: date) -> ExitSettlement:
        return read(self.ctx, lambda s: members.exit_settlement(s, self.member_id, on))

    def _date_changed(self) -> None:
        self.settlement = self._read_settlement(self.date_edit.value())
        self._update()

    def _update(self) -> None:
        """Show the settlement on the chosen date and what it asks for."""
        s = self.settlement
        tr = self.tr
        for key, amount in (
            ("pokok", s.pokok),
            ("wajib", s.wajib),
            ("sukarela", s.sukarela),
            ("savings", s.savings),
            ("loans", -s.loans_due),
        ):
            self.amount_labels[key].setText(format_rupiah(amount))
        if s.refund >= 0:
            self.refund_caption.setText(f"<b>{tr('Dikembalikan kepada anggota')}</b>")
            self.refund_label.setStyleSheet("")
        else:
            self.refund_caption.setText(f"<b>{tr('Sisa utang melebihi simpanan')}</b>")
            self.refund_label.setStyleSheet("color: #b3261e;")
        self.refund_label.setText(f"<b>{format_rupiah(abs(s.refund))}</b>")
        needs_decision = s.refund < 0
        self.decision_row_label.setVisible(needs_decision)
        self.decision_edit.setVisible(needs_decision)
        self.cash_radio.setEnabled(s.refund > 0)
        self.payable_radio.setEnabled(s.refund > 0)
        d = self.detail
        if self.status_combo.currentData() == "meninggal" and self.settlement.refund > 0:
            who = d.heir_name or self.tr("(ahli waris belum dicatat di data anggota)")
            relation = f" ({d.heir_relation})" if d.heir_relation and d.heir_name else ""
            self.heir_label.setText(
                self.tr("Pengembalian diserahkan kepada ahli waris: %1").replace(
                    "%1", who + relation
                )
            )
            self.heir_label.show()
        else:
            self.heir_label.hide()

    def save(self) -> None:
        s = self.settlement
        on = self.date_edit.value()
        status = str(self.status_combo.currentData())
        pay_now = self.cash_radio.isChecked()
        if s.refund > 0:
            how = (
                self.tr("%1 dibayar tunai dari kas.")
                if pay_now
                else self.tr("%1 dicatat sebagai utang kepada anggota keluar (2-171).")
            ).replace("%1", format_rupiah(s.refund))
        elif s.refund == 0:
            how = self.tr("Tidak ada uang yang dikembalikan.")
        else:
            how = self.tr("Sisa utang %1 diselesaikan menurut keputusan pengurus.").replace(
                "%1", format_rupiah(-s.refund)
            )
        question = (
            self.tr("%1 %2 berhenti sebagai anggota (%3) per %4.")
            .replace("%1", self.detail.number)
            .replace("%2", self.detail.name)
            .replace("%3", status)
            .replace("%4", dates.format_date(on))
            + "\n"
            + how
            + "\n\n"
            + self.tr("Ini tidak dapat dibatalkan kecuali dengan jurnal koreksi. Lanjutkan?")
        )
        if not prompts.confirm(
            self,
            self.tr("Proses anggota keluar"),
            question,
            yes=self.tr("&Ya, proses"),
            no=self.tr("&Tidak"),
            warning=True,
        ):
            return
        result = write(
            self.ctx,
            self,
            lambda session: (
                members.exit_member(
                    session,
                    self.member_id,
                    on=on,
                    reason=self.reason_edit.text(),
                    status=status,
                    pay_now=pay_now,
                    decision=self.decision_edit.text(),
                    by=self.ctx.user,
                ),
            ),
        )
        if result is None:
            self.reason_edit.setFocus()
            return
        self.posted = result[0]
        self.done_ok = True
        if self.posted is not None:
            prompts.offer_receipt(
                self.ctx,
                self,
                self.posted.id,
                self.tr("Anggota keluar dicatat dengan nomor %1.").replace(
                    "%1", self.posted.number
                ),
            )
        self.accept()


def open_exit(ctx: AppContext, parent: QWidget | None, member_id: int) -> bool:
    dialog = MemberExitDialog(ctx, parent, member_id)
    return dialog.exec() == QDialog.DialogCode.Accepted and dialog.done_ok
