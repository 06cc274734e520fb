"""A book year chooser: the years that have entries, up to this year; newest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.queries.year_end import YearSpan


class YearPicker(QComboBox):
    year_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(6)
        self.currentIndexChanged.connect(self._changed)

    def set_span(self, span: YearSpan, *, keep: bool = True) -> None:
        """Offer the years of ``span``; keep the chosen year, else choose the last finished one."""
        chosen = self.value() if keep and self.count() else 0
        years = span.years()
        if chosen not in years:
            chosen = span.last_finished
        self.blockSignals(True)
        self.clear()
        for year in reversed(years):
            self.addItem(str(year), year)
        self.setCurrentIndex(max(self.findData(chosen), 0))
        self.blockSignals(False)

    def value(self) -> int:
        data = self.currentData()
        return int(data) if data is not None else 0

    def set_value(self, year: int) -> None:
        index = self.findData(year)
        if index < 0:
            self.addItem(str(year), year)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def _changed(self, _index: int) -> None:
        self.year_changed.emit(self.value())
