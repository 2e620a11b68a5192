"""Complaint service: intake with the regulators' deadlines, the lifecycle, coordination, root causes,
satisfaction; every refusal leaves the profile untouched. Runs on a real SQLCipher profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.domain.complaints import (
    ASIC,
    FCA,
    Clock,
    ClockState,
    IllegalTransition,
    compute_deadlines,
)
from app.services.complaints import ComplaintIntake
from app.services.holiday_calendar import holiday_calendar
from app.services.validation import ValidationError
from app.store.models import (
    AuditEntry,
    ChangeEntry,
    Client,
    ClientAddress,
    Complaint,
    ComplaintEvent,
    Interaction,
    Referral,
    ReferralEvent,
    RootCause,
    Survey,
    SurveyResponse,
    User,
)

SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")
US = timedelta(microseconds=1)


def eod(y: int, m: int, d: int, tz: ZoneInfo) -> datetime:
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class People:
    zoe: str  # a person client
    acme: str  # an organisation client
    me: str  # the signed-in RM
    rm2: str  # another RM
    leader: str  # a team leader
    manager: str


@pytest.fixture
def people(workstation) -> People:
    with workstation.database.unit("setup") as uow:
        s = uow.session
        zoe = Client(display_name="Zoë Ångström", given_name="Zoë", family_name="Ångström")
        zoe.addresses.append(ClientAddress(line1="12 Harbour St", city="Sydney", region="NSW", postcode="2000",
                                           is_primary=True))
        acme = Client(display_name="Acme Pty Ltd", kind="organisation", organisation_name="Acme Pty Ltd")
        rm2 = User(username="rm.two", display_name="Ravi Two", role="rm")
        leader = User(username="tina.leader", display_name="Tina Leader", role="team_leader",
                      email="tina@example.com")
        manager = User(username="max.manager", display_name="Max Manager", role="manager")
        s.add_all([zoe, acme, rm2, leader, manager])
        s.flush()
        ids = (zoe.id, acme.id, rm2.id, leader.id, manager.id)
    return People(ids[0], ids[1], workstation.user.id, ids[2], ids[3], ids[4])


def intake(ws, client_id: str, received: datetime, *, now: datetime | None = None, **kw):
    form = ComplaintIntake(client_id=client_id, description=kw.pop("description", "Charged a fee twice"),
                           received_at=received, **kw)
    return ws.complaints.intake(form, now=now or received + timedelta(minutes=5))


def counts(db) -> tuple[int, ...]:
    with db.reading() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (Complaint, ComplaintEvent, ChangeEntry, AuditEntry, Referral, Interaction))


def row(db, case_id: str) -> Complaint:
    with db.reading() as s:
        return s.get(Complaint, case_id)


# -- intake and deadlines ------------------------------------------------------------------------------------


def test_asic_nsw_case_received_good_friday_evening_stores_the_domain_deadlines(workstation, people):
    received = datetime(2026, 4, 3, 17, 45, tzinfo=SYDNEY)  # Good Friday 17:45
    v = intake(workstation, people.zoe, received, regime="asic", region="AU-NSW", timezone="Australia/Sydney")
    expected = compute_deadlines(received, ASIC, "standard", holiday_calendar("AU-NSW"), tz=SYDNEY)
    assert {d.clock: d.due for d in v.deadlines} == {d.clock.value: d.due for d in expected.deadlines}
    # by hand: Sat, Sun, Easter Monday are not business days; calendar clocks do not roll.
    assert [(d.clock, d.due) for d in v.deadlines] == [
        ("acknowledgement", eod(2026, 4, 7, SYDNEY)),
        ("early_resolution", eod(2026, 4, 13, SYDNEY)),
        ("final_response", eod(2026, 5, 3, SYDNEY)),
    ]
    k = row(workstation.database, v.id)
    assert k.ack_due_at == eod(2026, 4, 7, SYDNEY) and k.final_due_at == eod(2026, 5, 3, SYDNEY)
    assert k.received_at == received.astimezone(UTC) and k.received_tz == "Australia/Sydney"
    assert v.reference == "C-2026-000001" and v.state == "received" and v.regime_name == "ASIC RG 271"
    assert [(e.kind, e.to_state) for e in v.events] == [("received", "received")]
    assert v.events[0].data["deadlines"]["final_response"] == eod(2026, 5, 3, SYDNEY).isoformat()
    assert v.deadlines[0].due_local.tzinfo == SYDNEY and v.deadlines[1].binding is False


def test_fca_case_rolls_after_close_of_business_and_has_no_fixed_acknowledgement_clock(workstation, people):
    received = datetime(2026, 5, 1, 17, 45, tzinfo=LONDON)  # Friday after 17:00; Mon 4 May is a bank holiday
    v = intake(workstation, people.acme, received, regime="fca", region="gb-eng", timezone="Europe/London",
               complaint_type="standard")
    expected = compute_deadlines(received, FCA, "standard", holiday_calendar("GB-ENG"), tz=LONDON)
    assert {d.clock: d.due for d in v.deadlines} == {d.clock.value: d.due for d in expected.deadlines}
    assert {d.clock: d.due for d in v.deadlines} == {"summary_resolution": eod(2026, 5, 8, LONDON),
                                                     "final_response": eod(2026, 6, 26, LONDON)}
    k = row(workstation.database, v.id)
    assert k.ack_due_at is None and k.final_due_at == eod(2026, 6, 26, LONDON)
    assert k.region == "GB-ENG" and v.external_body.name == "Financial Ombudsman Service"


def test_regime_region_and_zone_default_from_the_settings(workstation, people):
    v = intake(workstation, people.zoe, datetime(2026, 3, 2, 10, 0, tzinfo=SYDNEY))
    assert (v.regime, v.region, v.received_tz) == ("asic", "AU-NSW", "Australia/Sydney")
    workstation.settings.set("org.complaint_regime", "fca")
    workstation.settings.set("org.region", "GB-SCT")
    workstation.settings.set("org.timezone", "Europe/London")
    v = intake(workstation, people.zoe, datetime(2026, 3, 2, 10, 0, tzinfo=LONDON))
    assert (v.regime, v.region, v.received_tz) == ("fca", "GB-SCT", "Europe/London")


def test_references_are_sequential_per_year_of_receipt(workstation, people):
    refs = [intake(workstation, people.zoe, at).reference for at in (
        datetime(2026, 1, 5, 9, tzinfo=SYDNEY), datetime(2026, 1, 6, 9, tzinfo=SYDNEY),
        datetime(2025, 12, 31, 23, 30, tzinfo=SYDNEY), datetime(2026, 1, 7, 9, tzinfo=SYDNEY))]
    assert refs == ["C-2026-000001", "C-2026-000002", "C-2025-000001", "C-2026-000003"]
    assert workstation.complaints.case("c-2026-000002").reference == "C-2026-000002"  # by reference too


def test_intake_reports_every_problem_at_once_and_writes_nothing(workstation, people):
    before = counts(workstation.database)
    form = ComplaintIntake(client_id="nobody", description="  ", received_at=datetime(2026, 4, 3, 17, 45),
                           channel="pigeon", complaint_type="vague", severity="huge", regime="sec",
                           region="AU-XYZ", timezone="Mars/Olympus")
    with pytest.raises(ValidationError) as err:
        workstation.complaints.intake(form)
    assert set(err.value.errors) == {"client_id", "description", "received_at", "channel", "complaint_type",
                                     "severity", "regime", "region", "timezone"}
    assert "time zone" in err.value.errors["received_at"]
    assert counts(workstation.database) == before


def test_a_receipt_in_the_future_is_refused(workstation, people):
    now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="in the future"):
        intake(workstation, people.zoe, now + timedelta(hours=1), now=now)


def test_quick_capture_of_a_verbal_complaint(workstation, people):
    now = datetime.now(UTC)
    v = workstation.complaints.quick_capture(people.zoe, "Rude on the phone this morning", now=now)
    assert v.channel == "phone" and v.received_at == now and v.complaint_type == "standard"
    assert v.taken_by == workstation.user.display_name and v.owner_id == people.me
    assert v.clock.state is ClockState.OK and v.clock.next_deadline.clock is Clock.ACKNOWLEDGEMENT


# -- lifecycle ------------------------------------------------------------------------------------------------


R = datetime(2026, 3, 2, 10, 0, tzinfo=SYDNEY)  # a Monday


def test_the_whole_journey_writes_one_event_per_step(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    steps = [("acknowledge", {}), ("investigate", {}), ("escalate", {"escalate_to": people.leader,
                                                                      "note": "Needs a fee refund decision"}),
             ("investigate", {}), ("issue_response", {}), ("close", {"outcome": "partly_upheld"}),
             ("reopen", {"note": "Client found a second charge"}), ("issue_response", {}),
             ("close", {"outcome": "upheld"})]
    for i, (action, kw) in enumerate(steps, start=1):
        v = svc.act(v.id, action, at=R + timedelta(days=i), now=R + timedelta(days=i, hours=1), **kw)
    assert v.state == "closed" and v.outcome == "upheld" and v.escalated_to == "Tina Leader"
    assert [(e.kind, e.from_state, e.to_state) for e in v.events] == [
        ("received", None, "received"), ("acknowledge", "received", "acknowledged"),
        ("investigate", "acknowledged", "investigating"), ("escalate", "investigating", "escalated"),
        ("investigate", "escalated", "investigating"), ("issue_response", "investigating", "response_issued"),
        ("close", "response_issued", "closed"), ("reopen", "closed", "investigating"),
        ("issue_response", "investigating", "response_issued"), ("close", "response_issued", "closed")]
    k = row(workstation.database, v.id)
    assert k.acknowledged_at == R + timedelta(days=1) and k.response_issued_at == R + timedelta(days=8)
    assert k.closed_at == R + timedelta(days=9) and k.outcome == "upheld"
    assert v.events[3].data["to"] == people.leader and v.events[3].note == "Needs a fee refund decision"
    assert v.events[-1].data["outcome"] == "upheld" and v.events[-1].actor == workstation.user.display_name
    assert v.allowed_actions == ("reopen",)
    assert {d.clock: d.state for d in v.deadlines} == {"acknowledgement": "met", "early_resolution": "passed",
                                                       "final_response": "met"}


@pytest.mark.parametrize(("steps", "action", "kw", "message"), [
    ((), "investigate", {}, "acknowledge it first"),
    ((), "close", {"outcome": "upheld"}, "acknowledge it first"),
    (("acknowledge",), "acknowledge", {}, "already been acknowledged"),
    (("acknowledge",), "reopen", {"note": "x"}, "Only a closed case can be reopened"),
    (("acknowledge", "investigate"), "close", {}, "Choose an outcome"),
    (("acknowledge", "investigate"), "issue_response", {"outcome": "upheld"}, "only recorded when"),
    (("acknowledge", "investigate", "escalate"), "close", {"outcome": "upheld"}, "needs a response"),
    (("acknowledge", "withdraw"), "acknowledge", {}, "closed case cannot be acknowledged"),
    (("acknowledge", "withdraw"), "reopen", {}, "Say why"),
])
def test_illegal_transitions_are_refused_and_write_nothing(workstation, people, steps, action, kw, message):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    for i, step in enumerate(steps, start=1):
        extra = {"escalate_to": people.leader, "note": "why"} if step == "escalate" else {}
        svc.act(v.id, step, at=R + timedelta(hours=i), now=R + timedelta(hours=i), **extra)
    before, state = counts(workstation.database), row(workstation.database, v.id).state
    with pytest.raises(IllegalTransition, match=message):
        svc.act(v.id, action, at=R + timedelta(days=10), now=R + timedelta(days=10), **kw)
    assert counts(workstation.database) == before and row(workstation.database, v.id).state == state


def test_early_close_only_inside_the_regimes_window(workstation, people):
    svc = workstation.complaints
    quick = intake(workstation, people.zoe, R)
    svc.act(quick.id, "acknowledge", at=R + timedelta(hours=1), now=R + timedelta(hours=1))
    done = svc.act(quick.id, "close", outcome="upheld", at=R + timedelta(days=4), now=R + timedelta(days=4))
    assert done.state == "closed" and done.clock.letter.value == "none"  # ASIC: no written response needed
    slow = intake(workstation, people.zoe, R)
    svc.act(slow.id, "acknowledge", at=R + timedelta(hours=1), now=R + timedelta(hours=1))
    with pytest.raises(IllegalTransition, match="early-resolution period"):
        svc.act(slow.id, "close", outcome="upheld", at=R + timedelta(days=9), now=R + timedelta(days=9))


def test_unknown_action_outcome_and_bad_times_are_refused(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    with pytest.raises(ValueError, match="not a case action"):
        svc.act(v.id, "shred")
    with pytest.raises(ValueError, match="not an outcome"):
        svc.act(v.id, "close", outcome="meh")
    with pytest.raises(ValueError, match="before the complaint was received"):
        svc.act(v.id, "acknowledge", at=R - timedelta(minutes=1))
    with pytest.raises(ValueError, match="in the future"):
        svc.act(v.id, "acknowledge", at=R + timedelta(days=2), now=R + timedelta(days=1))
    with pytest.raises(ValueError, match="time zone"):
        svc.act(v.id, "acknowledge", at=datetime(2026, 3, 3, 9, 0))
    svc.act(v.id, "acknowledge", at=R + timedelta(days=2), now=R + timedelta(days=3))
    with pytest.raises(ValueError, match="last step"):
        svc.act(v.id, "investigate", at=R + timedelta(days=1), now=R + timedelta(days=3))
    with pytest.raises(LookupError):
        svc.act("no-such-case", "acknowledge")


def test_escalation_needs_a_team_leader_and_a_note(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    svc.act(v.id, "acknowledge", at=R + timedelta(hours=1), now=R + timedelta(hours=1))
    svc.act(v.id, "investigate", at=R + timedelta(hours=2), now=R + timedelta(hours=2))
    before = counts(workstation.database)
    with pytest.raises(ValueError, match="escalate to a team leader"):
        svc.escalate(v.id, people.rm2, "please", at=R + timedelta(hours=3), now=R + timedelta(hours=3))
    with pytest.raises(ValueError, match="note"):
        svc.escalate(v.id, people.leader, " ", at=R + timedelta(hours=3), now=R + timedelta(hours=3))
    with pytest.raises(ValueError, match="Choose the team leader"):
        svc.act(v.id, "escalate", note="x", at=R + timedelta(hours=3), now=R + timedelta(hours=3))
    assert counts(workstation.database) == before
    v = svc.escalate(v.id, people.manager, "Over my head", at=R + timedelta(hours=3), now=R + timedelta(hours=3))
    assert v.state == "escalated" and v.escalated_to_id == people.manager


def test_closed_cases_refuse_edits(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    svc.act(v.id, "withdraw", at=R + timedelta(hours=1), now=R + timedelta(hours=1))
    before = counts(workstation.database)
    for attempt in (lambda: svc.update_details(v.id, description="changed"),
                    lambda: svc.refer(v.id, "Cards", "Check the charge"),
                    lambda: svc.record_contact(v.id, "phone", "Called back"),
                    lambda: svc.add_note(v.id, "note"),
                    lambda: svc.propose_compensation(v.id, Decimal("10.00"))):
        with pytest.raises(IllegalTransition, match="closed"):
            attempt()
    assert counts(workstation.database) == before


def test_edit_details_and_a_new_type_recomputes_the_deadlines(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    v = svc.update_details(v.id, complaint_type="hardship", products=["Home loan", " ", "Home loan"],
                           severity="high", now=R + timedelta(hours=2))
    assert v.complaint_type == "hardship" and v.products == ("Home loan",) and v.severity == "high"
    assert row(workstation.database, v.id).final_due_at == eod(2026, 3, 23, SYDNEY)  # 2 Mar + 21
    assert v.events[-1].kind == "edit" and v.events[-1].data["fields"] == ["complaint_type", "products",
                                                                           "severity"]
    with pytest.raises(ValueError, match="severity"):
        svc.update_details(v.id, severity="apocalyptic")


# -- reading: clocks, urgency, breaches --------------------------------------------------------------------------


def test_open_cases_sort_by_urgency_and_breaches_are_listed(workstation, people):
    svc = workstation.complaints
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    breached = intake(workstation, people.zoe, datetime(2026, 3, 2, 10, 0, tzinfo=SYDNEY), now=now)  # no ack
    fresh = intake(workstation, people.zoe, datetime(2026, 3, 20, 10, 0, tzinfo=SYDNEY), now=now)  # ack by Mon
    older = intake(workstation, people.acme, datetime(2026, 2, 22, 10, 0, tzinfo=SYDNEY), now=now)
    svc.act(older.id, "acknowledge", at=datetime(2026, 2, 23, 12, tzinfo=SYDNEY), now=now)
    svc.act(older.id, "investigate", at=datetime(2026, 2, 24, 12, tzinfo=SYDNEY), now=now)
    closed = intake(workstation, people.acme, datetime(2026, 3, 2, 10, 0, tzinfo=SYDNEY), now=now)
    svc.act(closed.id, "withdraw", at=datetime(2026, 3, 2, 11, tzinfo=SYDNEY), now=now)
    page = svc.open_cases(now=now)
    assert page.total == 3
    # breached first; then least time left: the fresh case (3 days, ok) before the older one (4 days, warning)
    assert [r.id for r in page.rows] == [breached.id, fresh.id, older.id]
    assert [r.clock_state for r in page.rows] == [ClockState.BREACHED, ClockState.OK, ClockState.WARNING]
    assert page.rows[1].clock.next_deadline.clock is Clock.ACKNOWLEDGEMENT
    assert page.rows[2].clock.next_deadline.clock is Clock.FINAL_RESPONSE
    assert page.rows[0].time_left < timedelta(0) and page.rows[0].client_name == "Zoë Ångström"
    assert [r.id for r in svc.open_cases(offset=1, limit=1, now=now).rows] == [fresh.id]
    assert [r.id for r in svc.open_cases("received", now=now).rows] == [older.id, breached.id, fresh.id]
    assert [r.id for r in svc.breaches(now=now)] == [breached.id]
    with pytest.raises(ValueError, match="ordered by"):
        svc.open_cases("colour")


def test_case_view_has_the_live_clock_and_is_audited(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    later = svc.case(v.id, now=R + timedelta(days=40))
    assert later.clock.state is ClockState.BREACHED and later.clock.delay_notice_due
    assert {d.clock: d.state for d in later.deadlines} == {"acknowledgement": "overdue",
                                                           "early_resolution": "passed",
                                                           "final_response": "overdue"}
    with workstation.database.reading() as s:
        views = s.scalars(select(AuditEntry).where(AuditEntry.action == "view",
                                                   AuditEntry.entity == "complaints")).all()
    assert [(a.entity_id, a.client_id) for a in views] == [(v.id, people.zoe)]


# -- coordination ---------------------------------------------------------------------------------------------


def test_referral_to_a_department_with_owner_and_due_date(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    ref = svc.refer(v.id, "Cards operations", "Check the duplicate fee", owner_name="Priya",
                    due_on=date(2026, 3, 6))
    assert (ref.department, ref.owner_name, ref.status, ref.due_on) == ("Cards operations", "Priya", "open",
                                                                        date(2026, 3, 6))
    ref = svc.update_referral(ref.id, "done", "Refunded the duplicate")
    assert ref.status == "done" and not ref.overdue
    with pytest.raises(ValueError, match="already done"):
        svc.update_referral(ref.id, "open")
    with pytest.raises(ValueError, match="department"):
        svc.refer(v.id, " ", "x")
    with workstation.database.reading() as s:
        r = s.get(Referral, ref.id)
        assert r.complaint_id == v.id and r.client_id == people.zoe
        assert [e.status for e in s.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == r.id)
                                            .order_by(ReferralEvent.at))] == ["open", "done"]
    view = svc.case(v.id)
    assert [e.kind for e in view.events][-2:] == ["referral", "referral_update"]
    assert view.referrals[0].status == "done"


def test_rm_contact_is_an_interaction_against_the_case(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    e = svc.record_contact(v.id, "phone", "Explained the fee and next steps", duration_min=12)
    assert e.kind == "contact" and e.data["channel"] == "phone"
    with workstation.database.reading() as s:
        i = s.get(Interaction, e.data["interaction_id"])
        assert (i.complaint_id, i.client_id, i.purpose, i.duration_min) == (v.id, people.zoe, "complaint", 12)
        assert i.subject == f"Complaint {v.reference}"
    with pytest.raises(ValueError, match="channel"):
        svc.record_contact(v.id, "telepathy", "x")
    assert svc.add_note(v.id, "Client prefers e-mail").kind == "note"


# -- root causes and satisfaction -----------------------------------------------------------------------------


def test_root_causes_are_seeded_once_and_recurrence_is_flagged(workstation, people):
    svc = workstation.complaints
    causes = svc.root_causes()
    assert len(causes) == 14 and "fees_charges" in {c.code for c in causes}
    assert len(svc.root_causes()) == 14
    cases = [intake(workstation, people.zoe, R + timedelta(days=d)) for d in (0, 20, 40)]
    first = svc.attach_root_cause(cases[0].id, "fees_charges", "Fee table wrong")
    assert first.recurring is None and first.cause.label == "Fees and charges"
    assert svc.attach_root_cause(cases[1].id, "fees_charges").recurring is None
    third = svc.attach_root_cause(cases[2].id, "fees_charges")
    assert third.recurring is not None and third.recurring.references == tuple(c.reference for c in cases)
    assert third.recurring.peak == 3 and third.recurring.threshold == 3
    with pytest.raises(ValueError, match="already recorded"):
        svc.attach_root_cause(cases[2].id, "fees_charges")
    with pytest.raises(ValueError, match="not a root cause"):
        svc.attach_root_cause(cases[2].id, "astrology")
    assert svc.case(cases[2].id).events[-1].data["recurring"] is True
    svc.detach_root_cause(cases[2].id, "fees_charges")
    assert svc.case(cases[2].id).root_causes == ()
    with workstation.database.reading() as s:
        assert s.scalar(select(func.count()).select_from(RootCause)) == 14


def test_satisfaction_check_after_resolution(workstation, people):
    svc = workstation.complaints
    v = intake(workstation, people.zoe, R)
    with pytest.raises(ValueError, match="after they have had our response"):
        svc.record_satisfaction(v.id, 4)
    svc.act(v.id, "acknowledge", at=R + timedelta(hours=1), now=R + timedelta(hours=1))
    svc.act(v.id, "close", outcome="upheld", at=R + timedelta(days=1), now=R + timedelta(days=1))
    for bad in (0, 6, True, 4.5):
        with pytest.raises(ValueError, match="1"):
            svc.record_satisfaction(v.id, bad)
    got = svc.record_satisfaction(v.id, 4, "Sorted quickly")
    svc.record_satisfaction(v.id, 5)
    assert got.score == 4 and svc.case(v.id).satisfaction.score == 5
    with workstation.database.reading() as s:
        surveys = s.scalars(select(Survey).where(Survey.kind == "post_complaint")).all()
        responses = s.scalars(select(SurveyResponse).where(SurveyResponse.complaint_id == v.id)).all()
    assert len(surveys) == 1 and sorted(r.score for r in responses) == [4, 5]
    assert {r.survey_id for r in responses} == {surveys[0].id}


def test_fca_payment_services_delay_notice_switches_on_the_extended_clock(workstation, people, tmp_path):
    svc = workstation.complaints
    received = datetime(2026, 12, 14, 9, 0, tzinfo=LONDON)
    v = intake(workstation, people.acme, received, regime="fca", region="GB-ENG", timezone="Europe/London",
               complaint_type="payment_services")
    assert v.final_due_at == eod(2027, 1, 7, LONDON)
    assert {d.clock: d.state for d in v.deadlines}["extended_final_response"] == "not_in_force"
    svc.write_letter(v.id, "delay_notice", tmp_path / "delay.pdf", reasons="We are waiting for the card scheme.",
                     now=received + timedelta(days=10))
    v = svc.case(v.id, now=received + timedelta(days=11))
    assert v.extension_invoked and v.final_due_at == eod(2027, 2, 4, LONDON)
    assert {d.clock: d.state for d in v.deadlines}["final_response"] == "superseded"
    assert v.clock.next_deadline.clock is Clock.EXTENDED_FINAL_RESPONSE
    assert v.events[-1].kind == "delay_notice" and v.events[-1].data["expected_by"] == "2027-02-04"


def test_staff_lists_active_colleagues_by_role(workstation):
    from app.store.models import User

    with workstation.database.unit("admin") as uow:
        uow.session.add_all([User(username="tl", display_name="Tess Leader", role="team_leader"),
                             User(username="mgr", display_name="Max Manager", role="manager"),
                             User(username="old", display_name="Gone Leader", role="team_leader", active=False)])
    people = workstation.complaints.staff(roles=("team_leader", "manager"))
    assert [(p.display_name, p.role) for p in people] == [("Max Manager", "manager"), ("Tess Leader", "team_leader")]
    assert workstation.complaints.staff(roles=("team_leader",))[0].display_name == "Tess Leader"
