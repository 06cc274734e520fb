"""Ending a membership from its dialog posts one settling entry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.db import read_session, unit_of_work
from app.ledger.balances import account_totals
from app.ledger.chart import KAS, UTANG_ANGGOTA_KELUAR
from app.queries.members import member_detail, member_history
from app.services import savings
from app.ui.dialogs.member_exit import MemberExitDialog
from tests.ui.conftest import USER, register_people


def make_member(ctx) -> int:
    (member_id,) = register_people(ctx, 1)
    with unit_of_work(ctx.sessions) as session:
        savings.deposit(
            session, member_id, {"wajib": 60_000, "sukarela": 90_000}, on=date(2025, 3, 1), by=USER
        )
    return member_id


def open_exit(qtbot, ctx, member_id: int) -> MemberExitDialog:
    dialog = MemberExitDialog(ctx, None, member_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_exit_pays_the_savings_in_cash(qtbot, ctx, boxes, fixed_today):
    member_id = make_member(ctx)
    dialog = open_exit(qtbot, ctx, member_id)
    assert dialog.refund_label.text() == "<b>Rp200.000</b>"
    assert not dialog.decision_edit.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "Pindah ke Karawang")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    assert boxes.refusals == []
    assert "Rp200.000 dibayar tunai" in boxes.questions[0]
    assert dialog.result() == MemberExitDialog.DialogCode.Accepted
    with read_session(ctx.sessions) as s:
        detail = member_detail(s, member_id)
        history = member_history(s, member_id)
        totals = account_totals(s)
    assert (detail.status, detail.status_date) == ("keluar", fixed_today)
    assert detail.status_reason == "Pindah ke Karawang"
    assert detail.total_savings == 0
    last = history[-1]
    assert (last.kind, last.pokok, last.wajib, last.sukarela) == ("KL", -50_000, -60_000, -90_000)
    assert totals.get(KAS, 0) == 0  # 200.000 in, 200.000 back out
    # The settlement's receipt was offered and printed.
    assert boxes.receipts == [last.entry_id]


def test_exit_as_payable_and_reason_required(qtbot, ctx, boxes, fixed_today, monkeypatch):
    member_id = make_member(ctx)
    dialog = open_exit(qtbot, ctx, member_id)
    dialog.payable_radio.setChecked(True)
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # no reason yet
    assert boxes.refusals == ["Tulis alasan anggota keluar."]
    with read_session(ctx.sessions) as s:
        assert member_detail(s, member_id).status == "aktif"

    qtbot.keyClicks(dialog.reason_edit, "Meninggal dunia")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("meninggal"))
    assert dialog.heir_label.isVisible()
    answers = iter([True, False])  # "Ya, proses"; then "Nanti saja" for the receipt
    boxes.questions.clear()

    def confirm(_parent, _title, text, **_kwargs):
        boxes.questions.append(text)
        return next(answers)

    monkeypatch.setattr("app.ui.prompts.confirm", confirm)
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert len(boxes.questions) == 2 and boxes.receipts == []
    with read_session(ctx.sessions) as s:
        assert member_detail(s, member_id).status == "meninggal"
        totals = account_totals(s)
    assert totals.get(UTANG_ANGGOTA_KELUAR, 0) == -200_000
    assert totals.get(KAS, 0) == 200_000
