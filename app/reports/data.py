"""The input contract for reports: plain, frozen dataclasses that services fill and renderers read.

Conventions
-----------
* A field that is ``None`` means the capability is missing (the service cannot provide it): the
  renderer leaves that section out entirely -- no heading, no placeholder.
* An empty tuple means the capability exists but there is nothing in the period: the section is
  printed with a one-line statement ("No complaints were recorded."), which is itself information.
* Money is ``Decimal`` with an ISO 4217 currency code; dates are ``datetime.date``.
* Text is whatever the client or RM typed, in any script; renderers escape and shape it.
* Collections are tuples (lists are accepted and work the same; tuples keep values hashable).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# --------------------------------------------------------------------------- client review pack


@dataclass(frozen=True, slots=True)
class ContactDetail:
    kind: str  # "Email", "Mobile", "Address", ...
    value: str
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class HouseholdMember:
    name: str
    relationship: str  # "Spouse", "Daughter", "Director", ...
    is_client: bool = False


@dataclass(frozen=True, slots=True)
class KeyDate:
    label: str  # "Birthday", "Mortgage fixed rate ends", ...
    on: date


@dataclass(frozen=True, slots=True)
class ClientSummary:
    name: str
    kind: str  # "Individual", "Joint", "Business", ...
    rm_name: str
    reference: str | None = None
    segment: str | None = None
    loyalty_tier: str | None = None
    client_since: date | None = None
    date_of_birth: date | None = None
    preferred_language: str | None = None
    preferred_channel: str | None = None
    special_needs: tuple[str, ...] = ()
    contacts: tuple[ContactDetail, ...] = ()
    household: tuple[HouseholdMember, ...] = ()
    key_dates: tuple[KeyDate, ...] = ()


@dataclass(frozen=True, slots=True)
class HoldingLine:
    product: str
    category: str  # "Current account", "Savings", "Investments", "Lending", "Insurance", ...
    account_masked: str  # "•••• 4821"
    balance: Decimal  # negative for lending
    currency: str
    history: tuple[tuple[date, Decimal], ...] = ()  # oldest first, for the balance trend


@dataclass(frozen=True, slots=True)
class UsageLine:
    """Revenue and usage for one month (``month`` is any day in it, conventionally the 1st)."""

    month: date
    revenue: Decimal
    transactions: int
    currency: str = "EUR"


RevenueLine = UsageLine


@dataclass(frozen=True, slots=True)
class ContactLine:
    channel: str  # "Meeting", "Phone", "Email", "Video", ...
    purpose: str
    planned_on: date | None = None  # None: unplanned contact
    held_on: date | None = None  # None: planned but not (yet) held
    outcome: str | None = None

    @property
    def on(self) -> date | None:
        return self.held_on or self.planned_on


@dataclass(frozen=True, slots=True)
class ComplaintLine:
    reference: str
    received: date
    state: str  # "Open", "Investigating", "Resolved", "Referred to ombudsman", ...
    subject: str | None = None
    next_deadline: date | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class SatisfactionPoint:
    on: date
    score: float
    scale_max: int = 10
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentStatus:
    segment: str
    tier: str | None = None
    told_on: date | None = None  # when the client was told of this segment; None: not yet
    previous_segment: str | None = None
    benefits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recommendation:
    product: str
    reason: str


@dataclass(frozen=True, slots=True)
class AgreedAction:
    action: str
    owner: str
    due: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class ChangeSinceLastReview:
    lines: tuple[str, ...]
    last_review_on: date | None = None


@dataclass(frozen=True, slots=True)
class ReviewPackData:
    client: ClientSummary
    prepared_on: date
    period_start: date | None = None
    period_end: date | None = None
    base_currency: str = "EUR"
    changes: ChangeSinceLastReview | None = None
    holdings: tuple[HoldingLine, ...] | None = None
    usage: tuple[UsageLine, ...] | None = None
    contacts: tuple[ContactLine, ...] | None = None
    complaints: tuple[ComplaintLine, ...] | None = None
    satisfaction: tuple[SatisfactionPoint, ...] | None = None
    segment: SegmentStatus | None = None
    recommendations: tuple[Recommendation, ...] | None = None
    actions: tuple[AgreedAction, ...] | None = None
    next_review: date | None = None
    disclosures: str | None = None


# --------------------------------------------------------------------------- management reports


@dataclass(frozen=True, slots=True)
class ReportHeader:
    title: str
    period_label: str  # "Q1 2025", "March 2025", ...
    prepared_on: date
    prepared_by: str
    scope: str = ""  # "Team North", "All branches", ...


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One measure against its target, e.g. ("A. Rossi", "New clients", 40, 33)."""

    label: str
    measure: str
    target: Decimal
    actual: Decimal
    unit: str = ""  # "EUR", "%", "" for counts

    @property
    def attainment(self) -> float | None:
        return None if not self.target else float(self.actual / self.target)


@dataclass(frozen=True, slots=True)
class ProductDemandRow:
    segment: str
    product: str
    count: int  # new take-ups (or holders) in the period


@dataclass(frozen=True, slots=True)
class StaffActivityRow:
    staff_name: str
    contacts_planned: int
    contacts_held: int
    reviews_done: int
    complaints_handled: int
    open_actions: int


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    client_name: str
    kind: str  # "Review overdue", "Complaint near deadline", "Segment not told", ...
    detail: str
    since: date | None = None
    owner: str = ""
    severity: str = "Medium"  # "High", "Medium", "Low"
    client_reference: str | None = None


@dataclass(frozen=True, slots=True)
class ComplaintSummaryRow:
    category: str
    received: int
    resolved: int
    open: int
    overdue: int
    upheld: int = 0
    average_days_to_resolve: float | None = None


@dataclass(frozen=True, slots=True)
class FeedbackTrendRow:
    month: date
    responses: int
    average_score: float
    scale_max: int = 10
    promoters: int | None = None
    detractors: int | None = None

    @property
    def nps(self) -> float | None:
        if self.promoters is None or self.detractors is None or not self.responses:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.responses


@dataclass(frozen=True, slots=True)
class PortfolioReportData:
    header: ReportHeader
    targets: tuple[TargetRow, ...] = ()
    product_demand: tuple[ProductDemandRow, ...] | None = None
    staff_activity: tuple[StaffActivityRow, ...] | None = None


@dataclass(frozen=True, slots=True)
class ExceptionsReportData:
    header: ReportHeader
    exceptions: tuple[ExceptionRow, ...] = ()


@dataclass(frozen=True, slots=True)
class ComplaintsReportData:
    header: ReportHeader
    summary: tuple[ComplaintSummaryRow, ...] = ()
    open_cases: tuple[ComplaintLine, ...] | None = None  # listed when given
    staff_activity: tuple[StaffActivityRow, ...] | None = None


@dataclass(frozen=True, slots=True)
class FeedbackReportData:
    header: ReportHeader
    trend: tuple[FeedbackTrendRow, ...] = ()
    comments: tuple[SatisfactionPoint, ...] | None = None  # recent verbatim comments
    product_demand: tuple[ProductDemandRow, ...] | None = None
