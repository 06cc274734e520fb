"""The small questions of the year end: the allowance entry, a reason, the RAT date, the payment.

Each is asked through a module function (``confirm_allowance``, ``ask_text``,
``ask_rat_date``, ``ask_payment``) so the screens stay simple and tests can
replace one function instead of a blocking dialog. The dialogs only ask: the
screen does the writing through ``actions.write``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.ledger.chart import DEFAULT_CHART
from app.models.member import ACTIVE
from app.money import format_rupiah
from app.services.closing import AllowanceProposal
from app.services.shu import SUKARELA, TUNAI, ShuOwed, ShuPlan
from app.ui.widgets.date_edit import DateEdit

_ACCOUNT_NAMES = {code: name for code, name, _side, _contra in DEFAULT_CHART}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QPushButton, QHBoxLayout]:
    ok = QPushButton(ok_text)
    ok.setDefault(True)
    ok.clicked.connect(dialog.accept)
    cancel = QPushButton(dialog.tr("&Batal (Esc)"))
    cancel.setAutoDefault(False)
    cancel.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(ok)
    row.addWidget(cancel)
    return ok, row


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


# -- the allowance entry -------------------------------------------------------------------


class AllowanceDialog(QDialog):
    """The proposed PPAP entry (Dr 5-104 / Cr 1-139, or the reverse), to book or not."""

    def __init__(self, proposal: AllowanceProposal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Bukukan penyisihan kerugian pinjaman %1").replace("%1", str(proposal.year))
        )
        self.setMinimumWidth(620)
        end = dates.format_date(date(proposal.year, 12, 31))
        intro = _wrapped(
            self.tr(
                "Penyisihan kerugian pinjaman (PPAP) yang wajib menurut kolektibilitas pada "
                "%1: <b>%2</b>. Tercatat di 1-139: <b>%3</b>. Jurnal penyesuaian berikut "
                "dibukukan bertanggal %1:"
            )
            .replace("%1", end)
            .replace("%2", format_rupiah(proposal.required))
            .replace("%3", format_rupiah(proposal.booked))
        )
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Akun"), self.tr("Debit"), self.tr("Kredit")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lines = proposal.entry.lines if proposal.entry is not None else []
        for line in lines:
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = _ACCOUNT_NAMES.get(line.account, "")
            self.table.setItem(row, 0, QTableWidgetItem(f"{line.account} {name}".strip()))
            debit = QTableWidgetItem(format_rupiah(line.amount) if line.amount > 0 else "")
            credit = QTableWidgetItem(format_rupiah(-line.amount) if line.amount < 0 else "")
            for column, item in ((1, debit), (2, credit)):
                item.setTextAlignment(_RIGHT)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.table.setColumnWidth(
                column, self.fontMetrics().horizontalAdvance("Rp999.999.999") + 24
            )
        height = self.table.horizontalHeader().sizeHint().height()
        height += sum(self.table.rowHeight(r) for r in range(self.table.rowCount())) + 6
        self.table.setFixedHeight(height)
        memo = _wrapped(
            "<i>" + (proposal.entry.memo if proposal.entry is not None else "") + "</i>"
        )
        self.ok_button, buttons = _buttons(self, self.tr("&Bukukan (Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(memo)
        layout.addLayout(buttons)
        self.ok_button.setFocus()


def confirm_allowance(parent: QWidget | None, proposal: AllowanceProposal) -> bool:
    dialog = AllowanceDialog(proposal, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


# -- a reason or a note --------------------------------------------------------------------


class TextDialog(QDialog):
    def __init__(
        self,
        title: str,
        intro: str,
        label: str,
        placeholder: str,
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.text = QLineEdit()
        self.text.setPlaceholderText(placeholder)
        caption = QLabel(label)
        caption.setBuddy(self.text)
        form = QFormLayout()
        form.addRow(caption, self.text)
        self.ok_button, buttons = _buttons(self, ok_text or self.tr("&Simpan (Enter)"))
        self.ok_button.setEnabled(False)
        self.text.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(intro))
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.text.setFocus()

    def value(self) -> str:
        return self.text.text().strip()


def ask_text(
    parent: QWidget | None,
    title: str,
    intro: str,
    label: str,
    *,
    placeholder: str = "",
    ok_text: str = "",
) -> str | None:
    """A line of text (a reason, a note); None when cancelled."""
    dialog = TextDialog(title, intro, label, placeholder, ok_text, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()
    finally:
        dialog.deleteLater()


# -- the RAT -----------------------------------------------------------------------------


class RatDialog(QDialog):
    """The date of the RAT that approved the distribution, with what will be posted."""

    def __init__(self, plan: ShuPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Bukukan hasil RAT tahun buku %1").replace("%1", str(plan.year))
        )
        self.setMinimumWidth(560)
        rows = "".join(
            f"<tr><td>{c.label}</td><td align='right'>{format_rupiah(c.amount)}</td></tr>"
            for c in plan.components
        )
        if plan.to_cadangan:
            rows += (
                "<tr><td>"
                + self.tr("Bagian tanpa penerima, ke Cadangan")
                + f"</td><td align='right'>{format_rupiah(plan.to_cadangan)}</td></tr>"
            )
        members = sum(1 for m in plan.members if m.total)
        intro = _wrapped(
            self.tr(
                "SHU tahun buku %1 sebesar <b>%2</b> dibagi menurut keputusan RAT: Dr 3-502 SHU "
                "Tahun Berjalan, Kr 3-201 Cadangan, 2-141 Utang SHU Anggota (%3 anggota) dan "
                "dana 2-142 s.d. 2-146. Pembagian hanya sekali setahun."
            )
            .replace("%1", str(plan.year))
            .replace("%2", format_rupiah(plan.shu))
            .replace("%3", str(members))
            + f"<table cellspacing='0' cellpadding='2'>{rows}</table>"
        )
        self.date = DateEdit(self)
        self.date.setMinimumDate(QDate(plan.year + 1, 1, 1))
        caption = QLabel(self.tr("&Tanggal RAT:"))
        caption.setBuddy(self.date)
        form = QFormLayout()
        form.addRow(caption, self.date)
        self.ok_button, buttons = _buttons(self, self.tr("&Bukukan (Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.date.setFocus()


def ask_rat_date(parent: QWidget | None, plan: ShuPlan) -> date | None:
    dialog = RatDialog(plan, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.date.value()
    finally:
        dialog.deleteLater()


# -- paying members ------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentChoice:
    method: str  # shu.TUNAI or shu.SUKARELA
    on: date
    member_ids: tuple[int, ...] | None  # None: everybody still owed


class OwedModel(QAbstractTableModel):
    """Members still owed their SHU, each with a check box (all ticked at first)."""

    CHECK, NUMBER, NAME, STATUS, AMOUNT = range(5)

    def __init__(self, rows: Sequence[ShuOwed], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = [r for r in rows if r.remaining > 0]
        self.ticked = [True] * len(self.rows)
        self.sukarela = False
        self.headers = [
            "",
            self.tr("No. Anggota"),
            self.tr("Nama"),
            self.tr("Status"),
            self.tr("Belum dibayar"),
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def allowed(self, row: int) -> bool:
        return not self.sukarela or self.rows[row].status == ACTIVE

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsSelectable
        if self.allowed(index.row()):
            flags |= Qt.ItemFlag.ItemIsEnabled
            if index.column() == self.CHECK:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == self.CHECK:
            ticked = self.ticked[index.row()] and self.allowed(index.row())
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return row.number
            if column == self.NAME:
                return row.name
            if column == self.STATUS:
                if self.sukarela and row.status != ACTIVE:
                    return self.tr("%1: bayar tunai").replace("%1", row.status)
                return row.status
            if column == self.AMOUNT:
                return format_rupiah(row.remaining)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AMOUNT:
            return int(_RIGHT)
        return None

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != self.CHECK:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))  # type: ignore[call-overload]
        self.ticked[index.row()] = state == Qt.CheckState.Checked
        self.dataChanged.emit(index, index)
        return True

    def toggle(self, row: int) -> None:
        if 0 <= row < len(self.rows) and self.allowed(row):
            self.ticked[row] = not self.ticked[row]
            index = self.index(row, self.CHECK)
            self.dataChanged.emit(index, index)

    def set_all(self, ticked: bool) -> None:
        self.ticked = [ticked] * len(self.rows)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def set_sukarela(self, sukarela: bool) -> None:
        self.beginResetModel()
        self.sukarela = sukarela
        self.endResetModel()

    def chosen(self) -> list[ShuOwed]:
        return [r for i, r in enumerate(self.rows) if self.ticked[i] and self.allowed(i)]


class _OwedTable(QTableView):
    """Space ticks or unticks the current member, whatever column the cursor is on."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        model = self.model()
        if event.key() == Qt.Key.Key_Space and isinstance(model, OwedModel):
            model.toggle(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class PaymentDialog(QDialog):
    """Pay the SHU: cash or into sukarela, on a date, to everybody or to the ticked members."""

    def __init__(
        self, year: int, owed: Sequence[ShuOwed], earliest: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.year = year
        self.setWindowTitle(self.tr("Bayarkan SHU tahun buku %1").replace("%1", str(year)))
        self.resize(720, 560)
        self.cash = QRadioButton(self.tr("&Tunai dari kas (Dr 2-141, Kr 1-101)"))
        self.sukarela = QRadioButton(self.tr("&Masuk simpanan sukarela (Dr 2-141, Kr 2-101)"))
        self.sukarela.setChecked(True)
        self.date = DateEdit(self)
        self.date.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        self.model = OwedModel(owed, self)
        self.model.set_sukarela(True)
        self.table = _OwedTable()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(OwedModel.CHECK, 32)
        self.table.setColumnWidth(OwedModel.NUMBER, metrics.horizontalAdvance("No. Anggota") + 24)
        self.table.setColumnWidth(
            OwedModel.STATUS, metrics.horizontalAdvance("keluar: bayar tunai") + 24
        )
        self.table.setColumnWidth(OwedModel.AMOUNT, metrics.horizontalAdvance("Rp99.999.999") + 24)
        self.table.horizontalHeader().setSectionResizeMode(
            OwedModel.NAME, QHeaderView.ResizeMode.Stretch
        )
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.all_button = QPushButton(self.tr("Pilih s&emua"))
        self.none_button = QPushButton(self.tr("&Kosongkan"))
        for button in (self.all_button, self.none_button):
            button.setAutoDefault(False)
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        form = QFormLayout()
        how = QVBoxLayout()
        how.addWidget(self.sukarela)
        how.addWidget(self.cash)
        form.addRow(QLabel(self.tr("Cara bayar:")), how)
        date_label = QLabel(self.tr("Tan&ggal bayar:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        picks = QHBoxLayout()
        picks.addWidget(QLabel(self.tr("Anggota yang dibayar (Spasi mencentang atau melepas):")))
        picks.addStretch(1)
        picks.addWidget(self.all_button)
        picks.addWidget(self.none_button)
        self.ok_button, buttons = _buttons(self, self.tr("&Bayarkan (Enter)"))
        buttons.insertWidget(0, self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(picks)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.sukarela.toggled.connect(self._method_changed)
        self.model.dataChanged.connect(lambda *_a: self._update())
        self.model.modelReset.connect(self._update)
        self._update()
        self.sukarela.setFocus()

    def method(self) -> str:
        return SUKARELA if self.sukarela.isChecked() else TUNAI

    def _method_changed(self, _on: bool) -> None:
        self.model.set_sukarela(self.sukarela.isChecked())

    def _update(self) -> None:
        chosen = self.model.chosen()
        skipped = len(self.model.rows) - len(chosen)
        text = (
            self.tr("<b>%1 anggota, %2</b>")
            .replace("%1", str(len(chosen)))
            .replace("%2", format_rupiah(sum(r.remaining for r in chosen)))
        )
        if skipped:
            text += self.tr(" · %1 tidak dipilih").replace("%1", str(skipped))
        self.summary.setText(text)
        self.ok_button.setEnabled(bool(chosen))

    def choice(self) -> PaymentChoice:
        chosen = self.model.chosen()
        everybody = len(chosen) == len(self.model.rows)
        return PaymentChoice(
            self.method(),
            self.date.value(),
            None if everybody else tuple(r.member_id for r in chosen),
        )


def ask_payment(
    parent: QWidget | None, year: int, owed: Sequence[ShuOwed], earliest: date
) -> PaymentChoice | None:
    dialog = PaymentDialog(year, owed, earliest, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()
    finally:
        dialog.deleteLater()
