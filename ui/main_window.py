"""The main window: navigation over the areas, the lock screen in the same window, menus, status bar.

It holds no workstation logic: the session (ui/session.py) decides when to lock and unlock and calls
`show_locked()` / `show_unlocked(ctx)`. Locking destroys every area widget, so no client data
survives in the window; unlocking builds the areas again from the registry in ui/views.

Language and formats: the chrome (menus, actions, navigation, status bar, lock screen) retranslates
itself on QEvent.LanguageChange. The areas do not: on a language change the window builds them again
(`rebuild_areas()`, as an unlock would, keeping the current area), and the session does the same when
only the number/money/date formats change, so every visible value is shown the new way at once.
What the user had on screen survives that rebuild: an area widget may implement `view_state() -> dict`
(plain data: filter values, ids, tab indexes) and `restore_view_state(state)`; the states are taken
before the old areas go and each is handed to its new area as it is built (which may be later: areas are
built lazily). A lock drops them with the areas.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from ui import views
from ui.actions import ActionRegistry
from ui.icons import icon
from ui.prefs import qsettings
from ui.qtcompat import emit
from ui.statusbar import StatusBar

MENUS = (("file", QT_TRANSLATE_NOOP("MainWindow", "&File")), ("edit", QT_TRANSLATE_NOOP("MainWindow", "&Edit")),
         ("go", QT_TRANSLATE_NOOP("MainWindow", "&Go")), ("help", QT_TRANSLATE_NOOP("MainWindow", "&Help")))
SEPARATE_BEFORE = {"session.lock", "app.quit", "go.portfolio"}
DEFERRED_BUILD_MS = 8000  # after unlock, the latest the areas not on screen are built (see build_remaining_areas)
DEFERRED_STEP_MS = 50  # between two of them, so the window stays responsive
# Actions an area connects when it is built, by id prefix -> area id (otherwise the prefix is the area)
ACTION_OWNERS = {"client": "portfolio"}


class _Unbuilt(QWidget):
    """Holds an area's place in the stack until the area is first shown or its turn comes."""

    def __init__(self, area_id: str) -> None:
        super().__init__()
        self.setObjectName(f"unbuilt-{area_id}")


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self, lock_page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("RM Desk")
        self.setMinimumSize(QSize(880, 560))
        self.actions = ActionRegistry(self)
        self._route_area_actions()
        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self._ctx: views.ViewContext | None = None
        self._user_name = ""
        self._rebuild_pending = False
        self._view_states: dict[str, dict] = {}  # area id -> state for its next build (see rebuild_areas)

        self.nav = QListWidget(objectName="areaNav")
        self.nav.setAccessibleName(self.tr("Areas"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(190)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area_stack = QStackedWidget(objectName="areaStack")
        workspace = QWidget(objectName="workspace")
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.area_stack, 1)

        self.lock_page = lock_page
        self.pages = QStackedWidget(objectName="pages")
        self.pages.addWidget(lock_page)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)

        self._area_ids: list[str] = []
        self._unbuilt: set[int] = set()  # area slots still holding an _Unbuilt placeholder
        # a child of the window, so it dies with it (a bare singleShot would call into a deleted window)
        self._build_timer = QTimer(self, singleShot=True)
        self._build_timer.timeout.connect(self._build_next)
        self._fill_nav()
        self.nav.currentRowChanged.connect(self._on_row)
        for a in views.AREAS:
            self.actions.on(f"go.{a.id}", lambda area_id=a.id: self.go(area_id))
        self._restore_geometry()
        self.show_locked()

    # -- building -------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        for menu_id, title in MENUS:
            menu = bar.addMenu(QCoreApplication.translate("MainWindow", title))
            menu.setObjectName(f"menu-{menu_id}")
            self.menus[menu_id] = menu
            for action in self.actions.in_menu(menu_id):
                if action.objectName() in SEPARATE_BEFORE and not menu.isEmpty():
                    menu.addSeparator()
                menu.addAction(action)

    def _fill_nav(self) -> None:
        self.nav.clear()
        self._area_ids = []
        for a in views.AREAS:
            item = QListWidgetItem(icon(a.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.nav.addItem(item)
            self._area_ids.append(a.id)
        self._label_nav()

    def _label_nav(self) -> None:
        for i, a in enumerate(views.AREAS[: self.nav.count()]):
            item = self.nav.item(i)
            shortcut = self.actions[f"go.{a.id}"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            title, summary = a.label(), a.description()
            item.setText(title)
            item.setToolTip(f"{summary} ({shortcut})" if shortcut else summary)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, title)

    # -- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """The chrome in the current language: menus, actions, navigation."""
        for menu_id, title in MENUS:
            self.menus[menu_id].setTitle(QCoreApplication.translate("MainWindow", title))
        self.actions.retranslate()
        self.nav.setAccessibleName(self.tr("Areas"))
        self._label_nav()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if not self.is_locked and not self._rebuild_pending:
                # the areas are built in one language: build them again, once for the whole batch of
                # LanguageChange events a catalogue switch posts
                self._rebuild_pending = True
                QTimer.singleShot(0, self, self._rebuild_after_language_change)
        super().changeEvent(event)

    def _rebuild_after_language_change(self) -> None:
        self._rebuild_pending = False
        self.rebuild_areas()

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        for i, a in enumerate(views.AREAS[: self.nav.count()]):
            self.nav.item(i).setIcon(icon(a.icon))
        for action_id, spec in self.actions.specs.items():
            self.actions[action_id].setIcon(icon(spec.icon))

    # -- locked / unlocked ----------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self.pages.currentWidget() is self.lock_page

    def show_locked(self) -> None:
        """Destroy every area widget and show the lock screen."""
        self._ctx = None
        self._destroy_areas()
        self.actions.set_unlocked(False)
        self.nav.setEnabled(False)
        self.pages.setCurrentWidget(self.lock_page)
        self.status.set_locked(True)
        self.status.set_user(None)
        reset = getattr(self.lock_page, "reset", None)
        if callable(reset):
            reset()

    def show_unlocked(self, ctx: views.ViewContext, user_name: str,
                      view_states: dict[str, dict] | None = None) -> None:
        self._ctx, self._user_name = ctx, user_name
        self._destroy_areas()
        self._view_states = dict(view_states or {})
        if len(self._area_ids) != len(views.AREAS):
            self._fill_nav()
        # Only the area on screen is built now; the others follow one per event-loop turn once it has
        # had time to show its data (building all seven held the first page back by a second).
        self._unbuilt = set(range(len(views.AREAS)))
        for a in views.AREAS:
            self.area_stack.addWidget(_Unbuilt(a.id))
        row = self.nav.currentRow()
        self._ensure_built(row if row >= 0 else 0)
        self._build_timer.start(DEFERRED_BUILD_MS)
        self.actions.set_unlocked(True)
        self.nav.setEnabled(True)
        self.pages.setCurrentIndex(1)
        self.status.set_locked(False)
        self.status.set_user(user_name)
        row = self.nav.currentRow()
        self.nav.setCurrentRow(-1)
        self.nav.setCurrentRow(row if row >= 0 else 0)
        self.nav.setFocus()

    def rebuild_areas(self) -> None:
        """Build every area again (new language or formats), staying in the area that is showing."""
        if self.is_locked or self._ctx is None or not self.isVisible():
            return  # locked (nothing to build) or closed (the session is shutting down)
        current = self.current_area
        focus_in_nav = self.nav.hasFocus()
        self.show_unlocked(self._ctx, self._user_name, self.view_states())
        if current is not None:
            self.go(current)
        if not focus_in_nav:
            self.area_stack.currentWidget().setFocus()

    def view_states(self) -> dict[str, dict]:
        """What each area shows (its `view_state()`), by area id; an area not built yet keeps the state
        it is still waiting for."""
        states = dict(self._view_states)
        for i in range(self.area_stack.count()):
            capture = getattr(self.area_stack.widget(i), "view_state", None)
            if i not in self._unbuilt and callable(capture):
                state = capture()
                if state:
                    states[self._area_ids[i]] = state
        return states

    def _ensure_built(self, index: int) -> QWidget | None:
        """The real view in slot `index`, built now if it has not been yet."""
        if not 0 <= index < self.area_stack.count() or self._ctx is None:
            return None
        if index in self._unbuilt:
            self._unbuilt.discard(index)
            placeholder = self.area_stack.widget(index)
            current = self.area_stack.currentIndex()
            widget = views.AREAS[index].build(self._ctx)
            self.area_stack.insertWidget(index, widget)
            self.area_stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.area_stack.setCurrentIndex(current)
            state = self._view_states.pop(views.AREAS[index].id, None)
            restore = getattr(widget, "restore_view_state", None)
            if state and callable(restore):
                restore(state)
        return self.area_stack.widget(index)

    def _route_area_actions(self) -> None:
        """An area connects its actions when it is built; one triggered earlier (Ctrl+Shift+C a moment
        after unlocking) builds its area first and then fires again, so the keystroke is not lost."""
        area_ids = [a.id for a in views.AREAS]
        for action_id in self.actions.specs:
            prefix = action_id.split(".", 1)[0]
            owner = ACTION_OWNERS.get(prefix, prefix)
            if owner in area_ids:
                action = self.actions[action_id]
                action.triggered.connect(lambda _c=False, a=action, o=owner: self._build_then_trigger(a, o))

    def _build_then_trigger(self, action: QAction, area_id: str) -> None:
        if self.is_locked or area_id not in self._area_ids:
            return
        index = self._area_ids.index(area_id)
        if index in self._unbuilt:
            self._ensure_built(index)
            # Fire again, nested: Qt skips slots connected during an emission, so the area's new slot runs
            # once, here, and this handler finds the area built and does nothing the second time.
            action.trigger()

    def build_remaining_areas(self) -> None:
        """Build the areas not on screen now, one per event-loop turn (the session calls this once their
        services are loaded; otherwise the timer set at unlock does it)."""
        if not self.is_locked and self._unbuilt and self.isVisible():
            self._build_timer.start(DEFERRED_STEP_MS)

    def _build_next(self) -> None:
        if self.is_locked or not self._unbuilt or not self.isVisible():
            return
        self._ensure_built(min(self._unbuilt))
        if self._unbuilt:
            self._build_timer.start(DEFERRED_STEP_MS)

    def _destroy_areas(self) -> None:
        self._build_timer.stop()
        self._unbuilt = set()
        self._view_states = {}  # client ids and filter text must not outlive the areas (lock)
        while self.area_stack.count():
            widget = self.area_stack.widget(0)
            shutdown = getattr(widget, "shutdown", None)
            if callable(shutdown):
                shutdown()
            self.area_stack.removeWidget(widget)  # keeps its Qt parent: C++ deletes it, never Python's GC
            widget.deleteLater()

    # -- navigation -----------------------------------------------------------------------------------
    def go(self, area_id: str) -> None:
        if not self.is_locked and area_id in self._area_ids:
            self.nav.setCurrentRow(self._area_ids.index(area_id))

    def _on_row(self, row: int) -> None:
        if 0 <= row < self.area_stack.count():
            self._ensure_built(row)
            self.area_stack.setCurrentIndex(row)

    @property
    def current_area(self) -> str | None:
        row = self.nav.currentRow()
        return self._area_ids[row] if not self.is_locked and 0 <= row < len(self._area_ids) else None

    def area_widget(self, area_id: str) -> QWidget | None:
        if area_id not in self._area_ids:
            return None
        return self._ensure_built(self._area_ids.index(area_id))

    def area_widgets(self) -> list[QWidget]:
        """The areas built so far."""
        return [self.area_stack.widget(i) for i in range(self.area_stack.count()) if i not in self._unbuilt]

    # -- geometry -------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = qsettings()
        geometry = settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 740)
        state = settings.value("mainWindow/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self._build_timer.stop()  # no area is built for a window on its way out (its task runner is closing)
        self._unbuilt = set()
        settings = qsettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.sync()
        emit(self.closing)
        super().closeEvent(event)
