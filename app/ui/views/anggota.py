"""Anggota: find a member as you type, see the profile, balances, arrears and history."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.ledger.posting import KINDS
from app.money import format_number, format_rupiah
from app.queries.members import HistoryRow, MemberDetail, member_detail, member_history
from app.ui import prompts
from app.ui.actions import read
from app.ui.context import AppContext
from app.ui.qtmodels.members_model import COLUMNS, STATUS_TEXT, MembersModel

STATUS_FILTERS = (
    ("Aktif", "aktif"),
    ("Semua", None),
    ("Keluar", "keluar"),
    ("Meninggal", "meninggal"),
    ("Diberhentikan", "diberhentikan"),
)
ROLE_TEXT = {
    "anggota": "Anggota",
    "pengurus": "Pengurus",
    "pengawas": "Pengawas",
    "karyawan": "Karyawan",
}
_Index = QModelIndex | QPersistentModelIndex
SHORT_KINDS = {"ST": "Setoran", "TR": "Penarikan", "KL": "Keluar", "RV": "Koreksi"}


def _amount(value: int) -> str:
    return format_rupiah(value) if value else ""


class HistoryModel(QAbstractTableModel):
    """One member's savings movements: small enough to hold whole."""

    HEADERS = ("Tanggal", "No. Bukti", "Jenis", "Pokok", "Wajib", "Sukarela", "Saldo sukarela")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[HistoryRow] = []

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()
        self.rows = list(reversed(rows))  # newest first: what the treasurer asks about
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                dates.format_date(row.date),
                row.number,
                self.tr(SHORT_KINDS.get(row.kind) or KINDS.get(row.kind, row.kind)),
                _amount(row.pokok),
                _amount(row.wajib),
                _amount(row.sukarela),
                format_rupiah(row.sukarela_balance),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.memo
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def entry_id(self, row: int) -> int:
        return self.rows[row].entry_id if 0 <= row < len(self.rows) else 0


class AnggotaView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MemberDetail | None = None
        self.model = MembersModel(ctx, self)
        self.history_model = HistoryModel(self)
        self._build()
        self.model.reload()
        self._after_reload()

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        title = QLabel(tr("Anggota"))
        title.setObjectName("screenTitle")
        title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.new_button = QPushButton(tr("Anggota &baru (F4)"))
        self.edit_button = QPushButton(tr("&Ubah data"))
        self.exit_button = QPushButton(tr("&Keluar dari keanggotaan..."))
        self.deposit_button = QPushButton(tr("&Setoran"))
        self.withdraw_button = QPushButton(tr("&Penarikan"))
        for button in (
            self.new_button,
            self.edit_button,
            self.exit_button,
            self.deposit_button,
            self.withdraw_button,
        ):
            button.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.deposit_button)
        top.addWidget(self.withdraw_button)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.exit_button)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            tr("Ketik nomor, nama, NIK, No. HP atau dusun (Ctrl+F)")
        )
        search_label = QLabel(tr("&Cari"))
        search_label.setBuddy(self.search_edit)
        self.status_combo = QComboBox()
        for text, value in STATUS_FILTERS:
            self.status_combo.addItem(tr(text), value)
        status_label = QLabel(tr("St&atus"))
        status_label.setBuddy(self.status_combo)
        self.count_label = QLabel()
        self.count_label.setMinimumWidth(120)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search_edit, 1)
        filters.addSpacing(12)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setObjectName("members")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        widths = (60, 220, 150, 40, 130, 120, 90, 95)
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)

        list_panel = QWidget()
        list_layout = QVBoxLayout(list_panel)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table)

        self.detail_stack = QStackedWidget()
        empty = QLabel(tr("Pilih anggota di daftar untuk melihat data, saldo dan riwayatnya."))
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setStyleSheet("color: #666666;")
        self.detail_stack.addWidget(empty)
        self.detail_stack.addWidget(self._detail_panel())

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_panel)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.search_edit.textChanged.connect(self._filter)
        self.search_edit.returnPressed.connect(self._to_table)
        self.status_combo.currentIndexChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(lambda _index: self.edit_member())
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        self.model.modelReset.connect(self._count)
        self.model.rowsInserted.connect(self._count)
        self.new_button.clicked.connect(self.register_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.exit_button.clicked.connect(self.exit_member)
        self.deposit_button.clicked.connect(self.deposit)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.history.activated.connect(lambda _index: self.print_receipt())
        self.history.selectionModel().currentRowChanged.connect(self._history_row_changed)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        self.setFocusProxy(self.search_edit)

    def _detail_panel(self) -> QWidget:
        tr = self.tr
        panel = QFrame()
        panel.setObjectName("detail")
        self.header_label = QLabel()
        self.header_label.setObjectName("detailHeader")
        self.header_label.setTextFormat(Qt.TextFormat.RichText)

        # Balances and arrears as one strip under the name: the first thing asked at the counter.
        strip = QHBoxLayout()
        strip.setSpacing(8)
        self.balance_values: dict[str, QLabel] = {}
        for key, caption in (
            ("pokok", "Pokok"),
            ("wajib", "Wajib"),
            ("sukarela", "Sukarela"),
            ("total", "Jumlah simpanan"),
            ("arrears", "Tunggakan wajib"),
        ):
            box = QFrame()
            box.setObjectName("figure")
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(10, 4, 10, 4)
            box_layout.setSpacing(0)
            caption_label = QLabel(tr(caption))
            caption_label.setObjectName("figureCaption")
            value = QLabel()
            value.setObjectName("figureValue")
            box_layout.addWidget(caption_label)
            box_layout.addWidget(value)
            self.balance_values[key] = value
            strip.addWidget(box, 1)
        self.arrears_label = self.balance_values["arrears"]

        profile = QGroupBox(tr("Data anggota"))
        profile.setFixedWidth(320)
        form = QFormLayout(profile)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setVerticalSpacing(2)
        self.profile_values: dict[str, QLabel] = {}
        for key, caption in (
            ("nik", "NIK (KTP)"),
            ("born", "Lahir"),
            ("address", "Alamat"),
            ("occupation", "Pekerjaan"),
            ("phone", "No. HP"),
            ("heir", "Ahli waris"),
            ("role", "Peran"),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.profile_values[key] = value
            form.addRow(tr(caption), value)

        self.history = QTableView()
        self.history.setObjectName("history")
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setAlternatingRowColors(True)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(24)
        for column, width in enumerate((90, 116, 76, 78, 78, 84, 110)):
            self.history.setColumnWidth(column, width)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.receipt_button = QPushButton(tr("Cetak k&witansi"))
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.setToolTip(tr("Kwitansi transaksi yang dipilih di riwayat"))
        history_title = QLabel(tr("Riwayat simpanan (terbaru di atas)"))
        history_title.setStyleSheet("font-weight: 600;")
        history_head = QHBoxLayout()
        history_head.addWidget(history_title)
        history_head.addStretch(1)
        history_head.addWidget(self.receipt_button)
        right = QVBoxLayout()
        right.addLayout(history_head)
        right.addWidget(self.history, 1)

        body = QHBoxLayout()
        body.addWidget(profile, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(right, 1)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.header_label)
        layout.addLayout(strip)
        layout.addLayout(body, 1)
        panel.setStyleSheet(
            "QFrame#figure { background: #ffffff; border: 1px solid #d9dde3; border-radius: 6px; }"
            "QLabel#figureCaption { color: #5f6b7a; }"
            "QLabel#figureValue { font-size: 12pt; font-weight: 600; }"
        )
        return panel

    # -- list ------------------------------------------------------------------------

    def _status(self) -> str | None:
        value = self.status_combo.currentData()
        return str(value) if value else None

    def _filter(self) -> None:
        keep = self.current_member_id()
        self.model.set_filter(self.search_edit.text(), self._status())
        self._after_reload(keep)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.sortable(column):
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
            header.blockSignals(False)
        else:
            self._after_reload(self.detail.id if self.detail else 0)

    def _count(self) -> None:
        total = self.model.total
        self.count_label.setText(self.tr("%1 anggota").replace("%1", format_number(total)))

    def _after_reload(self, keep: int = 0) -> None:
        """Select ``keep`` again if it is still listed, else the first row."""
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self._select_row(row)
        else:
            self.show_member(0)
        self._count()

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        member_id = self.model.member_id(row)
        if self.current_member_id() != member_id:
            self.show_member(member_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        member_id = self.model.member_id(current.row()) if current.isValid() else 0
        if member_id != (self.detail.id if self.detail else 0):
            self.show_member(member_id)

    def _to_table(self) -> None:
        self.table.setFocus()

    def current_member_id(self) -> int:
        return self.detail.id if self.detail else 0

    # -- detail ----------------------------------------------------------------------

    def show_member(self, member_id: int) -> None:
        if not member_id:
            self.detail = None
            self.history_model.set_rows([])
            self.detail_stack.setCurrentIndex(0)
            self._enable()
            return
        detail, history = read(
            self.ctx, lambda s: (member_detail(s, member_id), member_history(s, member_id))
        )
        self.detail = detail
        self.history_model.set_rows(history)
        if history:  # the newest movement, ready for "Cetak kwitansi"
            self.history.selectRow(0)
        self._fill(detail)
        self.detail_stack.setCurrentIndex(1)
        self._enable()

    def _fill(self, d: MemberDetail) -> None:
        tr = self.tr
        status = tr(STATUS_TEXT.get(d.status, d.status))
        if d.status == "aktif":
            since = tr("anggota sejak %1").replace("%1", dates.format_date(d.joined_on))
            color = "#2e7d32"
        else:
            since = tr("sejak %1").replace(
                "%1", dates.format_date(d.status_date) if d.status_date else "?"
            )
            if d.status_reason:
                since += f" — {d.status_reason}"
            color = "#8a8a8a"
        self.header_label.setText(
            f"<span style='font-size:14pt; font-weight:600'>{d.number} · {_html(d.name)}</span>"
            f"&nbsp;&nbsp;<span style='color:{color}; font-weight:600'>{status}</span>"
            f"&nbsp;<span style='color:#666666'>{_html(since)}</span>"
        )
        sex = tr("laki-laki") if d.sex == "L" else tr("perempuan")
        born = ", ".join(
            part
            for part in (
                sex,
                d.birth_place,
                dates.format_date(d.birth_date) if d.birth_date else "",
            )
            if part
        )
        address = d.address
        if d.rt or d.rw:
            address += f" RT {d.rt or '-'}/RW {d.rw or '-'}"
        if d.dusun:
            address += tr(", Dusun %1").replace("%1", d.dusun)
        heir = d.heir_name
        if heir and d.heir_relation:
            heir += f" ({d.heir_relation})"
        if heir and d.heir_phone:
            heir += f", {d.heir_phone}"
        role = tr(ROLE_TEXT.get(d.role, d.role))
        if d.position:
            role += f" — {d.position}"
        values = {
            "nik": d.nik,
            "born": born,
            "address": address.strip(" ,"),
            "occupation": d.occupation,
            "phone": d.phone,
            "heir": heir,
            "role": role,
        }
        for key, value in values.items():
            self.profile_values[key].setText(value or "—")
        self.balance_values["pokok"].setText(format_rupiah(d.pokok))
        self.balance_values["wajib"].setText(format_rupiah(d.wajib))
        self.balance_values["sukarela"].setText(format_rupiah(d.sukarela))
        self.balance_values["total"].setText(format_rupiah(d.total_savings))
        if d.status != "aktif":
            self.arrears_label.setText("—")
            self.arrears_label.setStyleSheet("")
        elif d.wajib_arrears:
            self.arrears_label.setText(
                tr("%1 bln · %2")
                .replace("%1", str(d.wajib_unpaid_months))
                .replace("%2", format_rupiah(d.wajib_arrears))
            )
            self.arrears_label.setStyleSheet("color: #b3261e;")
        elif d.wajib_advance:
            self.arrears_label.setText(
                tr("lunas, lebih %1").replace("%1", format_rupiah(d.wajib_advance))
            )
            self.arrears_label.setStyleSheet("color: #2e7d32;")
        else:
            self.arrears_label.setText(tr("lunas"))
            self.arrears_label.setStyleSheet("color: #2e7d32;")

    def _enable(self) -> None:
        has = self.detail is not None
        active = has and self.detail is not None and self.detail.status == "aktif"
        self.edit_button.setEnabled(has)
        self.exit_button.setEnabled(active)
        self.deposit_button.setEnabled(active)
        self.withdraw_button.setEnabled(active)
        self._history_row_changed(self.history.currentIndex(), QModelIndex())

    def _history_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.receipt_button.setEnabled(current.isValid())

    # -- actions ---------------------------------------------------------------------

    def register_member(self) -> None:
        from app.ui.dialogs.member_form import open_register

        member_id = open_register(self.ctx, self)
        if member_id:
            self.focus_item(member_id)

    def edit_member(self) -> None:
        from app.ui.dialogs.member_form import open_edit

        if self.detail is not None:
            open_edit(self.ctx, self, self.detail.id)

    def exit_member(self) -> None:
        from app.ui.dialogs.member_exit import open_exit

        if self.detail is not None and self.detail.status == "aktif":
            open_exit(self.ctx, self, self.detail.id)

    def deposit(self) -> None:
        from app.ui.dialogs.deposit import open_deposit

        if self.detail is not None:
            open_deposit(self.ctx, self, self.detail.id)

    def withdraw(self) -> None:
        from app.ui.dialogs.withdraw import open_withdraw

        if self.detail is not None:
            open_withdraw(self.ctx, self, self.detail.id)

    def print_receipt(self) -> None:
        entry_id = self.history_model.entry_id(self.history.currentIndex().row())
        if entry_id:
            prompts.show_receipt(self.ctx, self, entry_id)

    # -- what the shell calls ---------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the list (same filter, order and selection) and the selected member."""
        keep = self.current_member_id()
        self.model.reload()
        self._after_reload(keep)
        if keep and self.current_member_id() == keep:
            self.show_member(keep)

    def focus_item(self, member_id: int) -> None:
        """Select a member, widening the filter when the current one hides them."""
        row = self.model.row_of(member_id, fetch=True)
        if row < 0:
            for widget in (self.search_edit, self.status_combo):
                widget.blockSignals(True)
            self.search_edit.clear()
            self.status_combo.setCurrentIndex(self.status_combo.findText(self.tr("Semua")))
            for widget in (self.search_edit, self.status_combo):
                widget.blockSignals(False)
            self.model.set_filter("", None)
            row = self.model.row_of(member_id, fetch=True)
        if row >= 0:
            self._select_row(row)
            self.table.setFocus()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["COLUMNS", "AnggotaView", "HistoryModel"]
