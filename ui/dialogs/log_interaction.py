"""Log what really happened with a client: channel, direction, purpose, outcome, notes and an optional
follow-up task. Logged against a planned contact, the service closes that contact and books the next
one; the dialog then says so ("Next review booked for 12 March") and offers Close.

Open it from an agenda item (with `contact_id`) or from a client (without):

    LogInteractionDialog(ws, tasks, client_id, "Ann Lee", contact_id=..., contact_text=...).open()
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from app.services.clients import CHANNELS
from app.services.schedule import LoggedInteraction
from ui.format import fmt
from ui.qtcompat import emit
from ui.views.agenda_format import (
    Agenda,
    channel_text,
    contact_kind_text,
    fmt_day_month,
    fmt_when,
    pydate,
    qdate,
)
from ui.views.agenda_widgets import AgendaDialog

PURPOSES = (QT_TRANSLATE_NOOP("LogInteractionDialog", "Review"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Service request"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Follow-up"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Sales opportunity"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Complaint"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Courtesy call"))
OUTCOMES = (QT_TRANSLATE_NOOP("LogInteractionDialog", "Completed"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Left a message"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "No answer"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Follow-up needed"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Client to call back"),
            QT_TRANSLATE_NOOP("LogInteractionDialog", "Declined"))
DEFAULT_CHANNEL = {"call": "phone", "monthly_call": "phone", "video_call": "video", "meeting": "face_to_face",
                   "annual_review_meeting": "face_to_face", "quarterly_review": "face_to_face"}


def next_contact_sentence(logged: LoggedInteraction) -> str:
    """'Next review booked for 12 March (Quarterly review, Thu 12 Mar 2025 10:00).'"""
    nxt = logged.next_contact
    if nxt is None:
        return ""
    kind = contact_kind_text(nxt.kind)
    day = fmt_day_month(nxt.start.date())
    if "review" in nxt.kind:
        lead = Agenda.tr("Next review booked for {0}").format(day)
    else:
        lead = Agenda.tr("Next {0} booked for {1}").format(kind.lower(), day)
    return Agenda.tr("{0} ({1}, {2}).").format(lead, kind, fmt_when(nxt.start))


class LogInteractionDialog(AgendaDialog):
    logged = Signal(object)  # LoggedInteraction

    def __init__(self, workstation: Any, tasks: Any, client_id: str, client_name: str, *,
                 contact_id: str | None = None, contact_text: str = "", contact_kind: str | None = None,
                 contact_start: datetime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("logInteractionDialog")
        self.setWindowTitle(self.tr("Log interaction"))
        self.client_id, self.client_name, self.contact_id = client_id, client_name, contact_id
        self.result_value: LoggedInteraction | None = None

        heading = QLabel(self.tr("Interaction with {0}").format(client_name))
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.against = QLabel(wordWrap=True, objectName="against")
        self.against.setProperty("role", "muted")
        if contact_id:
            self.against.setText(self.tr("Against the planned {0}; it will be marked as held and the next "
                                         "one booked.").format(contact_text or self.tr("contact")))
        self.against.setVisible(bool(contact_id))

        self.channel = QComboBox(objectName="channel")
        self.channel.setAccessibleName(self.tr("Channel"))
        for c in CHANNELS:
            self.channel.addItem(channel_text(c), c)
        chosen = DEFAULT_CHANNEL.get(contact_kind or "", "phone")
        self.channel.setCurrentIndex(max(0, self.channel.findData(chosen)))

        self.outbound = QRadioButton(self.tr("&Outbound (we contacted them)"), objectName="outbound")
        self.inbound = QRadioButton(self.tr("&Inbound (they contacted us)"), objectName="inbound")
        self.outbound.setChecked(True)
        self.direction = QButtonGroup(self)
        self.direction.addButton(self.outbound)
        self.direction.addButton(self.inbound)
        direction_row = QHBoxLayout()
        direction_row.addWidget(self.outbound)
        direction_row.addWidget(self.inbound)
        direction_row.addStretch()

        self.when = QDateTimeEdit(QDateTime.currentDateTime(), objectName="occurredAt", calendarPopup=True)
        fmt().dress_date_edit(self.when, weekday=True, time=True)
        self.when.setAccessibleName(self.tr("When it happened"))
        self._when_touched = False  # untouched: "now" on the service's clock
        now = datetime.now(contact_start.tzinfo) if contact_start is not None else None
        if contact_start is not None and now is not None and contact_start.date() == now.date() \
                and contact_start < now:
            self.when.setDateTime(QDateTime(qdate(contact_start.date()), QTime(contact_start.hour,
                                                                               contact_start.minute)))
            self._when_touched = True  # earlier today as planned
        self.when.dateTimeChanged.connect(self._touched)

        self.purpose = QComboBox(objectName="purpose", editable=True)
        self.purpose.addItems([self.tr(p) for p in PURPOSES])
        self.purpose.lineEdit().setMaxLength(40)
        self.purpose.setAccessibleName(self.tr("Purpose"))
        if contact_kind and "review" in contact_kind:
            self.purpose.setCurrentIndex(0)
        self.outcome = QComboBox(objectName="outcome", editable=True)
        self.outcome.addItems([self.tr(o) for o in OUTCOMES])
        self.outcome.lineEdit().setMaxLength(40)
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.notes = QPlainTextEdit(objectName="notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(self.tr("What was discussed, what was agreed (searchable)"))
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setMinimumHeight(90)

        self.follow_up = QGroupBox(self.tr("Add a &follow-up task"), objectName="followUp", checkable=True)
        self.follow_up.setChecked(False)
        self.follow_title = QLineEdit(objectName="followUpTitle", maxLength=300)
        self.follow_title.setAccessibleName(self.tr("Follow-up task title"))
        self.follow_title.setPlaceholderText(self.tr("e.g. Send the pension transfer forms"))
        self.follow_due = QDateEdit(qdate(date.today() + timedelta(days=7)), objectName="followUpDue",
                                    calendarPopup=True)
        fmt().dress_date_edit(self.follow_due, weekday=True)
        self.follow_due.setAccessibleName(self.tr("Follow-up due date"))
        fu = QFormLayout(self.follow_up)
        fu.addRow(self.tr("&Task:"), self.follow_title)
        fu.addRow(self.tr("D&ue:"), self.follow_due)

        form = QFormLayout()
        form.addRow(self.tr("C&hannel:"), self.channel)
        form.addRow(self.tr("Direction:"), direction_row)
        form.addRow(self.tr("&When:"), self.when)
        form.addRow(self.tr("&Purpose:"), self.purpose)
        form.addRow(self.tr("Out&come:"), self.outcome)
        form.addRow(self.tr("&Notes:"), self.notes)

        self.save_cancel(self.tr("&Log interaction"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # ActionRole: an AcceptRole button would also emit the box's `accepted`, which is Save
        self.close_button = self.buttons.addButton(self.tr("&Close"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button.setObjectName("closeButton")
        self.close_button.setVisible(False)
        self.close_button.clicked.connect(self.accept)

        self.lay_out(heading, self.against, form, self.follow_up)
        self.form_widgets = [self.channel, self.outbound, self.inbound, self.when, self.purpose, self.outcome,
                             self.notes, self.follow_up]
        chain = [self.channel, self.outbound, self.inbound, self.when, self.purpose, self.outcome, self.notes,
                 self.follow_up, self.follow_title, self.follow_due]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.channel.setFocus()
        self.resize(520, self.sizeHint().height())
        if not self._when_touched:  # show "now" on the branch's clock, not the PC's
            ws = workstation
            self.jobs.run(lambda: ws.schedule.timezone(), on_done=self._branch_now, on_error=lambda _exc: None,
                          label=self.tr("Reading the branch time zone"))

    def _branch_now(self, tz: Any) -> None:
        if self._when_touched:
            return
        now = datetime.now(tz)
        self.when.blockSignals(True)
        self.when.setDateTime(QDateTime(qdate(now.date()), QTime(now.hour, now.minute)))
        self.when.blockSignals(False)
        self.follow_due.setDate(qdate(now.date() + timedelta(days=7)))

    def _touched(self, *_: Any) -> None:
        self._when_touched = True

    def values(self) -> dict[str, Any]:
        occurred = None
        if self._when_touched:
            dt = self.when.dateTime()
            occurred = datetime.combine(pydate(dt.date()), time(dt.time().hour(), dt.time().minute()))
        follow = None
        if self.follow_up.isChecked():
            follow = (self.follow_title.text(), pydate(self.follow_due.date()))
        return {
            "channel": str(self.channel.currentData()),
            "direction": "inbound" if self.inbound.isChecked() else "outbound",
            "purpose": self.purpose.currentText().strip() or None,
            "outcome": self.outcome.currentText().strip() or None,
            "notes": self.notes.toPlainText().strip() or None,
            "occurred_at": occurred,
            "scheduled_contact_id": self.contact_id,
            "follow_up": follow,
        }

    def save(self) -> None:
        if self.result_value is not None:  # logged already: never twice (Enter on the outcome, a stray Save)
            self.accept()
            return
        self.banner.clear()
        values = self.values()
        if values["follow_up"] is not None and not values["follow_up"][0].strip():
            self.banner.show_message(self.tr("Give the follow-up task a title, or untick the follow-up."), "error")
            self.follow_title.setFocus()
            return
        ws, client_id = self.ws, self.client_id
        self.run(lambda: ws.schedule.log_interaction(client_id, **values), on_done=self._logged,
                 label=self.tr("Logging the interaction"))

    def _logged(self, logged: LoggedInteraction) -> None:
        self.result_value = logged
        parts = [self.tr("Logged.")]
        if logged.closed_contact_id:
            parts.append(self.tr("The planned contact is now marked as held."))
        sentence = next_contact_sentence(logged)
        if sentence:
            parts.append(sentence)
        elif logged.closed_contact_id:
            parts.append(self.tr("No cadence applies to this client, so no next contact was booked."))
        if logged.follow_up is not None:
            parts.append(self.tr("Follow-up task added, due {0}.").format(fmt_when(logged.follow_up.due_at)))
        self.banner.show_message(" ".join(parts), "info")
        for widget in self.form_widgets:
            widget.setEnabled(False)
        self.save_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        emit(self.logged, logged)
