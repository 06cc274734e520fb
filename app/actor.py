"""Who is acting in a unit of work: the logged-in user and their role.

``unit_of_work(sessions, actor=...)`` puts the actor in ``session.info``;
services and ``ledger.post_many`` ask ``current_actor(session)`` through
``app.permissions``. This module sits beside ``app.db`` (below every layer)
because the ledger itself checks who posts.

A book without any active user has no logins: the actor is ``SYSTEM`` (role
admin), which is how the demo builder, the importer and the tests work. A book
*with* users and no actor given is refused everything that changes data
(``ANONYMOUS``): a forgotten actor fails closed, never open.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.models import User

ACTOR_KEY = "actor"
_HAS_USERS_KEY = "book_has_users"


@dataclass(frozen=True)
class Actor:
    username: str
    role: str


SYSTEM = Actor("sistem", "admin")
ANONYMOUS = Actor("", "")


def book_has_users(session: Session) -> bool:
    """True when the book has an active login; decided once per unit of work (cached)."""
    cached = session.info.get(_HAS_USERS_KEY)
    if cached is None:
        if not inspect(session.connection()).has_table("user"):
            cached = False
        else:
            cached = session.scalar(select(User.id).where(User.active).limit(1)) is not None
        session.info[_HAS_USERS_KEY] = cached
    return bool(cached)


def current_actor(session: Session) -> Actor:
    actor = session.info.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    return ANONYMOUS if book_has_users(session) else SYSTEM
