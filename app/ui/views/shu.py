"""SHU (DOMAIN.md 5.2-5.6): the allocation percentages of a year, the simulation of every
member's share, the posting after the RAT and the payment to members.

The plan (``shu.calculate``) is computed in a worker thread: on a book of
5.000 members it takes a moment. The percentages editor shows the component
amounts live (the same largest-remainder split as the service); the member
table follows once the percentages are saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app import dates
from app.errors import DomainError
from app.ledger import Posted
from app.money import format_number, format_rupiah
from app.queries.year_end import YearSpan, year_span
from app.services import closing, shu
from app.services.shu import COMPONENTS, ShuOwed, ShuPlan
from app.ui import actions, prompts
from app.ui.background import BackgroundRead
from app.ui.context import AppContext
from app.ui.dialogs import receipt_preview, year_end
from app.ui.dialogs._counter import OK, WARN
from app.ui.qtmodels.shu_models import ShuMembersModel
from app.ui.safety import Progress
from app.ui.widgets.year_picker import YearPicker

SIMULATION = "#9a5b00"  # amber: a plan, not yet approved


@dataclass(frozen=True)
class ShuState:
    year: int
    span: YearSpan
    plan: ShuPlan
    percents: dict[str, Decimal]
    includes_sukarela: bool
    owed: tuple[ShuOwed, ...]
    distributed_on: date | None
    finished: bool

    @property
    def remaining(self) -> int:
        return sum(max(o.remaining, 0) for o in self.owed)


def load_shu(session: Session, year: int, _progress: Progress | None = None) -> ShuState:
    shared = closing.distribution_entry(session, year)
    return ShuState(
        year=year,
        span=year_span(session),
        plan=shu.calculate(session, year),
        percents=shu.percentages(session, year),
        includes_sukarela=shu.jasa_modal_includes_sukarela(session, year),
        owed=tuple(shu.owed_to_members(session, year)),
        distributed_on=shared.date if shared is not None else None,
        finished=dates.today() >= date(year, 12, 31),
    )


def format_percent(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_percent(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return Decimal(0)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


class ShuTab(QWidget):
    simulated = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: ShuState | None = None
        self.loader = BackgroundRead(ctx.book.path, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self._span_loaded = False
        self._edited_year = 0  # the year whose percentages the edits belong to

        title = QLabel("<h2>" + self.tr("Pembagian SHU") + "</h2>")
        self.year = YearPicker()
        year_label = QLabel(self.tr("Ta&hun buku:"))
        year_label.setBuddy(self.year)
        self.badge = QLabel()
        self.badge.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(18)
        top.addWidget(self.badge)
        top.addStretch(1)

        # -- percentages ---------------------------------------------------------------------
        self.percent_box = QGroupBox(self.tr("Persentase pembagian (AD/ART)"))
        grid = QGridLayout(self.percent_box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        validator = QRegularExpressionValidator(
            QRegularExpression(r"^\d{0,3}([.,]\d{0,2})?$"), self
        )
        for column, text in enumerate(
            (self.tr("Komponen"), self.tr("%"), self.tr("Akun"), self.tr("Jumlah"))
        ):
            caption = QLabel(f"<b>{text}</b>")
            if column in (1, 3):
                caption.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(caption, 0, column)
        self.percent_edits: dict[str, QLineEdit] = {}
        self.amount_labels: dict[str, QLabel] = {}
        width = self.fontMetrics().horizontalAdvance("Rp999.999.999.999")
        for row, component in enumerate(COMPONENTS, start=1):
            edit = QLineEdit()
            edit.setValidator(validator)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            edit.setMaximumWidth(70)
            edit.setAccessibleName(component.label)
            edit.textEdited.connect(lambda _t: self._percents_edited())
            caption = QLabel(self.tr(component.label))
            caption.setBuddy(edit)
            amount = QLabel()
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            amount.setMinimumWidth(width)
            grid.addWidget(caption, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(QLabel(component.account), row, 2)
            grid.addWidget(amount, row, 3)
            self.percent_edits[component.key] = edit
            self.amount_labels[component.key] = amount
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        total_row = len(COMPONENTS) + 1
        grid.addWidget(line, total_row, 0, 1, 4)
        self.total_caption = QLabel("<b>" + self.tr("Jumlah") + "</b>")
        self.total_percent = QLabel()
        self.total_percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_percent.setTextFormat(Qt.TextFormat.RichText)
        self.total_amount = QLabel()
        self.total_amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_amount.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(self.total_caption, total_row + 1, 0)
        grid.addWidget(self.total_percent, total_row + 1, 1)
        grid.addWidget(self.total_amount, total_row + 1, 3)
        self.total_hint = QLabel()
        self.total_hint.setTextFormat(Qt.TextFormat.RichText)
        self.total_hint.setWordWrap(True)
        grid.addWidget(self.total_hint, total_row + 2, 0, 1, 4)
        self.sukarela = QCheckBox(self.tr("Jasa modal termasuk simpanan su&karela"))
        self.sukarela.setToolTip(
            self.tr(
                "Bobot jasa modal (S) = simpanan pokok + wajib pada 31/12, ditambah sukarela "
                "bila dicentang. Pengaturan ini berlaku untuk semua tahun."
            )
        )
        grid.addWidget(self.sukarela, total_row + 3, 0, 1, 4)
        self.save_button = QPushButton(self.tr("&Simpan persentase (Ctrl+S)"))
        self.save_button.setAutoDefault(False)
        self.reset_button = QPushButton(self.tr("Urun&gkan"))
        self.reset_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        grid.addLayout(buttons, total_row + 4, 0, 1, 4)
        grid.setRowStretch(total_row + 5, 1)
        save = QAction(self)
        save.setShortcut(QKeySequence("Ctrl+S"))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save_percentages)
        self.addAction(save)

        # -- the plan ------------------------------------------------------------------------
        self.plan_box = QGroupBox(self.tr("SHU tahun buku"))
        self.plan_label = QLabel()
        self.plan_label.setTextFormat(Qt.TextFormat.RichText)
        self.plan_label.setWordWrap(True)
        self.plan_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.post_button = QPushButton(self.tr("Bukukan hasil &RAT..."))
        self.pay_button = QPushButton(self.tr("Ba&yarkan ke anggota..."))
        for button in (self.post_button, self.pay_button):
            button.setAutoDefault(False)
            button.setMinimumHeight(32)
        plan_buttons = QHBoxLayout()
        plan_buttons.addWidget(self.post_button)
        plan_buttons.addWidget(self.pay_button)
        plan_buttons.addStretch(1)
        plan_layout = QVBoxLayout(self.plan_box)
        plan_layout.addWidget(self.plan_label, 1)
        plan_layout.addLayout(plan_buttons)

        upper = QHBoxLayout()
        upper.addWidget(self.percent_box)
        upper.addWidget(self.plan_box, 1)

        # -- the members ---------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Nomor atau nama anggota"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        search_label = QLabel(self.tr("&Cari:"))
        search_label.setBuddy(self.search)
        self.members_caption = QLabel()
        self.members_caption.setTextFormat(Qt.TextFormat.RichText)
        members_bar = QHBoxLayout()
        members_bar.addWidget(self.members_caption, 1)
        members_bar.addWidget(search_label)
        members_bar.addWidget(self.search)
        self.model = ShuMembersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, sample in {
            ShuMembersModel.NUMBER: "No. Anggota",
            ShuMembersModel.SAVINGS: "Rp999.999.999",
            ShuMembersModel.INTEREST: "Jasa pinjaman (T)",
            ShuMembersModel.JASA_MODAL: "Rp99.999.999",
            ShuMembersModel.JASA_ANGGOTA: "Rp99.999.999",
            ShuMembersModel.TOTAL: "Rp99.999.999",
            ShuMembersModel.PAID: "Sudah dibayar",
        }.items():
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 28)
        header.setSectionResizeMode(ShuMembersModel.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.pools_label = QLabel()
        self.pools_label.setTextFormat(Qt.TextFormat.RichText)
        self.pools_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(upper)
        layout.addLayout(members_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.pools_label)

        self.year.year_changed.connect(lambda _y: self.refresh())
        self.save_button.clicked.connect(self.save_percentages)
        self.reset_button.clicked.connect(self._reset_percentages)
        self.sukarela.clicked.connect(self.set_includes_sukarela)
        self.post_button.clicked.connect(self.post_distribution)
        self.pay_button.clicked.connect(self.pay_members)
        self.search.textChanged.connect(self.model.set_filter)
        self._show()

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._span_loaded:
            self.year.set_span(actions.read(self.ctx, year_span), keep=False)
            self._span_loaded = True
        year = self.year.value()
        self.badge.setText("<i>" + self.tr("Menghitung...") + "</i>")
        self.post_button.setEnabled(False)  # until the plan of this year is back
        self.pay_button.setEnabled(False)
        self.loader.start(lambda session, progress: load_shu(session, year, progress))

    def show_year(self, year: int) -> None:
        self._span_loaded = True
        self.year.set_span(actions.read(self.ctx, year_span))
        if self.year.value() != year:
            self.year.set_value(year)  # refreshes
        else:
            self.refresh()

    def loaded(self) -> bool:
        return not self.loader.busy() and self.state is not None

    def _loaded(self, state: ShuState) -> None:
        keep_edits = self._edited_year == state.year and self._dirty()
        self.state = state
        self.year.set_span(state.span)
        if not keep_edits:
            self._fill_percentages(state.percents)
        self._show()
        self.simulated.emit()

    def _failed(self, error: DomainError) -> None:
        self.badge.setText("")
        actions.show_refusal(self, error)

    # -- percentages --------------------------------------------------------------------------

    def _fill_percentages(self, percents: dict[str, Decimal]) -> None:
        for key, edit in self.percent_edits.items():
            edit.setText(format_percent(percents.get(key, Decimal(0))))
        self._edited_year = self.state.year if self.state is not None else 0
        self._percents_edited()

    def edited_percentages(self) -> dict[str, Decimal | None]:
        return {key: parse_percent(edit.text()) for key, edit in self.percent_edits.items()}

    def _dirty(self) -> bool:
        if self.state is None:
            return False
        edited = self.edited_percentages()
        return any(edited[k] != self.state.percents.get(k) for k in edited)

    def _reset_percentages(self) -> None:
        if self.state is not None:
            self._fill_percentages(self.state.percents)

    def _percents_edited(self) -> None:
        edited = self.edited_percentages()
        values = list(edited.values())
        valid = all(v is not None for v in values)
        total = sum((v for v in values if v is not None), Decimal(0))
        exact = valid and total == 100
        color = OK if exact else WARN
        shown = format_percent(total) if valid else "?"
        self.total_percent.setText(f"<b style='color:{color}'>{shown}%</b>")
        state = self.state
        plan_shu = state.plan.shu if state is not None else 0
        if exact and plan_shu > 0:
            parts = shu.split_shu(
                plan_shu, [edited[c.key] or Decimal(0) for c in COMPONENTS], [], []
            ).components
            for component, amount in zip(COMPONENTS, parts, strict=True):
                self.amount_labels[component.key].setText(format_rupiah(amount))
            self.total_amount.setText(f"<b>{format_rupiah(plan_shu)}</b>")
        else:
            for label in self.amount_labels.values():
                label.setText("-")
            self.total_amount.setText(f"<b>{format_rupiah(max(plan_shu, 0))}</b>")
        dirty = self._dirty()
        locked = state is None or bool(state.plan.distributed)
        if not valid:
            hint = self.tr("Tulis persentase sebagai angka, misalnya 30 atau 2,5.")
        elif not exact:
            hint = self.tr("Jumlah harus tepat 100%; sekarang %1%.").replace("%1", shown)
        elif dirty:
            hint = self.tr("Belum disimpan: simulasi di bawah masih memakai persentase lama.")
        else:
            hint = ""
        self.total_hint.setText(f"<span style='color:{WARN if hint else OK}'>{hint}</span>")
        self.save_button.setEnabled(exact and dirty and not locked)
        self.reset_button.setEnabled(dirty and not locked)

    def save_percentages(self) -> None:
        state = self.state
        if state is None:
            return
        values: dict[str, Decimal | str] = {
            key: edit.text().strip() or "0" for key, edit in self.percent_edits.items()
        }
        year, user = state.year, self.ctx.user

        def work(session: Session) -> bool:
            shu.set_percentages(session, year, values, by=user)
            return True

        if actions.write(self.ctx, self, work):
            self._edited_year = 0  # take the saved values when the plan comes back
            self._after_write()

    def set_includes_sukarela(self, checked: bool) -> None:
        user = self.ctx.user

        def work(session: Session) -> bool:
            shu.set_jasa_modal_includes_sukarela(session, checked, by=user)
            return True

        if actions.write(self.ctx, self, work):
            self._after_write()
        elif self.state is not None:
            self.sukarela.setChecked(self.state.includes_sukarela)

    # -- showing ------------------------------------------------------------------------------

    def _show(self) -> None:
        state = self.state
        if state is None:
            self.badge.setText("")
            self.plan_label.setText("")
            self.members_caption.setText("")
            self.pools_label.setText("")
            self.model.set_members([], {})
            for widget in (self.post_button, self.pay_button, self.save_button, self.sukarela):
                widget.setEnabled(False)
            return
        plan = state.plan
        year = str(state.year)
        self.percent_box.setTitle(
            self.tr("Persentase pembagian (AD/ART) tahun %1").replace("%1", year)
        )
        self.plan_box.setTitle(self.tr("SHU tahun buku %1").replace("%1", year))
        locked = bool(plan.distributed)
        for edit in self.percent_edits.values():
            edit.setReadOnly(locked)
            edit.setEnabled(not locked)
        self.sukarela.blockSignals(True)
        self.sukarela.setChecked(state.includes_sukarela)
        self.sukarela.blockSignals(False)
        self.sukarela.setEnabled(not locked)
        self.badge.setText(self._badge_html(state))
        self.plan_label.setText(self._plan_html(state))
        paid = {o.member_id: o.paid for o in state.owed}
        self.model.set_members(plan.members, paid)
        self.table.setColumnHidden(ShuMembersModel.PAID, not locked)
        self.members_caption.setText(
            self.tr(
                "<b>SHU per anggota</b> (%1 anggota dengan simpanan atau jasa pinjaman)"
            ).replace("%1", format_number(len(plan.members)))
        )
        self.pools_label.setText(self._pools_html(state))
        self.post_button.setEnabled(plan.closed and plan.distributable and not locked)
        self.post_button.setToolTip(self._post_hint(state))
        self.pay_button.setEnabled(locked and state.remaining > 0)
        self.pay_button.setToolTip(
            "" if locked else self.tr("Bukukan hasil RAT dulu; sesudah itu SHU dapat dibayarkan.")
        )
        self._percents_edited()

    def _post_hint(self, state: ShuState) -> str:
        plan = state.plan
        if plan.distributed:
            return (
                self.tr("SHU tahun %1 sudah dibagikan (%2).")
                .replace("%1", str(state.year))
                .replace("%2", plan.distributed)
            )
        if not plan.closed:
            return self.tr("Tutup buku tahun %1 dulu (tab Tutup Buku).").replace(
                "%1", str(state.year)
            )
        if not plan.distributable:
            return self.tr("SHU nol atau negatif tidak dibagikan.")
        return self.tr("Sesudah RAT mengesahkan pembagian: dibukukan sekali, bertanggal RAT.")

    def _badge_html(self, state: ShuState) -> str:
        plan = state.plan
        if plan.distributed:
            when = dates.format_date(state.distributed_on) if state.distributed_on else ""
            return (
                f"<span style='color:{OK}; font-weight:bold'>✔ "
                + self.tr("Disahkan RAT %1 · jurnal %2")
                .replace("%1", when)
                .replace("%2", plan.distributed)
                + "</span>"
            )
        text = self.tr("SIMULASI, BELUM DISAHKAN RAT")
        if not plan.closed:
            text += self.tr(" · tahun buku belum ditutup, SHU masih dapat berubah")
        return (
            f"<span style='background:#fcefc7; color:{SIMULATION}; font-weight:bold'>"
            f"&nbsp;{text}&nbsp;</span>"
        )

    def _plan_html(self, state: ShuState) -> str:
        plan = state.plan
        source = (
            self.tr("dari jurnal tutup buku")
            if plan.closed
            else self.tr("sementara: pendapatan dikurangi beban yang sudah dicatat")
        )
        color = OK if plan.shu > 0 else WARN
        parts = [
            "<p style='font-size:14pt'>"
            + self.tr("SHU tahun %1:").replace("%1", str(state.year))
            + f" <b style='color:{color}'>{format_rupiah(plan.shu)}</b>"
            f" <span style='font-size:9pt; color:#555'>({source})</span></p>"
        ]
        if not plan.distributable:
            parts.append(
                f"<p style='color:{WARN}'>"
                + self.tr("SHU nol atau negatif tidak dibagikan (UU 25/1992 Pasal 45).")
                + "</p>"
            )
        bases = self.tr(
            "Bobot jasa modal: simpanan (S) seluruhnya <b>%1</b> pada 31/12/%3%4.<br>"
            "Bobot jasa anggota: jasa pinjaman dibayar (T) seluruhnya <b>%2</b> di tahun %3."
        )
        parts.append(
            "<p>"
            + bases.replace("%1", format_rupiah(plan.savings_base))
            .replace("%2", format_rupiah(plan.interest_base))
            .replace("%3", str(state.year))
            .replace(
                "%4",
                self.tr(" (pokok + wajib + sukarela)")
                if state.includes_sukarela
                else self.tr(" (pokok + wajib)"),
            )
            + "</p>"
        )
        if plan.distributed:
            paid = sum(o.paid for o in state.owed)
            parts.append(
                "<p>"
                + self.tr("Dibayarkan ke anggota: <b>%1</b> · belum dibayar: <b>%2</b>.")
                .replace("%1", format_rupiah(paid))
                .replace("%2", format_rupiah(state.remaining))
                + "</p>"
            )
        elif plan.closed and plan.distributable:
            parts.append(
                "<p>"
                + self.tr(
                    "Sesudah RAT mengesahkan pembagian, bukukan hasil RAT (sekali setahun, "
                    "bertanggal RAT), lalu bayarkan ke anggota."
                )
                + "</p>"
            )
        return "".join(parts)

    def _pools_html(self, state: ShuState) -> str:
        plan = state.plan
        if not plan.members or not plan.distributable:
            return ""
        _s, _t, modal, anggota, _total = self.model.totals()
        pools = {c.key: c.amount for c in plan.components}
        lines = []
        for label, summed, key in (
            (self.tr("Jasa Modal"), modal, shu.JASA_MODAL),
            (self.tr("Jasa Anggota"), anggota, shu.JASA_ANGGOTA),
        ):
            pool = pools[key]
            if summed == pool:
                lines.append(
                    f"<span style='color:{OK}'>✔</span> "
                    + self.tr("Jumlah %1 anggota %2 = bagian %1 %3")
                    .replace("%1", label)
                    .replace("%2", format_rupiah(summed))
                    .replace("%3", format_rupiah(pool))
                )
            elif summed == 0:
                lines.append(
                    f"<span style='color:{SIMULATION}'>•</span> "
                    + self.tr("Bagian %1 %2 tidak punya penerima (bobot nol): masuk Cadangan")
                    .replace("%1", label)
                    .replace("%2", format_rupiah(pool))
                )
            else:
                lines.append(
                    f"<span style='color:{WARN}'>✘</span> "
                    + self.tr("Jumlah %1 anggota %2 tidak sama dengan bagian %1 %3")
                    .replace("%1", label)
                    .replace("%2", format_rupiah(summed))
                    .replace("%3", format_rupiah(pool))
                )
        return " &nbsp;·&nbsp; ".join(lines)

    # -- actions ------------------------------------------------------------------------------

    def _after_write(self) -> None:
        shown_in_shell = self.isVisible() and isinstance(self.window(), QMainWindow)
        if not shown_in_shell:
            self.refresh()

    def post_distribution(self) -> None:
        state = self.state
        if state is None:
            return
        rat_date = year_end.ask_rat_date(self, state.plan)
        if rat_date is None:
            return
        year, user = state.year, self.ctx.user
        posted = actions.write(
            self.ctx, self, lambda s: shu.post_distribution(s, year, rat_date, by=user)
        )
        if posted is None:
            return
        self._after_write()
        prompts.inform(
            self,
            self.tr("Hasil RAT dibukukan"),
            self.tr(
                "Pembagian SHU tahun %1 dibukukan dengan jurnal %2 bertanggal %3. "
                "Sekarang SHU dapat dibayarkan ke anggota."
            )
            .replace("%1", str(year))
            .replace("%2", posted.number)
            .replace("%3", dates.format_date(rat_date)),
        )

    def pay_members(self) -> None:
        state = self.state
        if state is None:
            return
        earliest = state.distributed_on or date(state.year + 1, 1, 1)
        choice = year_end.ask_payment(self, state.year, state.owed, earliest)
        if choice is None:
            return
        year, user = state.year, self.ctx.user
        ids = list(choice.member_ids) if choice.member_ids is not None else None

        def work(session: Session) -> list[Posted]:
            return shu.pay_members(
                session, year, choice.method, on=choice.on, by=user, member_ids=ids
            )

        posted = actions.write(self.ctx, self, work)
        if not posted:
            return
        self._after_write()
        total = sum(o.remaining for o in state.owed if ids is None or o.member_id in ids)
        how = self.tr("tunai") if choice.method == shu.TUNAI else self.tr("ke simpanan sukarela")
        if prompts.confirm(
            self,
            self.tr("SHU dibayarkan"),
            self.tr("SHU tahun %1 dibayarkan %2 kepada %3 anggota, seluruhnya %4 (%5 s.d. %6).")
            .replace("%1", str(year))
            .replace("%2", how)
            .replace("%3", format_number(len(posted)))
            .replace("%4", format_rupiah(total))
            .replace("%5", posted[0].number)
            .replace("%6", posted[-1].number)
            + "\n\n"
            + self.tr("Cetak %1 kwitansinya sekarang?").replace("%1", format_number(len(posted))),
            yes=self.tr("&Cetak"),
            no=self.tr("&Nanti saja"),
        ):
            receipt_preview.show_receipts(self.ctx, self, [p.id for p in posted])
