"""Ringkasan perjanjian pinjaman: the terms on one A4 page, signed by four people.

Peminjam and penjamin sign for the member's side; the bendahara and the ketua
(names from Profile) for the cooperative. Renders a ``LoanDocument`` and runs
no queries.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app import __version__, dates
from app.money import format_rupiah, terbilang_rupiah
from app.queries.loan_documents import LoanDocument, Party
from app.reports.pdf._document import CONTENT_W, e, label_table, letterhead, p, render_a4
from app.reports.pdf.style import BLACK, THIN, NumberedCanvas, layout_style
from app.services.loan_products import format_percent

TITLE = "RINGKASAN PERJANJIAN PINJAMAN"
BLANK = "...................................."


def _party_rows(role: str, party: Party) -> list[tuple[str, str]]:
    return [
        (role, f"<b>{e(party.name)}</b>, No. anggota {e(party.number)}"),
        ("NIK", e(party.nik)),
        ("Alamat", e(party.address) or "-"),
    ]


def _parties(doc: LoanDocument) -> list[Flowable]:
    profile = doc.profile
    rows = [
        (
            "Koperasi",
            f"<b>{e(profile.name)}</b>, diwakili Ketua {e(profile.ketua) or BLANK} "
            f"dan Bendahara {e(profile.bendahara) or BLANK}",
        )
    ]
    rows += _party_rows("Peminjam", doc.member)
    if doc.guarantor:
        rows += _party_rows("Penjamin", doc.guarantor)
    else:
        rows.append(("Penjamin", "-"))
    return [p("1. Para pihak", "heading"), label_table(rows, CONTENT_W)]


def _provisi_rate(doc: LoanDocument) -> str:
    if not doc.provisi:
        return ""
    rate = (Decimal(doc.provisi) / Decimal(doc.principal)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    return f" ({format_percent(rate, places=2)} dari pokok)"


def _terms(doc: LoanDocument) -> list[Flowable]:
    first, last = doc.rows[0], doc.rows[-1]
    when = "perkiraan, dihitung dari tanggal cetak" if doc.planned else "sesuai kartu angsuran"
    if doc.equal_installments:
        installment = f"<b>{format_rupiah(first.amount)}</b> per bulan"
        if last.amount != first.amount:
            installment += f", angsuran terakhir {format_rupiah(last.amount)}"
    else:
        installment = (
            f"<b>{format_rupiah(first.amount)}</b> (pertama), menurun sampai "
            f"{format_rupiah(last.amount)} (terakhir)"
        )
    rate = f"<b>{format_percent(doc.monthly_rate)} per bulan</b>, metode {e(doc.method_label)}"
    rows = [
        (
            "Pokok pinjaman",
            f"<b>{format_rupiah(doc.principal)}</b> <i>({e(terbilang_rupiah(doc.principal))})</i>",
        ),
        ("Tujuan", e(doc.purpose) or "-"),
        ("Jasa/bunga", rate),
    ]
    if doc.is_flat and doc.effective_rate:
        rows.append(
            (
                "Bunga efektif",
                f"± {format_percent(doc.effective_rate, places=2)} per bulan (jasa flat dihitung "
                "dari pokok awal sepanjang jangka waktu)",
            )
        )
    rows += [
        (
            "Jangka waktu",
            f"{doc.months} bulan: angsuran ke-1 {dates.format_date(first.due)} sampai ke-"
            f"{last.k} {dates.format_date(last.due)} ({when})",
        ),
        ("Angsuran", installment),
        ("Jumlah jasa/bunga", format_rupiah(doc.total_interest)),
        ("Jumlah dikembalikan", f"<b>{format_rupiah(doc.total_paid)}</b>"),
        ("Provisi", format_rupiah(doc.provisi) + _provisi_rate(doc)),
        ("Biaya administrasi", format_rupiah(doc.admin_fee)),
        ("Diterima bersih", f"<b>{format_rupiah(doc.net_received)}</b>"),
    ]
    if doc.round_to > 1:
        rows.append(
            (
                "Pembulatan",
                f"angsuran dibulatkan ke atas ke kelipatan {format_rupiah(doc.round_to)}; "
                "angsuran terakhir menampung selisihnya",
            )
        )
    collateral = e(doc.collateral) or "-"
    if doc.collateral and doc.collateral_value:
        collateral += f", nilai taksiran {format_rupiah(doc.collateral_value)}"
    rows.append(("Agunan", collateral))
    return [p("2. Pinjaman", "heading"), label_table(rows, CONTENT_W)]


def _rules(doc: LoanDocument) -> list[Flowable]:
    grace = (
        f", setelah masa tenggang {doc.penalty_grace_days} hari" if doc.penalty_grace_days else ""
    )
    payoff = (
        "sisa pokok, ditambah jasa angsuran yang sudah jatuh tempo dan jasa satu angsuran "
        "berikutnya; jasa selanjutnya dibebaskan"
        if doc.waive_future_interest_on_payoff
        else "sisa pokok ditambah seluruh sisa jasa"
    )
    items = [
        "Angsuran dibayar paling lambat pada tanggal jatuh tempo setiap bulan.",
        f"Keterlambatan dikenakan denda {format_percent(doc.penalty_daily_rate)} per hari dari "
        f"jumlah angsuran yang terlambat{grace}. Pengurus dapat membebaskan denda dengan alasan "
        "yang dicatat.",
        "Setiap pembayaran dipakai untuk angsuran tertua lebih dulu; dalam satu angsuran, "
        "jasa lebih dulu, lalu pokok.",
        f"Pelunasan dipercepat boleh kapan saja: yang dibayar adalah {payoff}.",
        "Penjamin ikut bertanggung jawab bila peminjam tidak membayar. Bila peminjam keluar "
        "dari keanggotaan, sisa pinjaman diperhitungkan dengan simpanannya.",
    ]
    flow: list[Flowable] = [p("3. Ketentuan", "heading")]
    for number, text in enumerate(items, start=1):
        flow.append(
            Table(
                [[p(f"{number}."), p(e(text))]],
                colWidths=[6 * mm, CONTENT_W - 6 * mm],
                style=layout_style(right=6, top=1, bottom=1),
            )
        )
    if doc.decided_on:
        flow.append(Spacer(1, 2 * mm))
        flow.append(
            p(
                f"Disetujui pada {dates.format_date(doc.decided_on)} oleh "
                f"{e(doc.decided_by)}; diajukan {dates.format_date(doc.applied_on)}.",
                "small",
            )
        )
    return flow


def _sign_cell(role: str, name: str) -> list[Flowable]:
    return [
        p(role, "sign"),
        Spacer(1, 17 * mm),
        p(f"( {e(name) or BLANK} )", "sign_name"),
    ]


def _signatures(doc: LoanDocument, printed_at: datetime) -> Flowable:
    profile = doc.profile
    place = profile.place()
    day = dates.format_date_long(doc.disbursed_on or printed_at.date())
    quarter = CONTENT_W / 4
    penjamin = doc.guarantor.name if doc.guarantor else ""
    rows = [
        ["", "", "", p(f"{e(place)}, {day}" if place else day, "sign")],
        [
            _sign_cell("Peminjam,<br/>&nbsp;", doc.member.name),
            _sign_cell("Penjamin,<br/>&nbsp;", penjamin),
            _sign_cell("Untuk koperasi,<br/>Bendahara", profile.bendahara),
            _sign_cell("Mengetahui,<br/>Ketua", profile.ketua),
        ],
    ]
    table = Table(rows, colWidths=[quarter] * 4)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return KeepTogether([p("4. Tanda tangan", "heading"), table])


def story(doc: LoanDocument, printed_at: datetime) -> list[Flowable]:
    extra = [f"Tanggal <b>{dates.format_date(doc.disbursed_on or printed_at.date())}</b>"]
    note = (
        "Ringkasan ini dibuat rangkap dua: satu untuk peminjam, satu untuk arsip koperasi. "
        f"Dicetak {dates.format_datetime(printed_at)} · Lumbung {__version__}"
    )
    box = Table(
        [[p("Peminjam menyatakan telah membaca dan memahami ringkasan ini.", "body")]],
        colWidths=[CONTENT_W],
        style=TableStyle([("BOX", (0, 0), (-1, -1), THIN, BLACK)]),
    )
    return [
        letterhead(doc.profile, TITLE, doc.number, extra),
        Spacer(1, 3 * mm),
        *_parties(doc),
        *_terms(doc),
        *_rules(doc),
        Spacer(1, 3 * mm),
        box,
        _signatures(doc, printed_at),
        Spacer(1, 4 * mm),
        p(note, "small"),
    ]


def render_loan_agreement(doc: LoanDocument, *, printed_at: datetime | None = None) -> bytes:
    return render_a4(
        story(doc, printed_at or datetime.now()),
        title=f"Ringkasan perjanjian pinjaman {doc.number} {doc.member.name}",
        author=doc.profile.name,
        canvasmaker=NumberedCanvas,
    )
