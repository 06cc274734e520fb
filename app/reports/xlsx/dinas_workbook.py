"""The district office workbook (DOMAIN.md 8): ``Data_Koperasi`` plus the statements.

``render_dinas_workbook`` refuses (``ReportCheckFailed``, a DomainError that
lists every failed check) a report whose statements do not tie out: total
assets = liabilities + equity, cash flow = change in cash, member counts add
up. A workbook that fails is never produced, so never silently sent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.reports.build_dinas import PEOPLE, PERCENT, RUPIAH, DinasReport
from app.reports.checks import require
from app.reports.xlsx._sheets import (
    AMOUNT,
    BOLD,
    DATE,
    HEADER_BORDER,
    HEADER_FILL,
    SheetMeta,
    balance_sheet_sheet,
    cash_flow_sheet,
    equity_sheet,
    income_sheet,
    kolektibilitas_sheet,
    new_workbook,
    print_setup,
    set_widths,
    to_bytes,
)

DATA_KOPERASI = "Data_Koperasi"
DATA_HEADERS = ("Data", "Nilai", "Satuan", "Kode")
STATEMENT_SHEETS = ("Neraca", "Hasil_Usaha", "Perubahan_Ekuitas", "Arus_Kas", "Kolektibilitas")


def render_dinas_workbook(report: DinasReport) -> bytes:
    """The Dinas workbook as .xlsx bytes; refused when a check fails."""
    require(f"Laporan tahunan {report.year} untuk Dinas Koperasi", report.checks)
    meta = SheetMeta(report.profile.name or "Koperasi", report.year, report.closed)
    wb = new_workbook()
    ws = wb.create_sheet(DATA_KOPERASI)
    ws.append(list(DATA_HEADERS))
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
    for field in report.fields:
        value = field.value
        ws.append([field.label, value, field.unit or None, field.key])
        cell = ws.cell(ws.max_row, 2)
        if isinstance(value, date):
            cell.number_format = DATE
        elif field.unit == PERCENT and isinstance(value, Decimal):
            cell.number_format = "0.00"
        elif field.key == "tahun_buku":
            cell.number_format = "0"
        elif field.unit in (RUPIAH, PEOPLE) or isinstance(value, int):
            cell.number_format = AMOUNT
    ws.freeze_panes = "A2"
    set_widths(ws, [42, 46, 9, 28])
    print_setup(ws, meta)
    st = report.statements
    neraca, hasil, ekuitas, arus, kolektibilitas = STATEMENT_SHEETS
    balance_sheet_sheet(wb, neraca, meta, st.balance_sheet)
    income_sheet(wb, hasil, meta, st.income_statement)
    equity_sheet(wb, ekuitas, meta, st.equity_statement)
    cash_flow_sheet(wb, arus, meta, st.cash_flow)
    kolektibilitas_sheet(wb, kolektibilitas, meta, report.kolektibilitas)
    return to_bytes(wb)
