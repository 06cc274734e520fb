"""The Anggota screen: search as you type, paging and sorting in SQL, the detail panel."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.db import read_session, unit_of_work
from app.models import Member
from app.services import members, savings
from app.ui.qtmodels.members_model import PAGE, MembersModel
from app.ui.views.anggota import AnggotaView
from tests.ui.conftest import USER, register_people


def make_view(qtbot, ctx) -> AnggotaView:
    view = AnggotaView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    return view


def names(view: AnggotaView) -> list[str]:
    return [view.model.index(row, 1).data() for row in range(view.model.rowCount())]


def test_search_narrows_the_table_as_you_type(qtbot, ctx, boxes):
    register_people(ctx)
    view = make_view(qtbot, ctx)
    assert view.model.rowCount() == 5
    assert view.count_label.text() == "5 anggota"

    with qtbot.waitActive(view):
        view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search_edit.hasFocus()
    qtbot.keyClicks(view.search_edit, "s")
    assert len(names(view)) == 4  # every name with an "s" (Dedi Kurniawan has none)
    qtbot.keyClicks(view.search_edit, "it")
    assert names(view) == ["Siti Aminah"]
    assert view.count_label.text() == "1 anggota"
    # The first match is shown in the detail panel at once.
    assert view.detail is not None and view.detail.name == "Siti Aminah"
    assert view.balance_values["pokok"].text() == "Rp50.000"

    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "0003")  # by number
    assert names(view) == ["Dedi Kurniawan"]
    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "0812-9876")  # by phone, typed the way it is written
    assert names(view) == ["Ujang Sutisna"]
    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "zzz")
    assert names(view) == []
    assert view.detail is None and not view.edit_button.isEnabled()


def test_status_filter_and_focus_item_of_a_member_who_left(qtbot, ctx, boxes):
    ids = register_people(ctx)
    with unit_of_work(ctx.sessions) as session:
        members.exit_member(session, ids[2], on=date(2025, 2, 1), reason="Pindah", by=USER)
    view = make_view(qtbot, ctx)
    assert "Dedi Kurniawan" not in names(view)  # Aktif by default
    view.focus_item(ids[2])  # the filter widens to show him
    assert view.status_combo.currentText() == "Semua"
    assert view.detail is not None and view.detail.status == "keluar"
    assert not view.exit_button.isEnabled() and not view.deposit_button.isEnabled()
    assert "Pindah" in view.header_label.text()


def test_detail_shows_balances_arrears_and_history(qtbot, ctx, boxes, fixed_today):
    (member_id,) = register_people(ctx, 1)
    with unit_of_work(ctx.sessions) as session:
        savings.deposit(
            session, member_id, {"wajib": 40_000, "sukarela": 25_000}, on=date(2025, 3, 1), by=USER
        )
    view = make_view(qtbot, ctx)
    view.focus_item(member_id)
    assert view.balance_values["total"].text() == "Rp115.000"
    # Joined January 2025, due to December: 12 x 20.000, 40.000 paid.
    assert view.arrears_label.text() == "10 bln · Rp200.000"
    assert view.history_model.rowCount() == 2
    newest = view.history_model.index(0, 4).data()
    assert newest == "Rp40.000"
    # The newest row is selected, so "Cetak kwitansi" prints it.
    view.receipt_button.click()
    assert boxes.receipts == [view.history_model.entry_id(0)]


def test_enter_in_the_table_opens_edit(qtbot, ctx, boxes, monkeypatch):
    register_people(ctx, 2)
    opened: list[int] = []
    monkeypatch.setattr(
        "app.ui.dialogs.member_form.open_edit", lambda _c, _p, member_id: opened.append(member_id)
    )
    view = make_view(qtbot, ctx)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [2]


def test_model_pages_and_sorts_in_sql(qtbot, ctx):
    register_people(ctx, PAGE + 30)
    model = MembersModel(ctx)
    model.reload()
    assert model.total == PAGE + 30
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE + 30 and not model.canFetchMore()

    model.sort(1, Qt.SortOrder.DescendingOrder)
    with read_session(ctx.sessions) as session:
        expected = sorted((m.name for m in session.query(Member)), reverse=True)[:PAGE]
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == expected
    before = model.sort_column
    model.sort(2)  # NIK: SQL cannot sort by it, nothing changes
    assert model.sort_column == before
    assert model.row_of(1, fetch=True) >= PAGE  # found by loading the next page
