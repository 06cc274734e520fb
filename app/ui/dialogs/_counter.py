"""Pieces shared by the counter dialogs (setoran, penarikan): member panel, Enter in the picker."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from app import dates
from app.money import format_rupiah
from app.queries.savings import CounterInfo, WajibMonth
from app.ui.widgets.member_picker import MemberPicker

WARN = "#b3261e"
OK = "#1b6e20"


def month_text(month: WajibMonth | tuple[int, int]) -> str:
    if isinstance(month, WajibMonth):
        return dates.format_month(month.year, month.month)
    return dates.format_month(*month)


def span_text(first: WajibMonth, last: WajibMonth) -> str:
    if (first.year, first.month) == (last.year, last.month):
        return month_text(first)
    return f"{month_text(first)} – {month_text(last)}"


class PickerEnter(QObject):
    """Enter in the member picker picks the highlighted suggestion and moves on, never saves.

    (With the suggestion list open, QCompleter handles Enter itself and emits
    ``activated``; this filter covers Enter when the list is closed.)
    """

    def __init__(self, picker: MemberPicker, after: QWidget) -> None:
        super().__init__(picker)
        self.picker = picker
        self.after = after
        picker.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if (
            watched is self.picker
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if not self.picker.member_id():
                self.picker.choose_first()
            if self.picker.member_id():
                self.after.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False


class BalancePanel(QFrame):
    """The chosen member's savings and wajib position, in plain words."""

    def __init__(self, parent: QWidget | None = None, *, show_wajib: bool = True) -> None:
        super().__init__(parent)
        self.show_wajib = show_wajib
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("balancePanel")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(3)
        self.member = QLabel()
        self.member.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.member, 0, 0, 1, 4)
        self.amounts: dict[str, QLabel] = {}
        captions = (
            ("pokok", self.tr("Pokok")),
            ("wajib", self.tr("Wajib")),
            ("sukarela", self.tr("Sukarela")),
            ("total", self.tr("Jumlah")),
        )
        for column, (key, caption) in enumerate(captions):
            head = QLabel(caption)
            head.setStyleSheet("color: #555;")
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(head, 1, column)
            grid.addWidget(value, 2, column)
            self.amounts[key] = value
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        # Two lines are always reserved, so the dialog does not jump when a member is picked.
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 2)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.status, 3, 0, 1, 4)
        self.clear()

    def clear(self) -> None:
        self.member.setText(
            "<i>" + self.tr("Pilih anggota dulu: ketik nomor, nama, NIK atau No. HP.") + "</i>"
        )
        for label in self.amounts.values():
            label.setText("–")
        self.status.setText("")

    def show_info(self, info: CounterInfo) -> None:
        dusun = f" — {self.tr('Dusun')} {info.dusun}" if info.dusun else ""
        self.member.setText(f"<b>{info.number} · {info.name}</b>{dusun}")
        for key, amount in (
            ("pokok", info.pokok),
            ("wajib", info.wajib),
            ("sukarela", info.sukarela),
            ("total", info.total),
        ):
            self.amounts[key].setText(f"<b>{format_rupiah(amount)}</b>")
        self.status.setText(self.status_text(info))

    def status_text(self, info: CounterInfo) -> str:
        """Two lines: the monthly wajib (and unpaid pokok); then arrears or paid-up."""
        if not self.show_wajib:
            return self.tr("Sukarela yang dapat ditarik: %1").replace(
                "%1", f"<b>{format_rupiah(info.sukarela_available)}</b>"
            )
        first = self.tr("Wajib per bulan %1").replace("%1", format_rupiah(info.monthly_wajib))
        if info.pokok_due:
            due = self.tr("Simpanan pokok belum dibayar (%1)").replace(
                "%1", format_rupiah(info.pokok_due)
            )
            first += f" · <span style='color:{WARN}'><b>{due}</b></span>"
        second = ""
        if info.owed:
            owed = (
                self.tr("Tunggakan wajib %1 bulan (%2): %3")
                .replace("%1", str(info.months_owed))
                .replace("%2", span_text(info.owed[0], info.owed[-1]))
                .replace("%3", format_rupiah(info.arrears))
            )
            second = f"<span style='color:{WARN}'><b>{owed}</b></span>"
        elif info.paid_through is not None:
            text = self.tr("Wajib lunas s.d. %1").replace("%1", month_text(info.paid_through))
            second = f"<span style='color:{OK}'>{text}</span>"
        return f"{first}<br>{second}" if second else first
