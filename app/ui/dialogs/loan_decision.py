"""Keputusan pengajuan pinjaman: approve, or reject with a reason (issue 3).

Shows what is decided: the terms and what they cost, the ceiling check and the
member's other loans. The decision is recorded with who and when.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.money import format_rupiah
from app.queries.loans import LoanDetail, LoanRow, loan_detail, member_loans
from app.services import loans
from app.services.loan_products import format_percent
from app.services.loans import CeilingCheck
from app.services.schedule import METHOD_LABELS, build_schedule, effective_monthly_rate
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs.loan_application import ceiling_text, loans_text
from app.ui.widgets.date_edit import DateEdit


@dataclass(frozen=True)
class DecisionInfo:
    detail: LoanDetail
    check: CeilingCheck
    others: tuple[LoanRow, ...]
    product_id: int | None


def load_decision(session: Session, loan_id: int) -> DecisionInfo:
    on = dates.today()
    detail = loan_detail(session, loan_id, on)
    loan = loans.get_loan(session, loan_id)
    check = loans.ceiling_check(session, loan.member_id, loan.principal, product_id=loan.product_id)
    others = tuple(member_loans(session, loan.member_id, on))
    return DecisionInfo(detail, check, others, loan.product_id)


def terms_html(detail: LoanDetail, start_text: str = "") -> str:
    """The terms of a loan as a small rich-text table (shared with the detail panel)."""
    row = detail.row
    schedule = build_schedule(
        row.principal,
        row.monthly_rate,
        row.months,
        row.method,
        row.disbursed_on or row.applied_on,
        round_to=detail.round_to,
    )
    first = schedule.installments[0].amount
    rate = f"{format_percent(row.monthly_rate)} per bulan, {METHOD_LABELS[row.method]}"
    if row.method == "flat" and schedule.total_interest:
        rate += f" (efektif ± {format_percent(effective_monthly_rate(schedule), places=2)})"
    items = [
        ("Anggota", f"<b>{row.member_number} · {row.member_name}</b>"),
        ("Pokok", f"<b>{format_rupiah(row.principal)}</b>"),
        ("Bunga", rate),
        ("Jangka waktu", f"{row.months} bulan{start_text}"),
        ("Angsuran", f"{format_rupiah(first)}" + ("" if row.method != "menurun" else " (pertama)")),
        (
            "Jumlah jasa",
            f"{format_rupiah(detail.total_interest)} · dibayar "
            f"{format_rupiah(row.principal + detail.total_interest)}",
        ),
        (
            "Provisi / adm.",
            f"{format_rupiah(detail.provisi)} / {format_rupiah(detail.admin_fee)} · diterima "
            f"bersih {format_rupiah(row.principal - detail.provisi - detail.admin_fee)}",
        ),
        ("Tujuan", detail.purpose or "-"),
        (
            "Agunan",
            (detail.collateral or "-")
            + (
                f" (nilai {format_rupiah(detail.collateral_value)})"
                if detail.collateral_value
                else ""
            ),
        ),
        ("Penjamin", detail.guarantor or "-"),
    ]
    body = "".join(
        f"<tr><td style='color:#555; padding-right:10px'>{k}</td><td>{v}</td></tr>"
        for k, v in items
    )
    return f"<table cellspacing='0' cellpadding='1'>{body}</table>"


class LoanDecisionDialog(QDialog):
    def __init__(self, ctx: AppContext, info: DecisionInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.info = info
        self.loan_id = info.detail.row.id
        self.decision = ""
        row = info.detail.row
        self.setWindowTitle(self.tr("Keputusan pengajuan %1").replace("%1", row.number))
        self.setMinimumWidth(700)

        heading = QLabel(
            "<h3>"
            + self.tr("Pengajuan %1, diajukan %2")
            .replace("%1", row.number)
            .replace("%2", dates.format_date(row.applied_on))
            + "</h3>"
        )
        terms = QLabel(terms_html(info.detail))
        terms.setTextFormat(Qt.TextFormat.RichText)
        ceiling = QLabel(
            ceiling_text(
                CeilingCheck(
                    info.check.savings,
                    info.check.multiple,
                    None if info.check.limit is None else info.check.limit + row.principal,
                    info.check.outstanding,
                ),
                row.principal,
            )
        )
        ceiling.setWordWrap(True)
        ceiling.setTextFormat(Qt.TextFormat.RichText)
        others = QLabel(loans_text(info.others, skip=row.id))
        others.setWordWrap(True)
        others.setTextFormat(Qt.TextFormat.RichText)
        self.date = DateEdit(self)
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            self.tr("Catatan persetujuan, atau alasan penolakan (wajib bila ditolak)")
        )
        self.approve_button = QPushButton(self.tr("&Setujui (Enter)"))
        self.approve_button.setDefault(True)
        self.reject_button = QPushButton(self.tr("&Tolak..."))
        self.reject_button.setAutoDefault(False)
        self.cancel_button = QPushButton(self.tr("&Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.addRow(self.tr("Cek plafon:"), ceiling)
        form.addRow(self.tr("Pinjaman lain:"), others)
        date_label = QLabel(self.tr("&Tanggal keputusan:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, self.date)
        note_label = QLabel(self.tr("&Catatan / alasan:"))
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        who = QLabel(
            self.tr("Keputusan dicatat atas nama pengguna <b>%1</b>.").replace("%1", ctx.user)
        )
        who.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(terms)
        layout.addLayout(form)
        layout.addWidget(who)
        layout.addLayout(buttons)

        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject_loan)
        self.cancel_button.clicked.connect(self.reject)
        self.note.setFocus()

    def approve(self) -> None:
        on, note = self.date.value(), self.note.text()

        def work(session: Session) -> bool:
            loans.approve(session, self.loan_id, on=on, by=self.ctx.user, note=note)
            return True

        if actions.write(self.ctx, self, work):
            self.decision = "disetujui"
            self.accept()

    def reject_loan(self) -> None:
        on, reason = self.date.value(), self.note.text()

        def work(session: Session) -> bool:
            if not reason.strip():
                raise ValidationError(
                    "Tulis alasan penolakan di kolom Catatan / alasan, lalu tekan Tolak lagi."
                )
            loans.reject(session, self.loan_id, on=on, reason=reason, by=self.ctx.user)
            return True

        if actions.write(self.ctx, self, work):
            self.decision = "ditolak"
            self.accept()
        else:
            self.note.setFocus()


def open_decision(ctx: AppContext, parent: QWidget | None, loan_id: int) -> str:
    """Approve or reject; returns "disetujui", "ditolak" or "" when cancelled."""
    info = actions.run_action(
        parent, lambda: actions.read(ctx, lambda s: load_decision(s, loan_id))
    )
    if info is None:
        return ""
    dialog = LoanDecisionDialog(ctx, info, parent)
    try:
        dialog.exec()
        return dialog.decision
    finally:
        dialog.deleteLater()
