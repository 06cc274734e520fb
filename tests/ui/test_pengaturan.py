"""Pengaturan: the profile and the savings amounts."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from app.db import read_session
from app.models import AuditRecord
from app.services import settings
from app.ui.views.pengaturan import PengaturanView


def make_view(qtbot, ctx) -> PengaturanView:
    view = PengaturanView(ctx)
    qtbot.addWidget(view)
    view.show()
    return view


def test_saves_the_profile(qtbot, ctx, boxes):
    view = make_view(qtbot, ctx)
    assert view.edits["name"].text() == "Koperasi Desa Merah Putih Lambangsari"
    qtbot.keyClicks(view.edits["nomor_induk_koperasi"], "3216050010001")
    qtbot.keyClicks(view.edits["badan_hukum_date"], "2-8-2025")
    qtbot.keyClicks(view.edits["anggota_pengawas_1"], "Nana Suryana")
    assert "belum disimpan" in view.saved_label.text()
    qtbot.keyClick(view.edits["anggota_pengawas_1"], Qt.Key.Key_Return)

    assert boxes.refusals == []
    with read_session(ctx.sessions) as s:
        profile = settings.get_profile(s)
        after = s.scalars(
            select(AuditRecord.after).where(AuditRecord.action == "pengaturan.profil")
        ).one()
    assert profile.nomor_induk_koperasi == "3216050010001"
    assert profile.badan_hukum_date == "02/08/2025"
    assert profile.anggota_pengawas_1 == "Nana Suryana"
    assert profile.ketua == "Ahmad Suryana"  # untouched fields stay
    assert json.loads(after)["anggota_pengawas_1"] == "Nana Suryana"
    assert view.edits["badan_hukum_date"].text() == "02/08/2025"  # shown as saved
    assert view.saved_label.text().startswith("✓")


def test_empty_name_is_refused(qtbot, ctx, boxes):
    view = make_view(qtbot, ctx)
    view.edits["name"].clear()
    qtbot.keyClick(view.edits["name"], Qt.Key.Key_Return)
    assert boxes.refusals == ["Nama koperasi wajib diisi."]
    with read_session(ctx.sessions) as s:
        assert settings.get_profile(s).name == "Koperasi Desa Merah Putih Lambangsari"


def test_new_wajib_amount_from_a_month(qtbot, ctx, boxes):
    view = make_view(qtbot, ctx)
    assert "Rp20.000" in view.wajib_now.text()
    assert view.rates_table.rowCount() == 2
    view.kind_combo.setCurrentIndex(view.kind_combo.findData(settings.WAJIB))
    view.month_edit.setDate(QDate(2026, 1, 1))
    qtbot.keyClicks(view.amount_edit, "25.000")
    qtbot.keyClick(view.amount_edit, Qt.Key.Key_Return)

    assert boxes.refusals == []
    assert "Januari 2026" in boxes.questions[0] and "Rp25.000" in boxes.questions[0]
    with read_session(ctx.sessions) as s:
        rates = settings.rates(s, settings.WAJIB)
    assert [(r.amount, r.effective_from) for r in rates][-1] == (25_000, date(2026, 1, 1))
    assert view.rates_table.rowCount() == 3
    assert view.amount_edit.text() == ""
