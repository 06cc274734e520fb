"""The cooperative's logo: kept in the book file as a normalised PNG, audited without its bytes."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.actor import Actor
from app.book import Book, open_book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, ValidationError
from app.models import AuditRecord, Setting
from app.services import backup, settings
from tests.logo_pictures import mode_and_format, noise_png, picture, size_of

USER = "bendahara"


def set_logo(book: Book, data: bytes, actor: Actor | None = None) -> bytes:
    with unit_of_work(book.sessions, actor=actor) as session:
        return settings.set_logo(session, data, by=USER)


def clear_logo(book: Book) -> None:
    with unit_of_work(book.sessions) as session:
        settings.clear_logo(session, by=USER)


def get_logo(book: Book) -> bytes | None:
    with read_session(book.sessions) as session:
        return settings.get_logo(session)


def logo_audits(book: Book) -> list[AuditRecord]:
    with read_session(book.sessions) as session:
        rows = session.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "pengaturan.logo")
            .order_by(AuditRecord.id)
        ).all()
        session.expunge_all()
        return list(rows)


def stored_rows(book: Book) -> tuple[int, int]:
    """(setting rows, audit rows): what a refused change must leave as it was."""
    with read_session(book.sessions) as session:
        return (
            session.scalar(select(func.count()).select_from(Setting)) or 0,
            session.scalar(select(func.count()).select_from(AuditRecord)) or 0,
        )


def test_no_logo_in_a_new_book(book: Book) -> None:
    assert get_logo(book) is None


def test_round_trip_keeps_an_rgba_png_of_the_same_size(book: Book) -> None:
    kept = set_logo(book, picture((300, 200), "PNG"))
    assert get_logo(book) == kept
    assert mode_and_format(kept) == ("RGBA", "PNG")
    assert size_of(kept) == (300, 200)  # small pictures are not enlarged
    with Image.open(io.BytesIO(kept)) as img:
        assert img.getpixel((0, 0))[3] == 0  # the transparent ground stays transparent
        assert img.getpixel((150, 100))[3] == 255


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("JPEG", "RGB"), ("GIF", "P"), ("BMP", "RGB"), ("PNG", "LA"), ("JPEG", "L")],
)
def test_jpeg_gif_bmp_become_rgba_png(book: Book, fmt: str, mode: str) -> None:
    kept = set_logo(book, picture((240, 160), fmt, mode))
    assert mode_and_format(kept) == ("RGBA", "PNG")
    assert size_of(kept) == (240, 160)


@pytest.mark.parametrize(
    ("size", "expected"),
    [((1800, 900), (600, 300)), ((500, 1000), (300, 600)), ((2000, 2000), (600, 600))],
)
def test_downscaled_to_600_on_the_longer_side_keeping_the_aspect(
    book: Book, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    kept = set_logo(book, picture(size, "PNG"))
    assert size_of(kept) == expected
    assert size_of(get_logo(book) or b"") == expected


def test_phone_photo_is_turned_upright(book: Book) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    kept = set_logo(book, picture((400, 200), "JPEG", "RGB", exif=exif.tobytes()))
    assert size_of(kept) == (200, 400)


@pytest.mark.parametrize(
    "data",
    [
        b"bukan gambar",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
        picture((50, 50), "TIFF", "RGB"),  # Pillow reads it, but it is not a logo format
        picture((50, 50), "PNG")[:60],  # cut off
        b"",
    ],
    ids=["text", "pdf", "tiff", "truncated", "empty"],
)
def test_not_a_picture_is_refused_and_nothing_is_written(book: Book, data: bytes) -> None:
    before = stored_rows(book)
    with pytest.raises(ValidationError) as refused:
        set_logo(book, data)
    assert "Pilih gambar PNG atau JPG" in str(refused.value)
    assert refused.value.field == "logo"
    assert stored_rows(book) == before
    assert get_logo(book) is None


def test_a_refused_file_leaves_the_logo_there_was(book: Book) -> None:
    kept = set_logo(book, picture())
    before = stored_rows(book)
    with pytest.raises(ValidationError):
        set_logo(book, b"bukan gambar")
    assert get_logo(book) == kept
    assert stored_rows(book) == before


def test_oversize_file_is_refused_and_nothing_is_written(book: Book, tmp_path: Path) -> None:
    big = noise_png(1400)
    assert len(big) > settings.LOGO_MAX_BYTES
    before = stored_rows(book)
    with pytest.raises(ValidationError) as refused:
        set_logo(book, big)
    assert "terlalu besar" in str(refused.value)
    assert "5 MB" in str(refused.value)
    assert stored_rows(book) == before

    path = tmp_path / "besar.png"
    path.write_bytes(big)
    with pytest.raises(ValidationError, match=r"besar\.png terlalu besar"):
        settings.read_logo_file(path)


def test_read_logo_file(tmp_path: Path) -> None:
    path = tmp_path / "logo.jpg"
    path.write_bytes(picture(fmt="JPEG", mode="RGB"))
    assert settings.read_logo_file(path) == path.read_bytes()
    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        settings.read_logo_file(tmp_path / "tidak_ada.png")


def test_audit_says_what_changed_without_the_picture(book: Book) -> None:
    first = set_logo(book, picture((300, 200)))
    second = set_logo(book, picture((200, 200), "JPEG", "RGB"))
    set_logo(book, picture((200, 200), "JPEG", "RGB"))  # the same picture again: no change
    clear_logo(book)
    clear_logo(book)  # nothing left to remove: no change

    rows = logo_audits(book)
    assert [r.note for r in rows] == ["logo dipasang", "logo diganti", "logo dihapus"]
    assert all(r.username == USER and r.entity == "setting" for r in rows)
    assert rows[0].before == ""
    assert "PNG 300×200 piksel" in json.loads(rows[0].after)["logo"]
    assert json.loads(rows[1].before) == json.loads(rows[0].after)
    assert "PNG 200×200 piksel" in json.loads(rows[1].after)["logo"]
    assert rows[2].after == ""
    for row, png in ((rows[0], first), (rows[1], second)):
        assert hashlib.sha256(png).hexdigest()[:16] in row.after
    for row in rows:  # a fingerprint, never the picture
        assert len(row.before) < 200 and len(row.after) < 200


def test_kept_in_the_book_file_so_backups_carry_it(book: Book, tmp_path: Path) -> None:
    kept = set_logo(book, picture())
    copy = backup.make_backup(book.engine, tmp_path / "cadangan", rotation=False)
    other = open_book(copy, lock=False)
    try:
        with read_session(other.sessions) as session:
            assert settings.get_logo(session) == kept
    finally:
        other.close()


def test_clear_removes_it(book: Book) -> None:
    set_logo(book, picture())
    clear_logo(book)
    assert get_logo(book) is None


@pytest.mark.parametrize("role", ["pengawas", "kasir", "ketua"])
def test_only_who_may_change_settings(book: Book, role: str) -> None:
    actor = Actor("pak_" + role, role)
    before = stored_rows(book)
    with pytest.raises(NotAllowed):
        set_logo(book, picture(), actor=actor)
    set_logo(book, picture())
    with pytest.raises(NotAllowed), unit_of_work(book.sessions, actor=actor) as session:
        settings.clear_logo(session, by=actor.username)
    assert get_logo(book) is not None
    assert stored_rows(book)[1] == before[1] + 1  # only the admin's change was audited


def test_a_small_file_of_a_huge_picture_is_refused(book: Book) -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # a few kB, 64 million pixels
    assert len(out.getvalue()) < settings.LOGO_MAX_BYTES
    with pytest.raises(ValidationError, match="8000×8000 piksel terlalu besar"):
        set_logo(book, out.getvalue())
    assert get_logo(book) is None
