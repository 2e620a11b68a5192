"""Letters to the client about a case, previewed inside the app before they are saved or printed.

The PDF comes from ComplaintService.letter_pdf on the DB worker and is shown with QtPdf (the bytes
are loaded through a QBuffer: nothing touches the disk for a preview). Save writes it through
write_letter, which also records the letter on the case; Print renders the pages to a QPrinter.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
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
from ui.qtcompat import emit
from ui.views.complaint_common import Jobs, message_of, outcome_labels, plural, set_role

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
        self.pdf: bytes | None = None
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None
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
        self.expected.setDisplayFormat("d MMM yyyy")
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

        self.status = QLabel(objectName="letterStatus")
        self.status.setWordWrap(True)
        side_layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Pre&view"), objectName="previewButton")
        self.save_button = QPushButton(self.tr("&Save…"), objectName="saveLetter")
        self.print_button = QPushButton(self.tr("P&rint…"), objectName="printLetter")
        self.close_button = QPushButton(self.tr("Close"), objectName="closeLetter")
        self.close_button.setAutoDefault(False)
        for b in (self.preview_button, self.save_button, self.print_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.preview_button.setDefault(True)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.close_button)
        splitter.addWidget(side)

        self.document = QPdfDocument(self)
        self.view = QPdfView(objectName="letterPreview")
        self.view.setDocument(self.document)
        self.document.statusChanged.connect(self._doc_status)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Letter preview"))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 670])

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.choose_file)
        self.print_button.clicked.connect(self.print_letter)
        self.close_button.clicked.connect(self.reject)
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
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

    def _kind_changed(self) -> None:
        self.options.setCurrentIndex(KINDS.index(self.letter_kind()))
        self.pdf = None
        self.document.close()
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        if self.letter_kind() == "acknowledgement":
            self.preview()
        else:
            self._say(self.tr("Fill in the letter, then Preview."), "muted")

    def _say(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        set_role(self.status, role)

    # -- preview ---------------------------------------------------------------------------------------
    def preview(self) -> None:
        self._say(self.tr("Preparing the preview…"))
        self.preview_button.setEnabled(False)
        kind = self.letter_kind()
        self.jobs.run(letter_pdf, self.ws, self.case.id, kind, self.letter_options(),
                      label=self.tr("Preparing the letter"),
                      on_done=lambda pdf, k=kind: self._show(k, pdf), on_error=self._failed)

    def _show(self, kind: str, pdf: bytes) -> None:
        self.preview_button.setEnabled(True)
        if kind != self.letter_kind():
            return
        self.pdf = pdf
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.save_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self._doc_status(self.document.status())

    def _doc_status(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready and self.pdf is not None:
            pages = plural(self.document.pageCount(), self.tr("1 page"), self.tr("%1 pages"))
            self._say(self.tr("Preview of the %1 (%2). Save or print it when it reads right.")
                      .replace("%1", self.kind.currentText().lower()).replace("%2", pages))
        elif status == QPdfDocument.Status.Error:
            self._say(self.tr("The letter could not be shown (%1).").replace("%1", str(self.document.error())),
                      "error")

    def _failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self._say(message_of(exc), "error")

    # -- save and print -------------------------------------------------------------------------------
    def choose_file(self) -> None:
        suggested = str(Path.home() / f"{self.case.reference}-{self.letter_kind().replace('_', '-')}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the letter"), suggested,
                                              self.tr("PDF documents (*.pdf)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        options = self.letter_options()
        if self.password.text():
            options["password"] = self.password.text()
        self.save_button.setEnabled(False)
        self._say(self.tr("Saving…"))
        self.jobs.run(write_letter, self.ws, self.case.id, self.letter_kind(), Path(path), options,
                      label=self.tr("Saving the letter"), on_done=self._saved, on_error=self._save_failed)

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        self._say(self.tr("Saved to %1 and recorded on the case.").replace("%1", str(path)), "hint-strong")
        emit(self.written, path)

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._say(message_of(exc), "error")

    def print_letter(self) -> None:
        if self.document.status() != QPdfDocument.Status.Ready:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{self.case.reference} {self.kind.currentText()}")
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.open()

    def print_to(self, printer: QPrinter) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            self._say(self.tr("The printer could not be started."), "error")
            return
        for page in range(self.document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            size = self.document.pagePointSize(page).toSize()
            size.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = self.document.render(page, QSize(size.width(), size.height()))
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
        painter.end()
        self._say(self.tr("Sent to the printer."), "hint-strong")

    def done(self, result: int) -> None:
        self.jobs.close()
        self.document.close()
        super().done(result)
