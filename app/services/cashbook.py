"""Cash book and general journal: everything that is not a member transaction.

Kas masuk (KM) and kas keluar (KK) move 1-101 Kas against one other account;
the entry number is the voucher number (bukti kas ``KM-2025-000012``). A
general journal entry (JU) has any number of lines and must balance. Any
entry can be corrected by a reversal with a reason, audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotAllowed, NotFound, ValidationError
from app.ledger import Entry, Line, Posted, post, reverse
from app.ledger.chart import (
    JASA_PINJAMAN,
    KAS,
    MEMBER_ACCOUNTS,
    PINJAMAN_ANGGOTA,
    SHU_TAHUN_BERJALAN,
    UTANG_SHU_ANGGOTA,
)
from app.ledger.posting import DEFAULT_UNIT
from app.models import Account, JournalEntry
from app.models.account import EXPENSE, INCOME
from app.money import require_amount
from app.services import audit

# Accounts that carry a member or a loan and have their own screens: posting to
# them through the cash book would leave a member's balance or a loan wrong.
_ELSEWHERE: dict[str, str] = {
    **{code: "menu Simpanan" for code in MEMBER_ACCOUNTS},
    PINJAMAN_ANGGOTA: "menu Pinjaman (pencairan atau angsuran)",
    JASA_PINJAMAN: "menu Pinjaman (angsuran)",
    UTANG_SHU_ANGGOTA: "menu SHU (pembayaran SHU anggota)",
    SHU_TAHUN_BERJALAN: "Tutup Buku dan pembagian SHU",
}


@dataclass(frozen=True)
class JournalInput:
    """One line of a general journal as the form sends it: debit or credit, not both."""

    account: str
    debit: int = 0
    credit: int = 0
    member_id: int | None = None
    memo: str = ""
    unit: str = DEFAULT_UNIT


def _account(session: Session, code: str) -> Account:
    account = session.scalar(select(Account).where(Account.code == code.strip()))
    if account is None:
        raise NotFound(f"Akun {code} tidak ada di bagan akun.")
    if not account.active:
        raise NotAllowed(
            f"Akun {account.code} {account.name} sudah dinonaktifkan; pilih akun lain."
        )
    return account


def _memo(memo: str) -> str:
    cleaned = " ".join(memo.split())
    if not cleaned:
        raise ValidationError("Tulis keterangan transaksi (untuk bukti kas).", field="memo")
    return cleaned


def _counter_account(session: Session, code: str, *, incoming: bool) -> Account:
    account = _account(session, code)
    where = _ELSEWHERE.get(account.code)
    if where is not None:
        raise NotAllowed(
            f"Akun {account.code} {account.name} tidak dicatat lewat buku kas; gunakan {where}."
        )
    if account.code == KAS:
        raise ValidationError("Lawan akun Kas tidak boleh akun Kas sendiri; pilih akun lain.")
    if incoming and account.grp == EXPENSE:
        raise ValidationError(
            f"Kas masuk tidak boleh dicatat ke akun beban {account.code} {account.name}. "
            "Pilih akun pendapatan (4-xxx) atau akun lain; pengembalian beban dicatat "
            "dengan jurnal pembalik atau jurnal umum."
        )
    if not incoming and account.grp == INCOME:
        raise ValidationError(
            f"Kas keluar (pengeluaran) tidak boleh dicatat ke akun pendapatan {account.code} "
            f"{account.name}. Pilih akun beban (5-xxx) atau akun lain; koreksi pendapatan "
            "dicatat dengan jurnal pembalik."
        )
    return account


def counter_accounts(session: Session, *, incoming: bool) -> list[tuple[str, str]]:
    """(code, name) of the accounts the kas masuk (or kas keluar) picker offers."""
    refused_group = EXPENSE if incoming else INCOME
    rows = session.execute(
        select(Account.code, Account.name)
        .where(
            Account.active.is_(True),
            Account.grp != refused_group,
            Account.code.not_in([KAS, *_ELSEWHERE]),
        )
        .order_by(Account.code)
    )
    return [(code, name) for code, name in rows]


def cash_in(
    session: Session,
    *,
    on: date,
    account: str,
    amount: int,
    memo: str,
    by: str,
    unit: str = DEFAULT_UNIT,
) -> Posted:
    """Kas masuk: Dr 1-101 Kas, Cr ``account`` (income 4-xxx, or a balance-sheet account)."""
    counter = _counter_account(session, account, incoming=True)
    require_amount(amount, "Jumlah kas masuk")
    text = _memo(memo)
    return post(
        session,
        Entry(
            date=on,
            kind="KM",
            memo=text,
            lines=[
                Line(KAS, amount, unit=unit),
                Line(counter.code, -amount, unit=unit),
            ],
        ),
        by=by,
    )


def cash_out(
    session: Session,
    *,
    on: date,
    account: str,
    amount: int,
    memo: str,
    by: str,
    unit: str = DEFAULT_UNIT,
) -> Posted:
    """Kas keluar: Dr ``account`` (expense 5-xxx, or a balance-sheet account), Cr 1-101 Kas."""
    counter = _counter_account(session, account, incoming=False)
    require_amount(amount, "Jumlah kas keluar")
    text = _memo(memo)
    return post(
        session,
        Entry(
            date=on,
            kind="KK",
            memo=text,
            lines=[
                Line(counter.code, amount, unit=unit),
                Line(KAS, -amount, unit=unit),
            ],
        ),
        by=by,
    )


def journal(
    session: Session, *, on: date, memo: str, lines: Sequence[JournalInput], by: str
) -> Posted:
    """A general journal entry (JU) of any number of lines; ``post()`` refuses it unbalanced."""
    text = _memo(memo)
    if len(lines) < 2:
        raise ValidationError(
            "Jurnal umum harus punya paling sedikit dua baris (debit dan kredit)."
        )
    posted_lines: list[Line] = []
    for no, line in enumerate(lines, start=1):
        account = _account(session, line.account)
        if account.code == PINJAMAN_ANGGOTA:  # its lines need a loan
            raise NotAllowed(
                f"Baris {no}: akun {account.code} {account.name} tidak dicatat lewat jurnal "
                f"umum; gunakan {_ELSEWHERE[account.code]}."
            )
        if bool(line.debit) == bool(line.credit):
            raise ValidationError(
                f"Baris {no} (akun {account.code}): isi debit atau kredit, salah satu saja."
            )
        if line.debit:
            amount = require_amount(line.debit, f"Debit baris {no}")
        else:
            amount = -require_amount(line.credit, f"Kredit baris {no}")
        posted_lines.append(
            Line(account.code, amount, member_id=line.member_id, unit=line.unit, memo=line.memo)
        )
    return post(session, Entry(date=on, kind="JU", memo=text, lines=posted_lines), by=by)


# Entries that also move a status outside the journal (a loan's, a member's, a
# year's SHU): mirroring only their lines would leave that status wrong.
_REVERSED_ELSEWHERE = {
    "PC": "pencairan pinjaman",
    "AN": "angsuran pinjaman",
    "HB": "hapus buku pinjaman",
    "KL": "anggota keluar",
    "SH": "pembagian SHU",
    "PS": "pembayaran SHU",
    "SA": "saldo awal",
}


def reverse_entry(session: Session, entry_id: int, *, reason: str, on: date, by: str) -> Posted:
    """Correct any entry by its mirror image, with a reason; audited.

    The closing entry (TB) is reversed only by reopening the year
    (``closing.reopen_year``), never here.
    """
    original = session.get(JournalEntry, entry_id)
    if original is None:
        raise NotFound("Jurnal yang akan dibalik tidak ditemukan.")
    if original.kind == "TB":
        raise NotAllowed(
            f"Jurnal {original.number} adalah jurnal tutup buku; batalkan lewat "
            "Buka Kembali Tahun Buku (khusus admin)."
        )
    if original.kind in _REVERSED_ELSEWHERE:
        raise NotAllowed(
            f"Jurnal {original.number} ({_REVERSED_ELSEWHERE[original.kind]}) mengubah status "
            "pinjaman, anggota atau SHU; membaliknya di sini akan membuat status itu tidak cocok "
            "dengan buku. Koreksi lewat layar asalnya, atau buat jurnal umum penyesuaian."
        )
    posted = reverse(session, entry_id, reason=reason, on=on, by=by)
    audit.record(
        session,
        by=by,
        action="jurnal.balik",
        entity="journal_entry",
        entity_id=entry_id,
        after={"pembalik": posted.number, "tanggal": on},
        note=f"{original.number}: {reason.strip()}",
    )
    session.flush()
    return posted
