"""Alembic environment: runs on the engine the program hands over (app.db.migrate)."""

from __future__ import annotations

from alembic import context

from app.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # `alembic` command line during development
        from app.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url", "lumbung.sqlite"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
