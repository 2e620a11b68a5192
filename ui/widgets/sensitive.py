"""A masked value with Reveal / Hide and Copy: date of birth, tax id, account number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui import privacy
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
        self.text.setToolTip(self.tr("Could not reveal: %1").replace("%1", str(exc)))

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
