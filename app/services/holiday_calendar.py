"""Public holidays for a branch, from the maintained ``holidays`` library.

Regions are ISO 3166 codes: a country (``AU``, ``GB``) or a subdivision (``AU-NSW``, ``AU-VIC``,
``GB-ENG``, ``GB-SCT``, ``GB-NIR``, ``GB-WLS``). A plain country gives only its nationwide holidays,
so a branch should use its state or nation: Easter Monday, for instance, is not a bank holiday in
Scotland, and Melbourne Cup Day is one only in Victoria.

Extra closure days are for days that really are non-business days where the branch is (a local
proclaimed holiday the library lacks). A branch's own shutdown does not stop a regulator's clock,
so do not add one here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays

from app.domain.business_days import HolidayCalendar

_BLOCK_YEARS = 5


@lru_cache(maxsize=512)
def _holiday_names(country: str, subdivision: str | None, first_year: int, last_year: int) -> dict[date, str]:
    """Holidays of a (country, subdivision) over a year range, computed once per process."""
    found = holidays.country_holidays(country, subdiv=subdivision, years=range(first_year, last_year + 1))
    return dict(found.items())


@lru_cache(maxsize=1)
def _supported() -> dict[str, frozenset[str]]:
    return {c: frozenset(s) for c, s in holidays.list_supported_countries().items() if len(c) == 2}


def parse_region(region: str) -> tuple[str, str | None]:
    """``"AU-NSW"`` -> ``("AU", "NSW")``; ``"GB"`` -> ``("GB", None)``; ValueError when unknown."""
    code = region.strip().upper()
    country, _, subdivision = code.partition("-")
    supported = _supported()
    if country not in supported:
        raise ValueError(
            f"'{region}' is not a holiday region we know. Use a country or state code such as "
            "AU-NSW, AU-VIC, GB-ENG or GB-SCT."
        )
    if subdivision and subdivision not in supported[country]:
        options = ", ".join(f"{country}-{s}" for s in sorted(supported[country]) if " " not in s)
        raise ValueError(
            f"'{region}' is not a holiday region we know. For {country} use {options or country}."
        )
    return country, subdivision or None


class RegionHolidayCalendar:
    """``HolidayCalendar`` for one region plus the branch's extra closure days."""

    __slots__ = ("country", "extra_closures", "region", "subdivision", "_by_year")

    def __init__(self, region: str, extra_closures: Iterable[date] = ()) -> None:
        self.country, self.subdivision = parse_region(region)
        self.region = f"{self.country}-{self.subdivision}" if self.subdivision else self.country
        self.extra_closures: frozenset[date] = frozenset(extra_closures)
        self._by_year: dict[int, dict[date, str]] = {}

    def _year(self, year: int) -> dict[date, str]:
        names = self._by_year.get(year)
        if names is None:
            # Load aligned blocks of years: one library call serves a whole run of deadlines.
            first = year - year % _BLOCK_YEARS
            names = _holiday_names(self.country, self.subdivision, first, first + _BLOCK_YEARS - 1)
            self._by_year[year] = names
        return names

    def is_holiday(self, day: date, /) -> bool:
        return day in self.extra_closures or day in self._year(day.year)

    def holiday_name(self, day: date) -> str | None:
        """What the day is called, for showing why a deadline moved; None on a working day."""
        if day in self.extra_closures:
            return "Branch closure"
        return self._year(day.year).get(day)

    def __repr__(self) -> str:
        return f"RegionHolidayCalendar({self.region!r}, extra_closures={len(self.extra_closures)})"


def holiday_calendar(region: str, extra_closures: Iterable[date] = ()) -> HolidayCalendar:
    """The calendar a branch's deadlines are computed with."""
    return RegionHolidayCalendar(region, extra_closures)
