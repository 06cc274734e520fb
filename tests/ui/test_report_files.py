"""Report files are whole or absent: a refused rename, a cancel while rendering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.book import Book
from app.errors import FileNotSaved
from app.reports.build_tables import MEMBERS, TableRequest
from app.ui import report_files
from app.ui.views import rat_book
from tests.reports.test_report_builders import build_small_book

pytestmark = pytest.mark.usefixtures("fixed_today")


class Stop(Exception):
    pass


def _stop_after(share: float) -> report_files.Progress:
    """A progress callback that cancels once the work is ``share`` done (as the dialog does)."""

    def progress(done: int, total: int) -> None:
        if done >= share * total:
            raise Stop

    return progress


def test_a_file_that_cannot_be_replaced_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "laporan" / "Daftar.pdf"

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileNotSaved, match="Tutup file itu"):
        report_files.write_atomic(target, b"%PDF-1.4 ...")
    assert list(target.parent.iterdir()) == []


def test_write_atomic_replaces_a_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "Daftar.pdf"
    target.write_bytes(b"old")
    report_files.write_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["Daftar.pdf"]


@pytest.mark.parametrize("kind", [report_files.PDF, report_files.XLSX])
def test_a_cancel_while_rendering_a_table_report_saves_nothing(
    book: Book, tmp_path: Path, kind: str
) -> None:
    build_small_book(book)
    folder = tmp_path / "laporan"
    with pytest.raises(Stop):
        report_files.make_table_file(
            book.path, TableRequest(MEMBERS, 2025), kind, folder, _stop_after(0.5)
        )
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_cancel_while_rendering_the_rat_book_saves_nothing(book: Book, tmp_path: Path) -> None:
    build_small_book(book)
    folder = tmp_path / "laporan"
    with pytest.raises(Stop):
        rat_book.make_report(book.path, 2025, rat_book.PDF, folder, _stop_after(0.5))
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_long_saved_path_does_not_widen_the_window(qtbot: object) -> None:
    bar = report_files.MadeBar()
    qtbot.addWidget(bar)  # type: ignore[attr-defined]
    before = bar.minimumSizeHint().width()
    long_path = Path(
        "/home/bendahara/.local/share/Lumbung/laporan/"
        "Buku_Kas_Koperasi_Desa_Merah_Putih_Sukamaju_01-01-2025_sd_31-01-2025.pdf"
    )
    bar.show_made(report_files.Made("pdf", long_path, 3, False))
    assert bar.minimumSizeHint().width() == before
    assert str(long_path) in bar.status.text() and bar.status.toolTip() == str(long_path)
