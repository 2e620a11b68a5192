"""Deadlines of a complaint case and where its clocks stand right now.

``compute_deadlines`` turns (receipt, regime, complaint type, branch calendar) into concrete aware
UTC instants; ``clock_status`` reads them against "now" and what has been done so far. Both are
pure, so the list of open cases can be re-sorted by urgency without touching storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from fractions import Fraction

from app.domain.business_days import (
    SAT_SUN,
    HolidayCalendar,
    end_of_nth_business_day_after,
    end_of_nth_calendar_day_after,
    local_datetime,
)
from app.domain.complaints.regimes import Clock, ClockRule, ComplaintType, DayUnit, Regime, ResponseLetter

WARNING_FRACTION = Fraction(3, 4)


@dataclass(frozen=True, slots=True)
class Deadline:
    clock: Clock
    due: datetime  # aware UTC, end of the local day
    warn_at: datetime  # aware UTC, when WARNING_FRACTION of the time since receipt has gone
    rule: ClockRule

    @property
    def binding(self) -> bool:
        return not self.clock.is_window


@dataclass(frozen=True, slots=True)
class CaseDeadlines:
    received_at: datetime  # aware UTC
    regime: Regime
    complaint_type: ComplaintType
    deadlines: tuple[Deadline, ...]  # sorted by due

    def get(self, clock: Clock) -> Deadline | None:
        return next((d for d in self.deadlines if d.clock is clock), None)


def _due(rule: ClockRule, received_at: datetime, regime: Regime, holidays: HolidayCalendar,
         tz: tzinfo, weekend: frozenset[int]) -> datetime:
    if rule.unit is DayUnit.CALENDAR:
        return end_of_nth_calendar_day_after(received_at, rule.count, tz)
    return end_of_nth_business_day_after(
        received_at, rule.count, tz, holidays, weekend=weekend, roll_after=regime.roll_receipt_after
    )


def compute_deadlines(
    received_at: datetime,
    regime: Regime,
    complaint_type: ComplaintType | str,
    holidays: HolidayCalendar,
    *,
    tz: tzinfo,
    weekend: frozenset[int] = SAT_SUN,
    warning_fraction: Fraction = WARNING_FRACTION,
) -> CaseDeadlines:
    """Every deadline the regime sets for this case, read in the branch's zone ``tz``."""
    received_utc = local_datetime(received_at, UTC)
    deadlines = []
    for rule in regime.rules_for(complaint_type):
        due = _due(rule, received_at, regime, holidays, tz, weekend)
        warn_at = received_utc + (due - received_utc) * warning_fraction.numerator / warning_fraction.denominator
        deadlines.append(Deadline(rule.clock, due, warn_at, rule))
    deadlines.sort(key=lambda d: d.due)
    return CaseDeadlines(received_utc, regime, ComplaintType(complaint_type), tuple(deadlines))


class ClockState(StrEnum):
    OK = "ok"
    WARNING = "warning"  # at least 75% of the time has gone
    BREACHED = "breached"
    STOPPED = "stopped"  # nothing left to meet: responded (or resolved early)


_STATE_RANK = {ClockState.BREACHED: 0, ClockState.WARNING: 1, ClockState.OK: 1, ClockState.STOPPED: 2}


@dataclass(frozen=True, slots=True)
class ClockStatus:
    now: datetime
    next_deadline: Deadline | None  # earliest binding deadline still to meet
    time_left: timedelta | None  # negative once breached
    state: ClockState
    missed: tuple[Clock, ...]  # binding clocks met late or still overdue (for reporting)
    letter: ResponseLetter  # what the client must get in writing if resolved now (or when it was resolved)
    delay_notice_due: bool  # final response at risk: tell the client why, in writing

    @property
    def written_response_required(self) -> bool:
        return self.letter is not ResponseLetter.NONE

    @property
    def urgency_key(self) -> tuple[int, timedelta]:
        """Sort key: breached first (most overdue first), then least time left, finished cases last."""
        return (_STATE_RANK[self.state], self.time_left if self.time_left is not None else timedelta.max)


def resolved_early(deadlines: CaseDeadlines, resolved_at: datetime) -> bool:
    """Was the case resolved inside the regime's early-resolution window?"""
    clock = deadlines.regime.early_resolution
    window = deadlines.get(clock) if clock else None
    return window is not None and local_datetime(resolved_at, UTC) <= window.due


def _letter(deadlines: CaseDeadlines, resolved_at: datetime | None, now: datetime, requested: bool) -> ResponseLetter:
    regime = deadlines.regime
    at = resolved_at or now
    if not resolved_early(deadlines, at):
        return ResponseLetter.FINAL_RESPONSE
    if regime.early_resolution_letter is ResponseLetter.NONE and (
        requested or deadlines.complaint_type in regime.always_written
    ):
        return ResponseLetter.FINAL_RESPONSE
    return regime.early_resolution_letter


def clock_status(
    deadlines: CaseDeadlines,
    now: datetime,
    *,
    acknowledged_at: datetime | None = None,
    responded_at: datetime | None = None,
    resolved_at: datetime | None = None,
    extension_invoked: bool = False,
    written_response_requested: bool = False,
) -> ClockStatus:
    """Where the case's clocks stand at ``now``.

    ``responded_at`` is when the final (or summary resolution) response went out; ``resolved_at``
    when the case was resolved or closed. Either stops the final-response clock, and a response
    also counts as acknowledging. ``extension_invoked`` (a holding reply was sent) swaps the
    final-response clock for the extended one where the regime has one.
    """
    now = local_datetime(now, UTC)
    finished = next((t for t in (responded_at, resolved_at) if t is not None), None)
    ack_done = min((t for t in (acknowledged_at, finished) if t is not None), default=None)
    final_clock = Clock.FINAL_RESPONSE
    if extension_invoked and deadlines.get(Clock.EXTENDED_FINAL_RESPONSE):
        final_clock = Clock.EXTENDED_FINAL_RESPONSE
    met_at = {Clock.ACKNOWLEDGEMENT: ack_done, final_clock: finished}

    pending: list[Deadline] = []
    missed: list[Clock] = []
    for d in deadlines.deadlines:
        if d.clock not in met_at:
            continue  # windows, and the final clock not in force
        done = met_at[d.clock]
        if done is None:
            pending.append(d)
            if now > d.due:
                missed.append(d.clock)
        elif local_datetime(done, UTC) > d.due:
            missed.append(d.clock)

    letter = _letter(deadlines, resolved_at or responded_at, now, written_response_requested)
    if not pending:
        return ClockStatus(now, None, None, ClockState.STOPPED, tuple(missed), letter, False)
    nxt = pending[0]
    left = nxt.due - now
    state = ClockState.BREACHED if left < timedelta(0) else ClockState.WARNING if now >= nxt.warn_at else ClockState.OK
    final = deadlines.get(final_clock)
    final_at_risk = final is not None and finished is None and now >= final.warn_at
    return ClockStatus(
        now, nxt, left, state, tuple(missed), letter, deadlines.regime.delay_notice_required and final_at_risk
    )
