"""Local, derived read models: rebuilt from the synced rows, never synced themselves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

# Sortable columns of the grid; the nullable ones sort with blanks last in both directions.
SORTABLE_NOT_NULL = ("segment_rank", "aum", "revenue_12m", "product_count", "open_complaints")
SORTABLE_NULLABLE = ("loyalty_tier", "last_contact_at", "next_contact_due", "last_satisfaction", "data_verified_on")


def sort_indexes() -> tuple[Index, ...]:
    """One index per sort order the portfolio offers, matching PortfolioService's ORDER BY exactly.

    Ascending: (col, name) or, for nullable columns, ((col IS NULL), col, name) so blanks come last.
    Descending: (col DESC, name), where SQLite already puts NULLs last. The implicit rowid (doc_id)
    ends every index, which makes each order total without a sort step.
    """
    out = [Index("ix_client_summary_sort_name", "sort_name")]
    for col in SORTABLE_NOT_NULL + SORTABLE_NULLABLE:
        asc = (text(f"({col} IS NULL)"), col) if col in SORTABLE_NULLABLE else (col,)
        out.append(Index(f"ix_client_summary_{col}", *asc, "sort_name"))
        out.append(Index(f"ix_client_summary_{col}_desc", text(f"{col} DESC"), "sort_name"))
    return tuple(out)



class ClientSummary(Base):
    """One row per client with everything the portfolio grid shows and sorts by.

    Aggregating 300k holdings and 2M interactions on every sort would never meet 100 ms; this row is
    kept current in the same transaction as any edit that touches the client (see store/derived.py).
    """

    __tablename__ = "client_summary"
    # An INTEGER PRIMARY KEY is the table's rowid and, unlike an implicit rowid, survives VACUUM and
    # export: client_search is keyed on it, and every sort index ends in it, so a page in any order is
    # a walk along one index that stops after 200 rows.
    doc_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), unique=True)
    owner_id: Mapped[str | None] = mapped_column(String(36), default=None)
    display_name: Mapped[str] = mapped_column(String(300))
    sort_name: Mapped[str] = mapped_column(String(300))  # casefolded, for a stable, case-blind order
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12))
    segment_code: Mapped[str | None] = mapped_column(String(30), default=None)
    segment_rank: Mapped[int] = mapped_column(Integer, default=0)
    loyalty_tier: Mapped[str | None] = mapped_column(String(30), default=None)
    aum: Mapped[Decimal] = mapped_column(default=Decimal(0))
    revenue_12m: Mapped[Decimal] = mapped_column(default=Decimal(0))
    product_count: Mapped[int] = mapped_column(Integer, default=0)
    last_contact_at: Mapped[datetime | None] = mapped_column(default=None)
    next_contact_due: Mapped[date | None] = mapped_column(default=None)
    contact_level: Mapped[int] = mapped_column(Integer, default=0)  # 0 green, 1 amber, 2 red
    open_complaints: Mapped[int] = mapped_column(Integer, default=0)
    last_satisfaction: Mapped[int | None] = mapped_column(Integer, default=None)
    data_verified_on: Mapped[date | None] = mapped_column(default=None)

    __table_args__ = sort_indexes() + (
        Index("ix_client_summary_owner_id", "owner_id", "sort_name"),
        Index("ix_client_summary_contact_level", "contact_level", "sort_name"),
        # covers the book's count and KPIs: a scan of this index reads a tenth of the table's pages
        Index("ix_client_summary_book", "status", "owner_id", "contact_level", "open_complaints", "aum",
              "revenue_12m"),
    )
