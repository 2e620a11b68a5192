"""Small parts the agenda and its dialogs share: a job list that is cancelled with its widget, a client
picker over the search service, and a message banner (information, warning, blocking error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import BaseDialog
from ui.dialogs.messages import describe
from ui.qtcompat import emit
from ui.tasks import Jobs, TaskHandle
from ui.views.agenda_format import Agenda, status_colour


class Banner(QFrame):
    """A message across a dialog or view. `kind` is info, warn or error; the text always says what
    happened (the colour only repeats it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaBanner")
        self.setProperty("agendaBanner", True)  # styled by property: callers may rename the frame
        self.kind = "info"
        self.label = QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setObjectName("bannerText")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        self.setVisible(False)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.label.setText(text)
        self.setAccessibleName({"error": Agenda.tr("Error"), "warn": Agenda.tr("Warning")}.get(kind, Agenda.tr("Note")))
        self.setAccessibleDescription(text)
        self._paint()
        self.setVisible(True)

    def clear(self) -> None:
        self.label.clear()
        self.setVisible(False)

    def text(self) -> str:
        return self.label.text()

    def _paint(self) -> None:
        token = {"error": "@error", "warn": "@warn"}.get(self.kind, "@ok")
        colour = status_colour(token).name()
        if getattr(self, "_painted", None) == (self.kind, colour):  # setStyleSheet sends a PaletteChange
            return
        self._painted = (self.kind, colour)
        self.setStyleSheet(
            f'QFrame[agendaBanner="true"] {{ border: 1px solid {colour}; border-left: 5px solid {colour};'
            f" background: palette(alternate-base); }}"
            + (f" QLabel#bannerText {{ color: {colour}; font-weight: 600; }}" if self.kind == "error" else ""))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange and self.isVisible():
            self._paint()
        super().changeEvent(event)


class ClientPicker(QWidget):
    """Type part of a name; matching clients appear below (searched on the DB worker, debounced).
    Down moves into the list, Enter or a click chooses."""

    chosen = Signal(str, str)  # client id, name
    DEBOUNCE_MS = 250

    def __init__(self, workstation: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workstation
        self._jobs = Jobs(tasks)
        self.client_id: str | None = None
        self.client_name = ""
        self.edit = QLineEdit(objectName="clientSearch")
        self.edit.setPlaceholderText(self.tr("Type a client's name"))
        self.edit.setAccessibleName(self.tr("Client"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget(objectName="clientResults")
        self.results.setAccessibleName(self.tr("Matching clients"))
        self.results.setMaximumHeight(110)
        self.results.setVisible(False)
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setVisible(False)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(3)
        col.addWidget(self.edit)
        col.addWidget(self.results)
        col.addWidget(self.hint)
        self.setFocusProxy(self.edit)
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.edit.textEdited.connect(self._edited)
        self.edit.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.itemClicked.connect(self._pick)

    def set_client(self, client_id: str, name: str) -> None:
        self.client_id, self.client_name = client_id, name
        self.edit.setText(name)
        self.results.setVisible(False)
        self.hint.setVisible(False)

    def set_locked(self, locked: bool) -> None:
        """A fixed client (the dialog was opened from one): shown, not editable."""
        self.edit.setReadOnly(locked)
        self.edit.setClearButtonEnabled(not locked)

    def _edited(self, text: str) -> None:
        self.client_id, self.client_name = None, ""
        self._timer.start()

    def _search(self) -> None:
        text = self.edit.text().strip()
        self._jobs.cancel()
        if len(text) < 2:
            self.results.clear()
            self.results.setVisible(False)
            return
        ws = self._ws
        self._jobs.run(lambda: ws.search.search(text, per_kind=12).get("client", []), on_done=self._show,
                       on_error=lambda exc: self._say(describe(exc)), label=self.tr("Finding clients"))

    def _show(self, hits: list) -> None:
        self.results.clear()
        seen = set()
        for hit in hits:
            if hit.client_id in seen:
                continue
            seen.add(hit.client_id)
            item = QListWidgetItem(hit.client_name or hit.title)
            item.setData(Qt.ItemDataRole.UserRole, hit.client_id)
            self.results.addItem(item)
        self.results.setVisible(bool(seen))
        if seen:
            self.results.setCurrentRow(0)
            self.hint.setVisible(False)
        else:
            self._say(self.tr("No client matches '{0}'.").format(self.edit.text().strip()))

    def _say(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(True)

    def _pick(self, item: QListWidgetItem) -> None:
        self.set_client(str(item.data(Qt.ItemDataRole.UserRole)), item.text())
        self.edit.setFocus()
        emit(self.chosen, self.client_id, self.client_name)

    def eventFilter(self, obj: Any, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.results and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.results.currentItem() is not None:  # choose; never let Enter reach the dialog's button
                self._pick(self.results.currentItem())
            return True
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.results.isVisible() and self.results.count():
                self.results.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results.isVisible() \
                    and self.results.currentItem() is not None and self.client_id is None:
                self._pick(self.results.currentItem())
                return True
        return super().eventFilter(obj, event)

    def shutdown(self) -> None:
        self._timer.stop()
        self._jobs.cancel()


class AgendaDialog(BaseDialog):
    """The agenda's dialogs: work goes to the DB worker, a failure shows in the banner (the dialog
    stays open with what was typed), and closing the dialog drops any callback still pending."""

    def __init__(self, workstation: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workstation
        self.tasks = tasks
        self.jobs = Jobs(tasks)
        self.banner = Banner(self)
        self.busy_widgets: list[QWidget] = []

    def save_cancel(self, save_text: str) -> QDialogButtonBox:
        """The Save/Cancel footer as `self.buttons`: Save (`saveButton`, shown as `save_text`) runs
        `save` and is disabled while a job runs."""
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setObjectName("saveButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.busy_widgets = [self.save_button]
        return self.buttons

    def save(self) -> None:
        """What Save does, in the dialogs that have the Save/Cancel footer."""
        raise NotImplementedError

    def lay_out(self, *parts: QWidget | QLayout) -> QVBoxLayout:
        """The dialog's column: `parts` top to bottom, then the banner and `self.buttons`."""
        col = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                col.addLayout(part)
            else:
                col.addWidget(part)
        col.addWidget(self.banner)
        col.addWidget(self.buttons)
        return col

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, label: str = "") -> TaskHandle:
        self._set_busy(True)

        def done(value: Any) -> None:
            self._set_busy(False)
            if on_done is not None:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            if on_error is not None:
                on_error(exc)
            else:
                self.banner.show_message(describe(exc), "error")

        return self.jobs.run(fn, *args, on_done=done, on_error=failed, label=label)

    def _set_busy(self, busy: bool) -> None:
        for widget in self.busy_widgets:
            widget.setEnabled(not busy)

    def done(self, result: int) -> None:
        self.jobs.cancel()
        for picker in self.findChildren(ClientPicker):
            picker.shutdown()
        super().done(result)
