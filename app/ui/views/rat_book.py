"""Laporan → Buku RAT: the RAT book (PDF), the RAT workbook (Excel) and the Dinas workbook.

Each is built and rendered in a worker thread (its own engine and read session)
behind a progress dialog that can be cancelled, so the window never freezes.
Files go to ``<data dir>/laporan`` as ``RAT_<Koperasi>_<Tahun>.pdf`` (and
``.xlsx``) and ``Laporan_Tahunan_<Koperasi>_<Tahun>.xlsx``; a PDF shows its
first pages. A refusal (a Dinas check that fails, a year not yet begun) is
shown through ``actions.show_refusal`` and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import make_engine, make_sessions, read_session
from app.queries.year_end import year_span
from app.ui import actions, report_files
from app.ui.context import AppContext
from app.ui.report_files import Made, MadeBar, PdfPages, pdf_pages, safe_name, write_atomic
from app.ui.safety import Progress, run_with_progress
from app.ui.widgets.year_picker import YearPicker

PDF, XLSX, DINAS = "pdf", "xlsx", "dinas"
PREVIEW_DPI = 60
PREVIEW_PAGES = 4
_BUILD_STEPS = 5  # the progress lines of build_rat_book
_SCALE = 100  # the progress bar: building takes the first quarter, rendering the rest


def rat_file_name(cooperative: str, year: int, suffix: str) -> str:
    return f"RAT_{safe_name(cooperative)}_{year}.{suffix}"


def make_report(book_path: Path, year: int, kind: str, folder: Path, progress: Progress) -> Made:
    """Build and render one report in the calling (worker) thread; returns the saved file."""
    from app.reports.build_rat import build_rat_book

    steps = [0]

    def built(_what: str) -> None:
        steps[0] += 1
        progress(min(steps[0], _BUILD_STEPS) * (_SCALE // 4) // _BUILD_STEPS, _SCALE)

    def rendered(done: int, total: int) -> None:
        share = (_SCALE * 3 // 4) * min(done, total) // max(total, 1)
        progress(_SCALE // 4 + share, _SCALE)

    progress(0, _SCALE)
    engine = make_engine(book_path)
    try:
        with read_session(make_sessions(engine)) as session:
            data = build_rat_book(session, year, progress=built, charts=kind == PDF)
    finally:
        engine.dispose()
    name = data.profile.name or "Koperasi"
    pages = 0
    if kind == PDF:
        from app.reports.pdf.rat_book import render_rat_book

        content = render_rat_book(data, progress=rendered)
        file_name = rat_file_name(name, year, "pdf")
        pages = pdf_pages(content)
    elif kind == XLSX:
        from app.reports.xlsx.rat_workbook import render_rat_workbook

        content = render_rat_workbook(data)
        file_name = rat_file_name(name, year, "xlsx")
    else:
        from app.reports.build_dinas import dinas_report
        from app.reports.xlsx.dinas_workbook import render_dinas_workbook

        report = dinas_report(data)
        content = render_dinas_workbook(report)  # a failed check refuses (DomainError)
        file_name = report.filename
    progress(_SCALE - 1, _SCALE)
    path = write_atomic(folder / file_name, content)
    return Made(kind, path, pages, data.closed)


class RatBookTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        tr = self.tr

        title = QLabel("<h2>" + tr("Buku RAT dan laporan tahunan") + "</h2>")
        self.year = YearPicker()
        year_label = QLabel(tr("Ta&hun buku:"))
        year_label.setBuddy(self.year)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)

        self.pdf_button = QPushButton(tr("Buat buku &RAT (PDF)"))
        self.xlsx_button = QPushButton(tr("Buat buku &kerja Excel"))
        self.dinas_button = QPushButton(tr("Laporan &Dinas (Excel)"))
        self.pdf_button.setDefault(True)
        self.pdf_button.clicked.connect(lambda: self.generate(PDF))
        self.xlsx_button.clicked.connect(lambda: self.generate(XLSX))
        self.dinas_button.clicked.connect(lambda: self.generate(DINAS))
        buttons = QHBoxLayout()
        for button in (self.pdf_button, self.xlsx_button, self.dinas_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        hint = QLabel(
            tr(
                "Buku RAT berisi sampul, daftar isi, keanggotaan, laporan keuangan dengan tahun "
                "lalu, CALK, rekap simpanan dan pinjaman, kolektibilitas, pembagian SHU per "
                "anggota, daftar anggota dan lembar tanda tangan pengurus dan pengawas. Nama "
                "pengurus dan pengawas diambil dari Pengaturan."
            )
        )
        hint.setWordWrap(True)

        self.files = MadeBar(self)
        # The tests and the keyboard reach these through the tab, as before.
        self.status = self.files.status
        self.open_file_button = self.files.open_file_button
        self.open_folder_button = self.files.open_folder_button
        self.preview = PdfPages(dpi=PREVIEW_DPI, pages=PREVIEW_PAGES)
        self.preview.setMinimumHeight(300)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.files)
        layout.addWidget(self.preview, 1)

    # -- the LaporanView protocol ------------------------------------------------------------

    def refresh(self) -> None:
        self.year.set_span(actions.read(self.ctx, year_span))

    def show_year(self, year: int) -> None:
        self.year.set_value(year)

    # -- making the reports -------------------------------------------------------------------

    def generate(self, kind: str) -> Made | None:
        year = self.year.value()
        if not year:
            return None
        tr = self.tr
        what = {
            PDF: tr("buku RAT (PDF)"),
            XLSX: tr("buku kerja RAT (Excel)"),
            DINAS: tr("laporan tahunan untuk Dinas Koperasi"),
        }[kind]
        book_path = self.ctx.book.path
        folder = report_files.reports_dir()
        work: Callable[[Progress], Made] = lambda progress: make_report(  # noqa: E731
            book_path, year, kind, folder, progress
        )
        ok, made = run_with_progress(
            self,
            tr("Laporan tahun buku %1").replace("%1", str(year)),
            tr("Menyusun %1 tahun buku %2...").replace("%1", what).replace("%2", str(year)),
            work,
        )
        if not ok:
            return None
        self.show_made(made)
        return made  # type: ignore[no-any-return]

    @property
    def made(self) -> Made | None:
        return self.files.made

    @property
    def page_labels(self) -> list[QLabel]:
        return self.preview.page_labels

    def show_made(self, made: Made) -> None:
        self.files.show_made(made)
        self.preview.show_pdf(made.path if made.kind == PDF else None)
