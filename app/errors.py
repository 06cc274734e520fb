"""Errors the treasurer can cause or fix.

``str(exc)`` of every DomainError is a whole Indonesian sentence that says what
went wrong and what to do; the window shows it in one place
(``ui/actions.py: run_action``) and the CLI prints it and exits 2. Anything that
is not a DomainError is a bug.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: refused input or a refused action, never a bug."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that cannot be accepted as typed (amount, date, NIK, ...)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InsufficientBalance(DomainError):
    """A withdrawal or settlement larger than what the member has."""


class PeriodClosed(DomainError):
    """A posting dated inside a closed period."""


class NotAllowed(DomainError):
    """The action is not allowed in the current state or for the current user."""


class NotFound(DomainError):
    """A member, account or entry named by the user does not exist."""


class UnbalancedEntry(DomainError):
    """An entry whose debits and credits differ; ``post()`` refuses it."""


class BookLocked(DomainError):
    """Another Lumbung already has this book open."""


class BookError(DomainError):
    """The book file cannot be opened, created or upgraded."""


class FileNotSaved(DomainError):
    """A report or export could not be written (open in another program, disk full)."""
