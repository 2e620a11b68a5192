"""A small table-model base for the agenda's lists: rows are frozen service dataclasses, columns are
declared once, sorting happens in memory (the lists are bounded: a month of agenda, the open
referrals) and keeps the selection through persistent indexes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.qtcompat import emit

ItemRole = Qt.ItemDataRole.UserRole  # the row's dataclass
SortRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # defaults to the text


class RowsModel(QAbstractTableModel):
    """Rows of dataclasses; subclasses declare `columns()` and may override `extra(row, col, role)`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._cols: list[Column] = self.columns()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.loading = False

    # -- to override -------------------------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def extra(self, row: Any, column: Column, role: int) -> Any:
        return None

    # -- data in -----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.loading = False
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_of(self, index: Index) -> Any | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def find(self, predicate: Callable[[Any], bool]) -> QModelIndex:
        for i, row in enumerate(self._rows):
            if predicate(row):
                return self.index(i, 0)
        return QModelIndex()

    def sort_key(self, row: int, column: int) -> tuple:
        """A comparable key for one cell (proxies sort with it)."""
        col = self._cols[column]
        return _sortable((col.sort or col.text)(self._rows[row]))

    def column_key(self, column: int) -> str:
        return self._cols[column].key

    # -- Qt API ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cols)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._cols)
                and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)):
            return self._cols[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_of(index)
        if row is None or not 0 <= index.column() < len(self._cols):
            return None
        column = self._cols[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == ItemRole:
            return row
        if role == SortRole:
            return (column.sort or column.text)(row)
        return self.extra(row, column, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._cols):
            return
        self._sort = (column, order)
        emit(self.layoutAboutToBeChanged)
        old = self.persistentIndexList()
        before = [self._rows[i.row()] if 0 <= i.row() < len(self._rows) else None for i in old]
        self._sort_rows(column, order)
        position = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(position[id(r)], i.column()) if r is not None else QModelIndex()
                  for i, r in zip(old, before, strict=True)])
        emit(self.layoutChanged)

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        col = self._cols[column]
        key = col.sort or col.text
        self._rows.sort(key=lambda r: _sortable(key(r)), reverse=order == Qt.SortOrder.DescendingOrder)


def _sortable(value: Any) -> tuple:
    """None sorts last; mixed types never raise."""
    return (value is None, str(type(value)), value if value is not None else 0)
