"""Member identity fields: NIK (Nomor Induk Kependudukan), phone, RT/RW.

NIK layout (DOMAIN.md section 1): ``PPKKCC DDMMYY NNNN``: province, regency,
district, birth date with day + 40 for women, sequence. There is no check
digit, so only the structure can be checked. Whether the NIK is already used
is the member service's check, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app import dates
from app.errors import ValidationError

_PROVINCES = frozenset(
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
    ]
)
_SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}
_AGAIN = "Periksa kembali NIK di KTP."


@dataclass(frozen=True)
class NikCheck:
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    sex: str | None  # "L" / "P" as the NIK says, None if it cannot say
    birth_date: date | None

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_nik(text: str) -> str:
    """Drop the spaces and dots people type to group the 16 digits.

    Other characters are kept so that ``check_nik`` reports them instead of
    quietly turning "3273a5..." into a different, valid-looking NIK.
    """
    return "".join(ch for ch in text if ch != "." and not ch.isspace())


def _birth_from_nik(dd: int, mm: int, yy: int) -> tuple[str | None, date | None]:
    if 1 <= dd <= 31:
        sex, day = "L", dd
    elif 41 <= dd <= 71:
        sex, day = "P", dd - 40
    else:
        return None, None
    now = dates.today()
    # Two-digit year: pick the century that does not put the birth in the
    # future; a NIK is issued to people already born.
    for century in (2000, 1900):
        try:
            born = date(century + yy, mm, day)
        except ValueError:
            continue
        if born <= now:
            return sex, born
    return sex, None


def check_nik(nik: str, sex: str | None = None, birth_date: date | None = None) -> NikCheck:
    """Structural check of a NIK; ``sex``/``birth_date`` as entered from the KTP
    only produce warnings, because the NIK never changes."""
    if sex is not None and sex not in _SEX_WORDS:
        raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
    n = normalize_nik(nik)
    if not n:
        return NikCheck(("NIK belum diisi; tulis 16 angka sesuai KTP.",), (), None, None)
    if not (n.isascii() and n.isdigit()):
        return NikCheck(
            (
                f'NIK hanya boleh berisi angka; "{nik.strip()}" memuat huruf '
                f"atau tanda lain. {_AGAIN}",
            ),
            (),
            None,
            None,
        )
    if len(n) != 16:
        return NikCheck(
            (f"NIK harus 16 angka; yang diisi {len(n)} angka. {_AGAIN}",), (), None, None
        )

    errors: list[str] = []
    if int(n[0:2]) not in _PROVINCES:
        errors.append(f'Kode provinsi "{n[0:2]}" (2 angka pertama NIK) tidak dikenal. {_AGAIN}')
    if n[2:4] == "00":
        errors.append(f"Kode kabupaten/kota (angka ke-3 dan ke-4 NIK) tidak boleh 00. {_AGAIN}")
    if n[4:6] == "00":
        errors.append(f"Kode kecamatan (angka ke-5 dan ke-6 NIK) tidak boleh 00. {_AGAIN}")
    nik_sex, nik_birth = _birth_from_nik(int(n[6:8]), int(n[8:10]), int(n[10:12]))
    if nik_birth is None:
        errors.append(
            f'Tanggal lahir dalam NIK (angka ke-7 sampai ke-12, "{n[6:12]}") tidak mungkin; '
            f"ingat, untuk perempuan tanggalnya ditambah 40. {_AGAIN}"
        )
    if n[12:16] == "0000":
        errors.append(f"Nomor urut (4 angka terakhir NIK) tidak boleh 0000. {_AGAIN}")

    warnings: list[str] = []
    if sex is not None and nik_sex is not None and sex != nik_sex:
        warnings.append(
            f"Menurut NIK, anggota ini {_SEX_WORDS[nik_sex]}, tetapi jenis kelamin "
            f"diisi {sex}. Periksa KTP-nya."
        )
    if birth_date is not None and nik_birth is not None and birth_date != nik_birth:
        warnings.append(
            f"Menurut NIK, anggota ini lahir {dates.format_date(nik_birth)}, tetapi "
            f"tanggal lahir diisi {dates.format_date(birth_date)}. Periksa KTP-nya."
        )
    return NikCheck(tuple(errors), tuple(warnings), nik_sex, nik_birth)


_PHONE_JUNK = re.compile(r"[\s\-.()]")


def normalize_phone(text: str) -> str:
    """Mobile number to ``+628...``; accepts ``08...``, ``628...``, ``+628...``."""
    raw = text.strip()
    if not raw:
        return ""
    digits = _PHONE_JUNK.sub("", raw)
    how = "Tulis nomor HP seperti 0812-3456-7890 atau +6281234567890."
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise ValidationError(f'Nomor HP "{raw}" harus diawali 08 atau +62. {how}', field="phone")
    # "+62 (0)812..." is a common way to write it; the 0 is not part of the number.
    if digits[0] != "0" and national.startswith("0"):
        national = national[1:]
    if not (national.isascii() and national.isdigit()):
        raise ValidationError(
            f'Nomor HP "{raw}" hanya boleh berisi angka (dan +, spasi, tanda -). {how}',
            field="phone",
        )
    if not national.startswith("8") or not 9 <= len(national) <= 13:
        raise ValidationError(
            f'Nomor HP "{raw}" bukan nomor HP Indonesia yang wajar: setelah 0 harus '
            f"ada 9 sampai 13 angka yang diawali 8. {how}",
            field="phone",
        )
    return f"+62{national}"


def format_rt_rw(text: str, what: str = "RT/RW") -> str:
    """RT/RW as 3-digit text: "3" -> "003" (DOMAIN.md section 1)."""
    raw = text.strip()
    if not raw:
        return ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
        raise ValidationError(
            f'{what} "{raw}" harus berupa angka, paling banyak 3 angka, misalnya 003.'
        )
    if int(raw) == 0:
        raise ValidationError(f'{what} "{raw}" tidak boleh 0; tulis nomornya, misalnya 003.')
    return raw.zfill(3)
