"""Shared by the complaints area, its models and dialogs: wording, clock text and colours, task plumbing.

ui/format.py (the locale formatting module) did not exist when this area was written; the few
formats here are deliberately unambiguous (6 Apr 2026, 14:32) so they read the same in AU and UK.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from ui.theme import STATUS_COLOURS

CONTEXT = "Complaints"
log = logging.getLogger(__name__)


def tr(text: str) -> str:
    """Translate outside a QObject (models' helpers, module-level tables)."""
    return QCoreApplication.translate(CONTEXT, text)


# -- wording ----------------------------------------------------------------------------------------

def state_labels(short: bool = False) -> dict[str, str]:
    return {"received": tr("To acknowledge") if short else tr("Awaiting acknowledgement"), "acknowledged": tr("Acknowledged"),
            "investigating": tr("Under investigation"), "escalated": tr("Escalated"),
            "response_issued": tr("Response issued"), "closed": tr("Closed")}


def type_labels(short: bool = False) -> dict[str, str]:
    return {"standard": tr("Standard"), "hardship": tr("Hardship") if short else tr("Hardship / default notice"),
            "superannuation": tr("Superannuation"), "payment_services": tr("Payment services")}


def outcome_labels() -> dict[str, str]:
    return {"upheld": tr("Upheld"), "partly_upheld": tr("Partly upheld"), "not_upheld": tr("Not upheld"),
            "withdrawn": tr("Withdrawn")}


def channel_labels() -> dict[str, str]:
    return {"phone": tr("Phone"), "email": tr("Email"), "face_to_face": tr("Face to face"), "video": tr("Video"),
            "letter": tr("Letter"), "sms": tr("SMS"), "web": tr("Web form"), "social_media": tr("Social media")}


def severity_labels() -> dict[str, str]:
    return {"low": tr("Low"), "medium": tr("Medium"), "high": tr("High")}


def compensation_kind_labels() -> dict[str, str]:
    return {"goodwill": tr("Goodwill payment"), "redress": tr("Redress"), "refund": tr("Refund"),
            "fee_waiver": tr("Fee waiver")}


def action_labels() -> dict[str, str]:
    """Button texts, with mnemonics, for app.domain.complaints.Action values."""
    return {"acknowledge": tr("&Acknowledge"), "investigate": tr("&Investigate"), "escalate": tr("&Escalate…"),
            "issue_response": tr("Issue &response"), "close": tr("&Close case…"), "withdraw": tr("&Withdraw…"),
            "reopen": tr("Re&open…")}


def event_labels() -> dict[str, str]:
    return {"received": tr("Complaint received"), "acknowledge": tr("Acknowledged"),
            "investigate": tr("Investigation started"), "escalate": tr("Escalated"),
            "issue_response": tr("Response issued"), "close": tr("Closed"), "withdraw": tr("Withdrawn"),
            "reopen": tr("Reopened"), "edit": tr("Details corrected"), "referral": tr("Referred"),
            "referral_update": tr("Referral updated"), "contact": tr("Contact with the client"),
            "note": tr("Note"), "comp_proposed": tr("Compensation proposed"),
            "comp_approved": tr("Compensation approved"), "comp_rejected": tr("Compensation rejected"),
            "comp_paid": tr("Compensation paid"), "root_cause": tr("Root cause recorded"),
            "root_cause_removed": tr("Root cause removed"), "satisfaction": tr("Satisfaction check"),
            "delay_notice": tr("Delay notice sent"), "letter": tr("Letter written")}


def deadline_state_labels() -> dict[str, str]:
    return {"pending": tr("pending"), "overdue": tr("BREACHED"), "met": tr("met"), "late": tr("met late"),
            "open": tr("open"), "passed": tr("passed"), "used": tr("resolved early"),
            "not_in_force": tr("not in force"), "superseded": tr("superseded")}


def label(table: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return table.get(code, code.replace("_", " ").capitalize())


# -- dates, money, clocks ---------------------------------------------------------------------------

def when(moment: datetime | None, *, with_zone: bool = False) -> str:
    """An aware instant in the user's zone (or its own, when `with_zone`): '6 Apr 2026, 14:32'."""
    if moment is None:
        return ""
    local = moment if with_zone else moment.astimezone()
    text = f"{local.day} {local:%b %Y, %H:%M}"
    return f"{text} {local:%Z}".rstrip() if with_zone else text


def day(moment: datetime | Any | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y}"


def due_text(moment: datetime | None) -> str:
    """Deadlines fall at the end of a local day: show the day and 'end of day' rather than 23:59."""
    if moment is None:
        return ""
    if moment.hour == 23 and moment.minute == 59:
        return tr("{day} (end of day {zone})").format(day=f"{moment:%a} {moment.day} {moment:%b %Y}",
                                                      zone=f"{moment:%Z}")
    return when(moment, with_zone=True)


def plural(n: int, one: str, many: str) -> str:
    """English-style plurals without a translation catalogue loaded: `many` has %1 for the number."""
    return one if n == 1 else many.replace("%1", str(n))


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f} {currency}".strip()


def span(delta: timedelta) -> str:
    """A rough, readable length: '45 min', '3 h', '1 day', '12 days'."""
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        minutes = max(1, int(seconds // 60))
        return tr("{n} min").format(n=minutes)
    if seconds < 86400:
        return tr("{n} h").format(n=int(seconds // 3600))
    days = int(seconds // 86400)
    return tr("1 day") if days == 1 else tr("{n} days").format(n=days)


def time_left_text(left: timedelta | None, state: str) -> str:
    """'3 h left', '2 days left · due soon', 'BREACHED 1 day ago', '' when nothing is left to meet."""
    if left is None or state == "stopped":
        return tr("no deadline running")
    if state == "breached" or left < timedelta(0):
        return tr("BREACHED {span} ago").format(span=span(left))
    text = tr("{span} left").format(span=span(left))
    return tr("{text} · due soon").format(text=text) if state == "warning" else text


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
        return str(exc) or exc.__class__.__name__
    from ui.dialogs.messages import describe

    return describe(exc)


def field_errors(exc: BaseException) -> dict[str, str] | None:
    errors = getattr(exc, "errors", None)
    return dict(errors) if isinstance(errors, dict) else None


class Jobs:
    """The background jobs of one widget: submitted through ui/tasks.py, all cancelled when it goes.

    Callbacks run on the GUI thread; cancelled handles never call back, so a destroyed widget is
    never touched.
    """

    def __init__(self, tasks: Any) -> None:
        self.tasks = tasks
        self._live: dict[int, Any] = {}
        self.closed = False

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, label: str = "", **kwargs: Any) -> Any:
        if self.closed:
            return None
        box: dict[str, Any] = {}

        def done(value: Any) -> None:
            self._live.pop(box["h"].id, None)
            if on_done is not None and not self.closed:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._live.pop(box["h"].id, None)
            if self.closed:
                return
            if on_error is not None:
                on_error(exc)
            elif getattr(self.tasks, "error_handler", None) is not None:
                self.tasks.error_handler(exc, box["h"])
            else:
                log.error("Background job %r failed", label, exc_info=exc)

        handle = self.tasks.submit(fn, *args, on_done=done, on_error=failed, label=label, **kwargs)
        box["h"] = handle
        self._live[handle.id] = handle
        return handle

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def cancel(self) -> None:
        for handle in list(self._live.values()):
            handle.cancel()
        self._live.clear()

    def close(self) -> None:
        self.closed = True
        self.cancel()
