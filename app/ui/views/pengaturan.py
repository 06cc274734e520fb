"""Pengaturan: the cooperative's profile, its officers, its logo, and the simpanan amounts."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.money import format_rupiah
from app.services import settings
from app.services.settings import Profile, Rate
from app.ui import prompts
from app.ui.actions import read, run_action, write
from app.ui.context import AppContext
from app.ui.widgets.money_edit import MoneyEdit

COOPERATIVE_FIELDS = (
    ("name", "&Nama koperasi *"),
    ("nomor_induk_koperasi", "Nomor &Induk Koperasi\n(NIK koperasi, bukan KTP)"),
    ("badan_hukum_number", "Nomor &badan hukum"),
    ("badan_hukum_date", "Tanggal badan hukum"),
    ("nib", "NIB"),
    ("npwp", "NPWP"),
    ("address", "Alamat kantor"),
    ("desa", "&Desa/kelurahan"),
    ("kecamatan", "Kecamatan"),
    ("kabupaten", "Kabupaten/kota"),
    ("provinsi", "Provinsi"),
    ("phone", "Telepon"),
)
OFFICER_FIELDS = (
    ("ketua", "&Ketua"),
    ("sekretaris", "Sekretaris"),
    ("bendahara", "Bendahara"),
    ("ketua_pengawas", "Ketua pengawas"),
    ("anggota_pengawas_1", "Anggota pengawas 1"),
    ("anggota_pengawas_2", "Anggota pengawas 2"),
    ("manajer", "Manajer"),
)
KIND_TEXT = {settings.POKOK: "Simpanan pokok", settings.WAJIB: "Simpanan wajib (per bulan)"}
GREEN, GREY = "#2e7d32", "#5f6b7a"
LOGO_PREVIEW_H, LOGO_PREVIEW_MAX_W = 96, 240  # pixels


# -- file dialog (a module function, so tests can replace it) -----------------------------


def choose_logo_file(parent: QWidget, start: str) -> str:
    """The picture file the treasurer picked, or "" when cancelled."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Pilih logo koperasi"),
        start,
        parent.tr("Gambar (*.png *.jpg *.jpeg *.gif *.bmp);;Semua berkas (*)"),
    )
    return name


def since_text(rate: Rate) -> str:
    if rate.effective_from <= settings.SINCE_ALWAYS:
        return "sejak awal buku"
    return dates.format_month(rate.effective_from.year, rate.effective_from.month)


class PengaturanView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.edits: dict[str, QLineEdit] = {}
        self._dirty = False
        self._build()
        self.load_profile()
        self.load_rates()
        self.load_logo()

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        title = QLabel(tr("Pengaturan"))
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")

        cooperative = QGroupBox(tr("Koperasi"))
        cooperative_form = QFormLayout(cooperative)
        cooperative_form.setVerticalSpacing(4)
        for key, caption in COOPERATIVE_FIELDS:
            cooperative_form.addRow(tr(caption), self._edit(key))
        self.edits["badan_hukum_date"].setPlaceholderText(tr("dd/mm/yyyy"))
        self.edits["nomor_induk_koperasi"].setPlaceholderText(tr("dari Online Data System (ODS)"))
        self.edits["npwp"].setPlaceholderText(tr("00.000.000.0-000.000"))

        officers = QGroupBox(tr("Pengurus dan pengawas"))
        officers_form = QFormLayout(officers)
        officers_form.setVerticalSpacing(4)
        for key, caption in OFFICER_FIELDS:
            officers_form.addRow(tr(caption), self._edit(key))
        self.edits["ketua_pengawas"].setPlaceholderText(tr("Kepala Desa, karena jabatannya"))
        note = QLabel(
            tr("Nama-nama ini dicetak pada kwitansi, laporan dan buku RAT (kolom tanda tangan).")
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {GREY};")
        officers_form.addRow(note)

        self.save_button = QPushButton(tr("&Simpan profil"))
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip(tr("Ctrl+S, atau Enter di salah satu isian"))
        self.revert_button = QPushButton(tr("Batalkan pe&rubahan"))
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        for button in (self.save_button, self.revert_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_profile)
        self.revert_button.clicked.connect(self.revert)
        profile_buttons = QHBoxLayout()
        profile_buttons.addWidget(self.saved_label)
        profile_buttons.addStretch(1)
        profile_buttons.addWidget(self.revert_button)
        profile_buttons.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addWidget(officers)
        right.addLayout(profile_buttons)
        right.addWidget(self._logo_box())
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addWidget(cooperative, 1)
        columns.addLayout(right, 1)

        columns_and_savings = QVBoxLayout()
        columns_and_savings.addLayout(columns)
        columns_and_savings.addWidget(self._savings_box())
        columns_and_savings.addWidget(self._migration_box())

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(20, 16, 20, 16)
        content_layout.setSpacing(10)
        content_layout.addWidget(title)
        content_layout.addLayout(columns_and_savings)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        # Tabs: the cooperative and its savings; the loans (issue 3). Ctrl+Tab switches.
        from app.ui.views.pengaturan_pinjaman import LoanSettingsPanel

        self.loans_panel = LoanSettingsPanel(self.ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pengaturanTabs")
        self.tabs.addTab(scroll, tr("&Koperasi dan simpanan"))
        self.tabs.addTab(self.loans_panel, tr("Pi&njaman"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

    def _logo_box(self) -> QGroupBox:
        """Logo koperasi: a preview and two buttons; each button saves at once."""
        tr = self.tr
        box = QGroupBox(tr("Logo koperasi"))
        box.setObjectName("logoBox")
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setAccessibleName(tr("Pratinjau logo koperasi"))
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFixedSize(LOGO_PREVIEW_MAX_W + 8, LOGO_PREVIEW_H + 8)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        # White, as on the paper it is printed on.
        self.logo_preview.setStyleSheet(f"color: {GREY}; background: white;")
        text = QLabel(
            tr(
                "Dicetak besar di sampul buku RAT dan kecil di kepala setiap halamannya. "
                "Gambar PNG atau JPG, paling besar 5 MB; disimpan di dalam buku ini, "
                "jadi ikut tercadang."
            )
        )
        text.setWordWrap(True)
        text.setStyleSheet(f"color: {GREY};")
        self.choose_logo_button = QPushButton(tr("&Pilih logo..."))
        self.choose_logo_button.setObjectName("chooseLogo")
        self.clear_logo_button = QPushButton(tr("&Hapus logo"))
        self.clear_logo_button.setObjectName("clearLogo")
        for button in (self.choose_logo_button, self.clear_logo_button):
            button.setAutoDefault(False)
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.clear_logo_button.clicked.connect(self.clear_logo)
        self.logo_status = QLabel()
        self.logo_status.setObjectName("logoStatus")
        buttons = QVBoxLayout()
        for widget in (self.choose_logo_button, self.clear_logo_button, self.logo_status):
            buttons.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.logo_preview, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(buttons, 1)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(text)
        return box

    def _migration_box(self) -> QGroupBox:
        """Pindah dari Excel (issue 7): the import template, and the import wizard."""
        from app.ui.dialogs.import_wizard import download_template, open_import_wizard

        tr = self.tr
        box = QGroupBox(tr("Pindah dari Excel"))
        text = QLabel(
            tr(
                "Buku lama di Excel? Unduh template impor, isi anggota, saldo awal dari neraca "
                "terakhir, pinjaman dan transaksinya, lalu impor ke buku baru ini."
            )
        )
        text.setWordWrap(True)
        text.setStyleSheet(f"color: {GREY};")
        self.template_button = QPushButton(tr("&Unduh template impor..."))
        self.template_button.setObjectName("settingsDownloadTemplate")
        self.import_button = QPushButton(tr("Impor dari E&xcel..."))
        for button in (self.template_button, self.import_button):
            button.setAutoDefault(False)
        self.template_button.clicked.connect(lambda: download_template(self))
        self.import_button.clicked.connect(lambda: open_import_wizard(self.ctx, self))
        row = QHBoxLayout(box)
        row.addWidget(text, 1)
        row.addWidget(self.template_button)
        row.addWidget(self.import_button)
        return box

    def _edit(self, key: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.textEdited.connect(self._edited)
        edit.returnPressed.connect(self.save_profile)
        self.edits[key] = edit
        return edit

    def _savings_box(self) -> QGroupBox:
        tr = self.tr
        box = QGroupBox(tr("Simpanan"))
        self.pokok_now = QLabel()
        self.pokok_now.setObjectName("pokokNow")
        self.wajib_now = QLabel()
        self.wajib_now.setObjectName("wajibNow")
        now = QHBoxLayout()
        now.addWidget(self.pokok_now)
        now.addSpacing(24)
        now.addWidget(self.wajib_now)
        now.addStretch(1)
        explain = QLabel(
            tr(
                "Berlaku mulai bulan yang dipilih; bulan-bulan "
                "sebelumnya tetap memakai besar yang lama (tunggakan wajib dihitung per bulan)."
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet(f"color: {GREY};")

        self.rates_table = QTableWidget(0, 3)
        self.rates_table.setObjectName("rates")
        self.rates_table.setHorizontalHeaderLabels([tr("Jenis"), tr("Besar"), tr("Berlaku mulai")])
        self.rates_table.verticalHeader().hide()
        self.rates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rates_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rates_table.setAlternatingRowColors(True)
        header = self.rates_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rates_table.verticalHeader().setDefaultSectionSize(24)
        self.rates_table.setMinimumHeight(110)
        self.rates_table.setMaximumHeight(170)

        add = QGroupBox(tr("Ubah besar simpanan"))
        add_form = QFormLayout(add)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("rateKind")
        for kind in (settings.WAJIB, settings.POKOK):
            self.kind_combo.addItem(tr(KIND_TEXT[kind]), kind)
        self.amount_edit = MoneyEdit(what="Besar simpanan")
        self.amount_edit.setObjectName("rateAmount")
        self.month_edit = QDateEdit()
        self.month_edit.setObjectName("rateMonth")
        self.month_edit.setDisplayFormat("MM/yyyy")
        today = dates.today()
        self.month_edit.setDate(QDate(today.year, today.month, 1))
        self.add_button = QPushButton(tr("&Tetapkan"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_rate)
        self.amount_edit.returnPressed.connect(self.add_rate)
        add_form.addRow(tr("&Jenis"), self.kind_combo)
        add_form.addRow(tr("Besar &baru (Rp)"), self.amount_edit)
        add_form.addRow(tr("&Mulai bulan"), self.month_edit)
        add_form.addRow("", self.add_button)
        add_form.addRow(explain)

        rows = QHBoxLayout()
        rows.addWidget(self.rates_table, 3, Qt.AlignmentFlag.AlignTop)
        rows.addWidget(add, 2)
        layout = QVBoxLayout(box)
        layout.addLayout(now)
        layout.addLayout(rows)
        return box

    # -- profile ---------------------------------------------------------------------

    def _edited(self) -> None:
        self._dirty = True
        self.saved_label.setText(self.tr("Ada perubahan yang belum disimpan."))
        self.saved_label.setStyleSheet("color: #9a5b00;")

    def profile(self) -> Profile:
        return Profile(**{f.name: self.edits[f.name].text() for f in fields(Profile)})

    def load_profile(self) -> None:
        self._show_profile(read(self.ctx, settings.get_profile))

    def _show_profile(self, profile: Profile) -> None:
        for f in fields(Profile):
            self.edits[f.name].setText(str(getattr(profile, f.name)))
        self._dirty = False
        self.saved_label.setText("")

    def save_profile(self) -> None:
        profile = self.profile()
        saved = write(self.ctx, self, lambda s: settings.save_profile(s, profile, by=self.ctx.user))
        if saved is None:
            self.edits["name"].setFocus()
            return
        self._show_profile(saved)
        self.saved_label.setText(self.tr("✓ Profil tersimpan."))
        self.saved_label.setStyleSheet(f"color: {GREEN};")

    def revert(self) -> None:
        self.load_profile()

    # -- logo ------------------------------------------------------------------------

    def load_logo(self) -> None:
        self._show_logo(read(self.ctx, settings.get_logo))

    def _show_logo(self, png: bytes | None) -> None:
        pixmap = QPixmap()
        if png is None or not pixmap.loadFromData(png):
            self.logo_preview.clear()
            self.logo_preview.setText(self.tr("Belum ada logo"))
            self.clear_logo_button.setEnabled(False)
            return
        ratio = self.devicePixelRatioF()
        smooth = Qt.TransformationMode.SmoothTransformation
        shown = pixmap.scaledToHeight(round(LOGO_PREVIEW_H * ratio), smooth)
        if shown.width() > LOGO_PREVIEW_MAX_W * ratio:
            shown = pixmap.scaledToWidth(round(LOGO_PREVIEW_MAX_W * ratio), smooth)
        shown.setDevicePixelRatio(ratio)
        self.logo_preview.setPixmap(shown)
        self.clear_logo_button.setEnabled(True)

    def _logo_saved(self, text: str) -> None:
        self.logo_status.setText(text)
        self.logo_status.setStyleSheet(f"color: {GREEN};")

    def choose_logo(self) -> None:
        name = choose_logo_file(self, str(Path.home()))
        if not name:
            return
        self.logo_status.setText("")
        png = write(
            self.ctx,
            self,
            lambda s: settings.set_logo(s, settings.read_logo_file(name), by=self.ctx.user),
        )
        if png is None:  # refused: shown, nothing changed
            self.choose_logo_button.setFocus()
            return
        self._show_logo(png)
        self._logo_saved(self.tr("✓ Logo tersimpan."))

    def clear_logo(self) -> None:
        tr = self.tr
        if not prompts.confirm(
            self,
            tr("Hapus logo"),
            tr("Hapus logo koperasi? Buku RAT akan dicetak tanpa logo sampai dipilih lagi."),
        ):
            return

        def work(session: Session) -> bool:
            settings.clear_logo(session, by=self.ctx.user)
            return True

        if write(self.ctx, self, work):
            self._show_logo(None)
            self._logo_saved(tr("✓ Logo dihapus."))
            self.choose_logo_button.setFocus()

    # -- rates -----------------------------------------------------------------------

    def load_rates(self) -> None:
        pokok, wajib = read(
            self.ctx,
            lambda s: (settings.rates(s, settings.POKOK), settings.rates(s, settings.WAJIB)),
        )
        today = dates.today()
        tr = self.tr
        self.pokok_now.setText(
            tr("Simpanan pokok sekarang: <b>%1</b> (sekali saat masuk)").replace(
                "%1", format_rupiah(settings.rate_on(pokok, today))
            )
        )
        self.wajib_now.setText(
            tr("Simpanan wajib sekarang: <b>%1</b> per bulan").replace(
                "%1", format_rupiah(settings.rate_on(wajib, today))
            )
        )
        rows = sorted([*pokok, *wajib], key=lambda r: (r.kind, r.effective_from))
        self.rates_table.setRowCount(len(rows))
        for row, rate in enumerate(rows):
            cells = (tr(KIND_TEXT[rate.kind]), format_rupiah(rate.amount), tr(since_text(rate)))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.rates_table.setItem(row, column, item)

    def _month(self) -> date:
        d = self.month_edit.date()
        return date(d.year(), d.month(), 1)

    def add_rate(self) -> None:
        amount = run_action(self, self.amount_edit.amount)
        if amount is None:
            self.amount_edit.setFocus()
            return
        kind = str(self.kind_combo.currentData())
        month = self._month()
        today = dates.today()
        tr = self.tr
        text = (
            tr("Mulai %1, %2 menjadi %3.")
            .replace("%1", dates.format_month(month.year, month.month))
            .replace("%2", tr(KIND_TEXT[kind]).lower())
            .replace("%3", format_rupiah(amount))
        )
        if (month.year, month.month) < (today.year, today.month):
            text += "\n\n" + tr(
                "Bulan itu sudah lewat: tunggakan wajib anggota untuk bulan-bulan sejak itu "
                "akan dihitung ulang dengan besar yang baru."
            )
        if not prompts.confirm(self, tr("Ubah besar simpanan"), text + "\n\n" + tr("Lanjutkan?")):
            return

        def work(session: Session) -> bool:
            settings.set_rate(session, kind, amount, month, by=self.ctx.user)
            return True

        if write(self.ctx, self, work):
            self.amount_edit.clear()
            self.load_rates()

    # -- what the shell calls ---------------------------------------------------------------

    def refresh(self) -> None:
        """Rates always; the profile only when nothing typed here is waiting to be saved."""
        if not self._dirty:
            self.load_profile()
        self.load_rates()
        self.load_logo()
        self.loans_panel.refresh()
