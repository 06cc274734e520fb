"""Journey 2 at the counter: F2, type "asep", Enter, amounts, Enter -> one entry and a receipt."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import member_savings
from app.ledger.chart import SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.queries.receipts import receipt
from app.queries.savings import counter_info
from app.services import members
from app.ui.context import AppContext
from app.ui.dialogs.deposit import DepositDialog, open_deposit

USER = "bendahara"

# The member picker's suggestion list is a popup; the offscreen platform warns about it.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


def _register(book: Book, name: str, nik: str, sex: str, joined: date) -> int:
    with unit_of_work(book.sessions) as session:
        data = members.MemberInput(nik=nik, name=name, sex=sex, dusun="Kaum")
        return members.register(session, data, joined_on=joined, by=USER).member_id


@pytest.fixture
def ctx(book: Book, fixed_today: date) -> AppContext:
    return AppContext(book=book, user=USER)


@pytest.fixture
def asep(book: Book, ctx: AppContext) -> int:
    # Joined in November: on 31/12/2025 he owes wajib for November and December.
    _register(book, "Siti Aminah", "3216015208850002", "P", date(2025, 7, 10))
    return _register(book, "Asep Sunarya", "3216011205800001", "L", date(2025, 11, 3))


def test_deposit_by_keyboard_posts_one_entry_and_opens_the_receipt(
    qtbot: QtBot, ctx: AppContext, asep: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    refusals: list[str] = []
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.show_receipt",
        lambda _c, _p, entry_id: shown.append(entry_id),
    )
    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: refusals.append(str(e)))
    seen: dict[str, object] = {}
    changes: list[bool] = []
    ctx.bus.data_changed.connect(lambda: changes.append(True))

    def counter() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, DepositDialog)
            qtbot.keyClicks(dialog.picker, "asep")
            qtbot.keyClick(dialog.picker, Qt.Key.Key_Return)
            seen["member"] = dialog.picker.member_id()
            seen["focus"] = dialog.focusWidget() is dialog.months
            seen["months"] = dialog.months.value()
            seen["wajib"] = dialog.wajib.text()
            qtbot.keyClicks(dialog.sukarela, "60000")
            seen["total"] = dialog.total.text()
            seen["words"] = dialog.words.text()
            qtbot.keyClick(dialog.sukarela, Qt.Key.Key_Return)  # Enter saves
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, counter)
    entry_id = open_deposit(ctx, None)

    assert refusals == []
    assert seen == {
        "member": asep,
        "focus": True,
        "months": 2,  # November and December owed
        "wajib": "40.000",
        "total": "Rp100.000",
        "words": "Seratus ribu rupiah",
    }
    assert entry_id is not None
    assert shown == [entry_id]
    assert changes == [True]
    with read_session(ctx.sessions) as session:
        kwitansi = receipt(session, entry_id)
        balances = member_savings(session, asep)
    assert kwitansi.member_name == "Asep Sunarya"
    assert {(line.label, line.amount) for line in kwitansi.lines} == {
        ("Simpanan Wajib", 40_000),
        ("Simpanan Sukarela", 60_000),
    }
    assert kwitansi.total == 100_000
    assert balances[SIMPANAN_WAJIB] == 40_000
    assert balances[SIMPANAN_SUKARELA] == 60_000


def test_wajib_months_fill_the_amount_and_say_which_months(
    qtbot: QtBot, ctx: AppContext, asep: int
) -> None:
    dialog = DepositDialog(ctx, None, member_id=asep)
    qtbot.addWidget(dialog)
    assert dialog.months.value() == 2
    dialog.months.setValue(3)
    assert dialog.wajib.amount() == 60_000
    assert "November 2025 – Januari 2026" in dialog.wajib_note.text()
    dialog.months.setValue(0)
    assert dialog.wajib.amount() == 0
    assert not dialog.pokok.isEnabled()  # paid when he joined


def test_deposit_without_amounts_is_refused_and_writes_nothing(
    qtbot: QtBot, ctx: AppContext, asep: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: refusals.append(str(e)))
    dialog = DepositDialog(ctx, None, member_id=asep)
    qtbot.addWidget(dialog)
    dialog.months.setValue(0)
    dialog.sukarela.setText("12,50")  # cents are refused with a sentence
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(refusals) == 1 and "sen" in refusals[0]
    dialog.sukarela.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(refusals) == 2 and "Isi jumlah setoran" in refusals[1]
    assert dialog.entry_id is None
    with read_session(ctx.sessions) as session:
        assert member_savings(session, asep)[SIMPANAN_SUKARELA] == 0


def test_counter_info_plans_wajib_from_the_oldest_unpaid_month(ctx: AppContext, asep: int) -> None:
    with read_session(ctx.sessions) as session:
        info = counter_info(session, asep, date(2025, 12, 31))
    assert (info.months_owed, info.arrears, info.monthly_wajib) == (2, 40_000, 20_000)
    amount, first, last = info.wajib_plan(4)
    assert amount == 80_000
    assert first is not None and (first.year, first.month) == (2025, 11)
    assert last is not None and (last.year, last.month) == (2026, 2)
    assert info.paid_through is None
