"""The smaller reports as one table shape: members, savings and loans recaps, arrears, cash book.

Each ``*_table`` function runs the report's builder (``build_members``,
``build_savings``, ``build_loans``, ``build_confirmations.build_arrears``,
``queries.ledger.cash_book``) and turns its data into a ``TableReport``: a
title, the period, the columns with their kind, the rows, the total rows.
The renderers (``pdf/table_report.py``, ``xlsx/table_workbook.py``) and the
window's preview draw a ``TableReport`` and nothing else, so the three agree.
Totals are the builders' own totals (int rupiah), never summed again here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.models.member import ACTIVE
from app.money import format_number, format_statement
from app.queries import statements as q
from app.queries.ledger import AccountLedger, cash_book
from app.reports.build_calk import percent_text
from app.reports.build_confirmations import ArrearsList, build_arrears
from app.reports.build_loans import LoanQuality, LoansRecap, build_loans
from app.reports.build_members import FEMALE, MALE, MemberList, build_member_list
from app.reports.build_savings import SavingsRecap, build_savings
from app.services import settings
from app.services.closing import year_closed

# Column kinds: how a cell is aligned, formatted and written to Excel.
TEXT, NUMBER, MONEY, DATE, PERCENT = "text", "number", "money", "date", "percent"
KINDS = (TEXT, NUMBER, MONEY, DATE, PERCENT)

# What a report asks for before it can be made.
YEAR, ON, PERIOD = "year", "on", "period"

MEMBERS, SAVINGS, LOANS, ARREARS, CASH_BOOK = "anggota", "simpanan", "pinjaman", "tunggakan", "kas"

OPEN_YEAR_MARK = "BELUM TUTUP BUKU: angka sementara, dapat berubah"

Cell = str | int | Decimal | date | None
Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    group: str = ""  # a caption over neighbouring columns of the same group (a second header row)
    wrap: bool = False  # long text (names, addresses, descriptions): wraps in the PDF

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def full_title(self) -> str:
        return f"{self.group} {self.title}" if self.group else self.title

    @property
    def numeric(self) -> bool:
        return self.kind in (NUMBER, MONEY, PERCENT)


@dataclass(frozen=True)
class TableReport:
    """One table with its title; what the PDF, the workbook and the preview show."""

    key: str  # MEMBERS, SAVINGS, ...
    title: str  # "Daftar Anggota"
    period: str  # "Tahun Buku 2025, keadaan 31/12/2025"
    organisation: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: tuple[Row, ...] = ()  # bold rows at the end (Jumlah; Saldo akhir)
    opening: tuple[Row, ...] = ()  # bold rows before the body (Saldo awal)
    provisional: bool = False  # a year not yet closed: "belum tutup buku" on every page
    generated_on: date = field(default_factory=lambda: dates.today())  # patched in tests
    summary: tuple[str, ...] = ()  # lines under the title (counts, NPL)
    notes: tuple[str, ...] = ()  # lines under the table
    file_base: str = ""  # "Daftar_Anggota": the file is <base>_<Koperasi>_<file_period>.pdf
    file_period: str = ""  # "2025", "01-01-2025_sd_31-12-2025"
    sheet_name: str = ""  # at most 31 characters (Excel)

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in (*self.opening, *self.rows, *self.totals):
            if len(row) != width:
                raise ValueError(f"{self.title}: a row has {len(row)} cells, not {width}")

    @property
    def status(self) -> str:
        return OPEN_YEAR_MARK if self.provisional else ""

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def column(self, title: str) -> int:
        """The index of the column called ``title`` (a grouped one: "Simpanan Wajib Akhir")."""
        for index, column in enumerate(self.columns):
            if column.full_title == title:
                return index
        raise KeyError(title)

    def total(self, title: str, row: int = 0) -> Cell:
        """A cell of the total rows by column title (``total("Jumlah")``)."""
        return self.totals[row][self.column(title)]


def format_cell(kind: str, value: Cell) -> str:
    """A cell as the treasurer reads it: 1.234.567 (zero "-"), 31/12/2025, 1,5%."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return dates.format_date(value)
    if kind == PERCENT and isinstance(value, Decimal):
        return percent_text(value * 100) + "%"
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if kind == MONEY:
        return format_statement(value)
    if kind == NUMBER:
        return format_number(value) if value else "-"
    return str(value)


def _organisation(session: Session) -> str:
    return settings.get_profile(session).name or "Koperasi"


def _year_period(year: int) -> str:
    return f"Tahun Buku {year}, keadaan 31 Desember {year}"


def _check_year(year: int) -> None:
    if year < 1900 or year > dates.today().year:
        raise ValidationError(
            f"Tahun buku {year} tidak dapat dilaporkan: pilih tahun yang sudah berjalan, "
            f"paling lambat {dates.today().year}."
        )


# -- daftar anggota -------------------------------------------------------------------------------

MEMBER_COLUMNS = (
    Column("No", NUMBER),
    Column("No. Anggota"),
    Column("Nama", wrap=True),
    Column("NIK"),
    Column("L/P"),
    Column("Tgl Lahir", DATE),
    Column("Alamat", wrap=True),
    Column("No. HP"),
    Column("Pekerjaan", wrap=True),
    Column("Tgl Masuk", DATE),
    Column("Status 31/12", wrap=True),
    Column("Jabatan", wrap=True),
)


def _rt_rw(address: str, rt: str, rw: str, dusun: str) -> str:
    parts = [address.strip()] if address.strip() else []
    if rt or rw:
        parts.append(f"RT {rt or '-'}/RW {rw or '-'}")
    if dusun:
        parts.append(f"Dusun {dusun}")
    return ", ".join(parts)


def member_list_report(data: MemberList, organisation: str) -> TableReport:
    rows: list[Row] = []
    for number, m in enumerate(data.rows, start=1):
        status = m.status if m.left_on is None else f"{m.status} {dates.format_date(m.left_on)}"
        position = m.position or (m.role if m.role != "anggota" else "")
        rows.append(
            (
                number,
                m.number,
                m.name,
                m.nik,
                m.sex,
                m.birth_date,
                _rt_rw(m.address, m.rt, m.rw, m.dusun),
                m.phone,
                m.occupation,
                m.joined_on,
                status,
                position,
            )
        )
    active = data.active
    men = sum(1 for r in active if r.sex == MALE)
    women = sum(1 for r in active if r.sex == FEMALE)
    summary = (
        f"{len(data.rows)} orang menjadi anggota dalam tahun {data.year}; {len(active)} anggota "
        f"aktif pada {dates.format_date(data.on)} ({men} laki-laki, {women} perempuan).",
    )
    return TableReport(
        key=MEMBERS,
        title="Daftar Anggota",
        period=_year_period(data.year),
        organisation=organisation,
        columns=MEMBER_COLUMNS,
        rows=tuple(rows),
        summary=summary,
        file_base="Daftar_Anggota",
        file_period=str(data.year),
        sheet_name="Daftar Anggota",
    )


def member_list_table(session: Session, year: int) -> TableReport:
    _check_year(year)
    return member_list_report(build_member_list(session, year), _organisation(session))


# -- rekap simpanan -------------------------------------------------------------------------------

_SAVINGS_KINDS = (("Pokok", "pokok"), ("Wajib", "wajib"), ("Sukarela", "sukarela"))
_MOVES = ("Awal", "Setor", "Tarik", "Akhir")


def _savings_columns() -> tuple[Column, ...]:
    columns = [Column("No", NUMBER), Column("No. Anggota"), Column("Nama", wrap=True)]
    for label, _key in _SAVINGS_KINDS:
        columns += [Column(move, MONEY, group=f"Simpanan {label}") for move in _MOVES]
    columns.append(Column("Jumlah Akhir", MONEY))
    return tuple(columns)


SAVINGS_COLUMNS = _savings_columns()


def savings_report(data: SavingsRecap, organisation: str, *, closed: bool) -> TableReport:
    rows: list[Row] = []
    for number, r in enumerate(data.rows, start=1):
        name = r.name if r.status == ACTIVE else f"{r.name} ({r.status})"
        cells: list[Cell] = [number, r.number, name]
        for _label, key in _SAVINGS_KINDS:
            mv = getattr(r, key)
            cells += [mv.opening, mv.deposits, mv.withdrawals, mv.closing]
        cells.append(r.total.closing)
        rows.append(tuple(cells))
    total: list[Cell] = [None, None, "Jumlah"]
    for _label, key in _SAVINGS_KINDS:
        mv = getattr(data, key)
        total += [mv.opening, mv.deposits, mv.withdrawals, mv.closing]
    total.append(data.total.closing)
    year = data.year
    return TableReport(
        key=SAVINGS,
        title="Rekapitulasi Simpanan Anggota",
        period=f"Tahun Buku {year}: 1 Januari - 31 Desember {year} (dalam Rupiah)",
        organisation=organisation,
        columns=SAVINGS_COLUMNS,
        rows=tuple(rows),
        totals=(tuple(total),),
        provisional=not closed,
        summary=(
            f"{len(data.rows)} anggota. Jumlah simpanan pada 31/12/{year}: "
            f"Rp{format_number(data.total.closing)}.",
        ),
        notes=(
            "Awal: saldo 31 Desember tahun sebelumnya. Setor: setoran dalam tahun. Tarik: "
            "penarikan dan pengembalian kepada anggota yang keluar.",
        ),
        file_base="Rekap_Simpanan",
        file_period=str(year),
        sheet_name="Rekap Simpanan",
    )


def savings_table(session: Session, year: int) -> TableReport:
    _check_year(year)
    return savings_report(
        build_savings(session, year), _organisation(session), closed=year_closed(session, year)
    )


# -- rekap pinjaman -------------------------------------------------------------------------------

_LOAN_STATUS = {"dicairkan": "berjalan", "lunas": "lunas", "dihapusbukukan": "hapus buku"}


def loans_report(
    recap: LoansRecap, quality: LoanQuality, organisation: str, *, closed: bool
) -> TableReport:
    written_off = any(r.written_off for r in recap.rows)
    columns = [
        Column("No", NUMBER),
        Column("No. Pinjaman"),
        Column("No. Anggota"),
        Column("Nama", wrap=True),
        Column("Tgl Cair", DATE),
        Column("Pokok Pinjaman", MONEY),
        Column("Jangka (bln)", NUMBER),
        Column("Jasa /bln", PERCENT),
        Column("Sisa Pokok Awal", MONEY),
        Column("Dicairkan", MONEY),
        Column("Angsuran Pokok", MONEY),
    ]
    columns += [Column("Hapus Buku", MONEY)] if written_off else []
    columns += [
        Column("Sisa Pokok 31/12", MONEY),
        Column("Jasa Dibayar", MONEY),
        Column("Tunggakan", MONEY),
        Column("Hari Tunggak", NUMBER),
        Column("Kolektibilitas", wrap=True),
    ]
    rows: list[Row] = []
    for number, r in enumerate(recap.rows, start=1):
        klass = r.klass + ("*" if r.class_overridden else "")
        if r.outstanding <= 0:
            klass = _LOAN_STATUS.get(r.status, r.status)
        cells: list[Cell] = [
            number,
            r.number,
            r.member_number,
            r.member_name,
            r.disbursed_on,
            r.principal,
            r.months,
            r.monthly_rate,
            r.opening,
            r.lent,
            r.repaid,
        ]
        cells += [r.written_off] if written_off else []
        cells += [r.outstanding, r.interest_paid, r.arrears, r.dpd, klass]
        rows.append(tuple(cells))
    total: list[Cell] = [None, None, None, "Jumlah", None]
    total += [sum(r.principal for r in recap.rows), None, None]
    total += [sum(r.opening for r in recap.rows), recap.lent, recap.repaid]
    total += [sum(r.written_off for r in recap.rows)] if written_off else []
    total += [recap.outstanding, recap.interest_paid, recap.arrears, None, None]
    year = recap.year
    npl = percent_text((quality.npl_ratio * 100).quantize(Decimal("0.01"))) + "%"
    summary = (
        f"{len(recap.rows)} pinjaman beredar dalam tahun {year}. Pada 31/12/{year}: sisa pokok "
        f"Rp{format_number(quality.outstanding)}, tunggakan Rp{format_number(quality.arrears)}, "
        f"NPL {npl} ({quality.health}), PPAP wajib Rp{format_number(quality.allowance_required)}.",
    )
    notes = ["Tunggakan, hari tunggak dan kolektibilitas menurut keadaan 31 Desember."]
    if any(r.class_overridden for r in recap.rows):
        notes.append("* kolektibilitas ditetapkan pengurus, bukan dari hari tunggakan.")
    return TableReport(
        key=LOANS,
        title="Rekapitulasi Pinjaman Anggota",
        period=f"Tahun Buku {year}: keadaan 31 Desember {year} (dalam Rupiah)",
        organisation=organisation,
        columns=tuple(columns),
        rows=tuple(rows),
        totals=(tuple(total),),
        provisional=not closed,
        summary=summary,
        notes=tuple(notes),
        file_base="Rekap_Pinjaman",
        file_period=str(year),
        sheet_name="Rekap Pinjaman",
    )


def loans_table(session: Session, year: int) -> TableReport:
    _check_year(year)
    recap, quality = build_loans(session, year)
    return loans_report(
        recap, quality.current, _organisation(session), closed=year_closed(session, year)
    )


# -- daftar tunggakan -----------------------------------------------------------------------------

ARREARS_COLUMNS = (
    Column("No", NUMBER),
    Column("No. Anggota"),
    Column("Nama", wrap=True),
    Column("No. HP"),
    Column("Alamat", wrap=True),
    Column("Bulan Wajib", NUMBER),
    Column("Tunggakan Wajib", MONEY),
    Column("Tunggakan Angsuran", MONEY),
    Column("Hari Terlambat", NUMBER),
    Column("Jumlah", MONEY),
)


def arrears_report(data: ArrearsList, addresses: dict[int, str]) -> TableReport:
    rows: list[Row] = []
    for number, r in enumerate(data.rows, start=1):
        rows.append(
            (
                number,
                r.number,
                r.name,
                r.phone or "-",
                addresses.get(r.member_id, ""),
                len(r.wajib_months),
                r.wajib,
                r.loan_arrears,
                max((loan.dpd for loan in r.loans), default=0),
                r.total,
            )
        )
    total: Row = (None, None, "Jumlah", None, None, None, data.wajib, data.loan_arrears, None)
    total = (*total, data.total)
    on = dates.format_date(data.on)
    return TableReport(
        key=ARREARS,
        title="Daftar Tunggakan",
        period=f"Per {dates.format_date_long(data.on)}",
        organisation=data.profile.name or "Koperasi",
        columns=ARREARS_COLUMNS,
        rows=tuple(rows),
        totals=(total,),
        summary=(
            f"{len(data.rows)} anggota menunggak simpanan wajib atau angsuran pinjaman per {on}, "
            "yang terbesar lebih dulu.",
        ),
        notes=(
            "Tunggakan wajib: bulan yang belum dibayar sampai bulan ini. Tunggakan angsuran: "
            "angsuran yang jatuh tempo dan belum dibayar. Pesan pengingat per anggota ada di "
            "Laporan > Tunggakan & Konfirmasi.",
        ),
        file_base="Daftar_Tunggakan",
        file_period=data.on.strftime("%d-%m-%Y"),
        sheet_name="Daftar Tunggakan",
    )


def member_addresses(members: Sequence[q.MemberInfo]) -> dict[int, str]:
    return {m.id: _rt_rw(m.address, m.rt, m.rw, m.dusun) for m in members}


def arrears_table(session: Session, on: date) -> TableReport:
    return arrears_report(build_arrears(session, on), member_addresses(q.all_members(session)))


# -- buku kas -------------------------------------------------------------------------------------

CASH_COLUMNS = (
    Column("Tanggal", DATE),
    Column("No. Bukti"),
    Column("Uraian", wrap=True),
    Column("Masuk (Debit)", MONEY),
    Column("Keluar (Kredit)", MONEY),
    Column("Saldo", MONEY),
)


def _years_closed(session: Session, start: date, end: date) -> bool:
    return all(year_closed(session, year) for year in range(start.year, end.year + 1))


def cash_book_report(ledger: AccountLedger, organisation: str, *, closed: bool) -> TableReport:
    start, end = ledger.start, ledger.end
    rows: list[Row] = []
    for line in ledger.lines:
        text = line.memo
        if line.line_memo and line.line_memo != line.memo:
            text = f"{text} — {line.line_memo}" if text else line.line_memo
        rows.append(
            (line.date, line.number, text, line.debit or None, line.credit or None, line.balance)
        )
    first, last = dates.format_date(start), dates.format_date(end)
    opening: Row = (start, None, f"Saldo awal per {first}", None, None, ledger.opening)
    totals: tuple[Row, ...] = (
        (None, None, "Jumlah mutasi", ledger.total_debit, ledger.total_credit, None),
        (end, None, f"Saldo akhir per {last}", None, None, ledger.closing),
    )
    return TableReport(
        key=CASH_BOOK,
        title="Buku Kas",
        period=f"{first} s.d. {last} (akun {ledger.code} {ledger.name}, dalam Rupiah)",
        organisation=organisation,
        columns=CASH_COLUMNS,
        rows=tuple(rows),
        opening=(opening,),
        totals=totals,
        provisional=not closed,
        summary=(
            f"{len(rows)} transaksi kas. Saldo awal Rp{format_number(ledger.opening)}, masuk "
            f"Rp{format_number(ledger.total_debit)}, keluar Rp{format_number(ledger.total_credit)}"
            f", saldo akhir Rp{format_number(ledger.closing)}.",
        ),
        file_base="Buku_Kas",
        file_period=f"{start.strftime('%d-%m-%Y')}_sd_{end.strftime('%d-%m-%Y')}",
        sheet_name="Buku Kas",
    )


def cash_book_table(session: Session, start: date, end: date) -> TableReport:
    ledger = cash_book(session, start, end)  # limit=None: every line of the period
    return cash_book_report(
        ledger, _organisation(session), closed=_years_closed(session, start, end)
    )


# -- one entry point for the window and the command line ------------------------------------------


@dataclass(frozen=True)
class TableRequest:
    """Which report and for when: ``year`` (YEAR), ``on`` (ON) or ``start``..``end`` (PERIOD)."""

    key: str
    year: int = 0
    on: date | None = None
    start: date | None = None
    end: date | None = None


NEEDS = {MEMBERS: YEAR, SAVINGS: YEAR, LOANS: YEAR, ARREARS: ON, CASH_BOOK: PERIOD}


def build_table(session: Session, request: TableRequest) -> TableReport:
    key = request.key
    needs = NEEDS.get(key)
    if needs is None:
        raise ValueError(f"unknown table report {key!r}")
    if needs == YEAR:
        year_builders: dict[str, Callable[[Session, int], TableReport]] = {
            MEMBERS: member_list_table,
            SAVINGS: savings_table,
            LOANS: loans_table,
        }
        return year_builders[key](session, request.year)
    if needs == ON:
        if request.on is None:
            raise ValidationError("Tanggal daftar tunggakan belum diisi.")
        return arrears_table(session, request.on)
    if request.start is None or request.end is None:
        raise ValidationError("Tanggal awal dan akhir buku kas belum diisi.")
    return cash_book_table(session, request.start, request.end)
