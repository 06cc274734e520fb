"""Jejak audit: who changed what and when, with the values before and after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.money import format_number
from app.queries.audit import (
    AuditChoices,
    AuditFilter,
    AuditRow,
    audit_choices,
    count_audit,
    list_audit,
)
from app.ui.actions import read
from app.ui.context import AppContext
from app.ui.widgets.date_edit import DateEdit

PAGE = 200
_Index = QModelIndex | QPersistentModelIndex

# What the stored action names mean; unknown ones are shown as stored.
ACTION_TEXT = {
    "buku.buat": "Buku dibuat",
    "buku.demo": "Buku demo dibuat",
    "buku.pulihkan": "Buku dipulihkan dari cadangan",
    "pengaturan.profil": "Profil koperasi diubah",
    "pengaturan.opsi": "Pengaturan diubah",
    "pengaturan.logo": "Logo koperasi diubah",
    "pengaturan.simpanan_pokok": "Simpanan pokok diubah",
    "pengaturan.simpanan_wajib": "Simpanan wajib diubah",
    "pengaturan.produk_pinjaman": "Produk pinjaman diubah",
    "anggota.daftar": "Anggota didaftarkan",
    "anggota.ubah": "Data anggota diubah",
    "anggota.keluar": "Anggota keluar",
    "jurnal.balik": "Jurnal dibalik",
    "akun.tambah": "Akun ditambah",
    "akun.ubah_nama": "Nama akun diubah",
    "akun.nonaktif": "Akun dinonaktifkan",
    "akun.aktif": "Akun diaktifkan lagi",
    "kas_opname.catat": "Kas opname dicatat",
    "kas_opname.hitung_ulang": "Kas opname dihitung ulang",
    "kas_opname.tutup_hari": "Kas harian ditutup",
    "pinjaman.ajukan": "Pinjaman diajukan",
    "pinjaman.setujui": "Pinjaman disetujui",
    "pinjaman.tolak": "Pinjaman ditolak",
    "pinjaman.cairkan": "Pinjaman dicairkan",
    "pinjaman.lunasi": "Pinjaman dilunasi",
    "pinjaman.hapus_buku": "Pinjaman dihapusbukukan",
    "pinjaman.denda_dibebaskan": "Denda dibebaskan",
    "pinjaman.kolektibilitas": "Kolektibilitas diubah",
}


def action_text(action: str) -> str:
    return ACTION_TEXT.get(action, action)


def _object_text(row: AuditRow) -> str:
    if row.entity_id is None:
        return row.entity
    return f"{row.entity} #{row.entity_id}"


def _summary(row: AuditRow) -> str:
    parts = []
    for change in row.changes:
        name = change.field or "nilai"
        if change.before and change.after:
            parts.append(f"{name}: {change.before} → {change.after}")
        elif change.after:
            parts.append(f"{name}: {change.after}")
        else:
            parts.append(f"{name}: {change.before} (dihapus)")
    return "; ".join(parts)


class AuditModel(QAbstractTableModel):
    """A page of audit rows at a time, newest first; filtering happens in SQL."""

    HEADERS = ("Waktu", "Pengguna", "Tindakan", "Objek", "Perubahan", "Catatan")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = AuditFilter()
        self._rows: list[AuditRow] = []
        self._total = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.at.strftime("%d/%m/%Y %H:%M:%S"),
                row.user,
                self.tr(action_text(row.action)),
                _object_text(row),
                _summary(row),
                row.note,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (2, 4):
            return row.action if index.column() == 2 else _summary(row)
        return None

    # -- paging ----------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._query(len(self._rows))
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def _query(self, offset: int) -> list[AuditRow]:
        f = self.filter
        return read(self.ctx, lambda s: list_audit(s, f, limit=PAGE, offset=offset))

    def set_filter(self, f: AuditFilter) -> None:
        self.filter = f
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        f = self.filter
        self._total = read(self.ctx, lambda s: count_audit(s, f))
        self._rows = self._query(0) if self._total else []
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._total

    def row(self, number: int) -> AuditRow | None:
        return self._rows[number] if 0 <= number < len(self._rows) else None


class AuditView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = AuditModel(ctx, self)
        self._loading = False
        self._ranged = False  # the treasurer chose the dates: keep them on refresh
        self._build()
        self.refresh()

    def _build(self) -> None:
        tr = self.tr
        title = QLabel(tr("Jejak audit"))
        title.setObjectName("screenTitle")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.start_edit = DateEdit(self)
        self.end_edit = DateEdit(self)
        self.user_combo = QComboBox()
        self.action_combo = QComboBox()
        self.entity_combo = QComboBox()
        self.reset_button = QPushButton(tr("&Semua"))
        self.reset_button.setAutoDefault(False)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for text, widget in (
            (tr("&Dari"), self.start_edit),
            (tr("s.&d."), self.end_edit),
            (tr("&Pengguna"), self.user_combo),
            (tr("&Tindakan"), self.action_combo),
            (tr("&Objek"), self.entity_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.reset_button)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setObjectName("audit")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        for column, width in enumerate((140, 100, 190, 110, 380, 200)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.detail = QTableWidget(0, 3)
        self.detail.setObjectName("auditDetail")
        self.detail.setHorizontalHeaderLabels([tr("Kolom"), tr("Sebelum"), tr("Sesudah")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.verticalHeader().hide()
        self.detail.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.detail.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.detail_title = QLabel(tr("Pilih baris untuk melihat nilai sebelum dan sesudahnya."))
        detail_panel = QWidget()
        detail_layout = QVBoxLayout(detail_panel)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        for edit in (self.start_edit, self.end_edit):
            edit.dateChanged.connect(self._apply)
        for combo in (self.user_combo, self.action_combo, self.entity_combo):
            combo.currentIndexChanged.connect(self._apply)
        self.reset_button.clicked.connect(self.reset_filters)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._count)
        self.setFocusProxy(self.table)

    # -- filters ---------------------------------------------------------------------

    def _fill(self, combo: QComboBox, values: list[str], label: Callable[[str], str] = str) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(self.tr("Semua"), None)
        for value in values:
            combo.addItem(label(value), value)
        found = combo.findData(current)
        combo.setCurrentIndex(found if found >= 0 else 0)

    def refresh(self) -> None:
        """Reload the lists of users, actions and objects, then the rows (after any change)."""
        choices: AuditChoices = read(self.ctx, audit_choices)
        self._loading = True
        try:
            self._fill(self.user_combo, choices.users)
            self._fill(self.action_combo, choices.actions, lambda a: self.tr(action_text(a)))
            self._fill(self.entity_combo, choices.entities)
            if not self._ranged:
                self._set_range(choices)
        finally:
            self._loading = False
        self._apply()

    def _set_range(self, choices: AuditChoices) -> None:
        today = dates.today()
        first = choices.first or today
        last = max(choices.last or today, today)
        self.start_edit.set_value(first)
        self.end_edit.set_value(last)

    def reset_filters(self) -> None:
        choices: AuditChoices = read(self.ctx, audit_choices)
        self._loading = True
        try:
            for combo in (self.user_combo, self.action_combo, self.entity_combo):
                combo.setCurrentIndex(0)
            self._set_range(choices)
            self._ranged = False
        finally:
            self._loading = False
        self._apply()

    def current_filter(self) -> AuditFilter:
        start: date = self.start_edit.value()
        end: date = self.end_edit.value()
        return AuditFilter(
            start=start,
            end=end,
            user=self.user_combo.currentData(),
            action=self.action_combo.currentData(),
            entity=self.entity_combo.currentData(),
        )

    def set_filter(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        user: str | None = None,
        action: str | None = None,
        entity: str | None = None,
    ) -> None:
        """Choose filters as the treasurer would (used by tests and other screens)."""
        self._loading = True
        try:
            if start is not None:
                self.start_edit.set_value(start)
                self._ranged = True
            if end is not None:
                self.end_edit.set_value(end)
                self._ranged = True
            for combo, value in (
                (self.user_combo, user),
                (self.action_combo, action),
                (self.entity_combo, entity),
            ):
                if value is not None:
                    found = combo.findData(value)
                    combo.setCurrentIndex(found if found >= 0 else 0)
        finally:
            self._loading = False
        self._apply()

    def _apply(self) -> None:
        if self._loading:
            return
        if self.sender() in (self.start_edit, self.end_edit):
            self._ranged = True
        self.model.set_filter(self.current_filter())
        self._show_detail(None)

    def _count(self) -> None:
        total = format_number(self.model.total)
        self.count_label.setText(self.tr("%1 catatan").replace("%1", total))

    # -- detail ----------------------------------------------------------------------

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.row(current.row()) if current.isValid() else None)

    def _show_detail(self, row: AuditRow | None) -> None:
        self.detail.setRowCount(0)
        if row is None:
            self.detail_title.setText(
                self.tr("Pilih baris untuk melihat nilai sebelum dan sesudahnya.")
            )
            return
        self.detail_title.setText(
            f"{row.at.strftime('%d/%m/%Y %H:%M:%S')} · {row.user} · "
            f"{self.tr(action_text(row.action))}" + (f" · {row.note}" if row.note else "")
        )
        changes = row.changes
        self.detail.setRowCount(len(changes))
        for number, change in enumerate(changes):
            for column, value in enumerate(
                (change.field or self.tr("nilai"), change.before, change.after)
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.detail.setItem(number, column, item)
