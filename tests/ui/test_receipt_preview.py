"""Receipt preview: pages as images, save the kept PDF bytes, print by painting page images."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.book import Book
from app.db import read_session, unit_of_work
from app.queries.receipts import receipt
from app.services import members, savings
from app.ui.dialogs import receipt_preview
from app.ui.dialogs.receipt_preview import ReceiptPreview

USER = "bendahara"


@pytest.fixture
def dialog(qtbot: QtBot, book: Book, fixed_today: date) -> ReceiptPreview:
    with unit_of_work(book.sessions) as session:
        data = members.MemberInput(nik="3216011205800001", name="Asep Sunarya", sex="L")
        asep = members.register(session, data, joined_on=date(2025, 6, 3), by=USER).member_id
        posted = [
            savings.deposit(
                session, asep, {"sukarela": 10_000 * (i + 1)}, on=date(2025, 12, 1), by=USER
            )
            for i in range(3)
        ]
    with read_session(book.sessions) as session:
        receipts = [receipt(session, p.id) for p in posted]
    preview = receipt_preview.preview(None, receipts)
    qtbot.addWidget(preview)
    return preview


def test_three_receipts_make_two_pages(dialog: ReceiptPreview) -> None:
    assert len(dialog.page_labels) == 2
    pixmap = dialog.page_labels[0].pixmap()
    assert 800 <= pixmap.width() <= 840  # A4 at 100 dpi
    assert dialog.pdf.startswith(b"%PDF")
    assert dialog.file_name.startswith("Kwitansi ST-2025-")
    assert dialog.file_name.endswith("(3 lembar).pdf")


def test_save_writes_the_kept_pdf(
    dialog: ReceiptPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "arsip" / "kwitansi"
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.QFileDialog.getSaveFileName",
        lambda *_a, **_k: (str(target), "PDF"),
    )
    saved = dialog.save_pdf()
    assert saved == str(target) + ".pdf"
    assert Path(saved).read_bytes() == dialog.pdf


def test_open_saves_under_the_data_dir_and_opens(
    dialog: ReceiptPreview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("app.book.data_dir", lambda: tmp_path)
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    path = dialog.open_pdf()
    assert path is not None and Path(path).parent == tmp_path / "kwitansi"
    assert opened == [path]


def test_printing_paints_every_page(dialog: ReceiptPreview, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setFullPage(True)
    dialog.paint_to(printer)
    assert out.stat().st_size > 10_000
    assert out.read_bytes().count(b"/Type /Page\n") + out.read_bytes().count(b"/Type /Page ") >= 1
