"""Loans through the window (JOURNEYS.md 2 and 4): application -> approval -> disbursement ->
repayment with real keys and clicks, on a real book; refusals write nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import balance
from app.models import AuditRecord, JournalEntry, Loan
from app.services import loans
from app.services.schedule import annuity_payment
from app.ui.context import AppContext
from app.ui.dialogs.loan_application import LoanApplicationDialog
from app.ui.dialogs.loan_decision import LoanDecisionDialog, load_decision
from app.ui.dialogs.loan_disburse import LoanDisburseDialog
from app.ui.dialogs.loan_repayment import LoanRepaymentDialog
from app.ui.views.pinjaman import PinjamanView
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

# The member picker's suggestion list is a popup; the offscreen platform warns about it.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)

START = date(2025, 10, 1)


@dataclass
class Seen:
    refusals: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    receipts: list[int] = field(default_factory=list)
    documents: list[tuple[int, str]] = field(default_factory=list)
    answer: bool = True


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    boxes = Seen()

    def confirm(_parent: object, _title: str, text: str, **_kw: object) -> bool:
        boxes.questions.append(text)
        return boxes.answer

    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: boxes.refusals.append(str(e)))
    monkeypatch.setattr("app.ui.prompts.confirm", confirm)
    monkeypatch.setattr("app.ui.prompts.inform", lambda _p, _t, text: boxes.questions.append(text))
    monkeypatch.setattr(
        "app.ui.prompts.show_receipt", lambda _c, _p, entry_id: boxes.receipts.append(entry_id)
    )
    monkeypatch.setattr(
        "app.ui.dialogs.pdf_preview.show_loan_document",
        lambda _c, _p, loan_id, kind: boxes.documents.append((loan_id, kind)),
    )
    return boxes


@pytest.fixture
def ctx(book: Book, fixed_today: date) -> AppContext:
    return AppContext(book=book, user=USER)


def _entries(book: Book) -> int:
    with read_session(book.sessions) as s:
        return s.scalar(select(func.count(JournalEntry.id))) or 0


def _type(qtbot: QtBot, widget: object, text: str) -> None:
    widget.setFocus()  # type: ignore[attr-defined]
    widget.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def test_application_to_repayment_through_the_dialogs(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    register(book, SITI, on=date(2024, 6, 1))
    dedi = register(book, DEDI, on=date(2024, 6, 1))

    # -- pengajuan: the member by typing, terms by keys, the preview follows ----------------
    dialog = LoanApplicationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.picker, "dedi")
    qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
    assert dialog.picker.member_id() == dedi
    assert dialog.focusWidget() is dialog.product
    assert "Belum ada pinjaman lain" in dialog.member_info.text()
    _type(qtbot, dialog.principal, "5.000.000")
    _type(qtbot, dialog.months, "10")
    dialog.date.set_value(START)
    flat = dialog.schedule_model.line(0)
    assert (flat.principal, flat.interest) == (500_000, 75_000)
    assert dialog.schedule_model.rowCount() == 10
    assert "575.000" in dialog.compare_cells[("first", "flat")].text()
    assert "750.000" in dialog.compare_cells[("interest", "flat")].text()
    assert "412.500" in dialog.compare_cells[("interest", "menurun")].text()
    assert "2,63%" in dialog.compare_cells[("effective", "flat")].text()
    assert "Rp4.950.000" in dialog.fees.text()
    assert "lolos" in dialog.ceiling.text() or "tidak diatur" in dialog.ceiling.text()

    # Method flat -> anuitas by keyboard: the schedule changes at once.
    dialog.method.setFocus()
    qtbot.keyClick(dialog.method, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.method, Qt.Key.Key_Down)
    assert dialog.method.currentData() == "anuitas"
    payment = annuity_payment(5_000_000, Decimal("0.015"), 10)
    line = dialog.schedule_model.line(0)
    assert line.amount == payment and line.interest == 75_000
    assert "<b>" in dialog.compare_cells[("total", "anuitas")].text()
    qtbot.keyClick(dialog.method, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.method, Qt.Key.Key_Up)
    assert dialog.schedule_model.line(0).amount == 575_000

    _type(qtbot, dialog.purpose, "Modal warung")
    qtbot.keyClicks(dialog.guarantor, "siti")
    qtbot.keyClick(dialog.guarantor, Qt.Key.Key_Return)
    assert dialog.guarantor.member_id()
    qtbot.keyClick(dialog.purpose, Qt.Key.Key_Return)  # Enter saves
    assert seen.refusals == []
    loan_id = dialog.loan_id
    assert loan_id is not None and dialog.result() == dialog.DialogCode.Accepted
    with read_session(book.sessions) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None
        assert (loan.status, loan.principal, loan.months, loan.method) == (
            "pengajuan",
            5_000_000,
            10,
            "flat",
        )
        assert loan.provisi == 50_000 and loan.guarantor_id is not None and loan.product_id

    # -- keputusan: the ceiling check and other loans shown; Enter approves ---------------------
    info = load_decision_on(ctx, loan_id)
    decision = LoanDecisionDialog(ctx, info)
    qtbot.addWidget(decision)
    decision.show()
    decision.date.set_value(START)
    qtbot.keyClicks(decision.note, "Rapat pengurus")
    qtbot.keyClick(decision.note, Qt.Key.Key_Return)
    assert decision.decision == "disetujui"

    # -- pencairan: net cash shown; after posting the receipt, card and agreement --------------
    from app.queries.loans import loan_detail

    detail = ctx_read(ctx, lambda s: loan_detail(s, loan_id, START))
    disburse = LoanDisburseDialog(ctx, detail)
    qtbot.addWidget(disburse)
    disburse.show()
    assert disburse.net.text() == "Rp4.950.000"
    disburse.date.set_value(START)
    qtbot.keyClick(disburse.date, Qt.Key.Key_Return)
    assert seen.refusals == [] and disburse.entry_id
    disburse.print_after(None)
    assert seen.receipts == [disburse.entry_id]
    assert seen.documents == [(loan_id, "kartu"), (loan_id, "perjanjian")]
    with read_session(book.sessions) as s:
        assert balance(s, "1-131") == 5_000_000

    # -- angsuran on 31/12/2025: two installments due, 60 and 30 days late ----------------------
    from app.queries.loans import repayment_info

    on = date(2025, 12, 31)
    info_r = ctx_read(ctx, lambda s: repayment_info(s, loan_id, on))
    repay = LoanRepaymentDialog(ctx, info_r)
    qtbot.addWidget(repay)
    repay.show()
    assert "ke-1" in repay.due.text() and "60 hari" in repay.due.text()
    assert "ke-2" in repay.due.text() and "30 hari" in repay.due.text()
    assert repay.amount.amount() == 1_150_000
    assert repay.split.rowCount() == 3  # two installments and the total
    assert repay.split.item(0, repay.INTEREST).text() == "Rp75.000"
    assert repay.split.item(1, repay.PRINCIPAL).text() == "Rp500.000"
    assert repay.proposed_penalty == 51_750  # 0,1% x 575.000 x (60 + 30)
    assert repay.penalty.amount() == 51_750
    assert repay.total.text() == "Rp1.201.750"

    # A partial amount: the live split shows installment 1 whole and part of 2.
    _type(qtbot, repay.amount, "700000")
    assert repay.split.item(1, repay.PRINCIPAL).text() == "Rp50.000"
    assert "sebagian" in repay.split_note.text()
    _type(qtbot, repay.amount, "1150000")

    # Waive the denda: a reason is required.
    repay.waive.setFocus()
    qtbot.keyClick(repay.waive, Qt.Key.Key_Space)
    before = _entries(book)
    qtbot.keyClick(repay.amount, Qt.Key.Key_Return)
    assert seen.refusals and "alasan" in seen.refusals[-1]
    assert _entries(book) == before
    qtbot.keyClicks(repay.waive_reason, "Sakit, dirawat di puskesmas")
    qtbot.keyClick(repay.waive_reason, Qt.Key.Key_Return)
    assert repay.entry_id and len(seen.refusals) == 1
    with read_session(book.sessions) as s:
        assert balance(s, "1-131") == 4_000_000
        assert balance(s, "4-101") == -150_000
        assert balance(s, "4-103") == 0
        assert s.scalar(
            select(func.count(AuditRecord.id)).where(
                AuditRecord.action == "pinjaman.denda_dibebaskan"
            )
        )


def load_decision_on(ctx: AppContext, loan_id: int):  # type: ignore[no-untyped-def]
    return ctx_read(ctx, lambda s: load_decision(s, loan_id))


def ctx_read(ctx: AppContext, work):  # type: ignore[no-untyped-def]
    from app.ui.actions import read

    return read(ctx, work)


def _running_loan(book: Book, member_id: int, on: date = START) -> int:
    with unit_of_work(book.sessions) as s:
        application = loans.LoanApplication(
            member_id=member_id,
            principal=5_000_000,
            monthly_rate=Decimal("0.015"),
            months=10,
            method="flat",
        )
        loan_id = loans.apply(s, application, on=on, by=USER)
        loans.approve(s, loan_id, on=on, by="ketua")
        loans.disburse(s, loan_id, on=on, by=USER)
    return loan_id


def test_overpayment_is_refused_and_nothing_is_written(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    siti = register(book, SITI, on=date(2024, 6, 1))
    loan_id = _running_loan(book, siti)
    from app.queries.loans import repayment_info

    info = ctx_read(ctx, lambda s: repayment_info(s, loan_id, date(2025, 12, 31)))
    dialog = LoanRepaymentDialog(ctx, info)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.amount, "9.000.000")
    assert "ditolak" in dialog.warning.text()  # said before saving
    before = _entries(book)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert len(seen.refusals) == 1
    assert "lebih besar dari seluruh sisa kewajiban" in seen.refusals[0]
    assert "pelunasan" in seen.refusals[0].lower()
    assert _entries(book) == before and dialog.entry_id is None and dialog.isVisible()
    assert seen.receipts == []

    # The payoff option shows the payoff amount and settles the loan.
    dialog.payoff.setFocus()
    qtbot.keyClick(dialog.payoff, Qt.Key.Key_Space)
    assert dialog.amount.amount() == info.payoff.total
    assert "Pelunasan per 31/12/2025" in dialog.payoff_text.text()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.entry_id
    with read_session(book.sessions) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None and loan.status == "lunas"


def test_high_rate_needs_explicit_confirmation(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    register(book, SITI, on=date(2024, 6, 1))
    dialog = LoanApplicationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.picker, "siti")
    qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
    _type(qtbot, dialog.principal, "1000000")
    _type(qtbot, dialog.rate, "12")
    assert "sangat tinggi" in dialog.problem.text()
    seen.answer = False
    qtbot.keyClick(dialog.principal, Qt.Key.Key_Return)
    assert len(seen.questions) == 1 and dialog.loan_id is None
    assert _loan_count(book) == 0
    seen.answer = True
    qtbot.keyClick(dialog.principal, Qt.Key.Key_Return)
    assert dialog.loan_id is not None and seen.refusals == []
    with read_session(book.sessions) as s:
        loan = s.get(Loan, dialog.loan_id)
        assert loan is not None and Decimal(loan.monthly_rate) == Decimal("0.12")


def _loan_count(book: Book) -> int:
    with read_session(book.sessions) as s:
        return s.scalar(select(func.count(Loan.id))) or 0


def test_rejection_needs_a_reason(qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen) -> None:
    siti = register(book, SITI, on=date(2024, 6, 1))
    with unit_of_work(book.sessions) as s:
        application = loans.LoanApplication(
            member_id=siti,
            principal=2_000_000,
            monthly_rate=Decimal("0.015"),
            months=6,
            method="menurun",
        )
        loan_id = loans.apply(s, application, on=START, by=USER)
    dialog = LoanDecisionDialog(ctx, load_decision_on(ctx, loan_id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert seen.refusals and "alasan" in seen.refusals[0]
    qtbot.keyClicks(dialog.note, "Tunggakan wajib 6 bulan")
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert dialog.decision == "ditolak"
    with read_session(book.sessions) as s:
        loan = s.get(Loan, loan_id)
        assert loan is not None and loan.status == "ditolak"
        assert loan.decision_note == "Tunggakan wajib 6 bulan"


def test_screen_lists_filters_and_shows_the_detail(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    siti = register(book, SITI, on=date(2024, 6, 1))
    asep = register(book, ASEP, on=date(2024, 6, 1))
    late = _running_loan(book, siti)  # nothing paid: installments 1 and 2 overdue on 31/12
    on_time = _running_loan(book, asep, on=date(2025, 12, 20))
    with unit_of_work(book.sessions) as s:
        pending = loans.apply(
            s,
            loans.LoanApplication(
                member_id=asep,
                principal=1_000_000,
                monthly_rate=Decimal("0.01"),
                months=5,
                method="anuitas",
            ),
            on=date(2025, 12, 30),
            by=USER,
        )
    view = PinjamanView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    model = view.model
    assert model.rowCount() == 2  # Berjalan
    assert "NPL" in view.summary_label.text() and "Rp10.000.000" in view.summary_label.text()
    view.overdue.setChecked(True)
    assert model.rowCount() == 1 and model.loan(0).id == late  # type: ignore[union-attr]
    assert model.data(model.index(0, model.DPD)) == "60"
    assert model.data(model.index(0, model.CLASS)) == "Lancar"
    view.overdue.setChecked(False)
    qtbot.keyClicks(view.search, "asep")
    assert model.rowCount() == 1 and model.loan(0).id == on_time  # type: ignore[union-attr]
    view.search.clear()

    view.focus_item(late)
    assert view.selected_id() == late
    states = [view.schedule_model.line(i).state for i in range(view.schedule_model.rowCount())]
    assert states[:3] == ["terlambat", "terlambat", "belum"]
    assert view.repay_button.isEnabled() and not view.disburse_button.isEnabled()
    assert view.payments_model.rowCount() == 1  # the disbursement

    view.focus_item(pending)
    assert view.status.currentIndex() == 1 and view.selected_id() == pending
    assert view.decide_button.isEnabled() and not view.repay_button.isEnabled()
    assert view.schedule_model.rowCount() == 5

    # Printing from the screen goes through the document previews.
    view.focus_item(late)
    qtbot.mouseClick(view.card_button, Qt.MouseButton.LeftButton)
    assert seen.documents == [(late, "kartu")]
    qtbot.mouseClick(view.receipt_button, Qt.MouseButton.LeftButton)
    assert len(seen.receipts) == 1
