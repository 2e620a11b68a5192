"""Calendar exchange through the schedule service: the exported .ics parsed back event by event, and
imports that are idempotent by UID, file meetings under the right client and never half-save."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.services.ical_codec import CLIENT_REF_PROPERTY
from app.services.schedule import IcsError
from app.store.models import ScheduledContact, User

from .test_schedule import NOW, SYDNEY, Book, local


@pytest.fixture
def book(workstation) -> Book:
    return Book(workstation)


@pytest.fixture
def svc(book: Book):
    return book.service()


def contacts(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(ScheduledContact))


def ics(*events: str, method: str = "REQUEST") -> bytes:
    body = "\n".join(events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nMETHOD:{method}\n{body}\nEND:VCALENDAR"
    return text.replace("\n", "\r\n").encode() + b"\r\n"


def vevent(uid: str, start: str = "20240620T090000Z", end: str = "20240620T100000Z", summary: str = "Catch-up",
           attendees: tuple[str, ...] = (), location: str = "") -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20240601T000000Z", f"DTSTART:{start}", f"DTEND:{end}",
             f"SUMMARY:{summary}"]
    lines += [f"ATTENDEE;CN={a.split('@')[0].title()}:mailto:{a}" for a in attendees]
    if location:
        lines.append(f"LOCATION:{location}")
    return "\n".join([*lines, "END:VEVENT"])


def test_export_parsed_back_event_by_event(book, svc):
    with book.db.unit("t") as uow:
        uow.session.get(User, book.user_id).email = "rm@bank.example"
    green, amber = book.ids["green"], book.ids["amber"]
    a = svc.schedule_contact(green, local(2024, 6, 12, 14), "annual_review_meeting", "Annual review", "Room 2", 60)
    b = svc.schedule_contact(amber, local(2024, 7, 8, 9, 30), "quarterly_review", duration_min=45)
    svc.schedule_contact(green, local(2024, 8, 1, 9), "call")  # beyond 30 days
    svc.schedule_contact(green, local(2024, 6, 11, 9), "call")  # before today
    gone = svc.schedule_contact(green, local(2024, 6, 13, 9), "call")
    svc.cancel_contact(gone.id)
    svc.schedule_contact(green, local(2024, 6, 14, 9), "call", owner_id=book.other_id)  # Olga's

    cal = Calendar.from_ical(svc.export_ics(days=30))
    assert str(cal["METHOD"]) == "PUBLISH"
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{a.id}@rmdesk", f"{b.id}@rmdesk"]
    first, second = events
    assert first.decoded("DTSTART") == local(2024, 6, 12, 14)
    assert first.decoded("DTSTART").tzinfo.key == "Australia/Sydney"
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=60)
    assert str(first["SUMMARY"]) == "Annual review meeting: Gina Green"
    assert str(first["DESCRIPTION"]) == "Annual review" and str(first["LOCATION"]) == "Room 2"
    assert str(first[CLIENT_REF_PROPERTY]) == green
    assert str(first["ORGANIZER"]) == "mailto:rm@bank.example"
    alarm = first.walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(minutes=-15)
    assert second.decoded("DTSTART") == local(2024, 7, 8, 9, 30)
    assert second.decoded("DTEND") - second.decoded("DTSTART") == timedelta(minutes=45)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Australia/Sydney"]

    redacted = Calendar.from_ical(svc.export_ics(days=30, redact=True, alarm_minutes=None)).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in redacted] == ["Annual review meeting (RM Desk)", "Quarterly review (RM Desk)"]
    assert all("LOCATION" not in e and "DESCRIPTION" not in e and not e.walk("VALARM") for e in redacted)
    assert len(Calendar.from_ical(svc.export_ics(days=1)).walk("VEVENT")) == 1
    with pytest.raises(ValueError, match="between 1 and 366"):
        svc.export_ics(days=0)


def test_write_ics_is_private_and_audited(book, svc, tmp_path):
    svc.schedule_contact(book.ids["green"], local(2024, 6, 20), "call")
    assert svc.write_ics(tmp_path / "diary.ics", days=10) == 1
    assert (tmp_path / "diary.ics").stat().st_mode & 0o777 == 0o600
    from app.store.models import AuditEntry

    with book.db.reading() as s:
        assert s.scalar(select(AuditEntry.detail).where(AuditEntry.entity == "calendar")).startswith("diary.ics")


def test_import_matches_the_attendee_and_is_idempotent_by_uid(book, svc):
    payload = ics(vevent("abc-123@outlook", attendees=("green@example.com", "banker@partner.example"),
                         location="Café Sydney"))
    first = svc.import_ics(payload)
    assert (first.created, first.updated, first.method) == (1, 0, "REQUEST")
    meeting = svc.scheduled_contact(first.contact_ids[0])
    assert meeting.client_id == book.ids["green"] and meeting.external_uid == "abc-123@outlook"
    assert meeting.start == local(2024, 6, 20, 19) and meeting.duration_min == 60
    assert meeting.purpose == "Catch-up — with Banker <banker@partner.example>"  # the unknown attendee
    assert meeting.location == "Café Sydney" and meeting.kind == "meeting"

    moved = ics(vevent("abc-123@outlook", "20240621T000000Z", "20240621T013000Z", "Catch-up (moved)",
                       attendees=("green@example.com",)))
    again = svc.import_ics(moved)
    assert (again.created, again.updated) == (0, 1) and again.contact_ids == first.contact_ids
    assert contacts(book.db) == 1
    meeting = svc.scheduled_contact(first.contact_ids[0])
    assert meeting.start == local(2024, 6, 21, 10) and meeting.duration_min == 90
    assert meeting.purpose == "Catch-up (moved)"

    cancelled = svc.import_ics(ics(vevent("abc-123@outlook"), method="CANCEL"))
    assert cancelled.cancelled == 1 and svc.scheduled_contact(first.contact_ids[0]).status == "cancelled"
    assert contacts(book.db) == 1


def test_our_own_export_reimported_updates_instead_of_duplicating(book, svc):
    c = svc.schedule_contact(book.ids["amber"], local(2024, 6, 20, 9), "quarterly_review", "Q2 review")
    result = svc.import_ics(svc.export_ics(days=30))
    assert (result.created, result.updated) == (0, 1) and result.contact_ids == (c.id,)
    assert contacts(book.db) == 1
    assert svc.scheduled_contact(c.id).start == local(2024, 6, 20, 9)


def test_unknown_client_needs_a_choice_and_nothing_is_half_saved(book, svc):
    payload = ics(vevent("ok-1", attendees=("green@example.com",)),
                  vevent("stranger-2", summary="Coffee", attendees=("who@nowhere.example",)))
    with pytest.raises(IcsError, match="does not name one of your clients.*who@nowhere.example"):
        svc.import_ics(payload)
    assert contacts(book.db) == 0
    filed = svc.import_ics(payload, client_id=book.ids["red"])
    assert filed.created == 2
    by_uid = {svc.scheduled_contact(i).external_uid: svc.scheduled_contact(i) for i in filed.contact_ids}
    assert by_uid["ok-1"].client_id == book.ids["green"]
    assert by_uid["stranger-2"].client_id == book.ids["red"]
    assert by_uid["stranger-2"].purpose == "Coffee — with Who <who@nowhere.example>"


@pytest.mark.parametrize("payload, message", [
    (b"this is not a calendar", "not a calendar"),
    (ics(vevent("a", attendees=("green@example.com",))).replace(b"END:VCALENDAR\r\n", b""), "incomplete"),
    (ics(vevent("a", "20240620T100000Z", "20240620T090000Z", attendees=("green@example.com",))), "ends before"),
    (ics(vevent("a", "20240230T100000Z", "20240230T110000Z", attendees=("green@example.com",))), "DTSTART"),
    (ics(vevent("ok", attendees=("green@example.com",)),
         "BEGIN:VEVENT\nUID:b\nSUMMARY:No start\nEND:VEVENT"), "no start"),
])
def test_malformed_ics_is_refused_with_nothing_saved(book, svc, payload, message):
    with pytest.raises(IcsError, match=message):
        svc.import_ics(payload)
    assert contacts(book.db) == 0


def test_all_day_and_floating_events_use_the_branch_zone(book, svc):
    payload = ics("BEGIN:VEVENT\nUID:day-1\nDTSTAMP:20240601T000000Z\nDTSTART;VALUE=DATE:20240625\n"
                  "SUMMARY:Offsite\nEND:VEVENT",
                  "BEGIN:VEVENT\nUID:float-1\nDTSTAMP:20240601T000000Z\nDTSTART:20240626T090000\n"
                  "DTEND:20240626T093000\nSUMMARY:Call\nEND:VEVENT")
    result = svc.import_ics(payload, client_id=book.ids["green"])
    day, floating = (svc.scheduled_contact(i) for i in result.contact_ids)
    assert day.start == local(2024, 6, 25, 0) and day.duration_min == 24 * 60
    assert floating.start == local(2024, 6, 26, 9) and floating.start.tzinfo.key == SYDNEY.key
    assert NOW.tzinfo is UTC
