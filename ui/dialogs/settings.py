"""Settings, generated from app.services.settings.REGISTRY: one typed editor per setting, saved on the
DB worker through workstation.settings.set; a refused value shows its message under its editor.

The registry's labels are English (the core never translates); LABELS repeats them marked for
lupdate, and a test keeps the two the same. The locale and the currency apply as soon as they are
saved (the session re-renders every area), and the locale's language with them."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.messages import text_of
from app.services.settings import REGISTRY, SettingDef
from ui.dialogs.base import BaseDialog
from ui.dialogs.messages import describe
from ui.i18n.app_messages import localise
from ui.qtcompat import emit
from ui.tasks import TaskRunner

CONTEXT = "SettingsDialog"
SCOPES = {"org": QT_TRANSLATE_NOOP("SettingsDialog", "Organisation"), "user": QT_TRANSLATE_NOOP("SettingsDialog", "You")}
CHOICE_LABELS = {
    "asic": QT_TRANSLATE_NOOP("SettingsDialog", "ASIC (Australia, RG 271)"), "fca": QT_TRANSLATE_NOOP("SettingsDialog", "FCA (United Kingdom, DISP)"),
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "Follow the system"), "light": QT_TRANSLATE_NOOP("SettingsDialog", "Light"), "dark": QT_TRANSLATE_NOOP("SettingsDialog", "Dark"),
}
# REGISTRY's labels, marked for translation (tests/ui/test_i18n.py checks they match the registry)
LABELS = {
    "org.name": QT_TRANSLATE_NOOP("SettingsDialog", "Organisation name"),
    "org.region": QT_TRANSLATE_NOOP("SettingsDialog", "Region for public holidays (ISO 3166-2)"),
    "org.timezone": QT_TRANSLATE_NOOP("SettingsDialog", "Branch time zone"),
    "org.complaint_regime": QT_TRANSLATE_NOOP("SettingsDialog", "Complaint regime"),
    "org.currency": QT_TRANSLATE_NOOP("SettingsDialog", "Reporting currency"),
    "org.approval_limits": QT_TRANSLATE_NOOP("SettingsDialog", "Compensation approval limits by role"),
    "org.branding": QT_TRANSLATE_NOOP("SettingsDialog", "Report branding (logo, colours, footer)"),
    "org.recurrence_threshold": QT_TRANSLATE_NOOP("SettingsDialog", "Root cause recurrences that flag a systemic issue"),
    "org.recurrence_window_days": QT_TRANSLATE_NOOP("SettingsDialog", "Window for recurring root causes (days)"),
    "user.idle_lock_minutes": QT_TRANSLATE_NOOP("SettingsDialog", "Lock after idle minutes"),
    "user.locale": QT_TRANSLATE_NOOP("SettingsDialog", "Locale for numbers, money and dates"),
    "user.portfolio_views": QT_TRANSLATE_NOOP("SettingsDialog", "Saved portfolio views"),
    "user.theme": QT_TRANSLATE_NOOP("SettingsDialog", "Colour theme"),
}
HINTS = {
    "user.locale": QT_TRANSLATE_NOOP("SettingsDialog", "For example en_AU, en_GB or fr_FR. RM Desk also speaks the locale's language where a "
                             "translation exists (French so far). Applies as soon as you save: open screens are "
                             "reloaded."),
    "org.currency": QT_TRANSLATE_NOOP("SettingsDialog", "Applies as soon as you save: open screens are reloaded."),
}


def tr(text: str) -> str:
    """`text` (marked above) in the current language."""
    return QCoreApplication.translate(CONTEXT, text)


def label_of(d: SettingDef) -> str:
    return tr(LABELS.get(d.key, d.label))
INT_MAX = 2**31 - 1


def make_editor(d: SettingDef) -> QWidget:
    if d.kind is int:
        editor = QSpinBox()
        editor.setRange(d.minimum if d.minimum is not None else 0, d.maximum if d.maximum is not None else INT_MAX)
        editor.setKeyboardTracking(False)
        editor.setMinimumWidth(110)
        editor.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    elif d.choices is not None:
        editor = QComboBox()
        for choice in d.choices:
            editor.addItem(tr(CHOICE_LABELS.get(str(choice), str(choice))), choice)
        editor.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    elif d.kind is dict:
        editor = QPlainTextEdit()
        editor.setReadOnly(True)
        editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        editor.setMaximumHeight(editor.fontMetrics().lineSpacing() * 3 + 12)
        editor.setToolTip(QCoreApplication.translate(
            "SettingsDialog", "Read-only for now: this setting gets its own editor with its feature."))
    else:
        editor = QLineEdit()
    editor.setObjectName(d.key)
    editor.setAccessibleName(label_of(d))
    return editor


def editor_value(editor: QWidget) -> Any:
    if isinstance(editor, QSpinBox):
        editor.interpretText()
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QLineEdit):
        return editor.text()
    return None  # read-only views


def set_editor_value(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QComboBox):
        index = editor.findData(value)
        editor.setCurrentIndex(max(index, 0))
    elif isinstance(editor, QLineEdit):
        editor.setText("" if value is None else str(value))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(json.dumps(value, sort_keys=True, separators=(", ", ": ")))


def _save(ws: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Worker side: set each value; a ValueError for one key does not stop the others."""
    saved, errors = {}, {}
    for key, value in values.items():
        try:
            saved[key] = ws.settings.set(key, value)
        except ValueError as exc:
            errors[key] = text_of(exc)  # a Message stays one: translated when shown
    return saved, errors


class SettingsDialog(BaseDialog):
    """Emits `saved(values)` (every setting, after the save) and closes when all values were accepted."""

    saved = Signal(dict)

    def __init__(self, workstation: Any, tasks: TaskRunner, parent: QWidget | None = None,
                 registry: dict[str, SettingDef] | None = None) -> None:
        super().__init__(parent)
        self.ws = workstation
        self.tasks = tasks
        self.registry = registry or REGISTRY
        self.values: dict[str, Any] = {}
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsDialog")
        self.resize(780, 620)
        self._build()
        self._set_busy(True, self.tr("Loading…"))
        self.tasks.submit(self.ws.settings.all, on_done=self._loaded, on_error=self._failed,
                          label=self.tr("Loading settings"))

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for scope, title in SCOPES.items():
            defs = [d for d in self.registry.values() if d.scope == scope]
            if not defs:
                continue
            box = QGroupBox(tr(title))
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for d in defs:
                editor = make_editor(d)
                error = QLabel(objectName=f"error:{d.key}", visible=False)
                error.setProperty("role", "error")
                cell = QVBoxLayout()
                cell.setSpacing(2)
                cell.addWidget(editor)
                if d.key in HINTS:
                    hint = QLabel(tr(HINTS[d.key]), objectName=f"hint:{d.key}", wordWrap=True)
                    hint.setProperty("role", "muted")
                    cell.addWidget(hint)
                cell.addWidget(error)
                label = QLabel(self.tr("%1:").replace("%1", label_of(d)))
                label.setBuddy(editor)
                form.addRow(label, cell)
                self.editors[d.key], self.errors[d.key] = editor, error
            body_layout.addWidget(box)
        body_layout.addStretch()
        scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll)
        self.status = QLabel(objectName="settingsStatus", wordWrap=True)
        self.status.setProperty("role", "muted")
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self.save_button.setEnabled(not busy)
        for editor in self.editors.values():
            editor.setEnabled(not busy)
        self.status.setText(status)

    def _loaded(self, values: dict[str, Any]) -> None:
        self.values = dict(values)
        for key, editor in self.editors.items():
            set_editor_value(editor, values.get(key, self.registry[key].default))
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False, describe(exc))
        self.status.setProperty("role", "error")
        self.status.style().polish(self.status)

    def changed_values(self) -> dict[str, Any]:
        out = {}
        for key, editor in self.editors.items():
            value = editor_value(editor)
            if value is not None and value != self.values.get(key):
                out[key] = value
        return out

    def save(self) -> None:
        changes = self.changed_values()
        if not changes:
            self.accept()
            return
        self.save_values(changes)

    def save_values(self, values: dict[str, Any]) -> None:
        """Save `values` (key -> value) on the worker; also the automation entry point for tests."""
        for label in self.errors.values():
            label.setVisible(False)
        self._set_busy(True, self.tr("Saving…"))
        self.tasks.submit(_save, self.ws, values, on_done=self._saved, on_error=self._failed,
                          label=self.tr("Saving settings"))

    def _saved(self, result: tuple[dict[str, Any], dict[str, str]]) -> None:
        saved, errors = result
        self.values.update(saved)
        self._set_busy(False)
        if saved:
            emit(self.saved, dict(self.values))
        for key, message in errors.items():
            label = self.errors.get(key)
            if label is not None:
                label.setText(localise(message))
                label.setVisible(True)
        if errors:
            first = next(iter(errors))
            if first in self.editors:
                self.editors[first].setFocus()
            self.status.setText(self.tr("Some values were not saved; see the messages above."))
            return
        self.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        # Enter in a field saves via the default button only when idle.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.save_button.isEnabled():
            return
        super().keyPressEvent(event)
