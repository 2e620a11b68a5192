"""One client, all of it: what to say first (the acknowledgement), profile, holdings with balance
history, the interaction timeline, tasks, complaints, surveys, loyalty and recommendations.

Opened from the portfolio (Enter) or the global search (Ctrl+K); Esc or Back returns to the list.
Date of birth, tax id and account numbers stay masked until Reveal (audited by the service).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.clients import CHANNELS, Client360, HoldingView
from app.services.validation import display_phone
from ui.format import fmt
from ui.i18n.app_messages import error_text
from ui.models.client_labels import (
    channel_name,
    consent_name,
    contact_label,
    kind_name,
    language_name,
    state_name,
    status_colour,
)
from ui.models.rows_model import Row, RowsModel
from ui.models.timeline_model import TimelineModel
from ui.qtcompat import emit
from ui.views import ViewContext
from ui.widgets.balance_chart import BalanceChart
from ui.widgets.sensitive import SensitiveField

if TYPE_CHECKING:  # the editor loads the clients service (and the ORM models) when opened
    from ui.dialogs.client_edit import ClientEditDialog


def _table(model: Any, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


class Section(QWidget):
    """A titled list with an empty state instead of an empty grid."""

    def __init__(self, title: str, model: RowsModel, empty: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = QLabel(title)
        self.title.setProperty("role", "section")
        self.table = _table(model, title)
        self.empty = QLabel(empty)
        self.empty.setProperty("role", "empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        model.modelReset.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.model.rowCount() else Qt.FocusPolicy.NoFocus)

    def fit(self, widths: list[int]) -> None:
        fm = self.table.fontMetrics()
        for i, chars in enumerate(widths):
            self.table.horizontalHeader().resizeSection(i, fm.averageCharWidth() * chars + 24)


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)  # wrapped labels get the width
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(6)
    return form


def _panel(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("panel")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(8)
    head = QLabel(title)
    head.setProperty("role", "section")
    layout.addWidget(head)
    return frame, layout


def _value(text: str, name: str, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return label


class Client360View(QWidget):
    back_requested = Signal()
    open_client = Signal(str)  # another client (household member, relationship)
    changed = Signal(str)  # this client was edited
    loaded = Signal()

    def __init__(self, ctx: ViewContext, client_id: str, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("client360")
        self.ctx = ctx
        self.ws = ctx.workstation
        self.tasks = ctx.tasks
        self.client_id = client_id
        self.client: Client360 | None = None
        self._today = today
        self._handles: list[Any] = []
        self._sensitive: list[SensitiveField] = []
        self.setAccessibleName(self.tr("Client"))
        self._build()
        self.reload()

    # -- building -------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)

        head = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Back to portfolio"))
        self.back_button.setObjectName("backToPortfolio")
        self.back_button.setToolTip(self.tr("Return to the list (Esc)"))
        self.back_button.setAccessibleName(self.tr("Back to portfolio"))
        self.back_button.clicked.connect(lambda: emit(self.back_requested))
        self.name = QLabel(self.tr("Loading…"))
        self.name.setObjectName("clientName")
        self.name.setProperty("role", "title")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editClient")
        self.edit_button.setToolTip(self.tr("Edit this client's details (Ctrl+E)"))
        self.edit_button.clicked.connect(lambda: self.edit())
        self.edit_button.setEnabled(False)
        head.addWidget(self.back_button)
        head.addSpacing(8)
        head.addWidget(self.name, 1)
        head.addWidget(self.edit_button)
        layout.addLayout(head)

        self.badges = QHBoxLayout()
        self.badges.setSpacing(6)
        layout.addLayout(self.badges)

        self.ack_frame = QFrame()
        self.ack_frame.setObjectName("ackBanner")
        ack_layout = QVBoxLayout(self.ack_frame)
        ack_layout.setContentsMargins(14, 8, 14, 10)
        ack_layout.setSpacing(2)
        ack_title = QLabel(self.tr("Acknowledge the returning client"))
        ack_title.setProperty("role", "kpi-caption")
        self.ack = QLabel("")
        self.ack.setObjectName("ackSentence")
        self.ack.setWordWrap(True)
        self.ack.setAccessibleName(self.tr("Acknowledgement"))
        self.ack.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.ack.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        ack_layout.addWidget(ack_title)
        ack_layout.addWidget(self.ack)
        layout.addWidget(self.ack_frame)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("clientTabs")
        self.tabs.setAccessibleName(self.tr("Client sections"))
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.tabs)  # opening the client puts the keyboard in its sections
        self._build_profile_tab()
        self._build_holdings_tab()
        self._build_timeline_tab()
        self._build_service_tab()
        self._build_loyalty_tab()
        self._build_recommendations_tab()

        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(lambda: emit(self.back_requested))
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(lambda: emit(self.back_requested))

    def _build_profile_tab(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(4, 10, 4, 4)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)

        contact, c_layout = _panel(self.tr("Contact"))
        self.contact_form = _form()
        c_layout.addLayout(self.contact_form)
        c_layout.addStretch()
        identity, i_layout = _panel(self.tr("Identity and service"))
        self.identity_form = _form()
        i_layout.addLayout(self.identity_form)
        i_layout.addStretch()
        consents, k_layout = _panel(self.tr("Consents"))
        self.consents = QListWidget()
        self.consents.setObjectName("consents")
        self.consents.setAccessibleName(self.tr("Consents"))
        k_layout.addWidget(self.consents)
        k_layout.addStretch()
        household, h_layout = _panel(self.tr("Household and relationships"))
        self.household_label = _value("", self.tr("Household"))
        self.relations = QListWidget()
        self.relations.setObjectName("relations")
        self.relations.setAccessibleName(self.tr("Household members and relationships (Enter opens)"))
        self.relations.itemActivated.connect(self._relation_activated)
        h_layout.addWidget(self.household_label)
        h_layout.addWidget(self.relations)
        h_layout.addStretch()
        grid.addWidget(contact, 0, 0)
        grid.addWidget(identity, 0, 1)
        grid.addWidget(consents, 1, 0)
        grid.addWidget(household, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        for lst in (self.consents, self.relations):
            lst.setMaximumHeight(lst.fontMetrics().height() * 7)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, self.tr("&Profile"))

    def _build_holdings_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        self.holdings_model = RowsModel([self.tr("Product"), self.tr("Category"), self.tr("Account"),
                                         self.tr("Balance"), self.tr("Status"), self.tr("Opened")],
                                        numeric=(3,), parent=self)
        self.holdings = Section(self.tr("Holdings"), self.holdings_model, self.tr("No holdings."))
        self.holdings.table.setObjectName("holdingsTable")
        self.holdings.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._holding_selected(cur.row()))
        account_row = QHBoxLayout()
        self.account_caption = QLabel(self.tr("Account number:"))
        self.account_caption.setProperty("role", "field")
        self.account_slot = QHBoxLayout()
        account_row.addWidget(self.account_caption)
        account_row.addLayout(self.account_slot, 1)
        self.account_field: SensitiveField | None = None
        self.chart = BalanceChart()
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.holdings, 1)
        top_layout.addLayout(account_row)
        split.addWidget(top)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split)
        self.tabs.addTab(page, self.tr("H&oldings"))

    def _build_timeline_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        bar = QHBoxLayout()
        label = QLabel(self.tr("&Channel:"))
        self.channel = QComboBox()
        self.channel.setObjectName("timelineChannel")
        self.channel.setAccessibleName(self.tr("Channel filter"))
        self.channel.addItem(self.tr("All channels"), None)
        for code in CHANNELS:
            self.channel.addItem(channel_name(code), code)
        label.setBuddy(self.channel)
        self.channel.activated.connect(lambda _i: self.timeline_model.set_channel(self.channel.currentData()))
        self.timeline_count = QLabel("")
        self.timeline_count.setProperty("role", "muted")
        bar.addWidget(label)
        bar.addWidget(self.channel)
        bar.addStretch()
        bar.addWidget(self.timeline_count)
        layout.addLayout(bar)
        ws, cid = self.ws, self.client_id
        self.timeline_model = TimelineModel(
            self.tasks, lambda offset, limit, channel: ws.clients.timeline(cid, offset, limit, channel), self)
        self.timeline_model.page_loaded.connect(self._timeline_count)
        self.timeline_model.modelReset.connect(lambda: self._timeline_count(self.timeline_model.rowCount()))
        self.timeline = _table(self.timeline_model, self.tr("Interaction timeline"))
        self.timeline.setObjectName("timelineTable")
        fm = self.timeline.fontMetrics()
        for i, sample in enumerate(("00/00/0000 00:00 pm", "Face to face", "Outbound", "Annual review meeting",
                                    "Follow up")):
            self.timeline.horizontalHeader().resizeSection(i, fm.horizontalAdvance(sample) + 24)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("interactionNotes")
        self.notes.setReadOnly(True)
        self.notes.setAccessibleName(self.tr("Notes of the selected interaction"))
        self.notes.setPlaceholderText(self.tr("Select an interaction to read its notes."))
        self.notes.setMaximumHeight(fm.height() * 6)
        self.timeline.selectionModel().currentRowChanged.connect(lambda cur, _p: self._interaction_selected(cur.row()))
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.notes)
        self.tabs.addTab(page, self.tr("&Timeline"))

    def _build_service_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(12)
        self.tasks_model = RowsModel([self.tr("Task"), self.tr("Due")], parent=self)
        self.tasks_section = Section(self.tr("Open tasks"), self.tasks_model, self.tr("No open tasks."))
        self.complaints_model = RowsModel([self.tr("Reference"), self.tr("State"), self.tr("Received")], parent=self)
        self.complaints_section = Section(self.tr("Complaints"), self.complaints_model,
                                          self.tr("No complaints recorded."))
        layout.addWidget(self.tasks_section, 1)
        layout.addWidget(self.complaints_section, 1)
        self.tabs.addTab(page, self.tr("Tas&ks and complaints"))

    def _build_loyalty_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(12)
        self.loyalty_model = RowsModel([self.tr("Status"), self.tr("Tier"), self.tr("Points")], numeric=(2,),
                                       parent=self)
        self.loyalty_section = Section(self.tr("Loyalty"), self.loyalty_model,
                                       self.tr("Not enrolled in a loyalty programme."))
        self.surveys_model = RowsModel([self.tr("Responded"), self.tr("Score"), self.tr("Comment")], parent=self)
        self.surveys_section = Section(self.tr("Surveys"), self.surveys_model, self.tr("No survey responses."))
        layout.addWidget(self.loyalty_section, 1)
        layout.addWidget(self.surveys_section, 2)
        self.tabs.addTab(page, self.tr("&Surveys and loyalty"))

    def _build_recommendations_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 10, 4, 4)
        self.recs_model = RowsModel([self.tr("Status"), self.tr("Product"), self.tr("Reason")], parent=self)
        self.recs_section = Section(self.tr("Recommendations"), self.recs_model,
                                    self.tr("Recommendations arrive with a later release"))
        self.recs_section.empty.setObjectName("recommendationsEmpty")
        layout.addWidget(self.recs_section)
        self.tabs.addTab(page, self.tr("&Recommendations"))

    # -- loading --------------------------------------------------------------------------------------
    def reload(self) -> None:
        ws, cid, today = self.ws, self.client_id, self._today
        self._submit(lambda: ws.clients.client_360(cid, today=today), self._show, self._failed,
                     self.tr("Opening the client"))

    def _submit(self, fn: Any, on_done: Any, on_error: Any = None, label: str = "") -> Any:
        handle = self.tasks.submit(fn, on_done=on_done, on_error=on_error, label=label)
        self._handles = [h for h in self._handles if not h.delivered and not h.cancelled]
        self._handles.append(handle)
        return handle

    def _failed(self, exc: BaseException) -> None:
        self.name.setText(self.tr("Client not available"))
        self.ack.setText(error_text(exc))
        self.edit_button.setEnabled(False)

    def _show(self, c: Client360) -> None:
        self.client = c
        f = fmt()
        today = self._today or date.today()
        self.name.setText(c.display_name)
        self.setAccessibleName(self.tr("Client: %1").replace("%1", c.display_name))
        self.ack.setText(c.acknowledgement.sentence(today))
        self.edit_button.setEnabled(True)
        self._fill_badges(c)
        self._fill_profile(c)
        self._fill_holdings(c)
        self.timeline_model.seed(c.recent_interactions) if self.channel.currentData() is None \
            else self.timeline_model.set_channel(self.channel.currentData())
        self.tasks_model.set_rows([
            Row((title, f.datetime(due) if due else self.tr("No due date")), key=tid,
                colours={1: status_colour("@error")} if due and f.local(due).date() < today else {})
            for tid, title, due in c.open_tasks])
        self.complaints_model.set_rows([
            Row((ref, state_name(state), f.date(received)), key=kid,
                colours={1: status_colour("@warn")} if state != "closed" else {})
            for kid, ref, state, received in c.complaints])
        self.surveys_model.set_rows([
            Row((f.date(at), self.tr("%1 / 5").replace("%1", f.number(score)) if score is not None else "–",
                 comment or ""), tips=("", "", comment))
            for at, score, comment in c.surveys])
        self.loyalty_model.set_rows([Row((state_name(status), tier or "", f.number(points)))
                                     for status, tier, points in c.loyalty])
        self.recs_model.set_rows([Row((state_name(status), product or "", reason), tips=("", "", reason))
                                  for status, product, reason in c.recommendations])
        for section, widths in ((self.tasks_section, [40]), (self.complaints_section, [12, 14]),
                                (self.surveys_section, [10, 6]), (self.loyalty_section, [10, 10]),
                                (self.recs_section, [10, 18])):
            section.fit(widths)
        emit(self.loaded)

    def _clear(self, layout: Any) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                if isinstance(widget, SensitiveField):
                    widget.shutdown()
                widget.deleteLater()
            elif item.layout() is not None:
                self._clear(item.layout())

    def _badge(self, text: str, role: str = "badge", tip: str = "") -> QLabel:
        label = QLabel(text)
        label.setProperty("role", role)
        label.setAccessibleName(text)
        if tip:
            label.setToolTip(tip)
        self.badges.addWidget(label)
        return label

    def _fill_badges(self, c: Client360) -> None:
        self._clear(self.badges)
        f = fmt()
        self._badge(kind_name(c.kind))
        if c.segment_name:
            self._badge(c.segment_name, tip=self.tr("Service segment"))
        if c.loyalty_tier:
            self._badge(self.tr("%1 tier").replace("%1", c.loyalty_tier), tip=self.tr("Loyalty tier"))
        if c.status != "active":
            self._badge(state_name(c.status), "badge-warn")
        if c.do_not_contact:
            self.dnc_badge = self._badge(self.tr("⛔ Do not contact"), "badge-error",
                                         self.tr("The client asked not to be contacted"))
        if c.interpreter_needed:
            lang = f" ({language_name(c.preferred_language)})" if c.preferred_language else ""
            self._badge(self.tr("Interpreter needed") + lang, "badge-warn")
        if c.special_needs:
            self._badge(self.tr("Special needs"), "badge-warn", c.special_needs)
        if c.onboarded_on:
            self._badge(self.tr("Client since %1").replace("%1", f.date(c.onboarded_on)))
        self.badges.addStretch()

    def _fill_profile(self, c: Client360) -> None:
        for field in self._sensitive:
            field.shutdown()
        self._sensitive = [s for s in self._sensitive if s is self.account_field]
        f = fmt()
        yes, no = self.tr("Yes"), self.tr("No")
        form = self.contact_form
        while form.rowCount():
            form.removeRow(0)
        phones = "\n".join(
            f"{display_phone(number)}  ({contact_label(label)}{', ' + self.tr('primary') if primary else ''})"
            for label, number, primary in c.phones) or self.tr("None recorded")
        emails = "\n".join(f"{address}  ({contact_label(label)}{', ' + self.tr('primary') if primary else ''})"
                           for label, address, primary in c.emails) or self.tr("None recorded")
        self.phones_label = _value(phones, self.tr("Phones"))
        self.emails_label = _value(emails, self.tr("E-mails"))
        form.addRow(self.tr("Phones"), self.phones_label)
        form.addRow(self.tr("E-mails"), self.emails_label)
        form.addRow(self.tr("Preferred channel"),
                    _value(channel_name(c.preferred_channel) if c.preferred_channel else self.tr("No preference"),
                           self.tr("Preferred channel")))
        form.addRow(self.tr("Language"), _value(language_name(c.preferred_language) or self.tr("Not recorded"),
                                                self.tr("Language")))
        form.addRow(self.tr("Interpreter"), _value(self.tr("Needed") if c.interpreter_needed else self.tr("Not needed"),
                                                   self.tr("Interpreter")))
        dnc = _value(self.tr("Yes — do not contact this client") if c.do_not_contact else no,
                     self.tr("Do not contact"))
        if c.do_not_contact:
            dnc.setProperty("role", "error")
        form.addRow(self.tr("Do not contact"), dnc)
        form.addRow(self.tr("Special needs"), _value(c.special_needs or self.tr("None recorded"),
                                                     self.tr("Special needs"), wrap=True))

        form = self.identity_form
        while form.rowCount():
            form.removeRow(0)
        ws, cid = self.ws, c.id

        def as_date(value: Any) -> str:
            return f.date(date.fromisoformat(value)) if value else ""

        self.dob_field = SensitiveField(self.tr("Date of birth"), c.date_of_birth_masked,
                                        lambda: ws.clients.reveal(cid, "date_of_birth"), self.tasks, as_date)
        self.dob_field.setObjectName("dobField")
        self.tax_field = SensitiveField(self.tr("Tax id"), c.tax_id_masked,
                                        lambda: ws.clients.reveal(cid, "tax_id"), self.tasks)
        self.tax_field.setObjectName("taxField")
        self._sensitive += [self.dob_field, self.tax_field]
        if c.kind == "person":
            form.addRow(self.tr("Date of birth"), self.dob_field)
        form.addRow(self.tr("Tax id"), self.tax_field)
        form.addRow(self.tr("Country"), _value(c.country, self.tr("Country")))
        form.addRow(self.tr("Segment"), _value(c.segment_name or self.tr("None"), self.tr("Segment")))
        form.addRow(self.tr("Loyalty tier"), _value(c.loyalty_tier or self.tr("None"), self.tr("Loyalty tier")))
        form.addRow(self.tr("Status"), _value(state_name(c.status), self.tr("Status")))
        form.addRow(self.tr("Client since"), _value(f.date(c.onboarded_on) or self.tr("Unknown"),
                                                    self.tr("Client since")))
        form.addRow(self.tr("Data verified"), _value(f.date(c.data_verified_on) or self.tr("Never"),
                                                     self.tr("Data verified")))
        if c.notes:
            form.addRow(self.tr("Notes"), _value(c.notes, self.tr("Notes"), wrap=True))
        del yes

        self.consents.clear()
        for purpose, granted, at in c.consents:
            text = self.tr("%1: %2 on %3").replace("%1", consent_name(purpose)).replace(
                "%2", self.tr("granted") if granted else self.tr("withdrawn")).replace("%3", f.date(at))
            item = QListWidgetItem(("✓ " if granted else "✗ ") + text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.consents.addItem(item)
        if not c.consents:
            self.consents.addItem(self.tr("No consent decisions recorded."))

        self.household_label.setText(self.tr("Household: %1").replace("%1", c.household) if c.household
                                     else self.tr("Not part of a household."))
        self.relations.clear()
        for member_id, member_name in c.household_members:
            item = QListWidgetItem(self.tr("%1 (household member)").replace("%1", member_name))
            item.setData(Qt.ItemDataRole.UserRole, member_id)
            self.relations.addItem(item)
        for kind, other_id, other_name in c.relationships:
            item = QListWidgetItem(self.tr("%1 (%2)").replace("%1", other_name).replace("%2", state_name(kind)))
            item.setData(Qt.ItemDataRole.UserRole, other_id)
            self.relations.addItem(item)
        if not self.relations.count():
            self.relations.addItem(self.tr("No relationships recorded."))

    def _relation_activated(self, item: QListWidgetItem) -> None:
        other = item.data(Qt.ItemDataRole.UserRole)
        if other:
            emit(self.open_client, other)

    def _fill_holdings(self, c: Client360) -> None:
        f = fmt()
        rows = []
        for h in c.holdings:
            colours = {3: status_colour("@error")} if h.balance < 0 else {}
            rows.append(Row((h.product, state_name(h.category), h.account_masked or "–",
                             f.money(h.balance, h.currency), state_name(h.status), f.date(h.opened_on)),
                            key=h.id, colours=colours))
        self.holdings_model.set_rows(rows)
        fm = self.holdings.table.fontMetrics()
        for i, sample in enumerate(("Managed portfolio balanced", "Investment", "••••••••••••3456", "$12,345,678.90",
                                    "Closed")):
            self.holdings.table.horizontalHeader().resizeSection(i, fm.horizontalAdvance(sample) + 24)
        if c.holdings:
            self.holdings.table.selectRow(0)
            self._holding_selected(0)
        else:
            self._holding_selected(-1)

    def holding_at(self, row: int) -> HoldingView | None:
        if self.client is None or not 0 <= row < len(self.client.holdings):
            return None
        return self.client.holdings[row]

    def _holding_selected(self, row: int) -> None:
        h = self.holding_at(row)
        if self.account_field is not None:
            self.account_field.shutdown()
            self.account_field.deleteLater()
            self._sensitive = [s for s in self._sensitive if s is not self.account_field]
            self.account_field = None
        if h is None:
            self.chart.clear()
            self.account_caption.setVisible(False)
            return
        ws = self.ws
        field = SensitiveField(self.tr("Account number"), h.account_masked,
                               (lambda hid=h.id: ws.clients.reveal_account(hid)) if h.account_masked else None,
                               self.tasks)
        field.setObjectName("accountField")
        self.account_field = field
        self._sensitive.append(field)
        self.account_slot.addWidget(field)
        self.account_caption.setVisible(True)
        self.chart.show_history(h.product, h.history, h.currency)

    def _timeline_count(self, rows: int) -> None:
        more = self.timeline_model.canFetchMore()
        text = self.tr("%1 interactions shown").replace("%1", fmt().number(rows))
        self.timeline_count.setText(text + (self.tr(" (scroll for more)") if more else ""))

    def _interaction_selected(self, row: int) -> None:
        i = self.timeline_model.interaction_at(row)
        if i is None:
            self.notes.clear()
            return
        head = " · ".join(p for p in (fmt().datetime(i.occurred_at), channel_name(i.channel), i.subject or "") if p)
        self.notes.setPlainText(f"{head}\n\n{i.notes or self.tr('No notes.')}")

    # -- state kept over a rebuild (see ui/main_window.py) -----------------------------------------------
    def view_state(self) -> dict[str, Any]:
        return {"tab": self.tabs.currentIndex(), "channel": self.channel.currentData()}

    def restore_view_state(self, state: dict[str, Any]) -> None:
        """Before the client arrives: `_show` reads the timeline for the channel chosen here."""
        self.tabs.setCurrentIndex(state.get("tab", 0))
        self.channel.setCurrentIndex(max(self.channel.findData(state.get("channel")), 0))

    # -- commands -------------------------------------------------------------------------------------
    def edit(self) -> ClientEditDialog | None:
        if self.client is None:
            return None
        from ui.dialogs.client_edit import ClientEditDialog

        dialog = ClientEditDialog(self.ws, self.tasks, self.client_id, self)
        dialog.saved.connect(self._edited)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _edited(self, client_id: str) -> None:
        self.reload()
        emit(self.changed, client_id)

    def shutdown(self) -> None:
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        for field in self._sensitive:
            field.shutdown()
        self.timeline_model.shutdown()
        for model in (self.holdings_model, self.tasks_model, self.complaints_model, self.surveys_model,
                      self.loyalty_model, self.recs_model):
            model.clear()
        self.client = None
