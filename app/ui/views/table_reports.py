"""Laporan → Daftar & Rekap: the smaller reports, previewed as numbers, saved as PDF or Excel.

Pick a report (daftar anggota, rekap simpanan, rekap pinjaman, daftar tunggakan,
buku kas) and its year, date or period. "Pratinjau" (Enter on the list, or F5)
builds it in a worker thread (``BackgroundRead``) and shows the numbers in a
table; "Buat PDF" and "Buat Excel" build and render it in a worker thread behind
a progress dialog that can be cancelled, save it to ``<data dir>/laporan``
(``report_files``), show the PDF's first pages, and offer "Buka file" and
"Buka folder". The window never waits for a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.errors import DomainError
from app.queries.year_end import year_span
from app.reports.build_tables import (
    ARREARS,
    CASH_BOOK,
    DATE,
    LOANS,
    MEMBERS,
    NEEDS,
    ON,
    PERIOD,
    SAVINGS,
    YEAR,
    Column,
    Row,
    TableReport,
    TableRequest,
    build_table,
    format_cell,
)
from app.ui import actions, report_files
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.qtmodels.base import LEFT, RIGHT, RowsModel
from app.ui.report_files import PDF, XLSX, Made, MadeBar, PdfPages
from app.ui.safety import Progress, run_with_progress
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.year_picker import YearPicker

_Index = QModelIndex | QPersistentModelIndex
CENTER = int(Qt.AlignmentFlag.AlignCenter)
PREVIEW_DPI = 60
PREVIEW_PAGES = 4
ORDER = (MEMBERS, SAVINGS, LOANS, ARREARS, CASH_BOOK)


class TableReportModel(RowsModel):
    """The rows of a ``TableReport`` as the PDF shows them: opening and total rows in bold."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = []
        self._rows: list[Row] = []
        self._columns: tuple[Column, ...] = ()
        self._bold: set[int] = set()
        self.report: TableReport | None = None
        self._bold_font = QFont()
        self._bold_font.setBold(True)

    def set_report(self, report: TableReport | None) -> None:
        self.beginResetModel()
        self.report = report
        if report is None:
            self._columns, self._rows, self._bold = (), [], set()
            self.headers = []
        else:
            self._columns = report.columns
            self.headers = [f"{c.group}\n{c.title}" if c.group else c.title for c in self._columns]
            self._rows = [*report.opening, *report.rows, *report.totals]
            opening = len(report.opening)
            body_end = opening + len(report.rows)
            self._bold = set(range(opening)) | set(range(body_end, len(self._rows)))
        self.endResetModel()

    def right_aligned(self, column: int) -> bool:
        return self._columns[column].numeric

    def alignment(self, column: int) -> int:
        if self._columns[column].kind == DATE:
            return CENTER
        return RIGHT if self.right_aligned(column) else LEFT

    def is_bold(self, row: int) -> bool:
        return row in self._bold

    def text(self, row: int, column: int) -> str:
        return format_cell(self._columns[column].kind, self._rows[row][column])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.FontRole and row in self._bold:
            return self._bold_font
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[column].wrap:
            return self.text(row, column) or None
        return None


@dataclass(frozen=True)
class Choice:
    key: str
    title: str
    description: str


class TableReportsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: TableReport | None = None  # what the preview shows
        self.previewed: TableRequest | None = None  # ... and what it was asked for
        self._pending: TableRequest | None = None  # the preview being built
        self.made: Made | None = None
        self._span_loaded = False
        tr = self.tr
        self.choices = (
            Choice(
                MEMBERS,
                tr("Daftar anggota"),
                tr(
                    "Semua yang menjadi anggota dalam tahun buku, dengan NIK, alamat, nomor HP, "
                    "tanggal masuk dan status pada 31 Desember."
                ),
            ),
            Choice(
                SAVINGS,
                tr("Rekap simpanan per anggota"),
                tr(
                    "Simpanan pokok, wajib dan sukarela setiap anggota: saldo awal, setor, "
                    "tarik dan saldo akhir tahun buku."
                ),
            ),
            Choice(
                LOANS,
                tr("Rekap pinjaman"),
                tr(
                    "Setiap pinjaman yang beredar dalam tahun buku: pokok, angsuran, sisa pokok, "
                    "tunggakan, hari tunggakan dan kolektibilitas pada 31 Desember."
                ),
            ),
            Choice(
                ARREARS,
                tr("Daftar tunggakan"),
                tr(
                    "Anggota yang menunggak simpanan wajib atau angsuran pada tanggal itu, dengan "
                    "nomor HP dan alamat untuk kunjungan penagihan. Pesan pengingat per anggota "
                    "ada di tab Tunggakan & Konfirmasi."
                ),
            ),
            Choice(
                CASH_BOOK,
                tr("Buku kas"),
                tr(
                    "Setiap penerimaan dan pengeluaran kas dalam periode, dengan saldo berjalan, "
                    "saldo awal dan saldo akhir."
                ),
            ),
        )

        title = QLabel("<h2>" + tr("Daftar dan rekap") + "</h2>")

        # -- the left column: which report ------------------------------------------------
        self.list = QListWidget()
        for choice in self.choices:
            item = QListWidgetItem(choice.title)
            item.setData(Qt.ItemDataRole.UserRole, choice.key)
            item.setToolTip(choice.description)
            self.list.addItem(item)
        self.list.setMaximumWidth(260)
        self.list.setMinimumWidth(200)
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * (len(self.choices) + 1) + 8)
        list_label = QLabel(tr("&Jenis laporan:"))
        list_label.setBuddy(self.list)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setMaximumWidth(260)
        self.description.setStyleSheet("color: #555;")
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop)
        left = QVBoxLayout()
        left.addWidget(list_label)
        left.addWidget(self.list)
        left.addWidget(self.description)
        left.addStretch(1)

        # -- the parameters ---------------------------------------------------------------
        today = dates.today()
        self.year = YearPicker()
        self.year_label = QLabel(tr("Ta&hun buku:"))
        self.year_label.setBuddy(self.year)
        self.on = DateEdit(value=today)
        self.on_label = QLabel(tr("Per tan&ggal:"))
        self.on_label.setBuddy(self.on)
        self.start = DateEdit(value=dates.month_start(today))
        self.start_label = QLabel(tr("&Dari tanggal:"))
        self.start_label.setBuddy(self.start)
        self.end = DateEdit(value=today)
        self.end_label = QLabel(tr("&Sampai tanggal:"))
        self.end_label.setBuddy(self.end)
        params = QHBoxLayout()
        for label, field in (
            (self.year_label, self.year),
            (self.on_label, self.on),
            (self.start_label, self.start),
            (self.end_label, self.end),
        ):
            params.addWidget(label)
            params.addWidget(field)
            params.addSpacing(8)
        params.addStretch(1)

        self.preview_button = QPushButton(tr("P&ratinjau (F5)"))
        self.pdf_button = QPushButton(tr("Buat PD&F"))
        self.xlsx_button = QPushButton(tr("Buat &Excel"))
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            button.setAutoDefault(False)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(lambda: self.generate(PDF))
        self.xlsx_button.clicked.connect(lambda: self.generate(XLSX))
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch(1)
        preview_action = QAction(self)
        preview_action.setShortcut(QKeySequence("F5"))
        preview_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        preview_action.triggered.connect(self.preview)
        self.addAction(preview_action)

        self.files = MadeBar()

        # -- the preview ------------------------------------------------------------------
        self.summary = QLabel(tr("Pilih laporan, lalu tekan Pratinjau."))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.busy_label = QLabel(tr("Menyusun pratinjau..."))
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(240)
        busy = QHBoxLayout()
        busy.setContentsMargins(0, 0, 0, 0)
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar)
        busy.addStretch(1)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy)
        self.busy_box.hide()

        self.model = TableReportModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.pages = PdfPages(dpi=PREVIEW_DPI, pages=PREVIEW_PAGES)

        self.views = QTabWidget()
        self.views.addTab(self.table, tr("Angka"))
        self.views.addTab(self.pages, tr("Halaman PDF"))
        self.views.setTabEnabled(1, False)

        right = QVBoxLayout()
        right.addLayout(params)
        right.addLayout(buttons)
        right.addWidget(self.files)
        right.addWidget(self.summary)
        right.addWidget(self.busy_box)
        right.addWidget(self.views, 1)

        body = QGridLayout()
        body.addLayout(left, 0, 0)
        body.addLayout(right, 0, 1)
        body.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(body, 1)

        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.list.currentRowChanged.connect(lambda _row: self._choice_changed())
        self.list.activated.connect(lambda _index: self.preview())  # Enter, double click
        self.year.year_changed.connect(lambda _y: self._mark_stale())
        for edit in (self.on, self.start, self.end):
            edit.dateChanged.connect(lambda _d: self._mark_stale())
        self.setTabOrder(self.list, self.year)
        self.setTabOrder(self.year, self.on)
        self.setTabOrder(self.on, self.start)
        self.setTabOrder(self.start, self.end)
        self.setTabOrder(self.end, self.preview_button)
        self.setTabOrder(self.preview_button, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.xlsx_button)
        self.setTabOrder(self.xlsx_button, self.files.open_file_button)
        self.setTabOrder(self.files.open_file_button, self.files.open_folder_button)
        self.setTabOrder(self.files.open_folder_button, self.views)
        self.setTabOrder(self.views, self.table)
        self.list.setCurrentRow(0)
        self._choice_changed()

    # -- the LaporanView protocol ------------------------------------------------------------

    def refresh(self) -> None:
        """Offer the book's years; a preview on screen is built again (the books may have moved)."""
        self.year.blockSignals(True)
        self.year.set_span(actions.read(self.ctx, year_span), keep=self._span_loaded)
        self.year.blockSignals(False)
        self._span_loaded = True
        if self.previewed is not None:
            self._start(self.previewed)

    def show_year(self, year: int) -> None:
        self.year.set_value(year)

    # -- what is asked for -------------------------------------------------------------------

    def key(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else MEMBERS

    def choose(self, key: str) -> None:
        self.list.setCurrentRow(ORDER.index(key))

    def request(self) -> TableRequest:
        key = self.key()
        needs = NEEDS[key]
        if needs == YEAR:
            return TableRequest(key, year=self.year.value())
        if needs == ON:
            return TableRequest(key, on=self.on.value())
        return TableRequest(key, start=self.start.value(), end=self.end.value())

    def _choice_changed(self) -> None:
        key = self.key()
        needs = NEEDS[key]
        for widgets, shown in (
            ((self.year_label, self.year), needs == YEAR),
            ((self.on_label, self.on), needs == ON),
            ((self.start_label, self.start, self.end_label, self.end), needs == PERIOD),
        ):
            for widget in widgets:
                widget.setVisible(shown)
        choice = next(c for c in self.choices if c.key == key)
        self.description.setText(choice.description)
        self._mark_stale()

    def _what(self, request: TableRequest) -> str:
        """ "Daftar anggota tahun buku 2025", "Buku kas 01/01/2025 s.d. 31/01/2025"."""
        tr = self.tr
        title = next(c.title for c in self.choices if c.key == request.key)
        if request.on is not None:
            return tr("%1 per %2").replace("%1", title).replace("%2", dates.format_date(request.on))
        if request.start is not None and request.end is not None:
            return (
                tr("%1 %2 s.d. %3")
                .replace("%1", title)
                .replace("%2", dates.format_date(request.start))
                .replace("%3", dates.format_date(request.end))
            )
        return tr("%1 tahun buku %2").replace("%1", title).replace("%2", str(request.year))

    # -- the preview -------------------------------------------------------------------------

    def preview(self) -> None:
        """Build the chosen report in the background; the table shows it when it is ready."""
        self._start(self.request())

    def _start(self, request: TableRequest) -> None:
        self._pending = request
        self.busy_label.setText(
            self.tr("Menyusun pratinjau %1...").replace("%1", self._what(request))
        )
        self.busy_box.show()
        self.preview_button.setEnabled(False)
        work: Callable[..., TableReport] = lambda session, _progress: build_table(  # noqa: E731
            session, request
        )
        self.loader.start(work)

    def loaded(self) -> bool:
        """True when the preview shown is the one last asked for (tests wait on this)."""
        return not self.loader.busy() and self.report is not None

    def _loaded(self, report: TableReport) -> None:
        self.busy_box.hide()
        self.preview_button.setEnabled(True)
        self.previewed = self._pending
        self.show_report(report)

    def _failed(self, error: DomainError) -> None:
        self.busy_box.hide()
        self.preview_button.setEnabled(True)
        actions.show_refusal(self, error)

    def show_report(self, report: TableReport) -> None:
        self.report = report
        self.model.set_report(report)
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for index, column in enumerate(report.columns):
            if column.wrap and header.sectionSize(index) > 320:
                header.resizeSection(index, 320)
        self.views.setCurrentIndex(0)
        self._show_summary()

    def _show_summary(self) -> None:
        report = self.report
        if report is None:
            return
        tr = self.tr
        lines = [f"<b>{_html(report.title)}</b> · {_html(report.period)}"]
        if report.provisional:
            lines.append("<b>" + tr("Belum tutup buku: angka sementara, dapat berubah.") + "</b>")
        lines += [_html(line) for line in report.summary]
        if self.previewed is not None and self.previewed != self.request():
            lines.append(
                "<i>" + tr("Pilihan sudah diubah; tekan Pratinjau (F5) untuk memperbarui.") + "</i>"
            )
        self.summary.setText("<br/>".join(lines))

    def _mark_stale(self) -> None:
        if self.report is not None:
            self._show_summary()

    # -- making the files --------------------------------------------------------------------

    def generate(self, kind: str) -> Made | None:
        request = self.request()
        if NEEDS[request.key] == YEAR and not request.year:
            return None
        tr = self.tr
        what = self._what(request)
        book_path = self.ctx.book.path
        folder = report_files.reports_dir()
        work: Callable[[Progress], Made] = lambda progress: report_files.make_table_file(  # noqa: E731
            book_path, request, kind, folder, progress
        )
        ok, made = run_with_progress(
            self,
            tr("Daftar dan rekap"),
            (tr("Membuat PDF %1...") if kind == PDF else tr("Membuat Excel %1...")).replace(
                "%1", what
            ),
            work,
        )
        if not ok:
            return None
        self.show_made(made, request)
        return made  # type: ignore[no-any-return]

    def show_made(self, made: Made, request: TableRequest | None = None) -> None:
        self.made = made
        self.files.show_made(made)
        if made.report is not None:  # the numbers of the file just made
            self.previewed = request
            self.show_report(made.report)
        self._show_pages(made.path if made.kind == PDF else None)

    @property
    def page_labels(self) -> list[QLabel]:
        return self.pages.page_labels

    def _show_pages(self, pdf: Path | None) -> None:
        self.pages.show_pdf(pdf)
        self.views.setTabEnabled(1, pdf is not None)
        if pdf is None:
            return
        self.views.setCurrentIndex(1)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
