"""The SHU of every member (DOMAIN.md 5.4): weights, the two jasa, and a totals row.

The plan holds every member with a weight (5.000 on a big book): the rows are
frozen dataclasses filtered in Python; the totals row is always the last row
and always the totals of the whole plan (they must equal the pools), whatever
the filter shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.money import format_rupiah
from app.services.shu import MemberShu
from app.ui.qtmodels.base import RowsModel

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
TOTAL_FILL = QColor("#eef3f0")


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class ShuMembersModel(RowsModel):
    NUMBER, NAME, SAVINGS, INTEREST, JASA_MODAL, JASA_ANGGOTA, TOTAL, PAID = range(8)
    MONEY = (SAVINGS, INTEREST, JASA_MODAL, JASA_ANGGOTA, TOTAL, PAID)

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = [
            self.tr("No. Anggota"),
            self.tr("Nama"),
            self.tr("Simpanan (S)"),
            self.tr("Jasa pinjaman (T)"),
            self.tr("Jasa Modal"),
            self.tr("Jasa Anggota"),
            self.tr("Jumlah"),
            self.tr("Sudah dibayar"),
        ]
        self.members: list[MemberShu] = []
        self.shown: list[MemberShu] = []
        self.paid: dict[int, int] = {}
        self.filter = ""
        self._totals: tuple[int, ...] = (0, 0, 0, 0, 0)

    # -- data in -------------------------------------------------------------------

    def right_aligned(self, column: int) -> bool:
        return column in self.MONEY

    def set_members(self, members: Sequence[MemberShu], paid: Mapping[int, int]) -> None:
        self.beginResetModel()
        self.members = list(members)
        self.paid = dict(paid)
        self._totals = (
            sum(m.savings for m in self.members),
            sum(m.interest for m in self.members),
            sum(m.jasa_modal for m in self.members),
            sum(m.jasa_anggota for m in self.members),
            sum(m.total for m in self.members),
        )
        self._apply_filter()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self.filter = " ".join(text.lower().split())
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        needle = self.filter
        if not needle:
            self.shown = self.members
        else:
            self.shown = [
                m for m in self.members if needle in m.number.lower() or needle in m.name.lower()
            ]

    def totals(self) -> tuple[int, int, int, int, int]:
        """S, T, jasa modal, jasa anggota and the sum over every member (not only those shown)."""
        s, t, modal, anggota, total = self._totals
        return s, t, modal, anggota, total

    def member(self, row: int) -> MemberShu | None:
        return self.shown[row] if 0 <= row < len(self.shown) else None

    # -- Qt --------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.shown) + (1 if self.members else 0)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row, column = index.row(), index.column()
        is_total = row == len(self.shown)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in self.MONEY else None
        if is_total:
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(TOTAL_FILL)
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            if column == self.NAME:
                label = self.tr("JUMLAH (%1 anggota)").replace("%1", str(len(self.members)))
                if self.filter:
                    label = self.tr("JUMLAH SEMUA (%1 anggota)").replace(
                        "%1", str(len(self.members))
                    )
                return label
            if column == self.PAID:
                return format_rupiah(sum(self.paid.values()))
            if column == self.NUMBER:
                return ""
            return format_rupiah(self._totals[column - self.SAVINGS])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        member = self.shown[row]
        if column == self.NUMBER:
            return member.number
        if column == self.NAME:
            return member.name
        if column == self.PAID:
            paid = self.paid.get(member.member_id)
            return format_rupiah(paid) if paid else "-"
        value = (
            member.savings,
            member.interest,
            member.jasa_modal,
            member.jasa_anggota,
            member.total,
        )[column - self.SAVINGS]
        return format_rupiah(value)
