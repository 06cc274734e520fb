"""The import workbook of CONTRACT.md ("The import workbook"): its layout and the empty template.

The sheet names, the headers and the example rows live here once; the
importer reads with the same constants, so the template it hands out and the
workbook it accepts cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.ledger.chart import DEFAULT_CHART

ANGGOTA: Final = "Anggota"
SALDO_AWAL: Final = "Saldo Awal"
PINJAMAN: Final = "Pinjaman"
TRANSAKSI: Final = "Transaksi"
PETUNJUK: Final = "Petunjuk"
AKUN: Final = "Daftar Akun"

# Header text exactly as CONTRACT.md, in this order, in row 1.
HEADERS: Final[dict[str, tuple[str, ...]]] = {
    ANGGOTA: (
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
    ),
    SALDO_AWAL: ("Tanggal", "Kode Akun", "No. Anggota", "Jumlah"),
    PINJAMAN: (
        "No. Pinjaman",
        "No. Anggota",
        "Tanggal Cair",
        "Pokok",
        "Bunga per Bulan (%)",
        "Metode",
        "Tenor (Bulan)",
        "Provisi",
        "Administrasi",
        "Angsuran Terbayar",
    ),
    TRANSAKSI: (
        "Tanggal",
        "Jenis",
        "No. Anggota",
        "No. Pinjaman",
        "Kode Akun",
        "Jumlah",
        "Keterangan",
    ),
}
OPTIONAL_SHEETS: Final = frozenset({SALDO_AWAL})

SEXES: Final = ("L", "P")
METHODS: Final = ("flat", "menurun", "anuitas")
KINDS: Final = (
    "SETOR_POKOK",
    "SETOR_WAJIB",
    "SETOR_SUKARELA",
    "TARIK_SUKARELA",
    "ANGSURAN",
    "DENDA",
    "PENDAPATAN",
    "BEBAN",
    "KELUAR",
)

# The example row of each sheet carries this identity in its key column; the
# importer skips the row while it is exactly as written here.
EXAMPLE_MARK: Final = "CONTOH"
EXAMPLE_KEY: Final[dict[str, str]] = {
    ANGGOTA: "No. Anggota",
    SALDO_AWAL: "No. Anggota",
    PINJAMAN: "No. Pinjaman",
    TRANSAKSI: "No. Anggota",
}
EXAMPLES: Final[dict[str, tuple[object, ...]]] = {
    ANGGOTA: (
        EXAMPLE_MARK,
        "3273056010900009",
        "Siti Aminah",
        "P",
        "Bandung",
        date(1990, 10, 20),
        "Jl. Merdeka No. 5",
        "003",
        "007",
        "Sukamaju",
        "Pedagang",
        "081234567890",
        date(2024, 1, 2),
    ),
    SALDO_AWAL: (date(2024, 12, 31), "3-101", EXAMPLE_MARK, 50_000),
    PINJAMAN: (
        EXAMPLE_MARK,
        EXAMPLE_MARK,
        date(2024, 6, 10),
        5_000_000,
        1.5,
        "flat",
        12,
        50_000,
        0,
        6,
    ),
    TRANSAKSI: (
        date(2025, 1, 6),
        "SETOR_WAJIB",
        EXAMPLE_MARK,
        None,
        None,
        20_000,
        "Baris contoh: dilewati selama tidak diubah",
    ),
}

DATE_FORMAT: Final = "DD/MM/YYYY"
MONEY_FORMAT: Final = "#,##0"
TEXT_FORMAT: Final = "@"

_DATE_COLUMNS: Final = frozenset({"Tanggal Lahir", "Tanggal Masuk", "Tanggal", "Tanggal Cair"})
_MONEY_COLUMNS: Final = frozenset({"Jumlah", "Pokok", "Provisi", "Administrasi"})
# Typed as text so that Excel keeps leading zeros and all 16 digits of a NIK.
_TEXT_COLUMNS: Final = frozenset(
    {"No. Anggota", "NIK", "RT", "RW", "No. HP", "No. Pinjaman", "Kode Akun"}
)
_WIDTHS: Final = {
    "Nama": 28,
    "Alamat": 28,
    "Keterangan": 40,
    "NIK": 20,
    "Jenis": 18,
    "Bunga per Bulan (%)": 20,
}
# Data validation reaches this far down; far beyond any village cooperative.
_LAST_ROW: Final = 200_000

_HEADER_FILL: Final = PatternFill("solid", fgColor="2E7D32")
_HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT: Final = Font(italic=True, color="808080")

INSTRUCTIONS: Final[tuple[str, ...]] = (
    "Petunjuk pengisian buku kerja impor Lumbung",
    "",
    "Buku kerja ini memindahkan pembukuan koperasi yang sudah berjalan (anggota, saldo awal, "
    "pinjaman, dan transaksi) ke Lumbung. Impor berlaku utuh atau tidak sama sekali: satu "
    "kesalahan saja membuat seluruh file ditolak, dan setiap masalah disebut dengan nama "
    "lembar dan nomor barisnya, misalnya Transaksi!57.",
    "",
    "Aturan umum",
    "- Jangan mengubah nama lembar dan judul kolom di baris 1. Kolom tambahan boleh; "
    "diabaikan. Baris kosong dilewati.",
    "- Baris 2 tiap lembar adalah contoh (bertanda CONTOH, huruf abu-abu miring). Baris itu "
    "dilewati selama tidak diubah. Hapus atau timpa baris contoh dengan data sungguhan.",
    "- Jumlah uang dalam rupiah penuh tanpa sen: angka (1250000) atau teks seperti "
    "Rp1.250.000 atau 1.250.000.",
    "- Tanggal berupa tanggal Excel atau teks dd/mm/yyyy, misalnya 31/12/2024.",
    "- NIK, No. Anggota, RT, RW dan No. HP diketik sebagai teks. NIK yang disimpan Excel "
    "sebagai angka kehilangan angka terakhirnya (tampil seperti 3,21613E+15) dan ditolak.",
    "",
    "Lembar Anggota",
    "- Satu baris per anggota. No. Anggota unik (0001, 0002, ...). NIK 16 angka sesuai KTP, "
    "tidak boleh dipakai dua kali. Jenis Kelamin L atau P.",
    "- Mendaftarkan anggota lewat impor tidak mencatat uang. Anggota yang masuk sesudah "
    "tanggal saldo awal membayar simpanan pokoknya lewat baris SETOR_POKOK di lembar "
    "Transaksi; anggota lama sudah memegang simpanan pokoknya di Saldo Awal.",
    "",
    "Lembar Saldo Awal (boleh tidak ada)",
    "- Neraca terakhir yang sudah disahkan, semuanya pada satu tanggal (tanggal peralihan).",
    "- Jumlah positif berarti saldo di sisi normal akun (aset dan beban di debit; utang, "
    "modal dan pendapatan di kredit). Total debit harus sama dengan total kredit.",
    "- Simpanan (2-101 Sukarela, 3-101 Pokok, 3-102 Wajib) ditulis per anggota dengan No. Anggota.",
    "- 1-131 Pinjaman Anggota ditulis satu baris tanpa No. Anggota; jumlahnya harus sama "
    "dengan sisa pokok pinjaman yang cair sebelum tanggal saldo awal (lembar Pinjaman). "
    "Selisih sekecil apa pun membuat impor ditolak dan selisihnya disebutkan.",
    "",
    "Lembar Pinjaman",
    "- Bunga per Bulan dalam persen (1,5 berarti 1,5% sebulan). Metode: flat, menurun atau "
    "anuitas. Provisi dan Administrasi dalam rupiah (kosong berarti 0).",
    "- Pinjaman yang cair sebelum tanggal saldo awal adalah pinjaman lama: jadwalnya dibuat "
    "ulang dari syaratnya, dan Angsuran Terbayar (jumlah angsuran yang sudah lunas sebelum "
    "tanggal saldo awal) ditandai lunas. Sisa pokoknya termasuk baris 1-131 Saldo Awal.",
    "- Pinjaman yang cair pada atau sesudah tanggal saldo awal dicatat sebagai pencairan "
    "pada Tanggal Cair; Angsuran Terbayar diisi 0 atau dikosongkan.",
    "",
    "Lembar Transaksi",
    "- SETOR_POKOK, SETOR_WAJIB, SETOR_SUKARELA, TARIK_SUKARELA dan KELUAR: isi No. Anggota.",
    "- ANGSURAN dan DENDA: isi No. Pinjaman. Angsuran dibagi ke angsuran tertua lebih dulu, "
    "bunga dulu lalu pokok.",
    "- PENDAPATAN (akun 4-xxx) dan BEBAN (akun 5-xxx): isi Kode Akun. Lihat lembar Daftar Akun.",
    "- TARIK_SUKARELA ditolak bila saldo sukarela pada tanggal itu tidak cukup.",
    "- KELUAR: semua simpanan anggota dikembalikan tunai setelah dikurangi pinjamannya; "
    "Jumlah boleh dikosongkan (kalau diisi, harus sama dengan pengembaliannya).",
    "- Transaksi diproses menurut tanggal; pada tanggal yang sama: anggota baru, lalu "
    "pencairan pinjaman, lalu baris Transaksi sesuai urutannya di lembar.",
    "",
    "Sebelum mengimpor, periksa dulu: `lumbung import FILE.xlsx --dry-run` atau tombol "
    "Periksa di jendela impor. Tidak ada yang disimpan sampai semua masalah beres.",
)


def _style_header(ws: Worksheet, headers: Sequence[str]) -> None:
    ws.append(list(headers))
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = _WIDTHS.get(header, max(14, len(header) + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def _number_format(header: str) -> str | None:
    if header in _DATE_COLUMNS:
        return DATE_FORMAT
    if header in _MONEY_COLUMNS:
        return MONEY_FORMAT
    if header in _TEXT_COLUMNS:
        return TEXT_FORMAT
    return None


def _formats(ws: Worksheet, headers: Sequence[str]) -> None:
    """Column formats (for the rows the treasurer will type) and the example row's cells."""
    for col, header in enumerate(headers, start=1):
        fmt = _number_format(header)
        if fmt is None:
            continue
        ws.column_dimensions[get_column_letter(col)].number_format = fmt
        ws.cell(row=2, column=col).number_format = fmt
    for col in range(1, len(headers) + 1):
        ws.cell(row=2, column=col).font = _EXAMPLE_FONT


def _list_validation(
    ws: Worksheet, headers: Sequence[str], header: str, choices: Sequence[str], what: str
) -> None:
    letter = get_column_letter(headers.index(header) + 1)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{header} tidak dikenal",
        error=f"Pilih salah satu: {what}.",
    )
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.add_data_validation(dv)


def _range_validation(
    ws: Worksheet, headers: Sequence[str], header: str, source: str, what: str
) -> None:
    letter = get_column_letter(headers.index(header) + 1)
    dv = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{header} tidak dikenal",
        error=what,
    )
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.add_data_validation(dv)


def _whole_validation(ws: Worksheet, headers: Sequence[str], header: str, low: int) -> None:
    letter = get_column_letter(headers.index(header) + 1)
    dv = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1=str(low),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{header} tidak sah",
        error=f"{header} berupa bilangan bulat, paling kecil {low}.",
    )
    dv.add(f"{letter}2:{letter}{_LAST_ROW}")
    ws.add_data_validation(dv)


def build_template(
    chart: Sequence[tuple[str, str, str, bool]] = DEFAULT_CHART,
) -> Workbook:
    """The empty import workbook: instructions, four data sheets, and the chart of accounts."""
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = PETUNJUK
    guide.column_dimensions["A"].width = 110
    for text in INSTRUCTIONS:
        guide.append([text])
    guide["A1"].font = Font(bold=True, size=14)
    for row in guide.iter_rows(min_row=2):
        cell = row[0]
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if cell.value and not str(cell.value).startswith(("-", "Buku", "Sebelum")):
            cell.font = Font(bold=True)

    for name in (ANGGOTA, SALDO_AWAL, PINJAMAN, TRANSAKSI):
        headers = HEADERS[name]
        ws = wb.create_sheet(name)
        _style_header(ws, headers)
        ws.append(list(EXAMPLES[name]))
        _formats(ws, headers)

    _list_validation(wb[ANGGOTA], HEADERS[ANGGOTA], "Jenis Kelamin", SEXES, "L atau P")
    _list_validation(wb[PINJAMAN], HEADERS[PINJAMAN], "Metode", METHODS, "flat, menurun, anuitas")
    _list_validation(wb[TRANSAKSI], HEADERS[TRANSAKSI], "Jenis", KINDS, ", ".join(KINDS))
    _whole_validation(wb[PINJAMAN], HEADERS[PINJAMAN], "Tenor (Bulan)", 1)
    _whole_validation(wb[PINJAMAN], HEADERS[PINJAMAN], "Angsuran Terbayar", 0)

    accounts = wb.create_sheet(AKUN)
    _style_header(accounts, ("Kode Akun", "Nama Akun", "Saldo Normal"))
    accounts.column_dimensions["B"].width = 40
    for code, name, normal, _contra in chart:
        accounts.append([code, name, "Debit" if normal == "D" else "Kredit"])
    source = f"='{AKUN}'!$A$2:$A${len(chart) + 1}"
    for sheet in (SALDO_AWAL, TRANSAKSI):
        _range_validation(
            wb[sheet], HEADERS[sheet], "Kode Akun", source, "Pilih kode dari lembar Daftar Akun."
        )
    return wb


def write_template(path: Path | str) -> Path:
    """Write the template to ``path`` (.xlsx) and return where it went."""
    target = Path(path).expanduser()
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(target)
    return target.resolve()
