"""Catatan atas Laporan Keuangan (DOMAIN.md 6.5) as data: profile, basis, policies, notes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from app.ledger.chart import CKPN, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.money import format_rupiah
from app.reports.build_loans import KolektibilitasSummary
from app.reports.build_savings import SavingsRecap
from app.reports.build_shu import ShuReport
from app.reports.build_statements import FinancialStatements, StatementLine
from app.services import loans as loan_service
from app.services.loan_state import CLASSES
from app.services.settings import Profile


@dataclass(frozen=True)
class CalkNote:
    number: int
    title: str
    paragraphs: tuple[str, ...]
    lines: tuple[StatementLine, ...]  # detail, this year and last year
    total: StatementLine | None = None


@dataclass(frozen=True)
class Calk:
    year: int
    closed: bool
    profile: Profile
    basis: tuple[str, ...]  # dasar penyusunan
    policies: tuple[str, ...]  # kebijakan akuntansi
    notes: tuple[CalkNote, ...]  # penjelasan pos-pos
    kolektibilitas: KolektibilitasSummary
    shu: ShuReport


def percent_text(value: Decimal) -> str:
    """Decimal percent as the treasurer writes it: 0.5 -> "0,5", 30 -> "30"."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _ratio_text(rate: Decimal) -> str:
    return percent_text(rate * 100) + "%"


def build_calk(
    session: Session,
    profile: Profile,
    statements: FinancialStatements,
    kolektibilitas: KolektibilitasSummary,
    savings: SavingsRecap,
    shu: ShuReport,
    members_end: int,
) -> Calk:
    year = statements.year
    bs = statements.balance_sheet
    config = loan_service.loan_settings(session).classification
    limits = config.dpd_limits
    ranges = (
        f"0-{limits[0]} hari",
        f"{limits[0] + 1}-{limits[1]} hari",
        f"{limits[1] + 1}-{limits[2]} hari",
        f"lebih dari {limits[2]} hari",
    )
    ppap = ", ".join(
        f"{klass} ({span}) {_ratio_text(rate)}"
        for klass, span, rate in zip(CLASSES, ranges, config.ppap_rates, strict=True)
    )
    if bs.pokok_wajib_as_liability:
        classification = (
            "Simpanan pokok dan simpanan wajib disajikan sebagai liabilitas jangka panjang "
            "karena dikembalikan kepada anggota yang keluar (SAK EP)."
        )
    else:
        classification = (
            "Simpanan pokok dan simpanan wajib disajikan sebagai ekuitas (penyajian koperasi); "
            "simpanan sukarela sebagai liabilitas jangka pendek."
        )
    shares = ", ".join(f"{c.label} {percent_text(c.percent)}%" for c in shu.components)
    policies = (
        "Pendapatan jasa pinjaman diakui pada saat diterima (basis kas).",
        "Pendapatan provisi dan administrasi pinjaman diakui pada saat pinjaman dicairkan.",
        "Denda keterlambatan diakui pada saat diterima.",
        f"Penyisihan kerugian pinjaman (PPAP) dibentuk menurut kolektibilitas pada akhir tahun: "
        f"{ppap} dari sisa pokok pinjaman.",
        classification,
        f"SHU dibagi menurut AD/ART setelah disetujui Rapat Anggota Tahunan: {shares}. "
        "Jasa modal dibagi menurut simpanan pokok dan wajib anggota pada akhir tahun, "
        "jasa anggota menurut jasa pinjaman yang dibayar anggota selama tahun buku.",
    )
    place = ", ".join(
        x for x in (profile.desa, profile.kecamatan, profile.kabupaten, profile.provinsi) if x
    )
    general = [f"{profile.name or 'Koperasi'} berkedudukan di {place or '-'}."]
    if profile.badan_hukum_number:
        general.append(
            f"Badan hukum nomor {profile.badan_hukum_number}"
            + (f" tanggal {profile.badan_hukum_date}" if profile.badan_hukum_date else "")
            + "."
        )
    if profile.nomor_induk_koperasi:
        general.append(f"Nomor Induk Koperasi (NIK koperasi) {profile.nomor_induk_koperasi}.")
    general.append(
        f"Usaha utama: unit simpan pinjam bagi anggota. Jumlah anggota pada 31 Desember {year}: "
        f"{members_end} orang."
    )
    basis: tuple[str, ...] = (
        "Laporan keuangan disusun menurut Standar Akuntansi Keuangan Entitas Privat (SAK EP) "
        "dengan pos-pos khas koperasi, atas dasar akrual kecuali pendapatan jasa pinjaman "
        "(basis kas).",
        "Mata uang penyajian Rupiah, tanpa desimal. Tahun buku 1 Januari - 31 Desember.",
    )
    if not statements.closed:
        basis += (f"Tahun buku {year} belum tutup buku; angka dapat berubah.",)

    notes: list[CalkNote] = [CalkNote(1, "Umum", tuple(general), ())]
    cash = statements.cash_flow
    notes.append(
        CalkNote(
            2,
            "Kas dan setara kas",
            ("Kas di tangan, kas kecil dan rekening bank.",),
            cash.cash_accounts,
            StatementLine(
                "Jumlah kas dan setara kas", cash.closing_cash.current, cash.closing_cash.previous
            ),
        )
    )
    cur, prev = kolektibilitas.current, kolektibilitas.previous
    loan_lines = tuple(
        StatementLine(f"Pinjaman {c.klass}", c.outstanding, p.outstanding)
        for c, p in zip(cur.classes, prev.classes, strict=True)
    )
    ckpn = bs.line(CKPN)
    ckpn_line = ckpn or StatementLine("Cadangan Kerugian Pinjaman (CKPN)", 0, 0, CKPN)
    notes.append(
        CalkNote(
            3,
            "Pinjaman anggota",
            (
                f"{cur.loans} pinjaman beredar pada 31 Desember {year}; NPL "
                f"{percent_text((cur.npl_ratio * 100).quantize(Decimal('0.01')))}% "
                f"({cur.health}). PPAP wajib {format_rupiah(cur.allowance_required)}, "
                f"dibukukan {format_rupiah(cur.allowance_booked)}.",
            ),
            (*loan_lines, ckpn_line),
            StatementLine(
                "Pinjaman anggota bersih",
                cur.outstanding + ckpn_line.current,
                prev.outstanding + ckpn_line.previous,
            ),
        )
    )
    savers = sum(1 for r in savings.rows if r.total.closing)
    saving_lines = []
    for code, caption in (
        (SIMPANAN_POKOK, "Simpanan pokok"),
        (SIMPANAN_WAJIB, "Simpanan wajib"),
        (SIMPANAN_SUKARELA, "Simpanan sukarela"),
    ):
        line = bs.line(code)
        saving_lines.append(
            StatementLine(caption, line.current if line else 0, line.previous if line else 0, code)
        )
    notes.append(
        CalkNote(
            4,
            "Simpanan anggota",
            (
                f"Simpanan {savers} anggota pada 31 Desember {year}; rincian per anggota di "
                "Rekap Simpanan.",
            ),
            tuple(saving_lines),
            StatementLine(
                "Jumlah simpanan anggota",
                sum(x.current for x in saving_lines),
                sum(x.previous for x in saving_lines),
            ),
        )
    )
    inc = statements.income_statement
    notes.append(
        CalkNote(
            5,
            "Pendapatan",
            ("Pendapatan usaha dan pendapatan lain tahun buku.",),
            inc.operating_income.lines + inc.other_income.lines,
            inc.total_income,
        )
    )
    notes.append(
        CalkNote(
            6,
            "Beban",
            ("Beban langsung, beban usaha, beban lain dan pajak tahun buku.",),
            inc.direct_costs.lines
            + inc.operating_expenses.lines
            + inc.other_expenses.lines
            + inc.taxes.lines,
            inc.total_expenses,
        )
    )
    shu_text = f"SHU tahun {year} {format_rupiah(shu.shu)}" + (
        " dibagi sesuai rencana pada Alokasi SHU."
        if shu.distributable
        else "; SHU nol atau negatif tidak dibagikan."
    )
    notes.append(CalkNote(7, "Sisa hasil usaha", (shu_text,), ()))
    return Calk(
        year=year,
        closed=statements.closed,
        profile=profile,
        basis=basis,
        policies=policies,
        notes=tuple(notes),
        kolektibilitas=kolektibilitas,
        shu=shu,
    )
