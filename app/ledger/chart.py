"""The default chart of accounts (DOMAIN.md 4.1) and the codes the program relies on."""

from __future__ import annotations

from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from app.models import Account

KAS: Final = "1-101"
PINJAMAN_ANGGOTA: Final = "1-131"
CKPN: Final = "1-139"
SIMPANAN_SUKARELA: Final = "2-101"
UTANG_SHU_ANGGOTA: Final = "2-141"
UTANG_ANGGOTA_KELUAR: Final = "2-171"
SIMPANAN_POKOK: Final = "3-101"
SIMPANAN_WAJIB: Final = "3-102"
CADANGAN: Final = "3-201"
SHU_TAHUN_BERJALAN: Final = "3-502"
JASA_PINJAMAN: Final = "4-101"
PROVISI_ADMINISTRASI: Final = "4-102"
DENDA: Final = "4-103"
PINJAMAN_DIHAPUS_DITERIMA: Final = "4-902"
BEBAN_BUNGA_SIMPANAN: Final = "5-101"
BEBAN_PENYISIHAN: Final = "5-104"

# code, name, normal side, contra
DEFAULT_CHART: Final[tuple[tuple[str, str, str, bool], ...]] = (
    ("1-101", "Kas", "D", False),
    ("1-102", "Kas Kecil", "D", False),
    ("1-111", "Bank", "D", False),
    ("1-121", "Deposito pada Bank", "D", False),
    ("1-131", "Pinjaman Anggota", "D", False),
    ("1-139", "Cadangan Kerugian Pinjaman (CKPN)", "C", True),
    ("1-141", "Piutang Jasa Pinjaman", "D", False),
    ("1-152", "Piutang Lain-lain", "D", False),
    ("1-161", "Persediaan", "D", False),
    ("1-171", "Biaya Dibayar di Muka", "D", False),
    ("1-201", "Penyertaan pada Koperasi Lain", "D", False),
    ("1-301", "Tanah", "D", False),
    ("1-302", "Bangunan", "D", False),
    ("1-3021", "Akumulasi Penyusutan Bangunan", "C", True),
    ("1-304", "Peralatan dan Inventaris", "D", False),
    ("1-3041", "Akumulasi Penyusutan Peralatan", "C", True),
    ("2-101", "Simpanan Sukarela", "C", False),
    ("2-102", "Simpanan Berjangka", "C", False),
    ("2-111", "Utang Bunga Simpanan", "C", False),
    ("2-121", "Utang Usaha", "C", False),
    ("2-131", "Utang Pajak", "C", False),
    ("2-141", "Utang SHU Anggota", "C", False),
    ("2-142", "Dana Pengurus dan Pengawas", "C", False),
    ("2-143", "Dana Karyawan", "C", False),
    ("2-144", "Dana Pendidikan", "C", False),
    ("2-145", "Dana Sosial", "C", False),
    ("2-146", "Dana Pembangunan Daerah Kerja", "C", False),
    ("2-161", "Titipan", "C", False),
    ("2-171", "Utang Simpanan Anggota Keluar", "C", False),
    ("2-201", "Utang Bank", "C", False),
    ("3-101", "Simpanan Pokok", "C", False),
    ("3-102", "Simpanan Wajib", "C", False),
    ("3-201", "Cadangan", "C", False),
    ("3-301", "Hibah dan Donasi", "C", False),
    ("3-401", "Modal Penyertaan", "C", False),
    ("3-501", "SHU Belum Dibagi", "C", False),
    ("3-502", "SHU Tahun Berjalan", "C", False),
    ("4-101", "Pendapatan Jasa Pinjaman", "C", False),
    ("4-102", "Pendapatan Provisi dan Administrasi", "C", False),
    ("4-103", "Pendapatan Denda", "C", False),
    ("4-901", "Pendapatan Bunga Bank", "C", False),
    ("4-902", "Penerimaan Pinjaman Dihapusbukukan", "C", False),
    ("4-909", "Pendapatan Lain-lain", "C", False),
    ("5-101", "Beban Bunga Simpanan", "D", False),
    ("5-103", "Beban Bunga Pinjaman Bank", "D", False),
    ("5-104", "Beban Penyisihan Kerugian Pinjaman", "D", False),
    ("5-301", "Beban Gaji dan Honor Pengelola", "D", False),
    ("5-302", "Beban Honor Pengurus dan Pengawas", "D", False),
    ("5-303", "Beban Rapat dan RAT", "D", False),
    ("5-304", "Beban ATK dan Cetak", "D", False),
    ("5-305", "Beban Listrik, Air, Telepon", "D", False),
    ("5-306", "Beban Transportasi", "D", False),
    ("5-307", "Beban Penyusutan", "D", False),
    ("5-308", "Beban Pemeliharaan", "D", False),
    ("5-310", "Beban Pendidikan dan Pelatihan", "D", False),
    ("5-311", "Beban Administrasi Bank", "D", False),
    ("5-399", "Beban Lain-lain", "D", False),
    ("5-901", "Beban Pajak Penghasilan", "D", False),
)

# Lines on these accounts belong to one member (savings are per member).
MEMBER_ACCOUNTS: Final = frozenset({SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA})

# Accounts the program itself posts to: never deactivated (DOMAIN.md 4.1, 4.2, 5).
PROGRAM_ACCOUNTS: Final = frozenset(
    {
        KAS,
        PINJAMAN_ANGGOTA,
        CKPN,
        SIMPANAN_SUKARELA,
        UTANG_SHU_ANGGOTA,
        "2-142",
        "2-143",
        "2-144",
        "2-145",
        "2-146",
        UTANG_ANGGOTA_KELUAR,
        SIMPANAN_POKOK,
        SIMPANAN_WAJIB,
        CADANGAN,
        SHU_TAHUN_BERJALAN,
        JASA_PINJAMAN,
        PROVISI_ADMINISTRASI,
        DENDA,
        PINJAMAN_DIHAPUS_DITERIMA,
        BEBAN_BUNGA_SIMPANAN,
        BEBAN_PENYISIHAN,
    }
)

_GROUPS: Final = {"1": "aset", "2": "liabilitas", "3": "ekuitas", "4": "pendapatan", "5": "beban"}


def group_of(code: str) -> str:
    try:
        return _GROUPS[code[0]]
    except (KeyError, IndexError):
        raise ValidationError(
            f'Kode akun "{code}" tidak dikenal. Kode akun diawali 1 (aset), 2 (liabilitas), '
            "3 (ekuitas), 4 (pendapatan) atau 5 (beban), misalnya 5-399."
        ) from None


def seed_default_chart(session: Session) -> None:
    existing = set(session.scalars(select(Account.code)))
    for code, name, normal, contra in DEFAULT_CHART:
        if code not in existing:
            session.add(
                Account(
                    code=code,
                    name=name,
                    normal=normal,
                    grp=group_of(code),
                    is_contra=contra,
                    active=True,
                    is_system=True,
                )
            )
    session.flush()


def account_ids(session: Session) -> dict[str, int]:
    """Code -> id for every account, cached for the length of one session."""
    cache = session.info.get("account_ids")
    if cache is None:
        cache = dict(session.execute(select(Account.code, Account.id)).all())
        session.info["account_ids"] = cache
    return cache


def account_id(session: Session, code: str) -> int:
    try:
        return account_ids(session)[code]
    except KeyError:
        raise NotFound(f"Akun {code} tidak ada di bagan akun buku ini.") from None
