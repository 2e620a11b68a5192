"""Balance history of one holding as a QtCharts line chart, in the palette and locale in force."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QWidget

from ui.format import fmt


class BalanceChart(QStackedWidget):
    """A chart page and an empty-state page ("No balance history")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("balanceChart")
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setAccessibleName(self.tr("Balance history chart"))
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.empty = QLabel(self.tr("Select a holding to see its balance history."))
        self.empty.setProperty("role", "empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.addWidget(self.view)
        self.addWidget(self.empty)
        self.setCurrentWidget(self.empty)
        self.setMinimumHeight(200)
        self.points = 0

    def clear(self, message: str | None = None) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self.points = 0
        self.empty.setText(message or self.tr("Select a holding to see its balance history."))
        self.setCurrentWidget(self.empty)

    def show_history(self, title: str, history: list[tuple[date, Decimal]], currency: str) -> None:
        self.clear()
        if len(history) < 2:
            self.empty.setText(self.tr("No balance history is recorded for %1 (only the current balance).")
                               .replace("%1", title))
            return
        f = fmt()
        palette = QApplication.palette()
        text, grid = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Mid)
        dark = QApplication.instance().property("rmdesk_theme") == "dark"
        self.chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
        self.chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        self.chart.setBackgroundRoundness(6)
        self.chart.setLocalizeNumbers(True)
        self.chart.setLocale(f.locale)
        self.chart.setTitle(self.tr("Balance history: %1").replace("%1", title))
        self.chart.setTitleBrush(text)

        series = QLineSeries()
        series.setName(title)
        pen = QPen(palette.color(QPalette.ColorRole.Highlight))
        pen.setWidth(2)
        series.setPen(pen)
        series.setPointsVisible(True)
        values = []
        for day, balance in history:
            moment = QDateTime(datetime.combine(day, time(12)))
            series.append(moment.toMSecsSinceEpoch(), float(balance))
            values.append(float(balance))
        self.chart.addSeries(series)

        x = QDateTimeAxis()
        x.setFormat("MMM yyyy")
        x.setTickCount(min(len(history), 7))
        y = QValueAxis()
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
        y.setRange(low - pad, high + pad)
        y.applyNiceNumbers()
        y.setLabelFormat("%.0f")
        y.setTitleText(currency)
        for axis in (x, y):
            axis.setLabelsBrush(text)
            axis.setTitleBrush(text)
            axis.setGridLineColor(QColor(grid))
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.points = len(history)
        first, last = history[0], history[-1]
        self.view.setAccessibleDescription(
            self.tr("%1 points from %2 (%3) to %4 (%5)").replace("%1", f.number(len(history)))
            .replace("%2", f.date(first[0])).replace("%3", f.money(first[1], currency))
            .replace("%4", f.date(last[0])).replace("%5", f.money(last[1], currency)))
        self.setCurrentWidget(self.view)
