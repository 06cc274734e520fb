"""`lumbung close-year --year Y`: the same checklist as the window, exit 2 with the failures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.book import create_book, open_book
from app.services.settings import Profile
from tests.cli.test_cli import lumbung
from tests.services.yearend import a_year_of_business, count_cash_exactly


@pytest.fixture
def book_2025(tmp_path: Path, fixed_today: date) -> Path:
    """A closed-off file with a year of business in 2025 and no year-end cash count yet."""
    path = tmp_path / "buku.sqlite"
    book = create_book(path, Profile(name="Koperasi Desa Merah Putih Uji"), by="bendahara")
    try:
        a_year_of_business(book)
    finally:
        book.close()
    return path


def test_close_year_refuses_with_the_failed_checks(book_2025: Path) -> None:
    result = lumbung("--db", book_2025, "close-year", "--year", "2025")
    assert result.returncode == 2, result.stderr
    assert "Tutup buku tahun 2025 ditolak" in result.stderr
    assert "- Kas dihitung (kas opname) di akhir tahun: belum ada kas opname" in result.stderr
    assert "Neraca saldo" not in result.stderr  # only the failed checks are listed
    assert result.stdout == ""


def test_close_year_closes_and_prints_the_shu(book_2025: Path, fixed_today: date) -> None:
    book = open_book(book_2025)
    try:
        count_cash_exactly(book)
    finally:
        book.close()
    result = lumbung("--db", book_2025, "close-year", "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert "Tahun buku 2025 ditutup (TB-2025-000001)" in result.stdout
    assert "SHU tahun 2025: Rp1.000.000" in result.stdout
    again = lumbung("--db", book_2025, "close-year", "--year", "2025")
    assert again.returncode == 2 and "sudah tutup buku" in again.stderr
