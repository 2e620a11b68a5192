"""A small table model over rows already in hand (the lists inside one client's 360 view).

The 360 service call returns each list whole and short (holdings, tasks, complaints, surveys...);
this model only shows them: display text per cell, an optional key per row (UserRole), optional
tooltips and colours. Long lists (the interaction timeline) have their own paged model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

Role = Qt.ItemDataRole
KEY_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    cells: Sequence[str]
    key: Any = None
    tips: Sequence[str | None] = ()
    colours: dict[int, str] = field(default_factory=dict)  # column -> colour name


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], numeric: Sequence[int] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._numeric = set(numeric)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def key_at(self, row: int) -> Any:
        return self._rows[row].key if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Role.DisplayRole:
            return self._headers[section]
        if role == Role.TextAlignmentRole:
            return int(self._align(section))
        return None

    def _align(self, column: int) -> Qt.AlignmentFlag:
        horizontal = Qt.AlignmentFlag.AlignRight if column in self._numeric else Qt.AlignmentFlag.AlignLeft
        return horizontal | Qt.AlignmentFlag.AlignVCenter

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)
                                       and 0 <= index.column() < len(self._headers)):
            return None
        row, col = self._rows[index.row()], index.column()
        if role in (Role.DisplayRole, Role.AccessibleTextRole):
            return row.cells[col] if col < len(row.cells) else ""
        if role == Role.ToolTipRole:
            return row.tips[col] if col < len(row.tips) else None
        if role == Role.TextAlignmentRole:
            return int(self._align(col))
        if role == Role.ForegroundRole and col in row.colours:
            return QColor(row.colours[col])
        if role == KEY_ROLE:
            return row.key
        return None
