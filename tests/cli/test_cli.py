"""The command line as the IT volunteer runs it: `python main.py ...` in a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lumbung(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LUMBUNG_DB"}
    return subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def book_digest(path: Path) -> str:
    """Members and money, without the parts that depend on the clock (posted_at, hashes)."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for row in conn.execute(
            "SELECT number, nik, name, sex, birth_date, dusun, rt, rw, phone, joined_on, status, "
            "status_date FROM member ORDER BY id"
        ):
            digest.update(repr(row).encode())
        for row in conn.execute(
            "SELECT e.number, e.date, e.kind, e.memo, a.code, l.amount, l.member_id "
            "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
            "JOIN account a ON a.id = l.account_id ORDER BY e.id, l.line_no"
        ):
            digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    result = lumbung("--db", path, "demo", "--members", "40", "--years", "2", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def copy_of_demo(demo_book: Path, tmp_path: Path) -> Path:
    target = tmp_path / "salinan.sqlite"
    shutil.copyfile(demo_book, target)
    return target


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def entry_number(path: Path, line_id: int) -> str:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT e.number FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
            "WHERE l.id = ?",
            (line_id,),
        ).fetchone()
        return str(row[0])
    finally:
        conn.close()


def test_version() -> None:
    result = lumbung("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("Lumbung ")


def test_init_creates_a_book_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    path = tmp_path / "koperasi.sqlite"
    first = lumbung(
        "--db", path, "init", "--name", "Koperasi Desa Merah Putih Sukamaju", "--desa", "Sukamaju"
    )
    assert first.returncode == 0, first.stderr
    assert path.exists()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM account WHERE code = '1-101'").fetchone() == (1,)
        profile = conn.execute("SELECT value FROM setting WHERE key = 'profile'").fetchone()[0]
    finally:
        conn.close()
    assert "Sukamaju" in profile
    size = path.stat().st_size

    again = lumbung("--db", path, "init", "--name", "Koperasi Lain")
    assert again.returncode == 2
    assert "sudah ada" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert "Traceback" not in again.stderr
    assert path.stat().st_size == size


def test_init_without_a_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kosong.sqlite"
    result = lumbung("--db", path, "init", "--name", "  ")
    assert result.returncode == 2
    assert "Nama koperasi wajib diisi" in result.stderr
    assert not path.exists()


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    books = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        path = tmp_path / f"{name}.sqlite"
        result = lumbung("--db", path, "demo", "--members", "25", "--years", "2", "--seed", seed)
        assert result.returncode == 0, result.stderr
        assert "Membuat buku demo" in result.stderr  # progress on stderr
        books[name] = book_digest(path)
    assert books["a"] == books["b"]
    assert books["a"] != books["c"]


def test_demo_refuses_an_existing_book(demo_book: Path) -> None:
    before = book_digest(demo_book)
    result = lumbung("--db", demo_book, "demo", "--members", "10")
    assert result.returncode == 2
    assert "sudah ada" in result.stderr
    assert book_digest(demo_book) == before


def test_demo_refuses_a_silly_size(tmp_path: Path) -> None:
    result = lumbung("--db", tmp_path / "x.sqlite", "demo", "--members", "0")
    assert result.returncode == 2
    assert "anggota" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_check_passes_a_clean_demo_book(demo_book: Path) -> None:
    result = lumbung("--db", demo_book, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tidak ada masalah" in result.stdout


def test_check_refuses_a_missing_book(tmp_path: Path) -> None:
    result = lumbung("--db", tmp_path / "tidak-ada.sqlite", "check")
    assert result.returncode == 2
    assert "tidak ditemukan" in result.stderr


def test_check_finds_an_edited_amount(copy_of_demo: Path) -> None:
    number = entry_number(copy_of_demo, 30)
    tamper(
        copy_of_demo,
        "DROP TRIGGER journal_line_no_update",
        "UPDATE journal_line SET amount = amount + 1000 WHERE id = 30",
    )
    result = lumbung("--db", copy_of_demo, "check")
    assert result.returncode == 2
    assert f"{number}: debit dan kredit selisih Rp1.000" in result.stdout
    assert f"{number}: isi jurnal tidak cocok dengan hash-nya" in result.stdout
    assert "journal_line_no_update hilang" in result.stdout
    assert "masalah ditemukan" in result.stdout


def test_check_finds_a_deleted_line(copy_of_demo: Path) -> None:
    number = entry_number(copy_of_demo, 41)
    tamper(
        copy_of_demo,
        "DROP TRIGGER journal_line_no_delete",
        "DELETE FROM journal_line WHERE id = 41",
    )
    result = lumbung("--db", copy_of_demo, "check")
    assert result.returncode == 2
    problems = [line for line in result.stdout.splitlines() if line.startswith(number)]
    assert any("isi jurnal tidak cocok" in line for line in problems), result.stdout


def test_check_finds_an_inserted_line(copy_of_demo: Path) -> None:
    number = entry_number(copy_of_demo, 12)
    tamper(
        copy_of_demo,
        "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
        "SELECT entry_id, 9, account_id, 5000, unit, '' FROM journal_line WHERE id = 12",
    )
    result = lumbung("--db", copy_of_demo, "check")
    assert result.returncode == 2
    assert f"{number}: debit dan kredit selisih Rp5.000" in result.stdout
    assert f"{number}: isi jurnal tidak cocok dengan hash-nya" in result.stdout


def test_check_finds_a_deleted_entry(copy_of_demo: Path) -> None:
    conn = sqlite3.connect(copy_of_demo)
    try:
        victim, follower = conn.execute(
            "SELECT id, (SELECT number FROM journal_entry WHERE id = e.id + 1) "
            "FROM journal_entry e ORDER BY id LIMIT 1 OFFSET 20"
        ).fetchone()
    finally:
        conn.close()
    tamper(
        copy_of_demo,
        "DROP TRIGGER journal_line_no_delete",
        "DROP TRIGGER journal_entry_no_delete",
        f"DELETE FROM journal_line WHERE entry_id = {victim}",
        f"DELETE FROM journal_entry WHERE id = {victim}",
    )
    result = lumbung("--db", copy_of_demo, "check")
    assert result.returncode == 2
    assert f"{follower}: rantai hash putus" in result.stdout
