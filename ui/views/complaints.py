"""The Complaints area: open cases by urgency, the breaches, one case, and register & returns.

The lists re-read their clocks on the DB worker every minute. Quick capture (Ctrl+Shift+C) works
from every area: the area on screen may offer the client it has selected through a
`selected_client() -> (client_id, name) | None` method, which the dialog then starts from.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.complaint_intake import IntakeDialog, QuickCaptureDialog
from ui.icons import icon
from ui.tasks import Jobs
from ui.views.complaint_case import CaseWidget
from ui.views.complaint_list import CaseListPanel
from ui.views.complaint_management import ManagementPanel

REFRESH_MS = 60_000
QUICK_CAPTURE = "complaints.quick_capture"
NEW_COMPLAINT = "complaints.new"


def _client_of(area: Any) -> tuple[str, str] | None:
    """The client the area on screen has open or selected: its `selected_client()` hook if it has
    one, else the portfolio's open client 360 or its selected row (read duck-typed, never imported)."""
    hook = getattr(area, "selected_client", None)
    if callable(hook):
        found = hook()
        return (str(found[0]), str(found[1])) if found else None
    view = getattr(area, "client_view", None)
    if getattr(area, "showing_client", False) and view is not None:
        client = getattr(view, "client", None)
        name = getattr(client, "display_name", "")
        return (view.client_id, name) if name else None
    listing = getattr(area, "list", None)
    table, model = getattr(listing, "table", None), getattr(listing, "model", None)
    if table is not None and hasattr(model, "row_at") and area.isVisible():
        index = table.currentIndex()
        row = model.row_at(index.row()) if index.isValid() else None
        if row is not None and getattr(row, "client_id", None) and getattr(row, "name", None):
            return row.client_id, row.name
    return None


class ComplaintsView(QWidget):
    area_id = "complaints"

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area-complaints")
        self.setAccessibleName(self.tr("Complaints area"))
        self.ws, self.tasks, self.actions = ctx.workstation, ctx.tasks, ctx.actions
        self.jobs = Jobs(self.tasks)
        self.dialog: Any = None
        self._started = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        head = QHBoxLayout()
        title = QLabel(self.tr("Complaints"))
        title.setProperty("role", "title")
        head.addWidget(title)
        head.addStretch()
        self.quick_button = QPushButton(icon("complaints"), self.tr("&Quick complaint…"), objectName="quickButton")
        self.quick_button.setToolTip(self.tr("A verbal complaint, just now (Ctrl+Shift+C from anywhere)"))
        self.new_button = QPushButton(self.tr("&New complaint…"), objectName="newButton")
        self.new_button.setToolTip(self.tr("The full intake form"))
        self.quick_button.clicked.connect(self.quick_capture)
        self.new_button.clicked.connect(self.new_complaint)
        head.addWidget(self.quick_button)
        head.addWidget(self.new_button)
        layout.addLayout(head)

        self.stack = QStackedWidget(objectName="complaintsStack")
        layout.addWidget(self.stack, 1)
        self.tabs = QTabWidget(objectName="complaintsTabs")
        self.tabs.setAccessibleName(self.tr("Complaint lists"))
        self.open_list = CaseListPanel(self.ws, self.jobs, "open")
        self.breach_list = CaseListPanel(self.ws, self.jobs, "breaches")
        self.management = ManagementPanel(self.ws, self.jobs)
        self.tabs.addTab(self.open_list, self.tr("&Open cases"))
        self.tabs.addTab(self.breach_list, self.tr("&Breaches"))
        self.tabs.addTab(self.management, self.tr("&Register && returns"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.stack.addWidget(self.tabs)
        self.case_view = CaseWidget(self.ws, self.tasks)
        self.stack.addWidget(self.case_view)
        for panel in (self.open_list, self.breach_list):
            panel.open_case.connect(self.open_case)
        self.case_view.back.connect(self.show_list)
        self.case_view.changed.connect(lambda _cid: self.refresh())

        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self._connected: list[tuple[Any, Any]] = []
        if self.actions is not None:
            for action_id, slot in ((QUICK_CAPTURE, self.quick_capture), (NEW_COMPLAINT, self.new_complaint)):
                try:
                    action = self.actions[action_id]
                except KeyError:
                    continue
                action.triggered.connect(slot)
                self._connected.append((action, slot))
        self.setFocusProxy(self.tabs)

    # -- loading ----------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.start()

    def start(self) -> None:
        """Read the lists the first time the area is shown (not at unlock, for every area at once)."""
        if self._started:
            return
        self._started = True
        self.open_list.reload()

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is self.breach_list and not self.breach_list.model.ready:
            self.breach_list.reload()
        elif page is self.management and not self.management.loaded_once:
            self.management.load()

    def refresh(self) -> None:
        """Re-read what has been loaded: the clocks and states change."""
        if not self._started:
            return
        self.open_list.refresh()
        if self.breach_list.model.ready:
            self.breach_list.refresh()

    def tick(self) -> None:
        self.refresh()
        if self.stack.currentWidget() is self.case_view:
            self.case_view.render_clocks()

    # -- navigation ---------------------------------------------------------------------------------------
    def open_case(self, case_id: str) -> None:
        self.start()
        self.stack.setCurrentWidget(self.case_view)
        self.case_view.load(case_id)
        self.case_view.setFocus()

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        page = self.tabs.currentWidget()
        if page is not None:
            page.setFocus()

    # -- taking a complaint ---------------------------------------------------------------------------------
    def _selected_client(self) -> tuple[str, str] | None:
        window = self.window()
        stack = getattr(window, "area_stack", None)
        current = stack.currentWidget() if stack is not None else None
        if current is self:
            if self.stack.currentWidget() is self.case_view and self.case_view.case is not None:
                return self.case_view.case.client_id, self.case_view.case.client_name
            return None
        try:
            return _client_of(current)
        except Exception:  # noqa: BLE001 (another area's state must never block taking a complaint)
            return None

    def _take(self, dialog_class: type) -> Any:
        dialog = dialog_class(self.ws, self.tasks, self, client=self._selected_client())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _case: self.refresh() if self._started else self.start())
        dialog.open_case.connect(self._open_from_dialog)
        self.dialog = dialog
        dialog.open()
        return dialog

    def quick_capture(self) -> Any:
        return self._take(QuickCaptureDialog)

    def new_complaint(self) -> Any:
        return self._take(IntakeDialog)

    def _open_from_dialog(self, case_id: str) -> None:
        window = self.window()
        go = getattr(window, "go", None)
        if callable(go):
            go(self.area_id)
        self.open_case(case_id)

    # -- state kept over a rebuild (see ui/main_window.py) ---------------------------------------------------
    def view_state(self) -> dict[str, Any]:
        case = self.case_view.case if self.stack.currentWidget() is self.case_view else None
        return {"tab": self.tabs.currentIndex(), "open": self.open_list.view_state(),
                "breaches": self.breach_list.view_state(), "case": case.id if case is not None else None,
                "case_tab": self.case_view.tabs.currentIndex()}

    def restore_view_state(self, state: dict[str, Any]) -> None:
        self.open_list.restore_view_state(state.get("open", {}))
        self.breach_list.restore_view_state(state.get("breaches", {}))
        self.tabs.setCurrentIndex(state.get("tab", 0))  # the breaches or register load as a click would
        if state.get("case"):
            self.open_case(state["case"])
            self.case_view.tabs.setCurrentIndex(state.get("case_tab", 0))

    def shutdown(self) -> None:
        """Called before the area is destroyed (lock): stop the timer, drop pending work and hooks."""
        self.timer.stop()
        self.jobs.close()
        self.case_view.shutdown()
        for action, slot in self._connected:
            with contextlib.suppress(RuntimeError, TypeError):
                action.triggered.disconnect(slot)
        self._connected = []
