"""Backups and restore: copies that are proven good before anything old is thrown away.

A backup is made through SQLite's online backup API (consistent even while
the window is writing) into a hidden temporary file in the destination
folder, then verified (it opens, ``PRAGMA integrity_check`` passes, it is a
Lumbung book, every entry balances and all lines sum to zero), then renamed
into place in one step, and only then are old backups rotated. A failed
write (a full disk, a USB stick pulled out) or a failed verification leaves
the earlier backups exactly as they were.

File names carry the time, so the rotation needs nothing but the folder::

    <book>-<YYYYMMDD>-<HHMMSS>-<harian|tutup|manual>[-N].sqlite

Rotation (``plan_rotation``) keeps, over all backups of the book in a folder:
every backup of the newest day; the newest backup of each of the 7 most
recent days that have one; of each of the 4 most recent ISO weeks; of each of
the 12 most recent months. Everything else is removed. The newest backup is
therefore never removed.

Restore verifies the chosen file first, keeps a copy of the current book
(``<book>.sebelum-pulih-<time>.sqlite``), then copies the backup over the
book through the backup API (one transaction: a crash halfway leaves the old
book), upgrades its schema if it is older, and records ``buku.pulihkan`` in
the audit trail of the restored book.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import permissions
from app.actor import ANONYMOUS, SYSTEM, Actor
from app.db import backup_copy, make_engine, make_sessions, migrate, unit_of_work
from app.errors import BookError
from app.money import format_rupiah
from app.services import audit, settings

log = logging.getLogger(__name__)

BACKUP_FOLDER = "cadangan"
SECOND_FOLDER_OPTION = "backup_second_folder"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# What each kind is called in the file name (the treasurer reads the folder too).
TAGS = {"daily": "harian", "close": "tutup", "manual": "manual"}
_KIND_OF_TAG = {tag: kind for kind, tag in TAGS.items()}
_STAMP = "%Y%m%d-%H%M%S"
_REQUIRED_TABLES = {"alembic_version", "account", "journal_entry", "journal_line", "setting"}
_PAGES_PER_STEP = 4096

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    kind: str  # "daily", "close" or "manual"
    n: int = 0  # a second backup within the same second gets -2, -3, ...

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.taken, self.n)


@dataclass
class BackupReport:
    """What an automatic backup did: files made and problems met (one per folder)."""

    made: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # folders that already had today's


# -- names and folders -------------------------------------------------------------


def default_backup_dir(book_path: Path | str) -> Path:
    """``cadangan/`` beside the book: in the data folder for the usual book."""
    return Path(book_path).expanduser().resolve().parent / BACKUP_FOLDER


def backup_name(stem: str, taken: datetime, kind: str, n: int = 0) -> str:
    suffix = f"-{n}" if n > 1 else ""
    return f"{stem}-{taken.strftime(_STAMP)}-{TAGS[kind]}{suffix}.sqlite"


def _pattern(stem: str) -> re.Pattern[str]:
    tags = "|".join(TAGS.values())
    return re.compile(
        rf"^{re.escape(stem)}-(?P<stamp>\d{{8}}-\d{{6}})-(?P<tag>{tags})(?:-(?P<n>\d+))?\.sqlite$"
    )


def list_backups(folder: Path, stem: str) -> list[BackupFile]:
    """The backups of book ``stem`` in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    pattern = _pattern(stem)
    found = []
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match is None or not path.is_file():
            continue
        try:
            taken = datetime.strptime(match["stamp"], _STAMP)
        except ValueError:
            continue
        found.append(BackupFile(path, taken, _KIND_OF_TAG[match["tag"]], int(match["n"] or 0)))
    return sorted(found, key=lambda b: b.sort_key)


def newest_backup(folder: Path, stem: str) -> BackupFile | None:
    backups = list_backups(folder, stem)
    return backups[-1] if backups else None


def daily_due(folder: Path, stem: str, now: datetime) -> bool:
    """True when ``folder`` holds no backup of the book from today."""
    newest = newest_backup(folder, stem)
    return newest is None or newest.taken.date() < now.date()


def second_folder(session: Session) -> Path | None:
    value = settings.get_option(session, SECOND_FOLDER_OPTION, "")
    return Path(str(value)).expanduser() if value else None


def set_second_folder(session: Session, folder: Path | None, *, by: str) -> None:
    settings.set_option(session, SECOND_FOLDER_OPTION, str(folder) if folder else "", by=by)


# -- rotation ----------------------------------------------------------------------


def plan_rotation(backups: Iterable[BackupFile]) -> tuple[list[BackupFile], list[BackupFile]]:
    """(keep, remove): see the module docstring for the rule."""
    ordered = sorted(backups, key=lambda b: b.sort_key, reverse=True)  # newest first
    if not ordered:
        return [], []
    keep: set[Path] = set()
    newest_day = ordered[0].taken.date()
    keep.update(b.path for b in ordered if b.taken.date() == newest_day)
    buckets: list[tuple[int, Callable[[datetime], object]]] = [
        (KEEP_DAILY, lambda t: t.date()),
        (KEEP_WEEKLY, lambda t: t.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda t: (t.year, t.month)),
    ]
    for count, bucket_of in buckets:
        seen: set[object] = set()
        for backup in ordered:
            bucket = bucket_of(backup.taken)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.add(bucket)
            keep.add(backup.path)  # the newest of its bucket: the list is newest first
    kept = [b for b in reversed(ordered) if b.path in keep]
    removed = [b for b in reversed(ordered) if b.path not in keep]
    return kept, removed


def rotate(folder: Path, stem: str) -> list[Path]:
    """Remove the backups the rotation does not keep; returns what was removed."""
    _kept, remove = plan_rotation(list_backups(folder, stem))
    removed = []
    for backup in remove:
        try:
            backup.path.unlink()
            removed.append(backup.path)
        except OSError as error:  # read-only stick, file in use: try again next time
            log.warning("Cadangan lama %s tidak dapat dihapus: %s", backup.path, error)
    return removed


# -- verification ------------------------------------------------------------------


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        # A WAL-mode file in a folder we cannot write to (a read-only stick).
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def verify_copy(path: Path) -> list[str]:
    """Every reason ``path`` is not a good, whole Lumbung book; empty when it is one."""
    path = Path(path)
    if not path.is_file():
        return [f"file {path} tidak ditemukan"]
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(100)
    if not head.startswith(b"SQLite format 3\x00"):
        if size == 0:
            return ["file itu kosong"]
        return ["file itu bukan database SQLite, jadi bukan buku Lumbung"]
    if len(head) < 100:
        return ["file itu terpotong (isinya tidak lengkap)"]
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big")
    changes = int.from_bytes(head[24:28], "big")
    if pages and valid_for == changes and size < pages * page_size:
        return [f"file itu terpotong: ukurannya {size} byte, seharusnya {pages * page_size} byte"]
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as error:
        return [f"file itu tidak dapat dibuka ({error})"]
    try:
        return _verify_open(conn)
    except sqlite3.Error as error:
        return [f"file itu rusak ({error})"]
    finally:
        conn.close()


def _verify_open(conn: sqlite3.Connection) -> list[str]:
    conn.execute("PRAGMA cache_size=-65536")  # 64 MB: integrity_check runs twice as fast
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        shown = "; ".join(str(r) for r in rows[:3])
        return [f"file itu rusak (integrity_check: {shown})"]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not _REQUIRED_TABLES.issubset(tables):
        return ["file itu database lain, bukan buku Lumbung"]
    problems = []
    unbalanced = conn.execute(
        "SELECT count(*) FROM (SELECT entry_id FROM journal_line GROUP BY entry_id "
        "HAVING sum(amount) != 0 OR count(*) < 2)"
    ).fetchone()[0]
    if unbalanced:
        problems.append(f"{unbalanced} jurnal di dalamnya tidak seimbang")
    total = conn.execute("SELECT coalesce(sum(amount), 0) FROM journal_line").fetchone()[0]
    if total:
        problems.append(f"debit dan kredit di dalamnya selisih {format_rupiah(abs(int(total)))}")
    orphans = conn.execute(
        "SELECT count(*) FROM journal_line WHERE entry_id NOT IN (SELECT id FROM journal_entry)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} baris jurnal di dalamnya tanpa jurnal induk")
    return problems


def _revision(path: Path) -> str | None:
    conn = _connect_read_only(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions()}


# -- making a backup ----------------------------------------------------------------


def _source_path(source: Path | str | Engine) -> Path:
    if isinstance(source, Engine):
        database = source.url.database
        if not database:
            raise BookError("Buku ini tidak disimpan di file; tidak ada yang dapat dicadangkan.")
        return Path(database).resolve()
    return Path(source).expanduser().resolve()


def _copy_pages(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None
) -> None:
    """The online backup itself (a separate function so tests can make the disk fail)."""

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    source.backup(target, pages=_PAGES_PER_STEP, progress=step)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            log.warning("File sementara %s%s tidak dapat dihapus", path, suffix)


def _write_failed(folder: Path, error: BaseException) -> BookError:
    reason = str(error)
    full = (isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EFBIG)) or (
        isinstance(error, sqlite3.Error) and "full" in reason.lower()
    )
    why = "disk atau flashdisk penuh" if full else reason
    return BookError(
        f"Cadangan ke folder {folder} gagal ditulis ({why}). File setengah jadi sudah dibuang; "
        "cadangan lama tidak diubah. Kosongkan tempat atau pilih folder lain, lalu coba lagi."
    )


def make_backup(
    source: Path | str | Engine,
    dest_dir: Path | str,
    *,
    kind: str = "manual",
    now: datetime | None = None,
    progress: Progress | None = None,
    rotation: bool = True,
) -> Path:
    """Back the book up into ``dest_dir``; returns the new, verified backup file.

    Refused (``BookError``, nothing old touched) when the folder cannot be
    used, the write fails, or the copy does not pass verification.
    """
    if kind not in TAGS:
        raise ValueError(f"unknown backup kind {kind!r}")
    book = _source_path(source)
    folder = Path(dest_dir).expanduser()
    if not book.is_file() or book.stat().st_size == 0:
        raise BookError(f"Buku {book} tidak ditemukan; tidak ada yang dapat dicadangkan.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BookError(
            f"Folder cadangan {folder} tidak dapat dibuat ({error.strerror or error}). "
            "Periksa apakah flashdisk terpasang dan tidak dikunci, atau pilih folder lain."
        ) from error
    if not folder.is_dir():
        raise BookError(f"{folder} bukan folder; pilih folder untuk cadangan.")
    if not os.access(folder, os.W_OK):
        raise BookError(
            f"Folder cadangan {folder} tidak dapat ditulisi (hanya-baca). Pilih folder lain "
            "atau buka kunci flashdisk-nya."
        )
    taken = (now or datetime.now()).replace(microsecond=0)
    n = 0
    final = folder / backup_name(book.stem, taken, kind)
    while final.exists():
        n = max(n, 1) + 1
        final = folder / backup_name(book.stem, taken, kind, n)
    temp = folder / f".{final.name}.{os.getpid()}.tmp"
    _unlink_quietly(temp)
    try:
        # mode=rw: never creates a file; the backup only reads.
        source_conn = sqlite3.connect(f"{book.as_uri()}?mode=rw", uri=True, timeout=5)
        try:
            target = sqlite3.connect(str(temp))
            try:
                _copy_pages(source_conn, target, progress)
                # One self-contained file: no -wal beside it on the stick.
                target.execute("PRAGMA journal_mode=DELETE").fetchone()
            finally:
                target.close()
        finally:
            source_conn.close()
        _fsync(temp)
    except (OSError, sqlite3.Error) as error:
        _unlink_quietly(temp)
        raise _write_failed(folder, error) from error
    except BaseException:
        _unlink_quietly(temp)
        raise
    problems = verify_copy(temp)
    if problems:
        _unlink_quietly(temp)
        raise BookError(
            f"Cadangan yang baru dibuat tidak lolos pemeriksaan: {'; '.join(problems)}. "
            "File itu dibuang dan cadangan lama tidak diubah. Jalankan Periksa buku."
        )
    try:
        os.replace(temp, final)
        _fsync_dir(folder)
    except OSError as error:
        _unlink_quietly(temp)
        raise _write_failed(folder, error) from error
    if rotation:
        rotate(folder, book.stem)
    log.info("Cadangan %s dibuat (%s)", final, kind)
    return final


def backup_all(
    book_path: Path | str,
    *,
    kind: str,
    second: Path | None = None,
    now: datetime | None = None,
) -> BackupReport:
    """The backup at close (``close``) or the first start of a day (``daily``).

    Goes to ``cadangan/`` beside the book and, when set, to the second folder
    (a USB stick). A missing or failing second folder is reported, never
    fatal to the first. A daily backup skips a folder that already holds one
    of today's backups.
    """
    book = Path(book_path).expanduser().resolve()
    when = now or datetime.now()
    report = BackupReport()
    folders = [default_backup_dir(book)]
    if second is not None:
        folders.append(Path(second).expanduser())
    for number, folder in enumerate(folders):
        if number > 0 and not folder.is_dir():
            report.problems.append(
                f"Folder cadangan kedua {folder} tidak ditemukan (flashdisk tidak terpasang?); "
                "cadangan hanya dibuat di folder utama."
            )
            continue
        if kind == "daily" and not daily_due(folder, book.stem, when):
            report.skipped.append(folder)
            continue
        try:
            report.made.append(make_backup(book, folder, kind=kind, now=when))
        except BookError as error:
            report.problems.append(str(error))
    return report


# -- restore -----------------------------------------------------------------------


def _book_has_users(book: Path) -> bool:
    if not book.is_file() or book.stat().st_size == 0:
        return False
    try:
        conn = _connect_read_only(book)
        try:
            if (
                conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user'"
                ).fetchone()
                is None
            ):
                return False
            return conn.execute('SELECT 1 FROM "user" WHERE active LIMIT 1').fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:  # a damaged book: whoever holds its lock may replace it
        return False


def _require_restore(book: Path, actor: Actor | None) -> None:
    if actor is None:
        actor = ANONYMOUS if _book_has_users(book) else SYSTEM
    permissions.check(actor, "buku.pulihkan")


def restore(
    src: Path | str,
    book_path: Path | str,
    *,
    by: str,
    now: datetime | None = None,
    actor: Actor | None = None,
) -> Path | None:
    """Replace the book with the backup ``src``; returns the copy kept of the old book.

    When the book has logins, only an admin ``actor`` may restore it.

    The caller holds the book's lock (the window already does; the CLI takes
    it) and has no connection open on it. ``src`` is verified first: a
    damaged, truncated or foreign file is refused and the book is not touched.
    """
    source = Path(src).expanduser().resolve()
    book = Path(book_path).expanduser().resolve()
    _require_restore(book, actor)
    if source == book:
        raise BookError("File cadangan yang dipilih adalah buku itu sendiri; pilih file cadangan.")
    problems = verify_copy(source)
    if problems:
        raise BookError(
            f"File {source.name} tidak dapat dipulihkan: {'; '.join(problems)}. "
            "Buku sekarang tidak diubah. Pilih file cadangan lain."
        )
    revision = _revision(source)
    if revision not in _known_revisions():
        raise BookError(
            f"File {source.name} dibuat oleh Lumbung versi yang lebih baru (skema {revision}). "
            "Perbarui Lumbung dulu, lalu pulihkan lagi. Buku sekarang tidak diubah."
        )
    stamp = (now or datetime.now()).strftime(_STAMP)
    safety: Path | None = None
    if book.is_file() and book.stat().st_size > 0:
        safety = book.with_name(f"{book.stem}.sebelum-pulih-{stamp}.sqlite")
        try:
            backup_copy(book, safety)
        except (OSError, sqlite3.Error) as error:
            _unlink_quietly(safety)
            raise BookError(
                f"Salinan buku sekarang tidak dapat dibuat ({error}); pemulihan dibatalkan dan "
                "buku tidak diubah. Kosongkan tempat di disk, lalu coba lagi."
            ) from error
    try:
        source_conn = _connect_read_only(source)
        try:
            target = sqlite3.connect(str(book), timeout=5)
            try:
                source_conn.backup(target)  # all pages in one transaction
            finally:
                target.close()
        finally:
            source_conn.close()
    except (OSError, sqlite3.Error) as error:
        raise BookError(
            f"Pemulihan dari {source.name} gagal ({error}); buku sekarang tidak diubah"
            + (f" dan salinannya ada di {safety}." if safety else ".")
        ) from error
    engine = make_engine(book)
    try:
        migrate(engine, book)
        with unit_of_work(make_sessions(engine)) as session:
            audit.record(
                session,
                by=by,
                action="buku.pulihkan",
                entity="book",
                after={"dari": str(source), "salinan_buku_sebelumnya": str(safety or "")},
                note=f"Buku dipulihkan dari cadangan {source.name}",
            )
    finally:
        engine.dispose()
    log.info("Buku %s dipulihkan dari %s (salinan lama: %s)", book, source, safety)
    return safety
