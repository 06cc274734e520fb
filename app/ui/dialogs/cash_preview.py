"""Preview of the Kas & Jurnal documents (bukti kas, berita acara kas opname): print or save.

The same page viewer as the receipts (``ReceiptPreview``), with the document's
own title and file name. Callers use the module functions so tests can
monkeypatch them instead of a blocking dialog.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import QWidget

from app import dates
from app.queries.cash_documents import (
    CashCountReport,
    CashVoucher,
    cash_count_report,
    cash_voucher,
)
from app.reports.pdf.cash_count import render_cash_count
from app.reports.pdf.cash_voucher import render_cash_voucher
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs.receipt_preview import ReceiptPreview


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", name) + ".pdf"


def voucher_preview(parent: QWidget | None, voucher: CashVoucher) -> ReceiptPreview:
    dialog = ReceiptPreview(
        render_cash_voucher(voucher), _safe(f"Bukti kas {voucher.number}"), parent
    )
    what = dialog.tr("Bukti kas masuk") if voucher.incoming else dialog.tr("Bukti kas keluar")
    dialog.setWindowTitle(
        dialog.tr("Pratinjau %1 %2").replace("%1", what.lower()).replace("%2", voucher.number)
    )
    dialog.info.setText(
        dialog.tr("%1 · %2 halaman A4").replace("%1", what).replace("%2", str(len(dialog.pages)))
    )
    return dialog


def count_preview(parent: QWidget | None, report: CashCountReport) -> ReceiptPreview:
    day = dates.format_date(report.date)
    dialog = ReceiptPreview(
        render_cash_count(report),
        _safe(f"Berita acara kas opname {report.date.isoformat()}"),
        parent,
    )
    dialog.setWindowTitle(dialog.tr("Pratinjau berita acara kas opname %1").replace("%1", day))
    dialog.info.setText(
        dialog.tr("Berita acara kas opname · %1 halaman A4").replace("%1", str(len(dialog.pages)))
    )
    return dialog


def show_cash_voucher(ctx: AppContext, parent: QWidget | None, entry_id: int) -> None:
    """The bukti kas of one entry that moved cash; a refusal message for one that did not."""
    voucher = actions.run_action(
        parent, lambda: actions.read(ctx, lambda s: cash_voucher(s, entry_id))
    )
    if voucher is None:
        return
    dialog = voucher_preview(parent, voucher)
    dialog.exec()
    dialog.deleteLater()


def show_cash_count(ctx: AppContext, parent: QWidget | None, on: date) -> None:
    report = actions.run_action(
        parent, lambda: actions.read(ctx, lambda s: cash_count_report(s, on))
    )
    if report is None:
        return
    dialog = count_preview(parent, report)
    dialog.exec()
    dialog.deleteLater()


def offer_cash_voucher(ctx: AppContext, parent: QWidget | None, entry_id: int, what: str) -> None:
    """After a kas masuk / keluar: ask whether to print the bukti kas now."""
    if not entry_id:
        return
    tr = parent.tr if parent is not None else (lambda text: text)
    if prompts.confirm(
        parent,
        tr("Cetak bukti kas"),
        what + "\n\n" + tr("Cetak bukti kasnya sekarang?"),
        yes=tr("&Cetak"),
        no=tr("&Nanti saja"),
    ):
        show_cash_voucher(ctx, parent, entry_id)
