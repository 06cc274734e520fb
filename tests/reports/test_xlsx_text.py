"""Text that begins with "=" stays text in every workbook (a memo, an oddly typed name)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from app.reports.build_tables import MONEY, TEXT, Column, TableReport
from app.reports.xlsx import _sheets
from app.reports.xlsx.table_workbook import render_table_workbook

MEMO = "=Setoran dari Bu Siti"


def _cells(content: bytes) -> list[tuple[object, str]]:
    wb = load_workbook(io.BytesIO(content))
    return [
        (cell.value, cell.data_type)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == MEMO or (isinstance(cell.value, str) and cell.value.startswith("=S"))
    ]


def test_a_table_report_keeps_an_equals_sign_as_text() -> None:
    report = TableReport(
        key="kas",
        title="Buku Kas",
        period="Januari 2025",
        organisation="Koperasi Uji",
        columns=(Column("Uraian", TEXT, wrap=True), Column("Masuk", MONEY)),
        rows=((MEMO, 20_000), ("Setoran biasa", 5_000)),
        generated_on=date(2025, 1, 31),
    )
    assert _cells(render_table_workbook(report)) == [(MEMO, "s")]


def test_a_machine_readable_sheet_keeps_an_equals_sign_as_text() -> None:
    wb = _sheets.new_workbook()
    meta = _sheets.SheetMeta("Koperasi Uji", 2025, closed=True)
    _sheets.table_sheet(wb, "Mutasi", ["Uraian", "Jumlah"], [(MEMO, 1), ("biasa", 2)], meta)
    assert _cells(_sheets.to_bytes(wb)) == [(MEMO, "s")]
