"""Long tables: cells wrapped to their column, no row taller than a page, no spill."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.build_tables import MONEY, TEXT, Column, TableReport
from app.reports.pdf.long_table import CELL_SIDE, ELLIPSIS, MAX_LINES, wrap_text
from app.reports.pdf.style import FONT, register_fonts
from app.reports.pdf.table_report import render_table_report

WIDTH = 60.0  # points: a narrow column (Pekerjaan in the RAT member list is ~62)
SIZE = 7.2


def _lines(text: str) -> list[str]:
    register_fonts()
    return wrap_text(text, WIDTH, SIZE).split("\n")


def _fits(line: str) -> bool:
    return stringWidth(line, FONT, SIZE) <= WIDTH - 2 * CELL_SIDE


def test_words_wider_than_the_column_are_broken_inside() -> None:
    for text in ("Pedagang/Wiraswasta", "Perum.GriyaAsri-BlokC12/No.7,Kel.Sukamaju"):
        lines = _lines(text)
        assert len(lines) >= 2
        assert all(_fits(line) for line in lines), lines
        assert "".join(lines) == text.replace(" ", "")


def test_ordinary_text_wraps_at_spaces_and_keeps_every_word() -> None:
    text = "Kp. Sukamaju Tonggoh RT 008/RW 003 Dusun Sukamaju"
    lines = _lines(text)
    assert all(_fits(line) for line in lines)
    assert " ".join(lines).split() == text.split()


def test_a_cell_stops_at_max_lines_with_an_ellipsis() -> None:
    lines = _lines("Jalan Raya Cikadu " * 200)
    assert len(lines) == MAX_LINES
    assert lines[-1].endswith(ELLIPSIS) and all(_fits(line) for line in lines)
    assert len(_lines("Jalan Raya Cikadu")) < MAX_LINES  # short text is not cut


def test_an_address_longer_than_a_page_does_not_stop_the_report() -> None:
    huge = "Blok C nomor 12 " * 700  # about 11.000 characters, as a bad paste
    rows = tuple((f"{n:04d}", huge if n == 2 else f"Alamat {n}", n * 1_000) for n in range(1, 80))
    report = TableReport(
        key="anggota",
        title="Daftar Uji",
        period="Tahun Buku 2025",
        organisation="Koperasi Uji",
        columns=(Column("No."), Column("Alamat", TEXT, wrap=True), Column("Saldo", MONEY)),
        rows=rows,
        totals=(("", "Jumlah", sum(r[2] for r in rows)),),
        generated_on=date(2025, 12, 31),
    )
    pages = [
        p.extract_text() or "" for p in PdfReader(io.BytesIO(render_table_report(report))).pages
    ]
    text = "\n".join(pages)
    for number, _address, _amount in rows:
        assert number in text
    assert ELLIPSIS in text
    assert "3.160.000" in pages[-1]  # the total, once, at the end
