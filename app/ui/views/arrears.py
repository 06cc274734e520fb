"""Laporan → Tunggakan & Konfirmasi: the arrears list for the collection round, and the
balance confirmation slips (surat konfirmasi saldo) of every active member.

The list (as of a date) shows wajib and loan arrears per member with the phone
number, largest first; the selected member's reminder text is ready to send
("Salin pesan" or Ctrl+C copies it). It is read in a worker thread
(``BackgroundRead``, a second or more on a big book): the tab says "Memuat..." and
keeps the previous list until the new one arrives. "PDF" and "Excel" save the list of the
same date for the collection round (the "Daftar tunggakan" of Daftar & Rekap,
``report_files.make_table_file``). The slips and the files are built and rendered
in a worker thread (its own engine and read session) behind a progress dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.db import make_engine, make_sessions, read_session
from app.errors import DomainError
from app.money import format_number
from app.reports.build_confirmations import Arrears, ArrearsList, build_arrears
from app.reports.build_tables import ARREARS, TableRequest
from app.ui import actions, report_files
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.dialogs.receipt_preview import ReceiptPreview
from app.ui.report_files import PDF, XLSX, Made, MadeBar
from app.ui.safety import Progress, run_with_progress
from app.ui.widgets.date_edit import DateEdit

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SCALE = 100
_SPLIT = (62, 38)  # the list and the reminder pane, in percent of the width at first show


class ArrearsModel(QAbstractTableModel):
    ROW, NAME, PHONE, WAJIB, LOANS, TOTAL = range(6)
    MONEY = (WAJIB, LOANS, TOTAL)

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            self.tr("No."),
            self.tr("Nama"),
            self.tr("No. HP"),
            # Two lines: the money columns are as wide as their figures, the names get the rest.
            self.tr("Simpanan\nwajib"),
            self.tr("Angsuran\npinjaman"),
            self.tr("Jumlah"),
        ]
        self.rows: list[Arrears] = []

    def set_rows(self, rows: Sequence[Arrears]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

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

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and (
            column in self.MONEY or column == self.ROW
        ):
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WAJIB and row.wajib:
            return self.tr("%1 bulan").replace("%1", str(len(row.wajib_months)))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return f"{row.name} ({row.number})"  # the whole name when the column is narrow
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.ROW:
            return str(index.row() + 1)
        if column == self.NAME:
            return f"{row.name} ({row.number})"
        if column == self.PHONE:
            return row.phone or "-"
        amount = {self.WAJIB: row.wajib, self.LOANS: row.loan_arrears, self.TOTAL: row.total}
        value = amount[column]
        return format_number(value) if value else "-"


class _ArrearsTable(QTableView):
    """Ctrl+C copies the selected member's reminder text, not the cell."""

    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def make_confirmations(book_path: Path, on: date, progress: Progress) -> bytes:
    """Build and render every slip in the calling (worker) thread."""
    from app.reports.build_confirmations import build_confirmations
    from app.reports.pdf.confirmations import render_confirmations
    from app.services import settings

    progress(0, _SCALE)
    engine = make_engine(book_path)
    try:
        with read_session(make_sessions(engine)) as session:
            slips = build_confirmations(session, on)
            profile = settings.get_profile(session)
    finally:
        engine.dispose()
    progress(_SCALE // 5, _SCALE)

    def rendered(done: int, total: int) -> None:
        progress(_SCALE // 5 + (_SCALE * 4 // 5 - 1) * done // max(total, 1), _SCALE)

    return render_confirmations(slips, profile, progress=rendered)


def show_preview(dialog: ReceiptPreview) -> None:
    """Show the preview modally (tests replace this)."""
    dialog.exec()
    dialog.deleteLater()


class ArrearsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.arrears: ArrearsList | None = None
        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        tr = self.tr

        # The title has a line of its own: next to the date and the three buttons it was
        # cut off at 1280x800.
        self.title = QLabel("<h2>" + tr("Tunggakan dan konfirmasi saldo") + "</h2>")
        self.title.setWordWrap(True)
        self.on = DateEdit()
        on_label = QLabel(tr("Per tan&ggal:"))
        on_label.setBuddy(self.on)
        self.on.dateChanged.connect(lambda _d: self.refresh())
        self.print_button = QPushButton(tr("Ceta&k surat konfirmasi (semua anggota)"))
        self.print_button.clicked.connect(self.print_confirmations)
        self.pdf_button = QPushButton(tr("Daftar P&DF"))
        self.xlsx_button = QPushButton(tr("Daftar E&xcel"))
        self.pdf_button.setToolTip(tr("Simpan daftar tunggakan tanggal ini sebagai PDF"))
        self.xlsx_button.setToolTip(tr("Simpan daftar tunggakan tanggal ini sebagai Excel"))
        self.pdf_button.clicked.connect(lambda: self.export(PDF))
        self.xlsx_button.clicked.connect(lambda: self.export(XLSX))
        top = QHBoxLayout()
        top.addWidget(on_label)
        top.addWidget(self.on)
        top.addStretch(1)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.print_button)
        self.files = MadeBar(hide_until_made=True)

        self.summary = QLabel()
        self.loading = QLabel(tr("Memuat..."))
        self.loading.setStyleSheet("color: #5f6b7a; font-style: italic;")
        self.loading.hide()
        summary_row = QHBoxLayout()  # "Memuat..." right after the figures of the list shown
        summary_row.addWidget(self.summary)
        summary_row.addWidget(self.loading)
        summary_row.addStretch(1)
        self.model = ArrearsModel(self)
        self.table = _ArrearsTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ArrearsModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.copy_requested.connect(self.copy_message)

        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setPlaceholderText(tr("Pilih anggota untuk melihat pesan pengingatnya."))
        message_label = QLabel(tr("P&esan pengingat (WhatsApp/SMS):"))
        message_label.setBuddy(self.message)
        self.copy_button = QPushButton(tr("&Salin pesan"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_message)
        self.copied = QLabel()
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copied, 1)
        right = QWidget()
        right.setMinimumWidth(280)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(message_label)
        right_layout.addWidget(self.message, 1)
        right_layout.addLayout(copy_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, _SPLIT[0])
        self.splitter.setStretchFactor(1, _SPLIT[1])
        # The split is set from the splitter's real width (sizes given before it is laid out
        # are not kept), and again on resizing until the treasurer drags the handle.
        self._split_by_hand = False
        self.splitter.splitterMoved.connect(self._split_moved)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addLayout(summary_row)
        layout.addWidget(self.files)
        layout.addWidget(self.splitter, 1)

    # -- the split ----------------------------------------------------------------------------

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._split_by_hand = True

    def _apply_split(self) -> None:
        width = self.splitter.width() - self.splitter.handleWidth()
        if self._split_by_hand or width <= 0:
            return
        table = width * _SPLIT[0] // sum(_SPLIT)
        self.splitter.setSizes([table, width - table])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._apply_split()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_split()

    # -- the LaporanView protocol ------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list of the date shown in a worker thread; the previous list stays on
        screen (and usable) until the new one arrives."""
        on = self.on.value()
        self.loading.setText(
            self.tr("Memuat daftar tunggakan per %1...").replace("%1", dates.format_date(on))
        )
        self.loading.show()
        self.summary.setVisible(self.arrears is not None)  # "Memuat..." alone at first
        self.loader.start(lambda session, _progress: build_arrears(session, on))

    def wait_loaded(self) -> None:
        """Block until the list last asked for is shown (tests)."""
        self.loader.wait()

    def _failed(self, error: DomainError) -> None:
        self.loading.hide()
        actions.show_refusal(self, error)

    def _loaded(self, arrears: ArrearsList) -> None:
        if not self.loader.busy():
            self.loading.hide()
        kept = self.selected()
        self.arrears = arrears
        self.model.set_rows(arrears.rows)
        tr = self.tr
        self.summary.show()
        self.summary.setText(
            tr("%1 anggota menunggak per %2 · wajib %3 · angsuran %4 · jumlah %5")
            .replace("%1", format_number(len(arrears.rows)))
            .replace("%2", dates.format_date(arrears.on))
            .replace("%3", format_number(arrears.wajib))
            .replace("%4", format_number(arrears.loan_arrears))
            .replace("%5", format_number(arrears.total))
        )
        self.message.clear()
        self.copied.clear()
        self.copy_button.setEnabled(False)
        if arrears.rows:
            # The same member stays selected when the list is read again (after a payment).
            ids = [row.member_id for row in arrears.rows]
            kept_id = kept.member_id if kept is not None else None
            self.table.selectRow(ids.index(kept_id) if kept_id in ids else 0)

    # -- the reminder ---------------------------------------------------------------------

    def selected(self) -> Arrears | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self.message.setPlainText(row.reminder_text if row else "")
        self.copy_button.setEnabled(row is not None)
        self.copied.clear()

    def copy_message(self) -> None:
        row = self.selected()
        if row is None:
            return
        QGuiApplication.clipboard().setText(row.reminder_text)
        self.copied.setText(
            self.tr("Pesan untuk %1 disalin; tempel di WhatsApp.").replace("%1", row.name)
        )

    # -- the slips ------------------------------------------------------------------------

    def print_confirmations(self) -> ReceiptPreview | None:
        on = self.on.value()
        tr = self.tr
        book_path = self.ctx.book.path
        work: Callable[[Progress], bytes] = lambda progress: make_confirmations(  # noqa: E731
            book_path, on, progress
        )
        ok, pdf = run_with_progress(
            self,
            tr("Surat konfirmasi saldo"),
            tr("Menyusun surat konfirmasi saldo per %1...").replace("%1", dates.format_date(on)),
            work,
        )
        if not ok:
            return None
        dialog = ReceiptPreview(
            pdf,
            f"Konfirmasi saldo {on.isoformat()}.pdf",
            self,
            title=tr("Pratinjau surat konfirmasi saldo"),
        )
        dialog.info.setText(
            tr("%1 halaman A4 · satu halaman per anggota aktif").replace(
                "%1", format_number(len(dialog.pages))
            )
        )
        show_preview(dialog)
        return dialog

    # -- the list as a file ----------------------------------------------------------------

    def export(self, kind: str) -> Made | None:
        """The arrears list of the date shown, saved as PDF or Excel in a worker thread."""
        on = self.on.value()
        tr = self.tr
        request = TableRequest(ARREARS, on=on)
        book_path = self.ctx.book.path
        folder = report_files.reports_dir()
        work: Callable[[Progress], Made] = lambda progress: report_files.make_table_file(  # noqa: E731
            book_path, request, kind, folder, progress
        )
        label = tr("Membuat PDF daftar tunggakan per %1...")
        if kind == XLSX:
            label = tr("Membuat Excel daftar tunggakan per %1...")
        ok, made = run_with_progress(
            self,
            tr("Daftar tunggakan"),
            label.replace("%1", dates.format_date(on)),
            work,
        )
        if not ok:
            return None
        self.files.show_made(made)
        return made  # type: ignore[no-any-return]
