"""Local, derived read models: rebuilt from the synced rows, never synced themselves."""

from __future__ import annotations

from app.store.core_schema import SORTABLE_NOT_NULL, SORTABLE_NULLABLE, client_summary, sort_indexes

from .base import Base

__all__ = ["ClientSummary", "SORTABLE_NOT_NULL", "SORTABLE_NULLABLE", "sort_indexes"]


class ClientSummary(Base):
    """The portfolio grid's row per client, mapped over its Core table (the first screen reads that
    table without loading the models; see core_schema)."""

    __table__ = client_summary
