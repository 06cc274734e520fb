"""What a receipt (kwitansi) says about one posted entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.ledger.chart import KAS, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Account, JournalEntry, JournalLine, Member
from app.money import terbilang_rupiah
from app.services.settings import Profile, get_profile

TITLES = {
    "ST": "KWITANSI SETORAN SIMPANAN",
    "TR": "BUKTI PENARIKAN SIMPANAN",
    "KL": "BUKTI PENGEMBALIAN SIMPANAN ANGGOTA KELUAR",
}
_LABELS = {
    SIMPANAN_POKOK: "Simpanan Pokok",
    SIMPANAN_WAJIB: "Simpanan Wajib",
    SIMPANAN_SUKARELA: "Simpanan Sukarela",
}


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    amount: int


@dataclass(frozen=True)
class Receipt:
    entry_id: int
    number: str
    title: str
    date: date
    posted_at: datetime
    posted_by: str
    memo: str
    member_number: str
    member_name: str
    member_address: str
    lines: tuple[ReceiptLine, ...]
    total: int
    total_in_words: str
    cash_in: bool  # money received by the cooperative (else paid out)
    balances_after: tuple[ReceiptLine, ...]
    profile: Profile


def _savings_after(session: Session, member_id: int, entry: JournalEntry) -> dict[str, int]:
    """Balances right after this entry: earlier dates, and this date up to this entry."""
    stmt = (
        select(Account.code, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(
            JournalLine.member_id == member_id,
            Account.code.in_(tuple(_LABELS)),
            or_(
                JournalEntry.date < entry.date,
                and_(JournalEntry.date == entry.date, JournalEntry.id <= entry.id),
            ),
        )
        .group_by(Account.code)
    )
    return {code: -int(total) for code, total in session.execute(stmt)}


def receipt(session: Session, entry_id: int) -> Receipt:
    entry = session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound("Transaksi untuk kwitansi ini tidak ditemukan.")
    member = session.get(Member, entry.member_id) if entry.member_id else None
    lines = session.execute(
        select(Account.code, Account.name, JournalLine.amount)
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.entry_id == entry_id)
        .order_by(JournalLine.line_no)
    )
    items: list[ReceiptLine] = []
    cash = 0
    for code, name, amount in lines:
        if code == KAS:
            cash += amount
        else:
            items.append(ReceiptLine(_LABELS.get(code, name), abs(amount)))
    total = sum(item.amount for item in items) if cash == 0 else abs(cash)
    balances: tuple[ReceiptLine, ...] = ()
    if member is not None:
        after = _savings_after(session, member.id, entry)
        balances = tuple(ReceiptLine(_LABELS[code], after.get(code, 0)) for code in _LABELS)
    address = ""
    if member is not None:
        parts = [member.address]
        if member.rt or member.rw:
            parts.append(f"RT {member.rt or '-'}/RW {member.rw or '-'}")
        if member.dusun:
            parts.append(f"Dusun {member.dusun}")
        address = ", ".join(p for p in parts if p)
    return Receipt(
        entry_id=entry.id,
        number=entry.number,
        title=TITLES.get(entry.kind, "BUKTI TRANSAKSI"),
        date=entry.date,
        posted_at=entry.posted_at,
        posted_by=entry.posted_by,
        memo=entry.memo,
        member_number=member.number if member else "",
        member_name=member.name if member else "",
        member_address=address,
        lines=tuple(items),
        total=total,
        total_in_words=terbilang_rupiah(total),
        cash_in=cash >= 0,
        balances_after=balances,
        profile=get_profile(session),
    )
