"""Sensitive values on screen: date of birth, tax id, account number.

* `SensitiveField` shows a masked value with Reveal / Hide and Copy (the client 360).
* `MaskedEditor` is the same value in a form: masked until Reveal, and replaceable without revealing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from ui import privacy
from ui.i18n.app_messages import error_text
from ui.qtcompat import emit


class SensitiveField(QWidget):
    """Shows `masked`; Reveal runs `fetch()` on the DB worker (the service audits it) and shows the value.

    `fetch` is a plain callable for the worker; `format_value` turns what it returns into display text.
    """

    revealed = Signal(str)

    def __init__(self, label: str, masked: str | None, fetch: Callable[[], Any] | None, tasks: Any,
                 format_value: Callable[[Any], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._masked = masked or ""
        self._fetch = fetch
        self._tasks = tasks
        self._format = format_value or (lambda v: "" if v is None else str(v))
        self._value: str | None = None
        self._handle = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.text = QLabel(self._masked or self.tr("Not recorded"))
        self.text.setAccessibleName(label)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.text.setMinimumWidth(self.text.fontMetrics().horizontalAdvance("0000-00-00 0000"))
        self.reveal_button = QPushButton(self.tr("Reveal"))
        self.reveal_button.setAccessibleName(self.tr("Reveal %1").replace("%1", label))
        self.reveal_button.setToolTip(self.tr("Show the full value (the reveal is recorded in the audit log)"))
        self.reveal_button.clicked.connect(self.toggle)
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy %1").replace("%1", label))
        self.copy_button.setToolTip(self.tr("Copy to the clipboard; it is cleared again after 30 seconds"))
        self.copy_button.clicked.connect(self.copy)
        self.copy_button.setVisible(False)
        for button in (self.reveal_button, self.copy_button):
            button.setProperty("role", "small")
        row.addWidget(self.text)
        row.addWidget(self.reveal_button)
        row.addWidget(self.copy_button)
        row.addStretch()
        enabled = bool(self._masked) and fetch is not None
        self.reveal_button.setVisible(enabled)

    @property
    def value(self) -> str | None:
        return self._value

    @property
    def is_revealed(self) -> bool:
        return self._value is not None

    def toggle(self) -> None:
        if self.is_revealed:
            self.hide_value()
        else:
            self.reveal()

    def reveal(self) -> None:
        if self._fetch is None or self._handle is not None:
            return
        self.reveal_button.setEnabled(False)
        self.text.setText(self.tr("Revealing…"))
        self._handle = self._tasks.submit(self._fetch, on_done=self._shown, on_error=self._failed,
                                          label=self.tr("Revealing %1").replace("%1", self._label))

    def _shown(self, value: Any) -> None:
        self._handle = None
        self._value = self._format(value)
        self.text.setText(self._value or self.tr("Not recorded"))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button.setEnabled(True)
        self.reveal_button.setText(self.tr("Hide"))
        self.reveal_button.setAccessibleName(self.tr("Hide %1").replace("%1", self._label))
        self.copy_button.setVisible(bool(self._value))
        emit(self.revealed, self._value or "")

    def _failed(self, exc: BaseException) -> None:
        self._handle = None
        self.reveal_button.setEnabled(True)
        self.text.setText(self._masked)
        self.text.setToolTip(self.tr("Could not reveal: %1").replace("%1", error_text(exc)))

    def hide_value(self) -> None:
        self._value = None
        self.text.setText(self._masked or self.tr("Not recorded"))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.reveal_button.setText(self.tr("Reveal"))
        self.reveal_button.setAccessibleName(self.tr("Reveal %1").replace("%1", self._label))
        self.copy_button.setVisible(False)

    def copy(self) -> None:
        if self._value:
            privacy.copy_sensitive(self._value)

    def shutdown(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self.hide_value()


class MaskedEditor(QWidget):
    """A sensitive field of a form, shown masked while the form does not hold its value.

    `editor` is the field's real input (a QLineEdit, a QDateEdit). While masked, a read-only line shows
    the masked text instead and the form keeps the stored value as it is (`kept`). Reveal runs
    `fetch()` on the DB worker (the service audits it), then shows the editor and emits `revealed`
    with the value so the form can put it in. Typing over the mask (or Backspace / Delete / Paste)
    replaces the value without revealing it: `replacing` is emitted (the form readies the editor)
    and the key goes on to the editor.
    """

    revealed = Signal(object)  # the clear value, as `fetch` returned it
    replacing = Signal()

    def __init__(self, label: str, editor: QWidget, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._tasks = tasks
        self._fetch: Callable[[], Any] | None = None
        self._handle: Any = None
        self._kept = False
        self._masked = ""
        self._focus_editor = False
        self.editor = editor
        self.mask = QLineEdit()
        self.mask.setReadOnly(True)
        self.mask.setAccessibleName(label)
        self.mask.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        hint = self.tr("Masked: Reveal shows it (recorded in the audit log); typing replaces it unseen")
        self.mask.setToolTip(hint)
        self.mask.setAccessibleDescription(hint)
        self.mask.installEventFilter(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.mask)
        self.stack.addWidget(editor)
        self.stack.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.reveal_button = QPushButton(self.tr("Reveal"))
        self.reveal_button.setProperty("role", "small")
        self.reveal_button.setAccessibleName(self.tr("Reveal %1").replace("%1", label))
        self.reveal_button.setAutoDefault(False)
        self.reveal_button.clicked.connect(self.reveal)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.stack, 1)
        row.addWidget(self.reveal_button)
        self.set_masked(None)

    @property
    def kept(self) -> bool:
        """Masked and untouched: the stored value stays as it is."""
        return self._kept

    def set_masked(self, masked: str | None, fetch: Callable[[], Any] | None = None) -> None:
        """Show `masked` (revealed through `fetch`); None or "" means nothing stored: the editor, empty."""
        self.cancel()
        self._kept = bool(masked)
        self._masked = masked or ""
        self._fetch = fetch if masked else None
        self.mask.setPlaceholderText(masked or "")
        self.reveal_button.setText(self.tr("Reveal"))
        self.reveal_button.setToolTip(self.tr("Show the stored value (the reveal is recorded in the audit log)"))
        self.reveal_button.setEnabled(True)
        self.reveal_button.setVisible(self._fetch is not None)  # and stays, disabled, once used: nothing moves
        self._show(self.mask if masked else self.editor)

    def _show(self, page: QWidget) -> None:
        had_focus = self.stack.currentWidget().hasFocus() or self.reveal_button.hasFocus()
        self.stack.setCurrentWidget(page)
        self.setFocusProxy(page)
        if page is self.editor:
            self.reveal_button.setEnabled(False)
        if had_focus:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    def reveal(self) -> None:
        if not self._kept or self._fetch is None or self._handle is not None:
            return
        self._focus_editor = self.reveal_button.hasFocus() or self.mask.hasFocus()
        self.reveal_button.setEnabled(False)
        self.mask.setPlaceholderText(self.tr("Revealing…"))
        self._handle = self._tasks.submit(self._fetch, on_done=self._shown, on_error=self._failed,
                                          label=self.tr("Revealing %1").replace("%1", self._label))

    def _shown(self, value: Any) -> None:
        self._handle = None
        self._kept = False
        self.reveal_button.setText(self.tr("Revealed"))
        self.reveal_button.setToolTip(self.tr("Shown in full; the reveal is recorded in the audit log"))
        self._show(self.editor)
        if self._focus_editor:  # Reveal had the focus: the user goes on in the field itself
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        emit(self.revealed, value)

    def _failed(self, exc: BaseException) -> None:
        self._handle = None
        self.reveal_button.setEnabled(True)
        self.mask.setPlaceholderText(self._masked)
        self.mask.setToolTip(self.tr("Could not reveal: %1").replace("%1", error_text(exc)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.mask and event.type() == QEvent.Type.KeyPress and self._kept \
                and self._handle is None and _edits(event):
            self._kept = False
            self._show(self.editor)
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            emit(self.replacing)
            QCoreApplication.sendEvent(self.editor, QKeyEvent(event.type(), event.key(), event.modifiers(),
                                                              event.text()))
            return True
        return super().eventFilter(watched, event)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def _edits(event: QKeyEvent) -> bool:
    """A key that would change the text of a field: a character, Backspace, Delete or Paste."""
    if event.matches(QKeySequence.StandardKey.Paste):
        return True
    if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        return True
    command = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
    text = event.text()
    return bool(text) and text.isprintable() and not event.modifiers() & command
