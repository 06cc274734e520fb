"""Users and logins: scrypt password hashes, the login with its lock, and user management.

A password is kept only as ``scrypt$n$r$p$salt$hash`` (hashlib.scrypt: the
standard library over OpenSSL; per-user random salt; parameters stored so they
can be raised later) and compared in constant time. It is never stored, logged
or written to the audit trail in clear.

A user is never deleted, only disabled, so that the audit trail keeps every
name. Management needs the admin role (``permissions``); the first user of a
book without users is made by SYSTEM (the new-book flow, the CLI).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.actor import ANONYMOUS, SYSTEM, Actor, current_actor
from app.db import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationError
from app.models import User
from app.permissions import ADMIN, ROLES, require
from app.services import audit

MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCK_MINUTES = 5
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")

WRONG = "Nama pengguna atau kata sandi salah. Periksa keduanya, lalu coba lagi."


class LoginFailed(NotAllowed):
    """A refused login (wrong name or password, locked, disabled)."""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    created_at: datetime
    last_login: datetime | None
    locked_until: datetime | None


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.full_name,
        user.role,
        user.active,
        user.created_at,
        user.last_login,
        user.locked_until,
    )


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- passwords ---------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=SCRYPT_LEN,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=128 * int(n) * int(r) * int(p) + 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# A hash to compare against when the name is unknown: the answer takes as long.
_DUMMY_HASH = hash_password(secrets.token_hex(8))


def check_new_password(password: str, *, username: str = "") -> None:
    """Refuse an empty or weak new password, with a sentence that says what to do."""
    if not password or not password.strip():
        raise ValidationError("Kata sandi tidak boleh kosong.", field="password")
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"Kata sandi terlalu pendek: minimal {MIN_PASSWORD} karakter "
            f"(yang diketik {len(password)}).",
            field="password",
        )
    if len(set(password)) == 1:
        raise ValidationError(
            "Kata sandi terlalu mudah ditebak (satu karakter diulang-ulang); pakai campuran "
            "huruf dan angka.",
            field="password",
        )
    if username and password.strip().lower() == username.strip().lower():
        raise ValidationError("Kata sandi tidak boleh sama dengan nama pengguna.", field="password")


def clean_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            "Nama pengguna 3-32 karakter: huruf kecil, angka, titik, garis bawah atau tanda "
            "hubung, tanpa spasi (misalnya ida atau ida.farida).",
            field="username",
        )
    return name


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"Peran harus salah satu dari: {', '.join(ROLES)}.", field="role")
    return role


# -- reading -----------------------------------------------------------------------


def has_users(session: Session) -> bool:
    """True when the book has an active login (the window and the CLI then ask for one)."""
    return session.scalar(select(User.id).where(User.active).limit(1)) is not None


def list_users(session: Session) -> list[UserInfo]:
    return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise NotFound(f"Pengguna {username.strip()} tidak ada.")
    return user


# -- management (admin) ------------------------------------------------------------


def create_user(
    session: Session,
    username: str,
    *,
    role: str,
    password: str,
    full_name: str = "",
    by: str,
) -> UserInfo:
    require(session, "pengguna.kelola")
    name = clean_username(username)
    _role(role)
    check_new_password(password, username=name)
    if _find(session, name) is not None:
        raise ValidationError(
            f"Nama pengguna {name} sudah dipakai (pengguna tidak pernah dihapus); pilih nama lain.",
            field="username",
        )
    user = User(
        username=name,
        full_name=" ".join(full_name.split()),
        role=role,
        password_hash=hash_password(password),
        active=True,
        created_at=_now(),
        failed_count=0,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        by=by,
        action="pengguna.tambah",
        entity="user",
        entity_id=user.id,
        after={"username": name, "nama": user.full_name, "peran": role},
    )
    return _info(user)


def reset_password(session: Session, username: str, new_password: str, *, by: str) -> None:
    """The admin sets a new password (the user forgot it); also lifts a lock."""
    require(session, "pengguna.kelola")
    user = _get(session, username)
    check_new_password(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    user.failed_count = 0
    user.locked_until = None
    session.flush()
    audit.record(
        session,
        by=by,
        action="pengguna.atur_ulang_sandi",
        entity="user",
        entity_id=user.id,
        note=f"Kata sandi {user.username} diatur ulang oleh admin",
    )


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(User).where(User.active, User.role == ADMIN)
        )
        or 0
    )


def disable_user(session: Session, username: str, *, by: str, reason: str = "") -> None:
    """Disable a login (never delete it: the audit trail keeps the name)."""
    require(session, "pengguna.kelola")
    user = _get(session, username)
    if not user.active:
        raise NotAllowed(f"Login {user.username} sudah nonaktif.")
    if user.role == ADMIN and _active_admins(session) <= 1:
        raise NotAllowed(
            f"{user.username} adalah satu-satunya admin yang aktif; buat admin lain dulu "
            "sebelum menonaktifkannya."
        )
    user.active = False
    session.flush()
    audit.record(
        session,
        by=by,
        action="pengguna.nonaktif",
        entity="user",
        entity_id=user.id,
        before={"aktif": True},
        after={"aktif": False},
        note=" ".join(reason.split()),
    )


def enable_user(session: Session, username: str, *, by: str) -> None:
    require(session, "pengguna.kelola")
    user = _get(session, username)
    if user.active:
        return
    user.active = True
    user.failed_count = 0
    user.locked_until = None
    session.flush()
    audit.record(
        session,
        by=by,
        action="pengguna.aktif",
        entity="user",
        entity_id=user.id,
        before={"aktif": False},
        after={"aktif": True},
    )


# -- the user's own --------------------------------------------------------------


def change_password(session: Session, username: str, old_password: str, new_password: str) -> None:
    """A user changes their own password; the old one must be right."""
    actor = current_actor(session)
    user = _get(session, username)
    if actor not in (SYSTEM,) and actor.username != user.username:
        raise NotAllowed(
            "Kata sandi hanya dapat diganti oleh pemiliknya; admin dapat mengatur ulang."
        )
    if not verify_password(old_password, user.password_hash):
        raise ValidationError("Kata sandi lama salah; kata sandi tidak diganti.", field="old")
    check_new_password(new_password, username=user.username)
    if new_password == old_password:
        raise ValidationError(
            "Kata sandi baru sama dengan yang lama; pilih yang lain.", field="password"
        )
    user.password_hash = hash_password(new_password)
    session.flush()
    audit.record(
        session,
        by=user.username,
        action="pengguna.ganti_sandi",
        entity="user",
        entity_id=user.id,
    )


# -- the login ---------------------------------------------------------------------


def attempt_login(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> Actor | LoginFailed:
    """Check a login and record it (audit, failures, lock); the refusal is returned.

    Returned rather than raised so that the caller's unit of work commits the
    failure count and the audit record.
    """
    now = now or _now()
    typed = username.strip().lower()
    user = _find(session, typed) if typed else None
    if user is None:
        verify_password(password, _DUMMY_HASH)  # the same time as a known name
        # The typed text is not recorded: it may be a password typed in the wrong box.
        audit.record(
            session, by="(tidak dikenal)", action="login.gagal", note="Nama pengguna tidak dikenal"
        )
        return LoginFailed(WRONG)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(
            session,
            by=user.username,
            action="login.gagal",
            entity="user",
            entity_id=user.id,
            note="Login sedang dikunci",
        )
        return LoginFailed(
            f"Terlalu banyak percobaan yang salah; login {user.username} dikunci sampai pukul "
            f"{user.locked_until:%H:%M}. Coba lagi sesudahnya, atau minta admin mengatur ulang "
            "kata sandi."
        )
    if not verify_password(password, user.password_hash):
        user.failed_count = (user.failed_count or 0) + 1
        note = f"Kata sandi salah ({user.failed_count}x)"
        message = WRONG
        if user.failed_count >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_count = 0
            note += f"; dikunci {LOCK_MINUTES} menit"
            message = (
                f"{WRONG} Sudah {MAX_FAILURES} kali salah: login dikunci {LOCK_MINUTES} menit "
                f"(sampai pukul {user.locked_until:%H:%M})."
            )
        session.flush()
        audit.record(
            session,
            by=user.username,
            action="login.gagal",
            entity="user",
            entity_id=user.id,
            note=note,
        )
        return LoginFailed(message)
    if not user.active:
        audit.record(
            session,
            by=user.username,
            action="login.gagal",
            entity="user",
            entity_id=user.id,
            note="Login sudah dinonaktifkan",
        )
        return LoginFailed(
            f"Login {user.username} sudah dinonaktifkan; minta admin membuatkan login baru."
        )
    user.failed_count = 0
    user.locked_until = None
    user.last_login = now
    session.flush()
    audit.record(session, by=user.username, action="login", entity="user", entity_id=user.id)
    return Actor(user.username, user.role)


def authenticate(
    sessions: sessionmaker[Session], username: str, password: str, *, now: datetime | None = None
) -> Actor:
    """One login in its own unit of work; raises LoginFailed after recording the failure."""
    with unit_of_work(sessions, actor=ANONYMOUS) as session:
        outcome = attempt_login(session, username, password, now=now)
    if isinstance(outcome, LoginFailed):
        raise outcome
    return outcome
