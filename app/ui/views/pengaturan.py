"""Stub: being written."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext
from app.ui.views.placeholder import PlaceholderView


class PengaturanView(PlaceholderView):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "pengaturan", "...", parent)
