"""The list of open complaint cases (or of breaches), most urgent first, with its filters."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.complaints import CasePage
from ui.format import fmt
from ui.models.complaints_model import CasesModel
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import set_role, state_labels

OPEN_STATES = ("received", "acknowledged", "investigating", "escalated", "response_issued")
ALL = 1_000_000_000


# -- worker side: these run on the DB worker, never on the GUI thread --------------------------------

def open_cases_page(ws: Any, order: str, owner_id: str | None, state: str | None, breaches_only: bool,
                    offset: int, limit: int) -> CasePage:
    svc = ws.complaints
    if not state and not breaches_only:
        return svc.open_cases(order, offset, limit, owner_id=owner_id)
    # The service reads every open case with its clock to sort by urgency anyway; filter that list here.
    rows = [r for r in svc.open_cases(order, 0, ALL, owner_id=owner_id).rows
            if (not state or r.state == state) and (not breaches_only or r.clock.state.value == "breached")]
    return CasePage(tuple(rows[offset:offset + limit]), len(rows))


def breaches_page(ws: Any, include_past: bool, owner_id: str | None, offset: int, limit: int) -> CasePage:
    rows = [r for r in ws.complaints.breaches(include_past=include_past) if not owner_id or r.owner_id == owner_id]
    return CasePage(tuple(rows[offset:offset + limit]), len(rows))


class CaseListPanel(QWidget):
    """`mode` is 'open' (all open cases, filterable) or 'breaches' (past a binding deadline)."""

    open_case = Signal(str)
    _restored_case: str | None = None  # restore_view_state's case, until the list has loaded

    def __init__(self, ws: Any, jobs: Jobs, mode: str = "open", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.mode = mode
        self.setObjectName(f"complaints-{mode}")
        self.model = CasesModel(jobs, parent=self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self._keep: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        filters = QHBoxLayout()
        self.order = self.state = self.breaches_only = self.include_past = None
        if mode == "open":
            self.order = QComboBox(objectName="caseOrder")
            for text, code in ((self.tr("Most urgent first"), "urgency"), (self.tr("Oldest first"), "received"),
                               (self.tr("By reference"), "reference")):
                self.order.addItem(text, code)
            self.order.setAccessibleName(self.tr("Order of the cases"))
            order_label = QLabel(self.tr("&Order:"))
            order_label.setBuddy(self.order)
            self.state = QComboBox(objectName="stateFilter")
            self.state.addItem(self.tr("Any state"), None)
            labels = state_labels()
            for code in OPEN_STATES:
                self.state.addItem(labels[code], code)
            self.state.setAccessibleName(self.tr("Show only cases in this state"))
            state_label = QLabel(self.tr("&State:"))
            state_label.setBuddy(self.state)
            self.breaches_only = QCheckBox(self.tr("&Breaches only"), objectName="breachesOnly")
            self.breaches_only.setAccessibleName(self.tr("Show only breached cases"))
            for w in (order_label, self.order, state_label, self.state, self.breaches_only):
                filters.addWidget(w)
            self.order.currentIndexChanged.connect(self.reload)
            self.state.currentIndexChanged.connect(self.reload)
            self.breaches_only.toggled.connect(self.reload)
        else:
            self.include_past = QCheckBox(self.tr("&Include deadlines met late"), objectName="includePast")
            self.include_past.setAccessibleName(self.tr("Also list open cases that met a deadline late"))
            self.include_past.toggled.connect(self.reload)
            filters.addWidget(self.include_past)
        self.mine = QCheckBox(self.tr("&My cases"), objectName="myCases")
        self.mine.setAccessibleName(self.tr("Show only the cases I own"))
        self.mine.toggled.connect(self.reload)
        filters.addWidget(self.mine)
        filters.addStretch()
        self.count = QLabel(objectName="caseCount")
        self.count.setProperty("role", "muted")
        filters.addWidget(self.count)
        layout.addLayout(filters)

        self.table = QTableView(objectName=f"{mode}CasesTable")
        self.table.setAccessibleName(self.tr("Open complaint cases") if mode == "open" else self.tr("Breached cases"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        bold = QFont(self.table.font())
        bold.setBold(True)
        wide, plain = QFontMetrics(bold).horizontalAdvance, self.table.fontMetrics().horizontalAdvance
        samples = {"reference": wide("C-2026-000000"), "client": plain("Acme Plumbing Pty Ltd"),
                   "left": wide("BREACHED 10 days ago"), "deadline": plain("Acknowledgement, 30 Sep 2026"),
                   "state": plain("Under investigation"), "type": plain("Superannuation")}
        for key, width in samples.items():
            self.table.setColumnWidth(self.model.column_of(key), width + 18)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.error = QLabel(objectName="listError")
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.setFocusProxy(self.table)

    # -- loading -----------------------------------------------------------------------------------
    def _source(self) -> Callable[[int, int], CasePage]:
        owner = self.ws.user.id if self.mine.isChecked() else None
        if self.mode == "breaches":
            return partial(breaches_page, self.ws, self.include_past.isChecked(), owner)
        return partial(open_cases_page, self.ws, self.order.currentData(), owner, self.state.currentData(),
                       self.breaches_only.isChecked())

    def reload(self) -> None:
        self._keep = self.selected_case_id()
        self.model.set_source(self._source())

    def refresh(self) -> None:
        """Re-read the clocks of the rows on screen (the minute timer)."""
        self._keep = self.selected_case_id()
        if self.model.ready:
            self.model.refresh()
        else:
            self.reload()

    def _loaded(self) -> None:
        self.error.hide()
        total = self.model.rowCount()
        breached = sum(1 for r in self.model.loaded_cases() if r.clock.state.value == "breached")
        if self.mode == "breaches":
            text = self.tr("%n breached case(s)", "", total)
        else:
            text = self.tr("%n open case(s)", "", total)
            if breached:
                text += " · " + self.tr("%1 breached").replace("%1", fmt().number(breached))
        self.count.setText(text)
        if self._keep:
            self.select_case(self._keep)

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- selection -----------------------------------------------------------------------------------
    def selected_case_id(self) -> str | None:
        index = self.table.currentIndex()
        case = self.model.case_at(index.row()) if index.isValid() else None
        return case.id if case is not None else None

    def select_case(self, case_id: str) -> bool:
        row = self.model.row_of_case(case_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _activated(self, index: QModelIndex) -> None:
        case = self.model.case_at(index.row())
        if case is not None:
            emit(self.open_case, case.id)

    # -- state kept over a rebuild (see ui/main_window.py) ---------------------------------------------
    def view_state(self) -> dict[str, Any]:
        values = {name: w.currentData() if isinstance(w, QComboBox) else w.isChecked()
                  for name, w in self._filters().items()}
        return {**values, "case": self.selected_case_id() or self._restored_case}

    def restore_view_state(self, state: dict[str, Any]) -> None:
        """The filters without a reload each (the area loads the list when it is first shown); the case is
        selected when its rows arrive, if it is still listed."""
        for name, w in self._filters().items():
            w.blockSignals(True)
            if isinstance(w, QComboBox):
                w.setCurrentIndex(max(w.findData(state.get(name)), 0))
            else:
                w.setChecked(bool(state.get(name)))
            w.blockSignals(False)
        self._restored_case = state.get("case")
        if self._restored_case:
            self.model.loaded.connect(self._select_restored, Qt.ConnectionType.SingleShotConnection)

    def _select_restored(self) -> None:
        case, self._restored_case = self._restored_case, None
        if case:
            self.select_case(case)

    def _filters(self) -> dict[str, QComboBox | QCheckBox]:
        found = {"order": self.order, "state": self.state, "breaches_only": self.breaches_only,
                 "include_past": self.include_past, "mine": self.mine}
        return {name: w for name, w in found.items() if w is not None}
