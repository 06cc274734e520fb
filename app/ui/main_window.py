"""The shell: a sidebar of screens, a stacked area, and the keyboard shortcuts of the counter."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.ui.context import AppContext


def _view(module: str, name: str, ctx: AppContext) -> Callable[[], QWidget]:
    """A factory that imports its screen on first visit: start-up loads only Beranda."""

    def build() -> QWidget:
        view: Callable[[AppContext], QWidget] = getattr(
            importlib.import_module(f"app.ui.views.{module}"), name
        )
        return view(ctx)

    return build


def _screens(window: MainWindow) -> list[tuple[str, str, Callable[[], QWidget]]]:
    ctx = window.ctx
    tr = window.tr
    return [
        ("beranda", tr("Beranda"), _view("beranda", "BerandaView", ctx)),
        ("anggota", tr("Anggota"), _view("anggota", "AnggotaView", ctx)),
        ("simpanan", tr("Simpanan"), _view("simpanan", "SimpananView", ctx)),
        ("pinjaman", tr("Pinjaman"), _view("pinjaman", "PinjamanView", ctx)),
        ("kas", tr("Kas && Jurnal"), _view("kas", "KasView", ctx)),
        ("laporan", tr("Laporan"), _view("laporan", "LaporanView", ctx)),
        ("pengaturan", tr("Pengaturan"), _view("pengaturan", "PengaturanView", ctx)),
    ]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(
            self.tr("Lumbung %1 — %2").replace("%1", __version__).replace("%2", ctx.book.path.name)
        )
        self.resize(1200, 760)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(200)
        self.sidebar.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.keys: list[str] = []
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._built: dict[str, QWidget] = {}
        for index, (key, title, factory) in enumerate(_screens(self), start=1):
            item = QListWidgetItem(title.replace("&&", "&"))
            item.setToolTip(self.tr("Ctrl+%1").replace("%1", str(index)))
            self.sidebar.addItem(item)
            self.keys.append(key)
            self._factories[key] = factory
            self.stack.addWidget(QWidget())  # built on first visit: start-up stays fast
            shortcut = QAction(self)
            shortcut.setShortcut(QKeySequence(f"Ctrl+{index}"))
            shortcut.triggered.connect(lambda _=False, k=key: self.show_screen(k))
            self.addAction(shortcut)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._sidebar_panel())
        layout.addWidget(self._banner_and_stack(), 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self._row_changed)
        self._counter_actions()
        from app.ui import safety

        self.safety = safety.install(self)  # the Buku menu: backup, restore, check, audit
        self._import_menu_action()
        from app.ui.dialogs.users import install_user_menu

        self.user_actions = install_user_menu(self)  # Pengguna: password, users, lock
        self.idle_lock: object | None = None  # app.ui.idle_lock.IdleLock, set by app.run()
        self._supervision_menu()
        self._help_menu()
        self.statusBar().addPermanentWidget(
            QLabel(
                self.tr("Pengguna: %1 · Buku: %2")
                .replace("%1", ctx.user)
                .replace("%2", str(ctx.book.path))
            )
        )
        ctx.bus.navigate.connect(self._navigate)
        ctx.bus.data_changed.connect(self._refresh_current)
        self.sidebar.setCurrentRow(0)
        if ctx.actor.role == "pengawas":  # a pengawas session opens on its checklist
            # Focused, so the sidebar (no row selected) does not take focus and pick Beranda.
            self.show_screen("pengawasan").setFocus()

    def _banner_and_stack(self) -> QWidget:
        """The screens, under a red banner that stays hidden while the book is whole."""
        self.integrity_banner = QLabel()
        self.integrity_banner.setObjectName("integrityBanner")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.setStyleSheet(
            "background: #b3261e; color: white; font-weight: 600; padding: 8px 12px;"
        )
        self.integrity_banner.hide()
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.integrity_banner)
        box.addWidget(self.stack, 1)
        return column

    def show_integrity_warning(self, text: str) -> None:
        """The red banner at the top: the journal's chain is broken (or could not be checked)."""
        self.integrity_banner.setText(text)
        self.integrity_banner.setToolTip(text)
        self.integrity_banner.show()

    def hide_integrity_warning(self) -> None:
        self.integrity_banner.hide()
        self.integrity_banner.clear()

    def _sidebar_panel(self) -> QWidget:
        panel = QWidget()
        panel.setFixedWidth(self.sidebar.width())
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        brand = QLabel(self.tr("Lumbung"))
        brand.setObjectName("brand")
        sub = QLabel(self.tr("Pembukuan koperasi desa"))
        sub.setObjectName("brandSub")
        column.addWidget(brand)
        column.addWidget(sub)
        column.addWidget(self.sidebar, 1)
        return panel

    # -- screens ---------------------------------------------------------------

    def screen_for(self, key: str) -> QWidget:
        """The screen for ``key``, built on first use."""
        if key not in self._built:
            index = self.keys.index(key)
            widget = self._factories[key]()
            placeholder = self.stack.widget(index)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.stack.insertWidget(index, widget)
            self._built[key] = widget
        return self._built[key]

    def add_screen(self, key: str, factory: Callable[[], QWidget]) -> None:
        """A screen without a sidebar row, shown through ``show_screen(key)`` from a menu."""
        self.keys.append(key)
        self._factories[key] = factory
        self.stack.addWidget(QWidget())

    def show_screen(self, key: str) -> QWidget:
        index = self.keys.index(key)
        widget = self.screen_for(key)
        self.sidebar.blockSignals(True)
        # Screens reached from a menu (Jejak audit) have no sidebar row.
        self.sidebar.setCurrentRow(index if index < self.sidebar.count() else -1)
        self.sidebar.blockSignals(False)
        self.stack.setCurrentIndex(index)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()
        return widget

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            self.show_screen(self.keys[row])

    def _navigate(self, key: str, item_id: int) -> None:
        widget = self.show_screen(key)
        focus = getattr(widget, "focus_item", None)
        if item_id and callable(focus):
            focus(item_id)

    def _refresh_current(self) -> None:
        # Hidden screens refresh when shown (show_screen), so only the visible one works now.
        widget = self.stack.currentWidget()
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    # -- the counter's shortcuts ---------------------------------------------------

    def _counter_actions(self) -> None:
        from app.ui.dialogs.deposit import open_deposit
        from app.ui.dialogs.member_form import open_register
        from app.ui.dialogs.withdraw import open_withdraw

        menu = self.menuBar().addMenu(self.tr("&Transaksi"))
        for text, keys, slot in (
            (self.tr("&Setoran simpanan..."), "F2", lambda: open_deposit(self.ctx, self)),
            (self.tr("&Penarikan sukarela..."), "F3", lambda: open_withdraw(self.ctx, self)),
            (self.tr("&Anggota baru..."), "F4", lambda: open_register(self.ctx, self)),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        quit_action = QAction(self.tr("&Keluar dari Lumbung"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

    def _import_menu_action(self) -> None:
        """Buku → Impor dari Excel... (issue 7), in the Buku menu made by app.ui.safety."""

        def open_import_wizard(ctx: AppContext, parent: QWidget) -> None:
            # Imported when used: the importer brings openpyxl, which start-up does not need.
            from app.ui.dialogs.import_wizard import open_import_wizard as wizard

            wizard(ctx, parent)

        menu = next(
            (
                found
                for action in self.menuBar().actions()
                if isinstance(found := action.menu(), QMenu)
                and action.text().replace("&", "") == "Buku"
            ),
            None,
        )
        if menu is None:
            menu = self.menuBar().addMenu(self.tr("B&uku"))
        menu.addSeparator()
        action = QAction(self.tr("&Impor dari Excel..."), self)
        action.triggered.connect(lambda: open_import_wizard(self.ctx, self))
        menu.addAction(action)
        self.import_action = action

    def _supervision_menu(self) -> None:
        """Pengawasan → Daftar periksa & draf laporan pengawas (issue 6), outside the sidebar."""
        self.add_screen("pengawasan", _view("pengawasan", "PengawasanView", self.ctx))
        menu = self.menuBar().addMenu(self.tr("Pe&ngawasan"))
        action = QAction(self.tr("&Daftar periksa && draf laporan pengawas"), self)
        action.triggered.connect(lambda: self.show_screen("pengawasan"))
        menu.addAction(action)
        self.supervision_action = action

    def _help_menu(self) -> None:
        from app.ui.dialogs.about import open_about

        menu = self.menuBar().addMenu(self.tr("&Bantuan"))
        about = QAction(self.tr("&Tentang Lumbung..."), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(lambda: open_about(self.ctx, self))
        menu.addAction(about)
        self.about_action = about

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        event.accept()
