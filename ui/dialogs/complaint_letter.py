"""Letters to the client about a case, previewed inside the app before they are saved or printed.

The PDF comes from ComplaintService.letter_pdf on the DB worker and is shown in the shared PdfPreview
(bytes in memory: nothing touches the disk for a preview; pages, zoom, Print…). Save writes the
letter as previewed through write_letter, which also records it on the case; the password for the
saved file is the one in the field when Save is pressed.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import BaseDialog
from ui.dialogs.pdf_preview import PdfPreview, Saver
from ui.format import fmt
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import message_of, outcome_labels

KINDS = ("acknowledgement", "delay_notice", "final_response")


# -- worker side ----------------------------------------------------------------------------------------

def letter_pdf(ws: Any, case_id: str, kind: str, options: dict[str, Any]) -> bytes:
    return ws.complaints.letter_pdf(case_id, kind, **options)


def write_letter(ws: Any, case_id: str, kind: str, path: Path, options: dict[str, Any]) -> Path:
    return ws.complaints.write_letter(case_id, kind, path, **options)


class LetterDialog(BaseDialog):
    written = Signal(object)  # the path written

    def __init__(self, ws: Any, tasks: Any, case: Any, kind: str = "acknowledgement",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterDialog")
        self.ws, self.case = ws, case
        self.jobs = Jobs(tasks)
        self._shown: tuple[str, dict[str, Any]] | None = None  # kind and options of the letter on show
        self.setWindowTitle(self.tr("Letter for %1").replace("%1", case.reference))
        self.resize(1000, 760)

        outer = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter, 1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 8, 0)
        form = QFormLayout()
        self.kind = QComboBox(objectName="letterKind")
        for code, text in zip(KINDS, (self.tr("Acknowledgement"), self.tr("Delay notice"),
                                      self.tr("Final response")), strict=True):
            self.kind.addItem(text, code)
        self.kind.setAccessibleName(self.tr("Letter"))
        kind_label = QLabel(self.tr("&Letter:"))
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, self.kind)
        side_layout.addLayout(form)

        self.options = QStackedWidget(objectName="letterOptions")
        ack_page = QWidget()
        ack_layout = QVBoxLayout(ack_page)
        ack_layout.setContentsMargins(0, 0, 0, 0)
        ack = QLabel(self.tr("Tells the client we have their complaint, who is handling it and by when "
                             "they will have our final response."))
        ack.setWordWrap(True)
        ack.setProperty("role", "muted")
        ack_layout.addWidget(ack)
        ack_layout.addStretch()
        self.options.addWidget(ack_page)

        delay = QWidget()
        delay_form = QFormLayout(delay)
        delay_form.setContentsMargins(0, 0, 0, 0)
        self.reasons = QPlainTextEdit(objectName="delayReasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setPlaceholderText(self.tr("Why we cannot respond in time (the client must be told)"))
        self.reasons.setAccessibleName(self.tr("Reasons for the delay"))
        reasons_label = QLabel(self.tr("&Reasons:"))
        reasons_label.setBuddy(self.reasons)
        delay_form.addRow(reasons_label, self.reasons)
        self.has_expected = QCheckBox(self.tr("We now expect to respond &by"), objectName="hasExpected")
        self.expected = QDateEdit(QDate.currentDate().addDays(14), objectName="expectedBy")
        self.expected.setCalendarPopup(True)
        fmt().dress_date_edit(self.expected)
        self.expected.setAccessibleName(self.tr("Expected response date"))
        self.expected.setEnabled(False)
        self.has_expected.toggled.connect(self.expected.setEnabled)
        delay_form.addRow(self.has_expected, self.expected)
        self.options.addWidget(delay)

        final = QWidget()
        final_form = QFormLayout(final)
        final_form.setContentsMargins(0, 0, 0, 0)
        self.outcome = QComboBox(objectName="letterOutcome")
        for code in ("upheld", "partly_upheld", "not_upheld"):
            self.outcome.addItem(outcome_labels()[code], code)
        if case.outcome in ("upheld", "partly_upheld", "not_upheld"):
            self.outcome.setCurrentIndex(self.outcome.findData(case.outcome))
        self.outcome.setAccessibleName(self.tr("Outcome"))
        outcome_label = QLabel(self.tr("&Outcome:"))
        outcome_label.setBuddy(self.outcome)
        final_form.addRow(outcome_label, self.outcome)
        self.response = QPlainTextEdit(objectName="responseText")
        self.response.setTabChangesFocus(True)
        self.response.setPlaceholderText(self.tr("What we found, and why we decided as we did"))
        self.response.setAccessibleName(self.tr("Our response"))
        response_label = QLabel(self.tr("Res&ponse:"))
        response_label.setBuddy(self.response)
        final_form.addRow(response_label, self.response)
        self.options.addWidget(final)
        side_layout.addWidget(self.options, 1)

        self.password = QLineEdit(objectName="letterPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Optional: encrypt the saved PDF"))
        self.password.setAccessibleName(self.tr("Password for the saved PDF"))
        pw_form = QFormLayout()
        pw_label = QLabel(self.tr("Pass&word:"))
        pw_label.setBuddy(self.password)
        pw_form.addRow(pw_label, self.password)
        side_layout.addLayout(pw_form)

        buttons = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Pre&view"), objectName="previewButton")
        self.close_button = QPushButton(self.tr("Close"), objectName="closeLetter")
        for b in (self.preview_button, self.close_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.preview_button.setDefault(True)
        side_layout.addLayout(buttons)
        splitter.addWidget(side)

        # the shared preview: its bar holds Save… and Print…, its status line says how the letter is doing
        self.pdf_preview = PdfPreview(self.jobs)
        self.pdf_preview.view.setObjectName("letterPreview")
        self.pdf_preview.view.setAccessibleName(self.tr("Letter preview"))
        self.pdf_preview.print_button.setText(self.tr("P&rint…"))  # Alt+P is the response's
        self.document = self.pdf_preview.document
        self.status = self.pdf_preview.status
        self.save_button = self.pdf_preview.save_button
        self.print_button = self.pdf_preview.print_button
        for b in (self.save_button, self.print_button):
            b.setAutoDefault(False)  # Enter previews
        self.document.statusChanged.connect(self._doc_status)  # after the preview's own: the letter's words
        self.pdf_preview.saved.connect(self._saved)
        splitter.addWidget(self.pdf_preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 670])

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.preview_button.clicked.connect(self.preview)
        self.close_button.clicked.connect(self.reject)
        self.password.textChanged.connect(lambda _t: self.pdf_preview.set_saver(self._saver()))
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self._kind_changed()
        self.kind.setFocus()

    # -- options -------------------------------------------------------------------------------------
    def letter_kind(self) -> str:
        return self.kind.currentData()

    def letter_options(self) -> dict[str, Any]:
        kind = self.letter_kind()
        if kind == "delay_notice":
            expected: date | None = self.expected.date().toPython() if self.has_expected.isChecked() else None
            return {"reasons": self.reasons.toPlainText(), "expected_by": expected}
        if kind == "final_response":
            return {"outcome": self.outcome.currentData(), "response": self.response.toPlainText()}
        return {}

    @property
    def pdf(self) -> bytes | None:
        return self.pdf_preview.pdf

    def _kind_changed(self) -> None:
        self.options.setCurrentIndex(KINDS.index(self.letter_kind()))
        self._shown = None
        self.pdf_preview.clear()
        if self.letter_kind() == "acknowledgement":
            self.preview()
        else:
            self._say(self.tr("Fill in the letter, then Preview."), "muted")

    def _say(self, text: str, role: str = "muted") -> None:
        self.pdf_preview.say(text, role)

    # -- preview ---------------------------------------------------------------------------------------
    def preview(self) -> None:
        self._say(self.tr("Preparing the preview…"))
        self.preview_button.setEnabled(False)
        kind, options = self.letter_kind(), self.letter_options()
        self.jobs.run(letter_pdf, self.ws, self.case.id, kind, options, label=self.tr("Preparing the letter"),
                      on_done=lambda pdf: self._show(kind, options, pdf), on_error=self._failed)

    def _show(self, kind: str, options: dict[str, Any], pdf: bytes) -> None:
        self.preview_button.setEnabled(True)
        if kind != self.letter_kind():
            return
        self._shown = (kind, options)
        title = self.tr("%1 — %2").replace("%1", self.kind.currentText()).replace("%2", self.case.reference)
        self.pdf_preview.show_pdf(pdf, title, saver=self._saver(),
                                  suggested_name=f"{self.case.reference}-{kind.replace('_', '-')}.pdf")
        self._doc_status(self.document.status())

    def _doc_status(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready and self.pdf is not None:
            pages = self.tr("%n page(s)", "", self.document.pageCount())
            self._say(self.tr("Preview of the %1 (%2). Save or print it when it reads right.")
                      .replace("%1", self.kind.currentText().lower()).replace("%2", pages))

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self._say(message_of(exc), "error")

    # -- save -----------------------------------------------------------------------------------------
    def _saver(self) -> Saver | None:
        """Save (on the worker) the letter on show, with the password the field holds now."""
        if self._shown is None:
            return None
        kind, options = self._shown
        if self.password.text():
            options = {**options, "password": self.password.text()}
        return partial(write_letter, self.ws, self.case.id, kind, options=options)

    def choose_file(self) -> None:
        self.pdf_preview.choose_file()

    def save_to(self, path: Path) -> Any:
        return self.pdf_preview.save_to(Path(path))

    def _saved(self, path: Path) -> None:
        self._say(self.tr("Saved to %1 and recorded on the case.").replace("%1", str(path)), "hint-strong")
        emit(self.written, path)

    def done(self, result: int) -> None:
        self.jobs.close()
        self.pdf_preview.shutdown()
        super().done(result)
