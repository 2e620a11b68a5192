from __future__ import annotations

from datetime import date

import pytest

from app.domain.business_days import HolidayCalendar, add_business_days
from app.services import holiday_calendar as hc
from app.services.holiday_calendar import RegionHolidayCalendar, holiday_calendar, parse_region


@pytest.mark.parametrize(
    ("region", "parsed"),
    [
        ("AU-NSW", ("AU", "NSW")),
        ("au-vic", ("AU", "VIC")),
        (" GB-SCT ", ("GB", "SCT")),
        ("GB-NIR", ("GB", "NIR")),
        ("GB-WLS", ("GB", "WLS")),
        ("AU", ("AU", None)),
        ("GB", ("GB", None)),
    ],
)
def test_parse_region(region, parsed):
    assert parse_region(region) == parsed


@pytest.mark.parametrize("region", ["XX", "AU-XYZ", "GB-ENGLAND", "", "AUS"])
def test_unknown_regions_are_refused_with_a_readable_message(region):
    with pytest.raises(ValueError, match="not a holiday region we know"):
        holiday_calendar(region)


def test_unknown_subdivision_lists_the_valid_ones():
    with pytest.raises(ValueError, match="GB-ENG, GB-NIR, GB-SCT, GB-WLS"):
        holiday_calendar("GB-XYZ")


def test_adapter_satisfies_the_domain_protocol():
    assert isinstance(holiday_calendar("AU-NSW"), HolidayCalendar)


@pytest.mark.parametrize("region", ["AU-NSW", "AU-VIC", "GB-ENG", "GB-WLS", "GB-NIR"])
def test_easter_good_friday_and_monday(region):
    cal = holiday_calendar(region)
    assert cal.is_holiday(date(2026, 4, 3))  # Good Friday
    assert cal.is_holiday(date(2026, 4, 6))  # Easter Monday
    assert not cal.is_holiday(date(2026, 4, 7))


def test_scotland_has_good_friday_but_not_easter_monday_and_has_2_january():
    sct, eng = holiday_calendar("GB-SCT"), holiday_calendar("GB-ENG")
    assert sct.is_holiday(date(2026, 4, 3))
    assert not sct.is_holiday(date(2026, 4, 6))
    assert sct.is_holiday(date(2026, 1, 2)) and not eng.is_holiday(date(2026, 1, 2))


def test_melbourne_cup_is_a_victorian_holiday_only():
    assert holiday_calendar("AU-VIC").is_holiday(date(2026, 11, 3))
    assert not holiday_calendar("AU-NSW").is_holiday(date(2026, 11, 3))
    assert holiday_calendar("AU-VIC").holiday_name(date(2026, 11, 3)) == "Melbourne Cup Day"


@pytest.mark.parametrize("region", ["AU-NSW", "AU-VIC", "GB-ENG", "GB-SCT"])
def test_christmas_2027_on_a_weekend_moves_to_monday_and_tuesday(region):
    cal = holiday_calendar(region)
    assert cal.is_holiday(date(2027, 12, 27))  # Christmas Day (observed), Christmas is a Saturday
    assert cal.is_holiday(date(2027, 12, 28))  # Boxing Day (observed)
    assert not cal.is_holiday(date(2027, 12, 29))
    # Thu 23 Dec + 2 business days: Fri 24, (weekend, 27, 28 off) Wed 29.
    assert add_business_days(date(2027, 12, 23), 2, cal) == date(2027, 12, 29)


def test_plain_country_gives_nationwide_holidays_only():
    gb = holiday_calendar("GB")
    assert gb.is_holiday(date(2026, 4, 3))  # Good Friday everywhere
    assert not gb.is_holiday(date(2026, 4, 6))  # Easter Monday is not a holiday in Scotland


def test_extra_branch_closures_count_as_holidays():
    cal = holiday_calendar("AU-NSW", extra_closures=[date(2026, 8, 5)])
    assert cal.is_holiday(date(2026, 8, 5))
    assert cal.holiday_name(date(2026, 8, 5)) == "Branch closure"
    assert not holiday_calendar("AU-NSW").is_holiday(date(2026, 8, 5))
    assert cal.holiday_name(date(2026, 8, 6)) is None


def test_holidays_are_cached_per_region_and_year_range():
    hc._holiday_names.cache_clear()
    a, b = RegionHolidayCalendar("AU-VIC"), RegionHolidayCalendar("AU-VIC")
    a.is_holiday(date(2026, 1, 1))
    a.is_holiday(date(2029, 6, 1))
    b.is_holiday(date(2025, 3, 1))
    info = hc._holiday_names.cache_info()
    assert (info.misses, info.hits) == (1, 2)  # one load serves 2025-2029, for both branches
    a.is_holiday(date(2030, 1, 1))
    RegionHolidayCalendar("AU-NSW").is_holiday(date(2026, 1, 1))
    assert hc._holiday_names.cache_info().misses == 3
    assert hc._holiday_names("AU", "VIC", 2025, 2029)[date(2029, 11, 6)] == "Melbourne Cup Day"
