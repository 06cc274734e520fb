"""Backups and restore, each against the fault it exists for.

(c) a corrupted, truncated or foreign restore file is refused and the book is untouched;
(d) a full disk during a backup (a failing writer, and a real write limit) keeps the
    previous backups and the book;
(e) the rotation keeps 7 daily, 4 weekly and 12 monthly backups over a simulated year.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.book import Book
from app.db import read_session, unit_of_work
from app.errors import BookError
from app.ledger.check import check_book
from app.models import AuditRecord
from app.services import backup, savings
from app.services.backup import BackupFile, make_backup, plan_rotation, restore, verify_copy
from tests.services.helpers import SITI, USER, register

ROOT = Path(__file__).resolve().parents[2]


def _deposit(book: Book, member: int, amount: int, on: date = date(2025, 3, 1)) -> None:
    with unit_of_work(book.sessions) as session:
        savings.deposit(session, member, {"sukarela": amount}, on=on, by=USER)


@pytest.fixture
def filled(book: Book, fixed_today: date) -> Book:
    member = register(book, SITI)
    for n in range(30):
        _deposit(book, member, 10_000 + n)
    return book


def _entries(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM journal_entry").fetchone()[0])
    finally:
        conn.close()


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _book_state(book: Book) -> tuple[int, list[str]]:
    with read_session(book.sessions) as session:
        problems = [str(p) for p in check_book(session)]
    return _entries(book.path), problems


# -- making backups ---------------------------------------------------------------


def test_a_backup_is_a_verified_self_contained_copy(filled: Book, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    made = make_backup(filled.path, folder, kind="manual", now=datetime(2025, 3, 1, 17, 30, 5))
    assert made.name == "buku-20250301-173005-manual.sqlite"
    assert verify_copy(made) == []
    assert _entries(made) == _entries(filled.path) == 31
    assert sorted(p.name for p in folder.iterdir()) == [made.name]  # no -wal, no temp file
    conn = sqlite3.connect(made)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    # From the engine of the open book too, and a second one in the same second.
    again = make_backup(filled.engine, folder, now=datetime(2025, 3, 1, 17, 30, 5))
    assert again.name == "buku-20250301-173005-manual-2.sqlite"


def test_the_default_folder_is_cadangan_beside_the_book(book: Book) -> None:
    assert backup.default_backup_dir(book.path) == book.path.parent / "cadangan"


def test_a_missing_book_or_an_unusable_folder_is_refused(filled: Book, tmp_path: Path) -> None:
    with pytest.raises(BookError, match="tidak ditemukan"):
        make_backup(tmp_path / "tidak-ada.sqlite", tmp_path / "c")
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    with pytest.raises(BookError, match=r"tidak dapat dibuat|bukan folder"):
        make_backup(filled.path, blocker / "cadangan")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "terkunci"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(BookError, match="hanya-baca"):
                make_backup(filled.path, locked)
        finally:
            locked.chmod(0o700)


def test_an_unbalanced_book_is_not_backed_up_over_good_backups(
    filled: Book, tmp_path: Path
) -> None:
    folder = tmp_path / "cadangan"
    make_backup(filled.path, folder, now=datetime(2025, 3, 1, 8, 0))
    before = _digest(folder)
    conn = sqlite3.connect(filled.path)
    try:
        conn.execute("DROP TRIGGER journal_line_no_update")
        conn.execute("UPDATE journal_line SET amount = amount + 1 WHERE id = 5")
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(BookError, match=r"tidak lolos pemeriksaan.*tidak seimbang"):
        make_backup(filled.path, folder, now=datetime(2025, 3, 2, 8, 0))
    assert _digest(folder) == before


# -- (d) a full disk --------------------------------------------------------------


def test_a_full_disk_midway_keeps_the_previous_backups_and_the_book(
    filled: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cadangan"
    for day in range(1, 4):
        make_backup(filled.path, folder, kind="daily", now=datetime(2025, 3, day, 18, 0))
    before = _digest(folder)
    state = _book_state(filled)
    real = backup._copy_pages
    steps = []

    def failing(source: sqlite3.Connection, target: sqlite3.Connection, progress: object) -> None:
        def step(_status: int, remaining: int, total: int) -> None:
            steps.append(remaining)
            if len(steps) == 2:  # the disk fills up halfway through
                raise OSError(errno.ENOSPC, "No space left on device")

        source.backup(target, pages=2, progress=step)

    monkeypatch.setattr(backup, "_copy_pages", failing)
    with pytest.raises(BookError, match=r"disk atau flashdisk penuh.*cadangan lama tidak diubah"):
        make_backup(filled.path, folder, kind="daily", now=datetime(2025, 3, 4, 18, 0))
    assert len(steps) == 2
    assert _digest(folder) == before  # nothing removed, nothing half-written left behind
    assert _book_state(filled) == state
    monkeypatch.setattr(backup, "_copy_pages", real)
    made = make_backup(filled.path, folder, kind="daily", now=datetime(2025, 3, 4, 18, 0))
    assert verify_copy(made) == []


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_real_write_limit_during_a_backup_keeps_the_previous_backups(
    filled: Book, tmp_path: Path
) -> None:
    """The operating system refuses the writes (RLIMIT_FSIZE), as a full stick would."""
    folder = tmp_path / "cadangan"
    make_backup(filled.path, folder, kind="daily", now=datetime(2025, 3, 1, 18, 0))
    before = _digest(folder)
    state = _book_state(filled)
    limit = filled.path.stat().st_size // 2
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from datetime import datetime\n"
        "from app.errors import BookError\n"
        "from app.services.backup import make_backup\n"
        "try:\n"
        f"    make_backup(Path({str(filled.path)!r}), Path({str(folder)!r}), kind='daily',\n"
        "                now=datetime(2025, 3, 2, 18, 0))\n"
        "except BookError as error:\n"
        "    print(error)\n"
        "    sys.exit(2)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "cadangan lama tidak diubah" in result.stdout
    assert _digest(folder) == before
    assert _book_state(filled) == state


# -- (e) rotation -----------------------------------------------------------------


def _expected_keep(days: list[datetime]) -> set[datetime]:
    """The rule written out the long way: newest per day / ISO week / month, newest first."""
    newest_first = sorted(days, reverse=True)
    keep = {d for d in newest_first if d.date() == newest_first[0].date()}
    for count, bucket in (
        (7, lambda d: d.date()),
        (4, lambda d: (d.isocalendar().year, d.isocalendar().week)),
        (12, lambda d: (d.year, d.month)),
    ):
        chosen: dict[object, datetime] = {}
        for d in newest_first:
            if bucket(d) not in chosen and len(chosen) < count:
                chosen[bucket(d)] = d
        keep.update(chosen.values())
    return keep


def test_rotation_over_a_simulated_year_of_daily_backups(filled: Book, tmp_path: Path) -> None:
    """A real backup every evening of 2025 (the clock injected); the folder checked each day."""
    folder = tmp_path / "cadangan"
    made: list[datetime] = []
    day = datetime(2025, 1, 1, 19, 0)
    while day.year == 2025:
        make_backup(filled.path, folder, kind="daily", now=day)
        made.append(day)
        present = {b.taken for b in backup.list_backups(folder, "buku")}
        assert present == _expected_keep(made), day
        assert max(made) in present  # the newest is never removed
        day += timedelta(days=1)
    kept = sorted(b.taken.date() for b in backup.list_backups(folder, "buku"))
    dailies = [date(2025, 12, d) for d in range(25, 32)]
    weeklies = [date(2025, 12, 14), date(2025, 12, 21), date(2025, 12, 28)]  # Sundays
    monthlies = [date(2025, m + 1, 1) - timedelta(days=1) for m in range(1, 12)]  # month ends
    assert kept == sorted(set(dailies + weeklies + monthlies))
    assert len(kept) == 20  # 7 + 2 more weeks + 11 more months


def test_rotation_keeps_every_backup_of_the_newest_day() -> None:
    def at(d: datetime) -> BackupFile:
        return BackupFile(Path(f"buku-{d:%Y%m%d-%H%M%S}-tutup.sqlite"), d, "close")

    closes = [at(datetime(2025, 5, 1, h)) for h in (9, 12, 16)]
    keep, remove = plan_rotation(closes)
    assert keep == closes and remove == []
    tomorrow = at(datetime(2025, 5, 2, 8))
    keep, remove = plan_rotation([*closes, tomorrow])
    assert keep == [closes[-1], tomorrow]  # yesterday's newest stays as its daily
    assert remove == closes[:2]


def test_rotation_leaves_other_books_and_other_files_alone(filled: Book, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    (folder / "demo-20200101-120000-harian.sqlite").write_bytes(b"x")
    (folder / "catatan.txt").write_text("jangan dihapus")
    for day in range(1, 40):
        make_backup(filled.path, folder, kind="daily", now=datetime(2025, 1, 1) + timedelta(day))
    names = {p.name for p in folder.iterdir()}
    assert {"demo-20200101-120000-harian.sqlite", "catatan.txt"} <= names


def test_daily_backup_once_a_day_and_a_missing_second_folder_is_reported(
    filled: Book, tmp_path: Path
) -> None:
    stick = tmp_path / "flashdisk"
    morning = datetime(2025, 3, 1, 8, 0)
    report = backup.backup_all(filled.path, kind="daily", second=stick, now=morning)
    assert len(report.made) == 1 and report.made[0].parent == filled.path.parent / "cadangan"
    assert len(report.problems) == 1 and "tidak ditemukan" in report.problems[0]
    stick.mkdir()
    report = backup.backup_all(filled.path, kind="daily", second=stick, now=morning.replace(hour=9))
    assert [p.parent for p in report.made] == [stick]  # the main folder already has today's
    assert report.problems == []
    report = backup.backup_all(
        filled.path, kind="close", second=stick, now=morning.replace(hour=17)
    )
    assert len(report.made) == 2
    assert backup.daily_due(stick, "buku", datetime(2025, 3, 2, 7, 0))


def test_the_second_folder_is_a_setting(filled: Book, tmp_path: Path) -> None:
    with unit_of_work(filled.sessions) as session:
        assert backup.second_folder(session) is None
        backup.set_second_folder(session, tmp_path / "usb", by=USER)
    with read_session(filled.sessions) as session:
        assert backup.second_folder(session) == tmp_path / "usb"


# -- restore and (c) bad restore files ---------------------------------------------


def test_restore_brings_the_backup_back_keeps_the_old_book_and_is_audited(
    filled: Book, tmp_path: Path
) -> None:
    made = make_backup(filled.path, tmp_path / "cadangan")
    _deposit(filled, 1, 99_000)
    assert _entries(filled.path) == 32
    filled.engine.dispose()
    kept = restore(made, filled.path, by=USER, now=datetime(2025, 3, 5, 10, 0))
    assert kept == filled.path.with_name("buku.sebelum-pulih-20250305-100000.sqlite")
    assert _entries(kept) == 32  # the book as it was, kept beside it
    assert _entries(filled.path) == 31
    _entries_now, problems = _book_state(filled)
    assert problems == []
    with read_session(filled.sessions) as session:
        mode = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
        user, after = session.execute(
            select(AuditRecord.username, AuditRecord.after).where(
                AuditRecord.action == "buku.pulihkan"
            )
        ).one()
    assert mode == "wal"
    assert user == USER and made.name in after and "sebelum-pulih" in after


def _bad_files(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    folder.mkdir()
    files = {}
    files["terpotong"] = folder / "terpotong.sqlite"
    files["terpotong"].write_bytes(data[: len(data) // 2])
    files["kepala saja"] = folder / "kepala.sqlite"
    files["kepala saja"].write_bytes(data[:60])
    rng = random.Random(5)
    for n, start in enumerate((len(data) // 4, len(data) // 2, 2 * len(data) // 3)):
        page = 4096 * (start // 4096)
        noise = bytes(rng.randrange(256) for _ in range(4096 * 3))
        target = folder / f"rusak{n}.sqlite"
        target.write_bytes(data[:page] + noise + data[page + len(noise) :])
        files[f"rusak {n}"] = target
    files["kosong"] = folder / "kosong.sqlite"
    files["kosong"].write_bytes(b"")
    files["teks"] = folder / "catatan.sqlite"
    files["teks"].write_text("Ini bukan buku.\n" * 100)
    other = folder / "lain.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE barang (id INTEGER PRIMARY KEY, nama TEXT)")
    conn.commit()
    conn.close()
    files["database lain"] = other
    return files


def test_a_damaged_or_foreign_restore_file_is_refused_and_the_book_untouched(
    filled: Book, tmp_path: Path
) -> None:
    good = make_backup(filled.path, tmp_path / "cadangan")
    state = _book_state(filled)
    before = hashlib.sha256(filled.path.read_bytes()).hexdigest()
    for label, bad in _bad_files(good, tmp_path / "buruk").items():
        assert verify_copy(bad), label
        with pytest.raises(BookError, match=r"tidak dapat dipulihkan.*Buku sekarang tidak diubah"):
            restore(bad, filled.path, by=USER)
        assert _book_state(filled) == state, label
    assert hashlib.sha256(filled.path.read_bytes()).hexdigest() == before
    assert not list(filled.path.parent.glob("*sebelum-pulih*"))  # refused before any copy


def test_a_backup_from_a_newer_lumbung_is_refused(filled: Book, tmp_path: Path) -> None:
    made = make_backup(filled.path, tmp_path / "cadangan")
    conn = sqlite3.connect(made)
    conn.execute("UPDATE alembic_version SET version_num = '9999_masa_depan'")
    conn.commit()
    conn.close()
    with pytest.raises(BookError, match="versi yang lebih baru"):
        restore(made, filled.path, by=USER)
    with pytest.raises(BookError, match="buku itu sendiri"):
        restore(filled.path, filled.path, by=USER)


def test_restore_into_a_missing_book_makes_it(filled: Book, tmp_path: Path) -> None:
    made = make_backup(filled.path, tmp_path / "cadangan")
    target = tmp_path / "baru" / "lumbung.sqlite"
    target.parent.mkdir()
    assert restore(made, target, by=USER) is None
    assert _entries(target) == 31
