"""Books that survive faults: SIGKILL while posting, and edits behind the program's back.

(a) A child process posts in small units of work and is killed (SIGKILL) at a
    random moment, 50 times: afterwards ``check_book`` is clean, every entry
    the child reported committed is there, and nothing beyond one unit of
    work is there that it did not report (no partial entry: every entry
    balances and has its lines, which ``check_book`` proves).
(b) A journal line is edited, deleted or inserted with plain SQL: both the
    full ``check_book`` and the start-up chain check (from its checkpoint)
    report it, every time, before, at and after the checkpoint.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from app.book import Book, create_book
from app.db import backup_copy, make_engine, make_sessions, read_session, unit_of_work
from app.ledger.chain import Checkpoint
from app.ledger.check import check_book
from app.ledger.posting import Entry, Line, post_many
from app.services import integrity, savings
from app.services.settings import Profile
from tests.services.helpers import ASEP, DEDI, SITI, USER, register

CHECKPOINT = 203  # the chained book's checkpoint entry


def _entry_numbers(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT number FROM journal_entry")}
    finally:
        conn.close()


def _checks(path: Path) -> tuple[list[str], list[str], Checkpoint | None]:
    """(full check problems, start-up check problems, the new checkpoint) on a fresh engine."""
    engine = make_engine(path)
    try:
        sessions = make_sessions(engine)
        with read_session(sessions) as session:
            full = [str(p) for p in check_book(session)]
            quick = integrity.startup_check(session)
        return full, [str(p) for p in quick.problems], quick.checkpoint
    finally:
        engine.dispose()


def _quick(path: Path) -> list[str]:
    engine = make_engine(path)
    try:
        with read_session(make_sessions(engine)) as session:
            return [str(p) for p in integrity.startup_check(session).problems]
    finally:
        engine.dispose()


def _save_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    engine = make_engine(path)
    try:
        with unit_of_work(make_sessions(engine)) as session:
            integrity.save_checkpoint(session, checkpoint)
    finally:
        engine.dispose()


# -- (a) SIGKILL while posting --------------------------------------------------------


KILLS = 50


def _poster_context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.services.fault_poster"])
    return context


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and forkserver are POSIX")
def test_sigkill_at_random_moments_never_loses_or_splits_an_entry(
    tmp_path: Path, profile: Profile
) -> None:
    from tests.services.fault_poster import MAX_UNIT, post_until_killed

    path = tmp_path / "buku.sqlite"
    book = create_book(path, profile, by=USER)
    ids = [register(book, person) for person in (SITI, ASEP, DEDI)]
    book.close()
    context = _poster_context()
    rng = random.Random(20251128)
    kills = mid_unit = reported_total = 0
    before = _entry_numbers(path)
    for run in range(KILLS):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=post_until_killed, args=(str(path), run, ids, send))
        child.start()
        send.close()
        assert receive.poll(30) and receive.recv() == "READY"
        # Kill after a random number of committed units, a random moment into the next.
        reported: set[str] = set()
        for _ in range(rng.randint(0, 40)):
            assert receive.poll(30), "the poster stopped posting"
            reported.update(receive.recv())
        time.sleep(rng.uniform(0, 0.03))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        assert child.exitcode == -signal.SIGKILL  # killed while posting, not crashed
        while receive.poll(0):  # what it reported before it died
            try:
                reported.update(receive.recv())
            except EOFError:
                break
        receive.close()
        kills += 1
        reported_total += len(reported)

        after = _entry_numbers(path)
        full, quick, checkpoint = _checks(path)
        assert full == [], f"run {run}: {full}"
        assert quick == [], f"run {run}: {quick}"
        assert reported <= after, f"run {run}: committed entries lost: {reported - after}"
        unreported = after - before - reported
        # Committed but killed before it could say so: at most the one unit of work.
        assert len(unreported) <= MAX_UNIT, f"run {run}: {sorted(unreported)}"
        mid_unit += bool(unreported)
        if run % 5 == 4 and checkpoint is not None:
            _save_checkpoint(path, checkpoint)  # later runs go through the checkpoint path
        before = after

    assert kills == KILLS
    assert reported_total >= 1000, reported_total  # thousands of entries went in
    print(
        f"\nSIGKILL: {kills} kills, {len(before)} entries in the book, {reported_total} "
        f"reported committed (all present, check clean after every kill), {mid_unit} kills "
        "fell between a COMMIT and its report"
    )


# -- (b) edits behind the program's back ------------------------------------------------


@pytest.fixture(scope="module")
def chained_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """3 registrations and 300 postings (deposits, cash receipts); a checkpoint at entry 203."""
    folder = tmp_path_factory.mktemp("rantai")
    profile = Profile(name="Koperasi Desa Uji Rantai", desa="Sukamaju")
    path = folder / "buku.sqlite"
    mp = pytest.MonkeyPatch()
    mp.setattr("app.dates.today", lambda: date(2025, 12, 31))
    book: Book = create_book(path, profile, by=USER)
    try:
        ids = [register(book, person) for person in (SITI, ASEP, DEDI)]
        rng = random.Random(7)
        for n in range(300):
            with unit_of_work(book.sessions) as session:
                on = date(2025, 2 + n * 10 // 300, 1 + n % 28)
                amount = rng.randint(1, 200) * 1000
                if n % 3:
                    savings.deposit(
                        session,
                        ids[n % 3],
                        {"wajib": 20_000, "sukarela": amount},
                        on=on,
                        by=USER,
                    )
                else:
                    entry = Entry(
                        on, "KM", "Administrasi", [Line("1-101", amount), Line("4-102", -amount)]
                    )
                    post_many(session, [entry], by=USER)
            if n == 199:
                with read_session(book.sessions) as session:
                    result = integrity.startup_check(session)
                assert result.clean and result.checkpoint is not None
                assert result.checkpoint.entry_id == CHECKPOINT
                with unit_of_work(book.sessions) as session:
                    integrity.save_checkpoint(session, result.checkpoint)
    finally:
        book.close()
        mp.undo()
    yield path


def _copy(chained_book: Path, tmp_path: Path) -> Path:
    target = tmp_path / "salinan.sqlite"
    backup_copy(chained_book, target)
    return target


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(
            "DROP TRIGGER IF EXISTS journal_line_no_update;"
            "DROP TRIGGER IF EXISTS journal_line_no_delete;"
            "DROP TRIGGER IF EXISTS journal_entry_no_update;"
            "DROP TRIGGER IF EXISTS journal_entry_no_delete;"
        )
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        # Put the guards back, so only the tampering itself is left to find.
        for table in ("journal_entry", "journal_line"):
            for action in ("UPDATE", "DELETE"):
                conn.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'tidak boleh'); END"
                )
        conn.commit()
    finally:
        conn.close()


def _line_of_entry(path: Path, entry_id: int, which: int = 0) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT id, amount FROM journal_line WHERE entry_id = ? ORDER BY line_no", (entry_id,)
        ).fetchall()
        return rows[which % len(rows)]
    finally:
        conn.close()


Tamper = Callable[[Path, int], None]


def edit_amount(path: Path, entry_id: int) -> None:
    line, _ = _line_of_entry(path, entry_id)
    _sql(path, f"UPDATE journal_line SET amount = amount + 1000 WHERE id = {line}")


def edit_amount_balanced(path: Path, entry_id: int) -> None:
    """Both sides changed by the same amount: the entry still balances."""
    first, _ = _line_of_entry(path, entry_id, 0)
    second, _ = _line_of_entry(path, entry_id, 1)
    _sql(
        path,
        f"UPDATE journal_line SET amount = amount + 5000 WHERE id = {first}",
        f"UPDATE journal_line SET amount = amount - 5000 WHERE id = {second}",
    )


def swap_amounts_between_entries(path: Path, entry_id: int) -> None:
    """Two entries of the same shape swap their amounts line by line.

    Both still balance; the counts and the sums of amounts stay the same: only
    the digest (and the full chain) can tell.
    """
    conn = sqlite3.connect(path)
    try:

        def lines(e: int) -> list[tuple[int, int, int]]:
            return conn.execute(
                "SELECT id, account_id, amount FROM journal_line WHERE entry_id = ? "
                "ORDER BY line_no",
                (e,),
            ).fetchall()

        mine = lines(entry_id)
        shape = [account for _, account, _ in mine]
        for distance in sorted(range(-10, 11), key=abs):
            candidate = lines(entry_id + distance) if distance else []
            amounts = [amount for *_, amount in candidate]
            if [a for _, a, _ in candidate] == shape and amounts != [m[2] for m in mine]:
                theirs = candidate
                break
    finally:
        conn.close()
    mine = [(i, amount) for i, _, amount in mine]
    theirs = [(i, amount) for i, _, amount in theirs]
    assert len(mine) == len(theirs) and [a for _, a in mine] != [a for _, a in theirs]
    _sql(
        path,
        *(
            f"UPDATE journal_line SET amount = {b_amount} WHERE id = {a_id}"
            for (a_id, _), (_, b_amount) in zip(mine, theirs, strict=True)
        ),
        *(
            f"UPDATE journal_line SET amount = {a_amount} WHERE id = {b_id}"
            for (_, a_amount), (b_id, _) in zip(mine, theirs, strict=True)
        ),
    )


def edit_account(path: Path, entry_id: int) -> None:
    line, _ = _line_of_entry(path, entry_id)
    _sql(
        path,
        f"UPDATE journal_line SET account_id = (SELECT id FROM account WHERE code = '1-102') "
        f"WHERE id = {line}",
    )


def edit_member(path: Path, entry_id: int) -> None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT id, member_id FROM journal_line WHERE entry_id = ? AND member_id IS NOT NULL",
            (entry_id,),
        ).fetchone()
    finally:
        conn.close()
    if row is None:  # a cash receipt: move its cash line to a member instead
        line, _ = _line_of_entry(path, entry_id)
        _sql(path, f"UPDATE journal_line SET member_id = 1 WHERE id = {line}")
    else:
        _sql(path, f"UPDATE journal_line SET member_id = {row[1] % 3 + 1} WHERE id = {row[0]}")


def delete_line(path: Path, entry_id: int) -> None:
    line, _ = _line_of_entry(path, entry_id, 1)
    _sql(path, f"DELETE FROM journal_line WHERE id = {line}")


def insert_line(path: Path, entry_id: int) -> None:
    _sql(
        path,
        "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
        f"SELECT entry_id, 9, account_id, 2500, unit, '' FROM journal_line "
        f"WHERE entry_id = {entry_id} LIMIT 1",
    )


def insert_balanced_pair(path: Path, entry_id: int) -> None:
    _sql(
        path,
        "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
        f"SELECT entry_id, 8, account_id, 7000, unit, '' FROM journal_line "
        f"WHERE entry_id = {entry_id} LIMIT 1",
        "INSERT INTO journal_line (entry_id, line_no, account_id, amount, unit, memo) "
        f"SELECT entry_id, 9, (SELECT id FROM account WHERE code = '4-102'), -7000, unit, '' "
        f"FROM journal_line WHERE entry_id = {entry_id} LIMIT 1",
    )


def delete_entry(path: Path, entry_id: int) -> None:
    _sql(
        path,
        f"DELETE FROM journal_line WHERE entry_id = {entry_id}",
        f"DELETE FROM journal_entry WHERE id = {entry_id}",
    )


def edit_entry_date(path: Path, entry_id: int) -> None:
    _sql(path, f"UPDATE journal_entry SET date = '2025-06-30' WHERE id = {entry_id}")


def edit_memo(path: Path, entry_id: int) -> None:
    _sql(path, f"UPDATE journal_entry SET memo = memo || ' (diubah)' WHERE id = {entry_id}")


TAMPERS: list[Tamper] = [
    edit_amount,
    edit_amount_balanced,
    swap_amounts_between_entries,
    edit_account,
    edit_member,
    delete_line,
    insert_line,
    insert_balanced_pair,
    delete_entry,
    edit_entry_date,
    edit_memo,
]
# Before the checkpoint, the checkpoint entry itself, after it.
WHERE = {"sebelum": (5, 57, 120, 202), "titik": (CHECKPOINT,), "sesudah": (204, 250, 303)}


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.__name__)
@pytest.mark.parametrize("where", list(WHERE))
def test_every_edit_behind_the_programs_back_is_reported(
    chained_book: Path, tmp_path: Path, tamper: Tamper, where: str
) -> None:
    clean_full, clean_quick, _ = _checks(chained_book)
    assert clean_full == [] and clean_quick == []
    for entry_id in WHERE[where]:
        copy = _copy(chained_book, tmp_path)
        tamper(copy, entry_id)
        full, quick, checkpoint = _checks(copy)
        assert full, f"{tamper.__name__} at entry {entry_id}: check_book saw nothing"
        assert quick, f"{tamper.__name__} at entry {entry_id}: start-up check saw nothing"
        assert checkpoint is None  # a broken book never moves the checkpoint
        copy.unlink()


def test_random_single_line_edits_before_the_checkpoint_are_all_reported(
    chained_book: Path, tmp_path: Path
) -> None:
    """40 random lines before the checkpoint, each changed in a random numeric column."""
    rng = random.Random(99)
    conn = sqlite3.connect(chained_book)
    try:
        lines = [row[0] for row in conn.execute("SELECT id FROM journal_line WHERE entry_id < 203")]
    finally:
        conn.close()
    for line in rng.sample(lines, 40):
        column, change = rng.choice(
            [
                ("amount", f"amount + {rng.randint(1, 10**9)}"),
                ("amount", "-amount"),
                ("account_id", "account_id + 1"),
                ("line_no", "line_no + 10"),
                ("entry_id", "entry_id - 1"),
            ]
        )
        copy = _copy(chained_book, tmp_path)
        _sql(copy, f"UPDATE journal_line SET {column} = {change} WHERE id = {line}")
        assert _quick(copy), f"line {line}: {column} = {change} not seen by the start-up check"
        copy.unlink()


def test_a_same_length_memo_edit_is_found_by_the_rotating_sample(
    chained_book: Path, tmp_path: Path
) -> None:
    """Invisible to the aggregates; the full check and the sample window still find it."""
    copy = _copy(chained_book, tmp_path)
    _sql(copy, "UPDATE journal_entry SET memo = upper(memo) WHERE id = 10")
    engine = make_engine(copy)
    try:
        with read_session(make_sessions(engine)) as session:
            assert check_book(session)
            assert not integrity.startup_check(session, sample=0).problems  # the blind spot
            assert integrity.startup_check(session, sample=50).problems  # window 0..50
    finally:
        engine.dispose()


def test_the_checkpoint_moves_forward_and_later_edits_are_still_found(
    chained_book: Path, tmp_path: Path
) -> None:
    copy = _copy(chained_book, tmp_path)
    _full, quick, checkpoint = _checks(copy)
    assert quick == [] and checkpoint is not None
    assert checkpoint.entry_id == 303
    _save_checkpoint(copy, checkpoint)
    edit_amount(copy, 250)  # now before the new checkpoint
    _full, quick, _ = _checks(copy)
    assert any("isi baris jurnal berubah" in p for p in quick), quick


def test_a_lost_or_garbled_checkpoint_falls_back_to_the_full_chain(
    chained_book: Path, tmp_path: Path
) -> None:
    copy = _copy(chained_book, tmp_path)
    _sql(
        copy,
        "UPDATE setting SET value = '\"kacau\"' WHERE key = 'option.chain_checkpoint'",
    )
    engine = make_engine(copy)
    try:
        with read_session(make_sessions(engine)) as session:
            result = integrity.startup_check(session)
    finally:
        engine.dispose()
    assert result.full and result.clean and result.checked == 303
    edit_amount(copy, 20)
    _full, quick, _ = _checks(copy)
    assert quick


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LUMBUNG_DB", raising=False)
    os.environ.setdefault("LUMBUNG_NO_BACKGROUND_JOBS", "1")
