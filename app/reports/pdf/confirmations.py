"""Surat konfirmasi saldo: one A4 page per member, printed in one batch before the RAT.

Each page: the letterhead, the member, savings by type, loans with outstanding
principal and arrears, the member's statement (balances correct / not correct,
with room to write his own figures), his signature and the bendahara's name.
Renders ``Confirmation`` records and runs no queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from app import __version__, dates
from app.money import format_number
from app.reports.build_confirmations import Confirmation
from app.reports.pdf._document import CONTENT_W, e, label_table, letterhead, p, render_a4
from app.reports.pdf.style import layout_style, register_fonts, table_style
from app.services.settings import Profile

TITLE = "SURAT KONFIRMASI SALDO"


def slip_number(c: Confirmation) -> str:
    return f"KS-{c.on.year}-{c.number}"


def _balances(c: Confirmation) -> Table:
    rows: list[list[object]] = [
        ["Jenis simpanan", "Saldo (Rp)"],
        ["Simpanan pokok", format_number(c.pokok)],
        ["Simpanan wajib", format_number(c.wajib)],
        ["Simpanan sukarela", format_number(c.sukarela)],
        ["Jumlah simpanan", format_number(c.savings)],
    ]
    table = Table(rows, colWidths=[CONTENT_W * 0.6, CONTENT_W * 0.4])
    table.setStyle(table_style(total_rows=1))
    return table


def _loans(c: Confirmation) -> Flowable:
    if not c.loans:
        return p("Tidak ada pinjaman yang masih berjalan pada tanggal tersebut.")
    rows: list[list[object]] = [
        ["No. pinjaman", "Sisa pokok (Rp)", "Angsuran tertunggak", "Tunggakan (Rp)"]
    ]
    for loan in c.loans:
        rows.append(
            [
                loan.number,
                format_number(loan.outstanding),
                str(loan.overdue_installments) if loan.overdue_installments else "-",
                format_number(loan.arrears),
            ]
        )
    rows.append(["Jumlah", format_number(c.outstanding), "", format_number(c.arrears)])
    table = Table(rows, colWidths=[CONTENT_W * w for w in (0.25, 0.25, 0.22, 0.28)])
    style = table_style(total_rows=1)
    style.add("ALIGN", (2, 1), (2, -1), "CENTER")
    table.setStyle(style)
    return table


def _signatures(c: Confirmation, profile: Profile) -> Table:
    place = e(profile.place())
    left = [
        p("Anggota,", "sign"),
        Spacer(1, 18 * mm),
        p(f"( {e(c.name)} )", "sign_name"),
        p("Tanggal: ____ / ____ / ________", "sign"),
    ]
    right = [
        p(f"{place}, {dates.format_date_long(c.on)}", "sign"),
        p("Bendahara,", "sign"),
        Spacer(1, 13.5 * mm),
        p(f"( {e(profile.bendahara) or '.' * 30} )", "sign_name"),
    ]
    half = CONTENT_W / 2
    table = Table([[left, right]], colWidths=[half, half])
    table.setStyle(layout_style(top=3, bottom=3))
    return table


def page(c: Confirmation, profile: Profile, printed_at: datetime) -> list[Flowable]:
    on = dates.format_date_long(c.on)
    coop = e(profile.name) or "koperasi"
    return [
        letterhead(profile, TITLE, slip_number(c), [f"Per {on}"]),
        Spacer(1, 5 * mm),
        label_table(
            [
                ("Nama anggota", f"<b>{e(c.name)}</b>"),
                ("No. anggota", e(c.number)),
                ("Alamat", e(c.address) or "-"),
            ],
            CONTENT_W,
            30 * mm,
        ),
        Spacer(1, 4 * mm),
        p(
            f"Dengan hormat, menjelang Rapat Anggota Tahunan kami sampaikan saldo simpanan dan "
            f"pinjaman Bapak/Ibu menurut pembukuan {coop} per tanggal <b>{on}</b>. Mohon "
            "dicocokkan dengan catatan Bapak/Ibu, diisi, ditandatangani dan dikembalikan kepada "
            "pengurus."
        ),
        Spacer(1, 3 * mm),
        p("A. Simpanan", "heading"),
        _balances(c),
        Spacer(1, 2 * mm),
        p("B. Pinjaman", "heading"),
        _loans(c),
        Spacer(1, 6 * mm),
        p("<b>Pernyataan anggota</b>"),
        Spacer(1, 2 * mm),
        p("Saya menyatakan saldo di atas [ ] BENAR  [ ] TIDAK BENAR, menurut catatan saya:"),
        Spacer(1, 5 * mm),
        p("_" * 95),
        Spacer(1, 5 * mm),
        p("_" * 95),
        Spacer(1, 8 * mm),
        _signatures(c, profile),
        Spacer(1, 8 * mm),
        p(
            "Bila terdapat perbedaan, mohon lampirkan bukti setoran atau kuitansi yang Bapak/Ibu "
            f"miliki. Dicetak {dates.format_datetime(printed_at)} · Lumbung {__version__}",
            "small",
        ),
    ]


def render_confirmations(
    slips: Sequence[Confirmation],
    profile: Profile,
    *,
    printed_at: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """All slips in one PDF, one page each (an empty batch gives one explanatory page)."""
    register_fonts()
    printed = printed_at or datetime.now()
    flow: list[Flowable] = []
    for index, slip in enumerate(slips):
        if index:
            flow.append(PageBreak())
        flow += page(slip, profile, printed)
        if progress is not None:
            progress(index + 1, len(slips))
    if not flow:
        flow.append(p("Tidak ada anggota aktif pada tanggal tersebut."))
    on: date | None = slips[0].on if slips else None
    return render_a4(
        flow,
        title=f"Surat konfirmasi saldo {dates.format_date(on)}" if on else TITLE.title(),
        author=profile.name,
    )
