"""Tables of thousands of rows: split page by page in linear time, header repeated.

reportlab's ``Table`` re-measures every remaining row (and re-indexes its spans over
all of them) at each page break: quadratic, a minute and gigabytes for the member
lists of a 5.000-member book. Here rows are plain strings wrapped beforehand, so each
row's height is known before layout; a page takes exactly the rows that fit, as one
small ``Table`` with the header rows repeated. A document may lay its pages out in a
first pass without drawing them (``measuring`` on the doc template, as the RAT book
does to learn its page numbers): the long tables then only reserve their space.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.reports.pdf.style import FONT, table_style

BODY_TOP, BODY_BOTTOM = 1.5, 2.0  # cell padding of the body rows (points)
CELL_SIDE = 2.5


# A cell is cut after this many lines, so that no row is taller than a page (an address
# pasted with its whole history must not stop the report).
MAX_LINES = 12
ELLIPSIS = "…"


def _break_word(word: str, room: float, font: str, size: float) -> list[str]:
    """A word wider than the cell, in pieces that fit (a long name, a slash-joined job)."""
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and stringWidth(piece + char, font, size) > room:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def wrap_text(text: str, width: float, size: float, font: str = FONT) -> str:
    """``text`` broken into the lines that fit ``width`` (a cell's inner width), words too
    long for a line broken inside, at most ``MAX_LINES`` lines (the last then ends in …)."""
    room = width - 2 * CELL_SIDE
    lines: list[str] = []
    for part in text.split("\n"):
        for line in simpleSplit(part, font, size, room) or [""]:
            if stringWidth(line, font, size) <= room:
                lines.append(line)
            else:
                lines += _break_word(line, room, font, size)
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        while last and stringWidth(last + ELLIPSIS, font, size) > room:
            last = last[:-1]
        lines = [*lines[: MAX_LINES - 1], last + ELLIPSIS]
    return "\n".join(lines)


_RESET = {"FONTSIZE", "LEADING", "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"}

RowCommands = Callable[[int, int, int], list[tuple[Any, ...]]]


class LongTable(Flowable):  # type: ignore[misc]
    """A grid table of many rows that splits itself page by page, header repeated."""

    def __init__(
        self,
        header: list[list[Any]],
        body: list[list[str]],
        total: list[list[str]],
        widths: Sequence[float],
        style: Callable[[int, int, bool], list[tuple[Any, ...]]],
        leading: float,
        padding: tuple[float, float] = (BODY_TOP, BODY_BOTTOM),
        heights: tuple[list[float], list[float], list[float]] | None = None,
    ) -> None:
        super().__init__()
        self.header, self.body, self.total = header, body, total
        self.widths = list(widths)
        self.style = style  # (first body row, body rows, with total) -> commands
        self.leading = leading
        self.padding = padding
        if heights is None:
            heights = (self._header_heights(), self._heights(body), self._heights(total))
        self.heights = heights
        self.first = 0  # the index in the whole table of this part's first body row

    def _heights(self, rows: list[list[str]]) -> list[float]:
        top, bottom = self.padding
        return [
            max(cell.count("\n") + 1 for cell in row) * self.leading + top + bottom for row in rows
        ]

    def _header_heights(self) -> list[float]:
        table = Table(self.header, colWidths=self.widths)
        table.setStyle(TableStyle(self.style(0, 0, False)))
        table.wrap(sum(self.widths), 10_000)
        return list(table._rowHeights)

    def _table(self, start: int, stop: int, with_total: bool) -> Table:
        header_h, body_h, total_h = self.heights
        rows = self.header + self.body[start:stop] + (self.total if with_total else [])
        heights = header_h + body_h[start:stop] + (total_h if with_total else [])
        table = Table(rows, colWidths=self.widths, rowHeights=heights)
        table.setStyle(TableStyle(self.style(self.first + start, stop - start, with_total)))
        return table

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        header_h, body_h, total_h = self.heights
        self.width = sum(self.widths)
        self.height = sum(header_h) + sum(body_h) + sum(total_h)
        return self.width, self.height

    def split(self, _aw: float, ah: float) -> list[Flowable]:
        header_h, body_h, total_h = self.heights
        room = ah - sum(header_h)
        fit = 0
        while fit < len(body_h) and room >= body_h[fit]:
            room -= body_h[fit]
            fit += 1
        if fit == 0:
            return []  # not even one row: the next page
        if fit == len(body_h):  # the total row alone goes on with the last body row
            fit -= 1
            if fit == 0:
                return []
        rest = LongTable(
            self.header,
            self.body[fit:],
            self.total,
            self.widths,
            self.style,
            self.leading,
            self.padding,
            (header_h, body_h[fit:], total_h),
        )
        rest.first = self.first + fit
        if measuring(self.canv):
            first: Flowable = Spacer(self.width, sum(header_h) + sum(body_h[:fit]))
        else:
            first = self._table(0, fit, False)
        return [first, rest]

    def draw(self) -> None:
        if measuring(self.canv):
            return
        table = self._table(0, len(self.body), True)
        table.wrap(self.width, self.height)
        table.drawOn(self.canv, 0, 0)


def measuring(canvas: Canvas) -> bool:
    """True in a document's counting pass (its template says ``measuring``)."""
    return bool(getattr(getattr(canvas, "_doctemplate", None), "measuring", False))


def long_table(
    header: list[list[Any]],
    body: list[list[str]],
    total: list[list[str]],
    widths: Sequence[float],
    *,
    numeric_from: int,
    font_size: float,
    wrap: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    per_row: RowCommands | None = None,
    padding: tuple[float, float] = (BODY_TOP, BODY_BOTTOM),
) -> LongTable:
    """A grid table in the house style for hundreds or thousands of rows of strings.

    Cells of the ``wrap`` columns are broken into lines here; ``extra`` commands use the
    indices of one page's table (header rows first); ``per_row(first, count, header_rows)``
    gives the commands that depend on a row's place in the whole table.
    """
    for row in body:
        for index in wrap:
            row[index] = wrap_text(row[index], widths[index], font_size)
    n_header = len(header)
    top, bottom = padding

    def style(first: int, count: int, with_total: bool) -> list[tuple[Any, ...]]:
        house = table_style(
            header_rows=n_header,
            total_rows=len(total) if with_total else 0,
            numeric_from=numeric_from,
        ).getCommands()
        # reportlab applies each command to every cell it covers, page after page: drop
        # the house sizes and paddings that the commands below set again for the whole table.
        commands = [
            c for c in house if not (c[0] in _RESET and c[1] == (0, 0) and c[2] == (-1, -1))
        ]
        commands += [
            ("FONTSIZE", (0, 0), (-1, -1), font_size),
            ("LEADING", (0, 0), (-1, -1), font_size + 2),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_SIDE),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_SIDE),
            ("TOPPADDING", (0, 0), (-1, -1), top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            ("TOPPADDING", (0, 0), (-1, n_header - 1), BODY_TOP),
            ("BOTTOMPADDING", (0, 0), (-1, n_header - 1), BODY_BOTTOM),
            ("VALIGN", (0, 0), (-1, n_header - 1), "MIDDLE"),
            *extra,
        ]
        if per_row is not None and count:
            commands += per_row(first, count, n_header)
        return commands

    return LongTable(header, body, total, widths, style, font_size + 2, padding)
