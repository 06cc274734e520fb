"""The migrations build exactly the tables the models describe (no drift)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.book import Book
from app.models import Base


def test_models_and_migrations_agree(book: Book, tmp_path: Path) -> None:
    with book.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
