"""Reads that may take seconds on a big book, done in a thread so the window stays usable.

``BackgroundRead`` runs ``work(session, progress)`` in a ``safety.Job`` on its
own engine and read session, and hands the (frozen) result back to the main
thread through a signal. A new request while one is running cancels the old
one at its next progress step; only the latest result is delivered.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from sqlalchemy.orm import Session

from app.db import make_engine, make_sessions, read_session
from app.errors import DomainError
from app.ui.safety import Job, Progress

Work = Callable[[Session, Progress], Any]

# Running jobs stay referenced here until they finish: a QThread collected while it
# runs takes the whole program down.
_RUNNING: set[Job] = set()
_QUIT_HOOKED: list[bool] = []


def _wait_all() -> None:
    """At quit: cancel what is still reading and wait (a read stops at its next step)."""
    for job in list(_RUNNING):
        job.cancel()
        job.wait()


def _hook_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(_wait_all)
        _QUIT_HOOKED.append(True)


def _in_thread(path: Path, work: Work) -> Callable[[Progress], Any]:
    def run(progress: Progress) -> Any:
        engine = make_engine(path)
        try:
            with read_session(make_sessions(engine)) as session:
                return work(session, progress)
        finally:
            engine.dispose()

    return run


class BackgroundRead(QObject):
    loaded = Signal(object)  # the result of the latest request
    failed = Signal(object)  # a DomainError (the caller shows it)
    progressed = Signal(int, int)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._job: Job | None = None
        self._next: Work | None = None

    def busy(self) -> bool:
        return self._job is not None

    def start(self, work: Work) -> None:
        if self._job is not None:
            self._next = work
            self._job.cancel()
            return
        self._launch(work)

    def _launch(self, work: Work) -> None:
        _hook_quit()
        job = Job(_in_thread(self.path, work))
        _RUNNING.add(job)
        job.progressed.connect(self.progressed)
        job.finished.connect(self._finished)
        self._job = job
        job.start()

    def _finished(self) -> None:
        job = self._job
        if job is None:
            return
        job.wait()
        self._job = None
        _RUNNING.discard(job)
        job.deleteLater()
        if self._next is not None:
            work, self._next = self._next, None
            self._launch(work)
            return
        if job.cancelled:
            return
        error = job.error
        if error is None:
            self.loaded.emit(job.result)
        elif isinstance(error, DomainError):
            self.failed.emit(error)
        else:
            sys.excepthook(type(error), error, error.__traceback__)

    def wait(self) -> None:
        """Block until the latest request is delivered (tests, and before the book closes)."""
        while self._job is not None:
            self._job.wait()
            QCoreApplication.processEvents()
            QCoreApplication.sendPostedEvents()
