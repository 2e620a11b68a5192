"""The session: which profile, whether it is unlocked, and every command that changes that.

It owns the (single) main window, the idle watcher and the workstation of the moment. Every call into
the services goes through the task runner; the GUI thread only reads plain values (ws.user, ws.locked).

Display settings (theme, `user.locale` with its language, `org.currency`) apply when they are read at
unlock and again the moment the Settings dialog saves them. The last ones used are kept in QSettings,
so the lock screen and the first areas of the next start already use them.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

import app
from ui.dialogs.messages import describe, show_error, show_info
from ui.dialogs.unlock import UnlockPanel
from ui.format import DEFAULT_CURRENCY, DEFAULT_LOCALE, fmt, set_locale
from ui.i18n import arg, current_files, set_language
from ui.idle import IdleWatcher
from ui.main_window import MainWindow
from ui.prefs import qsettings
from ui.qtcompat import emit
from ui.tasks import DB, NET, TaskHandle, TaskRunner
from ui.theme import apply_theme
from ui.views import ViewContext

if TYPE_CHECKING:  # the store and the services load on the worker while the lock screen is up
    from app.services.profile_lookup import ProfileInfo
    from ui.dialogs.search import SearchDialog
    from ui.dialogs.settings import SettingsDialog
    from ui.dialogs.setup import SetupDialog

log = logging.getLogger(__name__)


def _find_profile(home: Path | None) -> ProfileInfo:
    """On the worker, from the profile's clear-text metadata: the database layer is not loaded yet."""
    from app.services.profile_lookup import profile_info

    return profile_info(home)


def _warm_up(stage: str) -> None:
    from app.services import workstation as wsvc

    wsvc.warm_up(stage)
DEFAULT_IDLE_MINUTES = 5
AREAS_AT_LATEST_MS = 3000  # after unlock: the other areas' services load by then even if jobs keep coming
AREAS_AFTER_IDLE_MS = 250  # after the first screen's reads: time for their results to be painted


class Session(QObject):
    locked_changed = Signal(bool)
    finished = Signal()  # the user is done (setup cancelled or window closed): the app may quit

    def __init__(self, tasks: TaskRunner, home: Path | None = None, *, kdf: object | None = None,
                 idle_timeout_ms: int | None = None, keyring_probe: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.tasks.error_handler = self._task_failed
        self.home = Path(home) if home is not None else None
        self.info: ProfileInfo | None = None
        self.ws: Any = None
        self.window: MainWindow | None = None
        self.unlock_panel: UnlockPanel | None = None
        self.setup_dialog: SetupDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.search_dialog: SearchDialog | None = None
        self._kdf = kdf
        self._keyring_probe = keyring_probe
        self._idle_override = idle_timeout_ms
        self._areas_pending = False  # the other areas are to be prepared once the first screen is read
        self._display: tuple[str, str, tuple[str, ...]] = ("", "", ())  # locale, currency, catalogues
        self.idle = IdleWatcher(idle_timeout_ms or DEFAULT_IDLE_MINUTES * 60_000, self)
        self.idle.idle.connect(self._idle_timeout)

    @property
    def locked(self) -> bool:
        return self.ws is None

    # -- start ----------------------------------------------------------------------------------------
    def start(self) -> None:
        prefs = qsettings()
        self._apply_display(prefs.value("ui/locale") or DEFAULT_LOCALE, prefs.value("ui/currency") or DEFAULT_CURRENCY)
        self.tasks.submit(_find_profile, self.home, on_done=self._found, label=self.tr("Finding the profile"))

    def _found(self, info: ProfileInfo) -> None:
        self.info = info
        if not info.exists:
            from ui.dialogs.setup import SetupDialog

            self.setup_dialog = SetupDialog(info.home, self.tasks, kdf=self._kdf, keyring_probe=self._keyring_probe)
            self.setup_dialog.created.connect(self._created)
            self.setup_dialog.rejected.connect(self.finished)
            self.setup_dialog.show()
            return
        self._build_window(info)
        # the services load on the other pool while the passphrase is typed, so unlocking need not wait
        self.tasks.submit(_warm_up, "unlock", pool=NET, label=self.tr("Getting ready"))
        if info.key_mode == "keyring":
            self.unlock_panel.unlock_now()  # no question to ask; errors still get a dialog

    def _created(self, ws: Any, note: str) -> None:
        from app.services.profile_lookup import ProfileInfo

        self._build_window(ProfileInfo(self.info.home, True, self.setup_dialog.key_mode))
        self._unlocked(ws)
        if note:
            show_error(self.window, self.tr("Demo book not written"), note)

    def _build_window(self, info: ProfileInfo) -> None:
        self.info = info
        self.unlock_panel = UnlockPanel(info, self.tasks)
        self.unlock_panel.unlocked.connect(self._unlocked)
        window = self.window = MainWindow(self.unlock_panel)
        self.unlock_panel.quit_requested.connect(window.close)
        window.status.set_profile(info.home, info.key_mode)
        self.tasks.activity.connect(window.status.set_activity)
        window.closing.connect(self.finished)
        for action_id, handler in (("session.lock", self.lock), ("app.quit", window.close),
                                   ("app.settings", self.open_settings), ("app.search", self.search),
                                   ("app.backup", self.backup), ("help.about", self.about)):
            window.actions.on(action_id, handler)
        window.show()

    # -- lock / unlock --------------------------------------------------------------------------------
    def _unlocked(self, ws: Any) -> None:
        self.ws = ws
        self.window.show_unlocked(ViewContext(ws, self.tasks, self.window.actions), ws.user.display_name)
        self.tasks.submit(ws.settings.all, on_done=self.apply_settings, label=self.tr("Reading settings"))
        # Once the first screen's reads are done, the ORM models and the other areas' services (PDF,
        # iCalendar, complaints) load off the GUI thread, and only then are those areas built. Importing
        # holds the GIL for most of a second: started earlier, it slows the first page it would share it with.
        if not self._areas_pending:  # (a lock and unlock before it fired leaves it connected)
            self._areas_pending = True
            self.tasks.activity.connect(self._areas_when_idle)
        QTimer.singleShot(AREAS_AT_LATEST_MS, self, self._prepare_areas)
        emit(self.locked_changed, False)

    def _areas_when_idle(self, pending: int, _label: str) -> None:
        if pending == 0:  # the reads are in; their rows are still to be painted, which needs the GIL
            QTimer.singleShot(AREAS_AFTER_IDLE_MS, self, self._prepare_areas)

    def _prepare_areas(self) -> None:
        if not self._areas_pending:
            return
        self._areas_pending = False
        self.tasks.activity.disconnect(self._areas_when_idle)
        if self.ws is None or self.window is None:
            return
        # the idle watch's filter sees every event: installed after the first screen has been painted
        self.idle.set_active(True)
        window = self.window
        self.tasks.submit(_warm_up, "areas", pool=NET, label=self.tr("Getting ready"),
                          on_done=lambda _none: window.build_remaining_areas(),
                          on_error=lambda _exc: window.build_remaining_areas())
        # the unlock skipped counting the read models against the clients (a scan): count now, and
        # should they have drifted apart, they are rebuilt and the areas read them again
        self.tasks.submit(self.ws.check_read_models, label=self.tr("Checking the book"),
                          on_done=lambda rebuilt: rebuilt and window.rebuild_areas())

    def lock(self) -> None:
        """Clear the window at once; the workstation drops its key on the worker, after the running job."""
        if self.ws is None:
            return
        ws, self.ws = self.ws, None
        self.idle.set_active(False)
        self.tasks.cancel_all(DB)
        for dialog in self.window.findChildren(QDialog):
            dialog.reject()
        self.settings_dialog = self.search_dialog = None
        self.window.show_locked()
        self.tasks.submit(ws.lock, label=self.tr("Locking"))
        emit(self.locked_changed, True)

    def _idle_timeout(self) -> None:
        if self.ws is not None:
            log.info("Locking after %s ms without input", self.idle.timeout_ms)
            self.lock()

    def apply_settings(self, values: dict[str, Any]) -> None:
        theme = values.get("user.theme", "system")
        apply_theme(QApplication.instance(), theme)
        qsettings().setValue("ui/theme", theme)  # so the lock screen opens in the same theme
        if self.window is not None:
            self.window.refresh_icons()
        if self._idle_override is None:
            self.idle.set_timeout(int(values.get("user.idle_lock_minutes", DEFAULT_IDLE_MINUTES)) * 60_000)
        if "user.locale" in values or "org.currency" in values:
            shown = self._display
            language_changed = self._apply_display(values.get("user.locale", fmt().name),
                                                   values.get("org.currency", fmt().currency))
            prefs = qsettings()
            prefs.setValue("ui/locale", fmt().name)
            prefs.setValue("ui/currency", fmt().currency)
            # A new language rebuilds the areas from the window's LanguageChange; new formats alone
            # rebuild them here. `shown` is what the areas were built with (a view may have set the
            # formatter itself since).
            if not language_changed and self._display != shown and self.window is not None:
                self.window.rebuild_areas()

    def _apply_display(self, locale_name: Any, currency: Any) -> bool:
        """Formats and language for `locale_name`; True if the language changed."""
        set_locale(str(locale_name) if locale_name else None, str(currency) if currency else None)
        changed = set_language(fmt().name)
        self._display = (fmt().name, fmt().currency, current_files())
        return changed

    # -- commands -------------------------------------------------------------------------------------
    def open_settings(self) -> None:
        if self.ws is None:
            return
        from ui.dialogs.settings import SettingsDialog

        dialog = self.settings_dialog = SettingsDialog(self.ws, self.tasks, self.window)
        dialog.saved.connect(self.apply_settings)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def search(self) -> None:
        """Ctrl+K: the global search dialog; choosing a hit opens that client's 360 in the portfolio."""
        if self.ws is None or self.window is None:
            return
        from ui.dialogs.search import SearchDialog

        dialog = self.search_dialog = SearchDialog(self.ws, self.tasks, self.window)
        dialog.client_chosen.connect(self.open_client)
        dialog.finished.connect(lambda _result: setattr(self, "search_dialog", None))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def open_client(self, client_id: str) -> None:
        if self.window is None or self.window.is_locked:
            return
        self.window.go("portfolio")
        opener = getattr(self.window.area_widget("portfolio"), "open_client", None)
        if callable(opener):
            opener(client_id)

    def backup(self, dest: Path | None = None) -> None:
        """Write a verified, encrypted backup; asks where unless `dest` is given."""
        if self.ws is None:
            return
        if dest is None:
            suggested = str(Path.home() / f"rmdesk-{date.today().isoformat()}.rmbackup")
            path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Back up the profile"), suggested,
                                                  self.tr("RM Desk backups (*.rmbackup)"))
            if not path or self.ws is None:
                return
            dest = Path(path)
        self.tasks.submit(self.ws.backup, Path(dest), label=self.tr("Writing the backup"),
                          on_done=lambda p: self.window.statusBar().showMessage(
                              arg(self.tr("Backup written and verified: %1"), p), 10_000))

    def about(self) -> None:
        where = arg(self.tr("Profile: %1"), self.info.home) if self.info else ""
        show_info(self.window, self.tr("About RM Desk"), f"RM Desk {app.__version__}",
                  self.tr("The relationship manager's workstation: an encrypted local book of clients, "
                          "complaints and reviews.") + f"\n\n{where}")

    def _task_failed(self, exc: BaseException, handle: TaskHandle) -> None:
        from app.services.workstation import StoreError

        if not isinstance(exc, StoreError | ValueError | OSError):
            log.error("Background job %r failed", handle.label, exc_info=exc)
        show_error(self.window, arg(self.tr("%1 failed"), handle.label), describe(exc))

    def shutdown(self) -> None:
        """Quit path: drop queued work, lock the workstation on the worker, wait for the worker."""
        self.idle.set_active(False)
        ws, self.ws = self.ws, None
        self.tasks.shutdown(wait=True, final=ws.lock if ws is not None else None)
