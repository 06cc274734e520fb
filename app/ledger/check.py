"""``lumbung check``: prove the book is whole, or list every place it is not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.ledger.chart import MEMBER_ACCOUNTS, SIMPANAN_SUKARELA
from app.ledger.posting import (
    GENESIS_HASH,
    KINDS,
    canonical_text,
    chain_hash,
    format_entry_number,
)
from app.models import Account, JournalEntry, JournalLine, NumberSequence
from app.money import format_rupiah

Progress = Callable[[int, int], None]

_TRIGGERS = {
    "journal_entry_no_update",
    "journal_entry_no_delete",
    "journal_line_no_update",
    "journal_line_no_delete",
    # Keep ledger_year_total and ledger_year_cash; without them the caches would
    # fall behind the lines.
    "journal_line_year_total",
    "journal_line_year_cash",
}

# Since migration 0006.
_YEAR_TOTAL_TRIGGERS = {"journal_line_year_total", "journal_line_year_cash"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_book(session: Session, progress: Progress | None = None) -> list[Problem]:
    problems: list[Problem] = []
    problems += _sqlite_integrity(session)
    problems += _entries_balanced(session)
    problems += _hash_chain(session, progress)
    problems += _derived_balances(session)
    return problems


# The chain part of ``check_book`` on its own, for the year-end checklist: it
# skips SQLite's page-level checks, which are slow on a big book.


def chain_problems(session: Session, progress: Progress | None = None) -> list[Problem]:
    """The guards against edits are in place and every hash matches its entry."""
    return _triggers(session) + _hash_chain(session, progress)


def _sqlite_integrity(session: Session) -> list[Problem]:
    problems = []
    for (row,) in session.execute(text("PRAGMA integrity_check")):
        if row != "ok":
            problems.append(Problem("SQLite", f"integrity_check: {row}"))
    for row in session.execute(text("PRAGMA foreign_key_check")):
        problems.append(Problem("SQLite", f"rujukan rusak di tabel {row[0]} baris {row[1]}"))
    return problems + _triggers(session)


def _triggers(session: Session) -> list[Problem]:
    problems = []
    present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    expected = _TRIGGERS if _has_year_totals(session) else _TRIGGERS - _YEAR_TOTAL_TRIGGERS
    for missing in sorted(expected - present):
        problems.append(
            Problem("Pengaman jurnal", f"trigger {missing} hilang: jurnal bisa diubah diam-diam")
        )
    return problems


def _entries_balanced(session: Session) -> list[Problem]:
    problems = []
    unbalanced = session.execute(
        select(JournalEntry.number, func.sum(JournalLine.amount), func.count(JournalLine.id))
        .join(JournalLine, JournalLine.entry_id == JournalEntry.id, isouter=True)
        .group_by(JournalEntry.id)
        .having(
            (func.coalesce(func.sum(JournalLine.amount), 0) != 0) | (func.count(JournalLine.id) < 2)
        )
    )
    for number, total, count in unbalanced:
        if count < 2:
            problems.append(Problem(number, f"jurnal hanya punya {count} baris"))
        else:
            problems.append(
                Problem(number, f"debit dan kredit selisih {format_rupiah(int(total))}")
            )
    orphans = session.scalar(
        select(func.count(JournalLine.id)).where(
            JournalLine.entry_id.not_in(select(JournalEntry.id))
        )
    )
    if orphans:
        problems.append(Problem("Jurnal", f"{orphans} baris jurnal tanpa jurnal induk"))
    return problems


def _hash_chain(session: Session, progress: Progress | None) -> list[Problem]:
    return verify_chain(session, progress=progress).problems


@dataclass(frozen=True)
class ChainResult:
    problems: list[Problem]
    checked: int  # entries recomputed
    last_id: int  # the last entry seen (0: none)
    last_hash: str  # its stored hash (``prev`` when none was seen)


def verify_chain(
    session: Session,
    *,
    after_id: int = 0,
    upto_id: int | None = None,
    prev: str | None = GENESIS_HASH,
    progress: Progress | None = None,
) -> ChainResult:
    """Recompute the hashes of the entries ``after_id < id <= upto_id`` in id order.

    Streams, so that millions of rows fit in memory. ``prev`` is the hash the
    first entry must link to (the genesis hash for the whole book, the
    checkpoint's hash for the entries after it); ``None`` trusts the first
    entry's own ``prev_hash`` (a sample window in the middle of the book).
    """
    problems: list[Problem] = []
    entry_range = JournalEntry.id > after_id
    line_range = JournalLine.entry_id > after_id
    if upto_id is not None:
        entry_range = entry_range & (JournalEntry.id <= upto_id)
        line_range = line_range & (JournalLine.entry_id <= upto_id)
    total = session.scalar(select(func.count(JournalEntry.id)).where(entry_range)) or 0
    entries = session.execute(
        select(
            JournalEntry.id,
            JournalEntry.number,
            JournalEntry.date,
            JournalEntry.kind,
            JournalEntry.memo,
            JournalEntry.member_id,
            JournalEntry.reverses_id,
            JournalEntry.posted_by,
            JournalEntry.posted_at,
            JournalEntry.prev_hash,
            JournalEntry.hash,
        )
        .where(entry_range)
        .order_by(JournalEntry.id),
        execution_options={"yield_per": 5000},
    )
    lines = iter(
        session.execute(
            select(
                JournalLine.entry_id,
                JournalLine.line_no,
                JournalLine.account_id,
                JournalLine.amount,
                JournalLine.member_id,
                JournalLine.loan_id,
                JournalLine.unit,
                JournalLine.memo,
            )
            .where(line_range)
            .order_by(JournalLine.entry_id, JournalLine.line_no),
            execution_options={"yield_per": 10000},
        )
    )
    pending = next(lines, None)
    done = 0
    last_id = 0
    for done, (eid, number, on, kind, memo, mem, rev, by, at, prev_hash, digest) in enumerate(
        entries, start=1
    ):
        own = []
        while pending is not None and pending[0] < eid:
            pending = next(lines, None)  # orphans are reported elsewhere
        while pending is not None and pending[0] == eid:
            own.append(pending[1:])
            pending = next(lines, None)
        if prev is not None and prev_hash != prev:
            problems.append(
                Problem(
                    number, "rantai hash putus: jurnal sebelumnya diubah, dihapus atau disisipi"
                )
            )
        expected = chain_hash(
            prev_hash,
            canonical_text(
                number=number,
                on=on,
                kind=kind,
                memo=memo,
                member_id=mem,
                reverses_id=rev,
                posted_by=by,
                posted_at=at,
                lines=own,
            ),
        )
        if expected != digest:
            problems.append(
                Problem(number, "isi jurnal tidak cocok dengan hash-nya: diubah di luar program")
            )
        prev = digest
        last_id = eid
        if progress is not None and done % 50000 == 0:
            progress(done, total)
    return ChainResult(problems, done, last_id, prev if prev is not None else "")


def _derived_balances(session: Session) -> list[Problem]:
    problems = []
    member_codes = tuple(MEMBER_ACCOUNTS)
    missing_member = session.scalar(
        select(func.count(JournalLine.id))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.code.in_(member_codes), JournalLine.member_id.is_(None))
    )
    if missing_member:
        problems.append(Problem("Simpanan", f"{missing_member} baris simpanan tanpa anggota"))
    negative = session.execute(
        select(JournalLine.member_id, func.sum(JournalLine.amount))
        .join(Account, Account.id == JournalLine.account_id)
        .where(Account.code == SIMPANAN_SUKARELA)
        .group_by(JournalLine.member_id)
        .having(func.sum(JournalLine.amount) > 0)
    )
    for member_id, total in negative:
        problems.append(
            Problem(
                f"Anggota #{member_id}",
                f"saldo simpanan sukarela minus {format_rupiah(int(total))}",
            )
        )
    problems += _sequences(session)
    problems += _year_totals(session)
    return problems


# The per-year totals recomputed from the lines, and as kept by the trigger; the
# key is the one of app.ledger.year_totals (a reversal has the kind it reverses).
_RECOMPUTED_YEAR_TOTALS = """
SELECT CAST(substr(e.date, 1, 4) AS INTEGER) AS year, l.account_id,
       coalesce(l.member_id, 0), coalesce(l.loan_id, 0), l.unit, coalesce(o.kind, e.kind),
       sum(max(l.amount, 0)), sum(min(l.amount, 0)), count(*)
FROM journal_line l
JOIN journal_entry e ON e.id = l.entry_id
LEFT JOIN journal_entry o ON o.id = e.reverses_id
GROUP BY 1, 2, 3, 4, 5, 6
"""
_KEPT_YEAR_TOTALS = """
SELECT year, account_id, member_id, loan_id, unit, kind, debit, credit, lines
FROM ledger_year_total
"""


def _has_year_totals(session: Session) -> bool:
    """A book of a release before migration 0006 has no year totals (yet)."""
    found = session.scalar(
        text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_year_total'"
        )
    )
    return bool(found)


# The cash flow's per-year reading recomputed from the lines, and as kept: the
# lines not on cash of the entries that move cash (DOMAIN.md 6.4, direct method).
_CASH = "(SELECT id FROM account WHERE code IN ('1-101', '1-102', '1-111'))"
_RECOMPUTED_YEAR_CASH = f"""
SELECT CAST(substr(e.date, 1, 4) AS INTEGER) AS year, l.account_id, l.amount > 0,
       coalesce(o.kind, e.kind) = 'SA', sum(l.amount), count(*)
FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
LEFT JOIN journal_entry o ON o.id = e.reverses_id
WHERE l.account_id NOT IN {_CASH}
  AND EXISTS (SELECT 1 FROM journal_line c
              WHERE c.entry_id = l.entry_id AND c.account_id IN {_CASH})
GROUP BY 1, 2, 3, 4
"""
_KEPT_YEAR_CASH = """
SELECT year, account_id, debit, opening, amount, lines FROM ledger_year_cash
"""


def _year_totals(session: Session) -> list[Problem]:
    """The caches of per-year sums equal the SUM of the lines (DESIGN.md, the ledger)."""
    if not _has_year_totals(session):
        return []
    return _differences(
        session, _RECOMPUTED_YEAR_TOTALS, _KEPT_YEAR_TOTALS, "Ringkasan tahunan"
    ) + _differences(session, _RECOMPUTED_YEAR_CASH, _KEPT_YEAR_CASH, "Ringkasan arus kas")


def _differences(session: Session, recomputed: str, kept: str, where: str) -> list[Problem]:
    """One problem naming every (year, account) where ``kept`` differs from ``recomputed``."""
    differing = session.execute(
        text(
            f"SELECT year, account_id FROM ({recomputed} EXCEPT {kept}) "
            f"UNION SELECT year, account_id FROM ({kept} EXCEPT {recomputed}) ORDER BY 1, 2"
        )
    ).all()
    if not differing:
        return []
    codes = {aid: code for aid, code in session.execute(select(Account.id, Account.code))}
    places = sorted({(year, codes.get(aid, f"#{aid}")) for year, aid in differing})
    shown = ", ".join(f"{code} tahun {year}" for year, code in places[:10])
    more = f" dan {len(places) - 10} lagi" if len(places) > 10 else ""
    return [
        Problem(
            where,
            f"jumlah per tahun tidak sama dengan baris jurnal: {shown}{more}. "
            "Buku diubah di luar program dan laporan bisa salah; pulihkan cadangan "
            "terakhir yang lolos pemeriksaan.",
        )
    ]


def _sequences(session: Session) -> list[Problem]:
    problems = []
    # One pass over the numbers ("ST-2025-000123": series-year prefix, then six digits)
    # instead of one LIKE scan per series: SQLite's LIKE cannot use the index here.
    prefix_of = func.substr(JournalEntry.number, 1, func.length(JournalEntry.number) - 7)
    in_use = {
        prefix: (used, int(count))
        for prefix, used, count in session.execute(
            select(prefix_of, func.max(JournalEntry.number), func.count(JournalEntry.id)).group_by(
                prefix_of
            )
        )
    }
    for series, year, last in session.execute(
        select(NumberSequence.series, NumberSequence.year, NumberSequence.last)
    ):
        prefix = f"{series}-{year}-"
        used, count = in_use.get(prefix[:-1], (None, 0))
        # A sequence behind the numbers in use would hand out a number twice.
        if used is not None and int(used[len(prefix) :]) > last:
            problems.append(Problem(series, f"penomoran {prefix} tertinggal dari nomor {used}"))
        # Numbers are reserved in the posting's own transaction, so every number
        # given out belongs to an entry; a missing one is an entry deleted behind
        # the program's back (the last entry of the chain leaves no other trace).
        elif series in KINDS and count < last:
            problems.append(
                Problem(
                    series,
                    f"{last - count} nomor jurnal {prefix}... hilang (sudah diberikan sampai "
                    f"{format_entry_number(series, year, last)}): jurnal dihapus di luar program",
                )
            )
    return problems
