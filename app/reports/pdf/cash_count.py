"""Berita acara kas opname: the cash box counted by denomination, against the book, signed.

Bendahara (who counted), Ketua and Pengawas sign; names come from the
cooperative's profile (Pengaturan), blank lines when a name is missing. Renders a
``CashCountReport`` (app/queries/cash_documents.py) and runs no queries.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from app import __version__, dates
from app.money import format_number, format_rupiah, terbilang_rupiah
from app.queries.cash_documents import CashCountReport
from app.reports.pdf._document import CONTENT_W, e, label_table, org_lines, p, render_a4
from app.reports.pdf.style import (
    BLACK,
    THICK,
    NumberedCanvas,
    layout_style,
    table_style,
)

TITLE = "BERITA ACARA KAS OPNAME"
BLANK = "...................................."
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _header(report: CashCountReport) -> list[Flowable]:
    profile = report.profile
    org: list[Flowable] = [p(e(profile.name) or "Koperasi", "org_name")]
    org += [p(line, "org_line") for line in org_lines(profile)]
    table = Table([[org]], colWidths=[CONTENT_W])
    table.setStyle(layout_style(("LINEBELOW", (0, 0), (-1, 0), THICK, BLACK), bottom=4))
    return [
        table,
        Spacer(1, 5 * mm),
        p(TITLE, "title"),
        p(f"Tanggal {dates.format_date(report.date)}", "subtitle"),
        Spacer(1, 5 * mm),
    ]


def _opening(report: CashCountReport) -> Flowable:
    day = DAYS[report.date.weekday()]
    name = e(report.profile.name) or "koperasi"
    return p(
        f"Pada hari ini, {day}, tanggal {dates.format_date_long(report.date)}, kami yang "
        f"bertanda tangan di bawah ini telah menghitung uang kas {name} yang ada di tangan "
        "bendahara, dengan hasil sebagai berikut:"
    )


def _kind(denomination: int) -> str:
    if denomination > 1_000:
        return "Kertas"
    if denomination == 1_000:
        return "Kertas/logam"
    return "Logam"


def _counts(report: CashCountReport) -> Table:
    data: list[list[object]] = [
        ["No.", "Pecahan", "Jenis", "Lembar/keping", "Jumlah (Rp)"],
    ]
    for number, row in enumerate(report.rows, start=1):
        data.append(
            [
                str(number),
                format_rupiah(row.denomination),
                _kind(row.denomination),
                format_number(row.pieces) if row.pieces else "-",
                format_number(row.value) if row.value else "-",
            ]
        )
    data.append(["", "Jumlah uang kas dihitung", "", "", format_number(report.total)])
    widths = [12 * mm, 38 * mm, 32 * mm, 32 * mm, CONTENT_W - 114 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = table_style(total_rows=1, numeric_from=3)
    style.add("ALIGN", (0, 1), (0, -1), "CENTER")
    style.add("ALIGN", (1, 1), (1, -2), "RIGHT")
    style.add("ALIGN", (2, 1), (2, -1), "CENTER")
    style.add("SPAN", (1, -1), (3, -1))
    style.add("ALIGN", (1, -1), (1, -1), "LEFT")
    table.setStyle(style)
    return table


def _difference_text(difference: int) -> str:
    if difference == 0:
        return "<b>Rp0</b> (uang kas sama dengan saldo buku)"
    if difference > 0:
        return f"<b>{format_rupiah(difference)}</b> (uang kas <b>lebih</b> dari saldo buku)"
    return f"<b>{format_rupiah(-difference)}</b> (uang kas <b>kurang</b> dari saldo buku)"


def _summary(report: CashCountReport) -> Table:
    rows = [
        ("A. Uang kas dihitung", f"<b>{format_rupiah(report.total)}</b>"),
        ("", f"<i>{e(terbilang_rupiah(report.total).capitalize())}</i>"),
        (
            "B. Saldo buku kas (1-101)",
            f"<b>{format_rupiah(report.book_balance)}</b> per akhir "
            f"{dates.format_date(report.date)}",
        ),
        ("Selisih (A − B)", _difference_text(report.difference)),
        ("Catatan", e(report.note) or "-"),
        (
            "Status",
            "Hari sudah ditutup: tidak ada transaksi lagi pada tanggal ini."
            if report.closed
            else "Hari belum ditutup.",
        ),
    ]
    return label_table(rows, CONTENT_W, 50 * mm)


def _sign_cell(role: str, name: str) -> list[Flowable]:
    return [p(role, "sign"), Spacer(1, 18 * mm), p(f"( {e(name) or BLANK} )", "sign_name")]


def _signatures(report: CashCountReport) -> Table:
    profile = report.profile
    third = CONTENT_W / 3
    rows = [
        ["", "", p(e(report.place_and_date), "sign")],
        [
            _sign_cell("Yang menghitung,<br/>Bendahara", profile.bendahara),
            _sign_cell("Mengetahui,<br/>Ketua", profile.ketua),
            _sign_cell("Menyaksikan,<br/>Pengawas", profile.ketua_pengawas),
        ],
    ]
    table = Table(rows, colWidths=[third] * 3)
    table.setStyle(layout_style(bottom=3))
    return table


def story(report: CashCountReport, printed_at: datetime) -> list[Flowable]:
    flow = _header(report)
    flow += [
        _opening(report),
        Spacer(1, 4 * mm),
        _counts(report),
        Spacer(1, 5 * mm),
        _summary(report),
        Spacer(1, 4 * mm),
        p(
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
            "sebagaimana mestinya."
        ),
        Spacer(1, 8 * mm),
        KeepTogether(_signatures(report)),
        Spacer(1, 6 * mm),
        p(
            f"Dihitung oleh {e(report.counted_by)} pada "
            f"{dates.format_datetime(report.counted_at)} · dicetak "
            f"{dates.format_datetime(printed_at)} · Lumbung {__version__}",
            "small",
        ),
    ]
    return flow


def render_cash_count(report: CashCountReport, *, printed_at: datetime | None = None) -> bytes:
    return render_a4(
        story(report, printed_at or datetime.now()),
        title=f"Berita acara kas opname {dates.format_date(report.date)}",
        author=report.profile.name,
        canvasmaker=NumberedCanvas,
    )
