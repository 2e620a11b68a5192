"""The agenda's models.

* `AgendaModel`: the items (scheduled contacts, tasks with a due date, referrals due) of the period on
  screen, one row each, sortable; planned contacts can be dragged onto the calendar grid.
* `AgendaGridModel`: the same items laid out as a calendar: a week (days across, hour slots down, plus
  a row for items due on a day without a time) or a month (weekdays across, weeks down). Dropping a
  planned contact on a cell asks for it to move there (`move_requested`); the move itself is the
  view's job, done on the DB worker.

The period is bounded (at most a month), and the service answers it in one call, so these models hold
the whole period rather than pages; the long lists (overdue queue) are paged.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from app.services.schedule import CONTACT_KINDS, AgendaItem
from ui.format import fmt
from ui.models.agenda_base import Column, Index, ItemRole, RowsModel
from ui.qtcompat import emit
from ui.views.agenda_format import (
    Agenda,
    contact_kind_text,
    fmt_day,
    fmt_day_long,
    fmt_day_short,
    fmt_time,
    kind_text,
    status_colour,
    status_text,
)

MIME = "application/x-rmdesk-agenda-item"
MEETING_KINDS = frozenset({"meeting", "annual_review_meeting", "quarterly_review", "video_call"})
ItemsRole = Qt.ItemDataRole.UserRole + 10  # a grid cell's items
DayRole = Qt.ItemDataRole.UserRole + 11  # a grid cell's date
SlotRole = Qt.ItemDataRole.UserRole + 12  # a week cell's hour (None for the "due on the day" row)
FIRST_HOUR, LAST_HOUR = 7, 19  # week view slots 07:00 .. 19:00; earlier and later items sit at the ends

_LABEL_TO_KIND = {k.replace("_", " ").capitalize(): k for k in CONTACT_KINDS}


def contact_kind(item: AgendaItem) -> str | None:
    """A contact's kind (meeting, call, ...), read back from the service's "Kind: client" title."""
    if item.kind != "contact":
        return None
    label = item.title.split(":", 1)[0].strip()
    return _LABEL_TO_KIND.get(label, label.lower().replace(" ", "_"))


def is_movable(item: AgendaItem) -> bool:
    return item.kind == "contact" and item.status == "planned"


def is_meeting(item: AgendaItem) -> bool:
    return contact_kind(item) in MEETING_KINDS


def item_kind_text(item: AgendaItem) -> str:
    return contact_kind_text(contact_kind(item)) if item.kind == "contact" else kind_text(item.kind)


def item_what(item: AgendaItem) -> str:
    if item.kind == "contact":
        return item.detail or item_kind_text(item)
    return item.title


def item_status(item: AgendaItem) -> str:
    words = status_text(item.status)
    return Agenda.tr("{0}, overdue").format(words) if item.overdue else words


def item_sentence(item: AgendaItem) -> str:
    """One item in words, for screen readers and tooltips."""
    when = fmt_time(item.start) or Agenda.tr("due on the day")
    who = item.client_name or Agenda.tr("no client")
    return Agenda.tr("{0} {1}: {2} with {3}, {4}").format(when, item_kind_text(item), item_what(item), who,
                                                   item_status(item).lower())


def chip_text(item: AgendaItem, with_kind: bool = True) -> str:
    """An item in a calendar cell; the cue in front says done or overdue in text, not colour alone."""
    cue = "✓ " if item.status == "done" else ("! " if item.overdue else "")
    when = fmt_time(item.start)
    who = item.client_name or item_what(item)
    text = f"{cue}{when + ' ' if when else ''}{who}"
    return f"{text} · {item_kind_text(item)}" if with_kind else text


def encode_item(item: AgendaItem) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME, json.dumps({"kind": item.kind, "id": item.id}).encode())
    mime.setText(item_sentence(item))
    return mime


def decode_item(mime: QMimeData) -> tuple[str, str] | None:
    if not mime.hasFormat(MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(MIME).data()).decode())
        return str(payload["kind"]), str(payload["id"])
    except (ValueError, KeyError, TypeError):
        return None


class AgendaModel(RowsModel):
    """The period's items, one per row."""

    def columns(self) -> list[Column]:
        return [
            Column("when", self.tr("Time"), lambda i: fmt_time(i.start) or self.tr("Due"),
                   sort=lambda i: (i.day, i.start is not None, i.start.isoformat() if i.start else "")),
            Column("kind", self.tr("Kind"), item_kind_text),
            Column("client", self.tr("Client"), lambda i: i.client_name or "—"),
            Column("what", self.tr("What"), item_what),
            Column("status", self.tr("Status"), item_status, sort=lambda i: (not i.overdue, i.status)),
        ]

    def extra(self, row: AgendaItem, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [item_sentence(row)]
            if row.location:
                lines.append(self.tr("Where: {0}").format(row.location))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "status" and row.overdue:
            return status_colour("@error")
        if role == Qt.ItemDataRole.FontRole and column.key == "status" and row.overdue:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def items_on(self, day: date) -> list[AgendaItem]:
        return [i for i in self._rows if i.day == day]

    # -- drag ----------------------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        row = self.row_of(index)
        if row is not None and is_movable(row):
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        for index in indexes:
            row = self.row_of(index)
            if row is not None and is_movable(row):
                return encode_item(row)
        return QMimeData()

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction


class AgendaGridModel(QAbstractTableModel):
    """The period as a calendar grid (week or month); each cell holds the items that fall in it."""

    move_requested = Signal(str, object, object)  # contact id, new date, new hour (None: keep the time)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = "week"
        self.first = self.last = self.grid_start = date.today()
        self.today: date | None = None
        self._rows = 0
        self._cells: dict[tuple[int, int], list[AgendaItem]] = {}
        self.drag_item_id: str | None = None  # set by the view to the item under the mouse

    # -- data in -----------------------------------------------------------------------------------
    def set_period(self, mode: str, first: date, last: date, items: Sequence[AgendaItem],
                   today: date | None = None) -> None:
        if mode not in ("week", "month"):
            raise ValueError(mode)
        self.beginResetModel()
        self.mode, self.first, self.last, self.today = mode, first, last, today
        if mode == "week":
            self.grid_start = first
            self._rows = 1 + LAST_HOUR - FIRST_HOUR + 1
        else:
            self.grid_start = first - timedelta(days=first.weekday())
            self._rows = math.ceil(((last - self.grid_start).days + 1) / 7)
        self._cells = {}
        for item in items:
            cell = self._cell_of(item)
            if cell is not None:
                self._cells.setdefault(cell, []).append(item)
        self.endResetModel()

    def _cell_of(self, item: AgendaItem) -> tuple[int, int] | None:
        if not self.first <= item.day <= self.last:
            return None
        offset = (item.day - self.grid_start).days
        if self.mode == "month":
            return offset // 7, offset % 7
        if item.start is None:
            return 0, offset
        hour = min(max(item.start.hour, FIRST_HOUR), LAST_HOUR)
        return 1 + hour - FIRST_HOUR, offset

    # -- geometry ----------------------------------------------------------------------------------
    def day_at(self, index: Index) -> date | None:
        if not index.isValid():
            return None
        if self.mode == "week":
            return self.grid_start + timedelta(days=index.column())
        return self.grid_start + timedelta(days=index.row() * 7 + index.column())

    def slot_at(self, index: Index) -> int | None:
        if self.mode != "week" or not index.isValid() or index.row() == 0:
            return None
        return FIRST_HOUR + index.row() - 1

    def in_period(self, index: Index) -> bool:
        day = self.day_at(index)
        return day is not None and self.first <= day <= self.last

    def items_at(self, index: Index) -> list[AgendaItem]:
        if not index.isValid():
            return []
        return list(self._cells.get((index.row(), index.column()), ()))

    def index_of_item(self, item_id: str) -> QModelIndex:
        for (r, c), items in self._cells.items():
            if any(i.id == item_id for i in items):
                return self.index(r, c)
        return QModelIndex()

    def index_of_day(self, day: date, hour: int | None = None) -> QModelIndex:
        if not self.first <= day <= self.last:
            return QModelIndex()
        offset = (day - self.grid_start).days
        if self.mode == "month":
            return self.index(offset // 7, offset % 7)
        row = 0 if hour is None else 1 + min(max(hour, FIRST_HOUR), LAST_HOUR) - FIRST_HOUR
        return self.index(row, offset)

    def max_items_in_row(self, row: int) -> int:
        return max((len(v) for (r, _), v in self._cells.items() if r == row), default=0)

    # -- Qt API ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.FontRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < 7:
                return None
            day = self.grid_start + timedelta(days=section)
            if role == Qt.ItemDataRole.FontRole:
                if self.mode == "week" and day == self.today:
                    font = QFont()
                    font.setBold(True)
                    return font
                return None
            if self.mode == "week":
                text = fmt_day_short(day)
                if day == self.today and role == Qt.ItemDataRole.AccessibleTextRole:
                    return self.tr("{0} (today)").format(text)
                return f"{text} •" if day == self.today else text
            return fmt().weekday_name(day)
        if not 0 <= section < self._rows or role == Qt.ItemDataRole.FontRole:
            return None
        if self.mode == "week":
            if section == 0:
                return self.tr("Due")
            return fmt_time_of_hour(FIRST_HOUR + section - 1)
        week_start = self.grid_start + timedelta(days=section * 7)
        return self.tr("Week {0}").format(week_start.isocalendar()[1])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self._rows and 0 <= index.column() < 7):
            return None
        items = self._cells.get((index.row(), index.column()), [])
        day = self.day_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(chip_text(i) for i in items)
        if role == ItemsRole:
            return list(items)
        if role == DayRole:
            return day
        if role == SlotRole:
            return self.slot_at(index)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self._describe(index, day, items)
        if role == ItemRole:
            return items[0] if items else None
        return None

    def _describe(self, index: Index, day: date | None, items: list[AgendaItem]) -> str:
        if day is None:
            return ""
        where = fmt_day_long(day)
        slot = self.slot_at(index)
        if slot is not None:
            where = self.tr("{0}, {1}").format(where, fmt_time_of_hour(slot))
        if not self.in_period(index):
            return self.tr("{0} (outside this month)").format(where)
        if not items:
            return self.tr("{0}: nothing planned").format(where)
        return self.tr("{0}: {1}").format(where, "; ".join(item_sentence(i) for i in items))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.in_period(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if any(is_movable(i) for i in self.items_at(index)):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- drag and drop -----------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        for index in indexes:
            movable = [i for i in self.items_at(index) if is_movable(i)]
            chosen = next((i for i in movable if i.id == self.drag_item_id), movable[0] if movable else None)
            if chosen is not None:
                return encode_item(chosen)
        return QMimeData()

    def _target(self, row: int, column: int, parent: Index) -> QModelIndex | QPersistentModelIndex:
        if parent.isValid():
            return parent
        return self.index(row, column) if row >= 0 and column >= 0 else QModelIndex()

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                        parent: Index) -> bool:
        decoded = decode_item(data)
        return decoded is not None and decoded[0] == "contact" and self.in_period(self._target(row, column, parent))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: Index) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        target = self._target(row, column, parent)
        _, item_id = decode_item(data)  # type: ignore[misc]
        emit(self.move_requested, item_id, self.day_at(target), self.slot_at(target))
        return True


def fmt_time_of_hour(hour: int) -> str:
    return fmt().clock(time(hour))


__all__ = ["MIME", "AgendaGridModel", "AgendaModel", "DayRole", "ItemsRole", "SlotRole", "chip_text", "contact_kind",
           "decode_item", "encode_item", "fmt_day", "is_meeting", "is_movable", "item_sentence"]
