"""The one dialog base: every dialog remembers its size and position in QSettings."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from ui.prefs import qsettings


class BaseDialog(QDialog):
    """Subclasses may set `geometry_key`; by default the class name is used."""

    geometry_key: str | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._geometry_restored = False

    @property
    def _settings_key(self) -> str:
        return f"dialogs/{self.geometry_key or type(self).__name__}/geometry"

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if not self._geometry_restored:
            self._geometry_restored = True
            saved = qsettings().value(self._settings_key)
            if saved is not None:
                self.restoreGeometry(saved)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.save_geometry()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.save_geometry()
        super().closeEvent(event)

    def save_geometry(self) -> None:
        settings = qsettings()
        settings.setValue(self._settings_key, self.saveGeometry())
        settings.sync()
