"""Alembic environment: always run on a connection handed in by app.store.migrate (never a URL)."""

from alembic import context

from app.store.models import Base

connection = context.config.attributes["connection"]
_EXPRESSION_INDEXES = {i.name for t in Base.metadata.tables.values() for i in t.indexes
                       if any(not hasattr(e, "name") for e in i.expressions)}


def include_name(name, type_, parent_names) -> bool:
    # FTS5 virtual tables and their shadow tables, and indexes on expressions (which SQLAlchemy cannot
    # reflect), are managed by hand-written migrations; tests/store/test_migrations.py checks the latter.
    if type_ == "index":
        return name not in _EXPRESSION_INDEXES
    return not (type_ == "table" and name and name.startswith(("search_index", "client_search", "complaint_search")))


context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  include_name=include_name)
with context.begin_transaction():
    context.run_migrations()
