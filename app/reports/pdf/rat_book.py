"""Buku RAT: the whole book for the annual member meeting, A4, in the order of DOMAIN.md 7.

Cover, contents (page numbers from a second pass), membership, the statements
with last year beside this year (each signed by the pengurus), CALK, the
savings and loans recaps (landscape pages), kolektibilitas and NPL, the SHU
plan and the SHU of every member with a column to sign, the member list, and
the pengawas' page. Every page carries the cooperative's name and the year in
its header (its logo at the left when Pengaturan has one), "Halaman X dari Y"
at its foot, and "BELUM TUTUP BUKU" while the year is open. The cover shows the
cooperative's logo, else Lumbung's own picture.

Renders a ``RatBook`` and runs no queries. Amounts in the statements are bare
numbers: negatives in parentheses, zero as "-", "(dalam Rupiah)" under the title.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

import app
from app import __version__, dates
from app.money import format_number, format_rupiah, format_statement
from app.reports.build_calk import CalkNote, percent_text
from app.reports.build_rat import RatBook
from app.reports.build_statements import StatementLine, StatementSection
from app.reports.pdf import logo as logos
from app.reports.pdf._document import e
from app.reports.pdf.long_table import long_table
from app.reports.pdf.style import (
    BLACK,
    FONT,
    FONT_BOLD,
    MARGIN,
    PAGE,
    THICK,
    THIN,
    register_fonts,
    styles,
    table_style,
)

Progress = Callable[[int, int], None]

LOGO = Path(app.__file__).resolve().parents[1] / "resources" / "icons" / "lumbung.png"
OPEN_MARK = "BELUM TUTUP BUKU"
PORTRAIT, LANDSCAPE = "portrait", "landscape"
LANDSCAPE_PAGE = landscape(PAGE)
HEADER_H = 11 * mm  # the running header above the frame
DRAWN_PAGE_WORK = 10  # progress: a drawn page against a page of the counting pass
# The cooperative's logo (Pengaturan): large on the cover, small left of the header's name.
COVER_LOGO_W, COVER_LOGO_H = 90 * mm, 45 * mm
HEADER_LOGO_W, HEADER_LOGO_H = 22 * mm, 6.5 * mm
PORTRAIT_W = PAGE[0] - 2 * MARGIN
LANDSCAPE_W = LANDSCAPE_PAGE[0] - 2 * MARGIN

# Section titles, in the book's order (the tests read them back in this order).
S_KEANGGOTAAN = "I. Keanggotaan"
S_KEUANGAN = "II. Laporan Keuangan"
S_NERACA = "Laporan Posisi Keuangan (Neraca)"
S_HASIL = "Laporan Hasil Usaha"
S_EKUITAS = "Laporan Perubahan Ekuitas"
S_ARUS_KAS = "Laporan Arus Kas"
S_CALK = "Catatan atas Laporan Keuangan (CALK)"
S_SIMPANAN = "III. Rekapitulasi Simpanan Anggota"
S_PINJAMAN = "IV. Rekapitulasi Pinjaman Anggota"
S_KOLEKTIBILITAS = "V. Kolektibilitas Pinjaman dan NPL"
S_SHU = "VI. Pembagian Sisa Hasil Usaha (SHU)"
S_ANGGOTA = "VII. Daftar Anggota"
S_PENGESAHAN = "VIII. Pengesahan Pengurus dan Pengawas"
SECTIONS = (
    S_KEANGGOTAAN,
    S_KEUANGAN,
    S_NERACA,
    S_HASIL,
    S_EKUITAS,
    S_ARUS_KAS,
    S_CALK,
    S_SIMPANAN,
    S_PINJAMAN,
    S_KOLEKTIBILITAS,
    S_SHU,
    S_ANGGOTA,
    S_PENGESAHAN,
)

_STATUS_LABELS = {"dicairkan": "berjalan", "lunas": "lunas", "dihapusbukukan": "hapus buku"}


# -- styles ----------------------------------------------------------------------------------


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = styles()["body"]
    return ParagraphStyle(name, parent=base, **kw)


@dataclass(frozen=True)
class _Styles:
    h1: ParagraphStyle
    h2: ParagraphStyle
    st_org: ParagraphStyle
    st_title: ParagraphStyle
    st_sub: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    tiny: ParagraphStyle
    tiny_bold: ParagraphStyle
    tiny_center: ParagraphStyle
    cover_name: ParagraphStyle
    cover_title: ParagraphStyle
    cover_year: ParagraphStyle
    cover_line: ParagraphStyle
    cover_mark: ParagraphStyle
    toc0: ParagraphStyle
    toc1: ParagraphStyle


def _make_styles() -> _Styles:
    register_fonts()
    return _Styles(
        h1=_style("rat_h1", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=6),
        h2=_style(
            "rat_h2",
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            alignment=TA_CENTER,
            spaceAfter=1,
        ),
        st_org=_style("rat_org", fontName=FONT_BOLD, fontSize=10, leading=13, alignment=TA_CENTER),
        st_title=_style(
            "rat_title", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        st_sub=_style("rat_sub", fontSize=9, leading=11.5, alignment=TA_CENTER),
        cell=_style("rat_cell", fontSize=8.5, leading=10.5),
        cell_bold=_style("rat_cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        tiny=_style("rat_tiny", fontSize=7, leading=8.5),
        tiny_bold=_style("rat_tiny_bold", fontName=FONT_BOLD, fontSize=7, leading=8.5),
        tiny_center=_style(
            "rat_tiny_center", fontName=FONT_BOLD, fontSize=7, leading=8.5, alignment=TA_CENTER
        ),
        cover_name=_style(
            "rat_cover_name", fontName=FONT_BOLD, fontSize=20, leading=25, alignment=TA_CENTER
        ),
        cover_title=_style("rat_cover_title", fontSize=14, leading=19, alignment=TA_CENTER),
        cover_year=_style(
            "rat_cover_year", fontName=FONT_BOLD, fontSize=16, leading=21, alignment=TA_CENTER
        ),
        cover_line=_style("rat_cover_line", fontSize=10.5, leading=14, alignment=TA_CENTER),
        cover_mark=_style(
            "rat_cover_mark", fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER
        ),
        toc0=_style("rat_toc0", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=5),
        toc1=_style("rat_toc1", fontSize=9.5, leading=12.5, leftIndent=8 * mm),
    )


# -- headings that feed the contents ------------------------------------------------------------


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading the document reports to the contents (and to the PDF outline)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, entry: str = "") -> None:
        super().__init__(e(text), style)
        self.level = level
        self.entry = entry or text


class _Anchor(Flowable):  # type: ignore[misc]
    """An invisible contents entry (the statements: their titles are centred blocks)."""

    def __init__(self, entry: str, level: int) -> None:
        super().__init__()
        self.entry = entry
        self.level = level
        self.width = self.height = 0

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _PageCount(Flowable):  # type: ignore[misc]
    """Keeps ``multiBuild`` going until "dari Y" equals the pages the pass really made.

    (reportlab's ``NumberedCanvas`` trick defers every page to the end, which points
    every PDF bookmark at page 1; this book has an outline, so it counts in passes.)
    """

    def __init__(self, guess: int) -> None:
        super().__init__()
        self.total = guess  # what this pass prints as "dari Y"
        self.made = -1  # the pages the pass made
        self.doc: BaseDocTemplate | None = None

    def isIndexing(self) -> bool:
        return True

    def isSatisfied(self) -> bool:
        assert self.doc is not None
        return self.made == self.total and not self.doc.measuring

    def beforeBuild(self) -> None:
        if self.made > 0:
            self.total = self.made

    def afterBuild(self) -> None:
        assert self.doc is not None
        self.made = self.doc.page

    def notify(self, _kind: str, _stuff: object) -> None:
        pass

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def _mark_centre(left: float, right: float, box_w: float, centre: float) -> float | None:
    """Where "BELUM TUTUP BUKU" goes between two texts ending at ``left`` and starting at
    ``right``: at ``centre`` (the page's middle) when it fits there, else in the middle of
    the gap, else None (no room)."""
    room = 4 * mm
    if centre - box_w / 2 >= left + room and centre + box_w / 2 <= right - room:
        return centre
    if right - left >= box_w + 2 * room:
        return (left + right) / 2
    return None


class _RatDocument(BaseDocTemplate):  # type: ignore[misc]
    def __init__(
        self,
        buffer: io.BytesIO,
        book: RatBook,
        progress: Progress | None,
        logo: ImageReader | None = None,
        **kw: Any,
    ):
        super().__init__(buffer, pagesize=PAGE, **kw)
        self.book = book
        self.logo = logo
        self.logo_size = logos.fit(logo, HEADER_LOGO_W, HEADER_LOGO_H) if logo else (0.0, 0.0)
        self.progress = progress
        self.pages_done = 0
        self.pages_expected = 1
        self._keys = 0
        self.passes = 0
        self.measuring = False
        self.pages = _PageCount(1)
        self.pages.doc = self
        top = MARGIN + HEADER_H
        portrait = Frame(
            MARGIN,
            MARGIN,
            PORTRAIT_W,
            PAGE[1] - MARGIN - top,
            id="p",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        wide = Frame(
            MARGIN,
            MARGIN,
            LANDSCAPE_W,
            LANDSCAPE_PAGE[1] - MARGIN - top,
            id="l",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(PORTRAIT, [portrait], onPage=self._decorate, pagesize=PAGE),
                PageTemplate(LANDSCAPE, [wide], onPage=self._decorate, pagesize=LANDSCAPE_PAGE),
            ]
        )

    def _decorate(self, canvas: Canvas, _doc: Any) -> None:
        """The running header (logo, name, year, status) and the footer."""
        book = self.book
        width, height = canvas._pagesize
        y = height - MARGIN - 4 * mm
        name = book.profile.name or "Koperasi"
        right = f"Rapat Anggota Tahunan · Tahun Buku {book.year}"
        page_text = f"Halaman {canvas.getPageNumber()} dari {self.pages.total}"
        made = (
            f"Buku RAT {book.year} · dibuat {dates.format_date(book.generated_on)} "
            f"dengan Lumbung {__version__}"
        )
        canvas.saveState()
        name_x = MARGIN
        if self.logo is not None:  # left of the name, centred on it, clear of the rule below
            logo_w, logo_h = self.logo_size
            bottom = y - 1.8 * mm + (HEADER_LOGO_H - logo_h) / 2
            logos.draw(canvas, self.logo, MARGIN, bottom, logo_w, logo_h)
            name_x += logo_w + 2 * mm
        canvas.setFillColor(BLACK)
        canvas.setFont(FONT_BOLD, 8)
        canvas.drawString(name_x, y, name)
        canvas.setFont(FONT, 8)
        canvas.drawRightString(width - MARGIN, y, right)
        if not book.closed:
            box_w = canvas.stringWidth(OPEN_MARK, FONT_BOLD, 8.5) + 4 * mm
            # In the header between the name and the year; a long name: in the footer.
            x_mark = _mark_centre(
                name_x + canvas.stringWidth(name, FONT_BOLD, 8),
                width - MARGIN - canvas.stringWidth(right, FONT, 8),
                box_w,
                width / 2,
            )
            y_mark = y
            if x_mark is None:
                y_mark = MARGIN / 2
                x_mark = _mark_centre(
                    MARGIN + canvas.stringWidth(made, FONT, 7),
                    width - MARGIN - canvas.stringWidth(page_text, FONT, 7.5),
                    box_w,
                    width / 2,
                )
            x_mark = width / 2 if x_mark is None else x_mark
            canvas.setFont(FONT_BOLD, 8.5)
            canvas.setLineWidth(THIN)
            canvas.rect(x_mark - box_w / 2, y_mark - 1.6 * mm, box_w, 5 * mm)
            canvas.drawCentredString(x_mark, y_mark, OPEN_MARK)
        canvas.setLineWidth(THIN)
        canvas.line(MARGIN, y - 2.8 * mm, width - MARGIN, y - 2.8 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, page_text)
        canvas.setFont(FONT, 7)
        canvas.drawString(MARGIN, MARGIN / 2, made)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "entry", None)
        if entry is None:
            return
        level = flowable.level
        key = f"s{self._keys}"
        self._keys += 1
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(entry, key, level=level, closed=False)
        self.notify("TOCEntry", (level, entry, self.page, key))

    def afterPage(self) -> None:
        self.pages_done += 1 if self.measuring else DRAWN_PAGE_WORK
        if self.progress is not None:
            done = min(self.pages_done, self.pages_expected - 1)
            self.progress(done, self.pages_expected)

    def handle_documentBegin(self) -> None:
        self._keys = 0
        # The first pass lays every page out but leaves the long tables undrawn (their rows
        # have known heights, so the pages fall the same): it only learns the page count and
        # the contents' page numbers, at a fraction of the cost of drawing 500 pages twice.
        self.passes += 1
        self.measuring = self.passes == 1
        super().handle_documentBegin()


# -- small builders -----------------------------------------------------------------------------


def _amount(value: int) -> str:
    return format_statement(value)


def _count(value: int) -> str:
    return format_number(value) if value else "-"


def _percent(ratio: Decimal) -> str:
    """0.0514 -> "5,14%"."""
    return percent_text((ratio * 100).quantize(Decimal("0.01"))) + "%"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def _blank_name(name: str) -> str:
    return e(name) if name.strip() else "(" + "." * 32 + ")"


def _statement_header(book: RatBook, s: _Styles, title: str, period: str) -> list[Flowable]:
    return [
        _Anchor(title, 1),
        _p(e(book.profile.name or "Koperasi"), s.st_org),
        _p(e(title.upper()), s.st_title),
        _p(e(period), s.st_sub),
        _p("(dalam Rupiah)", s.st_sub),
        Spacer(1, 4 * mm),
    ]


class _StatementTable:
    """Caption, this year, last year: sections, lines, totals, grand totals."""

    def __init__(self, s: _Styles, year: int, headers: Sequence[str] | None = None) -> None:
        self.s = s
        self.rows: list[list[Any]] = [["", *(headers or (str(year), str(year - 1)))]]
        self.commands: list[tuple[Any, ...]] = []

    def _add(self, caption: str, values: Sequence[str], *, bold: bool, indent: int) -> int:
        style = self.s.cell_bold if bold else self.s.cell
        cell = Paragraph(e(caption), ParagraphStyle("x", parent=style, leftIndent=indent * 4 * mm))
        self.rows.append([cell, *values])
        row = len(self.rows) - 1
        if bold:
            self.commands.append(("FONTNAME", (1, row), (-1, row), FONT_BOLD))
        return row

    def heading(self, caption: str, indent: int = 0) -> None:
        self._add(caption, ["", ""], bold=True, indent=indent)

    def line(self, line: StatementLine, indent: int = 1, bold: bool = False) -> None:
        self._add(
            line.caption, [_amount(line.current), _amount(line.previous)], bold=bold, indent=indent
        )

    def total(self, line: StatementLine, *, grand: bool = False, indent: int = 0) -> None:
        row = self._add(
            line.caption,
            [_amount(line.current), _amount(line.previous)],
            bold=True,
            indent=indent,
        )
        self.commands.append(("LINEABOVE", (1, row), (-1, row), THIN, BLACK))
        if grand:
            self.commands.append(
                ("LINEBELOW", (1, row), (-1, row), THIN, BLACK, 0, None, None, 2, 1.2)
            )

    def section(self, section: StatementSection, *, show_empty: bool = True) -> None:
        if not section.lines and not show_empty:
            return
        self.heading(section.title, indent=0)
        for line in section.lines:
            self.line(line, indent=1)
        if not section.lines:
            self._add("(tidak ada)", ["-", "-"], bold=False, indent=1)
        self.total(section.total, indent=0)

    def blank(self) -> None:
        self.rows.append(["", "", ""])

    def table(self, width: float = PORTRAIT_W) -> Table:
        amount_w = 32 * mm
        table = Table(self.rows, colWidths=[width - 2 * amount_w, amount_w, amount_w], repeatRows=1)
        style = table_style(grid=False)
        style.add("VALIGN", (0, 0), (-1, -1), "BOTTOM")
        style.add("TOPPADDING", (0, 1), (-1, -1), 1.5)
        style.add("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)
        for command in self.commands:
            style.add(*command)
        table.setStyle(style)
        return table


def _signature_block(
    place_date: str, heading: str, people: Sequence[tuple[str, str]], s: _Styles
) -> KeepTogether:
    """ "<Desa>, <tanggal>" then one column per officer: role, room to sign, name."""
    st = styles()
    n = len(people)
    width = PORTRAIT_W / n
    data = [
        [_p(e(place_date), st["sign"])] + [""] * (n - 1),
        [_p(e(heading), st["sign"])] + [""] * (n - 1),
        [_p(e(role), st["sign"]) for role, _name in people],
        [""] * n,
        [_p(f"<u>{_blank_name(name)}</u>", st["sign_name"]) for _role, name in people],
    ]
    table = Table(data, colWidths=[width] * n, rowHeights=[None, None, None, 17 * mm, None])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("SPAN", (0, 1), (-1, 1)),
                ("ALIGN", (0, 0), (-1, 0), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    if n == 1:
        table.hAlign = "RIGHT"
    return KeepTogether([Spacer(1, 6 * mm), table])


def _pengurus(book: RatBook, s: _Styles) -> KeepTogether:
    profile = book.profile
    return _signature_block(
        book.signing_place_date,
        f"Pengurus {profile.name or 'Koperasi'}",
        [
            ("Ketua", profile.ketua),
            ("Sekretaris", profile.sekretaris),
            ("Bendahara", profile.bendahara),
        ],
        s,
    )


def _pengawas_people(book: RatBook) -> list[tuple[str, str]]:
    profile = book.profile
    people = [("Ketua Pengawas", profile.ketua_pengawas)]
    members = [x for x in (profile.anggota_pengawas_1, profile.anggota_pengawas_2) if x.strip()]
    if not members:
        members = ["", ""]
    people += [("Anggota Pengawas", name) for name in members]
    return people


def _grid_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    total_rows: int = 0,
    numeric_from: int = 1,
    font_size: float = 8,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    style = table_style(header_rows=header_rows, total_rows=total_rows, numeric_from=numeric_from)
    style.add("FONTSIZE", (0, 0), (-1, -1), font_size)
    style.add("LEADING", (0, 0), (-1, -1), font_size + 2)
    style.add("LEFTPADDING", (0, 0), (-1, -1), 2.5)
    style.add("RIGHTPADDING", (0, 0), (-1, -1), 2.5)
    style.add("TOPPADDING", (0, 0), (-1, -1), 1.5)
    style.add("BOTTOMPADDING", (0, 0), (-1, -1), 2)
    style.add("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE")
    for command in extra:
        style.add(*command)
    table.setStyle(style)
    return table


def _fit_font(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], start: int, size: float
) -> float:
    """The largest font size (at most ``size``, at least 5) at which every amount from column
    ``start`` on fits its column in bold (a big book's totals run to 14 characters)."""
    padding = 6
    # A text's width grows in proportion to the size: measure each distinct text once.
    unit: dict[int, float] = {}
    seen: set[tuple[int, str]] = set()
    for row in rows:
        for index in range(start, len(row)):
            cell = row[index]
            if isinstance(cell, str) and (index, cell) not in seen:
                seen.add((index, cell))
                width = pdfmetrics.stringWidth(cell, FONT_BOLD, 1)
                unit[index] = max(unit.get(index, 0.0), width)
    while size > 5:
        if all(w * size + padding <= widths[index] for index, w in unit.items()):
            return size
        size -= 0.2
    return 5


def _hdr(text: str, s: _Styles) -> Paragraph:
    return _p(text, s.tiny_center)


# -- the sections ---------------------------------------------------------------------------------


def _cover(book: RatBook, s: _Styles, logo: ImageReader | None = None) -> list[Flowable]:
    """The cover; the cooperative's logo when one is set, else Lumbung's own picture."""
    profile = book.profile
    flow: list[Flowable] = [Spacer(1, 22 * mm)]
    if logo is not None:
        flow += [logos.LogoFlowable(logo, COVER_LOGO_W, COVER_LOGO_H), Spacer(1, 10 * mm)]
    elif LOGO.exists():
        logo = Image(str(LOGO), width=34 * mm, height=34 * mm)
        flow += [logo, Spacer(1, 10 * mm)]
    flow += [
        _p("LAPORAN PERTANGGUNGJAWABAN<br/>PENGURUS DAN PENGAWAS", s.cover_title),
        Spacer(1, 5 * mm),
        _p("RAPAT ANGGOTA TAHUNAN", s.cover_year),
        _p(f"TAHUN BUKU {book.year}", s.cover_year),
        Spacer(1, 14 * mm),
        _p(e((profile.name or "Koperasi").upper()), s.cover_name),
        Spacer(1, 4 * mm),
    ]
    region = []
    if profile.desa:
        region.append(f"Desa {profile.desa}")
    if profile.kecamatan:
        region.append(f"Kecamatan {profile.kecamatan}")
    flow.append(_p(e(", ".join(region)), s.cover_line))
    region2 = ", ".join(x for x in (profile.kabupaten, profile.provinsi) if x)
    if region2:
        flow.append(_p(e(region2), s.cover_line))
    if profile.badan_hukum_number:
        flow.append(_p(f"Badan Hukum No. {e(profile.badan_hukum_number)}", s.cover_line))
    flow += [Spacer(1, 14 * mm), _p(e(book.signing_place_date), s.cover_line)]
    if not book.closed:
        mark = Table(
            [
                [_p(OPEN_MARK, s.cover_mark)],
                [_p("Angka tahun buku ini masih dapat berubah sampai tutup buku.", s.cover_line)],
            ],
            colWidths=[110 * mm],
        )
        mark.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), THICK, BLACK),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        flow += [Spacer(1, 12 * mm), mark]
    flow.append(PageBreak())
    return flow


def _contents(s: _Styles) -> list[Flowable]:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [s.toc0, s.toc1]
    return [_p("DAFTAR ISI", s.h1), Spacer(1, 3 * mm), toc, PageBreak()]


def _membership(book: RatBook, s: _Styles) -> list[Flowable]:
    m = book.membership
    rows: list[list[Any]] = [["Uraian", "Laki-laki (L)", "Perempuan (P)", "Jumlah"]]

    def add(caption: str, count: Any) -> None:
        rows.append([caption, _count(count.male), _count(count.female), _count(count.total)])

    add(f"Anggota awal tahun ({dates.format_date(m.start_on)})", m.start)
    add(f"Anggota masuk tahun {book.year}", m.joined)
    add(f"Anggota keluar tahun {book.year}", m.left)
    for status, count in m.left_by_status:
        if count.total:
            rows.append(
                [f"    - {status}", _count(count.male), _count(count.female), _count(count.total)]
            )
    add(f"Anggota akhir tahun ({dates.format_date(m.end_on)})", m.end)
    table = _grid_table(rows, [90 * mm, 30 * mm, 30 * mm, 30 * mm], total_rows=1, font_size=9)
    flow: list[Flowable] = [
        _Heading(S_KEANGGOTAAN, s.h1, 0),
        _p(f"Perkembangan jumlah anggota selama tahun buku {book.year}.", s.cell),
        Spacer(1, 3 * mm),
        table,
    ]
    if not m.adds_up:
        flow += [
            Spacer(1, 2 * mm),
            _p(
                "<b>Perhatian:</b> awal + masuk - keluar tidak sama dengan akhir tahun; "
                "periksa tanggal masuk/keluar anggota.",
                s.cell,
            ),
        ]
    return flow


def _balance_sheet(book: RatBook, s: _Styles) -> list[Flowable]:
    bs = book.statements.balance_sheet
    t = _StatementTable(s, book.year, (f"31/12/{book.year}", f"31/12/{book.year - 1}"))
    t.heading("ASET")
    t.section(bs.current_assets)
    t.section(bs.noncurrent_assets)
    t.total(bs.total_assets, grand=True)
    t.blank()
    t.heading("LIABILITAS DAN EKUITAS")
    t.section(bs.current_liabilities)
    t.section(bs.noncurrent_liabilities)
    t.total(bs.total_liabilities)
    t.section(bs.equity)
    t.total(bs.total_liabilities_and_equity, grand=True)
    flow = _statement_header(book, s, S_NERACA, f"Per 31 Desember {book.year} dan {book.year - 1}")
    flow.append(t.table())
    if not bs.balanced:
        flow.append(_p("<b>Perhatian: neraca tidak seimbang.</b>", s.cell))
    flow.append(_pengurus(book, s))
    return flow


def _period(book: RatBook) -> str:
    return f"Untuk tahun yang berakhir 31 Desember {book.year} dan {book.year - 1}"


def _income(book: RatBook, s: _Styles) -> list[Flowable]:
    inc = book.statements.income_statement
    t = _StatementTable(s, book.year)
    t.section(inc.operating_income)
    t.section(inc.direct_costs)
    t.total(inc.gross_result)
    t.blank()
    t.section(inc.operating_expenses)
    t.total(inc.operating_result)
    t.blank()
    t.section(inc.other_income)
    t.section(inc.other_expenses)
    t.total(inc.other_result)
    t.blank()
    t.total(inc.before_tax)
    t.section(inc.taxes, show_empty=False)
    t.total(inc.shu, grand=True)
    flow = _statement_header(book, s, S_HASIL, _period(book))
    flow += [t.table(), _pengurus(book, s)]
    return flow


def _equity(book: RatBook, s: _Styles) -> list[Flowable]:
    eq = book.statements.equity_statement
    columns = [c.caption for c in eq.columns] + ["Jumlah"]
    n = len(columns)
    caption_w = 52 * mm
    amount_w = (PORTRAIT_W - caption_w) / n
    rows: list[list[Any]] = [[_hdr("Uraian", s)] + [_hdr(e(c), s) for c in columns]]
    extra: list[tuple[Any, ...]] = []
    for period in eq.periods():
        rows.append([_p(f"<b>Tahun {period.year}</b>", s.tiny)] + [""] * n)
        for row, bold in (
            [(period.opening, True)]
            + [(r, False) for r in period.movements if any(r.amounts)]
            + [(period.closing, True)]
        ):
            style = s.tiny_bold if bold else s.tiny
            rows.append(
                [_p(e(row.caption), style)] + [_amount(a) for a in (*row.amounts, row.total)]
            )
            if bold:
                extra.append(("FONTNAME", (1, len(rows) - 1), (-1, len(rows) - 1), FONT_BOLD))
            if row is period.closing:
                extra.append(("LINEABOVE", (0, len(rows) - 1), (-1, len(rows) - 1), THICK, BLACK))
    table = _grid_table(rows, [caption_w] + [amount_w] * n, font_size=7, extra=extra)
    flow = _statement_header(book, s, S_EKUITAS, _period(book))
    flow += [table, _pengurus(book, s)]
    return flow


def _cash_flow(book: RatBook, s: _Styles) -> list[Flowable]:
    cf = book.statements.cash_flow
    t = _StatementTable(s, book.year)
    for section in (cf.operating, cf.investing, cf.financing):
        t.section(section)
        t.blank()
    if not cf.opening_balances.is_zero:
        t.total(cf.opening_balances)
    t.total(cf.net_change)
    t.line(cf.opening_cash, indent=0)
    t.total(cf.computed_closing, grand=True)
    t.blank()
    t.heading("Rincian kas dan setara kas akhir tahun")
    for line in cf.cash_accounts:
        t.line(line)
    flow = _statement_header(book, s, S_ARUS_KAS + " (Metode Langsung)", _period(book))
    flow[0] = _Anchor(S_ARUS_KAS, 1)
    flow.append(t.table())
    if not cf.reconciles:
        flow.append(_p("<b>Perhatian: arus kas tidak sama dengan perubahan kas.</b>", s.cell))
    flow.append(_pengurus(book, s))
    return flow


def _note(note: CalkNote, book: RatBook, s: _Styles) -> list[Flowable]:
    flow: list[Flowable] = [_p(f"<b>{note.number}. {e(note.title)}</b>", s.cell)]
    flow += [_p(e(text), s.cell) for text in note.paragraphs]
    if note.lines:
        t = _StatementTable(s, book.year)
        for line in note.lines:
            t.line(line)
        if note.total is not None:
            t.total(note.total)
        flow += [Spacer(1, 1 * mm), t.table()]
    flow.append(Spacer(1, 3 * mm))
    return [KeepTogether(flow)]


def _calk(book: RatBook, s: _Styles) -> list[Flowable]:
    calk = book.calk
    flow = _statement_header(book, s, S_CALK, f"Tahun buku {book.year}")
    flow.append(_p("<b>A. Dasar penyusunan</b>", s.cell))
    flow += [_p(f"• {e(text)}", s.cell) for text in calk.basis]
    flow += [Spacer(1, 3 * mm), _p("<b>B. Kebijakan akuntansi</b>", s.cell)]
    flow += [_p(f"• {e(text)}", s.cell) for text in calk.policies]
    flow += [
        Spacer(1, 3 * mm),
        _p("<b>C. Penjelasan pos-pos laporan keuangan</b>", s.cell),
        Spacer(1, 1 * mm),
    ]
    for note in calk.notes:
        flow += _note(note, book, s)
    return flow


def _savings(book: RatBook, s: _Styles) -> list[Flowable]:
    recap = book.savings
    kinds = (
        ("Simpanan Pokok", "pokok"),
        ("Simpanan Wajib", "wajib"),
        ("Simpanan Sukarela", "sukarela"),
    )
    top: list[Any] = [_hdr("No", s), _hdr("No. Anggota", s), _hdr("Nama", s)]
    sub: list[Any] = ["", "", ""]
    spans: list[tuple[Any, ...]] = [("SPAN", (i, 0), (i, 1)) for i in range(3)]
    for index, (label, _key) in enumerate(kinds):
        col = 3 + index * 4
        top += [_hdr(label, s), "", "", ""]
        sub += [_hdr("Awal", s), _hdr("Setor", s), _hdr("Tarik", s), _hdr("Akhir", s)]
        spans.append(("SPAN", (col, 0), (col + 3, 0)))
    top.append(_hdr("Jumlah Simpanan Akhir", s))
    sub.append("")
    spans.append(("SPAN", (15, 0), (15, 1)))
    body: list[list[str]] = []
    for number, row in enumerate(recap.rows, start=1):
        cells = [str(number), row.number, row.name]
        for _label, key in kinds:
            mv = getattr(row, key)
            cells += [
                _amount(mv.opening),
                _amount(mv.deposits),
                _amount(mv.withdrawals),
                _amount(mv.closing),
            ]
        cells.append(_amount(row.total.closing))
        body.append(cells)
    total: list[str] = ["", "", "Jumlah"]
    for _label, key in kinds:
        mv = getattr(recap, key)
        total += [
            _amount(mv.opening),
            _amount(mv.deposits),
            _amount(mv.withdrawals),
            _amount(mv.closing),
        ]
    total.append(_amount(recap.total.closing))
    fixed = [7 * mm, 13 * mm, 34 * mm]
    amount_w = (LANDSCAPE_W - sum(fixed)) / 13
    widths = fixed + [amount_w] * 13
    table = long_table(
        [top, sub],
        body,
        [total],
        widths,
        numeric_from=3,
        font_size=_fit_font([*body, total], widths, 3, 6.8),
        wrap=(2,),
        extra=[*spans, ("ALIGN", (0, 2), (1, -1), "CENTER")],
    )
    return [
        _Heading(S_SIMPANAN, s.h1, 0),
        _p(
            f"Mutasi simpanan per anggota, 1 Januari - 31 Desember {book.year} (dalam Rupiah). "
            "Setor: setoran dalam tahun; tarik: penarikan dan pengembalian kepada anggota "
            "keluar.",
            s.cell,
        ),
        Spacer(1, 2 * mm),
        table,
    ]


def _loans(book: RatBook, s: _Styles) -> list[Flowable]:
    recap = book.loans
    written_off = any(r.written_off for r in recap.rows)
    headers = ["No", "No. Pinjaman", "Anggota", "Tgl Cair", "Pokok Pinjaman"]
    headers += ["Jangka<br/>(bln)", "Jasa<br/>/bln", "Sisa Pokok Awal", "Dicairkan"]
    headers += ["Angsuran Pokok"] + (["Hapus Buku"] if written_off else [])
    headers += ["Sisa Pokok 31/12", "Jasa Dibayar", "Tunggakan", "Hari<br/>Tunggak"]
    headers += ["Kolekti-<br/>bilitas"]
    body: list[list[str]] = []
    for number, r in enumerate(recap.rows, start=1):
        klass = r.klass + ("*" if r.class_overridden else "")
        if r.outstanding <= 0:
            klass = _STATUS_LABELS.get(r.status, r.status)
        cells = [
            str(number),
            r.number,
            f"{r.member_name}\n{r.member_number}",
            dates.format_date(r.disbursed_on) if r.disbursed_on else "-",
            _amount(r.principal),
            str(r.months),
            percent_text(r.monthly_rate * 100) + "%",
            _amount(r.opening),
            _amount(r.lent),
            _amount(r.repaid),
        ]
        cells += [_amount(r.written_off)] if written_off else []
        cells += [_amount(r.outstanding), _amount(r.interest_paid), _amount(r.arrears)]
        cells += [str(r.dpd) if r.dpd else "-", klass]
        body.append(cells)
    total = ["", "", "Jumlah", "", _amount(sum(r.principal for r in recap.rows))]
    total += ["", "", _amount(sum(r.opening for r in recap.rows)), _amount(recap.lent)]
    total += [_amount(recap.repaid)]
    total += [_amount(sum(r.written_off for r in recap.rows))] if written_off else []
    total += [_amount(recap.outstanding), _amount(recap.interest_paid), _amount(recap.arrears)]
    total += ["", ""]
    amounts = 7 if written_off else 6
    fixed = [7 * mm, 19 * mm, 32 * mm, 15 * mm]
    middle = [12 * mm, 10 * mm]
    tail = [14 * mm, 18 * mm]
    amount_w = (LANDSCAPE_W - sum(fixed) - sum(middle) - sum(tail)) / (amounts + 1)
    widths = fixed + [amount_w] + middle + [amount_w] * amounts + tail
    table = long_table(
        [[_hdr(h, s) for h in headers]],
        body,
        [total],
        widths,
        numeric_from=4,
        font_size=_fit_font([*body, total], widths, 4, 6.8),
        wrap=(2,),
        extra=[
            ("ALIGN", (0, 1), (1, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
            ("ALIGN", (5, 1), (6, -1), "CENTER"),
            ("ALIGN", (-2, 1), (-1, -1), "CENTER"),
        ],
    )
    flow: list[Flowable] = [
        _Heading(S_PINJAMAN, s.h1, 0),
        _p(
            f"Setiap pinjaman yang beredar dalam tahun {book.year}, keadaan 31 Desember "
            f"{book.year} (dalam Rupiah).",
            s.cell,
        ),
        Spacer(1, 2 * mm),
        table,
    ]
    if any(r.class_overridden for r in recap.rows):
        flow.append(_p("* kolektibilitas ditetapkan pengurus, bukan dari hari tunggakan.", s.tiny))
    return flow


def _kolektibilitas(book: RatBook, s: _Styles) -> list[Flowable]:
    summary = book.kolektibilitas
    cur, prev = summary.current, summary.previous
    y, p = book.year, book.year - 1
    headers = [
        "Kolektibilitas",
        f"Jumlah Pinjaman {y}",
        f"Sisa Pokok {y}",
        "% Portofolio",
        "Tarif PPAP",
        f"PPAP {y}",
        f"Jumlah Pinjaman {p}",
        f"Sisa Pokok {p}",
        f"PPAP {p}",
    ]
    rows: list[list[Any]] = [[_hdr(h, s) for h in headers]]
    for c, q in zip(cur.classes, prev.classes, strict=True):
        share = Decimal(c.outstanding) / Decimal(cur.outstanding) if cur.outstanding else Decimal(0)
        rows.append(
            [
                c.klass,
                _count(c.loans),
                _amount(c.outstanding),
                _percent(share),
                _percent(c.rate),
                _amount(c.allowance),
                _count(q.loans),
                _amount(q.outstanding),
                _amount(q.allowance),
            ]
        )
    rows.append(
        [
            "Jumlah",
            _count(cur.loans),
            _amount(cur.outstanding),
            "100%" if cur.outstanding else "-",
            "",
            _amount(cur.allowance_required),
            _count(prev.loans),
            _amount(prev.outstanding),
            _amount(prev.allowance_required),
        ]
    )
    widths = [26 * mm] + [(PORTRAIT_W - 26 * mm) / 8] * 8
    table = _grid_table(rows, widths, total_rows=1, font_size=_fit_font(rows[1:], widths, 1, 7.5))
    t = _StatementTable(s, y, (f"31/12/{y}", f"31/12/{p}"))
    for caption, a, b in (
        ("Sisa pokok pinjaman beredar", cur.outstanding, prev.outstanding),
        (
            "Pinjaman bermasalah (Kurang Lancar, Diragukan, Macet)",
            cur.npl_outstanding,
            prev.npl_outstanding,
        ),
        ("Tunggakan angsuran", cur.arrears, prev.arrears),
        ("PPAP wajib dibentuk", cur.allowance_required, prev.allowance_required),
        ("CKPN yang dibukukan", cur.allowance_booked, prev.allowance_booked),
        ("Selisih PPAP (wajib - dibukukan)", cur.allowance_difference, prev.allowance_difference),
    ):
        t.line(StatementLine(caption, a, b), indent=0)
    t.rows.append(
        [
            _p("Jumlah pinjaman menunggak", s.cell),
            _count(cur.overdue_loans),
            _count(prev.overdue_loans),
        ]
    )
    t.rows.append(
        [
            _p("<b>Rasio NPL (pinjaman bermasalah / sisa pokok)</b>", s.cell),
            _percent(cur.npl_ratio),
            _percent(prev.npl_ratio),
        ]
    )
    t.commands.append(("FONTNAME", (1, len(t.rows) - 1), (-1, len(t.rows) - 1), FONT_BOLD))
    t.rows.append([_p("Tingkat kesehatan pinjaman", s.cell), cur.health, prev.health])
    return [
        _Heading(S_KOLEKTIBILITAS, s.h1, 0),
        _p(
            f"Kualitas pinjaman anggota pada 31 Desember {y} dan {p}, penyisihan kerugian "
            "(PPAP) dan rasio pinjaman bermasalah (NPL). Jumlah dalam Rupiah.",
            s.cell,
        ),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 6 * mm),
        _p("<b>Ringkasan</b>", s.cell),
        Spacer(1, 1 * mm),
        t.table(),
    ]


def _shu(book: RatBook, s: _Styles) -> list[Flowable]:
    shu = book.shu
    flow: list[Flowable] = [
        _Heading(S_SHU, s.h1, 0),
        _p(f"<b>A. Rencana pembagian SHU tahun buku {book.year}</b> (dalam Rupiah)", s.cell),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[Any]] = [
        ["Uraian", "Persentase", "Jumlah"],
        ["SHU tahun berjalan", "", _amount(shu.shu)],
    ]
    for c in shu.components:
        rows.append([c.label, percent_text(c.percent) + "%", _amount(c.amount)])
    rows.append(
        [
            "Jumlah dibagi",
            percent_text(sum((c.percent for c in shu.components), Decimal(0))) + "%",
            _amount(sum(c.amount for c in shu.components)),
        ]
    )
    flow.append(
        _grid_table(
            rows,
            [100 * mm, 30 * mm, 40 * mm],
            total_rows=1,
            font_size=8.5,
            extra=[("FONTNAME", (0, 1), (-1, 1), FONT_BOLD)],
        )
    )
    notes = []
    if not shu.distributable:
        notes.append("SHU nol atau negatif tidak dibagikan kepada anggota.")
    if shu.to_cadangan:
        notes.append(
            f"Bagian anggota tanpa dasar pembagian dimasukkan ke Cadangan: "
            f"{format_rupiah(shu.to_cadangan)}."
        )
    base = "simpanan pokok + wajib" + (" + sukarela" if shu.includes_sukarela else "")
    notes.append(
        f"Jasa modal dibagi menurut {base} pada 31 Desember (jumlah "
        f"{format_rupiah(shu.savings_base)}); jasa anggota menurut jasa pinjaman yang "
        f"dibayar dalam tahun buku (jumlah {format_rupiah(shu.interest_base)})."
    )
    if shu.distributed_number and shu.distributed_on is not None:
        notes.append(
            f"Sudah dibagikan dengan jurnal {e(shu.distributed_number)} tanggal "
            f"{dates.format_date(shu.distributed_on)}."
        )
    else:
        notes.append("Rencana ini dibagikan setelah disetujui Rapat Anggota Tahunan.")
    flow += [Spacer(1, 2 * mm)] + [_p(e(n), s.cell) for n in notes]
    flow += [
        CondPageBreak(60 * mm),
        Spacer(1, 5 * mm),
        _p(
            "<b>B. SHU per anggota</b> (dalam Rupiah; anggota menandatangani saat menerima)", s.cell
        ),
        Spacer(1, 2 * mm),
    ]
    headers = [
        "No",
        "No. Anggota",
        "Nama",
        "Simpanan (dasar jasa modal)",
        "Jasa Pinjaman Dibayar",
        "Jasa Modal",
        "Jasa Anggota",
        "Jumlah SHU",
        "Tanda Tangan",
    ]
    body = [
        [
            str(number),
            m.number,
            m.name,
            _amount(m.savings),
            _amount(m.interest),
            _amount(m.jasa_modal),
            _amount(m.jasa_anggota),
            _amount(m.total),
            f"{number}.",
        ]
        for number, m in enumerate(shu.members, start=1)
    ]
    total = [
        "",
        "",
        "Jumlah",
        _amount(sum(m.savings for m in shu.members)),
        _amount(sum(m.interest for m in shu.members)),
        _amount(sum(m.jasa_modal for m in shu.members)),
        _amount(sum(m.jasa_anggota for m in shu.members)),
        _amount(shu.members_total),
        "",
    ]
    widths = [7 * mm, 16 * mm, 36 * mm, 21 * mm, 19 * mm, 19 * mm, 19 * mm, 20 * mm]
    widths.append(PORTRAIT_W - sum(widths))

    def zigzag(first: int, count: int, header_rows: int) -> list[tuple[Any, ...]]:
        # Every second member signs in the middle of the column, so that neighbours'
        # signatures do not run into each other.
        return [
            ("ALIGN", (-1, header_rows + i), (-1, header_rows + i), "CENTER")
            for i in range(count)
            if (first + i) % 2 == 1
        ]

    flow.append(
        long_table(
            [[_hdr(h, s) for h in headers]],
            body,
            [total],
            widths,
            numeric_from=3,
            font_size=_fit_font([*body, total], widths, 3, 7.2),
            wrap=(2,),
            extra=[
                ("ALIGN", (0, 1), (1, -1), "CENTER"),
                ("ALIGN", (-1, 1), (-1, -1), "LEFT"),
                ("VALIGN", (-1, 1), (-1, -1), "TOP"),
                ("FONTSIZE", (-1, 1), (-1, -1), 6),
            ],
            per_row=zigzag,
            padding=(4.5, 4.5),
        )
    )
    return flow


def _members(book: RatBook, s: _Styles) -> list[Flowable]:
    members = book.members
    headers = [
        "No",
        "No. Anggota",
        "Nama",
        "L/P",
        "Alamat",
        "Pekerjaan",
        "Tgl Masuk",
        "Status 31/12",
        "Jabatan",
    ]
    body: list[list[str]] = []
    for number, m in enumerate(members.rows, start=1):
        address = m.dusun or m.address
        rtrw = "/".join(x for x in (m.rt, m.rw) if x)
        if rtrw:
            address = f"{address} RT/RW {rtrw}".strip()
        status = m.status
        if m.left_on is not None:
            status = f"{status} {dates.format_date(m.left_on)}"
        body.append(
            [
                str(number),
                m.number,
                m.name,
                m.sex,
                address or "-",
                m.occupation or "-",
                dates.format_date(m.joined_on),
                status,
                m.position or (m.role if m.role != "anggota" else "") or "-",
            ]
        )
    widths = [8 * mm, 17 * mm, 38 * mm, 8 * mm, 34 * mm, 22 * mm, 16 * mm, 20 * mm]
    widths.append(PORTRAIT_W - sum(widths))
    table = long_table(
        [[_hdr(h, s) for h in headers]],
        body,
        [],
        widths,
        numeric_from=len(headers),
        font_size=7.2,
        wrap=(2, 4, 5, 7, 8),
        extra=[
            ("ALIGN", (0, 1), (1, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
            ("ALIGN", (6, 1), (6, -1), "CENTER"),
        ],
    )
    active = len(members.active)
    return [
        _Heading(S_ANGGOTA, s.h1, 0),
        _p(
            f"Semua yang menjadi anggota dalam tahun {book.year}: {len(members.rows)} orang, "
            f"{active} masih aktif pada 31 Desember {book.year}.",
            s.cell,
        ),
        Spacer(1, 2 * mm),
        table,
    ]


def _pengesahan(book: RatBook, s: _Styles) -> list[Flowable]:
    profile = book.profile
    name = e(profile.name or "Koperasi")
    flow: list[Flowable] = [
        _Heading(S_PENGESAHAN, s.h1, 0),
        _p(
            f"Laporan pertanggungjawaban ini disusun oleh Pengurus {name} untuk Rapat Anggota "
            f"Tahunan tahun buku {book.year}. Pengurus bertanggung jawab atas laporan keuangan "
            "dan rekapitulasi di dalamnya.",
            s.cell,
        ),
        _pengurus(book, s),
        Spacer(1, 10 * mm),
        _p("<b>Laporan Pengawas</b>", s.cell),
        Spacer(1, 1 * mm),
        _p(
            f"Pengawas {name} telah memeriksa pembukuan, laporan keuangan, rekapitulasi simpanan "
            f"dan pinjaman serta rencana pembagian SHU tahun buku {book.year}, dengan catatan "
            "sebagai berikut:",
            s.cell,
        ),
        Spacer(1, 3 * mm),
    ]
    lines = Table([[""] for _ in range(6)], colWidths=[PORTRAIT_W], rowHeights=[8 * mm] * 6)
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), THIN, BLACK, None, (1, 2))]))
    flow.append(lines)
    flow.append(
        _signature_block(
            book.signing_place_date,
            f"Pengawas {profile.name or 'Koperasi'}",
            _pengawas_people(book),
            s,
        )
    )
    return flow


# -- charts (only when the builders give a series of years) ---------------------------------


def _chart_box(title: str, width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=FONT_BOLD, fontSize=9))
    return drawing


def _bar_chart(
    title: str,
    years: Sequence[int],
    series: Sequence[Sequence[int]],
    names: Sequence[str],
    width: float,
    height: float,
) -> Drawing:
    drawing = _chart_box(title, width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 38, 28
    chart.width, chart.height = width - 48, height - 52
    chart.data = [list(values) for values in series]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _axis_number
    chart.barWidth = 8
    fills = [colors.black, colors.white, colors.Color(0.6, 0.6, 0.6)]
    for index in range(len(series)):
        chart.bars[index].fillColor = fills[index % len(fills)]
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.5
    drawing.add(chart)
    x = 38
    for index, name in enumerate(names):
        drawing.add(
            Rect(
                x,
                6,
                7,
                7,
                fillColor=fills[index % len(fills)],
                strokeColor=colors.black,
                strokeWidth=0.5,
            )
        )
        drawing.add(String(x + 10, 7, name, fontName=FONT, fontSize=7))
        x += 14 + len(name) * 4
    return drawing


def _axis_number(value: float) -> str:
    value = int(value)
    if abs(value) >= 1_000_000:
        return format_number(value // 1_000_000) + " jt"
    return format_number(value)


def _line_chart(
    title: str, years: Sequence[int], values: Sequence[float], width: float, height: float
) -> Drawing:
    drawing = _chart_box(title, width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 38, 28
    chart.width, chart.height = width - 48, height - 52
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: f"{v:.1f}%".replace(".", ",")
    chart.lines[0].strokeColor = colors.black
    chart.lines[0].strokeWidth = 1.2
    drawing.add(chart)
    return drawing


def _charts(book: RatBook, s: _Styles) -> list[Flowable]:
    """Members, savings by type, loans outstanding and NPL over the years the book gives.

    Drawn only when the ``RatBook`` has ``trends``: one item per year, oldest first,
    with ``year``, ``members``, ``pokok``, ``wajib``, ``sukarela``, ``loans_outstanding``
    and ``npl_ratio`` (a Decimal, 0.05 = 5%).
    """
    trends = tuple(getattr(book, "trends", ()) or ())
    if len(trends) < 2:
        return []
    years = [t.year for t in trends]
    w, h = PORTRAIT_W / 2 - 3 * mm, 62 * mm
    members = _bar_chart(
        "Jumlah anggota (31 Desember)", years, [[t.members for t in trends]], ["Anggota"], w, h
    )
    savings = _bar_chart(
        "Simpanan menurut jenis (Rupiah)",
        years,
        [[t.pokok for t in trends], [t.wajib for t in trends], [t.sukarela for t in trends]],
        ["Pokok", "Wajib", "Sukarela"],
        w,
        h,
    )
    loans = _bar_chart(
        "Pinjaman beredar (sisa pokok)",
        years,
        [[t.loans_outstanding for t in trends]],
        ["Sisa pokok"],
        w,
        h,
    )
    npl = _line_chart("Rasio NPL", years, [float(t.npl_ratio * 100) for t in trends], w, h)
    grid = Table([[members, savings], [loans, npl]], colWidths=[PORTRAIT_W / 2] * 2)
    grid.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    )
    return [
        _p(f"<b>Perkembangan {years[0]}-{years[-1]}</b>", s.cell),
        Spacer(1, 2 * mm),
        grid,
        PageBreak(),
    ]


# -- the book --------------------------------------------------------------------------------------


def _estimate_pages(book: RatBook) -> int:
    rows = (
        len(book.savings.rows) / 30
        + len(book.loans.rows) / 30
        + len(book.shu.members) / 28
        + len(book.members.rows) / 45
    )
    return int(16 + rows) + 1


def story(book: RatBook, logo: ImageReader | None = None) -> list[Flowable]:
    """The book's flowables; ``logo`` is the document's one reader of ``book.logo``."""
    s = _make_styles()
    if logo is None:
        logo = logos.reader(book.logo)
    flow: list[Flowable] = []
    flow += _cover(book, s, logo)
    flow += _contents(s)
    flow += _membership(book, s)
    flow += [PageBreak(), _Heading(S_KEUANGAN, s.h1, 0)]
    flow += _charts(book, s)
    statements = (_balance_sheet, _income, _equity, _cash_flow, _calk)
    for index, part in enumerate(statements):
        if index:
            flow.append(PageBreak())
        flow += part(book, s)
    flow += [NextPageTemplate(LANDSCAPE), PageBreak()]
    flow += _savings(book, s)
    flow += [PageBreak()]
    flow += _loans(book, s)
    flow += [NextPageTemplate(PORTRAIT), PageBreak()]
    flow += _kolektibilitas(book, s)
    flow += [PageBreak()]
    flow += _shu(book, s)
    flow += [PageBreak()]
    flow += _members(book, s)
    flow += [PageBreak()]
    flow += _pengesahan(book, s)
    return flow


def render_rat_book(book: RatBook, progress: Progress | None = None) -> bytes:
    """The RAT book as PDF bytes. ``progress(done, total)`` is called per page (it may raise
    to cancel)."""
    register_fonts()
    buffer = io.BytesIO()
    logo = logos.reader(book.logo)  # read once; the cover and every header share it
    doc = _RatDocument(
        buffer,
        book,
        progress,
        logo,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_H,
        bottomMargin=MARGIN,
        title=f"Buku RAT Tahun Buku {book.year} {book.profile.name}".strip(),
        author=book.profile.name,
        subject=book.title,
        creator=f"Lumbung {__version__}",
    )
    guess = _estimate_pages(book)
    doc.pages.total = guess
    doc.pages_expected = (1 + DRAWN_PAGE_WORK) * guess + 1
    doc.multiBuild([doc.pages, *story(book, logo)])
    if progress is not None:
        progress(doc.pages_expected, doc.pages_expected)
    return buffer.getvalue()
