"""Unlocking an existing profile. The panel is the lock screen inside the main window (startup and
after every lock); the work (Argon2, SQLCipher, migrations) runs on the DB worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.dialogs.messages import describe, show_error
from ui.i18n import arg
from ui.icons import icon
from ui.qtcompat import emit
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.services.profile_lookup import ProfileInfo


def _open_profile(passphrase: str | None, home: Any) -> Any:
    """On the worker (the store is imported there, never on the GUI thread before the window shows).

    The key is derived first: Argon2id (or the keyring) runs outside the GIL while the other pool may
    still be importing the database layer, which opening the file must then wait for."""
    from app.services import profile_lookup

    keys = profile_lookup.unlock_keys(home, passphrase)
    from app.services import workstation as wsvc

    return wsvc.open_profile(passphrase, home, keys=keys, interactive=True)


class UnlockPanel(QWidget):
    """Emits `unlocked(workstation)`. A passphrase profile asks for the passphrase and shows a wrong
    one inline; a keyring profile unlocks without asking but shows a dialog if the key is refused."""

    unlocked = Signal(object)
    quit_requested = Signal()

    def __init__(self, info: ProfileInfo, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.tasks = tasks
        self._busy = False
        self.setObjectName("unlockPanel")
        self._build()
        self.retranslate()
        self.set_profile(info)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        card = QFrame(objectName="card")
        card.setMaximumWidth(460)
        card.setMinimumWidth(380)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        head = QHBoxLayout()
        lock = QLabel()
        lock.setPixmap(icon("lock", 28).pixmap(28, 28))
        self.title = title = QLabel(objectName="unlockTitle")
        title.setProperty("role", "title")
        head.addWidget(lock)
        head.addWidget(title)
        head.addStretch()
        layout.addLayout(head)
        self.profile_label = QLabel(objectName="profileLabel", wordWrap=True)
        self.profile_label.setProperty("role", "muted")
        self.profile_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.profile_label)
        self.passphrase = QLineEdit(objectName="unlockPassphrase", echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.unlock_now)
        layout.addWidget(self.passphrase)
        self.error = QLabel(objectName="unlockError", wordWrap=True, visible=False)
        self.error.setProperty("role", "error")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.quit_button = QPushButton(objectName="unlockQuit")
        self.quit_button.clicked.connect(self.quit_requested)
        self.unlock_button = QPushButton(icon("lock"), "", objectName="unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.unlock_now)
        buttons.addWidget(self.quit_button)
        buttons.addStretch()
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(card)
        row.addStretch()
        outer.addLayout(row)
        outer.addStretch(3)

    def retranslate(self) -> None:
        """Every text in the current language (at creation and after a LanguageChange)."""
        self.setAccessibleName(self.tr("Locked: unlock RM Desk"))
        self.title.setText(self.tr("RM Desk is locked"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.quit_button.setText(self.tr("Quit"))
        self._set_busy(self._busy)
        self._show_profile()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def needs_passphrase(self) -> bool:
        return self.info.key_mode == "passphrase"

    @property
    def busy(self) -> bool:
        return self._busy

    def set_profile(self, info: ProfileInfo) -> None:
        self.info = info
        self._show_profile()
        self.passphrase.setVisible(self.needs_passphrase)
        self.reset()

    def _show_profile(self) -> None:
        how = self.tr("passphrase") if self.needs_passphrase else self.tr("OS keyring")
        self.profile_label.setText(arg(self.tr("Profile: %1\nKey: %2"), self.info.home, how))

    def reset(self) -> None:
        """Forget anything typed; called every time the lock screen is shown."""
        self.passphrase.clear()
        self._show_error("")
        self._set_busy(False)
        if self.needs_passphrase:
            self.passphrase.setFocus()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Unlocking…") if busy else self.tr("Unlock"))

    def unlock_now(self) -> None:
        if self._busy:
            return
        passphrase = self.passphrase.text() if self.needs_passphrase else None
        if self.needs_passphrase and not passphrase:
            self._show_error(self.tr("Enter your passphrase."))
            self.passphrase.setFocus()
            return
        self._show_error("")
        self._set_busy(True)
        self.tasks.submit(_open_profile, passphrase, self.info.home, on_done=self._opened,
                          on_error=self._failed, label=self.tr("Unlocking the profile"))

    def _opened(self, ws: Any) -> None:
        self.passphrase.clear()
        self._set_busy(False)
        emit(self.unlocked, ws)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = describe(exc)
        self._show_error(message)
        if self.needs_passphrase:
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        else:
            show_error(self.window(), self.tr("RM Desk could not unlock this profile"), message)
