"""Contact plans, the agenda, tasks, the interaction log, referrals and communications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, History, Synced


class ContactPlan(Synced, Base):
    """A client's own cadence, overriding the segment's policy."""

    __tablename__ = "contact_plans"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_kind: Mapped[str] = mapped_column(String(30))
    interval_months: Mapped[int] = mapped_column(Integer, default=0)
    interval_days: Mapped[int] = mapped_column(Integer, default=0)
    max_gap_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class ScheduledContact(Synced, Base):
    __tablename__ = "scheduled_contacts"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    due_at: Mapped[datetime]
    duration_min: Mapped[int] = mapped_column(Integer, default=30)
    contact_kind: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str | None] = mapped_column(String(200), default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(12), default="planned")  # planned, done, cancelled, missed
    interaction_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"), default=None)
    external_uid: Mapped[str | None] = mapped_column(String(255), default=None)  # from an .ics import
    notes: Mapped[str | None] = mapped_column(Text, default=None)  # e.g. an invitation's description
    __table_args__ = (Index("ix_scheduled_owner_due", "owner_id", "status", "due_at"),)


class Task(Synced, Base):
    __tablename__ = "tasks"
    client_id: Mapped[str | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), default=None, index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    remind_at: Mapped[datetime | None] = mapped_column(default=None)
    priority: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, done, cancelled
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    source_kind: Mapped[str | None] = mapped_column(String(20), default=None)  # interaction, complaint, ...
    source_id: Mapped[str | None] = mapped_column(String(36), default=None)


class Interaction(History, Base):
    """One contact with a client, as it happened (insert-only: corrections are new rows)."""

    __tablename__ = "interactions"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    occurred_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))  # phone, email, face_to_face, video, letter, sms
    direction: Mapped[str] = mapped_column(String(10), default="outbound")  # inbound | outbound
    purpose: Mapped[str | None] = mapped_column(String(40), default=None)
    outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    subject: Mapped[str | None] = mapped_column(String(300), default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    duration_min: Mapped[int | None] = mapped_column(Integer, default=None)
    complaint_id: Mapped[str | None] = mapped_column(ForeignKey("complaints.id"), default=None)
    # a correction is a new row pointing at the one it corrects (history stays insert-only)
    corrects_id: Mapped[str | None] = mapped_column(ForeignKey("interactions.id"), default=None)
    __table_args__ = (Index("ix_interactions_client_time", "client_id", "occurred_at"),)


class Referral(Synced, Base):
    """Work handed to another department on a client's behalf (seed FNSCUS504 3.4)."""

    __tablename__ = "referrals"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[str | None] = mapped_column(ForeignKey("complaints.id"), default=None, index=True)
    department: Mapped[str] = mapped_column(String(80))
    owner_name: Mapped[str | None] = mapped_column(String(200), default=None)
    reason: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, in_progress, done, cancelled
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)


class ReferralEvent(History, Base):
    __tablename__ = "referral_events"
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)


class CommunicationTemplate(Synced, Base):
    __tablename__ = "communication_templates"
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))  # email | letter | sms
    language: Mapped[str] = mapped_column(String(35), default="en")
    segment_id: Mapped[str | None] = mapped_column(ForeignKey("segments.id"), default=None)
    subject: Mapped[str | None] = mapped_column(String(300), default=None)
    body: Mapped[str] = mapped_column(Text)


class Communication(History, Base):
    """What was sent to a client, from which template, on which channel."""

    __tablename__ = "communications"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[str | None] = mapped_column(ForeignKey("communication_templates.id"), default=None)
    channel: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime]
    subject: Mapped[str | None] = mapped_column(String(300), default=None)
    body: Mapped[str | None] = mapped_column(Text, default=None)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
