"""Compensation on a case: propose an amount and kind; approve or reject a proposal.

The approval matrix is the service's: within the proposer's own limit a proposal is approved at
once, above it waits for someone with the authority. Refusals come back in the service's words.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from ui.dialogs.complaint_action import ROLE_LABELS, staff
from ui.dialogs.complaint_form import CaseFormDialog
from ui.views.complaint_common import Complaints, compensation_kind_labels, money

KINDS = ("goodwill", "redress", "refund", "fee_waiver")


# -- worker side ----------------------------------------------------------------------------------------

def limits(ws: Any) -> tuple[dict[str, Any], str]:
    values = ws.settings.all()
    return dict(values.get("org.approval_limits") or {}), str(values.get("org.currency") or "")


def propose(ws: Any, case_id: str, amount: Decimal, kind: str, note: str) -> Any:
    return ws.complaints.propose_compensation(case_id, amount, kind, note)


def approve(ws: Any, compensation_id: str, approver_id: str | None) -> Any:
    return ws.complaints.approve_compensation(compensation_id, approver_id)


def reject(ws: Any, compensation_id: str, reason: str, rejecter_id: str | None) -> Any:
    return ws.complaints.reject_compensation(compensation_id, reason, rejecter_id)


def mark_paid(ws: Any, compensation_id: str) -> Any:
    return ws.complaints.mark_compensation_paid(compensation_id)


def parse_amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


class ProposeCompensationDialog(CaseFormDialog):
    def __init__(self, ws: Any, tasks: Any, case: Any, parent: QWidget | None = None) -> None:
        super().__init__(ws, tasks, Complaints.tr("Propose compensation for %1").replace("%1", case.reference),
                         Complaints.tr("&Propose"), parent)
        self.setObjectName("proposeCompensation")
        self.case = case
        self.amount = QLineEdit(objectName="amount")
        self.amount.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,3}(,?\d{3})*(\.\d{0,2})?$"),
                                                             self.amount))
        self.amount.setPlaceholderText(self.tr("e.g. 250.00"))
        self.add_row(self.tr("&Amount:"), self.amount, self.tr("Amount"))
        self.kind = QComboBox(objectName="kind")
        for code in KINDS:
            self.kind.addItem(compensation_kind_labels()[code], code)
        self.add_row(self.tr("&Kind:"), self.kind, self.tr("Kind of compensation"))
        self.note = QPlainTextEdit(objectName="compNote")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.add_row(self.tr("&Note:"), self.note, self.tr("Note"))
        self.limit_note = QLabel(objectName="limitNote")
        self.limit_note.setWordWrap(True)
        self.limit_note.setProperty("role", "muted")
        self.form.addRow("", self.limit_note)
        self.amount.setFocus()
        self.jobs.run(limits, ws, label=self.tr("Reading approval limits"), on_done=self._limits)

    def _limits(self, found: tuple[dict[str, Any], str]) -> None:
        table, currency = found
        role = self.ws.user.role
        mine = table.get(role)
        if role in table and mine is None:
            text = self.tr("You may agree any amount.")
        else:
            text = self.tr("You may agree up to %1 alone; above that a team leader or manager must approve it.") \
                .replace("%1", money(Decimal(str(mine or 0)), currency))
        self.limit_note.setText(text)

    def call(self) -> tuple[Any, tuple[Any, ...]] | None:
        value = parse_amount(self.amount.text())
        if value is None:
            self.show_error(self.tr("Enter the amount, for example 250.00."))
            self.amount.setFocus()
            return None
        return propose, (self.ws, self.case.id, value, self.kind.currentData(), self.note.toPlainText())


class DecideCompensationDialog(CaseFormDialog):
    """Approve (`approve=True`) or reject a proposal, as yourself or recording a colleague's decision."""

    def __init__(self, ws: Any, tasks: Any, case: Any, comp: Any, approve: bool,
                 parent: QWidget | None = None) -> None:
        what = money(comp.amount, comp.currency)
        super().__init__(ws, tasks, (Complaints.tr("Approve %1") if approve else Complaints.tr("Reject %1")).replace("%1", what),
                         Complaints.tr("&Approve") if approve else Complaints.tr("&Reject"), parent,
                         Complaints.tr("Proposed by %1 on case %2.").replace("%1", comp.proposed_by)
                         .replace("%2", case.reference))
        self.setObjectName("approveCompensation" if approve else "rejectCompensation")
        self.case, self.comp, self.approving = case, comp, approve
        self.who = QComboBox(objectName="decider")
        self.who.addItem(self.tr("Me (%1)").replace("%1", ws.user.display_name), None)
        self.add_row(self.tr("&Decided by:"), self.who, self.tr("Decided by"))
        self.reason = None
        if not approve:
            self.reason = QPlainTextEdit(objectName="rejectReason")
            self.reason.setTabChangesFocus(True)
            self.reason.setFixedHeight(70)
            self.add_row(self.tr("&Why:"), self.reason, self.tr("Reason"))
            self.reason.setFocus()
        self.jobs.run(staff, ws, ("team_leader", "manager"), label=self.tr("Reading colleagues"),
                      on_done=self._people)

    def _people(self, people: list[tuple[str, str, str]] | None) -> None:
        for pid, name, role in people or ():
            if pid != self.ws.user.id:
                self.who.addItem(f"{name} ({Complaints.tr(ROLE_LABELS.get(role, role))})", pid)

    def call(self) -> tuple[Any, tuple[Any, ...]] | None:
        who = self.who.currentData()
        if self.approving:
            return approve, (self.ws, self.comp.id, who)
        return reject, (self.ws, self.comp.id, self.reason.toPlainText(), who)
