"""A small base for the case's editing dialogs: a form, an inline error, OK runs one service call.

The call runs on the DB worker; a refusal (IllegalTransition, ApprovalRefused, ValueError ...) is
shown in the dialog in the service's own words and nothing changes; success emits `succeeded` with
the service's answer and closes the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.dialogs.base import BaseDialog
from ui.i18n.app_messages import localise
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import field_errors, message_of, set_role


class CaseFormDialog(BaseDialog):
    succeeded = Signal(object)

    def __init__(self, ws: Any, tasks: Any, title: str, ok_text: str, parent: QWidget | None = None,
                 intro: str = "") -> None:
        super().__init__(parent)
        self.ws = ws
        self.jobs = Jobs(tasks)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        outer = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            note.setProperty("role", "muted")
            outer.addWidget(note)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        self.error = QLabel(objectName="dialogError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.error, "error")
        self.error.hide()
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.ok_text = ok_text
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("okButton")
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setAutoDefault(False)
        self.ok.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        outer.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

    def add_row(self, text: str, widget: QWidget, name: str = "") -> QWidget:
        lab = QLabel(text)
        lab.setBuddy(widget)
        widget.setAccessibleName(name or text.replace("&", "").rstrip(":"))
        self.form.addRow(lab, widget)
        return widget

    # -- to override ---------------------------------------------------------------------------------
    def call(self) -> tuple[Callable[..., Any], tuple[Any, ...]] | None:
        """The worker function and its arguments, or None after showing what is missing."""
        raise NotImplementedError

    # -- running -------------------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.grow()

    def grow(self) -> None:
        """Make room for a message that appeared after the dialog was laid out."""
        hint = self.sizeHint()
        if hint.height() > self.height():
            self.resize(self.width(), hint.height())

    def submit(self) -> None:
        if not self.ok.isEnabled():
            return
        self.show_error("")
        planned = self.call()
        if planned is None:
            return
        fn, args = planned
        self.ok.setEnabled(False)
        self.ok.setText(self.tr("Working…"))
        self.jobs.run(fn, *args, label=self.windowTitle(), on_done=self._done, on_error=self._failed)

    def _done(self, result: Any) -> None:
        emit(self.succeeded, result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.ok.setText(self.ok_text)
        errors = field_errors(exc)
        self.show_error(" ".join(localise(v) for v in errors.values()) if errors else message_of(exc))

    def done(self, result: int) -> None:
        self.jobs.close()
        super().done(result)
