"""`lumbung backup [DEST]` and `lumbung restore SRC` as the IT volunteer runs them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.book import open_book
from app.booklock import BookLock
from tests.cli.test_cli import lumbung
from tests.services.helpers import SITI, register


def _members(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM member").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def cli_book(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "lumbung.sqlite"
    result = lumbung("--db", path, "init", "--name", "Koperasi Desa Sukamaju")
    assert result.returncode == 0, result.stderr
    return path


def test_backup_goes_to_cadangan_beside_the_book_or_to_dest(cli_book: Path, tmp_path: Path) -> None:
    result = lumbung("--db", cli_book, "backup")
    assert result.returncode == 0, result.stderr
    made = list((cli_book.parent / "cadangan").glob("lumbung-*-manual.sqlite"))
    assert len(made) == 1
    assert str(made[0]) in result.stdout and "diperiksa" in result.stdout

    stick = tmp_path / "flashdisk"
    result = lumbung("--db", cli_book, "backup", stick)
    assert result.returncode == 0, result.stderr
    assert len(list(stick.glob("lumbung-*-manual.sqlite"))) == 1


def test_backup_to_an_unusable_folder_is_refused_in_one_line(
    cli_book: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    result = lumbung("--db", cli_book, "backup", blocker / "cadangan")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Folder cadangan" in result.stderr and "Traceback" not in result.stderr


def test_restore_verifies_keeps_a_copy_and_brings_the_backup_back(
    cli_book: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "flashdisk"
    assert lumbung("--db", cli_book, "backup", stick).returncode == 0
    backup_file = next(stick.glob("*.sqlite"))
    book = open_book(cli_book)
    try:
        register(book, SITI)
    finally:
        book.close()
    assert _members(cli_book) == 1

    result = lumbung("--db", cli_book, "restore", backup_file)
    assert result.returncode == 0, result.stderr
    assert "dipulihkan" in result.stdout and "sebelum-pulih" in result.stdout
    assert _members(cli_book) == 0
    kept = next(cli_book.parent.glob("lumbung.sebelum-pulih-*.sqlite"))
    assert _members(kept) == 1
    check = lumbung("--db", cli_book, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_truncated_file_and_leaves_the_book(
    cli_book: Path, tmp_path: Path
) -> None:
    assert lumbung("--db", cli_book, "backup", tmp_path / "c").returncode == 0
    good = next((tmp_path / "c").glob("*.sqlite"))
    bad = tmp_path / "terpotong.sqlite"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    before = hashlib.sha256(cli_book.read_bytes()).hexdigest()
    result = lumbung("--db", cli_book, "restore", bad)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "tidak dapat dipulihkan" in result.stderr and "terpotong" in result.stderr
    assert hashlib.sha256(cli_book.read_bytes()).hexdigest() == before
    assert not list(cli_book.parent.glob("*sebelum-pulih*"))


def test_restore_refuses_while_the_book_is_open_in_another_lumbung(
    cli_book: Path, tmp_path: Path
) -> None:
    assert lumbung("--db", cli_book, "backup", tmp_path / "c").returncode == 0
    good = next((tmp_path / "c").glob("*.sqlite"))
    lock = BookLock(cli_book.resolve())
    lock.acquire()  # the window has the book open
    try:
        result = lumbung("--db", cli_book, "restore", good)
    finally:
        lock.release()
    assert result.returncode == 2
    assert "sedang dibuka" in result.stderr
    assert not list(cli_book.parent.glob("*sebelum-pulih*"))
