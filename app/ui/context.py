"""What every screen gets: the book, the user, and a bus to hear about changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session, sessionmaker

from app.actor import SYSTEM, Actor
from app.book import Book


class Bus(QObject):
    # Emitted after any unit of work commits; screens refresh instead of calling each other.
    data_changed = Signal()
    # Ask the main window to show a screen by key ("anggota", "simpanan", ...), with an optional id.
    navigate = Signal(str, int)


@dataclass
class AppContext:
    book: Book
    user: str  # the username written into journals and the audit trail
    bus: Bus = field(default_factory=Bus)
    # Who is logged in, with the role the services check; SYSTEM (admin) for a book without logins.
    actor: Actor = SYSTEM

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.book.sessions
