"""The overdue queue as a paged table model: clients behind their contact cadence, then overdue
contacts, tasks and referrals, most severe first (the service's order; the queue is not re-sorted).

Only the first page is fetched up front; other pages are fetched on the DB worker when a view asks
for one of their rows, and show a "Loading…" placeholder until they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from app.services.schedule import OverdueItem, OverduePage
from ui.i18n.app_messages import error_text
from ui.models.agenda_base import Index, ItemRole
from ui.qtcompat import emit
from ui.tasks import TaskHandle
from ui.views.agenda_format import fmt_day, kind_text, level_text, status_colour

PAGE_SIZE = 100


class OverdueModel(QAbstractTableModel):
    loaded = Signal()  # the first page (and the total) arrived
    failed = Signal(str)

    def __init__(self, tasks: Any, fetch: Callable[[int, int], OverduePage], page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._fetch = fetch
        self.page_size = page_size
        self.total = 0
        self.counts: dict[str, int] = {}
        self.loading = False
        self._pages: dict[int, tuple[OverdueItem, ...]] = {}
        self._asked: dict[int, TaskHandle] = {}
        self._generation = 0
        self._headers = [self.tr("Level"), self.tr("Kind"), self.tr("Client"), self.tr("What"), self.tr("Due"),
                         self.tr("Overdue by"), self.tr("Owner")]

    # -- loading -----------------------------------------------------------------------------------
    def reload(self) -> None:
        self.cancel()
        self._generation += 1
        generation = self._generation
        self.loading = True
        self._asked[0] = self._tasks.submit(
            self._fetch, 0, self.page_size, label=self.tr("Reading the overdue queue"),
            on_done=lambda page: self._first(generation, page),
            on_error=lambda exc: self._failed(generation, exc))

    def cancel(self) -> None:
        for handle in self._asked.values():
            handle.cancel()
        self._asked.clear()

    def _first(self, generation: int, page: OverduePage) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.total, self.counts = page.total, dict(page.counts)
        self._pages = {0: page.items}
        self._asked.clear()
        self.loading = False
        self.endResetModel()
        emit(self.loaded)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._asked.clear()
            self.loading = False
            emit(self.failed, error_text(exc))

    def _want(self, page_no: int) -> None:
        if page_no in self._pages or page_no in self._asked:
            return
        generation = self._generation
        self._asked[page_no] = self._tasks.submit(
            self._fetch, page_no * self.page_size, self.page_size, label=self.tr("Reading the overdue queue"),
            on_done=lambda page: self._arrived(generation, page_no, page),
            on_error=lambda exc: self._failed(generation, exc))

    def _arrived(self, generation: int, page_no: int, page: OverduePage) -> None:
        if generation != self._generation:
            return
        self._asked.pop(page_no, None)
        if page.total != self.total:  # the queue changed meanwhile: start again
            self.reload()
            return
        self._pages[page_no] = page.items
        first = page_no * self.page_size
        last = min(self.total, first + self.page_size) - 1
        if last >= first:
            emit(self.dataChanged, self.index(first, 0), self.index(last, self.columnCount() - 1))

    def item(self, row: int) -> OverdueItem | None:
        if not 0 <= row < self.total:
            return None
        page = self._pages.get(row // self.page_size)
        if page is None:
            return None
        offset = row % self.page_size
        return page[offset] if offset < len(page) else None

    def loaded_items(self) -> list[OverdueItem]:
        return [i for p in sorted(self._pages) for i in self._pages[p]]

    # -- Qt API ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers)
                and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.total and 0 <= index.column() < len(self._headers)):
            return None
        item = self.item(index.row())
        if item is None:
            self._want(index.row() // self.page_size)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.tr("Loading…") if index.column() == 0 else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, col)
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (item.title, item.detail) if x)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0:
            return status_colour("@error" if item.level == "red" else "@warn")
        if role == Qt.ItemDataRole.FontRole and col == 0 and item.level == "red":
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, item: OverdueItem, col: int) -> str:
        if col == 0:
            return level_text(item.level)
        if col == 1:
            return kind_text(item.kind)
        if col == 2:
            return item.client_name or "—"
        if col == 3:
            return item.title
        if col == 4:
            return fmt_day(item.due)
        if col == 5:
            return self.tr("%n day(s)", "", item.days_overdue) if item.days_overdue else self.tr("due today")
        return item.owner_name or ""

    def summary(self) -> str:
        if self.loading and not self.total:
            return self.tr("Reading the overdue queue…")
        if not self.total:
            return self.tr("Nothing overdue.")
        n = {k: self.counts.get(k, 0) for k in ("cadence", "contact", "task", "referral")}
        parts = [(n["cadence"], self.tr("%n client(s) behind their cadence", "", n["cadence"])),
                 (n["contact"], self.tr("%n contact(s) not yet held", "", n["contact"])),
                 (n["task"], self.tr("%n task(s) overdue", "", n["task"])),
                 (n["referral"], self.tr("%n referral(s) overdue", "", n["referral"]))]
        return ", ".join(text for count, text in parts if count)
