"""Users, teams, clients with their contact details, preferences, consents, households and relationships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, History, Synced


class Team(Synced, Base):
    __tablename__ = "teams"
    name: Mapped[str] = mapped_column(String(120))
    leader_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", use_alter=True), default=None)


class User(Synced, Base):
    """A person using RM Desk; role is rm, team_leader, manager or admin."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="rm")
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Household(Synced, Base):
    __tablename__ = "households"
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class Client(Synced, Base):
    """A person or an organisation in an RM's book."""

    __tablename__ = "clients"
    kind: Mapped[str] = mapped_column(String(12), default="person")  # person | organisation
    display_name: Mapped[str] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(150), default=None)
    family_name: Mapped[str | None] = mapped_column(String(150), default=None)
    organisation_name: Mapped[str | None] = mapped_column(String(300), default=None)
    date_of_birth: Mapped[date | None] = mapped_column(default=None)
    tax_id: Mapped[str | None] = mapped_column(String(40), default=None)
    country: Mapped[str] = mapped_column(String(2), default="AU")  # default region for phone parsing
    status: Mapped[str] = mapped_column(String(12), default="active")  # prospect | active | closed
    segment_id: Mapped[str | None] = mapped_column(ForeignKey("segments.id"), default=None, index=True)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"), default=None, index=True)
    loyalty_tier: Mapped[str | None] = mapped_column(String(30), default=None)
    onboarded_on: Mapped[date | None] = mapped_column(default=None)
    data_verified_on: Mapped[date | None] = mapped_column(default=None)
    segment_informed_on: Mapped[date | None] = mapped_column(default=None)
    # preferences and special needs (seed FNSPIM409A: adapt to cultural, language and special needs)
    preferred_channel: Mapped[str | None] = mapped_column(String(20), default=None)
    preferred_language: Mapped[str | None] = mapped_column(String(35), default=None)  # BCP 47 tag
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    special_needs: Mapped[str | None] = mapped_column(Text, default=None)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text, default=None)

    phones: Mapped[list[ClientPhone]] = relationship(back_populates="client", cascade="all, delete-orphan")
    emails: Mapped[list[ClientEmail]] = relationship(back_populates="client", cascade="all, delete-orphan")
    addresses: Mapped[list[ClientAddress]] = relationship(back_populates="client", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_clients_owner_name", "owner_id", "display_name"),)


class ClientPhone(Synced, Base):
    __tablename__ = "client_phones"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20), default="mobile")
    number: Mapped[str] = mapped_column(String(32))  # E.164
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    client: Mapped[Client] = relationship(back_populates="phones")


class ClientEmail(Synced, Base):
    __tablename__ = "client_emails"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20), default="personal")
    address: Mapped[str] = mapped_column(String(254))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    client: Mapped[Client] = relationship(back_populates="emails")


class ClientAddress(Synced, Base):
    __tablename__ = "client_addresses"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(20), default="home")
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200), default=None)
    city: Mapped[str | None] = mapped_column(String(100), default=None)
    region: Mapped[str | None] = mapped_column(String(100), default=None)
    postcode: Mapped[str | None] = mapped_column(String(20), default=None)
    country: Mapped[str] = mapped_column(String(2), default="AU")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    client: Mapped[Client] = relationship(back_populates="addresses")


class Consent(History, Base):
    """One recorded consent decision; the latest per purpose is the one in force."""

    __tablename__ = "consents"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))  # marketing_email, marketing_phone, data_sharing, ...
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    source: Mapped[str | None] = mapped_column(String(60), default=None)
    expires_on: Mapped[date | None] = mapped_column(default=None)


class Relationship(Synced, Base):
    __tablename__ = "relationships"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    related_client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # spouse, child, parent, director, trustee, ...
    note: Mapped[str | None] = mapped_column(Text, default=None)


class PortfolioAssignment(History, Base):
    """Who owned a client when: the history behind clients.owner_id."""

    __tablename__ = "portfolio_assignments"
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(12), default="primary")
    assigned_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(Text, default=None)
