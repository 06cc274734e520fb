"""Table models of the Kas & Jurnal screen.

``RowsModel`` shows a small list it is given (entry lines, neraca saldo, bagan
akun: tens of rows). ``PagedModel`` holds only the rows fetched so far and asks
its loader for the next page (``limit``/``offset`` in SQL) as the view scrolls:
the cash book, a buku besar and the journal list can hold tens of thousands of
lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app import dates
from app.ledger.posting import KINDS
from app.money import format_rupiah
from app.queries.cash_documents import ChartRow
from app.queries.ledger import (
    AccountLedger,
    EntryLine,
    JournalPage,
    JournalRow,
    LedgerLine,
    TrialRow,
)

PAGE = 200
R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex
GREY = QColor("#8a8a8a")
RED = QColor("#b3261e")


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    text: Callable[[R], str]
    right: bool = False
    tip: Callable[[R], str] | None = None


def money(amount: int) -> str:
    """Rp1.234.567, blank for zero (a debit/credit column)."""
    return format_rupiah(amount) if amount else ""


class RowsModel(QAbstractTableModel, Generic[R]):
    """A plain list of frozen rows shown through ``Column`` definitions."""

    def __init__(self, columns: Sequence[Column[R]], parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.columns = list(columns)
        self._rows: list[R] = []
        self.dim: Callable[[R], bool] = lambda _r: False  # grey rows (inactive, reversed)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(column.header)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(row)
        if role == Qt.ItemDataRole.ForegroundRole and self.dim(row):
            return GREY
        return None

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> R | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)


class PagedModel(RowsModel[R]):
    """Rows a page at a time: ``load(offset, limit)`` returns (total, rows)."""

    def __init__(self, columns: Sequence[Column[R]], parent: object = None) -> None:
        super().__init__(columns, parent)
        self._total = 0
        self._load: Callable[[int, int], tuple[int, Sequence[R]]] | None = None

    @property
    def total(self) -> int:
        return self._total

    def set_loader(self, load: Callable[[int, int], tuple[int, Sequence[R]]] | None) -> None:
        """Back to the first page of what ``load`` returns (or nothing for None)."""
        self.beginResetModel()
        self._load = load
        if load is None:
            self._total, self._rows = 0, []
        else:
            total, rows = load(0, PAGE)
            self._total, self._rows = total, list(rows)
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._load is not None and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._load is None:
            return
        _total, more = self._load(len(self._rows), PAGE)
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()


# -- the columns of each table ------------------------------------------------------------


def ledger_columns(*, cash: bool, normal: str = "D") -> list[Column[LedgerLine]]:
    """Buku kas (Masuk/Keluar) or buku besar (Debit/Kredit); the balance on the normal side."""
    sign = 1 if normal == "D" else -1
    return [
        Column("Tanggal", lambda r: dates.format_date(r.date)),
        Column("No. bukti", lambda r: r.number),
        Column(
            "Keterangan",
            lambda r: r.memo + (f" — {r.line_memo}" if r.line_memo else ""),
            tip=lambda r: KINDS.get(r.kind, r.kind),
        ),
        Column("Masuk" if cash else "Debit", lambda r: money(r.debit), right=True),
        Column("Keluar" if cash else "Kredit", lambda r: money(r.credit), right=True),
        Column("Saldo", lambda r: format_rupiah(sign * r.balance), right=True),
    ]


def ledger_loader(
    fetch: Callable[[int, int], AccountLedger], *, first: AccountLedger | None = None
) -> Callable[[int, int], tuple[int, Sequence[LedgerLine]]]:
    """Pages of a buku besar; ``first`` is page one already read (for its balances)."""
    cached = [first] if first is not None else []

    def load(offset: int, limit: int) -> tuple[int, Sequence[LedgerLine]]:
        if offset == 0 and cached and len(cached[0].lines) <= limit:
            ledger = cached.pop()
        else:
            ledger = fetch(offset, limit)
        return ledger.total_lines, ledger.lines

    return load


def journal_note(row: JournalRow) -> str:
    if row.reversed_by:
        return f"Dibalik oleh {row.reversed_by}"
    if row.reverses:
        return f"Membalik {row.reverses}"
    return ""


JOURNAL_COLUMNS: list[Column[JournalRow]] = [
    Column("Tanggal", lambda r: dates.format_date(r.date)),
    Column("Nomor", lambda r: r.number),
    Column("Jenis", lambda r: KINDS.get(r.kind, r.kind)),
    Column("Keterangan", lambda r: r.memo, tip=lambda r: r.memo),
    Column("Anggota", lambda r: f"{r.member_number} · {r.member_name}" if r.member_id else ""),
    Column("Jumlah", lambda r: format_rupiah(r.amount), right=True),
    Column("Oleh", lambda r: r.posted_by),
    Column("Catatan", journal_note),
]


def journal_loader(
    fetch: Callable[[int, int], JournalPage],
) -> Callable[[int, int], tuple[int, Sequence[JournalRow]]]:
    def load(offset: int, limit: int) -> tuple[int, Sequence[JournalRow]]:
        page = fetch(offset, limit)
        return page.total, page.rows

    return load


ENTRY_LINE_COLUMNS: list[Column[EntryLine]] = [
    Column("Akun", lambda r: r.code),
    Column("Nama akun", lambda r: r.account_name),
    Column("Debit", lambda r: money(r.debit), right=True),
    Column("Kredit", lambda r: money(r.credit), right=True),
    Column("Anggota", lambda r: f"{r.member_number} · {r.member_name}" if r.member_id else ""),
    Column("Unit usaha", lambda r: r.unit),
    Column("Keterangan baris", lambda r: r.memo),
]

TRIAL_COLUMNS: list[Column[TrialRow]] = [
    Column("Kode", lambda r: r.code),
    Column("Nama akun", lambda r: r.name),
    Column("Kelompok", lambda r: r.group.capitalize()),
    Column("Debit", lambda r: money(r.debit), right=True),
    Column("Kredit", lambda r: money(r.credit), right=True),
]


def _chart_state(row: ChartRow) -> str:
    parts = ["Aktif" if row.active else "Nonaktif"]
    if row.program:
        parts.append("dipakai program")
    elif row.is_system:
        parts.append("bawaan")
    if row.is_contra:
        parts.append("kontra")
    return ", ".join(parts)


CHART_COLUMNS: list[Column[ChartRow]] = [
    Column("Kode", lambda r: r.code),
    Column("Nama akun", lambda r: r.name),
    Column("Kelompok", lambda r: r.group.capitalize()),
    Column("Normal", lambda r: "Debit" if r.normal == "D" else "Kredit"),
    Column("Saldo", lambda r: format_rupiah(r.normal_balance) if r.lines else "-", right=True),
    Column("Status", _chart_state),
]
