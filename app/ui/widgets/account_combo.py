"""Pick an account by typing part of its code or name: "5-305" or "listrik" finds the same row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget


class AccountCombo(QComboBox):
    """An editable combobox of "code · name"; ``code()`` is the chosen account or ""."""

    account_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Ketik kode atau nama akun"))
        self.currentIndexChanged.connect(lambda _i: self.account_changed.emit(self.code()))
        line.editingFinished.connect(self._match_typed)

    def set_accounts(self, accounts: Sequence[tuple[str, str]], *, keep: bool = True) -> None:
        """(code, name) pairs; the chosen code stays chosen when it is still offered."""
        current = self.code() if keep else ""
        was_blocked = self.blockSignals(True)
        self.clear()
        for code, name in accounts:
            self.addItem(f"{code} · {name}", code)
        index = self.findData(current) if current else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
        self.blockSignals(was_blocked)
        self.account_changed.emit(self.code())  # not delivered while the caller blocks

    def code(self) -> str:
        """The chosen account's code; "" while the text names no account."""
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            return self._find(self.currentText())
        return str(self.itemData(index) or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def _find(self, text: str) -> str:
        """The code the typed text names unambiguously: an exact code, or one match."""
        text = text.strip().lower()
        if not text:
            return ""
        codes = [str(self.itemData(i)) for i in range(self.count())]
        labels = [self.itemText(i).lower() for i in range(self.count())]
        code = text.split(" ")[0]
        if code in codes:
            return code
        hits = [c for c, label in zip(codes, labels, strict=True) if text in label]
        return hits[0] if len(hits) == 1 else ""

    def _match_typed(self) -> None:
        code = self._find(self.currentText())
        if code:
            index = self.findData(code)
            if index != self.currentIndex():
                self.setCurrentIndex(index)
            elif self.itemText(index) != self.currentText():
                self.setEditText(self.itemText(index))
                self.account_changed.emit(code)
