"""The first start: make a new book, look at the demo book, or open another book file."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.book import Book, create_book, demo_book_path, is_book
from app.errors import DomainError, ValidationError
from app.money import require_amount
from app.services import settings
from app.services.settings import Profile
from app.ui.actions import run_action, write
from app.ui.context import AppContext
from app.ui.widgets.money_edit import MoneyEdit

log = logging.getLogger(__name__)
FIRST_USER = "bendahara"


class FirstRunDialog(QDialog):
    """Shown when there is no book yet; ``chosen_path`` is the book to open on Accept."""

    def __init__(self, target: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = Path(target)
        self.chosen_path: Path | None = None
        self._logins: list[tuple[str, str, str, str]] = []
        self.setWindowTitle(self.tr("Lumbung — mulai"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._new_book_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setMinimumWidth(760)
        self.new_button.setFocus()

    # -- page 1: what to do ----------------------------------------------------------

    def _choice_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        heading = QLabel(tr("Selamat datang di Lumbung"))
        heading.setStyleSheet("font-size: 17pt; font-weight: 600;")
        intro = QLabel(
            tr("Pembukuan simpan pinjam koperasi desa, di komputer ini saja (tanpa internet).")
        )
        missing = QLabel(tr("Belum ada buku di: %1").replace("%1", str(self.target)))
        missing.setStyleSheet("color: #5f6b7a;")
        missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        question = QLabel(tr("Apa yang ingin Anda lakukan?"))
        question.setStyleSheet("font-weight: 600;")
        self.new_button = QCommandLinkButton(
            tr("&Buat buku baru"),
            tr("Untuk koperasi Anda: nama, alamat, pengurus, besar simpanan pokok dan wajib."),
        )
        self.demo_button = QCommandLinkButton(
            tr("Lihat buku &contoh (demo)"),
            tr(
                "60 anggota rekaan dengan transaksi 3 tahun, untuk belajar dan mencoba. "
                "Bukan untuk pembukuan sungguhan."
            ),
        )
        self.open_button = QCommandLinkButton(
            tr("Buka &file buku lain..."),
            tr("Buku Lumbung (*.sqlite) yang sudah ada, misalnya salinan dari flashdisk."),
        )
        quit_button = QPushButton(tr("Tutup (Esc)"))
        quit_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.show_new_book)
        self.demo_button.clicked.connect(self.choose_demo)
        self.open_button.clicked.connect(self.choose_file)
        quit_button.clicked.connect(super().reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(quit_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(missing)
        layout.addSpacing(8)
        layout.addWidget(question)
        layout.addWidget(self.new_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.open_button)
        layout.addStretch(1)
        layout.addLayout(bottom)
        return page

    # -- page 2: a new book ----------------------------------------------------------

    def _new_book_page(self) -> QWidget:
        tr = self.tr
        page = QWidget()
        heading = QLabel(tr("Buku baru"))
        heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        where = QLabel(tr("Disimpan di: %1").replace("%1", str(self.target)))
        where.setWordWrap(True)
        where.setStyleSheet("color: #5f6b7a;")

        self.fields: dict[str, QLineEdit] = {}

        def edit(key: str, placeholder: str = "") -> QLineEdit:
            line = QLineEdit()
            line.setObjectName(key)
            line.setPlaceholderText(placeholder)
            self.fields[key] = line
            return line

        cooperative = QGroupBox(tr("Koperasi"))
        form = QFormLayout(cooperative)
        form.addRow(tr("&Nama koperasi *"), edit("name", tr("mis. KDMP Sukamaju")))
        form.addRow(tr("&Desa/kelurahan"), edit("desa"))
        form.addRow(tr("Kecamatan"), edit("kecamatan"))
        form.addRow(tr("Kabupaten/kota"), edit("kabupaten"))
        form.addRow(tr("Provinsi"), edit("provinsi"))
        form.addRow(tr("Nomor badan &hukum"), edit("badan_hukum_number", tr("AHU-...")))

        officers = QGroupBox(tr("Pengurus"))
        officers_form = QFormLayout(officers)
        officers_form.addRow(tr("&Ketua"), edit("ketua"))
        officers_form.addRow(tr("Sekretaris"), edit("sekretaris"))
        officers_form.addRow(tr("Bendahara"), edit("bendahara"))

        savings = QGroupBox(tr("Besar simpanan"))
        savings_form = QFormLayout(savings)
        self.pokok_edit = MoneyEdit(what="Simpanan pokok")
        self.pokok_edit.setObjectName("pokok")
        self.pokok_edit.set_amount(settings.DEFAULT_POKOK)
        self.wajib_edit = MoneyEdit(what="Simpanan wajib")
        self.wajib_edit.setObjectName("wajib")
        self.wajib_edit.set_amount(settings.DEFAULT_WAJIB)
        savings_form.addRow(tr("Simpanan &pokok (sekali)"), self.pokok_edit)
        savings_form.addRow(tr("Simpanan &wajib (per bulan)"), self.wajib_edit)
        later = QLabel(tr("Semua isian ini dapat diubah nanti di Pengaturan."))
        later.setStyleSheet("color: #5f6b7a;")

        self.create_button = QPushButton(tr("Buat &buku"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_new_book)
        back = QPushButton(tr("Kembali (Esc)"))
        back.setAutoDefault(False)
        back.clicked.connect(self.show_choices)
        buttons = QHBoxLayout()
        buttons.addWidget(later)
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.create_button)

        right = QVBoxLayout()
        right.addWidget(officers)
        right.addWidget(savings)
        right.addWidget(self._logins_box())
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(cooperative, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _logins_box(self) -> QGroupBox:
        """Journey 1: her own login (bendahara or admin) and one for the ketua; optional."""
        tr = self.tr
        box = QGroupBox(tr("Login (boleh dikosongkan)"))
        form = QFormLayout(box)
        self.login_user = QLineEdit()
        self.login_user.setObjectName("login_user")
        self.login_user.setPlaceholderText(tr("nama pengguna Anda, mis. ida"))
        self.login_role = QComboBox()
        self.login_role.setObjectName("login_role")
        self.login_role.addItem(tr("Bendahara"), "bendahara")
        self.login_role.addItem(tr("Admin (juga mengelola pengguna)"), "admin")
        self.login_password = QLineEdit()
        self.login_password.setObjectName("login_password")
        self.login_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_again = QLineEdit()
        self.login_again.setObjectName("login_again")
        self.login_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.ketua_user = QLineEdit()
        self.ketua_user.setObjectName("ketua_user")
        self.ketua_user.setPlaceholderText(tr("login ketua (boleh kosong)"))
        self.ketua_password = QLineEdit()
        self.ketua_password.setObjectName("ketua_password")
        self.ketua_password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Login &Anda"), self.login_user)
        form.addRow(tr("P&eran"), self.login_role)
        form.addRow(tr("Kata &sandi"), self.login_password)
        form.addRow(tr("&Ulangi kata sandi"), self.login_again)
        form.addRow(tr("Login k&etua"), self.ketua_user)
        form.addRow(tr("Kata sandi ketua"), self.ketua_password)
        note = QLabel(
            tr(
                "Kosong: Lumbung dibuka tanpa login. Hanya admin yang nanti dapat menambah "
                "pengguna lain dan mengatur ulang kata sandi."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5f6b7a;")
        form.addRow(note)
        return box

    def logins(self) -> list[tuple[str, str, str, str]]:
        """(username, role, password, full name) to create; refused input raises, with focus."""
        from app.services import auth

        name = self.login_user.text().strip()
        ketua = self.ketua_user.text().strip()
        if not name:
            if ketua:
                self.login_user.setFocus()
                raise ValidationError(
                    "Isi dulu login Anda sendiri; login ketua dibuat bersamanya.",
                    field="login_user",
                )
            return []
        wanted: list[tuple[str, str, str, str, QLineEdit, QLineEdit]] = []
        role = str(self.login_role.currentData())
        officer = self.fields["bendahara"].text().strip() if role == "bendahara" else ""
        if self.login_password.text() != self.login_again.text():
            self.login_again.setFocus()
            raise ValidationError("Kedua kata sandi tidak sama; ketik ulang.", field="password")
        wanted.append(
            (name, role, self.login_password.text(), officer, self.login_user, self.login_password)
        )
        if ketua:
            wanted.append(
                (
                    ketua,
                    "ketua",
                    self.ketua_password.text(),
                    self.fields["ketua"].text().strip(),
                    self.ketua_user,
                    self.ketua_password,
                )
            )
        result = []
        for username, role, password, full_name, name_edit, password_edit in wanted:
            try:
                clean = auth.clean_username(username)
            except ValidationError:
                name_edit.setFocus()
                raise
            try:
                auth.check_new_password(password, username=clean)
            except ValidationError:
                password_edit.setFocus()
                raise
            result.append((clean, role, password, full_name))
        if len(result) == 2 and result[0][0] == result[1][0]:
            self.ketua_user.setFocus()
            raise ValidationError("Login ketua harus berbeda dari login Anda.", field="ketua_user")
        return result

    def show_new_book(self) -> None:
        self.pages.setCurrentIndex(1)
        self.create_button.setDefault(True)
        self.fields["name"].setFocus()

    def show_choices(self) -> None:
        self.pages.setCurrentIndex(0)
        self.create_button.setDefault(False)
        self.new_button.setFocus()

    def reject(self) -> None:
        """Esc on the form goes back to the choices; on the choices it closes."""
        if self.pages.currentIndex() == 1:
            self.show_choices()
        else:
            super().reject()

    def profile(self) -> Profile:
        return Profile(**{key: edit.text().strip() for key, edit in self.fields.items()})

    def create_new_book(self) -> None:
        book = run_action(self, self._create_book)
        if book is None:
            return
        pokok, wajib = self.pokok_edit.amount(), self.wajib_edit.amount()
        try:
            if (pokok, wajib) != (settings.DEFAULT_POKOK, settings.DEFAULT_WAJIB):

                def set_rates(session: Session) -> bool:
                    for kind, amount, default in (
                        (settings.POKOK, pokok, settings.DEFAULT_POKOK),
                        (settings.WAJIB, wajib, settings.DEFAULT_WAJIB),
                    ):
                        if amount != default:
                            settings.set_rate(
                                session, kind, amount, settings.SINCE_ALWAYS, by=FIRST_USER
                            )
                    return True

                ctx = AppContext(book=book, user=FIRST_USER)
                write(ctx, self, set_rates, notify=False)
            if self._logins:
                self._create_logins(book)
        finally:
            book.close()
        self.chosen_path = book.path
        self.accept()

    def _create_logins(self, book: Book) -> None:
        """The first users, made before anyone logs in (the book has none yet)."""
        from app.services import auth

        ctx = AppContext(book=book, user=FIRST_USER)

        def create(session: Session) -> bool:
            for username, role, password, full_name in self._logins:
                auth.create_user(
                    session,
                    username,
                    role=role,
                    password=password,
                    full_name=full_name,
                    by=FIRST_USER,
                )
            return True

        write(ctx, self, create, notify=False)
        self._logins = []  # no password stays in memory longer than needed

    def _create_book(self) -> Book:
        profile = self.profile()
        if not profile.name:
            self.fields["name"].setFocus()
            raise ValidationError("Nama koperasi wajib diisi.", field="name")
        for edit, what in (
            (self.pokok_edit, "Simpanan pokok"),
            (self.wajib_edit, "Simpanan wajib"),
        ):
            try:
                require_amount(edit.amount(), what)
            except ValidationError:
                edit.setFocus()
                raise
        self._logins = self.logins()
        return create_book(self.target, profile, by=FIRST_USER)

    # -- the other two choices -----------------------------------------------------------

    def choose_demo(self) -> None:
        target = demo_book_path()
        if is_book(target) or make_demo_with_progress(target, self):
            self.chosen_path = target
            self.accept()

    def choose_file(self) -> None:
        start = str(self.target.parent if self.target.parent.exists() else Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Buka buku Lumbung"),
            start,
            self.tr("Buku Lumbung (*.sqlite);;Semua file (*)"),
        )
        if name:
            self.chosen_path = Path(name)
            self.accept()


class _Cancelled(Exception):
    """Raised inside the worker's progress callback when the treasurer cancels."""


class DemoWorker(QThread):
    """Builds the demo book in its own thread (its own engine and sessions)."""

    progressed = Signal(int, int)

    def __init__(self, target: Path, make: Callable[..., object]) -> None:
        super().__init__()
        self.target = target
        self.make = make
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
            self.make(self.target, members=60, years=3, seed=1, progress=self._progress)
        except _Cancelled:
            self.cancelled = True
        except BaseException as error:  # handed to the main thread, which reports it
            self.error = error
        if self.cancelled or self.error is not None:
            _remove_partial_book(self.target)


def _remove_partial_book(target: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        except OSError:  # still open on Windows: the next start offers to make it again
            log.warning("Sisa buku contoh %s%s tidak dapat dihapus", target, suffix)


def make_demo_with_progress(target: Path, parent: QWidget | None = None) -> bool:
    """Make the demo book at ``target`` with a progress dialog; True when it is ready."""
    from app.services.demo import create_demo_book

    def tr(text: str) -> str:
        return QApplication.translate("FirstRunDialog", text)

    progress = QProgressDialog(
        tr("Membuat buku contoh: anggota, simpanan dan pinjaman rekaan..."),
        tr("Batal"),
        0,
        0,
        parent,
    )
    progress.setWindowTitle(tr("Buku contoh"))
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setMinimumWidth(420)

    worker = DemoWorker(Path(target), create_demo_book)

    def show(done: int, total: int) -> None:
        if total > 0 and progress.maximum() != total:
            progress.setMaximum(total)
        progress.setValue(min(done, total) if total > 0 else 0)

    worker.progressed.connect(show)
    progress.canceled.connect(worker.cancel)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    progress.show()
    loop.exec()
    worker.wait()
    progress.close()
    progress.deleteLater()
    if worker.cancelled:
        return False
    error = worker.error
    if error is None:
        return True
    if isinstance(error, DomainError):

        def refuse() -> bool:
            raise error

        run_action(parent, refuse)
        return False
    sys.excepthook(type(error), error, error.__traceback__)
    return False
