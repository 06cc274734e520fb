"""Pengawasan: the supervisors' checklist of a year and the draft Laporan Hasil Pengawasan.

Read only, whoever is logged in: the checklist is loaded in a worker thread
(``BackgroundRead``; the chain check may take a moment on a big book), the
pengawas ticks "sudah diperiksa" and types notes, and both live only in this
screen and on the printout. Nothing is written to the book: a pengawas
changes nothing, and the marks are the pengawas' own working paper.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.errors import DomainError
from app.money import format_number
from app.permissions import PENGAWAS
from app.queries.supervision import ATTENTION, GOOD, Supervision, supervision_checklist
from app.queries.year_end import year_span
from app.reports.pdf.supervision import render_supervision
from app.ui import actions
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.widgets.year_picker import YearPicker

STATUS_LABEL = {GOOD: "Baik", ATTENTION: "Perlu perhatian", "periksa": "Periksa manual"}
STATUS_COLOUR = {GOOD: "#1e7b34", ATTENTION: "#b3261e", "periksa": "#8a5a00"}


def show_draft(parent: QWidget | None, pdf: bytes, year: int) -> None:
    """The preview with Cetak / Simpan PDF (tests replace this to keep the bytes)."""
    from app.ui.dialogs.receipt_preview import ReceiptPreview

    name = re.sub(r'[\\/:*?"<>|]+', "-", f"Draf Laporan Hasil Pengawasan {year}") + ".pdf"
    dialog = ReceiptPreview(pdf, name, parent)
    dialog.setWindowTitle(
        dialog.tr("Pratinjau draf Laporan Hasil Pengawasan %1").replace("%1", str(year))
    )
    dialog.info.setText(
        dialog.tr("Draf Laporan Hasil Pengawasan · %1 halaman A4").replace(
            "%1", format_number(len(dialog.pages))
        )
    )
    dialog.exec()
    dialog.deleteLater()


def _table(*headers: str, stretch: int = 1) -> QTableWidget:
    """A read-only list; column ``stretch`` (the name, the finding) takes the spare width."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], numeric: range) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class PengawasanView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Supervision | None = None
        self.checked: dict[str, bool] = {}  # item key -> ticked; in memory only, never saved
        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._show)
        self.loader.failed.connect(lambda error: actions.show_refusal(self, error))
        self._build()

    def _build(self) -> None:
        tr = self.tr
        title = QLabel(tr("Pengawasan"))
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.year = YearPicker()
        self.year.year_changed.connect(lambda _y: self._load())
        self.reload_button = QPushButton(tr("&Muat ulang"))
        self.reload_button.clicked.connect(self._load)
        self.print_button = QPushButton(tr("&Cetak draf Laporan Hasil Pengawasan..."))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_draft)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(tr("Tahun buku:")))
        top.addWidget(self.year)
        top.addWidget(self.reload_button)
        top.addStretch(1)
        top.addWidget(self.print_button)

        self.session_note = QLabel()
        self.session_note.setWordWrap(True)
        self.session_note.setStyleSheet("color: #5f6b7a;")
        read_only = (
            tr("Sesi pengawas: hanya membaca, tidak ada yang dapat diubah. ")
            if self.ctx.actor.role == PENGAWAS
            else ""
        )
        self.session_note.setText(
            read_only
            + tr(
                "Centang \u201csudah diperiksa\u201d dan catatan hanya ada di layar ini dan "
                "di draf yang dicetak; tidak disimpan ke buku."
            )
        )
        self.status = QLabel(tr("Memuat..."))

        self.items = _table(
            tr("Sudah diperiksa"), tr("Hal yang diperiksa"), tr("Hasil"), tr("Temuan"), stretch=3
        )
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.itemChanged.connect(self._ticked)

        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details = QTabWidget()
        self.sample = _table(
            tr("No. Agt"),
            tr("Nama"),
            tr("Dusun"),
            tr("Pokok"),
            tr("Wajib"),
            tr("Sukarela"),
            tr("Sisa pinjaman"),
        )
        self.wajib = _table(
            tr("No. Agt"), tr("Nama"), tr("Dusun"), tr("No. HP"), tr("Bulan"), tr("Tunggakan")
        )
        self.loans = _table(
            tr("No. Pinjaman"),
            tr("Anggota"),
            tr("No. HP"),
            tr("Sisa pokok"),
            tr("Tunggakan"),
            tr("DPD"),
            tr("Kolektibilitas"),
        )
        self.reversals = _table(
            tr("Nomor"),
            tr("Tanggal"),
            tr("Membalik"),
            tr("Keterangan"),
            tr("Oleh"),
            tr("Jumlah"),
            stretch=3,
        )
        self.details.addTab(self.sample, tr("Sampel kartu anggota"))
        self.details.addTab(self.wajib, tr("Tunggakan wajib"))
        self.details.addTab(self.loans, tr("Tunggakan pinjaman"))
        self.details.addTab(self.reversals, tr("Jurnal pembalik"))

        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(
            tr("Catatan pengawas (dicetak di draf; kosong: baris untuk ditulis tangan)")
        )
        self.notes.setMaximumHeight(90)

        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        upper_box.addWidget(self.items, 1)
        upper_box.addWidget(self.figures)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.session_note)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(QLabel(tr("Catatan pengawas:")))
        layout.addWidget(self.notes)
        self.setFocusProxy(self.year)

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Offer the book's years (the last finished one first), then load its checklist."""
        try:
            span = actions.read(self.ctx, year_span)
        except DomainError as error:
            actions.show_refusal(self, error)
            return
        self.year.blockSignals(True)
        self.year.set_span(span)
        self.year.blockSignals(False)
        self._load()

    def _load(self) -> None:
        year = self.year.value()
        if not year:
            return
        on = dates.today()
        self.status.setText(self.tr("Memeriksa buku tahun %1...").replace("%1", str(year)))
        self.print_button.setEnabled(False)
        self.loader.start(lambda s, progress: supervision_checklist(s, year, on, progress=progress))

    def wait_loaded(self) -> None:
        """Block until the latest checklist is shown (tests)."""
        self.loader.wait()

    def _show(self, report: Supervision) -> None:
        if self.report is None or self.report.year != report.year:
            self.checked = {}
        self.report = report
        tr = self.tr
        self.status.setText(
            tr("Tahun buku %1 · periode %2 · diperiksa pada %3")
            .replace("%1", str(report.year))
            .replace("%2", report.period_text)
            .replace("%3", dates.format_date_long(report.on))
        )
        self.items.blockSignals(True)
        self.items.setRowCount(len(report.items))
        for row, item in enumerate(report.items):
            tick = QTableWidgetItem(tr("sudah diperiksa"))
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(
                Qt.CheckState.Checked if self.checked.get(item.key) else Qt.CheckState.Unchecked
            )
            tick.setData(Qt.ItemDataRole.UserRole, item.key)
            self.items.setItem(row, 0, tick)
            self.items.setItem(row, 1, QTableWidgetItem(item.title))
            result = QTableWidgetItem(STATUS_LABEL.get(item.status, item.status))
            result.setForeground(QBrush(QColor(STATUS_COLOUR.get(item.status, "#000000"))))
            self.items.setItem(row, 2, result)
            finding = QTableWidgetItem(item.finding)
            finding.setToolTip(item.finding)
            self.items.setItem(row, 3, finding)
        self.items.blockSignals(False)
        for column in range(3):  # the finding (column 3) takes the rest of the width and wraps
            self.items.resizeColumnToContents(column)
        self.items.resizeRowsToContents()

        f = report.figures
        self.figures.setText(
            tr(
                "Per %1: %2 anggota aktif · simpanan Rp%3 · pinjaman beredar Rp%4 "
                "(%5 pinjaman) · NPL %6 (%7) · kas Rp%8"
            )
            .replace("%1", dates.format_date(report.end))
            .replace("%2", format_number(f.active_members))
            .replace("%3", format_number(f.savings))
            .replace("%4", format_number(f.outstanding))
            .replace("%5", format_number(f.loans))
            .replace("%6", f"{(f.npl_ratio * 100):.2f}%".replace(".", ","))
            .replace("%7", f.health)
            .replace("%8", format_number(f.cash))
        )
        _fill(
            self.sample,
            [
                [
                    s.number,
                    s.name,
                    s.dusun,
                    format_number(s.pokok),
                    format_number(s.wajib),
                    format_number(s.sukarela),
                    format_number(s.loan_outstanding),
                ]
                for s in report.sample
            ],
            range(3, 7),
        )
        _fill(
            self.wajib,
            [
                [a.number, a.name, a.dusun, a.phone, str(a.months), format_number(a.amount)]
                for a in report.wajib_arrears
            ],
            range(4, 6),
        )
        _fill(
            self.loans,
            [
                [
                    a.loan_number,
                    f"{a.member_number} · {a.name}",
                    a.phone,
                    format_number(a.outstanding),
                    format_number(a.arrears),
                    str(a.dpd),
                    a.klass,
                ]
                for a in report.loan_arrears
            ],
            range(3, 6),
        )
        _fill(
            self.reversals,
            [
                [
                    r.number,
                    dates.format_date(r.date),
                    r.reverses,
                    r.memo,
                    r.posted_by,
                    format_number(r.amount),
                ]
                for r in report.reversals
            ],
            range(5, 6),
        )
        self.details.setTabText(
            1, tr("Tunggakan wajib (%1)").replace("%1", format_number(report.wajib_arrears_count))
        )
        self.details.setTabText(
            2, tr("Tunggakan pinjaman (%1)").replace("%1", format_number(report.loan_arrears_count))
        )
        self.details.setTabText(
            3, tr("Jurnal pembalik (%1)").replace("%1", format_number(report.reversals_count))
        )
        self.print_button.setEnabled(True)

    def _ticked(self, item: QTableWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if item.column() == 0 and key:
            self.checked[str(key)] = item.checkState() == Qt.CheckState.Checked

    def set_checked(self, key: str, ticked: bool) -> None:
        """Tick or untick an item by key (what a click in the first column does)."""
        for row in range(self.items.rowCount()):
            cell = self.items.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == key:
                cell.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    # -- printing ------------------------------------------------------------------------

    def draft_pdf(self) -> bytes | None:
        if self.report is None:
            return None
        return render_supervision(
            self.report,
            checked=dict(self.checked),
            notes=self.notes.toPlainText(),
            signed_on=dates.today(),
        )

    def print_draft(self) -> None:
        pdf = self.draft_pdf()
        if pdf is not None and self.report is not None:
            show_draft(self, pdf, self.report.year)
