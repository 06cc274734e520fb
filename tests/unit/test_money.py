"""Rupiah parsing, formatting, words, splits and rates (DOMAIN.md 5.5, 9)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.money import (
    MAX_AMOUNT,
    allocate,
    apply_rate,
    format_number,
    format_rupiah,
    format_statement,
    parse_rupiah,
    percent,
    require_amount,
    terbilang,
    terbilang_rupiah,
)

amounts = st.integers(min_value=-10 * MAX_AMOUNT, max_value=10 * MAX_AMOUNT)


# --- parse_rupiah ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp1.250.000", 1_250_000),
        ("Rp 1.250.000", 1_250_000),
        ("rp. 1.250.000", 1_250_000),
        ("RP1.250.000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1.250.000,00", 1_250_000),
        ("1.250.000,-", 1_250_000),
        ("Rp1.250.000,-", 1_250_000),
        ("  1.250.000  ", 1_250_000),
        ("-1.250.000", -1_250_000),
        ("-Rp1.250.000", -1_250_000),
        ("(1.250.000)", -1_250_000),
        ("(Rp1.250.000)", -1_250_000),
        ("0", 0),
        ("999", 999),
        ("1.000", 1000),
    ],
)
def test_parse_rupiah_accepts(text: str, expected: int) -> None:
    assert parse_rupiah(text) == expected


def test_parse_rupiah_int_passes_through() -> None:
    assert parse_rupiah(1_250_000) == 1_250_000
    assert parse_rupiah(-5) == -5


def test_parse_rupiah_refuses_bool_and_float() -> None:
    with pytest.raises(TypeError):
        parse_rupiah(True)
    with pytest.raises(TypeError):
        parse_rupiah(1250000.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12a",
        "abc",
        "Rp",
        "-",
        "1.25.000",
        "1.2500.000",
        ".250.000",
        "1.250.",
        "1250000.5",
        "1250000.00",
        "1,250,000",
        "1.250.000,",
        "--5",
        "(-5)",
        "1 250 000",
        "\uff11\uff12",
        "1e6",
    ],
)
def test_parse_rupiah_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_rupiah(text)
    # A whole sentence that tells the treasurer what to do.
    assert exc.value.message.endswith(".")
    assert "Tulis" in exc.value.message or "Bulatkan" in exc.value.message


@pytest.mark.parametrize("text", ["1.250,50", "1.250.000,05", "Rp10,5"])
def test_parse_rupiah_refuses_sen(text: str) -> None:
    with pytest.raises(ValidationError, match="tanpa sen"):
        parse_rupiah(text)


def test_parse_rupiah_message_quotes_input() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_rupiah("12a")
    assert str(exc.value) == (
        'Jumlah "12a" bukan angka rupiah yang sah. Tulis misalnya 1.250.000 atau Rp1.250.000.'
    )


def test_parse_rupiah_refuses_absurdly_long() -> None:
    with pytest.raises(ValidationError, match="terlalu besar"):
        parse_rupiah("9" * 5000)


@given(amounts)
def test_parse_inverts_format_rupiah(x: int) -> None:
    assert parse_rupiah(format_rupiah(x)) == x


@given(amounts)
def test_parse_inverts_format_number(x: int) -> None:
    assert parse_rupiah(format_number(x)) == x


@given(amounts.filter(lambda x: x != 0))
def test_parse_inverts_format_statement(x: int) -> None:
    assert parse_rupiah(format_statement(x)) == x


# --- require_amount -------------------------------------------------------


def test_require_amount() -> None:
    assert require_amount(1) == 1
    assert require_amount(MAX_AMOUNT) == MAX_AMOUNT
    with pytest.raises(ValidationError, match=r"^Jumlah harus lebih dari Rp0\.$"):
        require_amount(0)
    with pytest.raises(ValidationError, match=r"^Setoran harus lebih dari Rp0\.$"):
        require_amount(-5, "Setoran")
    with pytest.raises(ValidationError) as exc:
        require_amount(MAX_AMOUNT + 1)
    assert str(exc.value) == (
        "Jumlah Rp100.000.000.001 melebihi batas Rp100.000.000.000; periksa kembali angkanya."
    )


# --- formatting -----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rupiah", "number", "statement"),
    [
        (1_234_567, "Rp1.234.567", "1.234.567", "1.234.567"),
        (-1_234_567, "-Rp1.234.567", "-1.234.567", "(1.234.567)"),
        (0, "Rp0", "0", "-"),
        (999, "Rp999", "999", "999"),
        (1000, "Rp1.000", "1.000", "1.000"),
        (-1, "-Rp1", "-1", "(1)"),
    ],
)
def test_formats(amount: int, rupiah: str, number: str, statement: str) -> None:
    assert format_rupiah(amount) == rupiah
    assert format_number(amount) == number
    assert format_statement(amount) == statement


@pytest.mark.parametrize("bad", [1.5, Decimal("1.5"), True])
def test_format_refuses_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        format_rupiah(bad)  # type: ignore[arg-type]


# --- terbilang ------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (1000, "seribu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (11_000, "sebelas ribu"),
        (21_000, "dua puluh satu ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (2_950_000, "dua juta sembilan ratus lima puluh ribu"),
        (1_000_000_000, "satu miliar"),
        (100_000_000_000, "seratus miliar"),
        (1_000_000_000_000, "satu triliun"),
        (1_000_001_000_000, "satu triliun satu juta"),
        (
            10**15 - 1,
            "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh "
            "sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus "
            "sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan",
        ),
        (-15, "minus lima belas"),
    ],
)
def test_terbilang(n: int, words: str) -> None:
    assert terbilang(n) == words


def test_terbilang_rupiah() -> None:
    assert terbilang_rupiah(2_950_000) == "dua juta sembilan ratus lima puluh ribu rupiah"


def test_terbilang_out_of_range() -> None:
    with pytest.raises(ValueError):
        terbilang(10**15)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_never_says_satu_for_se(n: int) -> None:
    words = terbilang(n)
    assert "satu ratus" not in words
    assert "satu puluh" not in words
    assert "satu belas" not in words
    # "satu ribu" is right inside a group ("dua puluh satu ribu" = 21.000)
    # but never for a thousands group that is exactly one: that is "seribu".
    assert not re.search(r"(^|juta |miliar |triliun )satu ribu", words)
    assert "  " not in words
    assert words == words.strip()


# --- allocate -------------------------------------------------------------


def test_allocate_shu_example_jasa_modal() -> None:
    # DOMAIN.md 5.5: S of A, B, C out of 100.000.000; the 4th weight is everyone else.
    parts = allocate(12_000_000, [2_000_000, 1_200_000, 800_000, 96_000_000])
    assert parts[:3] == [240_000, 144_000, 96_000]
    assert sum(parts) == 12_000_000


def test_allocate_shu_example_jasa_anggota() -> None:
    parts = allocate(15_000_000, [1_500_000, 0, 500_000, 73_000_000])
    assert parts[:3] == [300_000, 0, 100_000]
    assert sum(parts) == 15_000_000


def test_allocate_shu_components() -> None:
    pcts = [30, 20, 25, 5, 5, 5, 5, 5]
    assert allocate(60_000_000, pcts) == [
        18_000_000,
        12_000_000,
        15_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
        3_000_000,
    ]


def test_allocate_leftover_to_largest_remainder_ties_to_earlier() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    # Remainders 0.2, 0.4, 0.4 -> the single leftover goes to index 1, not 2.
    assert allocate(1, [1, 2, 2]) == [0, 1, 0]
    # Largest remainder wins even when it is later: 7*1/4=1.75, 7*3/4=5.25.
    assert allocate(7, [1, 3]) == [2, 5]


def test_allocate_decimal_weights() -> None:
    assert allocate(100, [Decimal("0.5"), Decimal("0.25"), 1]) == [29, 14, 57]


def test_allocate_refuses() -> None:
    with pytest.raises(ValueError):
        allocate(100, [0, 0])
    with pytest.raises(ValueError):
        allocate(100, [])
    with pytest.raises(ValueError):
        allocate(-1, [1])
    with pytest.raises(ValueError):
        allocate(100, [1, -1])
    with pytest.raises(TypeError):
        allocate(100, [1.5])  # type: ignore[list-item]


weights = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=10**12),
        st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
).filter(lambda ws: sum(ws) > 0)


@given(st.integers(min_value=0, max_value=MAX_AMOUNT * 10), weights)
def test_allocate_sums_and_stays_within_one_rupiah(total: int, ws: list[int | Decimal]) -> None:
    parts = allocate(total, ws)
    assert len(parts) == len(ws)
    assert sum(parts) == total
    weight_sum = sum(Fraction(w) for w in ws)
    for part, w in zip(parts, ws, strict=True):
        exact = total * Fraction(w) / weight_sum
        assert part >= 0
        assert abs(part - exact) < 1
        if w == 0:
            assert part == 0


@given(st.integers(min_value=0, max_value=MAX_AMOUNT * 10), weights)
def test_allocate_gives_leftovers_to_the_largest_exact_remainders(
    total: int, ws: list[int | Decimal]
) -> None:
    # The rule of DOMAIN.md 5.5 in exact fractions, written out independently.
    weight_sum = sum(Fraction(w) for w in ws)
    shares = [total * Fraction(w) / weight_sum for w in ws]
    expected = [s.numerator // s.denominator for s in shares]
    order = sorted(range(len(ws)), key=lambda i: (-(shares[i] - expected[i]), i))
    for i in order[: total - sum(expected)]:
        expected[i] += 1
    assert allocate(total, ws) == expected


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=50))
def test_allocate_equal_weights_differ_by_at_most_one(total: int, n: int) -> None:
    parts = allocate(total, [7] * n)
    assert max(parts) - min(parts) <= 1
    # Ties go to the earlier index, so the extra rupiahs are at the front.
    assert parts == sorted(parts, reverse=True)


# --- rates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        (1_000_000, "0.015", 15_000),
        (100, "0.015", 2),  # 1.5 rounds half up
        (100, "0.014", 1),
        (-100, "0.015", -2),  # half away from zero
        (-100, "0.025", -3),
        (333, "0.005", 2),  # 1.665 -> 2
        (0, "0.09", 0),
        (99_999_999_999, "0.0075", 750_000_000),  # 749.999.999,9925
        (123_456_789_012, "0.123456789012345678901", 15_241_578_753),
    ],
)
def test_apply_rate(amount: int, rate: str, expected: int) -> None:
    assert apply_rate(amount, Decimal(rate)) == expected


def test_apply_rate_is_exact_for_huge_precision() -> None:
    # 28-digit default context would round the product before our rounding.
    rate = Decimal("0.5000000000000000000000000000001")
    assert apply_rate(1, rate) == 1
    assert apply_rate(1, Decimal("0.4999999999999999999999999999999")) == 0


def test_apply_rate_refuses_float() -> None:
    with pytest.raises(TypeError):
        apply_rate(100, 0.015)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 10**6))
def test_apply_rate_matches_exact_fraction(amount: int, basis: int) -> None:
    rate = Decimal(basis).scaleb(-4)
    exact = amount * Fraction(basis, 10_000)
    expected = int(abs(exact) + Fraction(1, 2))  # half up on the magnitude
    assert apply_rate(amount, rate) == (expected if exact >= 0 else -expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", "0.015"),
        ("1.5", "0.015"),
        (" 1,5 % ", "0.015"),
        ("9", "0.09"),
        ("0,75", "0.0075"),
        ("100", "1"),
        ("0", "0"),
    ],
)
def test_percent(text: str, expected: str) -> None:
    assert percent(text) == Decimal(expected)


def test_percent_decimal() -> None:
    assert percent(Decimal("1.5")) == Decimal("0.015")


@pytest.mark.parametrize("text", ["", "abc", "1,5,5", "1.000,5", "-1", "1e2", "NaN", "Infinity"])
def test_percent_refuses(text: str) -> None:
    with pytest.raises(ValidationError):
        percent(text)
