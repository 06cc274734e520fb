"""Impor dari Excel (issue 7, journey 1): choose the workbook, check it, see, import.

Three pages in one dialog, all reachable by keyboard:

1. *Pilih file*: the workbook to import, and "Unduh template" for an empty one.
2. *Periksa*: the workbook is read and replayed in a worker thread (its own
   engine and read session, a cancellable progress dialog); the page shows the
   reconciliation headline, the summary (members, opening balances per account,
   loans with remaining principal, transactions per Jenis, date range) and every
   problem as ``Sheet!row: message`` in a list that can be copied.
3. *Selesai*: "Impor" wrote everything in ONE unit of work in a worker thread
   with progress; Batal during it rolls everything back, nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.db import make_engine, make_sessions, read_session, unit_of_work
from app.services import importer
from app.services.import_template import write_template
from app.ui import prompts
from app.ui.actions import run_action
from app.ui.context import AppContext
from app.ui.safety import Progress, run_with_progress

GREEN, RED, GREY = "#2e7d32", "#b3261e", "#5f6b7a"
TEMPLATE_NAME = "template_impor_lumbung.xlsx"


# -- file dialogs (module functions, so tests can replace them) ---------------------------


def choose_workbook(parent: QWidget, start: str) -> str:
    name, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Pilih file Excel untuk diimpor"), start, parent.tr("Excel (*.xlsx)")
    )
    return name


def choose_template_target(parent: QWidget, start: str) -> str:
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Simpan template impor"), start, parent.tr("Excel (*.xlsx)")
    )
    return name


def download_template(parent: QWidget) -> Path | None:
    """Ask where, write the empty import workbook there, and say where it went."""
    name = choose_template_target(parent, str(Path.home() / TEMPLATE_NAME))
    if not name:
        return None
    written = run_action(parent, lambda: write_template(name))
    if written is not None:
        prompts.inform(
            parent,
            parent.tr("Template impor"),
            parent.tr(
                "Template disimpan di %1.\n\nIsi lembar Anggota, Saldo Awal, Pinjaman dan "
                "Transaksi di Excel (lihat lembar Petunjuk), lalu impor lewat Buku \u2192 "
                "Impor dari Excel."
            ).replace("%1", str(written)),
        )
    return written


# -- the work done in threads (own engine, own session) -----------------------------------


def check_workbook(book_path: Path, source: Path, progress: Progress) -> tuple[Any, Any]:
    """Read and replay the workbook: (ParsedWorkbook, Preview). Writes nothing."""
    parsed = importer.read_workbook(source, progress)
    engine = make_engine(book_path)
    try:
        with read_session(make_sessions(engine)) as session:
            return parsed, importer.preview(session, parsed, progress)
    finally:
        engine.dispose()


def import_in_thread(
    book_path: Path,
    parsed: importer.ParsedWorkbook,
    actor: Actor,
    progress: Progress,
) -> importer.ImportSummary | importer.ImportRefused:
    """Everything in one unit of work, as the logged-in user; a refusal is returned."""
    engine = make_engine(book_path)
    try:
        with unit_of_work(make_sessions(engine), actor=actor) as session:
            try:
                return importer.import_workbook(
                    session, parsed, by=actor.username, progress=progress
                )
            except importer.ImportRefused as refused:
                session.rollback()
                return refused
    finally:
        engine.dispose()


# -- the dialog ------------------------------------------------------------------------


class ImportWizard(QDialog):
    CHOOSE, CHECKED, DONE = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parsed: importer.ParsedWorkbook | None = None
        self.preview: importer.Preview | None = None
        self.summary: importer.ImportSummary | None = None
        self.setWindowTitle(self.tr("Impor dari Excel"))
        self.resize(860, 620)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._checked_page())
        self.pages.addWidget(self._done_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(self._buttons())
        self.show_page(self.CHOOSE)

    # -- pages -------------------------------------------------------------------------

    def _title(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        return label

    def _choose_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        intro = QLabel(
            tr(
                "Pindahkan buku koperasi dari Excel: anggota, saldo awal (neraca terakhir "
                "yang disahkan), pinjaman yang masih berjalan dan transaksi sesudahnya.\n\n"
                "1. Unduh template, isi di Excel mengikuti lembar Petunjuk.\n"
                "2. Pilih file yang sudah diisi, lalu Periksa. Semua masalah ditampilkan "
                "beserta lembar dan barisnya; belum ada yang disimpan.\n"
                "3. Jika tidak ada masalah, Impor menyimpan semuanya sekaligus, atau tidak "
                "sama sekali.\n\n"
                "Impor hanya untuk buku baru yang masih kosong."
            )
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(tr("Lokasi file .xlsx"))
        self.path_edit.textChanged.connect(self._path_changed)
        self.path_edit.returnPressed.connect(self.check)
        file_label = QLabel(tr("&File Excel:"))
        file_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton(tr("&Pilih file..."))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self.template_button = QPushButton(tr("&Unduh template..."))
        self.template_button.setObjectName("downloadTemplate")
        self.template_button.setAutoDefault(False)
        self.template_button.clicked.connect(lambda: download_template(self))
        row = QHBoxLayout()
        row.addWidget(file_label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_button)
        template_row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self._title(tr("Impor dari Excel")))
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addLayout(template_row)
        layout.addStretch(1)
        return page

    def _checked_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        self.headline = QLabel()
        self.headline.setObjectName("importHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel()
        self.verdict.setObjectName("importVerdict")
        self.verdict.setWordWrap(True)
        self.summary_text = QPlainTextEdit()
        self.summary_text.setObjectName("importSummary")
        self.summary_text.setReadOnly(True)
        self.summary_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        summary_label = QLabel(tr("&Ringkasan:"))
        summary_label.setBuddy(self.summary_text)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("importProblems")
        self.problem_list.setWordWrap(True)
        self.problem_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.problems_label = QLabel(tr("&Masalah:"))
        self.problems_label.setBuddy(self.problem_list)
        self.copy_button = QPushButton(tr("&Salin daftar masalah"))
        self.copy_button.setObjectName("copyProblems")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_problems)
        copy_keys = QShortcut(QKeySequence.StandardKey.Copy, self.problem_list)
        copy_keys.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy_keys.activated.connect(self.copy_problems)
        summary_box = QWidget()
        summary_layout = QVBoxLayout(summary_box)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        summary_layout.addWidget(summary_label)
        summary_layout.addWidget(self.summary_text, 1)
        self.problems_box = QWidget()
        problems_layout = QVBoxLayout(self.problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.problems_label)
        header.addStretch(1)
        header.addWidget(self.copy_button)
        problems_layout.addLayout(header)
        problems_layout.addWidget(self.problem_list, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.problems_box)
        split.addWidget(summary_box)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self._title(tr("Hasil pemeriksaan")))
        layout.addWidget(self.headline)
        layout.addWidget(self.verdict)
        layout.addWidget(split, 1)
        return page

    def _done_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        self.done_headline = QLabel()
        self.done_headline.setObjectName("doneHeadline")
        self.done_headline.setWordWrap(True)
        self.done_headline.setStyleSheet(f"color: {GREEN}; font-size: 12pt; font-weight: 600;")
        self.done_text = QPlainTextEdit()
        self.done_text.setObjectName("doneSummary")
        self.done_text.setReadOnly(True)
        self.done_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout = QVBoxLayout(page)
        layout.addWidget(self._title(tr("Impor selesai")))
        layout.addWidget(self.done_headline)
        layout.addWidget(self.done_text, 1)
        return page

    def _buttons(self) -> QHBoxLayout:
        tr = self.tr
        self.back_button = QPushButton(tr("&Kembali"))
        self.back_button.clicked.connect(lambda: self.show_page(self.CHOOSE))
        self.check_button = QPushButton(tr("Peri&ksa"))
        self.check_button.setObjectName("checkButton")
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton(tr("&Impor"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton(tr("&Tutup"))
        self.close_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(tr("Batal"))
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addStretch(1)
        for button in (self.check_button, self.import_button, self.close_button):
            row.addWidget(button)
        row.addWidget(self.cancel_button)
        return row

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        importable = self.preview is not None and not self.preview.problems
        self.back_button.setVisible(index == self.CHECKED)
        self.check_button.setVisible(index == self.CHOOSE)
        self.import_button.setVisible(index == self.CHECKED)
        self.import_button.setEnabled(importable)
        self.close_button.setVisible(index == self.DONE)
        self.cancel_button.setVisible(index != self.DONE)
        if index == self.CHOOSE:
            self._path_changed(self.path_edit.text())
            self.check_button.setDefault(True)
            self.path_edit.setFocus()
        elif index == self.CHECKED:
            if importable:
                self.import_button.setDefault(True)
                self.import_button.setFocus()
            else:
                self.back_button.setDefault(True)
                self.problem_list.setFocus()
        else:
            self.close_button.setDefault(True)
            self.close_button.setFocus()

    # -- actions -----------------------------------------------------------------------

    def _path_changed(self, text: str) -> None:
        self.check_button.setEnabled(bool(text.strip()))

    def browse(self) -> None:
        current = self.path_edit.text().strip()
        name = choose_workbook(self, str(Path(current).parent) if current else str(Path.home()))
        if name:
            self.path_edit.setText(name)
            self.check()

    def check(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        source = Path(text).expanduser()
        book_path = self.ctx.book.path
        ok, result = run_with_progress(
            self,
            self.tr("Periksa file impor"),
            self.tr("Membaca dan memeriksa %1...").replace("%1", source.name),
            lambda progress: check_workbook(book_path, source, progress),
        )
        if not ok:
            return
        self.parsed, self.preview = result
        self._show_preview(self.preview)
        self.show_page(self.CHECKED)

    def _show_preview(self, preview: importer.Preview) -> None:
        tr = self.tr
        summary = preview.summary
        self.headline.setText(summary.headline())
        problems = [str(p) for p in preview.problems]
        self._set_problems(problems)
        self.summary_text.setPlainText("\n".join(summary.lines()))
        if problems:
            self.headline.setStyleSheet("font-size: 12pt; font-weight: 600;")
            self.verdict.setText(
                tr(
                    "%1 masalah ditemukan: file ini belum dapat diimpor dan tidak ada yang "
                    "disimpan. Perbaiki di Excel lalu periksa lagi (Kembali)."
                ).replace("%1", str(len(problems)))
            )
            self.verdict.setStyleSheet(f"color: {RED}; font-weight: 600;")
        else:
            self.headline.setStyleSheet(f"color: {GREEN}; font-size: 12pt; font-weight: 600;")
            self.verdict.setText(
                tr(
                    "Tidak ada masalah. Periksa ringkasan di bawah; Impor menyimpan semuanya "
                    "sekaligus."
                )
            )
            self.verdict.setStyleSheet(f"color: {GREY};")

    def _set_problems(self, problems: list[str]) -> None:
        self.problem_list.clear()
        self.problem_list.addItems(problems)
        self.problems_box.setVisible(bool(problems))
        self.problems_label.setText(self.tr("&Masalah (%1):").replace("%1", str(len(problems))))

    def problems(self) -> list[str]:
        return [self.problem_list.item(i).text() for i in range(self.problem_list.count())]

    def copy_problems(self) -> None:
        selected = [item.text() for item in self.problem_list.selectedItems()]
        lines = selected if len(selected) > 1 else self.problems()
        QGuiApplication.clipboard().setText("\n".join(lines))

    def run_import(self) -> None:
        if self.parsed is None or self.preview is None or self.preview.problems:
            return
        parsed = self.parsed
        book_path = self.ctx.book.path
        actor = self.ctx.actor
        ok, result = run_with_progress(
            self,
            self.tr("Impor dari Excel"),
            self.tr("Mengimpor %1... Batal membatalkan seluruh impor.").replace(
                "%1", parsed.source
            ),
            lambda progress: import_in_thread(book_path, parsed, actor, progress),
        )
        if not ok:  # cancelled (rolled back) or refused with a message already shown
            return
        if isinstance(result, importer.ImportRefused):
            self.preview = importer.Preview(self.preview.summary, result.problems)
            self._show_preview(self.preview)
            self.show_page(self.CHECKED)
            return
        self.summary = result
        self.ctx.bus.data_changed.emit()
        self.done_headline.setText(result.headline())
        self.done_text.setPlainText("\n".join(result.lines()))
        self.show_page(self.DONE)


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None) -> ImportWizard:
    wizard = ImportWizard(ctx, parent)
    wizard.exec()
    return wizard
