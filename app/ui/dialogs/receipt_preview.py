"""Receipt preview: the kwitansi PDF as page images, then print, save or open it.

The PDF stays in memory (bytes) until the treasurer saves or opens it, so no
stray temporary files are left in the office PC's temp folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import book
from app.errors import DomainError
from app.queries.receipts import Receipt, receipt
from app.reports.pdf.receipt import render_receipts
from app.ui.actions import read, run_action
from app.ui.context import AppContext

PREVIEW_DPI = 100
PRINT_DPI = 300


def iter_page_images(pdf: bytes, dpi: int, *, grayscale: bool = False) -> Iterator[QImage]:
    """Each page of ``pdf`` as a QImage at ``dpi``, one at a time (pypdfium2; no QtPdf here).

    One at a time matters for printing: an A4 page at 300 dpi is 8,7 MB even in grey.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                if grayscale:
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                else:
                    bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
                fmt = (
                    QImage.Format.Format_Grayscale8
                    if bitmap.n_channels == 1
                    else QImage.Format.Format_RGBX8888
                )
                data = bytes(bitmap.buffer)
                # copy(): the QImage must own its pixels once `data` goes away.
                image = QImage(data, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
                bitmap.close()
            finally:
                page.close()
            yield image
    finally:
        document.close()


def render_page_images(pdf: bytes, dpi: int, *, grayscale: bool = False) -> list[QImage]:
    return list(iter_page_images(pdf, dpi, grayscale=grayscale))


def suggested_name(receipts: Sequence[Receipt]) -> str:
    first = receipts[0].number
    if len(receipts) == 1:
        name = f"Kwitansi {first} {receipts[0].member_name}".strip()
    else:
        name = f"Kwitansi {first} dst ({len(receipts)} lembar)"
    return re.sub(r'[\\/:*?"<>|]+', "-", name) + ".pdf"


class ReceiptPreview(QDialog):
    """Pages of the receipt PDF, with Cetak (Ctrl+P), Simpan PDF, Buka PDF and Tutup (Esc)."""

    def __init__(
        self, pdf: bytes, file_name: str, parent: QWidget | None = None, *, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.saved_path: str | None = None
        self.setWindowTitle(title or self.tr("Pratinjau kwitansi"))
        self.resize(900, 760)

        self.pages = render_page_images(pdf, PREVIEW_DPI)
        holder = QWidget()
        holder.setObjectName("pages")
        holder.setStyleSheet("#pages { background: #8a8f96; }")
        column = QVBoxLayout(holder)
        column.setSpacing(14)
        column.setContentsMargins(16, 16, 16, 16)
        self.page_labels: list[QLabel] = []
        for image in self.pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.page_labels.append(label)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(holder)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        count = len(self.pages)
        self.info = QLabel(
            self.tr(
                "%1 halaman A4 · dua kwitansi per halaman, potong pada garis putus-putus"
            ).replace("%1", str(count))
        )
        self.print_button = QPushButton(self.tr("&Cetak... (Ctrl+P)"))
        self.save_button = QPushButton(self.tr("&Simpan PDF..."))
        self.open_button = QPushButton(self.tr("&Buka PDF"))
        self.close_button = QPushButton(self.tr("&Tutup"))
        for button in (self.save_button, self.open_button, self.close_button):
            button.setAutoDefault(False)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_pdf)
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.reject)
        print_action = QAction(self)
        print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        print_action.triggered.connect(self.print_pdf)
        self.addAction(print_action)

        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for button in (self.print_button, self.save_button, self.open_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages_area, 1)
        layout.addLayout(buttons)
        self.print_button.setFocus()

    # -- actions -----------------------------------------------------------------

    def print_pdf(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setDocName(self.file_name.removesuffix(".pdf"))
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Cetak kwitansi"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.paint_to(printer)
        return True

    def paint_to(self, printer: QPrinter) -> None:
        """Each page rendered at 300 dpi in grey, scaled to the paper (the PDF has its margins)."""
        images = iter_page_images(self.pdf, PRINT_DPI, grayscale=True)
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            for index, image in enumerate(images):
                if index:
                    printer.newPage()
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                scale = min(paper.width() / image.width(), paper.height() / image.height())
                width, height = image.width() * scale, image.height() * scale
                target = QRectF(
                    paper.x() + (paper.width() - width) / 2,
                    paper.y() + (paper.height() - height) / 2,
                    width,
                    height,
                )
                painter.drawImage(target, image)
        finally:
            painter.end()

    def save_pdf(self) -> str | None:
        start = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Simpan kwitansi sebagai PDF"),
            f"{start}/{self.file_name}",
            self.tr("Dokumen PDF (*.pdf)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"

        def write() -> str:
            return self._write(path)

        return run_action(self, write)

    def open_pdf(self) -> str | None:
        folder = book.data_dir() / "kwitansi"
        path = run_action(self, lambda: self._write(str(folder / self.file_name)))
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        return path

    def _write(self, path: str) -> str:
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.pdf)
        except OSError as exc:
            raise DomainError(
                f"Kwitansi tidak dapat disimpan ke {target}: {exc.strerror or exc}. "
                "Pilih folder lain atau tutup file itu jika sedang dibuka."
            ) from exc
        self.saved_path = str(target)
        return str(target)


def preview(parent: QWidget | None, receipts: Sequence[Receipt]) -> ReceiptPreview:
    """Build (but do not show) the preview for already loaded receipts."""
    pdf = render_receipts(receipts)
    dialog = ReceiptPreview(pdf, suggested_name(receipts), parent)
    if len(receipts) > 1:
        dialog.setWindowTitle(dialog.tr("Pratinjau %1 kwitansi").replace("%1", str(len(receipts))))
    else:
        dialog.setWindowTitle(dialog.tr("Pratinjau kwitansi %1").replace("%1", receipts[0].number))
    return dialog


def show_receipts(ctx: AppContext, parent: QWidget | None, entry_ids: Sequence[int]) -> None:
    """Render the receipts of ``entry_ids`` (in that order) and show them to print or save."""
    ids = [int(i) for i in entry_ids if i]
    if not ids:
        return
    receipts = run_action(parent, lambda: read(ctx, lambda s: [receipt(s, i) for i in ids]))
    if not receipts:
        return
    preview(parent, receipts).exec()


def show_receipt(ctx: AppContext, parent: QWidget | None, entry_id: int) -> None:
    show_receipts(ctx, parent, [entry_id])
