"""The main areas of the window, in navigation order.

A later issue adds a real view by registering it under the same id:

    register(Area("portfolio", "Portfolio", "portfolio", "…", factory=PortfolioView))

A factory takes a ViewContext and returns a QWidget. On lock every area widget is destroyed (its
`shutdown()` is called first if it has one) and on unlock the factories build them again, so no
client data survives a lock in a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QWidget


@dataclass
class ViewContext:
    """What a view may use: the unlocked workstation, the task runner, the action registry."""

    workstation: Any
    tasks: Any
    actions: Any


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    icon: str
    summary: str
    coming: tuple[str, ...] = ()
    factory: Callable[[ViewContext], QWidget] | None = field(default=None, compare=False)

    def build(self, ctx: ViewContext) -> QWidget:
        if self.factory is not None:
            return self.factory(ctx)
        from .placeholder import PlaceholderView

        return PlaceholderView(self, ctx)


def _complaints_view(ctx: ViewContext) -> QWidget:
    from .complaints import ComplaintsView

    return ComplaintsView(ctx)


def _agenda(ctx: ViewContext) -> QWidget:
    from .agenda import AgendaView

    return AgendaView(ctx)


AREAS: list[Area] = [
    Area("portfolio", "Portfolio", "portfolio",
         "Your book of clients: every client you look after, fast to sort, filter and search.",
         ("Paged client list with holdings, value and next review date",
          "Client record: contacts, interactions, documents and notes",
          "Contact cadence: who is overdue for a call or a review"),
         factory=lambda ctx: _portfolio(ctx)),
    Area("agenda", "Agenda", "agenda",
         "What is due today and this week: reviews, calls, follow-ups and complaint deadlines.",
         ("Day and week view over your appointments and tasks",
          "Overdue contacts by cadence, with public holidays for your region",
          "Calendar export and import (iCalendar)"), factory=_agenda),
    Area("complaints", "Complaints", "complaints",
         "Complaints you own: the regulatory clock, the next step and what is overdue.",
         ("Case list with ASIC RG 271 / FCA DISP deadlines and business-day clocks",
          "Lifecycle: acknowledge, investigate, respond, escalate, close",
          "Compensation within your approval limit, and root causes that recur"),
         factory=_complaints_view),
    Area("reports", "Reports", "reports",
         "Client review packs and management reports, printed to PDF.",
         ("Review pack for one client, ready for the meeting",
          "Management reports: book health, complaints, service levels",
          "Encrypted PDF export"), factory=lambda ctx: _reports(ctx)),
    Area("segments", "Segments", "segments",
         "Rule-based client segments and the service model each one earns.",
         ("Segment rules by value, products and life stage",
          "Membership that follows the rules as clients change",
          "Service level per segment: review frequency and contact cadence")),
    Area("team", "Team", "team",
         "Colleagues, coverage and hand-overs: who looks after which client.",
         ("Team members and roles",
          "Cover while you are away, and client hand-overs",
          "Team workload at a glance")),
    Area("settings", "Settings", "settings",
         "Organisation and personal preferences, stored encrypted in your profile.",
         ("Open all settings with Ctrl+, (or the button below)",)),
]


def _portfolio(ctx: ViewContext) -> QWidget:
    from .portfolio import PortfolioArea  # imported on first unlock: QtCharts and the views load late

    return PortfolioArea(ctx)


def _reports(ctx: ViewContext) -> QWidget:
    from .reports import ReportsView

    return ReportsView(ctx)


def register(area: Area) -> None:
    """Add an area, or replace the one with the same id in place (keeping its position)."""
    for i, existing in enumerate(AREAS):
        if existing.id == area.id:
            AREAS[i] = area
            return
    AREAS.append(area)


def area(area_id: str) -> Area:
    for a in AREAS:
        if a.id == area_id:
            return a
    raise KeyError(area_id)
