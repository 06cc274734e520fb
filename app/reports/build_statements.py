"""The five statements of DOMAIN.md 6 as data, the previous year beside the current one.

Nothing here renders. Every amount is an ``int`` of rupiah; assets and
expenses are shown debit positive, liabilities, equity and income credit
positive, so a contra account (CKPN, accumulated depreciation) is negative.

Where the figures come from:

- Neraca: balances on 31 December *after* the closing entry. Whatever income
  and expense is not closed yet (an open year) is shown inside equity, so the
  Neraca balances whether the year is closed or not.
- SHU Tahun Berjalan (Neraca and equity) is the year's income - expense, the
  Laporan Hasil Usaha's last line. The rest of 3-501 + 3-502 (an SHU of an
  earlier year that the RAT has not distributed yet) is SHU Belum Dibagi.
- Laporan Hasil Usaha: the year's income and expense lines, without the
  closing entry (the same figures before and after tutup buku).
- Arus kas (direct method): every entry that moves 1-101, 1-102 or 1-111 is
  classified by its other lines; the flows add up to the change in cash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.ledger.chart import (
    CADANGAN,
    JASA_PINJAMAN,
    PROVISI_ADMINISTRASI,
    SHU_TAHUN_BERJALAN,
    SIMPANAN_POKOK,
    SIMPANAN_WAJIB,
)
from app.ledger.chart import DENDA as PENDAPATAN_DENDA
from app.queries import statements as q
from app.services import settings

HIBAH = "3-301"
MODAL_PENYERTAAN = "3-401"
SHU_BELUM_DIBAGI = "3-501"
PAJAK = "5-901"

# Pengaturan option (read here; the Pengaturan screen may offer it): under SAK EP
# simpanan pokok and wajib may be presented as liabilities (DOMAIN.md 2). The
# accounts do not move; only the statements change.
POKOK_WAJIB_AS_LIABILITY_OPTION = "laporan.pokok_wajib_liabilitas"


def pokok_wajib_as_liability(session: Session) -> bool:
    return bool(settings.get_option(session, POKOK_WAJIB_AS_LIABILITY_OPTION, False))


# -- shared shapes -----------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement: this year and last year."""

    caption: str
    current: int
    previous: int
    code: str = ""  # the account, when the line is one account

    @property
    def is_zero(self) -> bool:
        return self.current == 0 and self.previous == 0


@dataclass(frozen=True)
class StatementSection:
    title: str
    lines: tuple[StatementLine, ...]
    total_caption: str

    @property
    def total(self) -> StatementLine:
        return StatementLine(
            self.total_caption,
            sum(line.current for line in self.lines),
            sum(line.previous for line in self.lines),
        )


def _sum_lines(caption: str, parts: Iterable[StatementLine]) -> StatementLine:
    items = list(parts)
    return StatementLine(caption, sum(p.current for p in items), sum(p.previous for p in items))


def _year_start(year: int) -> date:
    return date(year, 1, 1)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


# -- one year-end, as the statements see it -------------------------------------------


class Position:
    """The books on 31 December of ``year``: balances after closing, the year's income
    and expense without closing, and the SHU split into this year's and earlier ones."""

    def __init__(
        self,
        year: int,
        balances: dict[str, int],
        income_expense: dict[str, int],
        accounts: Mapping[str, q.AccountInfo],
    ) -> None:
        self.year = year
        self.balances = balances
        self.income_expense = income_expense
        self.shu = -sum(income_expense.values())
        unclosed = sum(
            total
            for code, total in balances.items()
            if accounts[code].group in ("pendapatan", "beban")
        )
        shu_accounts = balances.get(SHU_BELUM_DIBAGI, 0) + balances.get(SHU_TAHUN_BERJALAN, 0)
        # Presented: this year's SHU, and whatever else 3-501/3-502 and unclosed
        # income and expense hold (an SHU the RAT has not distributed yet).
        self.shu_undistributed = -shu_accounts - unclosed - self.shu

    def credit(self, code: str) -> int:
        return -self.balances.get(code, 0)

    def debit(self, code: str) -> int:
        return self.balances.get(code, 0)

    @property
    def cash(self) -> int:
        return sum(self.balances.get(code, 0) for code in q.CASH_CODES)


def _positions(
    session: Session, year: int, count: int, accounts: Mapping[str, q.AccountInfo]
) -> list[Position]:
    """Positions on 31/12 of ``year`` and of the ``count - 1`` years before it: one pass over
    the balances, then each earlier year-end is the later one less that year's lines."""
    balances = q.balances_on(session, _year_end(year))
    result = []
    for y in range(year, year - count, -1):
        moved = q.period_totals(session, _year_start(y), _year_end(y), without_closing=False)
        closing = q.closing_totals(session, _year_start(y), _year_end(y))
        income_expense = {
            code: moved.get(code, 0) - closing.get(code, 0)
            for code in set(moved) | set(closing)
            if accounts[code].group in ("pendapatan", "beban")
            and moved.get(code, 0) != closing.get(code, 0)
        }
        result.append(Position(y, balances, income_expense, accounts))
        earlier = dict(balances)
        for code, total in moved.items():
            earlier[code] = earlier.get(code, 0) - total
        balances = {code: total for code, total in earlier.items() if total}
    return result


class _Context:
    """What every statement of one report year needs, read once."""

    def __init__(self, session: Session, year: int) -> None:
        self.year = year
        self.accounts = q.chart(session)
        self.liability_option = pokok_wajib_as_liability(session)
        self.current, self.previous, self.before_previous = _positions(
            session, year, 3, self.accounts
        )

    def name(self, code: str) -> str:
        info = self.accounts.get(code)
        return info.name if info else code


# -- Laporan Posisi Keuangan (Neraca) --------------------------------------------------


@dataclass(frozen=True)
class BalanceSheet:
    year: int
    on: date
    previous_on: date
    closed: bool
    pokok_wajib_as_liability: bool
    current_assets: StatementSection
    noncurrent_assets: StatementSection
    current_liabilities: StatementSection
    noncurrent_liabilities: StatementSection
    equity: StatementSection

    @property
    def total_assets(self) -> StatementLine:
        return _sum_lines("JUMLAH ASET", [self.current_assets.total, self.noncurrent_assets.total])

    @property
    def total_liabilities(self) -> StatementLine:
        return _sum_lines(
            "Jumlah Liabilitas",
            [self.current_liabilities.total, self.noncurrent_liabilities.total],
        )

    @property
    def total_liabilities_and_equity(self) -> StatementLine:
        return _sum_lines(
            "JUMLAH LIABILITAS DAN EKUITAS", [self.total_liabilities, self.equity.total]
        )

    @property
    def balanced(self) -> bool:
        assets, other = self.total_assets, self.total_liabilities_and_equity
        return assets.current == other.current and assets.previous == other.previous

    def sections(self) -> tuple[StatementSection, ...]:
        return (
            self.current_assets,
            self.noncurrent_assets,
            self.current_liabilities,
            self.noncurrent_liabilities,
            self.equity,
        )

    def line(self, code: str) -> StatementLine | None:
        for section in self.sections():
            for line in section.lines:
                if line.code == code:
                    return line
        return None


_EQUITY_SHOWN = (SIMPANAN_POKOK, SIMPANAN_WAJIB, CADANGAN, HIBAH)


def _account_lines(
    ctx: _Context, codes: Sequence[str], *, credit: bool, always: Sequence[str] = ()
) -> tuple[StatementLine, ...]:
    lines = []
    for code in codes:
        pos = (ctx.current, ctx.previous)
        amounts = [p.credit(code) if credit else p.debit(code) for p in pos]
        line = StatementLine(ctx.name(code), amounts[0], amounts[1], code)
        if not line.is_zero or code in always:
            lines.append(line)
    return tuple(lines)


def _codes_of(ctx: _Context, group: str) -> list[str]:
    """The accounts of ``group`` with a balance on either date, in code order."""
    used = set(ctx.current.balances) | set(ctx.previous.balances)
    return [code for code, info in ctx.accounts.items() if info.group == group and code in used]


def _balance_sheet(ctx: _Context, closed: bool) -> BalanceSheet:
    liability_option = ctx.liability_option
    assets = _codes_of(ctx, "aset")
    liabilities = _codes_of(ctx, "liabilitas")
    current_assets = [c for c in assets if c.startswith("1-1")]
    noncurrent_assets = [c for c in assets if not c.startswith("1-1")]
    current_liabilities = [c for c in liabilities if c.startswith("2-1")]
    noncurrent_liabilities = [c for c in liabilities if not c.startswith("2-1")]
    member_equity = (SIMPANAN_POKOK, SIMPANAN_WAJIB)
    long_lines = list(_account_lines(ctx, noncurrent_liabilities, credit=True))
    if liability_option:
        long_lines += _account_lines(ctx, member_equity, credit=True, always=member_equity)
    equity_codes = [
        c
        for c in ctx.accounts
        if ctx.accounts[c].group == "ekuitas"
        and c not in (SHU_BELUM_DIBAGI, SHU_TAHUN_BERJALAN)
        and not (liability_option and c in member_equity)
    ]
    shown = [c for c in _EQUITY_SHOWN if c in equity_codes]
    equity_lines = list(
        _account_lines(
            ctx,
            shown + [c for c in equity_codes if c not in shown],
            credit=True,
            always=shown,
        )
    )
    equity_lines.append(
        StatementLine(
            "SHU Belum Dibagi",
            ctx.current.shu_undistributed,
            ctx.previous.shu_undistributed,
            SHU_BELUM_DIBAGI,
        )
    )
    equity_lines.append(
        StatementLine("SHU Tahun Berjalan", ctx.current.shu, ctx.previous.shu, SHU_TAHUN_BERJALAN)
    )
    return BalanceSheet(
        year=ctx.year,
        on=_year_end(ctx.year),
        previous_on=_year_end(ctx.year - 1),
        closed=closed,
        pokok_wajib_as_liability=liability_option,
        current_assets=StatementSection(
            "Aset Lancar",
            _account_lines(ctx, current_assets, credit=False),
            "Jumlah Aset Lancar",
        ),
        noncurrent_assets=StatementSection(
            "Aset Tidak Lancar",
            _account_lines(ctx, noncurrent_assets, credit=False),
            "Jumlah Aset Tidak Lancar",
        ),
        current_liabilities=StatementSection(
            "Liabilitas Jangka Pendek",
            _account_lines(ctx, current_liabilities, credit=True),
            "Jumlah Liabilitas Jangka Pendek",
        ),
        noncurrent_liabilities=StatementSection(
            "Liabilitas Jangka Panjang", tuple(long_lines), "Jumlah Liabilitas Jangka Panjang"
        ),
        equity=StatementSection("Ekuitas", tuple(equity_lines), "Jumlah Ekuitas"),
    )


# -- Laporan Hasil Usaha ---------------------------------------------------------------


@dataclass(frozen=True)
class IncomeStatement:
    year: int
    start: date
    end: date
    closed: bool
    operating_income: StatementSection
    direct_costs: StatementSection
    operating_expenses: StatementSection
    other_income: StatementSection
    other_expenses: StatementSection
    taxes: StatementSection

    @property
    def gross_result(self) -> StatementLine:
        a, b = self.operating_income.total, self.direct_costs.total
        return StatementLine("Hasil Usaha Bruto", a.current - b.current, a.previous - b.previous)

    @property
    def operating_result(self) -> StatementLine:
        a, b = self.gross_result, self.operating_expenses.total
        return StatementLine("Hasil Usaha", a.current - b.current, a.previous - b.previous)

    @property
    def other_result(self) -> StatementLine:
        a, b = self.other_income.total, self.other_expenses.total
        return StatementLine(
            "Pendapatan (Beban) Lain Bersih", a.current - b.current, a.previous - b.previous
        )

    @property
    def before_tax(self) -> StatementLine:
        return _sum_lines("SHU Sebelum Pajak", [self.operating_result, self.other_result])

    @property
    def shu(self) -> StatementLine:
        a, b = self.before_tax, self.taxes.total
        return StatementLine("SHU Tahun Berjalan", a.current - b.current, a.previous - b.previous)

    @property
    def total_income(self) -> StatementLine:
        return _sum_lines(
            "Jumlah Pendapatan", [self.operating_income.total, self.other_income.total]
        )

    @property
    def total_expenses(self) -> StatementLine:
        return _sum_lines(
            "Jumlah Beban",
            [
                self.direct_costs.total,
                self.operating_expenses.total,
                self.other_expenses.total,
                self.taxes.total,
            ],
        )


_INCOME_SHOWN = (JASA_PINJAMAN, PROVISI_ADMINISTRASI, PENDAPATAN_DENDA)


def _ie_kind(code: str, group: str) -> str:
    if group == "pendapatan":
        return "other_income" if code.startswith("4-9") else "operating_income"
    if code == PAJAK:
        return "taxes"
    if code.startswith("5-1"):
        return "direct_costs"
    if code.startswith("5-9"):
        return "other_expenses"
    return "operating_expenses"


def _income_statement(ctx: _Context, closed: bool) -> IncomeStatement:
    used = set(ctx.current.income_expense) | set(ctx.previous.income_expense)
    groups: dict[str, list[StatementLine]] = {
        k: []
        for k in (
            "operating_income",
            "direct_costs",
            "operating_expenses",
            "other_income",
            "other_expenses",
            "taxes",
        )
    }
    for code, info in ctx.accounts.items():
        if info.group not in ("pendapatan", "beban"):
            continue
        if code not in used and code not in _INCOME_SHOWN:
            continue
        sign = -1 if info.group == "pendapatan" else 1
        line = StatementLine(
            info.name,
            sign * ctx.current.income_expense.get(code, 0),
            sign * ctx.previous.income_expense.get(code, 0),
            code,
        )
        groups[_ie_kind(code, info.group)].append(line)
    return IncomeStatement(
        year=ctx.year,
        start=_year_start(ctx.year),
        end=_year_end(ctx.year),
        closed=closed,
        operating_income=StatementSection(
            "Pendapatan Usaha", tuple(groups["operating_income"]), "Jumlah Pendapatan Usaha"
        ),
        direct_costs=StatementSection(
            "Beban Langsung", tuple(groups["direct_costs"]), "Jumlah Beban Langsung"
        ),
        operating_expenses=StatementSection(
            "Beban Usaha", tuple(groups["operating_expenses"]), "Jumlah Beban Usaha"
        ),
        other_income=StatementSection(
            "Pendapatan Lain", tuple(groups["other_income"]), "Jumlah Pendapatan Lain"
        ),
        other_expenses=StatementSection(
            "Beban Lain", tuple(groups["other_expenses"]), "Jumlah Beban Lain"
        ),
        taxes=StatementSection("Pajak", tuple(groups["taxes"]), "Jumlah Pajak Penghasilan"),
    )


# -- Laporan Perubahan Ekuitas ---------------------------------------------------------


@dataclass(frozen=True)
class EquityColumn:
    key: str
    caption: str
    codes: tuple[str, ...]  # the accounts the column shows


@dataclass(frozen=True)
class EquityRow:
    caption: str
    amounts: tuple[int, ...]  # one per column, credit positive
    is_balance: bool = False  # a saldo row (opening or closing), else a movement

    @property
    def total(self) -> int:
        return sum(self.amounts)


@dataclass(frozen=True)
class EquityPeriod:
    year: int
    opening: EquityRow  # 1 January (= 31 December of the year before)
    movements: tuple[EquityRow, ...]
    closing: EquityRow  # 31 December, as in the Neraca

    @property
    def adds_up(self) -> bool:
        sums = list(self.opening.amounts)
        for row in self.movements:
            sums = [a + b for a, b in zip(sums, row.amounts, strict=True)]
        return sums == list(self.closing.amounts)


@dataclass(frozen=True)
class EquityStatement:
    year: int
    closed: bool
    columns: tuple[EquityColumn, ...]
    previous: EquityPeriod
    current: EquityPeriod

    def periods(self) -> tuple[EquityPeriod, EquityPeriod]:
        return (self.previous, self.current)


SETORAN = "Setoran simpanan pokok dan wajib"
PENGEMBALIAN = "Pengembalian simpanan anggota keluar"
PINDAH_SHU = "SHU tahun lalu dipindahkan ke SHU belum dibagi"
ALOKASI = "Alokasi (pembagian) SHU"
HIBAH_ROW = "Hibah dan donasi"
PENYERTAAN_ROW = "Modal penyertaan"
SALDO_AWAL_ROW = "Saldo awal pindahan pembukuan lama"
LAIN_ROW = "Mutasi lain"
SHU_ROW = "SHU tahun berjalan"
_MOVEMENT_ORDER = (
    SETORAN,
    PENGEMBALIAN,
    PINDAH_SHU,
    ALOKASI,
    HIBAH_ROW,
    PENYERTAAN_ROW,
    SALDO_AWAL_ROW,
    LAIN_ROW,
    SHU_ROW,
)
_MOVEMENTS_SHOWN = (SETORAN, PENGEMBALIAN, ALOKASI, HIBAH_ROW, SHU_ROW)
SHU_BD_KEY, SHU_TB_KEY = "shu_belum_dibagi", "shu_tahun_berjalan"


def _equity_row_of(code: str, kind: str) -> str:
    if kind == "KL":
        return PENGEMBALIAN
    if kind == "SH":
        return ALOKASI
    if kind == "SA":
        return SALDO_AWAL_ROW
    if code in (SIMPANAN_POKOK, SIMPANAN_WAJIB):
        return SETORAN
    if code == HIBAH:
        return HIBAH_ROW
    if code == MODAL_PENYERTAAN:
        return PENYERTAAN_ROW
    return LAIN_ROW


def _equity_columns(ctx: _Context, balance_sheet: BalanceSheet) -> tuple[EquityColumn, ...]:
    columns = []
    for line in balance_sheet.equity.lines:
        if line.code == SHU_BELUM_DIBAGI:
            columns.append(
                EquityColumn(SHU_BD_KEY, line.caption, (SHU_BELUM_DIBAGI, SHU_TAHUN_BERJALAN))
            )
        elif line.code == SHU_TAHUN_BERJALAN:
            columns.append(EquityColumn(SHU_TB_KEY, line.caption, ()))
        else:
            columns.append(EquityColumn(line.code, line.caption, (line.code,)))
    return tuple(columns)


def _equity_balance(pos: Position, columns: Sequence[EquityColumn], caption: str) -> EquityRow:
    amounts = []
    for column in columns:
        if column.key == SHU_BD_KEY:
            amounts.append(pos.shu_undistributed)
        elif column.key == SHU_TB_KEY:
            amounts.append(pos.shu)
        else:
            amounts.append(sum(pos.credit(code) for code in column.codes))
    return EquityRow(caption, tuple(amounts), is_balance=True)


def _equity_period(
    session: Session,
    ctx: _Context,
    year: int,
    columns: tuple[EquityColumn, ...],
    opening_pos: Position,
    closing_pos: Position,
) -> EquityPeriod:
    index = {code: i for i, col in enumerate(columns) for code in col.codes}
    keys = [c.key for c in columns]
    rows: dict[str, list[int]] = {caption: [0] * len(columns) for caption in _MOVEMENT_ORDER}
    moved = q.movements_by_kind(
        session, _year_start(year), _year_end(year), list(index), without_closing=True
    )
    for (code, kind), total in moved.items():
        rows[_equity_row_of(code, kind)][index[code]] += -total
    opening = _equity_balance(opening_pos, columns, f"Saldo 1 Januari {year}")
    if SHU_TB_KEY in keys and SHU_BD_KEY in keys:
        rows[PINDAH_SHU][keys.index(SHU_TB_KEY)] -= opening_pos.shu
        rows[PINDAH_SHU][keys.index(SHU_BD_KEY)] += opening_pos.shu
        rows[SHU_ROW][keys.index(SHU_TB_KEY)] += closing_pos.shu
    movements = tuple(
        EquityRow(caption, tuple(rows[caption]))
        for caption in _MOVEMENT_ORDER
        if caption in _MOVEMENTS_SHOWN or any(rows[caption])
    )
    closing = _equity_balance(closing_pos, columns, f"Saldo 31 Desember {year}")
    return EquityPeriod(year, opening, movements, closing)


def _equity_statement(
    session: Session, ctx: _Context, balance_sheet: BalanceSheet, closed: bool
) -> EquityStatement:
    columns = _equity_columns(ctx, balance_sheet)
    return EquityStatement(
        year=ctx.year,
        closed=closed,
        columns=columns,
        previous=_equity_period(
            session, ctx, ctx.year - 1, columns, ctx.before_previous, ctx.previous
        ),
        current=_equity_period(session, ctx, ctx.year, columns, ctx.previous, ctx.current),
    )


# -- Laporan Arus Kas (direct method) --------------------------------------------------


@dataclass(frozen=True)
class CashFlowStatement:
    year: int
    closed: bool
    operating: StatementSection
    investing: StatementSection
    financing: StatementSection
    opening_balances: StatementLine  # cash brought in by saldo awal (cut-over) in the year
    opening_cash: StatementLine  # 1-101 + 1-102 + 1-111 on 31/12 of the year before
    closing_cash: StatementLine  # the same accounts on 31/12 of the year (the ledger)
    cash_accounts: tuple[StatementLine, ...]  # closing cash per account

    @property
    def net_change(self) -> StatementLine:
        return _sum_lines(
            "Kenaikan (Penurunan) Bersih Kas dan Setara Kas",
            [
                self.operating.total,
                self.investing.total,
                self.financing.total,
                self.opening_balances,
            ],
        )

    @property
    def computed_closing(self) -> StatementLine:
        return _sum_lines("Kas dan setara kas akhir tahun", [self.opening_cash, self.net_change])

    @property
    def reconciles(self) -> bool:
        """Opening cash + the flows = the cash in the ledger on 31/12, both years."""
        computed, ledger = self.computed_closing, self.closing_cash
        return computed.current == ledger.current and computed.previous == ledger.previous


OPERASI, INVESTASI, PENDANAAN = "operasi", "investasi", "pendanaan"

# (section, caption) in the order printed.
_CASH_ROWS: tuple[tuple[str, str], ...] = (
    (OPERASI, "Penerimaan angsuran pokok pinjaman anggota"),
    (OPERASI, "Penerimaan jasa pinjaman"),
    (OPERASI, "Penerimaan provisi dan administrasi pinjaman"),
    (OPERASI, "Penerimaan denda"),
    (OPERASI, "Penerimaan pendapatan lain"),
    (OPERASI, "Setoran simpanan sukarela"),
    (OPERASI, "Penarikan simpanan sukarela"),
    (OPERASI, "Setoran simpanan berjangka"),
    (OPERASI, "Pencairan simpanan berjangka"),
    (OPERASI, "Pinjaman yang disalurkan kepada anggota"),
    (OPERASI, "Pembayaran bunga simpanan"),
    (OPERASI, "Pembayaran beban usaha dan beban lain"),
    (OPERASI, "Pembayaran pajak"),
    (OPERASI, "Penerimaan (pembayaran) operasi lain"),
    (INVESTASI, "Pencairan (penempatan) deposito"),
    (INVESTASI, "Penyertaan pada koperasi lain"),
    (INVESTASI, "Pembelian aset tetap"),
    (INVESTASI, "Penjualan aset tetap"),
    (INVESTASI, "Penerimaan (pembayaran) investasi lain"),
    (PENDANAAN, "Penerimaan simpanan pokok"),
    (PENDANAAN, "Penerimaan simpanan wajib"),
    (PENDANAAN, "Pengembalian simpanan pokok anggota keluar"),
    (PENDANAAN, "Pengembalian simpanan wajib anggota keluar"),
    (PENDANAAN, "Pembayaran simpanan anggota keluar (utang)"),
    (PENDANAAN, "Pembayaran SHU anggota"),
    (PENDANAAN, "Penggunaan dana-dana SHU"),
    (PENDANAAN, "Penerimaan pinjaman bank"),
    (PENDANAAN, "Pembayaran pinjaman bank"),
    (PENDANAAN, "Penerimaan hibah dan donasi"),
    (PENDANAAN, "Penerimaan modal penyertaan"),
    (PENDANAAN, "Penerimaan (pembayaran) pendanaan lain"),
)
_CASH_SECTION = dict((caption, section) for section, caption in _CASH_ROWS)


def cash_row_of(code: str, debit: bool) -> str:
    """The cash flow line for cash moved against ``code`` (debit: the other side was
    debited, so cash went out)."""
    if code == "1-131":
        return (
            "Pinjaman yang disalurkan kepada anggota"
            if debit
            else "Penerimaan angsuran pokok pinjaman anggota"
        )
    fixed = {
        "4-101": "Penerimaan jasa pinjaman",
        "4-102": "Penerimaan provisi dan administrasi pinjaman",
        "4-103": "Penerimaan denda",
        "5-101": "Pembayaran bunga simpanan",
        "2-111": "Pembayaran bunga simpanan",
        PAJAK: "Pembayaran pajak",
        "2-131": "Pembayaran pajak",
        "1-121": "Pencairan (penempatan) deposito",
        "1-201": "Penyertaan pada koperasi lain",
        "2-141": "Pembayaran SHU anggota",
        "2-171": "Pembayaran simpanan anggota keluar (utang)",
        HIBAH: "Penerimaan hibah dan donasi",
        MODAL_PENYERTAAN: "Penerimaan modal penyertaan",
    }
    if code in fixed:
        return fixed[code]
    pairs = {
        "2-101": ("Penarikan simpanan sukarela", "Setoran simpanan sukarela"),
        "2-102": ("Pencairan simpanan berjangka", "Setoran simpanan berjangka"),
        SIMPANAN_POKOK: ("Pengembalian simpanan pokok anggota keluar", "Penerimaan simpanan pokok"),
        SIMPANAN_WAJIB: ("Pengembalian simpanan wajib anggota keluar", "Penerimaan simpanan wajib"),
        "2-201": ("Pembayaran pinjaman bank", "Penerimaan pinjaman bank"),
    }
    if code in pairs:
        return pairs[code][0 if debit else 1]
    if code.startswith("4-"):
        return "Penerimaan pendapatan lain"
    if code.startswith("5-"):
        return "Pembayaran beban usaha dan beban lain"
    if code in ("2-142", "2-143", "2-144", "2-145", "2-146"):
        return "Penggunaan dana-dana SHU"
    if code.startswith("1-3"):
        return "Pembelian aset tetap" if debit else "Penjualan aset tetap"
    if code.startswith("1-2"):
        return "Penerimaan (pembayaran) investasi lain"
    if code.startswith("1-") or code.startswith("2-1"):
        return "Penerimaan (pembayaran) operasi lain"
    return "Penerimaan (pembayaran) pendanaan lain"


def _cash_flow(session: Session, ctx: _Context, closed: bool) -> CashFlowStatement:
    flows: list[dict[str, int]] = []
    opening: list[int] = []
    for year in (ctx.year, ctx.year - 1):
        by_row: dict[str, int] = {}
        brought_in = 0
        for key, total in q.cash_counterparts(session, _year_start(year), _year_end(year)).items():
            if key.opening:
                brought_in -= total
                continue
            caption = cash_row_of(key.code, key.debit)
            by_row[caption] = by_row.get(caption, 0) - total
        flows.append(by_row)
        opening.append(brought_in)
    current, previous = flows

    def section(name: str, title: str, total: str) -> StatementSection:
        lines = tuple(
            StatementLine(caption, current.get(caption, 0), previous.get(caption, 0))
            for sec, caption in _CASH_ROWS
            if sec == name
        )
        return StatementSection(title, tuple(line for line in lines if not line.is_zero), total)

    cash_lines = tuple(
        StatementLine(ctx.name(code), ctx.current.debit(code), ctx.previous.debit(code), code)
        for code in q.CASH_CODES
        if code in ctx.accounts
    )
    return CashFlowStatement(
        year=ctx.year,
        closed=closed,
        operating=section(
            OPERASI, "Arus Kas dari Aktivitas Operasi", "Kas Bersih dari Aktivitas Operasi"
        ),
        investing=section(
            INVESTASI, "Arus Kas dari Aktivitas Investasi", "Kas Bersih dari Aktivitas Investasi"
        ),
        financing=section(
            PENDANAAN, "Arus Kas dari Aktivitas Pendanaan", "Kas Bersih dari Aktivitas Pendanaan"
        ),
        opening_balances=StatementLine(
            "Saldo awal kas dari pembukuan lama (pindahan)", opening[0], opening[1]
        ),
        opening_cash=StatementLine(
            "Kas dan setara kas awal tahun", ctx.previous.cash, ctx.before_previous.cash
        ),
        closing_cash=StatementLine(
            "Kas dan setara kas akhir tahun", ctx.current.cash, ctx.previous.cash
        ),
        cash_accounts=tuple(line for line in cash_lines if not line.is_zero),
    )


# -- the five together -----------------------------------------------------------------


@dataclass(frozen=True)
class FinancialStatements:
    year: int
    closed: bool  # False: printed "belum tutup buku"
    balance_sheet: BalanceSheet
    income_statement: IncomeStatement
    equity_statement: EquityStatement
    cash_flow: CashFlowStatement


def build_statements(session: Session, year: int, *, closed: bool) -> FinancialStatements:
    """Neraca, Laporan Hasil Usaha, Perubahan Ekuitas and Arus Kas of ``year`` (and the
    year before beside it)."""
    ctx = _Context(session, year)
    balance_sheet = _balance_sheet(ctx, closed)
    return FinancialStatements(
        year=year,
        closed=closed,
        balance_sheet=balance_sheet,
        income_statement=_income_statement(ctx, closed),
        equity_statement=_equity_statement(session, ctx, balance_sheet, closed),
        cash_flow=_cash_flow(session, ctx, closed),
    )
