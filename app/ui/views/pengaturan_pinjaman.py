"""Pengaturan > Pinjaman (issue 3): loan products and the loan settings of DOMAIN.md 3."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.money import format_rupiah
from app.services import loan_products
from app.services.loan_products import ProductRow, format_percent
from app.services.loan_settings import MAX_DPD, MAX_GRACE_DAYS, save_loan_settings
from app.services.loan_state import CLASSES, Classification
from app.services.loans import LoanSettings, loan_settings
from app.ui import actions
from app.ui.context import AppContext
from app.ui.dialogs.loan_product import (
    open_product_dialog,
    percent_text,
    read_multiple,
    read_percent,
)
from app.ui.widgets.money_edit import MoneyEdit

GREEN, GREY, AMBER = "#2e7d32", "#5f6b7a", "#9a5b00"
ROUNDING_TEXT = (
    (1, "Tidak dibulatkan"),
    (100, "Ke atas Rp100"),
    (500, "Ke atas Rp500"),
    (1000, "Ke atas Rp1.000"),
)
PRODUCT_COLUMNS = (
    "Nama",
    "Metode",
    "Bunga/bulan",
    "Jangka waktu",
    "Provisi",
    "Administrasi",
    "Plafon",
    "Status",
)


class LoanSettingsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.products: list[ProductRow] = []
        self._dirty = False
        self._build()
        self.refresh()

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self._products_box())
        layout.addWidget(self._settings_box())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _products_box(self) -> QGroupBox:
        tr = self.tr
        box = QGroupBox(tr("Produk pinjaman"))
        self.table = QTableWidget(0, len(PRODUCT_COLUMNS))
        self.table.setObjectName("loanProducts")
        self.table.setHorizontalHeaderLabels([tr(c) for c in PRODUCT_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(160)
        self.table.doubleClicked.connect(lambda _index: self.edit_product())
        self.table.activated.connect(lambda _index: self.edit_product())  # Enter on a row
        self.add_button = QPushButton(tr("&Tambah produk..."))
        self.add_button.setObjectName("addProduct")
        self.edit_button = QPushButton(tr("&Ubah produk..."))
        self.edit_button.setObjectName("editProduct")
        for button in (self.add_button, self.edit_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_product)
        self.edit_button.clicked.connect(self.edit_product)
        note = QLabel(
            tr(
                "Produk memberi pengajuan baru metode, bunga, jangka waktu, provisi, biaya "
                "administrasi dan plafonnya. Pinjaman yang sudah berjalan tidak berubah."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        return box

    def _settings_box(self) -> QGroupBox:
        tr = self.tr
        box = QGroupBox(tr("Pengaturan pinjaman"))
        self.provisi = QLineEdit()
        self.provisi.setObjectName("settingProvisi")
        self.admin = MoneyEdit(what="Biaya administrasi")
        self.admin.setObjectName("settingAdmin")
        self.penalty = QLineEdit()
        self.penalty.setObjectName("settingPenalty")
        self.grace = QSpinBox()
        self.grace.setObjectName("settingGrace")
        self.grace.setRange(0, MAX_GRACE_DAYS)
        self.grace.setSuffix(tr(" hari"))
        self.ceiling_on = QCheckBox(tr("Batasi pinjaman sampa&i"))
        self.ceiling_on.setObjectName("settingCeilingOn")
        self.ceiling = QLineEdit()
        self.ceiling.setObjectName("settingCeiling")
        self.ceiling.setMaximumWidth(80)
        self.ceiling_on.toggled.connect(self.ceiling.setEnabled)
        ceiling_row = QHBoxLayout()
        ceiling_row.addWidget(self.ceiling_on)
        ceiling_row.addWidget(self.ceiling)
        ceiling_row.addWidget(QLabel(tr("kali simpanan anggota (pokok + wajib + sukarela)")))
        ceiling_row.addStretch(1)
        self.rounding = QComboBox()
        self.rounding.setObjectName("settingRounding")
        for value, text in ROUNDING_TEXT:
            self.rounding.addItem(tr(text), value)
        self.waive = QCheckBox(tr("Bunga angsuran sesudahnya &dihapus saat pelunasan dipercepat"))
        self.waive.setObjectName("settingWaive")

        for widget in (self.provisi, self.admin, self.penalty, self.grace, self.rounding):
            widget.setMinimumWidth(160)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(tr("&Provisi bawaan (% dari pokok)"), self.provisi)
        form.addRow(tr("Biaya &administrasi bawaan (Rp)"), self.admin)
        form.addRow(tr("D&enda per hari (% angsuran terlambat)"), self.penalty)
        form.addRow(tr("Masa &tenggang denda"), self.grace)
        form.addRow(tr("Plafon"), ceiling_row)
        form.addRow(tr("Pem&bulatan angsuran"), self.rounding)
        form.addRow(tr("Pelunasan dipercepat"), self.waive)

        grid = QGridLayout()
        grid.addWidget(QLabel(tr("<b>Kolektibilitas</b>")), 0, 0)
        grid.addWidget(QLabel(tr("<b>Hari tunggakan (DPD)</b>")), 0, 1, 1, 2)
        grid.addWidget(QLabel(tr("<b>PPAP (%)</b>")), 0, 3)
        self.dpd: list[QSpinBox] = []
        self.ppap: list[QLineEdit] = []
        self.dpd_from: list[QLabel] = []
        for row, klass in enumerate(CLASSES, start=1):
            grid.addWidget(QLabel(tr(klass)), row, 0)
            start = QLabel()
            self.dpd_from.append(start)
            grid.addWidget(start, row, 1)
            if row <= 3:
                spin = QSpinBox()
                spin.setObjectName(f"settingDpd{row}")
                spin.setRange(0, MAX_DPD)
                spin.setSuffix(tr(" hari"))
                spin.valueChanged.connect(self._dpd_changed)
                spin.valueChanged.connect(self._edited)
                self.dpd.append(spin)
                grid.addWidget(spin, row, 2)
            rate = QLineEdit()
            rate.setObjectName(f"settingPpap{row}")
            rate.setMaximumWidth(90)
            rate.textEdited.connect(self._edited)
            self.ppap.append(rate)
            grid.addWidget(rate, row, 3)
        grid.setColumnStretch(4, 1)

        for edit in (self.provisi, self.admin, self.penalty, self.ceiling):
            edit.textEdited.connect(self._edited)
            edit.returnPressed.connect(self.save_settings)
        for spin in (self.grace,):
            spin.valueChanged.connect(self._edited)
        for check in (self.ceiling_on, self.waive):
            check.toggled.connect(self._edited)
        self.rounding.currentIndexChanged.connect(self._edited)

        self.save_button = QPushButton(tr("&Simpan pengaturan pinjaman"))
        self.save_button.setObjectName("saveLoanSettings")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_settings)
        self.revert_button = QPushButton(tr("Batalkan pe&rubahan"))
        self.revert_button.setAutoDefault(False)
        self.revert_button.clicked.connect(self.load_settings)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("loanSettingsSaved")
        note = QLabel(
            tr(
                "Berlaku untuk pengajuan baru, denda yang diusulkan, pelunasan dan "
                "kolektibilitas mulai sekarang; pinjaman yang sudah dicairkan tetap memakai "
                "bunga, provisi dan jadwal angsurannya sendiri."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addLayout(buttons)
        return box

    # -- products --------------------------------------------------------------------

    def load_products(self) -> None:
        # list_products seeds the default product on a new book: a unit of work.
        products = actions.write(self.ctx, self, loan_products.list_products, notify=False)
        self.products = list(products or [])
        tr = self.tr
        self.table.setRowCount(len(self.products))
        for row, product in enumerate(self.products):
            cells = (
                product.name,
                tr(product.method_label),
                format_percent(product.monthly_rate),
                tr("%1-%2 bulan")
                .replace("%1", str(product.min_months))
                .replace("%2", str(product.max_months)),
                format_percent(product.provisi_rate),
                format_rupiah(product.admin_fee),
                tr("%1 x simpanan").replace("%1", str(product.ceiling_multiple).replace(".", ","))
                if product.ceiling_multiple is not None
                else tr("ikut pengaturan"),
                tr("aktif") if product.active else tr("tidak aktif"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 4, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if not product.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        if self.products and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def selected_product(self) -> ProductRow | None:
        row = self.table.currentRow()
        return self.products[row] if 0 <= row < len(self.products) else None

    def add_product(self) -> None:
        if open_product_dialog(self.ctx, None, self) is not None:
            self.load_products()

    def edit_product(self) -> None:
        product = self.selected_product()
        if product is None:
            return
        if open_product_dialog(self.ctx, product, self) is not None:
            self.load_products()

    # -- settings --------------------------------------------------------------------

    def _edited(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.saved_label.setText(self.tr("Ada perubahan yang belum disimpan."))
        self.saved_label.setStyleSheet(f"color: {AMBER};")

    _loading = False

    def _dpd_changed(self) -> None:
        limits = [spin.value() for spin in self.dpd]
        self.dpd_from[0].setText(self.tr("0 sampai"))
        for index in (1, 2):
            self.dpd_from[index].setText(
                self.tr("%1 sampai").replace("%1", str(limits[index - 1] + 1))
            )
        self.dpd_from[3].setText(self.tr("lebih dari %1 hari").replace("%1", str(limits[2])))

    def load_settings(self) -> None:
        self.show_settings(actions.read(self.ctx, loan_settings))

    def show_settings(self, config: LoanSettings) -> None:
        self._loading = True
        try:
            self.provisi.setText(percent_text(config.provisi_rate))
            self.admin.set_amount(config.admin_fee)
            if not config.admin_fee:
                self.admin.setText("0")
            self.penalty.setText(percent_text(config.penalty_daily_rate))
            self.grace.setValue(config.penalty_grace_days)
            self.ceiling_on.setChecked(config.ceiling_multiple is not None)
            self.ceiling.setText(
                str(config.ceiling_multiple).replace(".", ",")
                if config.ceiling_multiple is not None
                else "3"
            )
            self.ceiling.setEnabled(config.ceiling_multiple is not None)
            self.rounding.setCurrentIndex(max(0, self.rounding.findData(config.round_to)))
            self.waive.setChecked(config.waive_future_interest_on_payoff)
            for spin, limit in zip(self.dpd, config.classification.dpd_limits, strict=True):
                spin.setValue(limit)
            for edit, rate in zip(self.ppap, config.classification.ppap_rates, strict=True):
                edit.setText(percent_text(rate))
            self._dpd_changed()
        finally:
            self._loading = False
        self._dirty = False
        self.saved_label.setText("")

    def settings(self) -> LoanSettings:
        """What is typed; ValidationError names the field that cannot be read."""
        ceiling: Decimal | None = None
        if self.ceiling_on.isChecked():
            ceiling = read_multiple(self.ceiling.text())
        return LoanSettings(
            provisi_rate=read_percent(self.provisi, "Provisi", "provisi_rate"),
            admin_fee=self.admin.amount(),
            penalty_daily_rate=read_percent(self.penalty, "Denda per hari", "penalty_daily_rate"),
            penalty_grace_days=self.grace.value(),
            ceiling_multiple=ceiling,
            round_to=int(self.rounding.currentData()),
            waive_future_interest_on_payoff=self.waive.isChecked(),
            classification=Classification(
                dpd_limits=tuple(spin.value() for spin in self.dpd),  # type: ignore[arg-type]
                ppap_rates=tuple(  # type: ignore[arg-type]
                    read_percent(edit, f"PPAP {klass}", "ppap")
                    for edit, klass in zip(self.ppap, CLASSES, strict=True)
                ),
            ),
        )

    def _field(self, name: str | None) -> QWidget:
        return {
            "provisi_rate": self.provisi,
            "admin_fee": self.admin,
            "penalty_daily_rate": self.penalty,
            "grace_days": self.grace,
            "ceiling_multiple": self.ceiling,
            "round_to": self.rounding,
            "dpd": self.dpd[0],
            "ppap": self.ppap[0],
        }.get(name or "", self.provisi)

    def save_settings(self) -> None:
        user = self.ctx.user
        try:
            typed = self.settings()
        except ValidationError as error:
            actions.show_refusal(self, error)
            self._field(error.field).setFocus()
            return
        saved = actions.write(self.ctx, self, lambda s: save_loan_settings(s, typed, by=user))
        if saved is None:
            return
        self.show_settings(saved)
        self.saved_label.setText(self.tr("\u2713 Pengaturan pinjaman tersimpan."))
        self.saved_label.setStyleSheet(f"color: {GREEN};")

    def refresh(self) -> None:
        self.load_products()
        if not self._dirty:
            self.load_settings()
