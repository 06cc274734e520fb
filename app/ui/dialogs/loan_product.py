"""Produk pinjaman: add or change a loan product (issue 3, Pengaturan > Pinjaman).

A product gives new applications their defaults and limits; running loans keep
their own terms, so changing a product never changes a loan already made.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.money import percent
from app.services import loan_products
from app.services.loan_products import ProductInput, ProductRow, format_percent
from app.services.schedule import MAX_TERM_MONTHS, METHOD_LABELS, METHODS
from app.ui import actions
from app.ui.context import AppContext
from app.ui.widgets.money_edit import MoneyEdit


def percent_text(rate: Decimal) -> str:
    """Decimal("0.015") -> "1,5" for an edit field (the % sign is in the label)."""
    return format_percent(rate).removesuffix("%")


def read_percent(edit: QLineEdit, what: str, field: str) -> Decimal:
    text = edit.text().strip()
    if not text:
        raise ValidationError(f"{what} belum diisi (tulis 0 bila tidak ada).", field=field)
    try:
        return percent(text)
    except ValidationError as error:
        raise ValidationError(f"{what}: {error}", field=field) from error


def read_multiple(text: str) -> Decimal:
    """A ceiling multiple as typed: "3", "2,5"."""
    cleaned = text.strip().replace(",", ".").lower().removesuffix("x").strip()
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(
            f'Kelipatan plafon "{text.strip()}" tidak dikenali; tulis angka, misalnya 3.',
            field="ceiling_multiple",
        )
    return value


class LoanProductDialog(QDialog):
    def __init__(
        self, ctx: AppContext, product: ProductRow | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product = product
        self.saved_id: int | None = None
        tr = self.tr
        self.setWindowTitle(tr("Ubah produk pinjaman") if product else tr("Produk pinjaman baru"))
        self.name = QLineEdit()
        self.name.setObjectName("productName")
        self.method = QComboBox()
        self.method.setObjectName("productMethod")
        for method in METHODS:
            self.method.addItem(tr(METHOD_LABELS[method]), method)
        self.rate = QLineEdit()
        self.rate.setObjectName("productRate")
        self.rate.setPlaceholderText("1,5")
        self.min_months = QSpinBox()
        self.max_months = QSpinBox()
        for spin in (self.min_months, self.max_months):
            spin.setRange(1, MAX_TERM_MONTHS)
            spin.setSuffix(tr(" bulan"))
        self.provisi = QLineEdit()
        self.provisi.setObjectName("productProvisi")
        self.admin = MoneyEdit(what="Biaya administrasi")
        self.admin.setObjectName("productAdmin")
        self.ceiling = QLineEdit()
        self.ceiling.setObjectName("productCeiling")
        self.ceiling.setPlaceholderText(tr("kosong: ikut pengaturan umum"))
        self.active = QCheckBox(tr("Produk &aktif (dapat dipilih untuk pengajuan baru)"))
        self.active.setChecked(True)
        months = QHBoxLayout()
        months.addWidget(self.min_months)
        months.addWidget(QLabel(tr("sampai")))
        months.addWidget(self.max_months)
        months.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("&Nama produk *"), self.name)
        form.addRow(tr("&Metode bawaan"), self.method)
        form.addRow(tr("&Bunga per bulan (%)"), self.rate)
        months_label = QLabel(tr("&Jangka waktu"))
        months_label.setBuddy(self.min_months)
        form.addRow(months_label, months)
        form.addRow(tr("&Provisi (% dari pokok)"), self.provisi)
        form.addRow(tr("Biaya a&dministrasi (Rp)"), self.admin)
        form.addRow(tr("Pla&fon (kali simpanan)"), self.ceiling)
        form.addRow("", self.active)
        note = QLabel(
            tr(
                "Pinjaman yang sudah berjalan tidak berubah: setiap pinjaman menyimpan "
                "syaratnya sendiri."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6b7a;")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("&Simpan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._show(product or _default_row())
        self.name.setFocus()

    def _show(self, product: ProductRow) -> None:
        self.name.setText(product.name)
        self.method.setCurrentIndex(max(0, self.method.findData(product.method)))
        self.rate.setText(percent_text(product.monthly_rate))
        self.min_months.setValue(product.min_months)
        self.max_months.setValue(product.max_months)
        self.provisi.setText(percent_text(product.provisi_rate))
        self.admin.set_amount(product.admin_fee)
        self.ceiling.setText(
            "" if product.ceiling_multiple is None else str(product.ceiling_multiple)
        )
        self.active.setChecked(product.active)

    def data(self) -> ProductInput:
        """What is typed; ValidationError names the field that cannot be read."""
        ceiling_text = self.ceiling.text().strip()
        return ProductInput(
            name=self.name.text(),
            method=str(self.method.currentData()),
            monthly_rate=read_percent(self.rate, "Bunga per bulan", "monthly_rate"),
            min_months=self.min_months.value(),
            max_months=self.max_months.value(),
            provisi_rate=read_percent(self.provisi, "Provisi", "provisi_rate"),
            admin_fee=self.admin.amount(),
            ceiling_multiple=read_multiple(ceiling_text) if ceiling_text else None,
            active=self.active.isChecked(),
        )

    def _field(self, name: str | None) -> QWidget:
        return {
            "name": self.name,
            "method": self.method,
            "monthly_rate": self.rate,
            "min_months": self.min_months,
            "max_months": self.max_months,
            "provisi_rate": self.provisi,
            "admin_fee": self.admin,
            "ceiling_multiple": self.ceiling,
            "active": self.active,
        }.get(name or "", self.name)

    def save(self) -> None:
        product = self.product
        user = self.ctx.user

        def work() -> int | None:
            data = self.data()
            if product is None:
                return actions.write(
                    self.ctx, self, lambda s: loan_products.create(s, data, by=user)
                )

            def change(session: Session) -> int:
                loan_products.update(session, product.id, data, by=user)
                return product.id

            return actions.write(self.ctx, self, change)

        try:
            saved = work()
        except ValidationError as error:
            actions.show_refusal(self, error)
            self._field(error.field).setFocus()
            return
        if saved is None:
            return
        self.saved_id = saved
        self.accept()


def _default_row() -> ProductRow:
    """An empty product with the default product's terms, for "Tambah produk"."""
    d = loan_products.DEFAULT_PRODUCT
    return ProductRow(
        0,
        "",
        d.method,
        d.monthly_rate,
        d.min_months,
        d.max_months,
        d.provisi_rate,
        d.admin_fee,
        d.ceiling_multiple,
        d.active,
    )


def open_product_dialog(
    ctx: AppContext, product: ProductRow | None = None, parent: QWidget | None = None
) -> int | None:
    """Add (``product`` None) or change a product; the product's id when saved."""
    dialog = LoanProductDialog(ctx, product, parent)
    dialog.exec()
    return dialog.saved_id
