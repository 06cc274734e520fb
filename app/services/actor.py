"""The actor of a unit of work (defined in ``app.actor`` so that the ledger can ask too)."""

from app.actor import ANONYMOUS, SYSTEM, Actor, book_has_users, current_actor

__all__ = ["ANONYMOUS", "SYSTEM", "Actor", "book_has_users", "current_actor"]
