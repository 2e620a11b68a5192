from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.business_days import (
    NO_HOLIDAYS,
    SAT_SUN,
    HolidayCalendar,
    HolidaySet,
    add_business_days,
    business_day_on_or_after,
    business_days_between,
    end_of_day,
    end_of_nth_business_day_after,
    end_of_nth_calendar_day_after,
    is_business_day,
    next_business_day,
    previous_business_day,
    receipt_day,
)

SYDNEY = ZoneInfo("Australia/Sydney")
LONDON = ZoneInfo("Europe/London")
# England & Wales, Easter and Christmas 2026 (Christmas Fri 25, Boxing Day Sat 26 -> observed Mon 28).
ENG_2026 = HolidaySet.of(
    [date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)]
)


def test_holiday_set_satisfies_the_protocol():
    assert isinstance(ENG_2026, HolidayCalendar)
    assert ENG_2026.is_holiday(date(2026, 4, 3))
    assert not ENG_2026.is_holiday(date(2026, 4, 2))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 2), True),  # Thursday
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 4), False),  # Saturday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(day, ENG_2026) is expected


def test_next_business_day_skips_the_easter_weekend():
    assert next_business_day(date(2026, 4, 2), ENG_2026) == date(2026, 4, 7)
    assert previous_business_day(date(2026, 4, 7), ENG_2026) == date(2026, 4, 2)
    assert business_day_on_or_after(date(2026, 4, 4), ENG_2026) == date(2026, 4, 7)
    assert business_day_on_or_after(date(2026, 4, 7), ENG_2026) == date(2026, 4, 7)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Good Friday, weekend, Easter Monday
        (date(2026, 4, 2), 3, date(2026, 4, 9)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # over Christmas and Boxing Day (observed Mon 28)
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        (date(2026, 12, 24), 4, date(2027, 1, 4)),  # New Year's Day Friday
        (date(2026, 4, 4), 1, date(2026, 4, 7)),  # from a Saturday
        (date(2026, 4, 7), -1, date(2026, 4, 2)),
        (date(2026, 4, 4), 0, date(2026, 4, 4)),
    ],
)
def test_add_business_days(start, n, expected):
    assert add_business_days(start, n, ENG_2026) == expected


def test_count_between_is_exclusive_of_start_and_inclusive_of_end():
    assert business_days_between(date(2026, 4, 2), date(2026, 4, 9), ENG_2026) == 3
    assert business_days_between(date(2026, 4, 9), date(2026, 4, 2), ENG_2026) == -3
    assert business_days_between(date(2026, 4, 3), date(2026, 4, 6), ENG_2026) == 0


def test_configurable_weekend_friday_saturday():
    fri_sat = frozenset({4, 5})
    # Thursday 2 Apr 2026 + 1 working day, Fri/Sat weekend, no holidays -> Sunday 5 Apr.
    assert add_business_days(date(2026, 4, 2), 1, NO_HOLIDAYS, weekend=fri_sat) == date(2026, 4, 5)


def test_a_week_without_working_days_is_refused():
    with pytest.raises(ValueError, match="at least one working day"):
        next_business_day(date(2026, 1, 1), NO_HOLIDAYS, weekend=frozenset(range(7)))


def test_a_calendar_where_every_day_is_a_holiday_is_reported_not_looped():
    class Always:
        def is_holiday(self, day: date, /) -> bool:
            return True

    with pytest.raises(ValueError, match="holiday calendar looks wrong"):
        next_business_day(date(2026, 1, 1), Always())


def test_end_of_day_is_the_last_microsecond_local_in_utc():
    # 7 Apr 2026 Sydney is AEST (+10): daylight saving ended on 5 Apr.
    assert end_of_day(date(2026, 4, 7), SYDNEY) == datetime(2026, 4, 7, 13, 59, 59, 999999, tzinfo=UTC)
    # 3 Apr 2026 Sydney is still AEDT (+11).
    assert end_of_day(date(2026, 4, 3), SYDNEY) == datetime(2026, 4, 3, 12, 59, 59, 999999, tzinfo=UTC)


def test_receipt_day_without_roll_is_the_local_date():
    late_friday = datetime(2026, 4, 24, 17, 45, tzinfo=LONDON)
    assert receipt_day(late_friday, LONDON, ENG_2026) == date(2026, 4, 24)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (datetime(2026, 4, 24, 16, 59, tzinfo=LONDON), date(2026, 4, 24)),  # Friday before close
        (datetime(2026, 4, 24, 17, 0, tzinfo=LONDON), date(2026, 4, 27)),  # at close -> Monday
        (datetime(2026, 4, 25, 9, 0, tzinfo=LONDON), date(2026, 4, 27)),  # Saturday -> Monday
        (datetime(2026, 5, 1, 17, 45, tzinfo=LONDON), date(2026, 5, 5)),  # Fri late, Mon 4 May bank holiday
    ],
)
def test_receipt_day_with_roll_after_close_of_business(received, expected):
    assert receipt_day(received, LONDON, ENG_2026, roll_after=time(17)) == expected


def test_receipt_is_read_in_the_branch_zone():
    # 23:30 on Thu 2 Apr in London (BST, +1) is 09:30 on Good Friday in Sydney (AEDT, +11).
    received = datetime(2026, 4, 2, 23, 30, tzinfo=LONDON)
    assert receipt_day(received, SYDNEY, NO_HOLIDAYS) == date(2026, 4, 3)
    assert receipt_day(received, LONDON, NO_HOLIDAYS) == date(2026, 4, 2)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        end_of_nth_calendar_day_after(datetime(2026, 4, 2, 12, 0), 30, LONDON)


def test_end_of_nth_business_day_after_receipt():
    received = datetime(2026, 4, 2, 12, 0, tzinfo=LONDON)
    due = end_of_nth_business_day_after(received, 3, LONDON, ENG_2026)
    assert due == datetime(2026, 4, 9, 22, 59, 59, 999999, tzinfo=UTC)  # Thu 9 Apr 23:59:59.999999 BST


def test_calendar_clock_does_not_roll_off_a_weekend():
    received = datetime(2026, 4, 3, 9, 30, tzinfo=SYDNEY)
    # 3 Apr + 30 days = Sunday 3 May 2026; it stays there.
    assert end_of_nth_calendar_day_after(received, 30, SYDNEY) == datetime(
        2026, 5, 3, 13, 59, 59, 999999, tzinfo=UTC
    )


def test_negative_counts_are_refused():
    received = datetime(2026, 4, 2, 12, 0, tzinfo=LONDON)
    with pytest.raises(ValueError):
        end_of_nth_business_day_after(received, -1, LONDON, ENG_2026)
    with pytest.raises(ValueError):
        end_of_nth_calendar_day_after(received, -1, LONDON)


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
holiday_sets = st.frozensets(days, max_size=60).map(HolidaySet)
weekends = st.frozensets(st.integers(0, 6), max_size=3) | st.just(SAT_SUN)


@given(days, st.integers(1, 60), holiday_sets, weekends)
def test_adding_business_days_lands_on_a_business_day(start, n, hols, weekend):
    result = add_business_days(start, n, hols, weekend=weekend)
    assert result > start
    assert is_business_day(result, hols, weekend=weekend)


@given(days, st.integers(0, 40), holiday_sets, weekends)
def test_adding_is_strictly_monotonic_in_n(start, n, hols, weekend):
    assert add_business_days(start, n, hols, weekend=weekend) < add_business_days(start, n + 1, hols, weekend=weekend)


@given(days, st.integers(-40, 40), holiday_sets, weekends)
def test_counting_inverts_adding(start, n, hols, weekend):
    assert business_days_between(start, add_business_days(start, n, hols, weekend=weekend), hols, weekend=weekend) == n


@given(days, holiday_sets)
def test_next_business_day_is_adding_one(start, hols):
    assert next_business_day(start, hols) == add_business_days(start, 1, hols)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)),
       st.integers(0, 60))
def test_calendar_deadline_is_after_receipt_and_at_local_day_end(received, n):
    due = end_of_nth_calendar_day_after(received, n, SYDNEY)
    assert due > received
    local = due.astimezone(SYDNEY)
    assert local.time() == time.max
    assert local.date() - received.astimezone(SYDNEY).date() == timedelta(days=n)
