"""Tentang Lumbung: the version, and where the books, backups and logs are, with "open" buttons.

A treasurer asked "where is my book?" (or a helper asked for the log of a bug)
finds the answer here and opens the folder in Explorer with one click.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.book import data_dir
from app.logs import log_dir
from app.services import backup
from app.ui import prompts
from app.ui.actions import read
from app.ui.context import AppContext


class AboutDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        tr = self.tr
        self.setWindowTitle(tr("Tentang Lumbung"))
        self.setMinimumWidth(620)

        title = QLabel(tr("<h2>Lumbung %1</h2>").replace("%1", __version__))
        title.setObjectName("aboutTitle")
        blurb = QLabel(
            tr(
                "Pembukuan koperasi desa: anggota, simpanan, pinjaman, buku kas, SHU dan "
                "buku RAT. Semua data tersimpan di komputer ini saja."
            )
        )
        blurb.setWordWrap(True)
        self.version_label = QLabel(
            tr("Versi %1 · Python %2 · Qt %3")
            .replace("%1", __version__)
            .replace("%2", platform.python_version())
            .replace("%3", pyside_version)
        )
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        book = ctx.book.path
        backups = backup.default_backup_dir(book)  # shown even before the first backup
        # key -> (the path shown, the folder its button opens)
        self.places: dict[str, tuple[Path, Path]] = {
            "data": (data_dir(), data_dir()),
            "book": (book, book.parent),
            "backup": (backups, backups),
        }
        captions = {
            "data": tr("Folder data"),
            "book": tr("File buku"),
            "backup": tr("Folder cadangan"),
            "backup2": tr("Cadangan kedua"),
            "log": tr("Folder log"),
        }
        second = read(ctx, backup.second_folder)
        if second is not None:  # a flash disk, when the treasurer chose one
            self.places["backup2"] = (second, second)
        self.places["log"] = (log_dir(), log_dir())
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.fields: dict[str, QLineEdit] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, (key, (shown, folder)) in enumerate(self.places.items()):
            field = QLineEdit(str(shown))
            field.setReadOnly(True)
            field.setCursorPosition(0)
            button = QPushButton(tr("Buka folder"))
            button.setAutoDefault(False)
            button.setToolTip(tr("Buka %1 di penjelajah file").replace("%1", str(folder)))
            button.clicked.connect(lambda _=False, k=key: self.open_folder(k))
            label = QLabel(captions[key])
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(button, row, 2)
            self.fields[key] = field
            self.buttons[key] = button

        note = QLabel(
            tr(
                "Buku dan cadangannya tidak berada di folder program, sehingga memasang versi "
                "baru atau menghapus program tidak menghapus buku."
            )
        )
        note.setWordWrap(True)

        buttons = QDialogButtonBox()
        close = buttons.addButton(tr("&Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addWidget(self.version_label)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def open_folder(self, key: str) -> bool:
        """Open the folder of ``key`` in the file manager, making it first if it is missing."""
        folder = self.places[key][1]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            prompts.inform(
                self,
                self.tr("Folder tidak dapat dibuat"),
                self.tr("Folder %1 tidak dapat dibuat: %2")
                .replace("%1", str(folder))
                .replace("%2", error.strerror or str(error)),
            )
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            prompts.inform(
                self,
                self.tr("Folder tidak dapat dibuka"),
                self.tr("Buka folder ini secara manual:\n%1").replace("%1", str(folder)),
            )
            return False
        return True


def open_about(ctx: AppContext, parent: QWidget | None = None) -> None:
    dialog = AboutDialog(ctx, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
