"""A ``TableReport`` (daftar anggota, rekap simpanan/pinjaman, tunggakan, buku kas) as a workbook.

One sheet: the cooperative, the title, the period (and "belum tutup buku" for a
year not yet closed) in the first rows, then the header row(s), the rows and
the bold total rows. Rupiah and counts are ``int`` with ``#,##0``, rates are
numbers with a percent format, dates are real dates; the header is frozen and
has an autofilter, columns have widths, and the print setup is A4 with the
header rows repeated on every printed page. Renders the dataclass, runs no query.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from app import __version__, dates
from app.reports.build_tables import DATE, MONEY, NUMBER, PERCENT, Column, Row, TableReport
from app.reports.xlsx._sheets import (
    AMOUNT,
    BOLD,
    COUNT,
    HEADER_BORDER,
    HEADER_FILL,
    ITALIC,
    TITLE,
    TOTAL_BORDER,
    a4_setup,
    fitted_widths,
    new_workbook,
    set_widths,
    to_bytes,
)
from app.reports.xlsx._sheets import DATE as DATE_FORMAT

Progress = Callable[[int, int], None]

PERCENT_FORMAT = "0.00%"
WRAP_WIDTH = 40  # characters: names, addresses and descriptions wrap beyond this
LANDSCAPE_FROM = 8  # columns: more than this prints landscape
_STEP = 250  # rows between progress reports

FORMATS = {MONEY: AMOUNT, NUMBER: COUNT, DATE: DATE_FORMAT, PERCENT: PERCENT_FORMAT}


def number_format(column: Column) -> str:
    return FORMATS.get(column.kind, "General")


def _sheet_title(report: TableReport) -> str:
    name = report.sheet_name or report.title
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    return name[:31]


def render_table_workbook(report: TableReport, progress: Progress | None = None) -> bytes:
    wb = new_workbook()
    ws = wb.create_sheet(_sheet_title(report))
    columns = report.columns
    last_col = get_column_letter(len(columns))
    total_steps = max(len(report.rows), 1)
    if progress is not None:
        progress(0, total_steps)

    heading: list[tuple[str, object]] = [
        (report.organisation, TITLE),
        (report.title, TITLE),
        (report.period, ITALIC),
    ]
    if report.provisional:
        heading.append((report.status, BOLD))
    heading += [(line, None) for line in report.summary]
    row = 1
    for text, font in heading:
        cell = ws.cell(row, 1, text)
        if font is not None:
            cell.font = font
        row += 1
    row += 1  # a blank row before the table

    first_header = row
    if report.has_groups:  # the group captions over their columns, merged; the others empty
        index = 0
        while index < len(columns):
            group = columns[index].group
            end = index
            while group and end + 1 < len(columns) and columns[end + 1].group == group:
                end += 1
            if group:
                cell = ws.cell(row, index + 1, group)
                cell.alignment = Alignment(horizontal="center", vertical="center")
                if end > index:
                    ws.merge_cells(
                        start_row=row, start_column=index + 1, end_row=row, end_column=end + 1
                    )
            index = end + 1
        for col in range(1, len(columns) + 1):
            target = ws.cell(row, col)
            target.font = BOLD
            target.fill = HEADER_FILL
            target.border = HEADER_BORDER
        row += 1
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row, col, column.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(
            horizontal="right" if column.numeric else "left", vertical="center", wrap_text=True
        )
    header_row = row
    row += 1
    ws.freeze_panes = ws.cell(row, 1)

    formats = [number_format(c) for c in columns]
    wraps = [c.wrap for c in columns]

    def write(values: Row, *, bold: bool = False, border: bool = False) -> None:
        nonlocal row
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, None if value == "" else value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula: Excel would refuse it
            fmt = formats[col - 1]
            if fmt != "General":
                cell.number_format = fmt
            if wraps[col - 1]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = BOLD
            if border:
                cell.border = TOTAL_BORDER
        row += 1

    for values in report.opening:
        write(values, bold=True)
    for done, values in enumerate(report.rows, start=1):
        write(values)
        if progress is not None and done % _STEP == 0:
            progress(done, total_steps)
    last_body = row - 1
    for number, values in enumerate(report.totals):
        write(values, bold=True, border=number == 0)

    if report.notes:
        row += 1
        for line in report.notes:
            ws.cell(row, 1, line).font = ITALIC
            row += 1
    row += 1
    ws.cell(
        row,
        1,
        f"Dibuat {dates.format_date(report.generated_on)} dengan Lumbung {__version__}",
    ).font = ITALIC

    if last_body > header_row:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{last_body}"
    all_rows = [*report.opening, *report.rows, *report.totals]
    widths = fitted_widths(all_rows, [c.title for c in columns])
    set_widths(
        ws, [min(w, WRAP_WIDTH) if wrap else w for w, wrap in zip(widths, wraps, strict=True)]
    )
    a4_setup(
        ws,
        report.organisation,
        landscape=len(columns) > LANDSCAPE_FROM,
        title_rows=f"{first_header}:{header_row}",
        header_right=f"{report.title} - {report.period}"
        + (" (belum tutup buku)" if report.provisional else ""),
    )
    if progress is not None:
        progress(total_steps, total_steps)
    return to_bytes(wb)
