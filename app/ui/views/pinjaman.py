"""Pinjaman: the loan list with its filters, the portfolio's health, and one loan in detail.

The list is the whole portfolio on a date (one query: outstanding, arrears, DPD,
kolektibilitas); the status, class, "menunggak" and search filters work on it
in memory. The detail panel shows the selected loan's terms, decision, schedule
(coloured, and the state in words for black-and-white printouts) and payments.
Every action opens its dialog; screens refresh on ``ctx.bus.data_changed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.models.loan import APPLIED, APPROVED, DISBURSED, LOAN_STATUSES, PAID_OFF, WRITTEN_OFF
from app.money import format_number, format_rupiah
from app.queries.loans import (
    Disbursement,
    LoanDetail,
    LoanRow,
    PortfolioSummary,
    disbursement,
    loan_detail,
    portfolio,
    summarize,
)
from app.services.loan_products import format_percent
from app.services.loan_state import CLASSES
from app.services.schedule import build_schedule
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs import pdf_preview
from app.ui.dialogs._counter import OK, WARN
from app.ui.dialogs.loan_decision import terms_html
from app.ui.qtmodels.loans_models import (
    STATUS_GROUPS,
    STATUS_TEXT,
    LoanListModel,
    PaymentLine,
    PaymentsModel,
    ScheduleModel,
    lines_from_plan,
    lines_from_states,
    payment_lines,
)
from app.ui.widgets.date_edit import DateEdit

HEALTH_COLOR = {"Sehat": OK, "Cukup Sehat": "#8a6d00", "Kurang Sehat": WARN, "Tidak Sehat": WARN}


@dataclass(frozen=True)
class Portfolio:
    rows: list[LoanRow]
    summary: PortfolioSummary


@dataclass(frozen=True)
class Selected:
    detail: LoanDetail
    disbursement: Disbursement | None


def _load_portfolio(session: Session, on: date) -> Portfolio:
    rows = portfolio(session, on, statuses=LOAN_STATUSES)
    return Portfolio(rows, summarize(session, [r for r in rows if r.status == DISBURSED]))


def _load_selected(session: Session, loan_id: int, on: date) -> Selected:
    return Selected(loan_detail(session, loan_id, on), disbursement(session, loan_id))


def _set_widths(table: QTableView, samples: dict[int, str], *, stretch: int) -> None:
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, sample in samples.items():
        table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)


class PinjamanView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected: Selected | None = None
        self.summary: PortfolioSummary | None = None

        title = QLabel("<h2>" + self.tr("Pinjaman") + "</h2>")
        self.new_button = QPushButton(self.tr("Pengajuan &baru (Ctrl+N)"))
        self.decide_button = QPushButton(self.tr("Setujui / T&olak..."))
        self.disburse_button = QPushButton(self.tr("Cair&kan..."))
        self.repay_button = QPushButton(self.tr("Bayar &angsuran..."))
        self.payoff_button = QPushButton(self.tr("Pe&lunasan..."))
        self.writeoff_button = QPushButton(self.tr("&Hapus buku..."))
        self.class_button = QPushButton(self.tr("Ubah kolektibilitas..."))
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        for button in (
            self.new_button,
            self.decide_button,
            self.disburse_button,
            self.repay_button,
            self.payoff_button,
            self.writeoff_button,
            self.class_button,
        ):
            button.setAutoDefault(False)
            top.addWidget(button)
        new_action = QAction(self)
        new_action.setShortcut(QKeySequence("Ctrl+N"))
        new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_action.triggered.connect(self.new_application)
        self.addAction(new_action)

        # -- filters -----------------------------------------------------------------------
        self.status = QComboBox()
        for label, statuses in STATUS_GROUPS:
            self.status.addItem(self.tr(label), list(statuses))
        self.klass = QComboBox()
        self.klass.addItem(self.tr("Semua"), "")
        for klass in CLASSES:
            self.klass.addItem(self.tr(klass), klass)
        self.overdue = QCheckBox(self.tr("Hanya yang &menunggak"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("No. pinjaman, nama atau nomor anggota"))
        self.search.setClearButtonEnabled(True)
        self.on_date = DateEdit(self)
        self.on_date.setToolTip(self.tr("Sisa pokok, tunggakan dan kolektibilitas per tanggal ini"))
        bar = QHBoxLayout()
        for text, widget in (
            (self.tr("&Status:"), self.status),
            (self.tr("Kole&ktibilitas:"), self.klass),
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addWidget(self.overdue)
        search_label = QLabel(self.tr("&Cari:"))
        search_label.setBuddy(self.search)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)
        date_label = QLabel(self.tr("Per &tanggal:"))
        date_label.setBuddy(self.on_date)
        bar.addWidget(date_label)
        bar.addWidget(self.on_date)

        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)

        # -- the list ----------------------------------------------------------------------
        self.model = LoanListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(LoanListModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        _set_widths(
            self.table,
            {
                LoanListModel.NUMBER: "P-2025-0000",
                LoanListModel.PRINCIPAL: "Rp999.999.999",
                LoanListModel.METHOD: "Menurun",
                LoanListModel.DISBURSED_ON: "31/12/2025",
                LoanListModel.OUTSTANDING: "Rp999.999.999",
                LoanListModel.ARREARS: "Rp99.999.999",
                LoanListModel.DPD: "DPD 999",
                LoanListModel.CLASS: "Kurang Lancar *",
                LoanListModel.STATUS: "Dihapusbukukan",
            },
            stretch=LoanListModel.MEMBER,
        )

        # -- the detail --------------------------------------------------------------------
        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.schedule_model = ScheduleModel(self)
        self.schedule_table = QTableView()
        self.schedule_table.setModel(self.schedule_model)
        self.schedule_table.verticalHeader().setVisible(False)
        self.schedule_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.schedule_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _set_widths(
            self.schedule_table,
            {
                ScheduleModel.K: "999",
                ScheduleModel.DUE: "31/12/2025",
                ScheduleModel.PRINCIPAL: "999.999.999",
                ScheduleModel.INTEREST: "99.999.999",
                ScheduleModel.AMOUNT: "999.999.999",
                ScheduleModel.LEFT: "999.999.999",
                ScheduleModel.PAID: "999.999.999",
            },
            stretch=ScheduleModel.STATE,
        )
        self.payments_model = PaymentsModel(self)
        self.payments_table = QTableView()
        self.payments_table.setModel(self.payments_model)
        self.payments_table.verticalHeader().setVisible(False)
        self.payments_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.payments_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.payments_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _set_widths(
            self.payments_table,
            {
                PaymentsModel.DATE: "31/12/2025",
                PaymentsModel.NUMBER: "AN-2025-000000",
                PaymentsModel.KIND: "Dari simpanan (keluar)",
                PaymentsModel.INTEREST: "99.999.999",
                PaymentsModel.PRINCIPAL: "999.999.999",
                PaymentsModel.PENALTY: "9.999.999",
                PaymentsModel.TOTAL: "999.999.999",
            },
            stretch=PaymentsModel.MEMO,
        )
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self.schedule_table, self.tr("&Jadwal angsuran"))
        self.detail_tabs.addTab(self.payments_table, self.tr("&Pembayaran"))
        self.legend = QLabel(
            self.tr(
                "Hijau: lunas · kuning: dibayar sebagian · merah: terlambat "
                "(kolom Status menyebutnya juga)."
            )
        )
        self.legend.setStyleSheet("color: #555;")
        self.card_button = QPushButton(self.tr("Cetak kartu angs&uran"))
        self.agreement_button = QPushButton(self.tr("Cetak ringkasan perj&anjian"))
        self.receipt_button = QPushButton(self.tr("Cetak k&witansi"))
        self.receipt_button.setToolTip(
            self.tr("Kwitansi baris yang dipilih di tab Pembayaran (atau bukti pencairan)")
        )
        prints = QHBoxLayout()
        prints.addWidget(self.legend, 1)
        for button in (self.card_button, self.agreement_button, self.receipt_button):
            button.setAutoDefault(False)
            prints.addWidget(button)

        detail = QWidget()
        detail_layout = QHBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_label.setMinimumWidth(380)
        self.detail_label.setMaximumWidth(470)
        detail_layout.addWidget(self.detail_label)
        right = QVBoxLayout()
        right.addWidget(self.detail_tabs, 1)
        right.addLayout(prints)
        detail_layout.addLayout(right, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)

        # -- signals -----------------------------------------------------------------------
        self.status.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.klass.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.overdue.toggled.connect(lambda _on: self._filters_changed())
        self.search.textChanged.connect(lambda _t: self._filters_changed())
        self.search.returnPressed.connect(self.table.setFocus)
        self.on_date.dateChanged.connect(lambda _d: self.refresh())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_reset)
        self.table.activated.connect(lambda _i: self.default_action())
        self.payments_table.activated.connect(lambda _i: self.print_receipt())
        self.new_button.clicked.connect(self.new_application)
        self.decide_button.clicked.connect(self.decide)
        self.disburse_button.clicked.connect(self.disburse)
        self.repay_button.clicked.connect(lambda: self.repay(payoff=False))
        self.payoff_button.clicked.connect(lambda: self.repay(payoff=True))
        self.writeoff_button.clicked.connect(self.write_off)
        self.class_button.clicked.connect(self.change_class)
        self.card_button.clicked.connect(lambda: self.print_document(pdf_preview.CARD))
        self.agreement_button.clicked.connect(lambda: self.print_document(pdf_preview.AGREEMENT))
        self.receipt_button.clicked.connect(self.print_receipt)
        self._pending_select = 0
        self._focus_target = 0
        self._show_detail()

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the portfolio on the chosen date; keep the selected loan."""
        keep = self.selected_id()
        on = self.on_date.value()
        loaded = actions.read(self.ctx, lambda s: _load_portfolio(s, on))
        self.summary = loaded.summary
        self._pending_select = keep
        self.model.set_rows(loaded.rows)
        self._show_summary()

    def _after_action(self, loan_id: int) -> None:
        """After a dialog: reload (unless the shell already did on data_changed), reselect."""
        shown_in_shell = self.isVisible() and isinstance(self.window(), QMainWindow)
        if not shown_in_shell:
            self.refresh()
        if loan_id:
            self.focus_item(loan_id)

    def _filters_changed(self) -> None:
        self._pending_select = self._focus_target or self.selected_id()
        statuses = self.status.currentData()
        self.model.set_filter(
            statuses=tuple(statuses) if statuses else LOAN_STATUSES,
            klass=str(self.klass.currentData() or ""),
            overdue_only=self.overdue.isChecked(),
            text=self.search.text(),
        )

    def _after_reset(self) -> None:
        self._focus_target = 0
        row = self.model.row_of(self._pending_select) if self._pending_select else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self._load_selected(0)

    def _show_summary(self) -> None:
        summary = self.summary
        if summary is None:
            return
        ratio = format_percent(summary.npl_ratio, places=2)
        color = HEALTH_COLOR.get(summary.health, "#000")
        classes = " · ".join(
            f"{c.klass} {c.loans} ({format_rupiah(c.outstanding)})" for c in summary.classes
        )
        self.summary_label.setText(
            self.tr(
                "<b>%1 pinjaman berjalan</b>, sisa pokok <b>%2</b> · menunggak %3 pinjaman "
                "(%4) · NPL <b>%5</b> <span style='color:%6'><b>%7</b></span> · PPAP wajib "
                "<b>%8</b><br><span style='color:#555'>%9</span>"
            )
            .replace("%1", format_number(summary.loans))
            .replace("%2", format_rupiah(summary.outstanding))
            .replace("%3", str(summary.overdue_loans))
            .replace("%4", format_rupiah(summary.arrears))
            .replace("%5", ratio)
            .replace("%6", color)
            .replace("%7", summary.health)
            .replace("%8", format_rupiah(summary.allowance))
            .replace("%9", classes)
        )

    # -- selection and detail ------------------------------------------------------------------

    def selected_row(self) -> LoanRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.loan(rows[0].row()) if rows else None

    def selected_id(self) -> int:
        row = self.selected_row()
        return row.id if row else 0

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._load_selected(self.selected_id())

    def _load_selected(self, loan_id: int) -> None:
        if not loan_id:
            self.selected = None
        else:
            on = self.on_date.value()
            self.selected = actions.run_action(
                self, lambda: actions.read(self.ctx, lambda s: _load_selected(s, loan_id, on))
            )
        self._show_detail()

    def _show_detail(self) -> None:
        selected = self.selected
        status = selected.detail.row.status if selected else ""
        self.decide_button.setEnabled(status == APPLIED)
        self.disburse_button.setEnabled(status == APPROVED)
        for button in (
            self.repay_button,
            self.payoff_button,
            self.writeoff_button,
            self.class_button,
        ):
            button.setEnabled(status == DISBURSED)
        self.card_button.setEnabled(status in (DISBURSED, PAID_OFF, WRITTEN_OFF))
        self.agreement_button.setEnabled(status in (APPROVED, DISBURSED, PAID_OFF, WRITTEN_OFF))
        self.receipt_button.setEnabled(selected is not None and selected.disbursement is not None)
        if selected is None:
            self.detail_label.setText(
                "<i>" + self.tr("Pilih pinjaman di daftar untuk melihat rinciannya.") + "</i>"
            )
            self.schedule_model.set_lines([])
            self.payments_model.set_lines([])
            return
        detail = selected.detail
        row = detail.row
        on = self.on_date.value()
        self.detail_label.setText(self._detail_html(selected))
        if detail.installments:
            self.schedule_model.set_lines(lines_from_states(detail.installments, on))
        else:
            plan = build_schedule(
                row.principal,
                row.monthly_rate,
                row.months,
                row.method,
                row.applied_on,
                round_to=detail.round_to,
            )
            self.schedule_model.set_lines(lines_from_plan(plan.installments))
        lines: list[PaymentLine] = []
        if selected.disbursement is not None:
            d = selected.disbursement
            lines.append(
                PaymentLine(
                    d.entry_id,
                    d.number,
                    d.date,
                    "PC",
                    f"Pokok {format_rupiah(d.principal)}, provisi dan administrasi "
                    f"{format_rupiah(d.fees)}; uang diserahkan {format_rupiah(d.net)}",
                    0,
                    0,
                    0,
                    d.net,
                )
            )
        lines += payment_lines(detail.payments)
        self.payments_model.set_lines(lines)

    def _detail_html(self, selected: Selected) -> str:
        detail = selected.detail
        row = detail.row
        status = STATUS_TEXT.get(row.status, row.status)
        parts = [f"<h3>{row.number} · {status}</h3>"]
        start = ""
        if row.disbursed_on:
            start = f", cair {dates.format_date(row.disbursed_on)}"
        parts.append(terms_html(detail, start))
        facts = [f"Diajukan {dates.format_date(row.applied_on)}"]
        if detail.decided_on:
            verb = "ditolak" if row.status == "ditolak" else "disetujui"
            text = f"{verb} {dates.format_date(detail.decided_on)} oleh {detail.decided_by}"
            if detail.decision_note:
                text += f" ({detail.decision_note})"
            facts.append(text)
        if selected.disbursement:
            facts.append(
                f"dicairkan {dates.format_date(selected.disbursement.date)} "
                f"({selected.disbursement.number})"
            )
        if row.closed_on:
            facts.append(f"ditutup {dates.format_date(row.closed_on)}")
        parts.append("<p>" + ", ".join(facts) + ".</p>")
        if row.disbursed_on:
            klass = row.klass
            if row.class_overridden:
                klass += f" (manual: {detail.class_override_reason})"
            balance = (
                f"Sisa pokok <b>{format_rupiah(row.outstanding)}</b> · "
                f"tunggakan <b>{format_rupiah(row.arrears)}</b> · DPD {row.dpd} · {klass}"
            )
            if row.arrears:
                balance = f"<span style='color:{WARN}'>{balance}</span>"
            parts.append(f"<p>{balance}</p>")
        return "".join(parts)

    def focus_item(self, loan_id: int) -> None:
        """Show and select one loan (navigation from elsewhere): widen the filters if needed."""
        row = self.model.find(loan_id)
        if row is None:
            self.refresh()
            row = self.model.find(loan_id)
        if row is None:
            return
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        group = next(
            (i for i, (_l, statuses) in enumerate(STATUS_GROUPS) if row.status in statuses), -1
        )
        self.klass.blockSignals(True)
        self.klass.setCurrentIndex(0)
        self.klass.blockSignals(False)
        self.overdue.blockSignals(True)
        self.overdue.setChecked(False)
        self.overdue.blockSignals(False)
        self._focus_target = loan_id
        if group >= 0 and group != self.status.currentIndex():
            self.status.setCurrentIndex(group)  # filters, then selects the pending loan
        else:
            self._filters_changed()
        self.table.setFocus()

    # -- actions ------------------------------------------------------------------------------

    def default_action(self) -> None:
        """Enter on a loan: its next step (decide, disburse, or take an installment)."""
        row = self.selected_row()
        if row is None:
            return
        if row.status == APPLIED:
            self.decide()
        elif row.status == APPROVED:
            self.disburse()
        elif row.status == DISBURSED:
            self.repay(payoff=False)

    def new_application(self) -> None:
        from app.ui.dialogs.loan_application import open_application

        row = self.selected_row()
        member_id = row.member_id if row is not None and self.table.hasFocus() else 0
        loan_id = open_application(self.ctx, self, member_id)
        if loan_id:
            self._after_action(loan_id)

    def decide(self) -> None:
        from app.ui.dialogs.loan_decision import open_decision

        loan_id = self.selected_id()
        if loan_id and open_decision(self.ctx, self, loan_id):
            self._after_action(loan_id)

    def disburse(self) -> None:
        from app.ui.dialogs.loan_disburse import open_disburse

        loan_id = self.selected_id()
        if loan_id and open_disburse(self.ctx, self, loan_id):
            self._after_action(loan_id)

    def repay(self, *, payoff: bool) -> None:
        from app.ui.dialogs.loan_repayment import open_repayment

        loan_id = self.selected_id()
        if loan_id and open_repayment(self.ctx, self, loan_id, payoff=payoff):
            self._after_action(loan_id)

    def write_off(self) -> None:
        from app.ui.dialogs.loan_status import WriteOffDialog

        row = self.selected_row()
        if row is None:
            return
        dialog = WriteOffDialog(self.ctx, row, self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.entry_id:
            self._after_action(row.id)

    def change_class(self) -> None:
        from app.ui.dialogs.loan_status import ClassDialog

        row = self.selected_row()
        if row is None:
            return
        dialog = ClassDialog(self.ctx, row, self)
        dialog.exec()
        dialog.deleteLater()
        if dialog.saved:
            self._after_action(row.id)

    def print_document(self, kind: str) -> None:
        loan_id = self.selected_id()
        if loan_id:
            pdf_preview.show_loan_document(self.ctx, self, loan_id, kind)

    def print_receipt(self) -> None:
        """The receipt of the payment row chosen (the disbursement's when none is)."""
        if self.selected is None:
            return
        index = self.payments_table.currentIndex()
        line = self.payments_model.line(index.row()) if index.isValid() else None
        if line is None:
            line = self.payments_model.line(0)
        if line is None:
            return
        if not line.printable:
            prompts.inform(
                self,
                self.tr("Tidak ada kwitansi"),
                self.tr(
                    "Baris %1 bukan penerimaan atau pengeluaran uang; tidak ada kwitansinya."
                ).replace("%1", line.number),
            )
            return
        prompts.show_receipt(self.ctx, self, line.entry_id)
