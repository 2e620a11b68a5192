"""Surveys, targets, service standards, privacy requests, settings; and the local-only audit chain,
change log (the sync outbox) and sync cursors."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, History, Synced, utcnow


class Survey(Synced, Base):
    __tablename__ = "surveys"
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="csat")  # csat, nps, post_complaint, segment
    questions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SurveyResponse(History, Base):
    __tablename__ = "survey_responses"
    survey_id: Mapped[str] = mapped_column(ForeignKey("surveys.id"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[str | None] = mapped_column(ForeignKey("complaints.id"), default=None)
    responded_at: Mapped[datetime]
    score: Mapped[int | None] = mapped_column(Integer, default=None)  # 1..5 satisfaction
    nps: Mapped[int | None] = mapped_column(Integer, default=None)  # 0..10
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Target(Synced, Base):
    __tablename__ = "targets"
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), default=None)
    metric: Mapped[str] = mapped_column(String(30))  # aum, revenue, new_clients, contacts
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[Decimal]


class ServiceStandard(Synced, Base):
    __tablename__ = "service_standards"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[Decimal]
    unit: Mapped[str] = mapped_column(String(20))


class PrivacyRequest(Synced, Base):
    __tablename__ = "privacy_requests"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # access, correction, deletion, objection
    received_at: Mapped[datetime]
    due_on: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class Setting(Synced, Base):
    """One typed setting value; organisation settings sync, user settings stay per user."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEntry(Base):
    """Append-only, hash-chained: each entry's hash covers its content and the previous hash."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # view, create, update, delete, reveal, export
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36), default=None)
    client_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    detail: Mapped[str | None] = mapped_column(Text, default=None)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChangeEntry(Base):
    """The local change log: the sync outbox, written in the same transaction as the edit."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    scope_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # upsert | delete | append
    base_row_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, applied, conflict, rejected
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class SyncCursor(Base):
    __tablename__ = "sync_cursors"
    scope_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    since: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentNote(Base):
    """Free-form profile metadata that must stay encrypted (e.g. the profile's owner user)."""

    __tablename__ = "profile_meta"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text, default=None)
