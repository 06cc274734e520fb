"""Kartu angsuran: the member's loan card, A4 portrait, with room to sign each payment.

Installments already paid show the date the installment was completed and the
amount paid; the rest is left blank for the pen. Renders a ``LoanDocument``
and runs no queries.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from app import __version__, dates
from app.money import format_number, format_rupiah
from app.queries.loan_documents import LoanDocument
from app.reports.pdf._document import CONTENT_W, e, label_table, letterhead, p, render_a4
from app.reports.pdf.style import NumberedCanvas, layout_style, table_style
from app.services.loan_products import format_percent

TITLE = "KARTU ANGSURAN PINJAMAN"
COLUMNS = (
    ("Ke", 9),
    ("Jatuh tempo", 20),
    ("Pokok", 21),
    ("Jasa", 19),
    ("Angsuran", 22),
    ("Sisa pokok", 23),
    ("Tgl bayar", 20),
    ("Jumlah dibayar", 24),
    ("Paraf", 22),
)


def _terms(doc: LoanDocument) -> Table:
    half = CONTENT_W / 2 - 3 * mm
    member = doc.member
    left_rows = [
        ("Peminjam", f"<b>{e(member.name)}</b>"),
        ("No. anggota", e(member.number)),
        ("NIK", e(member.nik)),
        ("Alamat", e(member.address) or "-"),
        ("No. HP", e(member.phone) or "-"),
        (
            "Penjamin",
            f"{e(doc.guarantor.name)} ({e(doc.guarantor.number)})" if doc.guarantor else "-",
        ),
    ]
    rate = f"{format_percent(doc.monthly_rate)} per bulan ({e(doc.method_label)})"
    if doc.is_flat and doc.effective_rate:
        rate += f", efektif ± {format_percent(doc.effective_rate, places=2)}"
    start = dates.format_date(doc.disbursed_on) if doc.disbursed_on else "belum dicairkan"
    installment = format_rupiah(doc.first_installment)
    if not doc.equal_installments:
        installment += " (pertama, lalu menurun)"
    right_rows = [
        ("Pokok pinjaman", f"<b>{format_rupiah(doc.principal)}</b>"),
        ("Jasa/bunga", rate),
        ("Jangka waktu", f"{doc.months} bulan"),
        ("Tanggal cair", start),
        ("Angsuran per bulan", installment),
        ("Jumlah jasa", format_rupiah(doc.total_interest)),
    ]
    table = Table(
        [
            [
                label_table(left_rows, half, 24 * mm),
                "",
                label_table(right_rows, half, 33 * mm),
            ]
        ],
        colWidths=[half, 6 * mm, half],
    )
    table.setStyle(layout_style(top=3, bottom=3))
    return table


def _schedule(doc: LoanDocument) -> Table:
    rows: list[list[object]] = [[p(f"<b>{name}</b>", "small_center") for name, _w in COLUMNS]]
    for row in doc.rows:
        paid_on = dates.format_date(row.paid_on) if row.paid_on else ""
        paid = format_number(row.paid) if row.paid else ""
        rows.append(
            [
                str(row.k),
                dates.format_date(row.due),
                format_number(row.principal),
                format_number(row.interest),
                format_number(row.amount),
                format_number(row.principal_left),
                paid_on,
                paid,
                "",
            ]
        )
    rows.append(
        [
            "",
            "Jumlah",
            format_number(doc.principal),
            format_number(doc.total_interest),
            format_number(doc.total_paid),
            "",
            "",
            format_number(sum(r.paid for r in doc.rows)) if any(r.paid for r in doc.rows) else "",
            "",
        ]
    )
    widths = [w * mm for _name, w in COLUMNS]
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = table_style(total_rows=1, numeric_from=2)
    style.add("ALIGN", (0, 1), (1, -1), "CENTER")
    style.add("ALIGN", (6, 1), (6, -1), "CENTER")
    style.add("TOPPADDING", (0, 1), (-1, -2), 4)
    style.add("BOTTOMPADDING", (0, 1), (-1, -2), 4.5)
    table.setStyle(style)
    return table


def story(doc: LoanDocument, printed_at: datetime) -> list[Flowable]:
    extra = [f"Status: <b>{e(doc.status)}</b>"]
    flow: list[Flowable] = [
        letterhead(doc.profile, TITLE, doc.number, extra),
        Spacer(1, 4 * mm),
        _terms(doc),
        Spacer(1, 4 * mm),
    ]
    if doc.planned:
        flow.append(
            p(
                "<b>Jadwal perkiraan:</b> tanggal jatuh tempo dihitung dari tanggal cetak; "
                "jadwal tetap dibuat saat pinjaman dicairkan.",
                "small",
            )
        )
        flow.append(Spacer(1, 2 * mm))
    flow.append(_schedule(doc))
    flow.append(Spacer(1, 3 * mm))
    fine = format_percent(doc.penalty_daily_rate)
    grace = (
        f" setelah {doc.penalty_grace_days} hari masa tenggang" if doc.penalty_grace_days else ""
    )
    flow.append(
        p(
            "Angsuran dibayar paling lambat pada tanggal jatuh tempo. Keterlambatan dikenakan "
            f"denda {fine} per hari dari angsuran yang terlambat{grace}. Setiap pembayaran "
            "dipakai untuk angsuran tertua lebih dulu: jasa, lalu pokok. Bawa kartu ini setiap "
            "membayar; petugas mengisi tanggal, jumlah dan paraf.",
            "small",
        )
    )
    flow.append(Spacer(1, 2 * mm))
    flow.append(
        p(
            f"Dicetak {dates.format_datetime(printed_at)} · Lumbung {__version__}",
            "small",
        )
    )
    return flow


def render_loan_card(doc: LoanDocument, *, printed_at: datetime | None = None) -> bytes:
    return render_a4(
        story(doc, printed_at or datetime.now()),
        title=f"Kartu angsuran {doc.number} {doc.member.name}",
        author=doc.profile.name,
        canvasmaker=NumberedCanvas,
    )
