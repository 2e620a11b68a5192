"""Calendar exchange: the RM's scheduled contacts as an .ics file (with alarms) for Outlook or Google
Calendar, and .ics invitations imported as meetings (idempotent by UID, all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.messages import QT_TRANSLATE_NOOP
from app.store.keys import write_private
from app.store.models import Client, ClientEmail, ScheduledContact

from ..ical_codec import AgendaEvent, IcsError, Participant, import_ics
from ..ical_codec import export_ics as encode_ics
from ._base import MAX_DURATION_MIN, MAX_YEAR, MIN_YEAR, day_bounds, zone
from .agenda import AgendaMixin, kind_label

UID_SUFFIX = "@rmdesk"
DEFAULT_ALARM_MIN = 15
MAX_EXPORT_DAYS = 366


@dataclass(frozen=True)
class IcsImportResult:
    created: int
    updated: int
    cancelled: int
    unchanged: int  # already held or cancelled here: left as they are
    contact_ids: tuple[str, ...]
    warnings: tuple[str, ...]
    method: str | None


def _days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPORT_DAYS:
        raise ValueError(f"Export between 1 and {MAX_EXPORT_DAYS} days.")
    return days


def _who(p: Participant) -> str:
    return f"{p.name} <{p.email}>" if p.name else p.email


class CalendarMixin(AgendaMixin):
    def calendar_events(self, days: int = 30, *, redact: bool = False,
                        alarm_minutes: int | None = DEFAULT_ALARM_MIN) -> tuple[AgendaEvent, ...]:
        """The RM's planned contacts from today for ``days`` days, as agenda events. ``redact`` keeps
        client names, purposes and places out of the file (the event says only what kind of contact)."""
        _days(days)
        if alarm_minutes is not None and not 0 <= alarm_minutes <= 7 * 24 * 60:
            raise ValueError("A reminder is between 0 minutes and 7 days before the contact.")
        with self._db.reading() as s:
            tz = zone(s)
            today = self.today(s)
            lo, hi = day_bounds(today, today + timedelta(days=days - 1), tz)
            q = (select(ScheduledContact, Client.display_name).join(Client, Client.id == ScheduledContact.client_id)
                 .where(ScheduledContact.status == "planned", ScheduledContact.deleted.is_(False),
                        Client.deleted.is_(False), ScheduledContact.due_at >= lo, ScheduledContact.due_at < hi)
                 .order_by(ScheduledContact.due_at, ScheduledContact.id))
            if self._user_id:
                q = q.where(or_(ScheduledContact.owner_id == self._user_id, ScheduledContact.owner_id.is_(None)))
            rm_name, rm_email = self._rm(s)
            organizer = Participant(rm_email, rm_name) if rm_email else None
            events = []
            for c, name in s.execute(q):
                start = c.due_at.astimezone(tz)
                label = kind_label(c.contact_kind)
                events.append(AgendaEvent(
                    uid=c.external_uid or f"{c.id}{UID_SUFFIX}", start=start,
                    end=start + timedelta(minutes=c.duration_min),
                    summary=f"{label} (RM Desk)" if redact else f"{label}: {name}",
                    description="" if redact else (c.purpose or ""),
                    location="" if redact else (c.location or ""), client_ref=c.client_id,
                    alarm_minutes_before=alarm_minutes, organizer=organizer))
        return tuple(events)

    def export_ics(self, days: int = 30, *, redact: bool = False,
                   alarm_minutes: int | None = DEFAULT_ALARM_MIN) -> bytes:
        """The schedule as an .ics payload (METHOD:PUBLISH, VTIMEZONEs, a DISPLAY alarm per event)."""
        return encode_ics(self.calendar_events(days, redact=redact, alarm_minutes=alarm_minutes), stamp=self.now())

    def write_ics(self, path: Path | str, days: int = 30, *, redact: bool = False,
                  alarm_minutes: int | None = DEFAULT_ALARM_MIN) -> int:
        """Write the schedule to ``path`` atomically (owner-only permissions) and audit the export."""
        events = self.calendar_events(days, redact=redact, alarm_minutes=alarm_minutes)
        target = Path(path)
        write_private(target, encode_ics(events, stamp=self.now()))
        with self._db.unit(self._actor) as uow:
            uow.record("export", "calendar", detail=f"{target.name}: {len(events)} events, {days} days"
                       + (", redacted" if redact else ""))
        return len(events)

    def import_ics(self, payload: bytes | str, client_id: str | None = None) -> IcsImportResult:
        """Meetings from an .ics file or invitation. The client is the one the event names (our own
        export's client reference, or an attendee's e-mail on file), else ``client_id``. The same UID
        imported again updates its meeting; a cancelling file cancels it. A malformed file, or an event
        with no client, is refused before anything is saved."""
        with self._db.reading() as s:
            tz = zone(s)
        parsed = import_ics(payload, local_tz=tz)
        warnings = list(parsed.warnings)
        cancelling = (parsed.method or "").upper() == "CANCEL"
        created = updated = cancelled = unchanged = 0
        ids: list[str] = []
        with self._db.unit(self._actor) as uow:
            s = uow.session
            fallback = self._client(s, client_id) if client_id else None
            _, rm_email = self._rm(s)
            for event in parsed.events:
                if not MIN_YEAR <= event.start.year <= MAX_YEAR:
                    raise IcsError(QT_TRANSLATE_NOOP(
                        "Ics", "Event '{event}' is dated {day:%Y-%m-%d}, which is not a plausible date."
                    ).format(event=event.summary or event.uid, day=event.start))
                existing = self._by_uid(s, event.uid)
                if cancelling:
                    if existing is not None and existing.status == "planned":
                        existing.status = "cancelled"
                        cancelled += 1
                        ids.append(existing.id)
                    elif existing is not None:
                        unchanged += 1
                    continue
                client = (self._client(s, existing.client_id) if existing is not None
                          else self._event_client(s, event, fallback))
                purpose = self._purpose(s, event, client, rm_email)
                minutes = round((event.end - event.start).total_seconds() / 60)
                if minutes > MAX_DURATION_MIN:
                    warnings.append(f"Event '{event.summary or event.uid}' lasts more than seven days; "
                                    "it was shortened to seven days.")
                minutes = max(1, min(minutes, MAX_DURATION_MIN))
                if existing is not None and existing.status != "planned":
                    warnings.append(f"The meeting '{event.summary or event.uid}' is already {existing.status} "
                                    "here; it was left as it is.")
                    unchanged += 1
                    continue
                if existing is not None:
                    existing.due_at = event.start
                    existing.duration_min = minutes
                    existing.location = event.location[:200] or existing.location
                    existing.purpose = purpose
                    updated += 1
                    ids.append(existing.id)
                    continue
                contact = ScheduledContact(
                    client_id=client.id, owner_id=self._user_id, due_at=event.start, duration_min=minutes,
                    contact_kind="meeting", purpose=purpose, location=event.location[:200] or None,
                    status="planned", external_uid=event.uid[:255])
                s.add(contact)
                s.flush()
                created += 1
                ids.append(contact.id)
            if created or updated or cancelled:
                uow.record("import", "calendar", detail=f"{created} created, {updated} updated, "
                           f"{cancelled} cancelled")
        return IcsImportResult(created, updated, cancelled, unchanged, tuple(ids), tuple(warnings), parsed.method)

    # -- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _by_uid(s: Session, uid: str) -> ScheduledContact | None:
        if uid.endswith(UID_SUFFIX):  # one of our own exports coming back
            own = s.get(ScheduledContact, uid[: -len(UID_SUFFIX)])
            if own is not None and not own.deleted:
                return own
        return s.scalar(select(ScheduledContact).where(ScheduledContact.external_uid == uid[:255],
                                                       ScheduledContact.deleted.is_(False))
                        .order_by(ScheduledContact.created_at).limit(1))

    def _event_client(self, s: Session, event: AgendaEvent, fallback: Client | None) -> Client:
        if event.client_ref:
            client = s.get(Client, event.client_ref)
            if client is not None and not client.deleted:
                return client
        people = [*event.attendees, *([event.organizer] if event.organizer else [])]
        for person in people:
            found = s.scalar(select(Client).join(ClientEmail, ClientEmail.client_id == Client.id).where(
                func.lower(ClientEmail.address) == person.email.strip().lower(), ClientEmail.deleted.is_(False),
                Client.deleted.is_(False)).limit(1))
            if found is not None:
                return found
        if fallback is not None:
            return fallback
        named = ", ".join(_who(p) for p in people) or QT_TRANSLATE_NOOP("Ics", "nobody")
        raise IcsError(QT_TRANSLATE_NOOP(
            "Ics", "Event '{event}' does not name one of your clients (attendees: {attendees}); choose the "
            "client to file it under. Nothing was imported."
        ).format(event=event.summary or event.uid, attendees=named))

    @staticmethod
    def _purpose(s: Session, event: AgendaEvent, client: Client, rm_email: str | None) -> str | None:
        """The event's title, plus the attendees who are neither the client nor the RM."""
        known = {e.lower() for e in s.scalars(select(ClientEmail.address).where(
            ClientEmail.client_id == client.id, ClientEmail.deleted.is_(False)))}
        if rm_email:
            known.add(rm_email.lower())
        people = [*([event.organizer] if event.organizer else []), *event.attendees]
        unknown = list(dict.fromkeys(_who(p) for p in people if p.email.strip().lower() not in known))
        text = event.summary or ""
        if unknown:
            text = f"{text} — with {', '.join(unknown)}" if text else f"With {', '.join(unknown)}"
        if len(text) > 200:
            text = text[:199] + "…"
        return text or None

