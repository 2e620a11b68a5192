"""Shared by the complaints area, its models and dialogs: wording, clock text and colours, task plumbing.

Money, numbers, dates and times go through the user's formatter (ui/format.py). Dates are worded
(6 Apr 2026, 6. Apr. 2026) rather than numeric: a deadline must read the same to everyone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from ui.format import fmt
from ui.i18n import TranslationContext
from ui.i18n.app_messages import error_text
from ui.theme import STATUS_COLOURS

log = logging.getLogger(__name__)


class Complaints(TranslationContext):
    """The translation context outside a QObject (models' helpers, module-level tables):
    `Complaints.tr("…")`."""


# -- wording ----------------------------------------------------------------------------------------

def state_labels(short: bool = False) -> dict[str, str]:
    return {"received": Complaints.tr("To acknowledge") if short else Complaints.tr("Awaiting acknowledgement"), "acknowledged": Complaints.tr("Acknowledged"),
            "investigating": Complaints.tr("Under investigation"), "escalated": Complaints.tr("Escalated"),
            "response_issued": Complaints.tr("Response issued"), "closed": Complaints.tr("Closed")}


def type_labels(short: bool = False) -> dict[str, str]:
    return {"standard": Complaints.tr("Standard"), "hardship": Complaints.tr("Hardship") if short else Complaints.tr("Hardship / default notice"),
            "superannuation": Complaints.tr("Superannuation"), "payment_services": Complaints.tr("Payment services")}


def outcome_labels() -> dict[str, str]:
    return {"upheld": Complaints.tr("Upheld"), "partly_upheld": Complaints.tr("Partly upheld"), "not_upheld": Complaints.tr("Not upheld"),
            "withdrawn": Complaints.tr("Withdrawn")}


def channel_labels() -> dict[str, str]:
    return {"phone": Complaints.tr("Phone"), "email": Complaints.tr("Email"), "face_to_face": Complaints.tr("Face to face"), "video": Complaints.tr("Video"),
            "letter": Complaints.tr("Letter"), "sms": Complaints.tr("SMS"), "web": Complaints.tr("Web form"), "social_media": Complaints.tr("Social media")}


def severity_labels() -> dict[str, str]:
    return {"low": Complaints.tr("Low"), "medium": Complaints.tr("Medium"), "high": Complaints.tr("High")}


def compensation_kind_labels() -> dict[str, str]:
    return {"goodwill": Complaints.tr("Goodwill payment"), "redress": Complaints.tr("Redress"), "refund": Complaints.tr("Refund"),
            "fee_waiver": Complaints.tr("Fee waiver")}


def action_labels() -> dict[str, str]:
    """Button texts, with mnemonics, for app.domain.complaints.Action values."""
    return {"acknowledge": Complaints.tr("&Acknowledge"), "investigate": Complaints.tr("&Investigate"), "escalate": Complaints.tr("&Escalate…"),
            "issue_response": Complaints.tr("Issue &response"), "close": Complaints.tr("&Close case…"), "withdraw": Complaints.tr("&Withdraw…"),
            "reopen": Complaints.tr("Re&open…")}


def event_labels() -> dict[str, str]:
    return {"received": Complaints.tr("Complaint received"), "acknowledge": Complaints.tr("Acknowledged"),
            "investigate": Complaints.tr("Investigation started"), "escalate": Complaints.tr("Escalated"),
            "issue_response": Complaints.tr("Response issued"), "close": Complaints.tr("Closed"), "withdraw": Complaints.tr("Withdrawn"),
            "reopen": Complaints.tr("Reopened"), "edit": Complaints.tr("Details corrected"), "referral": Complaints.tr("Referred"),
            "referral_update": Complaints.tr("Referral updated"), "contact": Complaints.tr("Contact with the client"),
            "note": Complaints.tr("Note"), "comp_proposed": Complaints.tr("Compensation proposed"),
            "comp_approved": Complaints.tr("Compensation approved"), "comp_rejected": Complaints.tr("Compensation rejected"),
            "comp_paid": Complaints.tr("Compensation paid"), "root_cause": Complaints.tr("Root cause recorded"),
            "root_cause_removed": Complaints.tr("Root cause removed"), "satisfaction": Complaints.tr("Satisfaction check"),
            "delay_notice": Complaints.tr("Delay notice sent"), "letter": Complaints.tr("Letter written")}


def deadline_state_labels() -> dict[str, str]:
    return {"pending": Complaints.tr("pending"), "overdue": Complaints.tr("BREACHED"), "met": Complaints.tr("met"), "late": Complaints.tr("met late"),
            "open": Complaints.tr("open"), "passed": Complaints.tr("passed"), "used": Complaints.tr("resolved early"),
            "not_in_force": Complaints.tr("not in force"), "superseded": Complaints.tr("superseded")}


def label(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return table.get(code, code.replace("_", " ").capitalize())


# -- dates, money, clocks ---------------------------------------------------------------------------

def when(moment: datetime | None, *, with_zone: bool = False) -> str:
    """An aware instant in the user's zone (or its own, when `with_zone`): '6 Apr 2026 14:32'."""
    if moment is None:
        return ""
    local = moment if with_zone else moment.astimezone()
    text = f"{fmt().medium_date(local.date())} {fmt().clock(local)}"
    return f"{text} {local.tzname() or ''}".rstrip() if with_zone else text


def day(moment: datetime | Any | None) -> str:
    """The day of an instant in the user's zone (or of a date): '6 Apr 2026'."""
    return fmt().medium_date(moment)


def due_text(moment: datetime | None) -> str:
    """Deadlines fall at the end of a local day: show the day and 'end of day' rather than 23:59."""
    if moment is None:
        return ""
    if moment.hour == 23 and moment.minute == 59:
        return Complaints.tr("{day} (end of day {zone})").format(day=fmt().weekday_date(moment.date()),
                                                                 zone=moment.tzname() or "")
    return when(moment, with_zone=True)


def plural(n: int, one: str, many: str) -> str:
    """`one` or `many` (with %1 for the number). Prefer Qt's numerus form, `tr("%n case(s)", "", n)`,
    which follows each language's plural rules."""
    return one if n == 1 else many.replace("%1", fmt().number(n))


def money(amount: Decimal | None, currency: str = "") -> str:
    """In the user's locale; `currency` (ISO code) when not the organisation's: '1.234,50 €'."""
    return fmt().money(amount, currency or None)


def span(delta: timedelta) -> str:
    """A rough, readable length: '45 min', '3 h', '1 day', '12 days'."""
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        minutes = max(1, int(seconds // 60))
        return Complaints.tr("{n} min").format(n=minutes)
    if seconds < 86400:
        return Complaints.tr("{n} h").format(n=int(seconds // 3600))
    return Complaints.tr("%n day(s)", "", int(seconds // 86400))


def time_left_text(left: timedelta | None, state: str) -> str:
    """'3 h left', '2 days left · due soon', 'BREACHED 1 day ago', '' when nothing is left to meet."""
    if left is None or state == "stopped":
        return Complaints.tr("no deadline running")
    if state == "breached" or left < timedelta(0):
        return Complaints.tr("BREACHED {span} ago").format(span=span(left))
    text = Complaints.tr("{span} left").format(span=span(left))
    return Complaints.tr("{text} · due soon").format(text=text) if state == "warning" else text


def theme_name() -> str:
    app = QApplication.instance()
    name = app.property("rmdesk_theme") if app is not None else None
    if name in ("light", "dark"):
        return name
    return "dark" if QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def status_colour(kind: str) -> QColor:
    """'error', 'warn' or 'ok', readable on the current palette (the style sheet's @error/@warn/@ok)."""
    return QColor(STATUS_COLOURS[theme_name()][f"@{kind}"])


def clock_colour(state: str) -> QColor | None:
    return {"breached": status_colour("error"), "warning": status_colour("warn")}.get(state)


def set_role(widget: QLabel, role: str) -> None:
    """Change a label's style role (error / warn / muted ...) and re-polish it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def clock_style(state: str) -> str:
    colour = clock_colour(state)
    return f"color: {colour.name()}; font-weight: 600;" if colour is not None else ""


# -- errors and background work ---------------------------------------------------------------------

def message_of(exc: BaseException) -> str:
    """What to tell the user: the service's own words for refusals, never a traceback."""
    if isinstance(exc, ValueError | LookupError | PermissionError):
        return error_text(exc)
    from ui.dialogs.messages import describe

    return describe(exc)


def field_errors(exc: BaseException) -> dict[str, str] | None:
    errors = getattr(exc, "errors", None)
    return dict(errors) if isinstance(errors, dict) else None
