"""The district office (Dinas Koperasi) figures of DOMAIN.md 8, from the RAT book's data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app.ledger.chart import (
    CADANGAN,
    SHU_TAHUN_BERJALAN,
    SIMPANAN_POKOK,
    SIMPANAN_WAJIB,
)
from app.reports.build_loans import KolektibilitasSummary
from app.reports.build_members import MembershipMovement
from app.reports.build_rat import RatBook, build_rat_book
from app.reports.build_statements import (
    HIBAH,
    MODAL_PENYERTAAN,
    SHU_BELUM_DIBAGI,
    FinancialStatements,
)
from app.reports.checks import ReportCheck
from app.services.settings import Profile

# modal sendiri = 3-101 + 3-102 + 3-201 + 3-301 + 3-501 + 3-502 (DOMAIN.md 8)
OWN_CAPITAL_CODES = (
    SIMPANAN_POKOK,
    SIMPANAN_WAJIB,
    CADANGAN,
    HIBAH,
    SHU_BELUM_DIBAGI,
    SHU_TAHUN_BERJALAN,
)

RUPIAH, PEOPLE, PERCENT = "Rp", "orang", "%"

FieldValue = str | int | Decimal | date | None


@dataclass(frozen=True)
class DinasField:
    key: str
    label: str  # as printed in Data_Koperasi
    value: FieldValue  # rupiah and counts are int, NPL a Decimal percent, dates real dates
    unit: str = ""  # Rp, orang, %


@dataclass(frozen=True)
class DinasReport:
    year: int
    closed: bool
    profile: Profile
    fields: tuple[DinasField, ...]
    statements: FinancialStatements
    membership: MembershipMovement
    kolektibilitas: KolektibilitasSummary
    checks: tuple[ReportCheck, ...]

    @property
    def filename(self) -> str:
        return dinas_filename(self.profile.name, self.year)

    def value(self, key: str) -> FieldValue:
        return next(f.value for f in self.fields if f.key == key)


def dinas_filename(name: str, year: int) -> str:
    """``Laporan_Tahunan_<Koperasi>_<Tahun>.xlsx`` with a name any file system accepts."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", ascii_name).strip("_") or "Koperasi"
    return f"Laporan_Tahunan_{cleaned}_{year}.xlsx"


def _parse_dmy(text: str) -> date | str:
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text.strip())
    if not match:
        return text
    day, month, year = (int(x) for x in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return text


def dinas_report(book: RatBook) -> DinasReport:
    p = book.profile
    st = book.statements
    bs = st.balance_sheet

    def own(code: str) -> int:
        line = bs.line(code)
        return line.current if line else 0

    modal_sendiri = sum(own(code) for code in OWN_CAPITAL_CODES)
    member_capital = sum(own(code) for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB))
    # Modal luar = the liabilities; pokok/wajib shown as liabilities (SAK EP) stay in
    # modal sendiri and are not counted twice.
    modal_luar = bs.total_liabilities.current - (
        member_capital if bs.pokok_wajib_as_liability else 0
    )
    end = book.membership.end
    pengurus = [
        f"{role} {name}"
        for role, name in (
            ("Ketua", p.ketua),
            ("Sekretaris", p.sekretaris),
            ("Bendahara", p.bendahara),
        )
        if name
    ]
    pengawas = [
        name for name in (p.ketua_pengawas, p.anggota_pengawas_1, p.anggota_pengawas_2) if name
    ]
    employees = sum(1 for r in book.members.active if r.role == "karyawan")
    quality = book.kolektibilitas.current
    disbursed = book.loans.disbursed_in_year
    npl = (quality.npl_ratio * 100).quantize(Decimal("0.01"))
    fields = (
        DinasField("nomor_induk_koperasi", "Nomor Induk Koperasi (NIK)", p.nomor_induk_koperasi),
        DinasField("nama", "Nama koperasi", p.name),
        DinasField("badan_hukum_nomor", "Nomor badan hukum", p.badan_hukum_number),
        DinasField(
            "badan_hukum_tanggal",
            "Tanggal badan hukum",
            _parse_dmy(p.badan_hukum_date) if p.badan_hukum_date else "",
        ),
        DinasField("nib", "NIB", p.nib),
        DinasField("npwp", "NPWP", p.npwp),
        DinasField("alamat", "Alamat", p.address),
        DinasField("desa", "Desa/Kelurahan", p.desa),
        DinasField("kecamatan", "Kecamatan", p.kecamatan),
        DinasField("kabupaten", "Kabupaten/Kota", p.kabupaten),
        DinasField("provinsi", "Provinsi", p.provinsi),
        DinasField("tahun_buku", "Tahun buku", book.year),
        DinasField("tanggal_rat", "Tanggal RAT", book.rat_date),
        DinasField(
            "status_tutup_buku",
            "Status tahun buku",
            "sudah tutup buku" if book.closed else "belum tutup buku",
        ),
        DinasField("anggota_l", "Jumlah anggota laki-laki", end.male, PEOPLE),
        DinasField("anggota_p", "Jumlah anggota perempuan", end.female, PEOPLE),
        DinasField("anggota_total", "Jumlah anggota", end.total, PEOPLE),
        DinasField("pengurus", "Pengurus", "; ".join(pengurus)),
        DinasField("jumlah_pengurus", "Jumlah pengurus", len(pengurus), PEOPLE),
        DinasField("pengawas", "Pengawas", "; ".join(pengawas)),
        DinasField("jumlah_pengawas", "Jumlah pengawas", len(pengawas), PEOPLE),
        DinasField("manajer", "Manajer", p.manajer),
        DinasField("karyawan", "Jumlah karyawan", employees, PEOPLE),
        DinasField("modal_sendiri", "Modal sendiri", modal_sendiri, RUPIAH),
        DinasField("modal_luar", "Modal luar", modal_luar, RUPIAH),
        DinasField("modal_penyertaan", "Modal penyertaan", own(MODAL_PENYERTAAN), RUPIAH),
        DinasField("total_aset", "Total aset", bs.total_assets.current, RUPIAH),
        DinasField(
            "volume_usaha_pinjaman",
            "Volume usaha: pinjaman disalurkan (USP)",
            sum(r.principal for r in disbursed),
            RUPIAH,
        ),
        DinasField(
            "volume_usaha_pendapatan",
            "Volume usaha: total pendapatan",
            st.income_statement.total_income.current,
            RUPIAH,
        ),
        DinasField("shu", "SHU tahun berjalan", st.income_statement.shu.current, RUPIAH),
        DinasField(
            "pinjaman_disalurkan",
            "Pinjaman disalurkan",
            sum(r.principal for r in disbursed),
            RUPIAH,
        ),
        DinasField("jumlah_pinjaman_disalurkan", "Jumlah pinjaman disalurkan", len(disbursed)),
        DinasField(
            "pinjaman_beredar", "Pinjaman beredar (sisa pokok)", quality.outstanding, RUPIAH
        ),
        DinasField("npl", "NPL", npl, PERCENT),
    )
    return DinasReport(
        year=book.year,
        closed=book.closed,
        profile=p,
        fields=fields,
        statements=st,
        membership=book.membership,
        kolektibilitas=book.kolektibilitas,
        checks=book.checks(),
    )


def build_dinas(session: Session, year: int) -> DinasReport:
    return dinas_report(build_rat_book(session, year, charts=False))
