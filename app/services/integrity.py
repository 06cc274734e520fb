"""Is the book still whole? The start-up chain check and its stored checkpoint.

The checkpoint (``app.ledger.chain``) lives in the ``setting`` table under
``option.chain_checkpoint`` (read with ``settings.get_option``). Moving it is
bookkeeping of the check itself, not a change the treasurer made, so it is
written without an audit record (one per start would bury the real ones).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from app.ledger.chain import (
    SAMPLE,
    ChainCheck,
    Checkpoint,
    check_chain,
    checkpoint_after_full_check,
)
from app.ledger.check import Problem, Progress, check_book
from app.models import Setting
from app.services import settings

CHECKPOINT_OPTION = "chain_checkpoint"


def load_checkpoint(session: Session) -> Checkpoint | None:
    return Checkpoint.from_json(settings.get_option(session, CHECKPOINT_OPTION, None))


def save_checkpoint(session: Session, checkpoint: Checkpoint) -> None:
    key = f"option.{CHECKPOINT_OPTION}"
    value = json.dumps(checkpoint.to_json(), sort_keys=True)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


def startup_check(
    session: Session, *, sample: int = SAMPLE, progress: Progress | None = None
) -> ChainCheck:
    """The quick check at start (read only); store ``result.checkpoint`` when it is clean."""
    return check_chain(session, load_checkpoint(session), sample=sample, progress=progress)


def full_check(
    session: Session, progress: Progress | None = None
) -> tuple[list[Problem], Checkpoint | None]:
    """``lumbung check``'s whole check; a clean book also yields a fresh checkpoint."""
    problems = check_book(session, progress)
    if problems:
        return problems, None
    return [], checkpoint_after_full_check(session)


def warning_text(problems: list[Problem]) -> str:
    """The banner's sentence: the first problem, how many more, what to do."""
    if not problems:
        return ""
    more = f" (dan {len(problems) - 1} masalah lain)" if len(problems) > 1 else ""
    return (
        f"Rantai jurnal rusak: {problems[0]}{more}. Jalankan Buku \u2192 Periksa buku, "
        "dan hubungi pengawas."
    )
