"""One complaint case: header with its clocks, the lifecycle actions the state allows, the timeline,
and the panels for referrals, contacts and notes, compensation, root causes and satisfaction.

Everything is read and written through ComplaintService on the DB worker. After any change the
case is read again (so what is shown is what was stored) and `changed` tells the list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.complaint_action import CaseActionDialog, act
from ui.dialogs.complaint_compensation import DecideCompensationDialog, ProposeCompensationDialog, mark_paid
from ui.dialogs.complaint_contact import CaseContactDialog
from ui.dialogs.complaint_letter import LetterDialog
from ui.dialogs.complaint_referral import CaseReferralDialog, update_referral
from ui.format import fmt
from ui.models.complaints_model import CompensationModel, EventsModel, ReferralsModel
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import (
    action_labels,
    channel_labels,
    clock_style,
    deadline_state_labels,
    due_text,
    label,
    message_of,
    money,
    outcome_labels,
    set_role,
    severity_labels,
    span,
    state_labels,
    status_colour,
    time_left_text,
    type_labels,
    when,
)

DIALOG_ACTIONS = ("escalate", "close", "withdraw", "reopen")
ACTION_ORDER = ("acknowledge", "investigate", "escalate", "issue_response", "close", "withdraw", "reopen")
SATISFACTION = {1: QT_TRANSLATE_NOOP("CaseWidget", "Very dissatisfied"), 2: QT_TRANSLATE_NOOP("CaseWidget", "Dissatisfied"),
                3: QT_TRANSLATE_NOOP("CaseWidget", "Neither"), 4: QT_TRANSLATE_NOOP("CaseWidget", "Satisfied"),
                5: QT_TRANSLATE_NOOP("CaseWidget", "Very satisfied")}


# -- worker side ----------------------------------------------------------------------------------------

def load_case(ws: Any, case_id: str) -> tuple[Any, list[Any], list[Any]]:
    """The case, the recurrence flags it is part of, and the root-cause categories to choose from."""
    svc = ws.complaints
    case = svc.case(case_id)
    flags = [f for f in svc.recurrence_flags() if case.id in f.case_ids]
    return case, flags, svc.root_causes()


def add_note(ws: Any, case_id: str, note: str) -> Any:
    return ws.complaints.add_note(case_id, note)


def attach_root_cause(ws: Any, case_id: str, code: str, note: str) -> Any:
    return ws.complaints.attach_root_cause(case_id, code, note)


def record_satisfaction(ws: Any, case_id: str, score: int, comment: str) -> Any:
    return ws.complaints.record_satisfaction(case_id, score, comment)


def _table(name: str, accessible: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _muted(text: str = "", name: str = "") -> QLabel:
    widget = QLabel(text, objectName=name or None)
    widget.setProperty("role", "muted")
    widget.setWordWrap(True)
    return widget


class CaseWidget(QWidget):
    back = Signal()
    changed = Signal(str)  # the case id, after a change was stored

    def __init__(self, ws: Any, tasks: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintCase")
        self.setAccessibleName(self.tr("Complaint case"))
        self.ws, self.tasks = ws, tasks
        self.jobs = Jobs(tasks)
        self.case: Any = None
        self.flags: list[Any] = []
        self.causes: list[Any] = []
        self.dialog: Any = None  # the last dialog opened from the case (tests drive it)
        self._case_id: str | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← &Back to the list"), objectName="backButton")
        self.back_button.setToolTip(self.tr("Back to the list of cases (Esc)"))
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        top.addStretch()
        self.letters_button = QPushButton(self.tr("&Letters"), objectName="lettersButton")
        self.letters_button.setAccessibleName(self.tr("Letters to the client"))
        menu = QMenu(self.letters_button)
        for code, text in (("acknowledgement", self.tr("Acknowledgement…")),
                           ("delay_notice", self.tr("Delay notice…")),
                           ("final_response", self.tr("Final response…"))):
            menu.addAction(text, lambda c=code: self.open_letter(c)).setObjectName(f"letter-{code}")
        self.letters_button.setMenu(menu)
        top.addWidget(self.letters_button)
        outer.addLayout(top)

        # -- header ---------------------------------------------------------------------------------
        card = QFrame(objectName="card")
        head = QVBoxLayout(card)
        head.setContentsMargins(16, 12, 16, 12)
        head.setSpacing(4)
        self.title = QLabel(objectName="caseTitle")
        self.title.setProperty("role", "title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel(objectName="caseSubtitle")
        self.subtitle.setWordWrap(True)
        self.clock = QLabel(objectName="caseClock")
        self.clock.setProperty("role", "subtitle")
        self.systemic = QLabel(objectName="systemicFlag")
        self.systemic.setWordWrap(True)
        self.systemic.setStyleSheet("QLabel { border-radius: 6px; padding: 6px 10px; font-weight: 600; }")
        self.systemic.hide()
        self.deadline_grid = QGridLayout()
        self.deadline_grid.setHorizontalSpacing(18)
        self.deadline_grid.setVerticalSpacing(2)
        for w in (self.title, self.subtitle, self.clock, self.systemic):
            head.addWidget(w)
        head.addLayout(self.deadline_grid)
        outer.addWidget(card)

        # -- actions ----------------------------------------------------------------------------------
        actions = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        labels = action_labels()
        for code in ACTION_ORDER:
            button = QPushButton(labels[code], objectName=f"act-{code}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=code: self.perform(c))
            button.hide()
            actions.addWidget(button)
            self.action_buttons[code] = button
        actions.addStretch()
        outer.addLayout(actions)
        self.error = QLabel(objectName="caseError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.error, "error")
        self.error.setAccessibleName(self.tr("Message"))
        self.error.hide()
        outer.addWidget(self.error)

        # -- panels -----------------------------------------------------------------------------------
        self.tabs = QTabWidget(objectName="caseTabs")
        self.tabs.setAccessibleName(self.tr("Case panels"))
        outer.addWidget(self.tabs, 1)
        self._build_timeline()
        self._build_details()
        self._build_referrals()
        self._build_contacts()
        self._build_compensation()
        self._build_root_causes()
        self._build_satisfaction()

        for keys in ("Escape", "Alt+Left"):
            QShortcut(QKeySequence(keys), self, self.back.emit, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setFocusProxy(self.tabs)

    # -- building the panels -----------------------------------------------------------------------------
    def _build_timeline(self) -> None:
        self.events_model = EventsModel(self)
        self.timeline = _table("timeline", self.tr("Timeline of the case"))
        self.timeline.setModel(self.events_model)
        for col, width in enumerate((140, 200, 140)):
            self.timeline.setColumnWidth(col, width)
        self.tabs.addTab(self.timeline, self.tr("&Timeline"))

    def _build_details(self) -> None:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.details = QFormLayout(inner)
        self.details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.detail_labels: dict[str, QLabel] = {}
        for key, text in (("description", self.tr("What happened")), ("products", self.tr("Products")),
                          ("categories", self.tr("Issues")), ("remedy", self.tr("Remedy sought")),
                          ("received", self.tr("Received")), ("channel", self.tr("Channel")),
                          ("taken_by", self.tr("Taken by")), ("owner", self.tr("Owner")),
                          ("escalated_to", self.tr("Escalated to")), ("written", self.tr("Written response")),
                          ("acknowledged", self.tr("Acknowledged")), ("responded", self.tr("Response issued")),
                          ("closed", self.tr("Closed")), ("body", self.tr("External dispute body"))):
            value = QLabel(objectName=f"detail-{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setAccessibleName(text)
            self.detail_labels[key] = value
            self.details.addRow(f"{text}:", value)
        area.setWidget(inner)
        self.tabs.addTab(area, self.tr("&Details"))

    def _build_referrals(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.referrals_model = ReferralsModel(self)
        self.referrals = _table("referrals", self.tr("Referrals to departments"))
        self.referrals.setModel(self.referrals_model)
        for col, width in enumerate((160, 140, 130, 100)):
            self.referrals.setColumnWidth(col, width)
        layout.addWidget(self.referrals, 1)
        row = QHBoxLayout()
        self.refer_button = QPushButton(self.tr("Re&fer to a department…"), objectName="referButton")
        self.refer_button.clicked.connect(self.open_referral)
        row.addWidget(self.refer_button)
        self.referral_status: dict[str, QPushButton] = {}
        for status, text in (("in_progress", self.tr("Mark in pro&gress")), ("done", self.tr("Mark d&one")),
                             ("cancelled", self.tr("Cance&l referral"))):
            button = QPushButton(text, objectName=f"referral-{status}")
            button.clicked.connect(lambda _=False, s=status: self.set_referral_status(s))
            row.addWidget(button)
            self.referral_status[status] = button
        row.addStretch()
        layout.addLayout(row)
        self.referrals.selectionModel().currentChanged.connect(lambda *_: self._referral_buttons())
        self.referrals_page = page
        self.tabs.addTab(page, self.tr("Re&ferrals"))

    def _build_contacts(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.contacts_model = EventsModel(self)
        self.contacts = _table("contacts", self.tr("Contacts with the client and notes"))
        self.contacts.setModel(self.contacts_model)
        for col, width in enumerate((140, 180, 140)):
            self.contacts.setColumnWidth(col, width)
        layout.addWidget(self.contacts, 1)
        row = QHBoxLayout()
        self.contact_button = QPushButton(self.tr("Record &contact…"), objectName="contactButton")
        self.contact_button.clicked.connect(self.open_contact)
        row.addWidget(self.contact_button)
        self.note = QLineEdit(objectName="noteEdit")
        self.note.setPlaceholderText(self.tr("A note for the file (Enter adds it)"))
        self.note.setAccessibleName(self.tr("New note"))
        self.note.returnPressed.connect(self.add_note)
        row.addWidget(self.note, 1)
        self.note_button = QPushButton(self.tr("Add &note"), objectName="noteButton")
        self.note_button.clicked.connect(self.add_note)
        row.addWidget(self.note_button)
        layout.addLayout(row)
        self.contacts_page = page
        self.tabs.addTab(page, self.tr("Contacts && &notes"))

    def _build_compensation(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.comp_banner = QLabel(objectName="compBanner")
        self.comp_banner.setWordWrap(True)
        self.comp_banner.hide()
        layout.addWidget(self.comp_banner)
        self.comp_model = CompensationModel(self)
        self.compensation = _table("compensation", self.tr("Compensation"))
        self.compensation.setModel(self.comp_model)
        for col, width in enumerate((120, 130, 120, 210, 210)):
            self.compensation.setColumnWidth(col, width)
        layout.addWidget(self.compensation, 1)
        row = QHBoxLayout()
        self.propose_button = QPushButton(self.tr("&Propose…"), objectName="proposeButton")
        self.approve_button = QPushButton(self.tr("Appro&ve…"), objectName="approveButton")
        self.reject_button = QPushButton(self.tr("Re&ject…"), objectName="rejectButton")
        self.paid_button = QPushButton(self.tr("Mark pai&d"), objectName="paidButton")
        self.propose_button.clicked.connect(self.open_propose)
        self.approve_button.clicked.connect(lambda: self.open_decide(True))
        self.reject_button.clicked.connect(lambda: self.open_decide(False))
        self.paid_button.clicked.connect(self.mark_paid)
        for b in (self.propose_button, self.approve_button, self.reject_button, self.paid_button):
            row.addWidget(b)
        row.addStretch()
        self.comp_total = _muted(name="compTotal")
        row.addWidget(self.comp_total)
        layout.addLayout(row)
        self.compensation.selectionModel().currentChanged.connect(lambda *_: self._comp_buttons())
        self.comp_page = page
        self.tabs.addTab(page, self.tr("Co&mpensation"))

    def _build_root_causes(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.causes_label = QLabel(objectName="rootCauses")
        self.causes_label.setWordWrap(True)
        self.causes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.causes_label)
        self.cause_flags = QLabel(objectName="causeFlags")
        self.cause_flags.setWordWrap(True)
        self.cause_flags.hide()
        layout.addWidget(self.cause_flags)
        form = QFormLayout()
        self.cause_pick = QComboBox(objectName="causePicker")
        self.cause_pick.setAccessibleName(self.tr("Root cause category"))
        lab = QLabel(self.tr("Ca&use:"))
        lab.setBuddy(self.cause_pick)
        form.addRow(lab, self.cause_pick)
        self.cause_note = QLineEdit(objectName="causeNote")
        self.cause_note.setAccessibleName(self.tr("Note on the root cause"))
        self.cause_note.setPlaceholderText(self.tr("Optional: what exactly went wrong"))
        lab = QLabel(self.tr("No&te:"))
        lab.setBuddy(self.cause_note)
        form.addRow(lab, self.cause_note)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.attach_button = QPushButton(self.tr("&Attach root cause"), objectName="attachCause")
        self.attach_button.clicked.connect(self.attach_cause)
        row.addWidget(self.attach_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        self.tabs.addTab(page, self.tr("Root ca&uses"))

    def _build_satisfaction(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.satisfaction_state = QLabel(objectName="satisfactionState")
        self.satisfaction_state.setWordWrap(True)
        layout.addWidget(self.satisfaction_state)
        self.satisfaction_form = QWidget()
        form = QFormLayout(self.satisfaction_form)
        self.score = QSpinBox(objectName="satisfactionScore")
        self.score.setRange(1, 5)
        self.score.setValue(4)
        self.score.setAccessibleName(self.tr("Satisfaction score from 1 to 5"))
        self.score_text = _muted()
        self.score.valueChanged.connect(lambda v: self.score_text.setText(self.tr(SATISFACTION[v])))
        self.score_text.setText(self.tr(SATISFACTION[4]))
        score_row = QHBoxLayout()
        score_row.addWidget(self.score)
        score_row.addWidget(self.score_text)
        score_row.addStretch()
        lab = QLabel(self.tr("&Score (1–5):"))
        lab.setBuddy(self.score)
        form.addRow(lab, score_row)
        self.satisfaction_comment = QPlainTextEdit(objectName="satisfactionComment")
        self.satisfaction_comment.setTabChangesFocus(True)
        self.satisfaction_comment.setFixedHeight(80)
        self.satisfaction_comment.setAccessibleName(self.tr("The client's comment"))
        lab = QLabel(self.tr("C&omment:"))
        lab.setBuddy(self.satisfaction_comment)
        form.addRow(lab, self.satisfaction_comment)
        self.satisfaction_button = QPushButton(self.tr("&Record satisfaction"), objectName="recordSatisfaction")
        self.satisfaction_button.clicked.connect(self.record_satisfaction)
        form.addRow("", self.satisfaction_button)
        layout.addWidget(self.satisfaction_form)
        layout.addStretch()
        self.tabs.addTab(page, self.tr("&Satisfaction"))

    # -- loading -----------------------------------------------------------------------------------------
    def load(self, case_id: str) -> None:
        if case_id != self._case_id:
            self.error.hide()
        self._case_id = case_id
        self.jobs.run(load_case, self.ws, case_id, label=self.tr("Reading the case"),
                      on_done=self._loaded, on_error=self.show_error)

    def reload(self) -> None:
        if self._case_id:
            self.load(self._case_id)

    def _loaded(self, found: tuple[Any, list[Any], list[Any]]) -> None:
        case, flags, causes = found
        if case.id != self._case_id and case.reference != self._case_id:
            return
        self._case_id = case.id
        self.case, self.flags, self.causes = case, flags, causes
        self.render()

    def _after_change(self, _result: Any = None) -> None:
        self.error.hide()
        self.reload()
        if self.case is not None:
            emit(self.changed, self.case.id)

    def show_error(self, exc: BaseException | str) -> None:
        self.error.setText(exc if isinstance(exc, str) else message_of(exc))
        self.error.show()

    # -- rendering -----------------------------------------------------------------------------------------
    def render(self) -> None:
        c = self.case
        states, types = state_labels(), type_labels()
        self.title.setText(f"{c.reference} · {c.client_name}")
        state = label(states, c.state)
        if c.outcome:
            state += f" ({label(outcome_labels(), c.outcome).lower()})"
        bits = [f"<b>{state}</b>", f"{c.regime_name} ({c.region})", label(types, c.complaint_type),
                label(channel_labels(), c.channel), self.tr("severity %1").replace("%1", label(severity_labels(),
                                                                                               c.severity).lower())]
        if c.owner:
            bits.append(self.tr("owner %1").replace("%1", c.owner))
        if c.escalated_to and c.state == "escalated":
            bits.append(self.tr("escalated to %1").replace("%1", c.escalated_to))
        self.subtitle.setText(" · ".join(bits))
        self.render_clocks()
        self._render_systemic()
        allowed = {a.value for a in c.allowed_actions}
        for code, button in self.action_buttons.items():
            button.setVisible(code in allowed)
        self.events_model.set_rows(c.events)
        self.timeline.scrollToBottom()
        self._render_details()
        self.referrals_model.set_rows(c.referrals)
        self._referral_buttons()
        self.contacts_model.set_rows([e for e in c.events if e.kind in ("contact", "note")])
        self.comp_model.set_rows(c.compensations)
        self._render_compensation()
        self._render_causes()
        self._render_satisfaction()
        open_case = c.state != "closed"
        for w in (self.refer_button, self.contact_button, self.note, self.note_button, self.propose_button):
            w.setEnabled(open_case)

    def render_clocks(self) -> None:
        """Time left from the deadlines already read (the minute timer calls this; no service call)."""
        c = self.case
        if c is None:
            return
        now = datetime.now(UTC)
        while self.deadline_grid.count():
            item = self.deadline_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        states = deadline_state_labels()
        next_pending = None
        for row, d in enumerate(c.deadlines):
            name = QLabel(f"<b>{d.label}</b>" + ("" if d.binding else self.tr(" (window)")))
            due = QLabel(due_text(d.due_local))
            if d.state in ("pending", "overdue"):
                clock = "breached" if now > d.due else "warning" if now >= d.warn_at else "ok"
                text = time_left_text(d.due - now, clock)
                next_pending = next_pending or (d, clock)
            elif d.state in ("met", "late"):
                clock = "warning" if d.state == "late" else "ok"
                text = f"{label(states, d.state)} {when(d.met_at)}"
            elif d.state == "open":
                clock = "ok"
                text = self.tr("open for %1 more").replace("%1", span(d.due - now)) if d.due > now \
                    else label(states, "passed")
            else:
                clock = "ok"
                text = label(states, d.state)
            status = QLabel(text, objectName=f"deadline-{d.clock}")
            status.setStyleSheet(clock_style(clock))
            status.setAccessibleName(f"{d.label}: {text}")
            for col, w in enumerate((name, due, status)):
                self.deadline_grid.addWidget(w, row, col)
        self.deadline_grid.setColumnStretch(3, 1)
        if next_pending is not None:
            d, clock = next_pending
            text = self.tr("%1: %2").replace("%1", d.label).replace("%2", time_left_text(d.due - now, clock))
            self.clock.setText(text)
            self.clock.setStyleSheet(clock_style(clock))
        else:
            self.clock.setText(self.tr("Every deadline on this case has been met.") if c.state != "closed"
                               else self.tr("Closed %1.").replace("%1", when(c.closed_at)))
            self.clock.setStyleSheet("")
        self.clock.setAccessibleName(self.tr("Clock: %1").replace("%1", self.clock.text()))

    def _render_systemic(self) -> None:
        if not self.flags:
            self.systemic.hide()
            self.cause_flags.hide()
            return
        lines = [self.tr("Systemic issue? %1 on %2 cases within %3 days (%4).")
                 .replace("%1", f.label).replace("%2", fmt().number(f.peak))
                 .replace("%3", fmt().number(f.window_days)).replace("%4", ", ".join(f.references[-6:]))
                 for f in self.flags]
        text = "⚠ " + "<br>⚠ ".join(lines)
        colour = status_colour("warn").name()
        for w in (self.systemic, self.cause_flags):
            w.setText(text)
            w.setStyleSheet(f"QLabel {{ border: 2px solid {colour}; border-radius: 6px; padding: 6px 10px; "
                            f"font-weight: 600; color: {colour}; }}")
            w.setAccessibleName(self.tr("Systemic issue?"))
            w.show()

    def _render_details(self) -> None:
        c = self.case
        body = c.external_body
        values = {
            "description": c.description, "products": ", ".join(c.products) or self.tr("not recorded"),
            "categories": ", ".join(c.categories) or self.tr("not recorded"),
            "remedy": c.remedy_sought or self.tr("not recorded"),
            "received": f"{when(c.received_at)}  ({when(c.received_at.astimezone(_zone(c.received_tz)), with_zone=True)}"
                        f" {c.received_tz})",
            "channel": label(channel_labels(), c.channel), "taken_by": c.taken_by or "",
            "owner": c.owner or "", "escalated_to": c.escalated_to or self.tr("not escalated"),
            "written": self.tr("requested by the client") if c.written_response_requested else self.tr("not requested"),
            "acknowledged": when(c.acknowledged_at) or "—", "responded": when(c.response_issued_at) or "—",
            "closed": when(c.closed_at) or "—",
            "body": f"{body.name} ({body.short_name}) · {body.website} · {body.phone}",
        }
        for key, text in values.items():
            self.detail_labels[key].setText(text)

    def _render_compensation(self) -> None:
        c = self.case
        waiting = [p for p in c.compensations if p.needs_approval]
        if waiting:
            lines = [self.tr("%1 proposed by %2 needs approval by someone with the authority (a team leader or "
                             "manager).").replace("%1", money(p.amount, p.currency)).replace("%2", p.proposed_by)
                     for p in waiting]
            self.comp_banner.setText("\n".join(lines))
            set_role(self.comp_banner, "hint-fair")
            self.comp_banner.show()
        else:
            self.comp_banner.hide()
        if waiting and not self.compensation.currentIndex().isValid():
            first = next(i for i, p in enumerate(c.compensations) if p.needs_approval)
            self.compensation.setCurrentIndex(self.comp_model.index(first, 0))  # ready for Approve…
        currency = c.compensations[0].currency if c.compensations else ""
        self.comp_total.setText(self.tr("Agreed: %1").replace("%1", money(c.compensation_total, currency)))
        self._comp_buttons()

    def _render_causes(self) -> None:
        c = self.case
        if c.root_causes:
            self.causes_label.setText(self.tr("Recorded: %1").replace("%1", ", ".join(r.label for r in c.root_causes)))
        else:
            self.causes_label.setText(self.tr("No root cause recorded yet."))
        attached = {r.code for r in c.root_causes}
        current = self.cause_pick.currentData()
        self.cause_pick.clear()
        for cause in self.causes:
            if cause.code not in attached:
                self.cause_pick.addItem(cause.label, cause.code)
        if current is not None and self.cause_pick.findData(current) >= 0:
            self.cause_pick.setCurrentIndex(self.cause_pick.findData(current))
        self.attach_button.setEnabled(self.cause_pick.count() > 0)

    def _render_satisfaction(self) -> None:
        c = self.case
        s = c.satisfaction
        ready = c.state in ("response_issued", "closed")
        if s is not None:
            text = self.tr("Recorded %1: %2 of 5 (%3).").replace("%1", when(s.at)).replace("%2", fmt().number(s.score)) \
                .replace("%3", self.tr(SATISFACTION.get(s.score, "")))
            if s.comment:
                text += " " + self.tr("“%1”").replace("%1", s.comment)
        elif ready:
            text = self.tr("Ask the client how satisfied they are with the way we handled their complaint.")
        else:
            text = self.tr("The satisfaction check comes after the client has our response.")
        self.satisfaction_state.setText(text)
        self.satisfaction_form.setVisible(ready)
        self.satisfaction_button.setText(self.tr("&Record satisfaction") if s is None
                                         else self.tr("&Record again"))

    def _selected(self, table: QTableView, model: Any) -> Any:
        index = table.currentIndex()
        return model.row_at(index.row()) if index.isValid() else None

    def _referral_buttons(self) -> None:
        r = self._selected(self.referrals, self.referrals_model)
        live = r is not None and r.status in ("open", "in_progress") and self.case is not None
        for status, button in self.referral_status.items():
            button.setEnabled(live and r.status != status)

    def _comp_buttons(self) -> None:
        p = self._selected(self.compensation, self.comp_model)
        self.approve_button.setEnabled(p is not None and p.status == "proposed")
        self.reject_button.setEnabled(p is not None and p.status == "proposed")
        self.paid_button.setEnabled(p is not None and p.status == "approved")

    # -- commands --------------------------------------------------------------------------------------
    def perform(self, action: str) -> None:
        """A lifecycle step. The service decides whether it is allowed; a refusal is shown as it says."""
        if self.case is None:
            return
        self.error.hide()
        if action in DIALOG_ACTIONS:
            dialog = CaseActionDialog(self.ws, self.tasks, self.case, action, self)
            self._open(dialog)
            return
        button = self.action_buttons[action]
        button.setEnabled(False)

        def finish(result: Any = None, failed: BaseException | None = None) -> None:
            button.setEnabled(True)
            if failed is not None:
                self.show_error(failed)
            else:
                self._after_change(result)

        self.jobs.run(act, self.ws, self.case.id, action, label=self.tr("Updating the case"),
                      on_done=finish, on_error=lambda exc: finish(failed=exc))

    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if hasattr(dialog, "succeeded"):
            dialog.succeeded.connect(self._after_change)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_letter(self, kind: str) -> Any:
        if self.case is None:
            return None
        dialog = LetterDialog(self.ws, self.tasks, self.case, kind, self)
        dialog.written.connect(self._after_change)
        return self._open(dialog)

    def open_referral(self) -> Any:
        if self.case is None:
            return None
        self.tabs.setCurrentWidget(self.referrals_page)  # where the answer will show
        return self._open(CaseReferralDialog(self.ws, self.tasks, self.case, self))

    def open_contact(self) -> Any:
        if self.case is None:
            return None
        self.tabs.setCurrentWidget(self.contacts_page)
        return self._open(CaseContactDialog(self.ws, self.tasks, self.case, self))

    def open_propose(self) -> Any:
        if self.case is None:
            return None
        self.tabs.setCurrentWidget(self.comp_page)
        return self._open(ProposeCompensationDialog(self.ws, self.tasks, self.case, self))

    def open_decide(self, approve: bool) -> Any:
        p = self._selected(self.compensation, self.comp_model)
        if p is None or self.case is None:
            return None
        return self._open(DecideCompensationDialog(self.ws, self.tasks, self.case, p, approve, self))

    def mark_paid(self) -> None:
        p = self._selected(self.compensation, self.comp_model)
        if p is not None:
            self.jobs.run(mark_paid, self.ws, p.id, label=self.tr("Recording the payment"),
                          on_done=self._after_change, on_error=self.show_error)

    def set_referral_status(self, status: str) -> None:
        r = self._selected(self.referrals, self.referrals_model)
        if r is not None:
            self.jobs.run(update_referral, self.ws, r.id, status, label=self.tr("Updating the referral"),
                          on_done=self._after_change, on_error=self.show_error)

    def add_note(self) -> None:
        if self.case is None:
            return
        text = self.note.text()
        self.jobs.run(add_note, self.ws, self.case.id, text, label=self.tr("Adding the note"),
                      on_done=lambda _r: (self.note.clear(), self._after_change()), on_error=self.show_error)

    def attach_cause(self) -> None:
        code = self.cause_pick.currentData()
        if self.case is None or code is None:
            return
        self.jobs.run(attach_root_cause, self.ws, self.case.id, code, self.cause_note.text(),
                      label=self.tr("Recording the root cause"),
                      on_done=lambda _r: (self.cause_note.clear(), self._after_change()), on_error=self.show_error)

    def record_satisfaction(self) -> None:
        if self.case is None:
            return
        self.jobs.run(record_satisfaction, self.ws, self.case.id, self.score.value(),
                      self.satisfaction_comment.toPlainText(), label=self.tr("Recording satisfaction"),
                      on_done=lambda _r: (self.satisfaction_comment.clear(), self._after_change()),
                      on_error=self.show_error)

    def shutdown(self) -> None:
        self.jobs.close()


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 (a case's zone was checked at intake; never fail a render on it)
        return UTC

