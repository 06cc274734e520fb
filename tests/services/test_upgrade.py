"""Installing a newer Lumbung over an older one: the first start upgrades the book it finds.

The book of the older version is made at an older Alembic revision, filled
through the services (members with their pokok, deposits: real hash-chained
journal entries), then opened the way the new program opens it. Nothing may
be lost, the integrity check must stay clean, and a copy of the old file must
exist before the schema changed.

(tests/services/test_book.py checks the revision numbers on a profile-only
book; this test checks the data a treasurer would actually have.)
If a later migration changes a table that these services write, filling the
book at the old revision fails here first: fill that revision with SQL instead.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.book import open_book
from app.db import (
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_sessions,
    read_session,
    unit_of_work,
)
from app.ledger.balances import member_savings
from app.ledger.check import check_book
from app.models import JournalEntry, Member
from app.services import books, members, savings
from app.services.settings import Profile, get_profile
from tests.services.helpers import ASEP, DEDI, SITI, USER


def older_revisions() -> list[str]:
    """Every revision below head, oldest first: books that older releases may have left."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    head = head_revision()
    return [rev.revision for rev in reversed(list(script.walk_revisions())) if rev.revision != head]


def make_old_book(path: Path, revision: str, profile: Profile) -> dict[str, object]:
    """A book of the older program at ``revision``: three members, deposits; what it holds."""
    from alembic import command

    engine = make_engine(path)
    try:
        command.upgrade(_alembic_config(engine), revision)
        assert current_revision(engine) == revision
        sessions = make_sessions(engine)
        with unit_of_work(sessions) as session:
            books.initialise(session, profile, by=USER)
        ids = []
        joins = ((SITI, date(2025, 1, 6)), (ASEP, date(2025, 2, 3)), (DEDI, date(2025, 3, 3)))
        for person, joined in joins:
            with unit_of_work(sessions) as session:
                ids.append(members.register(session, person, joined_on=joined, by=USER).member_id)
        for month in (4, 5, 6):
            with unit_of_work(sessions) as session:
                for member_id in ids:
                    savings.deposit(
                        session,
                        member_id,
                        {"wajib": 20_000, "sukarela": 5_000 * member_id},
                        on=date(2025, month, 10),
                        by=USER,
                    )
        with read_session(sessions) as session:
            return {
                "members": session.scalar(select(func.count(Member.id))),
                "entries": session.scalar(select(func.count(JournalEntry.id))),
                "last_hash": session.scalar(
                    select(JournalEntry.hash).order_by(JournalEntry.id.desc()).limit(1)
                ),
                "savings": {m: member_savings(session, m) for m in ids},
                "problems": check_book(session),
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", older_revisions())
def test_book_of_an_older_release_opens_upgraded_with_its_data_intact(
    tmp_path: Path, profile: Profile, revision: str
) -> None:
    path = tmp_path / "lumbung.sqlite"
    before = make_old_book(path, revision, profile)
    assert before["members"] == 3 and before["entries"] == 12  # 3 registrations + 9 deposits
    assert before["problems"] == []

    book = open_book(path)
    try:
        assert current_revision(book.engine) == head_revision() != revision
        with read_session(book.sessions) as session:
            assert get_profile(session).name == profile.name
            assert session.scalar(select(func.count(Member.id))) == before["members"]
            assert session.scalar(select(func.count(JournalEntry.id))) == before["entries"]
            assert (
                session.scalar(select(JournalEntry.hash).order_by(JournalEntry.id.desc()).limit(1))
                == before["last_hash"]
            )
            assert {m: member_savings(session, m) for m in before["savings"]} == before["savings"]
            assert check_book(session) == []
        # The upgraded book takes new postings on the same hash chain.
        with unit_of_work(book.sessions) as session:
            savings.deposit(session, 1, {"sukarela": 1_000}, on=date(2025, 7, 1), by=USER)
        with read_session(book.sessions) as session:
            assert check_book(session) == []

        copy = book.migrated_from_backup
        assert copy is not None and copy.exists() and copy.parent == path.parent
        assert copy.name.startswith(f"lumbung.sebelum-{head_revision()}-")
        old = sqlite3.connect(copy)
        try:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
            assert old.execute("SELECT count(*) FROM member").fetchone() == (3,)
            assert old.execute("SELECT count(*) FROM journal_entry").fetchone() == (12,)
        finally:
            old.close()
    finally:
        book.close()

    # The second start finds nothing to upgrade and makes no second copy.
    again = open_book(path)
    try:
        assert again.migrated_from_backup is None
        assert sorted(p.name for p in tmp_path.glob("lumbung.sebelum-*.sqlite")) == [copy.name]
    finally:
        again.close()
