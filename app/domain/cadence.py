"""Contact cadence: how often an RM must be in touch with a client, as plain data and rules.

Rules (the "why" behind each choice):

* The next contact is due one ideal interval after the last *real* contact (an interaction that
  happened), never after the last *planned* date: a missed plan must not silently move the clock.
* Every due date is computed afresh from its anchor (``anchor + n months``), never by repeated
  addition, so month-end clamping cannot make a schedule drift (31 Jan -> 29 Feb -> 31 Mar, not 29 Mar).
* Month arithmetic clamps to the end of the target month: 31 Jan + 1 month = 29 Feb 2024 / 28 Feb 2025;
  29 Feb 2024 + 12 months = 28 Feb 2025.
* Dates are the RM's local calendar dates: a contact at 00:30 on 1 Feb in Sydney counts as 1 Feb even
  though it is still 31 Jan in UTC. Stored contact times must therefore be timezone-aware.
* With no real contact yet, the onboarding date is the anchor (onboarding is itself a meeting). When the
  onboarding date is unknown too, the client is due *today*: anchoring on today would push the due date
  forward every day and hide a client nobody has ever contacted.
* Status: green up to and including the ideal due date, amber until the maximum gap (the deadline) has
  passed, red after it. ``days_overdue`` counts from the ideal due date.

Stdlib only, so the same rules serve the GUI, the CLI, reports and the sync server.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

MIN_INTERVAL_MESSAGE = "A contact cadence must be at least one day."
MAX_GAP_MESSAGE = "The maximum gap between contacts cannot be shorter than the ideal gap."


class CadenceKind(StrEnum):
    """What kind of touchpoint a cadence asks for."""

    MONTHLY_CALL = "monthly_call"
    QUARTERLY_REVIEW = "quarterly_review"
    ANNUAL_REVIEW_MEETING = "annual_review_meeting"
    CUSTOM = "custom"


class IntervalUnit(StrEnum):
    MONTHS = "months"
    DAYS = "days"


class ContactLevel(StrEnum):
    """Red/amber/green status of a client's contact cadence (green means ok)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Period(StrEnum):
    """Calendar buckets for planned-vs-actual counts."""

    WEEK = "week"  # ISO week, Monday first
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the end of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Interval:
    """A gap between contacts, in whole months (calendar-aware) or days."""

    count: int
    unit: IntervalUnit = IntervalUnit.MONTHS

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise ValueError(MIN_INTERVAL_MESSAGE)
        object.__setattr__(self, "unit", IntervalUnit(self.unit))

    @classmethod
    def months(cls, count: int) -> Interval:
        return cls(count, IntervalUnit.MONTHS)

    @classmethod
    def days(cls, count: int) -> Interval:
        return cls(count, IntervalUnit.DAYS)

    def after(self, anchor: date, times: int = 1) -> date:
        """``anchor`` plus ``times`` intervals, computed in one step (no drift)."""
        if self.unit is IntervalUnit.MONTHS:
            return add_months(anchor, self.count * times)
        return anchor + timedelta(days=self.count * times)

    def span_bounds(self) -> tuple[int, int]:
        """Shortest and longest length of this interval in days, over every possible anchor."""
        if self.unit is IntervalUnit.DAYS:
            return self.count, self.count
        return _month_span_bounds(self.count)

    def __str__(self) -> str:
        unit = self.unit.value[:-1] if self.count == 1 else self.unit.value
        return f"{self.count} {unit}"


@lru_cache(maxsize=64)
def _month_span_bounds(months: int) -> tuple[int, int]:
    # Four consecutive years cover every month-length and leap-day combination.
    start = date(2024, 1, 1)
    spans = [(add_months(d, months) - d).days for d in (start + timedelta(days=i) for i in range(4 * 366))]
    return min(spans), max(spans)


def _at_least(longer: Interval, shorter: Interval) -> bool:
    """True when ``longer`` is never shorter than ``shorter``, whatever the anchor date."""
    if longer.unit == shorter.unit:
        return longer.count >= shorter.count
    return longer.span_bounds()[0] >= shorter.span_bounds()[1]


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often a client should be contacted: an ideal gap and a maximum tolerated gap."""

    kind: CadenceKind
    ideal: Interval
    maximum: Interval | None = None  # None: no amber window, overdue goes straight to red
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CadenceKind(self.kind))
        if self.maximum is None:
            object.__setattr__(self, "maximum", self.ideal)
        elif not _at_least(self.maximum, self.ideal):
            raise ValueError(MAX_GAP_MESSAGE)

    @property
    def max_gap(self) -> Interval:
        assert self.maximum is not None  # set in __post_init__
        return self.maximum

    @property
    def name(self) -> str:
        return self.label or self.kind.value.replace("_", " ").capitalize()


def monthly_call() -> Cadence:
    return Cadence(CadenceKind.MONTHLY_CALL, Interval.months(1), Interval.days(45))


def quarterly_review() -> Cadence:
    return Cadence(CadenceKind.QUARTERLY_REVIEW, Interval.months(3), Interval.months(4))


def annual_review_meeting() -> Cadence:
    return Cadence(CadenceKind.ANNUAL_REVIEW_MEETING, Interval.months(12), Interval.months(13))


SEGMENT_DEFAULTS: Mapping[str, tuple[Cadence, ...]] = {
    "PRIVATE": (monthly_call(), quarterly_review()),
    "PREMIUM": (quarterly_review(),),
    "MASS_AFFLUENT": (annual_review_meeting(),),
}
"""Default cadences per segment code; a segment not listed has no contact obligation."""


def effective_cadences(
    segment_code: str | None,
    client_overrides: Iterable[Cadence] = (),
    defaults: Mapping[str, Sequence[Cadence]] = SEGMENT_DEFAULTS,
) -> tuple[Cadence, ...]:
    """The cadences that apply to one client.

    A client cadence replaces the segment's cadence of the same kind (a PRIVATE client called every
    two months keeps the quarterly review); CUSTOM cadences are always added.
    """
    overrides = list(client_overrides)
    overridden = {c.kind for c in overrides if c.kind is not CadenceKind.CUSTOM}
    segment = defaults.get(segment_code or "", ())
    return tuple(c for c in segment if c.kind not in overridden) + tuple(overrides)


def local_date(moment: datetime | date, tz: ZoneInfo) -> date:
    """The RM's calendar date for ``moment``; a plain ``date`` is taken as already local."""
    if not isinstance(moment, datetime):
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A contact time must include its time zone.")
    return moment.astimezone(tz).date()


@dataclass(frozen=True, slots=True)
class ContactStatus:
    level: ContactLevel
    due: date  # ideal next contact date
    deadline: date  # last date within the maximum gap
    days_overdue: int  # days past ``due``; 0 when not yet overdue
    never_contacted: bool = False


def _anchor(
    last_real_contact: datetime | date | None, tz: ZoneInfo, onboarded_on: date | None
) -> date | None:
    if last_real_contact is not None:
        return local_date(last_real_contact, tz)
    return onboarded_on


def next_due(
    last_real_contact: datetime | date | None,
    cadence: Cadence,
    tz: ZoneInfo,
    *,
    today: date,
    onboarded_on: date | None = None,
) -> date:
    """Ideal date of the next contact (see the module rules for the no-contact case)."""
    anchor = _anchor(last_real_contact, tz, onboarded_on)
    return today if anchor is None else cadence.ideal.after(anchor)


def contact_status(
    last_real_contact: datetime | date | None,
    cadence: Cadence,
    today: date,
    tz: ZoneInfo,
    *,
    onboarded_on: date | None = None,
) -> ContactStatus:
    """Green/amber/red for one cadence on ``today`` (the RM's local date)."""
    anchor = _anchor(last_real_contact, tz, onboarded_on)
    if anchor is None:
        due = deadline = today
    else:
        due, deadline = cadence.ideal.after(anchor), cadence.max_gap.after(anchor)
    if today <= due:
        level = ContactLevel.GREEN
    elif today <= deadline:
        level = ContactLevel.AMBER
    else:
        level = ContactLevel.RED
    return ContactStatus(
        level=level,
        due=due,
        deadline=deadline,
        days_overdue=max(0, (today - due).days),
        never_contacted=last_real_contact is None,
    )


_SEVERITY = {ContactLevel.GREEN: 0, ContactLevel.AMBER: 1, ContactLevel.RED: 2}


def worst(statuses: Iterable[ContactStatus]) -> ContactStatus | None:
    """The most urgent status of a client's cadences (most severe, then most overdue)."""
    return max(statuses, key=lambda s: (_SEVERITY[s.level], s.days_overdue), default=None)


def planned_dates(anchor: date, cadence: Cadence, until: date) -> list[date]:
    """Planned contact dates after ``anchor`` up to ``until``, each computed from the anchor."""
    result: list[date] = []
    n = 1
    while (due := cadence.ideal.after(anchor, n)) <= until:
        result.append(due)
        n += 1
    return result


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive date range cut into calendar periods."""

    start: date
    end: date
    period: Period = Period.MONTH

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The reporting window ends before it starts.")
        object.__setattr__(self, "period", Period(self.period))


@dataclass(frozen=True, slots=True)
class PeriodCount:
    start: date  # clipped to the window
    end: date  # inclusive, clipped to the window
    planned: int
    actual: int

    @property
    def met_ratio(self) -> float | None:
        """Actual over planned, or None when nothing was planned."""
        return self.actual / self.planned if self.planned else None


@dataclass(slots=True)
class _Bucket:
    start: date
    end: date
    planned: int = 0
    actual: int = 0


def _period_start(day: date, period: Period) -> date:
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    if period is Period.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _period_after(start: date, period: Period) -> date:
    if period is Period.WEEK:
        return start + timedelta(days=7)
    return add_months(start, {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[period])


def planned_vs_actual(planned: Iterable[date], actual: Iterable[date], window: Window) -> list[PeriodCount]:
    """Planned and actual contact counts per calendar period of ``window`` (dates outside are ignored).

    Call it once per segment or per RM with that group's dates; every period of the window appears,
    even when empty, so series from different groups line up.
    """
    buckets: list[_Bucket] = []
    start = _period_start(window.start, window.period)
    while start <= window.end:
        after = _period_after(start, window.period)
        buckets.append(_Bucket(max(start, window.start), min(after - timedelta(days=1), window.end)))
        start = after
    index = {_period_start(b.start, window.period): b for b in buckets}

    def bucket(day: date) -> _Bucket | None:
        if not window.start <= day <= window.end:
            return None
        return index[_period_start(day, window.period)]

    for day in planned:
        if (b := bucket(day)) is not None:
            b.planned += 1
    for day in actual:
        if (b := bucket(day)) is not None:
            b.actual += 1
    return [PeriodCount(b.start, b.end, b.planned, b.actual) for b in buckets]
