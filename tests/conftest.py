"""Shared fixtures: real book files in tmp_path, Qt offscreen."""

from __future__ import annotations

import os

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LUMBUNG_NO_BACKGROUND_JOBS", "1")

from collections.abc import Iterator  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.book import Book, create_book  # noqa: E402
from app.services.settings import Profile  # noqa: E402

USER = "bendahara"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def profile() -> Profile:
    return Profile(
        name="Koperasi Desa Merah Putih Lambangsari",
        desa="Lambangsari",
        kecamatan="Tambun Selatan",
        kabupaten="Bekasi",
        provinsi="Jawa Barat",
        ketua="Ahmad Suryana",
        sekretaris="Rina Marlina",
        bendahara="Ida Farida",
    )


@pytest.fixture
def book(tmp_path: Path, profile: Profile) -> Iterator[Book]:
    opened = create_book(tmp_path / "buku.sqlite", profile, by=USER)
    yield opened
    opened.close()


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Pin "today" so that date rules (no future postings) are reproducible."""
    day = date(2025, 12, 31)
    monkeypatch.setattr("app.dates.today", lambda: day)
    return day
