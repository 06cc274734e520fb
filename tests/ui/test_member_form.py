"""Registering and editing a member by keyboard, through the real services."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db import read_session
from app.models import AuditRecord
from app.queries.members import count_members, member_detail, member_history, search_members
from app.ui.dialogs.member_form import MemberFormDialog
from tests.ui.conftest import register_people


def type_member(qtbot, dialog: MemberFormDialog, nik: str) -> None:
    qtbot.keyClicks(dialog.nik_edit, nik)
    qtbot.keyClicks(dialog.name_edit, "Siti  Aminah")
    qtbot.keyClick(dialog.sex_combo, Qt.Key.Key_P)
    qtbot.keyClicks(dialog.birth_date_edit, "20/10/1990")
    qtbot.keyClicks(dialog.phone_edit, "0812-3456-7890")
    qtbot.keyClicks(dialog.dusun_edit, "Sukamaju")
    qtbot.keyClicks(dialog.heir_name_edit, "Ujang")


def open_form(qtbot, ctx, member_id: int = 0) -> MemberFormDialog:
    dialog = MemberFormDialog(ctx, None, member_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_register_by_typing_and_enter(qtbot, ctx, boxes, fixed_today):
    boxes.answer = True  # yes, print the pokok receipt
    dialog = open_form(qtbot, ctx)
    assert "Rp50.000" in dialog.pokok_label.text()
    type_member(qtbot, dialog, "3273056010900009")
    assert dialog.nik_status.text().startswith("✓")
    qtbot.keyClick(dialog.heir_name_edit, Qt.Key.Key_Return)

    assert boxes.refusals == []
    assert dialog.result() == MemberFormDialog.DialogCode.Accepted
    with read_session(ctx.sessions) as s:
        (row,) = search_members(s, "aminah", status=None)
        detail = member_detail(s, row.id)
        history = member_history(s, row.id)
    assert (row.number, row.name, row.sex, row.phone) == (
        "0001",
        "Siti Aminah",
        "P",
        "+6281234567890",
    )
    assert detail.birth_date == date(1990, 10, 20)
    assert detail.joined_on == fixed_today
    assert detail.pokok == 50_000
    assert [(h.kind, h.pokok, h.date) for h in history] == [("ST", 50_000, fixed_today)]
    # The receipt of the pokok was offered and, answered yes, shown for that entry.
    assert boxes.receipts == [history[0].entry_id]
    assert dialog.registered is not None and dialog.registered.member_id == row.id


def test_invalid_nik_shows_the_message_and_writes_nothing(qtbot, ctx, boxes):
    dialog = open_form(qtbot, ctx)
    type_member(qtbot, dialog, "9973056010900009")
    # The live check already says it, in red.
    assert "Kode provinsi" in dialog.nik_status.text()
    assert "#b3261e" in dialog.nik_status.styleSheet()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    assert len(boxes.refusals) == 1
    assert "Kode provinsi" in boxes.refusals[0]
    assert dialog.isVisible() and dialog.result() != MemberFormDialog.DialogCode.Accepted
    with read_session(ctx.sessions) as s:
        assert count_members(s) == 0
    assert boxes.receipts == []


def test_short_nik_is_counted_while_typing(qtbot, ctx, boxes):
    dialog = open_form(qtbot, ctx)
    qtbot.keyClicks(dialog.nik_edit, "32730")
    assert dialog.nik_status.text() == "5 dari 16 angka"


def test_nik_already_used_is_said_live(qtbot, ctx, boxes):
    register_people(ctx, 1)
    with read_session(ctx.sessions) as s:
        nik = member_detail(s, 1).nik
    dialog = open_form(qtbot, ctx)
    qtbot.keyClicks(dialog.nik_edit, nik)
    assert "sudah dipakai oleh anggota 0001" in dialog.nik_status.text()


def test_nik_warning_asks_before_saving(qtbot, ctx, boxes, fixed_today):
    boxes.answer = False  # "Periksa lagi"
    dialog = open_form(qtbot, ctx)
    type_member(qtbot, dialog, "3273056010900009")
    dialog.birth_date_edit.setText("21/10/1990")  # the NIK says the 20th
    assert "#9a5b00" in dialog.nik_status.styleSheet()  # amber
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert len(boxes.questions) == 1 and "lahir 20/10/1990" in boxes.questions[0]
    with read_session(ctx.sessions) as s:
        assert count_members(s) == 0
    boxes.answer = True  # "Tetap simpan"; then "Nanti saja" is not asked again: yes prints
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    with read_session(ctx.sessions) as s:
        assert count_members(s) == 1


def test_edit_member_records_before_and_after(qtbot, ctx, boxes):
    (member_id,) = register_people(ctx, 1)
    dialog = open_form(qtbot, ctx, member_id)
    assert dialog.name_edit.text() == "Asep Saepudin"
    assert not dialog.joined_edit.isVisible()
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "Asep Saepudin Hidayat")
    qtbot.keyClicks(dialog.occupation_edit, "Petani")
    qtbot.keyClick(dialog.occupation_edit, Qt.Key.Key_Return)

    assert boxes.refusals == []
    assert dialog.result() == MemberFormDialog.DialogCode.Accepted
    with read_session(ctx.sessions) as s:
        entity_id, before, after = s.execute(
            select(AuditRecord.entity_id, AuditRecord.before, AuditRecord.after).where(
                AuditRecord.action == "anggota.ubah"
            )
        ).one()
        detail = member_detail(s, member_id)
    assert detail.name == "Asep Saepudin Hidayat"
    assert entity_id == member_id
    assert json.loads(before) == {"name": "Asep Saepudin", "occupation": ""}
    assert json.loads(after) == {"name": "Asep Saepudin Hidayat", "occupation": "Petani"}


def test_escape_cancels_without_writing(qtbot, ctx, boxes):
    dialog = open_form(qtbot, ctx)
    type_member(qtbot, dialog, "3273056010900009")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert dialog.result() == MemberFormDialog.DialogCode.Rejected
    with read_session(ctx.sessions) as s:
        assert count_members(s) == 0
