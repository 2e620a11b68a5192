"""The .ics codec: round trips, a real-looking Outlook invitation, and refusals of broken files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.services.ical_codec import (
    CLIENT_REF_PROPERTY,
    AgendaEvent,
    IcsError,
    Participant,
    export_ics,
    import_ics,
)

LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
STAMP = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def _crlf(text: str) -> bytes:
    return text.strip().replace("\n", "\r\n").encode() + b"\r\n"


def _events() -> list[AgendaEvent]:
    return [
        AgendaEvent(
            uid="review-1@rmdesk",
            start=datetime(2024, 3, 28, 9, 0, tzinfo=LONDON),
            end=datetime(2024, 3, 28, 10, 0, tzinfo=LONDON),
            summary="Annual review: Okafor family",
            description="Bring the review pack.\nDiscuss pension; and ISA, allowance",
            location="Meeting room 2, 1 Bank St",
            client_ref="C-000123",
            alarm_minutes_before=30,
            organizer=Participant("rm@bank.example", "Rita Manager"),
            attendees=(Participant("ada@example.com", "Ada Okafor"),),
        ),
        AgendaEvent(  # crosses the UK spring-forward change (31 March 2024)
            uid="call-2@rmdesk",
            start=datetime(2024, 4, 2, 8, 30, tzinfo=SYDNEY),
            end=datetime(2024, 4, 2, 9, 0, tzinfo=SYDNEY),
            summary="Monthly call",
            alarm_minutes_before=0,
        ),
        AgendaEvent(
            uid="utc-3@rmdesk",
            start=datetime(2024, 4, 3, 12, 0, tzinfo=UTC),
            end=datetime(2024, 4, 3, 12, 45, tzinfo=UTC),
            summary="Team sync",
        ),
    ]


# ------------------------------------------------------------------------------------------- export


def test_export_is_a_publishable_calendar_with_timezones_and_alarms() -> None:
    payload = export_ics(_events(), stamp=STAMP)
    assert payload.startswith(b"BEGIN:VCALENDAR\r\n")
    text = payload.decode()
    for line in ("VERSION:2.0", "METHOD:PUBLISH", "PRODID:-//RM Desk//Agenda//EN"):
        assert line in text.splitlines()
    assert "DTSTART;TZID=Europe/London:20240328T090000" in text
    assert "DTEND;TZID=Australia/Sydney:20240402T090000" in text
    assert "DTSTART:20240403T120000Z" in text  # UTC needs no VTIMEZONE
    assert "DTSTAMP:20240301T080000Z" in text

    cal = Calendar.from_ical(payload)
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"Europe/London", "Australia/Sydney"}
    assert cal.get_missing_tzids() == set()
    first = cal.walk("VEVENT")[0]
    alarm = first.walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert "TRIGGER:-PT30M" in text
    assert str(first[CLIENT_REF_PROPERTY]) == "C-000123"


def test_export_then_import_gives_back_every_event() -> None:
    originals = _events()
    result = import_ics(export_ics(originals, stamp=STAMP), local_tz=LONDON)
    assert result.method == "PUBLISH"
    assert result.warnings == ()
    assert len(result.events) == len(originals)
    for original, back in zip(originals, result.events, strict=True):
        assert back == original
        assert back.start.tzinfo == original.start.tzinfo  # same zone, not just the same instant
        assert back.alarm_minutes_before == original.alarm_minutes_before
    assert result.events[0].description == "Bring the review pack.\nDiscuss pension; and ISA, allowance"
    assert result.events[0].organizer == Participant("rm@bank.example", "Rita Manager")


def test_all_day_event_round_trip() -> None:
    event = AgendaEvent(
        uid="leave@rmdesk",
        start=datetime(2024, 2, 29, tzinfo=LONDON),
        end=datetime(2024, 3, 1, tzinfo=LONDON),
        summary="Client's birthday",
        all_day=True,
    )
    payload = export_ics([event], stamp=STAMP)
    assert b"DTSTART;VALUE=DATE:20240229" in payload
    assert b"DTEND;VALUE=DATE:20240301" in payload
    assert import_ics(payload, local_tz=LONDON).events == (event,)


def test_fixed_offset_times_are_exported_in_utc() -> None:
    plus_ten = timezone(timedelta(hours=10))
    event = AgendaEvent(
        "fixed@rmdesk",
        datetime(2024, 5, 1, 9, tzinfo=plus_ten),
        datetime(2024, 5, 1, 10, tzinfo=plus_ten),
        "Call",
    )
    payload = export_ics([event], stamp=STAMP)
    assert b"DTSTART:20240430T230000Z" in payload
    assert import_ics(payload, local_tz=LONDON).events[0].start == event.start


def test_agenda_event_refuses_impossible_values() -> None:
    start = datetime(2024, 5, 1, 9, tzinfo=LONDON)
    with pytest.raises(ValueError, match="end before"):
        AgendaEvent("x", start, start - timedelta(minutes=1), "Back to the future")
    with pytest.raises(ValueError, match="time zone"):
        AgendaEvent("x", datetime(2024, 5, 1, 9), datetime(2024, 5, 1, 10), "Naive")


# ------------------------------------------------------------------------------------------- import

OUTLOOK_REQUEST = _crlf("""
BEGIN:VCALENDAR
METHOD:REQUEST
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:AUS Eastern Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+1100
TZOFFSETTO:+1000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+1000
TZOFFSETTO:+1100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ORGANIZER;CN=Jane Smith:mailto:jane.smith@client.example
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Rob Relati
 onship:mailto:rob@bank.example
ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Assistant:
 mailto:assistant@client.example
DESCRIPTION;LANGUAGE=en-US:Agenda:\\n1. Performance\\n2. Rebalancing\\n\\n
UID:040000008200E00074C5B7101A82E00800000000D0A4C1D3F27ADA01000000000000000
 0100000005A2C9E1B1F3C6A4D9E3D8C2A1B0F9E8D
SUMMARY;LANGUAGE=en-US:Quarterly portfolio review
DTSTART;TZID=AUS Eastern Standard Time:20240403T093000
DTEND;TZID=AUS Eastern Standard Time:20240403T103000
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:20240320T020202Z
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:0
LOCATION;LANGUAGE=en-US:Level 12\\, 1 Martin Place\\, Sydney
X-MICROSOFT-CDO-APPT-SEQUENCE:0
X-MICROSOFT-CDO-OWNERAPPTID:2122459910
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-DISALLOW-COUNTER:FALSE
BEGIN:VALARM
DESCRIPTION:REMINDER
TRIGGER;RELATED=START:-PT15M
ACTION:DISPLAY
END:VALARM
END:VEVENT
END:VCALENDAR
""")


def test_outlook_invitation_with_windows_time_zone() -> None:
    result = import_ics(OUTLOOK_REQUEST, local_tz=LONDON)
    assert result.method == "REQUEST"
    assert result.warnings == ()
    (event,) = result.events
    assert event.uid.startswith("040000008200E00074C5B7101A82E008") and event.uid.endswith("8C2A1B0F9E8D")
    # 3 April 2024 is still daylight time in Sydney (+11): 22:30 UTC the day before.
    assert event.start == datetime(2024, 4, 2, 22, 30, tzinfo=UTC)
    assert event.start.tzinfo == SYDNEY  # Windows zone name mapped to its IANA zone
    assert (event.start.hour, event.start.minute) == (9, 30)
    assert event.end - event.start == timedelta(hours=1)
    assert event.summary == "Quarterly portfolio review"
    assert event.location == "Level 12, 1 Martin Place, Sydney"
    assert event.description.startswith("Agenda:\n1. Performance\n2. Rebalancing")
    assert event.alarm_minutes_before == 15
    assert event.organizer == Participant("jane.smith@client.example", "Jane Smith")
    assert event.attendees == (
        Participant("rob@bank.example", "Rob Relationship"),
        Participant("assistant@client.example", "Assistant"),
    )
    assert not event.all_day


def test_google_style_invitation_with_europe_london_and_utc_times() -> None:
    payload = _crlf("""
BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VTIMEZONE
TZID:Europe/London
X-LIC-LOCATION:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20241027T013000
DTEND;TZID=Europe/London:20241027T030000
DTSTAMP:20241001T101010Z
UID:abc123@google.com
SUMMARY:Night-shift handover
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:This is an event reminder
TRIGGER:-P1D
END:VALARM
END:VEVENT
BEGIN:VEVENT
DTSTART:20241028T090000Z
DTEND:20241028T093000Z
DTSTAMP:20241001T101010Z
UID:def456@google.com
SUMMARY:Follow-up
END:VEVENT
END:VCALENDAR
""")
    first, second = import_ics(payload, local_tz=SYDNEY).events
    assert first.start.tzinfo == LONDON
    # 01:30 happens twice that night; the first (BST) one is meant. Ambiguous local times never
    # compare equal across zones (PEP 495), so compare instants in UTC.
    assert (first.start.hour, first.start.minute, first.start.fold) == (1, 30, 0)
    assert first.start.astimezone(UTC) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert first.end.astimezone(UTC) == datetime(2024, 10, 27, 3, 0, tzinfo=UTC)
    assert first.alarm_minutes_before == 24 * 60
    assert second.start == datetime(2024, 10, 28, 9, 0, tzinfo=UTC)
    assert second.end - second.start == timedelta(minutes=30)


def test_floating_all_day_repeating_and_duration_events() -> None:
    payload = _crlf("""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
BEGIN:VEVENT
UID:floating
DTSTART:20240610T090000
DURATION:PT45M
SUMMARY:Floating coffee
END:VEVENT
BEGIN:VEVENT
UID:allday
DTSTART;VALUE=DATE:20240229
SUMMARY:Leap day
END:VEVENT
BEGIN:VEVENT
UID:weekly
DTSTART;TZID=Europe/London:20240101T100000
DTEND;TZID=Europe/London:20240101T103000
RRULE:FREQ=WEEKLY;COUNT=10
SUMMARY:Weekly desk check
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/London:20240108T100000
DTSTART;TZID=Europe/London:20240108T110000
DTEND;TZID=Europe/London:20240108T113000
SUMMARY:Weekly desk check (moved)
END:VEVENT
END:VCALENDAR
""")
    result = import_ics(payload, local_tz=SYDNEY)
    floating, all_day, weekly = result.events
    assert floating.start == datetime(2024, 6, 10, 9, 0, tzinfo=SYDNEY)  # the RM's own clock
    assert floating.end == datetime(2024, 6, 10, 9, 45, tzinfo=SYDNEY)
    assert all_day.all_day
    assert (all_day.start, all_day.end) == (
        datetime(2024, 2, 29, tzinfo=SYDNEY),
        datetime(2024, 3, 1, tzinfo=SYDNEY),
    )
    assert weekly.start == datetime(2024, 1, 1, 10, 0, tzinfo=LONDON)
    assert any("repeats" in w and "first occurrence" in w for w in result.warnings)
    assert any("changed occurrence" in w for w in result.warnings)


def test_unknown_time_zone_is_read_as_local_with_a_warning() -> None:
    payload = _crlf("""
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
BEGIN:VEVENT
UID:nowhere
DTSTART;TZID=Mars/Olympus_Mons:20240610T090000
SUMMARY:Odd zone
END:VEVENT
END:VCALENDAR
""")
    result = import_ics(payload, local_tz=LONDON)
    assert result.events[0].start == datetime(2024, 6, 10, 9, 0, tzinfo=LONDON)
    assert any("Mars/Olympus_Mons" in w for w in result.warnings)


def test_empty_calendar_gives_a_warning_not_an_error() -> None:
    payload = export_ics([], stamp=STAMP)
    result = import_ics(payload, local_tz=LONDON)
    assert result.events == ()
    assert result.warnings == ("The calendar file contains no events.",)


# ---------------------------------------------------------------------------------------- refusals

_EVENT_WRAPPER = """
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Test//EN
BEGIN:VEVENT
UID:bad@example
SUMMARY:Broken meeting
{body}
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "not a calendar"),
        (b"garbage\x00\xff\xfe not a calendar at all", "not a calendar"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a calendar"),
        (_crlf("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z"), "incomplete"),
        (_crlf("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VTODO\nEND:VCALENDAR"), "damaged"),
        (_crlf(_EVENT_WRAPPER.format(body="DTEND:20240101T100000Z")), "no start time"),
        (_crlf(_EVENT_WRAPPER.format(body="DTSTART:not-a-date")), "DTSTART"),
        (
            _crlf(_EVENT_WRAPPER.format(body="DTSTART:20240101T100000Z\nDTEND:20240101T090000Z")),
            "ends before it starts",
        ),
        (
            _crlf(_EVENT_WRAPPER.format(body="DTSTART;VALUE=DATE:20240105\nDTEND;VALUE=DATE:20240104")),
            "ends before it starts",
        ),
        (
            _crlf(_EVENT_WRAPPER.format(body="DTSTART:20240101T100000Z\nDURATION:-PT1H")),
            "ends before it starts",
        ),
        (_crlf(_EVENT_WRAPPER.format(body="DTSTART:20240101T100000Z\nDTEND:20241399T000000Z")), "DTEND"),
    ],
)
def test_malformed_files_raise_ics_error(payload: bytes, message: str) -> None:
    with pytest.raises(IcsError, match=message) as caught:
        import_ics(payload, local_tz=LONDON)
    assert type(caught.value) is IcsError
    if "Broken meeting" in payload.decode(errors="replace") and "start" in message:
        assert "Broken meeting" in str(caught.value)


def test_non_bytes_input_is_refused() -> None:
    with pytest.raises(IcsError):
        import_ics(12345, local_tz=LONDON)  # type: ignore[arg-type]
