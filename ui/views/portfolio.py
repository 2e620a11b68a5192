"""The portfolio area: the RM's book (KPIs, filters, saved views, the paged grid) and the client 360.

`PortfolioArea` is what the area registry builds: a stack of the list (`PortfolioView`) and, when a
client is opened, that client's `Client360View`. Back (Esc) returns to the list as it was left:
same scroll position, same selection. Every service call goes through the task runner.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.portfolio import FilterOptions, Kpis, PortfolioQuery
from ui import privacy
from ui.dialogs.messages import show_error, show_info
from ui.format import fmt, set_locale
from ui.i18n.app_messages import error_text
from ui.models.portfolio_model import PortfolioModel
from ui.prefs import qsettings
from ui.qtcompat import emit
from ui.views import ViewContext
from ui.widgets.style import portfolio_sheet

if TYPE_CHECKING:  # the editor and the 360 load the clients service (and the ORM models) when opened
    from ui.dialogs.client_edit import ClientEditDialog
    from ui.views.client360 import Client360View

ANY = None  # userData of the "all" entry in each filter combo
HEADER_KEY = "portfolio/header"  # QHeaderView.saveState(): order, widths, hidden columns, sort
HEADER_COLUMNS_KEY = "portfolio/headerColumns"  # the column keys that state was saved for
HEADER_FORMAT_KEY = "portfolio/headerFormat"  # the locale and currency its widths were fitted to
ROW_SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


def _format_signature() -> str:
    return f"{fmt().name} {fmt().currency}"


class PortfolioTable(QTableView):
    """The grid; Enter or a double-click opens the current client."""

    open_requested = Signal(int)  # row
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(lambda index: emit(self.open_requested, index.row()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        emit(self.resized)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            emit(self.open_requested, self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class KpiCard(QFrame):
    def __init__(self, caption: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "kpi-caption")
        self.value = QLabel("…")
        self.value.setObjectName(object_name)
        self.value.setProperty("role", "kpi-value")
        self.value.setAccessibleName(caption)
        self.detail = QLabel("")
        self.detail.setProperty("role", "kpi-detail")
        self.detail.setWordWrap(True)  # a longer language wraps onto a second line instead of being cut
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._reserve_two_lines()
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)  # cards of one row line up at the top when one detail wraps

    def set(self, value: str, detail: str = "", alert: bool = False) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setToolTip(f"{self.caption.text()}: {value}" + (f" ({detail})" if detail else ""))
        self.detail.setProperty("role", "kpi-alert" if alert else "kpi-detail")
        self.detail.style().unpolish(self.detail)
        self.detail.style().polish(self.detail)
        self._reserve_two_lines()
        self.setAccessibleDescription(f"{value} {detail}".strip())

    def _reserve_two_lines(self) -> None:
        """Room for a wrapped detail from the start: the row of cards keeps its height when the KPIs
        arrive (the grid below does not jump) and a wrapped line is never squeezed."""
        self.detail.ensurePolished()
        self.detail.setMinimumHeight(2 * self.detail.fontMetrics().lineSpacing())


class PortfolioView(QWidget):
    """KPIs, filters, saved views and the grid."""

    open_requested = Signal(str)  # client id
    DEBOUNCE_MS = 150

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolioList")
        self.ctx = ctx
        self.ws = ctx.workstation
        self.tasks = ctx.tasks
        self._handles: list[Any] = []
        self._views: dict[str, PortfolioQuery] = {}
        self._reselect: str | None = None
        self._restoring: tuple[str, int, int] | None = None  # a rebuilt view's client, row and scroll value
        self._options = FilterOptions()
        ws = self.ws
        self.model = PortfolioModel(self.tasks, lambda: ws.portfolio, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._model_failed)
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self._start()

    # -- building -------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)

        head = QHBoxLayout()
        title = QLabel(self.tr("Portfolio"))
        title.setProperty("role", "title")
        head.addWidget(title)
        head.addStretch()
        self.new_button = QPushButton(self.tr("New client…"))
        self.new_button.setObjectName("newClient")
        self.new_button.setToolTip(self.tr("Create a client record (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_client)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("exportCsv")
        self.export_button.setToolTip(self.tr("Export the clients in the current view to a CSV file"))
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.columns_menu = QMenu(self)
        self.columns_menu.setObjectName("columnsMenu")
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.columns_button = QPushButton(self.tr("Co&lumns"))
        self.columns_button.setObjectName("portfolioColumns")
        self.columns_button.setToolTip(self.tr("Show, hide or reset the grid's columns"))
        self.columns_button.setAccessibleName(self.tr("Columns"))
        self.columns_button.setMenu(self.columns_menu)
        head.addWidget(self.columns_button)
        head.addWidget(self.new_button)
        head.addWidget(self.export_button)
        layout.addLayout(head)

        kpis = QHBoxLayout()
        kpis.setSpacing(10)
        self.kpi_clients = KpiCard(self.tr("Book size"), "kpiClients")
        self.kpi_aum = KpiCard(self.tr("Assets under management"), "kpiAum")
        self.kpi_revenue = KpiCard(self.tr("Revenue 12m vs target"), "kpiRevenue")
        self.kpi_overdue = KpiCard(self.tr("Overdue contacts"), "kpiOverdue")
        self.kpi_complaints = KpiCard(self.tr("Open complaints"), "kpiComplaints")
        for card in (self.kpi_clients, self.kpi_aum, self.kpi_revenue, self.kpi_overdue, self.kpi_complaints):
            kpis.addWidget(card, 1)
        layout.addLayout(kpis)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.search = QLineEdit()
        self.search.setObjectName("portfolioFilter")
        self.search.setPlaceholderText(self.tr("Filter by name, e-mail or phone…  (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Filter clients"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._filter_return)
        self.segment = self._combo(self.tr("Segment"), self.tr("All segments"))
        self.tier = self._combo(self.tr("Loyalty tier"), self.tr("All tiers"))
        self.product = self._combo(self.tr("Product held"), self.tr("Any product"))
        filters.addWidget(self.search, 3)
        for combo in (self.segment, self.tier, self.product):
            filters.addWidget(combo, 1)
        layout.addLayout(filters)

        second = QHBoxLayout()
        second.setSpacing(8)
        self.overdue = QCheckBox(self.tr("&Overdue contact only"))
        self.overdue.setObjectName("overdueOnly")
        self.complaint = QCheckBox(self.tr("Open &complaint only"))
        self.complaint.setObjectName("complaintOnly")
        for box in (self.overdue, self.complaint):
            box.toggled.connect(lambda _c: self.apply_filters())
            second.addWidget(box)
        second.addStretch()
        views_label = QLabel(self.tr("Saved &view:"))
        self.views = QComboBox()
        self.views.setObjectName("savedViews")
        self.views.setAccessibleName(self.tr("Saved views"))
        self.views.setMinimumContentsLength(16)
        self.views.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        views_label.setBuddy(self.views)
        self.views.activated.connect(self._view_picked)
        self.save_view_button = QPushButton(self.tr("Save view…"))
        self.save_view_button.setObjectName("saveView")
        self.save_view_button.clicked.connect(lambda: self.save_view())
        self.delete_view_button = QPushButton(self.tr("Delete view"))
        self.delete_view_button.setObjectName("deleteView")
        self.delete_view_button.clicked.connect(lambda: self.delete_view())
        self.delete_view_button.setEnabled(False)
        second.addWidget(views_label)
        second.addWidget(self.views)
        second.addWidget(self.save_view_button)
        second.addWidget(self.delete_view_button)
        layout.addLayout(second)

        self.table = PortfolioTable()
        self.table.setObjectName("portfolioTable")
        self.table.setAccessibleName(self.tr("Clients"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setSortingEnabled(True)
        self._size_columns()
        self._restore_columns()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._save_columns_timer = QTimer(self)
        self._save_columns_timer.setSingleShot(True)
        self._save_columns_timer.setInterval(400)
        self._save_columns_timer.timeout.connect(self.save_columns)
        for signal in (header.sectionMoved, header.sectionResized, header.sortIndicatorChanged):
            signal.connect(lambda *_a: self._save_columns_timer.start())
        self.table.open_requested.connect(self._open_row)
        layout.addWidget(self.table, 1)

        foot = QHBoxLayout()
        self.status = QLabel(self.tr("Loading the portfolio…"))
        self.status.setObjectName("portfolioStatus")
        self.status.setProperty("role", "muted")
        foot.addWidget(self.status)
        foot.addStretch()
        hint = QLabel(self.tr("Enter opens the client · Ctrl+K searches everything"))
        hint.setProperty("role", "muted")
        foot.addWidget(hint)
        layout.addLayout(foot)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_filter)

        order = [self.search, self.segment, self.tier, self.product, self.overdue, self.complaint, self.views,
                 self.save_view_button, self.delete_view_button, self.table, self.columns_button, self.new_button,
                 self.export_button]
        for a, b in zip(order, order[1:], strict=False):
            self.setTabOrder(a, b)

    def _combo(self, name: str, everything: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.addItem(everything, ANY)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.activated.connect(lambda _i: self.apply_filters())
        return combo

    def _size_columns(self) -> None:
        """Each column as wide as its widest likely value or header line; the name takes what is left."""
        fm = self.table.fontMetrics()
        self._default_widths()
        self.table.horizontalHeader().setMinimumSectionSize(fm.horizontalAdvance("0000") + 16)
        self.table.resized.connect(self._fit_name_column)
        self._fit_name_column()

    def _default_widths(self) -> None:
        fm = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        bold = self.table.font()
        bold.setBold(True)
        bfm = QFontMetrics(bold)
        f = fmt()
        day = f.grid_date(date(2026, 12, 28))
        samples = {
            "segment": "Mass affluent", "tier": "Platinum", "aum": f.money_short(12_345_678),
            "revenue": f.money_short(123_456), "products": "00", "last_contact": day,
            "next_contact": self.model.tr("Overdue · %1").replace("%1", day), "complaints": "00",
            "satisfaction": "5 / 5", "verified": day,
        }
        for i, col in enumerate(self.model.columns):
            if col.key == "name":
                continue
            metrics = bfm if col.key == "next_contact" else fm
            title = max((fm.horizontalAdvance(line) for line in col.title.split("\n")), default=0) + 16
            header.resizeSection(i, max(metrics.horizontalAdvance(samples.get(col.key, "")) + 12, title))

    def _fit_name_column(self) -> None:
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(1, header.count()) if not header.isSectionHidden(i))
        minimum = self.table.fontMetrics().horizontalAdvance("Alexandra Montgo") + 16
        header.resizeSection(0, max(minimum, self.table.viewport().width() - others))

    # -- column layout (kept in QSettings, like the main window's state) ------------------------------
    def _column_keys(self) -> str:
        return ",".join(col.key for col in self.model.columns)

    def _restore_columns(self) -> None:
        """Put back the order, widths, hidden columns and sort the user left; the first query uses that sort.

        Signals are held back while the state goes in: the header would otherwise sort the model at once,
        before the view has read its settings (the first query is made in `_start`)."""
        settings = qsettings()
        state = settings.value(HEADER_KEY)
        if not isinstance(state, QByteArray | bytes) or settings.value(HEADER_COLUMNS_KEY) != self._column_keys():
            return  # nothing saved, or saved for another set of columns: the defaults stand
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        try:
            restored = header.restoreState(QByteArray(state))
        finally:
            header.blockSignals(False)
        if restored:
            header.setSectionHidden(0, False)  # the name is never hidden
            if settings.value(HEADER_FORMAT_KEY) != _format_signature():
                self._default_widths()  # widths fitted to another locale's money and dates: fit again
            self._fit_name_column()

    def save_columns(self) -> None:
        self._save_columns_timer.stop()
        settings = qsettings()
        settings.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())
        settings.setValue(HEADER_COLUMNS_KEY, self._column_keys())
        settings.setValue(HEADER_FORMAT_KEY, _format_signature())

    def _initial_query(self) -> PortfolioQuery:
        """The first query, sorted as the (restored) header says."""
        header = self.table.horizontalHeader()
        section = header.sortIndicatorSection()
        if not 0 <= section < len(self.model.columns):
            return PortfolioQuery()
        return PortfolioQuery().sorted_by(self.model.columns[section].key,
                                          header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)

    def _fill_columns_menu(self) -> None:
        """One checkable entry a column, in the order they stand; the name cannot be hidden."""
        menu, header = self.columns_menu, self.table.horizontalHeader()
        menu.clear()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            col = self.model.columns[logical]
            action = menu.addAction(col.title.replace("\n", " "))
            action.setObjectName(f"column-{col.key}")
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setToolTip(col.tip)
            if logical == 0:
                action.setEnabled(False)
            action.toggled.connect(lambda shown, i=logical: self.set_column_shown(i, shown))
        menu.addSeparator()
        reset = menu.addAction(self.tr("&Reset columns"))
        reset.setObjectName("resetColumns")
        reset.triggered.connect(self.reset_columns)

    def _header_menu(self, pos: QPoint) -> None:
        self.columns_menu.popup(self.table.horizontalHeader().viewport().mapToGlobal(pos))

    def set_column_shown(self, logical: int, shown: bool) -> None:
        if logical == 0 and not shown:
            return
        self.table.horizontalHeader().setSectionHidden(logical, not shown)
        self._fit_name_column()
        self._save_columns_timer.start()

    def reset_columns(self) -> None:
        """Every column shown, in the original order and widths; the sort stays as it is."""
        header = self.table.horizontalHeader()
        for logical in range(header.count()):
            header.setSectionHidden(logical, False)
            header.moveSection(header.visualIndex(logical), logical)
        self._default_widths()
        self._fit_name_column()
        self.save_columns()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        if self._save_columns_timer.isActive():
            self.save_columns()
        super().hideEvent(event)

    # -- loading --------------------------------------------------------------------------------------
    def _submit(self, fn: Any, *args: Any, on_done: Any = None, label: str = "", on_error: Any = None) -> Any:
        handle = self.tasks.submit(fn, *args, on_done=on_done, on_error=on_error, label=label)
        self._handles = [h for h in self._handles if not h.delivered and not h.cancelled]
        self._handles.append(handle)
        return handle

    def _start(self) -> None:
        ws = self.ws
        # the DB worker runs these in order: locale first, so the first page is formatted right; the
        # filter choices after the first page and KPIs (the rows carry their segment's name)
        self._submit(ws.settings.all, on_done=self._settings, label=self.tr("Reading settings"))
        self.model.set_query(self._initial_query())
        self.load_kpis()
        self._submit(lambda: ws.portfolio.filter_options(), on_done=self._fill_options,
                     label=self.tr("Reading filters"))
        self.load_views()

    def _settings(self, values: dict[str, Any]) -> None:
        set_locale(values.get("user.locale"), values.get("org.currency"))
        if self.model.total:
            emit(self.model.dataChanged, self.model.index(0, 0),
                 self.model.index(self.model.total - 1, self.model.columnCount() - 1))

    def load_kpis(self) -> None:
        ws = self.ws
        self._submit(lambda: ws.portfolio.kpis(), on_done=self._show_kpis, label=self.tr("Counting the book"))

    def _show_kpis(self, k: Kpis) -> None:
        f = fmt()
        self.kpi_clients.set(f.number(k.clients), self.tr("clients in your book"))
        self.kpi_aum.set(f.money_short(k.aum), self.tr("total balances"))
        if k.revenue_target:
            share = float(k.revenue_12m) / float(k.revenue_target) * 100 if k.revenue_target else 0.0
            self.kpi_revenue.set(f.money_short(k.revenue_12m),
                                 self.tr("%1 of %2 target").replace("%1", f.percent(share))
                                 .replace("%2", f.money_short(k.revenue_target)), alert=share < 100)
        else:
            self.kpi_revenue.set(f.money_short(k.revenue_12m), self.tr("no target set for this period"))
        self.kpi_overdue.set(f.number(k.overdue_contacts),
                             self.tr("need a call or review") if k.overdue_contacts else self.tr("all on track"),
                             alert=bool(k.overdue_contacts))
        self.kpi_complaints.set(f.number(k.open_complaints),
                                self.tr("not yet closed") if k.open_complaints else self.tr("none open"),
                                alert=bool(k.open_complaints))

    def _fill_options(self, options: FilterOptions) -> None:
        self._options = options
        for combo, items in ((self.segment, options.segments), (self.tier, [(t, t) for t in options.tiers]),
                             (self.product, options.products)):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for code, name in items:
                combo.addItem(name, code)
            found = combo.findData(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)
        self.model.set_segment_names(dict(options.segments))

    # -- filtering ------------------------------------------------------------------------------------
    def current_query(self) -> PortfolioQuery:
        q = self.model.query
        return PortfolioQuery(
            text=self.search.text().strip(), segment=self.segment.currentData(), tier=self.tier.currentData(),
            overdue_only=self.overdue.isChecked(), open_complaint_only=self.complaint.isChecked(),
            product=self.product.currentData(), owner_id=q.owner_id, sort=q.sort, descending=q.descending)

    def apply_filters(self) -> None:
        self._debounce.stop()
        self._restoring = None  # the user moved on
        query = self.current_query()
        if query != self.model.query:
            self.status.setText(self.tr("Filtering…"))
            self.model.set_query(query)

    def _filter_return(self) -> None:
        self.apply_filters()
        self.table.setFocus()

    def focus_filter(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _loaded(self, total: int) -> None:
        q = self.model.query
        filtered = q.text or q.segment or q.tier or q.product or q.overdue_only or q.open_complaint_only
        if total == 0:
            self.status.setText(self.tr("No clients match these filters.") if filtered
                                else self.tr("Your book is empty. Create a client with New client (Ctrl+N)."))
        elif filtered:
            self.status.setText(self.tr("%1 clients match").replace("%1", fmt().number(total))
                                if total != 1 else self.tr("1 client matches"))
        else:
            self.status.setText(self.tr("%1 clients").replace("%1", fmt().number(total))
                                if total != 1 else self.tr("1 client"))
        header = self.table.horizontalHeader()
        want = (self.model.sort_column(),
                Qt.SortOrder.DescendingOrder if q.descending else Qt.SortOrder.AscendingOrder)
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != want:
            header.setSortIndicator(*want)
        if self._restoring is not None:
            self._restore_selection()
            return
        row = self.model.find_row(self._reselect) if self._reselect else None
        self._reselect = None
        if row is None and total:
            row = 0
        if row is not None:
            self.select_row(row)

    def _model_failed(self, message: str) -> None:
        self.status.setText(self.tr("Could not load the portfolio: %1").replace("%1", message))

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if not index.isValid():
            return
        self.table.selectionModel().setCurrentIndex(index, ROW_SELECT)
        self.table.scrollTo(index)

    def refresh(self, keep: str | None = None) -> None:
        """Run the current query again (after an edit), keeping `keep` (or the current client) selected."""
        self._reselect = keep or self.current_client_id()
        self.model.refresh()
        self.load_kpis()

    def current_client_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.client_id_at(index.row()) if index.isValid() else None

    # -- state kept over a rebuild (see ui/main_window.py) -----------------------------------------------
    def view_state(self) -> dict[str, Any]:
        index = self.table.currentIndex()
        # rebuilt again before the last restore found its row: pass that one on
        client, row, scroll = self._restoring or (self.current_client_id(), index.row(),
                                                  self.table.verticalScrollBar().value())
        return {"query": dataclasses.asdict(self.current_query()), "view": self.views.currentData(),
                "client": client, "row": row, "scroll": scroll}

    def restore_view_state(self, state: dict[str, Any]) -> None:
        """The filters at once; the scroll position and selection once the pages holding them arrive
        (nothing is selected if the client no longer matches)."""
        view = state.get("view")
        if view:  # the saved views are still loading: hold the name for _fill_views to find
            self.views.addItem(view, view)
            self.views.setCurrentIndex(self.views.count() - 1)
        if state.get("client"):
            self._restoring = (state["client"], max(state.get("row", 0), 0), state.get("scroll", 0))
            self.model.page_loaded.connect(self._restore_selection)
        self.apply_view(PortfolioQuery(**state.get("query", {})))

    def _restore_selection(self, _page: int = 0) -> None:
        if self._restoring is None or self.model.loading:
            return
        client, row, scroll = self._restoring
        found = self.model.find_row(client)
        if found is None and row < self.model.total and row // self.model.PAGE not in self.model.loaded_pages():
            self.model.data(self.model.index(row, 0))  # asking for a row fetches its page: look again then
            return
        self._restoring = None
        if found is not None:
            self.table.selectionModel().setCurrentIndex(self.model.index(found, 0), ROW_SELECT)
        # then the rows the user saw (the new layout may be a row shorter while the KPIs load); the scroll
        # range must be there first (Qt lays the new rows out later)
        self.table.updateGeometries()
        self.table.verticalScrollBar().setValue(scroll)

    def _open_row(self, row: int) -> None:
        client_id = self.model.client_id_at(row)
        if client_id:
            emit(self.open_requested, client_id)

    # -- saved views ----------------------------------------------------------------------------------
    def load_views(self, select: str | None = None) -> None:
        ws = self.ws
        self._submit(lambda: ws.saved_views.all(), on_done=lambda views: self._fill_views(views, select),
                     label=self.tr("Reading saved views"))

    def _fill_views(self, views: dict[str, PortfolioQuery], select: str | None = None) -> None:
        self._views = dict(views)
        current = select or self.views.currentData()
        self.views.blockSignals(True)
        self.views.clear()
        self.views.addItem(self.tr("All clients"), ANY)
        for name in views:
            self.views.addItem(name, name)
        found = self.views.findData(current) if current else -1
        self.views.setCurrentIndex(found if found > 0 else 0)
        self.views.blockSignals(False)
        self.delete_view_button.setEnabled(self.views.currentIndex() > 0)

    def _view_picked(self, index: int) -> None:
        name = self.views.itemData(index)
        self.delete_view_button.setEnabled(name is not None)
        self.apply_view(self._views.get(name, PortfolioQuery()) if name else PortfolioQuery())

    def apply_view(self, q: PortfolioQuery) -> None:
        """Set every filter control from `q` (one query, not one per control) and run it."""
        for widget in (self.segment, self.tier, self.product, self.overdue, self.complaint):
            widget.blockSignals(True)
        self.search.setText(q.text)  # not blocked: its clear button follows textChanged (the debounce stops below)
        for combo, value in ((self.segment, q.segment), (self.tier, q.tier), (self.product, q.product)):
            found = combo.findData(value) if value is not None else 0
            if found < 0:  # an option that no longer exists: keep it visible so the view is honest
                combo.addItem(value, value)
                found = combo.count() - 1
            combo.setCurrentIndex(found)
        self.overdue.setChecked(q.overdue_only)
        self.complaint.setChecked(q.open_complaint_only)
        for widget in (self.segment, self.tier, self.product, self.overdue, self.complaint):
            widget.blockSignals(False)
        self._debounce.stop()
        self.model.set_query(q)

    def save_view(self, name: str | None = None) -> None:
        if name is None:
            dialog = QInputDialog(self)
            dialog.setObjectName("saveViewDialog")
            dialog.setWindowTitle(self.tr("Save view"))
            dialog.setLabelText(self.tr("Name for this view (filters and sort order):"))
            current = self.views.currentData()
            dialog.setTextValue(current or "")
            dialog.textValueSelected.connect(self.save_view)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
            return
        name = name.strip()
        if not name:
            return
        ws, query = self.ws, self.current_query()
        self._submit(lambda: ws.saved_views.save(name, query),
                     on_done=lambda _r: self._view_saved(name),
                     on_error=lambda exc: show_error(self, self.tr("View not saved"), error_text(exc)),
                     label=self.tr("Saving the view"))

    def _view_saved(self, name: str) -> None:
        self.status.setText(self.tr("Saved the view “%1”.").replace("%1", name))
        self.load_views(select=name)

    def delete_view(self, confirmed: bool = False) -> None:
        name = self.views.currentData()
        if not name:
            return
        if not confirmed:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete view"),
                              self.tr("Delete the saved view “%1”?").replace("%1", name),
                              QMessageBox.StandardButton.Cancel, self)
            box.setObjectName("confirmDeleteView")
            delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.buttonClicked.connect(lambda b: self.delete_view(True) if b is delete else None)
            box.open()
            return
        ws = self.ws
        self._submit(lambda: ws.saved_views.delete(name), on_done=lambda _r: self._view_deleted(name),
                     on_error=lambda exc: show_error(self, self.tr("View not deleted"), error_text(exc)),
                     label=self.tr("Deleting the view"))

    def _view_deleted(self, name: str) -> None:
        self.status.setText(self.tr("Deleted the view “%1”.").replace("%1", name))
        self.views.setCurrentIndex(0)
        self.load_views()

    # -- export ---------------------------------------------------------------------------------------
    def export_csv(self, path: Path | str | None = None) -> None:
        if path is None:
            suggested = str(Path.home() / "portfolio.csv")
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Export the view to CSV"), suggested,
                                                    self.tr("CSV files (*.csv)"))
            if not chosen:
                return
            path = chosen
        ws, query, dest = self.ws, self.current_query(), Path(path)
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        self._submit(lambda: ws.portfolio.export_csv(query, dest, ws.actor),
                     on_done=lambda n: self._exported(n, dest), on_error=self._export_failed,
                     label=self.tr("Exporting the portfolio"))

    def _exported(self, rows: int, dest: Path) -> None:
        self.export_button.setEnabled(True)
        text = self.tr("Exported %1 clients to %2.").replace("%1", fmt().number(rows)).replace("%2", str(dest))
        self.status.setText(text)
        self.last_export_message = text
        show_info(self, self.tr("Export finished"), text)

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("Export failed."))
        show_error(self, self.tr("Export failed"), error_text(exc))

    # -- editing --------------------------------------------------------------------------------------
    def new_client(self) -> ClientEditDialog:
        from ui.dialogs.client_edit import ClientEditDialog

        dialog = ClientEditDialog(self.ws, self.tasks, None, self)
        dialog.saved.connect(lambda cid: self.refresh(keep=cid))
        dialog.open_existing.connect(lambda cid: emit(self.open_requested, cid))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def edit_client(self, client_id: str) -> ClientEditDialog:
        from ui.dialogs.client_edit import ClientEditDialog

        dialog = ClientEditDialog(self.ws, self.tasks, client_id, self)
        dialog.saved.connect(lambda cid: self.refresh(keep=cid))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        self._debounce.stop()
        if self._save_columns_timer.isActive():
            self.save_columns()
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        self.model.shutdown()


class PortfolioArea(QStackedWidget):
    """The area widget: the list, and the client 360 on top of it while a client is open."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area-portfolio")
        self.setAccessibleName(self.tr("Portfolio area"))
        self.area_id = "portfolio"
        self.ctx = ctx
        self.list = PortfolioView(ctx, self)
        self.list.open_requested.connect(self.open_client)
        self.addWidget(self.list)
        self.client_view: Client360View | None = None
        self._connected: list[tuple[Any, Any]] = []
        actions = ctx.actions
        if actions is not None:
            for action_id, slot in (("client.new", self.new_client), ("client.edit", self.edit_client)):
                try:
                    action = actions[action_id]
                except KeyError:
                    continue
                action.triggered.connect(slot)
                self._connected.append((action, slot))
        self._restyle()

    def _restyle(self) -> None:
        self.setStyleSheet(portfolio_sheet())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def open_client(self, client_id: str) -> Client360View:
        self._drop_client_view()
        from ui.views.client360 import Client360View

        view = Client360View(self.ctx, client_id, self)
        view.back_requested.connect(self.back)
        view.open_client.connect(self.open_client)
        view.changed.connect(lambda cid: self.list.refresh(keep=cid))
        self.client_view = view
        self.addWidget(view)
        self.setCurrentWidget(view)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        return view

    def back(self) -> None:
        self.setCurrentWidget(self.list)
        self.list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._drop_client_view()

    def _drop_client_view(self) -> None:
        view, self.client_view = self.client_view, None
        if view is not None:
            view.shutdown()
            self.removeWidget(view)
            view.deleteLater()

    def view_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"list": self.list.view_state()}
        if self.showing_client:
            state["client"] = self.client_view.client_id
            state["client_view"] = self.client_view.view_state()
        return state

    def restore_view_state(self, state: dict[str, Any]) -> None:
        self.list.restore_view_state(state.get("list", {}))
        if state.get("client"):
            self.open_client(state["client"]).restore_view_state(state.get("client_view", {}))

    @property
    def showing_client(self) -> bool:
        return self.client_view is not None and self.currentWidget() is self.client_view

    def new_client(self, _checked: bool = False) -> ClientEditDialog | None:
        if not self.isVisible():
            window = self.window()
            go = getattr(window, "go", None)
            if callable(go):
                go("portfolio")
        return self.list.new_client()

    def edit_client(self, _checked: bool = False) -> ClientEditDialog | None:
        if self.showing_client:
            return self.client_view.edit()
        if not self.isVisible():
            return None
        client_id = self.list.current_client_id()
        return self.list.edit_client(client_id) if client_id else None

    def shutdown(self) -> None:
        """Lock: cancel work, drop every client value (grid, 360, clipboard), close our dialogs."""
        for action, slot in self._connected:
            with contextlib.suppress(RuntimeError, TypeError):
                action.triggered.disconnect(slot)
        self._connected.clear()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        self._drop_client_view()
        self.list.shutdown()
        privacy.forget_all()


def build(ctx: ViewContext) -> QWidget:
    return PortfolioArea(ctx)


__all__ = ["PortfolioArea", "PortfolioView", "build"]
