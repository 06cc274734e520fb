"""The RAT workbook (CONTRACT.md "The RAT workbook"): presentation and machine-readable sheets.

Renders a ``RatBook`` (``reports.build_rat``) and runs no query. The
machine-readable sheets (``Neraca Saldo``, ``Rekap Simpanan``,
``Rekap Pinjaman``, ``SHU Anggota``) keep their names and headers exactly as
CONTRACT.md says: header in row 1, one record per row, no totals rows,
amounts as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

from app.reports.build_members import HeadCount
from app.reports.build_rat import RatBook
from app.reports.xlsx._sheets import (
    AMOUNT,
    BOLD,
    DATE,
    GRAND_BORDER,
    Cell,
    SheetMeta,
    _Writer,
    balance_sheet_sheet,
    cash_flow_sheet,
    equity_sheet,
    income_sheet,
    kolektibilitas_sheet,
    new_workbook,
    table_sheet,
    to_bytes,
)

# Presentation sheets (CONTRACT.md), then a few more of the RAT book.
NERACA = "Neraca"
HASIL_USAHA = "Hasil Usaha"
PERUBAHAN_EKUITAS = "Perubahan Ekuitas"
ARUS_KAS = "Arus Kas"
ALOKASI_SHU = "Alokasi SHU"
KOLEKTIBILITAS = "Kolektibilitas"
KEANGGOTAAN = "Keanggotaan"
MUTASI_SIMPANAN = "Mutasi Simpanan"
MUTASI_PINJAMAN = "Mutasi Pinjaman"
DAFTAR_ANGGOTA = "Daftar Anggota"

# Machine-readable sheets and their headers: CONTRACT.md, exactly.
NERACA_SALDO = "Neraca Saldo"
REKAP_SIMPANAN = "Rekap Simpanan"
REKAP_PINJAMAN = "Rekap Pinjaman"
SHU_ANGGOTA = "SHU Anggota"
CONTRACT_HEADERS: dict[str, tuple[str, ...]] = {
    NERACA_SALDO: ("Kode Akun", "Nama Akun", "Debit", "Kredit"),
    REKAP_SIMPANAN: ("No. Anggota", "Nama", "Pokok", "Wajib", "Sukarela", "Jumlah"),
    REKAP_PINJAMAN: (
        "No. Pinjaman",
        "No. Anggota",
        "Nama",
        "Tanggal Cair",
        "Pokok",
        "Metode",
        "Sisa Pokok",
        "Tunggakan",
        "Hari Tunggakan",
        "Kolektibilitas",
    ),
    SHU_ANGGOTA: (
        "No. Anggota",
        "Nama",
        "Simpanan",
        "Jasa Pinjaman",
        "Jasa Modal",
        "Jasa Anggota",
        "Jumlah SHU",
    ),
}
TEXT = "@"


def _percent_format(value: Decimal) -> str:
    return "0%" if value == value.to_integral_value() else "0.00%"


def _alokasi_sheet(wb: Workbook, meta: SheetMeta, book: RatBook) -> None:
    shu = book.shu
    w = _Writer(
        wb,
        ALOKASI_SHU,
        meta,
        "RENCANA PEMBAGIAN SISA HASIL USAHA (SHU)",
        f"Tahun buku {meta.year}",
        ["Akun", "Persentase", "Jumlah"],
        label_width=40,
        amount_width=16,
    )
    w.amounts("SHU tahun berjalan", [None, None, shu.shu], indent=0, font=BOLD)
    w.blank()
    if not shu.distributable:
        w.text("SHU nol atau negatif tidak dibagikan (DOMAIN: UU 25/1992 Pasal 45).", font=None)
    for c in shu.components:
        ratio = c.percent / 100
        w.amounts(c.label, [c.account, ratio, c.amount])
        w.ws.cell(w.row - 1, 3).number_format = _percent_format(c.percent)
    w.amounts(
        "Jumlah dibagi",
        [
            None,
            sum((c.percent for c in shu.components), Decimal(0)) / 100,
            sum(c.amount for c in shu.components),
        ],
        indent=0,
        font=BOLD,
        border=GRAND_BORDER,
    )
    w.ws.cell(w.row - 1, 3).number_format = "0%"
    w.blank()
    if shu.to_cadangan:
        w.amounts(
            "Bagian anggota tanpa dasar pembagian, ke Cadangan", [None, None, shu.to_cadangan]
        )
    w.amounts("Cadangan seluruhnya (3-201)", [None, None, shu.cadangan_total], font=BOLD)
    w.amounts(
        "Dasar jasa modal: simpanan pokok + wajib"
        + (" + sukarela" if shu.includes_sukarela else "")
        + " 31/12",
        [None, None, shu.savings_base],
    )
    w.amounts("Dasar jasa anggota: jasa pinjaman dibayar", [None, None, shu.interest_base])
    w.amounts("Jumlah SHU anggota (jasa modal + jasa anggota)", [None, None, shu.members_total])
    w.blank()
    if shu.distributed_number and shu.distributed_on is not None:
        w.text(
            f"Sudah dibagikan dengan jurnal {shu.distributed_number} tanggal "
            f"{shu.distributed_on:%d/%m/%Y}.",
            font=None,
        )
    else:
        w.text("Rencana: dibagikan setelah disetujui Rapat Anggota Tahunan.", font=None)


def _membership_sheet(wb: Workbook, meta: SheetMeta, book: RatBook) -> None:
    m = book.membership
    w = _Writer(
        wb,
        KEANGGOTAAN,
        meta,
        "PERKEMBANGAN KEANGGOTAAN",
        f"Tahun buku {meta.year}",
        ["Laki-laki (L)", "Perempuan (P)", "Jumlah"],
        label_width=40,
        amount_width=15,
    )
    w.ws.cell(4, 1, "(dalam orang)")

    def row(caption: str, count: HeadCount, *, indent: int = 1, total: bool = False) -> None:
        w.amounts(
            caption,
            [count.male, count.female, count.total],
            indent=indent,
            number_format=AMOUNT,
            font=BOLD if total else None,
            border=GRAND_BORDER if total else None,
        )

    row(f"Anggota awal tahun ({m.start_on:%d/%m/%Y})", m.start, indent=0)
    row("Masuk", m.joined)
    row("Keluar", m.left)
    for status, count in m.left_by_status:
        if count.total:
            w.amounts(
                f"karena {status}",
                [count.male, count.female, count.total],
                indent=2,
                number_format=AMOUNT,
            )
    row(f"Anggota akhir tahun ({m.end_on:%d/%m/%Y})", m.end, indent=0, total=True)


@dataclass(frozen=True)
class RecordTable:
    """One machine-readable sheet of CONTRACT.md: its header row and records."""

    name: str
    headers: Sequence[str]
    rows: list[tuple[Cell, ...]]
    formats: list[str]
    landscape: bool = False


def record_tables(book: RatBook) -> list[RecordTable]:
    """The record sheets of the RAT workbook, in its order (rows as written to the sheets)."""
    return [
        RecordTable(
            NERACA_SALDO,
            CONTRACT_HEADERS[NERACA_SALDO],
            [(r.code, r.name, r.debit, r.credit) for r in book.trial_balance.rows],
            formats=[TEXT, "General", AMOUNT, AMOUNT],
        ),
        RecordTable(
            REKAP_SIMPANAN,
            CONTRACT_HEADERS[REKAP_SIMPANAN],
            [
                (
                    r.number,
                    r.name,
                    r.pokok.closing,
                    r.wajib.closing,
                    r.sukarela.closing,
                    r.total.closing,
                )
                for r in book.savings.rows
            ],
            formats=[TEXT, "General", AMOUNT, AMOUNT, AMOUNT, AMOUNT],
        ),
        RecordTable(
            REKAP_PINJAMAN,
            CONTRACT_HEADERS[REKAP_PINJAMAN],
            [
                (
                    r.number,
                    r.member_number,
                    r.member_name,
                    r.disbursed_on,
                    r.principal,
                    r.method,
                    r.outstanding,
                    r.arrears,
                    r.dpd,
                    r.klass,
                )
                for r in book.loans.rows
            ],
            formats=[
                TEXT,
                TEXT,
                "General",
                DATE,
                AMOUNT,
                "General",
                AMOUNT,
                AMOUNT,
                AMOUNT,
                "General",
            ],
        ),
        RecordTable(
            SHU_ANGGOTA,
            CONTRACT_HEADERS[SHU_ANGGOTA],
            [
                (r.number, r.name, r.savings, r.interest, r.jasa_modal, r.jasa_anggota, r.total)
                for r in book.shu.members
            ],
            formats=[TEXT, "General", AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT],
        ),
        RecordTable(
            MUTASI_SIMPANAN,
            (
                "No. Anggota",
                "Nama",
                "Status",
                "Pokok Awal",
                "Pokok Masuk",
                "Pokok Keluar",
                "Pokok Akhir",
                "Wajib Awal",
                "Wajib Masuk",
                "Wajib Keluar",
                "Wajib Akhir",
                "Sukarela Awal",
                "Sukarela Masuk",
                "Sukarela Keluar",
                "Sukarela Akhir",
                "Jumlah Akhir",
            ),
            [
                (
                    r.number,
                    r.name,
                    r.status,
                    *(
                        x
                        for mv in (r.pokok, r.wajib, r.sukarela)
                        for x in (mv.opening, mv.deposits, mv.withdrawals, mv.closing)
                    ),
                    r.total.closing,
                )
                for r in book.savings.rows
            ],
            formats=[TEXT, "General", "General"] + [AMOUNT] * 13,
            landscape=True,
        ),
        RecordTable(
            MUTASI_PINJAMAN,
            (
                "No. Pinjaman",
                "No. Anggota",
                "Nama",
                "Tanggal Cair",
                "Pokok",
                "Bunga per Bulan (%)",
                "Tenor (Bulan)",
                "Metode",
                "Sisa Pokok Awal",
                "Pencairan",
                "Angsuran Pokok",
                "Hapus Buku",
                "Jasa Dibayar",
                "Sisa Pokok",
                "Tunggakan",
                "Hari Tunggakan",
                "Kolektibilitas",
                "PPAP",
                "Status",
            ),
            [
                (
                    r.number,
                    r.member_number,
                    r.member_name,
                    r.disbursed_on,
                    r.principal,
                    r.monthly_rate * 100,
                    r.months,
                    r.method,
                    r.opening,
                    r.lent,
                    r.repaid,
                    r.written_off,
                    r.interest_paid,
                    r.outstanding,
                    r.arrears,
                    r.dpd,
                    r.klass,
                    r.allowance,
                    r.status,
                )
                for r in book.loans.rows
            ],
            formats=[TEXT, TEXT, "General", DATE, AMOUNT, "0.00##", AMOUNT, "General"]
            + [AMOUNT] * 8
            + ["General", AMOUNT, "General"],
            landscape=True,
        ),
        RecordTable(
            DAFTAR_ANGGOTA,
            (
                "No. Anggota",
                "NIK",
                "Nama",
                "Jenis Kelamin",
                "Tempat Lahir",
                "Tanggal Lahir",
                "Alamat",
                "RT",
                "RW",
                "Dusun",
                "Pekerjaan",
                "No. HP",
                "Tanggal Masuk",
                "Status",
                "Tanggal Keluar",
                "Peran",
                "Jabatan",
            ),
            [
                (
                    r.number,
                    r.nik,
                    r.name,
                    r.sex,
                    r.birth_place,
                    r.birth_date,
                    r.address,
                    r.rt,
                    r.rw,
                    r.dusun,
                    r.occupation,
                    r.phone,
                    r.joined_on,
                    r.status,
                    r.left_on,
                    r.role,
                    r.position,
                )
                for r in book.members.rows
            ],
            formats=[
                TEXT,
                TEXT,
                "General",
                "General",
                "General",
                DATE,
                "General",
                TEXT,
                TEXT,
                "General",
                "General",
                TEXT,
                DATE,
                "General",
                DATE,
                "General",
                "General",
            ],
            landscape=True,
        ),
    ]


def render_rat_workbook(book: RatBook) -> bytes:
    """The RAT workbook of ``book`` as .xlsx bytes."""
    meta = SheetMeta(book.profile.name or "Koperasi", book.year, book.closed)
    st = book.statements
    wb = new_workbook()
    balance_sheet_sheet(wb, NERACA, meta, st.balance_sheet)
    income_sheet(wb, HASIL_USAHA, meta, st.income_statement)
    equity_sheet(wb, PERUBAHAN_EKUITAS, meta, st.equity_statement)
    cash_flow_sheet(wb, ARUS_KAS, meta, st.cash_flow)
    _alokasi_sheet(wb, meta, book)
    kolektibilitas_sheet(wb, KOLEKTIBILITAS, meta, book.kolektibilitas)
    _membership_sheet(wb, meta, book)

    for table in record_tables(book):
        table_sheet(
            wb,
            table.name,
            table.headers,
            table.rows,
            meta,
            formats=table.formats,
            landscape=table.landscape,
        )
    return to_bytes(wb)
