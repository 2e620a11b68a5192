"""Create or edit a client, with the service's checks shown next to each field.

Date of birth and tax id come masked: the form never holds them unless the user presses Reveal
(the same audited reveal as the client 360). Typing over a masked value replaces it unseen; a value
left masked is saved as it is stored.

Saving runs on the DB worker. A `ValidationError` puts each message under its field; on create a
`PossibleDuplicate` shows the matching clients with the reasons, and the user opens one of them or
creates the new record anyway. Cancel (or Esc, or closing the window) with unsaved changes asks first;
a lock closes the dialog without asking (the session calls `reject()` directly).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.clients import CHANNELS, ClientDraft, PossibleDuplicate, mask_birth, mask_tail
from app.services.portfolio import FilterOptions
from app.services.validation import ValidationError, display_phone
from ui.dialogs.base import BaseDialog
from ui.format import fmt
from ui.i18n.app_messages import error_text, localise
from ui.models.client_labels import channel_name
from ui.qtcompat import emit
from ui.widgets.sensitive import MaskedEditor
from ui.widgets.style import portfolio_sheet

PHONE_LABELS = ("mobile", "home", "work", "other")
EMAIL_LABELS = ("personal", "work", "other")


def _label_name(code: str) -> str:
    names = {"mobile": "Mobile", "home": "Home", "work": "Work", "other": "Other", "personal": "Personal"}
    return QCoreApplication.translate("ClientEditDialog", names.get(code, code.capitalize()))


class ContactListEditor(QWidget):
    """Rows of (label, value) with Add and Remove: a client's phones or e-mails."""

    changed = Signal()

    def __init__(self, kind: str, labels: tuple[str, ...], add_text: str, placeholder: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._labels = labels
        self._placeholder = placeholder
        self._rows: list[tuple[QWidget, QComboBox, QLineEdit]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QPushButton(add_text)
        self.add_button.setObjectName(f"add-{kind}")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch()
        self._layout.addLayout(row)

    def add_row(self, label: str | None = None, value: str = "", focus: bool = False) -> QLineEdit:
        line = QWidget()
        h = QHBoxLayout(line)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(4)
        combo = QComboBox()
        combo.setAccessibleName(self.tr("Label"))
        for code in self._labels:
            combo.addItem(_label_name(code), code)
        code = label or self._labels[0]
        if combo.findData(code) < 0:
            combo.addItem(_label_name(code), code)
        combo.setCurrentIndex(combo.findData(code))
        edit = QLineEdit(value)
        edit.setPlaceholderText(self._placeholder)
        edit.setAccessibleName(self._placeholder)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip(self.tr("Remove"))
        remove.setAccessibleName(self.tr("Remove %1").replace("%1", value or self._placeholder))
        remove.clicked.connect(lambda: self.remove_row(line))
        combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
        edit.textChanged.connect(lambda _t: emit(self.changed))
        h.addWidget(combo)
        h.addWidget(edit, 1)
        h.addWidget(remove)
        self._layout.insertWidget(len(self._rows), line)
        self._rows.append((line, combo, edit))
        if focus:
            edit.setFocus()
        emit(self.changed)
        return edit

    def remove_row(self, line: QWidget) -> None:
        for i, (w, _c, _e) in enumerate(self._rows):
            if w is line:
                del self._rows[i]
                w.hide()
                w.deleteLater()
                emit(self.changed)
                self.add_button.setFocus()
                return

    def set_values(self, values: list[tuple[str, str]]) -> None:
        for line, _c, _e in self._rows:
            line.hide()
            line.deleteLater()
        self._rows.clear()
        for label, value in values:
            self.add_row(label, value)

    def values(self) -> list[tuple[str, str]]:
        return [(combo.currentData(), edit.text().strip()) for _w, combo, edit in self._rows if edit.text().strip()]

    def edits(self) -> list[QLineEdit]:
        return [edit for _w, _c, edit in self._rows]


class ClientEditDialog(BaseDialog):
    saved = Signal(str)  # client id
    open_existing = Signal(str)  # the user chose an existing record instead of creating a duplicate

    def __init__(self, ws: Any, tasks: Any, client_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientEditDialog")
        self.ws = ws
        self.tasks = tasks
        self.client_id = client_id
        self._handles: list[Any] = []
        self._initial: ClientDraft | None = None
        self._initial_kept: frozenset[str] = frozenset()
        self._confirm: QMessageBox | None = None
        self.candidates: list[Any] = []
        self.setWindowTitle(self.tr("Edit client") if client_id else self.tr("New client"))
        self.setModal(True)
        self.setStyleSheet(portfolio_sheet())
        self._build()
        self._set_busy(True, self.tr("Loading…"))
        self._load()

    # -- building -------------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.errors: dict[str, QLabel] = {}
        self.cells: dict[str, QWidget] = {}

        self.duplicates = QFrame()
        self.duplicates.setObjectName("duplicates")
        dup = QVBoxLayout(self.duplicates)
        self.duplicates_text = QLabel(self.tr("This client may already exist. Open the existing record, "
                                              "or create a new one anyway."))
        self.duplicates_text.setWordWrap(True)
        self.duplicates_text.setProperty("role", "warn")
        self.duplicate_list = QListWidget()
        self.duplicate_list.setObjectName("duplicateList")
        self.duplicate_list.setAccessibleName(self.tr("Possible duplicates"))
        self.duplicate_list.itemActivated.connect(lambda _i: self._open_existing())
        buttons = QHBoxLayout()
        self.open_existing_button = QPushButton(self.tr("&Open existing"))
        self.open_existing_button.setObjectName("openExisting")
        self.open_existing_button.clicked.connect(self._open_existing)
        self.create_anyway_button = QPushButton(self.tr("Create &anyway"))
        self.create_anyway_button.setObjectName("createAnyway")
        self.create_anyway_button.clicked.connect(lambda: self.save(allow_duplicate=True))
        buttons.addStretch()
        buttons.addWidget(self.open_existing_button)
        buttons.addWidget(self.create_anyway_button)
        dup.addWidget(self.duplicates_text)
        dup.addWidget(self.duplicate_list)
        dup.addLayout(buttons)
        self.duplicates.setVisible(False)
        outer.addWidget(self.duplicates)

        columns = QHBoxLayout()
        columns.setSpacing(14)
        columns.addWidget(self._identity_box(), 2)
        columns.addWidget(self._contact_box(), 3)
        outer.addLayout(columns, 1)

        self.general_error = QLabel("")
        self.general_error.setObjectName("generalError")
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        outer.addWidget(self.general_error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveClient")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelClient")
        self.save_button.clicked.connect(lambda: self.save())
        self.cancel_button.clicked.connect(self.request_cancel)
        self.status = QLabel("")
        self.status.setProperty("role", "muted")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)
        self.resize(960, 620)

    def _row(self, form: QFormLayout, label: str, widget: QWidget, key: str | None = None,
             buddy: QWidget | None = None) -> QLabel:
        """A form row whose field has an error line under it (hidden until the service complains)."""
        cell = QWidget()
        v = QVBoxLayout(cell)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        if key is not None:
            error = QLabel("")
            error.setObjectName(f"error-{key}")
            error.setProperty("role", "error")
            error.setWordWrap(True)
            error.setVisible(False)
            v.addWidget(error)
            self.errors[key] = error
        caption = QLabel(label)
        caption.setBuddy(buddy or widget)
        form.addRow(caption, cell)
        self.cells[key or label] = cell
        return caption

    @staticmethod
    def _form_box(title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout()
        outer = QVBoxLayout(box)
        outer.addLayout(form)
        outer.addStretch()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return box, form

    def _identity_box(self) -> QGroupBox:
        box, form = self._form_box(self.tr("Identity"))
        self.identity_form = form

        kind = QWidget()
        h = QHBoxLayout(kind)
        h.setContentsMargins(0, 0, 0, 0)
        self.person_radio = QRadioButton(self.tr("&Person"))
        self.person_radio.setObjectName("kindPerson")
        self.org_radio = QRadioButton(self.tr("O&rganisation"))
        self.org_radio.setObjectName("kindOrganisation")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.person_radio)
        self.kind_group.addButton(self.org_radio)
        self.person_radio.setChecked(True)
        self.person_radio.toggled.connect(lambda _c: self._kind_changed())
        h.addWidget(self.person_radio)
        h.addWidget(self.org_radio)
        h.addStretch()
        self._row(form, self.tr("Kind"), kind, "kind", self.person_radio)

        self.given_name = QLineEdit()
        self.given_name.setObjectName("givenName")
        self.given_name.setAccessibleName(self.tr("Given name"))
        self.family_name = QLineEdit()
        self.family_name.setObjectName("familyName")
        self.family_name.setAccessibleName(self.tr("Family name"))
        self.organisation_name = QLineEdit()
        self.organisation_name.setObjectName("organisationName")
        self.organisation_name.setAccessibleName(self.tr("Organisation name"))
        self._row(form, self.tr("&Given name"), self.given_name, "given_name")
        self._row(form, self.tr("&Family name"), self.family_name, "family_name")
        self._row(form, self.tr("Organisation &name"), self.organisation_name, "organisation_name")

        dob = QWidget()
        h = QHBoxLayout(dob)
        h.setContentsMargins(0, 0, 0, 0)
        self.dob = QDateEdit()
        self.dob.setObjectName("dateOfBirth")
        self.dob.setAccessibleName(self.tr("Date of birth"))
        self.dob.setCalendarPopup(True)
        self.dob.setDisplayFormat(fmt().date_pattern)
        today = date.today()
        self.dob.setMinimumDate(QDate(today.year - 130, 1, 1))
        self.dob.setMaximumDate(QDate(today.year, today.month, today.day))
        self.dob.setDate(QDate(1980, 1, 1))
        self.dob_field = MaskedEditor(self.tr("Date of birth"), self.dob, self.tasks)
        self.dob_field.setObjectName("dobField")
        self.dob_field.mask.setObjectName("dobMasked")
        self.dob_field.revealed.connect(self._dob_revealed)
        self.dob_field.replacing.connect(self._dob_replacing)
        self.dob_unknown = QCheckBox(self.tr("Not &known"))
        self.dob_unknown.setObjectName("dobUnknown")
        self.dob_unknown.toggled.connect(self.dob_field.setDisabled)
        self.dob_unknown.setChecked(True)
        h.addWidget(self.dob_field, 1)
        h.addWidget(self.dob_unknown)
        self._row(form, self.tr("&Date of birth"), dob, "date_of_birth", self.dob_field)

        self.tax_id = QLineEdit()
        self.tax_id.setObjectName("taxId")
        self.tax_id.setAccessibleName(self.tr("Tax id"))
        self.tax_field = MaskedEditor(self.tr("Tax id"), self.tax_id, self.tasks)
        self.tax_field.setObjectName("taxField")
        self.tax_field.mask.setObjectName("taxMasked")
        self.tax_field.revealed.connect(self._tax_revealed)
        self._row(form, self.tr("&Tax id"), self.tax_field, "tax_id")

        self.country = QLineEdit("AU")
        self.country.setObjectName("country")
        self.country.setAccessibleName(self.tr("Country (two letters)"))
        self.country.setMaxLength(2)
        self.country.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), self.country))
        self.country.setToolTip(self.tr("Two-letter code such as AU or GB; phone numbers are read for this country"))
        self.country.setMaximumWidth(self.country.fontMetrics().horizontalAdvance("WWWW") + 16)
        self.country.textEdited.connect(lambda t: self.country.setText(t.upper()))
        self._row(form, self.tr("C&ountry"), self.country, "country")

        self.segment = QComboBox()
        self.segment.setObjectName("segment")
        self.segment.setAccessibleName(self.tr("Segment"))
        self.segment.addItem(self.tr("No segment"), None)
        self._row(form, self.tr("S&egment"), self.segment, "segment_code")
        return box

    def _contact_box(self) -> QGroupBox:
        box, form = self._form_box(self.tr("Contact and preferences"))
        self.phones = ContactListEditor("phones", PHONE_LABELS, self.tr("Add p&hone"), self.tr("Phone number"))
        self.emails = ContactListEditor("emails", EMAIL_LABELS, self.tr("Add e-&mail"), self.tr("E-mail address"))
        self._row(form, self.tr("Phones"), self.phones, "phones", self.phones.add_button)
        self._row(form, self.tr("E-mails"), self.emails, "emails", self.emails.add_button)

        self.channel = QComboBox()
        self.channel.setObjectName("preferredChannel")
        self.channel.setAccessibleName(self.tr("Preferred channel"))
        self.channel.addItem(self.tr("No preference"), None)
        for code in CHANNELS:
            self.channel.addItem(channel_name(code), code)
        self._row(form, self.tr("Preferred &channel"), self.channel, "preferred_channel")

        self.language = QLineEdit()
        self.language.setObjectName("preferredLanguage")
        self.language.setAccessibleName(self.tr("Preferred language"))
        self.language.setPlaceholderText(self.tr("e.g. en, vi, zh-Hant"))
        self._row(form, self.tr("&Language"), self.language, "preferred_language")

        flags = QWidget()
        v = QVBoxLayout(flags)
        v.setContentsMargins(0, 0, 0, 0)
        self.interpreter = QCheckBox(self.tr("&Interpreter needed"))
        self.interpreter.setObjectName("interpreter")
        self.do_not_contact = QCheckBox(self.tr("Do &not contact"))
        self.do_not_contact.setObjectName("doNotContact")
        v.addWidget(self.interpreter)
        v.addWidget(self.do_not_contact)
        self._row(form, self.tr("Needs"), flags, None, self.interpreter)

        self.special_needs = QPlainTextEdit()
        self.special_needs.setObjectName("specialNeeds")
        self.special_needs.setAccessibleName(self.tr("Special needs"))
        self.special_needs.setTabChangesFocus(True)
        self.special_needs.setFixedHeight(self.special_needs.fontMetrics().height() * 3 + 14)
        self._row(form, self.tr("&Special needs"), self.special_needs, "special_needs")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("clientNotes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().height() * 3 + 14)
        self._row(form, self.tr("No&tes"), self.notes, "notes")
        return box

    # -- the masked fields ----------------------------------------------------------------------------
    def _tax_revealed(self, value: str | None) -> None:
        self.tax_id.setText(value or "")
        self._reveal_is_no_change("tax_id")

    def _dob_revealed(self, value: str | None) -> None:
        if value:
            born = date.fromisoformat(value)
            self.dob.setDate(QDate(born.year, born.month, born.day))
        else:
            self.dob_unknown.setChecked(True)
        self._reveal_is_no_change("date_of_birth")

    def _reveal_is_no_change(self, field: str) -> None:
        """Seeing a value changes nothing: what the form now shows becomes that field's starting point."""
        if self._initial is not None and field in self._initial_kept:
            self._initial = replace(self._initial, **{field: getattr(self.draft(), field)})
            self._initial_kept = self._initial_kept - {field}

    def _dob_replacing(self) -> None:
        """Typing over the masked date: the keys go to the date's first part, as in a new client's form."""
        self.dob.setCurrentSectionIndex(0)
        self.dob.setSelectedSection(self.dob.sectionAt(0))

    def kept_fields(self) -> frozenset[str]:
        """The masked fields left untouched: saved as they are stored, never read into the form."""
        kept = set()
        if self.tax_field.kept:
            kept.add("tax_id")
        if self.dob_field.kept and self.person_radio.isChecked() and not self.dob_unknown.isChecked():
            kept.add("date_of_birth")
        return frozenset(kept)

    def _kind_changed(self) -> None:
        person = self.person_radio.isChecked()
        for key in ("given_name", "family_name", "date_of_birth"):
            self.identity_form.setRowVisible(self.cells[key], person)
        self.identity_form.setRowVisible(self.cells["organisation_name"], not person)

    # -- loading --------------------------------------------------------------------------------------
    def _submit(self, fn: Any, on_done: Any, on_error: Any = None, label: str = "") -> Any:
        handle = self.tasks.submit(fn, on_done=on_done, on_error=on_error, label=label)
        self._handles = [h for h in self._handles if not h.delivered and not h.cancelled]
        self._handles.append(handle)
        return handle

    def _load(self) -> None:
        ws, cid = self.ws, self.client_id

        def load() -> tuple[FilterOptions, ClientDraft, dict[str, str | None]]:
            options = ws.portfolio.filter_options()
            if not cid:
                return options, ClientDraft(), {}
            stored = ws.clients.draft_of(cid)
            # the sensitive values stay here, on the worker: the form gets their masks
            masked = {"date_of_birth": mask_birth(stored.date_of_birth), "tax_id": mask_tail(stored.tax_id)}
            return options, replace(stored, date_of_birth=None, tax_id=""), masked

        self._submit(load, self._loaded, self._load_failed, self.tr("Opening the client form"))

    def _loaded(self, result: tuple[FilterOptions, ClientDraft, dict[str, str | None]]) -> None:
        options, draft, masked = result
        for code, name in options.segments:
            self.segment.addItem(name, code)
        self.set_draft(draft, masked)
        self._initial = self.draft()
        self._initial_kept = self.kept_fields()
        self._set_busy(False)
        (self.family_name if draft.kind == "person" else self.organisation_name).setFocus()
        if draft.kind == "person" and not draft.family_name:
            self.given_name.setFocus()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.save_button.setEnabled(False)
        self._show_general(error_text(exc))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.save_button.setEnabled(not busy)
        self.create_anyway_button.setEnabled(not busy)
        self.status.setText(text)

    def set_draft(self, d: ClientDraft, masked: dict[str, str | None] | None = None) -> None:
        """Fill the form from `d`; a field named in `masked` (with its mask) is shown masked instead."""
        masked = masked or {}
        ws, cid = self.ws, self.client_id

        def fetch(field: str) -> Any:
            return None if cid is None else (lambda: ws.clients.reveal(cid, field))

        (self.person_radio if d.kind == "person" else self.org_radio).setChecked(True)
        self._kind_changed()
        self.given_name.setText(d.given_name)
        self.family_name.setText(d.family_name)
        self.organisation_name.setText(d.organisation_name)
        self.dob_field.set_masked(masked.get("date_of_birth"), fetch("date_of_birth"))
        if d.date_of_birth is not None:
            self.dob.setDate(QDate(d.date_of_birth.year, d.date_of_birth.month, d.date_of_birth.day))
        self.dob_unknown.setChecked(d.date_of_birth is None and not self.dob_field.kept)
        self.tax_field.set_masked(masked.get("tax_id"), fetch("tax_id"))
        self.tax_id.setText(d.tax_id)
        self.country.setText(d.country)
        found = self.segment.findData(d.segment_code) if d.segment_code else 0
        if found < 0:
            self.segment.addItem(d.segment_code, d.segment_code)
            found = self.segment.count() - 1
        self.segment.setCurrentIndex(found)
        self.phones.set_values([(label, display_phone(number)) for label, number in d.phones])
        self.emails.set_values(d.emails)
        self.channel.setCurrentIndex(max(self.channel.findData(d.preferred_channel), 0)
                                     if d.preferred_channel else 0)
        self.language.setText(d.preferred_language or "")
        self.interpreter.setChecked(d.interpreter_needed)
        self.do_not_contact.setChecked(d.do_not_contact)
        self.special_needs.setPlainText(d.special_needs)
        self.notes.setPlainText(d.notes)

    def draft(self) -> ClientDraft:
        person = self.person_radio.isChecked()
        qd = self.dob.date()
        return ClientDraft(
            kind="person" if person else "organisation",
            given_name=self.given_name.text().strip() if person else "",
            family_name=self.family_name.text().strip() if person else "",
            organisation_name=self.organisation_name.text().strip() if not person else "",
            date_of_birth=None if (self.dob_unknown.isChecked() or not person or self.dob_field.kept)
            else date(qd.year(), qd.month(), qd.day()),
            tax_id="" if self.tax_field.kept else self.tax_id.text().strip(),
            country=self.country.text().strip().upper(),
            phones=self.phones.values(),
            emails=self.emails.values(),
            preferred_channel=self.channel.currentData(),
            preferred_language=self.language.text().strip() or None,
            interpreter_needed=self.interpreter.isChecked(),
            special_needs=self.special_needs.toPlainText().strip(),
            do_not_contact=self.do_not_contact.isChecked(),
            segment_code=self.segment.currentData(),
            notes=self.notes.toPlainText().strip(),
        )

    @property
    def dirty(self) -> bool:
        return self._initial is not None and (self.draft() != self._initial or self.kept_fields() != self._initial_kept)

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, allow_duplicate: bool = False) -> None:
        draft, kept = self.draft(), self.kept_fields()
        self.clear_errors()
        self._set_busy(True, self.tr("Saving…"))
        ws, cid = self.ws, self.client_id
        if cid:
            def job() -> str:
                # what the form never held is kept as stored, in the service's own transaction
                ws.clients.update(cid, draft, keep=kept)
                return cid
        else:
            def job() -> str:
                return ws.clients.create(draft, owner_id=ws.user.id, allow_duplicate=allow_duplicate)
        self._submit(job, self._saved, self._save_failed, self.tr("Saving the client"))

    def _saved(self, client_id: str) -> None:
        self._set_busy(False)
        self.client_id = client_id
        self._initial, self._initial_kept = self.draft(), self.kept_fields()
        emit(self.saved, client_id)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        elif isinstance(exc, PossibleDuplicate):
            self.show_duplicates(exc.candidates)
        else:
            self._show_general(error_text(exc))

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.setVisible(False)
        self.general_error.setVisible(False)

    def show_errors(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        unplaced = []
        for key, message in errors.items():
            label = self.errors.get(key)
            if label is None or not label.parentWidget().isVisibleTo(self):
                unplaced.append(localise(message))
                continue
            label.setText(localise(message))
            label.setVisible(True)
            if first is None:
                first = label.parentWidget()
        if unplaced:
            self._show_general(" ".join(unplaced))
        self.status.setText(self.tr("Please correct the fields marked in red."))
        if first is not None:
            first.focusNextChild() if not first.focusWidget() else None
            target = first.findChild(QLineEdit) or first.findChild(QWidget)
            if target is not None:
                target.setFocus()

    def _show_general(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(True)

    def show_duplicates(self, candidates: list[Any]) -> None:
        self.candidates = list(candidates)
        self.duplicate_list.clear()
        for c in candidates:
            reasons = "; ".join(c.reasons)
            item = QListWidgetItem(self.tr("%1 — %2").replace("%1", c.name).replace("%2", reasons))
            item.setData(Qt.ItemDataRole.UserRole, c.client_id)
            item.setToolTip(self.tr("Match score %1").replace("%1", fmt().number(c.score)))
            self.duplicate_list.addItem(item)
        self.duplicate_list.setCurrentRow(0)
        self.duplicate_list.setFixedHeight(min(len(candidates), 4) * (self.fontMetrics().height() + 8) + 8)
        self.duplicates.setVisible(True)
        self.status.setText(self.tr("Possible duplicate: nothing was saved."))
        self.duplicate_list.setFocus()

    def _open_existing(self) -> None:
        item = self.duplicate_list.currentItem()
        if item is None:
            return
        client_id = item.data(Qt.ItemDataRole.UserRole)
        self._initial, self._initial_kept = self.draft(), self.kept_fields()  # the user chose to leave this draft
        self.reject()
        emit(self.open_existing, client_id)

    # -- leaving --------------------------------------------------------------------------------------
    def request_cancel(self) -> None:
        """Cancel, asking first if there are unsaved changes."""
        if not self.dirty:
            self.reject()
            return
        if self._confirm is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Discard changes?"),
                          self.tr("You have unsaved changes to this client. Discard them?"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("confirmDiscard")
        discard = box.addButton(self.tr("&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._confirm = box

        def answered(button: Any) -> None:
            self._confirm = None
            if button is discard:
                self.reject()

        box.buttonClicked.connect(answered)
        box.rejected.connect(lambda: setattr(self, "_confirm", None))
        box.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.request_cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self.dirty and self.isVisible():
            event.ignore()
            self.request_cancel()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        for handle in self._handles:
            if not handle.delivered:
                handle.cancel()
        self._handles.clear()
        for field in (self.dob_field, self.tax_field):
            field.cancel()
        super().done(result)
