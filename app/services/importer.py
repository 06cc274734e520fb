"""Moving a cooperative's existing books in from Excel (CONTRACT.md "The import workbook").

Three steps, each usable on its own by the command line and the import wizard:

1. ``read_workbook(path)`` reads the four sheets tolerantly (amounts as numbers
   or ``Rp1.250.000`` text, dates as dates or ``dd/mm/yyyy`` text, NIKs that
   Excel stored as numbers, stray spaces, any case, empty rows, extra columns)
   into plain rows, noting every cell it cannot read as a ``Problem``.
2. ``preview(session, parsed)`` / ``check(session, parsed)`` replay the whole
   workbook in memory, in date order, under the same rules as the services
   (savings never below zero, installments oldest first, interest before
   principal, exits settled against loans, ...) and return the summary the
   treasurer confirms and every problem as ``Sheet!row: message``.
3. ``import_workbook(session, parsed, by=...)`` writes it, all or nothing in the
   caller's unit of work: members (no money), the Saldo Awal as one SA entry,
   loans (migrated ones with their rebuilt schedule and no disbursement
   posting; new ones approved and disbursed through the loan service), then
   the transactions. Afterwards the ledger is read back and must equal the
   replay to the rupiah, so what the summary says is what the books hold.

The book must be new and empty (``lumbung init``): the workbook describes a
whole cooperative, and only then does the first trial balance provably equal
the last approved balance sheet.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import DomainError, ValidationError
from app.ledger import Entry, Line, post_many
from app.ledger.balances import account_totals, savings_by_member
from app.ledger.chart import (
    KAS,
    MEMBER_ACCOUNTS,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
)
from app.models import Account, JournalEntry, Loan, LoanInstallment, Member, NumberSequence
from app.models.loan import APPLIED, DISBURSED, PAID_OFF
from app.models.member import ACTIVE
from app.money import MAX_AMOUNT, format_rupiah, parse_rupiah
from app.nik import normalize_nik
from app.services import audit, loans, members, settings
from app.services.import_template import (
    ANGGOTA,
    EXAMPLE_KEY,
    EXAMPLE_MARK,
    EXAMPLES,
    HEADERS,
    KINDS,
    OPTIONAL_SHEETS,
    PINJAMAN,
    SALDO_AWAL,
    TRANSAKSI,
)
from app.services.loan_state import Due, InstallmentState, allocate_payment, fill
from app.services.members import MemberInput
from app.services.schedule import METHOD_LABELS, METHODS, build_schedule, validate_terms
from app.services.xlsx_rows import XlsxReader

Progress = Callable[[int, int], None]

JASA_PINJAMAN: Final = loans.JASA_PINJAMAN
PROVISI_ADMIN: Final = loans.PROVISI_ADMIN
DENDA_ACCOUNT: Final = loans.DENDA
SAVINGS_KIND: Final = {
    "SETOR_POKOK": SIMPANAN_POKOK,
    "SETOR_WAJIB": SIMPANAN_WAJIB,
    "SETOR_SUKARELA": SIMPANAN_SUKARELA,
}
SAVINGS_LABEL: Final = {
    SIMPANAN_POKOK: "simpanan pokok",
    SIMPANAN_WAJIB: "simpanan wajib",
    SIMPANAN_SUKARELA: "simpanan sukarela",
}
# A float holds every integer exactly only up to here; Excel keeps 15 digits.
_EXACT_FLOAT: Final = 2**53
_E_NOTATION: Final = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+$")
_LOAN_NUMBER: Final = re.compile(r"^P-([0-9]{4})-([0-9]{1,6})$")
_BATCH: Final = 5000


# -- problems ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, where it is: ``Transaksi!57: ...``."""

    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row}: {self.message}"


class ImportRefused(DomainError):
    """The workbook was refused whole; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        head = (
            f"Impor ditolak: {len(self.problems)} masalah ditemukan; tidak ada yang disimpan. "
            "Perbaiki file Excel-nya lalu impor ulang."
        )
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


# -- what the workbook says -------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    row: int
    number: str
    data: MemberInput
    joined_on: date


@dataclass(frozen=True)
class OpeningRow:
    row: int
    on: date
    code: str
    member: str | None
    amount: int  # positive = the account's normal side


@dataclass(frozen=True)
class LoanRow:
    row: int
    number: str
    member: str
    disbursed_on: date
    principal: int
    monthly_rate: Decimal  # 0.015 for 1,5% a month
    months: int
    method: str
    provisi: int
    admin_fee: int
    paid_installments: int


@dataclass(frozen=True)
class TransactionRow:
    row: int
    on: date
    kind: str
    member: str | None
    loan: str | None
    account: str | None
    amount: int | None
    note: str


@dataclass(frozen=True)
class ParsedWorkbook:
    source: str
    members: tuple[MemberRow, ...]
    opening: tuple[OpeningRow, ...]
    loans: tuple[LoanRow, ...]
    transactions: tuple[TransactionRow, ...]
    problems: tuple[Problem, ...]
    # Keys of rows that could not be read: rows naming them are not reported again.
    unreadable_members: frozenset[str] = frozenset()
    unreadable_loans: frozenset[str] = frozenset()


# -- the summary ------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningBalance:
    code: str
    name: str
    normal: str  # "D" / "C"
    amount: int  # on the account's normal side

    @property
    def signed(self) -> int:
        return self.amount if self.normal == "D" else -self.amount


@dataclass(frozen=True)
class LoanSummary:
    number: str
    member_number: str
    member_name: str
    disbursed_on: date
    principal: int
    method: str
    months: int
    migrated: bool
    paid_before_cutover: int
    remaining_at_cutover: int  # migrated loans: principal in the 1-131 opening row
    remaining: int  # after the last transaction of the workbook


@dataclass(frozen=True)
class KindTotal:
    kind: str
    count: int
    amount: int


@dataclass(frozen=True)
class Reconciliation:
    """The proofs the treasurer signs off on: opening books = the last approved neraca."""

    cutover: date | None
    opening_debit: int
    opening_credit: int
    loans_row: int  # the 1-131 Saldo Awal row(s)
    loans_remaining: int  # remaining principal of the loans disbursed before the cut-over
    savings_members: dict[str, int]  # per savings account: sum over the members, at the end
    savings_accounts: dict[str, int]  # per savings account: the account's balance, at the end

    @property
    def balanced(self) -> bool:
        return self.opening_debit == self.opening_credit

    @property
    def loans_match(self) -> bool:
        return self.loans_row == self.loans_remaining

    @property
    def savings_match(self) -> bool:
        return self.savings_members == self.savings_accounts

    @property
    def ok(self) -> bool:
        return self.balanced and self.loans_match and self.savings_match


@dataclass(frozen=True)
class ImportSummary:
    source: str
    written: bool
    members: int
    members_l: int
    members_p: int
    exits: int
    opening: tuple[OpeningBalance, ...]
    loans: tuple[LoanSummary, ...]
    transactions: tuple[KindTotal, ...]
    first_date: date | None
    last_date: date | None
    entries: int
    reconciliation: Reconciliation
    warnings: tuple[Problem, ...] = ()

    @property
    def migrated_loans(self) -> tuple[LoanSummary, ...]:
        return tuple(loan for loan in self.loans if loan.migrated)

    def headline(self) -> str:
        rec = self.reconciliation
        text = f"{self.members} anggota"
        if rec.cutover is not None:
            state = "seimbang" if rec.balanced else "TIDAK seimbang"
            text += (
                f", saldo awal {state} dengan neraca {dates.format_date(rec.cutover)}: "
                f"{format_rupiah(rec.opening_debit)}"
            )
        count = sum(k.count for k in self.transactions)
        return text + f", {len(self.loans)} pinjaman, {count} transaksi"

    def lines(self) -> list[str]:
        """The summary as the command line prints it (and the wizard may show it)."""
        rec = self.reconciliation
        out = [
            ("Impor selesai: " if self.written else "Pemeriksaan (tidak ada yang disimpan): ")
            + self.headline()
            + ".",
            f"Anggota: {self.members} ({self.members_l} L, {self.members_p} P), "
            f"keluar lewat impor: {self.exits}.",
        ]
        if self.first_date is not None and self.last_date is not None:
            out.append(
                f"Rentang tanggal: {dates.format_date(self.first_date)} sampai "
                f"{dates.format_date(self.last_date)}; {self.entries} jurnal."
            )
        if rec.cutover is not None:
            out.append(f"Saldo awal per {dates.format_date(rec.cutover)}:")
            for b in self.opening:
                side = "D" if b.signed > 0 else "K"
                out.append(f"  {b.code} {b.name}: {format_rupiah(abs(b.signed))} ({side})")
            out.append(
                f"  Jumlah debit {format_rupiah(rec.opening_debit)}, jumlah kredit "
                f"{format_rupiah(rec.opening_credit)}"
                + (" (seimbang)." if rec.balanced else " (TIDAK seimbang).")
            )
            out.append(
                f"  1-131 Pinjaman Anggota {format_rupiah(rec.loans_row)} = sisa pokok "
                f"{len(self.migrated_loans)} pinjaman lama {format_rupiah(rec.loans_remaining)}"
                + (" (cocok)." if rec.loans_match else " (TIDAK cocok).")
            )
        savings = ", ".join(
            f"{SAVINGS_LABEL[code]} {format_rupiah(rec.savings_members.get(code, 0))}"
            for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)
        )
        out.append(
            f"Simpanan anggota di akhir impor: {savings}; "
            + ("sama dengan saldo akunnya." if rec.savings_match else "TIDAK sama dengan akunnya.")
        )
        if self.loans:
            out.append("Pinjaman (sisa pokok di akhir impor):")
            for loan in self.loans:
                kind = (
                    f"lama, {loan.paid_before_cutover} angsuran lunas sebelum peralihan, "
                    f"sisa saat peralihan {format_rupiah(loan.remaining_at_cutover)}"
                    if loan.migrated
                    else "baru"
                )
                out.append(
                    f"  {loan.number} {loan.member_number} {loan.member_name}: cair "
                    f"{dates.format_date(loan.disbursed_on)}, pokok "
                    f"{format_rupiah(loan.principal)}, {METHOD_LABELS[loan.method]} "
                    f"{loan.months} bulan ({kind}); sisa {format_rupiah(loan.remaining)}"
                )
        if self.transactions:
            out.append("Transaksi per jenis:")
            for k in self.transactions:
                out.append(f"  {k.kind}: {k.count} baris, {format_rupiah(k.amount)}")
        for warning in self.warnings:
            out.append(f"Peringatan {warning}")
        return out


@dataclass(frozen=True)
class Preview:
    summary: ImportSummary
    problems: tuple[Problem, ...]


# -- reading ------------------------------------------------------------------------


def _header_key(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, dict[str, object]]]
    formats: dict[int, dict[str, str]] = field(default_factory=dict)


def _load(path: Path, progress: Progress | None) -> tuple[dict[str, _Sheet], list[Problem]]:
    """Raw values of the four sheets; any failure of the file itself is one refusal."""
    if not path.is_file():
        raise ValidationError(f"File {path} tidak ditemukan.")
    sheets: dict[str, _Sheet] = {}
    problems: list[Problem] = []
    try:
        with XlsxReader(path) as book:
            by_name = {_header_key(name): name for name in book.sheetnames}
            for wanted, headers in HEADERS.items():
                actual = by_name.get(_header_key(wanted))
                if actual is None:
                    if wanted not in OPTIONAL_SHEETS:
                        problems.append(
                            Problem(
                                wanted,
                                1,
                                f'lembar (sheet) "{wanted}" tidak ada di file ini. Pakai '
                                "template dari `lumbung template` dan jangan ganti nama "
                                "lembarnya.",
                            )
                        )
                    continue
                rows = book.rows(actual, formats=wanted == PINJAMAN)
                sheet = _read_sheet(rows, wanted, headers, problems)
                if sheet is not None:
                    sheets[wanted] = sheet
                if progress is not None:
                    progress(len(sheets), len(HEADERS))
    except DomainError:
        raise
    except Exception as exc:  # the file's fault, never ours: zip, XML, encoding, ...
        raise ValidationError(
            f"File {path.name} tidak dapat dibaca sebagai buku kerja Excel (.xlsx): "
            f"{type(exc).__name__}. Buka file itu di Excel atau LibreOffice lalu simpan "
            "ulang sebagai .xlsx (Excel Workbook), atau isi template dari `lumbung template`."
        ) from exc
    return sheets, problems


def _read_sheet(
    rows: Iterator[tuple[int, list[object], list[str]]],
    name: str,
    headers: tuple[str, ...],
    problems: list[Problem],
) -> _Sheet | None:
    first = next(rows, None)
    found: dict[str, int] = {}
    if first is not None and first[0] == 1:
        for index, value in enumerate(first[1]):
            key = _header_key(value)
            if key and key not in found:
                found[key] = index
    columns: dict[str, int] = {}
    missing: list[str] = []
    for header in headers:
        at = found.get(_header_key(header))
        if at is None:
            missing.append(header)
        else:
            columns[header] = at
    if missing:
        for header in missing:
            problems.append(
                Problem(
                    name,
                    1,
                    f'kolom "{header}" tidak ada di baris judul. Judul kolom harus persis: '
                    + ", ".join(headers)
                    + ".",
                )
            )
        return None
    sheet = _Sheet(name, [])
    for number, cells, formats in rows:
        values = {h: cells[i] if i < len(cells) else None for h, i in columns.items()}
        if all(_is_blank(v) for v in values.values()):
            continue
        sheet.rows.append((number, values))
        if formats:
            sheet.formats[number] = {h: formats[i] for h, i in columns.items() if i < len(formats)}
    return sheet


class _Cells:
    """One row's cells, read tolerantly; every unreadable cell becomes a Problem."""

    def __init__(
        self, sheet: str, row: int, values: dict[str, object], problems: list[Problem]
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.values = values
        self.problems = problems
        self.ok = True

    def fail(self, header: str, message: str) -> None:
        self.problems.append(Problem(self.sheet, self.row, f"{header}: {message}"))
        self.ok = False

    def text(self, header: str) -> str:
        value = self.values.get(header)
        if value is None or isinstance(value, bool):
            return "" if value is None else str(value)
        if isinstance(value, str):
            return " ".join(value.split())
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if math.isfinite(value) and value.is_integer():
                return str(int(value))
            return str(value)
        if isinstance(value, datetime):
            return dates.format_date(value.date())
        if isinstance(value, date):
            return dates.format_date(value)
        return str(value)

    def required(self, header: str, what: str = "") -> str:
        text = self.text(header)
        if not text:
            self.fail(header, f"belum diisi{what}.")
        return text

    def date(self, header: str, *, required: bool = True) -> date | None:
        value = self.values.get(header)
        if _is_blank(value):
            if required:
                self.fail(header, "belum diisi. Tulis tanggal sebagai dd/mm/yyyy.")
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return dates.parse_date(value)
            except ValidationError as error:
                self.fail(header, str(error))
                return None
        self.fail(
            header,
            f'"{self.text(header)}" bukan tanggal. Format selnya sebagai tanggal atau tulis '
            "dd/mm/yyyy, misalnya 31/12/2024.",
        )
        return None

    def amount(self, header: str, *, required: bool = True, negative: bool = False) -> int | None:
        value = self.values.get(header)
        if _is_blank(value):
            if required:
                self.fail(header, "belum diisi. Tulis jumlah rupiah, misalnya 1.250.000.")
            return None
        amount: int
        if isinstance(value, bool | date | datetime):
            self.fail(header, f'"{self.text(header)}" bukan jumlah rupiah.')
            return None
        if isinstance(value, int):
            amount = value
        elif isinstance(value, float):
            if not math.isfinite(value):
                self.fail(header, "bukan angka rupiah yang sah.")
                return None
            if not value.is_integer():
                self.fail(
                    header,
                    f"{value} memakai sen; rupiah ditulis tanpa sen. Bulatkan ke rupiah penuh.",
                )
                return None
            amount = MAX_AMOUNT + 1 if abs(value) > MAX_AMOUNT else int(value)
        elif isinstance(value, str):
            try:
                amount = parse_rupiah(value, what=header)
            except ValidationError as error:
                self.fail(header, str(error))
                return None
        else:
            self.fail(header, f'"{self.text(header)}" bukan jumlah rupiah.')
            return None
        if abs(amount) > MAX_AMOUNT:
            self.fail(
                header,
                f"jumlahnya melebihi batas {format_rupiah(MAX_AMOUNT)}; periksa kembali angkanya.",
            )
            return None
        if amount < 0 and not negative:
            self.fail(header, "tidak boleh minus.")
            return None
        return amount

    def count(self, header: str, *, default: int | None = None, low: int = 0) -> int | None:
        value = self.values.get(header)
        if _is_blank(value):
            if default is None:
                self.fail(header, "belum diisi.")
            return default
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            number = int(value.strip()) if len(value.strip()) <= 6 else None
        if number is None or number < low or number > 10_000:
            self.fail(header, f'"{self.text(header)}" harus bilangan bulat {low} atau lebih.')
            return None
        return number

    def percent(self, header: str, number_format: str) -> Decimal | None:
        value = self.values.get(header)
        if _is_blank(value):
            self.fail(header, "belum diisi. Tulis bunga sebulan dalam persen, misalnya 1,5.")
            return None
        try:
            if isinstance(value, bool | date | datetime):
                raise InvalidOperation
            if isinstance(value, int | float):
                if isinstance(value, float) and not math.isfinite(value):
                    raise InvalidOperation
                # repr() of a float is its shortest exact decimal; Excel noise is rounded away.
                pct = Decimal(repr(value))
                if "%" in number_format:  # a cell formatted as percent holds 0.015 for 1,5%
                    pct *= 100
                pct = round(pct, 6)
            elif isinstance(value, str):
                text = value.strip().replace(" ", "")
                if text.count(",") == 1 and "." not in text:
                    text = text.replace(",", ".")
                pct = Decimal(text.rstrip("%"))
            else:
                raise InvalidOperation
            if not pct.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.fail(
                header,
                f'"{self.text(header)}" bukan persentase. Tulis bunga sebulan dalam persen, '
                "misalnya 1,5 untuk 1,5% sebulan.",
            )
            return None
        if pct < 0 or pct > 100:
            self.fail(header, f"{pct}% sebulan tidak masuk akal; periksa kembali angkanya.")
            return None
        if pct != round(pct, 4):
            self.fail(header, f"{pct}: bunga ditulis paling banyak 4 angka di belakang koma.")
            return None
        return (pct / 100).normalize()

    def member_number(self, header: str, *, required: bool) -> str | None:
        text = self.text(header)
        if not text:
            if required:
                self.fail(header, "belum diisi.")
            return None
        if text.isascii() and text.isdigit() and len(text) <= 9:
            return f"{int(text):04d}"
        self.fail(header, f'"{text}" bukan No. Anggota; tulis angkanya, misalnya 0001.')
        return None

    def loan_number(self, header: str, *, required: bool) -> str | None:
        text = self.text(header).upper().replace(" ", "")
        if not text:
            if required:
                self.fail(header, "belum diisi.")
            return None
        if len(text) > 16:
            self.fail(header, f'"{text}" terlalu panjang (paling banyak 16 huruf).')
            return None
        return text

    def nik(self, header: str) -> str:
        value = self.values.get(header)
        rounded = (
            "Excel menyimpan NIK yang diketik sebagai angka hanya sampai 15 angka, jadi angka "
            "terakhirnya bisa hilang. Format kolom NIK sebagai Teks, lalu ketik ulang NIK "
            "dari KTP."
        )
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer() or abs(value) >= _EXACT_FLOAT:
                self.fail(
                    header, f"NIK tersimpan sebagai angka yang dibulatkan ({value:G}). {rounded}"
                )
                return ""
            value = int(value)
        if isinstance(value, int):
            digits = str(value)
            if len(digits) == 16 and digits.endswith("0"):
                self.fail(
                    header,
                    f"NIK {digits} tersimpan sebagai angka dan berakhir 0: mungkin angka "
                    f"terakhirnya sudah dibulatkan Excel. {rounded}",
                )
                return ""
            return digits
        text = self.text(header).lstrip("'")
        if _E_NOTATION.match(text.replace(" ", "")):
            self.fail(header, f'NIK tertulis "{text}": Excel sudah membulatkannya. {rounded}')
            return ""
        return normalize_nik(text)

    def phone(self, header: str) -> str:
        value = self.values.get(header)
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = self.text(header)
            # Excel drops the leading 0 of a number typed as 0812...
            return "0" + text if text.startswith("8") else text
        return self.text(header)


def _sex(text: str) -> str:
    word = text.strip().upper()
    if word in ("L", "LAKI-LAKI", "LAKI LAKI", "LAKI", "PRIA"):
        return "L"
    if word in ("P", "PEREMPUAN", "WANITA"):
        return "P"
    return word


def _example(sheet: str, values: dict[str, object]) -> bool | None:
    """None: not the example row; True: the untouched example; False: an edited one."""
    key = values.get(EXAMPLE_KEY[sheet])
    if not (isinstance(key, str) and key.strip().upper() == EXAMPLE_MARK):
        return None
    for header, expected in zip(HEADERS[sheet], EXAMPLES[sheet], strict=True):
        got = values.get(header)
        if isinstance(got, datetime):
            got = got.date()
        if isinstance(got, str):
            got = got.strip() or None
        if isinstance(expected, str | int | float) and isinstance(got, int | float | str):
            if str(got).strip() != str(expected) and got != expected:
                return False
        elif got != expected:
            return False
    return True


def read_workbook(path: Path | str, progress: Progress | None = None) -> ParsedWorkbook:
    """Read the import workbook; unreadable cells become Problems, a broken file a refusal."""
    source = Path(path).expanduser()
    sheets, problems = _load(source, progress)
    members_rows: list[MemberRow] = []
    opening: list[OpeningRow] = []
    loan_rows: list[LoanRow] = []
    tx_rows: list[TransactionRow] = []
    bad_members: set[str] = set()
    bad_loans: set[str] = set()

    def rows_of(name: str) -> Iterable[_Cells]:
        sheet = sheets.get(name)
        if sheet is None:
            return
        for number, values in sheet.rows:
            example = _example(name, values)
            if example is True:
                continue
            if example is False:
                problems.append(
                    Problem(
                        name,
                        number,
                        f"baris contoh ({EXAMPLE_MARK}) sudah diubah. Hapus baris contoh, atau "
                        f"ganti {EXAMPLE_KEY[name]} {EXAMPLE_MARK} dengan data sungguhan.",
                    )
                )
                continue
            yield _Cells(name, number, values, problems)

    for c in rows_of(ANGGOTA):
        number = c.member_number("No. Anggota", required=True)
        nik = c.nik("NIK")
        joined = c.date("Tanggal Masuk")
        birth = c.date("Tanggal Lahir", required=False)
        data = MemberInput(
            nik=nik,
            name=c.text("Nama"),
            sex=_sex(c.text("Jenis Kelamin")),
            birth_place=c.text("Tempat Lahir"),
            birth_date=birth,
            address=c.text("Alamat"),
            rt=c.text("RT"),
            rw=c.text("RW"),
            dusun=c.text("Dusun"),
            occupation=c.text("Pekerjaan"),
            phone=c.phone("No. HP"),
        )
        if number is not None and c.ok and joined is not None:
            members_rows.append(MemberRow(c.row, number, data, joined))
        elif number is not None:
            bad_members.add(number)

    for c in rows_of(SALDO_AWAL):
        on = c.date("Tanggal")
        code = c.required("Kode Akun")
        member = c.member_number("No. Anggota", required=False)
        amount = c.amount("Jumlah", negative=True)
        if c.ok and on is not None and amount is not None:
            opening.append(OpeningRow(c.row, on, code, member, amount))

    for c in rows_of(PINJAMAN):
        formats = sheets[PINJAMAN].formats.get(c.row, {})
        loan_no = c.loan_number("No. Pinjaman", required=True)
        member = c.member_number("No. Anggota", required=True)
        disbursed = c.date("Tanggal Cair")
        principal = c.amount("Pokok")
        rate = c.percent("Bunga per Bulan (%)", formats.get("Bunga per Bulan (%)", ""))
        method = c.required("Metode", " (flat, menurun atau anuitas)").lower()
        if method and method not in METHODS:
            c.fail("Metode", f'"{method}" tidak dikenal; pilih flat, menurun atau anuitas.')
        months = c.count("Tenor (Bulan)", low=1)
        provisi = c.amount("Provisi", required=False)
        admin = c.amount("Administrasi", required=False)
        paid = c.count("Angsuran Terbayar", default=0)
        if (
            c.ok
            and loan_no is not None
            and member is not None
            and disbursed is not None
            and principal is not None
            and rate is not None
            and months is not None
            and paid is not None
        ):
            loan_rows.append(
                LoanRow(
                    c.row,
                    loan_no,
                    member,
                    disbursed,
                    principal,
                    rate,
                    months,
                    method,
                    provisi or 0,
                    admin or 0,
                    paid,
                )
            )
        elif loan_no is not None:
            bad_loans.add(loan_no)

    for c in rows_of(TRANSAKSI):
        on = c.date("Tanggal")
        kind = re.sub(r"[\s\-]+", "_", c.required("Jenis").upper())
        if kind and kind not in KINDS:
            c.fail(
                "Jenis",
                f'"{c.text("Jenis")}" tidak dikenal; pilih salah satu: ' + ", ".join(KINDS) + ".",
            )
        member = c.member_number("No. Anggota", required=False)
        loan_no = c.loan_number("No. Pinjaman", required=False)
        account = c.text("Kode Akun") or None
        amount = c.amount("Jumlah", required=kind != "KELUAR")
        if c.ok and on is not None:
            tx_rows.append(
                TransactionRow(
                    c.row, on, kind, member, loan_no, account, amount, c.text("Keterangan")
                )
            )

    return ParsedWorkbook(
        source=source.name,
        members=tuple(members_rows),
        opening=tuple(opening),
        loans=tuple(loan_rows),
        transactions=tuple(tx_rows),
        problems=tuple(problems),
        unreadable_members=frozenset(bad_members),
        unreadable_loans=frozenset(bad_loans),
    )


# -- the replay ------------------------------------------------------------------


@dataclass
class _Member:
    id: int
    row: MemberRow
    data: MemberInput
    saved: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA), 0
        )
    )
    exited_on: date | None = None

    @property
    def number(self) -> str:
        return self.row.number

    @property
    def name(self) -> str:
        return self.data.name


@dataclass
class _Loan:
    id: int
    row: LoanRow
    member: _Member
    schedule: list[Due]
    migrated: bool
    cutover_paid: int  # the installments paid before the cut-over (interest + principal)
    remaining_at_cutover: int
    principal_left: int = 0  # the loan's 1-131 balance in the replay
    repaid: int = 0  # interest + principal repaid through AN/KL entries
    disbursed: bool = False
    closed_on: date | None = None

    def states(self) -> list[InstallmentState]:
        return fill(self.schedule, self.cutover_paid + self.repaid)


@dataclass(frozen=True)
class _Disburse:
    loan: _Loan
    on: date
    row: int


@dataclass(frozen=True)
class _Exit:
    member: _Member
    on: date
    reason: str
    row: int


@dataclass(frozen=True)
class _Close:
    loan: _Loan
    on: date


_Step = Entry | _Disburse | _Exit | _Close


@dataclass
class _Plan:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    members: dict[str, _Member] = field(default_factory=dict)
    loans: dict[str, _Loan] = field(default_factory=dict)
    opening: Entry | None = None
    cutover: date | None = None
    opening_row_1131: int = 0
    steps: list[_Step] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    totals: Counter[str] = field(default_factory=Counter)  # account code -> signed total
    exits: int = 0
    first: date | None = None
    last: date | None = None
    entries: int = 0
    round_to: int = 1

    def add(self, sheet: str, row: int, message: str) -> None:
        self.problems.append(Problem(sheet, row, message))

    def record(self, entry: Entry) -> None:
        self.steps.append(entry)
        self.entries += 1
        for line in entry.lines:
            self.totals[line.account] += line.amount

    def seen(self, on: date) -> None:
        self.first = on if self.first is None else min(self.first, on)
        self.last = on if self.last is None else max(self.last, on)


class _Replay:
    """The workbook applied in memory, in date order, under the services' rules."""

    def __init__(self, session: Session, parsed: ParsedWorkbook, progress: Progress | None):
        self.session = session
        self.parsed = parsed
        self.progress = progress
        self.plan = _Plan(problems=list(parsed.problems))
        self.config = loans.loan_settings(session)
        self.plan.round_to = self.config.round_to
        self.today = dates.today()
        self.accounts = {
            code: (name, normal, grp, active)
            for code, name, normal, grp, active in session.execute(
                select(Account.code, Account.name, Account.normal, Account.grp, Account.active)
            )
        }
        self.pokok_rates = settings.rates(session, settings.POKOK)

    # -- helpers ----------------------------------------------------------------

    def member(self, sheet: str, row: int, number: str | None) -> _Member | None:
        if number is None:
            return None
        found = self.plan.members.get(number)
        if found is None and number not in self.parsed.unreadable_members:
            self.plan.add(sheet, row, f"No. Anggota {number} tidak ada di lembar Anggota.")
        return found

    def loan(self, sheet: str, row: int, number: str | None) -> _Loan | None:
        if number is None:
            return None
        found = self.plan.loans.get(number)
        if found is None and number not in self.parsed.unreadable_loans:
            self.plan.add(sheet, row, f"No. Pinjaman {number} tidak ada di lembar Pinjaman.")
        return found

    def active_on(self, member: _Member, on: date, sheet: str, row: int) -> bool:
        """members.require_active, replayed."""
        if member.exited_on is not None:
            self.plan.add(
                sheet,
                row,
                f"Anggota {member.number} {member.name} sudah keluar sejak "
                f"{dates.format_date(member.exited_on)}; transaksi untuknya tidak dapat diterima.",
            )
            return False
        if on < member.row.joined_on:
            self.plan.add(
                sheet,
                row,
                f"Tanggal {dates.format_date(on)} sebelum {member.name} ({member.number}) menjadi "
                f"anggota ({dates.format_date(member.row.joined_on)}).",
            )
            return False
        return True

    # -- the parts ---------------------------------------------------------------

    def run(self) -> _Plan:
        if not self.book_is_empty():
            return self.plan  # everything else would only repeat that one problem
        self.read_members()
        self.read_opening()
        self.read_loans()
        self.opening_entry()
        self.replay_events()
        return self.plan

    def book_is_empty(self) -> bool:
        members_count = self.session.scalar(select(func.count(Member.id))) or 0
        entries = self.session.scalar(select(func.count(JournalEntry.id))) or 0
        if members_count or entries:
            self.plan.problems = [
                Problem(
                    ANGGOTA,
                    1,
                    f"buku ini sudah berisi {members_count} anggota dan {entries} jurnal. Impor "
                    "hanya untuk buku baru yang masih kosong: buat dengan `lumbung init`, lalu "
                    "impor ke sana.",
                )
            ]
            return False
        return True

    def read_members(self) -> None:
        plan = self.plan
        next_id = (self.session.scalar(select(func.max(Member.id))) or 0) + 1
        niks: dict[str, int] = {}
        for row in self.parsed.members:
            if row.number in plan.members:
                plan.add(
                    ANGGOTA,
                    row.row,
                    f"No. Anggota {row.number} dipakai dua kali (juga di baris "
                    f"{plan.members[row.number].row.row}).",
                )
                continue
            try:
                cleaned, warnings = members.clean_input(self.session, row.data)
            except ValidationError as error:
                plan.add(ANGGOTA, row.row, str(error))
                continue
            if cleaned.nik in niks:
                plan.add(
                    ANGGOTA,
                    row.row,
                    f"NIK {cleaned.nik} dipakai dua kali (juga di baris {niks[cleaned.nik]}). "
                    "Satu orang hanya boleh satu keanggotaan.",
                )
                continue
            niks[cleaned.nik] = row.row
            if row.joined_on > self.today:
                plan.add(
                    ANGGOTA,
                    row.row,
                    f"Tanggal Masuk {dates.format_date(row.joined_on)} belum terjadi.",
                )
                continue
            plan.warnings.extend(Problem(ANGGOTA, row.row, w) for w in warnings)
            plan.members[row.number] = _Member(next_id, row, cleaned)
            next_id += 1

    def read_opening(self) -> None:
        plan = self.plan
        rows = self.parsed.opening
        if not rows:
            return
        days = Counter(r.on for r in rows)
        cutover = days.most_common(1)[0][0]
        plan.cutover = cutover
        if cutover > self.today:
            plan.add(
                SALDO_AWAL, rows[0].row, f"Tanggal {dates.format_date(cutover)} belum terjadi."
            )
        for r in rows:
            if r.on != cutover:
                plan.add(
                    SALDO_AWAL,
                    r.row,
                    f"Tanggal {dates.format_date(r.on)} berbeda dengan tanggal saldo awal lainnya "
                    f"({dates.format_date(cutover)}); saldo awal adalah satu neraca pada satu "
                    "tanggal.",
                )

    def read_loans(self) -> None:
        plan = self.plan
        next_id = (self.session.scalar(select(func.max(Loan.id))) or 0) + 1
        taken = set(self.session.scalars(select(Loan.number)))
        for row in self.parsed.loans:
            where = (PINJAMAN, row.row)
            if row.number in plan.loans or row.number in taken:
                plan.add(*where, f"No. Pinjaman {row.number} dipakai dua kali.")
                continue
            member = self.member(*where, row.member)
            try:
                validate_terms(row.principal, row.monthly_rate, row.months, row.method)
            except ValidationError as error:
                plan.add(*where, str(error))
                continue
            if row.monthly_rate > loans.HIGH_RATE:
                plan.add(
                    *where,
                    f"Bunga {row.monthly_rate * 100:f}% per bulan di atas 10%; periksa angkanya "
                    "(1,5 berarti 1,5% sebulan).",
                )
            if row.provisi + row.admin_fee >= row.principal:
                plan.add(*where, "Provisi dan biaya administrasi harus di bawah pokok pinjaman.")
            if row.disbursed_on > self.today:
                plan.add(
                    *where, f"Tanggal Cair {dates.format_date(row.disbursed_on)} belum terjadi."
                )
            migrated = plan.cutover is not None and row.disbursed_on < plan.cutover
            if row.paid_installments > row.months:
                plan.add(
                    *where,
                    f"Angsuran Terbayar {row.paid_installments} lebih dari tenornya "
                    f"({row.months} bulan).",
                )
                continue
            if row.paid_installments and not migrated:
                plan.add(
                    *where,
                    "Angsuran Terbayar hanya untuk pinjaman yang cair sebelum tanggal saldo awal"
                    + (
                        f" ({dates.format_date(plan.cutover)})"
                        if plan.cutover
                        else "; file ini tidak punya Saldo Awal"
                    )
                    + ". Angsuran sesudahnya ditulis di lembar Transaksi.",
                )
            if member is None:
                continue
            if row.disbursed_on < member.row.joined_on:
                plan.add(
                    *where,
                    f"Tanggal Cair {dates.format_date(row.disbursed_on)} sebelum {member.name} "
                    f"menjadi anggota ({dates.format_date(member.row.joined_on)}); pinjaman hanya "
                    "untuk anggota.",
                )
            schedule = build_schedule(
                row.principal,
                row.monthly_rate,
                row.months,
                row.method,
                row.disbursed_on,
                round_to=self.config.round_to,
            )
            dues = [Due(i.k, i.due, i.principal, i.interest) for i in schedule.installments]
            paid = row.paid_installments if migrated else 0
            remaining = schedule.installments[paid - 1].principal_left if paid else row.principal
            plan.loans[row.number] = _Loan(
                id=next_id,
                row=row,
                member=member,
                schedule=dues,
                migrated=migrated,
                cutover_paid=sum(d.amount for d in dues[:paid]),
                remaining_at_cutover=remaining if migrated else 0,
                principal_left=remaining if migrated else 0,
                disbursed=migrated,
                closed_on=plan.cutover if migrated and remaining == 0 else None,
            )
            next_id += 1

    def opening_entry(self) -> None:
        plan = self.plan
        cutover = plan.cutover
        if cutover is None:
            return
        lines: list[Line] = []
        debit = credit = 0
        loan_rows: list[OpeningRow] = []
        for r in self.parsed.opening:
            account = self.accounts.get(r.code)
            if account is None:
                plan.add(SALDO_AWAL, r.row, f"Kode Akun {r.code} tidak ada di bagan akun.")
                continue
            name, normal, _grp, active = account
            if not active:
                plan.add(SALDO_AWAL, r.row, f"Akun {r.code} {name} sudah dinonaktifkan.")
            signed = r.amount if normal == "D" else -r.amount
            if signed > 0:
                debit += signed
            else:
                credit -= signed
            if r.code == PINJAMAN_ANGGOTA:
                loan_rows.append(r)
                continue
            member: _Member | None = None
            if r.member is not None:
                member = self.member(SALDO_AWAL, r.row, r.member)
                if member is None:
                    continue
                if member.row.joined_on > cutover:
                    plan.add(
                        SALDO_AWAL,
                        r.row,
                        f"Anggota {member.number} {member.name} masuk "
                        f"{dates.format_date(member.row.joined_on)}, sesudah tanggal saldo awal "
                        f"{dates.format_date(cutover)}; setorannya ditulis di lembar Transaksi.",
                    )
                    continue
            elif r.code in MEMBER_ACCOUNTS:
                plan.add(
                    SALDO_AWAL,
                    r.row,
                    f"Akun {r.code} {name} adalah simpanan anggota: isi No. Anggota-nya, satu "
                    "baris per anggota.",
                )
                continue
            if r.code in MEMBER_ACCOUNTS and signed > 0:
                plan.add(SALDO_AWAL, r.row, f"Saldo {name} anggota tidak boleh minus.")
                continue
            if signed:
                lines.append(Line(r.code, signed, member_id=member.id if member else None))
                if member is not None and r.code in member.saved:
                    member.saved[r.code] -= signed
        if debit != credit:
            plan.add(
                SALDO_AWAL,
                1,
                f"saldo awal tidak seimbang: jumlah debit {format_rupiah(debit)}, jumlah kredit "
                f"{format_rupiah(credit)}, selisih {format_rupiah(abs(debit - credit))}. Saldo "
                "awal harus sama dengan neraca terakhir yang disahkan.",
            )
        migrated = [loan for loan in plan.loans.values() if loan.migrated]
        remaining = sum(loan.remaining_at_cutover for loan in migrated)
        row_total = sum(r.amount for r in loan_rows)
        plan.opening_row_1131 = row_total
        if row_total != remaining:
            where = loan_rows[0].row if loan_rows else 1
            plan.add(
                SALDO_AWAL,
                where,
                f"1-131 Pinjaman Anggota {format_rupiah(row_total)} tidak sama dengan sisa pokok "
                f"{len(migrated)} pinjaman yang cair sebelum {dates.format_date(cutover)} "
                f"(lembar Pinjaman): {format_rupiah(remaining)}, selisih "
                f"{format_rupiah(row_total - remaining)}.",
            )
        # The 1-131 row, split per loan so that every loan's principal is in the ledger.
        for loan in migrated:
            if loan.remaining_at_cutover:
                lines.append(
                    Line(
                        PINJAMAN_ANGGOTA,
                        loan.remaining_at_cutover,
                        member_id=loan.member.id,
                        loan_id=loan.id,
                    )
                )
        if lines:
            plan.opening = Entry(
                date=cutover,
                kind="SA",
                memo=f"Saldo awal per {dates.format_date(cutover)} (impor {self.parsed.source})",
                lines=lines,
            )
            for line in lines:
                plan.totals[line.account] += line.amount
            plan.entries += 1
            plan.seen(cutover)

    def replay_events(self) -> None:
        events: list[tuple[date, int, int, _Loan | TransactionRow]] = []
        for index, loan in enumerate(self.plan.loans.values()):
            if not loan.migrated:
                events.append((loan.row.disbursed_on, 0, index, loan))
        for index, tx in enumerate(self.parsed.transactions):
            events.append((tx.on, 1, index, tx))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        total = len(events)
        for done, (_on, _phase, _index, item) in enumerate(events, start=1):
            if isinstance(item, _Loan):
                self.disburse(item)
            else:
                self.transaction(item)
            if self.progress is not None and (done % 1000 == 0 or done == total):
                self.progress(done, total)

    def disburse(self, loan: _Loan) -> None:
        on = loan.row.disbursed_on
        if not self.active_on(loan.member, on, PINJAMAN, loan.row.row):
            return
        fees = loan.row.provisi + loan.row.admin_fee
        lines = [
            Line(PINJAMAN_ANGGOTA, loan.row.principal, member_id=loan.member.id, loan_id=loan.id),
            Line(KAS, -(loan.row.principal - fees)),
        ]
        if fees:
            lines.append(Line(PROVISI_ADMIN, -fees, member_id=loan.member.id, loan_id=loan.id))
        for line in lines:
            self.plan.totals[line.account] += line.amount
        self.plan.entries += 1
        self.plan.steps.append(_Disburse(loan, on, loan.row.row))
        loan.disbursed = True
        loan.principal_left = loan.row.principal
        self.plan.seen(on)

    def transaction(self, tx: TransactionRow) -> None:
        plan = self.plan
        where = (TRANSAKSI, tx.row)
        if tx.on > self.today:
            plan.add(
                *where,
                f"Tanggal {dates.format_date(tx.on)} belum terjadi (hari ini "
                f"{dates.format_date(self.today)}).",
            )
            return
        if plan.cutover is not None and tx.on < plan.cutover:
            plan.add(
                *where,
                f"Tanggal {dates.format_date(tx.on)} sebelum tanggal saldo awal "
                f"{dates.format_date(plan.cutover)}; transaksi sebelum itu sudah termasuk "
                "saldo awal.",
            )
            return
        kind = tx.kind
        counted: int | None = None
        if kind in SAVINGS_KIND or kind in ("TARIK_SUKARELA", "KELUAR"):
            if tx.member is None:
                plan.add(*where, f"{kind} perlu No. Anggota.")
                return
            member = self.member(*where, tx.member)
            if member is None or not self.active_on(member, tx.on, *where):
                return
            if kind in SAVINGS_KIND:
                counted = self.deposit(tx, member, SAVINGS_KIND[kind])
            elif kind == "TARIK_SUKARELA":
                counted = self.withdraw(tx, member)
            else:
                counted = self.exit(tx, member)
        elif kind in ("ANGSURAN", "DENDA"):
            if tx.loan is None:
                plan.add(*where, f"{kind} perlu No. Pinjaman.")
                return
            loan = self.loan(*where, tx.loan)
            if loan is None:
                return
            if tx.member is not None and tx.member != loan.member.number:
                plan.add(
                    *where,
                    f"Pinjaman {loan.row.number} milik anggota {loan.member.number}, bukan "
                    f"{tx.member}.",
                )
                return
            if not loan.disbursed or tx.on < loan.row.disbursed_on:
                plan.add(
                    *where,
                    f"Tanggal {dates.format_date(tx.on)} sebelum pinjaman {loan.row.number} "
                    f"dicairkan ({dates.format_date(loan.row.disbursed_on)}).",
                )
                return
            counted = self.repay(tx, loan) if kind == "ANGSURAN" else self.penalty(tx, loan)
        else:  # PENDAPATAN, BEBAN
            counted = self.income_or_expense(tx)
        if counted is not None:
            plan.kinds[kind][0] += 1
            plan.kinds[kind][1] += counted
            plan.seen(tx.on)

    def deposit(self, tx: TransactionRow, member: _Member, code: str) -> int | None:
        """savings.deposit, replayed (pokok once, at the amount in force)."""
        amount = tx.amount or 0
        where = (TRANSAKSI, tx.row)
        if amount <= 0:
            self.plan.add(*where, "Jumlah setoran harus lebih dari Rp0.")
            return None
        if code == SIMPANAN_POKOK:
            paid = member.saved[SIMPANAN_POKOK]
            if paid > 0:
                self.plan.add(
                    *where,
                    f"Simpanan pokok {member.name} sudah dibayar ({format_rupiah(paid)}); "
                    "simpanan pokok hanya dibayar sekali.",
                )
                return None
            due = settings.rate_on(self.pokok_rates, tx.on)
            if amount != due:
                self.plan.add(
                    *where,
                    f"Simpanan pokok sama untuk semua anggota: {format_rupiah(due)}, bukan "
                    f"{format_rupiah(amount)}.",
                )
                return None
        member.saved[code] += amount
        label = SAVINGS_LABEL[code]
        self.plan.record(
            Entry(
                date=tx.on,
                kind="ST",
                memo=tx.note
                or f"Setoran {member.number} {member.name}: {label} {format_rupiah(amount)}",
                member_id=member.id,
                lines=[Line(KAS, amount), Line(code, -amount, member_id=member.id)],
            )
        )
        return amount

    def withdraw(self, tx: TransactionRow, member: _Member) -> int | None:
        """savings.withdraw, replayed: never below zero on that date."""
        amount = tx.amount or 0
        where = (TRANSAKSI, tx.row)
        if amount <= 0:
            self.plan.add(*where, "Jumlah penarikan harus lebih dari Rp0.")
            return None
        available = member.saved[SIMPANAN_SUKARELA]
        if amount > available:
            self.plan.add(
                *where,
                f"Saldo simpanan sukarela {member.name} ({member.number}) pada "
                f"{dates.format_date(tx.on)} hanya {format_rupiah(available)}; penarikan "
                f"{format_rupiah(amount)} ditolak.",
            )
            return None
        member.saved[SIMPANAN_SUKARELA] -= amount
        self.plan.record(
            Entry(
                date=tx.on,
                kind="TR",
                memo=tx.note or f"Penarikan simpanan sukarela {member.number} {member.name}",
                member_id=member.id,
                lines=[
                    Line(SIMPANAN_SUKARELA, amount, member_id=member.id),
                    Line(KAS, -amount),
                ],
            )
        )
        return amount

    def repay(self, tx: TransactionRow, loan: _Loan) -> int | None:
        """loans.repay, replayed: oldest installment first, interest before principal."""
        amount = tx.amount or 0
        where = (TRANSAKSI, tx.row)
        if loan.closed_on is not None:
            self.plan.add(
                *where,
                f"Pinjaman {loan.row.number} sudah lunas ({dates.format_date(loan.closed_on)}).",
            )
            return None
        if amount <= 0:
            self.plan.add(*where, "Jumlah angsuran harus lebih dari Rp0.")
            return None
        states = loan.states()
        owed = sum(s.unpaid for s in states)
        if amount > owed:
            self.plan.add(
                *where,
                f"Pembayaran {format_rupiah(amount)} lebih besar dari seluruh sisa kewajiban "
                f"pinjaman {loan.row.number} ({format_rupiah(owed)}).",
            )
            return None
        parts = allocate_payment(states, amount)
        interest = sum(p.interest for p in parts)
        principal = sum(p.principal for p in parts)
        member = loan.member
        lines = [Line(KAS, amount)]
        if interest:
            lines.append(Line(JASA_PINJAMAN, -interest, member_id=member.id, loan_id=loan.id))
        if principal:
            lines.append(Line(PINJAMAN_ANGGOTA, -principal, member_id=member.id, loan_id=loan.id))
        ks = ", ".join(str(p.k) for p in parts)
        self.plan.record(
            Entry(
                date=tx.on,
                kind="AN",
                memo=f"Angsuran {loan.row.number} {member.number} {member.name} (angsuran ke-{ks})",
                member_id=member.id,
                lines=lines,
            )
        )
        loan.repaid += amount
        loan.principal_left -= principal
        if amount == owed or loan.principal_left == 0:
            self.close(loan, tx.on)
        return amount

    def close(self, loan: _Loan, on: date) -> None:
        loan.closed_on = on
        self.plan.steps.append(_Close(loan, on))

    def penalty(self, tx: TransactionRow, loan: _Loan) -> int | None:
        amount = tx.amount or 0
        if amount <= 0:
            self.plan.add(TRANSAKSI, tx.row, "Jumlah denda harus lebih dari Rp0.")
            return None
        member = loan.member
        self.plan.record(
            Entry(
                date=tx.on,
                kind="KM",
                memo=tx.note or f"Denda pinjaman {loan.row.number} {member.number} {member.name}",
                member_id=member.id,
                lines=[
                    Line(KAS, amount),
                    Line(DENDA_ACCOUNT, -amount, member_id=member.id, loan_id=loan.id),
                ],
            )
        )
        return amount

    def income_or_expense(self, tx: TransactionRow) -> int | None:
        where = (TRANSAKSI, tx.row)
        income = tx.kind == "PENDAPATAN"
        group, sign = ("pendapatan", "4") if income else ("beban", "5")
        if tx.account is None:
            self.plan.add(*where, f"{tx.kind} perlu Kode Akun ({sign}-xxx, lihat Daftar Akun).")
            return None
        account = self.accounts.get(tx.account)
        if account is None:
            self.plan.add(*where, f"Kode Akun {tx.account} tidak ada di bagan akun.")
            return None
        name, _normal, grp, active = account
        if grp != group:
            self.plan.add(
                *where,
                f"{tx.kind} memakai akun {group} ({sign}-xxx), bukan {tx.account} {name}.",
            )
            return None
        if not active:
            self.plan.add(*where, f"Akun {tx.account} {name} sudah dinonaktifkan.")
            return None
        amount = tx.amount or 0
        if amount <= 0:
            self.plan.add(*where, "Jumlah harus lebih dari Rp0.")
            return None
        lines = (
            [Line(KAS, amount), Line(tx.account, -amount)]
            if income
            else [Line(tx.account, amount), Line(KAS, -amount)]
        )
        self.plan.record(
            Entry(
                date=tx.on,
                kind="KM" if income else "KK",
                memo=tx.note or name,
                lines=lines,
            )
        )
        return amount

    def exit(self, tx: TransactionRow, member: _Member) -> int | None:
        """members.exit_member, replayed: savings settle the loans, the rest is paid in cash."""
        where = (TRANSAKSI, tx.row)
        on = tx.on
        savings = sum(member.saved.values())
        open_loans = sorted(
            (
                loan
                for loan in self.plan.loans.values()
                if loan.member is member and loan.disbursed and loan.closed_on is None
            ),
            key=lambda loan: (loan.row.disbursed_on, loan.id),
        )
        debts: list[tuple[_Loan, int, int]] = []
        for loan in open_loans:
            states = loan.states()
            principal = sum(s.unpaid_principal for s in states)
            interest = sum(s.unpaid_interest for s in states if s.due <= on)
            debts.append((loan, principal, interest))
        owed = sum(p + i for _loan, p, i in debts)
        refund = savings - owed
        if refund < 0:
            self.plan.add(
                *where,
                f"Utang {member.name} ({format_rupiah(owed)}) lebih besar dari simpanannya "
                f"({format_rupiah(savings)}). Anggota seperti ini hanya dapat keluar dengan "
                "keputusan pengurus: hapus baris ini, impor, lalu catat keluarnya di program.",
            )
            return None
        if tx.amount is not None and tx.amount != refund:
            self.plan.add(
                *where,
                f"Jumlah {format_rupiah(tx.amount)} tidak sama dengan pengembalian simpanan "
                f"{member.name} menurut buku: {format_rupiah(refund)} (simpanan "
                f"{format_rupiah(savings)} dikurangi pinjaman {format_rupiah(owed)}). Kosongkan "
                "Jumlah atau perbaiki transaksi sebelumnya.",
            )
            return None
        lines: list[Line] = []
        for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA):
            if member.saved[code]:
                lines.append(Line(code, member.saved[code], member_id=member.id))
        used = 0
        for loan, principal, interest in debts:  # loans.settle_from_savings
            lines += [
                Line(account, -amount, member_id=member.id, loan_id=loan.id)
                for account, amount in ((JASA_PINJAMAN, interest), (PINJAMAN_ANGGOTA, principal))
                if amount
            ]
            loan.repaid += interest + principal
            loan.principal_left -= principal
            loan.closed_on = on
            used += interest + principal
            if used >= savings:
                break
        if refund > 0:
            lines.append(Line(KAS, -refund))
        for line in lines:
            self.plan.totals[line.account] += line.amount
        if lines:
            self.plan.entries += 1
        member.saved = dict.fromkeys(member.saved, 0)
        member.exited_on = on
        self.plan.exits += 1
        self.plan.steps.append(_Exit(member, on, tx.note or "Keluar (impor)", tx.row))
        return refund


# -- summary -----------------------------------------------------------------------


def _summary(
    session: Session, parsed: ParsedWorkbook, plan: _Plan, *, written: bool
) -> ImportSummary:
    names = {
        code: (name, normal)
        for code, name, normal in session.execute(
            select(Account.code, Account.name, Account.normal)
        )
    }
    opening: dict[str, int] = defaultdict(int)
    if plan.opening is not None:
        for line in plan.opening.lines:
            opening[line.account] += line.amount
    balances = tuple(
        OpeningBalance(
            code,
            names[code][0],
            names[code][1],
            total if names[code][1] == "D" else -total,
        )
        for code, total in sorted(opening.items())
        if total
    )
    debit = sum(t for t in opening.values() if t > 0)
    credit = -sum(t for t in opening.values() if t < 0)
    member_totals = {
        code: sum(m.saved[code] for m in plan.members.values())
        for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB, SIMPANAN_SUKARELA)
    }
    account_balances = {code: -plan.totals.get(code, 0) for code in member_totals}
    migrated = [loan for loan in plan.loans.values() if loan.migrated]
    loans_summary = tuple(
        LoanSummary(
            number=loan.row.number,
            member_number=loan.member.number,
            member_name=loan.member.name,
            disbursed_on=loan.row.disbursed_on,
            principal=loan.row.principal,
            method=loan.row.method,
            months=loan.row.months,
            migrated=loan.migrated,
            paid_before_cutover=loan.row.paid_installments if loan.migrated else 0,
            remaining_at_cutover=loan.remaining_at_cutover,
            remaining=loan.principal_left,
        )
        for loan in plan.loans.values()
    )
    members_list = list(plan.members.values())
    return ImportSummary(
        source=parsed.source,
        written=written,
        members=len(members_list),
        members_l=sum(1 for m in members_list if m.data.sex == "L"),
        members_p=sum(1 for m in members_list if m.data.sex == "P"),
        exits=plan.exits,
        opening=balances,
        loans=loans_summary,
        transactions=tuple(
            KindTotal(kind, plan.kinds[kind][0], plan.kinds[kind][1])
            for kind in KINDS
            if kind in plan.kinds and plan.kinds[kind][0]
        ),
        first_date=plan.first,
        last_date=plan.last,
        entries=plan.entries,
        reconciliation=Reconciliation(
            cutover=plan.cutover,
            opening_debit=debit,
            opening_credit=credit,
            loans_row=plan.opening_row_1131,
            loans_remaining=sum(loan.remaining_at_cutover for loan in migrated),
            savings_members=member_totals,
            savings_accounts=account_balances,
        ),
        warnings=tuple(plan.warnings),
    )


# -- the three entry points ----------------------------------------------------------


def preview(session: Session, parsed: ParsedWorkbook, progress: Progress | None = None) -> Preview:
    """Replay the workbook without writing: the summary and every problem found."""
    plan = _Replay(session, parsed, progress).run()
    return Preview(_summary(session, parsed, plan, written=False), tuple(plan.problems))


def check(session: Session, parsed: ParsedWorkbook) -> list[Problem]:
    """Every problem of the workbook as ``Sheet!row: message``; empty when it can be imported."""
    return list(_Replay(session, parsed, None).run().problems)


def import_workbook(
    session: Session, parsed: ParsedWorkbook, *, by: str, progress: Progress | None = None
) -> ImportSummary:
    """Import everything in the caller's unit of work, or raise ImportRefused and write nothing.

    ``progress(done, total)`` is called while checking and while writing; if it
    raises (the wizard's Cancel), the caller's unit of work rolls back.
    """
    permissions.require(session, "impor")
    total = 2 * (len(parsed.transactions) + len(parsed.loans)) + 1

    def checking(done: int, _of: int) -> None:
        if progress is not None:
            progress(done, total)

    plan = _Replay(session, parsed, checking).run()
    if plan.problems:
        raise ImportRefused(plan.problems)
    _write(session, parsed, plan, by=by, progress=progress, offset=total // 2, total=total)
    _verify(session, plan)
    summary = _summary(session, parsed, plan, written=True)
    audit.record(
        session,
        by=by,
        action="impor.buku",
        entity="book",
        after={
            "file": parsed.source,
            "anggota": summary.members,
            "pinjaman": len(summary.loans),
            "transaksi": sum(k.count for k in summary.transactions),
            "jurnal": summary.entries,
            "saldo_awal": summary.reconciliation.cutover,
        },
    )
    if progress is not None:
        progress(total, total)
    return summary


# -- writing -----------------------------------------------------------------------------


def _advance_sequence(session: Session, series: str, year: int, last: int) -> None:
    """Numbers in the workbook are taken: the next one handed out comes after them."""
    seq = session.scalar(
        select(NumberSequence).where(NumberSequence.series == series, NumberSequence.year == year)
    )
    if seq is None:
        session.add(NumberSequence(series=series, year=year, last=last))
    elif seq.last < last:
        seq.last = last
    session.flush()


def _write(
    session: Session,
    parsed: ParsedWorkbook,
    plan: _Plan,
    *,
    by: str,
    progress: Progress | None,
    offset: int,
    total: int,
) -> None:
    member_rows = [
        {
            "id": m.id,
            "number": m.number,
            "joined_on": m.row.joined_on,
            "status": ACTIVE,
            "status_date": None,
            "status_reason": "",
            **{k: getattr(m.data, k) for k in MemberInput.__dataclass_fields__},
        }
        for m in plan.members.values()
    ]
    if member_rows:
        session.execute(insert(Member.__table__), member_rows)  # type: ignore[arg-type]
        _advance_sequence(
            session, members.MEMBER_SERIES, 0, max(int(m.number) for m in plan.members.values())
        )
    loan_rows = []
    installment_rows = []
    last_loan: dict[int, int] = {}
    for loan in plan.loans.values():
        row = loan.row
        loan_rows.append(
            {
                "id": loan.id,
                "number": row.number,
                "member_id": loan.member.id,
                "product_id": None,
                "principal": row.principal,
                "monthly_rate": str(row.monthly_rate),
                "months": row.months,
                "method": row.method,
                "round_to": plan.round_to,
                "provisi": row.provisi,
                "admin_fee": row.admin_fee,
                "purpose": "",
                "collateral": "",
                "collateral_value": 0,
                "guarantor_id": None,
                "status": DISBURSED if loan.migrated else APPLIED,
                "applied_on": row.disbursed_on,
                "decided_on": row.disbursed_on if loan.migrated else None,
                "decided_by": by if loan.migrated else "",
                "decided_at": None,
                "decision_note": f"Impor {parsed.source}" if loan.migrated else "",
                "disbursed_on": row.disbursed_on if loan.migrated else None,
                "closed_on": None,
                "paid_before_cutover": row.paid_installments if loan.migrated else 0,
                "class_override": "",
                "class_override_reason": "",
            }
        )
        if loan.migrated:
            installment_rows += [
                {
                    "loan_id": loan.id,
                    "k": d.k,
                    "due": d.due,
                    "principal": d.principal,
                    "interest": d.interest,
                }
                for d in loan.schedule
            ]
        if m := _LOAN_NUMBER.match(row.number):
            year, n = int(m.group(1)), int(m.group(2))
            last_loan[year] = max(last_loan.get(year, 0), n)
    if loan_rows:
        session.execute(insert(Loan.__table__), loan_rows)  # type: ignore[arg-type]
    if installment_rows:
        session.execute(insert(LoanInstallment.__table__), installment_rows)  # type: ignore[arg-type]
    for year, last in last_loan.items():
        _advance_sequence(session, "P", year, last)
    for loan in plan.loans.values():
        if loan.migrated and loan.remaining_at_cutover == 0:  # paid off before the cut-over
            _set_closed(session, loan.id, plan.cutover)

    pending: list[Entry] = []
    if plan.opening is not None:
        pending.append(plan.opening)

    def flush() -> None:
        if pending:
            post_many(session, pending, by=by)
            pending.clear()

    steps = len(plan.steps)
    for done, step in enumerate(plan.steps, start=1):
        if isinstance(step, Entry):
            pending.append(step)
            if len(pending) >= _BATCH:
                flush()
        elif isinstance(step, _Close):
            _set_closed(session, step.loan.id, step.on)
        else:
            flush()
            try:
                if isinstance(step, _Disburse):
                    loans.approve(
                        session, step.loan.id, on=step.on, by=by, note=f"Impor {parsed.source}"
                    )
                    loans.disburse(session, step.loan.id, on=step.on, by=by)
                else:
                    members.exit_member(
                        session, step.member.id, on=step.on, reason=step.reason, by=by
                    )
            except DomainError as error:
                sheet = PINJAMAN if isinstance(step, _Disburse) else TRANSAKSI
                raise ImportRefused([Problem(sheet, step.row, str(error))]) from error
        if progress is not None and (done % 1000 == 0 or done == steps):
            progress(offset + done * (total - offset - 1) // max(steps, 1), total)
    flush()
    session.flush()


def _set_closed(session: Session, loan_id: int, on: date | None) -> None:
    loan = session.get(Loan, loan_id)
    assert loan is not None
    loan.status = PAID_OFF
    loan.closed_on = on


def _verify(session: Session, plan: _Plan) -> None:
    """The ledger, read back, must say exactly what the replay said (a mismatch is a bug)."""
    session.flush()
    totals = {code: t for code, t in account_totals(session).items() if t}
    expected = {code: t for code, t in plan.totals.items() if t}
    mismatches = [
        f"akun {code}: buku {totals.get(code, 0)}, impor {expected.get(code, 0)}"
        for code in sorted(set(totals) | set(expected))
        if totals.get(code, 0) != expected.get(code, 0)
    ]
    outstanding = {
        loan.id: loans.outstanding_principal(session, loan.id) for loan in plan.loans.values()
    }
    mismatches += [
        f"pinjaman {loan.row.number}: buku {outstanding[loan.id]}, impor {loan.principal_left}"
        for loan in plan.loans.values()
        if outstanding[loan.id] != loan.principal_left
    ]
    saved = savings_by_member(session)
    for m in plan.members.values():
        got = saved.get(m.id, dict.fromkeys(m.saved, 0))
        if got != m.saved:
            mismatches.append(f"anggota {m.number}: buku {got}, impor {m.saved}")
    if mismatches:
        raise RuntimeError("import replay and ledger disagree: " + "; ".join(mismatches[:20]))
