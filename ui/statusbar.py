"""The status bar: profile (folder and key mode), signed-in user, locked state, background work."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from ui.i18n import arg

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
        self._profile: tuple[object, str | None] | None = None
        self._user: str | None = None
        self._locked = True
        self._show_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._show_timer.timeout.connect(self._show_busy)

    def set_profile(self, home: object, key_mode: str | None) -> None:
        self._profile = (home, key_mode)
        how = {"passphrase": self.tr("passphrase"), "keyring": self.tr("OS keyring")}.get(key_mode or "",
                                                                                       self.tr("new"))
        self.profile_label.setText(arg(self.tr("Profile: %1 (%2)"), home, how))
        self.profile_label.setToolTip(str(home))

    def set_user(self, name: str | None) -> None:
        self._user = name
        self.user_label.setText(arg(self.tr("Signed in: %1"), name) if name else self.tr("Not signed in"))

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self.state_label.setText(self.tr("Locked") if locked else self.tr("Unlocked"))
        self.state_label.setAccessibleName(self.tr("Workstation locked") if locked
                                           else self.tr("Workstation unlocked"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            if self._profile is not None:
                self.set_profile(*self._profile)
            self.set_user(self._user)
            self.set_locked(self._locked)
        super().changeEvent(event)

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
        if not self._busy_text:
            return ""
        if self._pending > 1:
            return arg(self.tr("%1… (+%2 more)"), self._busy_text, self._pending - 1)
        return f"{self._busy_text}…"

    def _show_busy(self) -> None:
        if self._pending:
            self.busy_label.setText(self._describe())
            self.busy_label.setVisible(True)
            self.busy_bar.setVisible(True)
