"""One client's interaction timeline, newest first, fetched 50 at a time as the view scrolls.

`canFetchMore` / `fetchMore` (the view calls them when the scroll bar reaches the bottom) submit
the next page to the DB worker; rows are appended when it arrives. Changing the channel filter
starts a new generation: the model resets and late pages of the old filter are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.services.clients import InteractionView
from ui.format import fmt
from ui.i18n.app_messages import error_text
from ui.models.client_labels import channel_name, direction_name, state_name
from ui.qtcompat import emit

Role = Qt.ItemDataRole
ID_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractTableModel):
    PAGE = 50

    page_loaded = Signal(int)  # rows now held
    failed = Signal(str)

    def __init__(self, tasks: Any, fetch: Callable[[int, int, str | None], list[InteractionView]],
                 parent: Any = None) -> None:
        """`fetch(offset, limit, channel)` runs on the DB worker (ClientService.timeline)."""
        super().__init__(parent)
        self._tasks = tasks
        self._fetch = fetch
        self.headers = [self.tr("When"), self.tr("Channel"), self.tr("Direction"), self.tr("Subject"), self.tr("Outcome"), self.tr("Notes")]
        self._rows: list[InteractionView] = []
        self._channel: str | None = None
        self._generation = 0
        self._exhausted = True  # nothing to fetch until seeded or filtered
        self._handle: Any = None

    @property
    def channel(self) -> str | None:
        return self._channel

    @property
    def loading(self) -> bool:
        return self._handle is not None

    def _restart(self, rows: Sequence[InteractionView], exhausted: bool) -> None:
        """A new generation holding `rows`: the page on its way (of the old one) is cancelled and dropped."""
        self._generation += 1
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.beginResetModel()
        self._rows = list(rows)
        self._exhausted = exhausted
        self.endResetModel()

    def seed(self, rows: Sequence[InteractionView]) -> None:
        """Start from rows already fetched with the 360 view (the newest page, no channel filter)."""
        self._channel = None
        self._restart(rows, len(rows) < self.PAGE)

    def set_channel(self, channel: str | None) -> None:
        self._channel = channel or None
        self._restart([], False)
        self._load()

    def _load(self) -> None:
        if self._handle is not None or self._exhausted:
            return
        generation, offset, channel = self._generation, len(self._rows), self._channel
        self._handle = self._tasks.submit(
            self._fetch, offset, self.PAGE, channel,
            on_done=lambda rows: self._arrived(generation, rows),
            on_error=lambda exc: self._failed(generation, exc), label=self.tr("Loading the timeline"))

    def _arrived(self, generation: int, rows: list[InteractionView]) -> None:
        if generation != self._generation:
            return
        self._exhausted = len(rows) < self.PAGE
        if rows:  # still "loading" while inserting: a fetchMore from a view's slot must not re-enter
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._handle = None
        emit(self.page_loaded, len(self._rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._handle = None
            self._exhausted = True
            emit(self.failed, error_text(exc))

    def shutdown(self) -> None:
        self._restart([], True)

    def interaction_at(self, row: int) -> InteractionView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt model API ---------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._exhausted and self._handle is None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not parent.isValid():
            self._load()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Role.DisplayRole and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self.headers)):
            return None
        i = self._rows[index.row()]
        col = index.column()
        if role in (Role.DisplayRole, Role.AccessibleTextRole):
            f = fmt()
            if col == 0:
                return f.datetime(i.occurred_at)
            if col == 1:
                return channel_name(i.channel)
            if col == 2:
                return direction_name(i.direction)
            if col == 3:
                return i.subject or state_name(i.purpose)
            if col == 4:
                return state_name(i.outcome)
            return (i.notes or "").splitlines()[0] if i.notes else ""
        if role == Role.ToolTipRole and col in (3, 5) and i.notes:
            return i.notes
        if role == ID_ROLE:
            return i.id
        return None
