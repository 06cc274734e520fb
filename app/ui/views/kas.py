"""Kas & Jurnal: cash book, journal, buku besar, neraca saldo, kas opname, bagan akun.

Six tabs (Ctrl+PgUp / Ctrl+PgDn, or Alt + the underlined letter). Long lists
(cash book, journal, buku besar) are paged models that fetch as the view
scrolls; filtering happens in SQL. The main window calls ``refresh()`` when
the screen is shown and after any change (``ctx.bus.data_changed``); only the
visible tab reloads, the others when they are next opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.ledger.chart import KAS
from app.ledger.posting import KINDS
from app.money import format_number, format_rupiah
from app.queries import ledger
from app.queries.cash_documents import ChartRow, book_cash, chart_rows
from app.queries.ledger import EntryDetail, JournalRow
from app.services import accounts as account_service
from app.services import cash_count
from app.services.cash_count import DENOMINATIONS, CashCountInfo
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs import cash_preview
from app.ui.dialogs._counter import OK, WARN
from app.ui.qtmodels.kas_models import (
    CHART_COLUMNS,
    ENTRY_LINE_COLUMNS,
    JOURNAL_COLUMNS,
    PAGE,
    TRIAL_COLUMNS,
    PagedModel,
    RowsModel,
    journal_loader,
    ledger_columns,
    ledger_loader,
)
from app.ui.widgets.account_combo import AccountCombo
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.member_picker import MemberPicker

# Entries whose printed document is a kwitansi (receipt_preview), not a bukti kas.
RECEIPT_KINDS = frozenset({"ST", "TR", "KL", "PC", "AN"})
BUKU_KAS, JURNAL, BUKU_BESAR, NERACA, OPNAME, BAGAN = range(6)


def _table(model: RowsModel[object], samples: dict[int, str], stretch: int) -> QTableView:
    """A read-only, row-selecting table with widths from sample text (no ResizeToContents)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, sample in samples.items():
        table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
    return table


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _button(text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def _info_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class KasView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: EntryDetail | None = None
        self.count_info: CashCountInfo | None = None
        self.book_balance = 0

        title = QLabel("<h2>" + self.tr("Kas && Jurnal").replace("&&", "&amp;") + "</h2>")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        hint = QLabel(self.tr("Ctrl+PgUp / Ctrl+PgDn: pindah tab"))
        hint.setStyleSheet("color: #555;")
        top.addWidget(hint)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._cash_tab(), self.tr("Buku &Kas"))
        self.tabs.addTab(self._journal_tab(), self.tr("&Jurnal"))
        self.tabs.addTab(self._ledger_tab(), self.tr("Buku B&esar"))
        self.tabs.addTab(self._trial_tab(), self.tr("&Neraca Saldo"))
        self.tabs.addTab(self._count_tab(), self.tr("Kas &Opname"))
        self.tabs.addTab(self._chart_tab(), self.tr("Bagan &Akun"))
        self._stale = dict.fromkeys(range(self.tabs.count()), True)
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        for keys, slot in (
            ("Ctrl+PgDown", lambda: self._step_tab(1)),
            ("Ctrl+PgUp", lambda: self._step_tab(-1)),
            ("Ctrl+M", lambda: self.cash_entry(incoming=True)),
            ("Ctrl+L", lambda: self.cash_entry(incoming=False)),
            ("Ctrl+N", self.new_journal),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        # No query here: the main window calls refresh() right after building the screen.

    # == Buku Kas ===============================================================================

    def _cash_tab(self) -> QWidget:
        page = QWidget()
        today = dates.today()
        self.cash_from = DateEdit(page, dates.month_start(today))
        self.cash_to = DateEdit(page, today)
        self.cash_in_button = _button(
            self.tr("Kas &masuk... (Ctrl+M)"),
            lambda: self.cash_entry(incoming=True),
            self.tr("Uang diterima: pendapatan bunga bank, hibah, penerimaan lain"),
        )
        self.cash_out_button = _button(
            self.tr("Kas ke&luar... (Ctrl+L)"),
            lambda: self.cash_entry(incoming=False),
            self.tr("Uang dibayarkan: gaji, listrik, ATK, transport, beban lain"),
        )
        self.cash_print_button = _button(
            self.tr("Cetak &bukti"),
            self.print_cash_row,
            self.tr("Bukti kas (atau kwitansi) baris yang dipilih; Enter pada baris juga"),
        )
        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("&Dari:"), self.cash_from))
        bar.addWidget(self.cash_from)
        bar.addWidget(_caption(self.tr("&s.d.:"), self.cash_to))
        bar.addWidget(self.cash_to)
        bar.addStretch(1)
        for button in (self.cash_in_button, self.cash_out_button, self.cash_print_button):
            bar.addWidget(button)

        self.cash_model: PagedModel[ledger.LedgerLine] = PagedModel(ledger_columns(cash=True), self)
        self.cash_table = _table(
            self.cash_model,  # type: ignore[arg-type]
            {
                0: "31/12/2025",
                1: "KM-2025-000000",
                3: "Rp999.999.999",
                4: "Rp999.999.999",
                5: "Rp9.999.999.999",
            },
            stretch=2,
        )
        self.cash_summary = _info_label()
        self.cash_table.activated.connect(lambda _i: self.print_cash_row())
        self.cash_from.dateChanged.connect(lambda _d: self.refresh_cash())
        self.cash_to.dateChanged.connect(lambda _d: self.refresh_cash())

        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addWidget(self.cash_summary)
        column.addWidget(self.cash_table, 1)
        return page

    def refresh_cash(self) -> None:
        start, end = self.cash_from.value(), self.cash_to.value()
        self._stale[BUKU_KAS] = False
        if start > end:
            self.cash_model.set_loader(None)
            self.cash_summary.setText(
                f"<span style='color:{WARN}'>"
                + self.tr("Tanggal awal harus sebelum atau sama dengan tanggal akhir.")
                + "</span>"
            )
            return

        def fetch(offset: int, limit: int) -> ledger.AccountLedger:
            return actions.read(
                self.ctx, lambda s: ledger.cash_book(s, start, end, limit=limit, offset=offset)
            )

        head = fetch(0, PAGE)  # the first page carries the opening and closing balances
        self.cash_model.set_loader(ledger_loader(fetch, first=head))
        moved = head.closing - head.opening
        self.cash_summary.setText(
            self.tr(
                "Saldo awal %1: <b>%2</b> · %3 transaksi, perubahan %4 · saldo akhir %5: <b>%6</b>"
            )
            .replace("%1", dates.format_date(start))
            .replace("%2", format_rupiah(head.opening))
            .replace("%3", format_number(head.total_lines))
            .replace("%4", format_rupiah(moved))
            .replace("%5", dates.format_date(end))
            .replace("%6", format_rupiah(head.closing))
        )

    def cash_entry(self, *, incoming: bool) -> None:
        from app.ui.dialogs.cash_entry import open_cash_entry

        entry_id = open_cash_entry(self.ctx, self, incoming=incoming)
        if entry_id:
            self._after_change()
            if self.tabs.currentIndex() != BUKU_KAS:
                self.tabs.setCurrentIndex(BUKU_KAS)

    def print_cash_row(self) -> None:
        index = self.cash_table.currentIndex()
        line = self.cash_model.row(index.row()) if index.isValid() else None
        if line is None:
            prompts.inform(
                self, self.tr("Cetak bukti"), self.tr("Pilih dulu baris buku kas yang dicetak.")
            )
            return
        self.print_entry(line.entry_id, line.kind)

    def print_entry(self, entry_id: int, kind: str) -> None:
        """The document of an entry: a kwitansi for member transactions, else a bukti kas."""
        if kind in RECEIPT_KINDS:
            prompts.show_receipt(self.ctx, self, entry_id)
        else:
            cash_preview.show_cash_voucher(self.ctx, self, entry_id)

    # == Jurnal =================================================================================

    def _journal_tab(self) -> QWidget:
        page = QWidget()
        self.j_number = QLineEdit()
        self.j_number.setPlaceholderText(self.tr("KK-2025-0001"))
        self.j_number.setClearButtonEnabled(True)
        self.j_memo = QLineEdit()
        self.j_memo.setPlaceholderText(self.tr("Sebagian kata keterangan"))
        self.j_memo.setClearButtonEnabled(True)
        self.j_member = MemberPicker(self.ctx, page, status=None)
        self.j_period = QCheckBox(self.tr("&Periode:"))
        today = dates.today()
        self.j_from = DateEdit(page, date(today.year, 1, 1))
        self.j_to = DateEdit(page, today)
        for widget in (self.j_from, self.j_to):
            widget.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("Nomo&r:"), self.j_number))
        bar.addWidget(self.j_number)
        bar.addWidget(_caption(self.tr("Ke&terangan:"), self.j_memo))
        bar.addWidget(self.j_memo, 1)
        bar.addWidget(_caption(self.tr("An&ggota:"), self.j_member))
        bar.addWidget(self.j_member, 1)
        bar.addWidget(self.j_period)
        bar.addWidget(self.j_from)
        bar.addWidget(QLabel(self.tr("s.d.")))
        bar.addWidget(self.j_to)

        self.new_journal_button = _button(
            self.tr("Jurnal umum &baru... (Ctrl+N)"),
            self.new_journal,
            self.tr("Transfer bank, penyusutan, penyisihan, koreksi: jurnal beberapa baris"),
        )
        self.reverse_button = _button(
            self.tr("Ba&lik jurnal..."),
            self.reverse_selected,
            self.tr("Koreksi: jurnal pembalik dengan alasan; jurnal asli tetap tercatat"),
        )
        self.journal_print_button = _button(self.tr("&Cetak bukti"), self.print_selected_entry)
        self.journal_count = QLabel()
        actions_bar = QHBoxLayout()
        actions_bar.addWidget(self.journal_count, 1)
        for button in (self.new_journal_button, self.reverse_button, self.journal_print_button):
            actions_bar.addWidget(button)

        self.journal_model: PagedModel[JournalRow] = PagedModel(JOURNAL_COLUMNS, self)
        self.journal_table = _table(
            self.journal_model,  # type: ignore[arg-type]
            {
                0: "31/12/2025",
                1: "KM-2025-000000",
                2: "Angsuran pinjaman",
                4: "00000 · Nama Anggota",
                5: "Rp999.999.999",
                6: "bendahara",
                7: "Dibalik oleh RV-2025-000000",
            },
            stretch=3,
        )
        self.entry_label = _info_label()
        self.lines_model: RowsModel[ledger.EntryLine] = RowsModel(ENTRY_LINE_COLUMNS, self)
        self.lines_table = _table(
            self.lines_model,  # type: ignore[arg-type]
            {
                0: "1-3021",
                1: "Beban Listrik, Air, Telepon",
                2: "Rp999.999.999",
                3: "Rp999.999.999",
                4: "00000 · Nama Anggota",
                5: "Simpan Pinjam",
            },
            stretch=6,
        )
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.entry_label)
        detail_layout.addWidget(self.lines_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.journal_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addLayout(actions_bar)
        column.addWidget(splitter, 1)

        # Typing waits a moment before searching, so each key does not hit the database.
        self.journal_timer = QTimer(self)
        self.journal_timer.setSingleShot(True)
        self.journal_timer.setInterval(250)
        self.journal_timer.timeout.connect(self.refresh_journal)
        for edit in (self.j_number, self.j_memo):
            edit.textChanged.connect(lambda _t: self.journal_timer.start())
            edit.returnPressed.connect(self._search_now)
        self.j_member.member_changed.connect(lambda _id: self.refresh_journal())
        self.j_period.toggled.connect(self._period_toggled)
        self.j_from.dateChanged.connect(lambda _d: self.refresh_journal())
        self.j_to.dateChanged.connect(lambda _d: self.refresh_journal())
        self.journal_table.selectionModel().selectionChanged.connect(self._journal_selected)
        self.journal_model.modelReset.connect(self._journal_reset)
        self.journal_table.activated.connect(lambda _i: self.lines_table.setFocus())
        return page

    def _search_now(self) -> None:
        self.journal_timer.stop()
        self.refresh_journal()
        self.journal_table.setFocus()

    def _period_toggled(self, on: bool) -> None:
        self.j_from.setEnabled(on)
        self.j_to.setEnabled(on)
        self.refresh_journal()

    def refresh_journal(self, *, keep: int = 0) -> None:
        self._stale[JURNAL] = False
        keep = keep or self.selected_entry_id()
        number, memo = self.j_number.text(), self.j_memo.text()
        member_id = self.j_member.member_id() or None
        start = self.j_from.value() if self.j_period.isChecked() else None
        end = self.j_to.value() if self.j_period.isChecked() else None

        def fetch(offset: int, limit: int) -> ledger.JournalPage:
            return actions.read(
                self.ctx,
                lambda s: ledger.journal_list(
                    s,
                    number=number,
                    start=start,
                    end=end,
                    memo=memo,
                    member_id=member_id,
                    limit=limit,
                    offset=offset,
                ),
            )

        self._keep_entry = keep
        self.journal_model.set_loader(journal_loader(fetch))
        self.journal_count.setText(
            self.tr("%1 jurnal").replace("%1", format_number(self.journal_model.total))
        )

    def _journal_reset(self) -> None:
        keep = getattr(self, "_keep_entry", 0)
        rows = self.journal_model.rows()
        row = next((i for i, r in enumerate(rows) if r.id == keep), 0 if rows else -1)
        if row >= 0:
            self.journal_table.selectRow(row)
            self.journal_table.scrollTo(self.journal_model.index(row, 0))
        else:
            self._show_entry(None)

    def selected_journal_row(self) -> JournalRow | None:
        rows = self.journal_table.selectionModel().selectedRows()
        return self.journal_model.row(rows[0].row()) if rows else None

    def selected_entry_id(self) -> int:
        row = self.selected_journal_row()
        return row.id if row else 0

    def _journal_selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        row = self.selected_journal_row()
        if row is None:
            self._show_entry(None)
            return
        detail = actions.run_action(
            self, lambda: actions.read(self.ctx, lambda s: ledger.entry_detail(s, row.id))
        )
        self._show_entry(detail)

    def _show_entry(self, detail: EntryDetail | None) -> None:
        self.detail = detail
        row = detail.row if detail else None
        self.reverse_button.setEnabled(
            row is not None and row.kind not in ("RV", "TB") and not row.reversed_by
        )
        self.journal_print_button.setEnabled(row is not None and row.kind not in ("JU", "TB", "SA"))
        if detail is None or row is None:
            self.entry_label.setText(
                "<i>" + self.tr("Pilih jurnal di daftar untuk melihat baris-barisnya.") + "</i>"
            )
            self.lines_model.set_rows([])
            return
        facts = [
            f"<b>{row.number}</b>",
            dates.format_date(row.date),
            KINDS.get(row.kind, row.kind),
            self.tr("dibukukan oleh %1 pada %2")
            .replace("%1", row.posted_by)
            .replace("%2", detail.posted_at[:16]),
        ]
        text = " · ".join(facts) + f"<br>{row.memo}"
        if row.reversed_by:
            text += (
                f"<br><span style='color:{WARN}'><b>"
                + self.tr("Sudah dibalik oleh %1.").replace("%1", row.reversed_by)
                + "</b></span>"
            )
        if row.reverses:
            text += "<br>" + self.tr("Jurnal ini membalik %1.").replace("%1", row.reverses)
        self.entry_label.setText(text)
        self.lines_model.set_rows(detail.lines)

    def new_journal(self) -> None:
        from app.ui.dialogs.journal_entry import open_journal_entry

        entry_id = open_journal_entry(self.ctx, self)
        if entry_id:
            self.tabs.setCurrentIndex(JURNAL)
            self._after_change()
            self.focus_item(entry_id)

    def reverse_selected(self) -> None:
        from app.ui.dialogs.reverse_entry import open_reverse

        row = self.selected_journal_row()
        if row is None:
            return
        entry_id = open_reverse(self.ctx, self, row)
        if entry_id:
            self._after_change()
            self.refresh_journal(keep=row.id)

    def print_selected_entry(self) -> None:
        row = self.selected_journal_row()
        if row is not None:
            self.print_entry(row.id, row.kind)

    def focus_item(self, entry_id: int) -> None:
        """Show one entry in the Jurnal tab (navigation from elsewhere)."""
        number = actions.read(self.ctx, lambda s: ledger.entry_detail(s, entry_id).row.number)
        self.tabs.setCurrentIndex(JURNAL)
        for edit in (self.j_number, self.j_memo):
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)
        self.j_member.blockSignals(True)
        self.j_member.set_member(0)
        self.j_member.blockSignals(False)
        self.j_period.blockSignals(True)
        self.j_period.setChecked(False)
        self.j_period.blockSignals(False)
        self.j_from.setEnabled(False)
        self.j_to.setEnabled(False)
        self.j_number.blockSignals(True)
        self.j_number.setText(number)
        self.j_number.blockSignals(False)
        self.refresh_journal(keep=entry_id)
        self.journal_table.setFocus()

    # == Buku Besar =============================================================================

    def _ledger_tab(self) -> QWidget:
        page = QWidget()
        today = dates.today()
        self.l_account = AccountCombo(page)
        self.l_from = DateEdit(page, date(today.year, 1, 1))
        self.l_to = DateEdit(page, today)
        self.l_print = _button(self.tr("&Cetak bukti"), self.print_ledger_row)
        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("Ak&un:"), self.l_account))
        bar.addWidget(self.l_account, 1)
        bar.addWidget(_caption(self.tr("&Dari:"), self.l_from))
        bar.addWidget(self.l_from)
        bar.addWidget(_caption(self.tr("&s.d.:"), self.l_to))
        bar.addWidget(self.l_to)
        bar.addWidget(self.l_print)
        self.ledger_model: PagedModel[ledger.LedgerLine] = PagedModel(
            ledger_columns(cash=False), self
        )
        self.ledger_table = _table(
            self.ledger_model,  # type: ignore[arg-type]
            {
                0: "31/12/2025",
                1: "KM-2025-000000",
                3: "Rp999.999.999",
                4: "Rp999.999.999",
                5: "Rp9.999.999.999",
            },
            stretch=2,
        )
        self.ledger_summary = _info_label()
        self.l_account.account_changed.connect(lambda _c: self.refresh_ledger())
        self.l_from.dateChanged.connect(lambda _d: self.refresh_ledger())
        self.l_to.dateChanged.connect(lambda _d: self.refresh_ledger())
        self.ledger_table.activated.connect(lambda _i: self.print_ledger_row())
        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addWidget(self.ledger_summary)
        column.addWidget(self.ledger_table, 1)
        return page

    def refresh_ledger(self, *, reload_accounts: bool = False) -> None:
        self._stale[BUKU_BESAR] = False
        if reload_accounts or self.l_account.count() == 0:
            choices = actions.read(
                self.ctx,
                lambda s: [
                    (a.code, a.name + ("" if a.active else " (nonaktif)"))
                    for a in account_service.list_accounts(s)
                ],
            )
            self.l_account.blockSignals(True)
            self.l_account.set_accounts(choices)
            if not self.l_account.code():
                self.l_account.set_code(KAS)
            self.l_account.blockSignals(False)
        code = self.l_account.code()
        start, end = self.l_from.value(), self.l_to.value()
        if not code or start > end:
            self.ledger_model.set_loader(None)
            self.ledger_summary.setText(
                "<i>"
                + (
                    self.tr("Pilih akun: ketik kode atau nama akun.")
                    if not code
                    else self.tr("Tanggal awal harus sebelum atau sama dengan tanggal akhir.")
                )
                + "</i>"
            )
            return

        def fetch(offset: int, limit: int) -> ledger.AccountLedger:
            return actions.read(
                self.ctx,
                lambda s: ledger.account_ledger(s, code, start, end, limit=limit, offset=offset),
            )

        head = fetch(0, PAGE)
        self.ledger_model.columns = ledger_columns(cash=False, normal=head.normal)
        self.ledger_model.set_loader(ledger_loader(fetch, first=head))
        sign = 1 if head.normal == "D" else -1
        side = self.tr("debit") if head.normal == "D" else self.tr("kredit")
        self.ledger_summary.setText(
            self.tr(
                "<b>%1 %2</b> (saldo normal %3) · saldo awal %4: <b>%5</b> · %6 baris · "
                "saldo akhir %7: <b>%8</b>"
            )
            .replace("%1", head.code)
            .replace("%2", head.name)
            .replace("%3", side)
            .replace("%4", dates.format_date(start))
            .replace("%5", format_rupiah(sign * head.opening))
            .replace("%6", format_number(head.total_lines))
            .replace("%7", dates.format_date(end))
            .replace("%8", format_rupiah(sign * head.closing))
        )

    def print_ledger_row(self) -> None:
        index = self.ledger_table.currentIndex()
        line = self.ledger_model.row(index.row()) if index.isValid() else None
        if line is not None:
            self.print_entry(line.entry_id, line.kind)

    # == Neraca Saldo ===========================================================================

    def _trial_tab(self) -> QWidget:
        page = QWidget()
        self.t_date = DateEdit(page)
        self.t_before = QCheckBox(self.tr("&Sebelum jurnal tutup buku tanggal ini"))
        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("Per &tanggal:"), self.t_date))
        bar.addWidget(self.t_date)
        bar.addWidget(self.t_before)
        bar.addStretch(1)
        self.trial_model: RowsModel[ledger.TrialRow] = RowsModel(TRIAL_COLUMNS, self)
        self.trial_table = _table(
            self.trial_model,  # type: ignore[arg-type]
            {0: "1-3021", 2: "Liabilitas", 3: "Rp9.999.999.999", 4: "Rp9.999.999.999"},
            stretch=1,
        )
        self.trial_totals = _info_label()
        self.trial_totals.setStyleSheet("font-size: 11pt;")
        self.t_date.dateChanged.connect(lambda _d: self.refresh_trial())
        self.t_before.toggled.connect(lambda _on: self.refresh_trial())
        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addWidget(self.trial_table, 1)
        column.addWidget(self.trial_totals)
        return page

    def refresh_trial(self) -> None:
        self._stale[NERACA] = False
        on, before = self.t_date.value(), self.t_before.isChecked()
        trial = actions.read(self.ctx, lambda s: ledger.trial_balance(s, on, before_closing=before))
        self.trial_model.set_rows(trial.rows)
        if trial.balanced:
            state = f"<span style='color:{OK}'><b>✔ {self.tr('Seimbang')}</b></span>"
        else:
            state = (
                f"<span style='color:{WARN}'><b>✘ "
                + self.tr("Tidak seimbang: selisih %1").replace(
                    "%1", format_rupiah(abs(trial.total_debit - trial.total_credit))
                )
                + "</b></span>"
            )
        self.trial_totals.setText(
            self.tr("%1 akun · Jumlah debit <b>%2</b> · Jumlah kredit <b>%3</b> · %4")
            .replace("%1", str(len(trial.rows)))
            .replace("%2", format_rupiah(trial.total_debit))
            .replace("%3", format_rupiah(trial.total_credit))
            .replace("%4", state)
        )

    # == Kas Opname =============================================================================

    def _count_tab(self) -> QWidget:
        page = QWidget()
        self.o_date = DateEdit(page)
        bar = QHBoxLayout()
        bar.addWidget(_caption(self.tr("&Tanggal:"), self.o_date))
        bar.addWidget(self.o_date)
        self.count_state = _info_label()
        bar.addWidget(self.count_state, 1)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        for place, text in enumerate(
            (self.tr("Pecahan"), self.tr("Lembar/keping"), self.tr("Jumlah"))
        ):
            head = QLabel(f"<b>{text}</b>")
            if place != 1:
                head.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(head, 0, place)
        self.pieces: dict[int, QSpinBox] = {}
        self.values: dict[int, QLabel] = {}
        for row, denomination in enumerate(DENOMINATIONS, start=1):
            kind = self.tr("kertas") if denomination > 1_000 else self.tr("logam")
            if denomination == 1_000:
                kind = self.tr("kertas/logam")
            label = QLabel(
                f"{format_rupiah(denomination)} <span style='color:#555'>({kind})</span>"
            )
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin = QSpinBox()
            spin.setRange(0, 999_999)
            spin.setGroupSeparatorShown(True)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(110)
            spin.setAccessibleName(format_rupiah(denomination))
            spin.valueChanged.connect(lambda _v: self._update_count())
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(130)
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(value, row, 2)
            self.pieces[denomination] = spin
            self.values[denomination] = value
        chain: list[QWidget] = [self.o_date, *self.pieces.values()]

        self.count_totals = _info_label()
        self.count_totals.setStyleSheet("font-size: 12pt;")
        self.count_note = QLineEdit()
        self.count_note.setPlaceholderText(
            self.tr("Wajib diisi bila ada selisih, misalnya: uang receh terselip")
        )
        self.count_note.setMaxLength(300)
        self.count_note.textChanged.connect(lambda _t: self._update_count())
        self.count_note.returnPressed.connect(self.save_count)
        self.count_note_hint = QLabel()
        self.save_count_button = _button(self.tr("Si&mpan hitungan"), self.save_count)
        self.close_day_button = _button(
            self.tr("T&utup kas hari ini..."),
            self.close_day,
            self.tr(
                "Mengunci tanggal ini: tidak ada transaksi lagi yang bisa dicatat pada tanggal ini"
            ),
        )
        self.count_print_button = _button(self.tr("Cetak &berita acara"), self.print_count)
        chain += [
            self.count_note,
            self.save_count_button,
            self.close_day_button,
            self.count_print_button,
        ]

        left = QVBoxLayout()
        left.addLayout(grid)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.count_totals)
        note_row = QHBoxLayout()
        note_row.addWidget(_caption(self.tr("&Catatan:"), self.count_note))
        note_row.addWidget(self.count_note, 1)
        right.addLayout(note_row)
        right.addWidget(self.count_note_hint)
        buttons = QHBoxLayout()
        for button in (self.save_count_button, self.close_day_button, self.count_print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        explain = QLabel(
            self.tr(
                "Hitung uang di laci per pecahan (Tab pindah ke pecahan berikutnya). Jumlahnya "
                "dibandingkan dengan saldo buku akun 1-101 Kas pada tanggal itu. Selisih tidak "
                "dibukukan otomatis: setelah penyebabnya diketahui, catat lewat Buku Kas. "
                "Setelah kas hari itu ditutup, tanggal itu terkunci."
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        right.addWidget(explain)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addSpacing(24)
        body.addLayout(right, 1)

        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addLayout(body, 1)
        for first, second in pairwise(chain):  # down the denominations, then the note
            QWidget.setTabOrder(first, second)
        self.o_date.dateChanged.connect(lambda _d: self.refresh_count())
        return page

    def counts(self) -> dict[int, int]:
        return {d: spin.value() for d, spin in self.pieces.items()}

    def counted_total(self) -> int:
        return sum(d * n for d, n in self.counts().items())

    def refresh_count(self) -> None:
        self._stale[OPNAME] = False
        on = self.o_date.value()
        self.count_info, self.book_balance = actions.read(
            self.ctx, lambda s: (cash_count.get_count(s, on), book_cash(s, on))
        )
        info = self.count_info
        stored = dict(info.counts) if info else {}
        for denomination, spin in self.pieces.items():
            spin.blockSignals(True)
            spin.setValue(stored.get(denomination, 0))
            spin.blockSignals(False)
        self.count_note.blockSignals(True)
        self.count_note.setText(info.note if info else "")
        self.count_note.blockSignals(False)
        closed = bool(info and info.closed)
        for widget in (*self.pieces.values(), self.count_note, self.save_count_button):
            widget.setEnabled(not closed)
        self.close_day_button.setEnabled(info is not None and not closed)
        self.count_print_button.setEnabled(info is not None)
        if info is None:
            state = self.tr("Kas tanggal ini belum dihitung.")
        else:
            state = (
                self.tr("Dihitung oleh %1 pada %2: %3.")
                .replace("%1", info.counted_by)
                .replace("%2", dates.format_datetime(info.counted_at))
                .replace("%3", format_rupiah(info.total))
            )
            if closed:
                state += (
                    f" <span style='color:{OK}'><b>"
                    + self.tr("Hari sudah ditutup (terkunci).")
                    + "</b></span>"
                )
            elif info.book_balance != self.book_balance:
                state += (
                    f" <span style='color:{WARN}'><b>"
                    + self.tr("Saldo buku berubah sejak dihitung; simpan hitungan lagi.")
                    + "</b></span>"
                )
            else:
                state += " " + self.tr("Hari belum ditutup.")
        self.count_state.setText(state)
        self._update_count()

    def _update_count(self) -> None:
        for denomination, spin in self.pieces.items():
            value = denomination * spin.value()
            self.values[denomination].setText(format_rupiah(value) if value else "–")
        total = self.counted_total()
        difference = total - self.book_balance
        if difference == 0:
            diff = f"<span style='color:{OK}'><b>{self.tr('Rp0 (cocok)')}</b></span>"
        else:
            word = self.tr("lebih") if difference > 0 else self.tr("kurang")
            diff = (
                f"<span style='color:{WARN}'><b>{format_rupiah(abs(difference))} "
                f"({word})</b></span>"
            )
        self.count_totals.setText(
            self.tr(
                "Uang dihitung: <b>%1</b><br>Saldo buku kas (1-101) per %2: <b>%3</b>"
                "<br>Selisih: %4"
            )
            .replace("%1", format_rupiah(total))
            .replace("%2", dates.format_date(self.o_date.value()))
            .replace("%3", format_rupiah(self.book_balance))
            .replace("%4", diff)
        )
        needs_note = difference != 0 and not self.count_note.text().strip()
        self.count_note_hint.setText(
            f"<span style='color:{WARN}'>"
            + self.tr("Ada selisih: tulis catatan penyebabnya sebelum menyimpan.")
            + "</span>"
            if needs_note
            else ""
        )

    def save_count(self) -> bool:
        on = self.o_date.value()
        counts = self.counts()
        note = self.count_note.text()
        saved = actions.write(
            self.ctx,
            self,
            lambda s: cash_count.record_count(s, on, counts, by=self.ctx.user, note=note),
        )
        if saved is None:
            if self.counted_total() != self.book_balance and not note.strip():
                self.count_note.setFocus()
            return False
        self._after_change()
        return True

    def close_day(self) -> None:
        on = self.o_date.value()
        info = self.count_info
        if info is None:
            return
        if not prompts.confirm(
            self,
            self.tr("Tutup kas hari ini"),
            self.tr(
                "Tutup kas tanggal %1? Uang dihitung %2, selisih %3.\n\nSetelah ditutup, "
                "tidak ada transaksi yang dapat dicatat lagi pada tanggal %1 dan hitungan kas "
                "tidak dapat diubah."
            )
            .replace("%1", dates.format_date(on))
            .replace("%2", format_rupiah(info.total))
            .replace("%3", format_rupiah(info.difference)),
            yes=self.tr("T&utup kas"),
            no=self.tr("&Batal"),
            warning=True,
        ):
            return
        if actions.write(self.ctx, self, lambda s: cash_count.close_day(s, on, by=self.ctx.user)):
            self._after_change()

    def print_count(self) -> None:
        cash_preview.show_cash_count(self.ctx, self, self.o_date.value())

    # == Bagan Akun =============================================================================

    def _chart_tab(self) -> QWidget:
        page = QWidget()
        self.a_inactive = QCheckBox(self.tr("&Tampilkan juga akun nonaktif"))
        self.a_inactive.setChecked(True)
        self.add_account_button = _button(self.tr("Tam&bah akun..."), self.add_account)
        self.rename_button = _button(self.tr("&Ubah nama..."), self.rename_account)
        self.deactivate_button = _button(self.tr("Nonakti&fkan..."), self.deactivate_account)
        self.reactivate_button = _button(self.tr("Akt&ifkan lagi"), self.reactivate_account)
        bar = QHBoxLayout()
        bar.addWidget(self.a_inactive)
        bar.addStretch(1)
        for button in (
            self.add_account_button,
            self.rename_button,
            self.deactivate_button,
            self.reactivate_button,
        ):
            bar.addWidget(button)
        self.chart_model: RowsModel[ChartRow] = RowsModel(CHART_COLUMNS, self)
        self.chart_model.dim = lambda r: not r.active
        self.chart_table = _table(
            self.chart_model,  # type: ignore[arg-type]
            {
                0: "1-3021",
                2: "Liabilitas",
                3: "Kredit",
                4: "Rp9.999.999.999",
                5: "Nonaktif, dipakai program, kontra",
            },
            stretch=1,
        )
        self.chart_summary = QLabel()
        self.chart_summary.setStyleSheet("color: #555;")
        self.a_inactive.toggled.connect(lambda _on: self.refresh_chart())
        self.chart_table.selectionModel().selectionChanged.connect(
            lambda _n, _o: self._chart_buttons()
        )
        self.chart_table.activated.connect(lambda _i: self.rename_account())
        column = QVBoxLayout(page)
        column.addLayout(bar)
        column.addWidget(self.chart_table, 1)
        column.addWidget(self.chart_summary)
        return page

    def refresh_chart(self, *, select: str = "") -> None:
        self._stale[BAGAN] = False
        chosen = self.selected_account()
        keep = select or (chosen.code if chosen else "")
        include = self.a_inactive.isChecked()
        rows = actions.read(self.ctx, lambda s: chart_rows(s, include_inactive=include))
        self.chart_model.set_rows(rows)
        number = next((i for i, r in enumerate(rows) if r.code == keep), 0 if rows else -1)
        if number >= 0:
            self.chart_table.selectRow(number)
            self.chart_table.scrollTo(self.chart_model.index(number, 0))
        inactive = sum(1 for r in rows if not r.active)
        self.chart_summary.setText(
            self.tr(
                "%1 akun (%2 nonaktif). Saldo dihitung dari semua jurnal, di sisi normal akun. "
                "Akun tidak pernah dihapus; akun yang dipakai program atau masih bersaldo "
                "tidak dapat dinonaktifkan."
            )
            .replace("%1", format_number(len(rows)))
            .replace("%2", str(inactive))
        )
        self._chart_buttons()

    def selected_account(self) -> ChartRow | None:
        rows = self.chart_table.selectionModel().selectedRows()
        return self.chart_model.row(rows[0].row()) if rows else None

    def _chart_buttons(self) -> None:
        row = self.selected_account()
        self.rename_button.setEnabled(row is not None)
        self.deactivate_button.setEnabled(row is not None and row.active)
        self.reactivate_button.setEnabled(row is not None and not row.active)

    def _account_info(self, row: ChartRow) -> account_service.AccountInfo:
        return account_service.AccountInfo(
            0, row.code, row.name, row.group, row.normal, row.is_contra, row.active, row.is_system
        )

    def add_account(self) -> None:
        from app.ui.dialogs.account_form import open_account_form

        row = self.selected_account()
        saved = open_account_form(
            self.ctx,
            self,
            selected=row.code if row else "",
            group=row.group if row else "beban",
        )
        if saved is not None:
            self._after_change()
            self.refresh_chart(select=saved.code)

    def rename_account(self) -> None:
        from app.ui.dialogs.account_form import open_account_form

        row = self.selected_account()
        if row is None:
            return
        saved = open_account_form(self.ctx, self, rename=self._account_info(row))
        if saved is not None:
            self._after_change()
            self.refresh_chart(select=saved.code)

    def deactivate_account(self) -> None:
        row = self.selected_account()
        if row is None or not row.active:
            return
        if not prompts.confirm(
            self,
            self.tr("Nonaktifkan akun"),
            self.tr(
                "Nonaktifkan akun %1 %2? Akun ini tidak muncul lagi di pilihan akun; "
                "riwayatnya tetap ada dan akun dapat diaktifkan lagi."
            )
            .replace("%1", row.code)
            .replace("%2", row.name),
            yes=self.tr("&Nonaktifkan"),
            no=self.tr("&Batal"),
        ):
            return
        code = row.code
        if actions.write(
            self.ctx, self, lambda s: account_service.deactivate_account(s, code, by=self.ctx.user)
        ):
            self._after_change()
            self.refresh_chart(select=code)

    def reactivate_account(self) -> None:
        row = self.selected_account()
        if row is None or row.active:
            return
        code = row.code
        if actions.write(
            self.ctx, self, lambda s: account_service.reactivate_account(s, code, by=self.ctx.user)
        ):
            self._after_change()
            self.refresh_chart(select=code)

    # == refresh ================================================================================

    def refresh(self) -> None:
        """Everything may have changed: reload the visible tab, the others when opened."""
        self._stale = dict.fromkeys(self._stale, True)
        self._refresh_tab(self.tabs.currentIndex())

    def _refresh_tab(self, index: int) -> None:
        if index == BUKU_KAS:
            self.refresh_cash()
        elif index == JURNAL:
            self.refresh_journal()
        elif index == BUKU_BESAR:
            self.refresh_ledger(reload_accounts=True)
        elif index == NERACA:
            self.refresh_trial()
        elif index == OPNAME:
            self.refresh_count()
        elif index == BAGAN:
            self.refresh_chart()

    def _tab_changed(self, index: int) -> None:
        if self._stale.get(index, False):
            self._refresh_tab(index)

    def _step_tab(self, step: int) -> None:
        count = self.tabs.count()
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)
        self.tabs.currentWidget().setFocus(Qt.FocusReason.TabFocusReason)

    def _after_change(self) -> None:
        """After a write: the shell refreshes the visible screen on data_changed; a screen
        outside the shell (tests, a dialog's parent) refreshes itself."""
        shown_in_shell = self.isVisible() and isinstance(self.window(), QMainWindow)
        if not shown_in_shell:
            self.refresh()
