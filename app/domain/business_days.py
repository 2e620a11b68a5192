"""Business-day arithmetic for regulatory clocks.

Holidays are injected (the ``HolidayCalendar`` protocol) so this module stays stdlib-only and
testable; ``app.services.holiday_calendar`` adapts the ``holidays`` library to it.

Conventions (they matter for regulators, so they are fixed here once):

* Counting excludes the starting day. ``add_business_days(d, n)`` is the n-th business day
  strictly *after* ``d``; "within 1 business day after receipt" is ``add_business_days(receipt, 1)``.
* A deadline is the *end* of its local day, 23:59:59.999999 in the branch's zone, returned as an
  aware UTC datetime. Working in UTC at the boundary keeps comparisons safe across DST changes.
* Receipt is read in the branch's zone: a complaint emailed at 23:30 in London is received on the
  next morning in Sydney, and Sydney's calendar decides.
* Calendar-day clocks count from the local day of receipt and never roll off weekends or holidays
  (neither RG 271 nor DISP allows it, so the conservative reading wins).
* Business-day clocks may treat a receipt after close of business, or on a non-business day, as
  received on the next business day (``roll_after``); whether a regime allows that is the
  regime's decision, not this module's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol, runtime_checkable

SATURDAY, SUNDAY = 5, 6
SAT_SUN: frozenset[int] = frozenset({SATURDAY, SUNDAY})

# A calendar with no business day for a year is misconfigured; stop instead of looping forever.
_MAX_SEARCH_DAYS = 400


@runtime_checkable
class HolidayCalendar(Protocol):
    """Anything that can say whether a local date is a (public or branch) holiday."""

    def is_holiday(self, day: date, /) -> bool: ...


@dataclass(frozen=True, slots=True)
class HolidaySet:
    """A fixed set of holiday dates; handy for tests and for explicit closure lists."""

    dates: frozenset[date] = frozenset()

    @classmethod
    def of(cls, dates: Iterable[date]) -> HolidaySet:
        return cls(frozenset(dates))

    def is_holiday(self, day: date, /) -> bool:
        return day in self.dates


NO_HOLIDAYS = HolidaySet()


def _check_weekend(weekend: frozenset[int]) -> None:
    if len(weekend) >= 7 or not weekend <= set(range(7)):
        raise ValueError("The working week must contain at least one working day (weekdays are 0=Mon..6=Sun).")


def is_business_day(day: date, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN) -> bool:
    return day.weekday() not in weekend and not holidays.is_holiday(day)


def _step(day: date, direction: int, holidays: HolidayCalendar, weekend: frozenset[int]) -> date:
    """The nearest business day strictly before/after ``day``."""
    _check_weekend(weekend)
    for offset in range(1, _MAX_SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset * direction)
        if is_business_day(candidate, holidays, weekend=weekend):
            return candidate
    raise ValueError(
        f"No business day within {_MAX_SEARCH_DAYS} days of {day:%d %b %Y}; the holiday calendar looks wrong."
    )


def next_business_day(day: date, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN) -> date:
    """The first business day strictly after ``day``."""
    return _step(day, 1, holidays, weekend)


def previous_business_day(day: date, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN) -> date:
    """The last business day strictly before ``day``."""
    return _step(day, -1, holidays, weekend)


def business_day_on_or_after(day: date, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN) -> date:
    if is_business_day(day, holidays, weekend=weekend):
        return day
    return next_business_day(day, holidays, weekend=weekend)


def add_business_days(
    day: date, n: int, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN
) -> date:
    """The n-th business day after ``day`` (before it when n < 0); ``day`` itself is never counted.

    n == 0 returns ``day`` unchanged, even if it is not a business day.
    """
    direction = 1 if n > 0 else -1
    for _ in range(abs(n)):
        day = _step(day, direction, holidays, weekend)
    return day


def business_days_between(
    start: date, end: date, holidays: HolidayCalendar, *, weekend: frozenset[int] = SAT_SUN
) -> int:
    """How many business days fall in (start, end]; when ``end`` is earlier, minus those in [end, start).

    The inverse of ``add_business_days``: ``business_days_between(d, add_business_days(d, n)) == n``.
    """
    _check_weekend(weekend)
    if end < start:
        first, last, sign = end, start - timedelta(days=1), -1
    else:
        first, last, sign = start + timedelta(days=1), end, 1
    span = (last - first).days + 1
    return sign * sum(
        1 for offset in range(span) if is_business_day(first + timedelta(days=offset), holidays, weekend=weekend)
    )


def local_datetime(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` seen in the branch's zone; a naive datetime is refused (its zone would be a guess)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A date and time without a time zone cannot be used for a deadline; record the zone too.")
    return moment.astimezone(tz)


def end_of_day(day: date, tz: tzinfo) -> datetime:
    """23:59:59.999999 on ``day`` in ``tz``, as an aware UTC datetime."""
    return datetime.combine(day, time.max, tzinfo=tz).astimezone(UTC)


def receipt_day(
    received_at: datetime,
    tz: tzinfo,
    holidays: HolidayCalendar,
    *,
    weekend: frozenset[int] = SAT_SUN,
    roll_after: time | None = None,
) -> date:
    """The local day a business-day clock counts from ("day zero").

    Without ``roll_after`` it is simply the local date of receipt. With it, a receipt at or after
    that local time, or on a non-business day, counts as received on the next business day
    (FCA DISP 1.5.3G allows exactly this).
    """
    local = local_datetime(received_at, tz)
    day = local.date()
    if roll_after is None:
        return day
    if not is_business_day(day, holidays, weekend=weekend) or local.time() >= roll_after:
        return next_business_day(day, holidays, weekend=weekend)
    return day


def end_of_nth_business_day_after(
    received_at: datetime,
    n: int,
    tz: tzinfo,
    holidays: HolidayCalendar,
    *,
    weekend: frozenset[int] = SAT_SUN,
    roll_after: time | None = None,
) -> datetime:
    """Deadline "by the end of the n-th business day after receipt", aware UTC."""
    if n < 0:
        raise ValueError("A deadline cannot be a negative number of days after receipt.")
    start = receipt_day(received_at, tz, holidays, weekend=weekend, roll_after=roll_after)
    return end_of_day(add_business_days(start, n, holidays, weekend=weekend), tz)


def end_of_nth_calendar_day_after(received_at: datetime, n: int, tz: tzinfo) -> datetime:
    """Deadline "within n calendar days of receipt": end of (local receipt day + n), aware UTC."""
    if n < 0:
        raise ValueError("A deadline cannot be a negative number of days after receipt.")
    return end_of_day(local_datetime(received_at, tz).date() + timedelta(days=n), tz)
