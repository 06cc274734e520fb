"""The import wizard (issue 7): choose, check in a thread, see every problem, import or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.db import read_session
from app.ledger.balances import account_totals
from app.models import JournalEntry, Loan, Member
from app.ui import safety
from app.ui.context import AppContext
from app.ui.dialogs import import_wizard
from app.ui.dialogs.import_wizard import ImportWizard
from app.ui.main_window import MainWindow
from tests.conftest import SHARED

pytestmark = pytest.mark.usefixtures("fixed_today")

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
SHOTS = Path("/tmp/shots")


def _shot(widget: ImportWizard, name: str) -> None:
    if SHOTS.is_dir():
        widget.grab().save(str(SHOTS / f"import_{name}.png"))


def counts(ctx: AppContext) -> tuple[int, int, int]:
    with read_session(ctx.sessions) as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Member, Loan, JournalEntry)
        )


@pytest.fixture
def wizard(qtbot, ctx: AppContext, boxes) -> ImportWizard:
    dialog = ImportWizard(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_shared_example_imports_through_the_wizard(qtbot, ctx, wizard, monkeypatch):
    changed: list[bool] = []
    ctx.bus.data_changed.connect(lambda: changed.append(True))
    _shot(wizard, "1_choose")
    monkeypatch.setattr(import_wizard, "choose_workbook", lambda _parent, _start: str(EXAMPLE))
    wizard.browse_button.click()  # choosing a file checks it at once
    assert wizard.pages.currentIndex() == wizard.CHECKED
    assert wizard.problems() == []
    assert not wizard.problems_box.isVisibleTo(wizard)
    headline = wizard.headline.text()
    assert "anggota, saldo awal seimbang dengan neraca 31/12/2024: Rp" in headline
    summary = wizard.summary_text.toPlainText()
    for part in (
        "Saldo awal per 31/12/2024",
        "1-131 Pinjaman Anggota",
        "Transaksi per jenis",
        "Rentang tanggal",
        "Pinjaman (sisa pokok",
    ):
        assert part in summary
    assert counts(ctx) == (0, 0, 0)  # checking writes nothing
    assert wizard.import_button.isEnabled()
    _shot(wizard, "2_checked")

    wizard.import_button.click()
    assert wizard.pages.currentIndex() == wizard.DONE
    assert wizard.summary is not None and wizard.summary.written
    assert changed
    members, loans, entries = counts(ctx)
    assert members == wizard.summary.members and loans == len(wizard.summary.loans)
    assert entries == wizard.summary.entries
    assert "Impor selesai" in wizard.done_text.toPlainText()
    _shot(wizard, "3_done")


def test_a_broken_workbook_shows_every_problem_and_writes_nothing(qtbot, ctx, wizard, tmp_path):
    wb = load_workbook(EXAMPLE)
    ws = wb["Anggota"]
    ws.cell(3, 1).value = ws.cell(2, 1).value  # a duplicate No. Anggota
    wb["Saldo Awal"].cell(2, 4).value = 1  # Saldo Awal no longer balances
    broken = tmp_path / "rusak.xlsx"
    wb.save(broken)
    wizard.path_edit.setText(str(broken))
    wizard.check_button.click()
    assert wizard.pages.currentIndex() == wizard.CHECKED
    problems = wizard.problems()
    assert any(p.startswith("Anggota!3: ") for p in problems)
    assert any(p.startswith("Saldo Awal!") and "tidak seimbang" in p for p in problems)
    assert all("!" in p.split(":")[0] for p in problems)
    assert not wizard.import_button.isEnabled()
    assert "TIDAK seimbang" in wizard.headline.text()
    wizard.copy_button.click()
    assert QApplication.clipboard().text().splitlines() == problems
    _shot(wizard, "2_problems")
    wizard.run_import()  # even if forced: nothing happens
    assert counts(ctx) == (0, 0, 0)


def test_not_an_xlsx_is_refused_with_a_message(qtbot, ctx, wizard, boxes, tmp_path):
    junk = tmp_path / "bukan.xlsx"
    junk.write_bytes(b"ini bukan file excel" * 100)
    wizard.path_edit.setText(str(junk))
    wizard.check()
    assert wizard.pages.currentIndex() == wizard.CHOOSE
    assert boxes.refusals and "bukan.xlsx" in boxes.refusals[0]
    assert counts(ctx) == (0, 0, 0)


def test_cancel_during_import_rolls_everything_back(qtbot, ctx, wizard, monkeypatch):
    wizard.path_edit.setText(str(EXAMPLE))
    wizard.check()
    assert wizard.import_button.isEnabled()

    def cancelled(_job: object, _done: int, _total: int) -> None:
        raise safety._Cancelled  # what the progress dialog's Batal does in the thread

    monkeypatch.setattr(safety.Job, "_progress", cancelled)
    wizard.import_button.click()
    assert wizard.pages.currentIndex() == wizard.CHECKED
    assert wizard.summary is None
    assert counts(ctx) == (0, 0, 0)
    with read_session(ctx.sessions) as s:
        assert account_totals(s) == {}


def test_a_refusal_at_import_time_lists_the_problems(qtbot, ctx, wizard, monkeypatch):
    wizard.path_edit.setText(str(EXAMPLE))
    wizard.check()
    refusal = import_wizard.importer.ImportRefused(
        [import_wizard.importer.Problem("Transaksi", 9, "contoh penolakan")]
    )
    monkeypatch.setattr(import_wizard, "import_in_thread", lambda *_args: refusal)
    wizard.import_button.click()
    assert wizard.problems() == ["Transaksi!9: contoh penolakan"]
    assert not wizard.import_button.isEnabled()


def test_download_template_writes_the_workbook(qtbot, wizard, boxes, monkeypatch, tmp_path):
    target = tmp_path / "template"
    told: list[str] = []
    monkeypatch.setattr(import_wizard, "choose_template_target", lambda *_a: str(target))
    monkeypatch.setattr("app.ui.prompts.inform", lambda _p, _t, text: told.append(text))
    wizard.template_button.click()
    written = tmp_path / "template.xlsx"
    assert written.is_file()
    assert {"Anggota", "Saldo Awal", "Pinjaman", "Transaksi"} <= set(
        load_workbook(written).sheetnames
    )
    assert told and str(written) in told[0]


def test_buku_menu_opens_the_wizard(qtbot, ctx, boxes, monkeypatch):
    opened: list[object] = []
    monkeypatch.setattr(
        "app.ui.dialogs.import_wizard.open_import_wizard",
        lambda c, parent: opened.append((c, parent)),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu()}
    texts = [a.text().replace("&", "") for a in menus["Buku"].actions()]
    assert "Impor dari Excel..." in texts
    assert texts.count("Impor dari Excel...") == 1
    window.import_action.trigger()
    assert opened == [(ctx, window)]
