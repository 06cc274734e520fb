"""The member list: a page of 200 rows at a time; searching and sorting happen in SQL."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app import dates
from app.queries.members import MemberRow, count_members, search_members
from app.ui.actions import read
from app.ui.context import AppContext

PAGE = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1

# (header, sort key in queries.members.SORTS or None when SQL cannot sort by it)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("No.", "number"),
    ("Nama", "name"),
    ("NIK", None),
    ("L/P", None),
    ("No. HP", None),
    ("Dusun", "dusun"),
    ("Status", "status"),
    ("Tgl Masuk", "joined_on"),
)
STATUS_TEXT = {
    "aktif": "Aktif",
    "keluar": "Keluar",
    "meninggal": "Meninggal",
    "diberhentikan": "Diberhentikan",
}

_Index = QModelIndex | QPersistentModelIndex


class MembersModel(QAbstractTableModel):
    """Holds only the rows fetched so far; the view asks for more as it scrolls."""

    def __init__(self, ctx: AppContext, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.ctx = ctx
        self.text = ""
        self.status: str | None = "aktif"
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._rows: list[MemberRow] = []
        self._total = 0

    # -- what the view shows -----------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section][0])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][1] is None:
            return self.tr("Kolom ini tidak dapat diurutkan")
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 3, 7):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.status != "aktif":
            return QColor("#8a8a8a")
        return None

    def _text(self, row: MemberRow, column: int) -> str:
        if column == 0:
            return row.number
        if column == 1:
            return row.name
        if column == 2:
            return row.nik
        if column == 3:
            return row.sex
        if column == 4:
            return row.phone
        if column == 5:
            return row.dusun
        if column == 6:
            return self.tr(STATUS_TEXT.get(row.status, row.status))
        return dates.format_date(row.joined_on)

    # -- paging --------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._query(len(self._rows))
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def _query(self, offset: int) -> list[MemberRow]:
        order = COLUMNS[self.sort_column][1] or "number"
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return read(
            self.ctx,
            lambda s: search_members(
                s,
                self.text,
                status=self.status,
                order=order,
                descending=descending,
                limit=PAGE,
                offset=offset,
            ),
        )

    # -- filters and order ---------------------------------------------------------

    def set_filter(self, text: str, status: str | None) -> None:
        self.text = text
        self.status = status
        self.reload()

    def reload(self) -> None:
        """Back to the first page with the current filter and order (after data changed)."""
        self.beginResetModel()
        self._total = read(self.ctx, lambda s: count_members(s, self.text, status=self.status))
        self._rows = self._query(0) if self._total else []
        self.endResetModel()

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(COLUMNS) and COLUMNS[column][1] is not None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.sortable(column):
            return
        if (column, order) == (self.sort_column, self.sort_order) and self._rows:
            return
        self.sort_column = column
        self.sort_order = order
        self.reload()

    # -- lookups -------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self._total

    def member_id(self, row: int) -> int:
        return self._rows[row].id if 0 <= row < len(self._rows) else 0

    def row_of(self, member_id: int, *, fetch: bool = False) -> int:
        """The row showing ``member_id``; with ``fetch``, pages are loaded until it appears."""
        start = 0
        while True:
            for number in range(start, len(self._rows)):
                if self._rows[number].id == member_id:
                    return number
            if not fetch or not self.canFetchMore():
                return -1
            start = len(self._rows)
            self.fetchMore()
