"""Refer part of a case to another department, with an owner and a due date."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from ui.dialogs.complaint_form import CaseFormDialog
from ui.format import fmt
from ui.views.complaint_common import Complaints

DEPARTMENTS = (QT_TRANSLATE_NOOP("CaseReferralDialog", "Operations"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Payments"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Lending"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Cards"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Fraud and security"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Compliance"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Complaints team"),
               QT_TRANSLATE_NOOP("CaseReferralDialog", "Customer service"))


# -- worker side ----------------------------------------------------------------------------------------

def refer(ws: Any, case_id: str, department: str, reason: str, owner: str, due_on: date | None) -> Any:
    return ws.complaints.refer(case_id, department, reason, owner_name=owner or None, due_on=due_on)


def update_referral(ws: Any, referral_id: str, status: str, note: str = "") -> Any:
    return ws.complaints.update_referral(referral_id, status, note)


class CaseReferralDialog(CaseFormDialog):
    def __init__(self, ws: Any, tasks: Any, case: Any, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, Complaints.tr("Refer %1 to a department").replace("%1", case.reference), Complaints.tr("&Refer"),
                         parent)
        self.setObjectName("caseReferral")
        self.case = case
        self.department = QComboBox(objectName="department")
        self.department.setEditable(True)
        self.department.addItems([self.tr(d) for d in DEPARTMENTS])
        self.department.setCurrentIndex(-1)
        self.department.lineEdit().setPlaceholderText(self.tr("Pick or type a department"))
        self.add_row(self.tr("&Department:"), self.department, self.tr("Department"))
        self.owner = QLineEdit(objectName="owner")
        self.owner.setPlaceholderText(self.tr("Who in that department owns it"))
        self.add_row(self.tr("&Owner:"), self.owner, self.tr("Owner"))
        self.reason = QPlainTextEdit(objectName="referralReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        self.add_row(self.tr("&Asked to:"), self.reason, self.tr("What the department is asked to do"))
        due_row = QWidget()
        row = QHBoxLayout(due_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.has_due = QCheckBox(self.tr("D&ue by"), objectName="hasDue")
        self.has_due.setChecked(True)
        self.due = QDateEdit(QDate.currentDate().addDays(5), objectName="dueOn")
        self.due.setCalendarPopup(True)
        fmt().dress_date_edit(self.due)
        self.due.setAccessibleName(self.tr("Due date"))
        self.has_due.toggled.connect(self.due.setEnabled)
        row.addWidget(self.has_due)
        row.addWidget(self.due)
        row.addStretch()
        self.form.addRow("", due_row)
        self.department.setFocus()

    def call(self) -> tuple[Any, tuple[Any, ...]] | None:
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        return refer, (self.ws, self.case.id, self.department.currentText(), self.reason.toPlainText(),
                       self.owner.text(), due)
