"""Compose a communication from a template: choose the purpose and channel, read (and adjust) the
merged subject and body, then save an .eml, open it in the mail program (mailto:) or save a letter
PDF. A client who may not be contacted this way (do not contact, a refused channel, no marketing
consent) gets a blocking message and nothing can be produced; softer points are shown as warnings."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.services.schedule import ANNUAL_REVIEW_INVITATION, CommunicationDraft, ContactRefused, TemplateView
from app.services.schedule.communications import MAILTO_SAFE_LENGTH
from ui.dialogs.messages import describe
from ui.i18n.app_messages import localise
from ui.qtcompat import emit
from ui.views.agenda_widgets import AgendaDialog, Banner

CHANNELS = ("email", "letter")


def purpose_title(purpose: str, templates: list[TemplateView]) -> str:
    english = [t.name for t in templates if t.purpose == purpose and t.language.startswith("en")]
    return english[0] if english else purpose.replace("_", " ").capitalize()


def safe_name(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in " -_.").strip() or "client"


class ComposeDialog(AgendaDialog):
    produced = Signal(object)  # SentCommunication

    def __init__(self, workstation: Any, tasks: Any, client_id: str, client_name: str, *,
                 purpose: str = ANNUAL_REVIEW_INVITATION, channel: str = "email",
                 parent: QWidget | None = None) -> None:
        super().__init__(workstation, tasks, parent)
        self.setObjectName("composeDialog")
        self.setWindowTitle(self.tr("Compose for {0}").format(client_name))
        self.client_id, self.client_name = client_id, client_name
        self.draft: CommunicationDraft | None = None
        self.blocked = False
        self._wanted_purpose = purpose
        self._compose_job: Any = None

        self.purpose = QComboBox(objectName="purpose")
        self.purpose.setAccessibleName(self.tr("Purpose"))
        self.purpose.addItem(self.tr("Reading templates…"), None)
        self.channel = QComboBox(objectName="channel")
        self.channel.setAccessibleName(self.tr("Channel"))
        self.channel.addItem(self.tr("E-mail"), "email")
        self.channel.addItem(self.tr("Letter (PDF)"), "letter")
        self.channel.setCurrentIndex(max(0, self.channel.findData(channel)))

        self.block = Banner(self)  # do not contact / refused channel / no template: nothing can be produced
        self.block.setObjectName("blockBanner")
        self.warnings = Banner(self)
        self.warnings.setObjectName("warningBanner")
        self.to = QLabel(objectName="to", wordWrap=True)
        self.to.setAccessibleName(self.tr("Recipient"))
        self.language = QLabel(objectName="language")
        self.language.setProperty("role", "muted")
        self.subject = QLineEdit(objectName="subject", maxLength=300)
        self.subject.setAccessibleName(self.tr("Subject"))
        self.body = QPlainTextEdit(objectName="body")
        self.body.setTabChangesFocus(True)
        self.body.setAccessibleName(self.tr("Message"))
        self.body.setMinimumHeight(220)
        self.password = QLineEdit(objectName="pdfPassword", echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Optional: encrypt the PDF with this password"))
        self.password.setAccessibleName(self.tr("PDF password"))

        form = QFormLayout()
        form.addRow(self.tr("&Purpose:"), self.purpose)
        form.addRow(self.tr("C&hannel:"), self.channel)
        form.addRow(self.tr("To:"), self.to)
        form.addRow("", self.language)
        form.addRow(self.tr("&Subject:"), self.subject)
        form.addRow(self.tr("&Message:"), self.body)
        self.password_label = QLabel(self.tr("Pass&word:"))
        self.password_label.setBuddy(self.password)
        form.addRow(self.password_label, self.password)

        self.buttons = QDialogButtonBox()
        self.save_eml = QPushButton(self.tr("Save as .&eml…"), objectName="saveEml")
        self.open_mail = QPushButton(self.tr("&Open in mail program"), objectName="openMail")
        self.save_letter = QPushButton(self.tr("Save letter &PDF…"), objectName="saveLetter")
        for button in (self.save_eml, self.open_mail, self.save_letter):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        self.save_eml.clicked.connect(self.save_email)
        self.open_mail.clicked.connect(self.open_in_mail)
        self.save_letter.clicked.connect(self.save_pdf)
        self.busy_widgets = [self.save_eml, self.open_mail, self.save_letter]

        self.lay_out(self.block, form, self.warnings)  # a refusal is the first thing read
        chain = [self.purpose, self.channel, self.subject, self.body, self.password, self.save_eml,
                 self.open_mail, self.save_letter, self.close_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._show_channel()
        self._set_enabled(False)
        self.purpose.setFocus()
        self.resize(640, 600)

        self.purpose.currentIndexChanged.connect(self.compose)
        self.channel.currentIndexChanged.connect(self._channel_changed)
        ws = workstation
        self.jobs.run(lambda: ws.schedule.templates(), on_done=self._templates,
                      on_error=lambda exc: self.block.show_message(describe(exc), "error"),
                      label=self.tr("Reading templates"))

    # -- templates and drafts ------------------------------------------------------------------------
    def _templates(self, templates: tuple[TemplateView, ...]) -> None:
        purposes = sorted({t.purpose for t in templates if t.channel in CHANNELS})
        self.purpose.blockSignals(True)
        self.purpose.clear()
        for p in purposes:
            self.purpose.addItem(purpose_title(p, list(templates)), p)
        if self._wanted_purpose not in purposes:
            self.purpose.addItem(self._wanted_purpose.replace("_", " ").capitalize(), self._wanted_purpose)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(self._wanted_purpose)))
        self.purpose.blockSignals(False)
        self.compose()

    def _channel_changed(self) -> None:
        self._show_channel()
        self.compose()

    def _show_channel(self) -> None:
        email = self.channel.currentData() == "email"
        self.save_eml.setVisible(email)
        self.open_mail.setVisible(email)
        self.save_letter.setVisible(not email)
        self.password.setVisible(not email)
        self.password_label.setVisible(not email)

    def compose(self) -> None:
        purpose, channel = self.purpose.currentData(), str(self.channel.currentData())
        if not purpose:
            return
        if self._compose_job is not None:
            self._compose_job.cancel()
        self.draft = None
        self._set_enabled(False)
        self.banner.clear()
        ws, client_id = self.ws, self.client_id
        self._compose_job = self.jobs.run(lambda: ws.schedule.compose(client_id, purpose, channel),
                                          on_done=self._drafted, on_error=self._refused,
                                          label=self.tr("Composing"))

    def _drafted(self, draft: CommunicationDraft) -> None:
        self.draft, self.blocked = draft, False
        self.block.clear()
        if draft.channel == "email":
            self.to.setText(f"{draft.to_name} <{draft.to_address}>" if draft.to_address
                            else self.tr("{0} (no e-mail address on file)").format(draft.to_name))
        else:
            self.to.setText(", ".join((draft.to_name, *draft.postal_address)))
        self.language.setText(self.tr("Template: {0} ({1})").format(draft.template_name or "—", draft.language))
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)
        if draft.warnings:
            self.warnings.show_message(self.tr("Please check:") + "\n• " + "\n• ".join(localise(w) for w in draft.warnings), "warn")
        else:
            self.warnings.clear()
        self._set_enabled(True)
        if draft.channel == "email" and not draft.to_address:
            self.save_eml.setEnabled(False)
            self.open_mail.setEnabled(False)

    def _refused(self, exc: BaseException) -> None:
        self.draft = None
        self.blocked = isinstance(exc, ContactRefused)
        lead = self.tr("Cannot contact this client this way.") if self.blocked else self.tr("Cannot compose this.")
        self.block.show_message(f"{lead} {describe(exc)}", "error")
        self.warnings.clear()
        self.to.setText(self.client_name)
        self.language.clear()
        self.subject.clear()
        self.body.clear()
        self._set_enabled(False)

    def _set_enabled(self, ok: bool) -> None:
        for widget in (self.subject, self.body, self.password, *self.busy_widgets):
            widget.setEnabled(ok)

    def _set_busy(self, busy: bool) -> None:
        self._set_enabled(not busy and self.draft is not None)

    def edited_draft(self) -> CommunicationDraft | None:
        if self.draft is None:
            return None
        return dataclasses.replace(self.draft, subject=self.subject.text(), body=self.body.toPlainText())

    # -- producing -----------------------------------------------------------------------------------
    def _suggested(self, suffix: str) -> str:
        return str(Path.home() / f"{safe_name(self.client_name)} - {safe_name(self.purpose.currentText())} - "
                                 f"{date.today().isoformat()}.{suffix}")

    def save_email(self) -> None:
        draft = self.edited_draft()
        if draft is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the e-mail"), self._suggested("eml"),
                                              self.tr("E-mail messages (*.eml)"))
        if not path:
            return
        ws = self.ws
        self.run(lambda: ws.schedule.write_email(draft, Path(path)), on_done=self._saved,
                 label=self.tr("Writing the e-mail"))

    def save_pdf(self) -> None:
        draft = self.edited_draft()
        if draft is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the letter"), self._suggested("pdf"),
                                              self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        ws, password = self.ws, self.password.text() or None
        self.run(lambda: ws.schedule.write_letter(draft, Path(path), password), on_done=self._saved,
                 label=self.tr("Writing the letter"))

    def open_in_mail(self) -> None:
        draft = self.edited_draft()
        if draft is None:
            return
        ws = self.ws
        self.run(lambda: ws.schedule.email_url(draft), on_done=self._open_url, label=self.tr("Preparing the e-mail"))

    def _saved(self, sent: Any) -> None:
        self.banner.show_message(self.tr("Saved to {0}. It is recorded in the client's communications.")
                                 .format(sent.path), "info")
        emit(self.produced, sent)

    def _open_url(self, sent: Any) -> None:
        opened = QDesktopServices.openUrl(QUrl(sent.url))
        if not opened:
            self.banner.show_message(self.tr("No mail program answered. Save the message as .eml instead."), "error")
        elif len(sent.url) > MAILTO_SAFE_LENGTH:
            self.banner.show_message(self.tr("Opened in your mail program. The message is long: some mail "
                                             "programs cut it short, so check it or save it as .eml."), "warn")
        else:
            self.banner.show_message(self.tr("Opened in your mail program. It is recorded in the client's "
                                             "communications."), "info")
        emit(self.produced, sent)
