"""The command line on a book with logins: --user and LUMBUNG_PASSWORD, roles enforced."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.book import create_book
from app.db import unit_of_work
from app.services import auth
from app.services.settings import Profile
from tests.cli.test_cli import ROOT
from tests.services.yearend import a_year_of_business

SANDI = {"ida": "Sandi-Ida-2026", "wati": "Sandi-Wati-2026"}


def run(*args: str | Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LUMBUNG_DB", "LUMBUNG_PASSWORD")}
    if password is not None:
        env["LUMBUNG_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def book_with_logins(tmp_path: Path, fixed_today: date) -> Path:
    path = tmp_path / "buku.sqlite"
    book = create_book(path, Profile(name="Koperasi Uji Login"), by="bendahara")
    try:
        a_year_of_business(book)
        with unit_of_work(book.sessions) as s:
            auth.create_user(s, "ida", role="bendahara", password=SANDI["ida"], by="sistem")
            auth.create_user(s, "wati", role="pengawas", password=SANDI["wati"], by="sistem")
    finally:
        book.close()
    return path


def _counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        entries = conn.execute("SELECT count(*) FROM journal_entry").fetchone()[0]
        locks = conn.execute("SELECT count(*) FROM closed_period").fetchone()[0]
        return int(entries), int(locks)
    finally:
        conn.close()


def test_a_pengawas_cannot_write_through_the_command_line(book_with_logins: Path) -> None:
    before = _counts(book_with_logins)
    result = run(
        "--db", book_with_logins, "--user", "wati", "close-year", "--year", "2025",
        password=SANDI["wati"],
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "Peran pengawas hanya dapat melihat" in result.stderr
    assert _counts(book_with_logins) == before
    # ... and reads: the full check is allowed for every role.
    check = run("--db", book_with_logins, "--user", "wati", "check", password=SANDI["wati"])
    assert check.returncode == 0, check.stderr
    assert "utuh" in check.stdout


def test_a_book_with_logins_needs_a_valid_login(book_with_logins: Path) -> None:
    missing = run("--db", book_with_logins, "check")
    assert missing.returncode == 2 and "--user" in missing.stderr
    no_password = run("--db", book_with_logins, "--user", "ida", "check")
    assert no_password.returncode == 2 and "LUMBUNG_PASSWORD" in no_password.stderr
    wrong = run("--db", book_with_logins, "--user", "ida", "check", password="tebak-tebak")
    assert wrong.returncode == 2
    assert "Nama pengguna atau kata sandi salah" in wrong.stderr
    assert "tebak-tebak" not in wrong.stderr + wrong.stdout


def test_the_bendahara_writes_in_her_own_name(book_with_logins: Path) -> None:
    """Her login passes the role check; the closing is then refused for its checklist only."""
    result = run(
        "--db", book_with_logins, "--user", "ida", "close-year", "--year", "2025",
        password=SANDI["ida"],
    )  # fmt: skip
    assert result.returncode == 2
    assert "Tutup buku tahun 2025 ditolak" in result.stderr
    assert "Peran" not in result.stderr
