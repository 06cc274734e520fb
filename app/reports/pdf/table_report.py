"""A ``TableReport`` (daftar anggota, rekap simpanan/pinjaman, tunggakan, buku kas) as an A4 PDF.

Portrait when the columns fit, landscape when they need it, and a smaller font
only when even landscape is too narrow. The first page opens with the
cooperative's name, the title, the period and, for a year not yet closed, the
"belum tutup buku" mark; every later page repeats them in a running header,
and the table's header row repeats at the top of every page. Amounts are
right-aligned with Indonesian separators (1.234.567, zero "-"), the total rows
bold under a heavy rule; black on white, no shading (style.py). The footer says
when it was made and "Halaman X dari Y". Renders the dataclass, runs no query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from app import __version__, dates
from app.reports.build_tables import DATE, Cell, Column, TableReport, format_cell
from app.reports.pdf._document import e, p, render_a4
from app.reports.pdf.long_table import long_table
from app.reports.pdf.style import (
    BLACK,
    FONT,
    FONT_BOLD,
    MARGIN,
    PAGE,
    THICK,
    THIN,
    NumberedCanvas,
    register_fonts,
    styles,
)

Progress = Callable[[int, int], None]

LANDSCAPE_PAGE: tuple[float, float] = landscape(PAGE)
PORTRAIT_W: float = PAGE[0] - 2 * MARGIN
LANDSCAPE_W: float = LANDSCAPE_PAGE[0] - 2 * MARGIN
PAD = 2.5  # left and right cell padding, points
SLACK = 2.0  # a word exactly as wide as its cell would still wrap
WRAP_MIN = 24 * mm  # a wrapping column (names, addresses) is never narrower than this...
WRAP_COMFORT = 40 * mm  # ...and gets this much (or what it needs) unless nothing else fits
WRAP_MAX = 70 * mm  # ...and needs no more than this
# Tried in order: portrait at the normal size, then landscape, then landscape smaller.
CHOICES: tuple[tuple[bool, float], ...] = (
    (False, 8.0),
    (True, 8.0),
    (True, 7.5),
    (True, 7.0),
    (True, 6.5),
    (True, 6.0),
    (True, 5.5),
)
OPEN_MARK = "BELUM TUTUP BUKU"


@dataclass(frozen=True)
class Layout:
    landscape: bool
    font_size: float
    widths: tuple[float, ...]

    @property
    def page_width(self) -> float:
        return LANDSCAPE_W if self.landscape else PORTRAIT_W


# -- choosing the page and the column widths ------------------------------------------------


def _cell_texts(report: TableReport) -> list[tuple[list[str], list[str]]]:
    """Per column: the texts of the plain rows, and of the bold rows (opening and totals)."""
    result: list[tuple[list[str], list[str]]] = [([], []) for _ in report.columns]
    for rows, bold in ((report.rows, False), (report.opening, True), (report.totals, True)):
        for row in rows:
            for index, (column, value) in enumerate(zip(report.columns, row, strict=True)):
                text = format_cell(column.kind, value)
                if text:
                    result[index][1 if bold else 0].append(text)
    return result


def _longest_word(text: str, font: str) -> float:
    return max((float(stringWidth(word, font, 1)) for word in text.split()), default=0.0)


@dataclass(frozen=True)
class _Measure:
    """Widths at font size 1 (they scale with the size): what a column needs, and at least."""

    natural: float
    minimum: float


def _measure(report: TableReport) -> list[_Measure]:
    result = []
    for column, (plain, bold) in zip(report.columns, _cell_texts(report), strict=True):
        header = _longest_word(column.title, FONT_BOLD) * _HEADER_SCALE
        widest = max(
            [stringWidth(t, FONT, 1) for t in plain] + [stringWidth(t, FONT_BOLD, 1) for t in bold],
            default=0.0,
        )
        if column.wrap:
            words = max(
                [_longest_word(t, FONT) for t in plain]
                + [_longest_word(t, FONT_BOLD) for t in bold],
                default=0.0,
            )
            result.append(_Measure(max(header, widest), max(header, words)))
        else:
            need = max(header, widest)
            result.append(_Measure(need, need))
    return result


_HEADER_SCALE = 0.95  # the header row is set slightly smaller than the cells


def _fits(
    measures: Sequence[_Measure], wraps: Sequence[bool], size: float, width: float, floor: float
) -> Layout | None:
    natural = [m.natural * size + 2 * PAD + SLACK for m in measures]
    minimum = []
    for m, wrap, nat in zip(measures, wraps, natural, strict=True):
        if wrap:
            minimum.append(min(nat, max(m.minimum * size + 2 * PAD + SLACK, floor)))
        else:
            minimum.append(nat)
    if sum(minimum) > width:
        return None
    return Layout(width == LANDSCAPE_W, size, tuple(_spread(natural, minimum, wraps, width)))


def choose_layout(report: TableReport) -> Layout:
    """The first of ``CHOICES`` at which every column fits the page width.

    First with room for names and addresses (``WRAP_COMFORT``: a narrower column
    would make every row four lines high), then down to ``WRAP_MIN``.
    """
    measures = _measure(report)
    wraps = [c.wrap for c in report.columns]
    for floor in (WRAP_COMFORT, WRAP_MIN):
        for is_landscape, size in CHOICES:
            width = LANDSCAPE_W if is_landscape else PORTRAIT_W
            layout = _fits(measures, wraps, size, width, floor)
            if layout is not None:
                return layout
    # Nothing fits (far too many columns): the smallest size, squeezed to the page.
    size = CHOICES[-1][1]
    natural = [m.natural * size + 2 * PAD + SLACK for m in measures]
    scale = LANDSCAPE_W / sum(natural)
    return Layout(True, size, tuple(w * scale for w in natural))


def _spread(
    natural: Sequence[float], minimum: Sequence[float], wraps: Sequence[bool], width: float
) -> list[float]:
    """Fill the page width: wrapping columns give way first, and take what is left over."""
    capped = [min(n, WRAP_MAX) if w else n for n, w in zip(natural, wraps, strict=True)]
    if sum(capped) <= width:
        extra = width - sum(capped)
        growing = [i for i, w in enumerate(wraps) if w] or list(range(len(capped)))
        share = sum(capped[i] for i in growing) or 1.0
        return [c + (extra * c / share if i in growing else 0.0) for i, c in enumerate(capped)]
    room = width - sum(minimum)
    give = [c - m for c, m in zip(capped, minimum, strict=True)]
    total_give = sum(give) or 1.0
    return [m + room * g / total_give for m, g in zip(minimum, give, strict=True)]


# -- the table ----------------------------------------------------------------------------------


def _style(name: str, size: float, *, bold: bool = False, align: int = TA_LEFT) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=size + 2,
        alignment=align,
        textColor=BLACK,
    )


def _align(column: Column) -> str:
    if column.numeric:
        return "RIGHT"
    if column.kind == DATE:
        return "CENTER"
    return "LEFT"


def _header_rows(report: TableReport, size: float) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    head = _style("th", size * _HEADER_SCALE, bold=True, align=TA_CENTER)
    titles: list[Any] = [Paragraph(e(c.title), head) for c in report.columns]
    if not report.has_groups:
        return [titles], []
    top: list[Any] = []
    spans: list[tuple[Any, ...]] = []
    index = 0
    columns = report.columns
    while index < len(columns):
        group = columns[index].group
        if not group:
            top.append(titles[index])
            titles[index] = ""
            spans.append(("SPAN", (index, 0), (index, 1)))
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        top += [Paragraph(e(group), head)] + [""] * (end - index)
        spans.append(("SPAN", (index, 0), (end, 0)))
        index = end + 1
    return [top, titles], spans


def report_table(report: TableReport, layout: Layout) -> Flowable:
    """The whole table, split page by page with the header rows repeated (a year's cash
    book or a 5.000-member list runs to hundreds of pages: see ``long_table``)."""
    register_fonts()
    size = layout.font_size
    header, spans = _header_rows(report, size)
    header_rows = len(header)
    columns = report.columns

    def texts(rows: Sequence[Sequence[Cell]]) -> list[list[str]]:
        return [[format_cell(c.kind, v) for c, v in zip(columns, r, strict=True)] for r in rows]

    opening = texts(report.opening)
    body = opening + texts(report.rows)
    totals = texts(report.totals)
    empty = not body and not totals
    if empty:
        body = [["Tidak ada data."] + [""] * (len(columns) - 1)]
    extra: list[tuple[Any, ...]] = list(spans)
    extra += [
        ("ALIGN", (index, header_rows), (index, -1), _align(column))
        for index, column in enumerate(columns)
    ]

    def per_row(first: int, count: int, head: int) -> list[tuple[Any, ...]]:
        commands: list[tuple[Any, ...]] = []
        if empty:
            return [("SPAN", (0, head), (-1, head))]
        last_opening = len(opening) - 1 - first  # the opening rows' place on this page
        if last_opening >= 0:
            stop = head + min(last_opening, count - 1)
            commands.append(("FONTNAME", (0, head), (-1, stop), FONT_BOLD))
            if last_opening < count:
                row = head + last_opening
                commands.append(("LINEBELOW", (0, row), (-1, row), THICK, BLACK))
        return commands

    return long_table(
        header,
        body,
        totals,
        layout.widths,
        numeric_from=len(columns),
        font_size=size,
        wrap=[index for index, column in enumerate(columns) if column.wrap],
        extra=extra,
        per_row=per_row,
    )


# -- the page -----------------------------------------------------------------------------------


def _org_style() -> ParagraphStyle:
    return ParagraphStyle("org_center", parent=styles()["org_name"], alignment=TA_CENTER)


def _heading(report: TableReport) -> list[Flowable]:
    flow: list[Flowable] = [
        Paragraph(e(report.organisation), _org_style()),
        Spacer(1, 1 * mm),
        p(e(report.title), "title"),
        p(e(report.period), "subtitle"),
    ]
    if report.provisional:
        mark = Table([[p(f"<b>{e(report.status)}</b>", "body_center")]])
        mark.setStyle([("BOX", (0, 0), (-1, -1), THIN, BLACK)])
        flow += [Spacer(1, 2 * mm), mark]
    flow.append(Spacer(1, 2 * mm))
    flow += [p(e(line), "body") for line in report.summary]
    flow.append(Spacer(1, 2 * mm))
    return flow


def _notes(report: TableReport) -> list[Flowable]:
    if not report.notes:
        return []
    return [Spacer(1, 2 * mm)] + [p(e(line), "small") for line in report.notes]


def _decorate(report: TableReport, progress: Progress | None, expected: int) -> Any:
    made = (
        f"{report.title} · dibuat {dates.format_date(report.generated_on)} "
        f"dengan Lumbung {__version__}"
    )

    def on_page(canvas: Canvas, _doc: Any) -> None:
        page = canvas.getPageNumber()
        if progress is not None:  # a cancel raises here and stops the build
            progress(min(page, expected - 1), expected)
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(BLACK)
        canvas.setFont(FONT, 7)
        canvas.drawString(MARGIN, MARGIN / 2, made)
        if page > 1:  # page 1 has the full heading
            y = height - 8 * mm
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawString(MARGIN, y, report.organisation)
            canvas.drawRightString(width - MARGIN, y, report.title)
            y2 = y - 3.4 * mm
            canvas.setFont(FONT, 7)
            canvas.drawRightString(width - MARGIN, y2, report.period)
            if report.provisional:
                canvas.setFont(FONT_BOLD, 7)
                canvas.drawString(MARGIN, y2, OPEN_MARK)
            canvas.setLineWidth(THIN)
            canvas.line(MARGIN, y2 - 1.8 * mm, width - MARGIN, y2 - 1.8 * mm)
        canvas.restoreState()

    return on_page


def _expected_pages(report: TableReport, layout: Layout) -> int:
    """A guess for the progress bar: rows a page holds at this size and orientation."""
    page_h = (PAGE[0] if layout.landscape else PAGE[1]) - 2 * MARGIN
    per_page = max(int(page_h / (layout.font_size + 5.5)), 10)
    return max(2, len(report.rows) // per_page + 2)


def render_table_report(report: TableReport, progress: Progress | None = None) -> bytes:
    register_fonts()
    styles()
    layout = choose_layout(report)
    expected = _expected_pages(report, layout)
    if progress is not None:
        progress(0, expected)
    flow = [*_heading(report), report_table(report, layout), *_notes(report)]
    title = f"{report.title} - {report.period}"
    on_page = _decorate(report, progress, expected)
    content = render_a4(
        flow,
        title=title,
        author=report.organisation,
        canvasmaker=NumberedCanvas,
        on_page=on_page,
        landscape=layout.landscape,
    )
    if progress is not None:
        progress(expected, expected)
    return content
