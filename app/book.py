"""Opening a book: where it lives, the lock, the migrations, the sessions."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.booklock import BookLock
from app.db import make_engine, make_sessions, migrate
from app.errors import BookError

APP_NAME = "Lumbung"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False, ensure_exists=False)


def default_book_path() -> Path:
    env = os.environ.get("LUMBUNG_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "lumbung.sqlite"


def demo_book_path() -> Path:
    return data_dir() / "demo.sqlite"


@dataclass
class Book:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    lock: BookLock | None = None
    migrated_from_backup: Path | None = field(default=None)

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def is_book(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def open_book(path: Path, *, create: bool = False, lock: bool = True) -> Book:
    """Open (or with ``create`` make) a book, upgrading its schema after a backup copy.

    Refuses a missing file unless ``create``; refuses a file that is already
    open in another Lumbung (``BookLocked``).
    """
    path = Path(path).expanduser().resolve()
    if not create and not is_book(path):
        raise BookError(
            f"Buku {path} tidak ditemukan. Buat buku baru dengan `lumbung init --name ...` "
            "atau pilih file buku yang benar."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book_lock = BookLock(path) if lock else None
    if book_lock is not None:
        book_lock.acquire()
    engine = make_engine(path)
    try:
        _refuse_foreign_file(engine, path)
        copy = migrate(engine, path)
    except BaseException:
        engine.dispose()
        if book_lock is not None:
            book_lock.release()
        raise
    return Book(path, engine, make_sessions(engine), book_lock, copy)


def _refuse_foreign_file(engine: Engine, path: Path) -> None:
    from sqlalchemy import inspect
    from sqlalchemy.exc import DatabaseError

    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except DatabaseError as exc:
        raise BookError(
            f"File {path} bukan buku Lumbung (bukan database SQLite yang utuh)."
        ) from exc
    if tables and "alembic_version" not in tables:
        raise BookError(f"File {path} adalah database lain, bukan buku Lumbung.")


def create_book(path: Path, profile: object, *, by: str, lock: bool = True) -> Book:
    """Make a new book file: schema, default chart of accounts, default settings.

    Refuses to overwrite an existing book.
    """
    from app.db import unit_of_work
    from app.services import books
    from app.services.settings import Profile

    assert isinstance(profile, Profile)
    path = Path(path).expanduser().resolve()
    if is_book(path):
        raise BookError(f"File {path} sudah ada; buku baru tidak boleh menimpanya.")
    book = open_book(path, create=True, lock=lock)
    try:
        with unit_of_work(book.sessions) as session:
            books.initialise(session, profile, by=by)
    except BaseException:
        book.close()
        path.unlink(missing_ok=True)
        raise
    return book
