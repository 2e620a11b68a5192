"""Alembic environment: always run on a connection handed in by app.store.migrate (never a URL)."""

from alembic import context

from app.store.models import Base

connection = context.config.attributes["connection"]


def include_name(name, type_, parent_names) -> bool:
    # FTS5 virtual tables and their shadow tables are managed by hand-written migrations
    return not (type_ == "table" and name and name.startswith(("search_index", "client_search")))


context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  include_name=include_name)
with context.begin_transaction():
    context.run_migrations()
