"""The agenda's calendar grid (week and month) and the list of items under it.

Each grid cell paints its items as "chips" (time, client, kind; a ✓ or ! in front says done or
overdue in text as well as colour). A planned contact's chip can be dragged to another cell: another
day (month view), or another day and hour (week view). The keyboard way to move a contact is the
Reschedule dialog; arrow keys move between cells and the list below shows the chosen day's items.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.services.schedule import AgendaItem
from ui.format import fmt
from ui.models.agenda_base import RowsModel
from ui.models.agenda_model import AgendaGridModel, chip_text, is_movable
from ui.qtcompat import emit
from ui.views.agenda_format import status_colour

Index = QModelIndex | QPersistentModelIndex


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * amount), round(a.green() + (b.green() - a.green()) * amount),
                  round(a.blue() + (b.blue() - a.blue()) * amount))


def stripe_colour(item: AgendaItem, palette: QPalette) -> QColor:
    if item.overdue:
        return status_colour("@error")
    if item.status == "done":
        return status_colour("@ok")
    if item.kind == "task":
        return status_colour("@ok")
    if item.kind == "referral":
        return status_colour("@warn")
    return palette.color(QPalette.ColorRole.Highlight)


class ChipDelegate(QStyledItemDelegate):
    PAD = 3
    GAP = 2

    def chip_height(self, option: QStyleOptionViewItem | None = None) -> int:
        metrics = option.fontMetrics if option is not None else self.parent().fontMetrics()
        return metrics.height() + 6

    def _header_height(self, model: AgendaGridModel, metrics: Any) -> int:
        return metrics.height() + 2 if model.mode == "month" else 0

    def chips(self, index: Index, rect: QRect, metrics: Any) -> tuple[list[tuple[QRect, AgendaItem]], int]:
        """The chip rectangles that fit in the cell, and how many items did not fit."""
        model: AgendaGridModel = index.model()
        items = model.items_at(index)
        h = metrics.height() + 6
        y = rect.top() + self.PAD + self._header_height(model, metrics)
        out: list[tuple[QRect, AgendaItem]] = []
        for n, item in enumerate(items):
            room_for_more = n == len(items) - 1 or y + 2 * h + self.GAP <= rect.bottom()
            if y + h > rect.bottom() + 1 or not room_for_more:
                return out, len(items) - n
            out.append((QRect(rect.left() + self.PAD, y, rect.width() - 2 * self.PAD, h), item))
            y += h + self.GAP
        return out, 0

    def item_at(self, index: Index, rect: QRect, pos: QPoint, metrics: Any) -> AgendaItem | None:
        chips, _ = self.chips(index, rect, metrics)
        for chip_rect, item in chips:
            if chip_rect.contains(pos):
                return item
        return None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model: AgendaGridModel = index.model()
        palette = option.palette
        rect = option.rect
        metrics = option.fontMetrics
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        in_period = model.in_period(index)
        day = model.day_at(index)
        background = base if in_period else palette.color(QPalette.ColorRole.Window)
        if in_period and day == model.today:
            background = blend(base, highlight, 0.10)
        painter.fillRect(rect, background)
        if option.state & QStyle.StateFlag.State_Selected:
            pen = painter.pen()
            pen.setColor(highlight)
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if model.mode == "month" and day is not None:
            font = QFont(option.font)
            if day == model.today:
                font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_colour if in_period else muted)
            label = fmt().number(day.day) + (" •" if day == model.today else "")
            painter.drawText(rect.adjusted(6, 2, -6, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)
            painter.setFont(option.font)
        chips, hidden = self.chips(index, rect, metrics)
        for chip_rect, item in chips:
            stripe = stripe_colour(item, palette)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(blend(base, stripe, 0.16))
            painter.drawRoundedRect(chip_rect, 4, 4)
            painter.setBrush(stripe)
            painter.drawRoundedRect(QRect(chip_rect.left(), chip_rect.top(), 4, chip_rect.height()), 2, 2)
            painter.setPen(muted if item.status == "done" else text_colour)
            text_rect = chip_rect.adjusted(8, 0, -4, 0)
            text = chip_text(item)
            if metrics.horizontalAdvance(text) > text_rect.width():
                text = chip_text(item, with_kind=False)  # the client matters more than the kind
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        if hidden:
            painter.setPen(muted)
            y = chips[-1][0].bottom() + 1 if chips else rect.top() + self.PAD + self._header_height(model, metrics)
            more = QRect(rect.left() + 8, y, rect.width() - 12, rect.bottom() - y)
            painter.drawText(more, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.tr("+{0} more").format(hidden))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 (Qt API)
        model: AgendaGridModel = index.model()
        metrics = option.fontMetrics
        lines = max(1, len(model.items_at(index)))
        if model.mode == "month":
            lines = max(3, lines)
        height = self._header_height(model, metrics) + lines * (metrics.height() + 6 + self.GAP) + 2 * self.PAD
        return QSize(120, height)


class CalendarGridView(QTableView):
    """A week or month grid; pressing a chip picks that item (and is where a drag starts)."""

    chip_pressed = Signal(object)  # AgendaItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaGrid")
        self.delegate = ChipDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(True)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setHighlightSections(False)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)

    def grid_model(self) -> AgendaGridModel:
        return self.model()

    def relayout(self) -> None:
        """Rows fit their items (week) or share the height (month)."""
        header = self.verticalHeader()
        if self.grid_model().mode == "month":
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(self.delegate.chip_height() * 3 + 10)
        else:
            header.setMinimumSectionSize(self.delegate.chip_height() + 8)
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def item_at(self, pos: QPoint) -> AgendaItem | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        return self.delegate.item_at(index, self.visualRect(index), pos, self.fontMetrics())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        item = self.item_at(event.position().toPoint())
        model = self.grid_model()
        model.drag_item_id = item.id if item is not None and is_movable(item) else None
        super().mousePressEvent(event)
        if item is not None:
            emit(self.chip_pressed, item)


class DayFilter(QSortFilterProxyModel):
    """The list under the grid: the items of one day (all of them when `day` is None), sortable."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.day: date | None = None

    def set_day(self, day: date | None) -> None:
        if day != self.day:
            self.beginFilterChange()
            self.day = day
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 (Qt API)
        if self.day is None:
            return True
        model: RowsModel = self.sourceModel()
        row = model.row_of(model.index(source_row, 0, source_parent))
        return row is not None and row.day == self.day

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 (Qt API)
        model: RowsModel = self.sourceModel()
        return model.sort_key(left.row(), left.column()) < model.sort_key(right.row(), right.column())
