"""``post()``: the only way money is written, and ``reverse()``: the only way it is corrected.

Every entry is checked (two lines or more, debits equal credits, accounts
exist and are open, the date is not closed and not in the future), numbered
per kind and year (``ST-2025-000123``) and chained to the previous entry by
``sha256(prev_hash + canonical text)`` so that any later edit of the file is
visible to ``lumbung check``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import NotAllowed, NotFound, PeriodClosed, UnbalancedEntry, ValidationError
from app.ledger import sequences
from app.ledger.chart import MEMBER_ACCOUNTS
from app.ledger.periods import closed_spans, find_closing
from app.models import Account, JournalEntry, JournalLine
from app.money import MAX_AMOUNT, format_rupiah

GENESIS_HASH = "0" * 64
DEFAULT_UNIT = "Simpan Pinjam"

# Entry kinds and what their number prefix means to the treasurer.
KINDS: dict[str, str] = {
    "JU": "Jurnal umum",
    "ST": "Setoran simpanan",
    "TR": "Penarikan simpanan",
    "KL": "Anggota keluar",
    "KM": "Kas masuk",
    "KK": "Kas keluar",
    "PC": "Pencairan pinjaman",
    "AN": "Angsuran pinjaman",
    "SA": "Saldo awal",
    "TB": "Tutup buku",
    "HB": "Hapus buku pinjaman",
    "RV": "Jurnal pembalik",
    "SH": "Pembagian SHU",
    "PS": "Pembayaran SHU",
}


@dataclass(frozen=True)
class Line:
    account: str  # account code, e.g. "1-101"
    amount: int  # debit > 0, credit < 0
    member_id: int | None = None
    loan_id: int | None = None
    unit: str = DEFAULT_UNIT
    memo: str = ""


@dataclass(frozen=True)
class Entry:
    date: date
    kind: str
    memo: str
    lines: Sequence[Line]
    member_id: int | None = None
    reverses_id: int | None = None


@dataclass(frozen=True)
class Posted:
    id: int
    number: str
    date: date
    hash: str


def canonical_text(
    *,
    number: str,
    on: date,
    kind: str,
    memo: str,
    member_id: int | None,
    reverses_id: int | None,
    posted_by: str,
    posted_at: datetime,
    lines: Sequence[tuple[int, int, int, int | None, int | None, str, str]],
) -> str:
    """The hashed text; lines are (line_no, account_id, amount, member, loan, unit, memo)."""
    head = "|".join(
        (
            number,
            on.isoformat(),
            kind,
            memo,
            "" if member_id is None else str(member_id),
            "" if reverses_id is None else str(reverses_id),
            posted_by,
            posted_at.isoformat(sep=" "),
        )
    )
    body = "\n".join(
        "|".join(
            (
                str(no),
                str(acc),
                str(amount),
                "" if mem is None else str(mem),
                "" if loan is None else str(loan),
                unit,
                lmemo,
            )
        )
        for no, acc, amount, mem, loan, unit, lmemo in lines
    )
    return head + "\n" + body


def chain_hash(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def last_hash(session: Session) -> str:
    value = session.scalar(select(JournalEntry.hash).order_by(JournalEntry.id.desc()).limit(1))
    return value or GENESIS_HASH


def format_entry_number(kind: str, year: int, n: int) -> str:
    return f"{kind}-{year}-{n:06d}"


def _validate(entry: Entry, accounts: dict[str, tuple[int, bool, str]], today: date) -> None:
    if entry.kind not in KINDS:
        raise ValidationError(f'Jenis jurnal "{entry.kind}" tidak dikenal.')
    if len(entry.lines) < 2:
        raise UnbalancedEntry("Jurnal harus punya paling sedikit dua baris (debit dan kredit).")
    if entry.date > today:
        raise ValidationError(
            f"Tanggal {dates.format_date(entry.date)} belum terjadi (hari ini "
            f"{dates.format_date(today)}). Transaksi tidak boleh diberi tanggal yang akan datang."
        )
    debit = credit = 0
    for line in entry.lines:
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            raise ValidationError("Jumlah di jurnal harus rupiah bulat.")
        if line.amount == 0:
            raise ValidationError(f"Baris akun {line.account} bernilai Rp0; hapus baris itu.")
        if abs(line.amount) > MAX_AMOUNT:
            raise ValidationError(
                f"Jumlah {format_rupiah(abs(line.amount))} di akun {line.account} melebihi batas "
                f"{format_rupiah(MAX_AMOUNT)}; periksa kembali angkanya."
            )
        found = accounts.get(line.account)
        if found is None:
            raise NotFound(f"Akun {line.account} tidak ada di bagan akun.")
        if not found[1]:
            raise NotAllowed(
                f"Akun {line.account} {found[2]} sudah dinonaktifkan; pilih akun lain."
            )
        if line.account in MEMBER_ACCOUNTS and line.member_id is None:
            raise ValidationError(
                f"Baris akun {line.account} {found[2]} harus menyebut anggotanya."
            )
        if line.amount > 0:
            debit += line.amount
        else:
            credit -= line.amount
    if debit != credit:
        raise UnbalancedEntry(
            f"Jurnal tidak seimbang: debit {format_rupiah(debit)}, kredit {format_rupiah(credit)} "
            f"(selisih {format_rupiah(abs(debit - credit))}). Tidak ada yang disimpan."
        )


def post_many(
    session: Session, entries: Sequence[Entry], *, by: str, day_locks: bool = True
) -> list[Posted]:
    """Post several entries in the caller's transaction, all or none.

    ``day_locks=False`` is for the year-end closing entry (and its reversal)
    only: it moves no cash, so a closed cash day (kas opname) on 31/12 must
    not stop it. Closed years refuse it as always.

    One code path for a single deposit and for a demo book of a million
    entries: rows go in through Core ``insert()`` with ids assigned here, which
    is safe because the unit of work holds SQLite's write lock (BEGIN IMMEDIATE).
    """
    if not entries:
        return []
    # Who may post what (app.permissions.POSTING): every money path passes here.
    for kind in sorted({entry.kind for entry in entries}):
        permissions.require_posting(session, kind, KINDS.get(kind, kind))
    rows = session.execute(select(Account.code, Account.id, Account.active, Account.name)).all()
    accounts = {code: (aid, active, name) for code, aid, active, name in rows}
    today = dates.today()
    spans = closed_spans(session)
    if not day_locks:
        spans = [span for span in spans if span[2] != "day"]
    for entry in entries:
        _validate(entry, accounts, today)
        closing = find_closing(spans, entry.date)
        if closing is not None:
            raise PeriodClosed(
                f"Tanggal {dates.format_date(entry.date)} ada di periode yang sudah ditutup "
                f"({closing}). Pakai tanggal sesudahnya, atau minta admin membuka periode itu."
            )

    # Numbers: one reservation per (kind, year) series.
    counts: dict[tuple[str, int], int] = {}
    for entry in entries:
        key = (entry.kind, entry.date.year)
        counts[key] = counts.get(key, 0) + 1
    next_no = {key: sequences.reserve(session, *key, n) for key, n in counts.items()}

    posted_at = datetime.now().replace(microsecond=0)
    prev = last_hash(session)
    next_entry_id = (session.scalar(select(func.max(JournalEntry.id))) or 0) + 1
    next_line_id = (session.scalar(select(func.max(JournalLine.id))) or 0) + 1

    entry_rows: list[dict[str, object]] = []
    line_rows: list[dict[str, object]] = []
    result: list[Posted] = []
    for entry in entries:
        key = (entry.kind, entry.date.year)
        number = format_entry_number(entry.kind, entry.date.year, next_no[key])
        next_no[key] += 1
        hashed_lines = []
        for no, line in enumerate(entry.lines, start=1):
            acc_id = accounts[line.account][0]
            hashed_lines.append(
                (no, acc_id, line.amount, line.member_id, line.loan_id, line.unit, line.memo)
            )
            line_rows.append(
                {
                    "id": next_line_id,
                    "entry_id": next_entry_id,
                    "line_no": no,
                    "account_id": acc_id,
                    "amount": line.amount,
                    "member_id": line.member_id,
                    "loan_id": line.loan_id,
                    "unit": line.unit,
                    "memo": line.memo,
                }
            )
            next_line_id += 1
        text = canonical_text(
            number=number,
            on=entry.date,
            kind=entry.kind,
            memo=entry.memo,
            member_id=entry.member_id,
            reverses_id=entry.reverses_id,
            posted_by=by,
            posted_at=posted_at,
            lines=hashed_lines,
        )
        digest = chain_hash(prev, text)
        entry_rows.append(
            {
                "id": next_entry_id,
                "number": number,
                "date": entry.date,
                "kind": entry.kind,
                "memo": entry.memo,
                "member_id": entry.member_id,
                "reverses_id": entry.reverses_id,
                "posted_by": by,
                "posted_at": posted_at,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        result.append(Posted(next_entry_id, number, entry.date, digest))
        prev = digest
        next_entry_id += 1

    session.execute(insert(JournalEntry.__table__), entry_rows)  # type: ignore[arg-type]
    session.execute(insert(JournalLine.__table__), line_rows)  # type: ignore[arg-type]
    return result


def post(session: Session, entry: Entry, *, by: str, day_locks: bool = True) -> Posted:
    return post_many(session, [entry], by=by, day_locks=day_locks)[0]


def reverse(
    session: Session,
    entry_id: int,
    *,
    reason: str,
    on: date,
    by: str,
    day_locks: bool = True,
) -> Posted:
    """Post the mirror image of an entry; the original stays as it was."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Tulis alasan pembalikan jurnal.")
    original = session.get(JournalEntry, entry_id)
    if original is None:
        raise NotFound("Jurnal yang akan dibalik tidak ditemukan.")
    if original.kind == "RV":
        raise NotAllowed(
            f"Jurnal {original.number} adalah jurnal pembalik. Kalau perlu, posting ulang "
            "transaksi aslinya."
        )
    already = session.scalar(
        select(JournalEntry.number).where(JournalEntry.reverses_id == entry_id)
    )
    if already is not None:
        raise NotAllowed(f"Jurnal {original.number} sudah dibalik oleh {already}.")
    if on < original.date:
        raise ValidationError(
            f"Jurnal pembalik tidak boleh bertanggal sebelum jurnal aslinya "
            f"({dates.format_date(original.date)})."
        )
    codes = {aid: code for code, aid in session.execute(select(Account.code, Account.id))}
    lines = session.scalars(
        select(JournalLine).where(JournalLine.entry_id == entry_id).order_by(JournalLine.line_no)
    ).all()
    mirrored = [
        Line(
            account=codes[line.account_id],
            amount=-line.amount,
            member_id=line.member_id,
            loan_id=line.loan_id,
            unit=line.unit,
            memo=line.memo,
        )
        for line in lines
    ]
    return post(
        session,
        Entry(
            date=on,
            kind="RV",
            memo=f"Pembalik {original.number}: {reason}",
            lines=mirrored,
            member_id=original.member_id,
            reverses_id=original.id,
        ),
        by=by,
        day_locks=day_locks,
    )
