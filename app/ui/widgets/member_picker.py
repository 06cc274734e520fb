"""Pick a member by typing part of the number, name, NIK or phone; the list follows each key."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QWidget

from app.queries.members import MemberRow, search_members
from app.ui.actions import read
from app.ui.context import AppContext

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2  # what the field shows once chosen
MAX_SUGGESTIONS = 15


def describe(row: MemberRow) -> str:
    phone = f" · {row.phone}" if row.phone else ""
    return f"{row.number} · {row.name} · NIK {row.nik}{phone}"


class MemberPicker(QLineEdit):
    """A line edit with a suggestion list searched in SQL on every keystroke."""

    member_changed = Signal(int)  # 0 when no member is chosen

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, status: str | None = "aktif"
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status = status
        self._member_id = 0
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setWidget(self)
        self._completer.setMaxVisibleItems(MAX_SUGGESTIONS)
        self._completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
        self.setPlaceholderText(self.tr("Ketik nomor, nama, NIK atau No. HP anggota"))
        self.setClearButtonEnabled(True)
        self.textEdited.connect(self._search)

    def member_id(self) -> int:
        return self._member_id

    def set_member(self, member_id: int) -> None:
        from app.queries.members import member_detail

        if not member_id:
            self._set(0, "")
            return
        detail = read(self.ctx, lambda s: member_detail(s, member_id))
        self._set(member_id, f"{detail.number} · {detail.name}")

    def _popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None  # QCompleter always makes one
        return popup

    def suggestions(self) -> list[str]:
        return [self._model.item(i).text() for i in range(self._model.rowCount())]

    def _search(self, text: str) -> None:
        if self._member_id:
            self._member_id = 0
            self.member_changed.emit(0)
        self._model.clear()
        if not text.strip():
            self._popup().hide()
            return
        rows = read(
            self.ctx,
            lambda s: search_members(
                s, text, status=self.status, order="name", limit=MAX_SUGGESTIONS
            ),
        )
        for row in rows:
            item = QStandardItem(describe(row))
            item.setData(row.id, ID_ROLE)
            item.setData(f"{row.number} · {row.name}", LABEL_ROLE)
            self._model.appendRow(item)
        if rows:
            self._completer.complete()
            self._popup().setCurrentIndex(self._model.index(0, 0))
        else:
            self._popup().hide()

    def _chosen(self, index: QModelIndex) -> None:
        member_id = int(index.data(ID_ROLE))
        self._set(member_id, str(index.data(LABEL_ROLE)))

    def _set(self, member_id: int, text: str) -> None:
        self._member_id = member_id
        self.setText(text)
        self.member_changed.emit(member_id)

    def choose_first(self) -> bool:
        """Enter with the list open picks the highlighted (or first) suggestion."""
        if self._model.rowCount() == 0:
            return False
        index = self._popup().currentIndex()
        self._chosen(index if index.isValid() else self._model.index(0, 0))
        self._popup().hide()
        return True
