"""Table models of the Simpanan screen: member balances, and the wajib collection list.

Both hold plain lists of frozen dataclasses fetched in one grouped query; at
5.000 members a Python sort or filter of the cached list takes milliseconds,
so no QSortFilterProxyModel (whose per-row Python calls are what is slow).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from app import dates
from app.errors import ValidationError
from app.money import format_number, format_rupiah, parse_rupiah
from app.queries.savings import SavingsRow, WajibDue
from app.ui.qtmodels.base import RowsModel

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

STATUS_TEXT = {
    "aktif": "Aktif",
    "keluar": "Keluar",
    "meninggal": "Meninggal",
    "diberhentikan": "Diberhentikan",
}


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def months_text(unpaid: Sequence[tuple[int, int]]) -> str:
    """ "3 (Okt – Des 2025)": how many months and which, short enough for a column."""
    if not unpaid:
        return ""
    (y1, m1), (y2, m2) = unpaid[0], unpaid[-1]
    short = [name[:3] for name in dates.MONTH_NAMES]
    if (y1, m1) == (y2, m2):
        span = f"{short[m1 - 1]} {y1}"
    elif y1 == y2:
        span = f"{short[m1 - 1]} – {short[m2 - 1]} {y2}"
    else:
        span = f"{short[m1 - 1]} {y1} – {short[m2 - 1]} {y2}"
    return f"{len(unpaid)} ({span})"


class SavingsModel(RowsModel):
    """Members with pokok, wajib, sukarela and total; a totals row pinned at the bottom."""

    NUMBER, NAME, STATUS, POKOK, WAJIB, SUKARELA, TOTAL = range(7)

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            self.tr("No."),
            self.tr("Nama"),
            self.tr("Status"),
            self.tr("Pokok"),
            self.tr("Wajib"),
            self.tr("Sukarela"),
            self.tr("Jumlah"),
        ]
        self._all: list[SavingsRow] = []
        self._rows: list[SavingsRow] = []
        self._text = ""
        self._sort: tuple[int, Qt.SortOrder] = (self.NUMBER, Qt.SortOrder.AscendingOrder)
        self._totals = (0, 0, 0, 0)

    # -- data in -----------------------------------------------------------------

    def right_aligned(self, column: int) -> bool:
        return column >= self.POKOK

    def set_rows(self, rows: Iterable[SavingsRow]) -> None:
        self._all = list(rows)
        self._apply()

    def set_filter(self, text: str) -> None:
        self._text = text.strip().casefold()
        self._apply()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._apply()

    def _key(self, column: int):  # type: ignore[no-untyped-def]
        keys = {
            self.NUMBER: lambda r: r.number,
            self.NAME: lambda r: r.name.casefold(),
            self.STATUS: lambda r: r.status,
            self.POKOK: lambda r: r.pokok,
            self.WAJIB: lambda r: r.wajib,
            self.SUKARELA: lambda r: r.sukarela,
            self.TOTAL: lambda r: r.total,
        }
        return keys.get(column, keys[self.NUMBER])

    def _apply(self) -> None:
        self.beginResetModel()
        text = self._text
        rows = self._all
        if text:
            rows = [r for r in rows if text in r.name.casefold() or text in r.number]
        column, order = self._sort
        rows = sorted(rows, key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self._totals = (
            sum(r.pokok for r in rows),
            sum(r.wajib for r in rows),
            sum(r.sukarela for r in rows),
            sum(r.total for r in rows),
        )
        self.endResetModel()

    # -- data out ----------------------------------------------------------------

    def member_count(self) -> int:
        return len(self._rows)

    def totals(self) -> tuple[int, int, int, int]:
        return self._totals

    def member_id(self, row: int) -> int:
        return self._rows[row].member_id if 0 <= row < len(self._rows) else 0

    def row_of(self, member_id: int) -> int:
        for index, row in enumerate(self._rows):
            if row.member_id == member_id:
                return index
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows) + 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = index.column()
        is_total = index.row() == len(self._rows)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column >= self.POKOK else _LEFT
        if role == Qt.ItemDataRole.FontRole and is_total:
            return _bold()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if is_total:
            if column == self.NAME:
                return self.tr("Jumlah (%1 anggota)").replace("%1", format_number(len(self._rows)))
            if column >= self.POKOK:
                return format_rupiah(self._totals[column - self.POKOK])
            return ""
        row = self._rows[index.row()]
        values = (
            row.number,
            row.name,
            STATUS_TEXT.get(row.status, row.status),
            format_rupiah(row.pokok),
            format_rupiah(row.wajib),
            format_rupiah(row.sukarela),
            format_rupiah(row.total),
        )
        return values[column]


class CollectModel(RowsModel):
    """The wajib collection list: tick who paid, adjust what each paid."""

    CHECK, NUMBER, NAME, PHONE, DUSUN, MONTHS, ARREARS, PAID = range(8)
    ticks_changed = Signal()
    refused = Signal(str)  # an amount that could not be read; the view shows the sentence

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            "",
            self.tr("No."),
            self.tr("Nama"),
            self.tr("No. HP"),
            self.tr("Dusun"),
            self.tr("Bulan tertunggak"),
            self.tr("Tunggakan"),
            self.tr("Jumlah dibayar"),
        ]
        self._rows: list[WajibDue] = []
        self._checked: set[int] = set()
        self._amounts: dict[int, int] = {}

    # -- data in -----------------------------------------------------------------

    def right_aligned(self, column: int) -> bool:
        return column >= self.ARREARS

    def header_tooltip(self, section: int) -> str | None:
        if section == self.PAID:
            return self.tr("Ketik angka untuk mengubah jumlah yang dibayar anggota ini")
        return None

    def set_rows(self, rows: Iterable[WajibDue], *, keep: bool = True) -> None:
        """New rows; ticks and typed amounts survive for members still on the list."""
        self.beginResetModel()
        self._rows = list(rows)
        present = {r.member_id for r in self._rows}
        if keep:
            self._checked &= present
            self._amounts = {k: v for k, v in self._amounts.items() if k in present}
        else:
            self._checked = set()
            self._amounts = {}
        self.endResetModel()
        self.ticks_changed.emit()

    @staticmethod
    def default_amount(row: WajibDue) -> int:
        """What ticking a member records by default: the arrears up to the collected month.

        The list is a bill: ticking says "paid the bill", which clears the member
        up to that month. Someone who paid less gets the amount typed over; the
        live total of ticked rows is what the treasurer checks against the cash.
        """
        return row.arrears

    def amount(self, row: WajibDue) -> int:
        return self._amounts.get(row.member_id, self.default_amount(row))

    def set_checked(self, rows: Iterable[int], checked: bool) -> None:
        changed = False
        for row in rows:
            if not 0 <= row < len(self._rows):
                continue
            member_id = self._rows[row].member_id
            if checked and member_id not in self._checked:
                self._checked.add(member_id)
            elif not checked and member_id in self._checked:
                self._checked.discard(member_id)
            else:
                continue
            changed = True
            index = self.index(row, self.CHECK)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        if changed:
            self.ticks_changed.emit()

    def toggle(self, rows: Iterable[int]) -> None:
        """Space: if any of the rows is unticked, tick them all; else untick them all."""
        rows = [r for r in rows if 0 <= r < len(self._rows)]
        if not rows:
            return
        any_unticked = any(self._rows[r].member_id not in self._checked for r in rows)
        self.set_checked(rows, any_unticked)

    def check_all(self, checked: bool = True) -> None:
        self.set_checked(range(len(self._rows)), checked)

    # -- data out ----------------------------------------------------------------

    def all_checked(self) -> bool:
        return bool(self._rows) and len(self._checked) == len(self._rows)

    def is_checked(self, row: int) -> bool:
        return self._rows[row].member_id in self._checked

    def member_id(self, row: int) -> int:
        return self._rows[row].member_id if 0 <= row < len(self._rows) else 0

    def payments(self) -> list[tuple[int, int]]:
        """(member_id, amount) of every ticked row, in list order."""
        return [(r.member_id, self.amount(r)) for r in self._rows if r.member_id in self._checked]

    def summary(self) -> tuple[int, int, int]:
        """(ticked, listed, total amount ticked)."""
        payments = self.payments()
        return len(payments), len(self._rows), sum(amount for _, amount in payments)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.CHECK:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == self.PAID:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == self.CHECK:
            checked = row.member_id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column >= self.ARREARS else _LEFT
        if column == self.PAID and role in (
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            ticked = row.member_id in self._checked
            if role == Qt.ItemDataRole.FontRole:
                return _bold() if ticked else None
            return None if ticked else QColor("#8a8a8a")  # only ticked amounts are saved
        if role == Qt.ItemDataRole.EditRole and column == self.PAID:
            return format_number(self.amount(row))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.MONTHS:
            return ", ".join(dates.format_month(y, m) for y, m in row.unpaid_months)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = {
            self.NUMBER: row.number,
            self.NAME: row.name,
            self.PHONE: row.phone,
            self.DUSUN: row.dusun,
            self.MONTHS: months_text(row.unpaid_months),
            self.ARREARS: format_rupiah(row.arrears),
            self.PAID: format_rupiah(self.amount(row)),
        }
        return values.get(column, "")

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == self.CHECK:
            state = value.value if isinstance(value, Qt.CheckState) else value
            self.set_checked([index.row()], int(state) == Qt.CheckState.Checked.value)  # type: ignore[call-overload]
            return True
        if role == Qt.ItemDataRole.EditRole and index.column() == self.PAID:
            try:
                amount = parse_rupiah(str(value), what=f"Jumlah dibayar {row.name}")
                if amount <= 0:
                    raise ValidationError(
                        f"Jumlah dibayar {row.name} harus lebih dari Rp0; "
                        "hapus centangnya bila ia tidak membayar."
                    )
            except ValidationError as error:
                self.refused.emit(str(error))
                return False
            self._amounts[row.member_id] = amount
            self.dataChanged.emit(index, index)
            self.set_checked([index.row()], True)  # typing what someone paid means he paid
            self.ticks_changed.emit()
            return True
        return False
