"""iCalendar (.ics) export and import of agenda events, over the maintained ``icalendar`` library.

Export writes what Outlook and Google Calendar import cleanly: METHOD:PUBLISH, one VTIMEZONE per zone
used (IANA TZIDs, which both resolve by name), DTSTART/DTEND with TZID, a DISPLAY alarm.

Import is deliberately forgiving about what real invitations contain (Windows zone names from
Outlook, UTC 'Z' times, floating times, all-day dates, several events, METHOD:REQUEST) and strict
about what would put a wrong meeting in the diary: unreadable files, a missing start, or an end
before the start raise :class:`IcsError` with a message fit for the user. Anything imported only in
part (a repeating event, an unknown time zone) is reported in ``warnings`` rather than hidden.

Needs icalendar >= 6.1 (``Calendar.add_missing_timezones``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress

from app.messages import QT_TRANSLATE_NOOP, text_of

try:  # the module moved between icalendar releases; the mapping is only a nicety
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
except ImportError:  # pragma: no cover
    try:
        from icalendar.windows_to_olson import WINDOWS_TO_OLSON  # type: ignore[no-redef]
    except ImportError:
        WINDOWS_TO_OLSON = {}

PRODID = "-//RM Desk//Agenda//EN"
CLIENT_REF_PROPERTY = "X-RMDESK-CLIENT-REF"
_UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Zulu"})


class IcsError(ValueError):
    """A calendar file that cannot be exported or imported; the message is meant for the user."""


@dataclass(frozen=True, slots=True)
class Participant:
    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class AgendaEvent:
    """One diary entry. Times are timezone-aware; an all-day event runs midnight to midnight."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    client_ref: str | None = None
    alarm_minutes_before: int | None = None
    organizer: Participant | None = None
    attendees: tuple[Participant, ...] = ()
    all_day: bool = False

    def __post_init__(self) -> None:
        if not self.uid:
            raise ValueError("An agenda event needs a UID.")
        if not (_is_aware(self.start) and _is_aware(self.end)):
            raise ValueError("Agenda event times must include their time zone.")
        if self.end < self.start:
            raise ValueError("An agenda event cannot end before it starts.")
        if self.alarm_minutes_before is not None and self.alarm_minutes_before < 0:
            raise ValueError("A reminder must come before the event.")


@dataclass(frozen=True, slots=True)
class IcsImport:
    events: tuple[AgendaEvent, ...]
    warnings: tuple[str, ...]
    method: str | None  # e.g. PUBLISH, REQUEST, CANCEL


def _is_aware(value: datetime) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None


# --------------------------------------------------------------------------------------------- export


def _exportable(value: datetime) -> datetime:
    """IANA zones keep their TZID; anything else (fixed offsets, ad-hoc zones) is written in UTC."""
    if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key != "UTC":
        return value
    return value.astimezone(UTC)


def _address(person: Participant) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    return address


def _vevent(event: AgendaEvent, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    if event.all_day:
        vevent.add("dtstart", event.start.date())
        vevent.add("dtend", max(event.end.date(), event.start.date() + timedelta(days=1)))
    else:
        vevent.add("dtstart", _exportable(event.start))
        vevent.add("dtend", _exportable(event.end))
    if event.summary:
        vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.client_ref:
        vevent.add(CLIENT_REF_PROPERTY, event.client_ref)
    if event.organizer:
        vevent.add("organizer", _address(event.organizer))
    for attendee in event.attendees:
        vevent.add("attendee", _address(attendee))
    if event.alarm_minutes_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary or "Reminder")
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes_before))
        vevent.add_component(alarm)
    return vevent


def export_ics(events: Iterable[AgendaEvent], *, stamp: datetime | None = None) -> bytes:
    """The events as an .ics payload (METHOD:PUBLISH) with the VTIMEZONEs they need."""
    events = list(events)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for event in events:
        cal.add_component(_vevent(event, stamp))
    if events:
        # Cover the events with a year's margin: enough for every client, and a small file.
        first = min(e.start for e in events).date() - timedelta(days=366)
        last = max(e.end for e in events).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


# --------------------------------------------------------------------------------------------- import


def _text(payload: bytes | str) -> str:
    if isinstance(payload, str):
        return payload
    if not isinstance(payload, bytes | bytearray):
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "A calendar file must be given as bytes."))
    try:
        return bytes(payload).decode("utf-8-sig")
    except UnicodeDecodeError:
        # RFC 5545 says UTF-8, but older Outlook exports use the Windows code page.
        return bytes(payload).decode("cp1252", errors="replace")


def _check_structure(text: str) -> None:
    """Refuse what the library would quietly accept: non-calendars and truncated or misnested files."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    lines = [line.strip() for line in unfolded.splitlines() if line.strip()]
    if not lines or lines[0].upper() != "BEGIN:VCALENDAR":
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "This is not a calendar (.ics) file."))
    stack: list[str] = []
    for line in lines:
        key, _, value = line.partition(":")
        key, value = key.upper(), value.strip().upper()
        if key == "BEGIN":
            stack.append(value)
        elif key == "END":
            if not stack or stack[-1] != value:
                raise IcsError(QT_TRANSLATE_NOOP(
                    "Ics", "The calendar file is damaged: END:{value} does not match its BEGIN.").format(value=value))
            stack.pop()
    if stack:
        raise IcsError(QT_TRANSLATE_NOOP(
            "Ics", "The calendar file is incomplete: END:{value} is missing.").format(value=stack[-1]))


def _label(vevent: Event) -> str:
    summary = str(vevent.get("summary", "")).strip()
    if summary:
        return f"'{summary}'"
    return QT_TRANSLATE_NOOP("Ics", "with UID {uid}").format(uid=str(vevent.get("uid", "(none)")))


def _prop_errors(vevent: Event) -> dict[str, str]:
    return {str(name).upper(): str(message) for name, message in getattr(vevent, "errors", [])}


def _preferred_zone(tzid: str | None, value: datetime) -> tzinfo | None:
    """An IANA zone equivalent to the file's zone at ``value`` (e.g. Outlook's Windows names)."""
    if not tzid:
        return None
    for name in (WINDOWS_TO_OLSON.get(tzid), tzid):
        if not name:
            continue
        try:
            zone = ZoneInfo(name)
        except Exception:  # unknown, malformed or path-like names
            continue
        if value.astimezone(zone).utcoffset() == value.utcoffset():
            return zone
    return None


def _moment(vevent: Event, name: str, local_tz: ZoneInfo, warnings: list[str]) -> datetime | date | None:
    if name not in vevent:
        return None
    prop = vevent[name]
    if isinstance(prop, list):
        prop = prop[0]
    try:
        value = vevent.decoded(name)
    except Exception as exc:
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "Event {event} has an unreadable {name}.").format(
            event=_label(vevent), name=name)) from exc
    if isinstance(value, list):
        value = value[0]
    if not isinstance(value, date):
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "Event {event} has an unreadable {name}.").format(
            event=_label(vevent), name=name))
    if not isinstance(value, datetime):
        return value
    tzid = getattr(prop, "params", {}).get("TZID")
    if value.tzinfo is None:
        if tzid:
            warnings.append(
                f"Event {_label(vevent)} uses the unknown time zone '{tzid}'; "
                f"its times were read as {local_tz.key} time."
            )
        return value.replace(tzinfo=local_tz)  # floating time: the reader's own clock
    if isinstance(value.tzinfo, ZoneInfo):
        return value.astimezone(UTC) if value.tzinfo.key in _UTC_KEYS else value
    zone = _preferred_zone(tzid, value)
    return value.astimezone(zone) if zone else value


def _at_midnight(day: date, local_tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), local_tz)


def _span(vevent: Event, local_tz: ZoneInfo, warnings: list[str]) -> tuple[datetime, datetime, bool]:
    errors = _prop_errors(vevent)
    for name in ("DTSTART", "DTEND", "DURATION"):
        if name in errors:
            raise IcsError(QT_TRANSLATE_NOOP("Ics", "Event {event} has an unreadable {name}: {problem}.").format(
                event=_label(vevent), name=name, problem=errors[name]))
    start = _moment(vevent, "DTSTART", local_tz, warnings)
    if start is None:
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "Event {event} has no start time (DTSTART).").format(event=_label(vevent)))
    all_day = not isinstance(start, datetime)
    start_dt = _at_midnight(start, local_tz) if all_day else start
    end = _moment(vevent, "DTEND", local_tz, warnings)
    if end is None and "DURATION" in vevent:
        try:
            duration = vevent.decoded("DURATION")
        except Exception:
            duration = None
        if not isinstance(duration, timedelta):
            raise IcsError(QT_TRANSLATE_NOOP(
                "Ics", "Event {event} has an unreadable DURATION.").format(event=_label(vevent)))
        end_dt = start_dt + duration
    elif end is None:
        # RFC 5545: an all-day event without an end lasts the day; a timed one is instantaneous.
        end_dt = start_dt + timedelta(days=1) if all_day else start_dt
    else:
        end_dt = end if isinstance(end, datetime) else _at_midnight(end, local_tz)
    if end_dt < start_dt:
        raise IcsError(QT_TRANSLATE_NOOP(
            "Ics", "Event {event} ends before it starts (DTEND is before DTSTART).").format(event=_label(vevent)))
    return start_dt, end_dt, all_day


def _alarm_minutes(vevent: Event, start: datetime, end: datetime, warnings: list[str]) -> int | None:
    for alarm in vevent.walk("VALARM"):
        if "TRIGGER" not in alarm:
            continue
        try:
            trigger = alarm.decoded("TRIGGER")
        except Exception:
            warnings.append(f"Event {_label(vevent)} has an unreadable reminder; it was ignored.")
            return None
        if isinstance(trigger, timedelta):
            related = str(alarm["TRIGGER"].params.get("RELATED", "START")).upper()
            at = (end if related == "END" else start) + trigger
        elif isinstance(trigger, datetime) and _is_aware(trigger):
            at = trigger
        else:
            continue
        before = start - at
        if before < timedelta(0):
            warnings.append(f"Event {_label(vevent)} has a reminder after its start; it was ignored.")
            return None
        return round(before.total_seconds() / 60)
    return None


def _participant(value: object) -> Participant | None:
    address = str(value).strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    if not address:
        return None
    name = str(getattr(value, "params", {}).get("CN", "")).strip().strip('"')
    return Participant(address, name)


def _attendees(vevent: Event) -> tuple[Participant, ...]:
    raw = vevent.get("attendee", [])
    values = raw if isinstance(raw, list) else [raw]
    return tuple(p for p in (_participant(v) for v in values) if p is not None)


def _event(vevent: Event, local_tz: ZoneInfo, warnings: list[str]) -> AgendaEvent:
    start, end, all_day = _span(vevent, local_tz, warnings)
    if "RRULE" in vevent or "RDATE" in vevent:
        warnings.append(
            f"Event {_label(vevent)} repeats; only its first occurrence ({start:%d %b %Y}) was imported."
        )
    uid = str(vevent.get("uid", "")).strip()
    if not uid:
        uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{start.isoformat()}|{vevent.get('summary', '')}"))
        warnings.append(f"Event {_label(vevent)} had no UID; one was assigned.")
    organizer = _participant(vevent["organizer"]) if "organizer" in vevent else None
    client_ref = str(vevent.get(CLIENT_REF_PROPERTY, "")).strip() or None
    for name, message in _prop_errors(vevent).items():
        warnings.append(f"Event {_label(vevent)}: {name} could not be read ({message}); it was ignored.")
    try:
        return AgendaEvent(
            uid=uid,
            start=start,
            end=end,
            summary=str(vevent.get("summary", "")).strip(),
            description=str(vevent.get("description", "")).strip(),
            location=str(vevent.get("location", "")).strip(),
            client_ref=client_ref,
            alarm_minutes_before=_alarm_minutes(vevent, start, end, warnings),
            organizer=organizer,
            attendees=_attendees(vevent),
            all_day=all_day,
        )
    except ValueError as exc:
        raise IcsError(QT_TRANSLATE_NOOP("Ics", "Event {event} is invalid: {problem}").format(
            event=_label(vevent), problem=text_of(exc))) from exc


def import_ics(payload: bytes | str, *, local_tz: ZoneInfo) -> IcsImport:
    """Parse an .ics file or invitation into agenda events.

    ``local_tz`` is the RM's zone: it gives floating times and all-day dates their meaning.
    Repeating events contribute their first occurrence only; moved or cancelled single occurrences
    of such an event are skipped. Both are listed in ``warnings``.
    """
    text = _text(payload)
    _check_structure(text)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:
        raise IcsError(QT_TRANSLATE_NOOP(
            "Ics", "The calendar file could not be read: {problem}").format(problem=str(exc))) from exc
    warnings: list[str] = []
    methods = {str(c["METHOD"]).upper() for c in calendars if "METHOD" in c}
    method = next(iter(sorted(methods)), None)
    if "CANCEL" in methods:
        warnings.append("This file cancels meetings; the events listed are the cancelled ones.")
    vevents = [v for cal in calendars for v in cal.walk("VEVENT")]
    repeating = {str(v.get("uid", "")) for v in vevents if "RECURRENCE-ID" not in v and "RRULE" in v}
    events: list[AgendaEvent] = []
    for vevent in vevents:
        if "RECURRENCE-ID" in vevent and str(vevent.get("uid", "")) in repeating:
            warnings.append(f"A changed occurrence of event {_label(vevent)} was skipped.")
            continue
        events.append(_event(vevent, local_tz, warnings))
    if not events:
        warnings.append("The calendar file contains no events.")
    return IcsImport(events=tuple(events), warnings=tuple(warnings), method=method)
