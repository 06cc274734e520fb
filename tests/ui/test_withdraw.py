"""Sukarela withdrawal: a refused withdrawal shows the service's sentence and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import member_savings
from app.ledger.chart import SIMPANAN_SUKARELA
from app.models import JournalEntry
from app.services import members, savings
from app.ui.context import AppContext
from app.ui.dialogs.withdraw import WithdrawDialog, open_withdraw

USER = "bendahara"


@pytest.fixture
def ctx(book: Book, fixed_today: date) -> AppContext:
    return AppContext(book=book, user=USER)


@pytest.fixture
def siti(ctx: AppContext) -> int:
    with unit_of_work(ctx.sessions) as session:
        data = members.MemberInput(nik="3216015208850002", name="Siti", sex="P")
        member_id = members.register(session, data, joined_on=date(2025, 7, 10), by=USER).member_id
        savings.deposit(session, member_id, {"sukarela": 150_000}, on=date(2025, 8, 1), by=USER)
    return member_id


def _entries(ctx: AppContext) -> int:
    with read_session(ctx.sessions) as session:
        return int(session.scalar(select(func.count(JournalEntry.id))) or 0)


def test_withdrawal_above_the_balance_is_refused_and_nothing_is_written(
    qtbot: QtBot, ctx: AppContext, siti: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: refusals.append(str(e)))
    before = _entries(ctx)
    dialog = WithdrawDialog(ctx, None, member_id=siti)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Rp150.000" in dialog.panel.status.text()  # what can be withdrawn
    qtbot.keyClicks(dialog.amount, "200.000")
    assert "Melebihi" in dialog.warning.text()
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert refusals == [
        "Saldo simpanan sukarela Siti hanya Rp150.000; penarikan Rp200.000 ditolak."
    ]
    assert dialog.isVisible() and dialog.entry_id is None  # she can correct the amount
    assert _entries(ctx) == before
    with read_session(ctx.sessions) as session:
        assert member_savings(session, siti)[SIMPANAN_SUKARELA] == 150_000


def test_withdrawal_within_the_balance_posts_and_opens_the_receipt(
    qtbot: QtBot, ctx: AppContext, siti: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.show_receipt",
        lambda _c, _p, entry_id: shown.append(entry_id),
    )

    def counter() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, WithdrawDialog)
            qtbot.keyClicks(dialog.amount, "50000")
            qtbot.keyClicks(dialog.note, "biaya sekolah")
            qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, counter)
    entry_id = open_withdraw(ctx, None, member_id=siti)
    assert entry_id is not None and shown == [entry_id]
    with read_session(ctx.sessions) as session:
        assert member_savings(session, siti)[SIMPANAN_SUKARELA] == 100_000
        memo = session.get(JournalEntry, entry_id).memo  # type: ignore[union-attr]
    assert memo.endswith("biaya sekolah")
