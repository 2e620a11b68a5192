"""What the complaints service takes in and hands back: plain frozen dataclasses, never ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.domain.complaints import Action, ClockState, ClockStatus

# -- input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintIntake:
    """A complaint as it is taken. Regime, region and zone default from the organisation's settings."""

    client_id: str
    description: str
    received_at: datetime  # aware; the instant it reached us, in any zone
    channel: str = "phone"
    complaint_type: str = "standard"  # standard | hardship | superannuation | payment_services
    products: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    remedy_sought: str = ""
    severity: str = "medium"  # low | medium | high
    taken_by_id: str | None = None  # default: the signed-in user
    owner_id: str | None = None  # who handles it; default: whoever took it
    written_response_requested: bool = False
    regime: str | None = None  # asic | fca
    region: str | None = None  # ISO 3166-2 holiday region, e.g. AU-NSW, GB-ENG
    timezone: str | None = None  # IANA zone the clocks run in, e.g. Australia/Sydney


# -- output -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    clock: str  # acknowledgement, early_resolution, summary_resolution, final_response, extended_final_response
    label: str
    due: datetime  # aware UTC, the end of the local day
    due_local: datetime  # the same instant in the case's zone
    warn_at: datetime
    binding: bool  # False for windows (resolve early), which cannot be breached
    state: str  # pending, overdue, met, late | open, passed, used | not_in_force, superseded
    met_at: datetime | None = None


@dataclass(frozen=True)
class EventView:
    id: str
    at: datetime
    kind: str
    from_state: str | None
    to_state: str | None
    actor: str  # display name (or username when the user is unknown)
    note: str | None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CompensationView:
    id: str
    amount: Decimal
    currency: str
    kind: str
    status: str  # proposed, approved, rejected, paid
    proposed_by_id: str | None
    proposed_by: str
    proposed_at: datetime
    approved_by_id: str | None
    approved_by: str | None
    approved_at: datetime | None
    paid_at: datetime | None
    note: str | None
    needs_approval: bool  # still waiting for someone with the authority


@dataclass(frozen=True)
class ReferralView:
    id: str
    department: str
    owner_name: str | None
    reason: str
    due_on: date | None
    status: str  # open, in_progress, done, cancelled
    created_by: str | None
    overdue: bool


@dataclass(frozen=True)
class RootCauseView:
    code: str
    label: str
    active: bool = True


@dataclass(frozen=True)
class SatisfactionView:
    score: int
    comment: str | None
    at: datetime


@dataclass(frozen=True)
class DisputeBodyView:
    name: str
    short_name: str
    website: str
    phone: str
    email: str | None
    postal_address: str | None


@dataclass(frozen=True)
class CaseView:
    id: str
    reference: str
    client_id: str
    client_name: str
    client_kind: str
    channel: str
    received_at: datetime  # aware UTC
    received_tz: str
    description: str
    products: tuple[str, ...]
    categories: tuple[str, ...]
    remedy_sought: str | None
    severity: str
    complaint_type: str
    regime: str
    regime_name: str
    region: str
    taken_by: str | None
    owner_id: str | None
    owner: str | None
    escalated_to_id: str | None
    escalated_to: str | None
    state: str
    state_label: str
    outcome: str | None
    written_response_requested: bool
    acknowledged_at: datetime | None
    response_issued_at: datetime | None
    closed_at: datetime | None
    ack_due_at: datetime | None
    final_due_at: datetime | None
    extension_invoked: bool
    deadlines: tuple[DeadlineView, ...]
    clock: ClockStatus  # live, read against `now`
    allowed_actions: tuple[Action, ...]
    events: tuple[EventView, ...]
    compensations: tuple[CompensationView, ...]
    compensation_total: Decimal  # approved and paid
    referrals: tuple[ReferralView, ...]
    root_causes: tuple[RootCauseView, ...]
    satisfaction: SatisfactionView | None
    external_body: DisputeBodyView

    @property
    def is_open(self) -> bool:
        return self.state != "closed"


@dataclass(frozen=True)
class CaseSummary:
    """One line of the open-cases list: enough to sort by urgency and show the clock."""

    id: str
    reference: str
    client_id: str
    client_name: str
    state: str
    state_label: str
    complaint_type: str
    regime: str
    severity: str
    received_at: datetime
    owner_id: str | None
    clock: ClockStatus

    @property
    def clock_state(self) -> ClockState:
        return self.clock.state

    @property
    def time_left(self) -> timedelta | None:
        return self.clock.time_left


@dataclass(frozen=True)
class CasePage:
    rows: tuple[CaseSummary, ...]
    total: int


@dataclass(frozen=True)
class RecurrenceFlagView:
    cause_code: str
    label: str
    case_ids: tuple[str, ...]
    references: tuple[str, ...]
    first: date
    last: date
    peak: int  # most cases inside one window
    threshold: int
    window_days: int

    def active_on(self, day: date) -> bool:
        """Still inside the window on ``day``: the recurrence is current, not history."""
        return (day - self.last).days < self.window_days


@dataclass(frozen=True)
class RootCauseResult:
    cause: RootCauseView
    recurring: RecurrenceFlagView | None  # set when this case is part of a recurring run of the cause


@dataclass(frozen=True)
class TrendSeries:
    code: str
    label: str
    counts: tuple[int, ...]  # one per month of RootCauseTrend.months

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class RootCauseTrend:
    start: date
    end: date
    months: tuple[date, ...]  # first day of each month in the period
    series: tuple[TrendSeries, ...]  # most frequent cause first


@dataclass(frozen=True)
class RegisterRow:
    complaint_id: str
    reference: str
    client_type: str
    channel: str
    complaint_type: str
    products: tuple[str, ...]
    issues: tuple[str, ...]
    root_causes: tuple[str, ...]
    received_at: datetime  # in the case's zone
    acknowledged_at: datetime | None
    closed_at: datetime | None
    ack_due_at: datetime | None
    final_due_at: datetime | None
    days_to_close: int | None
    state: str
    outcome: str | None
    compensation_total: Decimal
    currency: str
    regime: str
    region: str


@dataclass(frozen=True)
class ProductSummary:
    product: str
    received: int
    closed: int
    upheld: int  # upheld or partly upheld, of those closed
    redress_paid: Decimal


@dataclass(frozen=True)
class UkSummary:
    """A UK-style complaints return for a period (cases counted by receipt or by closure in it)."""

    start: date
    end: date
    received: int
    closed: int
    closed_within_3_business_days: int
    closed_within_8_weeks: int  # after the 3rd business day, by the end of the 8th week
    closed_after_8_weeks: int
    upheld: int  # upheld or partly upheld
    partly_upheld: int
    not_upheld: int
    withdrawn: int
    redress_paid: Decimal  # compensation marked paid, on cases closed in the period
    redress_agreed: Decimal  # approved or paid
    currency: str
    by_product: tuple[ProductSummary, ...]

    @property
    def upheld_share(self) -> Decimal | None:
        """Upheld (incl. partly) as a share of closed cases with a decision; withdrawals excluded."""
        decided = self.upheld + self.not_upheld
        return None if decided == 0 else (Decimal(self.upheld) / decided).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class StaffMember:
    id: str
    display_name: str
    role: str
