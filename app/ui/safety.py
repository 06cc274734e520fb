"""The window's side of book safety: the start-up chain check, backups, restore, the Buku menu.

Long work (the chain check, a backup, a restore) runs in a ``Job`` thread
with its own engine and session; the window shows a progress dialog for what
the treasurer asked for, and nothing at all for the automatic jobs unless
they find a problem (the red banner, or a line in the status bar).

``LUMBUNG_NO_BACKGROUND_JOBS=1`` (set by the tests) turns the automatic jobs
off: no check at start, no daily backup, no backup at close.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app import permissions
from app.db import make_engine, make_sessions, read_session, unit_of_work
from app.errors import DomainError
from app.ledger.chain import ChainCheck, Checkpoint
from app.ledger.check import Problem
from app.services import backup, integrity
from app.ui import prompts
from app.ui.actions import read, run_action

if TYPE_CHECKING:
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


def background_jobs_enabled() -> bool:
    return os.environ.get("LUMBUNG_NO_BACKGROUND_JOBS", "").strip() not in ("1", "true", "yes")


class _Cancelled(Exception):
    """Raised inside a job's progress callback when the treasurer cancels."""


class Job(QThread):
    """Runs ``work(progress)`` in its own thread; the result or error waits for the main thread."""

    progressed = Signal(int, int)

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        self.progressed.emit(int(done), int(total))

    def run(self) -> None:
        try:
            self.result = self.work(self._progress)
        except _Cancelled:
            self.cancelled = True
        except BaseException as error:  # handed to the main thread, which reports it
            self.error = error


def run_with_progress(
    parent: QWidget | None,
    title: str,
    label: str,
    work: Callable[[Progress], Any],
    *,
    cancellable: bool = True,
) -> tuple[bool, Any]:
    """Run ``work`` in a thread behind a modal progress dialog.

    Returns (True, result), or (False, None) when cancelled or refused (a
    DomainError is shown as the usual message; a bug goes to the excepthook).
    """
    progress = QProgressDialog(label, parent.tr("Batal") if parent else "Batal", 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setMinimumWidth(420)
    if not cancellable:
        progress.setCancelButton(None)
    job = Job(work)

    def show(done: int, total: int) -> None:
        if total > 0 and progress.maximum() != total:
            progress.setMaximum(total)
        progress.setValue(min(done, total) if total > 0 else 0)

    job.progressed.connect(show)
    progress.canceled.connect(job.cancel)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.start()
    progress.show()
    if job.isRunning():
        loop.exec()
    job.wait()
    progress.close()
    progress.deleteLater()
    if job.cancelled:
        return False, None
    error = job.error
    if error is None:
        return True, job.result
    if isinstance(error, DomainError):

        def refuse() -> None:
            raise error

        run_action(parent, refuse)
        return False, None
    sys.excepthook(type(error), error, error.__traceback__)
    return False, None


# -- work done in the threads (own engine, own session) ---------------------------------


def _startup_check(path: Path, progress: Progress) -> ChainCheck:
    engine = make_engine(path)
    try:
        with read_session(make_sessions(engine)) as session:
            return integrity.startup_check(session, progress=progress)
    finally:
        engine.dispose()


def _full_check(path: Path, progress: Progress) -> tuple[list[Problem], Checkpoint | None]:
    engine = make_engine(path)
    try:
        with read_session(make_sessions(engine)) as session:
            return integrity.full_check(session, progress)
    finally:
        engine.dispose()


class BookSafety(QObject):
    """Owned by the main window: its Buku menu, its banner's check, its backups."""

    checked = Signal(object)  # a ChainCheck, after every start-up check

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext = window.ctx
        self._jobs: list[Job] = []
        self.last_check: ChainCheck | None = None
        self.actions: dict[str, QAction] = {}

    # -- the Buku menu -------------------------------------------------------------------

    def install_menu(self) -> None:
        from app.ui.views.audit import AuditView

        window = self.window
        ctx = self.ctx
        window.add_screen("audit", lambda: AuditView(ctx))
        tr = window.tr
        menu = window.menuBar().addMenu(tr("B&uku"))
        for key, text, keys, slot in (
            ("backup", tr("&Cadangkan sekarang"), "Ctrl+Shift+S", self.backup_now),
            ("restore", tr("&Pulihkan dari cadangan..."), "", self.restore_from_file),
            ("check", tr("Periksa &buku"), "", self.check_book),
            ("second", tr("&Folder cadangan kedua..."), "", self.choose_second_folder),
            ("audit", tr("&Jejak audit"), "", lambda: window.show_screen("audit")),
        ):
            action = QAction(text, window)
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, s=slot: s())
            if key in ("second", "audit"):
                menu.addSeparator()
            menu.addAction(action)
            self.actions[key] = action

    # -- automatic jobs ------------------------------------------------------------------

    def start(self, *, daily_backup: bool = True) -> Job:
        """The start-up chain check in a thread; then, when due, the daily backup."""
        path = self.ctx.book.path
        job = Job(lambda progress: _startup_check(path, progress), self)
        job.finished.connect(lambda: self._checked(job, daily_backup))
        self._jobs.append(job)
        job.start()
        return job

    def _checked(self, job: Job, daily_backup: bool) -> None:
        self._forget(job)
        if job.cancelled:
            return
        if job.error is not None:
            log.error("Pemeriksaan rantai jurnal gagal", exc_info=job.error)
            self.window.show_integrity_warning(
                self.window.tr(
                    "Rantai jurnal tidak dapat diperiksa (%1). Jalankan Buku \u2192 Periksa buku, "
                    "dan hubungi pengawas."
                ).replace("%1", str(job.error))
            )
            return
        result: ChainCheck = job.result
        self.last_check = result
        if result.problems:
            log.warning("Rantai jurnal rusak: %s", "; ".join(map(str, result.problems)))
            self.window.show_integrity_warning(integrity.warning_text(result.problems))
        else:
            self.window.hide_integrity_warning()
            if result.checkpoint is not None:
                self._save_checkpoint(result.checkpoint)
        self.checked.emit(result)
        if daily_backup:
            self._daily_backup()

    def _save_checkpoint(self, checkpoint: Checkpoint) -> None:
        try:
            with unit_of_work(self.ctx.sessions, actor=self.ctx.actor) as session:
                integrity.save_checkpoint(session, checkpoint)
        except Exception:  # the check stays valid; the next start simply checks more
            log.exception("Titik periksa rantai jurnal tidak dapat disimpan")

    def _second_folder(self) -> Path | None:
        return read(self.ctx, backup.second_folder)

    def _daily_backup(self) -> None:
        path = self.ctx.book.path
        second = self._second_folder()
        job = Job(lambda _progress: backup.backup_all(path, kind="daily", second=second), self)
        job.finished.connect(lambda: self._backed_up(job))
        self._jobs.append(job)
        job.start()

    def _backed_up(self, job: Job) -> None:
        self._forget(job)
        if job.error is not None:
            log.error("Cadangan harian gagal", exc_info=job.error)
            return
        report: backup.BackupReport = job.result
        bar = self.window.statusBar()
        if report.problems:
            for problem in report.problems:
                log.warning("Cadangan harian: %s", problem)
            bar.showMessage(self.window.tr("Cadangan harian: ") + report.problems[0], 60_000)
        elif report.made:
            bar.showMessage(
                self.window.tr("Cadangan harian dibuat: %1").replace("%1", str(report.made[0])),
                15_000,
            )

    def _forget(self, job: Job) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        job.deleteLater()

    def busy(self) -> bool:
        return any(job.isRunning() for job in self._jobs)

    def stop(self) -> None:
        """Cancel the automatic jobs and wait for them (before the book is closed)."""
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            job.wait()

    def backup_at_close(self) -> backup.BackupReport | None:
        """The backup when the window closes; problems go to the log (the window is gone)."""
        try:
            report = backup.backup_all(
                self.ctx.book.path, kind="close", second=self._second_folder()
            )
        except Exception:
            log.exception("Cadangan saat menutup gagal")
            return None
        for problem in report.problems:
            log.warning("Cadangan saat menutup: %s", problem)
        for made in report.made:
            log.info("Cadangan saat menutup: %s", made)
        return report

    # -- what the treasurer asks for -------------------------------------------------------

    def backup_now(self) -> backup.BackupReport | None:
        window = self.window
        tr = window.tr
        path = self.ctx.book.path
        second = self._second_folder()
        ok, report = run_with_progress(
            window,
            tr("Cadangkan buku"),
            tr("Membuat dan memeriksa cadangan buku..."),
            lambda _progress: backup.backup_all(path, kind="manual", second=second),
            cancellable=False,
        )
        if not ok:
            return None
        lines = [tr("Cadangan dibuat dan sudah diperiksa:")]
        lines += [f"• {made}" for made in report.made]
        if report.problems:
            lines.append("")
            lines += report.problems
        if report.made:
            prompts.inform(window, tr("Cadangan"), "\n".join(lines))
        else:
            warn(window, tr("Cadangan gagal"), "\n".join(report.problems))
        return report  # type: ignore[no-any-return]

    def choose_second_folder(self) -> None:
        window = self.window
        tr = window.tr
        current = self._second_folder()
        if current is not None and prompts.confirm(
            window,
            tr("Folder cadangan kedua"),
            tr("Cadangan juga disimpan di %1. Berhenti memakai folder itu?").replace(
                "%1", str(current)
            ),
            yes=tr("&Berhenti memakai"),
            no=tr("&Pilih folder lain"),
        ):
            self._set_second_folder(None)
            return
        name = QFileDialog.getExistingDirectory(
            window, tr("Folder cadangan kedua (misalnya flashdisk)"), str(current or Path.home())
        )
        if name:
            self._set_second_folder(Path(name))

    def _set_second_folder(self, folder: Path | None) -> None:
        from app.ui.actions import write

        write(
            self.ctx,
            self.window,
            lambda s: backup.set_second_folder(s, folder, by=self.ctx.user),
            notify=False,
        )

    def restore_from_file(self, source: Path | None = None) -> bool:
        window = self.window
        tr = window.tr
        book = self.ctx.book.path
        actor = self.ctx.actor
        if run_action(window, lambda: permissions.check(actor, "buku.pulihkan")) is None:
            return False  # refused before anything is stopped or chosen
        if source is None:
            name, _ = QFileDialog.getOpenFileName(
                window,
                tr("Pulihkan dari cadangan"),
                str(backup.default_backup_dir(book)),
                tr("Cadangan Lumbung (*.sqlite);;Semua file (*)"),
            )
            if not name:
                return False
            source = Path(name)
        ok, problems = run_with_progress(
            window,
            tr("Pulihkan dari cadangan"),
            tr("Memeriksa file cadangan..."),
            lambda _progress: backup.verify_copy(source),
            cancellable=False,
        )
        if not ok:
            return False
        if problems:
            run_action(
                window,
                lambda: _refuse(
                    f"File {source.name} tidak dapat dipulihkan: {'; '.join(problems)}. "
                    "Buku sekarang tidak diubah. Pilih file cadangan lain."
                ),
            )
            return False
        taken = datetime.fromtimestamp(source.stat().st_mtime).strftime("%d/%m/%Y %H:%M")
        if not prompts.confirm(
            window,
            tr("Pulihkan dari cadangan"),
            tr(
                "Buku sekarang akan diganti dengan isi cadangan %1 (disimpan %2). Semua "
                "transaksi sesudah cadangan itu dibuat tidak ada di buku yang dipulihkan.\n\n"
                "Buku sekarang disalin dulu ke samping file buku, jadi masih bisa dibuka lagi."
            )
            .replace("%1", source.name)
            .replace("%2", taken),
            yes=tr("&Pulihkan"),
            no=tr("&Batal"),
            warning=True,
        ):
            return False
        self.stop()
        self.ctx.book.engine.dispose()  # no connection of ours may sit on the old pages
        user, actor = self.ctx.user, self.ctx.actor
        ok, kept = run_with_progress(
            window,
            tr("Pulihkan dari cadangan"),
            tr("Memulihkan buku dari cadangan..."),
            lambda _progress: backup.restore(source, book, by=user, actor=actor),
            cancellable=False,
        )
        if not ok:
            return False
        window.hide_integrity_warning()
        self.ctx.bus.data_changed.emit()
        prompts.inform(
            window,
            tr("Buku dipulihkan"),
            tr("Buku dipulihkan dari %1.").replace("%1", source.name)
            + (
                "\n" + tr("Salinan buku sebelum dipulihkan: %1").replace("%1", str(kept))
                if kept
                else ""
            ),
        )
        self.start(daily_backup=False)
        return True

    def check_book(self) -> list[Problem] | None:
        window = self.window
        tr = window.tr
        path = self.ctx.book.path
        ok, outcome = run_with_progress(
            window,
            tr("Periksa buku"),
            tr("Memeriksa seluruh buku: SQLite, keseimbangan jurnal, rantai hash, saldo..."),
            lambda progress: _full_check(path, progress),
        )
        if not ok:
            return None
        problems, checkpoint = outcome
        if not problems:
            if checkpoint is not None:
                self._save_checkpoint(checkpoint)
            window.hide_integrity_warning()
            prompts.inform(
                window,
                tr("Periksa buku"),
                tr("Buku utuh: rantai jurnal, keseimbangan dan saldo cocok. Tidak ada masalah."),
            )
            return []
        window.show_integrity_warning(integrity.warning_text(problems))
        shown = "\n".join(f"• {p}" for p in problems[:10])
        more = len(problems) - 10
        warn(
            window,
            tr("Periksa buku"),
            tr("%1 masalah ditemukan:").replace("%1", str(len(problems)))
            + "\n"
            + shown
            + ("\n" + tr("... dan %1 lagi.").replace("%1", str(more)) if more > 0 else ""),
            detail="\n".join(str(p) for p in problems),
            critical=True,
        )
        return list(problems)


def warn(
    parent: QWidget | None, title: str, text: str, *, detail: str = "", critical: bool = False
) -> None:
    """A warning box (a module function, so tests can replace it)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setDetailedText(detail)
    box.exec()


def _refuse(message: str) -> None:
    raise DomainError(message)


def install(window: MainWindow) -> BookSafety:
    """The Buku menu and the safety jobs of ``window`` (called once from MainWindow)."""
    safety = BookSafety(window)
    safety.install_menu()
    return safety
