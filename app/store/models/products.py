"""Segments and their policies, products, holdings with balance history, usage, recommendations, loyalty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, History, Synced


class Segment(Synced, Base):
    __tablename__ = "segments"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    rank: Mapped[int] = mapped_column(Integer, default=0)  # higher = more premium
    description: Mapped[str | None] = mapped_column(Text, default=None)
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # e.g. {"min_aum": 1000000}


class SegmentPolicy(Synced, Base):
    """The service model of a segment: cadence, review interval, channels, standards."""

    __tablename__ = "segment_policies"
    segment_id: Mapped[str] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"), index=True)
    contact_kind: Mapped[str] = mapped_column(String(30))  # monthly_call, quarterly_review, annual_review
    interval_months: Mapped[int] = mapped_column(Integer, default=0)
    interval_days: Mapped[int] = mapped_column(Integer, default=0)
    max_gap_days: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str | None] = mapped_column(String(20), default=None)
    effective_from: Mapped[date | None] = mapped_column(default=None)


class SegmentChange(History, Base):
    __tablename__ = "segment_history"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    from_segment_id: Mapped[str | None] = mapped_column(ForeignKey("segments.id"), default=None)
    to_segment_id: Mapped[str] = mapped_column(ForeignKey("segments.id"))
    changed_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    client_informed_on: Mapped[date | None] = mapped_column(default=None)
    client_feedback: Mapped[str | None] = mapped_column(Text, default=None)


class Product(Synced, Base):
    __tablename__ = "products"
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))  # deposit, lending, card, investment, insurance, super
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    annual_fee: Mapped[Decimal | None] = mapped_column(default=None)
    margin_bps: Mapped[int | None] = mapped_column(Integer, default=None)
    eligible_segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text, default=None)


class Holding(Synced, Base):
    """An account or product a client holds; balance is the latest known."""

    __tablename__ = "holdings"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    account_number: Mapped[str | None] = mapped_column(String(40), default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | closed
    opened_on: Mapped[date | None] = mapped_column(default=None)
    closed_on: Mapped[date | None] = mapped_column(default=None)
    balance: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="AUD")
    credit_limit: Mapped[Decimal | None] = mapped_column(default=None)
    rate_bps: Mapped[int | None] = mapped_column(Integer, default=None)


class BalancePoint(History, Base):
    __tablename__ = "balance_history"
    holding_id: Mapped[str] = mapped_column(ForeignKey("holdings.id", ondelete="CASCADE"))
    as_of: Mapped[date]
    balance: Mapped[Decimal]
    __table_args__ = (Index("ix_balance_history_holding_date", "holding_id", "as_of"),)


class UsageSummary(History, Base):
    """Monthly usage and revenue of one holding (seed FNSCUS504 3.2: analyse usage patterns)."""

    __tablename__ = "usage_summaries"
    holding_id: Mapped[str] = mapped_column(ForeignKey("holdings.id", ondelete="CASCADE"))
    month: Mapped[date]  # first day of the month
    transactions: Mapped[int] = mapped_column(Integer, default=0)
    volume: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    revenue: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    __table_args__ = (Index("ix_usage_holding_month", "holding_id", "month"),)


class Recommendation(Synced, Base):
    __tablename__ = "recommendations"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), default=None)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, discussed, accepted, declined
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)


class LoyaltyProgramme(Synced, Base):
    __tablename__ = "loyalty_programmes"
    name: Mapped[str] = mapped_column(String(120))
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"name", "min_points", "benefits"}]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LoyaltyEnrolment(Synced, Base):
    __tablename__ = "loyalty_enrolments"
    programme_id: Mapped[str] = mapped_column(ForeignKey("loyalty_programmes.id"))
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str | None] = mapped_column(String(30), default=None)
    status: Mapped[str] = mapped_column(String(12), default="active")
    enrolled_on: Mapped[date]
    informed_on: Mapped[date | None] = mapped_column(default=None)


class PointsEntry(History, Base):
    __tablename__ = "points_ledger"
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("loyalty_enrolments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
