"""Complaint handling: regulators' regimes, deadlines, case lifecycle, compensation and root causes.

Pure and stdlib-only; the storage layer persists what these values describe.
"""

from __future__ import annotations

from app.domain.complaints.compensation import (
    DEFAULT_MATRIX,
    Approval,
    ApprovalMatrix,
    ApprovalRefused,
    Role,
    StaffMember,
    approve,
    can_approve,
    needs_approval,
)
from app.domain.complaints.deadlines import (
    WARNING_FRACTION,
    CaseDeadlines,
    ClockState,
    ClockStatus,
    Deadline,
    clock_status,
    compute_deadlines,
    resolved_early,
)
from app.domain.complaints.lifecycle import (
    TRANSITIONS,
    Action,
    CaseEvent,
    CaseState,
    CaseStatus,
    IllegalTransition,
    Outcome,
    Transition,
    allowed_actions,
    transition,
)
from app.domain.complaints.regimes import (
    AFCA,
    ASIC,
    FCA,
    FINANCIAL_OMBUDSMAN,
    REGIMES,
    Clock,
    ClockRule,
    ClockStart,
    ComplaintType,
    DayUnit,
    ExternalDisputeBody,
    Regime,
    ResponseLetter,
    regime,
)
from app.domain.complaints.root_causes import (
    DEFAULT_ROOT_CAUSES,
    CauseOccurrence,
    RecurrenceFlag,
    RootCause,
    detect_recurrence,
    root_cause,
)

__all__ = [
    "AFCA", "ASIC", "DEFAULT_MATRIX", "DEFAULT_ROOT_CAUSES", "FCA", "FINANCIAL_OMBUDSMAN", "REGIMES",
    "TRANSITIONS", "WARNING_FRACTION", "Action", "Approval", "ApprovalMatrix", "ApprovalRefused",
    "CaseDeadlines", "CaseEvent", "CaseState", "CaseStatus", "CauseOccurrence", "Clock", "ClockRule",
    "ClockStart", "ClockState", "ClockStatus", "ComplaintType", "DayUnit", "Deadline",
    "ExternalDisputeBody", "IllegalTransition", "Outcome", "RecurrenceFlag", "Regime", "ResponseLetter",
    "Role", "RootCause", "StaffMember", "Transition", "allowed_actions", "approve", "can_approve",
    "clock_status", "compute_deadlines", "detect_recurrence", "needs_approval", "regime", "resolved_early",
    "root_cause", "transition",
]
