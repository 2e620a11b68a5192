"""First run: where the profile lives, how its key is protected, and whether to start with a demo book."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import workstation as wsvc
from ui.dialogs.base import BaseDialog
from ui.dialogs.messages import describe, show_error
from ui.format import fmt
from ui.i18n import arg
from ui.qtcompat import emit
from ui.tasks import NET, TaskRunner

MIN_PASSPHRASE = 8
DEFAULT_DEMO_CLIENTS = 2000


def passphrase_strength(text: str) -> tuple[str, str]:
    """('weak'|'fair'|'strong', hint) — a nudge, not a policy; the only rule is 8 characters."""
    if len(text) < MIN_PASSPHRASE:
        return "weak", arg(QCoreApplication.translate("SetupDialog", "Too short: at least %1 characters (%2 so far)."),
                           MIN_PASSPHRASE, len(text))
    classes = sum(any(test(c) for c in text)
                  for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum()))
    if len(text) >= 16 or (len(text) >= 12 and classes >= 3):
        return "strong", QCoreApplication.translate("SetupDialog", "Strong passphrase.")
    if len(text) >= 12 or classes >= 3:
        return "fair", QCoreApplication.translate("SetupDialog", "Fair. Longer is stronger: a few unrelated words work well.")
    return "weak", QCoreApplication.translate("SetupDialog", "Weak. Use 12 or more characters, or a few unrelated words.")


def default_keyring_probe() -> str | None:
    """None if the OS keyring can hold the key, else the reason it cannot (create_profile still refuses
    an insecure backend loudly if the keyring changes between the probe and the click)."""
    return wsvc.keyring_problem()


def demo_available() -> bool:
    return importlib.util.find_spec("app.services.demo") is not None


def _write_demo(ws: Any, clients: int, progress: Callable[[int, int], None]) -> Any:
    from app.services.demo import generate_demo_book

    return generate_demo_book(ws.database, clients=clients, seed=1, progress=progress)


class SetupDialog(BaseDialog):
    """Emits `created(workstation, note)` before it closes; `note` is '' or something to tell the user."""

    created = Signal(object, str)

    def __init__(self, home: Path, tasks: TaskRunner, parent: QWidget | None = None, *,
                 kdf: object | None = None, keyring_probe: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.tasks = tasks
        self._kdf = kdf
        self._busy = False
        self._keyring_refused = False
        self.workstation: Any = None
        self.setWindowTitle(self.tr("Set up RM Desk"))
        self.setObjectName("setupDialog")
        self.setMinimumWidth(560)
        self._build()
        self._update_mode()
        self.tasks.submit(keyring_probe or default_keyring_probe, on_done=self._keyring_checked,
                          on_error=lambda exc: self._keyring_checked(describe(exc)),
                          label=self.tr("Checking the OS keyring"), pool=NET)  # IPC: never queue DB work behind it

    # -- layout ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        title = QLabel(self.tr("Welcome to RM Desk"))
        title.setProperty("role", "title")
        intro = QLabel(self.tr("Create your profile. Everything in it is encrypted on this computer; "
                               "nothing leaves it unless you set up sync."))
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)

        where = QFormLayout()
        self.home_label = QLabel(str(self.home))
        self.home_label.setObjectName("profileHome")
        self.home_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.home_label.setWordWrap(True)
        where.addRow(self.tr("Profile folder:"), self.home_label)
        layout.addLayout(where)

        key_box = QGroupBox(self.tr("How the key is protected"))
        key_layout = QVBoxLayout(key_box)
        self.keyring_radio = QRadioButton(self.tr("Keep the key in the OS keyring (recommended)"))
        self.keyring_radio.setObjectName("modeKeyring")
        self.keyring_note = QLabel(self.tr("Checking the OS keyring…"))
        self.keyring_note.setProperty("role", "muted")
        self.keyring_note.setWordWrap(True)
        self.passphrase_radio = QRadioButton(self.tr("Protect it with a passphrase"))
        self.passphrase_radio.setObjectName("modePassphrase")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.keyring_radio)
        self.mode_group.addButton(self.passphrase_radio)
        self.keyring_radio.setChecked(True)
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password, objectName="passphrase")
        self.passphrase.setPlaceholderText(arg(self.tr("At least %1 characters"), MIN_PASSPHRASE))
        self.passphrase.setAccessibleName(self.tr("New passphrase"))
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password, objectName="confirm")
        self.confirm.setAccessibleName(self.tr("Confirm passphrase"))
        self.strength = QLabel("", objectName="strength")
        fields = QFormLayout()
        fields.setContentsMargins(24, 0, 0, 0)
        fields.addRow(self.tr("Passphrase:"), self.passphrase)
        fields.addRow(self.tr("Confirm:"), self.confirm)
        fields.addRow("", self.strength)
        for w in (self.keyring_radio, self.keyring_note, self.passphrase_radio):
            key_layout.addWidget(w)
        key_layout.addLayout(fields)
        layout.addWidget(key_box)

        start_box = QGroupBox(self.tr("Start with"))
        start_layout = QVBoxLayout(start_box)
        self.empty_radio = QRadioButton(self.tr("An empty profile"), objectName="startEmpty")
        self.demo_radio = QRadioButton(self.tr("A demo book of fictional clients, to try RM Desk out"),
                                       objectName="startDemo")
        self.start_group = QButtonGroup(self)
        self.start_group.addButton(self.empty_radio)
        self.start_group.addButton(self.demo_radio)
        self.empty_radio.setChecked(True)
        self.demo_clients = QSpinBox(objectName="demoClients", minimum=10, maximum=200_000, singleStep=500)
        self.demo_clients.setValue(DEFAULT_DEMO_CLIENTS)
        self.demo_clients.setGroupSeparatorShown(True)
        self.demo_clients.setSuffix(self.tr(" clients"))
        self.demo_clients.setAccessibleName(self.tr("Number of demo clients"))
        demo_row = QHBoxLayout()
        demo_row.setContentsMargins(24, 0, 0, 0)
        demo_row.addWidget(self.demo_clients)
        demo_row.addStretch()
        start_layout.addWidget(self.empty_radio)
        start_layout.addWidget(self.demo_radio)
        start_layout.addLayout(demo_row)
        if not demo_available():
            self.demo_radio.setEnabled(False)
            self.demo_radio.setToolTip(self.tr("The demo book generator is not part of this build."))
        layout.addWidget(start_box)

        self.progress = QProgressBar(objectName="progress", visible=False)
        self.status = QLabel("", objectName="status", visible=False)
        self.status.setProperty("role", "muted")
        self.error = QLabel("", objectName="error", visible=False, wordWrap=True)
        self.error.setProperty("role", "error")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for w in (self.progress, self.status, self.error):
            layout.addWidget(w)
        layout.addStretch()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(self.tr("Create profile"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("create")
        self.create_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.mode_group.buttonToggled.connect(lambda *_: self._update_mode())
        self.start_group.buttonToggled.connect(lambda *_: self._update_mode())
        self.passphrase.textChanged.connect(self._update_strength)

    # -- state ----------------------------------------------------------------------------------------
    @property
    def key_mode(self) -> str:
        return "passphrase" if self.passphrase_radio.isChecked() else "keyring"

    def _update_mode(self) -> None:
        on = self.key_mode == "passphrase" and not self._busy
        for w in (self.passphrase, self.confirm, self.strength):
            w.setEnabled(on)
        self.demo_clients.setEnabled(self.demo_radio.isChecked() and not self._busy)
        if on and not self.passphrase.hasFocus():
            self.passphrase.setFocus()

    def _update_strength(self, text: str) -> None:
        level, hint = passphrase_strength(text)
        self.strength.setText(hint if text else "")
        self.strength.setProperty("role", f"hint-{level}")
        self.strength.style().unpolish(self.strength)
        self.strength.style().polish(self.strength)

    def _keyring_checked(self, problem: str | None) -> None:
        if not problem:
            self.keyring_note.setText(self.tr("You will not be asked for a passphrase: your computer login protects "
                                              "the key."))
            return
        self._refuse_keyring(problem)

    def _refuse_keyring(self, message: str) -> None:
        """Visible fallback: say why, then switch to passphrase mode (never silently)."""
        self._keyring_refused = True
        self.keyring_radio.setEnabled(False)
        self.keyring_radio.setToolTip(message)
        self.keyring_note.setText(arg(self.tr("The OS keyring cannot be used: %1"), message))
        self.keyring_note.setProperty("role", "error")
        self.keyring_note.style().unpolish(self.keyring_note)
        self.keyring_note.style().polish(self.keyring_note)
        self.passphrase_radio.setChecked(True)
        self._update_mode()
        self.passphrase.setFocus()
        self._fit()

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self._busy = busy
        for w in (self.passphrase_radio, self.empty_radio, self.create_button):
            w.setEnabled(not busy)
        self.keyring_radio.setEnabled(not busy and not self._keyring_refused)
        self.demo_radio.setEnabled(not busy and demo_available())
        self.cancel_button.setEnabled(not busy)
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self._update_mode()
        self._fit()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink) to fit wrapped messages and the progress bar once they appear.

        Once now and once more on the next turn of the event loop: a re-polished label (the keyring
        note turning into an error) reports its wrapped height only after the pending layout pass."""
        self._grow()
        QTimer.singleShot(0, self, self._grow)

    def _grow(self) -> None:
        layout = self.layout()
        layout.activate()
        width = self.width()
        needed = layout.heightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if needed > self.height():
            self.resize(width, needed)

    # -- work -----------------------------------------------------------------------------------------
    def create(self) -> None:
        if self._busy:
            return
        self._show_error("")
        passphrase = None
        if self.key_mode == "passphrase":
            passphrase = self.passphrase.text()
            if len(passphrase) < MIN_PASSPHRASE:
                self._show_error(arg(self.tr("Choose a passphrase of at least %1 characters."), MIN_PASSPHRASE))
                self.passphrase.setFocus()
                return
            if passphrase != self.confirm.text():
                self._show_error(self.tr("The two passphrases are not the same."))
                self.confirm.selectAll()
                self.confirm.setFocus()
                return
        self._set_busy(True, self.tr("Creating the encrypted profile…"))
        self.tasks.submit(wsvc.create_profile, self.key_mode, passphrase, self.home, kdf=self._kdf,
                          on_done=self._profile_created, on_error=self._create_failed,
                          label=self.tr("Creating the profile"))

    def _create_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = describe(exc)
        if self.key_mode == "keyring" and isinstance(exc, wsvc.StoreError):
            self._refuse_keyring(message)
            self._show_error(self.tr("The OS keyring refused the key, so this profile will use a passphrase. "
                                     "Choose one below and press Create profile again."))
            show_error(self, self.tr("OS keyring not available"), message,
                       self.tr("RM Desk will protect this profile with a passphrase instead."))
            return
        self._show_error(message)

    def _profile_created(self, ws: Any) -> None:
        self.workstation = ws
        self.passphrase.clear()
        self.confirm.clear()
        if not self.demo_radio.isChecked():
            self._finish("")
            return
        clients = self.demo_clients.value()
        self.progress.setRange(0, clients)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._set_busy(True, arg(self.tr("Writing a demo book of %1 clients…"), fmt().number(clients)))
        self.tasks.submit(_write_demo, ws, clients, self.tasks.reporter(self._demo_progress),
                          on_done=lambda _summary: self._finish(""),
                          on_error=lambda exc: self._finish(arg(self.tr(
                              "The profile was created, but the demo book could not be written: %1"), describe(exc))),
                          label=self.tr("Writing the demo book"))

    def _demo_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish(self, note: str) -> None:
        self._busy = False
        emit(self.created, self.workstation, note)
        self.accept()

    def reject(self) -> None:
        if not self._busy:  # nothing half-written: cancel is disabled while the profile is written
            super().reject()
