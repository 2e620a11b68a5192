"""Idle detection: an application-wide event filter on user input, and a coarse check timer."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from ui.qtcompat import emit

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Emits `idle` once after `timeout_ms` without keyboard, mouse or touch input; re-arms on input."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last = time.monotonic()
        self._fired = False
        self._active = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self.set_timeout(timeout_ms)

    @property
    def timeout_ms(self) -> int:
        return self._timeout_ms

    def set_timeout(self, timeout_ms: int) -> None:
        self._timeout_ms = max(50, int(timeout_ms))
        self._timer.setInterval(max(25, min(self._timeout_ms // 5, 5000)))

    def set_active(self, active: bool) -> None:
        """Only an unlocked workstation is watched. The filter sees every event of the application and
        each call takes the GIL: while locked (the lock screen, unlocking) it is not installed at all."""
        app = QCoreApplication.instance()
        if active and not self._active:
            app.installEventFilter(self)
        elif not active and self._active:
            app.removeEventFilter(self)
        self._active = active
        self.touch()
        if active:
            self._timer.start()
        else:
            self._timer.stop()

    def touch(self) -> None:
        self._last = time.monotonic()
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _INPUT:
            self._last = time.monotonic()
            self._fired = False
        return False

    def _check(self) -> None:
        if self._active and not self._fired and (time.monotonic() - self._last) * 1000 >= self._timeout_ms:
            self._fired = True
            emit(self.idle)
