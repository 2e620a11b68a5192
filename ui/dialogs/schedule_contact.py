"""Put a contact in the diary, move one (the keyboard way to do what a drag does), or cancel one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from app.services.schedule import CONTACT_KINDS
from ui.format import fmt
from ui.qtcompat import emit
from ui.views.agenda_format import Agenda, contact_kind_text, fmt_day_long, fmt_time, fmt_when, pydate, qdate
from ui.views.agenda_widgets import AgendaDialog, ClientPicker


class ScheduleContactDialog(AgendaDialog):
    """New contact (`contact_id` None) or reschedule (`contact_id` given: only when and how long).

    Times are the branch's wall clock; the service reads a time without a zone that way.
    """

    saved = Signal(object)  # ScheduledContactView

    def __init__(self, workstation: Any, tasks: Any, *, contact_id: str | None = None,
                 client: tuple[str, str] | None = None, start: datetime | None = None, duration_min: int = 30,
                 kind: str = "meeting", purpose: str = "", location: str = "", day: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.contact_id = contact_id
        moving = contact_id is not None
        self.setObjectName("rescheduleDialog" if moving else "scheduleContactDialog")
        self.setWindowTitle(self.tr("Reschedule contact") if moving else self.tr("Schedule a contact"))

        self.client = ClientPicker(workstation, tasks)
        if client is not None:
            self.client.set_client(*client)
            self.client.set_locked(True)
        self.kind = QComboBox(objectName="contactKind")
        self.kind.setAccessibleName(self.tr("Kind of contact"))
        for k in CONTACT_KINDS:
            self.kind.addItem(contact_kind_text(k), k)
        if self.kind.findData(kind) < 0:
            self.kind.addItem(contact_kind_text(kind), kind)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        first = start or datetime.combine(day or date.today() + timedelta(days=1), time(10, 0))
        self.date = QDateEdit(qdate(first.date()), objectName="contactDate", calendarPopup=True)
        self.date.setAccessibleName(self.tr("Date"))
        fmt().dress_date_edit(self.date, weekday=True)
        self.time = QTimeEdit(QTime(first.hour, first.minute), objectName="contactTime")
        self.time.setAccessibleName(self.tr("Start time"))
        self.time.setDisplayFormat("HH:mm")
        self.length = QSpinBox(objectName="contactLength", minimum=5, maximum=8 * 60, singleStep=15)
        self.length.setValue(duration_min)
        self.length.setSuffix(self.tr(" min"))
        self.length.setAccessibleName(self.tr("Length in minutes"))
        self.purpose = QLineEdit(purpose, objectName="contactPurpose", maxLength=200)
        self.purpose.setAccessibleName(self.tr("Purpose"))
        self.location = QLineEdit(location, objectName="contactLocation", maxLength=200)
        self.location.setAccessibleName(self.tr("Location"))

        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.date, 1)
        when.addWidget(self.time)
        if moving:
            was = QLabel(self.tr("Now: {0}").format(fmt_when(start)) if start else "")
            was.setObjectName("currentWhen")
            was.setProperty("role", "muted")
            form.addRow(self.tr("Contact:"), QLabel(self.tr("{0} with {1}").format(
                contact_kind_text(kind), client[1] if client else "")))
            form.addRow("", was)
        else:
            form.addRow(self.tr("&Client:"), self.client)
            form.addRow(self.tr("&Kind:"), self.kind)
        date_label = QLabel(self.tr("&When:"))
        date_label.setBuddy(self.date)
        form.addRow(date_label, when)
        form.addRow(self.tr("&Length:"), self.length)
        if not moving:
            form.addRow(self.tr("&Purpose:"), self.purpose)
            form.addRow(self.tr("L&ocation:"), self.location)

        self.save_cancel(self.tr("&Reschedule") if moving else self.tr("&Schedule"))
        self.lay_out(form)
        if moving:
            QWidget.setTabOrder(self.date, self.time)
            QWidget.setTabOrder(self.time, self.length)
            self.date.setFocus()
        else:
            for a, b in ((self.client, self.kind), (self.kind, self.date), (self.date, self.time),
                         (self.time, self.length), (self.length, self.purpose), (self.purpose, self.location)):
                QWidget.setTabOrder(a, b)
            (self.date if client is not None else self.client).setFocus()
        self.resize(460, self.sizeHint().height())

    def when(self) -> datetime:
        t = self.time.time()
        return datetime.combine(pydate(self.date.date()), time(t.hour(), t.minute()))

    def save(self) -> None:
        self.banner.clear()
        when, minutes = self.when(), self.length.value()
        ws = self.ws
        if self.contact_id is not None:
            contact_id = self.contact_id
            self.run(lambda: ws.schedule.reschedule(contact_id, when, duration_min=minutes), on_done=self._saved,
                     label=self.tr("Rescheduling"))
            return
        if not self.client.client_id:
            self.banner.show_message(self.tr("Choose the client first: type part of a name and pick one."), "error")
            self.client.setFocus()
            return
        client_id, kind = self.client.client_id, str(self.kind.currentData())
        purpose, location = self.purpose.text(), self.location.text()
        self.run(lambda: ws.schedule.schedule_contact(client_id, when, kind, purpose or None, location or None,
                                                      minutes), on_done=self._saved, label=self.tr("Scheduling"))

    def _saved(self, view: Any) -> None:
        emit(self.saved, view)
        self.accept()


class CancelContactDialog(AgendaDialog):
    """"Cancel the meeting with Ann Lee on Tue 12 Mar 10:00?" with an optional reason; the safe
    button (keep it) is the default."""

    cancelled = Signal(object)  # ScheduledContactView

    def __init__(self, workstation: Any, tasks: Any, contact_id: str, description: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("cancelContactDialog")
        self.setWindowTitle(self.tr("Cancel contact"))
        self.contact_id = contact_id
        question = QLabel(self.tr("Cancel {0}?").format(description), wordWrap=True)
        question.setObjectName("question")
        note = QLabel(self.tr("The client's next contact is not planned again automatically."), wordWrap=True)
        note.setProperty("role", "muted")
        self.reason = QLineEdit(objectName="cancelReason", maxLength=500)
        self.reason.setPlaceholderText(self.tr("Why (optional, kept in the audit log)"))
        self.reason.setAccessibleName(self.tr("Reason for cancelling"))
        reason_label = QLabel(self.tr("&Reason:"))
        reason_label.setBuddy(self.reason)
        self.buttons = QDialogButtonBox()
        self.keep_button = self.buttons.addButton(self.tr("&Keep it"), QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button = self.buttons.addButton(self.tr("&Cancel contact"),
                                                     QDialogButtonBox.ButtonRole.DestructiveRole)
        self.confirm_button.setObjectName("confirmCancel")
        self.confirm_button.setAutoDefault(False)  # Enter never cancels a contact by accident
        self.keep_button.setDefault(True)
        self.keep_button.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.confirm)
        self.busy_widgets = [self.confirm_button]
        row = QHBoxLayout()
        row.addWidget(reason_label)
        row.addWidget(self.reason, 1)
        self.lay_out(question, note, row)
        self.reason.setFocus()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.keep_button.setDefault(True)

    def confirm(self) -> None:
        ws, contact_id, reason = self.ws, self.contact_id, self.reason.text().strip() or None
        self.run(lambda: ws.schedule.cancel_contact(contact_id, reason), on_done=self._done,
                 label=self.tr("Cancelling the contact"))

    def _done(self, view: Any) -> None:
        emit(self.cancelled, view)
        self.accept()


def describe_contact(kind: str | None, client_name: str | None, start: datetime | None) -> str:
    """'the quarterly review with Ann Lee on Tuesday 12 March 2024 at 10:00'."""
    what = (contact_kind_text(kind) or Agenda.tr("Contact")).lower()
    who = client_name or Agenda.tr("no client")
    if start is None:
        return Agenda.tr("the {0} with {1}").format(what, who)
    return Agenda.tr("the {0} with {1} on {2} at {3}").format(what, who, fmt_day_long(start.date()), fmt_time(start))
