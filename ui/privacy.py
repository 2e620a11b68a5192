"""Sensitive values on screen and on the clipboard.

* Masked until revealed: views show the masked text the services return (••/••/1980, •••••789) and
  fetch the clear value only when the user presses Reveal (the service audits every reveal).
* Copying a sensitive value puts it on the clipboard with the "password manager" hint (clipboard
  managers that honour it keep no history), and clears it again after `CLEAR_AFTER_MS` — but only if
  the clipboard still holds that value, so whatever the user copied since is left alone.
* `forget_all()` (called when a view shuts down on lock) clears a sensitive value still on the clipboard.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000
_SECRET_HINT = "x-kde-passwordManagerHint"


class ClipboardGuard(QObject):
    """Copies sensitive text and clears it after a while if it is still there."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timers: dict[str, QTimer] = {}

    @staticmethod
    def _clipboard() -> QClipboard:
        return QGuiApplication.clipboard()

    def copy(self, text: str, clear_after_ms: int | None = None) -> None:
        mime = QMimeData()
        mime.setText(text)
        mime.setData(_SECRET_HINT, b"secret")
        self._clipboard().setMimeData(mime)
        timer = self._timers.pop(text, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda t=text: self._expire(t))
        timer.start(CLEAR_AFTER_MS if clear_after_ms is None else clear_after_ms)
        self._timers[text] = timer

    def _expire(self, text: str) -> None:
        timer = self._timers.pop(text, None)
        if timer is not None:
            timer.deleteLater()
        if self._clipboard().text() == text:
            self._clipboard().clear()

    def pending(self) -> int:
        return len(self._timers)

    def forget_all(self) -> None:
        """Clear at once any sensitive value of ours that is still on the clipboard."""
        for text in list(self._timers):
            self._expire(text)


_guard: ClipboardGuard | None = None


def guard() -> ClipboardGuard:
    global _guard
    if _guard is None:
        _guard = ClipboardGuard(QGuiApplication.instance())
    return _guard


def copy_sensitive(text: str, clear_after_ms: int | None = None) -> None:
    guard().copy(text, clear_after_ms)


def forget_all() -> None:
    if _guard is not None:
        _guard.forget_all()
