"""Global search (Ctrl+K): type, arrow down through the hits grouped by kind, Enter opens the client.

The query runs ~150 ms after the last keystroke, on the DB worker; an answer to an older query is
dropped (generation counter). Esc closes. Every hit leads to a client's 360 view: a complaint or an
interaction note opens the client it belongs to.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.search import KIND_TITLES, SearchHit
from ui.dialogs.base import BaseDialog
from ui.i18n.app_messages import error_text
from ui.qtcompat import emit

CLIENT_ROLE = Qt.ItemDataRole.UserRole
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchDialog(BaseDialog):
    client_chosen = Signal(str)
    searched = Signal(str)  # the text whose results are now shown
    DEBOUNCE_MS = 150

    def __init__(self, ws: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(self.tr("Search"))
        self.ws = ws
        self.tasks = tasks
        self._generation = 0
        self._handle: Any = None
        self.shown_text = ""
        self._open_when_shown = False

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.edit = QLineEdit()
        self.edit.setObjectName("searchText")
        self.edit.setPlaceholderText(self.tr("Search clients, e-mails, phones, complaints and notes…"))
        self.edit.setAccessibleName(self.tr("Search text"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(lambda _t: self._debounce.start())
        self.edit.installEventFilter(self)
        self.results = QTreeWidget()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setColumnCount(2)
        self.results.setHeaderLabels([self.tr("Match"), self.tr("Details")])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setAllColumnsShowFocus(True)
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.results.header().resizeSection(0, self.fontMetrics().horizontalAdvance("M" * 22))
        self.results.header().setStretchLastSection(True)
        self.results.itemActivated.connect(self._activated)
        self.results.installEventFilter(self)
        self.status = QLabel(self.tr("Type at least two letters. ↑↓ move, Enter opens, Esc closes."))
        self.status.setObjectName("searchStatus")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(720, 460)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run)
        self.edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.activateWindow()
        self.edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # -- searching ------------------------------------------------------------------------------------
    def run(self) -> None:
        self._debounce.stop()
        text = self.edit.text().strip()
        self._generation += 1
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if len(text) < 2:
            self.results.clear()
            self.shown_text = text
            self.status.setText(self.tr("Type at least two letters. ↑↓ move, Enter opens, Esc closes."))
            return
        generation, ws = self._generation, self.ws
        self.status.setText(self.tr("Searching…"))
        self._handle = self.tasks.submit(lambda: ws.search.search(text),
                                         on_done=lambda hits: self._show(generation, text, hits),
                                         on_error=lambda exc: self._failed(generation, exc),
                                         label=self.tr("Searching"))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._handle = None
            self.status.setText(self.tr("Search failed: %1").replace("%1", error_text(exc)))

    def _show(self, generation: int, text: str, groups: dict[str, list[SearchHit]]) -> None:
        if generation != self._generation:
            return
        self._handle = None
        self.results.clear()
        self.shown_text = text
        total = 0
        first: QTreeWidgetItem | None = None
        for kind, hits in groups.items():
            head = QTreeWidgetItem([KIND_TITLES.get(kind, kind), ""])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            self.results.addTopLevelItem(head)
            for hit in hits:
                detail = hit.snippet.replace("«", "").replace("»", "")
                if kind != "client" and hit.client_name:
                    detail = f"{hit.client_name} · {detail}"
                item = QTreeWidgetItem(["    " + hit.title, detail])
                item.setData(0, CLIENT_ROLE, hit.client_id)
                item.setData(0, HIT_ROLE, hit)
                item.setToolTip(1, detail)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                             f"{KIND_TITLES.get(kind, kind)}: {hit.title}, {detail}")
                self.results.addTopLevelItem(item)
                total += 1
                first = first or item
        if total == 0:
            self.status.setText(self.tr("Nothing matches “%1”.").replace("%1", text))
        else:
            found = self.tr("%n match(es).", "", total)
            self.status.setText(found + " " + self.tr("↑↓ move, Enter opens the client, Esc closes."))
        if first is not None:
            self.results.setCurrentItem(first)
        emit(self.searched, text)
        if self._open_when_shown:
            self._open_when_shown = False
            if first is not None:
                self._activated(first)

    # -- keyboard -------------------------------------------------------------------------------------
    def hits(self) -> list[QTreeWidgetItem]:
        return [self.results.topLevelItem(i) for i in range(self.results.topLevelItemCount())
                if self.results.topLevelItem(i).data(0, CLIENT_ROLE)]

    def _move(self, step: int) -> None:
        hits = self.hits()
        if not hits:
            return
        current = self.results.currentItem()
        index = hits.index(current) if current in hits else -1
        index = max(0, min(len(hits) - 1, index + step))
        self.results.setCurrentItem(hits[index])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.edit:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                    self._move(1 if key == Qt.Key.Key_Down else -1)
                    if key == Qt.Key.Key_Down and self.hits():
                        self.results.setFocus()
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    if self._debounce.isActive() or self.shown_text != self.edit.text().strip():
                        self.run()  # Enter before the debounce fired: search now, open when it arrives
                        self._open_when_shown = True
                        return True
                    self._activated(self.results.currentItem())
                    return True
            elif watched is self.results:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                    hits = self.hits()
                    current = self.results.currentItem()
                    if key == Qt.Key.Key_Up and hits and current is hits[0]:
                        self.edit.setFocus()
                        return True
                    self._move(1 if key == Qt.Key.Key_Down else -1)
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self._activated(self.results.currentItem())
                    return True
                if event.text() and event.text().isprintable() and not event.modifiers() & (
                        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                    self.edit.setFocus()
                    self.edit.insert(event.text())
                    return True
        return super().eventFilter(watched, event)

    def _activated(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        client_id = item.data(0, CLIENT_ROLE) if item is not None else None
        if not client_id:
            return
        self.accept()
        emit(self.client_chosen, client_id)

    def done(self, result: int) -> None:
        self._debounce.stop()
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        super().done(result)
