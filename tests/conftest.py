"""Shared fixtures: real book files in tmp_path, Qt offscreen."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LUMBUNG_NO_BACKGROUND_JOBS", "1")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.book import Book, create_book
from app.services.settings import Profile

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


_exit_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without Python's finalisation once the results are reported.

    PySide6 6.12 sometimes aborts while the interpreter tears down its objects
    ("Fatal Python error: bool_dealloc", about one run in ten here), after every
    test has passed and the summary is printed. The exit status is pytest's own.
    """
    if "PySide6" in sys.modules and _exit_status:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])


@pytest.fixture(autouse=True)
def _collect_garbage_in_the_main_thread(request: pytest.FixtureRequest) -> None:
    """Widget tests run with the window's garbage-collection rule (app.ui.gc_guard)."""
    if "qtbot" in request.fixturenames:
        from app.ui import gc_guard

        gc_guard.install(request.getfixturevalue("qapp"))
