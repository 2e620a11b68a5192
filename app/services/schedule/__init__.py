"""Contact schedules: contact plans, the agenda and overdue queue, reminders, the interaction log,
communications, referrals, calendar exchange and the planned-vs-actual report data.

``ScheduleService`` is one object per use (see ``Workstation.schedule``): each call opens its own
session or unit of work and returns frozen dataclasses, never ORM rows. The parts live in their own
modules (plans, agenda, interactions, communications, referrals, calendar, reporting).
"""

from __future__ import annotations

from ..ical_codec import IcsError
from ._base import ContactRefused, parse_date, parse_datetime
from .agenda import (
    CONTACT_KINDS,
    VIEWS,
    AgendaItem,
    OverdueItem,
    OverduePage,
    Reminder,
    ScheduledContactView,
    TaskView,
    view_range,
)
from .calendar import CalendarMixin, IcsImportResult
from .communications import (
    ANNUAL_REVIEW_INVITATION,
    DEFAULT_LANGUAGE,
    MERGE_FIELDS,
    CommunicationDraft,
    CommunicationsMixin,
    CommunicationView,
    SentCommunication,
    TemplateView,
)
from .interactions import DIRECTIONS, InteractionsMixin, LoggedInteraction
from .plans import CadenceStatus, CadenceView, ClientContactStatus, PlansMixin
from .referrals import ReferralEventView, ReferralsMixin, ReferralView
from .reporting import ContactSeries, OverdueReport, PlannedVsActual, ReportingMixin


class ScheduleService(PlansMixin, InteractionsMixin, ReferralsMixin, CalendarMixin, ReportingMixin,
                      CommunicationsMixin):
    """Everything about when and how the RM is in touch with clients.

    ``ScheduleService(db, actor, user_id, rm_name, clock=...)``: ``user_id`` owns what is scheduled
    and logged; ``clock`` (aware UTC times) is for tests.
    """


__all__ = [
    "ANNUAL_REVIEW_INVITATION", "CONTACT_KINDS", "DEFAULT_LANGUAGE", "DIRECTIONS", "MERGE_FIELDS", "VIEWS",
    "AgendaItem", "CadenceStatus", "CadenceView", "ClientContactStatus", "CommunicationDraft", "CommunicationView",
    "ContactRefused", "ContactSeries", "IcsError", "IcsImportResult", "LoggedInteraction", "OverdueItem",
    "OverduePage", "OverdueReport", "PlannedVsActual", "ReferralEventView", "ReferralView", "Reminder",
    "ScheduleService", "ScheduledContactView", "SentCommunication", "TaskView", "TemplateView", "parse_date",
    "parse_datetime", "view_range",
]
