"""Words and dates for the agenda, its dialogs and the reminder bar.

Dates and times are formatted by the user's formatter (ui/format.py), so the agenda reads like the rest
of the workstation. Times are shown as the branch's wall clock: the service hands out branch-local aware
datetimes and nothing here converts them to the PC's zone.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor, QGuiApplication

from ui.format import fmt
from ui.i18n import TranslationContext
from ui.theme import STATUS_COLOURS


class Agenda(TranslationContext):
    """The agenda's translation context outside a QObject: `Agenda.tr("…")`."""


# -- labels -----------------------------------------------------------------------------------------
def kind_text(kind: str) -> str:
    """An agenda item's kind (contact, task, referral) for a person."""
    return {"contact": Agenda.tr("Contact"), "task": Agenda.tr("Task"), "referral": Agenda.tr("Referral"),
            "cadence": Agenda.tr("Cadence")}.get(kind, kind.replace("_", " ").capitalize())


def contact_kind_text(kind: str | None) -> str:
    labels = {
        "meeting": Agenda.tr("Meeting"), "call": Agenda.tr("Call"), "video_call": Agenda.tr("Video call"),
        "annual_review_meeting": Agenda.tr("Annual review meeting"), "quarterly_review": Agenda.tr("Quarterly review"),
        "monthly_call": Agenda.tr("Monthly call"), "follow_up": Agenda.tr("Follow-up"),
    }
    return labels.get(kind or "", (kind or "").replace("_", " ").capitalize())


def status_text(status: str) -> str:
    return {"planned": Agenda.tr("Planned"), "done": Agenda.tr("Done"), "cancelled": Agenda.tr("Cancelled"), "missed": Agenda.tr("Missed"),
            "open": Agenda.tr("Open"), "in_progress": Agenda.tr("In progress")}.get(status, status.replace("_", " ").capitalize())


def channel_text(channel: str) -> str:
    return {"phone": Agenda.tr("Phone"), "email": Agenda.tr("E-mail"), "face_to_face": Agenda.tr("Face to face"), "video": Agenda.tr("Video"),
            "letter": Agenda.tr("Letter"), "sms": Agenda.tr("SMS")}.get(channel, channel.replace("_", " ").capitalize())


def level_text(level: str) -> str:
    return {"red": Agenda.tr("Overdue (red)"), "amber": Agenda.tr("Due (amber)"), "green": Agenda.tr("On track")}.get(level, level)


# -- dates and times --------------------------------------------------------------------------------
# Everything goes through the user's formatter (ui/format.py, from `user.locale`), not the process's
# default QLocale. Agenda times are the branch's wall clock: nothing here converts them between zones.
def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def fmt_time(moment: datetime | None) -> str:
    return fmt().clock(moment)


def fmt_day(day: date | None) -> str:
    """'Tue, 12 Mar 2024' in the user's locale (its order and day names)."""
    return "" if day is None else fmt().weekday_date(day)


def fmt_day_short(day: date) -> str:
    return fmt().weekday_day(day)


def fmt_day_month(day: date) -> str:
    """'12 March' (as in "Next review booked for 12 March")."""
    return fmt().day_month(day)


def fmt_day_long(day: date) -> str:
    return fmt().long_date(day)


def fmt_when(moment: datetime | None, day: date | None = None) -> str:
    if moment is None:
        return fmt_day(day)
    return f"{fmt_day(moment.date())} {fmt_time(moment)}"


def fmt_month(day: date) -> str:
    return fmt().month_year(day)


# -- colours (always paired with words: colour is never the only cue) --------------------------------
def status_colour(token: str) -> QColor:
    """'@error', '@warn' or '@ok' for the palette in use (light or dark)."""
    app = QGuiApplication.instance()
    theme = str(app.property("rmdesk_theme") or "light") if app is not None else "light"
    if theme not in STATUS_COLOURS:
        theme = "dark" if QGuiApplication.palette().window().color().lightness() < 100 else "light"
    return QColor(STATUS_COLOURS[theme][token])


def plural(n: int, one: str, many: str) -> str:
    """'1 item' / '3 items' from both forms, already translated by the caller; %n is the number.

    Prefer Qt's numerus form, `self.tr("%n item(s)", "", n)`: each language then has its own plural rules."""
    return (one if n == 1 else many).replace("%n", fmt().number(n))
