"""Sheets shared by the RAT and the Dinas workbooks: statements and plain tables.

Renders dataclasses only, runs no query. Rupiah are written as ``int`` with a
``#,##0`` format (statements: ``#,##0;(#,##0);"-"``, DOMAIN.md 9), dates as
real dates, every sheet with its header rows frozen, column widths set and an
A4 print setup (fit to the page width, "Halaman X dari Y" in the footer).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.build_loans import KolektibilitasSummary
from app.reports.build_statements import (
    BalanceSheet,
    CashFlowStatement,
    EquityStatement,
    IncomeStatement,
    StatementLine,
    StatementSection,
)

AMOUNT = "#,##0"
STATEMENT = '#,##0;(#,##0);"-"'
DATE = "DD/MM/YYYY"
COUNT = "#,##0"

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")  # light grey: prints in black and white
THIN = Side(style="thin", color="000000")
HEADER_BORDER = Border(top=THIN, bottom=THIN)
TOTAL_BORDER = Border(top=THIN)
GRAND_BORDER = Border(top=THIN, bottom=Side(style="double", color="000000"))
WRAP = Alignment(wrap_text=True, vertical="top")

Cell = str | int | Decimal | date | None

# Column widths follow the first rows (and the headers); a long table looks the same below.
WIDTH_SAMPLE = 1000


@dataclass(frozen=True)
class SheetMeta:
    """What every sheet's heading and page header say."""

    organisation: str
    year: int
    closed: bool

    @property
    def status(self) -> str:
        return "" if self.closed else "BELUM TUTUP BUKU: angka sementara, dapat berubah"


def column_style(ws: Worksheet, number_format: str, alignment: Alignment | None = None) -> Any:
    """The style of a cell with ``number_format`` (and ``alignment``), to make every
    cell of a column with (``openpyxl.cell.Cell(ws, value=..., style_array=...)``)."""
    template = XlCell(ws)
    template.number_format = number_format
    if alignment is not None:
        template.alignment = alignment
    return template._style


def body_row(ws: Worksheet, values: Sequence[Cell], styles: Sequence[Any]) -> None:
    """Append one row of cells made with their column's style; text starting with
    "=" stays text (openpyxl would store a formula, which Excel refuses)."""
    cells = []
    for value, style in zip(values, styles, strict=True):
        cell = XlCell(ws, value=value, style_array=style)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        cells.append(cell)
    ws.append(cells)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def a4_setup(
    ws: Worksheet,
    header: str,
    *,
    landscape: bool = False,
    title_rows: str = "",
    header_right: str = "",
) -> None:
    """A4, fit to the page width, ``header`` at the top left of every printed page,
    "Halaman X dari Y" at the foot; ``title_rows`` ("5:6") repeat on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = _escape(header)
    ws.oddHeader.left.size = 8
    if header_right:
        ws.oddHeader.right.text = _escape(header_right)
        ws.oddHeader.right.size = 8
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.size = 8


def print_setup(
    ws: Worksheet, meta: SheetMeta, *, landscape: bool = False, title_rows: int = 1
) -> None:
    header = f"{meta.organisation} - Tahun Buku {meta.year}"
    if not meta.closed:
        header += " (belum tutup buku)"
    a4_setup(ws, header, landscape=landscape, title_rows=f"1:{title_rows}" if title_rows else "")


def _text_width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        text = f"{abs(value):,}"
        return len(text) + (2 if value < 0 else 0)
    if isinstance(value, Decimal):
        return len(f"{value:.2f}") + 1
    if isinstance(value, (date, datetime)):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def fitted_widths(
    rows: Sequence[Sequence[Cell]], headers: Sequence[str], *, cap: int = 45
) -> list[int]:
    """Column widths (characters) for the headers and the first ``WIDTH_SAMPLE`` rows."""
    widths = [len(h) for h in headers]
    for row in rows[:WIDTH_SAMPLE]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _text_width(value))
    return [min(max(w + 2, 6), cap) for w in widths]


def _fit_widths(
    ws: Worksheet,
    rows: Sequence[Sequence[Cell]],
    headers: Sequence[str],
    *,
    cap: int = 45,
) -> None:
    set_widths(ws, fitted_widths(rows, headers, cap=cap))


def _format_for(value: Cell) -> str:
    if isinstance(value, (date, datetime)):
        return DATE
    if isinstance(value, int) and not isinstance(value, bool):
        return AMOUNT
    return "General"


def table_sheet(
    wb: Workbook,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    meta: SheetMeta,
    *,
    formats: Sequence[str] | None = None,
    landscape: bool = False,
) -> Worksheet:
    """A machine-readable table: the header in row 1, one record per row, no totals."""
    ws = wb.create_sheet(name)
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    if formats is None:
        formats = [
            next((_format_for(r[i]) for r in rows if r[i] is not None), "General")
            for i in range(len(headers))
        ]
    # Each cell is made with its column's number format, in one pass: setting the
    # format afterwards walked every cell a second time (a third of the writing
    # of a 5.000-member book). Cells of one column share one style, as they would
    # after ``number_format`` anyway.
    styles = [None if f == "General" else column_style(ws, f) for f in formats]
    for row in rows:
        body_row(ws, row, styles)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    _fit_widths(ws, rows, headers)
    print_setup(ws, meta, landscape=landscape or len(headers) > 7)
    return ws


# -- presentation sheets ----------------------------------------------------------------


class _Writer:
    """Writes a titled statement: heading rows, a header row, then lines."""

    def __init__(
        self,
        wb: Workbook,
        name: str,
        meta: SheetMeta,
        title: str,
        period: str,
        columns: Sequence[str],
        *,
        label_width: float = 50,
        amount_width: float = 17,
        landscape: bool = False,
    ) -> None:
        self.ws = wb.create_sheet(name)
        self.meta = meta
        self.columns = list(columns)
        heading = [meta.organisation, title, period, "(dalam Rupiah)"]
        if meta.status:
            heading.append(meta.status)
        for i, text in enumerate(heading, start=1):
            cell = self.ws.cell(i, 1, text)
            cell.font = TITLE if i <= 2 else (BOLD if text == meta.status else ITALIC)
        self.row = len(heading) + 2
        for col, text in enumerate(["Uraian", *self.columns], start=1):
            cell = self.ws.cell(self.row, col, text)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.border = HEADER_BORDER
            cell.alignment = Alignment(
                horizontal="left" if col == 1 else "right", vertical="center", wrap_text=True
            )
        self.header_row = self.row
        self.ws.freeze_panes = self.ws.cell(self.row + 1, 1)
        self.row += 1
        set_widths(self.ws, [label_width] + [amount_width] * len(self.columns))
        print_setup(self.ws, meta, landscape=landscape, title_rows=self.header_row)

    def text(self, caption: str, *, font: Font | None = BOLD, indent: int = 0) -> None:
        cell = self.ws.cell(self.row, 1, caption)
        if font is not None:
            cell.font = font
        if indent:
            cell.alignment = Alignment(indent=indent)
        self.row += 1

    def amounts(
        self,
        caption: str,
        values: Sequence[Cell],
        *,
        indent: int = 1,
        font: Font | None = None,
        border: Border | None = None,
        number_format: str = STATEMENT,
    ) -> None:
        cell = self.ws.cell(self.row, 1, caption)
        if indent:
            cell.alignment = Alignment(indent=indent)
        if font is not None:
            cell.font = font
        for col, value in enumerate(values, start=2):
            target = self.ws.cell(self.row, col, value)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                target.number_format = number_format
            if font is not None:
                target.font = font
            if border is not None:
                target.border = border
        self.row += 1

    def line(self, line: StatementLine, **kw: Any) -> None:
        self.amounts(line.caption, [line.current, line.previous], **kw)

    def total(self, line: StatementLine, *, grand: bool = False) -> None:
        self.line(line, indent=0, font=BOLD, border=GRAND_BORDER if grand else TOTAL_BORDER)

    def section(self, section: StatementSection, *, show_empty: bool = True) -> None:
        if not section.lines and not show_empty:
            return
        self.text(section.title, indent=0)
        for line in section.lines:
            self.line(line)
        self.total(section.total)

    def blank(self) -> None:
        self.row += 1


def _years(meta: SheetMeta) -> list[str]:
    return [str(meta.year), str(meta.year - 1)]


def balance_sheet_sheet(wb: Workbook, name: str, meta: SheetMeta, bs: BalanceSheet) -> None:
    w = _Writer(
        wb,
        name,
        meta,
        "LAPORAN POSISI KEUANGAN (NERACA)",
        f"Per 31 Desember {meta.year} dan {meta.year - 1}",
        _years(meta),
    )
    w.text("ASET")
    w.section(bs.current_assets)
    w.section(bs.noncurrent_assets)
    w.total(bs.total_assets, grand=True)
    w.blank()
    w.text("LIABILITAS DAN EKUITAS")
    w.section(bs.current_liabilities)
    w.section(bs.noncurrent_liabilities)
    w.total(bs.total_liabilities)
    w.section(bs.equity)
    w.total(bs.total_liabilities_and_equity, grand=True)


def income_sheet(wb: Workbook, name: str, meta: SheetMeta, inc: IncomeStatement) -> None:
    w = _Writer(
        wb,
        name,
        meta,
        "LAPORAN HASIL USAHA",
        f"Untuk tahun yang berakhir 31 Desember {meta.year} dan {meta.year - 1}",
        _years(meta),
    )
    w.section(inc.operating_income)
    w.section(inc.direct_costs)
    w.total(inc.gross_result)
    w.blank()
    w.section(inc.operating_expenses)
    w.total(inc.operating_result)
    w.blank()
    w.section(inc.other_income)
    w.section(inc.other_expenses)
    w.total(inc.other_result)
    w.blank()
    w.total(inc.before_tax)
    w.section(inc.taxes, show_empty=False)
    w.total(inc.shu, grand=True)


def equity_sheet(wb: Workbook, name: str, meta: SheetMeta, eq: EquityStatement) -> None:
    w = _Writer(
        wb,
        name,
        meta,
        "LAPORAN PERUBAHAN EKUITAS",
        f"Untuk tahun yang berakhir 31 Desember {meta.year} dan {meta.year - 1}",
        [c.caption for c in eq.columns] + ["Jumlah"],
        label_width=44,
        amount_width=15,
        landscape=True,
    )
    for period in eq.periods():
        w.amounts(
            period.opening.caption,
            [*period.opening.amounts, period.opening.total],
            indent=0,
            font=BOLD,
        )
        for row in period.movements:
            w.amounts(row.caption, [*row.amounts, row.total])
        w.amounts(
            period.closing.caption,
            [*period.closing.amounts, period.closing.total],
            indent=0,
            font=BOLD,
            border=GRAND_BORDER,
        )
        w.blank()


def cash_flow_sheet(wb: Workbook, name: str, meta: SheetMeta, cf: CashFlowStatement) -> None:
    w = _Writer(
        wb,
        name,
        meta,
        "LAPORAN ARUS KAS (METODE LANGSUNG)",
        f"Untuk tahun yang berakhir 31 Desember {meta.year} dan {meta.year - 1}",
        _years(meta),
    )
    for section in (cf.operating, cf.investing, cf.financing):
        w.section(section)
        w.blank()
    if not cf.opening_balances.is_zero:
        w.total(cf.opening_balances)
    w.total(cf.net_change)
    w.line(cf.opening_cash, indent=0)
    w.total(cf.computed_closing, grand=True)
    w.blank()
    w.text("Rincian kas dan setara kas akhir tahun")
    for line in cf.cash_accounts:
        w.line(line)


def kolektibilitas_sheet(
    wb: Workbook, name: str, meta: SheetMeta, summary: KolektibilitasSummary
) -> None:
    cur, prev = summary.current, summary.previous
    y, p = meta.year, meta.year - 1
    w = _Writer(
        wb,
        name,
        meta,
        "KOLEKTIBILITAS PINJAMAN, PPAP DAN NPL",
        f"Per 31 Desember {y} dan {p}",
        [
            f"Pinjaman {y}",
            f"Sisa Pokok {y}",
            "PPAP (%)",
            f"PPAP {y}",
            f"Pinjaman {p}",
            f"Sisa Pokok {p}",
            f"PPAP {p}",
        ],
        label_width=30,
        amount_width=15,
        landscape=True,
    )
    for c, q in zip(cur.classes, prev.classes, strict=True):
        w.amounts(
            c.klass,
            [c.loans, c.outstanding, None, c.allowance, q.loans, q.outstanding, q.allowance],
            number_format=AMOUNT,
        )
        rate = w.ws.cell(w.row - 1, 4, c.rate)
        rate.number_format = "0.0%"
    w.amounts(
        "Jumlah",
        [
            cur.loans,
            cur.outstanding,
            None,
            cur.allowance_required,
            prev.loans,
            prev.outstanding,
            prev.allowance_required,
        ],
        indent=0,
        font=BOLD,
        border=GRAND_BORDER,
        number_format=AMOUNT,
    )
    w.blank()
    w.amounts(
        "PPAP dibukukan (CKPN 1-139)",
        [None, cur.allowance_booked, None, None, None, prev.allowance_booked],
        number_format=AMOUNT,
    )
    w.amounts(
        "Selisih PPAP wajib - dibukukan",
        [None, cur.allowance_difference, None, None, None, prev.allowance_difference],
    )
    w.amounts(
        "Tunggakan (angsuran jatuh tempo belum dibayar)",
        [None, cur.arrears, None, None, None, prev.arrears],
        number_format=AMOUNT,
    )
    w.amounts(
        "Pinjaman bermasalah (KL + D + M)",
        [None, cur.npl_outstanding, None, None, None, prev.npl_outstanding],
        number_format=AMOUNT,
    )
    npl = [r.npl_ratio.quantize(Decimal("0.000001")) for r in (cur, prev)]
    w.amounts("NPL", [None, npl[0], None, None, None, npl[1]], number_format="0.00%")
    w.amounts("Tingkat kesehatan (NPL)", [None, cur.health, None, None, None, prev.health])
