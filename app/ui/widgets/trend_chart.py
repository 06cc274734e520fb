"""Four small line charts of the last 24 months for Beranda, drawn with QPainter.

Members, savings (pokok, wajib, sukarela), loans outstanding and NPL, each in
its own panel with its latest value written large above it. Lines differ in
dash pattern and marker as well as colour, so a greyscale print still tells
them apart. Hovering a month shows its figures in a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app import dates
from app.money import format_number, format_rupiah
from app.queries.trends import MonthFigures

NPL_LIMIT = Decimal(5)  # percent: up to 5% the loan book is "Sehat" (DOMAIN.md 3.3)

INK = QColor("#1f2933")
MUTED = QColor("#5f6b7a")
GRID = QColor("#e6e9ee")
BORDER = QColor("#d9dde3")
GOOD = QColor("#2e7d32")
BAD = QColor("#b3261e")

_UNITS = ((10**12, "T"), (10**9, "M"), (10**6, "jt"), (10**3, "rb"))


def compact_rupiah(amount: int, decimals: int = 1) -> str:
    """``1,2 M``, ``350 jt``, ``75 rb``: short amounts for axes (rounded half up)."""
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    for index, (scale, unit) in enumerate(_UNITS):
        if value < scale:
            continue
        shown = (Decimal(value) / scale).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        if shown >= 1000 and index > 0:  # 999.960.000 is "1 M", not "1.000 jt"
            scale, unit = _UNITS[index - 1]
            shown = (Decimal(value) / scale).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        return f"{sign}{_decimal_text(shown)} {unit}"
    return f"{sign}{format_number(value)}"


def _decimal_text(value: Decimal) -> str:
    """``1.234,5`` with trailing zeros dropped (``12,0`` -> ``12``)."""
    whole = int(value)
    fraction = str(value - whole)[2:].rstrip("0") if value != whole else ""
    return format_number(whole) + (f",{fraction}" if fraction else "")


def percent_text(value: Decimal, decimals: int = 1) -> str:
    shown = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{shown}".replace(".", ",") + "%"


def nice_ticks(low: float, high: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round tick values that cover [low, high] with about ``count`` ticks."""
    if high <= low:
        pad = max(abs(high) * 0.1, 1.0)
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    if whole:
        step = max(1.0, round(step))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    steps = max(1, round((last - first) / step))
    return [first + k * step for k in range(steps + 1)]


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    color: QColor
    style: Qt.PenStyle
    marker: str  # "circle", "square", "triangle"


@dataclass(frozen=True)
class Panel:
    """One small chart: what it shows and how its numbers are written."""

    key: str
    title: str
    latest: str  # the latest value, written large
    latest_color: QColor
    note: str  # under the value: the change since the first month (else a legend or key)
    series: tuple[Series, ...]
    axis_text: Callable[[float, float], str]  # (tick, step) -> label
    tip: Callable[[int], str]  # index -> tooltip lines
    zero_based: bool
    whole: bool = False  # ticks are whole numbers (people)
    reference: float | None = None  # a faint horizontal line (NPL 5%)
    reference_label: str = ""
    latest_short: str = ""  # when ``latest`` does not fit the panel


class TrendChart(QWidget):
    """The Beranda charts. ``set_figures`` draws them; before that a placeholder text."""

    MIN_PANEL_WIDTH = 220
    ROW_HEIGHT = 232  # one row of panels; a narrow chart stacks them 2 x 2, twice as tall
    GAP = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: tuple[MonthFigures, ...] = ()
        self.panels: list[Panel] = []
        self.message = self.tr("Memuat grafik...")
        self._hover: tuple[int, int] | None = None  # (panel, month index)
        self.setMouseTracking(True)
        self.setFixedHeight(self.ROW_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Grafik perkembangan 24 bulan"))
        self.setAccessibleDescription(self.message)

    def sizeHint(self) -> QSize:
        return QSize(4 * 250, self.ROW_HEIGHT)

    def columns(self, width: int | None = None) -> int:
        count = len(self.panels) or 4
        width = self.width() if width is None else width
        return count if width >= count * self.MIN_PANEL_WIDTH + (count - 1) * self.GAP else 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rows = math.ceil((len(self.panels) or 4) / self.columns(event.size().width()))
        height = rows * self.ROW_HEIGHT + (rows - 1) * self.GAP
        if self.height() != height:
            self.setFixedHeight(height)

    # -- data ------------------------------------------------------------------------

    def set_loading(self, text: str | None = None) -> None:
        """Show the placeholder (the figures are being read)."""
        self.set_message(text or self.tr("Memuat grafik..."))

    def set_message(self, text: str) -> None:
        self.figures = ()
        self.panels = []
        self.message = text
        self._hover = None
        self.setAccessibleDescription(text)
        self.update()

    def set_figures(self, figures: Sequence[MonthFigures]) -> None:
        self.figures = tuple(figures)
        self._hover = None
        if not self.figures:
            self.set_message(self.tr("Belum ada transaksi: grafik muncul setelah ada pembukuan."))
            return
        self.panels = self._panels(self.figures)
        self.message = ""
        self.setAccessibleDescription(self._description())
        self.update()

    def month_label(self, on: date, *, with_year: bool = False) -> str:
        names = (
            self.tr("Jan"),
            self.tr("Feb"),
            self.tr("Mar"),
            self.tr("Apr"),
            self.tr("Mei"),
            self.tr("Jun"),
            self.tr("Jul"),
            self.tr("Agu"),
            self.tr("Sep"),
            self.tr("Okt"),
            self.tr("Nov"),
            self.tr("Des"),
        )
        name = names[on.month - 1]
        return f"{name} {on.year}" if with_year else name

    def _point_title(self, index: int) -> str:
        on = self.figures[index].on
        if index == len(self.figures) - 1 and on != dates.month_end(on):
            return (
                self.tr("%1 (sampai %2)")
                .replace("%1", self.month_label(on, with_year=True))
                .replace("%2", dates.format_date(on))
            )
        return self.month_label(on, with_year=True)

    def _panels(self, figures: tuple[MonthFigures, ...]) -> list[Panel]:
        tr = self.tr
        first, last = figures[0], figures[-1]
        since = self.month_label(first.on, with_year=True)

        def change(amount: int, text: Callable[[int], str]) -> str:
            if len(figures) < 2:
                return ""
            if not amount:
                return tr("tetap sejak %1").replace("%1", since)
            sign = "+" if amount > 0 else "-"
            return (
                tr("%1 sejak %2").replace("%1", f"{sign}{text(abs(amount))}").replace("%2", since)
            )

        def money_axis(tick: float, step: float) -> str:
            return _money_tick(round(tick), round(step))

        def tip_members(i: int) -> str:
            return (
                tr("%1\n%2 anggota aktif")
                .replace("%1", self._point_title(i))
                .replace("%2", format_number(figures[i].members))
            )

        def tip_savings(i: int) -> str:
            f = figures[i]
            return "\n".join(
                (
                    self._point_title(i),
                    tr("Pokok: %1").replace("%1", format_rupiah(f.pokok)),
                    tr("Wajib: %1").replace("%1", format_rupiah(f.wajib)),
                    tr("Sukarela: %1").replace("%1", format_rupiah(f.sukarela)),
                    tr("Jumlah: %1").replace("%1", format_rupiah(f.savings)),
                )
            )

        def tip_loans(i: int) -> str:
            return (
                tr("%1\nPinjaman beredar: %2")
                .replace("%1", self._point_title(i))
                .replace("%2", format_rupiah(figures[i].loans_outstanding))
            )

        def tip_npl(i: int) -> str:
            return (
                tr("%1\nNPL: %2")
                .replace("%1", self._point_title(i))
                .replace("%2", percent_text(figures[i].npl_percent, 2))
            )

        npl_now = last.npl_percent
        return [
            Panel(
                key="members",
                title=tr("Anggota aktif"),
                latest=format_number(last.members),
                latest_color=INK,
                note=change(last.members - first.members, format_number),
                series=(
                    Series(
                        tr("Anggota aktif"),
                        tuple(float(f.members) for f in figures),
                        QColor("#285f48"),
                        Qt.PenStyle.SolidLine,
                        "circle",
                    ),
                ),
                axis_text=lambda tick, _step: format_number(round(tick)),
                tip=tip_members,
                zero_based=False,
                whole=True,
            ),
            Panel(
                key="savings",
                title=tr("Simpanan"),
                latest=format_rupiah(last.savings),
                latest_short="Rp" + compact_rupiah(last.savings, 2),
                latest_color=INK,
                note="",  # the legend goes here
                series=(
                    Series(
                        tr("Sukarela"),
                        tuple(float(f.sukarela) for f in figures),
                        QColor("#1f5fa8"),
                        Qt.PenStyle.SolidLine,
                        "circle",
                    ),
                    Series(
                        tr("Wajib"),
                        tuple(float(f.wajib) for f in figures),
                        QColor("#2e8b57"),
                        Qt.PenStyle.DashLine,
                        "square",
                    ),
                    Series(
                        tr("Pokok"),
                        tuple(float(f.pokok) for f in figures),
                        QColor("#b7791f"),
                        Qt.PenStyle.DotLine,
                        "triangle",
                    ),
                ),
                axis_text=money_axis,
                tip=tip_savings,
                zero_based=True,
            ),
            Panel(
                key="loans",
                title=tr("Pinjaman beredar"),
                latest=format_rupiah(last.loans_outstanding),
                latest_short="Rp" + compact_rupiah(last.loans_outstanding, 2),
                latest_color=INK,
                note=change(
                    last.loans_outstanding - first.loans_outstanding,
                    lambda amount: compact_rupiah(amount),
                ),
                series=(
                    Series(
                        tr("Pinjaman beredar"),
                        tuple(float(f.loans_outstanding) for f in figures),
                        QColor("#1f5fa8"),
                        Qt.PenStyle.SolidLine,
                        "square",
                    ),
                ),
                axis_text=money_axis,
                tip=tip_loans,
                zero_based=False,
            ),
            Panel(
                key="npl",
                title=tr("NPL"),
                latest=percent_text(npl_now),
                latest_color=GOOD if npl_now <= NPL_LIMIT else BAD,
                note="",  # the key of the 5% line goes here
                series=(
                    Series(
                        tr("NPL"),
                        tuple(float(f.npl_percent) for f in figures),
                        QColor("#b3261e"),
                        Qt.PenStyle.SolidLine,
                        "circle",
                    ),
                ),
                axis_text=lambda tick, step: _percent_tick(tick, step),
                tip=tip_npl,
                zero_based=True,
                reference=float(NPL_LIMIT),
                reference_label=percent_text(NPL_LIMIT, 0),
            ),
        ]

    def _description(self) -> str:
        """What a screen reader says: the period and every panel's latest value."""
        first, last = self.figures[0].on, self.figures[-1].on
        head = (
            self.tr("Perkembangan %1 sampai %2.")
            .replace("%1", self.month_label(first, with_year=True))
            .replace("%2", dates.format_date(last))
        )
        parts = [f"{panel.title}: {panel.latest}" for panel in self.panels]
        savings = self.figures[-1]
        parts.insert(
            2,
            self.tr("pokok %1, wajib %2, sukarela %3")
            .replace("%1", format_rupiah(savings.pokok))
            .replace("%2", format_rupiah(savings.wajib))
            .replace("%3", format_rupiah(savings.sukarela)),
        )
        return head + " " + "; ".join(parts) + "."

    # -- geometry --------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.82, 7.5))
        big = QFont(base)
        big.setPointSizeF(base.pointSizeF() * 1.45)
        big.setWeight(QFont.Weight.DemiBold)
        return base, small, big

    def panel_rects(self) -> list[QRect]:
        count = len(self.panels) or 4
        gap = self.GAP
        area = self.rect()
        columns = self.columns(area.width())
        rows = math.ceil(count / columns)
        width = (area.width() - (columns - 1) * gap) / columns
        height = (area.height() - (rows - 1) * gap) / rows
        rects = []
        for index in range(count):
            row, column = divmod(index, columns)
            x = area.left() + column * (width + gap)
            y = area.top() + row * (height + gap)
            rects.append(QRectF(x, y, width, height).toAlignedRect().adjusted(0, 0, -1, -1))
        return rects

    def _layout(self, rect: QRect) -> tuple[QRectF, float, float]:
        """The plot area of a panel, and where its head's lines begin (value, note)."""
        base, small, big = self._fonts()
        fm, fs, fb = QFontMetrics(base), QFontMetrics(small), QFontMetrics(big)
        top = rect.top() + 10
        value_top = top + fm.height() + 1
        note_top = value_top + fb.height()
        plot_top = note_top + fs.height() + 10
        bottom = rect.bottom() - 8 - 2 * fs.height()
        return (
            QRectF(rect.left() + 14, plot_top, rect.width() - 28, max(bottom - plot_top, 20)),
            value_top,
            note_top,
        )

    def _plot(self, panel: Panel, rect: QRect) -> tuple[QRectF, list[float], list[str]]:
        """The plot area of a panel right of its y labels; the ticks and their labels."""
        area = self._layout(rect)[0]
        ticks = self._scale(panel)
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        if not any(v for s in panel.series for v in s.values) and panel.reference is None:
            labels = [panel.axis_text(0.0, step)] + [""] * (len(ticks) - 1)  # nothing yet
        else:
            labels = [panel.axis_text(t, step) for t in ticks]
        fs = QFontMetrics(self._fonts()[1])
        axis = max(fs.horizontalAdvance(text) for text in labels) + 6
        return (
            QRectF(area.left() + axis, area.top(), area.width() - axis, area.height()),
            ticks,
            labels,
        )

    def _scale(self, panel: Panel) -> list[float]:
        values = [v for s in panel.series for v in s.values]
        low, high = min(values), max(values)
        if high == low == 0 and panel.reference is None:
            return [0.0, 1.0]  # nothing lent (yet): a flat line at the bottom
        if panel.reference is not None:
            high = max(high, panel.reference * 1.2)
        if panel.zero_based:
            low = min(low, 0.0)
        else:
            span = high - low
            low = max(low - span * 0.1, 0.0) if low >= 0 else low - span * 0.1
            high += span * 0.1
        return nice_ticks(low, high, 4, whole=panel.whole)

    # -- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self._fonts()[0]
        if not self.panels:
            painter.setPen(QPen(BORDER, 1))
            painter.setBrush(QColor("#ffffff"))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
            painter.setFont(base)
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            painter.end()
            return
        for index, (panel, rect) in enumerate(zip(self.panels, self.panel_rects(), strict=True)):
            hover = self._hover[1] if self._hover and self._hover[0] == index else None
            self._paint_panel(painter, panel, rect, hover)
        painter.end()

    def _paint_panel(self, painter: QPainter, panel: Panel, rect: QRect, hover: int | None) -> None:
        base, small, big = self._fonts()
        fm, fs, fb = QFontMetrics(base), QFontMetrics(small), QFontMetrics(big)
        painter.setPen(QPen(BORDER, 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        _area, value_top, note_top = self._layout(rect)
        inner = QRectF(rect.left() + 14, rect.top() + 10, rect.width() - 28, fm.height())

        painter.setFont(base)
        painter.setPen(MUTED)
        painter.drawText(
            inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, panel.title
        )
        painter.setFont(big)
        painter.setPen(panel.latest_color)
        latest = panel.latest
        if fb.horizontalAdvance(latest) > inner.width() and panel.latest_short:
            latest = panel.latest_short
        painter.drawText(
            QRectF(inner.left(), value_top, inner.width(), fb.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            latest,
        )
        painter.setFont(small)
        note_rect = QRectF(inner.left(), note_top, inner.width(), fs.height())
        if len(panel.series) > 1:
            self._paint_legend(painter, panel, note_rect, fs)
        elif panel.reference is not None:
            self._paint_reference_key(painter, panel, note_rect, fs)
        elif panel.note:
            painter.setPen(MUTED)
            painter.drawText(
                note_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fs.elidedText(panel.note, Qt.TextElideMode.ElideRight, int(note_rect.width())),
            )

        plot, ticks, labels = self._plot(panel, rect)
        low, high = ticks[0], ticks[-1]

        def y_of(value: float) -> float:
            return plot.bottom() - (value - low) / (high - low) * plot.height()

        count = len(self.figures)

        def x_of(i: int) -> float:
            if count == 1:
                return plot.center().x()
            return plot.left() + i * plot.width() / (count - 1)

        # Grid and y labels.
        for tick, text in zip(ticks, labels, strict=True):
            y = y_of(tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(
                    rect.left() + 4, y - fs.height() / 2, plot.left() - rect.left() - 8, fs.height()
                ),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        if panel.reference is not None and low <= panel.reference <= high:
            pen = QPen(QColor("#8a96a3"), 1.2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = y_of(panel.reference)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))

        self._paint_months(painter, plot, rect, fs, x_of)

        # The lines, a marker on the latest point (and on the hovered month).
        for series in panel.series:
            path = QPainterPath()
            for i, value in enumerate(series.values):
                point = QPointF(x_of(i), y_of(value))
                if i == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            pen = QPen(series.color, 2.2 if series.style == Qt.PenStyle.SolidLine else 2.0)
            pen.setStyle(series.style)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            last = len(series.values) - 1
            _marker(painter, series, QPointF(x_of(last), y_of(series.values[last])), 3.6)
        if hover is not None:
            x = x_of(hover)
            painter.setPen(QPen(QColor("#9aa5b1"), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            for series in panel.series:
                _marker(painter, series, QPointF(x, y_of(series.values[hover])), 4.2)

    def _paint_months(
        self,
        painter: QPainter,
        plot: QRectF,
        rect: QRect,
        fs: QFontMetrics,
        x_of: Callable[[int], float],
    ) -> None:
        """Short month names under the plot, the year under January and the first month."""
        count = len(self.figures)
        width = fs.horizontalAdvance("Mei 0000") + 4
        spacing = plot.width() / max(count - 1, 1)
        step = next((s for s in (1, 2, 3, 4, 6, 12) if s * spacing >= width * 0.75), 12)
        shown: list[int] = [0]
        for i in range(1, count):
            on = self.figures[i].on
            if (on.month - 1) % step == 0 and (x_of(i) - x_of(shown[-1])) >= width * 0.8:
                shown.append(i)
        painter.setPen(MUTED)
        top = plot.bottom() + 4
        for i in shown:
            on = self.figures[i].on
            x = x_of(i)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            painter.setPen(MUTED)
            lines = [self.month_label(on)]
            if i == 0 or on.month == 1:
                lines.append(str(on.year))
            half = width / 2
            left = min(max(x - half, rect.left() + 2), rect.right() - 2 - width)
            for row, text in enumerate(lines):
                painter.drawText(
                    QRectF(left, top + row * fs.height(), width, fs.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    text,
                )

    def _paint_legend(
        self, painter: QPainter, panel: Panel, rect: QRectF, fs: QFontMetrics
    ) -> None:
        x = rect.left()
        y = rect.center().y()
        for series in panel.series:
            pen = QPen(series.color, 2.0)
            pen.setStyle(series.style)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + 18, y))
            _marker(painter, series, QPointF(x + 9, y), 3.0)
            x += 22
            painter.setPen(INK)
            text_width = fs.horizontalAdvance(series.label)
            painter.drawText(
                QRectF(x, rect.top(), text_width + 2, rect.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                series.label,
            )
            x += text_width + 12

    def _paint_reference_key(
        self, painter: QPainter, panel: Panel, rect: QRectF, fs: QFontMetrics
    ) -> None:
        y = rect.center().y()
        painter.setPen(QPen(QColor("#8a96a3"), 1.2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.left() + 18, y))
        painter.setPen(MUTED)
        text = self.tr("batas sehat %1").replace("%1", panel.reference_label)
        painter.drawText(
            QRectF(rect.left() + 22, rect.top(), rect.width() - 22, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )

    # -- hovering --------------------------------------------------------------------

    def _hit(self, pos: QPointF) -> tuple[int, int] | None:
        count = len(self.figures)
        if not count:
            return None
        for index, rect in enumerate(self.panel_rects()):
            if not rect.contains(pos.toPoint()):
                continue
            plot = self._plot(self.panels[index], rect)[0]
            left, width = plot.left(), plot.width()
            if count == 1:
                return index, 0
            spacing = width / (count - 1)
            i = round((pos.x() - left) / spacing)
            if -0.5 <= (pos.x() - left) / spacing <= count - 0.5:
                return index, min(max(i, 0), count - 1)
            return None
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position())
        if hit != self._hover:
            self._hover = hit
            self.update()
        if hit is None:
            QToolTip.hideText()
        else:
            panel = self.panels[hit[0]]
            QToolTip.showText(event.globalPosition().toPoint(), panel.tip(hit[1]), self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def tooltip_at(self, panel: int, index: int) -> str:
        """The text hovering month ``index`` of panel ``panel`` shows (tests)."""
        return self.panels[panel].tip(index)


def _money_tick(tick: int, step: int) -> str:
    if tick == 0:
        return "0"
    unit = next((scale for scale, _name in _UNITS if abs(tick) >= scale), 1)
    decimals = 0
    while decimals < 2 and (step * 10**decimals) % unit:
        decimals += 1
    return compact_rupiah(tick, decimals)


def _percent_tick(tick: float, step: float) -> str:
    decimals = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    return percent_text(Decimal(str(round(tick, 4))), decimals)


def _marker(painter: QPainter, series: Series, at: QPointF, radius: float) -> None:
    painter.setPen(QPen(QColor("#ffffff"), 1.2))
    painter.setBrush(series.color)
    if series.marker == "square":
        painter.drawRect(QRectF(at.x() - radius, at.y() - radius, 2 * radius, 2 * radius))
    elif series.marker == "triangle":
        path = QPainterPath()
        path.moveTo(at.x(), at.y() - radius * 1.2)
        path.lineTo(at.x() + radius * 1.1, at.y() + radius * 0.9)
        path.lineTo(at.x() - radius * 1.1, at.y() + radius * 0.9)
        path.closeSubpath()
        painter.drawPath(path)
    else:
        painter.drawEllipse(at, radius, radius)
