"""Report files on disk, shared by the Laporan tabs: where they go, how they are named and
written, and the "Disimpan: ... / Buka file / Buka folder" row shown after one is made.

``make_table_file`` builds and renders one ``TableReport`` (daftar anggota, rekap
simpanan/pinjaman, tunggakan, buku kas) in the calling worker thread, on its
own engine and read session, and saves it whole or not at all.
"""

from __future__ import annotations

import os
import re
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from app import book as book_module
from app.db import make_engine, make_sessions, read_session
from app.errors import FileNotSaved
from app.reports.build_tables import TableReport, TableRequest, build_table
from app.ui.safety import Progress

PDF, XLSX = "pdf", "xlsx"
_SCALE = 100  # the progress bar: building takes the first third, rendering the rest


def reports_dir() -> Path:
    """Where the reports are saved (a module function, so tests can point it elsewhere)."""
    return book_module.data_dir() / "laporan"


def open_url(url: QUrl) -> bool:
    """Open a file or folder in the system's program (tests replace this)."""
    return bool(QDesktopServices.openUrl(url))


def safe_name(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_") or "Koperasi"


@dataclass(frozen=True)
class Made:
    kind: str
    path: Path
    pages: int  # PDF pages, 0 for a workbook
    closed: bool  # False: the year is not closed yet ("belum tutup buku")
    report: TableReport | None = field(default=None, repr=False)  # what a table file shows


def write_atomic(path: Path, data: bytes) -> Path:
    """Whole or not at all: a temporary file beside it, flushed to the disk, then a rename.

    A file that cannot be replaced (on Windows: still open in a PDF viewer or in Excel)
    is refused with what to do, and the temporary file is removed.
    """
    partial = path.with_name(f".{path.name}.sebagian")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, PermissionError):
            raise FileNotSaved(
                f"File {path.name} tidak dapat ditulis: mungkin sedang terbuka di program lain "
                "(pembaca PDF atau Excel). Tutup file itu, lalu buat laporan lagi."
            ) from exc
        raise FileNotSaved(
            f"File {path.name} tidak dapat disimpan di {path.parent}: {exc.strerror or exc}. "
            "Periksa ruang disk dan izin folder, lalu coba lagi."
        ) from exc
    return path


def pdf_pages(content: bytes) -> int:
    document = pdfium.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


def table_file_name(report: TableReport, suffix: str) -> str:
    """``Daftar_Anggota_<Koperasi>_2025.pdf``,
    ``Buku_Kas_<Koperasi>_01-01-2025_sd_31-01-2025.xlsx``."""
    return f"{report.file_base}_{safe_name(report.organisation)}_{report.file_period}.{suffix}"


def build_in_thread(book_path: Path, request: TableRequest) -> TableReport:
    """The report's data on its own engine and read session (for a worker thread)."""
    engine = make_engine(book_path)
    try:
        with read_session(make_sessions(engine)) as session:
            return build_table(session, request)
    finally:
        engine.dispose()


def make_table_file(
    book_path: Path, request: TableRequest, kind: str, folder: Path, progress: Progress
) -> Made:
    """Build, render and save one table report in the calling (worker) thread."""
    progress(0, _SCALE)
    report = build_in_thread(book_path, request)
    progress(_SCALE // 3, _SCALE)

    def rendered(done: int, total: int) -> None:
        share = (_SCALE * 2 // 3 - 1) * min(done, total) // max(total, 1)
        progress(_SCALE // 3 + share, _SCALE)

    pages = 0
    if kind == PDF:
        from app.reports.pdf.table_report import render_table_report

        content = render_table_report(report, progress=rendered)
        pages = pdf_pages(content)
    else:
        from app.reports.xlsx.table_workbook import render_table_workbook

        content = render_table_workbook(report, progress=rendered)
    progress(_SCALE - 1, _SCALE)
    path = write_atomic(folder / table_file_name(report, kind), content)
    return Made(kind, path, pages, not report.provisional, report)


class MadeBar(QWidget):
    """ "Disimpan: <path> · 3 halaman A4" with "Buka file" and "Buka folder"."""

    def __init__(self, parent: QWidget | None = None, *, hide_until_made: bool = False) -> None:
        super().__init__(parent)
        tr = self.tr
        self.made: Made | None = None
        self.hide_until_made = hide_until_made
        self.status = QLabel(tr("Belum ada file yang dibuat."))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A saved file's path is one long word; it must not widen the window past the
        # screen (it wraps where it can, the tooltip and "Buka folder" give the rest).
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(120)
        self.open_file_button = QPushButton(tr("Buka f&ile"))
        self.open_folder_button = QPushButton(tr("Buka f&older"))
        for button in (self.open_file_button, self.open_folder_button):
            button.setAutoDefault(False)
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_file_button.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.open_file_button)
        layout.addWidget(self.open_folder_button)
        if hide_until_made:
            self.hide()

    def show_made(self, made: Made) -> None:
        self.made = made
        tr = self.tr
        text = tr("Disimpan: %1").replace("%1", str(made.path))
        if made.pages:
            text += " · " + tr("%1 halaman A4").replace("%1", str(made.pages))
        if not made.closed:
            text += " · " + tr("tahun buku belum tutup buku")
        self.status.setText(text)
        self.status.setToolTip(str(made.path))
        self.open_file_button.setEnabled(True)
        self.show()

    def open_file(self) -> None:
        if self.made is not None:
            open_url(QUrl.fromLocalFile(str(self.made.path)))

    def open_folder(self) -> None:
        folder = self.made.path.parent if self.made is not None else reports_dir()
        folder.mkdir(parents=True, exist_ok=True)
        open_url(QUrl.fromLocalFile(str(folder)))


class PdfPages(QScrollArea):
    """The first pages of a made PDF side by side on a grey desk, as they will print."""

    def __init__(self, parent: QWidget | None = None, *, dpi: int = 60, pages: int = 4) -> None:
        super().__init__(parent)
        self.dpi, self.pages = dpi, pages
        holder = QWidget()
        holder.setObjectName("pages")
        holder.setStyleSheet("#pages { background: #8a8f96; }")
        self.pages_row = QHBoxLayout(holder)
        self.pages_row.setContentsMargins(12, 12, 12, 12)
        self.pages_row.setSpacing(12)
        self.pages_row.addStretch(1)
        self.setWidget(holder)
        self.setWidgetResizable(True)
        self.page_labels: list[QLabel] = []

    def show_pdf(self, pdf: Path | None) -> None:
        """Show the first pages of ``pdf``; None clears the desk."""
        for label in self.page_labels:
            self.pages_row.removeWidget(label)
            label.deleteLater()
        self.page_labels = []
        if pdf is None:
            return
        from app.ui.dialogs.receipt_preview import iter_page_images

        images = iter_page_images(pdf.read_bytes(), self.dpi)
        with closing(images):  # type: ignore[type-var]  # a generator has close()
            for index, image in enumerate(images):
                if index >= self.pages:
                    break
                label = QLabel()
                label.setPixmap(QPixmap.fromImage(image))
                self.pages_row.insertWidget(index, label, 0, Qt.AlignmentFlag.AlignTop)
                self.page_labels.append(label)
