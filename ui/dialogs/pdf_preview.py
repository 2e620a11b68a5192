"""A reusable PDF preview: QPdfView over bytes held in memory (a QBuffer, nothing on disk), "Page x of
y", zoom, Save… (the caller's saver runs on the DB worker and writes atomically through the service)
and Print… (QPrintDialog + QPrinter, pages rendered by QtPdf).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import message_of, set_role

ZOOMS = ((QT_TRANSLATE_NOOP("PdfPreview", "Fit width"), None), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("125%", 1.25), ("150%", 1.5),
         ("200%", 2.0))

Saver = Callable[[Path], Path]  # runs on the DB worker; returns the path written


class PdfPreview(QWidget):
    """Show a PDF from bytes; save it through a service call; print it."""

    saved = Signal(object)  # Path

    def __init__(self, jobs: Jobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.pdf: bytes | None = None
        self.title = ""
        self.suggested_name = "report.pdf"
        self._saver: Saver | None = None
        self._bytes = QByteArray()
        self._buffer: QBuffer | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.caption = QLabel(self.tr("Nothing to preview yet."), objectName="previewCaption")
        self.page_label = QLabel("", objectName="previewPage")
        self.zoom = QComboBox(objectName="previewZoom")
        self.zoom.setAccessibleName(self.tr("Zoom"))
        for text, factor in ZOOMS:
            self.zoom.addItem(self.tr(text), factor)
        self.save_button = QPushButton(self.tr("&Save…"), objectName="previewSave")
        self.print_button = QPushButton(self.tr("&Print…"), objectName="previewPrint")
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.page_label)
        bar.addWidget(self.zoom)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        layout.addLayout(bar)

        self.document = QPdfDocument(self)
        self.view = QPdfView(objectName="reportPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Report preview"))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.view, 1)
        self.status = QLabel("", objectName="previewStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.document.statusChanged.connect(self._doc_status)
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._update_page())
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.save_button.clicked.connect(self.choose_file)
        self.print_button.clicked.connect(self.print_document)
        self._enable(False)

    # -- showing ----------------------------------------------------------------------------------------
    def show_pdf(self, pdf: bytes, title: str, *, saver: Saver | None = None, password: str | None = None,
                 suggested_name: str = "report.pdf") -> None:
        self.pdf, self.title, self._saver, self.suggested_name = pdf, title, saver, suggested_name
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        self.document.setPassword(password or "")
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.caption.setText(title)
        self._doc_status(self.document.status())

    def set_saver(self, saver: Saver | None) -> None:
        """Change what Save runs (a save option changed) without loading the document again."""
        self._saver = saver
        self._enable(self.document.status() == QPdfDocument.Status.Ready and self.pdf is not None)

    def clear(self) -> None:
        self.pdf, self._saver = None, None
        self.document.close()
        self.caption.setText(self.tr("Nothing to preview yet."))
        self.page_label.setText("")
        self._enable(False)

    def say(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        set_role(self.status, role)

    def _enable(self, on: bool) -> None:
        self.save_button.setEnabled(on and self._saver is not None)
        self.print_button.setEnabled(on)
        self.zoom.setEnabled(on)

    def _doc_status(self, status: QPdfDocument.Status) -> None:
        ready = status == QPdfDocument.Status.Ready and self.pdf is not None
        self._enable(ready)
        if ready:
            self._update_page()
            self.say(self.tr("Ready. Save or print it when it reads right."))
        elif status == QPdfDocument.Status.Error:
            self.say(self.tr("The PDF could not be shown (%1).").replace("%1", str(self.document.error())), "error")

    def _update_page(self) -> None:
        count = self.document.pageCount()
        if count <= 0:
            self.page_label.setText("")
            return
        current = self.view.pageNavigator().currentPage() + 1
        self.page_label.setText(self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count)))

    def _zoom_changed(self) -> None:
        factor = self.zoom.currentData()
        if factor is None:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(float(factor))

    def go_to_page(self, page: int) -> None:
        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    # -- saving ------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        if self._saver is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the PDF"), str(Path.home() / self.suggested_name),
                                              self.tr("PDF documents (*.pdf)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Any:
        if self._saver is None:
            return None
        self.save_button.setEnabled(False)
        self.say(self.tr("Saving…"))
        return self.jobs.run(self._saver, Path(path), label=self.tr("Saving the PDF"), on_done=self._saved,
                             on_error=self._save_failed)

    def _saved(self, path: Path) -> None:
        self.save_button.setEnabled(True)
        self.say(self.tr("Saved to %1.").replace("%1", str(path)), "hint-strong")
        emit(self.saved, path)

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.say(message_of(exc), "error")

    # -- printing ----------------------------------------------------------------------------------------
    def print_document(self) -> None:
        if self.document.status() != QPdfDocument.Status.Ready:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.open()

    def print_to(self, printer: QPrinter) -> bool:
        painter = QPainter()
        if not painter.begin(printer):
            self.say(self.tr("The printer could not be started."), "error")
            return False
        for page in range(self.document.pageCount()):
            if page:
                printer.newPage()
            area = painter.viewport()
            size = self.document.pagePointSize(page).toSize()
            size.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            image = self.document.render(page, QSize(size.width(), size.height()))
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
        painter.end()
        self.say(self.tr("Sent to the printer."), "hint-strong")
        return True

    def shutdown(self) -> None:
        self.document.close()
