"""Contact plans, agenda, overdue queue, reminders, interaction log, referrals and report data,
through the schedule service over a real encrypted profile."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.cadence import MAX_GAP_MESSAGE, MIN_INTERVAL_MESSAGE
from app.services.schedule import ScheduleService, view_range
from app.store.models import (
    Client,
    ClientEmail,
    ClientSummary,
    ContactPlan,
    Interaction,
    ReferralEvent,
    ScheduledContact,
    Segment,
    Task,
    User,
)

SYDNEY = ZoneInfo("Australia/Sydney")
NOW = datetime(2024, 6, 12, 0, 0, tzinfo=UTC)  # 10:00 on Wednesday 12 June 2024 in Sydney
TODAY = date(2024, 6, 12)


def local(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SYDNEY)


def count(db, model, *where) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


class Book:
    """Segments (default cadences: PRIVATE monthly call + quarterly review, PREMIUM quarterly review,
    MASS_AFFLUENT annual review) and a handful of clients with known last contacts."""

    def __init__(self, workstation) -> None:
        self.ws = workstation
        self.db = workstation.database
        self.user_id = workstation.user.id
        self.ids: dict[str, str] = {}
        with self.db.unit("setup") as uow:
            s = uow.session
            segs = {}
            for code, name, rank in (("PRIVATE", "Private", 3), ("PREMIUM", "Premium", 2),
                                     ("MASS_AFFLUENT", "Mass affluent", 1)):
                segs[code] = Segment(code=code, name=name, rank=rank)
                s.add(segs[code])
            other = User(username="olga", display_name="Olga Other", role="rm")
            s.add(other)
            s.flush()
            self.other_id = other.id
            people = [
                # key, name, segment, last contact, extra
                ("amber", "Ada Amber", "PREMIUM", local(2024, 3, 1), {}),  # due 1 Jun, deadline 1 Jul
                ("red", "Rex Red", "PREMIUM", local(2023, 12, 1), {}),  # due 1 Mar, deadline 1 Apr
                ("green", "Gina Green", "MASS_AFFLUENT", local(2024, 1, 15), {}),  # due Jan 2025
                ("vi", "Nguyễn Văn An", "MASS_AFFLUENT", local(2024, 5, 1),
                 {"given_name": "An", "preferred_language": "vi"}),
                ("dnc", "Dora Nocontact", "PREMIUM", local(2024, 5, 1), {"do_not_contact": True}),
            ]
            for key, name, seg, last, extra in people:
                c = Client(display_name=name, given_name=extra.pop("given_name", name.split()[0]),
                           segment_id=segs[seg].id, owner_id=self.user_id, **extra)
                s.add(c)
                s.flush()
                s.add(ClientEmail(client_id=c.id, address=f"{key}@example.com", is_primary=True))
                s.add(Interaction(client_id=c.id, user_id=self.user_id, occurred_at=last, channel="phone"))
                self.ids[key] = c.id
        self.segments = {code: seg.id for code, seg in segs.items()}

    def service(self, now: datetime = NOW) -> ScheduleService:
        user = self.ws.user
        return ScheduleService(self.db, user.username, user.id, user.display_name, clock=lambda: now)


@pytest.fixture
def book(workstation) -> Book:
    return Book(workstation)


@pytest.fixture
def svc(book) -> ScheduleService:
    return book.service()


# ----------------------------------------------------------------------------------------- contact plans


def test_cadence_of_zero_is_refused_with_the_domain_message_and_nothing_saved(book, svc):
    client = book.ids["amber"]
    for kwargs in ({"months": 0, "days": 0}, {"days": 0}, {"months": -1}):
        with pytest.raises(ValueError, match=MIN_INTERVAL_MESSAGE):
            svc.set_cadence_override(client, "quarterly_review", **kwargs)
    with pytest.raises(ValueError, match=MIN_INTERVAL_MESSAGE):
        svc.set_cadence_override(client, "quarterly_review", months=2, max_gap_days=0)
    with pytest.raises(ValueError, match=MAX_GAP_MESSAGE):
        svc.set_cadence_override(client, "quarterly_review", months=2, max_gap_days=40)
    with pytest.raises(ValueError, match="not both"):
        svc.set_cadence_override(client, "quarterly_review", months=2, days=3)
    assert count(book.db, ContactPlan) == 0


def test_override_replaces_the_segment_cadence_and_refreshes_the_portfolio(book, svc):
    client = book.ids["amber"]
    assert [(c.kind, c.source, c.every) for c in svc.cadences(client)] == [
        ("quarterly_review", "segment", "3 months")]
    view = svc.set_cadence_override(client, "quarterly_review", months=2, max_gap_days=120, reason="Asked for more")
    assert (view.source, view.every, view.max_gap, view.reason) == ("client", "2 months", "120 days",
                                                                    "Asked for more")
    assert [(c.kind, c.source) for c in svc.cadences(client)] == [("quarterly_review", "client")]
    status = svc.contact_status(client)
    assert status.due == date(2024, 5, 1)  # two months after the last real contact (1 Mar)
    assert status.deadline == date(2024, 6, 29)  # 120 days after 1 March
    assert status.level == "amber" and status.days_overdue == 42
    with book.db.reading() as s:
        assert s.scalars(select(ClientSummary).filter_by(client_id=client)).one().next_contact_due == date(2024, 5, 1)
    # the same kind again updates the override instead of adding a second one
    svc.set_cadence_override(client, "quarterly_review", months=1)
    assert count(book.db, ContactPlan, ContactPlan.active.is_(True)) == 1
    assert svc.clear_cadence_override(client, "quarterly_review") is True
    assert svc.clear_cadence_override(client, "quarterly_review") is False
    assert [(c.kind, c.source) for c in svc.cadences(client)] == [("quarterly_review", "segment")]
    with book.db.reading() as s:
        assert s.scalars(select(ClientSummary).filter_by(client_id=client)).one().next_contact_due == date(2024, 6, 1)


def test_custom_cadence_is_added_to_the_segment_ones(book, svc):
    client = book.ids["green"]
    svc.set_cadence_override(client, "birthday_call", days=365)
    kinds = {c.kind: c.source for c in svc.cadences(client)}
    assert kinds == {"annual_review_meeting": "segment", "birthday_call": "client"}


def test_status_is_counted_from_the_last_real_contact(book, svc):
    amber = svc.contact_status(book.ids["amber"])
    assert (amber.level, amber.due, amber.deadline, amber.days_overdue) == ("amber", date(2024, 6, 1),
                                                                            date(2024, 7, 1), 11)
    red = svc.contact_status(book.ids["red"])
    assert red.level == "red" and red.due == date(2024, 3, 1)
    green = svc.contact_status(book.ids["green"])
    assert green.level == "green" and green.due == date(2025, 1, 15)
    # a planned (not held) contact does not move the clock
    svc.schedule_contact(book.ids["red"], local(2024, 6, 1), "quarterly_review")
    assert svc.contact_status(book.ids["red"]).level == "red"
    with pytest.raises(LookupError):
        svc.contact_status("no-such-client")


# ----------------------------------------------------------------------------------------- agenda


def test_agenda_day_week_month_and_owner(book, svc):
    c = book.ids["green"]
    meeting = svc.schedule_contact(c, local(2024, 6, 12, 14), "annual_review_meeting", "Annual review",
                                   "Branch, room 2", 60)
    assert meeting.start == local(2024, 6, 12, 14) and meeting.end == local(2024, 6, 12, 15)
    svc.schedule_contact(c, local(2024, 6, 14, 9), "call", owner_id=book.other_id)
    gone = svc.schedule_contact(c, local(2024, 6, 12, 16), "call")
    svc.cancel_contact(gone.id, "client travelling")
    svc.add_task("Send the forms", client_id=c, due=date(2024, 6, 13))
    svc.add_task("Book the room", due=local(2024, 6, 12, 8))
    svc.create_referral(c, "Home loans", "Refinance enquiry", "Lee Lender", date(2024, 6, 20))

    day = svc.agenda_view("day")
    assert [(i.kind, i.title) for i in day] == [("task", "Book the room"),
                                                ("contact", "Annual review meeting: Gina Green")]
    assert day[0].overdue and not day[1].overdue  # the task was due at 08:00, it is now 10:00
    week = svc.agenda_view("week", TODAY)
    assert [i.day for i in week] == [TODAY, TODAY, date(2024, 6, 13), date(2024, 6, 14)]
    month = svc.agenda(*view_range("month", TODAY))
    referral = [i for i in month if i.kind == "referral"]
    assert len(month) == 5 and referral[0].title == "Referral to Home loans (Lee Lender)"
    assert referral[0].start is None and referral[0].day == date(2024, 6, 20)
    mine = svc.agenda(*view_range("month", TODAY), owner_id=book.user_id)
    assert len(mine) == 4  # the call belongs to Olga
    assert view_range("week", date(2024, 6, 16)) == (date(2024, 6, 10), date(2024, 6, 16))
    assert view_range("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError, match="ends before it starts"):
        svc.agenda(date(2024, 6, 2), date(2024, 6, 1))
    with pytest.raises(ValueError, match="views"):
        view_range("fortnight", TODAY)


def test_reschedule_refuses_impossible_dates_and_end_before_start(book, svc):
    c = svc.schedule_contact(book.ids["green"], "2024-06-20 09:30", "meeting")
    assert c.start == local(2024, 6, 20, 9, 30)  # a typed time is the branch's local time
    with pytest.raises(ValueError, match="not a real contact time"):
        svc.reschedule(c.id, "2024-02-30 10:00")
    with pytest.raises(ValueError, match="end before it starts"):
        svc.reschedule(c.id, local(2024, 6, 21, 10), end=local(2024, 6, 21, 9))
    with pytest.raises(ValueError, match="at least one minute"):
        svc.reschedule(c.id, local(2024, 6, 21, 10), duration_min=0)
    with pytest.raises(ValueError, match="plausible"):
        svc.reschedule(c.id, datetime(1066, 10, 14, 9, tzinfo=UTC))
    moved = svc.reschedule(c.id, local(2024, 6, 21, 10), end=local(2024, 6, 21, 11, 15))
    assert (moved.start, moved.duration_min) == (local(2024, 6, 21, 10), 75)
    assert svc.scheduled_contact(c.id).start == local(2024, 6, 21, 10)
    svc.cancel_contact(c.id)
    with pytest.raises(ValueError, match="already cancelled"):
        svc.reschedule(c.id, local(2024, 6, 22, 10))
    with pytest.raises(ValueError, match="real contact time"):
        svc.schedule_contact(book.ids["green"], "2023-13-01 10:00")
    with pytest.raises(LookupError):
        svc.schedule_contact("nobody", local(2024, 6, 22, 10))


def test_overdue_queue_contents_order_and_paging(book, svc):
    green = book.ids["green"]
    late = svc.schedule_contact(green, local(2024, 6, 5, 11), "call", "Check the new card")
    svc.schedule_contact(green, local(2024, 6, 30, 11), "call")  # in the future: not overdue
    svc.add_task("Chase the signature", client_id=green, due=date(2024, 6, 10))
    svc.add_task("Someday", client_id=green)  # no due date: never overdue
    done = svc.add_task("Done already", client_id=green, due=date(2024, 6, 1))
    svc.complete_task(done.id)
    svc.create_referral(green, "Insurance", "Home cover quote", due_on=date(2024, 6, 7))
    closed = svc.create_referral(green, "Tax", "Statement", due_on=date(2024, 6, 1))
    svc.set_referral_status(closed.id, "done")

    page = svc.overdue_queue()
    got = [(i.kind, i.client_name, i.level, i.days_overdue) for i in page.items]
    assert got == [
        ("cadence", "Rex Red", "red", 103),
        ("contact", "Gina Green", "red", 7),
        ("referral", "Gina Green", "red", 5),
        ("task", "Gina Green", "red", 2),
        ("cadence", "Ada Amber", "amber", 11),
    ]
    assert page.total == 5 and page.counts == {"cadence": 2, "contact": 1, "referral": 1, "task": 1}
    assert page.items[1].id == late.id and page.items[1].detail == "Check the new card"
    assert page.items[0].detail.startswith("last contact 2023-12-01")
    assert page.items[0].owner_name == book.ws.user.display_name
    second = svc.overdue_queue(offset=2, limit=2)
    assert [i.kind for i in second.items] == ["referral", "task"] and second.total == 5
    # a real contact takes the client off the queue
    svc.log_interaction(book.ids["red"], "phone", "outbound", "check-in", "ok", None, local(2024, 6, 11, 15))
    assert "Rex Red" not in [i.client_name for i in svc.overdue_queue().items]
    assert svc.overdue_queue(owner_id=book.other_id).total == 0


def test_reminders_due_for_open_tasks_only(book, svc):
    c = book.ids["green"]
    due = svc.add_task("Call back about the loan", client_id=c, due=date(2024, 6, 12))
    assert due.remind_at == local(2024, 6, 12, 9) and due.due_at == local(2024, 6, 12, 17)
    svc.add_task("Later", client_id=c, remind_at=local(2024, 6, 12, 11))
    finished = svc.add_task("Finished", client_id=c, remind_at=local(2024, 6, 11, 9))
    svc.complete_task(finished.id)
    assert [r.title for r in svc.reminders_due()] == ["Call back about the loan"]
    assert [r.title for r in svc.reminders_due(local(2024, 6, 12, 11))] == ["Call back about the loan", "Later"]
    svc.snooze_reminder(due.id, local(2024, 6, 12, 13))
    assert svc.reminders_due() == ()
    svc.dismiss_reminder(due.id)
    assert [r.title for r in svc.reminders_due(local(2024, 6, 13))] == ["Later"]
    with pytest.raises(ValueError, match="already done"):
        svc.complete_task(finished.id)
    with pytest.raises(ValueError, match="timezone"):
        svc.reminders_due(datetime(2024, 6, 12, 12))


# ----------------------------------------------------------------------------------------- interactions


def test_logging_against_a_planned_contact_closes_it_and_plans_the_next_from_the_real_date(book, svc):
    client = book.ids["amber"]  # PREMIUM: quarterly review
    planned = svc.schedule_contact(client, local(2024, 6, 3, 10, 30), "quarterly_review", "Q2 review",
                                   "Branch", 45)
    logged = svc.log_interaction(client, "face_to_face", "outbound", "review", "completed", "Went through goals",
                                 local(2024, 6, 10, 14), scheduled_contact_id=planned.id,
                                 follow_up=("Send the updated plan", date(2024, 6, 17)))
    assert logged.closed_contact_id == planned.id
    closed = svc.scheduled_contact(planned.id)
    assert closed.status == "done" and closed.interaction_id == logged.interaction_id
    nxt = logged.next_contact
    # three months after the real contact (10 Jun), not after the planned date (3 Jun), same slot
    assert nxt is not None and nxt.start == local(2024, 9, 10, 10, 30)
    assert (nxt.kind, nxt.purpose, nxt.location, nxt.duration_min, nxt.status) == (
        "quarterly_review", "Q2 review", "Branch", 45, "planned")
    assert logged.follow_up is not None and logged.follow_up.title == "Send the updated plan"
    assert logged.follow_up.source_kind == "interaction" and logged.follow_up.source_id == logged.interaction_id
    status = svc.contact_status(client)
    assert status.level == "green" and status.due == date(2024, 9, 10)
    with book.db.reading() as s:
        assert s.scalars(select(ClientSummary).filter_by(client_id=client)).one().last_contact_at == local(2024, 6, 10, 14)
    # the closed contact cannot be closed again; the notes are searchable
    with pytest.raises(ValueError, match="already done"):
        svc.log_interaction(client, "phone", occurred_at=local(2024, 6, 11), scheduled_contact_id=planned.id)
    assert [i.id for i in svc.interactions(client, "goal")] == [logged.interaction_id]
    assert svc.interactions(client, "nothing-like-this") == ()


def test_next_contact_is_not_duplicated_and_other_kinds_follow_the_soonest_cadence(book, svc):
    client = book.ids["vi"]  # MASS_AFFLUENT: annual review meeting
    already = svc.schedule_contact(client, local(2025, 4, 1), "annual_review_meeting")
    call = svc.schedule_contact(client, local(2024, 6, 11, 9), "call")
    logged = svc.log_interaction(client, "phone", occurred_at=local(2024, 6, 11, 9, 5), scheduled_contact_id=call.id)
    assert logged.next_contact is not None and logged.next_contact.id == already.id
    assert count(book.db, ScheduledContact, ScheduledContact.status == "planned") == 1


def test_bad_interactions_are_refused_and_nothing_is_half_saved(book, svc):
    client = book.ids["green"]
    planned = svc.schedule_contact(client, local(2024, 6, 11), "call")
    before = count(book.db, Interaction)
    with pytest.raises(ValueError, match="channel"):
        svc.log_interaction(client, "pigeon", occurred_at=local(2024, 6, 11))
    with pytest.raises(ValueError, match="future"):
        svc.log_interaction(client, "phone", occurred_at=local(2024, 6, 13), scheduled_contact_id=planned.id)
    with pytest.raises(ValueError, match="task title"):  # the follow-up fails after the interaction was added
        svc.log_interaction(client, "phone", occurred_at=local(2024, 6, 11), scheduled_contact_id=planned.id,
                            follow_up=("  ", date(2024, 6, 20)))
    with pytest.raises(ValueError, match="another client"):
        svc.log_interaction(book.ids["red"], "phone", occurred_at=local(2024, 6, 11), scheduled_contact_id=planned.id)
    assert count(book.db, Interaction) == before
    assert svc.scheduled_contact(planned.id).status == "planned"
    assert count(book.db, Task) == 0


def test_interactions_are_insert_only(book, svc):
    logged = svc.log_interaction(book.ids["green"], "email", "inbound", notes="Thanks for the call")
    with pytest.raises(ValueError, match="cannot be edited"), book.db.unit("t") as uow:
        uow.session.get(Interaction, logged.interaction_id).notes = "rewritten"
    assert svc.interactions(book.ids["green"])[0].notes == "Thanks for the call"


# ----------------------------------------------------------------------------------------- referrals


def test_referral_status_history_and_overdue(book, svc):
    c = book.ids["green"]
    ref = svc.create_referral(c, "Wealth advice", "Wants a retirement plan", "Sam Adviser", "2024-06-10")
    assert ref.status == "open" and ref.overdue and [e.status for e in ref.history] == ["open"]
    assert ref.history[0].note == "Referred to Wealth advice (Sam Adviser)"
    ref = svc.set_referral_status(ref.id, "in_progress", "Meeting booked")
    ref = svc.update_referral(ref.id, due_on=date(2024, 6, 28), note="Adviser on leave")
    assert not ref.overdue and ref.due_on == date(2024, 6, 28)
    ref = svc.set_referral_status(ref.id, "done", "Plan delivered")
    assert [(e.status, e.note) for e in ref.history] == [
        ("open", "Referred to Wealth advice (Sam Adviser)"), ("in_progress", "Meeting booked"),
        ("in_progress", "Due 2024-06-28. Adviser on leave"), ("done", "Plan delivered")]
    assert ref.history[-1].actor == book.ws.user.display_name
    with pytest.raises(ValueError, match="cannot become"):
        svc.set_referral_status(ref.id, "in_progress")
    with pytest.raises(ValueError, match="already done"):
        svc.set_referral_status(ref.id, "done")
    with pytest.raises(ValueError, match="real due date"):
        svc.create_referral(c, "Tax", "x", due_on="2024-02-30")
    with pytest.raises(ValueError, match="department"):
        svc.create_referral(c, " ", "x")
    assert count(book.db, ReferralEvent) == 4
    assert [r.id for r in svc.referrals(c)] == [ref.id] and svc.referrals(c, open_only=True) == ()


# ----------------------------------------------------------------------------------------- report data


def test_planned_vs_actual_per_segment_and_per_rm(book, svc):
    amber, green = book.ids["amber"], book.ids["green"]
    svc.schedule_contact(amber, local(2024, 6, 3), "quarterly_review")
    svc.schedule_contact(green, local(2024, 6, 5), "call", owner_id=book.other_id)
    svc.schedule_contact(green, local(2024, 7, 1, 9), "call")
    gone = svc.schedule_contact(green, local(2024, 6, 6), "call")
    svc.cancel_contact(gone.id)
    # 30 June 15:00 UTC is 1 July 01:00 in Sydney: a July contact
    with book.db.unit("t") as uow:
        uow.session.add(Interaction(client_id=green, user_id=book.other_id, channel="phone",
                                    occurred_at=datetime(2024, 6, 30, 15, tzinfo=UTC)))
    later = book.service(datetime(2024, 7, 2, tzinfo=UTC))
    svc_log = later.log_interaction(amber, "phone", occurred_at=local(2024, 6, 4))
    assert svc_log.interaction_id

    report = later.planned_vs_actual(date(2024, 6, 1), date(2024, 7, 31), by="segment")
    by_code = {s.key: s for s in report.series}
    assert [s.key for s in report.series] == ["PREMIUM", "MASS_AFFLUENT"]  # by rank
    assert [(p.start, p.planned, p.actual) for p in by_code["PREMIUM"].periods] == [
        (date(2024, 6, 1), 1, 1), (date(2024, 7, 1), 0, 0)]
    assert [(p.planned, p.actual) for p in by_code["MASS_AFFLUENT"].periods] == [(1, 0), (1, 1)]
    assert (report.total.planned, report.total.actual) == (3, 2)
    assert by_code["PREMIUM"].met_ratio == 1.0

    per_rm = later.planned_vs_actual(date(2024, 6, 1), date(2024, 7, 31), by="rm", period="quarter")
    names = {s.label: (s.planned, s.actual) for s in per_rm.series}
    assert names == {book.ws.user.display_name: (2, 1), "Olga Other": (1, 1)}
    with pytest.raises(ValueError, match="segment or by rm"):
        later.planned_vs_actual(date(2024, 6, 1), date(2024, 6, 30), by="team")
    with pytest.raises(ValueError, match="ends before it starts"):
        later.planned_vs_actual(date(2024, 6, 30), date(2024, 6, 1))


def test_overdue_report_is_the_whole_queue(book, svc):
    report = svc.overdue_report()
    assert report.as_of == TODAY
    assert [(i.kind, i.client_name) for i in report.items] == [("cadence", "Rex Red"), ("cadence", "Ada Amber")]
    assert report.counts == {"cadence": 2}
    # as of a later day Ada is red too
    later = svc.overdue_report(today=date(2024, 7, 5))
    assert [i.level for i in later.items] == ["red", "red"]


def test_workstation_exposes_the_schedule(workstation, book):
    service = workstation.schedule
    assert isinstance(service, ScheduleService)
    contact = service.schedule_contact(book.ids["green"], datetime.now(UTC) + timedelta(days=1), "call")
    with workstation.database.reading() as s:
        assert s.get(ScheduledContact, contact.id).owner_id == workstation.user.id


# ----------------------------------------------------------------------------------------- properties

ZONES = ["Australia/Sydney", "Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2028, 12, 31)),
       zone_name=st.sampled_from(ZONES), months=st.sampled_from([1, 3, 12]))
def test_next_contact_is_one_interval_after_the_local_date_of_the_real_contact(book, moment, zone_name, months):
    """Month ends, leap days and time zones: the next contact is planned on the branch's calendar."""
    from app.domain.cadence import add_months

    book.ws.settings.set("org.timezone", zone_name)
    tz = ZoneInfo(zone_name)
    occurred = moment.replace(tzinfo=UTC)
    service = book.service(occurred + timedelta(minutes=1))
    with book.db.unit("t") as uow:
        client = Client(display_name="Prop Erty", owner_id=book.user_id)
        uow.session.add(client)
    service.set_cadence_override(client.id, "custom_review", months=months)
    planned = service.schedule_contact(client.id, occurred - timedelta(days=3), "custom_review")
    logged = service.log_interaction(client.id, "video", occurred_at=occurred, scheduled_contact_id=planned.id)
    expected = add_months(occurred.astimezone(tz).date(), months)
    assert logged.next_contact is not None and logged.next_contact.start.date() == expected
    assert service.contact_status(client.id, today=expected).level == "green"
