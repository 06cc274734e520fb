"""The plumbing every list model shares: rows, headers, right-aligned amount columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class RowsModel(QAbstractTableModel):
    """A table over ``self._rows`` with the captions in ``self.headers``.

    Subclasses set both in ``__init__``, say which columns hold amounts
    (``right_aligned``) and implement ``data``.
    """

    headers: list[str]
    _rows: Sequence[Any]

    def right_aligned(self, column: int) -> bool:
        return False

    def alignment(self, column: int) -> int:
        return RIGHT if self.right_aligned(column) else LEFT

    def header_tooltip(self, section: int) -> str | None:
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tooltip(section)
        return None
