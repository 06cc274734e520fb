"""Rupiah: parsing, formatting, words, splits and rates.

Rupiah are whole ``int`` everywhere; rates are ``Decimal``. Nothing in this
module converts to or from ``float``: a float would silently lose rupiahs on
large amounts and make splits that no longer add up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from app.errors import ValidationError

MAX_AMOUNT = 100_000_000_000
"""Rp100 miliar: far beyond any village cooperative, so larger is a typo."""

# More digits than this cannot be a real amount; refusing early also keeps
# int() away from Python's huge-string conversion limit.
_MAX_DIGITS = 18

_RP_PREFIX = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+", re.ASCII)
_DECIMALS = re.compile(r",(?:-|[0-9]+)", re.ASCII)
_PERCENT = re.compile(r"([0-9]+)(?:[.,]([0-9]+))?\s*%?", re.ASCII)

_EXAMPLE = "Tulis misalnya 1.250.000 atau Rp1.250.000."


def _not_an_amount(raw: str, what: str) -> ValidationError:
    return ValidationError(f'{what} "{raw}" bukan angka rupiah yang sah. {_EXAMPLE}')


def parse_rupiah(value: str | int, *, what: str = "Jumlah") -> int:
    """Read an amount as a treasurer types it; negative via ``-`` or ``(...)``.

    A dot is always a thousands separator and a comma always starts decimals
    (Indonesian usage), so ``"1250000.5"`` is refused rather than guessed.
    """
    if isinstance(value, bool):
        raise TypeError("parse_rupiah() does not accept bool")
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        raise TypeError(f"parse_rupiah() needs str or int, not {type(value).__name__}")

    raw = value.strip()
    if not raw:
        raise ValidationError(f"{what} belum diisi. {_EXAMPLE}")

    text = raw
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative = True
        text = text[1:-1].strip()
    # The minus may stand before or after "Rp": "-Rp5.000" and "Rp-5.000".
    for strip_prefix in (False, True):
        if strip_prefix:
            text = _RP_PREFIX.sub("", text, count=1)
        if text.startswith("-"):
            if negative:  # "(-5)" or "-Rp-5": two signs are a typo, not a guess
                raise _not_an_amount(raw, what)
            negative = True
            text = text[1:].strip()

    comma = text.find(",")
    if comma >= 0:
        decimals = text[comma:]
        if not _DECIMALS.fullmatch(decimals):
            raise _not_an_amount(raw, what)
        if decimals != ",-" and decimals.strip(",0"):
            raise ValidationError(
                f'{what} "{raw}" memakai sen; rupiah ditulis tanpa sen. '
                f"Bulatkan ke rupiah penuh, misalnya 1.250.000."
            )
        text = text[:comma]

    if _PLAIN.fullmatch(text):
        digits = text
    elif _GROUPED.fullmatch(text):
        digits = text.replace(".", "")
    else:
        raise _not_an_amount(raw, what)

    if len(digits.lstrip("0")) > _MAX_DIGITS:
        raise ValidationError(
            f'{what} "{raw}" terlalu besar; batasnya Rp{format_number(MAX_AMOUNT)}. '
            f"Periksa kembali angkanya."
        )
    amount = int(digits)
    return -amount if negative else amount


def require_amount(amount: int, what: str = "Jumlah") -> int:
    """Refuse zero, negative and absurdly large amounts for a posting."""
    if amount <= 0:
        raise ValidationError(f"{what} harus lebih dari Rp0.")
    if amount > MAX_AMOUNT:
        raise ValidationError(
            f"{what} {format_rupiah(amount)} melebihi batas "
            f"{format_rupiah(MAX_AMOUNT)}; periksa kembali angkanya."
        )
    return amount


def _check_int(amount: int) -> None:
    # A Decimal or float would format "nicely" and hide the bug upstream.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah must be int, not {type(amount).__name__}")


def format_number(amount: int) -> str:
    """``1.234.567`` / ``-1.234.567`` (dot for thousands, PUEBI)."""
    _check_int(amount)
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"-{grouped}" if amount < 0 else grouped


def format_rupiah(amount: int) -> str:
    """``Rp1.234.567``, ``Rp0``, ``-Rp1.234.567`` (no space after Rp, PUEBI)."""
    _check_int(amount)
    grouped = format_number(abs(amount))
    return f"-Rp{grouped}" if amount < 0 else f"Rp{grouped}"


def format_statement(amount: int) -> str:
    """Financial-statement style: ``1.234.567``, ``(1.234.567)``, zero ``-``."""
    _check_int(amount)
    if amount == 0:
        return "-"
    grouped = format_number(abs(amount))
    return f"({grouped})" if amount < 0 else grouped


_ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)
# Index i is the name of 1000**i; the thousand is special ("seribu").
_SCALES = ("", "ribu", "juta", "miliar", "triliun")


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ONES[hundreds], "ratus"]
    tens, ones = divmod(rest, 10)
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif tens == 1:
        words += [_ONES[ones], "belas"]
    else:
        if tens:
            words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    return words


def terbilang(n: int) -> str:
    """Amount in Indonesian words for receipts: 2950000 -> "dua juta sembilan
    ratus lima puluh ribu"; up to 999 triliun."""
    _check_int(n)
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n == 0:
        return "nol"
    if n >= 1000 ** len(_SCALES):
        raise ValueError(f"terbilang() supports up to 10**15 - 1, got {n}")

    words: list[str] = []
    for scale in range(len(_SCALES) - 1, -1, -1):
        group = (n // 1000**scale) % 1000
        if not group:
            continue
        if scale == 1 and group == 1:
            words.append("seribu")
            continue
        words += _below_thousand(group)
        if scale:
            words.append(_SCALES[scale])
    return " ".join(words)


def terbilang_rupiah(n: int) -> str:
    """``terbilang`` followed by "rupiah", as written on a kuitansi."""
    return f"{terbilang(n)} rupiah"


def allocate(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Largest-remainder split of ``total`` rupiah by ``weights``.

    Each part is floor(total * w / W) computed exactly; the rupiahs left over
    go one each to the largest remainders, ties to the earlier index (DOMAIN.md
    5.5). The parts always add up to ``total``. A zero weight sum raises
    ValueError: the caller decides where such a pool goes (Cadangan).
    """
    _check_int(total)
    if total < 0:
        raise ValueError(f"allocate() needs total >= 0, got {total}")
    # Exact in integers: each weight as n/d, all brought to one denominator. The
    # remainders then share the denominator sum(weights), so they compare as integers.
    ratios: list[tuple[int, int]] = []
    for w in weights:
        if isinstance(w, bool) or not isinstance(w, (int, Decimal)):
            raise TypeError(f"allocate() weights must be int or Decimal, not {type(w).__name__}")
        if isinstance(w, Decimal) and not w.is_finite():
            raise ValueError(f"allocate() weight is not finite: {w}")
        if w < 0:
            raise ValueError(f"allocate() weights must be >= 0, got {w}")
        ratios.append((w, 1) if isinstance(w, int) else w.as_integer_ratio())
    scale = math.lcm(*(d for _, d in ratios)) if ratios else 1
    scaled = [n * (scale // d) for n, d in ratios]
    weight_sum = sum(scaled)
    if weight_sum == 0:
        raise ValueError("allocate() weights sum to zero")

    products = [total * w for w in scaled]
    parts = [p // weight_sum for p in products]
    leftover = total - sum(parts)
    # sorted() is stable, so equal remainders keep their original order.
    by_remainder = sorted(range(len(products)), key=lambda i: -(products[i] % weight_sum))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return parts


def apply_rate(amount: int, rate: Decimal) -> int:
    """``amount * rate`` rounded half up (away from zero) to Rp1, exactly once."""
    _check_int(amount)
    if not isinstance(rate, Decimal):
        raise TypeError(f"rate must be Decimal, not {type(rate).__name__}")
    if not rate.is_finite():
        raise ValueError(f"rate is not finite: {rate}")
    # Enough precision that the product is exact, so the only rounding is ours.
    precision = len(str(abs(amount))) + len(rate.as_tuple().digits) + 2
    ctx = Context(prec=precision, rounding=ROUND_HALF_UP)
    product = ctx.multiply(Decimal(amount), rate)
    return int(product.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=ctx))


def percent(pct: Decimal | str) -> Decimal:
    """A percentage as typed ("1,5", "1.5", "1,5%") to a fraction: Decimal("0.015")."""
    if isinstance(pct, Decimal):
        if not pct.is_finite():
            raise ValueError(f"percent is not finite: {pct}")
        return pct.scaleb(-2)
    if not isinstance(pct, str):
        raise TypeError(f"percent() needs Decimal or str, not {type(pct).__name__}")
    raw = pct.strip()
    match = _PERCENT.fullmatch(raw)
    if not match:
        raise ValidationError(
            f'Persentase "{raw}" tidak dikenali. Tulis angka saja, misalnya 1,5 untuk 1,5%.'
        )
    whole, frac = match.group(1), match.group(2) or ""
    try:
        value = Decimal(f"{whole}.{frac}" if frac else whole)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits digits only
        raise ValidationError(f'Persentase "{raw}" tidak dikenali.') from exc
    return value.scaleb(-2)
