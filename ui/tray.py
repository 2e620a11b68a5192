"""Task reminders while the app runs: a poller asks the schedule service (on the DB worker) for
reminders that are due, every minute and when the workstation is unlocked, and shows them.

* With a system tray, each new reminder is a desktop notification; the tray icon's menu snoozes
  (15 minutes, 1 hour, tomorrow morning) or dismisses the current one.
* Always, an in-window bar at the foot of the window shows the current reminder with the same
  buttons, so the choices are one Tab away (tray balloons carry no buttons). With no tray at all
  (offscreen, some desktops) the bar is the only notice.

The poller lives with the agenda area: it is built on unlock and shut down on lock, so nothing is
read or shown while the workstation is locked.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QWidget,
)

from app.services.schedule import Reminder
from ui.dialogs.messages import describe
from ui.icons import icon
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.agenda_format import fmt_when, status_colour

log = logging.getLogger(__name__)
POLL_MS = 60_000
MORNING = time(9, 0)
SNOOZES = ("15min", "1h", "tomorrow")


def snooze_until(choice: str, reminder: Reminder, now: datetime | None = None) -> datetime:
    """When a snoozed reminder comes back; 'tomorrow' is 09:00 tomorrow on the branch's clock."""
    now = now or datetime.now(UTC)
    if choice == "15min":
        return now + timedelta(minutes=15)
    if choice == "1h":
        return now + timedelta(hours=1)
    if choice == "tomorrow":
        tz = reminder.remind_at.tzinfo
        local_today = now.astimezone(tz).date()
        return datetime.combine(local_today + timedelta(days=1), MORNING, tz)
    raise ValueError(choice)


def reminder_text(r: Reminder) -> str:
    parts = [r.title]
    if r.client_name:
        parts.append(r.client_name)
    text = " — ".join(parts)
    if r.due_at is not None:
        text += QApplication.translate("Reminders", " (due {0})").format(fmt_when(r.due_at))
    return text


class ReminderBar(QFrame):
    """The in-window notice: the reminder in words and Snooze / Dismiss buttons."""

    snooze = Signal(str)  # one of SNOOZES
    dismiss = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBar")
        self.setAccessibleName(self.tr("Reminder"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(objectName="reminderText", wordWrap=True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.count = QLabel(objectName="reminderCount")
        self.count.setProperty("role", "muted")
        self.snooze_15 = QPushButton(self.tr("Snooze 15 min"), objectName="snooze15")
        self.snooze_1h = QPushButton(self.tr("Snooze 1 hour"), objectName="snooze1h")
        self.snooze_tomorrow = QPushButton(self.tr("Tomorrow"), objectName="snoozeTomorrow")
        self.snooze_tomorrow.setToolTip(self.tr("Remind me again tomorrow at 09:00"))
        self.snooze_tomorrow.setAccessibleName(self.tr("Snooze until tomorrow"))
        self.dismiss_button = QPushButton(self.tr("Dismiss"), objectName="dismissReminder")
        self.dismiss_button.setToolTip(self.tr("Stop reminding; the task stays open on the agenda"))
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        title = QLabel(self.tr("Reminder:"))
        title.setStyleSheet("font-weight: 600;")
        row.addWidget(title)
        row.addWidget(self.label, 1)
        row.addWidget(self.count)
        for button, choice in ((self.snooze_15, "15min"), (self.snooze_1h, "1h"), (self.snooze_tomorrow, "tomorrow")):
            button.clicked.connect(lambda _=False, c=choice: emit(self.snooze, c))
            row.addWidget(button)
        self.dismiss_button.clicked.connect(lambda _=False: emit(self.dismiss))
        row.addWidget(self.dismiss_button)
        self._paint()
        self.setVisible(False)

    def show_reminder(self, reminder: Reminder, position: int, total: int) -> None:
        self.label.setText(reminder_text(reminder))
        self.count.setText(self.tr("{0} of {1}").format(position, total) if total > 1 else "")
        self.setAccessibleDescription(reminder_text(reminder))
        self.setVisible(True)
        self.raise_()

    def set_busy(self, busy: bool) -> None:
        for b in (self.snooze_15, self.snooze_1h, self.snooze_tomorrow, self.dismiss_button):
            b.setEnabled(not busy)

    def _paint(self) -> None:
        colour = status_colour("@warn").name()
        if getattr(self, "_painted", None) == colour:  # setStyleSheet itself sends a PaletteChange
            return
        self._painted = colour
        self.setStyleSheet(f"QFrame#reminderBar {{ background: palette(base); border: 1px solid {colour};"
                           f" border-left: 6px solid {colour}; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint()
        super().changeEvent(event)


class ReminderCenter(QObject):
    """Polls for due reminders and shows them (tray and/or bar); snoozes and dismisses on the worker."""

    changed = Signal()  # reminders were read again
    POLL_MS = POLL_MS

    def __init__(self, workstation: Any, tasks: Any, anchor: QWidget, *, interval_ms: int = POLL_MS,
                 use_tray: bool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent or anchor)
        self._ws = workstation
        self._jobs = Jobs(tasks)
        self._anchor = anchor  # a widget in the window the bar belongs to
        self.reminders: list[Reminder] = []
        self._notified: set[tuple[str, datetime]] = set()
        self.bar: ReminderBar | None = None
        self._host: QWidget | None = None
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        self.tray: QSystemTrayIcon | None = None
        if use_tray is None:
            use_tray = QSystemTrayIcon.isSystemTrayAvailable()
        if use_tray:
            self._build_tray()

    # -- polling -----------------------------------------------------------------------------------
    def start(self) -> None:
        self.poll()
        self.timer.start()

    def poll(self) -> None:
        ws, owner = self._ws, getattr(getattr(self._ws, "user", None), "id", None)
        self._jobs.run(lambda: ws.schedule.reminders_due(datetime.now(UTC), owner_id=owner), on_done=self._arrived,
                       on_error=lambda exc: log.warning("Reading reminders failed: %s", describe(exc)),
                       label=self.tr("Checking reminders"))

    def _arrived(self, reminders: tuple[Reminder, ...]) -> None:
        self.reminders = list(reminders)
        fresh = [r for r in self.reminders if (r.task_id, r.remind_at) not in self._notified]
        for r in fresh:
            self._notified.add((r.task_id, r.remind_at))
        if fresh and self.tray is not None:
            title = self.tr("Reminder") if len(fresh) == 1 else self.tr("%n reminder(s)", "", len(fresh))
            self.tray.showMessage(title, "\n".join(reminder_text(r) for r in fresh[:3]),
                                  QSystemTrayIcon.MessageIcon.Information, 15_000)
        self._show_current()
        emit(self.changed)

    @property
    def current(self) -> Reminder | None:
        return self.reminders[0] if self.reminders else None

    # -- acting --------------------------------------------------------------------------------------
    def snooze(self, choice: str) -> None:
        reminder = self.current
        if reminder is None:
            return
        until = snooze_until(choice, reminder)
        ws, task_id = self._ws, reminder.task_id
        self._act(lambda: ws.schedule.snooze_reminder(task_id, until), task_id)

    def dismiss(self) -> None:
        reminder = self.current
        if reminder is None:
            return
        ws, task_id = self._ws, reminder.task_id
        self._act(lambda: ws.schedule.dismiss_reminder(task_id), task_id)

    def _act(self, fn: Any, task_id: str) -> None:
        # hide it at once (the user has answered); the next poll brings back anything still due
        self.reminders = [r for r in self.reminders if r.task_id != task_id]
        self._show_current()
        if self.bar is not None:
            self.bar.set_busy(True)
        self._jobs.run(fn, on_done=lambda _v: self._acted(), on_error=self._failed,
                       label=self.tr("Updating the reminder"))

    def _acted(self) -> None:
        if self.bar is not None:
            self.bar.set_busy(False)
        self.poll()

    def _failed(self, exc: BaseException) -> None:
        if self.bar is not None:
            self.bar.set_busy(False)
        log.warning("Updating a reminder failed: %s", describe(exc))
        self.poll()

    # -- showing -------------------------------------------------------------------------------------
    def _show_current(self) -> None:
        reminder = self.current
        if self.tray is not None:
            self._tray_menu_enabled(reminder is not None)
            self.tray.setToolTip(self.tr("RM Desk: {0}").format(reminder_text(reminder)) if reminder
                                 else self.tr("RM Desk: no reminders"))
        if reminder is None:
            if self.bar is not None:
                self.bar.setVisible(False)
            return
        bar = self._ensure_bar()
        if bar is not None:
            bar.show_reminder(reminder, 1, len(self.reminders))
            self._place()

    def _ensure_bar(self) -> ReminderBar | None:
        host = self._anchor.window()
        if host is None:
            return None
        if self.bar is not None and self._host is host:
            return self.bar
        if self.bar is not None:
            self.bar.deleteLater()
        if self._host is not None:
            self._host.removeEventFilter(self)
        self._host = host
        self.bar = ReminderBar(host)
        self.bar.snooze.connect(self.snooze)
        self.bar.dismiss.connect(self.dismiss)
        host.installEventFilter(self)
        return self.bar

    def _place(self) -> None:
        """At the foot of the window's content (above the status bar), across its width."""
        if self.bar is None or self._host is None:
            return
        host = self._host
        area = host.rect()
        if isinstance(host, QMainWindow) and host.centralWidget() is not None:
            area = host.centralWidget().geometry()
        margin = 12
        width = max(200, area.width() - 2 * margin)
        self.bar.setFixedWidth(width)
        height = self.bar.sizeHint().height()
        self.bar.setGeometry(area.left() + margin, area.bottom() - height - margin + 1, width, height)
        self.bar.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self._host and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) \
                and self.bar is not None and self.bar.isVisible():
            self._place()
        return False

    # -- tray ----------------------------------------------------------------------------------------
    def _build_tray(self) -> None:
        app = QApplication.instance()
        tray_icon = app.windowIcon() if app is not None and not app.windowIcon().isNull() else icon("agenda")
        self.tray = QSystemTrayIcon(tray_icon, self)
        self.tray.setToolTip(self.tr("RM Desk"))
        menu = QMenu()
        self._tray_actions: list[QAction] = []
        for text, choice in ((self.tr("Snooze 15 minutes"), "15min"), (self.tr("Snooze 1 hour"), "1h"),
                             (self.tr("Snooze until tomorrow"), "tomorrow")):
            action = menu.addAction(text)
            action.triggered.connect(lambda _=False, c=choice: self.snooze(c))
            self._tray_actions.append(action)
        dismiss = menu.addAction(self.tr("Dismiss"))
        dismiss.triggered.connect(lambda _=False: self.dismiss())
        self._tray_actions.append(dismiss)
        menu.addSeparator()
        menu.addAction(self.tr("Show RM Desk")).triggered.connect(lambda _=False: self._raise_window())
        self._menu = menu
        self.tray.setContextMenu(menu)
        self.tray.messageClicked.connect(self._raise_window)
        self.tray.activated.connect(lambda reason: self._raise_window()
                                    if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
        self._tray_menu_enabled(False)
        self.tray.show()

    def _tray_menu_enabled(self, enabled: bool) -> None:
        for action in getattr(self, "_tray_actions", []):
            action.setEnabled(enabled)

    def _raise_window(self) -> None:
        window = self._anchor.window()
        window.showNormal() if window.isMinimized() else window.show()
        window.raise_()
        window.activateWindow()
        if self.bar is not None and self.bar.isVisible():
            self.bar.snooze_15.setFocus()

    # -- end -----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.timer.stop()
        self._jobs.cancel()
        if self._host is not None:
            self._host.removeEventFilter(self)
            self._host = None
        if self.bar is not None:
            self.bar.hide()
            self.bar.deleteLater()
            self.bar = None
        if self.tray is not None:
            self.tray.hide()
            self.tray.deleteLater()
            self.tray = None
            self._menu.deleteLater()
