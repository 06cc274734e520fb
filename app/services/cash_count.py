"""Daily cash count (kas opname): the drawer counted by denomination against 1-101.

One count per date. A recount replaces the day's count until the day is
closed (audited, with the old figures). A difference needs a note. Closing a
day locks it: no posting may be dated on it afterwards
(``ledger.periods.close_period`` kind "day"). The difference itself is not
posted here: the treasurer books it through the cash book (selisih kas) once
its cause is known.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import dates, permissions
from app.errors import NotAllowed, NotFound, PeriodClosed, ValidationError
from app.ledger.balances import balance
from app.ledger.chart import KAS
from app.ledger.periods import close_period, closed_spans, find_closing
from app.models import CashCount
from app.money import MAX_AMOUNT, format_rupiah
from app.services import audit

# Notes Rp100.000 down to Rp1.000, coins Rp1.000 down to Rp100 (counted together per value).
DENOMINATIONS: tuple[int, ...] = (
    100_000,
    50_000,
    20_000,
    10_000,
    5_000,
    2_000,
    1_000,
    500,
    200,
    100,
)


@dataclass(frozen=True)
class CashCountInfo:
    id: int
    date: date
    counts: tuple[tuple[int, int], ...]  # (denomination, pieces), largest first
    total: int
    book_balance: int
    difference: int  # counted - book: positive = more cash than the book says
    note: str
    counted_by: str
    counted_at: datetime
    closed: bool


def _info(row: CashCount) -> CashCountInfo:
    stored = json.loads(row.counts)
    counts = tuple((d, int(stored.get(str(d), 0))) for d in DENOMINATIONS)
    return CashCountInfo(
        row.id,
        row.date,
        counts,
        row.total,
        row.book_balance,
        row.difference,
        row.note,
        row.counted_by,
        row.counted_at,
        row.closed,
    )


def count_total(counts: Mapping[int, int]) -> int:
    """The value of a count; refuses unknown denominations and impossible piece counts."""
    total = 0
    for denomination, pieces in counts.items():
        if denomination not in DENOMINATIONS:
            raise ValidationError(
                f"Pecahan {format_rupiah(denomination)} tidak dikenal; pecahan yang dihitung: "
                + ", ".join(format_rupiah(d) for d in DENOMINATIONS)
                + "."
            )
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 0:
            raise ValidationError(
                f"Jumlah lembar/keping pecahan {format_rupiah(denomination)} harus bilangan "
                "bulat, tidak boleh minus."
            )
        total += denomination * pieces
    if total > MAX_AMOUNT:
        raise ValidationError(f"Jumlah uang {format_rupiah(total)} tidak masuk akal.")
    return total


def get_count(session: Session, on: date) -> CashCountInfo | None:
    row = session.scalar(select(CashCount).where(CashCount.date == on))
    return None if row is None else _info(row)


def counts_between(session: Session, start: date, end: date) -> list[CashCountInfo]:
    rows = session.scalars(
        select(CashCount)
        .where(CashCount.date >= start, CashCount.date <= end)
        .order_by(CashCount.date)
    )
    return [_info(r) for r in rows]


def record_count(
    session: Session,
    on: date,
    counts: Mapping[int, int],
    *,
    by: str,
    note: str = "",
) -> CashCountInfo:
    """Record (or, before the day is closed, replace) the count of ``on``."""
    permissions.require(session, "kas.opname")
    if on > dates.today():
        raise ValidationError(
            f"Kas tanggal {dates.format_date(on)} belum bisa dihitung: tanggal itu belum tiba."
        )
    closing = find_closing(closed_spans(session), on)
    if closing is not None:
        raise PeriodClosed(
            f"Kas opname tanggal {dates.format_date(on)} tidak bisa dicatat: {closing}."
        )
    total = count_total(counts)
    book = balance(session, KAS, on=on)
    difference = total - book
    cleaned_note = " ".join(note.split())
    if difference and not cleaned_note:
        raise ValidationError(
            f"Uang dihitung {format_rupiah(total)}, saldo buku kas {format_rupiah(book)}: "
            f"selisih {format_rupiah(difference)}. Tulis catatan penyebab selisih.",
            field="note",
        )
    stored = json.dumps({str(d): int(counts.get(d, 0)) for d in DENOMINATIONS}, sort_keys=True)
    now = datetime.now().replace(microsecond=0)
    row = session.scalar(select(CashCount).where(CashCount.date == on))
    after = {
        "tanggal": on,
        "jumlah": total,
        "saldo_buku": book,
        "selisih": difference,
        "catatan": cleaned_note,
    }
    if row is None:
        row = CashCount(
            date=on,
            counts=stored,
            total=total,
            book_balance=book,
            difference=difference,
            note=cleaned_note,
            counted_by=by,
            counted_at=now,
            closed=False,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            by=by,
            action="kas_opname.catat",
            entity="cash_count",
            entity_id=row.id,
            after=after,
        )
    else:
        before = {
            "tanggal": row.date,
            "jumlah": row.total,
            "saldo_buku": row.book_balance,
            "selisih": row.difference,
            "catatan": row.note,
            "pecahan": row.counts,
            "oleh": row.counted_by,
        }
        row.counts = stored
        row.total = total
        row.book_balance = book
        row.difference = difference
        row.note = cleaned_note
        row.counted_by = by
        row.counted_at = now
        session.flush()
        audit.record(
            session,
            by=by,
            action="kas_opname.hitung_ulang",
            entity="cash_count",
            entity_id=row.id,
            before=before,
            after=after,
        )
    return _info(row)


def close_day(session: Session, on: date, *, by: str) -> CashCountInfo:
    """Lock ``on``: the count stands and no posting may be dated on that day any more."""
    permissions.require(session, "kas.opname")
    row = session.scalar(select(CashCount).where(CashCount.date == on))
    if row is None:
        raise NotFound(
            f"Belum ada kas opname tanggal {dates.format_date(on)}; hitung kas dulu sebelum "
            "menutup hari."
        )
    if row.closed:
        raise NotAllowed(f"Kas hari {dates.format_date(on)} sudah ditutup.")
    book = balance(session, KAS, on=on)
    if book != row.book_balance:
        raise NotAllowed(
            f"Saldo buku kas {dates.format_date(on)} berubah sejak kas dihitung "
            f"({format_rupiah(row.book_balance)} menjadi {format_rupiah(book)}); "
            "hitung ulang kas sebelum menutup hari."
        )
    closing = find_closing(closed_spans(session), on)
    if closing is None:
        close_period(
            session,
            kind="day",
            start=on,
            end=on,
            by=by,
            note=f"Kas opname: {format_rupiah(row.total)}, selisih {format_rupiah(row.difference)}",
        )
    row.closed = True
    audit.record(
        session,
        by=by,
        action="kas_opname.tutup_hari",
        entity="cash_count",
        entity_id=row.id,
        after={"tanggal": on, "jumlah": row.total, "selisih": row.difference},
    )
    session.flush()
    return _info(row)
