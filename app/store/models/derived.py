"""Local, derived read models: rebuilt from the synced rows, never synced themselves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ClientSummary(Base):
    """One row per client with everything the portfolio grid shows and sorts by.

    Aggregating 300k holdings and 2M interactions on every sort would never meet 100 ms; this row is
    kept current in the same transaction as any edit that touches the client (see store/derived.py).
    """

    __tablename__ = "client_summary"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
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

    __table_args__ = (Index("ix_client_summary_sort_name", "sort_name"),) + tuple(
        Index(f"ix_client_summary_{col}", col, "sort_name")
        for col in ("segment_rank", "loyalty_tier", "aum", "revenue_12m", "product_count",
                    "last_contact_at", "next_contact_due", "open_complaints", "last_satisfaction",
                    "data_verified_on", "owner_id", "contact_level")
    )
