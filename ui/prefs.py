"""Window-level preferences (geometry, last theme) in QSettings; business settings live in the profile."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "RM Desk"
APPLICATION = "RM Desk"


def qsettings() -> QSettings:
    """The app's QSettings, in whatever format and path `QSettings.setDefaultFormat/setPath` chose
    (tests point it at a temporary folder)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION, APPLICATION)
