"""The portfolio grid: a sparse, paged table model over PortfolioService.

* `rowCount()` is the total from `count()`, so the scroll bar is right from the first page; rows
  come in 200-row pages fetched on demand when the view asks for a row whose page is not loaded.
  Such cells show "…" until the page arrives.
* Every query runs on the DB worker (ui.tasks). A new query (filter, sort, refresh) bumps a
  generation counter and cancels what is in flight; a late result from an older generation is dropped.
* At most `MAX_PAGES` pages are kept (least recently used go first), so scrolling through a
  100,000-client book never holds the whole book in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from app.services.portfolio import PortfolioQuery, PortfolioRow
from ui.format import fmt
from ui.i18n import TranslationContext
from ui.i18n.app_messages import error_text
from ui.models.client_labels import status_colour
from ui.qtcompat import emit

PLACEHOLDER = "…"
Role = Qt.ItemDataRole
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # the PortfolioQuery sort key
    title: str
    tip: str
    numeric: bool = False


class PortfolioColumns(TranslationContext):
    """The translation context of the grid's column titles and tips."""


def columns() -> list[Column]:
    return [
        Column("name", PortfolioColumns.tr("Client"), PortfolioColumns.tr("Client name")),
        Column("segment", PortfolioColumns.tr("Segment"), PortfolioColumns.tr("Service segment")),
        Column("tier", PortfolioColumns.tr("Loyalty\ntier"), PortfolioColumns.tr("Loyalty programme tier")),
        Column("aum", PortfolioColumns.tr("AUM"), PortfolioColumns.tr("Total balances / assets under management"), True),
        Column("revenue", PortfolioColumns.tr("Revenue\n12m"), PortfolioColumns.tr("Revenue over the last 12 months"), True),
        Column("products", PortfolioColumns.tr("Products"), PortfolioColumns.tr("Number of products held"), True),
        Column("last_contact", PortfolioColumns.tr("Last\ncontact"), PortfolioColumns.tr("Date of the last recorded interaction")),
        Column("next_contact", PortfolioColumns.tr("Next contact\ndue"), PortfolioColumns.tr("When the next contact is due by the segment's cadence")),
        Column("complaints", PortfolioColumns.tr("Open\ncomplaints"), PortfolioColumns.tr("Complaints not yet closed"), True),
        Column("satisfaction", PortfolioColumns.tr("CSAT"), PortfolioColumns.tr("Last customer satisfaction score (1 to 5)"), True),
        Column("verified", PortfolioColumns.tr("Data\nverified"), PortfolioColumns.tr("When the client's details were last verified")),
    ]


class PortfolioModel(QAbstractTableModel):
    PAGE = 200
    MAX_PAGES = 40

    loaded = Signal(int)  # a query's first page and total arrived: the total
    page_loaded = Signal(int)  # page index
    failed = Signal(str)

    def __init__(self, tasks: Any, service: Callable[[], Any], parent: Any = None) -> None:
        """`service()` returns a PortfolioService; it is called on the worker only."""
        super().__init__(parent)
        self._tasks = tasks
        self._service = service
        self.columns = columns()
        self._query = PortfolioQuery()
        self._generation = 0
        self._total = 0
        self._pages: OrderedDict[int, list[PortfolioRow]] = OrderedDict()
        self._wanted: set[int] = set()
        self._in_flight: dict[int, Any] = {}  # page -> handle
        self._reset_handle: Any = None
        self._segment_names: dict[str, str] = {}
        self.loading = False
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._request_wanted)

    # -- queries --------------------------------------------------------------------------------------
    @property
    def query(self) -> PortfolioQuery:
        return self._query

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def total(self) -> int:
        return self._total

    def set_segment_names(self, names: dict[str, str]) -> None:
        self._segment_names = dict(names)
        if self._total:
            emit(self.dataChanged, self.index(0, 1), self.index(self._total - 1, 1), [Role.DisplayRole])

    def set_query(self, query: PortfolioQuery) -> None:
        """Run `query`: the rows on screen stay until its first page arrives, then the model resets."""
        self._query = query
        self._generation += 1
        self._cancel_in_flight()
        self.loading = True
        generation = self._generation

        def first_page() -> tuple[int, list[PortfolioRow]]:
            svc = self._service()
            return svc.count(query), svc.page(query, 0, self.PAGE).rows

        self._reset_handle = self._tasks.submit(
            first_page, on_done=lambda result: self._first_page(generation, result),
            on_error=lambda exc: self._failed(generation, exc), label=self.tr("Loading the portfolio"))

    def refresh(self) -> None:
        self.set_query(self._query)

    def _first_page(self, generation: int, result: tuple[int, list[PortfolioRow]]) -> None:
        if generation != self._generation:
            return  # an older query's answer
        total, rows = result
        self._reset_handle = None
        self.beginResetModel()
        self._total = total
        self._pages.clear()
        self._wanted.clear()
        self._pages[0] = rows
        self.loading = False
        self.endResetModel()
        emit(self.loaded, total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self._reset_handle = None
        emit(self.failed, error_text(exc))

    def _want(self, page: int) -> None:
        if self.loading or page in self._pages or page in self._in_flight or page in self._wanted:
            return
        self._wanted.add(page)
        if not self._flush.isActive():
            self._flush.start()

    def _request_wanted(self) -> None:
        if self.loading:
            self._wanted.clear()
            return
        generation, query = self._generation, self._query
        for page in sorted(self._wanted):
            if page in self._pages or page in self._in_flight:
                continue

            def fetch(p: int = page) -> list[PortfolioRow]:
                return self._service().page(query, p * self.PAGE, self.PAGE).rows

            self._in_flight[page] = self._tasks.submit(
                fetch, on_done=lambda rows, p=page: self._page_arrived(generation, p, rows),
                on_error=lambda exc, p=page: self._page_failed(generation, p, exc),
                label=self.tr("Loading rows"))
        self._wanted.clear()

    def _page_arrived(self, generation: int, page: int, rows: list[PortfolioRow]) -> None:
        if generation != self._generation:
            return
        self._in_flight.pop(page, None)
        self._pages[page] = rows
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        first = page * self.PAGE
        last = min(first + self.PAGE, self._total) - 1
        if last >= first:
            emit(self.dataChanged, self.index(first, 0), self.index(last, self.columnCount() - 1))
        emit(self.page_loaded, page)

    def _page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._in_flight.pop(page, None)
            emit(self.failed, error_text(exc))

    def _cancel_in_flight(self) -> None:
        for handle in self._in_flight.values():
            handle.cancel()
        self._in_flight.clear()
        self._wanted.clear()
        if self._reset_handle is not None:
            self._reset_handle.cancel()
            self._reset_handle = None

    def shutdown(self) -> None:
        """Cancel what is in flight and forget every row (the workstation is locking)."""
        self._generation += 1
        self._cancel_in_flight()
        self._flush.stop()
        self.beginResetModel()
        self._pages.clear()
        self._total = 0
        self.endResetModel()

    # -- rows -----------------------------------------------------------------------------------------
    def loaded_pages(self) -> list[int]:
        return sorted(self._pages)

    def row_at(self, row: int) -> PortfolioRow | None:
        page = self._pages.get(row // self.PAGE)
        if page is None:
            return None
        offset = row % self.PAGE
        return page[offset] if offset < len(page) else None

    def client_id_at(self, row: int) -> str | None:
        r = self.row_at(row)
        return r.client_id if r else None

    def find_row(self, client_id: str) -> int | None:
        """The row of `client_id` among the loaded pages, if it is there."""
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.client_id == client_id:
                    return page * self.PAGE + i
        return None

    # -- Qt model API ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Role.DisplayRole:
            return col.title
        if role == Role.AccessibleTextRole:
            return col.title.replace("-\n", "").replace("\n", " ")
        if role in (Role.ToolTipRole, Role.AccessibleDescriptionRole):
            return col.tip
        if role == Role.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if col.numeric else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._total and 0 <= index.column() < len(self.columns)):
            return None
        col = self.columns[index.column()]
        if role == Role.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if col.numeric else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        page = index.row() // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            self._want(page)
            return PLACEHOLDER if role in (Role.DisplayRole, Role.AccessibleTextRole) else None
        self._pages.move_to_end(page)
        offset = index.row() % self.PAGE
        if offset >= len(rows):
            return PLACEHOLDER if role == Role.DisplayRole else None
        r = rows[offset]
        if role in (Role.DisplayRole, Role.AccessibleTextRole):
            return self._text(r, col.key, role == Role.AccessibleTextRole)
        if role == Role.ToolTipRole:
            return self._tip(r, col.key)
        if role == Role.ForegroundRole:
            return self._colour(r, col.key)
        if role == Role.FontRole and col.key == "next_contact" and r.contact_level == 2:
            font = QFont()
            font.setBold(True)
            return font
        if role == CLIENT_ID_ROLE:
            return r.client_id
        if role == ROW_ROLE:
            return r
        return None

    def _text(self, r: PortfolioRow, key: str, spoken: bool = False) -> str:
        f = fmt()
        if key == "name":
            return r.name
        if key == "segment":
            return r.segment_name or self._segment_names.get(r.segment or "", r.segment or "")
        if key == "tier":
            return r.tier or ""
        if key == "aum":
            return f.money_short(r.aum)
        if key == "revenue":
            return f.money_short(r.revenue_12m)
        if key == "products":
            return f.number(r.products)
        if key == "last_contact":
            return f.grid_date(r.last_contact) if r.last_contact else self.tr("Never")
        if key == "next_contact":
            when = f.grid_date(r.next_contact)
            if r.contact_level == 2:
                return self.tr("Overdue · %1").replace("%1", when) if when else self.tr("Overdue")
            if r.contact_level == 1:
                return self.tr("Due soon · %1").replace("%1", when) if when else self.tr("Due soon")
            return when
        if key == "complaints":
            return f.number(r.open_complaints) if r.open_complaints else ("0" if spoken else "–")
        if key == "satisfaction":
            return "" if r.satisfaction is None else self.tr("%1 / 5").replace("%1", f.number(r.satisfaction))
        if key == "verified":
            return f.grid_date(r.verified_on)
        return ""

    def _tip(self, r: PortfolioRow, key: str) -> str | None:
        f = fmt()
        if key == "last_contact" and r.last_contact:
            return f"{f.datetime(r.last_contact)} ({f.ago(r.last_contact)})"
        if key == "next_contact" and r.next_contact:
            state = {2: self.tr("Overdue"), 1: self.tr("Due soon")}.get(r.contact_level, self.tr("On track"))
            return f"{state}: {f.date(r.next_contact)} ({f.ago(r.next_contact)})"
        if key == "verified" and r.verified_on:
            return f"{f.date(r.verified_on)} ({f.ago(r.verified_on)})"
        if key in ("aum", "revenue"):
            return f.money(r.aum if key == "aum" else r.revenue_12m)
        if key == "name":
            return r.name
        return None

    @staticmethod
    def _colour(r: PortfolioRow, key: str) -> QColor | None:
        if key == "next_contact" and r.contact_level:
            return QColor(status_colour("@error" if r.contact_level == 2 else "@warn"))
        if key == "complaints" and r.open_complaints:
            return QColor(status_colour("@error"))
        if key == "aum" and r.aum < 0:
            return QColor(status_colour("@error"))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self.columns[column].key
        if (key, descending) == (self._query.sort, self._query.descending):
            return
        self.set_query(self._query.sorted_by(key, descending))

    def sort_column(self) -> int:
        for i, col in enumerate(self.columns):
            if col.key == self._query.sort:
                return i
        return 0
