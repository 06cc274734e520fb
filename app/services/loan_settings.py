"""Saving the loan settings of DOMAIN.md 3 (issue 3): what ``loans.loan_settings`` reads.

The settings live in the option "loans" (``settings.get_option``), one JSON
object with exactly the keys ``loans.loan_settings`` reads: decimals as text
(``"0.01"`` for 1%), whole rupiah and days as numbers, the ceiling multiple as
text or null (off). Saving validates everything first and writes only a
change; ``settings.set_option`` records it in the audit trail, before and after.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from sqlalchemy.orm import Session

from app import permissions
from app.errors import ValidationError
from app.money import MAX_AMOUNT
from app.services import settings
from app.services.loan_products import MAX_PROVISI_RATE, format_percent
from app.services.loan_state import Classification
from app.services.loans import LoanSettings, loan_settings

OPTION = "loans"
ROUNDINGS = (1, 100, 500, 1000)
MAX_PENALTY_RATE = Decimal("0.01")  # 1% a day is already 365% a year
MAX_GRACE_DAYS = 90
MAX_DPD = 3650
MAX_CEILING = Decimal(100)
_PLACES = Decimal("0.000001")  # a percentage with at most 4 decimals


def _rate(value: Decimal, what: str, low: Decimal, high: Decimal, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError(f"{what} harus berupa angka.", field=field)
    if not low <= value <= high:
        raise ValidationError(
            f"{what} harus {format_percent(low)} sampai {format_percent(high)}.", field=field
        )
    if value != value.quantize(_PLACES):
        raise ValidationError(
            f"{what} paling banyak 4 angka di belakang koma (misalnya 0,1234%).", field=field
        )
    return value.normalize() if value else Decimal(0)


def _whole(value: int, what: str, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{what} harus bilangan bulat.", field=field)
    if not 0 <= value <= high:
        raise ValidationError(f"{what} harus 0 sampai {high:,}.".replace(",", "."), field=field)
    return value


def validate(data: LoanSettings) -> LoanSettings:
    """The cleaned settings, or a ValidationError that names the field to fix."""
    provisi = _rate(data.provisi_rate, "Provisi", Decimal(0), MAX_PROVISI_RATE, "provisi_rate")
    admin = _whole(data.admin_fee, "Biaya administrasi", MAX_AMOUNT, "admin_fee")
    penalty = _rate(
        data.penalty_daily_rate,
        "Denda per hari",
        Decimal(0),
        MAX_PENALTY_RATE,
        "penalty_daily_rate",
    )
    grace = _whole(data.penalty_grace_days, "Masa tenggang denda", MAX_GRACE_DAYS, "grace_days")
    ceiling = data.ceiling_multiple
    if ceiling is not None:
        if not isinstance(ceiling, Decimal) or not ceiling.is_finite():
            raise ValidationError("Plafon harus berupa angka.", field="ceiling_multiple")
        if not 0 < ceiling <= MAX_CEILING:
            raise ValidationError(
                "Plafon harus kelipatan simpanan di atas 0 sampai 100 (misalnya 3), atau "
                "dimatikan.",
                field="ceiling_multiple",
            )
        if ceiling != ceiling.quantize(Decimal("0.01")):
            raise ValidationError(
                "Kelipatan plafon paling banyak 2 angka di belakang koma.",
                field="ceiling_multiple",
            )
        ceiling = ceiling.normalize()
    if data.round_to not in ROUNDINGS:
        raise ValidationError(
            "Pembulatan angsuran: tidak dibulatkan, Rp100, Rp500 atau Rp1.000.", field="round_to"
        )
    limits = tuple(data.classification.dpd_limits)
    if len(limits) != 3 or any(isinstance(x, bool) or not isinstance(x, int) for x in limits):
        raise ValidationError("Batas hari tunggakan harus tiga bilangan bulat.", field="dpd")
    if not 0 <= limits[0] < limits[1] < limits[2] <= MAX_DPD:
        raise ValidationError(
            "Batas hari tunggakan harus naik: Lancar < Kurang Lancar < Diragukan "
            f"(paling banyak {MAX_DPD:,} hari).".replace(",", "."),
            field="dpd",
        )
    rates = tuple(data.classification.ppap_rates)
    if len(rates) != 4:
        raise ValidationError("PPAP harus diisi untuk keempat kolektibilitas.", field="ppap")
    cleaned_rates = tuple(
        _rate(rate, f"PPAP {name}", Decimal(0), Decimal(1), "ppap")
        for rate, name in zip(rates, ("Lancar", "Kurang Lancar", "Diragukan", "Macet"), strict=True)
    )
    if any(a > b for a, b in pairwise(cleaned_rates)):
        raise ValidationError(
            "PPAP tidak boleh turun: kolektibilitas yang lebih buruk memerlukan penyisihan "
            "yang sama atau lebih besar.",
            field="ppap",
        )
    return LoanSettings(
        provisi_rate=provisi,
        admin_fee=admin,
        penalty_daily_rate=penalty,
        penalty_grace_days=grace,
        ceiling_multiple=ceiling,
        round_to=data.round_to,
        waive_future_interest_on_payoff=bool(data.waive_future_interest_on_payoff),
        classification=Classification(
            dpd_limits=limits,
            ppap_rates=cleaned_rates,  # type: ignore[arg-type]
        ),
    )


def stored(data: LoanSettings) -> dict[str, object]:
    """The "loans" option as ``loans.loan_settings`` reads it back."""
    return {
        "provisi_rate": str(data.provisi_rate),
        "admin_fee": data.admin_fee,
        "penalty_daily_rate": str(data.penalty_daily_rate),
        "penalty_grace_days": data.penalty_grace_days,
        "ceiling_multiple": None if data.ceiling_multiple is None else str(data.ceiling_multiple),
        "round_to": data.round_to,
        "waive_future_interest_on_payoff": data.waive_future_interest_on_payoff,
        "dpd_limits": list(data.classification.dpd_limits),
        "ppap_rates": [str(x) for x in data.classification.ppap_rates],
    }


def save_loan_settings(session: Session, data: LoanSettings, *, by: str) -> LoanSettings:
    """Validate and store the loan settings; a change is audited, no change writes nothing.

    Running loans keep their own terms (rate, provisi, schedule); the new settings
    apply to new applications, to denda proposed from now on, to payoffs and to
    the kolektibilitas and PPAP computed from now on.
    """
    permissions.require(session, "pengaturan.ubah")
    clean = validate(data)
    if clean != loan_settings(session):  # Decimal("0.10") == Decimal("0.1")
        settings.set_option(session, OPTION, stored(clean), by=by)
        session.flush()
    return loan_settings(session)
