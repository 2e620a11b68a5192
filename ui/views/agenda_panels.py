"""The agenda's side panels: the overdue queue (paged) and the referrals list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.messages import describe
from ui.models.agenda_base import ItemRole
from ui.models.overdue_model import OverdueModel
from ui.models.referral_model import ReferralModel
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.agenda_widgets import Banner


def list_view(name: str, accessible: str) -> QTableView:
    view = QTableView(objectName=name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setTabKeyNavigation(False)
    return view


class OverduePanel(QWidget):
    current_changed = Signal(object)  # OverdueItem or None
    activated = Signal(object)

    def __init__(self, workstation: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overduePanel")
        ws = workstation
        self.model = OverdueModel(tasks, lambda offset, limit: ws.schedule.overdue_queue(offset, limit), parent=self)
        self.summary = QLabel(objectName="overdueSummary", wordWrap=True)
        self.summary.setProperty("role", "muted")
        self.error = Banner(self)
        self.table = list_view("overdueTable", self.tr("Overdue queue"))
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((105, 70, 120, 210, 110, 80)):
            self.table.setColumnWidth(col, width)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.addWidget(self.summary)
        col.addWidget(self.error)
        col.addWidget(self.table, 1)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda text: self.error.show_message(text, "error"))
        self.model.modelReset.connect(lambda: emit(self.current_changed, None))
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.table.activated.connect(lambda index: emit(self.activated, self.model.item(index.row())))

    def reload(self) -> None:
        self.error.clear()
        self.model.reload()
        self.summary.setText(self.model.summary())

    def _loaded(self) -> None:
        self.summary.setText(self.model.summary())

    def _current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        emit(self.current_changed, self.model.item(index.row()) if index.isValid() else None)

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def shutdown(self) -> None:
        self.model.cancel()


class ReferralsPanel(QWidget):
    current_changed = Signal(object)  # ReferralView or None
    activated = Signal(object)
    loaded = Signal()

    def __init__(self, workstation: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralsPanel")
        self._ws = workstation
        self._jobs = Jobs(tasks)
        self.model = ReferralModel(self)
        self.new_button = QPushButton(self.tr("&New referral…"), objectName="newReferral")
        self.status_button = QPushButton(self.tr("Change &status…"), objectName="referralStatus")
        self.status_button.setEnabled(False)
        self.show_closed = QCheckBox(self.tr("Show done and cancelled"), objectName="showClosed")
        self.summary = QLabel(objectName="referralSummary")
        self.summary.setProperty("role", "muted")
        self.error = Banner(self)
        self.table = list_view("referralTable", self.tr("Referrals"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        for col, width in enumerate((140, 120, 110, 110, 150)):
            self.table.setColumnWidth(col, width)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.status_button)
        buttons.addStretch()
        buttons.addWidget(self.show_closed)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.addLayout(buttons)
        col.addWidget(self.summary)
        col.addWidget(self.error)
        col.addWidget(self.table, 1)
        self.show_closed.toggled.connect(lambda _checked: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._current)
        self.table.activated.connect(lambda index: emit(self.activated, self.model.row_of(index)))
        self.model.modelReset.connect(self._reset)

    def reload(self) -> None:
        ws, open_only = self._ws, not self.show_closed.isChecked()
        self.model.loading = True
        self._jobs.cancel()
        self._jobs.run(lambda: ws.schedule.referrals(open_only=open_only), on_done=self._arrived,
                       on_error=lambda exc: self.error.show_message(describe(exc), "error"),
                       label=self.tr("Reading referrals"))

    def _arrived(self, referrals: tuple) -> None:
        keep = self.current()
        self.error.clear()
        self.model.set_rows(referrals)
        overdue = sum(1 for r in referrals if r.overdue)
        text = self.tr("%n referral(s)", "", len(referrals))
        if overdue:
            text += ", " + self.tr("%n overdue", "referrals", overdue)
        self.summary.setText(text)
        if keep is not None:
            index = self.model.find(lambda r: r.id == keep.id)
            if index.isValid():
                self.table.setCurrentIndex(index)
        emit(self.loaded)

    def _reset(self) -> None:
        self.status_button.setEnabled(False)
        emit(self.current_changed, None)

    def _current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_of(index) if index.isValid() else None
        self.status_button.setEnabled(row is not None)
        emit(self.current_changed, row)

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.data(index, ItemRole) if index.isValid() else None

    def shutdown(self) -> None:
        self._jobs.cancel()
