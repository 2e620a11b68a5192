"""Lifecycle steps that need more than a click: escalate (to a team leader, with a note), close
(with an outcome), withdraw, reopen (with a reason). The service decides; its refusal is shown here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from ui.dialogs.complaint_form import CaseFormDialog
from ui.views.complaint_common import Complaints, outcome_labels

# -- worker side ----------------------------------------------------------------------------------------


def act(ws: Any, case_id: str, action: str, note: str = "", outcome: str | None = None,
        escalate_to: str | None = None) -> Any:
    return ws.complaints.act(case_id, action, note=note, outcome=outcome, escalate_to=escalate_to)


def staff(ws: Any, roles: tuple[str, ...]) -> list[tuple[str, str, str]] | None:
    """(id, name, role) of active colleagues in `roles` (run on the worker)."""
    return [(p.id, p.display_name, p.role) for p in ws.complaints.staff(roles=roles)]


ROLE_LABELS = {"team_leader": QT_TRANSLATE_NOOP("Complaints", "team leader"), "manager": QT_TRANSLATE_NOOP("Complaints", "manager"),
               "rm": QT_TRANSLATE_NOOP("Complaints", "relationship manager")}


def fill_people(combo: QComboBox, people: list[tuple[str, str, str]] | None, note: QLabel) -> None:
    combo.clear()
    if people is None:
        note.setText(Complaints.tr("This profile cannot list colleagues yet, so nobody can be picked here."))
        note.show()
        return
    for pid, name, role in people:
        combo.addItem(f"{name} ({Complaints.tr(ROLE_LABELS.get(role, role))})", pid)
    if not people:
        note.setText(Complaints.tr("No team leader or manager is recorded in this profile."))
        note.show()


class CaseActionDialog(CaseFormDialog):
    """`action` is escalate, close, withdraw or reopen."""

    def __init__(self, ws: Any, tasks: Any, case: Any, action: str, parent: QWidget | None = None) -> None:
        titles = {"escalate": (Complaints.tr("Escalate %1"), Complaints.tr("&Escalate")),
                  "close": (Complaints.tr("Close %1"), Complaints.tr("&Close case")),
                  "withdraw": (Complaints.tr("Withdraw %1"), Complaints.tr("&Withdraw")),
                  "reopen": (Complaints.tr("Reopen %1"), Complaints.tr("&Reopen"))}
        intros = {"escalate": Complaints.tr("Escalate to a team leader, with a note on why."),
                  "close": Complaints.tr("Record the outcome. A case can be closed once the response is issued, or "
                                   "early when it was resolved inside the early-resolution period."),
                  "withdraw": Complaints.tr("The client has withdrawn the complaint."),
                  "reopen": Complaints.tr("Say why the case needs more work.")}
        title, ok = titles[action]
        super().__init__(ws, tasks, title.replace("%1", case.reference), ok, parent, intros[action])
        self.setObjectName(f"action-{action}")
        self.case, self.action = case, action
        self.leader = self.outcome = None
        if action == "escalate":
            self.leader = QComboBox(objectName="leaderPicker")
            self.add_row(self.tr("&Team leader:"), self.leader, self.tr("Team leader"))
            self.people_note = QLabel()
            self.people_note.setWordWrap(True)
            self.people_note.setProperty("role", "muted")
            self.people_note.hide()
            self.form.addRow("", self.people_note)
            self.jobs.run(staff, ws, ("team_leader", "manager"), label=self.tr("Reading team leaders"),
                          on_done=self._people)
        if action == "close":
            self.outcome = QComboBox(objectName="outcomePicker")
            for code in ("upheld", "partly_upheld", "not_upheld"):
                self.outcome.addItem(outcome_labels()[code], code)
            self.add_row(self.tr("&Outcome:"), self.outcome, self.tr("Outcome"))
        self.note = QPlainTextEdit(objectName="actionNote")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.add_row({"reopen": self.tr("&Reason:"), "escalate": self.tr("&Why:")}.get(action, self.tr("&Note:")),
                     self.note, self.tr("Note"))
        (self.leader or self.outcome or self.note).setFocus()

    def _people(self, people: list[tuple[str, str, str]] | None) -> None:
        fill_people(self.leader, people, self.people_note)
        self.grow()

    def call(self) -> tuple[Any, tuple[Any, ...]] | None:
        if self.action == "escalate" and self.leader.currentData() is None:
            self.show_error(self.tr("Choose the team leader to escalate the case to."))
            return None
        outcome = self.outcome.currentData() if self.outcome is not None else None
        to = self.leader.currentData() if self.leader is not None else None
        return act, (self.ws, self.case.id, self.action, self.note.toPlainText(), outcome, to)
