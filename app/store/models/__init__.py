"""Every ORM model, importable from one place (and so all registered on Base.metadata)."""

from .base import SYNC_COLUMNS, Base, History, Synced, new_id, stable_id, utcnow
from .complaints import Compensation, Complaint, ComplaintEvent, ComplaintRootCause, RootCause
from .contact import (
    Communication,
    CommunicationTemplate,
    ContactPlan,
    Interaction,
    Referral,
    ReferralEvent,
    ScheduledContact,
    Task,
)
from .derived import ClientSummary
from .governance import (
    AuditEntry,
    ChangeEntry,
    DocumentNote,
    PrivacyRequest,
    ServiceStandard,
    Setting,
    Survey,
    SurveyResponse,
    SyncCursor,
    Target,
)
from .people import (
    Client,
    ClientAddress,
    ClientEmail,
    ClientPhone,
    Consent,
    Household,
    PortfolioAssignment,
    Relationship,
    Team,
    User,
)
from .products import (
    BalancePoint,
    Holding,
    LoyaltyEnrolment,
    LoyaltyProgramme,
    PointsEntry,
    Product,
    Recommendation,
    Segment,
    SegmentChange,
    SegmentPolicy,
    UsageSummary,
)

__all__ = [name for name in dir() if not name.startswith("_")]
