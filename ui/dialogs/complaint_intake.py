"""Taking a complaint: the full intake form and the quick capture of a verbal complaint.

Quick capture is built for the phone: Ctrl+Shift+C from anywhere, type part of the client's name,
Enter picks the first match, type what they said, Ctrl+Enter saves. The clocks start now. Both
dialogs show the computed deadlines once the case is saved, and every field error the service
reports (ValidationError.errors) appears under its own field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.complaints import ComplaintIntake
from ui.dialogs.base import BaseDialog
from ui.format import fmt
from ui.i18n.app_messages import localise
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import (
    channel_labels,
    clock_style,
    deadline_state_labels,
    due_text,
    field_errors,
    label,
    message_of,
    set_role,
    severity_labels,
    span,
    type_labels,
)

INTAKE_CHANNELS = ("phone", "email", "face_to_face", "video", "letter", "sms", "web", "social_media")


# -- worker side ------------------------------------------------------------------------------------

def search_clients(ws: Any, query: str) -> list[tuple[str, str]]:
    hits = ws.search.search(query, per_kind=8).get("client", [])
    return list(dict.fromkeys((h.client_id or h.ref_id, h.client_name or h.title) for h in hits))


def quick_capture(ws: Any, client_id: str, description: str, channel: str, written: bool) -> Any:
    svc = ws.complaints
    if channel == "phone":
        return svc.quick_capture(client_id, description, written_response_requested=written)
    return svc.intake(ComplaintIntake(client_id=client_id, description=description, channel=channel,
                                      received_at=datetime.now(UTC), written_response_requested=written))


def full_intake(ws: Any, form: ComplaintIntake) -> Any:
    return ws.complaints.intake(form)


# -- the client picker ------------------------------------------------------------------------------

class _SearchEdit(QLineEdit):
    """Enter picks the first (or highlighted) match; Down moves into the matches."""

    pick = Signal()
    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            emit(self.pick)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Down:
            emit(self.down)
            event.accept()
            return
        super().keyPressEvent(event)


class _Matches(QListWidget):
    pick = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            emit(self.pick)
            event.accept()
            return
        super().keyPressEvent(event)


class ClientPicker(QWidget):
    """Search the book (ws.search on the DB worker, debounced) and pick one client."""

    chosen = Signal(str, str)  # client id, name
    DEBOUNCE_MS = 200

    def __init__(self, ws: Any, jobs: Jobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.jobs = ws, jobs
        self.client_id: str | None = None
        self.client_name = ""
        self._searched = ""
        self._want_pick = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = _SearchEdit(objectName="clientSearch")
        self.edit.setPlaceholderText(self.tr("Type part of the client's name, then Enter"))
        self.edit.setAccessibleName(self.tr("Client"))
        self.edit.setAccessibleDescription(self.tr("Search your clients; Enter picks the first match, "
                                                   "Down arrow moves into the matches"))
        self.edit.setClearButtonEnabled(True)
        self.matches = _Matches(objectName="clientMatches")
        self.matches.setAccessibleName(self.tr("Matching clients"))
        self.matches.hide()
        self.status = QLabel(objectName="clientStatus")
        self.status.setProperty("role", "muted")
        layout.addWidget(self.edit)
        layout.addWidget(self.matches)
        layout.addWidget(self.status)
        self.setFocusProxy(self.edit)

        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.edit.textEdited.connect(self._edited)
        self.edit.pick.connect(self._pick_first)
        self.edit.down.connect(self._into_matches)
        self.matches.pick.connect(self._pick_current)
        self.matches.itemActivated.connect(lambda _item: self._pick_current())

    def preset(self, client_id: str, name: str) -> None:
        self.client_id, self.client_name = client_id, name
        self.edit.setText(name)
        self.status.setText(self.tr("Complaint from %1").replace("%1", name))

    def _edited(self, text: str) -> None:
        if self.client_id is not None and text != self.client_name:
            self.client_id, self.client_name = None, ""
            self.status.setText("")
        self._timer.start()

    def _search(self) -> None:
        query = self.edit.text().strip()
        self._searched = query
        if len(query) < 2:
            self.matches.clear()
            self.matches.hide()
            return
        self.status.setText(self.tr("Searching…"))
        self.jobs.run(search_clients, self.ws, query, label=self.tr("Searching clients"),
                      on_done=lambda hits, q=query: self._results(q, hits),
                      on_error=lambda exc: self.status.setText(message_of(exc)))

    def _results(self, query: str, hits: list[tuple[str, str]]) -> None:
        if query != self.edit.text().strip() or self.client_id is not None:
            return
        self.matches.clear()
        for cid, name in hits:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.matches.addItem(item)
        rows = min(max(len(hits), 1), 5)
        self.matches.setFixedHeight(rows * max(self.matches.sizeHintForRow(0), 20) + 2 * self.matches.frameWidth())
        self.matches.setVisible(bool(hits))
        if hits:
            self.matches.setCurrentRow(0)
        self.status.setText(self.tr("%n match(es); Enter picks the highlighted one", "", len(hits))
                            if hits else self.tr("No client matches “%1”.").replace("%1", query))
        if self._want_pick and hits:
            self._want_pick = False
            self._pick_current()

    def _pick_first(self) -> None:
        if self.client_id is not None:
            emit(self.chosen, self.client_id, self.client_name)
            return
        if self.matches.count() and self._searched == self.edit.text().strip():
            self._pick_current()
            return
        self._want_pick = True  # Enter before the search came back: pick when it does
        self._timer.stop()
        self._search()

    def _into_matches(self) -> None:
        if self.matches.count():
            self.matches.setFocus()
            if self.matches.currentRow() < 0:
                self.matches.setCurrentRow(0)

    def _pick_current(self) -> None:
        item = self.matches.currentItem() or (self.matches.item(0) if self.matches.count() else None)
        if item is None:
            return
        self.client_id = item.data(Qt.ItemDataRole.UserRole)
        self.client_name = item.text()
        self.edit.setText(self.client_name)
        self.matches.hide()
        self.status.setText(self.tr("Complaint from %1").replace("%1", self.client_name))
        emit(self.chosen, self.client_id, self.client_name)


# -- the dialogs ------------------------------------------------------------------------------------

def error_label(name: str) -> QLabel:
    widget = QLabel(objectName=f"error-{name}")
    widget.setWordWrap(True)
    set_role(widget, "error")
    widget.hide()
    return widget


class _IntakeBase(BaseDialog):
    """A form page, then a page with the case's deadlines once it is saved."""

    saved = Signal(object)  # the CaseView
    open_case = Signal(str)

    def __init__(self, ws: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.jobs = Jobs(tasks)
        self.case: Any = None
        self.errors: dict[str, QLabel] = {}
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        self.form_page = QWidget()
        self.pages.addWidget(self.form_page)
        self.general_error = error_label("general")

        self.done_page = QWidget(objectName="savedPage")
        done = QVBoxLayout(self.done_page)
        self.done_title = QLabel(objectName="savedTitle")
        self.done_title.setProperty("role", "subtitle")
        self.done_title.setWordWrap(True)
        self.deadlines = QLabel(objectName="savedDeadlines")
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                               | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadlines.setAccessibleName(self.tr("Deadlines of the new case"))
        done.addWidget(self.done_title)
        done.addWidget(self.deadlines)
        done.addStretch()
        self.done_buttons = QDialogButtonBox()
        self.open_button = self.done_buttons.addButton(self.tr("&Open the case"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setObjectName("openCase")
        self.close_button = self.done_buttons.addButton(self.tr("&Done"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("doneButton")
        self.open_button.clicked.connect(self._open)
        self.close_button.clicked.connect(self.accept)
        done.addWidget(self.done_buttons)
        self.pages.addWidget(self.done_page)

    def add_error(self, form: QFormLayout, key: str) -> QLabel:
        widget = self.errors[key] = error_label(key)
        form.addRow("", widget)
        return widget

    def show_errors(self, errors: dict[str, str]) -> None:
        for widget in self.errors.values():
            widget.hide()
        self.general_error.hide()
        first: QWidget | None = None
        general = []
        for key, text in errors.items():
            widget = self.errors.get(key)
            if widget is None:
                general.append(localise(text))
                continue
            widget.setText(localise(text))
            widget.show()
            first = first or self.field_for(key)
        if general:
            self.general_error.setText(" ".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus()

    def field_for(self, key: str) -> QWidget | None:
        return None

    def add_footer(self, form: QFormLayout, save_text: str) -> QPushButton:
        """The form's last rows: the general error, then Save and Cancel (neither is a default button: Enter
        belongs to the client search); Ctrl+Enter saves from anywhere on the form. Returns Cancel."""
        form.addRow(self.general_error)
        buttons = QDialogButtonBox()
        self.save_text = save_text
        self.save_button = buttons.addButton(self.save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveButton")
        self.save_button.setAutoDefault(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        form.addRow(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.form_page, self.save,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return cancel

    def save(self) -> None:
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(self.tr("Saving…") if busy else self.save_text)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        errors = field_errors(exc)
        self.show_errors(errors if errors is not None else {"": message_of(exc)})

    def _saved(self, case: Any) -> None:
        self.set_busy(False)
        self.case = case
        self.done_title.setText(self.tr("Complaint %1 recorded for %2. The clocks have started.")
                                .replace("%1", case.reference).replace("%2", case.client_name))
        now = datetime.now(UTC)
        states = deadline_state_labels()
        rows = []
        for d in case.deadlines:
            left = d.due - now
            kind = "" if d.binding else self.tr(" (a window, not a deadline)")
            status = self.tr("%1 left").replace("%1", span(left)) if left > timedelta(0) else label(states, d.state)
            style = clock_style("warning" if d.binding and now >= d.warn_at else "ok")
            rows.append(f"<tr><td style='padding:3px 14px 3px 0'><b>{d.label}</b>{kind}</td>"
                        f"<td style='padding:3px 14px 3px 0'>{due_text(d.due_local)}</td>"
                        f"<td style='padding:3px 0;{style}'>{status}</td></tr>")
        self.deadlines.setText(f"<p>{self.tr('Deadlines under %1:').replace('%1', case.regime_name)}</p>"
                               f"<table>{''.join(rows)}</table>")
        self.pages.setCurrentWidget(self.done_page)
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        emit(self.saved, case)

    def _open(self) -> None:
        if self.case is not None:
            emit(self.open_case, self.case.id)
        self.accept()

    def done(self, result: int) -> None:
        self.jobs.close()
        super().done(result)


class QuickCaptureDialog(_IntakeBase):
    """A verbal complaint in under a minute: client, their words, channel (phone); received now."""

    def __init__(self, ws: Any, tasks: Any, parent: QWidget | None = None, *,
                 client: tuple[str, str] | None = None) -> None:
        super().__init__(ws, tasks, parent)
        self.setObjectName("quickCapture")
        self.setWindowTitle(self.tr("Quick complaint"))
        self.setMinimumWidth(520)
        form = QFormLayout(self.form_page)
        intro = QLabel(self.tr("A complaint made just now. The clocks start from this moment."))
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.picker = ClientPicker(ws, self.jobs)
        client_label = QLabel(self.tr("C&lient:"))
        client_label.setBuddy(self.picker.edit)
        form.addRow(client_label, self.picker)
        self.add_error(form, "client_id")
        self.description = QPlainTextEdit(objectName="description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("What the client said, in their words"))
        self.description.setAccessibleName(self.tr("Description"))
        self.description.setMinimumHeight(90)
        desc_label = QLabel(self.tr("&What happened:"))
        desc_label.setBuddy(self.description)
        form.addRow(desc_label, self.description)
        self.add_error(form, "description")
        self.channel = QComboBox(objectName="channel")
        labels = channel_labels()
        for code in INTAKE_CHANNELS:
            self.channel.addItem(labels[code], code)
        self.channel.setAccessibleName(self.tr("Channel"))
        channel_label = QLabel(self.tr("C&hannel:"))
        channel_label.setBuddy(self.channel)
        form.addRow(channel_label, self.channel)
        self.add_error(form, "channel")
        self.written = QCheckBox(self.tr("The client asked for a &written response"), objectName="written")
        form.addRow("", self.written)
        self.received = QLabel(self.tr("Received: now"), objectName="receivedNow")
        self.received.setProperty("role", "muted")
        form.addRow("", self.received)
        cancel = self.add_footer(form, self.tr("&Save  (Ctrl+Enter)"))
        self.picker.chosen.connect(lambda *_: self.description.setFocus())
        self.setTabOrder(self.picker.edit, self.picker.matches)
        self.setTabOrder(self.picker.matches, self.description)
        self.setTabOrder(self.description, self.channel)
        self.setTabOrder(self.channel, self.written)
        self.setTabOrder(self.written, self.save_button)
        self.setTabOrder(self.save_button, cancel)
        if client is not None:
            self.picker.preset(*client)
            self.description.setFocus()
        else:
            self.picker.edit.setFocus()

    def field_for(self, key: str) -> QWidget | None:
        return {"client_id": self.picker.edit, "description": self.description, "channel": self.channel}.get(key)

    def save(self) -> None:
        if self.pages.currentWidget() is not self.form_page or not self.save_button.isEnabled():
            return
        errors = {}
        if self.picker.client_id is None:
            errors["client_id"] = self.tr("Choose the client the complaint is from (type a name, then Enter).")
        if errors:
            self.show_errors(errors)
            return
        self.show_errors({})
        self.set_busy(True)
        self.jobs.run(quick_capture, self.ws, self.picker.client_id, self.description.toPlainText(),
                      self.channel.currentData(), self.written.isChecked(), label=self.tr("Recording the complaint"),
                      on_done=self._saved, on_error=self._failed)


class IntakeDialog(_IntakeBase):
    """The whole intake: every field the register and the regulators' returns need."""

    def __init__(self, ws: Any, tasks: Any, parent: QWidget | None = None, *,
                 client: tuple[str, str] | None = None) -> None:
        super().__init__(ws, tasks, parent)
        self.setObjectName("complaintIntake")
        self.setWindowTitle(self.tr("New complaint"))
        self.setMinimumWidth(640)
        form = QFormLayout(self.form_page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(text: str, widget: QWidget, key: str | None = None, name: str = "") -> None:
            lab = QLabel(text)
            lab.setBuddy(widget.focusProxy() or widget if isinstance(widget, ClientPicker) else widget)
            widget.setAccessibleName(name or text.replace("&", "").rstrip(":"))
            form.addRow(lab, widget)
            if key:
                self.add_error(form, key)

        self.picker = ClientPicker(ws, self.jobs)
        row(self.tr("C&lient:"), self.picker, "client_id", self.tr("Client"))
        self.picker.edit.setAccessibleName(self.tr("Client"))

        when_row = QWidget()
        when_layout = QHBoxLayout(when_row)
        when_layout.setContentsMargins(0, 0, 0, 0)
        self.received = QDateTimeEdit(QDateTime.currentDateTime(), objectName="receivedAt")
        self.received.setCalendarPopup(True)
        fmt().dress_date_edit(self.received, time=True)
        self.received.setMaximumDateTime(QDateTime.currentDateTime().addSecs(300))
        self.received.setAccessibleName(self.tr("Received at"))
        zone = datetime.now().astimezone().tzname() or ""
        self.zone_label = QLabel(self.tr("your time (%1)").replace("%1", zone))
        self.zone_label.setProperty("role", "muted")
        when_layout.addWidget(self.received)
        when_layout.addWidget(self.zone_label)
        when_layout.addStretch()
        lab = QLabel(self.tr("&Received:"))
        lab.setBuddy(self.received)
        form.addRow(lab, when_row)
        self.add_error(form, "received_at")

        self.channel = QComboBox(objectName="channel")
        for code in INTAKE_CHANNELS:
            self.channel.addItem(channel_labels()[code], code)
        row(self.tr("C&hannel:"), self.channel, "channel")
        self.complaint_type = QComboBox(objectName="complaintType")
        for code, text in type_labels().items():
            self.complaint_type.addItem(text, code)
        row(self.tr("&Type:"), self.complaint_type, "complaint_type", self.tr("Complaint type"))
        self.severity = QComboBox(objectName="severity")
        for code, text in severity_labels().items():
            self.severity.addItem(text, code)
        self.severity.setCurrentIndex(1)
        row(self.tr("Se&verity:"), self.severity, "severity", self.tr("Severity"))
        self.description = QPlainTextEdit(objectName="description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(self.tr("What the client said, in their words"))
        self.description.setMinimumHeight(80)
        row(self.tr("&What happened:"), self.description, "description", self.tr("Description"))
        self.products = QLineEdit(objectName="products")
        self.products.setPlaceholderText(self.tr("Separate with commas, e.g. Home loan, Offset account"))
        row(self.tr("&Products:"), self.products, "products", self.tr("Products"))
        self.categories = QLineEdit(objectName="categories")
        self.categories.setPlaceholderText(self.tr("Separate with commas, e.g. Fees, Delay"))
        row(self.tr("&Issues:"), self.categories, "categories", self.tr("Issue categories"))
        self.remedy = QLineEdit(objectName="remedy")
        self.remedy.setPlaceholderText(self.tr("What the client wants us to do"))
        row(self.tr("Re&medy sought:"), self.remedy, "remedy_sought", self.tr("Remedy sought"))
        self.written = QCheckBox(self.tr("The client asked for a &written response"), objectName="written")
        form.addRow("", self.written)

        self.regime = QComboBox(objectName="regime")
        for text, code in ((self.tr("Organisation default"), None), (self.tr("Australia: ASIC RG 271"), "asic"),
                           (self.tr("United Kingdom: FCA DISP"), "fca")):
            self.regime.addItem(text, code)
        row(self.tr("Re&gime:"), self.regime, "regime", self.tr("Regulatory regime"))
        self.region = QLineEdit(objectName="region")
        self.region.setPlaceholderText(self.tr("Organisation default (ISO 3166-2, e.g. AU-NSW, GB-ENG)"))
        row(self.tr("Holiday re&gion:"), self.region, "region", self.tr("Holiday region"))
        self.timezone = QLineEdit(objectName="timezone")
        self.timezone.setPlaceholderText(self.tr("Organisation default (e.g. Australia/Sydney)"))
        row(self.tr("Clock time &zone:"), self.timezone, "timezone", self.tr("Clock time zone"))
        taken = QLabel(ws.user.display_name, objectName="takenBy")
        form.addRow(self.tr("Taken by:"), taken)
        self.add_error(form, "taken_by_id")
        self.add_error(form, "owner_id")

        self.add_footer(form, self.tr("&Save complaint"))
        self.picker.chosen.connect(lambda *_: self.received.setFocus())
        if client is not None:
            self.picker.preset(*client)
        self.picker.edit.setFocus()

    def field_for(self, key: str) -> QWidget | None:
        return {"client_id": self.picker.edit, "received_at": self.received, "channel": self.channel,
                "complaint_type": self.complaint_type, "severity": self.severity, "description": self.description,
                "regime": self.regime, "region": self.region, "timezone": self.timezone}.get(key)

    def form(self) -> ComplaintIntake:
        def split(text: str) -> tuple[str, ...]:
            return tuple(p.strip() for p in text.split(",") if p.strip())

        received = self.received.dateTime().toPython()
        if received.tzinfo is None:
            received = received.astimezone()  # the user's zone, as shown beside the field
        return ComplaintIntake(
            client_id=self.picker.client_id or "", description=self.description.toPlainText(),
            received_at=received, channel=self.channel.currentData(),
            complaint_type=self.complaint_type.currentData(), products=split(self.products.text()),
            categories=split(self.categories.text()), remedy_sought=self.remedy.text(),
            severity=self.severity.currentData(), written_response_requested=self.written.isChecked(),
            regime=self.regime.currentData(), region=self.region.text().strip() or None,
            timezone=self.timezone.text().strip() or None)

    def save(self) -> None:
        if self.pages.currentWidget() is not self.form_page or not self.save_button.isEnabled():
            return
        self.show_errors({})
        self.set_busy(True)
        self.jobs.run(full_intake, self.ws, self.form(), label=self.tr("Recording the complaint"),
                      on_done=self._saved, on_error=self._failed)
