"""Complaint cases, their insert-only events, compensation and root causes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, History, Synced


class Complaint(Synced, Base):
    __tablename__ = "complaints"
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime]
    received_tz: Mapped[str] = mapped_column(String(64))  # IANA zone the clocks run in
    description: Mapped[str] = mapped_column(Text)
    products: Mapped[list[Any]] = mapped_column(JSON, default=list)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    remedy_sought: Mapped[str | None] = mapped_column(Text, default=None)
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    complaint_type: Mapped[str] = mapped_column(String(20), default="standard")
    regime: Mapped[str] = mapped_column(String(10))
    region: Mapped[str] = mapped_column(String(10))
    taken_by_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    escalated_to_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    state: Mapped[str] = mapped_column(String(20), default="received")
    outcome: Mapped[str | None] = mapped_column(String(20), default=None)
    written_response_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    response_issued_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    ack_due_at: Mapped[datetime | None] = mapped_column(default=None)
    final_due_at: Mapped[datetime | None] = mapped_column(default=None)
    __table_args__ = (Index("ix_complaints_state_due", "state", "final_due_at"),)


class ComplaintEvent(History, Base):
    """Every transition, note, contact, escalation or letter on a case, insert-only."""

    __tablename__ = "complaint_events"
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20), default=None)
    to_state: Mapped[str | None] = mapped_column(String(20), default=None)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Compensation(Synced, Base):
    __tablename__ = "compensations"
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="AUD")
    kind: Mapped[str] = mapped_column(String(20), default="goodwill")  # goodwill, redress, refund, fee_waiver
    status: Mapped[str] = mapped_column(String(12), default="proposed")  # proposed, approved, rejected, paid
    proposed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    proposed_at: Mapped[datetime]
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class RootCause(Synced, Base):
    __tablename__ = "root_causes"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ComplaintRootCause(Synced, Base):
    __tablename__ = "complaint_root_causes"
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    root_cause_id: Mapped[str] = mapped_column(ForeignKey("root_causes.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text, default=None)
