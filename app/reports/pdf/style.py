"""One stylesheet for every PDF: the bundled DejaVu Sans, paragraph styles, a plain table style.

Everything is black on white: the village office prints on a cheap A4 laser or
inkjet, often in black only, and photocopies what it prints. Grey fills vanish
or turn to mud on a photocopy, so emphasis is bold text and lines, never shading.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import TableStyle

import app

FONTS_DIR = Path(app.__file__).resolve().parents[1] / "resources" / "fonts"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

PAGE = A4
MARGIN = 15 * mm
BLACK = colors.black
THIN = 0.5
THICK = 1.2


@cache
def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique) once; returns the family name.

    Bold italic is mapped to bold: it is not bundled, and a receipt never needs it.
    """
    for name, file in (
        (FONT, "DejaVuSans.ttf"),
        (FONT_BOLD, "DejaVuSans-Bold.ttf"),
        (FONT_ITALIC, "DejaVuSans-Oblique.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )
    return FONT


@cache
def styles() -> StyleSheet1:
    """Paragraph styles shared by all reports (``styles()["body"]``)."""
    register_fonts()
    sheet = StyleSheet1()

    def add(name: str, **kw: object) -> None:
        base = {"fontName": FONT, "fontSize": 9, "leading": 11.5, "textColor": BLACK}
        base.update(kw)
        sheet.add(ParagraphStyle(name, **base))

    add("body")
    add("body_right", alignment=TA_RIGHT)
    add("body_center", alignment=TA_CENTER)
    add("bold", fontName=FONT_BOLD)
    add("bold_right", fontName=FONT_BOLD, alignment=TA_RIGHT)
    add("italic", fontName=FONT_ITALIC)
    add("small", fontSize=7, leading=8.5)
    add("small_right", fontSize=7, leading=8.5, alignment=TA_RIGHT)
    add("small_center", fontSize=7, leading=8.5, alignment=TA_CENTER)
    add("org_name", fontName=FONT_BOLD, fontSize=11.5, leading=14)
    add("org_line", fontSize=7.5, leading=9.5)
    add("title", fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER)
    add("subtitle", fontSize=10, leading=13, alignment=TA_CENTER)
    add("doc_title", fontName=FONT_BOLD, fontSize=11.5, leading=14, alignment=TA_RIGHT)
    add("heading", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    add("cell", fontSize=8.5, leading=10.5)
    add("cell_right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
    add("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=10.5)
    add("cell_bold_right", fontName=FONT_BOLD, fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
    add("total", fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_RIGHT)
    add("total_label", fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_LEFT)
    add("words", fontName=FONT_ITALIC, fontSize=9.5, leading=12)
    add("sign", fontSize=9, leading=11.5, alignment=TA_CENTER)
    add("sign_name", fontName=FONT_BOLD, fontSize=9, leading=11.5, alignment=TA_CENTER)
    return sheet


def layout_style(
    *commands: tuple[object, ...],
    left: float = 0,
    right: float = 0,
    top: float = 0,
    bottom: float = 0,
) -> TableStyle:
    """A table that only places things side by side: cells aligned at the top and no
    padding unless asked (reportlab's defaults are 6 pt left and right, 3 pt top and bottom).
    ``commands`` are added after (a rule, a span)."""
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), left),
            ("RIGHTPADDING", (0, 0), (-1, -1), right),
            ("TOPPADDING", (0, 0), (-1, -1), top),
            ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
            *commands,
        ]
    )


def table_style(
    *, header_rows: int = 1, total_rows: int = 0, grid: bool = True, numeric_from: int = 1
) -> TableStyle:
    """A clean black-and-white table: ruled header, optional ruled total rows.

    ``numeric_from`` is the first column that holds amounts (right-aligned).
    """
    register_fonts()
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 10.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), BLACK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if grid:
        commands.append(("GRID", (0, 0), (-1, -1), THIN, BLACK))
    if header_rows:
        commands += [
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), THICK, BLACK),
        ]
    if total_rows:
        commands += [
            ("FONTNAME", (0, -total_rows), (-1, -1), FONT_BOLD),
            ("LINEABOVE", (0, -total_rows), (-1, -total_rows), THICK, BLACK),
        ]
    return TableStyle(commands)


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes "Halaman X dari Y" at the foot of each page.

    Use as ``doc.build(story, canvasmaker=NumberedCanvas)``; pages are kept
    until the end so that Y is known.
    """

    footer_text = "Halaman {page} dari {pages}"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, object]] = []

    def showPage(self) -> None:  # reportlab API name
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            width, _height = self._pagesize
            self.setFont(FONT, 7.5)
            self.drawRightString(
                width - MARGIN,
                MARGIN / 2,
                self.footer_text.format(page=self._pageNumber, pages=pages),
            )
            super().showPage()
        super().save()
