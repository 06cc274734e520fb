"""Beranda: the figures of the day, the counter's buttons, who owes wajib, which loans fall due."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.money import format_number, format_rupiah
from app.queries.dashboard import Summary, summary
from app.queries.loan_dashboard import LoanDashboard, loan_dashboard
from app.queries.savings import WajibDue, wajib_due
from app.queries.trends import MONTHS, MonthFigures, monthly_trends
from app.services.settings import get_profile
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.widgets.trend_chart import TrendChart

SHORT_LIST = 8
CARD_VALUE_PT = 17  # the figure on a card; 13pt when it does not fit the card's width

STYLE = """
QFrame#card {
    background: #ffffff;
    border: 1px solid #d9dde3;
    border-radius: 8px;
}
QLabel#cardCaption { color: #5f6b7a; }
QLabel#cardValue { font-size: 17pt; font-weight: 600; color: #1f2933; }
QLabel#cardValue[compact="true"] { font-size: 13pt; }
QLabel#cardNote { color: #5f6b7a; }
QPushButton#quick { padding: 10px 18px; font-weight: 600; }
"""


def _keep_together(text: str) -> str:
    """Keep "Perempuan 2.595" whole: a narrow card wraps the note at its " · " only."""
    return " · ".join(part.replace(" ", "\N{NO-BREAK SPACE}") for part in text.split(" · "))


class Card(QFrame):
    """A caption, a big figure, and a small note under it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardCaption")
        self.value = QLabel("—")
        self.value.setObjectName("cardValue")
        # A big book's "Rp26.698.101.219" must not make the page wider than the window:
        # the figure takes the card's width and is written smaller when it does not fit.
        self.value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note = QLabel("")
        self.note.setObjectName("cardNote")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        full = QFont(self.value.font())
        full.setPointSizeF(CARD_VALUE_PT)
        compact = QFontMetrics(full).horizontalAdvance(self.value.text()) > self.value.width()
        if bool(self.value.property("compact")) != compact:
            self.value.setProperty("compact", compact)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)


class BerandaView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: Summary | None = None
        self.due: list[WajibDue] = []
        self.setStyleSheet(STYLE)
        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._show)
        # The charts read 24 month ends (a second or two on a big book) with their own
        # reader, started once the cards are shown: the cards never wait for the charts,
        # nor share the processor with them.
        self.trends_loader = BackgroundRead(ctx.book.path, self)
        self.trends_loader.loaded.connect(self._show_trends)
        self.trends_loader.failed.connect(self._trends_failed)
        self.loader.failed.connect(self._load_trends)
        self._trends_on: date | None = None  # the charts still to load, up to this day
        self._build()
        # No refresh here: the main window refreshes a screen each time it shows it.

    def _build(self) -> None:
        tr = self.tr
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet("color: #5f6b7a;")

        self.deposit_button = QPushButton(tr("Setoran simpanan   F2"))
        self.withdraw_button = QPushButton(tr("Penarikan sukarela   F3"))
        self.register_button = QPushButton(tr("Anggota baru   F4"))
        quick = QHBoxLayout()
        for button in (self.deposit_button, self.withdraw_button, self.register_button):
            button.setObjectName("quick")
            button.setAutoDefault(False)
            quick.addWidget(button)
        quick.addStretch(1)
        self.deposit_button.clicked.connect(self.deposit)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.register_button.clicked.connect(self.register_member)

        self.members_card = Card(tr("Anggota aktif"))
        self.savings_card = Card(tr("Total simpanan anggota"))
        self.cash_card = Card(tr("Saldo kas"))
        self.today_card = Card(tr("Transaksi hari ini"))
        self.pokok_card = Card(tr("Simpanan pokok"))
        self.wajib_card = Card(tr("Simpanan wajib"))
        self.sukarela_card = Card(tr("Simpanan sukarela"))
        self.arrears_card = Card(tr("Tunggakan wajib bulan ini"))
        self.loans_card = Card(tr("Pinjaman beredar"))
        self.overdue_card = Card(tr("Pinjaman menunggak"))
        self.npl_card = Card(tr("NPL"))
        self.due_week_card = Card(tr("Jatuh tempo 7 hari"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        cards = (
            self.members_card,
            self.savings_card,
            self.cash_card,
            self.today_card,
            self.pokok_card,
            self.wajib_card,
            self.sukarela_card,
            self.arrears_card,
            self.loans_card,
            self.overdue_card,
            self.npl_card,
            self.due_week_card,
        )
        for number, card in enumerate(cards):
            grid.addWidget(card, number // 4, number % 4)
        for column in range(4):
            grid.setColumnStretch(column, 1)

        self.arrears_title = QLabel()
        self.arrears_title.setObjectName("arrearsTitle")
        self.arrears_title.setStyleSheet("font-weight: 600;")
        self.arrears_title.setWordWrap(True)
        self.collect_button = QPushButton(tr("Tagih wajib di &Simpanan"))
        self.collect_button.setAutoDefault(False)
        self.collect_button.clicked.connect(self.open_collection)
        arrears_head = QHBoxLayout()
        arrears_head.addWidget(self.arrears_title)
        arrears_head.addStretch(1)
        arrears_head.addWidget(self.collect_button)
        self.arrears_table = QTableWidget(0, 5)
        self.arrears_table.setObjectName("arrearsList")
        self.arrears_table.setHorizontalHeaderLabels(
            [tr("No."), tr("Nama"), tr("Dusun"), tr("Bulan"), tr("Tunggakan")]
        )
        self.arrears_table.verticalHeader().hide()
        self.arrears_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.arrears_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.arrears_table.setAlternatingRowColors(True)
        self.arrears_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.arrears_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 60), (2, 120), (3, 60), (4, 115)):
            self.arrears_table.setColumnWidth(column, width)
        self.arrears_table.verticalHeader().setDefaultSectionSize(26)
        self.arrears_table.cellDoubleClicked.connect(self._open_member)
        self.more_label = QLabel()
        self.more_label.setStyleSheet("color: #5f6b7a;")

        self.due_title = QLabel()
        self.due_title.setStyleSheet("font-weight: 600;")
        self.due_table = QTableWidget(0, 3)
        self.due_table.setObjectName("dueList")
        self.due_table.setHorizontalHeaderLabels(
            [tr("Jatuh tempo"), tr("Anggota"), tr("Belum dibayar")]
        )
        self.due_table.verticalHeader().hide()
        self.due_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.due_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.due_table.setAlternatingRowColors(True)
        self.due_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.due_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 85), (2, 100)):
            self.due_table.setColumnWidth(column, width)
        self.due_table.verticalHeader().setDefaultSectionSize(26)
        self.due_table.cellDoubleClicked.connect(self._open_loan)

        self.trends_title = QLabel(
            tr("Perkembangan %1 bulan terakhir (posisi akhir bulan)").replace("%1", str(MONTHS))
        )
        self.trends_title.setStyleSheet("font-weight: 600;")
        self.chart = TrendChart()
        self.chart.setObjectName("trendChart")

        # The page scrolls when the window is small: the charts and the lists keep their size.
        page = QWidget()
        page.setObjectName("berandaPage")
        scroll = QScrollArea()
        scroll.setObjectName("berandaScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.page_scroll = scroll

        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(4)
        layout.addLayout(quick)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addSpacing(6)
        layout.addWidget(self.trends_title)
        layout.addWidget(self.chart)
        layout.addSpacing(6)
        lists = QHBoxLayout()
        lists.setSpacing(16)
        savings_column = QVBoxLayout()
        savings_column.addLayout(arrears_head)
        savings_column.addWidget(self.arrears_table, 1)
        savings_column.addWidget(self.more_label)
        loans_column = QVBoxLayout()
        loans_column.addWidget(self.due_title)
        loans_column.addWidget(self.due_table, 1)
        for table in (self.arrears_table, self.due_table):
            # Let the two lists share the width evenly instead of by their column sums.
            table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
            table.setMinimumHeight(26 * 6 + 30)  # a header and six rows, even in a small window
        lists.addLayout(savings_column, 1)
        lists.addLayout(loans_column, 1)
        layout.addLayout(lists, 1)

    # -- figures -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the figures in a worker thread: on a big book they take a second or two,
        and the window must be usable at once. The charts load on their own, after."""
        today = dates.today()
        self.loader.start(
            lambda s, _progress: (
                get_profile(s).name,
                summary(s, today),
                wajib_due(s, today.year, today.month),
                loan_dashboard(s, today),
            )
        )
        if not self.chart.figures:
            self.chart.set_loading()  # a refresh keeps the old charts until the new ones come
        self._trends_on = today

    def _load_trends(self, *_args: object) -> None:
        if self._trends_on is None:
            return
        today, self._trends_on = self._trends_on, None
        # The progress hook stops the reading when a refresh starts a new one.
        self.trends_loader.start(lambda s, progress: monthly_trends(s, today, progress=progress))

    def wait_loaded(self) -> None:
        """Block until the latest figures and charts are shown (tests)."""
        self.loader.wait()
        self.trends_loader.wait()

    def _show_trends(self, figures: tuple[MonthFigures, ...]) -> None:
        self.chart.set_figures(figures)

    def _trends_failed(self, error: Exception) -> None:
        self.chart.set_message(self.tr("Grafik tidak dapat dimuat: %1").replace("%1", str(error)))

    def _show(self, result: tuple[str, Summary, list[WajibDue], LoanDashboard]) -> None:
        today = dates.today()
        name, figures, due, lending = result
        self.summary = figures
        self.due = due
        tr = self.tr
        self.title.setText(name or tr("Beranda"))
        self.subtitle.setText(
            tr("Beranda · %1 · masuk sebagai %2")
            .replace("%1", dates.format_date_long(today))
            .replace("%2", self.ctx.user)
        )
        s = figures
        left = (
            tr("%1 sudah tidak aktif").replace("%1", format_number(s.left_members))
            if s.left_members
            else ""
        )
        by_sex = (
            tr("Laki-laki %1 · Perempuan %2")
            .replace("%1", format_number(s.active_men))
            .replace("%2", format_number(s.active_women))
        )
        self.members_card.set(
            format_number(s.active_members),
            _keep_together(by_sex) + (f"\n{left}" if left else ""),
        )
        self.savings_card.set(format_rupiah(s.savings_total), tr("pokok + wajib + sukarela"))
        self.cash_card.set(format_rupiah(s.cash), tr("akun 1-101 Kas"))
        self.today_card.set(
            format_number(s.entries_today),
            tr("%1 setoran simpanan").replace("%1", format_number(s.deposits_today)),
        )
        self.pokok_card.set(format_rupiah(s.pokok))
        self.wajib_card.set(format_rupiah(s.wajib))
        self.sukarela_card.set(format_rupiah(s.sukarela), tr("dapat ditarik"))
        total_due = sum(row.arrears for row in due)
        self.arrears_card.set(
            format_rupiah(total_due),
            tr("%1 anggota belum lunas").replace("%1", format_number(len(due)))
            if due
            else tr("semua lunas"),
        )
        self.arrears_card.value.setStyleSheet("color: #b3261e;" if due else "color: #2e7d32;")
        self._fill_arrears(due)
        self._fill_loans(lending)
        self._load_trends()

    def _fill_loans(self, lending: LoanDashboard) -> None:
        tr = self.tr
        loans = lending.summary
        self.loans_card.set(
            format_rupiah(loans.outstanding),
            tr("%1 pinjaman berjalan").replace("%1", format_number(loans.loans)),
        )
        self.overdue_card.set(
            format_number(loans.overdue_loans),
            tr("tunggakan %1").replace("%1", format_rupiah(loans.arrears)),
        )
        self.overdue_card.value.setStyleSheet(
            "color: #b3261e;" if loans.overdue_loans else "color: #2e7d32;"
        )
        percent = f"{lending.npl_percent}".replace(".", ",") + "%"
        self.npl_card.set(percent, tr(loans.health))
        self.npl_card.value.setStyleSheet(
            "color: #2e7d32;" if loans.health == "Sehat" else "color: #b3261e;"
        )
        due = lending.due_this_week
        self.due_week_card.set(
            format_number(len(due)),
            tr("angsuran, %1").replace("%1", format_rupiah(sum(d.unpaid for d in due))),
        )
        self.due_title.setText(
            tr("Angsuran jatuh tempo minggu ini: %1").replace("%1", format_number(len(due)))
        )
        self.due_table.setRowCount(len(due))
        for row, item in enumerate(due):
            cells = (
                dates.format_date(item.due),
                f"{item.member_number} · {item.member_name}",
                format_rupiah(item.unpaid),
            )
            detail = (
                tr("%1 angsuran ke-%2").replace("%1", item.loan_number).replace("%2", str(item.k))
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.loan_id)
                cell.setToolTip(detail)
                if column == 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.due_table.setItem(row, column, cell)

    def _fill_arrears(self, due: list[WajibDue]) -> None:
        tr = self.tr
        month = dates.format_month(dates.today().year, dates.today().month)
        self.arrears_title.setText(
            tr("Tunggakan simpanan wajib bulan ini (%1): %2 anggota")
            .replace("%1", month)
            .replace("%2", format_number(len(due)))
        )
        worst = sorted(due, key=lambda row: (-row.arrears, row.number))[:SHORT_LIST]
        self.arrears_table.setRowCount(len(worst))
        for row, item in enumerate(worst):
            cells = (
                item.number,
                item.name,
                item.dusun,
                format_number(item.months_owed),
                format_rupiah(item.arrears),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.member_id)
                if column >= 3:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.arrears_table.setItem(row, column, cell)
        self.arrears_table.setVisible(bool(worst))
        if len(due) > len(worst):
            self.more_label.setText(
                tr(
                    "Terbesar %1 ditampilkan; daftar lengkap ada di Simpanan > Tagih Wajib."
                ).replace("%1", str(len(worst)))
            )
        elif not due:
            self.more_label.setText(tr("Semua anggota aktif sudah membayar wajib bulan ini."))
        else:
            self.more_label.setText("")
        self.collect_button.setEnabled(bool(due))

    # -- buttons -----------------------------------------------------------------------

    def deposit(self) -> None:
        from app.ui.dialogs.deposit import open_deposit

        open_deposit(self.ctx, self)

    def withdraw(self) -> None:
        from app.ui.dialogs.withdraw import open_withdraw

        open_withdraw(self.ctx, self)

    def register_member(self) -> None:
        from app.ui.dialogs.member_form import open_register

        open_register(self.ctx, self)

    def open_collection(self) -> None:
        self.ctx.bus.navigate.emit("simpanan", 0)

    def _open_loan(self, row: int, _column: int) -> None:
        item = self.due_table.item(row, 0)
        if item is not None:
            self.ctx.bus.navigate.emit("pinjaman", int(item.data(Qt.ItemDataRole.UserRole)))

    def _open_member(self, row: int, _column: int) -> None:
        item = self.arrears_table.item(row, 0)
        if item is not None:
            self.ctx.bus.navigate.emit("anggota", int(item.data(Qt.ItemDataRole.UserRole)))
