"""Simpanan: member balances, and the monthly wajib collection (JOURNEYS.md 3).

The main window calls ``refresh()`` when this screen is shown and after any
change (``ctx.bus.data_changed``), so the screen never calls other screens.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.ledger import Posted
from app.money import format_number, format_rupiah
from app.queries.savings import savings_list, wajib_due
from app.services import savings
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.qtmodels.savings_models import CollectModel, SavingsModel
from app.ui.widgets.date_edit import DateEdit

MONTHS_BACK = 24


def _month_key(day: date) -> int:
    """202512 for December 2025: an int survives QVariant round trips, a tuple does not."""
    return day.year * 100 + day.month


def _set_widths(table: QTableView, samples: dict[int, str], *, stretch: int) -> None:
    """Column widths from sample text: ResizeToContents would read thousands of rows per reset."""
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, sample in samples.items():
        table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)


class CollectTable(QTableView):
    """Space ticks the selected rows; typing a number edits "Jumlah dibayar" of the current row."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        model = self.model()
        if isinstance(model, CollectModel) and self.state() != QAbstractItemView.State.EditingState:
            if event.key() == Qt.Key.Key_Space and not event.modifiers():
                rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
                if not rows and self.currentIndex().isValid():
                    rows = [self.currentIndex().row()]
                model.toggle(rows)
                return
            if event.text().isdigit() and self.currentIndex().isValid():
                current = self.currentIndex()
                if current.column() != CollectModel.PAID:
                    self.setCurrentIndex(model.index(current.row(), CollectModel.PAID))
        super().keyPressEvent(event)


class SimpananView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_posted: list[int] = []

        title = QLabel("<h2>" + self.tr("Simpanan") + "</h2>")
        self.deposit_button = QPushButton(self.tr("Setoran (F2)"))
        self.deposit_button.setToolTip(
            self.tr("Setoran simpanan untuk anggota yang dipilih (F2 dari mana saja)")
        )
        self.withdraw_button = QPushButton(self.tr("Penarikan (F3)"))
        self.withdraw_button.setToolTip(
            self.tr("Penarikan simpanan sukarela anggota yang dipilih (F3 dari mana saja)")
        )
        self.deposit_button.clicked.connect(self.open_deposit)
        self.withdraw_button.clicked.connect(self.open_withdraw)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.deposit_button)
        top.addWidget(self.withdraw_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._balances_tab(), self.tr("&Saldo Simpanan"))
        self.tabs.addTab(self._collect_tab(), self.tr("Tagih &Wajib"))
        self._stale = {0: True, 1: True}
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        # No query here: the main window calls refresh() right after building the screen.

    # -- Saldo Simpanan ----------------------------------------------------------------

    def _balances_tab(self) -> QWidget:
        page = QWidget()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Nomor atau nama anggota"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Cari:"))
        search_label.setBuddy(self.search)
        self.include_exited = QCheckBox(self.tr("Termasuk anggota yang sudah &keluar"))
        self.balance_model = SavingsModel(self)
        self.balance_table = QTableView()
        self.balance_table.setModel(self.balance_model)
        self.balance_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.balance_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.balance_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.balance_table.setSortingEnabled(True)
        self.balance_table.sortByColumn(SavingsModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.balance_table.verticalHeader().setVisible(False)
        self.balance_table.setAlternatingRowColors(True)
        _set_widths(
            self.balance_table,
            {
                SavingsModel.NUMBER: "00000",
                SavingsModel.STATUS: "Diberhentikan",
                SavingsModel.POKOK: "Rp999.999.999",
                SavingsModel.WAJIB: "Rp999.999.999",
                SavingsModel.SUKARELA: "Rp999.999.999",
                SavingsModel.TOTAL: "Rp9.999.999.999",
            },
            stretch=SavingsModel.NAME,
        )
        self.balance_table.doubleClicked.connect(lambda _i: self.open_deposit())
        self.balance_table.activated.connect(lambda _i: self.open_deposit())

        self.search.textChanged.connect(self.balance_model.set_filter)
        self.search.returnPressed.connect(self.balance_table.setFocus)
        self.include_exited.toggled.connect(lambda _on: self.refresh_balances())

        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.include_exited)
        hint = QLabel(
            self.tr(
                "Enter atau klik dua kali pada anggota untuk setoran. "
                "Klik judul kolom untuk mengurutkan."
            )
        )
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.balance_table, 1)
        layout.addWidget(hint)
        return page

    def refresh_balances(self) -> None:
        status = None if self.include_exited.isChecked() else "aktif"
        selected = self.selected_member()
        rows = actions.read(self.ctx, lambda s: savings_list(s, status=status))
        self._stale[0] = False
        self.balance_model.set_rows(rows)
        if selected:
            self._select_balance_row(selected)

    def _select_balance_row(self, member_id: int) -> None:
        row = self.balance_model.row_of(member_id)
        if row >= 0:
            self.balance_table.selectRow(row)
            self.balance_table.scrollTo(self.balance_model.index(row, 0))

    # -- Tagih Wajib -------------------------------------------------------------------

    def _collect_tab(self) -> QWidget:
        page = QWidget()
        self.month = QComboBox()
        today = dates.today()
        for back in range(-1, MONTHS_BACK):  # next month (collected early) back two years
            first = dates.add_months(date(today.year, today.month, 1), -back)
            self.month.addItem(dates.format_month(first.year, first.month), _month_key(first))
        self.month.setCurrentIndex(self.month.findData(_month_key(today)))
        month_label = QLabel(self.tr("&Bulan:"))
        month_label.setBuddy(self.month)
        self.pay_date = DateEdit(self)
        date_label = QLabel(self.tr("Tanggal ba&yar:"))
        date_label.setBuddy(self.pay_date)
        self.check_all_button = QPushButton(self.tr("C&entang semua"))
        self.check_all_button.setAutoDefault(False)

        self.collect_model = CollectModel(self)
        self.collect_table = CollectTable()
        self.collect_table.setModel(self.collect_model)
        self.collect_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.collect_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.collect_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.collect_table.verticalHeader().setVisible(False)
        self.collect_table.setAlternatingRowColors(True)
        _set_widths(
            self.collect_table,
            {
                CollectModel.CHECK: "M",
                CollectModel.NUMBER: "00000",
                CollectModel.PHONE: "+62812345678901",
                CollectModel.DUSUN: "Sukamaju Wetan",
                CollectModel.MONTHS: "12 (Jan 2024 – Des 2025)",
                CollectModel.ARREARS: "Rp99.999.999",
                CollectModel.PAID: "Jumlah dibayar ",
            },
            stretch=CollectModel.NAME,
        )

        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.save_button = QPushButton(self.tr("Simpan &pembayaran"))
        self.save_button.setAutoDefault(False)
        self.print_button = QPushButton(self.tr("Ceta&k kwitansi terakhir"))
        self.print_button.setAutoDefault(False)
        self.print_button.setEnabled(False)

        self.month.currentIndexChanged.connect(lambda _i: self.refresh_collect(keep=False))
        self.check_all_button.clicked.connect(self._check_all_clicked)
        self.collect_model.ticks_changed.connect(self._update_summary)
        self.collect_model.refused.connect(self.message.setText)
        self.save_button.clicked.connect(self.save_collection)
        self.print_button.clicked.connect(self.print_last)

        bar = QHBoxLayout()
        bar.addWidget(month_label)
        bar.addWidget(self.month)
        bar.addSpacing(16)
        bar.addWidget(date_label)
        bar.addWidget(self.pay_date)
        bar.addStretch(1)
        bar.addWidget(self.check_all_button)
        hint = QLabel(
            self.tr(
                "Spasi mencentang anggota yang membayar; ketik angka untuk mengubah jumlah "
                "yang dibayar. Semua yang dicentang disimpan sekaligus, satu kwitansi per anggota."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addWidget(self.collect_table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.month, self.pay_date)
        QWidget.setTabOrder(self.pay_date, self.check_all_button)
        QWidget.setTabOrder(self.check_all_button, self.collect_table)
        QWidget.setTabOrder(self.collect_table, self.save_button)
        return page

    def selected_month(self) -> tuple[int, int]:
        data = self.month.currentData()
        if isinstance(data, int) and data:
            return divmod(data, 100)
        today = dates.today()
        return today.year, today.month

    def refresh_collect(self, *, keep: bool = True) -> None:
        year, month = self.selected_month()
        rows = actions.read(self.ctx, lambda s: wajib_due(s, year, month))
        self._stale[1] = False
        self.collect_model.set_rows(rows, keep=keep)
        self.message.clear()

    def _check_all_clicked(self) -> None:
        self.collect_model.check_all(not self.collect_model.all_checked())

    def _update_summary(self) -> None:
        ticked, listed, total = self.collect_model.summary()
        year, month = self.selected_month()
        if not listed:
            self.summary.setText(
                self.tr("Semua anggota aktif sudah lunas wajib s.d. %1.").replace(
                    "%1", dates.format_month(year, month)
                )
            )
        else:
            self.summary.setText(
                self.tr("%1 anggota belum lunas s.d. %2 · dicentang %3 · jumlah %4")
                .replace("%1", format_number(listed))
                .replace("%2", dates.format_month(year, month))
                .replace("%3", str(ticked))
                .replace("%4", format_rupiah(total))
            )
        self.save_button.setEnabled(ticked > 0)
        all_checked = self.collect_model.all_checked()
        self.check_all_button.setText(
            self.tr("Hapus c&entang") if all_checked else self.tr("C&entang semua")
        )

    def save_collection(self) -> list[int]:
        """Post every ticked row in one unit of work; then offer the receipts."""
        payments = self.collect_model.payments()
        year, month = self.selected_month()
        on = self.pay_date.value()
        label = dates.format_month(year, month)

        def work(session: Session) -> list[Posted]:
            return savings.collect_wajib(
                session, payments, on=on, by=self.ctx.user, month_label=label
            )

        posted = actions.write(self.ctx, self, work)
        if not posted:
            return []
        ids = [p.id for p in posted]
        self.last_posted = ids
        self.print_button.setEnabled(True)
        self.print_button.setText(
            self.tr("Ceta&k kwitansi terakhir (%1)").replace("%1", str(len(ids)))
        )
        self.refresh_collect(keep=False)
        self.message.setText("")
        if prompts.confirm(
            self,
            self.tr("Pembayaran wajib tersimpan"),
            self.tr(
                "%1 pembayaran simpanan wajib %2 tersimpan, jumlah %3.\n\n"
                "Cetak kwitansinya sekarang?"
            )
            .replace("%1", str(len(ids)))
            .replace("%2", label)
            .replace("%3", format_rupiah(sum(amount for _, amount in payments))),
            yes=self.tr("&Cetak kwitansi"),
            no=self.tr("&Nanti saja"),
        ):
            self.print_last()
        return ids

    def print_last(self) -> None:
        if self.last_posted:
            from app.ui.dialogs import receipt_preview

            receipt_preview.show_receipts(self.ctx, self, self.last_posted)

    # -- both --------------------------------------------------------------------------

    def selected_member(self) -> int:
        if self.tabs.currentIndex() == 1:
            index = self.collect_table.currentIndex()
            return self.collect_model.member_id(index.row()) if index.isValid() else 0
        rows = self.balance_table.selectionModel().selectedRows()
        if rows:
            return self.balance_model.member_id(rows[0].row())
        return 0

    def open_deposit(self) -> None:
        from app.ui.dialogs.deposit import open_deposit

        open_deposit(self.ctx, self, self.selected_member())

    def open_withdraw(self) -> None:
        from app.ui.dialogs.withdraw import open_withdraw

        open_withdraw(self.ctx, self, self.selected_member())

    def refresh(self) -> None:
        """Reload the visible tab now; the other one reloads when it is opened."""
        self._stale = {0: True, 1: True}
        self._refresh_tab(self.tabs.currentIndex())

    def _refresh_tab(self, index: int) -> None:
        if index == 1:
            self.refresh_collect()
        else:
            self.refresh_balances()

    def _tab_changed(self, index: int) -> None:
        if self._stale.get(index, False):
            self._refresh_tab(index)
        self._focus_tab()

    def focus_item(self, member_id: int) -> None:
        """Navigation from elsewhere (bus.navigate): show that member's balances."""
        self.tabs.setCurrentIndex(0)
        self.search.clear()
        if self._stale[0]:
            self.refresh_balances()
        self._select_balance_row(member_id)

    def _focus_tab(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.collect_table.setFocus()
            if not self.collect_table.currentIndex().isValid() and self.collect_model.rowCount():
                self.collect_table.setCurrentIndex(self.collect_model.index(0, CollectModel.NAME))
        else:
            self.search.setFocus()
