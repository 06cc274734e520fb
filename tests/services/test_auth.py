"""Users and logins: hashing, the one wrong-password message, the lock, disabled logins."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.actor import Actor
from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import NotAllowed, ValidationError
from app.models import AuditRecord, User
from app.permissions import PermissionDenied
from app.services import auth
from app.services.auth import LoginFailed

PASSWORD = "Kopi-Tubruk-77"
ADMIN = Actor("admin", "admin")


def _users(book: Book) -> None:
    with unit_of_work(book.sessions) as s:
        auth.create_user(s, "admin", role="admin", password="admin-rahasia", by="sistem")
        auth.create_user(s, "Ida", role="bendahara", password=PASSWORD, full_name="Ida F", by="x")


def _audit(book: Book, action: str) -> list[tuple[str, str]]:
    """(username, note + before + after) of each record of ``action``."""
    with read_session(book.sessions) as s:
        rows = s.scalars(select(AuditRecord).where(AuditRecord.action == action))
        return [(r.username, r.note + r.before + r.after) for r in rows]


def test_the_password_is_never_stored_in_clear(book: Book) -> None:
    _users(book)
    auth.authenticate(book.sessions, "ida", PASSWORD)
    with pytest.raises(LoginFailed):
        auth.authenticate(book.sessions, "ida", PASSWORD + "x")
    with pytest.raises(LoginFailed):
        auth.authenticate(book.sessions, PASSWORD, PASSWORD)  # typed in the wrong box
    book.close()
    raw = b"".join(
        p.read_bytes() for p in book.path.parent.glob(book.path.name + "*") if p.is_file()
    )
    for secret in (PASSWORD, "admin-rahasia"):
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw


def test_hash_format_salt_and_constant_time_check() -> None:
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first != second  # a random salt per hash
    scheme, n, r, p, _salt, _digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert auth.verify_password(PASSWORD, first)
    assert not auth.verify_password(PASSWORD.lower(), first)
    assert not auth.verify_password(PASSWORD, "bukan-hash")


def test_wrong_name_and_wrong_password_read_the_same(book: Book) -> None:
    _users(book)
    with pytest.raises(LoginFailed) as unknown:
        auth.authenticate(book.sessions, "siapa", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        auth.authenticate(book.sessions, "ida", "salah-salah")
    assert str(unknown.value) == str(wrong.value) == auth.WRONG
    actor = auth.authenticate(book.sessions, " IDA ", PASSWORD)
    assert actor == Actor("ida", "bendahara")
    failed = _audit(book, "login.gagal")
    assert [name for name, _ in failed] == ["(tidak dikenal)", "ida"]
    assert [name for name, _ in _audit(book, "login")] == ["ida"]


def test_five_failures_lock_the_login_for_a_few_minutes(book: Book) -> None:
    _users(book)
    now = datetime(2026, 3, 2, 9, 0)
    for attempt in range(auth.MAX_FAILURES):
        with pytest.raises(LoginFailed) as refused:
            auth.authenticate(book.sessions, "ida", f"salah-{attempt}", now=now)
    assert "dikunci" in str(refused.value)
    # Even the right password waits until the lock is over.
    with pytest.raises(LoginFailed, match="dikunci sampai pukul 09:05"):
        auth.authenticate(book.sessions, "ida", PASSWORD, now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=auth.LOCK_MINUTES, seconds=1)
    assert auth.authenticate(book.sessions, "ida", PASSWORD, now=later).role == "bendahara"
    assert len(_audit(book, "login.gagal")) == auth.MAX_FAILURES + 1


def test_a_disabled_login_cannot_log_in_and_the_audit_keeps_her_name(book: Book) -> None:
    _users(book)
    ida = auth.authenticate(book.sessions, "ida", PASSWORD)
    with unit_of_work(book.sessions, actor=ida) as s:
        from app.services import settings

        settings.set_option(s, "contoh", 1, by=ida.username)
    with unit_of_work(book.sessions, actor=ADMIN) as s:
        auth.disable_user(s, "ida", by="admin", reason="masa jabatan selesai")
    with pytest.raises(LoginFailed, match="dinonaktifkan"):
        auth.authenticate(book.sessions, "ida", PASSWORD)
    with pytest.raises(LoginFailed) as wrong:
        auth.authenticate(book.sessions, "ida", "bukan-sandinya")
    assert str(wrong.value) == auth.WRONG  # no hint for someone who does not know it
    with read_session(book.sessions) as s:
        assert s.scalar(select(User.active).where(User.username == "ida")) is False
    assert [name for name, _ in _audit(book, "pengaturan.opsi")] == ["ida"]
    with (
        pytest.raises(NotAllowed, match="satu-satunya admin"),
        unit_of_work(book.sessions, actor=ADMIN) as s,
    ):
        auth.disable_user(s, "admin", by="admin")


def test_change_password_needs_the_old_one_and_a_strong_new_one(book: Book) -> None:
    _users(book)
    ida = Actor("ida", "bendahara")
    with (
        pytest.raises(ValidationError, match="lama salah"),
        unit_of_work(book.sessions, actor=ida) as s,
    ):
        auth.change_password(s, "ida", "tebakan-saja", "Sandi-Baru-99")
    for weak, message in (("", "kosong"), ("pendek", "minimal 8"), ("aaaaaaaaaa", "mudah")):
        with (
            pytest.raises(ValidationError, match=message),
            unit_of_work(book.sessions, actor=ida) as s,
        ):
            auth.change_password(s, "ida", PASSWORD, weak)
    with (
        pytest.raises(NotAllowed, match="pemiliknya"),
        unit_of_work(book.sessions, actor=Actor("admin", "admin")) as s,
    ):
        auth.change_password(s, "ida", PASSWORD, "Sandi-Baru-99")
    with unit_of_work(book.sessions, actor=ida) as s:
        auth.change_password(s, "ida", PASSWORD, "Sandi-Baru-99")
    assert auth.authenticate(book.sessions, "ida", "Sandi-Baru-99") == ida


def test_only_the_admin_resets_passwords(book: Book) -> None:
    _users(book)
    with (
        pytest.raises(PermissionDenied),
        unit_of_work(book.sessions, actor=Actor("ida", "bendahara")) as s,
    ):
        auth.reset_password(s, "admin", "ambil-alih-1", by="ida")
    with unit_of_work(book.sessions, actor=ADMIN) as s:
        auth.reset_password(s, "ida", "Lupa-Sandi-2026", by="admin")
    assert auth.authenticate(book.sessions, "ida", "Lupa-Sandi-2026").username == "ida"
    notes = [text for _, text in _audit(book, "pengguna.atur_ulang_sandi")]
    assert notes and all("Lupa-Sandi-2026" not in n for n in notes)


def test_usernames_are_unique_and_plain(book: Book) -> None:
    _users(book)
    with (
        pytest.raises(ValidationError, match="sudah dipakai"),
        unit_of_work(book.sessions, actor=ADMIN) as s,
    ):
        auth.create_user(s, "IDA", role="kasir", password="rahasia-lain", by="admin")
    with (
        pytest.raises(ValidationError, match="Nama pengguna"),
        unit_of_work(book.sessions, actor=ADMIN) as s,
    ):
        auth.create_user(s, "ida farida", role="kasir", password="rahasia-lain", by="admin")
    with (
        pytest.raises(ValidationError, match="Peran"),
        unit_of_work(book.sessions, actor=ADMIN) as s,
    ):
        auth.create_user(s, "rina", role="bos", password="rahasia-lain", by="admin")
