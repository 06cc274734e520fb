"""Kas & Jurnal through the window: cash vouchers, the general journal, reversal, kas opname."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import PeriodClosed
from app.ledger.balances import balance
from app.models import JournalEntry
from app.queries import ledger
from app.services import cash_count, cashbook
from app.ui.context import AppContext
from app.ui.dialogs.cash_entry import CashEntryDialog
from app.ui.dialogs.journal_entry import JournalEntryDialog
from app.ui.dialogs.reverse_entry import ReverseDialog
from app.ui.views.kas import BAGAN, BUKU_KAS, JURNAL, NERACA, OPNAME, KasView

USER = "bendahara"
DAY = date(2025, 12, 31)

# The account picker's and member picker's suggestion lists are popups.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


class Seen:
    def __init__(self) -> None:
        self.refusals: list[str] = []
        self.questions: list[str] = []
        self.vouchers: list[int] = []
        self.counts: list[date] = []
        self.answer = True


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    boxes = Seen()

    def confirm(_parent: object, _title: str, text: str, **_kwargs: object) -> bool:
        boxes.questions.append(text)
        return boxes.answer

    monkeypatch.setattr(
        "app.ui.actions.show_refusal", lambda _p, error: boxes.refusals.append(str(error))
    )
    monkeypatch.setattr("app.ui.prompts.confirm", confirm)
    monkeypatch.setattr("app.ui.prompts.inform", lambda _p, _t, text: boxes.questions.append(text))
    monkeypatch.setattr(
        "app.ui.dialogs.cash_preview.show_cash_voucher",
        lambda _c, _p, entry_id: boxes.vouchers.append(entry_id),
    )
    monkeypatch.setattr(
        "app.ui.dialogs.cash_preview.show_cash_count",
        lambda _c, _p, on: boxes.counts.append(on),
    )
    return boxes


@pytest.fixture
def ctx(book: Book, fixed_today: date) -> AppContext:
    with unit_of_work(book.sessions) as session:
        cashbook.cash_in(
            session,
            on=date(2025, 12, 1),
            account="3-301",
            amount=5_000_000,
            memo="Hibah desa",
            by=USER,
        )
    return AppContext(book=book, user=USER)


@pytest.fixture
def view(qtbot: QtBot, ctx: AppContext, seen: Seen) -> KasView:
    widget = KasView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    with qtbot.waitActive(widget):
        widget.show()
    widget.refresh()
    return widget


def entries(book: Book) -> int:
    with read_session(book.sessions) as session:
        return int(session.scalar(select(func.count(JournalEntry.id))) or 0)


def in_modal(work: Callable[[QDialog], None]) -> dict[str, object]:
    """Run ``work`` on the modal dialog once it is open; close it if ``work`` did not."""
    result: dict[str, object] = {}

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, QDialog)
            result["dialog"] = type(dialog).__name__
            work(dialog)
        except Exception as exc:  # reported by the test, not lost inside Qt's event loop
            result["error"] = exc
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)
    return result


def test_cash_expense_typed_through_the_dialog(
    qtbot: QtBot, view: KasView, ctx: AppContext, seen: Seen
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, CashEntryDialog)
        assert dialog.focusWidget() in (dialog.account, dialog.account.lineEdit())
        line = dialog.account.lineEdit()
        assert line is not None
        qtbot.keyClicks(line, "listrik")
        assert dialog.account.code() == "5-305"
        qtbot.keyClicks(dialog.amount, "1235600")
        assert "satu juta dua ratus tiga puluh lima ribu enam ratus rupiah" in (
            dialog.words.text().lower()
        )
        qtbot.keyClicks(dialog.memo, "Bayar listrik kantor Desember")
        qtbot.keyClick(dialog.memo, Qt.Key.Key_Return)  # Enter saves

    result = in_modal(fill)
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Kas keluar
    assert "error" not in result, result.get("error")
    assert result["dialog"] == "CashEntryDialog"
    assert seen.refusals == []
    # The bukti kas was offered and (answer: yes) shown.
    assert len(seen.vouchers) == 1 and "KK-2025-000001" in seen.questions[-1]

    # The cash book shows it with the running balance.
    assert view.tabs.currentIndex() == BUKU_KAS
    lines = view.cash_model.rows()
    assert [(r.number, r.debit, r.credit, r.balance) for r in lines] == [
        ("KM-2025-000001", 5_000_000, 0, 5_000_000),
        ("KK-2025-000001", 0, 1_235_600, 3_764_400),
    ]
    assert "Rp3.764.400" in view.cash_summary.text()
    assert view.cash_model.data(view.cash_model.index(1, 4)) == "Rp1.235.600"

    # And the trial balance: the expense on the debit side, still balanced.
    view.tabs.setCurrentIndex(NERACA)
    rows = {r.code: r for r in view.trial_model.rows()}
    assert (rows["5-305"].debit, rows["1-101"].debit) == (1_235_600, 3_764_400)
    assert "Seimbang" in view.trial_totals.text()


def test_an_expense_to_an_income_account_is_refused(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    before = entries(book)
    dialog = CashEntryDialog(ctx, incoming=False)
    qtbot.addWidget(dialog)
    # The picker does not offer income accounts for kas keluar ...
    offered = [dialog.account.itemData(i) for i in range(dialog.account.count())]
    assert "5-305" in offered and "4-909" not in offered
    # ... and typing one anyway gets the service's sentence, nothing written.
    line = dialog.account.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "4-909")
    qtbot.keyClicks(dialog.amount, "50000")
    qtbot.keyClicks(dialog.memo, "Salah catat")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(seen.refusals) == 1
    assert "tidak boleh dicatat ke akun pendapatan 4-909" in seen.refusals[0]
    assert dialog.posted is None and entries(book) == before


def test_a_memo_is_required(qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen) -> None:
    before = entries(book)
    dialog = CashEntryDialog(ctx, incoming=True)
    qtbot.addWidget(dialog)
    dialog.account.set_code("4-901")
    qtbot.keyClicks(dialog.amount, "12500")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert seen.refusals and "keterangan" in seen.refusals[0].lower()
    assert entries(book) == before


def test_an_unbalanced_journal_cannot_be_saved(
    qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen
) -> None:
    before = entries(book)
    dialog = JournalEntryDialog(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    qtbot.keyClicks(dialog.memo, "Setor kas ke bank")
    first, second = dialog.rows
    first.account.set_code("1-111")
    qtbot.keyClicks(first.debit, "2000000")
    second.account.set_code("1-101")
    qtbot.keyClicks(second.credit, "1990000")
    assert not dialog.save_button.isEnabled()
    assert "Selisih Rp10.000" in dialog.totals.text()
    qtbot.keyClick(dialog.memo, Qt.Key.Key_Return)  # Enter does nothing while unbalanced
    assert dialog.posted is None and entries(book) == before

    # Ctrl++ adds a line under the current one: the bank's fee balances it.
    second.credit.setFocus()
    qtbot.keyClick(second.credit, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.rows) == 3
    assert dialog.focusWidget() in (dialog.rows[2].account, dialog.rows[2].account.lineEdit())
    third = dialog.rows[2]
    third.account.set_code("1-101")
    qtbot.keyClicks(third.credit, "10000")
    assert dialog.save_button.isEnabled() and "Seimbang" in dialog.totals.text()

    # Ctrl+- removes it again; the service refuses an unbalanced entry even if asked.
    third.credit.setFocus()
    qtbot.keyClick(third.credit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.rows) == 2 and not dialog.save_button.isEnabled()
    dialog.save_button.setEnabled(True)
    dialog.save()
    assert seen.refusals and "tidak seimbang" in seen.refusals[0]
    assert entries(book) == before

    second.credit.clear()
    qtbot.keyClicks(second.credit, "2000000")
    qtbot.keyClick(dialog.memo, Qt.Key.Key_Return)
    assert dialog.posted is not None and dialog.posted.number == "JU-2025-000001"
    with read_session(book.sessions) as session:
        assert balance(session, "1-111") == 2_000_000


def test_a_reversal_from_the_journal_tab(
    qtbot: QtBot, view: KasView, ctx: AppContext, book: Book, seen: Seen
) -> None:
    with unit_of_work(book.sessions) as session:
        wrong = cashbook.cash_out(
            session, on=DAY, account="5-304", amount=300_000, memo="Beli kertas", by=USER
        )
    view.tabs.setCurrentIndex(JURNAL)
    view.refresh()
    assert view.selected_entry_id() == wrong.id  # newest first
    assert view.lines_model.rowCount() == 2 and view.reverse_button.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReverseDialog)
        qtbot.keyClicks(dialog.reason, "salah akun, seharusnya 5-310")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    result = in_modal(fill)
    qtbot.mouseClick(view.reverse_button, Qt.MouseButton.LeftButton)
    assert "error" not in result, result.get("error")
    assert seen.refusals == []
    assert "KK-2025-000001" in seen.questions[-1]  # asked to confirm first
    page = view.journal_model.rows()
    original = next(r for r in page if r.id == wrong.id)
    assert original.reversed_by == "RV-2025-000001"
    assert view.selected_entry_id() == wrong.id and not view.reverse_button.isEnabled()
    with read_session(book.sessions) as session:
        assert balance(session, "5-304") == 0
        assert balance(session, "1-101") == 5_000_000

    # The journal list finds entries by number.
    view.j_number.setText("RV-2025")
    view._search_now()
    assert [r.number for r in view.journal_model.rows()] == ["RV-2025-000001"]


def test_kas_opname_needs_a_note_then_closing_the_day_locks_it(
    qtbot: QtBot, view: KasView, ctx: AppContext, book: Book, seen: Seen
) -> None:
    view.tabs.setCurrentIndex(OPNAME)
    assert view.o_date.value() == DAY
    assert "Rp5.000.000" in view.count_totals.text()
    # Rp4.999.400 counted: Rp600 short. Tab moves down the denominations.
    view.pieces[100_000].setFocus()
    view.pieces[100_000].selectAll()
    qtbot.keyClicks(view.pieces[100_000], "49")
    qtbot.keyClick(view.pieces[100_000], Qt.Key.Key_Tab)
    assert view.focusWidget() is view.pieces[50_000]
    qtbot.keyClicks(view.pieces[50_000], "1")
    view.pieces[20_000].setValue(2)
    view.pieces[5_000].setValue(1)
    view.pieces[2_000].setValue(2)
    view.pieces[200].setValue(2)
    assert view.counted_total() == 4_999_400
    assert "Rp600 (kurang)" in view.count_totals.text()
    assert "tulis catatan" in view.count_note_hint.text()
    assert not view.close_day_button.isEnabled()

    qtbot.mouseClick(view.save_count_button, Qt.MouseButton.LeftButton)
    assert len(seen.refusals) == 1 and "catatan" in seen.refusals[0]
    with read_session(book.sessions) as session:
        assert cash_count.get_count(session, DAY) is None

    qtbot.keyClicks(view.count_note, "uang receh terselip")
    qtbot.keyClick(view.count_note, Qt.Key.Key_Return)  # Enter in the note saves
    assert len(seen.refusals) == 1
    with read_session(book.sessions) as session:
        info = cash_count.get_count(session, DAY)
    assert info is not None and (info.total, info.difference) == (4_999_400, -600)
    assert view.close_day_button.isEnabled() and view.count_print_button.isEnabled()

    qtbot.mouseClick(view.close_day_button, Qt.MouseButton.LeftButton)
    assert "31/12/2025" in seen.questions[-1]
    assert seen.refusals == [seen.refusals[0]]
    assert "sudah ditutup" in view.count_state.text()
    assert not view.save_count_button.isEnabled() and not view.pieces[100_000].isEnabled()

    qtbot.mouseClick(view.count_print_button, Qt.MouseButton.LeftButton)
    assert seen.counts == [DAY]

    # A later posting on the closed day is refused, through the service and the window.
    with pytest.raises(PeriodClosed), unit_of_work(book.sessions) as session:
        cashbook.cash_out(session, on=DAY, account="5-306", amount=20_000, memo="Ojek", by=USER)
    before = entries(book)
    dialog = CashEntryDialog(ctx, incoming=False)
    qtbot.addWidget(dialog)
    dialog.account.set_code("5-306")
    qtbot.keyClicks(dialog.amount, "20000")
    qtbot.keyClicks(dialog.memo, "Ojek ke kecamatan")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "sudah ditutup" in seen.refusals[-1] and entries(book) == before


def test_tabs_by_keyboard_and_the_ledger(qtbot: QtBot, view: KasView) -> None:
    assert view.tabs.currentIndex() == BUKU_KAS
    qtbot.keyClick(view.cash_table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == JURNAL
    qtbot.keyClick(view.journal_table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == 2
    assert view.l_account.code() == "1-101"
    assert [(r.number, r.balance) for r in view.ledger_model.rows()] == [
        ("KM-2025-000001", 5_000_000)
    ]
    view.l_account.set_code("3-301")
    assert "saldo normal kredit" in view.ledger_summary.text()
    assert view.ledger_model.data(view.ledger_model.index(0, 5)) == "Rp5.000.000"
    qtbot.keyClick(view.ledger_table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.journal_table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.cash_table, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == BAGAN


def test_chart_of_accounts(qtbot: QtBot, view: KasView, book: Book, seen: Seen) -> None:
    view.tabs.setCurrentIndex(BAGAN)
    codes = [r.code for r in view.chart_model.rows()]
    # A program account cannot be deactivated: the service's sentence is shown.
    view.chart_table.selectRow(codes.index("1-101"))
    qtbot.mouseClick(view.deactivate_button, Qt.MouseButton.LeftButton)
    assert seen.refusals and "dipakai program" in seen.refusals[-1]

    from app.services import accounts

    with unit_of_work(book.sessions) as session:
        accounts.add_account(session, group="beban", code="5-312", name="Beban Sewa", by=USER)
    view.refresh()
    codes = [r.code for r in view.chart_model.rows()]
    view.chart_table.selectRow(codes.index("5-312"))
    qtbot.mouseClick(view.deactivate_button, Qt.MouseButton.LeftButton)
    row = view.selected_account()
    assert row is not None and row.code == "5-312" and not row.active
    assert view.reactivate_button.isEnabled()
    qtbot.mouseClick(view.reactivate_button, Qt.MouseButton.LeftButton)
    row = view.selected_account()
    assert row is not None and row.active


def test_journal_paging_fetches_more(qtbot: QtBot, ctx: AppContext, book: Book, seen: Seen) -> None:
    with unit_of_work(book.sessions) as session:
        for n in range(260):
            cashbook.cash_in(
                session,
                on=date(2025, 12, 2),
                account="4-909",
                amount=1_000 + n,
                memo=f"Jasa {n}",
                by=USER,
            )
    widget = KasView(ctx)
    qtbot.addWidget(widget)
    widget.tabs.setCurrentIndex(JURNAL)
    widget.refresh()
    model = widget.journal_model
    assert model.total == 261 and model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 261 and not model.canFetchMore()
    with read_session(book.sessions) as session:
        assert ledger.journal_list(session, limit=1).total == 261
