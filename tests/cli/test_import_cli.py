"""`lumbung template` and `lumbung import` as the helper who migrates the books runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import book_digest, lumbung
from tests.conftest import SHARED

EXAMPLE = SHARED / "examples" / "import_example.xlsx"
EXPECTED = json.loads((SHARED / "examples" / "import_example_expected.json").read_text("utf-8"))


@pytest.fixture
def new_book(tmp_path: Path) -> Path:
    path = tmp_path / "buku.sqlite"
    result = lumbung("--db", path, "init", "--name", "Koperasi Desa Merah Putih Lambangsari")
    assert result.returncode == 0, result.stderr
    return path


def trial_balance(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT a.code, SUM(l.amount) FROM journal_line l "
            "JOIN journal_entry e ON e.id = l.entry_id JOIN account a ON a.id = l.account_id "
            "WHERE e.date <= '2025-12-31' GROUP BY a.code HAVING SUM(l.amount) != 0"
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def test_template_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "template_impor.xlsx"
    result = lumbung("template", out)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["Petunjuk", "Anggota", "Saldo Awal", "Pinjaman", "Transaksi"]
    assert [c.value for c in wb["Saldo Awal"][1]] == [
        "Tanggal",
        "Kode Akun",
        "No. Anggota",
        "Jumlah",
    ]


def test_the_untouched_template_imports_nothing(new_book: Path, tmp_path: Path) -> None:
    out = tmp_path / "template.xlsx"
    assert lumbung("template", out).returncode == 0
    before = book_digest(new_book)
    result = lumbung("--db", new_book, "import", out)
    assert result.returncode == 0, result.stderr
    assert "0 anggota" in result.stdout
    assert book_digest(new_book) == before


def test_init_then_import_the_example(new_book: Path) -> None:
    result = lumbung("--db", new_book, "import", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Impor selesai: 55 anggota, saldo awal seimbang dengan neraca 31/12/2024: Rp132.169.887"
    )
    assert "1-131 Pinjaman Anggota Rp38.969.887 = sisa pokok 8 pinjaman lama" in result.stdout
    assert "ANGSURAN: 150 baris" in result.stdout
    assert "Mengimpor: 100%" in result.stderr  # progress on stderr
    assert trial_balance(new_book) == EXPECTED["trial_balance"]
    check = lumbung("--db", new_book, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_dry_run_reports_and_writes_nothing(new_book: Path) -> None:
    before = book_digest(new_book)
    result = lumbung("--db", new_book, "import", EXAMPLE, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Pemeriksaan (tidak ada yang disimpan): 55 anggota")
    assert book_digest(new_book) == before


def test_a_refused_workbook_lists_every_problem_and_exits_2(new_book: Path, tmp_path: Path) -> None:
    wb = load_workbook(EXAMPLE)
    wb["Anggota"]["A3"] = "0001"
    wb["Transaksi"]["C2"] = "0099"
    bad = tmp_path / "salah.xlsx"
    wb.save(bad)
    before = book_digest(new_book)
    for args in ((), ("--dry-run",)):
        result = lumbung("--db", new_book, "import", bad, *args)
        assert result.returncode == 2
        problems = [line for line in result.stderr.splitlines() if "!" in line.split(":")[0]]
        assert "Anggota!3: No. Anggota 0001 dipakai dua kali (juga di baris 2)." in problems
        assert "Transaksi!2: No. Anggota 0099 tidak ada di lembar Anggota." in problems
        assert "ditolak" in result.stderr
    assert book_digest(new_book) == before


def test_garbage_is_refused_in_one_line(new_book: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "sampah.xlsx"
    garbage.write_bytes(b"\x00garbage\xff" * 100_000)
    result = lumbung("--db", new_book, "import", garbage)
    assert result.returncode == 2
    assert "tidak dapat dibaca sebagai buku kerja Excel" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
