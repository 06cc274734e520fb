"""The book file: engine with safe SQLite pragmas, units of work, migrations.

One book is one SQLite file. Every connection gets the pragmas a treasurer's
books need to survive a power cut (WAL + synchronous FULL) and to keep
references honest (foreign keys). Every user action runs in exactly one
``unit_of_work``; services never commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from app.errors import BookError

if TYPE_CHECKING:
    from app.actor import Actor

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling would defer BEGIN; we issue
    # BEGIN IMMEDIATE ourselves so that two writers never interleave.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _on_begin(conn: Any) -> None:
    # Reads take no write lock, so a report in a worker thread never blocks
    # the counter; writes take it at BEGIN, never halfway through an action.
    if conn.get_execution_options().get("lumbung_read_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(path: Path | str) -> Engine:
    engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=True)


def plain_rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of a Core ``select`` as SQLite returns them, in the session's transaction.

    For bulk reads only (tens of thousands of rows), where SQLAlchemy's per-row
    result handling costs two or three times the query. Nothing is converted:
    a date comes back as its 'YYYY-MM-DD' text, a boolean as 0 or 1; integers and
    text are as stored. Parameters are bound as sqlite3 takes them (a date as ISO
    text): no Decimal, no datetime. The flush does what autoflush does before a
    query.
    """
    session.flush()
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    values = tuple(_sqlite_value(params[name]) for name in compiled.positiontup or [])
    driver = connection.connection.driver_connection
    assert driver is not None  # a session's connection is always checked out
    cursor = driver.cursor()
    try:
        cursor.execute(str(compiled), values)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
    finally:
        cursor.close()


def _sqlite_value(value: Any) -> Any:
    """A bound parameter as SQLAlchemy's SQLite types would store it."""
    if isinstance(value, datetime):
        raise TypeError("plain_rows() takes no datetime parameters")
    if isinstance(value, date):
        return value.isoformat()
    return value


@contextmanager
def unit_of_work(sessions: sessionmaker[Session], actor: Actor | None = None) -> Iterator[Session]:
    """One user action: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error.

    ``actor`` is who acts (``app.actor``); services and the ledger check it.
    """
    session = sessions()
    if actor is not None:
        session.info["actor"] = actor
    try:
        with session.begin():
            yield session
    finally:
        session.close()


# Present in the info of a read session (its dict holds app.ledger.balances' dated
# sums); readers keep what they read there for the length of the transaction.
READ_MEMO = "lumbung.sums_memo"


@contextmanager
def read_session(sessions: sessionmaker[Session], actor: Actor | None = None) -> Iterator[Session]:
    """A short read; screens take frozen dataclasses out of it, never ORM objects."""
    session = sessions()
    if actor is not None:
        session.info["actor"] = actor
    try:
        session.connection(execution_options={"lumbung_read_only": True})
        session.info[READ_MEMO] = {}  # one snapshot: what was read can be kept
        yield session
    finally:
        session.rollback()
        session.close()


# -- migrations -------------------------------------------------------------


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def backup_copy(src: Path, dest: Path) -> Path:
    """A consistent copy of a live book through SQLite's online backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(src))
    try:
        target = sqlite3.connect(str(dest))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return dest


def migrate(engine: Engine, path: Path | None = None) -> Path | None:
    """Bring the schema to the newest revision.

    An existing book is copied first (``<name>.sebelum-<rev>-<time>.sqlite``)
    so that a failed upgrade can never cost the treasurer her books. Returns
    the path of that copy, or None when nothing had to change.
    """
    from alembic import command

    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    copy: Path | None = None
    if current is not None and path is not None and path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = backup_copy(path, path.with_name(f"{path.stem}.sebelum-{head}-{stamp}.sqlite"))
    try:
        command.upgrade(_alembic_config(engine), "head")
    except Exception as exc:  # pragma: no cover - depends on a broken migration
        raise BookError(
            "Buku tidak dapat diperbarui ke versi baru. Buku lama tidak berubah"
            + (f"; salinannya ada di {copy}." if copy else ".")
        ) from exc
    return copy
