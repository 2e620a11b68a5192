"""Deadlines worked out by hand with a calendar; the holiday data comes from the real adapter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.business_days import HolidaySet
from app.domain.complaints import (
    AFCA,
    ASIC,
    FCA,
    FINANCIAL_OMBUDSMAN,
    REGIMES,
    Clock,
    ClockState,
    ComplaintType,
    DayUnit,
    ResponseLetter,
    clock_status,
    compute_deadlines,
    regime,
    resolved_early,
)
from app.services.holiday_calendar import holiday_calendar

SYDNEY = ZoneInfo("Australia/Sydney")
MELBOURNE = ZoneInfo("Australia/Melbourne")
LONDON = ZoneInfo("Europe/London")
NSW, VIC = holiday_calendar("AU-NSW"), holiday_calendar("AU-VIC")
ENG, SCT = holiday_calendar("GB-ENG"), holiday_calendar("GB-SCT")
US = timedelta(microseconds=1)


def eod(y: int, m: int, d: int, tz: ZoneInfo) -> datetime:
    """End of a local day as UTC, for readable expectations."""
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=tz).astimezone(UTC)


def dues(case) -> dict[Clock, datetime]:
    return {d.clock: d.due for d in case.deadlines}


# --- regimes as data ----------------------------------------------------------------------------


def test_registry_and_lookup():
    assert set(REGIMES) == {"asic", "fca"}
    assert regime("ASIC") is ASIC and regime(" fca ") is FCA


def test_unknown_regime_is_a_readable_error():
    with pytest.raises(ValueError, match=r"Unknown complaints regime 'sec'.*asic \(ASIC RG 271\).*fca"):
        regime("sec")


def test_unknown_complaint_type_is_a_readable_error():
    with pytest.raises(ValueError, match="not a complaint type that ASIC RG 271 sets timeframes for"):
        ASIC.rules_for("insurance")


@pytest.mark.parametrize(
    ("reg", "ctype", "clock", "count", "unit"),
    [
        (ASIC, ComplaintType.STANDARD, Clock.ACKNOWLEDGEMENT, 1, DayUnit.BUSINESS),
        (ASIC, ComplaintType.STANDARD, Clock.EARLY_RESOLUTION, 5, DayUnit.BUSINESS),
        (ASIC, ComplaintType.STANDARD, Clock.FINAL_RESPONSE, 30, DayUnit.CALENDAR),
        (ASIC, ComplaintType.HARDSHIP, Clock.FINAL_RESPONSE, 21, DayUnit.CALENDAR),
        (ASIC, ComplaintType.SUPERANNUATION, Clock.FINAL_RESPONSE, 45, DayUnit.CALENDAR),
        (FCA, ComplaintType.STANDARD, Clock.SUMMARY_RESOLUTION, 3, DayUnit.BUSINESS),
        (FCA, ComplaintType.STANDARD, Clock.FINAL_RESPONSE, 56, DayUnit.CALENDAR),
        (FCA, ComplaintType.PAYMENT_SERVICES, Clock.FINAL_RESPONSE, 15, DayUnit.BUSINESS),
        (FCA, ComplaintType.PAYMENT_SERVICES, Clock.EXTENDED_FINAL_RESPONSE, 35, DayUnit.BUSINESS),
    ],
)
def test_clock_rules(reg, ctype, clock, count, unit):
    rule = reg.rule(ctype, clock)
    assert (rule.count, rule.unit) == (count, unit)


def test_only_payment_services_has_an_extended_clock():
    assert FCA.rule(ComplaintType.STANDARD, Clock.EXTENDED_FINAL_RESPONSE) is None
    assert ASIC.rule(ComplaintType.PAYMENT_SERVICES, Clock.EXTENDED_FINAL_RESPONSE) is None


def test_final_responses_name_the_ombudsman():
    assert ASIC.external_body is AFCA and FCA.external_body is FINANCIAL_OMBUDSMAN
    assert (AFCA.website, AFCA.email, AFCA.phone, AFCA.postal_address) == (
        "www.afca.org.au", "info@afca.org.au", "1800 931 678", "GPO Box 3, Melbourne VIC 3001",
    )
    assert (FINANCIAL_OMBUDSMAN.website, FINANCIAL_OMBUDSMAN.phone) == (
        "www.financial-ombudsman.org.uk", "0800 023 4567",
    )


# --- ASIC ---------------------------------------------------------------------------------------


def test_asic_received_in_london_late_evening_for_a_sydney_branch_over_easter():
    # Thu 2 Apr 2026 23:30 BST = Good Friday 3 Apr 09:30 AEDT in Sydney.
    case = compute_deadlines(datetime(2026, 4, 2, 23, 30, tzinfo=LONDON), ASIC, "standard", NSW, tz=SYDNEY)
    assert case.received_at == datetime(2026, 4, 2, 22, 30, tzinfo=UTC)
    assert dues(case) == {
        # 1 business day after Good Friday: Sat, Sun, Easter Monday skipped -> Tue 7 Apr (AEST, +10).
        Clock.ACKNOWLEDGEMENT: datetime(2026, 4, 7, 13, 59, 59, 999999, tzinfo=UTC),
        # 7, 8, 9, 10, 13 April -> Mon 13 Apr.
        Clock.EARLY_RESOLUTION: datetime(2026, 4, 13, 13, 59, 59, 999999, tzinfo=UTC),
        # 3 Apr + 30 calendar days = Sun 3 May; calendar clocks do not roll off weekends.
        Clock.FINAL_RESPONSE: datetime(2026, 5, 3, 13, 59, 59, 999999, tzinfo=UTC),
    }
    assert [d.clock for d in case.deadlines] == [Clock.ACKNOWLEDGEMENT, Clock.EARLY_RESOLUTION, Clock.FINAL_RESPONSE]


def test_same_instant_for_a_london_branch_rolls_past_easter():
    # Thu 2 Apr 23:30 is after close of business: treated as received Tue 7 Apr (after Easter).
    case = compute_deadlines(datetime(2026, 4, 2, 23, 30, tzinfo=LONDON), FCA, "standard", ENG, tz=LONDON)
    assert dues(case) == {
        Clock.SUMMARY_RESOLUTION: eod(2026, 4, 10, LONDON),  # 8, 9, 10 Apr
        Clock.FINAL_RESPONSE: eod(2026, 5, 28, LONDON),  # 2 Apr + 56 days (from the real day of receipt)
    }


@pytest.mark.parametrize(
    ("ctype", "final"),
    [
        (ComplaintType.HARDSHIP, (2028, 1, 14)),  # 24 Dec + 21
        (ComplaintType.STANDARD, (2028, 1, 23)),  # 24 Dec + 30
        (ComplaintType.SUPERANNUATION, (2028, 2, 7)),  # 24 Dec + 45
    ],
)
def test_asic_over_christmas_2027_with_substitute_days(ctype, final):
    # Fri 24 Dec 2027, Melbourne. Christmas Sat -> Mon 27 observed; Boxing Day Sun -> Tue 28 observed;
    # New Year's Day 2028 Sat -> Mon 3 Jan observed.
    case = compute_deadlines(datetime(2027, 12, 24, 10, 0, tzinfo=MELBOURNE), ASIC, ctype, VIC, tz=MELBOURNE)
    assert dues(case) == {
        Clock.ACKNOWLEDGEMENT: eod(2027, 12, 29, MELBOURNE),
        Clock.EARLY_RESOLUTION: eod(2028, 1, 5, MELBOURNE),  # 29, 30, 31 Dec, 4, 5 Jan
        Clock.FINAL_RESPONSE: eod(*final, MELBOURNE),
    }
    assert case.get(Clock.ACKNOWLEDGEMENT).due == datetime(2027, 12, 29, 12, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cal", "tz", "ack", "early"),
    [
        (NSW, SYDNEY, (2026, 11, 3), (2026, 11, 9)),
        (VIC, MELBOURNE, (2026, 11, 4), (2026, 11, 10)),  # Melbourne Cup Day, Tue 3 Nov
    ],
)
def test_asic_state_holidays_differ(cal, tz, ack, early):
    case = compute_deadlines(datetime(2026, 11, 2, 10, 0, tzinfo=tz), ASIC, "standard", cal, tz=tz)
    assert case.get(Clock.ACKNOWLEDGEMENT).due == eod(*ack, tz)
    assert case.get(Clock.EARLY_RESOLUTION).due == eod(*early, tz)


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 5, 1, 17, 45, tzinfo=SYDNEY),  # late Friday
        datetime(2026, 5, 2, 11, 0, tzinfo=SYDNEY),  # Saturday
    ],
)
def test_asic_counts_from_the_day_of_receipt_even_after_hours(received):
    case = compute_deadlines(received, ASIC, "standard", NSW, tz=SYDNEY)
    assert case.get(Clock.ACKNOWLEDGEMENT).due == eod(2026, 5, 4, SYDNEY)  # Monday


# --- FCA ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "summary"),
    [
        (datetime(2026, 5, 1, 16, 30, tzinfo=LONDON), (2026, 5, 7)),  # Fri before close: 5, 6, 7 May
        (datetime(2026, 5, 1, 17, 45, tzinfo=LONDON), (2026, 5, 8)),  # Fri late -> Tue 5 May: 6, 7, 8
        (datetime(2026, 5, 2, 10, 0, tzinfo=LONDON), (2026, 5, 8)),  # Saturday -> Tue 5 May
    ],
)
def test_fca_summary_resolution_after_close_of_business(received, summary):
    # Mon 4 May 2026 is the Early May bank holiday.
    case = compute_deadlines(received, FCA, "standard", ENG, tz=LONDON)
    assert case.get(Clock.SUMMARY_RESOLUTION).due == eod(*summary, LONDON)


def test_fca_over_christmas_2027():
    case = compute_deadlines(datetime(2027, 12, 23, 16, 0, tzinfo=LONDON), FCA, "standard", ENG, tz=LONDON)
    assert dues(case) == {
        Clock.SUMMARY_RESOLUTION: datetime(2027, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),  # 24, 29, 30 Dec
        Clock.FINAL_RESPONSE: datetime(2028, 2, 17, 23, 59, 59, 999999, tzinfo=UTC),  # 8 weeks
    }


@pytest.mark.parametrize(
    ("received", "eng", "sct"),
    [
        # Scotland has no Easter Monday bank holiday...
        (datetime(2026, 4, 2, 12, 0, tzinfo=LONDON), (2026, 4, 9), (2026, 4, 8)),
        # ...but has 2 January.
        (datetime(2025, 12, 31, 10, 0, tzinfo=LONDON), (2026, 1, 6), (2026, 1, 7)),
    ],
)
def test_fca_england_and_scotland_differ(received, eng, sct):
    assert compute_deadlines(received, FCA, "standard", ENG, tz=LONDON).get(
        Clock.SUMMARY_RESOLUTION
    ).due == eod(*eng, LONDON)
    assert compute_deadlines(received, FCA, "standard", SCT, tz=LONDON).get(
        Clock.SUMMARY_RESOLUTION
    ).due == eod(*sct, LONDON)


def test_fca_payment_services_15_and_35_business_days_over_christmas():
    case = compute_deadlines(datetime(2026, 12, 14, 9, 0, tzinfo=LONDON), FCA, "payment_services", ENG, tz=LONDON)
    assert dues(case) == {
        Clock.SUMMARY_RESOLUTION: eod(2026, 12, 17, LONDON),
        Clock.FINAL_RESPONSE: eod(2027, 1, 7, LONDON),  # skips 25, 28 Dec and 1 Jan
        Clock.EXTENDED_FINAL_RESPONSE: eod(2027, 2, 4, LONDON),
    }


def test_the_instant_not_the_zone_of_receipt_matters():
    a = compute_deadlines(datetime(2026, 4, 2, 23, 30, tzinfo=LONDON), ASIC, "standard", NSW, tz=SYDNEY)
    b = compute_deadlines(datetime(2026, 4, 3, 9, 30, tzinfo=SYDNEY), ASIC, "standard", NSW, tz=SYDNEY)
    assert a.deadlines == b.deadlines


def test_naive_receipt_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        compute_deadlines(datetime(2026, 4, 2, 12, 0), FCA, "standard", ENG, tz=LONDON)


# --- warnings and clock status ------------------------------------------------------------------

RECEIVED = datetime(2026, 6, 1, 0, 0, tzinfo=LONDON)  # Mon 1 Jun 00:00 BST = 31 May 23:00 UTC


def fca_case(ctype: str = "standard"):
    return compute_deadlines(RECEIVED, FCA, ctype, ENG, tz=LONDON)


def test_warning_instant_is_75_percent_of_the_time_since_receipt():
    final = fca_case().get(Clock.FINAL_RESPONSE)
    assert final.due == datetime(2026, 7, 27, 22, 59, 59, 999999, tzinfo=UTC)  # 1 Jun + 56 days
    # Span is 57 days minus 1 us; three quarters is 42 d 18 h less a rounded 1 us.
    assert final.warn_at == datetime(2026, 7, 13, 16, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (datetime(2026, 7, 13, 16, 59, 59, 999998, tzinfo=UTC), ClockState.OK),
        (datetime(2026, 7, 13, 16, 59, 59, 999999, tzinfo=UTC), ClockState.WARNING),
        (datetime(2026, 7, 27, 22, 59, 59, 999999, tzinfo=UTC), ClockState.WARNING),  # last instant of the day
        (datetime(2026, 7, 28, 0, 0, tzinfo=LONDON), ClockState.BREACHED),
    ],
)
def test_state_around_warning_and_deadline(now, state):
    status = clock_status(fca_case(), now)
    assert status.state is state
    assert status.next_deadline.clock is Clock.FINAL_RESPONSE  # summary resolution is a window, not a deadline


def test_time_left_is_negative_once_breached():
    status = clock_status(fca_case(), datetime(2026, 7, 28, 23, 0, tzinfo=UTC))
    assert status.time_left == -timedelta(days=1, microseconds=1)  # due 27 Jul 23:59:59.999999 BST
    assert status.missed == (Clock.FINAL_RESPONSE,)


def asic_case(ctype: str = "standard"):
    # Mon 2 Nov 2026 10:00 Sydney: ack Tue 3 Nov, early window Mon 9 Nov, final Wed 2 Dec.
    return compute_deadlines(datetime(2026, 11, 2, 10, 0, tzinfo=SYDNEY), ASIC, ctype, NSW, tz=SYDNEY)


def test_unacknowledged_case_breaches_the_acknowledgement_clock():
    status = clock_status(asic_case(), datetime(2026, 11, 4, 9, 0, tzinfo=SYDNEY))
    assert status.state is ClockState.BREACHED
    assert status.next_deadline.clock is Clock.ACKNOWLEDGEMENT
    assert status.time_left == -timedelta(hours=9, microseconds=1)
    assert status.missed == (Clock.ACKNOWLEDGEMENT,)


def test_late_acknowledgement_is_remembered_but_the_case_moves_on():
    status = clock_status(
        asic_case(),
        datetime(2026, 11, 5, 9, 0, tzinfo=SYDNEY),
        acknowledged_at=datetime(2026, 11, 4, 8, 0, tzinfo=SYDNEY),
    )
    assert status.state is ClockState.OK
    assert status.next_deadline.clock is Clock.FINAL_RESPONSE
    assert status.next_deadline.due == eod(2026, 12, 2, SYDNEY)
    assert status.missed == (Clock.ACKNOWLEDGEMENT,)


def test_a_response_stops_every_clock_and_counts_as_acknowledging():
    status = clock_status(
        asic_case(),
        datetime(2026, 11, 20, tzinfo=SYDNEY),
        responded_at=datetime(2026, 11, 3, 12, 0, tzinfo=SYDNEY),
    )
    assert status.state is ClockState.STOPPED
    assert (status.next_deadline, status.time_left, status.missed) == (None, None, ())


@pytest.mark.parametrize(
    ("ctype", "resolved", "requested", "letter"),
    [
        ("standard", datetime(2026, 11, 9, 23, 0, tzinfo=SYDNEY), False, ResponseLetter.NONE),
        ("standard", datetime(2026, 11, 9, 23, 0, tzinfo=SYDNEY), True, ResponseLetter.FINAL_RESPONSE),
        ("hardship", datetime(2026, 11, 3, 9, 0, tzinfo=SYDNEY), False, ResponseLetter.FINAL_RESPONSE),
        ("standard", datetime(2026, 11, 10, 0, 0, tzinfo=SYDNEY), False, ResponseLetter.FINAL_RESPONSE),
    ],
)
def test_asic_five_business_day_rule(ctype, resolved, requested, letter):
    status = clock_status(
        asic_case(ctype), resolved, acknowledged_at=resolved, resolved_at=resolved,
        written_response_requested=requested,
    )
    assert status.letter is letter
    assert status.written_response_required is (letter is not ResponseLetter.NONE)


def test_open_asic_case_needs_a_written_response_once_the_window_has_passed():
    case = asic_case()
    ack = datetime(2026, 11, 2, 11, 0, tzinfo=SYDNEY)
    assert not clock_status(case, datetime(2026, 11, 6, tzinfo=SYDNEY), acknowledged_at=ack).written_response_required
    assert clock_status(case, datetime(2026, 11, 10, tzinfo=SYDNEY), acknowledged_at=ack).written_response_required


def test_fca_summary_resolution_needs_its_own_letter():
    case = fca_case()  # summary window ends Thu 4 Jun (1 Jun counts as a business day received before close)
    assert case.get(Clock.SUMMARY_RESOLUTION).due == eod(2026, 6, 4, LONDON)
    early = clock_status(case, datetime(2026, 6, 4, 15, 0, tzinfo=LONDON), resolved_at=datetime(2026, 6, 4, 15, 0, tzinfo=LONDON))
    late = clock_status(case, datetime(2026, 6, 5, 9, 0, tzinfo=LONDON), resolved_at=datetime(2026, 6, 5, 9, 0, tzinfo=LONDON))
    assert early.letter is ResponseLetter.SUMMARY_RESOLUTION and early.written_response_required
    assert late.letter is ResponseLetter.FINAL_RESPONSE


def test_resolved_early_boundary():
    case = asic_case()
    window = case.get(Clock.EARLY_RESOLUTION).due
    assert resolved_early(case, window)
    assert not resolved_early(case, window + US)


def test_payment_services_extension_swaps_the_final_clock():
    case = compute_deadlines(datetime(2026, 12, 14, 9, 0, tzinfo=LONDON), FCA, "payment_services", ENG, tz=LONDON)
    now = datetime(2027, 1, 6, 9, 0, tzinfo=LONDON)
    plain = clock_status(case, now)
    extended = clock_status(case, now, extension_invoked=True)
    assert plain.next_deadline.clock is Clock.FINAL_RESPONSE and plain.state is ClockState.WARNING
    assert plain.delay_notice_due
    assert extended.next_deadline.clock is Clock.EXTENDED_FINAL_RESPONSE and extended.state is ClockState.OK
    assert not extended.delay_notice_due


def test_extension_is_ignored_where_the_regime_has_none():
    status = clock_status(asic_case(), datetime(2026, 11, 20, tzinfo=SYDNEY),
                          acknowledged_at=datetime(2026, 11, 2, 11, 0, tzinfo=SYDNEY), extension_invoked=True)
    assert status.next_deadline.clock is Clock.FINAL_RESPONSE


def test_delay_notice_is_flagged_from_the_warning_point_until_a_response():
    case, ack = asic_case(), datetime(2026, 11, 2, 11, 0, tzinfo=SYDNEY)
    warn = case.get(Clock.FINAL_RESPONSE).warn_at
    assert not clock_status(case, warn - US, acknowledged_at=ack).delay_notice_due
    assert clock_status(case, warn, acknowledged_at=ack).delay_notice_due
    assert not clock_status(case, warn, acknowledged_at=ack, responded_at=warn - US).delay_notice_due


def test_urgency_sorts_breached_first_then_least_time_left():
    case = asic_case()
    ack = datetime(2026, 11, 2, 11, 0, tzinfo=SYDNEY)
    statuses = {
        "stopped": clock_status(case, datetime(2026, 11, 5, tzinfo=SYDNEY), responded_at=ack),
        "ok_far": clock_status(case, datetime(2026, 11, 5, tzinfo=SYDNEY), acknowledged_at=ack),
        "warning": clock_status(case, datetime(2026, 11, 28, tzinfo=SYDNEY), acknowledged_at=ack),
        "ok_near": clock_status(case, datetime(2026, 11, 2, 12, 0, tzinfo=SYDNEY)),  # ack due in ~1.5 days
        "breached_lightly": clock_status(case, datetime(2026, 12, 3, 1, 0, tzinfo=SYDNEY), acknowledged_at=ack),
        "breached_badly": clock_status(case, datetime(2026, 12, 20, tzinfo=SYDNEY), acknowledged_at=ack),
    }
    ordered = sorted(statuses, key=lambda k: statuses[k].urgency_key)
    assert ordered == ["breached_badly", "breached_lightly", "ok_near", "warning", "ok_far", "stopped"]


def test_holiday_set_works_in_place_of_the_adapter():
    # No holidays at all: Good Friday receipt acknowledged by Mon 6 Apr instead of Tue 7 Apr.
    case = compute_deadlines(datetime(2026, 4, 3, 9, 30, tzinfo=SYDNEY), ASIC, "standard", HolidaySet(), tz=SYDNEY)
    assert case.get(Clock.ACKNOWLEDGEMENT).due.astimezone(SYDNEY).date() == date(2026, 4, 6)
