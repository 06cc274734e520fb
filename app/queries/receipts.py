"""What a receipt (kwitansi) says about one posted entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app import dates
from app.errors import NotFound
from app.ledger.chart import (
    KAS,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
    UTANG_SHU_ANGGOTA,
)
from app.models import Account, JournalEntry, JournalLine, Loan, Member
from app.money import terbilang_rupiah
from app.services import loans as loan_service
from app.services.loan_state import allocate_payment, fill
from app.services.schedule import METHOD_LABELS
from app.services.settings import Profile, get_profile

TITLES = {
    "ST": "KWITANSI SETORAN SIMPANAN",
    "TR": "BUKTI PENARIKAN SIMPANAN",
    "KL": "BUKTI PENGEMBALIAN SIMPANAN ANGGOTA KELUAR",
    "PC": "BUKTI PENCAIRAN PINJAMAN",
    "AN": "KWITANSI ANGSURAN PINJAMAN",
    "SH": "BUKTI PEMBAGIAN SHU",
    "PS": "BUKTI PEMBAYARAN SHU",
}
PAYOFF_TITLE = "KWITANSI PELUNASAN PINJAMAN"
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
    # How the boxes are captioned: savings receipts keep these defaults; loan receipts
    # say "Diterima bersih" and show the loan instead of the savings balances.
    total_label: str = "JUMLAH"
    lines_title: str = ""  # "": "Untuk pembayaran" or "Untuk penarikan"
    side_title: str = "Saldo setelah transaksi"
    side_total_label: str = "Jumlah simpanan"
    side_total: int | None = None  # None: the sum of ``balances_after``


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
    result = Receipt(
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
    if entry.kind == "PS":
        return _shu_payment_receipt(session, result, entry)
    if entry.kind in ("PC", "AN"):
        loan_id = session.scalar(
            select(JournalLine.loan_id).where(
                JournalLine.entry_id == entry.id, JournalLine.loan_id.is_not(None)
            )
        )
        if loan_id is not None:
            if entry.kind == "PC":
                return _disbursement_receipt(session, result, entry, loan_id)
            return _repayment_receipt(session, result, entry, loan_id)
    return result


_SHU_YEAR = re.compile(r"tahun buku (\d{4})")


def _shu_payment_receipt(session: Session, base: Receipt, entry: JournalEntry) -> Receipt:
    """Bukti pembayaran SHU: the member's share paid in cash or into sukarela (one line,
    not the two sides of the entry, which would count the money twice)."""
    amounts = _entry_amounts(session, entry.id)
    paid = amounts.get(UTANG_SHU_ANGGOTA, 0)
    found = _SHU_YEAR.search(entry.memo)
    year = f" tahun buku {found.group(1)}" if found else ""
    into_savings = amounts.get(SIMPANAN_SUKARELA, 0) != 0
    label = f"Bagian SHU{year}"
    return replace(
        base,
        lines=(ReceiptLine(label, paid),),
        total=paid,
        total_in_words=terbilang_rupiah(paid),
        cash_in=False,
        lines_title="Pembayaran SHU",
        total_label="DISETOR KE SUKARELA" if into_savings else "DIBAYARKAN TUNAI",
    )


def _ks(ks: list[int]) -> str:
    """ "ke-5" or "ke-5 s.d. 7" or "ke-5, 7"."""
    if not ks:
        return ""
    if len(ks) == 1:
        return f"ke-{ks[0]}"
    if ks == list(range(ks[0], ks[-1] + 1)):
        return f"ke-{ks[0]} s.d. {ks[-1]}"
    return "ke-" + ", ".join(str(k) for k in ks)


def _entry_amounts(session: Session, entry_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Account.code, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .where(JournalLine.entry_id == entry_id)
        .group_by(Account.code)
    )
    return {code: int(total) for code, total in rows}


def _disbursement_receipt(
    session: Session, base: Receipt, entry: JournalEntry, loan_id: int
) -> Receipt:
    """Bukti pencairan: the principal, less provisi and administration, paid out net."""
    loan = session.get(Loan, loan_id)
    assert loan is not None
    amounts = _entry_amounts(session, entry.id)
    principal = amounts.get(PINJAMAN_ANGGOTA, 0)
    net = -amounts.get(KAS, 0)
    lines = [ReceiptLine(f"Pokok pinjaman {loan.number}", principal)]
    if loan.provisi:
        lines.append(ReceiptLine("Dikurangi provisi", -loan.provisi))
    if loan.admin_fee:
        lines.append(ReceiptLine("Dikurangi biaya administrasi", -loan.admin_fee))
    schedule = loan_service.schedule_of(session, loan.id)
    interest = sum(d.interest for d in schedule)
    side = [
        ReceiptLine("Pokok pinjaman", loan.principal),
        ReceiptLine("Jumlah jasa/bunga", interest),
    ]
    if schedule:
        first = schedule[0]
        side.append(ReceiptLine(f"Angsuran ke-1, {dates.format_date(first.due)}", first.amount))
    return replace(
        base,
        lines=tuple(lines),
        total=net,
        total_in_words=terbilang_rupiah(net),
        total_label="DITERIMA BERSIH",
        lines_title="Rincian pencairan",
        balances_after=tuple(side),
        side_title=(
            f"Pinjaman {loan.number}: {METHOD_LABELS.get(loan.method, loan.method)}, "
            f"{loan.months} bulan"
        ),
        side_total_label="Jumlah dikembalikan",
        side_total=loan.principal + interest,
    )


def _repayment_receipt(
    session: Session, base: Receipt, entry: JournalEntry, loan_id: int
) -> Receipt:
    """Kwitansi angsuran: jasa, pokok and denda, which installments, principal left after."""
    loan = session.get(Loan, loan_id)
    assert loan is not None
    amounts = _entry_amounts(session, entry.id)
    interest = -amounts.get(loan_service.JASA_PINJAMAN, 0)
    principal = -amounts.get(PINJAMAN_ANGGOTA, 0)
    fine = -amounts.get(loan_service.DENDA, 0)
    schedule = loan_service.schedule_of(session, loan.id)
    before = loan_service.repaid_before(session, loan.id, entry.date, entry.id)
    cutover = sum(d.amount for d in schedule[: loan.paid_before_cutover])
    parts = allocate_payment(fill(schedule, before + cutover), interest + principal)
    payoff = entry.memo.startswith("Pelunasan")
    which = ""
    if (
        not payoff
        and sum(p.interest for p in parts) == interest
        and sum(p.principal for p in parts) == principal
    ):
        which = _ks([p.k for p in parts])
    suffix = " (pelunasan)" if payoff else (f" angsuran {which}" if which else "")
    lines = []
    if interest:
        lines.append(ReceiptLine(f"Jasa/bunga pinjaman{suffix}", interest))
    if principal:
        lines.append(ReceiptLine(f"Pokok pinjaman{suffix}", principal))
    if fine:
        lines.append(ReceiptLine("Denda keterlambatan", fine))
    left = loan_service.principal_after(session, loan.id, entry.date, entry.id)
    title = f"Pinjaman {loan.number} setelah pembayaran ini"
    if left <= 0:
        title = f"Pinjaman {loan.number}: LUNAS"
    return replace(
        base,
        title=PAYOFF_TITLE if payoff else base.title,
        lines=tuple(lines),
        balances_after=(
            ReceiptLine("Pokok pinjaman", loan.principal),
            ReceiptLine("Pokok sudah dibayar", -(loan.principal - max(left, 0))),
        ),
        side_title=title,
        side_total_label="Sisa pokok pinjaman",
        side_total=max(left, 0),
    )
