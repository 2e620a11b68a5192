"""The Reports area: a client's review pack (sections to choose, optional password) and the four
management reports, rendered on the DB worker and previewed inside the app; batch printing of packs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.complaint_intake import ClientPicker
from ui.dialogs.pdf_preview import PdfPreview
from ui.tasks import Jobs
from ui.views.complaint_common import message_of

MANAGEMENT = (("portfolio", QT_TRANSLATE_NOOP("ReportsView", "Portfolio against targets")),
              ("exceptions", QT_TRANSLATE_NOOP("ReportsView", "Exceptions")),
              ("complaints", QT_TRANSLATE_NOOP("ReportsView", "Complaints")),
              ("feedback", QT_TRANSLATE_NOOP("ReportsView", "Feedback")))


# -- worker functions (DB worker; never touch widgets) ------------------------------------------------------

def sections_for(ws: Any, client_id: str) -> list[str]:
    return ws.reports.available_sections(client_id)


def review_pack(ws: Any, client_id: str, sections: Sequence[str] | None, password: str | None) -> bytes:
    return ws.reports.review_pack(client_id, list(sections) if sections else None, password or None)


def management_report(ws: Any, kind: str) -> bytes:
    return ws.reports.management_report(kind)


def section_title(code: str) -> str:
    return code.replace("_", " ").capitalize()


def safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text).strip("-") or "report"


class ReportsView(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsView")
        self.ctx, self.ws = ctx, ctx.workstation
        self.jobs = Jobs(ctx.tasks)
        self.client_id: str | None = None
        self.client_name = ""
        self.batch_clients: dict[str, str] = {}
        self.section_boxes: dict[str, QCheckBox] = {}
        self.dialog: Any = None
        self._pending = ""  # what the preview is waiting for

        outer = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        pack = QGroupBox(self.tr("Client review pack"))
        pack_layout = QVBoxLayout(pack)
        self.picker = ClientPicker(self.ws, self.jobs)
        self.picker.chosen.connect(self.choose_client)
        pack_layout.addWidget(self.picker)
        self.client_label = QLabel(self.tr("No client chosen."), objectName="reportClient")
        pack_layout.addWidget(self.client_label)
        self.sections_box = QWidget()
        self.sections_grid = QGridLayout(self.sections_box)
        self.sections_grid.setContentsMargins(0, 0, 0, 0)
        pack_layout.addWidget(self.sections_box)
        self.password = QLineEdit(objectName="reportPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Optional PDF password (AES-256)"))
        self.password.setAccessibleName(self.tr("PDF password"))
        pack_layout.addWidget(self.password)
        self.pack_button = QPushButton(self.tr("Preview &review pack"), objectName="previewPack")
        self.pack_button.setEnabled(False)
        self.pack_button.clicked.connect(self.preview_pack)
        pack_layout.addWidget(self.pack_button)
        side_layout.addWidget(pack)

        mgmt = QGroupBox(self.tr("Management reports"))
        mgmt_layout = QVBoxLayout(mgmt)
        self.report_buttons: dict[str, QPushButton] = {}
        for kind, title in MANAGEMENT:
            b = QPushButton(self.tr(title), objectName=f"report_{kind}")
            b.clicked.connect(lambda _c=False, k=kind: self.preview_report(k))
            mgmt_layout.addWidget(b)
            self.report_buttons[kind] = b
        side_layout.addWidget(mgmt)

        batch = QGroupBox(self.tr("Batch printing"))
        batch_layout = QVBoxLayout(batch)
        self.batch_list = QListWidget(objectName="batchClients")
        self.batch_list.setAccessibleName(self.tr("Clients chosen for batch printing"))
        self.batch_list.setMaximumHeight(90)
        batch_layout.addWidget(QLabel(self.tr("Clients you pick are added here:")))
        batch_layout.addWidget(self.batch_list)
        row = QHBoxLayout()
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.clear_batch)
        self.batch_button = QPushButton(self.tr("&Batch print…"), objectName="batchPrint")
        self.batch_button.clicked.connect(self.open_batch)
        row.addWidget(clear)
        row.addWidget(self.batch_button)
        batch_layout.addLayout(row)
        side_layout.addWidget(batch)
        side_layout.addStretch(1)
        splitter.addWidget(side)

        self.preview = PdfPreview(self.jobs)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 700])
        self.setFocusProxy(self.picker)

    # -- choosing a client ------------------------------------------------------------------------------
    def choose_client(self, client_id: str, name: str) -> None:
        self.client_id, self.client_name = client_id, name
        self.client_label.setText(self.tr("Review pack for %1").replace("%1", name))
        QTimer.singleShot(0, self, lambda: self.picker.status.setText(""))  # the picker's own wording is for complaints
        self.add_to_batch(client_id, name)
        self.pack_button.setEnabled(False)
        self.jobs.run(sections_for, self.ws, client_id, label=self.tr("Reading the client's sections"),
                      on_done=lambda s, c=client_id: self._sections(c, s), on_error=self._failed)

    def _sections(self, client_id: str, sections: list[str]) -> None:
        if client_id != self.client_id:
            return
        for box in self.section_boxes.values():
            box.deleteLater()
        self.section_boxes.clear()
        for i, code in enumerate(sections):
            box = QCheckBox(section_title(code))
            box.setChecked(True)
            self.sections_grid.addWidget(box, i // 2, i % 2)
            self.section_boxes[code] = box
        self.pack_button.setEnabled(True)

    def chosen_sections(self) -> list[str]:
        return [code for code, box in self.section_boxes.items() if box.isChecked()]

    def add_to_batch(self, client_id: str, name: str) -> None:
        if client_id in self.batch_clients:
            return
        self.batch_clients[client_id] = name
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, client_id)
        self.batch_list.addItem(item)

    def clear_batch(self) -> None:
        self.batch_clients.clear()
        self.batch_list.clear()

    # -- previews ---------------------------------------------------------------------------------------
    def preview_pack(self) -> None:
        if self.client_id is None:
            return
        cid, name = self.client_id, self.client_name
        sections = self.chosen_sections() or None
        password = self.password.text() or None
        self._pending = f"pack:{cid}"
        self.preview.say(self.tr("Preparing the review pack…"))
        self.pack_button.setEnabled(False)

        def saver(path: Path, ws: Any = self.ws) -> Path:
            return ws.reports.save_review_pack(cid, path, sections, password)

        self.jobs.run(review_pack, self.ws, cid, sections, password, label=self.tr("Preparing the review pack"),
                      on_done=lambda pdf, key=self._pending: self._show(
                          key, pdf, self.tr("Review pack — %1").replace("%1", name), saver, password,
                          f"review-pack-{safe_name(name)}.pdf"),
                      on_error=self._failed)

    def preview_report(self, kind: str) -> None:
        title = self.tr(dict(MANAGEMENT)[kind])
        self._pending = f"report:{kind}"
        self.preview.say(self.tr("Preparing the %1 report…").replace("%1", title.lower()))

        def saver(path: Path, ws: Any = self.ws) -> Path:
            return ws.reports.save_management_report(kind, path)

        self.jobs.run(management_report, self.ws, kind, label=self.tr("Preparing the report"),
                      on_done=lambda pdf, key=self._pending: self._show(key, pdf, title, saver, None,
                                                                        f"{kind}-report.pdf"),
                      on_error=self._failed)

    def _show(self, key: str, pdf: bytes, title: str, saver: Any, password: str | None, name: str) -> None:
        self.pack_button.setEnabled(self.client_id is not None)
        if key != self._pending:
            return
        self.preview.show_pdf(pdf, title, saver=saver, password=password, suggested_name=name)

    def _failed(self, exc: BaseException) -> None:
        self.pack_button.setEnabled(self.client_id is not None)
        self.preview.say(message_of(exc), "error")

    # -- batch ------------------------------------------------------------------------------------------
    def open_batch(self) -> Any:
        from ui.dialogs.batch_print import BatchPrintDialog

        self.dialog = BatchPrintDialog(self.ws, self.ctx.tasks, list(self.batch_clients.items()),
                                       sections=None, parent=self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.open()
        return self.dialog

    def shutdown(self) -> None:
        self.jobs.close()
        if self.dialog is not None:
            with contextlib.suppress(RuntimeError):  # already closed and deleted
                self.dialog.done(0)
        self.preview.shutdown()
