"""Opening books: schema at head, one program per book, foreign files refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.book import Book, create_book, open_book
from app.db import current_revision, head_revision, read_session
from app.errors import BookError, BookLocked
from app.services.settings import Profile, get_profile

ROOT = Path(__file__).resolve().parents[2]


def test_new_book_is_at_head_with_pragmas(book: Book) -> None:
    assert current_revision(book.engine) == head_revision()
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    with read_session(book.sessions) as s:
        assert get_profile(s).name.startswith("Koperasi Desa")


def test_init_refuses_to_overwrite(book: Book, profile: Profile) -> None:
    with pytest.raises(BookError, match="sudah ada"):
        create_book(book.path, profile, by="x", lock=False)


def test_second_program_is_refused_while_the_first_has_it(book: Book) -> None:
    with pytest.raises(BookLocked, match="sedang dibuka"):
        open_book(book.path)


def test_lock_of_a_killed_program_does_not_linger(tmp_path: Path, profile: Profile) -> None:
    path = tmp_path / "buku.sqlite"
    create_book(path, profile, by="x").close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from app.book import open_book; "
            f"b = open_book(Path({str(path)!r})); print('open', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(BookLocked):
            open_book(path)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        time.sleep(0.1)
        reopened = open_book(path)  # a crash leaves no stale lock behind
        reopened.close()
    finally:
        if holder.poll() is None:
            holder.kill()


def test_foreign_files_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "bukan.sqlite"
    garbage.write_bytes(b"ini bukan database" * 100)
    with pytest.raises(BookError, match="bukan buku Lumbung"):
        open_book(garbage)
    other = tmp_path / "lain.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(BookError, match="database lain"):
        open_book(other)
    with pytest.raises(BookError, match="tidak ditemukan"):
        open_book(tmp_path / "tidak-ada.sqlite")


def test_book_of_the_previous_revision_is_copied_then_upgraded(tmp_path: Path) -> None:
    """An older book (first schema revision) opens: backup copy first, then the upgrade."""
    from alembic import command

    from app.db import _alembic_config, make_engine

    path = tmp_path / "lama.sqlite"
    engine = make_engine(path)
    command.upgrade(_alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES ('profile', '{\"name\": \"Koperasi Lama\"}')"
        )
    engine.dispose()

    book = open_book(path)
    try:
        assert current_revision(book.engine) == head_revision() != "0001"
        assert book.migrated_from_backup is not None and book.migrated_from_backup.exists()
        copy = sqlite3.connect(book.migrated_from_backup)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        copy.close()
        with read_session(book.sessions) as s:
            assert get_profile(s).name == "Koperasi Lama"
    finally:
        book.close()
