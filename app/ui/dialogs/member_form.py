"""Register a member (with the simpanan pokok) or change a member's data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.errors import ValidationError
from app.money import format_rupiah
from app.nik import check_nik, normalize_nik
from app.queries.members import MemberDetail, member_detail, search_members
from app.services import members, settings
from app.services.members import MemberInput, Registered
from app.ui import prompts
from app.ui.actions import read, run_action, write
from app.ui.context import AppContext
from app.ui.widgets.date_edit import DateEdit

T = TypeVar("T")
RED, AMBER, GREEN, GREY = "#b3261e", "#9a5b00", "#2e7d32", "#666666"
ROLE_TEXT = (
    ("anggota", "Anggota"),
    ("pengurus", "Pengurus"),
    ("pengawas", "Pengawas"),
    ("karyawan", "Karyawan"),
)
RELATIONS = ["Suami", "Istri", "Anak", "Ayah", "Ibu", "Saudara kandung", "Cucu", "Menantu"]


def _birth_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dates.parse_date(text)
    except ValidationError as error:
        raise ValidationError(f"Tanggal lahir: {error}", field="birth_date") from None


class MemberFormDialog(QDialog):
    """One form for both registering (``member_id`` 0) and editing a member."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.registered: Registered | None = None
        self._failed_field: str | None = None
        self._pokok_rates = read(ctx, lambda s: settings.rates(s, settings.POKOK))
        detail = read(ctx, lambda s: member_detail(s, member_id)) if member_id else None
        if detail is None:
            self.setWindowTitle(self.tr("Pendaftaran anggota baru"))
        else:
            self.setWindowTitle(
                self.tr("Ubah data anggota %1 — %2")
                .replace("%1", detail.number)
                .replace("%2", detail.name)
            )
        self._build(detail is None)
        if detail is not None:
            self._fill(detail)
        self._check_nik()
        self._show_pokok()
        self.nik_edit.setFocus()

    # -- layout --------------------------------------------------------------------

    def _build(self, registering: bool) -> None:
        tr = self.tr
        # Widgets are created in tab order: left column top to bottom, then the right.
        identity = QGroupBox(tr("Identitas (sesuai KTP)"))
        form = QFormLayout(identity)
        self.nik_edit = QLineEdit()
        self.nik_edit.setObjectName("nik")
        self.nik_edit.setMaxLength(24)
        self.nik_edit.setPlaceholderText(tr("16 angka, lihat KTP"))
        self.nik_status = QLabel()
        self.nik_status.setObjectName("nikStatus")
        self.nik_status.setWordWrap(True)
        self.nik_status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Room for two messages, so the form does not jump while the NIK is typed.
        self.nik_status.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 4)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setMaxLength(120)
        self.sex_combo = QComboBox()
        self.sex_combo.setObjectName("sex")
        self.sex_combo.addItem(tr("Laki-laki (L)"), "L")
        self.sex_combo.addItem(tr("Perempuan (P)"), "P")
        self.sex_combo.setPlaceholderText(tr("— pilih L atau P —"))
        self.sex_combo.setCurrentIndex(-1)
        self.birth_place_edit = QLineEdit()
        self.birth_place_edit.setMaxLength(80)
        self.birth_date_edit = QLineEdit()
        self.birth_date_edit.setObjectName("birthDate")
        self.birth_date_edit.setPlaceholderText(tr("dd/mm/yyyy"))
        self.birth_date_edit.setMaxLength(10)
        self.occupation_edit = QLineEdit()
        self.occupation_edit.setMaxLength(80)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phone")
        self.phone_edit.setPlaceholderText(tr("0812-3456-7890"))
        form.addRow(tr("&NIK (Nomor Induk\nKependudukan)"), self.nik_edit)
        form.addRow(self.nik_status)
        form.addRow(tr("N&ama lengkap"), self.name_edit)
        form.addRow(tr("&Jenis kelamin"), self.sex_combo)
        form.addRow(tr("&Tempat lahir"), self.birth_place_edit)
        form.addRow(tr("Tanggal &lahir"), self.birth_date_edit)
        form.addRow(tr("&Pekerjaan"), self.occupation_edit)
        form.addRow(tr("No. &HP"), self.phone_edit)

        where = QGroupBox(tr("Alamat"))
        where_form = QFormLayout(where)
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText(tr("Jalan / kampung, nomor rumah"))
        self.rt_edit = QLineEdit()
        self.rt_edit.setMaxLength(3)
        self.rt_edit.setMaximumWidth(70)
        self.rw_edit = QLineEdit()
        self.rw_edit.setMaxLength(3)
        self.rw_edit.setMaximumWidth(70)
        rt_rw = QHBoxLayout()
        rt_rw.addWidget(self.rt_edit)
        rw_label = QLabel(tr("R&W"))
        rw_label.setBuddy(self.rw_edit)
        rt_rw.addWidget(rw_label)
        rt_rw.addWidget(self.rw_edit)
        rt_rw.addStretch(1)
        self.dusun_edit = QLineEdit()
        self.dusun_edit.setMaxLength(80)
        where_form.addRow(tr("Ala&mat"), self.address_edit)
        rt_label = QLabel(tr("&RT"))
        rt_label.setBuddy(self.rt_edit)
        where_form.addRow(rt_label, rt_rw)
        where_form.addRow(tr("&Dusun"), self.dusun_edit)

        heir = QGroupBox(tr("Ahli waris"))
        heir_form = QFormLayout(heir)
        self.heir_name_edit = QLineEdit()
        self.heir_relation_edit = QLineEdit()
        completer = QCompleter(RELATIONS, self.heir_relation_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.heir_relation_edit.setCompleter(completer)
        self.heir_phone_edit = QLineEdit()
        heir_form.addRow(tr("Nama ahli &waris"), self.heir_name_edit)
        heir_form.addRow(tr("H&ubungan"), self.heir_relation_edit)
        heir_form.addRow(tr("N&o. HP ahli waris"), self.heir_phone_edit)

        membership = QGroupBox(tr("Keanggotaan"))
        member_form = QFormLayout(membership)
        self.role_combo = QComboBox()
        for value, text in ROLE_TEXT:
            self.role_combo.addItem(tr(text), value)
        self.position_edit = QLineEdit()
        self.position_edit.setPlaceholderText(tr("mis. Bendahara, Kasir"))
        member_form.addRow(tr("P&eran"), self.role_combo)
        member_form.addRow(tr("Ja&batan"), self.position_edit)
        self.joined_edit = DateEdit()
        self.joined_edit.setObjectName("joinedOn")
        self.pokok_label = QLabel()
        self.pokok_label.setWordWrap(True)
        if registering:
            member_form.addRow(tr("Tan&ggal masuk"), self.joined_edit)
            member_form.addRow("", self.pokok_label)
        else:
            self.joined_edit.hide()
            self.pokok_label.hide()

        self.save_button = QPushButton(tr("&Simpan") if not registering else tr("&Daftarkan"))
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.cancel_button = QPushButton(tr("Batal (Esc)"))
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(identity)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(where)
        right.addWidget(heir)
        right.addWidget(membership)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        hint = QLabel(tr("Enter = simpan · Esc = batal"))
        hint.setStyleSheet(f"color: {GREY};")
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        outer = QVBoxLayout(self)
        outer.addLayout(columns)
        outer.addLayout(buttons)
        self.setMinimumWidth(860)

        self.nik_edit.textChanged.connect(self._check_nik)
        self.sex_combo.currentIndexChanged.connect(self._check_nik)
        self.birth_date_edit.textChanged.connect(self._check_nik)
        self.joined_edit.dateChanged.connect(self._show_pokok)

    def _fill(self, d: MemberDetail) -> None:
        self.nik_edit.setText(d.nik)
        self.name_edit.setText(d.name)
        self.sex_combo.setCurrentIndex(self.sex_combo.findData(d.sex))
        self.birth_place_edit.setText(d.birth_place)
        self.birth_date_edit.setText(dates.format_date(d.birth_date) if d.birth_date else "")
        self.occupation_edit.setText(d.occupation)
        self.phone_edit.setText(d.phone)
        self.address_edit.setText(d.address)
        self.rt_edit.setText(d.rt)
        self.rw_edit.setText(d.rw)
        self.dusun_edit.setText(d.dusun)
        self.heir_name_edit.setText(d.heir_name)
        self.heir_relation_edit.setText(d.heir_relation)
        self.heir_phone_edit.setText(d.heir_phone)
        self.role_combo.setCurrentIndex(max(self.role_combo.findData(d.role), 0))
        self.position_edit.setText(d.position)

    # -- live feedback ---------------------------------------------------------------

    def _sex(self) -> str:
        value = self.sex_combo.currentData()
        return str(value) if value else ""

    def _check_nik(self) -> None:
        nik = normalize_nik(self.nik_edit.text())
        try:
            born = _birth_date(self.birth_date_edit.text())
        except ValidationError:
            born = None
        if not nik:
            self._say(self.tr("Nomor di KTP, bukan Nomor Induk Koperasi."), GREY)
            return
        if nik.isdigit() and len(nik) < 16:
            self._say(self.tr("%1 dari 16 angka").replace("%1", str(len(nik))), GREY)
            return
        result = check_nik(nik, sex=self._sex() or None, birth_date=born)
        if result.errors:
            self._say("\n".join(result.errors[:2]), RED, "\n".join(result.errors))
            return
        holder = self._holder(nik)
        if holder:
            self._say(holder, RED)
            return
        if result.warnings:
            self._say("\n".join(result.warnings), AMBER)
            return
        facts = []
        if result.sex:
            facts.append(self.tr("laki-laki") if result.sex == "L" else self.tr("perempuan"))
        if result.birth_date:
            facts.append(self.tr("lahir %1").replace("%1", dates.format_date(result.birth_date)))
        self._say(self.tr("✓ NIK sah: %1").replace("%1", ", ".join(facts)), GREEN)

    def _holder(self, nik: str) -> str:
        """Who already holds this NIK (a member past or present), as a sentence, or ''."""
        rows = read(self.ctx, lambda s: search_members(s, nik, status=None, limit=5))
        for row in rows:
            if row.nik == nik and row.id != self.member_id:
                return (
                    self.tr("NIK ini sudah dipakai oleh anggota %1 %2 (status %3).")
                    .replace("%1", row.number)
                    .replace("%2", row.name)
                    .replace("%3", row.status)
                )
        return ""

    def _say(self, text: str, color: str, full: str = "") -> None:
        self.nik_status.setText(text)
        self.nik_status.setToolTip(full or text)
        self.nik_status.setStyleSheet(f"color: {color};")

    def _show_pokok(self) -> None:
        amount = settings.rate_on(self._pokok_rates, self.joined_edit.value())
        self.pokok_label.setText(
            self.tr("Simpanan pokok yang diterima sekarang: <b>%1</b> (dicatat masuk kas)").replace(
                "%1", format_rupiah(amount)
            )
        )

    # -- saving ----------------------------------------------------------------------

    def input(self) -> MemberInput:
        """The form as typed; only the birth date is parsed here (the service checks the rest)."""
        return MemberInput(
            nik=self.nik_edit.text(),
            name=self.name_edit.text(),
            sex=self._sex(),
            birth_place=self.birth_place_edit.text(),
            birth_date=_birth_date(self.birth_date_edit.text()),
            address=self.address_edit.text(),
            rt=self.rt_edit.text(),
            rw=self.rw_edit.text(),
            dusun=self.dusun_edit.text(),
            occupation=self.occupation_edit.text(),
            phone=self.phone_edit.text(),
            heir_name=self.heir_name_edit.text(),
            heir_relation=self.heir_relation_edit.text(),
            heir_phone=self.heir_phone_edit.text(),
            role=str(self.role_combo.currentData()),
            position=self.position_edit.text(),
        )

    def save(self) -> None:
        data = run_action(self, self.input)
        if data is None:
            self.birth_date_edit.setFocus()
            return
        check = check_nik(normalize_nik(data.nik), sex=data.sex or None, birth_date=data.birth_date)
        if (
            check.ok
            and check.warnings
            and not prompts.confirm(
                self,
                self.tr("Data tidak cocok dengan NIK"),
                "\n".join(check.warnings)
                + "\n\n"
                + self.tr(
                    "NIK tidak pernah berubah, jadi mungkin jenis kelamin atau tanggal lahir "
                    "yang salah ketik. Tetap simpan seperti ini?"
                ),
                yes=self.tr("&Tetap simpan"),
                no=self.tr("&Periksa lagi"),
                warning=True,
            )
        ):
            return
        self._failed_field = None
        if self.member_id:
            if write(self.ctx, self, self._guard(self._update, data)) is None:
                self._focus_failed()
                return
            self.accept()
            return
        registered = write(self.ctx, self, self._guard(self._register, data))
        if registered is None:
            self._focus_failed()
            return
        self.registered = registered
        self.member_id = registered.member_id
        prompts.offer_receipt(
            self.ctx,
            self,
            registered.entry.id,
            self.tr("Anggota %1 %2 terdaftar; simpanan pokok dicatat dengan nomor %3.")
            .replace("%1", registered.number)
            .replace("%2", " ".join(data.name.split()))
            .replace("%3", registered.entry.number),
        )
        self.accept()

    def _register(self, session: Session, data: MemberInput) -> Registered:
        return members.register(session, data, joined_on=self.joined_edit.value(), by=self.ctx.user)

    def _update(self, session: Session, data: MemberInput) -> tuple[str, ...]:
        return members.update(session, self.member_id, data, by=self.ctx.user)

    def _guard(
        self, work: Callable[[Session, MemberInput], T], data: MemberInput
    ) -> Callable[[Session], T]:
        """Remember which field a refusal names, so the cursor can go there afterwards."""

        def run(session: Session) -> T:
            try:
                return work(session, data)
            except ValidationError as error:
                self._failed_field = error.field
                raise

        return run

    def _focus_failed(self) -> None:
        widget = {
            "nik": self.nik_edit,
            "name": self.name_edit,
            "sex": self.sex_combo,
            "birth_date": self.birth_date_edit,
            "phone": self.phone_edit,
            "role": self.role_combo,
        }.get(self._failed_field or "")
        if widget is not None:
            widget.setFocus()


def open_register(ctx: AppContext, parent: QWidget | None = None, member_id: int = 0) -> int | None:
    """F4: register a member; returns the new member's id, or None when cancelled.

    ``member_id`` is ignored; it keeps the counter shortcuts' common signature.
    """
    dialog = MemberFormDialog(ctx, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.registered is None:
        return None
    return dialog.registered.member_id


def open_edit(ctx: AppContext, parent: QWidget | None, member_id: int) -> bool:
    dialog = MemberFormDialog(ctx, parent, member_id)
    return dialog.exec() == QDialog.DialogCode.Accepted
