"""Complaint case management over the regulators' clocks (issue 5).

`ComplaintService` is the one entry point (``Workstation.complaints``); the views it returns are
plain frozen dataclasses. The rules themselves live in ``app.domain.complaints``.
"""

from .service import CHANNELS, COMPENSATION_KINDS, SEVERITIES, ComplaintService
from .views import (
    CasePage,
    CaseSummary,
    CaseView,
    CompensationView,
    ComplaintIntake,
    DeadlineView,
    DisputeBodyView,
    EventView,
    ProductSummary,
    RecurrenceFlagView,
    ReferralView,
    RegisterRow,
    RootCauseResult,
    RootCauseTrend,
    RootCauseView,
    SatisfactionView,
    TrendSeries,
    UkSummary,
)

__all__ = [
    "CHANNELS", "COMPENSATION_KINDS", "SEVERITIES", "CasePage", "CaseSummary", "CaseView", "CompensationView",
    "ComplaintIntake", "ComplaintService", "DeadlineView", "DisputeBodyView", "EventView", "ProductSummary",
    "RecurrenceFlagView", "ReferralView", "RegisterRow", "RootCauseResult", "RootCauseTrend", "RootCauseView",
    "SatisfactionView", "TrendSeries", "UkSummary",
]
