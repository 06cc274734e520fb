"""One program at a time per book.

An OS file lock (flock on Linux, msvcrt on Windows) on ``<book>.lock``: the
operating system drops it when the process dies, however it dies, so a crash
never leaves a stale lock behind. The file's text (pid, computer, time) only
serves the message shown to the second program.
"""

from __future__ import annotations

import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from typing import IO

from app.errors import BookLocked


def lock_path(book: Path) -> Path:
    return book.with_name(book.name + ".lock")


class BookLock:
    def __init__(self, book: Path) -> None:
        self.path = lock_path(book)
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "program lain"
            handle.close()
            raise BookLocked(
                f"Buku ini sedang dibuka oleh Lumbung lain ({holder}). Tutup program itu dulu, "
                "lalu buka lagi. Dua program yang menulis ke buku yang sama bisa merusak catatan."
            ) from None
        handle.seek(0)
        handle.truncate()
        stamp = datetime.now().strftime("%d/%m/%Y %H:%M")
        handle.write(f"PID {os.getpid()} di komputer {socket.gethostname()} sejak {stamp}")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            _unlock(self._handle)
        finally:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
