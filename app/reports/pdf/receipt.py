"""Kwitansi: one receipt per half A4 sheet, two per sheet with a cut line between them.

Why half A4 and not A5: the village office has one cheap A4 printer with A4
paper in its only tray. An A5 document makes Windows drivers either ask for
A5 paper, shrink it, or print it in a corner; half an A4 page prints right
everywhere, and a day's wajib collection of nine receipts takes five sheets
instead of nine. Cut along the dashed line (or fold and tear).

The renderer runs no queries: it draws the ``Receipt`` dataclasses it is given.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__, dates
from app.money import format_rupiah
from app.queries.receipts import Receipt
from app.reports.pdf._document import e, letterhead, p
from app.reports.pdf.style import (
    BLACK,
    FONT,
    PAGE,
    THICK,
    THIN,
    layout_style,
    register_fonts,
)

PAGE_W, PAGE_H = PAGE
HALF_H = PAGE_H / 2
SIDE = 14 * mm
TOP = 9 * mm  # inside each half, above and below the receipt
CONTENT_W = PAGE_W - 2 * SIDE


def _header(receipt: Receipt) -> Table:
    date_line = f"Tanggal <b>{dates.format_date(receipt.date)}</b>"
    return letterhead(receipt.profile, receipt.title, receipt.number, [date_line], width=CONTENT_W)


def _party(receipt: Receipt) -> Table:
    who = "Telah terima dari" if receipt.cash_in else "Dibayarkan kepada"
    member = f"<b>{e(receipt.member_name)}</b>"
    if receipt.member_number:
        member = f"{member} (No. anggota {e(receipt.member_number)})"
    rows = [[p(who, "body"), p(":", "body"), p(member, "body")]]
    if receipt.member_address:
        rows.append([p("Alamat", "body"), p(":", "body"), p(e(receipt.member_address), "body")])
    if receipt.memo:
        rows.append([p("Keterangan", "body"), p(":", "body"), p(e(receipt.memo), "body")])
    table = Table(rows, colWidths=[32 * mm, 3 * mm, CONTENT_W - 35 * mm])
    table.setStyle(layout_style(top=1, bottom=1))
    return table


def _lines_table(receipt: Receipt, width: float) -> Table:
    what = receipt.lines_title or ("Untuk pembayaran" if receipt.cash_in else "Untuk penarikan")
    rows: list[list[object]] = [[p(f"<b>{what}</b>", "cell"), p("<b>Jumlah</b>", "cell_right")]]
    rows += [
        [p(e(line.label), "cell"), p(format_rupiah(line.amount), "cell_right")]
        for line in receipt.lines
    ]
    rows.append(
        [p(e(receipt.total_label), "total_label"), p(format_rupiah(receipt.total), "total")]
    )
    table = Table(rows, colWidths=[width * 0.58, width * 0.42])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, 0), THIN, BLACK),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                # The total in a heavy box, as on a printed kuitansi.
                ("BOX", (0, -1), (-1, -1), THICK * 1.5, BLACK),
                ("TOPPADDING", (0, -1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
            ]
        )
    )
    return table


def _balances_table(receipt: Receipt, width: float) -> Table:
    rows: list[list[object]] = [
        [p(f"<b>{e(receipt.side_title)}</b>", "cell"), ""],
    ]
    rows += [
        [p(e(line.label), "cell"), p(format_rupiah(line.amount), "cell_right")]
        for line in receipt.balances_after
    ]
    total = receipt.side_total
    if total is None:
        total = sum(line.amount for line in receipt.balances_after)
    if receipt.side_total_label:
        rows.append(
            [
                p(e(receipt.side_total_label), "cell_bold"),
                p(format_rupiah(total), "cell_bold_right"),
            ]
        )
    table = Table(rows, colWidths=[width * 0.55, width * 0.45])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BOX", (0, 0), (-1, -1), THIN, BLACK),
                ("LINEBELOW", (0, 0), (-1, 0), THIN, BLACK),
                ("LINEABOVE", (0, -1), (-1, -1), THIN, BLACK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _body(receipt: Receipt) -> Table:
    gap = 8 * mm
    left_w = CONTENT_W * 0.56 - gap / 2
    right_w = CONTENT_W * 0.44 - gap / 2
    right: object = _balances_table(receipt, right_w) if receipt.balances_after else ""
    table = Table(
        [[_lines_table(receipt, left_w), "", right]],
        colWidths=[left_w, gap, right_w],
    )
    table.setStyle(layout_style())
    return table


def _words(receipt: Receipt) -> Table:
    words = receipt.total_in_words
    words = words[:1].upper() + words[1:]
    table = Table(
        [[p("<b>Terbilang:</b>", "body"), p(f"<i>{e(words)}</i>", "words")]],
        colWidths=[22 * mm, CONTENT_W - 22 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), THIN, BLACK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _signatures(receipt: Receipt) -> Table:
    place = receipt.profile.place()
    signed_on = dates.format_date_long(receipt.date)
    when = f"{e(place)}, {signed_on}" if place else signed_on
    bendahara = receipt.profile.bendahara or "...................................."
    member = receipt.member_name or "...................................."
    if receipt.cash_in:
        member_role, officer_role = "Penyetor,", "Penerima,<br/>Bendahara"
    else:
        member_role, officer_role = "Yang menerima,", "Yang membayarkan,<br/>Bendahara"
    space = Spacer(1, 15 * mm)
    left = [p("&nbsp;", "sign"), p(member_role, "sign"), p("&nbsp;", "sign"), space]
    left.append(p(f"( {e(member)} )", "sign_name"))
    right = [p(when, "sign"), p(officer_role, "sign"), space]
    right.append(p(f"( {e(bendahara)} )", "sign_name"))
    third = CONTENT_W / 3
    table = Table([[left, "", right]], colWidths=[third, third, third])
    table.setStyle(layout_style())
    return table


def _footer(receipt: Receipt, printed_at: datetime) -> Paragraph:
    return p(
        f"Dibukukan oleh {e(receipt.posted_by)} pada "
        f"{dates.format_datetime(receipt.posted_at)} · "
        f"dicetak {dates.format_datetime(printed_at)} · Lumbung {__version__}",
        "small",
    )


def receipt_story(receipt: Receipt, printed_at: datetime) -> list[Flowable]:
    """The flowables of one receipt, sized for half an A4 page."""
    return [
        _header(receipt),
        Spacer(1, 3 * mm),
        _party(receipt),
        Spacer(1, 3 * mm),
        _body(receipt),
        Spacer(1, 3 * mm),
        _words(receipt),
        Spacer(1, 3 * mm),
        _signatures(receipt),
        Spacer(1, 3 * mm),
        _footer(receipt, printed_at),
    ]


def _cut_line(canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    canvas.line(6 * mm, HALF_H, PAGE_W - 6 * mm, HALF_H)
    canvas.setDash()
    label = " potong di sini "
    canvas.setFont(FONT, 6.5)
    width = canvas.stringWidth(label, FONT, 6.5)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(PAGE_W / 2 - width / 2 - 2, HALF_H - 4, width + 4, 8, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawCentredString(PAGE_W / 2, HALF_H - 2.3, label)
    canvas.restoreState()


def render_receipts(receipts: Sequence[Receipt], *, printed_at: datetime | None = None) -> bytes:
    """A PDF with one kwitansi per half A4 page, in order; two per sheet."""
    register_fonts()
    if not receipts:
        raise ValueError("render_receipts() needs at least one receipt")
    printed_at = printed_at or datetime.now()
    buffer = io.BytesIO()
    frame_h = HALF_H - 2 * TOP
    frames = [
        Frame(
            SIDE,
            HALF_H + TOP,
            CONTENT_W,
            frame_h,
            id="top",
            showBoundary=0,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
        Frame(
            SIDE,
            TOP,
            CONTENT_W,
            frame_h,
            id="bottom",
            showBoundary=0,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        ),
    ]
    first = receipts[0]
    title = first.title.title() if len(receipts) == 1 else "Kwitansi"
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=SIDE,
        rightMargin=SIDE,
        topMargin=TOP,
        bottomMargin=TOP,
        title=f"{title} {first.number}" if len(receipts) == 1 else f"{title} ({len(receipts)})",
        author=first.profile.name,
        creator=f"Lumbung {__version__}",
        subject=", ".join(r.number for r in receipts[:20]),
    )
    doc.addPageTemplates([PageTemplate(id="half", frames=frames, onPage=_cut_line)])
    story: list[Flowable] = []
    for index, receipt in enumerate(receipts):
        if index:
            story.append(FrameBreak())
        # Never let a long address push a receipt across the cut line: shrink instead.
        story.append(
            KeepInFrame(CONTENT_W, frame_h, receipt_story(receipt, printed_at), mode="shrink")
        )
    doc.build(story)
    return buffer.getvalue()
