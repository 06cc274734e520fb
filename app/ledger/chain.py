"""The start-up check of the journal: quick, from a verified checkpoint.

``lumbung check`` recomputes every hash of the chain; on a book of 740.000
entries that takes half a minute, too long for every start. So after a clean
check we remember a *checkpoint*: the last entry verified, its hash, and
cheap aggregates over everything up to it. At the next start only the
entries after the checkpoint are recomputed; the older part is proven
unchanged by comparing the aggregates, which SQLite computes in one pass
(a few tenths of a second on a large book):

* the number of entries and of lines up to the checkpoint (a deleted or
  inserted row changes it);
* the exact sum of the amounts and of their absolute values (any single
  changed amount changes one of the two, whatever the amount);
* a weighted digest over every numeric column of every line (id, entry,
  line number, account, member, loan, amount, and the lengths of the text
  columns) and of every entry (id, date, number, kind, member, reversal,
  poster, time), each row weighted by a factor derived from its id, modulo
  the prime 2^31 - 1. A change of one row changes the digest for certain; a
  combination of changes goes unnoticed only if it cancels modulo the prime
  (about one chance in two billion for edits that are not built for it);
* the links between consecutive entries (``prev_hash`` = the previous ``hash``);
* the entry numbers: every number a series gave out still has its entry (the
  only trace a deleted *last* entry leaves);
* the checkpoint entry itself: its stored hash still equals the checkpoint's
  and its content still hashes to it.

On top of that every start recomputes a rotating window of older entries
(``SAMPLE`` of them), so that even an edit the aggregates cannot see (a
memo rewritten with the same length) is found within a bounded number of
starts. The full recompute stays with ``lumbung check`` and "Periksa buku".

Anyone who can edit the file can also edit the stored checkpoint; the
checkpoint guards against changes behind the program's back made without
knowledge of this scheme, like the hash chain itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.ledger.check import (
    _TRIGGERS,
    Problem,
    Progress,
    _entries_balanced,
    _sequences,
    verify_chain,
)
from app.ledger.posting import GENESIS_HASH
from app.money import format_rupiah

PRIME = 2_147_483_647  # 2^31 - 1
SAMPLE = 20_000

# Each row's value: a weighted sum of its columns reduced modulo the prime,
# times a weight in [1, PRIME - 1] derived from its id, reduced again. Every
# intermediate stays below 2^63, so SQLite never falls back to floating point.
_LINE_AGGREGATES = f"""
SELECT count(*), coalesce(sum(amount), 0), coalesce(sum(abs(amount)), 0),
  coalesce(sum(((
      (id % {PRIME}) * 1000003 + (entry_id % {PRIME}) * 8191 + (line_no % {PRIME}) * 131
    + (account_id % {PRIME}) * 524287 + (coalesce(member_id, 0) % {PRIME}) * 65537
    + (coalesce(loan_id, 0) % {PRIME}) * 257 + (amount % {PRIME}) * 3
    + (amount / {PRIME}) * 5 + coalesce(length(unit), 0) * 17 + coalesce(length(memo), 0) * 19
  ) % {PRIME}) * (((id * 40503) % ({PRIME} - 1)) + 1) % {PRIME}), 0)
FROM journal_line WHERE entry_id > :after AND entry_id <= :upto
"""

_ENTRY_AGGREGATES = f"""
SELECT count(*),
  coalesce(sum(((
      (id % {PRIME}) * 1000003
    + (CAST(replace(date, '-', '') AS INTEGER) % {PRIME}) * 8191
    + (CAST(substr(number, -6) AS INTEGER) % {PRIME}) * 131 + length(number) * 524287
    + coalesce(unicode(kind), 0) * 65537 + coalesce(unicode(substr(kind, 2)), 0) * 257
    + (coalesce(member_id, 0) % {PRIME}) * 3 + (coalesce(reverses_id, 0) % {PRIME}) * 5
    + coalesce(length(memo), 0) * 17 + coalesce(length(posted_by), 0) * 19
    + (CAST(substr(replace(replace(replace(posted_at, '-', ''), ':', ''), ' ', ''), 1, 14)
        AS INTEGER) % {PRIME}) * 23
  ) % {PRIME}) * (((id * 40503) % ({PRIME} - 1)) + 1) % {PRIME}), 0)
FROM journal_entry WHERE id > :after AND id <= :upto
"""

# Entries up to the checkpoint whose prev_hash is not the hash of the entry before.
_BROKEN_LINKS = f"""
SELECT e.number FROM journal_entry e LEFT JOIN journal_entry p ON p.id = e.id - 1
WHERE e.id <= :upto AND CASE
  WHEN p.id IS NULL THEN e.id != 1 OR e.prev_hash != '{GENESIS_HASH}'
  ELSE e.prev_hash != p.hash END
ORDER BY e.id LIMIT 20
"""


@dataclass(frozen=True)
class Aggregates:
    entries: int = 0
    lines: int = 0
    line_sum: int = 0
    line_abs: int = 0
    line_digest: int = 0
    entry_digest: int = 0

    def __add__(self, other: Aggregates) -> Aggregates:
        return Aggregates(
            self.entries + other.entries,
            self.lines + other.lines,
            self.line_sum + other.line_sum,
            self.line_abs + other.line_abs,
            (self.line_digest + other.line_digest) % PRIME,
            (self.entry_digest + other.entry_digest) % PRIME,
        )


@dataclass(frozen=True)
class Checkpoint:
    """The last entry a check proved intact, and the aggregates up to it."""

    entry_id: int
    hash: str
    aggregates: Aggregates
    sample_after: int = 0  # the next rotating sample starts after this entry id

    def to_json(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id,
            "hash": self.hash,
            "sample_after": self.sample_after,
            **asdict(self.aggregates),
        }

    @classmethod
    def from_json(cls, value: object) -> Checkpoint | None:
        """The stored form back; None when it is missing or unreadable."""
        if not isinstance(value, Mapping):
            return None
        try:
            numbers = {f.name: int(value[f.name]) for f in fields(Aggregates)}
            return cls(
                entry_id=int(value["entry_id"]),
                hash=str(value["hash"]),
                aggregates=Aggregates(**numbers),
                sample_after=int(value.get("sample_after", 0)),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class ChainCheck:
    problems: list[Problem]
    checked: int  # entries whose hash was recomputed
    full: bool  # True when the whole chain was recomputed (no usable checkpoint)
    checkpoint: Checkpoint | None  # the new checkpoint to store; None when problems

    @property
    def clean(self) -> bool:
        return not self.problems


def aggregates(session: Session, *, after: int = 0, upto: int) -> Aggregates:
    bounds = {"after": after, "upto": upto}
    count, total, absolute, digest = session.execute(text(_LINE_AGGREGATES), bounds).one()
    entries, entry_digest = session.execute(text(_ENTRY_AGGREGATES), bounds).one()
    return Aggregates(
        int(entries),
        int(count),
        int(total),
        int(absolute),
        int(digest) % PRIME,
        int(entry_digest) % PRIME,
    )


def last_entry_id(session: Session) -> int:
    return int(session.scalar(text("SELECT coalesce(max(id), 0) FROM journal_entry")) or 0)


def quick_problems(session: Session) -> list[Problem]:
    """What costs little on any book: SQLite's quick_check, the guards, the balances."""
    problems = []
    for (row,) in session.execute(text("PRAGMA quick_check")):
        if row != "ok":
            problems.append(Problem("SQLite", f"quick_check: {row}"))
    present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    for missing in sorted(_TRIGGERS - present):
        problems.append(
            Problem("Pengaman jurnal", f"trigger {missing} hilang: jurnal bisa diubah diam-diam")
        )
    total = int(session.scalar(text("SELECT coalesce(sum(amount), 0) FROM journal_line")) or 0)
    if total:
        problems.append(
            Problem(
                "Buku", f"jumlah debit dan kredit seluruh jurnal selisih {format_rupiah(total)}"
            )
        )
    problems += _entries_balanced(session)
    problems += _sequences(session)
    return problems


def _compare(stored: Aggregates, now: Aggregates, upto: str) -> list[Problem]:
    where = f"Jurnal s.d. {upto}"
    problems = []
    if now.entries != stored.entries:
        problems.append(
            Problem(
                where,
                f"jumlah jurnal berubah dari {stored.entries} menjadi {now.entries}: "
                "jurnal dihapus atau disisipi di luar program",
            )
        )
    if now.lines != stored.lines:
        problems.append(
            Problem(
                where,
                f"jumlah baris jurnal berubah dari {stored.lines} menjadi {now.lines}: "
                "baris dihapus atau disisipi di luar program",
            )
        )
    if (now.line_sum, now.line_abs, now.line_digest) != (
        stored.line_sum,
        stored.line_abs,
        stored.line_digest,
    ):
        problems.append(Problem(where, "isi baris jurnal berubah di luar program"))
    if now.entry_digest != stored.entry_digest and now.entries == stored.entries:
        problems.append(Problem(where, "isi kepala jurnal berubah di luar program"))
    return problems


def check_chain(
    session: Session,
    checkpoint: Checkpoint | None,
    *,
    sample: int = SAMPLE,
    progress: Progress | None = None,
) -> ChainCheck:
    """The start-up check: the whole chain without a checkpoint, else from it."""
    problems = quick_problems(session)
    if checkpoint is None or checkpoint.entry_id <= 0:
        chain = verify_chain(session, progress=progress)
        problems += chain.problems
        if problems:
            return ChainCheck(problems, chain.checked, True, None)
        upto = chain.last_id
        new = Checkpoint(upto, chain.last_hash, aggregates(session, upto=upto))
        return ChainCheck([], chain.checked, True, new)

    cp = checkpoint
    number = session.scalar(
        text("SELECT number FROM journal_entry WHERE id = :id"), {"id": cp.entry_id}
    )
    label = str(number) if number is not None else f"jurnal #{cp.entry_id}"
    stored_hash = session.scalar(
        text("SELECT hash FROM journal_entry WHERE id = :id"), {"id": cp.entry_id}
    )
    if stored_hash is None:
        problems.append(
            Problem(label, "jurnal titik periksa terakhir hilang: jurnal dihapus di luar program")
        )
    elif stored_hash != cp.hash:
        problems.append(
            Problem(label, "hash jurnal titik periksa berubah: jurnal diubah di luar program")
        )
    checked = 0
    if stored_hash is not None:
        own = verify_chain(session, after_id=cp.entry_id - 1, upto_id=cp.entry_id, prev=None)
        problems += own.problems
        checked += own.checked
    problems += _compare(cp.aggregates, aggregates(session, upto=cp.entry_id), label)
    for (broken,) in session.execute(text(_BROKEN_LINKS), {"upto": cp.entry_id}):
        problems.append(
            Problem(
                str(broken), "rantai hash putus: jurnal sebelumnya diubah, dihapus atau disisipi"
            )
        )
    after = verify_chain(session, after_id=cp.entry_id, prev=cp.hash, progress=progress)
    problems += after.problems
    checked += after.checked

    # A rotating window of older entries, recomputed in full.
    start = cp.sample_after if 0 <= cp.sample_after < cp.entry_id - 1 else 0
    end = min(start + sample, cp.entry_id - 1)
    if sample > 0 and end > start:
        window = verify_chain(session, after_id=start, upto_id=end, prev=None)
        problems += window.problems
        checked += window.checked
    next_sample = end if end < cp.entry_id - 1 else 0

    if problems:
        return ChainCheck(_unique(problems), checked, False, None)
    upto = after.last_id or cp.entry_id
    grown = cp.aggregates + aggregates(session, after=cp.entry_id, upto=upto)
    new = replace(
        cp,
        entry_id=upto,
        hash=after.last_hash if after.last_id else cp.hash,
        aggregates=grown,
        sample_after=next_sample,
    )
    return ChainCheck([], checked, False, new)


def checkpoint_after_full_check(session: Session, upto: int | None = None) -> Checkpoint:
    """A checkpoint at ``upto`` (default the last entry) after a clean full ``check_book``."""
    upto = last_entry_id(session) if upto is None else upto
    digest = session.scalar(text("SELECT hash FROM journal_entry WHERE id = :id"), {"id": upto})
    return Checkpoint(upto, str(digest or GENESIS_HASH), aggregates(session, upto=upto))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            out.append(problem)
    return out
