"""Laporan: the Tutup Buku wizard and the SHU screen on a real book (DOMAIN.md 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.book import Book
from app.db import read_session, unit_of_work
from app.ledger import Entry, Line, post
from app.ledger.balances import member_savings
from app.money import format_rupiah
from app.queries.receipts import receipt
from app.services import cashbook, closing, loans, savings, shu
from app.ui.context import AppContext
from app.ui.dialogs import year_end
from app.ui.dialogs.year_end import OwedModel, PaymentChoice, PaymentDialog
from app.ui.qtmodels.shu_models import ShuMembersModel
from app.ui.views.laporan import LaporanView
from app.ui.views.shu import ShuTab
from app.ui.views.tutup_buku import TutupBukuTab
from tests.services.helpers import ASEP, DEDI, SITI, USER, register
from tests.services.yearend import a_year_of_business, count_cash_exactly
from tests.ui.conftest import Boxes

JANUARY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def january(monkeypatch: pytest.MonkeyPatch) -> date:
    """Mid-January 2026: 2025 is the last finished year."""
    monkeypatch.setattr("app.dates.today", lambda: JANUARY)
    return JANUARY


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr("app.ui.prompts.inform", lambda _parent, _title, text: seen.append(text))
    return seen


def _view(qtbot: QtBot, ctx: AppContext, key: str = "tutup_buku") -> LaporanView:
    view = LaporanView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 760)
    view.show()
    with qtbot.waitActive(view):
        view.activateWindow()
    view.show_tab(key)
    return view


def _tutup_buku(qtbot: QtBot, view: LaporanView) -> TutupBukuTab:
    tab = view.tab("tutup_buku")
    assert isinstance(tab, TutupBukuTab)
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    return tab


def _shu_tab(qtbot: QtBot, view: LaporanView) -> ShuTab:
    tab = view.tab("shu")
    assert isinstance(tab, ShuTab)
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    return tab


def _recheck(qtbot: QtBot, tab: TutupBukuTab | ShuTab) -> None:
    tab.refresh()
    qtbot.waitUntil(tab.loaded, timeout=10_000)


def _loan_in_arrears(book: Book) -> int:
    """A loan disbursed in February 2025 and never repaid: Macet on 31/12, PPAP 100%."""
    member_id = register(book, ASEP, on=date(2025, 1, 6))
    with unit_of_work(book.sessions) as s:
        cashbook.cash_in(
            s, on=date(2025, 1, 10), account="2-201", amount=5_000_000, memo="Bank", by=USER
        )
        loan_id = loans.apply(
            s,
            loans.LoanApplication(
                member_id=member_id,
                principal=5_000_000,
                monthly_rate=Decimal("0.015"),
                months=12,
                method="flat",
            ),
            on=date(2025, 2, 1),
            by=USER,
        )
        loans.approve(s, loan_id, on=date(2025, 2, 1), by="ketua")
        loans.disburse(s, loan_id, on=date(2025, 2, 1), by=USER)
    return loan_id


def _members_with_shares(book: Book) -> dict[str, int]:
    """Three members with wajib savings, two of whom paid loan interest; SHU Rp7.250.000."""
    ids = {
        "siti": register(book, SITI, on=date(2025, 1, 6)),
        "asep": register(book, ASEP, on=date(2025, 1, 6)),
        "dedi": register(book, DEDI, on=date(2025, 1, 6)),
    }
    wajib = {"siti": 1_200_000, "asep": 600_000, "dedi": 350_000}
    interest = {"siti": 4_000_000, "asep": 0, "dedi": 3_500_001}
    with unit_of_work(book.sessions) as s:
        for key, member_id in ids.items():
            savings.deposit(s, member_id, {"wajib": wajib[key]}, on=date(2025, 2, 1), by=USER)
            if interest[key]:
                post(
                    s,
                    Entry(
                        date(2025, 5, 1),
                        "AN",
                        "Jasa pinjaman",
                        [
                            Line("1-101", interest[key]),
                            Line("4-101", -interest[key], member_id=member_id),
                        ],
                        member_id=member_id,
                    ),
                    by=USER,
                )
        cashbook.cash_out(
            s, on=date(2025, 12, 1), account="5-301", amount=250_001, memo="Gaji", by=USER
        )
    return ids


def _closed_2025(book: Book) -> dict[str, int]:
    ids = _members_with_shares(book)
    count_cash_exactly(book)
    with unit_of_work(book.sessions) as s:
        assert closing.close_year(s, 2025, by=USER).shu == 7_250_000
    return ids


# -- Tutup Buku ------------------------------------------------------------------------------


def test_the_checklist_shows_the_missing_cash_count(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes
) -> None:
    a_year_of_business(ctx.book)
    view = _view(qtbot, ctx)
    tab = _tutup_buku(qtbot, view)
    assert tab.year.value() == 2025  # the last finished year
    assert tab.state is not None
    assert [c.name for c in tab.state.failed] == [closing.CHECK_CASH]
    assert "5 dari 6 pemeriksaan lolos" in tab.summary.text()
    assert (
        "belum ada kas opname di bulan Desember 2025"
        in tab.grid.itemAtPosition(2, 1).widget().text()
    )
    (cash_button,) = tab.row_buttons[closing.CHECK_CASH]
    assert "Kas" in cash_button.text()
    for name, buttons in tab.row_buttons.items():
        assert buttons == [] or name == closing.CHECK_CASH  # passing checks have no actions
    with qtbot.waitSignal(ctx.bus.navigate) as asked:
        qtbot.mouseClick(cash_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["kas", 0]


def test_closing_is_refused_with_the_list_of_failed_checks(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes, notices: list[str]
) -> None:
    a_year_of_business(ctx.book)
    view = _view(qtbot, ctx)
    tab = _tutup_buku(qtbot, view)
    assert tab.close_button.isEnabled()
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert boxes.questions and "Tutup buku tahun 2025 sekarang?" in boxes.questions[0]
    (refusal,) = boxes.refusals
    assert "Tutup buku tahun 2025 ditolak: 1 pemeriksaan belum lolos" in refusal
    assert "• Kas dihitung (kas opname) di akhir tahun: belum ada kas opname" in refusal
    with read_session(ctx.sessions) as s:
        assert not closing.year_closed(s, 2025)


def test_allowance_and_cash_count_then_the_close_button_closes_2025(
    qtbot: QtBot,
    ctx: AppContext,
    boxes: Boxes,
    notices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shu_of_year = a_year_of_business(ctx.book)
    _loan_in_arrears(ctx.book)
    view = _view(qtbot, ctx)
    tab = _tutup_buku(qtbot, view)
    assert tab.state is not None
    assert {c.name for c in tab.state.failed} == {closing.CHECK_CASH, closing.CHECK_ALLOWANCE}
    book_button, dismiss_button = tab.row_buttons[closing.CHECK_ALLOWANCE]
    assert book_button.text() == "Bukukan pen&yisihan..."  # Alt+B is Bantuan
    assert dismiss_button.text().replace("&", "") == "Abaikan dengan alasan..."

    proposals: list[closing.AllowanceProposal] = []

    def confirm_allowance(_parent: object, proposal: closing.AllowanceProposal) -> bool:
        proposals.append(proposal)
        return True

    monkeypatch.setattr(year_end, "confirm_allowance", confirm_allowance)
    qtbot.mouseClick(book_button, Qt.MouseButton.LeftButton)
    (proposal,) = proposals
    assert proposal.entry is not None
    assert [(line.account, line.amount) for line in proposal.entry.lines] == [
        ("5-104", 5_000_000),
        ("1-139", -5_000_000),
    ]
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert [c.name for c in tab.state.failed] == [closing.CHECK_CASH]

    count_cash_exactly(ctx.book)  # the December cash count, at the counter
    with read_session(ctx.sessions) as s:
        expected, _closed = shu.year_shu(s, 2025)
    assert expected < shu_of_year  # the allowance is an expense of 2025
    _recheck(qtbot, tab)
    assert tab.state.failed == []
    assert "6 dari 6 pemeriksaan lolos" in tab.summary.text()

    boxes.answer = True  # "Tutup buku?" yes, then "Lihat SHU?" yes
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert boxes.refusals == []
    with read_session(ctx.sessions) as s:
        assert closing.year_closed(s, 2025)
    assert f"SHU tahun 2025: {format_rupiah(expected)}" in boxes.questions[-1]
    assert view.current_key() == "shu"  # "Lihat SHU" opened the SHU of the year
    shu_tab = _shu_tab(qtbot, view)
    assert shu_tab.year.value() == 2025 and shu_tab.state is not None
    assert shu_tab.state.plan.closed and shu_tab.state.plan.shu == expected
    _recheck(qtbot, tab)
    assert "sudah ditutup" in tab.status.text()
    assert not tab.close_button.isEnabled() and tab.reopen_button.isEnabled()


def test_dismissing_the_allowance_and_reviewing_applications_need_words(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_year_of_business(ctx.book)
    member_id = _loan_in_arrears(ctx.book)
    with unit_of_work(ctx.sessions) as s:  # a second application, still waiting on 31/12
        application = loans.LoanApplication(
            member_id=member_id,
            principal=1_000_000,
            monthly_rate=Decimal("0.015"),
            months=10,
            method="flat",
        )
        loans.apply(s, application, on=date(2025, 12, 20), by=USER)
    count_cash_exactly(ctx.book)
    view = _view(qtbot, ctx)
    tab = _tutup_buku(qtbot, view)
    assert {c.name for c in tab.state.failed} == {
        closing.CHECK_ALLOWANCE,
        closing.CHECK_APPLICATIONS,
    }
    answers = iter(["dibahas rapat pengurus 10/01/2026", "diputus rapat Februari"])
    asked: list[str] = []

    def ask_text(_parent: object, title: str, *_args: object, **_kwargs: object) -> str:
        asked.append(title)
        return next(answers)

    monkeypatch.setattr(year_end, "ask_text", ask_text)
    qtbot.mouseClick(tab.row_buttons[closing.CHECK_ALLOWANCE][1], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    review = tab.row_buttons[closing.CHECK_APPLICATIONS][-1]
    assert review.text().replace("&", "") == "Tandai sudah ditinjau..."
    qtbot.mouseClick(review, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert asked == ["Abaikan usulan penyisihan 2025", "Pengajuan pinjaman 2025 sudah ditinjau"]
    assert tab.state.failed == []
    allowance = next(c for c in tab.state.checks if c.name == closing.CHECK_ALLOWANCE)
    assert "dibahas rapat pengurus 10/01/2026" in allowance.detail


def test_reopening_asks_for_the_admin_and_a_reason(
    qtbot: QtBot,
    ctx: AppContext,
    boxes: Boxes,
    notices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a_year_of_business(ctx.book)
    count_cash_exactly(ctx.book)
    with unit_of_work(ctx.sessions) as s:
        closing.close_year(s, 2025, by=USER)
    view = _view(qtbot, ctx)
    tab = _tutup_buku(qtbot, view)
    assert tab.reopen_button.isEnabled()
    monkeypatch.setattr(year_end, "ask_text", lambda *_a, **_k: "koreksi gaji Desember")
    boxes.answer = False  # "only the admin": no
    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    assert "hanya boleh dilakukan oleh ADMIN" in boxes.questions[-1]
    with read_session(ctx.sessions) as s:
        assert closing.year_closed(s, 2025)
    boxes.answer = True
    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    with read_session(ctx.sessions) as s:
        assert not closing.year_closed(s, 2025)
    assert "RV-2025-000001" in notices[-1]
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert tab.close_button.isEnabled() and not tab.reopen_button.isEnabled()


# -- SHU ---------------------------------------------------------------------------------------


def test_percentages_not_summing_to_100_cannot_be_saved(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes
) -> None:
    _members_with_shares(ctx.book)
    view = _view(qtbot, ctx, "shu")
    tab = _shu_tab(qtbot, view)
    edits = tab.percent_edits
    assert [edits[c.key].text() for c in shu.COMPONENTS] == [
        "30", "20", "25", "5", "5", "5", "5", "5"
    ]  # fmt: skip
    assert "100" in tab.total_percent.text()
    assert not tab.save_button.isEnabled()  # nothing changed yet

    edits["cadangan"].clear()
    qtbot.keyClicks(edits["cadangan"], "25")
    assert "95" in tab.total_percent.text()
    assert "harus tepat 100%" in tab.total_hint.text()
    assert not tab.save_button.isEnabled()
    tab.save_percentages()  # Ctrl+S regardless: the service refuses, nothing is written
    assert boxes.refusals and "tepat 100%, sekarang 95%" in boxes.refusals[-1]
    with read_session(ctx.sessions) as s:
        assert shu.percentages(s, 2025)["cadangan"] == 30

    edits["dana_sosial"].clear()
    qtbot.keyClicks(edits["dana_sosial"], "10")
    assert "100" in tab.total_percent.text() and tab.save_button.isEnabled()
    edits["dana_sosial"].setFocus()
    qtbot.keyClick(edits["dana_sosial"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    with read_session(ctx.sessions) as s:
        saved = shu.percentages(s, 2025)
    assert (saved["cadangan"], saved["dana_sosial"]) == (25, 10)
    assert not tab.save_button.isEnabled()  # saved: nothing left to save
    sosial = next(c for c in tab.state.plan.components if c.key == "dana_sosial")
    assert sosial.amount == 725_000


def test_the_simulation_totals_equal_the_pools(qtbot: QtBot, ctx: AppContext, boxes: Boxes) -> None:
    ids = _members_with_shares(ctx.book)
    view = _view(qtbot, ctx, "shu")
    tab = _shu_tab(qtbot, view)
    plan = tab.state.plan
    assert (plan.shu, plan.closed, plan.distributed) == (7_250_000, False, "")
    assert "SIMULASI, BELUM DISAHKAN RAT" in tab.badge.text()
    pools = {c.key: c.amount for c in plan.components}
    assert (pools[shu.JASA_MODAL], pools[shu.JASA_ANGGOTA]) == (1_450_000, 1_812_500)
    model = tab.model
    assert model.rowCount() == len(ids) + 1  # and the totals row
    _s, _t, modal, anggota, total = model.totals()
    assert (modal, anggota) == (pools[shu.JASA_MODAL], pools[shu.JASA_ANGGOTA])
    assert total == modal + anggota
    last = model.rowCount() - 1
    assert model.index(last, ShuMembersModel.NAME).data().startswith("JUMLAH")
    assert model.index(last, ShuMembersModel.JASA_MODAL).data() == format_rupiah(1_450_000)
    assert model.index(last, ShuMembersModel.JASA_ANGGOTA).data() == format_rupiah(1_812_500)
    shown = [
        sum(
            int(model.index(r, column).data().removeprefix("Rp").replace(".", ""))
            for r in range(last)
        )
        for column in (ShuMembersModel.JASA_MODAL, ShuMembersModel.JASA_ANGGOTA)
    ]
    assert shown == [1_450_000, 1_812_500]
    assert tab.pools_label.text().count("✔") == 2
    assert tab.amount_labels["cadangan"].text() == format_rupiah(2_175_000)
    assert not tab.post_button.isEnabled()  # the year is still open
    assert "Tutup buku" in tab.post_button.toolTip()
    tab.search.setText("dedi")
    assert model.rowCount() == 2 and model.index(0, ShuMembersModel.NAME).data() == "Dedi Kurnia"
    assert model.index(1, ShuMembersModel.JASA_MODAL).data() == format_rupiah(1_450_000)


def test_posting_the_distribution_twice_is_refused(
    qtbot: QtBot,
    ctx: AppContext,
    boxes: Boxes,
    notices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _closed_2025(ctx.book)
    monkeypatch.setattr("app.dates.today", lambda: date(2026, 3, 20))
    monkeypatch.setattr(year_end, "ask_rat_date", lambda _parent, _plan: date(2026, 3, 15))
    view = _view(qtbot, ctx, "shu")
    tab = _shu_tab(qtbot, view)
    assert tab.post_button.isEnabled() and not tab.pay_button.isEnabled()
    qtbot.mouseClick(tab.post_button, Qt.MouseButton.LeftButton)
    assert boxes.refusals == []
    assert "SH-2026-000001" in notices[-1]
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert "Disahkan RAT 15/03/2026" in tab.badge.text()
    assert not tab.post_button.isEnabled() and tab.pay_button.isEnabled()
    assert not any(edit.isEnabled() for edit in tab.percent_edits.values())

    tab.post_distribution()  # a second time (a stale screen, or a second window)
    assert boxes.refusals == [
        "SHU tahun 2025 sudah dibagikan dengan jurnal SH-2026-000001 (15/03/2026); "
        "pembagian hanya sekali setahun."
    ]


def test_paying_members_offers_the_batch_of_receipts(
    qtbot: QtBot,
    ctx: AppContext,
    boxes: Boxes,
    notices: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = _closed_2025(ctx.book)
    monkeypatch.setattr("app.dates.today", lambda: date(2026, 3, 20))
    with unit_of_work(ctx.sessions) as s:
        shu.post_distribution(s, 2025, date(2026, 3, 15), by=USER)
        before = member_savings(s, ids["siti"])["2-101"]
    shown: list[list[int]] = []
    monkeypatch.setattr(
        "app.ui.dialogs.receipt_preview.show_receipts",
        lambda _ctx, _parent, entry_ids: shown.append(list(entry_ids)),
    )
    monkeypatch.setattr(
        year_end,
        "ask_payment",
        lambda _parent, _year, _owed, _earliest: PaymentChoice(
            shu.SUKARELA, date(2026, 3, 16), None
        ),
    )
    view = _view(qtbot, ctx, "shu")
    tab = _shu_tab(qtbot, view)
    plan = tab.state.plan
    siti = next(m for m in plan.members if m.member_id == ids["siti"])
    qtbot.mouseClick(tab.pay_button, Qt.MouseButton.LeftButton)
    assert boxes.refusals == []
    assert "Cetak 3 kwitansinya sekarang?" in boxes.questions[-1]
    (entry_ids,) = shown
    assert len(entry_ids) == 3
    with read_session(ctx.sessions) as s:
        assert member_savings(s, ids["siti"])["2-101"] - before == siti.total
        first = receipt(s, entry_ids[0])
    assert first.title == "BUKTI PEMBAYARAN SHU"
    assert first.total == siti.total and first.total_label == "DISETOR KE SUKARELA"
    assert [line.label for line in first.lines] == ["Bagian SHU tahun buku 2025"]
    qtbot.waitUntil(tab.loaded, timeout=10_000)
    assert not tab.pay_button.isEnabled()  # everybody is paid
    assert "belum dibayar: <b>Rp0</b>" in tab.plan_label.text()


def test_the_payment_dialog_pays_members_who_left_only_in_cash(
    qtbot: QtBot, ctx: AppContext
) -> None:
    owed = [
        shu.ShuOwed(1, "0001", "Siti Aminah", "aktif", 500_000, 0),
        shu.ShuOwed(2, "0002", "Asep Saepudin", "keluar", 200_000, 0),
        shu.ShuOwed(3, "0003", "Dedi Kurnia", "aktif", 300_000, 300_000),  # paid already
    ]
    dialog = PaymentDialog(2025, owed, date(2026, 3, 15))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.choice() == PaymentChoice(shu.SUKARELA, date(2026, 3, 15), (1,))
    assert "keluar: bayar tunai" in dialog.model.index(1, OwedModel.STATUS).data()
    dialog.cash.setChecked(True)
    assert dialog.choice().member_ids is None  # everybody still owed
    assert "2 anggota, Rp700.000" in dialog.summary.text()
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, OwedModel.NAME))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert dialog.choice() == PaymentChoice(shu.TUNAI, date(2026, 3, 15), (2,))


def test_the_shell_shows_laporan_and_the_cash_button_opens_kas(
    qtbot: QtBot, ctx: AppContext, boxes: Boxes
) -> None:
    from app.ui.main_window import MainWindow

    a_year_of_business(ctx.book)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.show_screen("laporan")
    assert isinstance(view, LaporanView)
    tab = _tutup_buku(qtbot, view)
    (cash_button,) = tab.row_buttons[closing.CHECK_CASH]
    qtbot.mouseClick(cash_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == window.keys.index("kas")
