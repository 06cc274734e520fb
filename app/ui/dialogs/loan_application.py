"""Pengajuan pinjaman (JOURNEYS.md 4): terms typed in, the schedule previewed live.

As the treasurer changes the principal, rate, term, method or rounding, the
schedule below and the comparison of the three methods (total interest, total
paid, effective rate) follow at once, so the member sees what each costs. The
ceiling check and the member's other loans are shown before saving. A rate
above 10% a month is saved only after an explicit confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.errors import DomainError, ValidationError
from app.money import apply_rate, format_rupiah, percent
from app.queries.loans import LoanRow, member_loans
from app.services import loan_products, loans
from app.services.loan_products import ProductRow, format_percent
from app.services.loans import CeilingCheck
from app.services.schedule import (
    METHOD_LABELS,
    METHODS,
    Schedule,
    build_schedule,
    effective_monthly_rate,
)
from app.ui import actions, prompts
from app.ui.context import AppContext
from app.ui.dialogs._counter import OK, WARN, PickerEnter
from app.ui.qtmodels.loans_models import ScheduleModel, lines_from_plan
from app.ui.widgets.date_edit import DateEdit
from app.ui.widgets.member_picker import MemberPicker
from app.ui.widgets.money_edit import MoneyEdit

ROUNDINGS = ((1, "Tidak dibulatkan"), (100, "Rp100"), (500, "Rp500"), (1000, "Rp1.000"))


@dataclass(frozen=True)
class MemberPosition:
    """The applicant's savings, ceiling room and other loans, read once per member."""

    check: CeilingCheck  # with principal 0: ``limit`` is the room left
    loans: tuple[LoanRow, ...]


def loans_text(rows: tuple[LoanRow, ...] | list[LoanRow], *, skip: int = 0) -> str:
    """The member's other loans in a few words each (rich text)."""
    others = [r for r in rows if r.id != skip]
    if not others:
        return "Belum ada pinjaman lain."
    parts = []
    for row in others:
        if row.disbursed_on is None:
            parts.append(
                f"{row.number} ({row.status}) {format_rupiah(row.principal)}, "
                f"diajukan {dates.format_date(row.applied_on)}"
            )
            continue
        text = f"{row.number} sisa pokok {format_rupiah(row.outstanding)}, {row.klass}"
        if row.arrears:
            text = (
                f"<span style='color:{WARN}'><b>{text}, tunggakan "
                f"{format_rupiah(row.arrears)} ({row.dpd} hari)</b></span>"
            )
        parts.append(text)
    return "Pinjaman lain: " + "; ".join(parts)


def ceiling_text(check: CeilingCheck, principal: int) -> str:
    """Rich text: the ceiling rule and whether ``principal`` fits."""
    saved = f"Simpanan {format_rupiah(check.savings)}"
    if check.multiple is None or check.limit is None:
        return f"{saved} · plafon tidak diatur, tidak ada batas pinjaman."
    room = check.limit  # computed with principal 0
    rule = (
        f"{saved} · plafon {check.multiple:f} × simpanan dikurangi sisa pinjaman lain "
        f"{format_rupiah(check.outstanding)} = {format_rupiah(max(room, 0))}"
    )
    if principal <= room:
        return f"{rule} · <span style='color:{OK}'><b>lolos cek plafon</b></span>"
    return (
        f"{rule} · <span style='color:{WARN}'><b>melebihi plafon "
        f"{format_rupiah(principal - room)}</b></span>"
    )


class LoanApplicationDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loan_id: int | None = None
        self.position: MemberPosition | None = None
        self.schedules: dict[str, Schedule] = {}
        self.setWindowTitle(self.tr("Pengajuan pinjaman baru"))
        self.setMinimumWidth(1150)

        # Widgets in tab order (Qt follows creation order).
        self.picker = MemberPicker(ctx, self)
        self.member_info = QLabel()
        self.member_info.setWordWrap(True)
        self.member_info.setTextFormat(Qt.TextFormat.RichText)
        self.member_info.setMinimumHeight(3 * self.member_info.fontMetrics().lineSpacing())
        self.member_info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.product = QComboBox()
        self.principal = MoneyEdit(what=self.tr("Pokok pinjaman"))
        self.rate = QLineEdit()
        self.rate.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.rate.setToolTip(self.tr("Bunga (jasa) per bulan dalam persen, misalnya 1,5"))
        self.rate.setMaximumWidth(90)
        self.months = QSpinBox()
        self.months.setRange(1, 360)
        self.months.setSuffix(self.tr(" bulan"))
        self.method = QComboBox()
        for method in METHODS:
            self.method.addItem(self.tr(METHOD_LABELS[method]), method)
        self.rounding = QComboBox()
        for step, label in ROUNDINGS:
            self.rounding.addItem(self.tr(label), step)
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(self.tr("misalnya modal warung, pupuk, biaya sekolah"))
        self.collateral = QLineEdit()
        self.collateral.setPlaceholderText(self.tr("misalnya BPKB motor, sertifikat tanah"))
        self.collateral_value = MoneyEdit(what=self.tr("Nilai agunan"))
        self.guarantor = MemberPicker(ctx, self)
        self.guarantor.setPlaceholderText(self.tr("Anggota lain (boleh dikosongkan)"))
        self.date = DateEdit(self)
        self.fees = QLabel()
        self.fees.setTextFormat(Qt.TextFormat.RichText)
        self.ceiling = QLabel()
        self.ceiling.setWordWrap(True)
        self.ceiling.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {WARN};")
        self.save_button = QPushButton(self.tr("&Simpan pengajuan (Enter)"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Bata&l (Esc)"))
        self.cancel_button.setAutoDefault(False)

        # -- left: the terms ---------------------------------------------------------------
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(text: str, field: QWidget, layout: QWidget | QHBoxLayout | None = None) -> None:
            label = QLabel(text)
            label.setBuddy(field)
            if isinstance(layout, QHBoxLayout):
                form.addRow(label, layout)
            else:
                form.addRow(label, field)

        row(self.tr("&Anggota:"), self.picker)
        form.addRow("", self.member_info)
        row(self.tr("&Produk:"), self.product)
        row(self.tr("P&okok pinjaman:"), self.principal)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        rate_row.addWidget(QLabel(self.tr("% per bulan")))
        rate_row.addSpacing(16)
        months_label = QLabel(self.tr("&Jangka waktu:"))
        months_label.setBuddy(self.months)
        rate_row.addWidget(months_label)
        rate_row.addWidget(self.months)
        rate_row.addStretch(1)
        row(self.tr("&Bunga:"), self.rate, rate_row)
        method_row = QHBoxLayout()
        method_row.addWidget(self.method)
        method_row.addSpacing(16)
        rounding_label = QLabel(self.tr("Pemb&ulatan:"))
        rounding_label.setBuddy(self.rounding)
        method_row.addWidget(rounding_label)
        method_row.addWidget(self.rounding)
        method_row.addStretch(1)
        row(self.tr("&Metode:"), self.method, method_row)
        row(self.tr("&Tujuan:"), self.purpose)
        collateral_row = QHBoxLayout()
        collateral_row.addWidget(self.collateral, 3)
        value_label = QLabel(self.tr("&Nilai:"))
        value_label.setBuddy(self.collateral_value)
        collateral_row.addWidget(value_label)
        collateral_row.addWidget(self.collateral_value, 1)
        row(self.tr("A&gunan:"), self.collateral, collateral_row)
        row(self.tr("Pen&jamin:"), self.guarantor)
        row(self.tr("Tanggal pen&gajuan:"), self.date)
        form.addRow(self.tr("Biaya:"), self.fees)
        form.addRow(self.tr("Cek plafon:"), self.ceiling)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.problem)
        left_layout.addStretch(1)

        # -- right: what it costs ------------------------------------------------------------
        compare = QGroupBox(self.tr("Perbandingan metode (yang dipilih dicetak tebal)"))
        grid = QGridLayout(compare)
        grid.setHorizontalSpacing(18)
        self.compare_cells: dict[tuple[str, str], QLabel] = {}
        self.compare_heads: dict[str, QLabel] = {}
        captions = (
            ("first", self.tr("Angsuran pertama")),
            ("last", self.tr("Angsuran terakhir")),
            ("interest", self.tr("Jumlah jasa")),
            ("total", self.tr("Jumlah dibayar")),
            ("effective", self.tr("Bunga efektif/bulan")),
        )
        for column, method in enumerate(METHODS, start=1):
            head = QLabel(self.tr(METHOD_LABELS[method]))
            head.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(head, 0, column)
            self.compare_heads[method] = head
        for line, (key, caption) in enumerate(captions, start=1):
            grid.addWidget(QLabel(caption), line, 0)
            for column, method in enumerate(METHODS, start=1):
                cell = QLabel("–")
                cell.setAlignment(Qt.AlignmentFlag.AlignRight)
                grid.addWidget(cell, line, column)
                self.compare_cells[(key, method)] = cell
        self.schedule_title = QLabel()
        self.schedule_model = ScheduleModel(self, planned=True)
        self.schedule_table = QTableView()
        self.schedule_table.setModel(self.schedule_model)
        self.schedule_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.schedule_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.schedule_table.verticalHeader().setVisible(False)
        self.schedule_table.setAlternatingRowColors(True)
        header = self.schedule_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ScheduleModel.K, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ScheduleModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        self.schedule_table.verticalHeader().setDefaultSectionSize(
            self.schedule_table.fontMetrics().height() + 8
        )
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(compare)
        right_layout.addWidget(self.schedule_title)
        right_layout.addWidget(self.schedule_table, 1)

        columns = QHBoxLayout()
        columns.addWidget(left, 11)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.VLine)
        columns.addWidget(rule)
        columns.addWidget(right, 10)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.resize(1150, 720)

        self._enter = PickerEnter(self.picker, self.product)
        self._guarantor_enter = PickerEnter(self.guarantor, self.date)
        self.picker.member_changed.connect(self._member_changed)
        self.product.currentIndexChanged.connect(self._product_changed)
        self.principal.amount_changed.connect(self.update_preview)
        self.rate.textChanged.connect(self.update_preview)
        self.months.valueChanged.connect(self.update_preview)
        self.method.currentIndexChanged.connect(self.update_preview)
        self.rounding.currentIndexChanged.connect(self.update_preview)
        self.date.dateChanged.connect(lambda _d: self._date_changed())
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self.products: list[ProductRow] = self._load_products()
        for product in self.products:
            self.product.addItem(product.describe(), product.id)
        self._product_changed()
        if member_id:
            self.picker.set_member(member_id)
            self.principal.setFocus()
        else:
            self.picker.setFocus()

    # -- data --------------------------------------------------------------------------

    def _load_products(self) -> list[ProductRow]:
        # Seeds "Pinjaman Umum" the first time (a write, but nothing that screens show).
        found = actions.write(
            self.ctx, self, lambda s: loan_products.list_products(s, active_only=True), notify=False
        )
        return found or []

    def current_product(self) -> ProductRow | None:
        product_id = self.product.currentData()
        return next((p for p in self.products if p.id == product_id), None)

    def _product_changed(self) -> None:
        product = self.current_product()
        if product is None:
            return
        self.rate.setText(format_percent(product.monthly_rate).removesuffix("%"))
        self.months.setRange(product.min_months, product.max_months)
        if not self.months.value() or self.months.value() == product.min_months:
            self.months.setValue(min(max(12, product.min_months), product.max_months))
        self.method.setCurrentIndex(max(self.method.findData(product.method), 0))
        self._reload_member()

    def _member_changed(self, member_id: int) -> None:
        self._reload_member()
        if member_id and self.picker.hasFocus():
            self.product.setFocus(Qt.FocusReason.TabFocusReason)

    def _date_changed(self) -> None:
        self._reload_member()

    def _reload_member(self) -> None:
        member_id = self.picker.member_id()
        if not member_id:
            self.position = None
            self.member_info.setText(
                "<i>"
                + self.tr("Pilih anggota yang mengajukan: ketik nomor, nama atau NIK.")
                + "</i>"
            )
            self.update_preview()
            return
        product = self.current_product()
        on = self.date.value()

        def load(session: Session) -> MemberPosition:
            check = loans.ceiling_check(
                session, member_id, 0, product_id=product.id if product else None
            )
            return MemberPosition(check, tuple(member_loans(session, member_id, on)))

        self.position = actions.run_action(self, lambda: actions.read(self.ctx, load))
        if self.position is not None:
            self.member_info.setText(loans_text(self.position.loans))
        self.update_preview()

    # -- the live preview --------------------------------------------------------------

    def terms(self) -> tuple[int, Decimal, int, str, int]:
        """(principal, monthly rate, months, method, rounding); ValidationError if unreadable."""
        principal = self.principal.amount()
        text = self.rate.text().strip() or "0"
        monthly_rate = percent(text)
        return (
            principal,
            monthly_rate,
            self.months.value(),
            str(self.method.currentData()),
            int(self.rounding.currentData()),
        )

    def update_preview(self) -> None:
        self.problem.clear()
        try:
            principal, rate, months, method, round_to = self.terms()
            if principal <= 0:
                raise ValidationError("Isi pokok pinjaman untuk melihat jadwal angsuran.")
            start = self.date.value()
            self.schedules = {
                m: build_schedule(principal, rate, months, m, start, round_to=round_to)
                for m in METHODS
            }
        except (DomainError, ArithmeticError) as error:
            self.schedules = {}
            self.schedule_model.set_lines([])
            for cell in self.compare_cells.values():
                cell.setText("–")
            self.schedule_title.setText(self.tr("Jadwal angsuran"))
            self.problem.setText(str(error))
            self._update_fees(None)
            return
        chosen = self.schedules[method]
        self.schedule_model.set_lines(lines_from_plan(chosen.installments))
        self.schedule_title.setText(
            self.tr(
                "Jadwal angsuran %1 (tanggal perkiraan; dihitung ulang saat dicairkan)"
            ).replace("%1", self.tr(METHOD_LABELS[method]))
        )
        for key, schedule in self.schedules.items():
            bold = key == method
            effective = effective_monthly_rate(schedule)
            values = {
                "first": format_rupiah(schedule.installments[0].amount),
                "last": format_rupiah(schedule.installments[-1].amount),
                "interest": format_rupiah(schedule.total_interest),
                "total": format_rupiah(schedule.total_paid),
                "effective": format_percent(effective, places=2) if effective else "0%",
            }
            for name, text in values.items():
                cell = self.compare_cells[(name, key)]
                cell.setText(f"<b>{text}</b>" if bold else text)
            head = self.tr(METHOD_LABELS[key])
            self.compare_heads[key].setText(f"<b>{head} ✓</b>" if bold else head)
        if rate > loans.HIGH_RATE:
            self.problem.setText(
                self.tr(
                    "Bunga %1 per bulan sangat tinggi (di atas 10%); saat disimpan akan diminta "
                    "konfirmasi."
                ).replace("%1", format_percent(rate))
            )
        self._update_fees(principal)

    def _fee_amounts(self, principal: int) -> tuple[int, int]:
        product = self.current_product()
        if product is None:
            return 0, 0
        return apply_rate(principal, product.provisi_rate), product.admin_fee

    def _update_fees(self, principal: int | None) -> None:
        product = self.current_product()
        if principal is None or product is None:
            self.fees.setText("–")
        else:
            provisi, admin = self._fee_amounts(principal)
            self.fees.setText(
                self.tr("Provisi %1 = %2 · administrasi %3 · <b>diterima bersih %4</b>")
                .replace("%1", format_percent(product.provisi_rate))
                .replace("%2", format_rupiah(provisi))
                .replace("%3", format_rupiah(admin))
                .replace("%4", format_rupiah(principal - provisi - admin))
            )
        if self.position is None:
            self.ceiling.setText("–")
        else:
            self.ceiling.setText(ceiling_text(self.position.check, principal or 0))

    # -- save --------------------------------------------------------------------------

    def application(self) -> loans.LoanApplication:
        member_id = self.picker.member_id()
        if not member_id:
            raise ValidationError(
                "Pilih dulu anggota yang mengajukan: ketik nomor, nama atau NIK-nya, lalu Enter."
            )
        if self.guarantor.text().strip() and not self.guarantor.member_id():
            raise ValidationError(
                "Penjamin belum dipilih dari daftar; ketik namanya lalu Enter, atau kosongkan."
            )
        principal, rate, months, method, round_to = self.terms()
        provisi, admin = self._fee_amounts(max(principal, 0))
        product = self.current_product()
        return loans.LoanApplication(
            member_id=member_id,
            principal=principal,
            monthly_rate=rate,
            months=months,
            method=method,
            purpose=self.purpose.text(),
            collateral=self.collateral.text(),
            collateral_value=self.collateral_value.amount(),
            guarantor_id=self.guarantor.member_id() or None,
            product_id=product.id if product else None,
            provisi=provisi if product else None,
            admin_fee=admin if product else None,
            round_to=round_to,
        )

    def save(self) -> None:
        application = actions.run_action(self, self.application)
        if application is None:
            return
        confirmed = False
        if application.monthly_rate > loans.HIGH_RATE:
            confirmed = prompts.confirm(
                self,
                self.tr("Bunga sangat tinggi"),
                self.tr(
                    "Bunga %1 per bulan berarti lebih dari %2 setahun. Angka ini jauh di atas "
                    "kebiasaan koperasi. Yakin bunganya memang %1 per bulan?"
                )
                .replace("%1", format_percent(application.monthly_rate))
                .replace("%2", format_percent(application.monthly_rate * 12)),
                yes=self.tr("&Ya, bunganya benar"),
                no=self.tr("&Periksa lagi"),
                warning=True,
            )
            if not confirmed:
                self.rate.setFocus()
                self.rate.selectAll()
                return
        on = self.date.value()

        def work(session: Session) -> int:
            return loans.apply(
                session, application, on=on, by=self.ctx.user, confirm_high_rate=confirmed
            )

        loan_id = actions.write(self.ctx, self, work)
        if loan_id is not None:
            self.loan_id = loan_id
            self.accept()


def open_application(
    ctx: AppContext, parent: QWidget | None = None, member_id: int = 0
) -> int | None:
    """The application dialog; returns the new loan's id, or None when cancelled."""
    dialog = LoanApplicationDialog(ctx, parent, member_id)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.loan_id
    finally:
        dialog.deleteLater()


def planned_schedule(row: LoanRow, round_to: int, start: date) -> Schedule:
    """The schedule of an application as it would be if disbursed on ``start``."""
    return build_schedule(
        row.principal, row.monthly_rate, row.months, row.method, start, round_to=round_to
    )
