"""Pengaturan > Pinjaman (issue 3): loan products and the loan settings, by keyboard."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.db import read_session
from app.services import loan_products
from app.services.loans import LoanSettings, loan_settings
from app.ui.dialogs import import_wizard
from app.ui.dialogs.loan_product import LoanProductDialog
from app.ui.views.pengaturan import PengaturanView

SHOTS = Path("/tmp/shots")


def _shot(widget, name: str) -> None:
    if SHOTS.is_dir():
        QApplication.processEvents()
        widget.grab().save(str(SHOTS / f"settings_loans_{name}.png"))


@pytest.fixture
def view(qtbot, ctx, boxes) -> PengaturanView:
    widget = PengaturanView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    widget.show()
    widget.tabs.setCurrentWidget(widget.loans_panel)
    return widget


def _settings(ctx) -> LoanSettings:
    with read_session(ctx.sessions) as session:
        return loan_settings(session)


def _products(ctx):
    with read_session(ctx.sessions) as session:
        return loan_products.list_products(session)


def test_the_tab_shows_the_default_product_and_settings(view, ctx):
    panel = view.loans_panel
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == "Pinjaman Umum"
    assert panel.table.item(0, 2).text() == "1,5%"
    assert panel.provisi.text() == "1"
    assert panel.penalty.text() == "0,1"
    assert not panel.ceiling_on.isChecked() and not panel.ceiling.isEnabled()
    assert panel.rounding.currentData() == 1
    assert panel.waive.isChecked()
    assert [s.value() for s in panel.dpd] == [90, 180, 270]
    assert [e.text() for e in panel.ppap] == ["0,5", "10", "50", "100"]
    assert panel.dpd_from[3].text() == "lebih dari 270 hari"
    _shot(view, "1_defaults")


def test_settings_are_saved_by_keyboard(qtbot, view, ctx, boxes):
    panel = view.loans_panel
    panel.provisi.setText("1,5")
    panel.admin.setText("10.000")
    panel.penalty.setText("0,2")
    panel.grace.setValue(3)
    panel.ceiling_on.setChecked(True)
    panel.ceiling.setText("2,5")
    panel.rounding.setCurrentIndex(panel.rounding.findData(500))
    panel.waive.setChecked(False)
    panel.dpd[0].setValue(30)
    panel.ppap[1].setText("15")
    panel._edited()
    assert "belum disimpan" in panel.saved_label.text()
    qtbot.keyClick(panel.penalty, Qt.Key.Key_Return)
    assert boxes.refusals == []
    saved = _settings(ctx)
    assert saved.provisi_rate == Decimal("0.015")
    assert saved.admin_fee == 10_000
    assert saved.penalty_daily_rate == Decimal("0.002")
    assert saved.penalty_grace_days == 3
    assert saved.ceiling_multiple == Decimal("2.5")
    assert saved.round_to == 500
    assert saved.waive_future_interest_on_payoff is False
    assert saved.classification.dpd_limits == (30, 180, 270)
    assert saved.classification.ppap_rates[1] == Decimal("0.15")
    assert "tersimpan" in panel.saved_label.text()
    assert panel.dpd_from[1].text() == "31 sampai"
    _shot(view, "2_saved")

    panel.ceiling_on.setChecked(False)
    panel.save_button.click()
    assert _settings(ctx).ceiling_multiple is None


def test_bad_settings_are_refused_and_nothing_changes(view, ctx, boxes):
    panel = view.loans_panel
    panel.penalty.setText("abc")
    panel.save_button.click()
    assert boxes.refusals and "Denda per hari" in boxes.refusals[-1]
    panel.penalty.setText("5")  # 5% a day
    panel.save_button.click()
    assert "Denda per hari" in boxes.refusals[-1]
    panel.penalty.setText("0,1")
    panel.dpd[1].setValue(60)  # below Lancar's 90
    panel.save_button.click()
    assert "naik" in boxes.refusals[-1]
    assert _settings(ctx) == LoanSettings()


def _run_dialog(qtbot, fill) -> None:
    """Fill the product dialog when it opens, then press Enter (its Simpan is the default)."""

    def act() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LoanProductDialog))
        fill(dialog)
        _shot(dialog, "3_product_dialog")
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, act)


def test_add_and_edit_a_product(qtbot, view, ctx, boxes):
    panel = view.loans_panel

    def fill_new(dialog: LoanProductDialog) -> None:
        dialog.name.setText("Pinjaman Usaha Tani")
        dialog.method.setCurrentIndex(dialog.method.findData("anuitas"))
        dialog.rate.setText("1,25")
        dialog.min_months.setValue(6)
        dialog.max_months.setValue(24)
        dialog.provisi.setText("0,5")
        dialog.admin.setText("25.000")
        dialog.ceiling.setText("3")

    _run_dialog(qtbot, fill_new)
    panel.add_button.click()
    assert boxes.refusals == []
    products = {p.name: p for p in _products(ctx)}
    usaha = products["Pinjaman Usaha Tani"]
    assert usaha.method == "anuitas" and usaha.monthly_rate == Decimal("0.0125")
    assert (usaha.min_months, usaha.max_months) == (6, 24)
    assert usaha.provisi_rate == Decimal("0.005") and usaha.admin_fee == 25_000
    assert usaha.ceiling_multiple == Decimal(3)
    assert panel.table.rowCount() == 2

    row = next(i for i, p in enumerate(panel.products) if p.name == "Pinjaman Usaha Tani")
    panel.table.selectRow(row)

    def fill_edit(dialog: LoanProductDialog) -> None:
        assert dialog.name.text() == "Pinjaman Usaha Tani"
        assert dialog.rate.text() == "1,25"
        dialog.rate.setText("1,3")
        dialog.active.setChecked(False)

    _run_dialog(qtbot, fill_edit)
    panel.edit_button.click()
    usaha = {p.name: p for p in _products(ctx)}["Pinjaman Usaha Tani"]
    assert usaha.monthly_rate == Decimal("0.013") and not usaha.active
    assert panel.table.item(row, 7).text() == "tidak aktif"
    _shot(view, "4_products")


def test_a_bad_product_is_refused(qtbot, view, ctx, boxes):
    def fill(dialog: LoanProductDialog) -> None:
        dialog.name.setText("Pinjaman Umum")  # taken
        dialog.rate.setText("1,5")

    _run_dialog(qtbot, fill)
    view.loans_panel.add_button.click()
    assert boxes.refusals and "sudah ada" in boxes.refusals[-1]
    assert len(_products(ctx)) == 1


def test_settings_offer_the_import_template(qtbot, ctx, boxes, monkeypatch, tmp_path):
    widget = PengaturanView(ctx)
    qtbot.addWidget(widget)
    target = tmp_path / "template.xlsx"
    monkeypatch.setattr(import_wizard, "choose_template_target", lambda *_a: str(target))
    monkeypatch.setattr("app.ui.prompts.inform", lambda *_a: None)
    widget.template_button.click()
    assert target.is_file()
