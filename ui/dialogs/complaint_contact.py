"""Record the RM's contact with the client about a case (a call, an email ...)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QSpinBox, QWidget

from ui.dialogs.complaint_form import CaseFormDialog
from ui.views.complaint_common import Complaints, channel_labels

CONTACT_CHANNELS = ("phone", "email", "face_to_face", "video", "letter", "sms")


def record_contact(ws: Any, case_id: str, channel: str, notes: str, direction: str, minutes: int | None) -> Any:
    return ws.complaints.record_contact(case_id, channel, notes, direction=direction, duration_min=minutes)


class CaseContactDialog(CaseFormDialog):
    def __init__(self, ws: Any, tasks: Any, case: Any, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, Complaints.tr("Contact with %1 about %2").replace("%1", case.client_name)
                         .replace("%2", case.reference), Complaints.tr("&Record contact"), parent)
        self.setObjectName("caseContact")
        self.case = case
        self.channel = QComboBox(objectName="contactChannel")
        for code in CONTACT_CHANNELS:
            self.channel.addItem(channel_labels()[code], code)
        self.add_row(self.tr("C&hannel:"), self.channel, self.tr("Channel"))
        self.direction = QComboBox(objectName="direction")
        self.direction.addItem(self.tr("We contacted the client"), "outbound")
        self.direction.addItem(self.tr("The client contacted us"), "inbound")
        self.add_row(self.tr("&Direction:"), self.direction, self.tr("Direction"))
        self.minutes = QSpinBox(objectName="minutes")
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setSpecialValueText(self.tr("not recorded"))
        self.add_row(self.tr("D&uration:"), self.minutes, self.tr("Duration in minutes"))
        self.notes = QPlainTextEdit(objectName="contactNotes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(100)
        self.notes.setPlaceholderText(self.tr("What was discussed and agreed"))
        self.add_row(self.tr("&Notes:"), self.notes, self.tr("Notes"))
        self.notes.setFocus()

    def call(self) -> tuple[Any, tuple[Any, ...]] | None:
        minutes = self.minutes.value() or None
        return record_contact, (self.ws, self.case.id, self.channel.currentData(), self.notes.toPlainText(),
                                self.direction.currentData(), minutes)
