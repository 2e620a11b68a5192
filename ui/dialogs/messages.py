"""Non-blocking message boxes (they never nest an event loop, so tests and workers keep running)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if detail:
        box.setInformativeText(detail)
    box.open()
    return box


def show_error(parent: QWidget | None, title: str, text: str, detail: str = "") -> QMessageBox:
    """`text` is a message for a person (str() of a StoreError/ValueError), never a traceback."""
    return _box(parent, QMessageBox.Icon.Warning, title, text, detail)


def show_info(parent: QWidget | None, title: str, text: str, detail: str = "") -> QMessageBox:
    return _box(parent, QMessageBox.Icon.Information, title, text, detail)


def describe(exc: BaseException) -> str:
    """What to tell the user about a failed background job."""
    from app.services.workstation import StoreError

    if isinstance(exc, StoreError | ValueError | OSError):
        return str(exc) or exc.__class__.__name__
    return f"Something went wrong ({exc.__class__.__name__}). The details were written to the log."
