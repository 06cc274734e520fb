"""Stub: being written."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext


def open_deposit(ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> int | None:
    return None
