"""Non-blocking message boxes (they never nest an event loop, so tests and workers keep running)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.messages import Message
from ui.i18n import TranslationContext
from ui.i18n.app_messages import error_text


class Messages(TranslationContext):
    pass


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
    """What to tell the user about a failed background job, in the user's language: an error raised
    for the user (a translatable app Message, a StoreError, ValueError or OSError) says what happened;
    anything else is a bug, whose details go to the log."""
    from app.services.workstation import StoreError

    if isinstance(exc, StoreError | ValueError | OSError) or any(isinstance(a, Message) for a in exc.args):
        return error_text(exc)
    return Messages.tr("Something went wrong (%1). The details were written to the log.").replace(
        "%1", exc.__class__.__name__)
