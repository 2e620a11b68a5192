"""The main areas of the window, in navigation order.

A later issue adds a real view by registering it under the same id:

    register(Area("portfolio", "Portfolio", "portfolio", "…", factory=PortfolioView))

Titles, summaries and plans are English source strings marked for lupdate in the "Areas" context;
`label()`, `description()` and `plans()` give them in the current language.

A factory takes a ViewContext and returns a QWidget. On lock every area widget is destroyed (its
`shutdown()` is called first if it has one) and on unlock the factories build them again, so no
client data survives a lock in a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

AREAS_CONTEXT = "Areas"


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

    def label(self) -> str:
        return QCoreApplication.translate(AREAS_CONTEXT, self.title)

    def description(self) -> str:
        return QCoreApplication.translate(AREAS_CONTEXT, self.summary)

    def plans(self) -> tuple[str, ...]:
        return tuple(QCoreApplication.translate(AREAS_CONTEXT, line) for line in self.coming)

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
    Area("portfolio", QT_TRANSLATE_NOOP("Areas", "Portfolio"), "portfolio",
         QT_TRANSLATE_NOOP("Areas", "Your book of clients: every client you look after, fast to sort, filter and search."),
         (QT_TRANSLATE_NOOP("Areas", "Paged client list with holdings, value and next review date"),
          QT_TRANSLATE_NOOP("Areas", "Client record: contacts, interactions, documents and notes"),
          QT_TRANSLATE_NOOP("Areas", "Contact cadence: who is overdue for a call or a review")),
         factory=lambda ctx: _portfolio(ctx)),
    Area("agenda", QT_TRANSLATE_NOOP("Areas", "Agenda"), "agenda",
         QT_TRANSLATE_NOOP("Areas", "What is due today and this week: reviews, calls, follow-ups and complaint deadlines."),
         (QT_TRANSLATE_NOOP("Areas", "Day and week view over your appointments and tasks"),
          QT_TRANSLATE_NOOP("Areas", "Overdue contacts by cadence, with public holidays for your region"),
          QT_TRANSLATE_NOOP("Areas", "Calendar export and import (iCalendar)")), factory=_agenda),
    Area("complaints", QT_TRANSLATE_NOOP("Areas", "Complaints"), "complaints",
         QT_TRANSLATE_NOOP("Areas", "Complaints you own: the regulatory clock, the next step and what is overdue."),
         (QT_TRANSLATE_NOOP("Areas", "Case list with ASIC RG 271 / FCA DISP deadlines and business-day clocks"),
          QT_TRANSLATE_NOOP("Areas", "Lifecycle: acknowledge, investigate, respond, escalate, close"),
          QT_TRANSLATE_NOOP("Areas", "Compensation within your approval limit, and root causes that recur")),
         factory=_complaints_view),
    Area("reports", QT_TRANSLATE_NOOP("Areas", "Reports"), "reports",
         QT_TRANSLATE_NOOP("Areas", "Client review packs and management reports, printed to PDF."),
         (QT_TRANSLATE_NOOP("Areas", "Review pack for one client, ready for the meeting"),
          QT_TRANSLATE_NOOP("Areas", "Management reports: book health, complaints, service levels"),
          QT_TRANSLATE_NOOP("Areas", "Encrypted PDF export")), factory=lambda ctx: _reports(ctx)),
    Area("segments", QT_TRANSLATE_NOOP("Areas", "Segments"), "segments",
         QT_TRANSLATE_NOOP("Areas", "Rule-based client segments and the service model each one earns."),
         (QT_TRANSLATE_NOOP("Areas", "Segment rules by value, products and life stage"),
          QT_TRANSLATE_NOOP("Areas", "Membership that follows the rules as clients change"),
          QT_TRANSLATE_NOOP("Areas", "Service level per segment: review frequency and contact cadence"))),
    Area("team", QT_TRANSLATE_NOOP("Areas", "Team"), "team",
         QT_TRANSLATE_NOOP("Areas", "Colleagues, coverage and hand-overs: who looks after which client."),
         (QT_TRANSLATE_NOOP("Areas", "Team members and roles"),
          QT_TRANSLATE_NOOP("Areas", "Cover while you are away, and client hand-overs"),
          QT_TRANSLATE_NOOP("Areas", "Team workload at a glance"))),
    Area("settings", QT_TRANSLATE_NOOP("Areas", "Settings"), "settings",
         QT_TRANSLATE_NOOP("Areas", "Organisation and personal preferences, stored encrypted in your profile."),
         (QT_TRANSLATE_NOOP("Areas", "Open all settings with Ctrl+, (or the button below)"),)),
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
