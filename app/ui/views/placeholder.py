"""Screens that are not built yet say what is coming, so the sidebar is honest."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.context import AppContext


class PlaceholderView(QWidget):
    def __init__(
        self, ctx: AppContext, title: str, coming: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(coming)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Nothing to refresh yet."""
