"""Table models of the Pinjaman screen: the loan list, one loan's schedule, its payments.

The loan list holds the whole portfolio (one query, frozen dataclasses) and
filters and sorts it in Python: at 15.000 loans that takes milliseconds, and a
status or class change needs no new query. No QSortFilterProxyModel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app import dates
from app.models.loan import (
    APPLIED,
    APPROVED,
    DISBURSED,
    LOAN_STATUSES,
    PAID_OFF,
    REJECTED,
    WRITTEN_OFF,
)
from app.money import format_number, format_rupiah
from app.queries.loans import LoanPayment, LoanRow
from app.services.loan_state import InstallmentState
from app.services.schedule import METHOD_LABELS, Installment
from app.ui.qtmodels.base import RowsModel

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

# Soft fills: readable in colour, and every state also has its word in a column.
PAID_FILL = QColor("#dff0d8")
PARTLY_FILL = QColor("#fcefc7")
OVERDUE_FILL = QColor("#f8d7d7")
OVERDUE_TEXT = QColor("#8b1a1a")

STATUS_TEXT = {
    APPLIED: "Pengajuan",
    APPROVED: "Disetujui",
    REJECTED: "Ditolak",
    DISBURSED: "Berjalan",
    PAID_OFF: "Lunas",
    WRITTEN_OFF: "Dihapusbukukan",
}

# The status filter of the screen: label -> statuses shown.
STATUS_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Berjalan", (DISBURSED,)),
    ("Pengajuan & disetujui", (APPLIED, APPROVED)),
    ("Lunas", (PAID_OFF,)),
    ("Dihapusbukukan", (WRITTEN_OFF,)),
    ("Ditolak", (REJECTED,)),
    ("Semua", LOAN_STATUSES),
)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class LoanListModel(RowsModel):
    NUMBER, MEMBER, PRINCIPAL, METHOD, DISBURSED_ON, OUTSTANDING, ARREARS, DPD, CLASS, STATUS = (
        range(10)
    )

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            self.tr("No. Pinjaman"),
            self.tr("Anggota"),
            self.tr("Pokok"),
            self.tr("Metode"),
            self.tr("Tgl cair"),
            self.tr("Sisa pokok"),
            self.tr("Tunggakan"),
            self.tr("DPD"),
            self.tr("Kolektibilitas"),
            self.tr("Status"),
        ]
        self._all: list[LoanRow] = []
        self._rows: list[LoanRow] = []
        self._statuses: tuple[str, ...] = (DISBURSED,)
        self._klass = ""
        self._overdue_only = False
        self._text = ""
        self._sort: tuple[int, Qt.SortOrder] = (self.NUMBER, Qt.SortOrder.AscendingOrder)

    # -- data in -----------------------------------------------------------------------

    def right_aligned(self, column: int) -> bool:
        return self._numeric(column)

    def set_rows(self, rows: Iterable[LoanRow]) -> None:
        self._all = list(rows)
        self._apply()

    def set_filter(
        self,
        *,
        statuses: tuple[str, ...] | None = None,
        klass: str | None = None,
        overdue_only: bool | None = None,
        text: str | None = None,
    ) -> None:
        if statuses is not None:
            self._statuses = statuses
        if klass is not None:
            self._klass = klass
        if overdue_only is not None:
            self._overdue_only = overdue_only
        if text is not None:
            self._text = text.strip().casefold()
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()

    def _key(self, column: int) -> Callable[[LoanRow], object]:
        keys: dict[int, Callable[[LoanRow], object]] = {
            self.NUMBER: lambda r: r.number,
            self.MEMBER: lambda r: r.member_name.casefold(),
            self.PRINCIPAL: lambda r: r.principal,
            self.METHOD: lambda r: r.method,
            self.DISBURSED_ON: lambda r: r.disbursed_on or date.min,
            self.OUTSTANDING: lambda r: r.outstanding,
            self.ARREARS: lambda r: r.arrears,
            self.DPD: lambda r: r.dpd,
            self.CLASS: lambda r: (r.klass, r.dpd),
            self.STATUS: lambda r: LOAN_STATUSES.index(r.status),
        }
        return keys.get(column, keys[self.NUMBER])

    def _apply(self) -> None:
        self.beginResetModel()
        rows = [r for r in self._all if r.status in self._statuses]
        if self._klass:
            rows = [r for r in rows if r.klass == self._klass and r.outstanding > 0]
        if self._overdue_only:
            rows = [r for r in rows if r.arrears > 0]
        text = self._text
        if text:
            rows = [
                r
                for r in rows
                if text in r.number.casefold()
                or text in r.member_name.casefold()
                or text == r.member_number.casefold()
            ]
        column, order = self._sort
        key = self._key(column)
        self._rows = sorted(
            rows,
            key=lambda r: (key(r), r.number),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.endResetModel()

    # -- data out ----------------------------------------------------------------------

    def all_rows(self) -> list[LoanRow]:
        return self._all

    def loan(self, row: int) -> LoanRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, loan_id: int) -> int:
        for index, row in enumerate(self._rows):
            if row.id == loan_id:
                return index
        return -1

    def find(self, loan_id: int) -> LoanRow | None:
        return next((r for r in self._all if r.id == loan_id), None)

    def _numeric(self, column: int) -> bool:
        return column in (self.PRINCIPAL, self.OUTSTANDING, self.ARREARS, self.DPD)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        overdue = row.arrears > 0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self._numeric(column) else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(OVERDUE_FILL)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.FontRole and overdue and column in (self.ARREARS, self.DPD):
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and row.class_overridden:
            return self.tr("Kolektibilitas ditetapkan manual")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        live = row.status == DISBURSED
        if column == self.NUMBER:
            return row.number
        if column == self.MEMBER:
            return f"{row.member_number} · {row.member_name}"
        if column == self.PRINCIPAL:
            return format_rupiah(row.principal)
        if column == self.METHOD:
            return METHOD_LABELS.get(row.method, row.method)
        if column == self.DISBURSED_ON:
            return dates.format_date(row.disbursed_on) if row.disbursed_on else ""
        if column == self.OUTSTANDING:
            return format_rupiah(row.outstanding) if row.disbursed_on else ""
        if column == self.ARREARS:
            return format_rupiah(row.arrears) if row.arrears else ("–" if live else "")
        if column == self.DPD:
            return format_number(row.dpd) if live else ""
        if column == self.CLASS:
            if row.outstanding <= 0:
                return ""
            return row.klass + (" *" if row.class_overridden else "")
        if column == self.STATUS:
            return STATUS_TEXT.get(row.status, row.status)
        return None


@dataclass(frozen=True)
class ScheduleLine:
    k: int
    due: date
    principal: int
    interest: int
    principal_left: int
    paid: int
    state: str  # "", "lunas", "sebagian", "terlambat", "jatuh tempo", "belum"

    @property
    def amount(self) -> int:
        return self.principal + self.interest


def lines_from_states(states: Sequence[InstallmentState], on: date) -> list[ScheduleLine]:
    lines = []
    left = sum(s.principal for s in states)
    for s in states:
        left -= s.principal
        if s.is_paid:
            state = "lunas"
        elif s.due < on:
            state = "terlambat"
        elif s.paid:
            state = "sebagian"
        elif s.due == on:
            state = "jatuh tempo"
        else:
            state = "belum"
        lines.append(ScheduleLine(s.k, s.due, s.principal, s.interest, left, s.paid, state))
    return lines


def lines_from_plan(installments: Sequence[Installment]) -> list[ScheduleLine]:
    return [
        ScheduleLine(i.k, i.due, i.principal, i.interest, i.principal_left, 0, "")
        for i in installments
    ]


class ScheduleModel(RowsModel):
    """Installments; paid rows green, partly paid amber, overdue red, and the word in "Status"."""

    K, DUE, PRINCIPAL, INTEREST, AMOUNT, LEFT, PAID, STATE = range(8)
    STATE_TEXT: ClassVar[dict[str, str]] = {
        "lunas": "Lunas",
        "sebagian": "Dibayar sebagian",
        "terlambat": "Terlambat",
        "jatuh tempo": "Jatuh tempo hari ini",
        "belum": "Belum jatuh tempo",
        "": "",
    }

    def __init__(self, parent: object = None, *, planned: bool = False) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.planned = planned
        self.headers = [
            self.tr("Ke"),
            self.tr("Jatuh tempo"),
            self.tr("Pokok"),
            self.tr("Jasa"),
            self.tr("Angsuran"),
            self.tr("Sisa pokok"),
            self.tr("Dibayar"),
            self.tr("Status"),
        ]
        self._rows: list[ScheduleLine] = []

    def right_aligned(self, column: int) -> bool:
        return self.PRINCIPAL <= column <= self.PAID

    def set_lines(self, lines: Iterable[ScheduleLine]) -> None:
        self.beginResetModel()
        self._rows = list(lines)
        self.endResetModel()

    def line(self, row: int) -> ScheduleLine:
        return self._rows[row]

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self.PAID if self.planned else len(self.headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.K:
                return _CENTER
            return _RIGHT if self.PRINCIPAL <= column <= self.PAID else _LEFT
        if role == Qt.ItemDataRole.BackgroundRole:
            fill = {
                "lunas": PAID_FILL,
                "sebagian": PARTLY_FILL,
                "terlambat": OVERDUE_FILL,
            }.get(line.state)
            return QBrush(fill) if fill is not None else None
        if role == Qt.ItemDataRole.FontRole and line.state == "terlambat" and column == self.STATE:
            return _bold()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.STATE and line.state == "terlambat" and line.paid:
            return self.tr("Terlambat (sebagian)")
        values = (
            str(line.k),
            dates.format_date(line.due),
            format_number(line.principal),
            format_number(line.interest),
            format_number(line.amount),
            format_number(line.principal_left),
            format_number(line.paid) if line.paid else "",
            self.tr(self.STATE_TEXT.get(line.state, line.state)),
        )
        return values[column]


KIND_TEXT = {
    "PC": "Pencairan",
    "AN": "Angsuran",
    "LN": "Pelunasan",
    "KL": "Dari simpanan (keluar)",
    "KM": "Pemulihan",
    "HB": "Hapus buku",
    "RV": "Koreksi",
}
PRINTABLE = ("PC", "AN", "LN", "KL", "KM")


@dataclass(frozen=True)
class PaymentLine:
    entry_id: int
    number: str
    date: date
    kind: str
    memo: str
    interest: int
    principal: int
    penalty: int
    total: int

    @property
    def printable(self) -> bool:
        return self.kind in PRINTABLE


def payment_lines(payments: Sequence[LoanPayment]) -> list[PaymentLine]:
    return [
        PaymentLine(
            p.entry_id,
            p.number,
            p.date,
            "LN" if p.kind == "AN" and p.memo.startswith("Pelunasan") else p.kind,
            p.memo,
            p.interest,
            p.principal,
            p.penalty,
            p.total,
        )
        for p in payments
    ]


class PaymentsModel(RowsModel):
    DATE, NUMBER, KIND, INTEREST, PRINCIPAL, PENALTY, TOTAL, MEMO = range(8)

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            self.tr("Tanggal"),
            self.tr("No. bukti"),
            self.tr("Jenis"),
            self.tr("Jasa"),
            self.tr("Pokok"),
            self.tr("Denda"),
            self.tr("Jumlah"),
            self.tr("Keterangan"),
        ]
        self._rows: list[PaymentLine] = []

    def right_aligned(self, column: int) -> bool:
        return self.INTEREST <= column <= self.TOTAL

    def set_lines(self, lines: Iterable[PaymentLine]) -> None:
        self.beginResetModel()
        self._rows = list(lines)
        self.endResetModel()

    def line(self, row: int) -> PaymentLine | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self.INTEREST <= column <= self.TOTAL else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return line.memo
        if role != Qt.ItemDataRole.DisplayRole:
            return None

        def money(amount: int) -> str:
            return format_number(amount) if amount else ""

        values = (
            dates.format_date(line.date),
            line.number,
            self.tr(KIND_TEXT.get(line.kind, line.kind)),
            money(line.interest),
            money(line.principal),
            money(line.penalty),
            format_number(line.total),
            line.memo,
        )
        return values[column]
