"""Preview of a loan document (kartu angsuran, ringkasan perjanjian): print, save or open it.

The same page viewer as the receipts (pypdfium2 images; no QtPdf in PySide6
Essentials), with the document's own title and file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from app import dates
from app.queries.loan_documents import LoanDocument, loan_document
from app.reports.pdf.loan_agreement import render_loan_agreement
from app.reports.pdf.loan_card import render_loan_card
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs.receipt_preview import ReceiptPreview

CARD, AGREEMENT = "kartu", "perjanjian"
_KINDS: dict[str, tuple[str, Callable[[LoanDocument], bytes]]] = {
    CARD: ("Kartu angsuran", render_loan_card),
    AGREEMENT: ("Ringkasan perjanjian", render_loan_agreement),
}


def file_name(what: str, doc: LoanDocument) -> str:
    name = f"{what} {doc.number} {doc.member.name}"
    return re.sub(r'[\\/:*?"<>|]+', "-", name) + ".pdf"


def build(
    ctx: AppContext, parent: QWidget | None, loan_id: int, kind: str
) -> ReceiptPreview | None:
    """The preview of one document of a loan, or None when refused (a message was shown)."""
    what, render = _KINDS[kind]
    on = dates.today()

    def load(session: Session) -> LoanDocument:
        return loan_document(session, loan_id, on)

    doc = actions.run_action(parent, lambda: actions.read(ctx, load))
    if doc is None:
        return None
    pdf = render(doc)
    dialog = ReceiptPreview(pdf, file_name(what, doc), parent)
    dialog.setWindowTitle(
        dialog.tr("Pratinjau %1 %2").replace("%1", what.lower()).replace("%2", doc.number)
    )
    dialog.info.setText(
        dialog.tr("%1 · %2 halaman A4").replace("%1", what).replace("%2", str(len(dialog.pages)))
    )
    return dialog


def show_loan_document(ctx: AppContext, parent: QWidget | None, loan_id: int, kind: str) -> None:
    """Show the kartu angsuran (``CARD``) or the ringkasan perjanjian (``AGREEMENT``)."""
    dialog = build(ctx, parent, loan_id, kind)
    if dialog is not None:
        dialog.exec()
        dialog.deleteLater()
