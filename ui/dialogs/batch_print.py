"""Batch printing of review packs: tomorrow's meetings or chosen clients, into a folder, with a progress
bar fed from the worker and a Cancel that stops the run (the service removes any half-written file).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import message_of, set_role


def run_batch(ws: Any, client_ids: Sequence[str] | None, folder: Path, sections: Sequence[str] | None,
              progress: Any, cancel: threading.Event) -> Any:
    """On the DB worker: None for client_ids means tomorrow's meetings."""
    from app.services.batch_print import print_review_packs, print_tomorrows_packs

    if client_ids is None:
        return print_tomorrows_packs(ws.reports, folder, sections=sections, progress=progress, cancel=cancel)
    return print_review_packs(ws.reports, list(client_ids), folder, sections=sections, progress=progress,
                              cancel=cancel)


class BatchPrintDialog(QDialog):
    finished_batch = Signal(object)  # BatchResult

    def __init__(self, ws: Any, tasks: Any, selected: Sequence[tuple[str, str]] = (),
                 sections: Sequence[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Batch print review packs"))
        self.setObjectName("batchPrintDialog")
        self.ws, self.tasks = ws, tasks
        self.jobs = Jobs(tasks)
        self.selected = list(selected)
        self.sections = list(sections) if sections else None
        self.cancel_event: threading.Event | None = None
        self.result: Any = None
        self.last_progress: tuple[int, int] = (0, 0)

        layout = QVBoxLayout(self)
        self.tomorrow = QRadioButton(self.tr("Packs for &tomorrow's meetings"), objectName="batchTomorrow")
        names = ", ".join(n for _c, n in self.selected[:4]) + ("…" if len(self.selected) > 4 else "")
        self.chosen = QRadioButton(self.tr("The &selected clients (%1): %2").replace("%1", str(len(self.selected)))
                                   .replace("%2", names or self.tr("none")), objectName="batchSelected")
        self.chosen.setEnabled(bool(self.selected))
        (self.chosen if self.selected else self.tomorrow).setChecked(True)
        layout.addWidget(self.tomorrow)
        layout.addWidget(self.chosen)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Output &folder:")))
        self.folder = QLineEdit(str(Path.home()), objectName="batchFolder")
        self.folder.setAccessibleName(self.tr("Output folder"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)

        self.progress = QProgressBar(objectName="batchProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        layout.addWidget(self.progress)
        self.status = QLabel("", objectName="batchStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(self.tr("&Print"), objectName="batchStart")
        self.cancel_button = QPushButton(self.tr("Cancel batch"), objectName="batchCancel")
        self.close_button = QPushButton(self.tr("Close"), objectName="batchClose")
        self.cancel_button.setEnabled(False)
        for b in (self.start_button, self.cancel_button, self.close_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.start_button.setDefault(True)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.resize(520, 220)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Print the packs into"), self.folder.text())
        if path:
            self.folder.setText(path)

    def _say(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        set_role(self.status, role)

    @property
    def running(self) -> bool:
        return self.cancel_event is not None

    def start(self) -> None:
        if self.running:
            return
        folder = Path(self.folder.text().strip())
        ids = None if self.tomorrow.isChecked() else [c for c, _n in self.selected]
        self.cancel_event = threading.Event()
        self.result = None
        self.last_progress = (0, 0)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._say(self.tr("Starting the print workers…"))
        report = self.tasks.reporter(self._progress)
        self.jobs.run(run_batch, self.ws, ids, folder, self.sections, report, self.cancel_event,
                      label=self.tr("Printing review packs"), on_done=self._done, on_error=self._failed)

    def _progress(self, done: int, total: int) -> None:
        if not self.running:
            return
        self.last_progress = (done, total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self._say(self.tr("%1 of %2 packs done…").replace("%1", str(done)).replace("%2", str(total)))

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self._say(self.tr("Cancelling: waiting for the packs being written to finish…"))

    def _done(self, result: Any) -> None:
        self.cancel_event = None
        self.result = result
        self.last_progress = (len(result.written) + len(result.failures), result.total)
        self.progress.setRange(0, max(result.total, 1))
        self.progress.setValue(self.last_progress[0])
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        text = result.describe()
        if result.failures:
            text += "\n" + "\n".join(f"{f.client_name or f.client_id}: {f.message}" for f in result.failures[:5])
        self._say(text, "error" if result.failures else "hint-strong")
        emit(self.finished_batch, result)

    def _failed(self, exc: BaseException) -> None:
        self.cancel_event = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._say(message_of(exc), "error")

    def reject(self) -> None:
        if self.running:  # first Escape/Close cancels the run; the dialog stays to report it
            self.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        self.jobs.close()
        super().done(result)
