"""Referrals to other departments (FNSCUS504 3.4): create one, and move one along with a note; every
change is kept in its history, which the status dialog shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from app.services.schedule import ReferralView
from app.services.schedule.referrals import TRANSITIONS
from ui.format import fmt
from ui.i18n.app_messages import error_text
from ui.qtcompat import emit
from ui.views.agenda_format import fmt_day, fmt_when, pydate, qdate, status_text
from ui.views.agenda_widgets import AgendaDialog, ClientPicker

DEPARTMENTS = (QT_TRANSLATE_NOOP("ReferralDialog", "Lending"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Insurance"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Financial planning"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Estate planning"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Tax"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Business banking"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Foreign exchange"),
               QT_TRANSLATE_NOOP("ReferralDialog", "Complaints"))


class ReferralDialog(AgendaDialog):
    created = Signal(object)  # ReferralView

    def __init__(self, workstation: Any, tasks: Any, *, client: tuple[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("referralDialog")
        self.setWindowTitle(self.tr("New referral"))
        self.client = ClientPicker(workstation, tasks)
        if client is not None:
            self.client.set_client(*client)
        self.department = QComboBox(objectName="department", editable=True)
        self.department.addItems([self.tr(d) for d in DEPARTMENTS])
        self.department.setCurrentIndex(-1)
        self.department.lineEdit().setPlaceholderText(self.tr("Which department takes it on"))
        self.department.lineEdit().setMaxLength(80)
        self.department.setAccessibleName(self.tr("Department"))
        self.owner = QLineEdit(objectName="owner", maxLength=200)
        self.owner.setPlaceholderText(self.tr("Who there owns it (optional)"))
        self.owner.setAccessibleName(self.tr("Owner"))
        self.has_due = QCheckBox(self.tr("D&ue by"), objectName="hasDue")
        self.has_due.setChecked(True)
        self.due = QDateEdit(qdate(date.today() + timedelta(days=7)), objectName="due", calendarPopup=True)
        fmt().dress_date_edit(self.due, weekday=True)
        self.due.setAccessibleName(self.tr("Due date"))
        self.has_due.toggled.connect(self.due.setEnabled)
        self.reason = QPlainTextEdit(objectName="reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("What the client needs and what you have told them"))
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMaximumHeight(110)

        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form = QFormLayout()
        form.addRow(self.tr("&Client:"), self.client)
        form.addRow(self.tr("&Department:"), self.department)
        form.addRow(self.tr("&Owner:"), self.owner)
        form.addRow(self.tr("Due:"), due_row)
        form.addRow(self.tr("&Reason:"), self.reason)
        self.save_cancel(self.tr("&Refer"))
        self.lay_out(form)
        chain = [self.client, self.department, self.owner, self.has_due, self.due, self.reason]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        (self.department if client is not None else self.client).setFocus()
        self.resize(480, self.sizeHint().height())

    def save(self) -> None:
        self.banner.clear()
        if not self.client.client_id:
            self.banner.show_message(self.tr("Choose the client first: type part of a name and pick one."), "error")
            self.client.setFocus()
            return
        client_id = self.client.client_id
        department, owner = self.department.currentText(), self.owner.text().strip() or None
        reason = self.reason.toPlainText()
        due = pydate(self.due.date()) if self.has_due.isChecked() else None
        ws = self.ws
        self.run(lambda: ws.schedule.create_referral(client_id, department, reason, owner, due),
                 on_done=self._created, label=self.tr("Creating the referral"))

    def _created(self, view: ReferralView) -> None:
        emit(self.created, view)
        self.accept()


class ReferralStatusDialog(AgendaDialog):
    """Change a referral's status (only to the statuses its current one allows) with a note."""

    changed = Signal(object)  # ReferralView

    def __init__(self, workstation: Any, tasks: Any, referral: ReferralView, parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("referralStatusDialog")
        self.setWindowTitle(self.tr("Referral status"))
        self.referral = referral
        due = fmt_day(referral.due_on) if referral.due_on else self.tr("no due date")
        overdue = self.tr(" — OVERDUE") if referral.overdue else ""
        summary = QLabel(self.tr("{0}: referred to {1}{2}, due {3}{4}. Now {5}.").format(
            referral.client_name, referral.department,
            self.tr(" ({0})").format(referral.owner_name) if referral.owner_name else "", due, overdue,
            status_text(referral.status).lower()), wordWrap=True)
        summary.setObjectName("summary")
        reason = QLabel(referral.reason, wordWrap=True)
        reason.setProperty("role", "muted")
        self.status = QComboBox(objectName="status")
        self.status.setAccessibleName(self.tr("New status"))
        for s in ("open", "in_progress", "done", "cancelled"):
            if s in TRANSITIONS.get(referral.status, ()):
                self.status.addItem(self.tr("Reopen") if s == "open" else status_text(s), s)
        self.note = QPlainTextEdit(objectName="note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(self.tr("What happened (kept in the referral's history)"))
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setMaximumHeight(90)
        self.history = QListWidget(objectName="history")
        self.history.setAccessibleName(self.tr("History"))
        self.history.setMaximumHeight(120)
        self.history.addItem(self.tr("Reading the history…"))
        form = QFormLayout()
        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("&Note:"), self.note)
        form.addRow(self.tr("&History:"), self.history)
        self.save_cancel(self.tr("&Update"))
        self.lay_out(summary, reason, form)
        self.status.setFocus()
        self.resize(480, self.sizeHint().height())
        ws, rid = workstation, referral.id
        self.jobs.run(lambda: ws.schedule.referral(rid), on_done=self._history,
                      on_error=lambda exc: self.history.item(0).setText(error_text(exc)),
                      label=self.tr("Reading the referral"))

    def _history(self, view: ReferralView) -> None:
        self.history.clear()
        for event in view.history:
            who = f" — {event.actor}" if event.actor else ""
            note = f": {event.note}" if event.note else ""
            self.history.addItem(f"{fmt_when(event.at)} {status_text(event.status)}{note}{who}")
        self.history.scrollToBottom()
        self.history.setCurrentRow(self.history.count() - 1)

    def save(self) -> None:
        self.banner.clear()
        ws, rid = self.ws, self.referral.id
        status, note = str(self.status.currentData()), self.note.toPlainText().strip() or None
        self.run(lambda: ws.schedule.set_referral_status(rid, status, note), on_done=self._changed,
                 label=self.tr("Updating the referral"))

    def _changed(self, view: ReferralView) -> None:
        emit(self.changed, view)
        self.accept()


__all__ = ["DEPARTMENTS", "ReferralDialog", "ReferralStatusDialog"]
