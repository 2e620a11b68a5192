"""Helpers shared by the complaints service modules: time, settings, calendars, a case's clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.business_days import HolidayCalendar
from app.domain.complaints import (
    ApprovalMatrix,
    CaseDeadlines,
    CaseState,
    CaseStatus,
    ClockStatus,
    Outcome,
    Role,
    clock_status,
    compute_deadlines,
    regime,
)
from app.services.holiday_calendar import holiday_calendar
from app.services.settings import REGISTRY
from app.store.models import Complaint, Setting, User

# A little clock skew between devices is normal; anything further ahead is a typing mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime | None, what: str) -> datetime:
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Give the {what} with its time zone (for example 2026-04-03T17:45+10:00).")
    return moment.astimezone(UTC)


def not_in_future(moment: datetime, now: datetime, what: str) -> None:
    if moment > now + FUTURE_TOLERANCE:
        raise ValueError(f"The {what} is in the future; check the date and time.")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"'{name}' is not a time zone we know; use a name such as Australia/Sydney "
                         "or Europe/London.") from None


@lru_cache(maxsize=64)
def calendar(region: str) -> HolidayCalendar:
    """One calendar object per region per process (it caches its years itself)."""
    return holiday_calendar(region)


def setting(s: Session, key: str) -> Any:
    row = s.scalar(select(Setting.value).where(Setting.key == key))
    return REGISTRY[key].default if row is None else row


def approval_matrix(s: Session) -> ApprovalMatrix:
    raw = setting(s, "org.approval_limits") or {}
    limits: dict[Role, Decimal | None] = {}
    for key, value in raw.items():
        try:
            role = Role(key)
        except ValueError:
            raise ValueError(f"The approval limits setting names an unknown role '{key}'; "
                             f"use {', '.join(r.value for r in Role)}.") from None
        if value is None:
            limits[role] = None
            continue
        try:
            limits[role] = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            raise ValueError(f"The approval limit for {role.label} ({value!r}) is not an amount.") from None
    return ApprovalMatrix(limits)


def deadlines_of(k: Complaint | Any) -> CaseDeadlines:
    """The case's clocks, from its own regime, type, region and zone (a Complaint or a row with those columns)."""
    return _deadlines(k.received_at, k.regime, k.complaint_type, k.region, k.received_tz)


@lru_cache(maxsize=8192)
def _deadlines(received_at: datetime, regime_code: str, complaint_type: str, region: str,
               tz_name: str) -> CaseDeadlines:
    # Keyed by every input, so a cached answer is always the domain's answer; the open-cases list
    # re-reads its clocks often (they are live) and need not recompute thousands of calendars each time.
    return compute_deadlines(received_at, regime(regime_code), complaint_type, calendar(region),
                             tz=zone(tz_name))


def case_state(k: Complaint) -> CaseState:
    status = CaseStatus(k.state)
    outcome = Outcome(k.outcome) if status is CaseStatus.CLOSED and k.outcome else None
    try:
        return CaseState(status, outcome)
    except ValueError:
        raise ValueError(f"Case {k.reference} is closed without an outcome; ask support to repair it.") from None


def status_of(k: Complaint | Any, deadlines: CaseDeadlines, now: datetime, extension: bool) -> ClockStatus:
    return clock_status(deadlines, now, acknowledged_at=k.acknowledged_at, responded_at=k.response_issued_at,
                        resolved_at=k.closed_at, extension_invoked=extension,
                        written_response_requested=k.written_response_requested)


def local_day(moment: datetime, tz_name: str) -> date:
    return moment.astimezone(zone(tz_name)).date()


def user_names(s: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {i: n for i, n in s.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))}


def utc_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """A generous UTC window around local dates [start, end]; callers filter exactly by local day."""
    lo = datetime.combine(start - timedelta(days=1), datetime.min.time(), UTC) if start else None
    hi = datetime.combine(end + timedelta(days=2), datetime.min.time(), UTC) if end else None
    return lo, hi


def check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValueError("The end of the period is before its start.")


def within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)
