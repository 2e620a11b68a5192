"""The database schema's Core half: ids, column types, the metadata, and what the first screen reads.

Importing this costs SQLAlchemy Core only. The ORM models (models/) are declared on the same metadata,
but importing them and configuring their mappers takes most of a second; the portfolio's first page,
its count and KPIs, the settings and the current user are read through the tables here instead, so
an unlocked workstation paints its first screen while the models load behind it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal

import uuid6
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    column,
    table,
    text,
)


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

metadata = MetaData(naming_convention=NAMING)

# -- the portfolio grid's read model ----------------------------------------------------------------
# Sortable columns of the grid; the nullable ones sort with blanks last in both directions.
SORTABLE_NOT_NULL = ("segment_rank", "aum", "revenue_12m", "product_count", "open_complaints")
SORTABLE_NULLABLE = ("loyalty_tier", "last_contact_at", "next_contact_due", "last_satisfaction", "data_verified_on")


def sort_indexes() -> tuple[Index, ...]:
    """One index per sort order the portfolio offers, matching PortfolioService's ORDER BY exactly.

    Ascending: (col, name) or, for nullable columns, ((col IS NULL), col, name) so blanks come last.
    Descending: (col DESC, name), where SQLite already puts NULLs last. The doc_id (the rowid) ends
    every index, which makes each order total without a sort step.
    """
    out = [Index("ix_client_summary_sort_name", "sort_name")]
    for col in SORTABLE_NOT_NULL + SORTABLE_NULLABLE:
        asc = (text(f"({col} IS NULL)"), col) if col in SORTABLE_NULLABLE else (col,)
        out.append(Index(f"ix_client_summary_{col}", *asc, "sort_name"))
        out.append(Index(f"ix_client_summary_{col}_desc", text(f"{col} DESC"), "sort_name"))
    return tuple(out)


# One row per client with everything the portfolio grid shows and sorts by (the ORM's ClientSummary).
# Aggregating 300k holdings and 2M interactions on every sort would never meet 100 ms; this row is kept
# current in the same transaction as any edit that touches the client (see store/derived.py).
client_summary = Table(
    "client_summary", metadata,
    # An INTEGER PRIMARY KEY is the table's rowid and, unlike an implicit rowid, survives VACUUM and
    # export: client_search is keyed on it, and every sort index ends in it, so a page in any order is
    # a walk along one index that stops after 200 rows.
    Column("doc_id", Integer, primary_key=True),
    Column("client_id", ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("owner_id", String(36), nullable=True),
    Column("display_name", String(300), nullable=False),
    Column("sort_name", String(300), nullable=False),  # casefolded, for a stable, case-blind order
    Column("kind", String(12), nullable=False),
    Column("status", String(12), nullable=False),
    Column("segment_code", String(30), nullable=True),
    Column("segment_rank", Integer, nullable=False, default=0),
    Column("loyalty_tier", String(30), nullable=True),
    Column("aum", MoneyType(), nullable=False, default=Decimal(0)),
    Column("revenue_12m", MoneyType(), nullable=False, default=Decimal(0)),
    Column("product_count", Integer, nullable=False, default=0),
    Column("last_contact_at", UTCDateTime(), nullable=True),
    Column("next_contact_due", Date(), nullable=True),
    Column("contact_level", Integer, nullable=False, default=0),  # 0 green, 1 amber, 2 red
    Column("open_complaints", Integer, nullable=False, default=0),
    Column("last_satisfaction", Integer, nullable=True),
    Column("data_verified_on", Date(), nullable=True),
    *sort_indexes(),
    Index("ix_client_summary_owner_id", "owner_id", "sort_name"),
    Index("ix_client_summary_contact_level", "contact_level", "sort_name"),
    # covers the book's count and KPIs: a scan of this index reads a tenth of the table's pages
    Index("ix_client_summary_book", "status", "owner_id", "contact_level", "open_complaints", "aum",
          "revenue_12m"),
)

# -- the first screen's other reads -----------------------------------------------------------------
# Column views of tables the ORM models own (a test checks each name and type against the models).
settings = table("settings", column("key", String()), column("value", JSON()))
profile_notes = table("profile_meta", column("key", String()), column("value", String()))
users = table("users", column("id", String()), column("username", String()), column("display_name", String()),
              column("role", String()))
targets = table("targets", column("value", MoneyType()), column("metric", String()), column("user_id", String()),
                column("period_start", Date()), column("period_end", Date()), column("deleted", Boolean()))
segments = table("segments", column("code", String()), column("name", String()), column("rank", Integer()),
                 column("deleted", Boolean()))
products = table("products", column("id", String()), column("code", String()), column("name", String()),
                 column("deleted", Boolean()))
holdings = table("holdings", column("client_id", String()), column("product_id", String()),
                 column("status", String()), column("deleted", Boolean()))
