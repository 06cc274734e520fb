"""NIK, phone and RT/RW checks (DOMAIN.md section 1)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import dates
from app.errors import ValidationError
from app.nik import NikCheck, check_nik, format_rt_rw, normalize_nik, normalize_phone

EXAMPLE = "3273056010900009"  # DOMAIN.md: a woman born 20-10-1990


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: date(2025, 6, 15))


def nik(
    prov: str = "32", reg: str = "73", dist: str = "05", birth: str = "601090", seq: str = "0009"
) -> str:
    return prov + reg + dist + birth + seq


def test_example_from_domain() -> None:
    result = check_nik(EXAMPLE)
    assert result == NikCheck(errors=(), warnings=(), sex="P", birth_date=date(1990, 10, 20))
    assert result.ok


def test_man_born_same_day() -> None:
    result = check_nik(nik(birth="201090"))
    assert result.ok
    assert result.sex == "L"
    assert result.birth_date == date(1990, 10, 20)


@pytest.mark.parametrize(
    "typed", ["3273 0560 1090 0009", "32.73.05.601090.0009", " 3273056010900009 "]
)
def test_spaces_and_dots_are_ignored(typed: str) -> None:
    assert normalize_nik(typed) == EXAMPLE
    assert check_nik(typed).ok


def test_normalize_keeps_other_characters() -> None:
    assert normalize_nik("3273a5") == "3273a5"


def test_matching_sex_and_birth_give_no_warning() -> None:
    result = check_nik(EXAMPLE, sex="P", birth_date=date(1990, 10, 20))
    assert result.ok
    assert result.warnings == ()


def test_sex_mismatch_is_only_a_warning() -> None:
    result = check_nik(EXAMPLE, sex="L")
    assert result.ok
    assert result.warnings == (
        "Menurut NIK, anggota ini perempuan, tetapi jenis kelamin diisi L. Periksa KTP-nya.",
    )


def test_birth_mismatch_is_only_a_warning() -> None:
    result = check_nik(EXAMPLE, birth_date=date(1990, 10, 21))
    assert result.ok
    assert len(result.warnings) == 1
    assert "20/10/1990" in result.warnings[0]
    assert "21/10/1990" in result.warnings[0]


def test_both_mismatches_warn_twice() -> None:
    result = check_nik(nik(birth="201090"), sex="P", birth_date=date(1991, 10, 20))
    assert result.ok
    assert len(result.warnings) == 2
    assert "laki-laki" in result.warnings[0]


def test_bad_sex_argument_is_a_bug() -> None:
    with pytest.raises(ValueError):
        check_nik(EXAMPLE, sex="W")


# --- hard errors ----------------------------------------------------------


def only_error(text: str) -> str:
    result = check_nik(text)
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize(("text", "count"), [(EXAMPLE[:-1], 15), (EXAMPLE + "1", 17), ("1", 1)])
def test_length(text: str, count: int) -> None:
    assert only_error(text).startswith(f"NIK harus 16 angka; yang diisi {count} angka.")


def test_empty() -> None:
    assert "belum diisi" in only_error("  ")


@pytest.mark.parametrize(
    "text", ["3273O56010900009", "3273-05-601090-0009", "\uff13\uff1273056010900009"]
)
def test_non_digits(text: str) -> None:
    assert "hanya boleh berisi angka" in only_error(text)


@pytest.mark.parametrize(
    "prov",
    [
        "00",
        "10",
        "20",
        "22",
        "30",
        "37",
        "50",
        "54",
        "60",
        "66",
        "70",
        "77",
        "80",
        "83",
        "90",
        "97",
        "99",
    ],
)
def test_unknown_province(prov: str) -> None:
    assert f'Kode provinsi "{prov}"' in only_error(nik(prov=prov))


@pytest.mark.parametrize(
    "prov",
    [
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 97),
    ],
)
def test_known_province(prov: int) -> None:
    assert check_nik(nik(prov=str(prov))).ok


def test_regency_00() -> None:
    assert "kabupaten/kota" in only_error(nik(reg="00"))


def test_district_00() -> None:
    assert "kecamatan" in only_error(nik(dist="00"))


@pytest.mark.parametrize(
    "birth",
    [
        "001090",  # day 0
        "321090",  # day 32
        "401090",  # 40: neither a man's nor a woman's day
        "721090",  # 72 = 32 + 40
        "201390",  # month 13
        "200090",  # month 0
        "300290",  # 30 February
        "690290",  # 29 February 1990 (woman)
        "310490",  # 31 April
    ],
)
def test_impossible_birth_date(birth: str) -> None:
    assert "Tanggal lahir dalam NIK" in only_error(nik(birth=birth))


def test_sequence_0000() -> None:
    assert "0000" in only_error(nik(seq="0000"))


def test_several_errors_are_all_reported() -> None:
    result = check_nik(nik(prov="99", reg="00", dist="00", birth="991399", seq="0000"))
    assert len(result.errors) == 5
    assert result.sex is None
    assert result.birth_date is None


# --- two-digit year -------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("010100", date(2000, 1, 1)),
        ("150625", date(2025, 6, 15)),  # today, 15/06/2025
        ("160625", date(1925, 6, 16)),  # tomorrow in 2025 would be in the future
        ("010126", date(1926, 1, 1)),
        ("311299", date(1999, 12, 31)),
        ("290200", date(2000, 2, 29)),  # 2000 is a leap year, 1900 is not
    ],
)
def test_century_never_in_the_future(birth: str, expected: date) -> None:
    result = check_nik(nik(birth=birth))
    assert result.ok, result.errors
    assert result.birth_date == expected


def test_century_follows_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: date(2031, 1, 1))
    assert check_nik(nik(birth="010130")).birth_date == date(2030, 1, 1)


@given(st.dates(min_value=date(1926, 1, 1), max_value=date(2025, 6, 15)), st.booleans())
def test_birth_date_round_trip(born: date, woman: bool) -> None:
    day = born.day + 40 if woman else born.day
    text = nik(birth=f"{day:02d}{born.month:02d}{born.year % 100:02d}")
    result = check_nik(text, sex="P" if woman else "L", birth_date=born)
    assert result.ok
    assert result.warnings == ()
    assert result.birth_date == born
    assert result.sex == ("P" if woman else "L")


# --- phone ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (0)812-3456-7890", "+6281234567890"),
        ("0812.345.678", "+62812345678"),  # 9 digits after the 0
        ("0812345678901", "+62812345678901"),  # 12
        ("08123456789012", "+628123456789012"),  # 13
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_phone(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "0812-abcd-7890",
        "081234567",  # 8 digits after the 0
        "081234567890123",  # 14
        "812345678901",  # no 0 or 62
        "0212345678",  # landline, not a mobile number
        "+1 415 555 0100",
        "++6281234567890",
    ],
)
def test_normalize_phone_refuses(typed: str) -> None:
    with pytest.raises(ValidationError, match="Nomor HP") as exc:
        normalize_phone(typed)
    assert exc.value.field == "phone"


# --- RT/RW ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3", "003"), ("03", "003"), ("12", "012"), ("123", "123"), (" 7 ", "007"), ("", "")],
)
def test_format_rt_rw(typed: str, expected: str) -> None:
    assert format_rt_rw(typed) == expected


@pytest.mark.parametrize("typed", ["1234", "3a", "-3", "0", "000", "RT 3", "\uff13"])
def test_format_rt_rw_refuses(typed: str) -> None:
    with pytest.raises(ValidationError, match="RT/RW"):
        format_rt_rw(typed)
