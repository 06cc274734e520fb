"""Journey 3: Simpanan > Tagih Wajib, tick who paid, save once, print their receipts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.models import JournalEntry
from app.queries.savings import wajib_due
from app.services import members
from app.ui.context import AppContext
from app.ui.qtmodels.savings_models import CollectModel
from app.ui.views.simpanan import SimpananView

USER = "bendahara"
PEOPLE = (
    ("Asep Sunarya", "3216011205800001", "L", date(2025, 11, 3)),  # owes Nov + Dec
    ("Siti Aminah", "3216015208850002", "P", date(2025, 12, 1)),  # owes Dec
    ("Dedi Kurniawan", "3216010101900003", "L", date(2025, 12, 1)),  # owes Dec
)


@pytest.fixture
def ctx(book: Book, fixed_today: date) -> AppContext:
    return AppContext(book=book, user=USER)


@pytest.fixture
def member_ids(ctx: AppContext) -> list[int]:
    ids = []
    with unit_of_work(ctx.sessions) as session:
        for name, nik, sex, joined in PEOPLE:
            data = members.MemberInput(nik=nik, name=name, sex=sex, dusun="Kaum")
            ids.append(members.register(session, data, joined_on=joined, by=USER).member_id)
    return ids


@pytest.fixture
def view(qtbot: QtBot, ctx: AppContext, member_ids: list[int]) -> SimpananView:
    screen = SimpananView(ctx)
    qtbot.addWidget(screen)
    ctx.bus.data_changed.connect(screen.refresh)  # what the main window does for the visible screen
    screen.show()
    screen.refresh()  # the main window refreshes a screen when it shows it
    screen.tabs.setCurrentIndex(1)  # Tagih Wajib
    return screen


def _wajib_entries(ctx: AppContext) -> list[tuple[int | None, str]]:
    with read_session(ctx.sessions) as session:
        rows = session.execute(
            select(JournalEntry.member_id, JournalEntry.memo)
            .where(JournalEntry.memo.like("Simpanan wajib%"))
            .order_by(JournalEntry.id)
        )
        return [(member_id, memo) for member_id, memo in rows]


def test_tick_two_of_three_and_save_once(
    qtbot: QtBot,
    ctx: AppContext,
    member_ids: list[int],
    view: SimpananView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asep, siti, dedi = member_ids
    refusals: list[str] = []
    printed: list[list[int]] = []
    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: refusals.append(str(e)))
    monkeypatch.setattr("app.ui.prompts.confirm", lambda *_a, **_k: True)
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.show_receipts",
        lambda _c, _p, ids: printed.append(list(ids)),
    )
    changes: list[bool] = []
    ctx.bus.data_changed.connect(lambda: changes.append(True))

    assert view.tabs.currentIndex() == 1
    assert view.selected_month() == (2025, 12)
    model = view.collect_model
    assert model.rowCount() == 3
    assert [model.member_id(r) for r in range(3)] == [asep, siti, dedi]
    assert model.index(0, CollectModel.ARREARS).data() == "Rp40.000"
    assert model.index(0, CollectModel.MONTHS).data() == "2 (Nov – Des 2025)"

    table = view.collect_table
    table.setFocus()
    table.setCurrentIndex(model.index(0, CollectModel.NAME))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    table.setCurrentIndex(model.index(2, CollectModel.NAME))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert [model.is_checked(r) for r in range(3)] == [True, False, True]
    assert model.summary() == (2, 3, 60_000)  # Asep's two months + Dedi's one
    assert "Rp60.000" in view.summary.text()

    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    assert refusals == []
    assert changes == [True]  # one action, one unit of work
    entries = _wajib_entries(ctx)
    assert [member for member, _memo in entries] == [asep, dedi]
    assert all("Desember 2025" in memo for _member, memo in entries)
    assert len(printed) == 1 and len(printed[0]) == 2
    with read_session(ctx.sessions) as session:
        still_due = wajib_due(session, 2025, 12)
    assert [(d.member_id, d.arrears) for d in still_due] == [(siti, 20_000)]
    assert [model.member_id(r) for r in range(model.rowCount())] == [siti]  # the list refreshed


def test_typed_amount_is_what_is_saved(
    qtbot: QtBot,
    ctx: AppContext,
    member_ids: list[int],
    view: SimpananView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asep = member_ids[0]
    monkeypatch.setattr("app.ui.prompts.confirm", lambda *_a, **_k: False)
    model = view.collect_model
    # Asep paid one month only: typing the amount ticks him.
    assert model.setData(model.index(0, CollectModel.PAID), "20.000")
    assert model.payments() == [(asep, 20_000)]
    assert not model.setData(model.index(0, CollectModel.PAID), "dua puluh")
    assert "bukan angka rupiah" in view.message.text()
    view.save_collection()
    with read_session(ctx.sessions) as session:
        due = {d.member_id: d for d in wajib_due(session, 2025, 12)}
    assert due[asep].arrears == 20_000 and due[asep].unpaid_months == ((2025, 12),)


def test_one_bad_payment_refuses_the_whole_batch(
    qtbot: QtBot,
    ctx: AppContext,
    member_ids: list[int],
    view: SimpananView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusals: list[str] = []
    monkeypatch.setattr("app.ui.actions.show_refusal", lambda _p, e: refusals.append(str(e)))
    confirm_calls: list[Sequence[object]] = []
    monkeypatch.setattr("app.ui.prompts.confirm", lambda *a, **_k: confirm_calls.append(a) or True)
    view.pay_date.set_value(date(2025, 11, 20))  # before Siti and Dedi joined
    qtbot.mouseClick(view.check_all_button, Qt.MouseButton.LeftButton)
    assert view.collect_model.summary()[0] == 3
    assert view.save_collection() == []
    assert len(refusals) == 1 and "sebelum" in refusals[0]
    assert confirm_calls == []
    assert _wajib_entries(ctx) == []  # Asep's valid payment was not written either
    assert view.collect_model.summary()[0] == 3  # ticks kept so she can fix the date
