"""Settings: the cooperative's profile, its officers, and the savings amounts."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import warnings
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import ValidationError
from app.models import SavingsRate, Setting
from app.money import MAX_AMOUNT, format_rupiah
from app.services import audit

POKOK, WAJIB = "pokok", "wajib"
DEFAULT_POKOK = 50_000
DEFAULT_WAJIB = 20_000
# Rates set at init apply to every month a book can hold.
SINCE_ALWAYS = date(1900, 1, 1)

_PROFILE_KEY = "profile"
_LOGO_KEY = "logo"

# The cooperative's logo (RAT book cover and page headers): kept in the book file itself.
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "BMP")
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_SIDE = 600  # pixels, the longer side after normalising
_LOGO_MAX_PIXELS = 40_000_000  # what a file may unpack to (a 5 MB PNG can hold far more)
_LOGO_PICK = "Pilih gambar PNG atau JPG (juga GIF atau BMP) berukuran paling besar 5 MB"


@dataclass(frozen=True)
class Profile:
    """The cooperative and its officers, as printed on receipts and the RAT book."""

    name: str = ""
    address: str = ""
    desa: str = ""
    kecamatan: str = ""
    kabupaten: str = ""
    provinsi: str = ""
    badan_hukum_number: str = ""
    badan_hukum_date: str = ""  # dd/mm/yyyy as typed; validated on save
    nomor_induk_koperasi: str = ""
    nib: str = ""
    npwp: str = ""
    phone: str = ""
    ketua: str = ""
    sekretaris: str = ""
    bendahara: str = ""
    ketua_pengawas: str = ""
    anggota_pengawas_1: str = ""
    anggota_pengawas_2: str = ""
    manajer: str = ""

    def place(self) -> str:
        """Where documents are signed: the desa, else the kabupaten."""
        return self.desa or self.kabupaten or self.name


@dataclass(frozen=True)
class Rate:
    kind: str
    amount: int
    effective_from: date


def _get(session: Session, key: str) -> object | None:
    raw = session.get(Setting, key)
    return None if raw is None else json.loads(raw.value)


def _put(session: Session, key: str, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text


def get_profile(session: Session) -> Profile:
    stored = _get(session, _PROFILE_KEY) or {}
    assert isinstance(stored, dict)
    known = {f.name for f in fields(Profile)}
    return Profile(**{k: str(v) for k, v in stored.items() if k in known})


def save_profile(session: Session, profile: Profile, *, by: str) -> Profile:
    permissions.require(session, "pengaturan.ubah")
    stripped = {f.name: str(getattr(profile, f.name)).strip() for f in fields(profile)}
    cleaned = replace(profile, **stripped)
    if not cleaned.name:
        raise ValidationError("Nama koperasi wajib diisi.", field="name")
    if cleaned.badan_hukum_date:
        cleaned = replace(
            cleaned, badan_hukum_date=dates.format_date(dates.parse_date(cleaned.badan_hukum_date))
        )
    before = get_profile(session)
    _put(session, _PROFILE_KEY, asdict(cleaned))
    changed_before = {k: v for k, v in asdict(before).items() if asdict(cleaned)[k] != v}
    changed_after = {k: asdict(cleaned)[k] for k in changed_before}
    if changed_before:
        audit.record(
            session,
            by=by,
            action="pengaturan.profil",
            entity="setting",
            before=changed_before,
            after=changed_after,
        )
    session.flush()
    return cleaned


def get_option(session: Session, key: str, default: object) -> object:
    value = _get(session, f"option.{key}")
    return default if value is None else value


def set_option(session: Session, key: str, value: object, *, by: str) -> None:
    permissions.require(session, "pengaturan.ubah")
    remember_option(session, key, value, by=by)


def remember_option(session: Session, key: str, value: object, *, by: str) -> None:
    """Store an option without a permission of its own: for the basis a posting was
    made on (the posting checked who may post), audited like any other option."""
    before = _get(session, f"option.{key}")
    _put(session, f"option.{key}", value)
    audit.record(
        session,
        by=by,
        action="pengaturan.opsi",
        entity=key,
        before={key: before},
        after={key: value},
    )


# -- the logo ------------------------------------------------------------------


def _logo_refused(why: str) -> ValidationError:
    return ValidationError(f"{why} {_LOGO_PICK}, lalu coba lagi.", field="logo")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def read_logo_file(path: Path | str) -> bytes:
    """The bytes of the file the treasurer chose, refused before reading when it is too big."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > LOGO_MAX_BYTES:
            raise _logo_refused(f"Berkas {path.name} terlalu besar ({_megabytes(size)}).")
        return path.read_bytes()
    except OSError as error:
        raise _logo_refused(
            f"Berkas {path.name} tidak dapat dibaca ({error.strerror or error})."
        ) from error


def normalise_logo(data: bytes) -> bytes:
    """An RGBA PNG of ``data``, the longer side at most ``LOGO_MAX_SIDE`` pixels, aspect kept.

    Refuses (ValidationError) an empty or oversize file and anything that is not a
    PNG, JPEG, GIF or BMP picture Pillow can read.
    """
    if not data:
        raise _logo_refused("Berkas logo kosong.")
    if len(data) > LOGO_MAX_BYTES:
        raise _logo_refused(f"Berkas logo terlalu besar ({_megabytes(len(data))}).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=LOGO_FORMATS) as opened:
                if opened.width * opened.height > _LOGO_MAX_PIXELS:
                    raise _logo_refused(
                        f"Gambar {opened.width}×{opened.height} piksel terlalu besar."
                    )
                opened.seek(0)  # a GIF: its first frame
                upright = ImageOps.exif_transpose(opened)  # photos taken with a phone
                picture = upright.convert("RGBA")
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise _logo_refused("Berkas ini bukan gambar yang dapat dipakai sebagai logo.") from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # damaged or cut-off picture
        raise _logo_refused("Gambar ini rusak atau tidak lengkap.") from error
    picture.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _logo_summary(png: bytes) -> str:
    """What the audit trail says about a logo: its size and fingerprint, never its bytes."""
    digest = hashlib.sha256(png).hexdigest()[:16]
    size = f"{len(png):,}".replace(",", ".")
    try:
        with Image.open(io.BytesIO(png)) as picture:
            width, height = picture.size
    except (UnidentifiedImageError, OSError):
        return f"{size} byte, sha256 {digest}"
    return f"PNG {width}×{height} piksel, {size} byte, sha256 {digest}"


def get_logo(session: Session) -> bytes | None:
    """The logo as PNG bytes, or None when none is set."""
    stored = _get(session, _LOGO_KEY)
    if not isinstance(stored, str) or not stored:
        return None
    try:
        return base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        return None


def set_logo(session: Session, data: bytes, *, by: str) -> bytes:
    """Keep ``data`` (a picture file's bytes) as the logo, normalised; returns the PNG kept."""
    permissions.require(session, "pengaturan.ubah")
    png = normalise_logo(data)
    before = get_logo(session)
    if before == png:
        return png
    _put(session, _LOGO_KEY, base64.b64encode(png).decode("ascii"))
    audit.record(
        session,
        by=by,
        action="pengaturan.logo",
        entity="setting",
        before={"logo": _logo_summary(before)} if before else None,
        after={"logo": _logo_summary(png)},
        note="logo diganti" if before else "logo dipasang",
    )
    session.flush()
    return png


def clear_logo(session: Session, *, by: str) -> None:
    """Remove the logo; the documents print without one again. Nothing to remove: nothing."""
    permissions.require(session, "pengaturan.ubah")
    before = get_logo(session)
    row = session.get(Setting, _LOGO_KEY)
    if row is None:
        return
    session.delete(row)
    audit.record(
        session,
        by=by,
        action="pengaturan.logo",
        entity="setting",
        before={"logo": _logo_summary(before)} if before else None,
        after=None,
        note="logo dihapus",
    )
    session.flush()


# -- savings amounts ---------------------------------------------------------


def rates(session: Session, kind: str) -> list[Rate]:
    rows = session.scalars(
        select(SavingsRate).where(SavingsRate.kind == kind).order_by(SavingsRate.effective_from)
    )
    return [Rate(r.kind, r.amount, r.effective_from) for r in rows]


def rate_on(rate_list: list[Rate], on: date) -> int:
    """The amount in force in the month of ``on`` (a change applies from its effective month)."""
    amount = 0
    key = (on.year, on.month)
    for rate in rate_list:
        if (rate.effective_from.year, rate.effective_from.month) <= key:
            amount = rate.amount
        else:
            break
    return amount


def set_rate(session: Session, kind: str, amount: int, effective_from: date, *, by: str) -> None:
    permissions.require(session, "pengaturan.ubah")
    if kind not in (POKOK, WAJIB):
        raise ValidationError("Jenis simpanan untuk tarif harus pokok atau wajib.")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError("Besar simpanan harus rupiah bulat, tidak boleh minus.")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"Besar simpanan {format_rupiah(amount)} tidak masuk akal.")
    effective_from = dates.month_start(effective_from)
    existing = session.scalar(
        select(SavingsRate).where(
            SavingsRate.kind == kind, SavingsRate.effective_from == effective_from
        )
    )
    before = None if existing is None else existing.amount
    if existing is None:
        session.add(SavingsRate(kind=kind, amount=amount, effective_from=effective_from))
    else:
        existing.amount = amount
    audit.record(
        session,
        by=by,
        action=f"pengaturan.simpanan_{kind}",
        entity="savings_rate",
        before={"amount": before, "effective_from": effective_from},
        after={"amount": amount, "effective_from": effective_from},
    )
    session.flush()


def seed_defaults(session: Session, profile: Profile) -> None:
    _put(session, _PROFILE_KEY, asdict(profile))
    session.add(SavingsRate(kind=POKOK, amount=DEFAULT_POKOK, effective_from=SINCE_ALWAYS))
    session.add(SavingsRate(kind=WAJIB, amount=DEFAULT_WAJIB, effective_from=SINCE_ALWAYS))
    session.flush()
