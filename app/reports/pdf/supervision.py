"""Draf Laporan Hasil Pengawasan: the pengawas' checklist of a year, on paper, to finish by pen.

What was examined (each item with its finding and figures, ticked when the
pengawas marked it on the screen), the sampled member cards with an empty
"cocok / tidak cocok" column, the arrears and reversals tables, the typed notes
or ruled lines, ruled lines for the conclusion, and the signatures of the Ketua
Pengawas and the two Anggota Pengawas under "<Desa>, <tanggal panjang>".
Renders a ``Supervision`` (app/queries/supervision.py) and runs no queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__, dates
from app.money import format_number, format_rupiah
from app.queries.supervision import GOOD, Supervision, format_percent
from app.reports.pdf._document import CONTENT_W, e, label_table, letterhead, p, render_a4
from app.reports.pdf.style import (
    BLACK,
    FONT,
    MARGIN,
    THIN,
    NumberedCanvas,
    layout_style,
    table_style,
)

TITLE = "LAPORAN HASIL PENGAWASAN"
BLANK = "...................................."
TICKED, EMPTY = "\u2611", "\u2610"  # ☑ ☐
STATUS_TEXT = {GOOD: "baik", "perhatian": "perlu perhatian", "periksa": "diperiksa manual"}


class RuledLines(Flowable):  # type: ignore[misc]
    """Empty lines to write on by hand."""

    def __init__(self, count: int, width: float = CONTENT_W, gap: float = 8 * mm) -> None:
        super().__init__()
        self.count = count
        self.width = width
        self.gap = gap
        self.height = count * gap + 3 * mm  # room below the last line

    def wrap(self, _avail_w: float, _avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(THIN)
        canvas.setStrokeColor(BLACK)
        canvas.setDash(1, 2)
        for line in range(1, self.count + 1):
            y = self.height - line * self.gap
            canvas.line(0, y, self.width, y)
        canvas.setDash()


def _heading(text: str) -> Flowable:
    return p(e(text), "heading")


def _title(report: Supervision) -> list[Flowable]:
    return [
        letterhead(
            report.profile,
            "DRAF " + TITLE,
            f"......../LHP/{report.year}",
            (f"Tahun buku {report.year}",),
        ),
        Spacer(1, 5 * mm),
        p(TITLE, "title"),
        p(f"Tahun Buku {report.year} · periode {e(report.period_text)}", "subtitle"),
        p("<i>Draf untuk dilengkapi dan ditandatangani pengawas</i>", "body_center"),
        Spacer(1, 4 * mm),
    ]


def _basis(report: Supervision) -> list[Flowable]:
    name = e(report.profile.name) or "koperasi"
    return [
        _heading("I. Dasar"),
        p(
            "Undang-Undang Nomor 25 Tahun 1992 tentang Perkoperasian, Pasal 39, yang "
            "menugaskan pengawas mengawasi pelaksanaan kebijaksanaan dan pengelolaan koperasi "
            "serta membuat laporan tertulis tentang hasil pengawasannya; Anggaran Dasar dan "
            f"Anggaran Rumah Tangga {name}; serta keputusan Rapat Anggota tentang tugas pengawas."
        ),
        Spacer(1, 2 * mm),
        p(
            f"Pengawas telah memeriksa pembukuan {name} untuk tahun buku {report.year} "
            f"(periode {e(report.period_text)}) dari buku yang dicatat dengan program Lumbung, "
            "dengan hasil sebagai berikut."
        ),
    ]


def _figures(report: Supervision) -> list[Flowable]:
    f = report.figures
    end = dates.format_date(report.end)
    rows = [
        (
            "Anggota aktif",
            f"{format_number(f.active_members)} orang (laki-laki {f.men}, perempuan {f.women})",
        ),
        (
            "Simpanan anggota",
            f"{format_rupiah(f.savings)} (pokok {format_rupiah(f.pokok)}, wajib "
            f"{format_rupiah(f.wajib)}, sukarela {format_rupiah(f.sukarela)})",
        ),
        (
            "Pinjaman beredar",
            f"{format_rupiah(f.outstanding)} pada {format_number(f.loans)} pinjaman",
        ),
        ("NPL", f"{format_percent(f.npl_ratio)} ({e(f.health)})"),
        ("Saldo kas (1-101)", format_rupiah(f.cash)),
    ]
    return [
        _heading(f"II. Angka pokok per {end}"),
        label_table(rows, CONTENT_W, 45 * mm),
    ]


def _items(report: Supervision, checked: Mapping[str, bool]) -> list[Flowable]:
    data: list[list[object]] = [["No.", "Hal yang diperiksa", "Temuan", "Diperiksa"]]
    for number, item in enumerate(report.items, start=1):
        mark = TICKED if checked.get(item.key) else EMPTY
        data.append(
            [
                p(str(number), "cell"),
                [
                    p(f"<b>{e(item.title)}</b>", "cell"),
                    p(f"<i>{e(STATUS_TEXT.get(item.status, item.status))}</i>", "small"),
                ],
                p(e(item.finding), "cell"),
                p(f'<font size="13">{mark}</font>', "body_center"),
            ]
        )
    widths = [9 * mm, 42 * mm, CONTENT_W - 71 * mm, 20 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    style = table_style(numeric_from=3)
    style.add("VALIGN", (0, 1), (-1, -1), "TOP")
    style.add("ALIGN", (3, 1), (3, -1), "CENTER")
    table.setStyle(style)
    return [_heading("III. Hal yang diperiksa"), table]


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    numeric_from: int,
    total: Sequence[object] | None = None,
) -> Table:
    data: list[list[object]] = [list(head)]
    data += [list(row) for row in rows]
    if total is not None:
        data.append(list(total))
    table = Table(data, colWidths=list(widths), repeatRows=1)
    style = table_style(numeric_from=numeric_from, total_rows=1 if total is not None else 0)
    style.add("ALIGN", (0, 1), (0, -1), "CENTER")
    table.setStyle(style)
    return table


def _cell(text: str) -> Flowable:
    return p(e(text), "cell")


def _sample(report: Supervision) -> list[Flowable]:
    flow: list[Flowable] = [
        _heading("IV. Sampel kartu anggota"),
        p(
            f"{len(report.sample)} dari {report.sample_from} anggota aktif dipilih secara acak "
            f"(kunci acak {report.sample_seed}: pilihan yang sama setiap kali dicetak). Saldo "
            f"menurut buku koperasi per {dates.format_date(report.end)}; cocokkan dengan buku "
            "simpanan dan kartu angsuran yang dipegang anggota, lalu isi kolom terakhir."
        ),
        Spacer(1, 2 * mm),
    ]
    if not report.sample:
        return [*flow, p("<i>Belum ada anggota aktif.</i>")]
    rows = [
        [
            str(n),
            s.number,
            _cell(s.name),
            format_number(s.pokok),
            format_number(s.wajib),
            format_number(s.sukarela),
            format_number(s.loan_outstanding) if s.loan_outstanding else "-",
            "",
        ]
        for n, s in enumerate(report.sample, start=1)
    ]
    widths = [8 * mm, 16 * mm, 42 * mm, 20 * mm, 22 * mm, 22 * mm, 24 * mm]
    widths.append(CONTENT_W - sum(widths))
    table = _table(
        ["No.", "No. Agt", "Nama", "Pokok", "Wajib", "Sukarela", "Sisa pinjaman", "Cocok / tidak"],
        rows,
        widths,
        numeric_from=3,
    )
    return [*flow, table]


def _wajib(report: Supervision) -> list[Flowable]:
    head = _heading("V. Tunggakan simpanan wajib")
    if not report.wajib_arrears_count:
        return [head, p("Tidak ada anggota yang menunggak simpanan wajib.")]
    shown = len(report.wajib_arrears)
    intro = p(
        f"{report.wajib_arrears_count} anggota menunggak, jumlah "
        f"{format_rupiah(report.wajib_arrears_total)}"
        + (f"; {shown} tunggakan terbesar:" if shown < report.wajib_arrears_count else ":")
    )
    rows = [
        [
            str(n),
            a.number,
            _cell(a.name),
            _cell(a.dusun),
            a.phone or "-",
            str(a.months),
            format_number(a.amount),
        ]
        for n, a in enumerate(report.wajib_arrears, start=1)
    ]
    widths = [8 * mm, 16 * mm, 50 * mm, 30 * mm, 34 * mm, 16 * mm]
    widths.append(CONTENT_W - sum(widths))
    table = _table(
        ["No.", "No. Agt", "Nama", "Dusun", "No. HP", "Bulan", "Tunggakan"],
        rows,
        widths,
        numeric_from=5,
    )
    return [head, intro, Spacer(1, 2 * mm), table]


def _loans(report: Supervision) -> list[Flowable]:
    head = _heading("VI. Tunggakan pinjaman")
    if not report.loan_arrears_count:
        return [head, p("Tidak ada pinjaman yang menunggak angsuran.")]
    shown = len(report.loan_arrears)
    intro = p(
        f"{report.loan_arrears_count} pinjaman menunggak, jumlah tunggakan "
        f"{format_rupiah(report.loan_arrears_total)}"
        + (f"; {shown} tunggakan terbesar:" if shown < report.loan_arrears_count else ":")
    )
    rows = [
        [
            str(n),
            _cell(a.loan_number),
            _cell(f"{a.member_number} · {a.name}"),
            a.phone or "-",
            format_number(a.outstanding),
            format_number(a.arrears),
            str(a.dpd),
            _cell(a.klass),
        ]
        for n, a in enumerate(report.loan_arrears, start=1)
    ]
    widths = [8 * mm, 24 * mm, 42 * mm, 29 * mm, 21 * mm, 20 * mm, 11 * mm]
    widths.append(CONTENT_W - sum(widths))
    table = _table(
        ["No.", "No. Pinjaman", "Anggota", "No. HP", "Sisa pokok", "Tunggakan", "DPD", "Kolekt."],
        rows,
        widths,
        numeric_from=4,
    )
    return [head, intro, Spacer(1, 2 * mm), table]


def _reversals(report: Supervision) -> list[Flowable]:
    head = _heading("VII. Jurnal pembalik tahun ini")
    if not report.reversals_count:
        return [head, p(f"Tidak ada jurnal pembalik di tahun {report.year}.")]
    intro = p(
        f"{report.reversals_count} jurnal pembalik; periksa alasan dan bukti masing-masing."
        + (
            f" Ditampilkan {len(report.reversals)} yang pertama."
            if len(report.reversals) < report.reversals_count
            else ""
        )
    )
    rows = [
        [
            str(n),
            _cell(r.number),
            dates.format_date(r.date),
            _cell(r.reverses or "-"),
            _cell(r.memo),
            _cell(r.posted_by),
            format_number(r.amount),
        ]
        for n, r in enumerate(report.reversals, start=1)
    ]
    widths = [8 * mm, 28 * mm, 18 * mm, 28 * mm, 0.0, 22 * mm, 22 * mm]
    widths[4] = CONTENT_W - sum(widths)
    table = _table(
        ["No.", "Nomor", "Tanggal", "Membalik", "Keterangan", "Oleh", "Jumlah"],
        rows,
        widths,
        numeric_from=6,
    )
    table.setStyle(TableStyle([("ALIGN", (2, 1), (2, -1), "CENTER")]))
    return [head, intro, Spacer(1, 2 * mm), table]


def _notes(notes: str) -> list[Flowable]:
    flow: list[Flowable] = [CondPageBreak(50 * mm), _heading("VIII. Catatan pengawas")]
    text = notes.strip()
    if text:
        for paragraph in text.splitlines():
            flow.append(p(e(paragraph) or "&nbsp;"))
        flow.append(RuledLines(2))
    else:
        flow.append(RuledLines(6))
    return flow


def _conclusion() -> list[Flowable]:
    return [
        CondPageBreak(60 * mm),
        _heading("IX. Kesimpulan dan saran"),
        RuledLines(7),
    ]


def _sign_cell(role: str, name: str) -> list[Flowable]:
    return [p(role, "sign"), Spacer(1, 18 * mm), p(f"( {e(name) or BLANK} )", "sign_name")]


def _signatures(report: Supervision, signed_on: date) -> list[Flowable]:
    profile = report.profile
    third = CONTENT_W / 3
    place = f"{e(profile.place())}, {dates.format_date_long(signed_on)}"
    rows = [
        ["", "", p(place, "sign")],
        [p(f"Pengawas {e(profile.name) or 'Koperasi'}", "sign"), "", ""],
        [
            _sign_cell("Ketua Pengawas", profile.ketua_pengawas),
            _sign_cell("Anggota Pengawas", profile.anggota_pengawas_1),
            _sign_cell("Anggota Pengawas", profile.anggota_pengawas_2),
        ],
    ]
    table = Table(rows, colWidths=[third] * 3)
    table.setStyle(layout_style(("SPAN", (0, 1), (-1, 1)), bottom=4))
    return [Spacer(1, 8 * mm), table]


def story(
    report: Supervision,
    *,
    checked: Mapping[str, bool],
    notes: str,
    signed_on: date,
    printed_at: datetime,
) -> list[Flowable]:
    flow = _title(report)
    flow += _basis(report)
    flow += _figures(report)
    flow += _items(report, checked)
    flow += _sample(report)
    flow += _wajib(report)
    flow += _loans(report)
    flow += _reversals(report)
    flow += _notes(notes)
    flow += _conclusion()
    closing = p(
        "Demikian laporan hasil pengawasan ini dibuat dengan sebenarnya untuk disampaikan "
        "kepada Rapat Anggota."
    )
    flow.append(KeepTogether([closing, *_signatures(report, signed_on)]))
    flow += [
        Spacer(1, 6 * mm),
        p(
            f"Angka dari buku {e(report.profile.name)} per {dates.format_date(report.end)}; "
            f"dicetak {dates.format_datetime(printed_at)} · Lumbung {__version__}",
            "small",
        ),
    ]
    return flow


def _draft_mark(canvas: Canvas, _doc: object) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, MARGIN / 2, "DRAF Laporan Hasil Pengawasan")
    canvas.restoreState()


def render_supervision(
    report: Supervision,
    *,
    checked: Mapping[str, bool] | None = None,
    notes: str = "",
    signed_on: date | None = None,
    printed_at: datetime | None = None,
) -> bytes:
    """The draft report; ``checked`` holds the items the pengawas ticked (item key -> True)."""
    return render_a4(
        story(
            report,
            checked=checked or {},
            notes=notes,
            signed_on=signed_on or report.on,
            printed_at=printed_at or datetime.now(),
        ),
        title=f"Draf Laporan Hasil Pengawasan {report.year}",
        author=report.profile.name,
        on_page=_draft_mark,
        canvasmaker=NumberedCanvas,
    )
