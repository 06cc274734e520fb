"""A line edit for rupiah: accepts what treasurers type, shows 1.250.000."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.errors import ValidationError
from app.money import format_number, parse_rupiah


class MoneyEdit(QLineEdit):
    amount_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, what: str = "Jumlah") -> None:
        super().__init__(parent)
        self.what = what
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0")
        self.editingFinished.connect(self._tidy)
        self.textChanged.connect(lambda _text: self.amount_changed.emit())

    def amount(self) -> int:
        """The typed amount; empty is 0. Raises ValidationError with a message for garbage."""
        text = self.text().strip()
        if not text:
            return 0
        return parse_rupiah(text, what=self.what)

    def amount_or_none(self) -> int | None:
        try:
            return self.amount()
        except ValidationError:
            return None

    def set_amount(self, amount: int) -> None:
        self.setText(format_number(amount) if amount else "")

    def _tidy(self) -> None:
        value = self.amount_or_none()
        if value is not None and value:
            self.setText(format_number(value))
