"""The status bar: profile (folder and key mode), signed-in user, locked state, background work."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

BUSY_DELAY_MS = 300  # quick jobs never flash the busy indicator


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.busy_label = QLabel(objectName="busyLabel")
        self.busy_bar = QProgressBar(objectName="busyBar", maximumWidth=120, maximumHeight=14, textVisible=False)
        self.busy_bar.setRange(0, 0)
        self.profile_label = QLabel(objectName="profileStatus")
        self.user_label = QLabel(objectName="userStatus")
        self.state_label = QLabel(objectName="stateStatus")
        for w in (self.busy_label, self.busy_bar):
            w.setVisible(False)
            self.addPermanentWidget(w)
        for w in (self.profile_label, self.user_label, self.state_label):
            w.setContentsMargins(10, 0, 10, 0)
            self.addPermanentWidget(w)
        self._pending, self._busy_text = 0, ""
        self._show_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._show_timer.timeout.connect(self._show_busy)

    def set_profile(self, home: object, key_mode: str | None) -> None:
        how = {"passphrase": "passphrase", "keyring": "OS keyring"}.get(key_mode or "", "new")
        self.profile_label.setText(f"Profile: {home} ({how})")
        self.profile_label.setToolTip(str(home))

    def set_user(self, name: str | None) -> None:
        self.user_label.setText(f"Signed in: {name}" if name else "Not signed in")

    def set_locked(self, locked: bool) -> None:
        self.state_label.setText("Locked" if locked else "Unlocked")
        self.state_label.setAccessibleName(f"Workstation {'locked' if locked else 'unlocked'}")

    def set_activity(self, pending: int, label: str) -> None:
        """Connected to TaskRunner.activity."""
        self._pending, self._busy_text = pending, label
        if pending and not self.busy_bar.isVisible():
            if not self._show_timer.isActive():
                self._show_timer.start()
        elif not pending:
            self._show_timer.stop()
            self.busy_bar.setVisible(False)
            self.busy_label.setVisible(False)
        self.busy_label.setText(self._describe())

    def _describe(self) -> str:
        more = f" (+{self._pending - 1} more)" if self._pending > 1 else ""
        return f"{self._busy_text}…{more}" if self._busy_text else ""

    def _show_busy(self) -> None:
        if self._pending:
            self.busy_label.setText(self._describe())
            self.busy_label.setVisible(True)
            self.busy_bar.setVisible(True)
