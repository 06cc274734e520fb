"""Creating a new book: chart of accounts, default settings, the first profile."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import BookError, ValidationError
from app.ledger.chart import seed_default_chart
from app.models import Account
from app.services import audit, settings
from app.services.settings import Profile


def initialise(session: Session, profile: Profile, *, by: str) -> None:
    """Fill a freshly migrated, empty book. Refuses a book that already has accounts."""
    if not profile.name.strip():
        raise ValidationError("Nama koperasi wajib diisi.", field="name")
    if session.scalar(select(func.count(Account.id))):
        raise BookError("Buku ini sudah berisi data; buku baru tidak boleh menimpanya.")
    seed_default_chart(session)
    settings.seed_defaults(session, profile)
    audit.record(session, by=by, action="buku.buat", entity="book", after={"nama": profile.name})
