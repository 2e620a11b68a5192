"""Register and returns: the complaint register as CSV for a period, the UK-style summary, the
root-cause trend and the systemic issues (recurring causes) - a simple panel for management."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.format import fmt
from ui.models.complaints_model import ProductModel, TrendModel
from ui.tasks import Jobs
from ui.views.complaint_common import message_of, money, set_role, status_colour

# -- worker side ----------------------------------------------------------------------------------------


def management_data(ws: Any, start: date, end: date) -> tuple[Any, Any, list[Any]]:
    svc = ws.complaints
    return svc.uk_summary(start, end), svc.root_cause_trend(start, end), svc.recurrence_flags(start, end)


def write_register(ws: Any, path: Path, start: date, end: date) -> int:
    return ws.complaints.write_register(path, start, end)


def _table(name: str, accessible: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setAccessibleName(accessible)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.setMinimumHeight(150)
    return table


class ManagementPanel(QWidget):
    def __init__(self, ws: Any, jobs: Jobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintsManagement")
        self.ws, self.jobs = ws, jobs
        self.summary: Any = None
        self.loaded_once = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)

        bar = QHBoxLayout()
        today = QDate.currentDate()
        self.start = QDateEdit(today.addYears(-1).addDays(1), objectName="periodStart")
        self.end = QDateEdit(today, objectName="periodEnd")
        for edit, name in ((self.start, self.tr("Period from")), (self.end, self.tr("Period to"))):
            edit.setCalendarPopup(True)
            fmt().dress_date_edit(edit)
            edit.setAccessibleName(name)
        from_label = QLabel(self.tr("&From:"))
        from_label.setBuddy(self.start)
        to_label = QLabel(self.tr("&To:"))
        to_label.setBuddy(self.end)
        self.show_button = QPushButton(self.tr("S&how"), objectName="showReturns")
        self.export_button = QPushButton(self.tr("E&xport register (CSV)…"), objectName="exportRegister")
        self.show_button.clicked.connect(self.load)
        self.export_button.clicked.connect(self.choose_export)
        for w in (from_label, self.start, to_label, self.end, self.show_button):
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.export_button)
        outer.addLayout(bar)
        self.status = QLabel(objectName="managementStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        outer.addWidget(self.status)

        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        columns = QHBoxLayout(inner)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        box = QGroupBox(self.tr("Complaints return (UK style)"))
        grid = QGridLayout(box)
        self.figures: dict[str, QLabel] = {}
        rows = (("received", self.tr("Received")), ("closed", self.tr("Closed")),
                ("fast", self.tr("Closed within 3 business days")), ("eight", self.tr("Closed within 8 weeks")),
                ("late", self.tr("Closed after 8 weeks")), ("upheld", self.tr("Upheld (incl. partly)")),
                ("not_upheld", self.tr("Not upheld")), ("withdrawn", self.tr("Withdrawn")),
                ("paid", self.tr("Redress paid")), ("agreed", self.tr("Redress agreed")))
        for i, (key, text) in enumerate(rows):
            name = QLabel(text)
            value = QLabel("—", objectName=f"figure-{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setAccessibleName(text)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, i, 0)
            grid.addWidget(value, i, 1)
            self.figures[key] = value
        left.addWidget(box)
        self.product_model = ProductModel(parent=self)
        self.products = _table("byProduct", self.tr("Complaints by product"))
        self.products.setModel(self.product_model)
        left.addWidget(QLabel(self.tr("By product")))
        left.addWidget(self.products, 1)

        self.trend_model = TrendModel(self)
        self.trend = _table("rootCauseTrend", self.tr("Root causes by month"))
        self.trend.setModel(self.trend_model)
        right.addWidget(QLabel(self.tr("Root causes by month of receipt")))
        right.addWidget(self.trend, 1)
        right.addWidget(QLabel(self.tr("Systemic issues (root causes that recur)")))
        self.flags = QLabel(objectName="recurrenceFlags")
        self.flags.setWordWrap(True)
        self.flags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flags.setAccessibleName(self.tr("Systemic issues"))
        right.addWidget(self.flags)
        area.setWidget(inner)
        outer.addWidget(area, 1)

    def period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _say(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        set_role(self.status, role)
        self.status.setVisible(bool(text))

    def load(self) -> None:
        start, end = self.period()
        self.loaded_once = True
        self._say(self.tr("Reading…"))
        self.jobs.run(management_data, self.ws, start, end, label=self.tr("Reading the complaints return"),
                      on_done=self._loaded, on_error=lambda exc: self._say(message_of(exc), "error"))

    def _loaded(self, found: tuple[Any, Any, list[Any]]) -> None:
        summary, trend, flags = found
        self.summary = summary
        self._say("")
        cur = summary.currency
        share = summary.upheld_share
        f = fmt()
        upheld = f.number(summary.upheld) + (f"  ({f.percent(share * 100)})" if share is not None else "")
        values = {"received": summary.received, "closed": summary.closed,
                  "fast": summary.closed_within_3_business_days, "eight": summary.closed_within_8_weeks,
                  "late": summary.closed_after_8_weeks, "upheld": upheld, "not_upheld": summary.not_upheld,
                  "withdrawn": summary.withdrawn, "paid": money(summary.redress_paid, cur),
                  "agreed": money(summary.redress_agreed, cur)}
        for key, value in values.items():
            self.figures[key].setText(value if isinstance(value, str) else f.number(value))
        self.product_model.currency = cur
        self.product_model.set_rows(summary.by_product)
        self.products.resizeColumnsToContents()
        self.trend_model.set_trend(trend)
        self.trend.resizeColumnsToContents()
        if flags:
            colour = status_colour("warn").name()
            lines = [self.tr("⚠ <b>Systemic issue?</b> %1: %2 cases within %3 days, %4 to %5 (%6)")
                     .replace("%1", flag.label).replace("%2", f.number(flag.peak))
                     .replace("%3", f.number(flag.window_days)).replace("%4", f.medium_date(flag.first))
                     .replace("%5", f.medium_date(flag.last)).replace("%6", ", ".join(flag.references[-5:]))
                     for flag in flags]
            self.flags.setText(f"<div style='color:{colour}'>" + "<br>".join(lines) + "</div>")
        else:
            self.flags.setText(self.tr("No root cause recurs often enough in this period to flag."))

    # -- the register -------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        start, end = self.period()
        suggested = str(Path.home() / f"complaints-register-{start:%Y%m%d}-{end:%Y%m%d}.csv")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the complaint register"), suggested,
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        start, end = self.period()
        self.export_button.setEnabled(False)
        self._say(self.tr("Writing the register…"))
        self.jobs.run(write_register, self.ws, path, start, end, label=self.tr("Writing the complaint register"),
                      on_done=lambda n: self._exported(path, n), on_error=self._export_failed)

    def _exported(self, path: Path, rows: int) -> None:
        self.export_button.setEnabled(True)
        text = self.tr("%n complaint(s) written to %2.", "", rows)
        self._say(text.replace("%2", str(path)), "hint-strong")

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self._say(message_of(exc), "error")

