"""Pieces shared by the A4 documents: the letterhead, label tables, and the page setup."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app import __version__
from app.reports.pdf.style import BLACK, MARGIN, PAGE, THICK, layout_style, register_fonts, styles
from app.services.settings import Profile

CONTENT_W = PAGE[0] - 2 * MARGIN


def p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, styles()[style])


def e(text: str) -> str:
    return escape(text or "")


def org_lines(profile: Profile) -> list[str]:
    region = []
    if profile.desa:
        region.append(f"Desa {profile.desa}")
    if profile.kecamatan:
        region.append(f"Kec. {profile.kecamatan}")
    region += [x for x in (profile.kabupaten, profile.provinsi) if x]
    legal = []
    if profile.badan_hukum_number:
        legal.append(f"Badan Hukum No. {e(profile.badan_hukum_number)}")
    if profile.phone:
        # A phone number is never broken over two lines.
        legal.append(f"Telp.&nbsp;{e(profile.phone).replace(' ', '&nbsp;')}")
    lines = [e(profile.address), ", ".join(e(r) for r in region), " · ".join(legal)]
    return [line for line in lines if line]


def letterhead(
    profile: Profile,
    title: str,
    number: str,
    extra: Sequence[str] = (),
    *,
    width: float = CONTENT_W,
) -> Table:
    """Cooperative at the left, the document's title and number at the right, a rule below."""
    org: list[object] = [p(e(profile.name) or "Koperasi", "org_name")]
    org += [p(line, "org_line") for line in org_lines(profile)]
    doc: list[object] = [p(e(title), "doc_title"), Spacer(1, 2)]
    doc.append(p(f"No. <b>{e(number)}</b>", "body_right"))
    doc += [p(line, "body_right") for line in extra]
    table = Table([[org, doc]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(layout_style(("LINEBELOW", (0, 0), (-1, 0), THICK, BLACK), bottom=4))
    return table


def label_table(rows: Sequence[tuple[str, str]], width: float, label_w: float = 42 * mm) -> Table:
    """ "Label : value" lines; values are already escaped markup."""
    data = [[p(e(label)), p(":"), p(value)] for label, value in rows]
    table = Table(data, colWidths=[label_w, 3 * mm, width - label_w - 3 * mm])
    table.setStyle(layout_style(right=2, top=1, bottom=1))
    return table


def _nothing(_canvas: Any, _doc: Any) -> None:
    pass


def render_a4(
    flow: Sequence[Flowable],
    *,
    title: str,
    author: str,
    canvasmaker: Any = None,
    on_page: Any = None,
    landscape: bool = False,
) -> bytes:
    """Lay a story out on A4 with the house margins and PDF metadata; returns the bytes.

    ``canvasmaker`` is NumberedCanvas for "Halaman X dari Y"; None for documents
    whose pages go to different people (one slip per member).
    """
    register_fonts()
    buffer = io.BytesIO()
    size = (PAGE[1], PAGE[0]) if landscape else PAGE
    template = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator=f"Lumbung {__version__}",
    )
    # No frame padding: a table as wide as CONTENT_W fills the space between the margins
    # exactly (reportlab's default frame would take 6 pt off each side).
    frame = Frame(
        MARGIN,
        MARGIN,
        size[0] - 2 * MARGIN,
        size[1] - 2 * MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates([PageTemplate("a4", [frame], onPage=on_page or _nothing)])
    options: dict[str, Any] = {}
    if canvasmaker is not None:
        options["canvasmaker"] = canvasmaker
    template.build(list(flow), **options)
    return buffer.getvalue()
