"""Calendar exchange: import an .ics invitation or calendar as meetings, and export the schedule as an
.ics file (with alarms) for Outlook or Google Calendar. A malformed file or an event that names no
client is refused with the service's message and nothing is saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.schedule import IcsImportResult
from ui.dialogs.messages import describe
from ui.qtcompat import emit
from ui.views.agenda_widgets import AgendaDialog, Banner, ClientPicker

MAX_ICS_BYTES = 10 * 1024 * 1024


def read_ics(path: Path) -> bytes:
    """Runs on the worker: the file's bytes, refusing what cannot be a calendar."""
    size = path.stat().st_size
    if size > MAX_ICS_BYTES:
        raise ValueError(f"{path.name} is {size // (1024 * 1024)} MB; a calendar file is far smaller.")
    return path.read_bytes()


class IcsImportDialog(AgendaDialog):
    imported = Signal(object)  # IcsImportResult

    def __init__(self, workstation: Any, tasks: Any, path: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("icsImportDialog")
        self.setWindowTitle(self.tr("Import a calendar file"))
        intro = QLabel(self.tr("Meetings in the file are added to your agenda. An event is filed under the "
                               "client it names (an RM Desk export, or an attendee whose e-mail is on file); "
                               "otherwise under the client you choose below. Importing the same file again "
                               "updates its meetings."), wordWrap=True)
        intro.setProperty("role", "muted")
        self.path = QLineEdit(str(path or ""), objectName="icsPath")
        self.path.setAccessibleName(self.tr("Calendar file"))
        self.path.setPlaceholderText(self.tr("Choose an .ics file"))
        self.browse = QPushButton(self.tr("&Browse…"), objectName="browse")
        self.browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        self.client = ClientPicker(workstation, tasks)
        self.client.edit.setPlaceholderText(self.tr("Optional: file events without a known client under…"))
        self.client.edit.setAccessibleName(self.tr("Client for events that name none"))
        form = QFormLayout()
        form.addRow(self.tr("&File:"), row)
        form.addRow(self.tr("&Client:"), self.client)
        self.warnings = Banner(self)
        self.warnings.setObjectName("warningBanner")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        self.busy_widgets = [self.import_button, self.browse]
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(form)
        col.addWidget(self.banner)
        col.addWidget(self.warnings)
        col.addWidget(self.buttons)
        QWidget.setTabOrder(self.path, self.browse)
        QWidget.setTabOrder(self.browse, self.client)
        self.path.setFocus()
        self.resize(520, self.sizeHint().height())

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a calendar file"), self.path.text()
                                              or str(Path.home()), self.tr("Calendar files (*.ics *.ical)"))
        if path:
            self.path.setText(path)

    def do_import(self) -> None:
        self.banner.clear()
        self.warnings.clear()
        text = self.path.text().strip()
        if not text:
            self.banner.show_message(self.tr("Choose the .ics file to import."), "error")
            return
        path, client_id, ws = Path(text), self.client.client_id, self.ws
        self.run(lambda: ws.schedule.import_ics(read_ics(path), client_id), on_done=self._done,
                 on_error=lambda exc: self.banner.show_message(
                     self.tr("Nothing was imported. {0}").format(describe(exc)), "error"),
                 label=self.tr("Importing the calendar"))

    def _done(self, result: IcsImportResult) -> None:
        counts = self.tr("{0} new, {1} updated, {2} cancelled, {3} left as they were.").format(
            result.created, result.updated, result.cancelled, result.unchanged)
        self.banner.show_message(self.tr("Imported. {0}").format(counts), "info")
        if result.warnings:
            self.warnings.show_message(self.tr("Please check:") + "\n• " + "\n• ".join(result.warnings), "warn")
        self.import_button.setVisible(False)
        self.cancel_button.setText(self.tr("&Close"))
        self.cancel_button.setFocus()
        emit(self.imported, result)


class IcsExportDialog(AgendaDialog):
    exported = Signal(int, str)  # events written, path

    def __init__(self, workstation: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("icsExportDialog")
        self.setWindowTitle(self.tr("Export the calendar"))
        intro = QLabel(self.tr("Your planned contacts from today, as an .ics file for Outlook or Google "
                               "Calendar, each with a reminder."), wordWrap=True)
        intro.setProperty("role", "muted")
        self.days = QSpinBox(objectName="days", minimum=1, maximum=366)
        self.days.setValue(30)
        self.days.setSuffix(self.tr(" days"))
        self.days.setAccessibleName(self.tr("Days to export"))
        self.alarm = QSpinBox(objectName="alarm", minimum=0, maximum=24 * 60, singleStep=5)
        self.alarm.setValue(15)
        self.alarm.setSuffix(self.tr(" min before"))
        self.alarm.setAccessibleName(self.tr("Reminder minutes before each contact"))
        self.redact = QCheckBox(self.tr("&Leave client names, purposes and places out of the file"),
                                objectName="redact")
        form = QFormLayout()
        form.addRow(self.tr("&Days:"), self.days)
        form.addRow(self.tr("&Reminder:"), self.alarm)
        form.addRow("", self.redact)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(self.tr("&Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.do_export)
        self.buttons.rejected.connect(self.reject)
        self.busy_widgets = [self.export_button]
        self.lay_out(intro, form)
        self.days.setFocus()

    def do_export(self, path: str | None = None) -> None:
        self.banner.clear()
        if not path:
            suggested = str(Path.home() / f"rmdesk-agenda-{date.today().isoformat()}.ics")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the calendar"), suggested,
                                                  self.tr("Calendar files (*.ics)"))
            if not path:
                return
        ws, target = self.ws, Path(path)
        days, alarm, redact = self.days.value(), self.alarm.value(), self.redact.isChecked()
        self.run(lambda: ws.schedule.write_ics(target, days, redact=redact, alarm_minutes=alarm),
                 on_done=lambda n: self._done(n, str(target)), label=self.tr("Exporting the calendar"))

    def _done(self, count: int, path: str) -> None:
        self.banner.show_message(self.tr("Wrote {0} to {1}.").format(self.tr("%n contact(s)", "", count), path), "info")
        self.export_button.setVisible(False)
        self.cancel_button.setText(self.tr("&Close"))
        self.cancel_button.setFocus()
        emit(self.exported, count, path)
