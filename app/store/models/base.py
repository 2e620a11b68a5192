"""Declarative base, UTC timestamps and the mixins that make a row syncable."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import uuid6
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    """UUIDv7: time-ordered, so ids generated offline on many devices index well and never collide."""
    return str(uuid6.uuid7())


_SEED_NAMESPACE = uuid.UUID("6f1d2a4e-8b0c-5d8e-9a51-3c7e2b9d4f10")


def stable_id(*parts: str) -> str:
    """The same id on every device for seeded reference rows (default root causes, built-in surveys),
    so two devices seeding independently create one row, not two that collide on sync."""
    return str(uuid.uuid5(_SEED_NAMESPACE, ":".join(parts)))


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, hands back aware UTC; refuses naive input so local times never sneak in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class MoneyType(TypeDecorator):
    """Money as integer cents: exact in storage and exact in SQL sums; Decimal at the Python edge."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(CENT)


CENT = Decimal("0.01")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
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
