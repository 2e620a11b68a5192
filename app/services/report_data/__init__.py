"""Report data and rendering for RM Desk: the client review pack and the management reports.

``ReportService`` (from ``Workstation.reports``) reads the profile into the plain dataclasses of
``app.reports.data`` and hands them to the renderers in ``app.reports``; batch printing of many
packs in parallel processes lives in ``app.services.batch_print``.
"""

from .context import ReportContext, resolve_branding
from .management import Period, Scope
from .service import MANAGEMENT_REPORTS, ReportService, check_sections

__all__ = ["MANAGEMENT_REPORTS", "Period", "ReportContext", "ReportService", "Scope", "check_sections",
           "resolve_branding"]
