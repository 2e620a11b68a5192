"""Referrals to other departments: client, department, owner, due date and status; an overdue
referral says so in words (and in colour, with a warning icon), never by colour alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyle

from app.services.schedule import ReferralView
from ui.models.agenda_base import Column, RowsModel
from ui.views.agenda_format import Agenda, fmt_day, status_colour, status_text


def referral_status(r: ReferralView) -> str:
    words = status_text(r.status)
    return Agenda.tr("{0} — OVERDUE").format(words) if r.overdue else words


class ReferralModel(RowsModel):
    def columns(self) -> list[Column]:
        return [
            Column("client", self.tr("Client"), lambda r: r.client_name),
            Column("department", self.tr("Department"), lambda r: r.department),
            Column("owner", self.tr("Owner"), lambda r: r.owner_name or "—"),
            Column("due", self.tr("Due"), lambda r: fmt_day(r.due_on) or self.tr("no date"),
                   sort=lambda r: r.due_on),
            Column("status", self.tr("Status"), referral_status, sort=lambda r: (not r.overdue, r.status)),
            Column("reason", self.tr("Reason"), lambda r: r.reason.splitlines()[0] if r.reason else ""),
        ]

    def extra(self, row: ReferralView, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason
        if not row.overdue or column.key not in ("status", "due"):
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return status_colour("@error")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column.key == "status":
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None
