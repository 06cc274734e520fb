"""What every screen gets: the book, the user, and a bus to hear about changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session, sessionmaker

from app.book import Book


class Bus(QObject):
    # Emitted after any unit of work commits; screens refresh instead of calling each other.
    data_changed = Signal()
    # Ask the main window to show a screen by key ("anggota", "simpanan", ...), with an optional id.
    navigate = Signal(str, int)


@dataclass
class AppContext:
    book: Book
    user: str
    bus: Bus = field(default_factory=Bus)

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.book.sessions
