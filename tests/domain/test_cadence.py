"""Contact cadence rules: hand-checked examples first, then properties over dates, zones and intervals."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.cadence import (
    MIN_INTERVAL_MESSAGE,
    SEGMENT_DEFAULTS,
    Cadence,
    CadenceKind,
    ContactLevel,
    Interval,
    Period,
    PeriodCount,
    Window,
    add_months,
    annual_review_meeting,
    contact_status,
    effective_cadences,
    local_date,
    monthly_call,
    next_due,
    planned_dates,
    planned_vs_actual,
    quarterly_review,
    worst,
)

SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")
ZONES = [SYDNEY, LONDON, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")]
TODAY = date(2024, 6, 1)

# ----------------------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap February
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day into a common year
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # and into the next leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_planned_dates_never_drift_from_a_month_end_anchor() -> None:
    assert planned_dates(date(2024, 1, 31), monthly_call(), date(2024, 6, 30)) == [
        date(2024, 2, 29),
        date(2024, 3, 31),  # back to the 31st: computed from the anchor, not from 29 Feb
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    ]


def test_monthly_call_status_moves_green_amber_red() -> None:
    last = datetime(2024, 1, 31, 10, 0, tzinfo=LONDON)
    cadence = monthly_call()  # ideal 1 month, maximum 45 days
    assert next_due(last, cadence, LONDON, today=TODAY) == date(2024, 2, 29)

    def status(today: date) -> tuple[ContactLevel, int]:
        s = contact_status(last, cadence, today, LONDON)
        assert (s.due, s.deadline) == (date(2024, 2, 29), date(2024, 3, 16))
        return s.level, s.days_overdue

    assert status(date(2024, 2, 1)) == (ContactLevel.GREEN, 0)
    assert status(date(2024, 2, 29)) == (ContactLevel.GREEN, 0)
    assert status(date(2024, 3, 1)) == (ContactLevel.AMBER, 1)
    assert status(date(2024, 3, 16)) == (ContactLevel.AMBER, 16)
    assert status(date(2024, 3, 17)) == (ContactLevel.RED, 17)


def test_next_contact_counts_from_the_last_real_contact_not_the_plan() -> None:
    # Planned for 1 March, actually happened 20 March: the quarter runs from 20 March.
    real = datetime(2024, 3, 20, 15, 0, tzinfo=LONDON)
    assert next_due(real, quarterly_review(), LONDON, today=TODAY) == date(2024, 6, 20)


def test_without_maximum_overdue_goes_straight_to_red() -> None:
    cadence = Cadence(CadenceKind.CUSTOM, Interval.days(10))
    s = contact_status(date(2024, 5, 1), cadence, date(2024, 5, 12), LONDON)
    assert (s.level, s.days_overdue, s.due) == (ContactLevel.RED, 1, date(2024, 5, 11))


def test_sydney_contact_just_after_midnight_is_the_sydney_date() -> None:
    moment = datetime(2024, 1, 31, 13, 30, tzinfo=UTC)  # 00:30 on 1 Feb in Sydney (AEDT, +11)
    assert local_date(moment, SYDNEY) == date(2024, 2, 1)
    assert next_due(moment, monthly_call(), SYDNEY, today=TODAY) == date(2024, 3, 1)
    # The same instant is still 31 January for an RM in London.
    assert next_due(moment, monthly_call(), LONDON, today=TODAY) == date(2024, 2, 29)


def test_sydney_contact_at_23_30_keeps_its_sydney_date() -> None:
    moment = datetime(2024, 2, 29, 23, 30, tzinfo=SYDNEY)  # 12:30 UTC the same day
    assert local_date(moment, SYDNEY) == date(2024, 2, 29)
    assert next_due(moment, annual_review_meeting(), SYDNEY, today=TODAY) == date(2025, 2, 28)
    # Stored in UTC by the database, it must give the same answer.
    assert next_due(moment.astimezone(UTC), annual_review_meeting(), SYDNEY, today=TODAY) == date(2025, 2, 28)


def test_london_contact_after_midnight_in_summer_time() -> None:
    moment = datetime(2024, 7, 31, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 August
    assert next_due(moment, monthly_call(), LONDON, today=TODAY) == date(2024, 9, 1)
    assert next_due(moment, monthly_call(), ZoneInfo("UTC"), today=TODAY) == date(2024, 8, 31)


@pytest.mark.parametrize("fold", [0, 1])
def test_contact_in_the_repeated_hour_when_sydney_summer_time_ends(fold: int) -> None:
    # 7 April 2024: clocks go back from 03:00 to 02:00, so 02:30 happens twice.
    moment = datetime(2024, 4, 7, 2, 30, fold=fold, tzinfo=SYDNEY)
    assert next_due(moment.astimezone(UTC), quarterly_review(), SYDNEY, today=TODAY) == date(2024, 7, 7)


def test_contact_on_london_spring_forward_night() -> None:
    moment = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)  # 00:30 GMT, half an hour before the change
    assert local_date(moment, LONDON) == date(2024, 3, 31)
    moment = datetime(2024, 3, 30, 23, 59, tzinfo=UTC)
    assert local_date(moment, LONDON) == date(2024, 3, 30)


def test_never_contacted_client_is_due_from_onboarding() -> None:
    s = contact_status(None, quarterly_review(), date(2024, 5, 1), LONDON, onboarded_on=date(2024, 1, 15))
    assert (s.due, s.level, s.days_overdue, s.never_contacted) == (
        date(2024, 4, 15),
        ContactLevel.AMBER,
        16,
        True,
    )


def test_never_contacted_client_without_onboarding_date_is_due_today() -> None:
    s = contact_status(None, quarterly_review(), TODAY, LONDON)
    assert (s.due, s.level, s.days_overdue, s.never_contacted) == (TODAY, ContactLevel.GREEN, 0, True)
    assert next_due(None, quarterly_review(), LONDON, today=TODAY) == TODAY


@pytest.mark.parametrize("count", [0, -1, -30])
def test_interval_below_one_day_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match=MIN_INTERVAL_MESSAGE):
        Interval.days(count)
    with pytest.raises(ValueError, match=MIN_INTERVAL_MESSAGE):
        Interval.months(count)


def test_maximum_gap_shorter_than_ideal_is_refused() -> None:
    with pytest.raises(ValueError, match="maximum gap"):
        Cadence(CadenceKind.CUSTOM, Interval.months(3), Interval.months(2))
    with pytest.raises(ValueError, match="maximum gap"):
        Cadence(CadenceKind.CUSTOM, Interval.days(30), Interval.days(29))
    # 30 days is shorter than "one month" from 1 January (31 days), so it cannot be its maximum.
    with pytest.raises(ValueError, match="maximum gap"):
        Cadence(CadenceKind.MONTHLY_CALL, Interval.months(1), Interval.days(30))
    assert Cadence(CadenceKind.MONTHLY_CALL, Interval.months(1), Interval.days(31)).max_gap == Interval.days(
        31
    )


def test_naive_contact_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        next_due(datetime(2024, 1, 1, 9, 0), monthly_call(), LONDON, today=TODAY)


def test_segment_defaults_and_client_override() -> None:
    kinds = [c.kind for c in effective_cadences("PRIVATE")]
    assert kinds == [CadenceKind.MONTHLY_CALL, CadenceKind.QUARTERLY_REVIEW]
    assert effective_cadences("PREMIUM") == SEGMENT_DEFAULTS["PREMIUM"]
    assert effective_cadences("MASS_AFFLUENT") == (annual_review_meeting(),)
    assert effective_cadences("UNKNOWN") == ()
    assert effective_cadences(None) == ()

    every_two_months = Cadence(CadenceKind.MONTHLY_CALL, Interval.months(2), label="Call")
    birthday = Cadence(CadenceKind.CUSTOM, Interval.months(12), label="Birthday card")
    result = effective_cadences("PRIVATE", [every_two_months, birthday])
    assert result == (quarterly_review(), every_two_months, birthday)


def test_worst_status_picks_red_then_most_overdue() -> None:
    last = date(2024, 1, 1)
    call = contact_status(last, monthly_call(), date(2024, 3, 1), LONDON)  # red
    review = contact_status(last, quarterly_review(), date(2024, 3, 1), LONDON)  # green
    assert worst([review, call]) is call
    assert worst([]) is None


def test_planned_vs_actual_per_month() -> None:
    window = Window(date(2024, 1, 15), date(2024, 3, 31), Period.MONTH)
    planned = [date(2024, 1, 1), date(2024, 1, 20), date(2024, 2, 10), date(2024, 2, 29), date(2024, 3, 31)]
    actual = [date(2024, 1, 21), date(2024, 3, 5), date(2024, 4, 1)]
    assert planned_vs_actual(planned, actual, window) == [
        PeriodCount(date(2024, 1, 15), date(2024, 1, 31), 1, 1),
        PeriodCount(date(2024, 2, 1), date(2024, 2, 29), 2, 0),
        PeriodCount(date(2024, 3, 1), date(2024, 3, 31), 1, 1),
    ]
    assert planned_vs_actual(planned, actual, window)[1].met_ratio == 0.0
    assert PeriodCount(date(2024, 1, 1), date(2024, 1, 31), 0, 3).met_ratio is None


def test_planned_vs_actual_per_quarter_and_week() -> None:
    by_quarter = planned_vs_actual(
        [date(2024, 2, 1)], [date(2024, 4, 1)], Window(date(2024, 1, 1), date(2024, 12, 31), "quarter")
    )
    assert [(p.start, p.planned, p.actual) for p in by_quarter] == [
        (date(2024, 1, 1), 1, 0),
        (date(2024, 4, 1), 0, 1),
        (date(2024, 7, 1), 0, 0),
        (date(2024, 10, 1), 0, 0),
    ]
    by_week = planned_vs_actual(
        [], [date(2024, 1, 7)], Window(date(2024, 1, 3), date(2024, 1, 8), Period.WEEK)
    )
    assert [(p.start, p.end, p.actual) for p in by_week] == [
        (date(2024, 1, 3), date(2024, 1, 7), 1),  # Wed..Sun of ISO week 1
        (date(2024, 1, 8), date(2024, 1, 8), 0),
    ]
    with pytest.raises(ValueError):
        Window(date(2024, 2, 1), date(2024, 1, 1))


# --------------------------------------------------------------------------------------- properties

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
intervals = st.one_of(
    st.integers(1, 120).map(Interval.months),
    st.integers(1, 2000).map(Interval.days),
)
zones = st.sampled_from(ZONES)
aware_moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=zones
)


def _cadence(ideal: Interval) -> Cadence:
    return Cadence(CadenceKind.CUSTOM, ideal)


@given(dates, intervals)
def test_next_due_is_always_after_the_last_real_contact(last: date, ideal: Interval) -> None:
    assert next_due(last, _cadence(ideal), LONDON, today=TODAY) > last


@given(dates, dates, intervals)
def test_next_due_is_monotonic_in_the_last_contact(a: date, b: date, ideal: Interval) -> None:
    first, second = sorted((a, b))
    cadence = _cadence(ideal)
    assert next_due(first, cadence, LONDON, today=TODAY) <= next_due(second, cadence, LONDON, today=TODAY)


@given(dates, st.integers(-240, 240))
def test_add_months_lands_in_the_right_month_clamped(start: date, months: int) -> None:
    result = add_months(start, months)
    assert result.year * 12 + result.month == start.year * 12 + start.month + months
    assert result.day == min(start.day, calendar.monthrange(result.year, result.month)[1])


@given(dates, st.integers(0, 120), st.integers(0, 120))
def test_chained_month_steps_never_overtake_a_single_step(start: date, a: int, b: int) -> None:
    chained, direct = add_months(add_months(start, a), b), add_months(start, a + b)
    assert chained <= direct
    if start.day <= 28:
        assert chained == direct


@given(dates, st.integers(1, 24), st.integers(1, 30))
def test_planned_dates_are_computed_from_the_anchor(anchor: date, months: int, count: int) -> None:
    cadence = _cadence(Interval.months(months))
    until = add_months(anchor, months * count)
    plan = planned_dates(anchor, cadence, until)
    assert plan == [add_months(anchor, months * k) for k in range(1, count + 1)]
    assert plan == sorted(set(plan))


@given(st.sampled_from([2024, 2028]), st.integers(1, 3))
def test_leap_day_anchor(leap_year: int, years: int) -> None:
    anchor = date(leap_year, 2, 29)
    result = next_due(anchor, _cadence(Interval.months(12 * years)), LONDON, today=TODAY)
    expected_day = 29 if calendar.isleap(leap_year + years) else 28
    assert result == date(leap_year + years, 2, expected_day)


@given(aware_moments, zones, zones, intervals)
def test_due_date_depends_on_the_instant_and_the_rm_zone_only(
    moment: datetime, rm_zone: ZoneInfo, stored_zone: ZoneInfo, ideal: Interval
) -> None:
    cadence = _cadence(ideal)
    as_stored = moment.astimezone(stored_zone)
    expected = ideal.after(moment.astimezone(rm_zone).date())
    assert next_due(moment, cadence, rm_zone, today=TODAY) == expected
    assert next_due(as_stored, cadence, rm_zone, today=TODAY) == expected


@given(aware_moments)
def test_sydney_and_london_dates_differ_by_at_most_one_day(moment: datetime) -> None:
    sydney, london = local_date(moment, SYDNEY), local_date(moment, LONDON)
    assert timedelta(0) <= sydney - london <= timedelta(days=1)


@given(dates, intervals, intervals, dates)
def test_any_accepted_cadence_has_its_deadline_on_or_after_its_due_date(
    anchor: date, ideal: Interval, maximum: Interval, probe: date
) -> None:
    try:
        cadence = Cadence(CadenceKind.CUSTOM, ideal, maximum)
    except ValueError as exc:
        assert "maximum gap" in str(exc)
        return
    for day in (anchor, probe):
        assert cadence.max_gap.after(day) >= cadence.ideal.after(day)


@given(dates, st.integers(0, 800), st.integers(0, 800))
def test_status_only_gets_worse_as_days_pass(last: date, d1: int, d2: int) -> None:
    cadence = quarterly_review()
    severity = {ContactLevel.GREEN: 0, ContactLevel.AMBER: 1, ContactLevel.RED: 2}
    early, late = (contact_status(last, cadence, last + timedelta(days=d), LONDON) for d in sorted((d1, d2)))
    assert severity[early.level] <= severity[late.level]
    assert early.days_overdue <= late.days_overdue
    today = last + timedelta(days=max(d1, d2))
    assert late.days_overdue == max(0, (today - late.due).days)


@given(
    st.lists(dates, max_size=40),
    st.lists(dates, max_size=40),
    dates,
    st.integers(0, 800),
    st.sampled_from(list(Period)),
)
def test_planned_vs_actual_counts_every_date_in_the_window_once(
    planned: list[date], actual: list[date], start: date, length: int, period: Period
) -> None:
    window = Window(start, start + timedelta(days=length), period)
    counts = planned_vs_actual(planned, actual, window)
    inside = lambda days: sum(window.start <= d <= window.end for d in days)  # noqa: E731
    assert sum(c.planned for c in counts) == inside(planned)
    assert sum(c.actual for c in counts) == inside(actual)
    assert counts[0].start == window.start and counts[-1].end == window.end
    for before, after in zip(counts, counts[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
