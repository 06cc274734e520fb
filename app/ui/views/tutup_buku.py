"""Tutup Buku (DOMAIN.md 5.1): the checklist of a year, what to do about each failing check,
the closing itself and, for the admin, reopening.

The checklist recomputes the journal's hash chain, which takes seconds on a big
book: it is loaded in a worker thread (``BackgroundRead``) while the tab shows
its progress, and the closing runs in a worker thread behind a progress dialog
(``safety.run_with_progress``) with its own unit of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.actor import Actor
from app.db import make_engine, make_sessions, unit_of_work
from app.errors import DomainError
from app.ledger import Posted
from app.money import format_rupiah
from app.queries.year_end import YearLock, YearSpan, year_lock, year_span
from app.services import closing
from app.services.closing import AllowanceProposal, Check, ClosingRefused, ClosingResult
from app.ui import actions, prompts, safety
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.dialogs import year_end
from app.ui.dialogs._counter import OK, WARN
from app.ui.safety import Progress
from app.ui.widgets.year_picker import YearPicker

PASS_MARK, FAIL_MARK = "✔", "✘"


@dataclass(frozen=True)
class YearState:
    year: int
    span: YearSpan
    checks: tuple[Check, ...]
    proposal: AllowanceProposal
    lock: YearLock | None
    shu: int  # moved into 3-502 by the closing entry (closed years)
    closing_number: str
    distributed: str
    finished: bool  # 31/12 has passed

    @property
    def closed(self) -> bool:
        return self.lock is not None

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def load_year(session: Session, year: int, progress: Progress | None = None) -> YearState:
    span = year_span(session)
    checks = closing.closing_checklist(session, year, progress)
    lock = year_lock(session, year)
    entry = closing.closing_entry(session, year) if lock is not None else None
    shared = closing.distribution_entry(session, year)
    return YearState(
        year=year,
        span=span,
        checks=tuple(checks),
        proposal=closing.propose_allowance_entry(session, year),
        lock=lock,
        shu=closing.shu_of_closing(session, entry.id) if entry is not None else 0,
        closing_number=entry.number if entry is not None else "",
        distributed=shared.number if shared is not None else "",
        finished=dates.today() >= date(year, 12, 31),
    )


def _close_in_thread(
    path: Path, year: int, user: str, actor: Actor | None, progress: Progress
) -> object:
    """close_year on its own engine and unit of work; a refusal comes back as the result.

    ``actor`` is the context's logged-in actor once logins exist (issue 6), handed to
    the unit of work like ``actions.write`` does; None until then.
    """
    engine = make_engine(path)
    sessions = make_sessions(engine)
    try:
        work = unit_of_work(sessions, actor) if actor is not None else unit_of_work(sessions)
        with work as session:
            return closing.close_year(session, year, by=user, progress=progress)
    except ClosingRefused as refused:
        return refused
    finally:
        engine.dispose()


def refusal_text(year: int, failed: tuple[Check, ...] | list[Check]) -> str:
    lines = "\n".join(f"• {c.name}: {c.detail}" for c in failed)
    return (
        f"Tutup buku tahun {year} ditolak: {len(failed)} pemeriksaan belum lolos.\n\n{lines}\n\n"
        "Selesaikan yang belum lolos di daftar pemeriksaan, lalu tutup buku lagi."
    )


class TutupBukuTab(QWidget):
    shu_requested = Signal(int)  # "show me the SHU of this year"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: YearState | None = None
        self.row_buttons: dict[str, list[QPushButton]] = {}
        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.progressed.connect(self._progressed)

        title = QLabel("<h2>" + self.tr("Tutup Buku") + "</h2>")
        self.year = YearPicker()
        year_label = QLabel(self.tr("Ta&hun buku:"))
        year_label.setBuddy(self.year)
        self.recheck_button = QPushButton(self.tr("Pe&riksa ulang (F5)"))
        self.recheck_button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.recheck_button)
        recheck = QAction(self)
        recheck.setShortcut(QKeySequence("F5"))
        recheck.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        recheck.triggered.connect(self.refresh)
        self.addAction(recheck)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)

        self.busy_label = QLabel(self.tr("Memeriksa buku..."))
        self.busy_bar = QProgressBar()
        self.busy_bar.setMaximumWidth(320)
        self.busy_bar.setTextVisible(True)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_label)
        busy.addWidget(self.busy_bar)
        busy.addStretch(1)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy)
        busy.setContentsMargins(0, 0, 0, 0)

        self.list_frame = QFrame()
        self.list_frame.setObjectName("checklist")
        self.list_frame.setStyleSheet(
            "#checklist { background: white; border: 1px solid #c9d3ce; border-radius: 4px; }"
        )
        self.grid = QGridLayout(self.list_frame)
        self.grid.setContentsMargins(14, 10, 14, 10)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(10)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.list_frame)
        holder_layout.addStretch(1)
        scroll.setWidget(holder)

        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.close_button = QPushButton(self.tr("Tutup bu&ku"))
        self.close_button.setAutoDefault(False)
        self.close_button.setMinimumHeight(34)
        self.close_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 18px; }")
        self.shu_button = QPushButton(self.tr("Lihat pembagian &SHU"))
        self.shu_button.setAutoDefault(False)
        self.reopen_button = QPushButton(self.tr("Buka ke&mbali tahun..."))
        self.reopen_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.shu_button)
        bottom.addWidget(self.reopen_button)
        bottom.addWidget(self.close_button)

        intro = QLabel(
            self.tr(
                "Sebelum tahun buku ditutup semua pemeriksaan harus lolos. Tutup buku "
                "memindahkan saldo pendapatan dan beban ke 3-502 SHU Tahun Berjalan dan "
                "mengunci tahun itu: sesudahnya tidak ada transaksi yang dapat dicatat "
                "bertanggal di tahun tersebut."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addWidget(self.busy_box)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

        self.year.year_changed.connect(lambda _y: self.refresh())
        self.recheck_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.close_year)
        self.reopen_button.clicked.connect(self.reopen_year)
        self.shu_button.clicked.connect(lambda: self.shu_requested.emit(self.year.value()))
        self._span_loaded = False
        self._show()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recheck the chosen year in the background (the hash chain can take seconds)."""
        if not self._span_loaded:
            span = actions.read(self.ctx, year_span)
            self.year.set_span(span, keep=False)
            self._span_loaded = True
        year = self.year.value()
        self.busy_bar.setRange(0, 0)
        self.loader.start(lambda session, progress: load_year(session, year, progress))
        if self.state is not None and self.state.year != year:
            self.state = None  # another year: show nothing of the last one while it loads
        self._show()

    def loaded(self) -> bool:
        """True when the checklist shown is the one last asked for (tests wait on this)."""
        return not self.loader.busy() and self.state is not None

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.busy_bar.setRange(0, total)
            self.busy_bar.setValue(min(done, total))
            self.busy_label.setText(
                self.tr("Memeriksa rantai jurnal: %1 dari %2...")
                .replace("%1", f"{done:,}".replace(",", "."))
                .replace("%2", f"{total:,}".replace(",", "."))
            )

    def _loaded(self, state: YearState) -> None:
        self.state = state
        self.year.set_span(state.span)
        self._show()

    def _failed(self, error: DomainError) -> None:
        self.busy_box.hide()
        self.recheck_button.setEnabled(True)
        actions.show_refusal(self, error)

    # -- showing ------------------------------------------------------------------------------

    def _show(self) -> None:
        state = self.state
        busy = self.loader.busy()
        self.busy_box.setVisible(busy)
        if not busy:
            self.busy_label.setText(self.tr("Memeriksa buku..."))
        self.recheck_button.setEnabled(not busy)
        year = self.year.value()
        self.close_button.setText(self.tr("Tutup bu&ku tahun %1").replace("%1", str(year)))
        self.reopen_button.setText(self.tr("Buka ke&mbali tahun %1...").replace("%1", str(year)))
        self._clear_rows()
        if state is None:
            self.status.setText("")
            self.summary.setText("")
            for button in (self.close_button, self.reopen_button, self.shu_button):
                button.setEnabled(False)
            return
        for row, check in enumerate(state.checks):
            self._add_row(row, check, state)
        passed = sum(1 for c in state.checks if c.ok)
        total = len(state.checks)
        color = OK if passed == total else WARN
        self.summary.setText(
            self.tr("<b style='color:%1'>%2 dari %3 pemeriksaan lolos</b>")
            .replace("%1", color)
            .replace("%2", str(passed))
            .replace("%3", str(total))
        )
        self.status.setText(self._status_html(state))
        self.close_button.setEnabled(not state.closed and state.finished)
        self.close_button.setToolTip(
            ""
            if state.finished
            else self.tr("Tahun buku %1 belum berakhir; tutup buku paling cepat %2.")
            .replace("%1", str(state.year))
            .replace("%2", dates.format_date(date(state.year, 12, 31)))
        )
        self.reopen_button.setEnabled(state.closed)
        self.shu_button.setEnabled(True)
        self.close_button.setDefault(False)

    def _status_html(self, state: YearState) -> str:
        year = str(state.year)
        if state.lock is not None:
            text = (
                self.tr(
                    "<b style='color:%1'>%2 Tahun buku %3 sudah ditutup</b> pada %4 oleh %5 "
                    "(%6). <b>SHU tahun %3: %7</b>."
                )
                .replace("%1", OK)
                .replace("%2", PASS_MARK)
                .replace("%3", year)
                .replace("%4", dates.format_datetime(state.lock.closed_at))
                .replace("%5", state.lock.closed_by)
                .replace("%6", state.closing_number or self.tr("tanpa jurnal penutup"))
                .replace("%7", format_rupiah(state.shu))
            )
            if state.distributed:
                text += " " + self.tr("SHU sudah dibagikan (%1).").replace("%1", state.distributed)
            return text
        if not state.finished:
            return (
                self.tr(
                    "Tahun buku %1 belum berakhir; daftar di bawah menunjukkan keadaan hari ini. "
                    "Tutup buku paling cepat %2."
                )
                .replace("%1", year)
                .replace("%2", dates.format_date(date(state.year, 12, 31)))
            )
        return self.tr("Tahun buku %1 <b>masih terbuka</b>.").replace("%1", year)

    def _clear_rows(self) -> None:
        self.row_buttons = {}
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _add_row(self, row: int, check: Check, state: YearState) -> None:
        mark = QLabel(PASS_MARK if check.ok else FAIL_MARK)
        mark.setStyleSheet(
            f"color: {OK if check.ok else WARN}; font-size: 16pt; font-weight: bold;"
        )
        mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        mark.setMinimumWidth(26)
        word = self.tr("lolos") if check.ok else self.tr("belum lolos")
        text = QLabel(
            f"<b>{self.tr(check.name)}</b> "
            f"<span style='color:{OK if check.ok else WARN}'>({word})</span><br>"
            f"<span style='color:#333'>{check.detail}</span>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.grid.addWidget(mark, row, 0)
        self.grid.addWidget(text, row, 1)
        buttons = [] if (check.ok or state.closed) else self._buttons_for(check, state)
        self.row_buttons[check.name] = buttons
        if buttons:
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addStretch(1)
            for button in buttons:
                button.setAutoDefault(False)
                line.addWidget(button)
            self.grid.addWidget(box, row, 2, Qt.AlignmentFlag.AlignTop)

    def _buttons_for(self, check: Check, state: YearState) -> list[QPushButton]:
        def button(text: str, slot: object) -> QPushButton:
            made = QPushButton(text)
            made.clicked.connect(slot)
            return made

        if check.name == closing.CHECK_CASH:
            return [button(self.tr("Buka Kas && &Jurnal"), self.open_cash_book)]
        if check.name == closing.CHECK_ALLOWANCE:
            return [
                button(self.tr("Bukukan pen&yisihan..."), self.book_allowance),
                button(self.tr("&Abaikan dengan alasan..."), self.dismiss_allowance),
            ]
        if check.name == closing.CHECK_APPLICATIONS:
            return [
                button(self.tr("Buka P&injaman"), self.open_loans),
                button(self.tr("Tandai sudah &ditinjau..."), self.acknowledge_applications),
            ]
        if check.name == closing.CHECK_PREVIOUS:
            found = re.search(r"\b(\d{4})\b", check.detail)
            earlier = int(found.group(1)) if found else state.year - 1
            return [
                button(
                    self.tr("Ke tahun &%1").replace("%1", str(earlier)),
                    lambda: self.year.set_value(earlier),
                )
            ]
        if check.name in (closing.CHECK_BALANCED, closing.CHECK_CHAIN):
            return [button(self.tr("P&eriksa seluruh buku..."), self.check_book)]
        return []

    # -- actions ------------------------------------------------------------------------------

    def _after_write(self) -> None:
        """The shell refreshes the visible screen on data_changed; alone (tests), refresh here."""
        shown_in_shell = self.isVisible() and isinstance(self.window(), QMainWindow)
        if not shown_in_shell:
            self.refresh()

    def open_cash_book(self) -> None:
        self.ctx.bus.navigate.emit("kas", 0)

    def open_loans(self) -> None:
        self.ctx.bus.navigate.emit("pinjaman", 0)

    def check_book(self) -> None:
        window = self.window()
        book_safety = getattr(window, "safety", None)
        if book_safety is not None:
            book_safety.check_book()
        self.refresh()

    def book_allowance(self) -> None:
        state = self.state
        if state is None or state.proposal.entry is None:
            return
        if not year_end.confirm_allowance(self, state.proposal):
            return
        year, user = state.year, self.ctx.user
        posted = actions.write(self.ctx, self, lambda s: closing.book_allowance(s, year, by=user))
        if posted is not None:
            self._after_write()

    def dismiss_allowance(self) -> None:
        state = self.state
        if state is None:
            return
        proposal = state.proposal
        reason = year_end.ask_text(
            self,
            self.tr("Abaikan usulan penyisihan %1").replace("%1", str(state.year)),
            self.tr(
                "PPAP wajib %1, tercatat di 1-139 %2. Usulan penyesuaian tidak dibukukan; "
                "tulis alasannya (dicatat di jejak audit dan dibaca pengawas)."
            )
            .replace("%1", format_rupiah(proposal.required))
            .replace("%2", format_rupiah(proposal.booked)),
            self.tr("&Alasan:"),
            placeholder=self.tr("misalnya Keputusan rapat pengurus 20/01/2026 No. 2"),
        )
        if reason is None:
            return
        year, user = state.year, self.ctx.user

        def work(session: Session) -> bool:
            closing.dismiss_allowance(session, year, reason=reason, by=user)
            return True

        if actions.write(self.ctx, self, work):
            self._after_write()

    def acknowledge_applications(self) -> None:
        state = self.state
        if state is None:
            return
        note = year_end.ask_text(
            self,
            self.tr("Pengajuan pinjaman %1 sudah ditinjau").replace("%1", str(state.year)),
            self.tr(
                "Pengajuan yang belum diputuskan atau belum dicairkan tetap berjalan di tahun "
                "berikutnya. Tulis catatan hasil peninjauannya."
            ),
            self.tr("&Catatan:"),
            placeholder=self.tr("misalnya Dibahas rapat pengurus Januari, diputus Februari"),
        )
        if note is None:
            return
        year, user = state.year, self.ctx.user

        def work(session: Session) -> bool:
            closing.acknowledge_applications(session, year, note=note, by=user)
            return True

        if actions.write(self.ctx, self, work):
            self._after_write()

    def close_year(self) -> None:
        year = self.year.value()
        if not year:
            return
        if not prompts.confirm(
            self,
            self.tr("Tutup buku %1").replace("%1", str(year)),
            self.tr(
                "Tutup buku tahun %1 sekarang? Semua pemeriksaan dijalankan sekali lagi. "
                "Sesudah ditutup tidak ada transaksi yang dapat dicatat bertanggal di tahun %1; "
                "membukanya kembali hanya boleh oleh admin."
            ).replace("%1", str(year)),
            yes=self.tr("&Tutup buku"),
            no=self.tr("&Batal"),
        ):
            return
        path, user = self.ctx.book.path, self.ctx.user
        actor: Actor | None = getattr(self.ctx, "actor", None)
        ok, outcome = safety.run_with_progress(
            self,
            self.tr("Tutup buku %1").replace("%1", str(year)),
            self.tr("Memeriksa buku dan menutup tahun %1...").replace("%1", str(year)),
            lambda progress: _close_in_thread(path, year, user, actor, progress),
        )
        if not ok:
            self.refresh()
            return
        if isinstance(outcome, ClosingRefused):
            actions.show_refusal(self, DomainError(refusal_text(year, outcome.failed)))
            self.refresh()
            return
        assert isinstance(outcome, ClosingResult)
        self.ctx.bus.data_changed.emit()
        self._after_write()
        number = outcome.entry.number if outcome.entry is not None else "-"
        text = self.tr(
            "Tahun buku %1 sudah ditutup (jurnal %2). SHU tahun %1: %3.\n\n"
            "Lihat pembagian SHU tahun %1 sekarang?"
        )
        if prompts.confirm(
            self,
            self.tr("Tutup buku selesai"),
            text.replace("%1", str(year))
            .replace("%2", number)
            .replace("%3", format_rupiah(outcome.shu)),
            yes=self.tr("&Lihat SHU"),
            no=self.tr("&Nanti saja"),
        ):
            self.shu_requested.emit(year)

    def reopen_year(self) -> None:
        year = self.year.value()
        if not year:
            return
        if not prompts.confirm(
            self,
            self.tr("Buka kembali tahun %1").replace("%1", str(year)),
            self.tr(
                "Membuka kembali tahun buku yang sudah ditutup hanya boleh dilakukan oleh "
                'ADMIN. Lumbung belum memakai login: dengan memilih "Saya admin" Anda '
                "menyatakan bertindak sebagai admin, dan jejak audit mencatatnya atas nama %1 "
                "dengan peran admin.\n\nJurnal tutup buku tahun %2 akan dibalik dan tahun itu "
                "terbuka lagi untuk koreksi."
            )
            .replace("%1", self.ctx.user)
            .replace("%2", str(year)),
            yes=self.tr("Saya &admin, lanjutkan"),
            no=self.tr("&Batal"),
            warning=True,
        ):
            return
        reason = year_end.ask_text(
            self,
            self.tr("Alasan membuka kembali tahun %1").replace("%1", str(year)),
            self.tr("Tulis alasan membuka kembali tahun buku %1 (dicatat di jejak audit).").replace(
                "%1", str(year)
            ),
            self.tr("&Alasan:"),
            placeholder=self.tr("misalnya Koreksi gaji Desember yang salah akun"),
            ok_text=self.tr("&Buka kembali (Enter)"),
        )
        if reason is None:
            return
        user = self.ctx.user

        def work(session: Session) -> Posted | bool:
            reversal = closing.reopen_year(session, year, by=user, reason=reason, role="admin")
            return reversal if reversal is not None else True

        result = actions.write(self.ctx, self, work)
        if not result:
            return
        self._after_write()
        number = result.number if isinstance(result, Posted) else ""
        prompts.inform(
            self,
            self.tr("Tahun buku dibuka kembali"),
            self.tr("Tahun buku %1 terbuka lagi.").replace("%1", str(year))
            + (
                " " + self.tr("Jurnal tutup buku dibalik dengan %1.").replace("%1", number)
                if number
                else ""
            ),
        )
