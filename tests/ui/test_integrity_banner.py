"""The red banner of a broken journal chain, the Buku menu, and the audit screen's filters."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import read_session, unit_of_work
from app.models import AuditRecord
from app.services import integrity, savings, settings
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.views.audit import AuditView
from tests.ui.conftest import USER, Boxes, register_people


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What inform() and warn() would have shown."""
    seen: list[str] = []
    monkeypatch.setattr("app.ui.prompts.inform", lambda _p, _t, text: seen.append(text))
    monkeypatch.setattr("app.ui.safety.warn", lambda _p, _t, text, **_kw: seen.append(text))
    return seen


@pytest.fixture
def window(qtbot, ctx: AppContext, boxes: Boxes, fixed_today: date) -> MainWindow:
    ids = register_people(ctx, 2)
    for n in range(12):
        with unit_of_work(ctx.sessions) as session:
            savings.deposit(session, ids[n % 2], {"sukarela": 5_000 + n}, on=fixed_today, by=USER)
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.safety.stop()


def _tamper(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("DROP TRIGGER IF EXISTS journal_line_no_update")
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _start_check(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.safety.checked, timeout=20_000):
        window.safety.start(daily_backup=False)


def test_a_whole_book_shows_no_banner_and_gets_a_checkpoint(qtbot, window: MainWindow) -> None:
    _start_check(qtbot, window)
    assert window.integrity_banner.isHidden()
    with read_session(window.ctx.sessions) as session:
        checkpoint = integrity.load_checkpoint(session)
    assert checkpoint is not None and checkpoint.entry_id == 14  # 2 registrations + 12 deposits


def test_an_edit_behind_the_programs_back_raises_the_red_banner(qtbot, window: MainWindow) -> None:
    _start_check(qtbot, window)  # a checkpoint at the last entry
    _tamper(window.ctx.book.path, "UPDATE journal_line SET amount = amount - 1 WHERE id = 7")
    _start_check(qtbot, window)
    assert window.integrity_banner.isVisible()
    text = window.integrity_banner.text()
    assert text.startswith("Rantai jurnal rusak: ")
    assert "Periksa buku" in text and "pengawas" in text


def test_periksa_buku_lists_the_problems_and_a_clean_check_lowers_the_banner(
    qtbot, window: MainWindow, notes: list[str]
) -> None:
    window.show_integrity_warning("Rantai jurnal rusak: uji")
    window.safety.actions["check"].trigger()
    assert window.integrity_banner.isHidden()
    assert "Buku utuh" in notes[-1]

    _tamper(window.ctx.book.path, "UPDATE journal_line SET amount = amount + 500 WHERE id = 9")
    window.safety.actions["check"].trigger()
    assert "masalah ditemukan" in notes[-1] and "selisih Rp500" in notes[-1]
    assert window.integrity_banner.isVisible()


def test_backup_now_and_restore_from_the_window(
    qtbot, window: MainWindow, notes: list[str], boxes: Boxes
) -> None:
    ctx = window.ctx
    window.safety.actions["backup"].trigger()
    made = list((ctx.book.path.parent / "cadangan").glob("buku-*-manual.sqlite"))
    assert len(made) == 1 and str(made[0]) in notes[-1]

    with unit_of_work(ctx.sessions) as session:
        savings.deposit(session, 1, {"sukarela": 77_000}, on=date(2025, 12, 31), by=USER)
    refreshed: list[bool] = []
    ctx.bus.data_changed.connect(lambda: refreshed.append(True))
    assert window.safety.restore_from_file(made[0]) is True
    qtbot.waitUntil(lambda: not window.safety.busy(), timeout=20_000)
    assert boxes.questions and "akan diganti" in boxes.questions[-1]
    assert refreshed and "Buku dipulihkan" in notes[-1]
    with read_session(ctx.sessions) as session:
        actions = list(session.scalars(select(AuditRecord.action)))
    assert "buku.pulihkan" in actions


def test_a_broken_restore_file_is_refused_from_the_window(
    qtbot, window: MainWindow, boxes: Boxes, tmp_path: Path
) -> None:
    bad = tmp_path / "rusak.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    assert window.safety.restore_from_file(bad) is False
    assert boxes.refusals and "tidak dapat dipulihkan" in boxes.refusals[-1]
    assert not boxes.questions  # refused before asking


def test_jejak_audit_opens_from_the_buku_menu(qtbot, window: MainWindow) -> None:
    window.safety.actions["audit"].trigger()
    assert isinstance(window.stack.currentWidget(), AuditView)
    assert window.sidebar.currentRow() == -1
    window.show_screen("beranda")
    assert window.sidebar.currentRow() == 0


# -- the audit screen ---------------------------------------------------------------


@pytest.fixture
def audited(ctx: AppContext, fixed_today: date) -> AppContext:
    with unit_of_work(ctx.sessions) as session:
        profile = settings.get_profile(session)
        settings.save_profile(session, replace(profile, phone="0812"), by="ketua")
        for n, (when, user, action, entity) in enumerate(
            [
                (datetime(2025, 1, 5, 9, 0), "kasir", "anggota.daftar", "member"),
                (datetime(2025, 2, 10, 10, 0), "kasir", "anggota.ubah", "member"),
                (datetime(2025, 3, 15, 11, 0), "bendahara", "jurnal.balik", "journal_entry"),
                (datetime(2025, 3, 20, 12, 0), "bendahara", "anggota.ubah", "member"),
            ],
            start=1,
        ):
            session.add(
                AuditRecord(
                    at=when,
                    username=user,
                    action=action,
                    entity=entity,
                    entity_id=n,
                    before='{"alamat": "Krajan"}' if action == "anggota.ubah" else "",
                    after='{"alamat": "Sukamaju"}' if action == "anggota.ubah" else "",
                    note="",
                )
            )
    return ctx


def test_audit_view_filters_by_user_action_entity_and_dates(qtbot, audited: AppContext) -> None:
    view = AuditView(audited)
    qtbot.addWidget(view)
    view.show()
    everything = view.model.total
    assert everything >= 6  # buku.buat, the profile change, the four above
    assert view.count_label.text() == f"{everything} catatan"

    view.set_filter(user="kasir")
    assert view.model.total == 2
    view.set_filter(action="anggota.ubah")
    assert view.model.total == 1  # kasir and anggota.ubah
    view.user_combo.setCurrentIndex(0)  # "Semua" users again
    assert view.model.total == 2
    view.reset_filters()
    view.set_filter(entity="journal_entry")
    assert view.model.total == 1
    view.reset_filters()
    view.set_filter(start=date(2025, 2, 1), end=date(2025, 3, 16))
    assert view.model.total == 2  # 10 Feb and 15 Mar
    assert view.model.data(view.model.index(0, 0)) == "15/03/2025 11:00:00"

    view.reset_filters()
    view.set_filter(action="anggota.ubah")
    view.table.selectRow(0)
    assert view.detail.rowCount() == 1
    assert [view.detail.item(0, c).text() for c in range(3)] == ["alamat", "Krajan", "Sukamaju"]
    assert view.model.data(view.model.index(0, 4)) == "alamat: Krajan → Sukamaju"
    assert view.model.data(view.model.index(0, 2)) == "Data anggota diubah"

    view.reset_filters()
    view.set_filter(user="ketua")
    assert view.model.total == 1
    view.table.selectRow(0)
    assert view.detail.item(0, 0).text() == "phone"
    assert view.detail.item(0, 2).text() == "0812"
