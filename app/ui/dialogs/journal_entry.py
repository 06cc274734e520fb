"""Jurnal umum baru: any number of lines, Simpan only once debit equals credit.

Bank transfers, depreciation, the allowance, corrections: whatever is not a
cash voucher. Ctrl++ adds a line under the current one, Ctrl+- removes the
current line; the totals and the difference follow each key. The service
refuses an unbalanced entry anyway (``cashbook.journal``).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.ledger import Posted
from app.ledger.chart import PINJAMAN_ANGGOTA
from app.money import format_rupiah
from app.services import accounts as account_service
from app.services import cashbook
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs._counter import OK, WARN
from app.ui.widgets.account_combo import AccountCombo
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.member_picker import MemberPicker
from app.ui.widgets.money_edit import MoneyEdit

WIDTHS = (26, 300, 120, 120, 200)  # no., account, debit, credit, member; memo stretches


class LineRow(QWidget):
    """One journal line: account, debit or credit, optional member, optional memo."""

    def __init__(
        self, ctx: AppContext, choices: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.number = QLabel()
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.account = AccountCombo(self)
        self.account.setMinimumContentsLength(20)
        self.account.set_accounts(choices, keep=False)
        self.debit = MoneyEdit(self, what=self.tr("Debit"))
        self.credit = MoneyEdit(self, what=self.tr("Kredit"))
        self.member = MemberPicker(ctx, self, status=None)
        self.member.setPlaceholderText(self.tr("Anggota (jika ada)"))
        self.memo = QLineEdit()
        self.memo.setPlaceholderText(self.tr("Keterangan baris (boleh kosong)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget, width in zip(
            (self.number, self.account, self.debit, self.credit, self.member), WIDTHS, strict=True
        ):
            widget.setFixedWidth(width)
            row.addWidget(widget)
        row.addWidget(self.memo, 1)
        # A line is debit or credit: typing one side clears the other.
        self.debit.textEdited.connect(lambda t: self.credit.clear() if t.strip() else None)
        self.credit.textEdited.connect(lambda t: self.debit.clear() if t.strip() else None)

    def fields(self) -> list[QWidget]:
        return [self.account, self.debit, self.credit, self.member, self.memo]

    def is_blank(self) -> bool:
        return (
            not self.account.currentText().strip()
            and not self.debit.text().strip()
            and not self.credit.text().strip()
        )


class JournalEntryDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.posted: Posted | None = None
        self.setWindowTitle(self.tr("Jurnal umum baru"))
        self.resize(1080, 520)
        self.choices = actions.read(
            ctx,
            lambda s: [
                (a.code, a.name)
                for a in account_service.list_accounts(s, include_inactive=False)
                if a.code != PINJAMAN_ANGGOTA
            ],
        )
        self.date = DateEdit(self)
        self.memo = QLineEdit()
        self.memo.setPlaceholderText(
            self.tr("Misalnya: setor kas ke bank, penyusutan peralatan Desember")
        )
        self.memo.setMaxLength(200)
        head = QFormLayout()
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addStretch(1)
        date_label = QLabel(self.tr("&Tanggal:"))
        date_label.setBuddy(self.date)
        head.addRow(date_label, date_row)
        memo_label = QLabel(self.tr("&Keterangan:"))
        memo_label.setBuddy(self.memo)
        head.addRow(memo_label, self.memo)

        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        for text, width in zip(
            (
                self.tr("No."),
                self.tr("Akun"),
                self.tr("Debit"),
                self.tr("Kredit"),
                self.tr("Anggota"),
            ),
            WIDTHS,
            strict=True,
        ):
            label = QLabel(f"<b>{text}</b>")
            label.setFixedWidth(width)
            columns.addWidget(label)
        columns.addWidget(QLabel("<b>" + self.tr("Keterangan baris") + "</b>"), 1)

        self.rows: list[LineRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addLayout(self.rows_box)
        holder_layout.addStretch(1)
        self.lines_area = QScrollArea()
        self.lines_area.setWidget(holder)
        self.lines_area.setWidgetResizable(True)
        self.lines_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines_area.setFrameShape(QFrame.Shape.NoFrame)

        self.add_button = QPushButton(self.tr("Tambah &baris (Ctrl++)"))
        self.remove_button = QPushButton(self.tr("&Hapus baris (Ctrl+-)"))
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.totals = QLabel()
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setStyleSheet("font-size: 11pt;")
        edit_bar = QHBoxLayout()
        edit_bar.addWidget(self.add_button)
        edit_bar.addWidget(self.remove_button)
        edit_bar.addStretch(1)
        edit_bar.addWidget(self.totals)

        self.save_button = QPushButton(self.tr("&Simpan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Bata&l (Esc)"))
        self.cancel_button.setAutoDefault(False)
        hint = QLabel(
            self.tr(
                "Setiap baris diisi debit atau kredit saja. Simpan aktif setelah jumlah debit "
                "sama dengan jumlah kredit."
            )
        )
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(columns)
        layout.addWidget(self.lines_area, 1)
        layout.addLayout(edit_bar)
        layout.addLayout(buttons)

        # Not Ctrl+Ins / Ctrl+Del: inside a text field those are copy and delete-word.
        add_action = QAction(self)
        add_action.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
        add_action.triggered.connect(self.add_row_after_current)
        remove_action = QAction(self)
        remove_action.setShortcut(QKeySequence("Ctrl+-"))
        remove_action.triggered.connect(self.remove_current_row)
        self.addActions([add_action, remove_action])
        self.add_button.clicked.connect(self.add_row_after_current)
        self.remove_button.clicked.connect(self.remove_current_row)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self.add_row()
        self.add_row()
        self.memo.setFocus()

    # -- rows ------------------------------------------------------------------------

    def add_row(self, at: int | None = None) -> LineRow:
        row = LineRow(self.ctx, self.choices, self)
        position = len(self.rows) if at is None else at
        self.rows.insert(position, row)
        self.rows_box.insertWidget(position, row)
        row.debit.amount_changed.connect(self._update_totals)
        row.credit.amount_changed.connect(self._update_totals)
        row.account.account_changed.connect(lambda _c: self._update_totals())
        self._renumber()
        return row

    def current_row(self) -> int:
        focus = self.focusWidget()
        for index, row in enumerate(self.rows):
            if focus is not None and (focus is row or row.isAncestorOf(focus)):
                return index
        return -1

    def add_row_after_current(self) -> None:
        current = self.current_row()
        row = self.add_row(None if current < 0 else current + 1)
        row.account.setFocus(Qt.FocusReason.TabFocusReason)
        self.lines_area.ensureWidgetVisible(row)

    def remove_current_row(self) -> None:
        current = self.current_row()
        if current < 0:
            current = len(self.rows) - 1
        if len(self.rows) <= 2:
            prompts.inform(
                self,
                self.tr("Hapus baris"),
                self.tr("Jurnal umum paling sedikit dua baris; kosongkan isinya saja."),
            )
            return
        row = self.rows.pop(current)
        self.rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        self._update_totals()
        focus = self.rows[min(current, len(self.rows) - 1)]
        focus.account.setFocus(Qt.FocusReason.TabFocusReason)

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.number.setText(f"{number}.")
        chain: list[QWidget] = [self.date, self.memo]
        for row in self.rows:
            chain += row.fields()
        chain += [self.add_button, self.remove_button, self.save_button, self.cancel_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._update_totals()

    # -- totals --------------------------------------------------------------------

    def totals_now(self) -> tuple[int, int] | None:
        """(debit, credit) typed so far; None while an amount cannot be read."""
        debit = credit = 0
        for row in self.rows:
            d = row.debit.amount_or_none()
            c = row.credit.amount_or_none()
            if d is None or c is None:
                return None
            debit += d
            credit += c
        return debit, credit

    def _update_totals(self) -> None:
        totals = self.totals_now()
        if totals is None:
            self.totals.setText(
                f"<span style='color:{WARN}'>"
                + self.tr("Ada jumlah yang tidak dapat dibaca; periksa isian.")
                + "</span>"
            )
            self.save_button.setEnabled(False)
            return
        debit, credit = totals
        difference = debit - credit
        if difference == 0 and debit > 0:
            state = f"<span style='color:{OK}'><b>{self.tr('Seimbang')}</b></span>"
        else:
            state = (
                f"<span style='color:{WARN}'><b>"
                + self.tr("Selisih %1").replace("%1", format_rupiah(abs(difference)))
                + "</b></span>"
            )
        self.totals.setText(
            self.tr("Debit <b>%1</b> · Kredit <b>%2</b> · %3")
            .replace("%1", format_rupiah(debit))
            .replace("%2", format_rupiah(credit))
            .replace("%3", state)
        )
        used = [r for r in self.rows if not r.is_blank()]
        self.save_button.setEnabled(difference == 0 and debit > 0 and len(used) >= 2)

    # -- save ----------------------------------------------------------------------

    def inputs(self) -> list[cashbook.JournalInput]:
        """The filled lines; raises ValidationError for a line the form cannot read."""
        lines = []
        for number, row in enumerate(self.rows, start=1):
            if row.is_blank():
                continue
            code = row.account.code()
            if not code:
                typed = row.account.currentText().strip()
                if not typed:
                    raise ValidationError(f"Baris {number}: pilih akunnya.")
                code = typed.split(" ")[0]
            lines.append(
                cashbook.JournalInput(
                    account=code,
                    debit=row.debit.amount(),
                    credit=row.credit.amount(),
                    member_id=row.member.member_id() or None,
                    memo=" ".join(row.memo.text().split()),
                )
            )
        return lines

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        on = self.date.value()
        memo = self.memo.text()

        def work(session: Session) -> Posted:
            return cashbook.journal(
                session, on=on, memo=memo, lines=self.inputs(), by=self.ctx.user
            )

        posted = actions.write(self.ctx, self, work)
        if posted is not None:
            self.posted = posted
            self.accept()


def open_journal_entry(ctx: AppContext, parent: QWidget | None = None) -> int | None:
    """The general journal form; returns the new entry's id, or None when cancelled."""
    dialog = JournalEntryDialog(ctx, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.posted is None:
            return None
        return dialog.posted.id
    finally:
        dialog.deleteLater()
