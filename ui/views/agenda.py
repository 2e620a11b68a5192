"""The Agenda area: today, this week or this month; the overdue queue and referrals beside it.

Every read and write goes to the DB worker through ui.tasks; the widgets only hold the plain
dataclasses the schedule service returns. Commands are the registry's `agenda.*` actions (so they
have shortcuts and appear in menus); the toolbar buttons trigger the same actions.

    Alt+1 / Alt+2 / Alt+3      day / week / month          Alt+PgUp / Alt+Home / Alt+PgDown  move
    Ctrl+Shift+N  schedule      Ctrl+Shift+L  log           Ctrl+Shift+R  reschedule
    Ctrl+Shift+Del cancel       Ctrl+Shift+D  task done     Ctrl+Shift+M  compose
    Ctrl+Shift+P  review pack   Ctrl+Shift+F  referral
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.schedule import CONTACT_KINDS, AgendaItem, OverdueItem, ReferralView, view_range
from ui.dialogs.compose import ComposeDialog, safe_name
from ui.dialogs.ics_import import IcsExportDialog, IcsImportDialog
from ui.dialogs.log_interaction import LogInteractionDialog, next_contact_sentence
from ui.dialogs.messages import describe
from ui.dialogs.referral import ReferralDialog, ReferralStatusDialog
from ui.dialogs.schedule_contact import CancelContactDialog, ScheduleContactDialog, describe_contact
from ui.models.agenda_base import ItemRole
from ui.models.agenda_model import MEETING_KINDS, AgendaGridModel, AgendaModel, contact_kind
from ui.tasks import Jobs
from ui.tray import ReminderCenter
from ui.views.agenda_calendar import CalendarGridView, DayFilter
from ui.views.agenda_format import (
    contact_kind_text,
    fmt_day,
    fmt_day_long,
    fmt_day_short,
    fmt_month,
    fmt_when,
)
from ui.views.agenda_panels import OverduePanel, ReferralsPanel, list_view
from ui.views.agenda_widgets import AgendaDialog, Banner

log = logging.getLogger(__name__)
MODES = ("day", "week", "month")
NO_REPORTS = QT_TRANSLATE_NOOP("AgendaView", "Review packs arrive with the reports module")
_NOT_HELD = " not yet held"
_LABEL_TO_KIND = {k.replace("_", " ").capitalize(): k for k in CONTACT_KINDS}


@dataclass(frozen=True)
class Target:
    """What the item commands act on: the selected agenda item, overdue entry or referral."""

    kind: str  # contact, task, referral, cadence
    id: str
    client_id: str | None
    client_name: str | None
    status: str
    contact_kind: str | None = None
    start: datetime | None = None
    day: date | None = None

    @classmethod
    def of_agenda(cls, item: AgendaItem) -> Target:
        return cls(item.kind, item.id, item.client_id, item.client_name, item.status, contact_kind(item),
                   item.start, item.day)

    @classmethod
    def of_overdue(cls, item: OverdueItem) -> Target:
        kind_of_contact = None
        status = {"contact": "planned", "task": "open", "referral": "open"}.get(item.kind, "due")
        if item.kind == "contact" and item.title.endswith(_NOT_HELD):
            label = item.title[: -len(_NOT_HELD)]
            kind_of_contact = _LABEL_TO_KIND.get(label, label.lower().replace(" ", "_"))
        return cls(item.kind, item.id, item.client_id, item.client_name, status, kind_of_contact, None, item.due)

    @classmethod
    def of_referral(cls, r: ReferralView) -> Target:
        return cls("referral", r.id, r.client_id, r.client_name, r.status, None, None, r.due_on)

    @property
    def planned_contact(self) -> bool:
        return self.kind == "contact" and self.status == "planned"

    @property
    def open_task(self) -> bool:
        return self.kind == "task" and self.status == "open"

    @property
    def meeting(self) -> bool:
        return self.kind == "contact" and self.contact_kind in MEETING_KINDS


def shift(anchor: date, mode: str, step: int) -> date:
    if mode == "day":
        return anchor + timedelta(days=step)
    if mode == "week":
        return anchor + timedelta(days=7 * step)
    month = anchor.month - 1 + step
    return date(anchor.year + month // 12, month % 12 + 1, 1)


class AgendaView(QWidget):
    REMINDER_POLL_MS = ReminderCenter.POLL_MS

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("area-agenda")
        self.setAccessibleName(self.tr("Agenda area"))
        self.area_id = "agenda"
        self.ctx = ctx
        self.ws = ctx.workstation
        self.tasks = ctx.tasks
        self.actions = ctx.actions if ctx.actions is not None else self._own_actions()
        self.jobs = Jobs(self.tasks)
        self.mode = "day"
        self.anchor: date | None = None
        self.today: date | None = None
        self.first = self.last = None
        self.target: Target | None = None
        self._source = "agenda"
        self._generation = 0
        self._connections: list[tuple[Any, Any]] = []
        self._follow: str | None = None  # select this item when the period arrives
        self.dialog: AgendaDialog | None = None
        self.reports_available = getattr(type(self.ws), "reports", None) is not None
        self.loaded_once = False

        self.model = AgendaModel(self)
        self.grid_model = AgendaGridModel(self)
        self.proxy = DayFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self._wire()
        self.reminders = ReminderCenter(self.ws, self.tasks, self, interval_ms=self.REMINDER_POLL_MS)
        self._shut_down = False
        self._load_when_shown = False
        QTimer.singleShot(0, self, self._start)

    # -- building ----------------------------------------------------------------------------------
    def _own_actions(self) -> Any:
        from ui.actions import ActionRegistry, agenda_specs, calendar_exchange_specs

        return ActionRegistry(self, agenda_specs() + calendar_exchange_specs())

    def _tool(self, action_id: str, text: str | None = None, *, checkable: bool = False,
              icon: QStyle.StandardPixmap | None = None) -> QToolButton:
        action = self.actions[action_id]
        button = QToolButton(objectName=f"btn-{action_id}")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon if icon is not None
                                  else Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setAutoRaise(False)
        button.setProperty("agendaTool", True)
        if text is None:
            button.setDefaultAction(action)
        else:
            button.setText(text)
            button.setToolTip(action.toolTip())
            button.setCheckable(checkable)
            button.clicked.connect(lambda _=False, a=action: a.trigger())
        button.setAccessibleName((text or action.iconText()).replace("&", ""))
        if icon is not None:
            button.setIcon(self.style().standardIcon(icon))
        return button

    def _build(self) -> None:
        title = QLabel(self.tr("Agenda"))
        title.setProperty("role", "title")
        self.period_label = QLabel(objectName="periodLabel")
        self.period_label.setProperty("role", "subtitle")
        self.period_label.setAccessibleName(self.tr("Period shown"))
        self.loading = QLabel(self.tr("Loading…"), objectName="agendaLoading")
        self.loading.setProperty("role", "muted")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(self.period_label, 1, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.loading, 0, Qt.AlignmentFlag.AlignBottom)

        self.view_buttons = {m: self._tool(f"agenda.view_{m}", text, checkable=True)
                             for m, text in (("day", self.tr("Day")), ("week", self.tr("Week")),
                                             ("month", self.tr("Month")))}
        self.prev_button = self._tool("agenda.previous", self.tr("Previous"), icon=QStyle.StandardPixmap.SP_ArrowBack)
        self.today_button = self._tool("agenda.today", self.tr("Today"))
        self.next_button = self._tool("agenda.next", self.tr("Next"), icon=QStyle.StandardPixmap.SP_ArrowForward)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.export_button = self._tool("agenda.export_ics", self.tr("Export .ics…"))
        self.import_button = self._tool("agenda.import_ics", self.tr("Import .ics…"))
        bar = QHBoxLayout()
        bar.setSpacing(4)
        for b in self.view_buttons.values():
            bar.addWidget(b)
        bar.addSpacing(14)
        for b in (self.prev_button, self.today_button, self.next_button):
            bar.addWidget(b)
        bar.addStretch()
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)

        self.item_buttons = [self._tool(a) for a in (
            "agenda.schedule", "agenda.log", "agenda.reschedule", "agenda.cancel", "agenda.done",
            "agenda.compose", "agenda.referral", "agenda.print_pack")]
        commands = QHBoxLayout()
        commands.setSpacing(4)
        for b in self.item_buttons:
            commands.addWidget(b)
        commands.addStretch()

        self.notice = Banner(self)
        self.notice.setObjectName("agendaNotice")
        self._notice_timer = QTimer(self, singleShot=True, interval=12_000)
        self._notice_timer.timeout.connect(self.notice.clear)

        self.grid = CalendarGridView()
        self.grid.setModel(self.grid_model)
        self.grid.setAccessibleName(self.tr("Calendar"))
        self.caption = QLabel(objectName="dayCaption")
        self.caption.setStyleSheet("font-weight: 600;")
        self.items = list_view("agendaItems", self.tr("Agenda items"))
        self.items.setModel(self.proxy)
        self.items.setSortingEnabled(True)
        self.items.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.items.setDragEnabled(True)
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((80, 140, 140, 230)):
            self.items.setColumnWidth(col, width)
        self.empty = QLabel(objectName="agendaEmpty")
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(objectName="itemDetail", wordWrap=True)
        self.detail.setProperty("role", "muted")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        list_box = QWidget()
        list_col = QVBoxLayout(list_box)
        list_col.setContentsMargins(0, 0, 0, 0)
        list_col.addWidget(self.caption)
        list_col.addWidget(self.items, 1)
        list_col.addWidget(self.empty)
        list_col.addWidget(self.detail)
        self.calendar_split = QSplitter(Qt.Orientation.Vertical, objectName="calendarSplit")
        self.calendar_split.addWidget(self.grid)
        self.calendar_split.addWidget(list_box)
        self.calendar_split.setStretchFactor(0, 3)
        self.calendar_split.setStretchFactor(1, 1)
        self.calendar_split.setChildrenCollapsible(False)

        self.overdue = OverduePanel(self.ws, self.tasks)
        self.referrals = ReferralsPanel(self.ws, self.tasks)
        self.side = QTabWidget(objectName="agendaSide")
        self.side.setAccessibleName(self.tr("Overdue and referrals"))
        self.side.addTab(self.overdue, self.tr("Overdue"))
        self.side.addTab(self.referrals, self.tr("Referrals"))

        self.split = QSplitter(Qt.Orientation.Horizontal, objectName="agendaSplit")
        self.split.addWidget(self.calendar_split)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)

        self.setStyleSheet(
            'QToolButton[agendaTool="true"] { padding: 3px 9px; }'
            ' QToolButton[agendaTool="true"]:checked { background: palette(highlight);'
            ' color: palette(highlighted-text); border: 1px solid palette(highlight); border-radius: 3px; }')
        col = QVBoxLayout(self)
        col.setContentsMargins(16, 12, 16, 12)
        col.setSpacing(8)
        col.addLayout(head)
        col.addLayout(bar)
        col.addLayout(commands)
        col.addWidget(self.notice)
        col.addWidget(self.split, 1)

        chain = [*self.view_buttons.values(), self.prev_button, self.today_button, self.next_button,
                 self.export_button, self.import_button, *self.item_buttons, self.grid, self.items, self.side,
                 self.referrals.new_button, self.referrals.status_button, self.referrals.show_closed,
                 self.referrals.table, self.overdue.table]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._apply_mode()

    def _wire(self) -> None:
        group = self._group = QActionGroup(self)
        group.setExclusive(True)
        for m in MODES:
            action = self.actions[f"agenda.view_{m}"]
            action.setCheckable(True)
            group.addAction(action)
            self._connect(action.triggered, getattr(self, f"show_{m}"))
            self._connect(action.toggled, self.view_buttons[m].setChecked)
        for action_id, slot in (
                ("agenda.previous", self.previous), ("agenda.next", self.next), ("agenda.today", self.go_today),
                ("agenda.schedule", self.schedule), ("agenda.log", self.log_interaction),
                ("agenda.reschedule", self.reschedule), ("agenda.cancel", self.cancel_contact),
                ("agenda.done", self.mark_done), ("agenda.compose", self.compose),
                ("agenda.print_pack", self.print_review_pack), ("agenda.referral", self.new_referral),
                ("agenda.export_ics", self.export_ics), ("agenda.import_ics", self.import_ics)):
            self._connect(self.actions[action_id].triggered, slot)
        self.items.selectionModel().currentRowChanged.connect(self._item_current)
        self.items.activated.connect(self._item_activated)
        self.grid.selectionModel().currentChanged.connect(self._cell_current)
        self.grid.chip_pressed.connect(self._chip_pressed)
        self.grid.activated.connect(lambda _i: self.items.setFocus())
        self.grid_model.move_requested.connect(self.move_contact)
        self.overdue.current_changed.connect(lambda item: self._from_side("overdue", item))
        self.overdue.activated.connect(self._overdue_activated)
        self.referrals.current_changed.connect(lambda item: self._from_side("referral", item))
        self.referrals.activated.connect(lambda r: r is not None and self.referral_status(r))
        self.referrals.status_button.clicked.connect(lambda: self.referral_status(self.referrals.current()))
        self.referrals.new_button.clicked.connect(self.new_referral)
        self.side.currentChanged.connect(self._side_changed)
        for widget in (self.items, self.grid, self.overdue.table, self.referrals.table):
            widget.installEventFilter(self)  # focus moving between the lists changes what commands act on

    def _connect(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not getattr(self, "_sized", False) and self.width() > 0:
            self._sized = True
            total = max(self.split.width(), 800)
            self.split.setSizes([round(total * 0.64), total - round(total * 0.64)])
        if self._load_when_shown and not self._shut_down and not self.tasks.closed:
            self._load_when_shown = False
            self.refresh()

    def _start(self) -> None:
        if self._shut_down or self.tasks.closed:
            return  # shut down before its first turn of the event loop (an unlock, then a rebuild, lock or quit)
        self.reminders.start()
        self.update_actions()
        # Built in the background while another area is on screen, the agenda waits to be looked at:
        # its overdue queue works out every client's cadence, and on a large book that would hold the
        # single DB worker (and so the portfolio's filter) for a second or two.
        if self.isVisible():
            self.refresh()
        else:
            self._load_when_shown = True

    # -- loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load_period()
        self.overdue.reload()
        self.referrals.reload()

    def load_period(self) -> None:
        self._generation += 1
        generation, mode, anchor, ws = self._generation, self.mode, self.anchor, self.ws

        def fetch() -> tuple:
            service = ws.schedule
            today = service.today()
            first, last = view_range(mode, anchor or today)
            return today, anchor or today, first, last, service.agenda(first, last)

        self.loading.setVisible(True)
        self.jobs.run(fetch, on_done=lambda result: self._period(generation, mode, result),
                      on_error=lambda exc: self._period_failed(generation, exc), label=self.tr("Reading the agenda"))

    def _period(self, generation: int, mode: str, result: tuple) -> None:
        if generation != self._generation:
            return
        self.today, self.anchor, self.first, self.last, items = result
        keep = self._follow or (self.target.id if self.target is not None and self._source == "agenda" else None)
        self._follow = None
        selected_day = self.proxy.day
        self.model.set_rows(items)
        if mode != "day":
            self.grid_model.set_period(mode, self.first, self.last, items, self.today)
            self.grid.relayout()
        self.loading.setVisible(False)
        self.loaded_once = True
        self._show_period()
        found = self._select_item(keep) if keep else False
        if not found and mode != "day":
            day = selected_day if selected_day and self.first <= selected_day <= self.last else None
            if day is None:
                day = self.today if self.first <= self.today <= self.last else self.first
            self._select_day(day)
        self._update_empty()
        if self._source == "agenda" and not found:
            self._set_target(self._agenda_current())

    def _period_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading.setVisible(False)
            self.say(self.tr("The agenda could not be read: {0}").format(describe(exc)), "error")

    def _show_period(self) -> None:
        if self.first is None:
            return
        if self.mode == "day":
            text = fmt_day_long(self.first)
            if self.first == self.today:
                text = self.tr("Today, {0}").format(text)
        elif self.mode == "week":
            text = self.tr("{0} – {1} · week {2}").format(fmt_day_short(self.first), fmt_day(self.last),
                                                          self.first.isocalendar()[1])
        else:
            text = fmt_month(self.first)
        self.period_label.setText(text)
        self.period_label.setAccessibleDescription(text)

    def _update_empty(self) -> None:
        shown = self.proxy.rowCount()
        if self.mode == "day":
            self.caption.setText(self.tr("%n item(s)", "", shown))
        elif self.proxy.day is not None:
            self.caption.setText(self.tr("{0}: {1}").format(fmt_day_long(self.proxy.day),
                                                            self.tr("%n item(s)", "", shown)))
        self.empty.setVisible(shown == 0)
        self.empty.setText(self.tr("Nothing on the agenda for this day.") if shown == 0 else "")

    # -- modes and moves -----------------------------------------------------------------------------
    def _apply_mode(self) -> None:
        self.grid.setVisible(self.mode != "day")
        for m, button in self.view_buttons.items():
            button.setChecked(m == self.mode)
        if self.mode == "day":
            self.proxy.set_day(None)

    def _bring_forward(self) -> None:
        if not self.isVisible() and self.ctx.actions is not None:
            with contextlib.suppress(KeyError):
                self.ctx.actions["go.agenda"].trigger()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self._bring_forward()
        self.actions[f"agenda.view_{mode}"].setChecked(True)
        if mode == self.mode and self.loaded_once:
            return
        self.mode = mode
        self._apply_mode()
        self.load_period()

    def show_day(self) -> None:
        self.set_mode("day")

    def show_week(self) -> None:
        self.set_mode("week")

    def show_month(self) -> None:
        self.set_mode("month")

    def previous(self) -> None:
        self._step(-1)

    def next(self) -> None:
        self._step(1)

    def _step(self, step: int) -> None:
        self._bring_forward()
        if self.anchor is None:
            return
        self.anchor = shift(self.anchor, self.mode, step)
        self.proxy.set_day(None if self.mode == "day" else self.anchor)
        self.load_period()

    def go_today(self) -> None:
        self._bring_forward()
        self.anchor = None
        self.proxy.set_day(None if self.mode == "day" else self.today)
        self.load_period()

    def go_to(self, day: date, mode: str | None = None) -> None:
        """Show the period around `day` (tests and other areas use this)."""
        if mode is not None and mode != self.mode:
            self.mode = mode
            self.actions[f"agenda.view_{mode}"].setChecked(True)
            self._apply_mode()
        self.anchor = day
        if self.mode != "day":
            self.proxy.set_day(day)
        self.load_period()

    # -- selection ---------------------------------------------------------------------------------
    def _agenda_current(self) -> Target | None:
        index = self.items.currentIndex()
        item = self.proxy.data(index, ItemRole) if index.isValid() else None
        return Target.of_agenda(item) if item is not None else None

    def _select_item(self, item_id: str) -> bool:
        source = self.model.find(lambda i: i.id == item_id)
        if not source.isValid():
            return False
        item = self.model.row_of(source)
        if self.mode != "day":
            self._select_day(item.day, keep_list=True)
            cell = self.grid_model.index_of_item(item_id)
            if cell.isValid():
                self.grid.selectionModel().setCurrentIndex(cell, self.grid.selectionModel().SelectionFlag.ClearAndSelect)
        index = self.proxy.mapFromSource(source)
        if index.isValid():
            self.items.setCurrentIndex(index)
            self.items.scrollTo(index)
        self._source = "agenda"
        self._set_target(Target.of_agenda(item))
        return True

    def _select_day(self, day: date, keep_list: bool = False) -> None:
        self.proxy.set_day(day)
        cell = self.grid_model.index_of_day(day)
        if cell.isValid() and not keep_list:
            self.grid.blockSignals(True)
            self.grid.selectionModel().setCurrentIndex(cell, self.grid.selectionModel().SelectionFlag.ClearAndSelect)
            self.grid.blockSignals(False)
        self._update_empty()

    def _cell_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        day = self.grid_model.day_at(index)
        if day is None or not self.grid_model.in_period(index):
            return
        self.proxy.set_day(day)
        self._update_empty()
        items = self.grid_model.items_at(index)
        if items:
            self._select_in_list(items[0].id)
        self._source = "agenda"
        self._set_target(self._agenda_current())

    def _chip_pressed(self, item: AgendaItem) -> None:
        self._select_in_list(item.id)
        self._source = "agenda"
        self._set_target(Target.of_agenda(item))

    def _select_in_list(self, item_id: str) -> None:
        source = self.model.find(lambda i: i.id == item_id)
        index = self.proxy.mapFromSource(source)
        if index.isValid():
            self.items.setCurrentIndex(index)

    def _item_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        item = self.proxy.data(index, ItemRole) if index.isValid() else None
        self._source = "agenda"
        self._set_target(Target.of_agenda(item) if item is not None else None)

    def _from_side(self, source: str, item: Any) -> None:
        if item is None:
            if self._source == source:
                self._set_target(None)
            return
        self._source = source
        self._set_target(Target.of_overdue(item) if source == "overdue" else Target.of_referral(item))

    def _side_changed(self, _index: int) -> None:
        panel = self.side.currentWidget()
        if panel is self.overdue and self.overdue.current() is not None:
            self._from_side("overdue", self.overdue.current())
        elif panel is self.referrals and self.referrals.current() is not None:
            self._from_side("referral", self.referrals.current())

    def eventFilter(self, obj: Any, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.FocusIn:
            self._focus_changed(obj)
        return False

    def _focus_changed(self, new: QWidget) -> None:
        if new in (self.items, self.grid):
            self._source = "agenda"
            self._set_target(self._agenda_current())
        elif new is self.overdue.table and self.overdue.current() is not None:
            self._from_side("overdue", self.overdue.current())
        elif new is self.referrals.table and self.referrals.current() is not None:
            self._from_side("referral", self.referrals.current())

    def _set_target(self, target: Target | None) -> None:
        self.target = target
        self._show_detail()
        self.update_actions()

    def _show_detail(self) -> None:
        t = self.target
        if t is None or self._source != "agenda":
            self.detail.setText("")
            return
        item = self.model.row_of(self.model.find(lambda i: i.id == t.id))
        if item is None:
            self.detail.setText("")
            return
        parts = [p for p in (item.detail if item.kind != "contact" else None, item.location and
                             self.tr("Where: {0}").format(item.location)) if p]
        if item.kind == "contact" and item.detail:
            parts.insert(0, self.tr("Purpose: {0}").format(item.detail))
        self.detail.setText(" · ".join(parts))

    def update_actions(self) -> None:
        t = self.target
        has_client = t is not None and bool(t.client_id)
        states = {
            "agenda.log": has_client,
            "agenda.reschedule": t is not None and t.planned_contact,
            "agenda.cancel": t is not None and t.planned_contact,
            "agenda.done": t is not None and t.open_task,
            "agenda.compose": has_client,
            "agenda.print_pack": self.reports_available and t is not None and t.meeting and has_client,
            "agenda.schedule": True,
            "agenda.referral": True,
        }
        for action_id, enabled in states.items():
            self.actions[action_id].setEnabled(enabled)
        pack = self.actions["agenda.print_pack"]
        if not hasattr(self, "_pack_tips"):  # the registry's own words (an earlier view may have changed them)
            spec = getattr(self.actions, "specs", {}).get("agenda.print_pack")
            tip = spec.status_tip() if spec is not None else pack.statusTip()
            keys = pack.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            self._pack_tips = (f"{tip} ({keys})" if keys else tip, tip)
        if not self.reports_available:
            pack.setToolTip(self.tr(NO_REPORTS))
            pack.setStatusTip(self.tr(NO_REPORTS))
        elif not pack.isEnabled():
            pack.setToolTip(self.tr("Select a meeting or review to print its client's review pack"))
        else:
            pack.setToolTip(self._pack_tips[0])
            pack.setStatusTip(self._pack_tips[1])

    # -- saying what happened ------------------------------------------------------------------------
    def say(self, text: str, kind: str = "info") -> None:
        self.notice.show_message(text, kind)
        if kind == "info":
            self._notice_timer.start()
        else:
            self._notice_timer.stop()
        window = self.window()
        if isinstance(window, QMainWindow) and kind == "info":
            window.statusBar().showMessage(text, 8000)

    def _failed(self, what: str) -> Any:
        return lambda exc: self.say(self.tr("{0} failed: {1}").format(what, describe(exc)), "error")

    # -- dialogs -------------------------------------------------------------------------------------
    def _open(self, dialog: AgendaDialog) -> AgendaDialog:
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):
                self.dialog.reject()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        dialog.open()
        return dialog

    def _closed(self, dialog: AgendaDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _item_target(self) -> Target | None:
        """The target, if the agenda area is where the user is (shortcuts are window-wide)."""
        if not self.isVisible():
            return None
        return self.target

    def _with_contact(self, then: Any) -> None:
        t = self._item_target()
        if t is None or t.kind != "contact":
            return
        ws, contact_id = self.ws, t.id
        self.jobs.run(lambda: ws.schedule.scheduled_contact(contact_id), on_done=then,
                      on_error=self._failed(self.tr("Reading the contact")), label=self.tr("Reading the contact"))

    # -- commands ------------------------------------------------------------------------------------
    def schedule(self) -> None:
        if not self.isVisible():
            self._bring_forward()
        t = self.target
        client = (t.client_id, t.client_name or "") if t is not None and t.client_id else None
        day = self.proxy.day or self.anchor
        if day is not None and self.today is not None and day < self.today:
            day = self.today
        dialog = ScheduleContactDialog(self.ws, self.tasks, client=client, day=day, parent=self)
        dialog.saved.connect(self._scheduled)
        self._open(dialog)

    def _scheduled(self, view: Any) -> None:
        self.say(self.tr("Scheduled: {0} with {1}, {2}.").format(contact_kind_text(view.kind), view.client_name,
                                                                 fmt_when(view.start)))
        self._follow = view.id
        self._follow_day(view.start.date())
        self.overdue.reload()

    def _follow_day(self, day: date) -> None:
        """Show the period that holds `day` (a contact moved or scheduled out of view)."""
        if self.first is None or not self.first <= day <= self.last:
            self.anchor = day
        if self.mode != "day":
            self.proxy.set_day(day)
        self.load_period()

    def log_interaction(self) -> None:
        t = self._item_target()
        if t is None or not t.client_id:
            return
        if t.planned_contact:
            self._with_contact(lambda view: self._log_dialog(t, view))
        else:
            self._log_dialog(t, None)

    def _log_dialog(self, t: Target, contact: Any) -> None:
        if contact is not None and contact.status != "planned":
            contact = None
        dialog = LogInteractionDialog(
            self.ws, self.tasks, t.client_id, t.client_name or "", contact_id=contact.id if contact else None,
            contact_text=(f"{contact_kind_text(contact.kind).lower()} ({fmt_when(contact.start)})"
                          if contact else ""),
            contact_kind=contact.kind if contact else t.contact_kind, contact_start=contact.start if contact else None,
            parent=self)
        dialog.logged.connect(self._logged)
        self._open(dialog)

    def _logged(self, logged: Any) -> None:
        sentence = next_contact_sentence(logged)
        self.say(self.tr("Interaction logged. {0}").format(sentence).strip())
        self.refresh()

    def reschedule(self) -> None:
        self._with_contact(self._reschedule_dialog)

    def _reschedule_dialog(self, contact: Any) -> None:
        dialog = ScheduleContactDialog(self.ws, self.tasks, contact_id=contact.id,
                                       client=(contact.client_id, contact.client_name),
                                       start=contact.start.replace(tzinfo=None), duration_min=contact.duration_min,
                                       kind=contact.kind, purpose=contact.purpose or "",
                                       location=contact.location or "", parent=self)
        dialog.saved.connect(self._moved)
        self._open(dialog)

    def _moved(self, view: Any) -> None:
        self.say(self.tr("Moved: {0} with {1} to {2}.").format(contact_kind_text(view.kind), view.client_name,
                                                               fmt_when(view.start)))
        self._follow = view.id
        self._follow_day(view.start.date())
        self.overdue.reload()

    def move_contact(self, contact_id: str, day: date, hour: int | None) -> None:
        """A planned contact dropped on another day (and, in the week view, hour)."""
        item = self.model.row_of(self.model.find(lambda i: i.id == contact_id))
        start = None if item is None or item.start is None else item.start
        old_time = start.time().replace(tzinfo=None) if start is not None else time(10, 0)
        new_time = old_time if hour is None else time(hour, old_time.minute)
        when = datetime.combine(day, new_time)
        if start is not None and when == start.replace(tzinfo=None):
            return
        ws = self.ws
        self.jobs.run(lambda: ws.schedule.reschedule(contact_id, when), on_done=self._moved,
                      on_error=self._failed(self.tr("Moving the contact")), label=self.tr("Moving the contact"))

    def cancel_contact(self) -> None:
        self._with_contact(self._cancel_dialog)

    def _cancel_dialog(self, contact: Any) -> None:
        dialog = CancelContactDialog(self.ws, self.tasks, contact.id,
                                     describe_contact(contact.kind, contact.client_name, contact.start), parent=self)
        dialog.cancelled.connect(self._cancelled)
        self._open(dialog)

    def _cancelled(self, view: Any) -> None:
        self.say(self.tr("Cancelled: {0} with {1} on {2}.").format(contact_kind_text(view.kind), view.client_name,
                                                                   fmt_when(view.start)))
        self.refresh()

    def mark_done(self) -> None:
        t = self._item_target()
        if t is None or not t.open_task:
            return
        ws, task_id = self.ws, t.id
        self.jobs.run(lambda: ws.schedule.complete_task(task_id), on_done=self._task_done,
                      on_error=self._failed(self.tr("Marking the task done")), label=self.tr("Marking the task done"))

    def _task_done(self, task: Any) -> None:
        self.say(self.tr("Done: {0}.").format(task.title))
        self._follow = task.id
        self.refresh()

    def compose(self) -> None:
        t = self._item_target()
        if t is None or not t.client_id:
            return
        self._open(ComposeDialog(self.ws, self.tasks, t.client_id, t.client_name or "", parent=self))

    def new_referral(self) -> None:
        if not self.isVisible():
            self._bring_forward()
        t = self.target
        client = (t.client_id, t.client_name or "") if t is not None and t.client_id else None
        dialog = ReferralDialog(self.ws, self.tasks, client=client, parent=self)
        dialog.created.connect(self._referred)
        self._open(dialog)

    def _referred(self, view: ReferralView) -> None:
        due = self.tr(", due {0}").format(fmt_day(view.due_on)) if view.due_on else ""
        self.say(self.tr("Referred {0} to {1}{2}.").format(view.client_name, view.department, due))
        self.side.setCurrentWidget(self.referrals)
        self.refresh()

    def referral_status(self, referral: ReferralView | None) -> None:
        if referral is None:
            return
        dialog = ReferralStatusDialog(self.ws, self.tasks, referral, parent=self)
        dialog.changed.connect(self._referral_changed)
        self._open(dialog)

    def _referral_changed(self, view: ReferralView) -> None:
        self.say(self.tr("Referral to {0} for {1} is now {2}.").format(
            view.department, view.client_name, view.status.replace("_", " ")))
        self.refresh()

    def export_ics(self) -> None:
        self._bring_forward()
        dialog = IcsExportDialog(self.ws, self.tasks, parent=self)
        dialog.exported.connect(lambda n, path: self.say(self.tr("Exported {0} to {1}.").format(
            self.tr("%n contact(s)", "", n), path)))
        self._open(dialog)

    def import_ics(self) -> None:
        self._bring_forward()
        dialog = IcsImportDialog(self.ws, self.tasks, parent=self)
        dialog.imported.connect(lambda result: self._imported(result))
        self._open(dialog)

    def _imported(self, result: Any) -> None:
        if result.contact_ids:
            self._follow = result.contact_ids[0]
        self.refresh()

    def print_review_pack(self, path: str | None = None) -> None:
        t = self._item_target()
        if t is None or not t.meeting or not t.client_id or not self.reports_available:
            return
        if not path:
            day = (t.start.date() if t.start else t.day) or date.today()
            suggested = str(Path.home() / f"Review pack - {safe_name(t.client_name or '')} - {day.isoformat()}.pdf")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the review pack"), suggested,
                                                  self.tr("PDF documents (*.pdf)"))
            if not path:
                return
        ws, client_id, target = self.ws, t.client_id, Path(path)
        self.jobs.run(lambda: ws.reports.save_review_pack(client_id, target), on_done=self._pack_saved,
                      on_error=self._failed(self.tr("Printing the review pack")),
                      label=self.tr("Printing the review pack"))

    def _pack_saved(self, path: Any) -> None:
        where = Path(path) if path else None
        self.say(self.tr("Review pack saved to {0}.").format(where))
        if where is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(where)))

    # -- activation (Enter / double-click) -----------------------------------------------------------
    def _item_activated(self, index: QModelIndex) -> None:
        item = self.proxy.data(index, ItemRole)
        if item is None:
            return
        self._source = "agenda"
        self._set_target(Target.of_agenda(item))
        if item.kind == "referral":
            ws, rid = self.ws, item.id
            self.jobs.run(lambda: ws.schedule.referral(rid), on_done=self.referral_status,
                          on_error=self._failed(self.tr("Reading the referral")))
        elif item.client_id:
            self.log_interaction()

    def _overdue_activated(self, item: OverdueItem | None) -> None:
        if item is None:
            return
        self._from_side("overdue", item)
        if item.kind == "cadence":
            self.schedule()
        elif item.kind == "referral":
            ws, rid = self.ws, item.id
            self.jobs.run(lambda: ws.schedule.referral(rid), on_done=self.referral_status,
                          on_error=self._failed(self.tr("Reading the referral")))
        else:
            self.log_interaction()

    # -- state kept over a rebuild (see ui/main_window.py) ---------------------------------------------
    def view_state(self) -> dict[str, Any]:
        item = self.target.id if self.target is not None and self._source == "agenda" else None
        return {"mode": self.mode, "anchor": self.anchor, "day": self.proxy.day, "item": self._follow or item,
                "side": self.side.currentIndex()}

    def restore_view_state(self, state: dict[str, Any]) -> None:
        """Before the first load (`_start` runs on the next turn of the event loop, or when shown)."""
        mode = state.get("mode", self.mode)
        if mode in MODES:
            self.mode = mode
            self.actions[f"agenda.view_{mode}"].setChecked(True)
            self._apply_mode()
        self.anchor = state.get("anchor")
        if self.mode != "day":
            self.proxy.set_day(state.get("day"))  # the day picked in the grid, kept by _period
        self._follow = state.get("item")
        self.side.setCurrentIndex(state.get("side", 0))

    # -- end -----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Called before the area is destroyed (lock, quit): no callback may reach it afterwards."""
        self._shut_down = True
        self._generation += 1
        self.jobs.cancel()
        self.overdue.shutdown()
        self.referrals.shutdown()
        self.reminders.shutdown()
        for dialog in self.findChildren(AgendaDialog):
            dialog.jobs.cancel()
            dialog.reject()
        for signal, slot in self._connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._connections.clear()
        for m in MODES:
            self._group.removeAction(self.actions[f"agenda.view_{m}"])
