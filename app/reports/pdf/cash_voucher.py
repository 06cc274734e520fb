"""Bukti kas masuk / keluar: one voucher per A4 page, with room for three signatures.

The number is the entry's number (``KM-2025-000012``, ``KK-2025-000007``); the
amount is written in figures and in words. Renders ``CashVoucher`` dataclasses
(app/queries/cash_documents.py) and runs no queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__, dates
from app.money import format_number, format_rupiah
from app.queries.cash_documents import CashVoucher
from app.reports.pdf._document import CONTENT_W, e, label_table, letterhead, p, render_a4
from app.reports.pdf.style import (
    BLACK,
    THICK,
    NumberedCanvas,
    layout_style,
    register_fonts,
    table_style,
)

BLANK = "...................................."


def _facts(voucher: CashVoucher) -> Table:
    rows = [
        ("Tanggal", dates.format_date_long(voucher.date)),
        ("Jenis", e(voucher.kind_label)),
        ("Unit usaha", e(voucher.unit)),
    ]
    if voucher.member:
        rows.append(("Anggota", e(voucher.member)))
    rows.append(("Keterangan", f"<b>{e(voucher.memo)}</b>"))
    if voucher.reverses:
        rows.append(("Membalik", e(voucher.reverses)))
    if voucher.reversed_by:
        rows.append(("Dibalik oleh", f"<b>{e(voucher.reversed_by)}</b> (transaksi ini dibatalkan)"))
    return label_table(rows, CONTENT_W, 30 * mm)


def _lines(voucher: CashVoucher) -> Table:
    """The counter accounts; the line memo column only when some line has one."""
    head = "Diterima untuk akun" if voucher.incoming else "Dibayarkan untuk akun"
    memos = any(line.memo for line in voucher.lines)
    data: list[list[object]] = [["Kode", head, *(["Keterangan"] if memos else []), "Jumlah (Rp)"]]
    for line in voucher.lines:
        memo = [p(e(line.memo), "cell")] if memos else []
        data.append([line.code, p(e(line.name), "cell"), *memo, format_number(line.amount)])
    data.append(
        ["", p("<b>JUMLAH</b>", "cell"), *([""] if memos else []), format_number(voucher.amount)]
    )
    if memos:
        widths = [20 * mm, 70 * mm, CONTENT_W - 125 * mm, 35 * mm]
    else:
        widths = [20 * mm, CONTENT_W - 55 * mm, 35 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = table_style(total_rows=1, numeric_from=len(widths) - 1)
    style.add("ALIGN", (0, 1), (0, -1), "CENTER")
    style.add("TOPPADDING", (0, 1), (-1, -1), 4)
    style.add("BOTTOMPADDING", (0, 1), (-1, -1), 4.5)
    table.setStyle(style)
    return table


def _amount(voucher: CashVoucher) -> Table:
    label = "Uang diterima" if voucher.incoming else "Uang dibayarkan"
    table = Table(
        [
            [p(label, "total_label"), p(format_rupiah(voucher.amount), "total")],
            [p(f"Terbilang: <i>{e(voucher.words.capitalize())}</i>", "words"), ""],
        ],
        colWidths=[CONTENT_W * 0.55, CONTENT_W * 0.45],
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), THICK, BLACK),
                ("SPAN", (0, 1), (1, 1)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _sign_cell(role: str, name: str) -> list[Flowable]:
    return [
        p(role, "sign"),
        Spacer(1, 18 * mm),
        p(f"( {e(name) or BLANK} )", "sign_name"),
    ]


def _signatures(voucher: CashVoucher) -> Table:
    profile = voucher.profile
    place = profile.place()
    day = dates.format_date_long(voucher.date)
    third = CONTENT_W / 3
    other = "Dibayar oleh," if voucher.incoming else "Diterima oleh,"
    rows = [
        ["", "", p(f"{e(place)}, {day}" if place else day, "sign")],
        [
            _sign_cell("Dibuat oleh,<br/>Bendahara", profile.bendahara),
            _sign_cell("Disetujui,<br/>Ketua", profile.ketua),
            _sign_cell(f"{other}<br/>&nbsp;", ""),
        ],
    ]
    table = Table(rows, colWidths=[third] * 3)
    table.setStyle(layout_style(bottom=3))
    return table


def voucher_story(voucher: CashVoucher, printed_at: datetime) -> list[Flowable]:
    extra = [f"Tanggal: <b>{dates.format_date(voucher.date)}</b>"]
    return [
        letterhead(voucher.profile, voucher.title, voucher.number, extra),
        Spacer(1, 5 * mm),
        _facts(voucher),
        Spacer(1, 4 * mm),
        _lines(voucher),
        Spacer(1, 4 * mm),
        _amount(voucher),
        Spacer(1, 8 * mm),
        KeepTogether(_signatures(voucher)),
        Spacer(1, 6 * mm),
        p(
            f"Dibukukan oleh {e(voucher.posted_by)} pada "
            f"{dates.format_datetime(voucher.posted_at)} · dicetak "
            f"{dates.format_datetime(printed_at)} · Lumbung {__version__}",
            "small",
        ),
    ]


def render_cash_vouchers(
    vouchers: Sequence[CashVoucher], *, printed_at: datetime | None = None
) -> bytes:
    """Each voucher on its own A4 page."""
    if not vouchers:
        raise ValueError("no vouchers to render")
    register_fonts()
    when = printed_at or datetime.now()
    story: list[Flowable] = []
    for index, voucher in enumerate(vouchers):
        if index:
            story.append(PageBreak())
        story += voucher_story(voucher, when)
    first = vouchers[0]
    return render_a4(
        story,
        title=f"{first.title.capitalize()} {first.number}",
        author=first.profile.name,
        canvasmaker=NumberedCanvas,
    )


def render_cash_voucher(voucher: CashVoucher, *, printed_at: datetime | None = None) -> bytes:
    return render_cash_vouchers([voucher], printed_at=printed_at)
