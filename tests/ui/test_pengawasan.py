"""Pengawasan as a pengawas sees it (journey 6): reads all, ticks, prints, changes nothing."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from datetime import date

import pypdf
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.actor import Actor
from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger.balances import balance
from app.ledger.chart import KAS
from app.models import AuditRecord, CashCount, JournalEntry, Member, Setting
from app.services import cash_count, cashbook
from app.services.settings import Profile
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.views.pengawasan import PengawasanView
from tests.ui.conftest import Boxes, register_people

USER = "bendahara"
PENGAWAS = Actor("pengawas", "pengawas")


@pytest.fixture(autouse=True)
def no_gc_in_worker_threads() -> Iterator[None]:
    """The checklist loads in a worker thread; a garbage collection started there could free
    Qt objects of earlier tests off the GUI thread (a crash). Collect here, pause, collect after."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture
def profile() -> Profile:
    return Profile(
        name="Koperasi Desa Merah Putih Lambangsari",
        desa="Lambangsari",
        kabupaten="Bekasi",
        ketua="Ahmad Suryana",
        bendahara="Ida Farida",
        ketua_pengawas="Haji Mulyadi",
        anggota_pengawas_1="Nining Sumarni",
        anggota_pengawas_2="Oman Abdurahman",
    )


@pytest.fixture
def pengawas_ctx(book: Book, fixed_today: date) -> AppContext:
    """A small year kept by the bendahara, then opened by the pengawas."""
    writer = AppContext(book=book, user=USER)
    register_people(writer, 5)
    with unit_of_work(book.sessions) as session:
        wrong = cashbook.cash_in(
            session, on=date(2025, 6, 2), account="3-301", amount=500_000, memo="Hibah", by=USER
        )
        cashbook.reverse_entry(
            session, wrong.id, reason="Salah catat hibah", on=date(2025, 6, 3), by=USER
        )
    with unit_of_work(book.sessions) as session:
        cash = balance(session, KAS, on=fixed_today)
        cash_count.record_count(session, fixed_today, {50_000: cash // 50_000}, by=USER)
    return AppContext(book=book, user="pengawas", actor=PENGAWAS)


def footprint(book: Book) -> tuple[object, ...]:
    """Row counts of every table the flow could touch, and the settings' values."""
    with read_session(book.sessions) as session:
        counts = tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (JournalEntry, AuditRecord, CashCount, Member, Setting)
        )
        values = tuple(session.execute(select(Setting.key, Setting.value).order_by(Setting.key)))
    return counts, values


def cell(view: PengawasanView, row: int, column: int) -> str:
    item = view.items.item(row, column)
    assert item is not None
    return item.text()


def test_the_pengawas_loads_ticks_and_prints_the_draft(
    qtbot: QtBot, pengawas_ctx: AppContext, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = pengawas_ctx.book
    before = footprint(book)
    printed: list[tuple[bytes, int]] = []
    monkeypatch.setattr(
        "app.ui.views.pengawasan.show_draft",
        lambda _parent, pdf, year: printed.append((pdf, year)),
    )
    view = PengawasanView(pengawas_ctx)
    qtbot.addWidget(view)
    view.resize(1100, 750)
    view.show()
    view.refresh()
    view.wait_loaded()

    assert view.year.value() == 2025
    assert view.report is not None and view.report.year == 2025
    assert "Sesi pengawas: hanya membaca" in view.session_note.text()
    assert view.items.rowCount() == 6
    assert cell(view, 0, 1) == "Kas opname dilakukan"
    assert "Kas opname Desember 2025: ada (31/12/2025)" in cell(view, 0, 3)
    assert cell(view, 1, 2) == "Baik"  # the chain is whole
    assert view.sample.rowCount() == 5  # fewer than ten members: all of them
    assert view.reversals.rowCount() == 1
    assert view.details.tabText(3) == "Jurnal pembalik (1)"
    assert view.wajib.rowCount() == 5  # nobody paid wajib this year
    assert view.print_button.isEnabled()

    view.set_checked("kas_opname", True)
    view.set_checked("rantai", True)
    view.set_checked("rantai", False)
    view.set_checked("pembalikan", True)
    assert view.checked == {"kas_opname": True, "rantai": False, "pembalikan": True}
    view.notes.setPlainText("Buku kas dan bukti pembalikan hibah sudah dicocokkan.")
    view.print_button.click()

    assert len(printed) == 1
    pdf, year = printed[0]
    assert year == 2025
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    pages = len(reader.pages)
    assert "LAPORAN HASIL PENGAWASAN" in text
    assert "Tahun Buku 2025" in text and "01/01/2025 s.d. 31/12/2025" in text
    assert "Undang-Undang Nomor 25 Tahun 1992" in text
    assert "Sampel kartu anggota" in text and "Cocok / tidak" in text
    assert "Asep Saepudin" in text
    assert "Tunggakan simpanan wajib" in text and "Tunggakan pinjaman" in text
    assert "Salah catat hibah" in text  # the reversal's reason, in its table
    assert "Buku kas dan bukti pembalikan hibah sudah dicocokkan." in text
    assert "Kesimpulan dan saran" in text
    assert "Lambangsari, 31 Desember 2025" in text
    for name in ("Haji Mulyadi", "Nining Sumarni", "Oman Abdurahman"):
        assert name in text
    assert "Ketua Pengawas" in text and "Anggota Pengawas" in text
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert text.count("\u2611") == 2 and text.count("\u2610") == 4  # two ticked, four open

    # Nothing was written by any of it: not the reading, not the ticks, not the printing.
    assert boxes.refusals == []
    assert footprint(book) == before


def test_a_pengawas_session_opens_on_pengawasan(
    qtbot: QtBot, pengawas_ctx: AppContext, boxes: Boxes
) -> None:
    before = footprint(pengawas_ctx.book)
    window = MainWindow(pengawas_ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.wait(20)  # the window's focus settles: the sidebar must not pick Beranda
    view = window.stack.currentWidget()
    assert isinstance(view, PengawasanView)
    view.wait_loaded()
    assert view.report is not None
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert "Pengawasan" in menus
    beranda = window.screen_for("beranda")  # built behind it at start; let its read finish
    beranda.wait_loaded()  # type: ignore[attr-defined]
    assert footprint(pengawas_ctx.book) == before


def test_other_roles_reach_it_from_the_menu(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes, fixed_today: date
) -> None:
    register_people(ctx, 2)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert not isinstance(window.stack.currentWidget(), PengawasanView)
    window.supervision_action.trigger()
    view = window.stack.currentWidget()
    assert isinstance(view, PengawasanView)
    view.wait_loaded()
    assert "Sesi pengawas" not in view.session_note.text()
    assert view.sample.rowCount() == 2
    window.screen_for("beranda").wait_loaded()  # type: ignore[attr-defined]
