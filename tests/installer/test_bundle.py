"""The one-folder bundle (installer/lumbung.spec): built, then started as a treasurer's PC would.

Slow (PyInstaller takes 30 s to 2 min and writes about 200 MB), so it runs only when
asked for:

    LUMBUNG_BUILD_BUNDLE=1 python -m pytest tests/installer -s -q

It prints the figures for the release note: build time, bundle size, cold starts.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "lumbung.spec"
IS_WIN = sys.platform == "win32"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("LUMBUNG_BUILD_BUNDLE") != "1",
        reason="builds the PyInstaller bundle; set LUMBUNG_BUILD_BUNDLE=1",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed (pip install -e .[build])",
    ),
]


def _files(folder: Path) -> list[Path]:
    # Not symlinks: on Linux _internal/ links to the Qt libraries in PySide6/Qt/lib.
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    start = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr[-4000:]
    folder = work / "dist" / "Lumbung"
    files = _files(folder)
    size = sum(p.stat().st_size for p in files) / 2**20
    print(f"\nbundle: built in {seconds:.0f} s; {size:.0f} MiB in {len(files)} files")
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The user's folders inside tmp_path: the bundle must not touch the real ones."""
    run_env = dict(os.environ)
    run_env.pop("LUMBUNG_DB", None)
    run_env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        LOCALAPPDATA=str(tmp_path / "localappdata"),
    )
    return run_env


def program(bundle: Path, *, console: bool = True) -> Path:
    if IS_WIN:  # the windowed lumbung.exe has no stdout; lumbung-cli.exe is the console twin
        return bundle / ("lumbung-cli.exe" if console else "lumbung.exe")
    return bundle / "lumbung"


def run(bundle: Path, env: dict[str, str], *args: str, console: bool = True, timeout: int = 120):
    start = time.monotonic()
    done = subprocess.run(
        [str(program(bundle, console=console)), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done, time.monotonic() - start


def test_bundle_holds_migrations_resources_and_data(bundle: Path) -> None:
    internal = bundle / "_internal"
    versions = sorted(p.name for p in (internal / "app" / "migrations" / "versions").glob("*.py"))
    assert versions == sorted(
        p.name for p in (ROOT / "app" / "migrations" / "versions").glob("*.py")
    )
    assert (internal / "app" / "migrations" / "env.py").is_file()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert (internal / "resources" / "fonts" / name).is_file()
    assert (internal / "resources" / "icons" / "lumbung.png").is_file()
    locales = {p.stem for p in (internal / "babel" / "locale-data").glob("*.dat")}
    assert {"root", "id"} <= locales and len(locales) < 10
    assert list((internal / "pypdfium2_raw").glob("*pdfium*")), "pdfium's native library"
    if IS_WIN:
        assert (bundle / "lumbung.exe").is_file() and (bundle / "lumbung-cli.exe").is_file()


def test_version_demo_check_and_the_window(bundle: Path, env: dict[str, str], tmp_path: Path):
    from app import __version__

    done, cold = run(bundle, env, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Lumbung {__version__}"
    warm = min(run(bundle, env, "--version")[1] for _ in range(3))

    book = tmp_path / "demo.sqlite"
    done, demo_s = run(bundle, env, "--db", str(book), "demo", "--members", "20", "--years", "1")
    assert done.returncode == 0, done.stderr
    done, check_s = run(bundle, env, "--db", str(book), "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tidak ada masalah" in done.stdout

    window_env = dict(env, LUMBUNG_QUIT_AFTER_MS="3000")
    done, window_s = run(bundle, window_env, "--db", str(book), console=False, timeout=90)
    assert done.returncode == 0, done.stderr
    log = next((tmp_path / "state").rglob("lumbung.log"), None)
    assert log is not None and "ERROR" not in log.read_text("utf-8")
    print(
        f"\ncold start --version {cold:.2f} s (warm {warm:.2f} s); demo 20x1 {demo_s:.1f} s; "
        f"check {check_s:.2f} s; window shown and quit after 3 s: {window_s:.1f} s "
        f"(so about {window_s - 3:.1f} s to a shown window)"
    )
    # Alembic ran the revision files from the bundle, and wrote no bytecode next to them.
    assert not list((bundle / "_internal" / "app" / "migrations").rglob("__pycache__"))


def test_bundle_upgrades_a_book_of_the_first_revision(
    bundle: Path, env: dict[str, str], tmp_path: Path, profile
) -> None:
    """Installing a newer version: its first start upgrades the old book after a copy."""
    from app.db import head_revision
    from tests.services.test_upgrade import make_old_book

    path = tmp_path / "lama.sqlite"
    assert make_old_book(path, "0001", profile)["problems"] == []
    done, _ = run(bundle, env, "--db", str(path), "check")
    assert done.returncode == 0, done.stdout + done.stderr
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
    finally:
        conn.close()
    assert list(tmp_path.glob("lama.sebelum-*.sqlite"))
