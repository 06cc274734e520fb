"""What the Kas & Jurnal screen and its two PDFs need that ledger.py does not give.

* ``cash_voucher``: the bukti kas masuk / keluar of one entry that moved 1-101.
* ``cash_count_report``: the berita acara kas opname of one counted day.
* ``book_cash``, ``units_in_use``, ``chart_rows``: small reads for the screen.

The renderers (app/reports/pdf/cash_voucher.py, cash_count.py) draw these
frozen dataclasses and run no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import dates
from app.errors import NotAllowed, NotFound
from app.ledger.balances import balance, sums_on
from app.ledger.chart import KAS, PROGRAM_ACCOUNTS
from app.ledger.posting import DEFAULT_UNIT, KINDS
from app.models import Account, JournalEntry, JournalLine, Member
from app.money import terbilang_rupiah
from app.services.cash_count import DENOMINATIONS, get_count
from app.services.settings import Profile, get_profile

# -- bukti kas ---------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherLine:
    code: str
    name: str
    amount: int  # positive: what this account received (kas keluar) or gave (kas masuk)
    memo: str


@dataclass(frozen=True)
class CashVoucher:
    profile: Profile
    entry_id: int
    number: str
    kind: str
    kind_label: str
    date: date
    incoming: bool  # True: kas masuk (cash received), False: kas keluar (cash paid out)
    lines: tuple[VoucherLine, ...]  # the counter accounts (not 1-101)
    amount: int  # cash moved, positive
    words: str  # terbilang, "dua juta ... rupiah"
    memo: str
    unit: str
    member: str  # "00012 · Asep" when the entry names a member, else ""
    posted_by: str
    posted_at: datetime
    reverses: str  # the entry this one reverses, when it is a reversal
    reversed_by: str  # the entry that reverses this one, when reversed

    @property
    def title(self) -> str:
        return "BUKTI KAS MASUK" if self.incoming else "BUKTI KAS KELUAR"


def cash_voucher(session: Session, entry_id: int) -> CashVoucher:
    """The bukti kas of an entry that moved cash (1-101); refused for one that did not."""
    entry = session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound("Jurnal untuk bukti kas ini tidak ditemukan.")
    rows = session.execute(
        select(Account.code, Account.name, JournalLine.amount, JournalLine.memo, JournalLine.unit)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.entry_id == entry_id)
        .order_by(JournalLine.line_no)
    ).all()
    cash = sum(int(amount) for code, _n, amount, _m, _u in rows if code == KAS)
    if cash == 0:
        raise NotAllowed(
            f"Jurnal {entry.number} tidak menerima atau mengeluarkan uang kas; "
            "tidak ada bukti kasnya."
        )
    incoming = cash > 0
    # Kas masuk: the counter accounts are credited (negative); kas keluar: debited.
    sign = -1 if incoming else 1
    lines = tuple(
        VoucherLine(code, name, sign * int(amount), memo or "")
        for code, name, amount, memo, _unit in rows
        if code != KAS
    )
    units = sorted({unit for _c, _n, _a, _m, unit in rows if unit})
    member = ""
    if entry.member_id is not None:
        found = session.get(Member, entry.member_id)
        if found is not None:
            member = f"{found.number} · {found.name}"
    original = (
        session.scalar(select(JournalEntry.number).where(JournalEntry.id == entry.reverses_id))
        if entry.reverses_id
        else None
    )
    reversal = session.scalar(
        select(JournalEntry.number).where(JournalEntry.reverses_id == entry.id)
    )
    return CashVoucher(
        profile=get_profile(session),
        entry_id=entry.id,
        number=entry.number,
        kind=entry.kind,
        kind_label=KINDS.get(entry.kind, entry.kind),
        date=entry.date,
        incoming=incoming,
        lines=lines,
        amount=abs(cash),
        words=terbilang_rupiah(abs(cash)),
        memo=entry.memo,
        unit=", ".join(units) or DEFAULT_UNIT,
        member=member,
        posted_by=entry.posted_by,
        posted_at=entry.posted_at,
        reverses=original or "",
        reversed_by=reversal or "",
    )


# -- berita acara kas opname ---------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    denomination: int
    pieces: int

    @property
    def value(self) -> int:
        return self.denomination * self.pieces

    @property
    def coin(self) -> bool:
        """Rp1.000 and below are counted as coins and small notes together; Rp500 and
        below are coins only."""
        return self.denomination < 1_000


@dataclass(frozen=True)
class CashCountReport:
    profile: Profile
    date: date
    rows: tuple[CountRow, ...]  # every denomination, largest first
    total: int
    book_balance: int
    difference: int  # counted - book
    note: str
    counted_by: str
    counted_at: datetime
    closed: bool

    @property
    def notes_total(self) -> int:
        return sum(r.value for r in self.rows if not r.coin)

    @property
    def coins_total(self) -> int:
        return sum(r.value for r in self.rows if r.coin)

    @property
    def place_and_date(self) -> str:
        place = self.profile.place()
        long = dates.format_date_long(self.date)
        return f"{place}, {long}" if place else long


def cash_count_report(session: Session, on: date) -> CashCountReport:
    info = get_count(session, on)
    if info is None:
        raise NotFound(
            f"Belum ada kas opname tanggal {dates.format_date(on)}; simpan hitungan kas dulu."
        )
    counts = dict(info.counts)
    return CashCountReport(
        profile=get_profile(session),
        date=info.date,
        rows=tuple(CountRow(d, counts.get(d, 0)) for d in DENOMINATIONS),
        total=info.total,
        book_balance=info.book_balance,
        difference=info.difference,
        note=info.note,
        counted_by=info.counted_by,
        counted_at=info.counted_at,
        closed=info.closed,
    )


# -- small reads for the screen -------------------------------------------------------


def book_cash(session: Session, on: date) -> int:
    """The book balance of 1-101 Kas at the end of ``on`` (signed, debit positive).

    The same figure as ``balances.balance(session, KAS, on=on)`` (what
    ``cash_count.record_count`` stores), through ``sums_on``, which stays fast on
    a book of many years.
    """
    kas_id = session.scalar(select(Account.id).where(Account.code == KAS))
    if kas_id is None:
        return balance(session, KAS, on=on)
    return sums_on(session, on, account_ids={kas_id}).get((kas_id,), 0)


def units_in_use(session: Session) -> list[str]:
    """The unit usaha names already on journal lines, the default first."""
    used = [
        u
        for u in session.scalars(select(JournalLine.unit).distinct().order_by(JournalLine.unit))
        if u
    ]
    return [DEFAULT_UNIT, *(u for u in used if u != DEFAULT_UNIT)]


@dataclass(frozen=True)
class ChartRow:
    code: str
    name: str
    group: str
    normal: str
    is_contra: bool
    active: bool
    is_system: bool  # in the default chart
    program: bool  # the program posts to it: it can never be deactivated
    balance: int  # signed, debit positive, over every posted line
    lines: int  # how many journal lines use the account

    @property
    def normal_balance(self) -> int:
        """The balance on the account's normal side (positive when it is where it belongs)."""
        return self.balance if self.normal == "D" else -self.balance


def chart_rows(session: Session, *, include_inactive: bool = True) -> list[ChartRow]:
    """Every account of the chart with its balance (all posted lines) and its line count."""
    sums = {
        account_id: (int(total or 0), int(count or 0))
        for account_id, total, count in session.execute(
            select(
                JournalLine.account_id, func.sum(JournalLine.amount), func.count(JournalLine.id)
            ).group_by(JournalLine.account_id)
        )
    }
    stmt = select(Account).order_by(Account.code)
    if not include_inactive:
        stmt = stmt.where(Account.active.is_(True))
    rows = []
    for account in session.scalars(stmt):
        total, count = sums.get(account.id, (0, 0))
        rows.append(
            ChartRow(
                account.code,
                account.name,
                account.grp,
                account.normal,
                account.is_contra,
                account.active,
                account.is_system,
                account.code in PROGRAM_ACCOUNTS,
                total,
                count,
            )
        )
    return rows
