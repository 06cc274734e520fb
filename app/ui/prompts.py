"""Questions and notices with Indonesian buttons.

The standard QMessageBox buttons say "Yes"/"No"; the treasurer reads
Indonesian. Callers use ``prompts.confirm(...)`` (module attribute) so tests can
monkeypatch one function instead of a blocking dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.ui.context import AppContext


def _tr(parent: QWidget | None, text: str) -> str:
    return parent.tr(text) if parent is not None else QApplication.translate("prompts", text)


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str = "",
    no: str = "",
    warning: bool = False,
) -> bool:
    """Ask; True when the treasurer chose ``yes``. Enter picks yes, Esc picks no."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes or _tr(parent, "&Ya"), QMessageBox.ButtonRole.YesRole)
    no_button = box.addButton(no or _tr(parent, "&Tidak"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.addButton(_tr(parent, "OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def offer_receipt(ctx: AppContext, parent: QWidget | None, entry_id: int, what: str) -> None:
    """After a posting: ask whether to print its receipt now, and show it if so."""
    if not entry_id:
        return
    if not confirm(
        parent,
        _tr(parent, "Cetak kwitansi"),
        what + "\n\n" + _tr(parent, "Cetak kwitansinya sekarang?"),
        yes=_tr(parent, "&Cetak"),
        no=_tr(parent, "&Nanti saja"),
    ):
        return
    show_receipt(ctx, parent, entry_id)


def show_receipt(ctx: AppContext, parent: QWidget | None, entry_id: int) -> None:
    """The receipt preview (app.ui.dialogs.receipt_preview), imported when first needed."""
    from app.ui.dialogs import receipt_preview

    receipt_preview.show_receipt(ctx, parent, entry_id)
