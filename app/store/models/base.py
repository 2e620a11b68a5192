"""Declarative base and the mixins that make a row syncable (ids and column types: core_schema)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.store import core_schema
from app.store.core_schema import (  # noqa: F401 (re-exported: the models' vocabulary)
    CENT,
    NAMING,
    MoneyType,
    UTCDateTime,
    new_id,
    stable_id,
    utcnow,
)


class Base(DeclarativeBase):
    metadata = core_schema.metadata  # one metadata: the Core tables of core_schema are on it too
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        Decimal: MoneyType(),
        date: Date(),
    }


class Synced:
    """Columns every synced row carries (see SYNC.md): id, scope, server version, field versions, tombstone."""

    __synced__ = True
    __history__ = False  # insert-only history rows sync as `append` ops and never conflict

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    scope_id: Mapped[str] = mapped_column(String(64), default="local", index=True)
    row_version: Mapped[int] = mapped_column(Integer, default=0)
    field_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class History(Synced):
    """An insert-only row: interactions, case events, survey responses, ledger entries."""

    __history__ = True


SYNC_COLUMNS = frozenset({"id", "scope_id", "row_version", "field_versions", "deleted", "created_at", "updated_at"})
