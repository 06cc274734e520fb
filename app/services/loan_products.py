"""Loan products (issue 3): named sets of default terms the treasurer keeps in Pengaturan.

A product gives an application its defaults (method, rate, provisi, administration
fee) and its limits (term in months, ceiling multiple). The loan itself keeps
its own copy of the terms, so changing a product never changes a running loan.

``list_products`` seeds the default product "Pinjaman Umum" the first time it
finds none, so call it inside a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import permissions
from app.errors import NotFound, ValidationError
from app.models import LoanProduct
from app.money import MAX_AMOUNT
from app.services import audit
from app.services.schedule import FLAT, MAX_TERM_MONTHS, METHOD_LABELS, METHODS

DEFAULT_NAME = "Pinjaman Umum"
# Above this a monthly rate is refused for a product (an application may still confirm one).
MAX_PRODUCT_RATE = Decimal("0.10")
MAX_PROVISI_RATE = Decimal("0.10")


def format_percent(rate: Decimal, *, places: int = 4) -> str:
    """A fraction as an Indonesian percentage: Decimal("0.015") -> "1,5%"."""
    value = (rate * 100).quantize(Decimal(1).scaleb(-places))
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@dataclass(frozen=True)
class ProductInput:
    name: str
    method: str = FLAT
    monthly_rate: Decimal = Decimal("0.015")
    min_months: int = 1
    max_months: int = 36
    provisi_rate: Decimal = Decimal("0.01")
    admin_fee: int = 0
    ceiling_multiple: Decimal | None = None  # None: no ceiling from this product
    active: bool = True


@dataclass(frozen=True)
class ProductRow:
    id: int
    name: str
    method: str
    monthly_rate: Decimal
    min_months: int
    max_months: int
    provisi_rate: Decimal
    admin_fee: int
    ceiling_multiple: Decimal | None
    active: bool

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    def describe(self) -> str:
        """ "Pinjaman Umum · Flat 1,5%/bulan · 1-36 bulan" for a combo box."""
        return (
            f"{self.name} · {self.method_label} {format_percent(self.monthly_rate)}/bulan · "
            f"{self.min_months}-{self.max_months} bulan"
        )


DEFAULT_PRODUCT = ProductInput(name=DEFAULT_NAME)


def _decimal(text: str, default: Decimal | None) -> Decimal | None:
    if not text:
        return default
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return default


def _row(product: LoanProduct) -> ProductRow:
    return ProductRow(
        id=product.id,
        name=product.name,
        method=product.method,
        monthly_rate=_decimal(product.monthly_rate, None) or Decimal(0),
        min_months=product.min_months,
        max_months=product.max_months,
        provisi_rate=_decimal(product.provisi_rate, None) or Decimal(0),
        admin_fee=product.admin_fee,
        ceiling_multiple=_decimal(product.ceiling_multiple, None),
        active=product.active,
    )


def _values(data: ProductInput) -> dict[str, object]:
    return {
        "name": data.name,
        "method": data.method,
        "monthly_rate": str(data.monthly_rate),
        "min_months": data.min_months,
        "max_months": data.max_months,
        "provisi_rate": str(data.provisi_rate),
        "admin_fee": data.admin_fee,
        "ceiling_multiple": "" if data.ceiling_multiple is None else str(data.ceiling_multiple),
        "active": data.active,
    }


def validate(data: ProductInput) -> ProductInput:
    """The cleaned input, or a ValidationError that says what to fix."""
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError("Nama produk pinjaman wajib diisi.", field="name")
    if len(name) > 80:
        raise ValidationError("Nama produk pinjaman paling panjang 80 huruf.", field="name")
    if data.method not in METHODS:
        raise ValidationError(
            "Metode produk pinjaman harus flat, menurun atau anuitas.", field="method"
        )
    if not isinstance(data.monthly_rate, Decimal) or not data.monthly_rate.is_finite():
        raise ValidationError("Bunga per bulan harus berupa angka.", field="monthly_rate")
    if data.monthly_rate < 0:
        raise ValidationError("Bunga per bulan tidak boleh minus.", field="monthly_rate")
    if data.monthly_rate > MAX_PRODUCT_RATE:
        raise ValidationError(
            f"Bunga produk {format_percent(data.monthly_rate)} per bulan terlalu tinggi; "
            f"paling tinggi {format_percent(MAX_PRODUCT_RATE)} per bulan.",
            field="monthly_rate",
        )
    if data.monthly_rate != data.monthly_rate.quantize(Decimal("0.000001")):
        raise ValidationError(
            "Bunga per bulan paling banyak 4 angka di belakang koma (misalnya 1,2345%).",
            field="monthly_rate",
        )
    if not 1 <= data.min_months <= MAX_TERM_MONTHS:
        raise ValidationError(
            f"Jangka waktu terpendek harus 1 sampai {MAX_TERM_MONTHS} bulan.", field="min_months"
        )
    if not data.min_months <= data.max_months <= MAX_TERM_MONTHS:
        raise ValidationError(
            f"Jangka waktu terpanjang harus antara {data.min_months} dan {MAX_TERM_MONTHS} bulan.",
            field="max_months",
        )
    if not data.provisi_rate.is_finite() or not 0 <= data.provisi_rate <= MAX_PROVISI_RATE:
        raise ValidationError(
            f"Provisi harus 0% sampai {format_percent(MAX_PROVISI_RATE)} dari pokok pinjaman.",
            field="provisi_rate",
        )
    if isinstance(data.admin_fee, bool) or not isinstance(data.admin_fee, int):
        raise ValidationError("Biaya administrasi harus rupiah bulat.", field="admin_fee")
    if not 0 <= data.admin_fee <= MAX_AMOUNT:
        raise ValidationError("Biaya administrasi tidak boleh minus.", field="admin_fee")
    ceiling = data.ceiling_multiple
    if ceiling is not None and (not ceiling.is_finite() or ceiling <= 0 or ceiling > 100):
        raise ValidationError(
            "Plafon harus kelipatan simpanan antara 0 dan 100 (misalnya 3), atau dikosongkan.",
            field="ceiling_multiple",
        )
    return ProductInput(
        name=name,
        method=data.method,
        monthly_rate=data.monthly_rate,
        min_months=data.min_months,
        max_months=data.max_months,
        provisi_rate=data.provisi_rate,
        admin_fee=data.admin_fee,
        ceiling_multiple=ceiling,
        active=data.active,
    )


def _require_unique(session: Session, name: str, product_id: int | None) -> None:
    stmt = select(LoanProduct.id).where(func.lower(LoanProduct.name) == name.lower())
    if product_id is not None:
        stmt = stmt.where(LoanProduct.id != product_id)
    if session.scalar(stmt) is not None:
        raise ValidationError(f'Produk pinjaman "{name}" sudah ada; pakai nama lain.', field="name")


def ensure_default(session: Session) -> None:
    """Seed "Pinjaman Umum" (flat, 1,5%/bulan, 1-36 bulan, provisi 1%) when there is none."""
    if session.scalar(select(func.count(LoanProduct.id))):
        return
    product = LoanProduct(**_values(DEFAULT_PRODUCT))
    session.add(product)
    session.flush()
    audit.record(
        session,
        by="sistem",
        action="pengaturan.produk_pinjaman",
        entity="loan_product",
        entity_id=product.id,
        after=_values(DEFAULT_PRODUCT),
        note="produk bawaan",
    )


def list_products(session: Session, *, active_only: bool = False) -> list[ProductRow]:
    """Every product by name (seeding the default one when the book has none)."""
    ensure_default(session)
    stmt = select(LoanProduct).order_by(LoanProduct.name)
    if active_only:
        stmt = stmt.where(LoanProduct.active.is_(True))
    return [_row(p) for p in session.scalars(stmt)]


def get_product(session: Session, product_id: int) -> ProductRow:
    product = session.get(LoanProduct, product_id)
    if product is None:
        raise NotFound("Produk pinjaman tidak ditemukan.")
    return _row(product)


def create(session: Session, data: ProductInput, *, by: str) -> int:
    permissions.require(session, "produk.ubah")
    clean = validate(data)
    _require_unique(session, clean.name, None)
    product = LoanProduct(**_values(clean))
    session.add(product)
    session.flush()
    audit.record(
        session,
        by=by,
        action="pengaturan.produk_pinjaman",
        entity="loan_product",
        entity_id=product.id,
        after=_values(clean),
    )
    return product.id


def update(session: Session, product_id: int, data: ProductInput, *, by: str) -> None:
    permissions.require(session, "produk.ubah")
    product = session.get(LoanProduct, product_id)
    if product is None:
        raise NotFound("Produk pinjaman tidak ditemukan.")
    clean = validate(data)
    _require_unique(session, clean.name, product_id)
    before = _values(
        ProductInput(
            name=product.name,
            method=product.method,
            monthly_rate=_decimal(product.monthly_rate, None) or Decimal(0),
            min_months=product.min_months,
            max_months=product.max_months,
            provisi_rate=_decimal(product.provisi_rate, None) or Decimal(0),
            admin_fee=product.admin_fee,
            ceiling_multiple=_decimal(product.ceiling_multiple, None),
            active=product.active,
        )
    )
    after = _values(clean)
    changed = {k for k in after if after[k] != before[k]}
    if not changed:
        return
    for key in changed:
        setattr(product, key, after[key])
    if product.active is False and not session.scalar(
        select(func.count(LoanProduct.id)).where(
            LoanProduct.active.is_(True), LoanProduct.id != product_id
        )
    ):
        raise ValidationError("Paling sedikit satu produk pinjaman harus aktif.", field="active")
    audit.record(
        session,
        by=by,
        action="pengaturan.produk_pinjaman",
        entity="loan_product",
        entity_id=product.id,
        before={k: before[k] for k in sorted(changed)},
        after={k: after[k] for k in sorted(changed)},
    )
    session.flush()


def check_term(product: ProductRow, months: int) -> None:
    """An application's term within the product's limits."""
    if not product.min_months <= months <= product.max_months:
        raise ValidationError(
            f"Jangka waktu {product.name} {product.min_months} sampai {product.max_months} "
            f"bulan; {months} bulan tidak bisa.",
            field="months",
        )
