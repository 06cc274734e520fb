"""Laporan: the year end and the reports, one tab each.

Tabs are built on first visit (the Tutup Buku checklist and the SHU plan read
the whole year). Adding a tab is one line in ``_tabs``: a key, a title and a
factory; a tab may have ``refresh()`` (called when it is shown and when the
books change while it is visible) and ``show_year(year)``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from app.ui.context import AppContext


def _tabs(view: LaporanView) -> list[tuple[str, str, Callable[[], QWidget]]]:
    from app.ui.views.arrears import ArrearsTab
    from app.ui.views.rat_book import RatBookTab
    from app.ui.views.shu import ShuTab
    from app.ui.views.table_reports import TableReportsTab
    from app.ui.views.tutup_buku import TutupBukuTab

    ctx = view.ctx
    tr = view.tr
    return [
        ("tutup_buku", tr("Tutup Buku"), lambda: TutupBukuTab(ctx)),
        ("shu", tr("SHU"), lambda: ShuTab(ctx)),
        ("rat", tr("Buku RAT"), lambda: RatBookTab(ctx)),
        # "&&" is a plain "&" (a single "&" would make the next character a mnemonic).
        ("tunggakan", tr("Tunggakan && Konfirmasi"), lambda: ArrearsTab(ctx)),
        ("daftar", tr("Daftar && Rekap"), lambda: TableReportsTab(ctx)),
        # Tab titles carry no "&": the buttons inside the tabs use the letters; Ctrl+Tab and
        # Ctrl+PgUp/PgDown move between tabs.
    ]


class LaporanView(QTabWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.keys: list[str] = []
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._built: dict[str, QWidget] = {}
        self.setDocumentMode(True)
        for key, title, factory in _tabs(self):
            self.add_tab(key, title, factory)
        self.currentChanged.connect(self._current_changed)

    def add_tab(self, key: str, title: str, factory: Callable[[], QWidget]) -> None:
        """A tab built on first visit (also for tabs added from outside, e.g. in tests)."""
        self.keys.append(key)
        self._factories[key] = factory
        self.addTab(QWidget(), title)

    def tab(self, key: str) -> QWidget:
        """The tab for ``key``, built on first use."""
        if key not in self._built:
            index = self.keys.index(key)
            widget = self._factories[key]()
            self.blockSignals(True)
            current = self.currentIndex()
            title = self.tabText(index)
            placeholder = self.widget(index)
            self.removeTab(index)
            self.insertTab(index, widget, title)
            self.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
            self.blockSignals(False)
            self._built[key] = widget
            request = getattr(widget, "shu_requested", None)
            if request is not None:
                request.connect(self.show_shu)
        return self._built[key]

    def show_tab(self, key: str) -> QWidget:
        widget = self.tab(key)
        index = self.keys.index(key)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)  # refreshes through currentChanged
        else:
            self.refresh()
        return widget

    def show_shu(self, year: int) -> None:
        widget = self.tab("shu")
        self.blockSignals(True)
        self.setCurrentIndex(self.keys.index("shu"))
        self.blockSignals(False)
        show_year = getattr(widget, "show_year", None)
        if callable(show_year):
            show_year(year)

    def current_key(self) -> str:
        index = self.currentIndex()
        return self.keys[index] if 0 <= index < len(self.keys) else ""

    def refresh(self) -> None:
        """Refresh the visible tab only; the others refresh when shown."""
        key = self.current_key()
        if not key:
            return
        refresh = getattr(self.tab(key), "refresh", None)
        if callable(refresh):
            refresh()

    def _current_changed(self, _index: int) -> None:
        self.refresh()
