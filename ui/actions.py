"""Every user command, declared once: id, text, shortcut (standard key sequences first), status tip, icon.

Menus, toolbars, buttons and the navigation all trigger these QActions; the session connects each
id to its handler. Actions marked `needs_unlock` are disabled while the workstation is locked.
Texts and tips are English source strings marked for lupdate (context "Actions"; the Go actions use
the area titles, context "Areas"); `ActionRegistry.retranslate()` puts them in the current language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.icons import icon
from ui.views import AREAS, AREAS_CONTEXT

SK = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    tip: str
    keys: tuple[str, ...] = ()  # portable fallbacks, used where the platform has no standard key
    standard: SK | None = None
    icon: str | None = None
    menu: str = "file"
    needs_unlock: bool = True
    context: str = "Actions"  # the translation context of `text`; `tip` is always in "Actions"

    def label(self) -> str:
        """The action's text in the current language."""
        return QCoreApplication.translate(self.context, self.text)

    def status_tip(self) -> str:
        """The tip in the current language; a %1 in it stands for the action's text."""
        return QCoreApplication.translate("Actions", self.tip).replace("%1", self.label().replace("&", ""))


def default_specs() -> list[ActionSpec]:
    specs = [
        ActionSpec("client.new", QT_TRANSLATE_NOOP("Actions", "&New client…"),
                   QT_TRANSLATE_NOOP("Actions", "Create a client record (checked for duplicates first)"),
                   keys=("Ctrl+N",), standard=SK.New),
        ActionSpec("client.edit", QT_TRANSLATE_NOOP("Actions", "&Edit client…"),
                   QT_TRANSLATE_NOOP("Actions", "Edit the selected client, or the client that is open"),
                   keys=("Ctrl+E",), menu="edit"),
        ActionSpec("app.backup", QT_TRANSLATE_NOOP("Actions", "&Backup…"),
                   QT_TRANSLATE_NOOP("Actions", "Write a verified, encrypted backup of this profile"), icon="backup"),
        ActionSpec("session.lock", QT_TRANSLATE_NOOP("Actions", "&Lock"),
                   QT_TRANSLATE_NOOP("Actions", "Lock the workstation now; your passphrase is needed to come back"),
                   keys=("Ctrl+L",), icon="lock"),
        ActionSpec("app.quit", QT_TRANSLATE_NOOP("Actions", "&Quit"),
                   QT_TRANSLATE_NOOP("Actions", "Lock the profile and quit RM Desk"), keys=("Ctrl+Q",),
                   standard=SK.Quit, icon="quit", needs_unlock=False),
        ActionSpec("app.settings", QT_TRANSLATE_NOOP("Actions", "&Settings…"),
                   QT_TRANSLATE_NOOP("Actions", "Organisation and personal preferences"),
                   keys=("Ctrl+,",), standard=SK.Preferences, icon="settings", menu="edit"),
        ActionSpec("app.search", QT_TRANSLATE_NOOP("Actions", "&Search…"),
                   QT_TRANSLATE_NOOP("Actions", "Search clients, cases and notes"), keys=("Ctrl+K",),
                   icon="search", menu="go"),
        ActionSpec("complaints.quick_capture", QT_TRANSLATE_NOOP("Actions", "&Quick complaint…"),
                   QT_TRANSLATE_NOOP("Actions", "Record a verbal complaint now: client, their words, Ctrl+Enter"),
                   keys=("Ctrl+Shift+C",), icon="complaints"),
        ActionSpec("complaints.new", QT_TRANSLATE_NOOP("Actions", "New &complaint…"),
                   QT_TRANSLATE_NOOP("Actions", "Take a complaint with the full intake form")),
    ]
    specs += [
        ActionSpec(f"go.{a.id}", a.title, QT_TRANSLATE_NOOP("Actions", "Go to %1"),
                   keys=(f"Ctrl+{i}",) if i <= 9 else (), icon=a.icon, menu="go", context=AREAS_CONTEXT)
        for i, a in enumerate(AREAS, start=1)
    ]
    at = next((i + 1 for i, s in enumerate(specs) if s.id == "app.backup"), len(specs))
    specs[at:at] = calendar_exchange_specs()  # File menu: after Backup, before Lock and Quit
    specs += agenda_specs()
    specs.append(ActionSpec("help.about", QT_TRANSLATE_NOOP("Actions", "&About RM Desk"),
                            QT_TRANSLATE_NOOP("Actions", "Version, profile and licences"),
                            icon="about", menu="help", needs_unlock=False))
    return specs


def agenda_specs() -> list[ActionSpec]:
    """The agenda's commands. The views switch and the period moves sit in the Go menu, the calendar
    exchange in File; the item commands live on the agenda's own toolbar (menu "agenda")."""
    return [
        ActionSpec("agenda.view_day", QT_TRANSLATE_NOOP("Actions", "Agenda: &Day"),
                   QT_TRANSLATE_NOOP("Actions", "Show one day of the agenda"), keys=("Alt+1",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.view_week", QT_TRANSLATE_NOOP("Actions", "Agenda: &Week"),
                   QT_TRANSLATE_NOOP("Actions", "Show a week of the agenda"), keys=("Alt+2",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.view_month", QT_TRANSLATE_NOOP("Actions", "Agenda: &Month"),
                   QT_TRANSLATE_NOOP("Actions", "Show a month of the agenda"), keys=("Alt+3",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.previous", QT_TRANSLATE_NOOP("Actions", "Agenda: &Previous period"),
                   QT_TRANSLATE_NOOP("Actions", "The previous day, week or month"),
                   keys=("Alt+PgUp",), menu="go"),
        ActionSpec("agenda.today", QT_TRANSLATE_NOOP("Actions", "Agenda: &Today"),
                   QT_TRANSLATE_NOOP("Actions", "Back to today"), keys=("Alt+Home",), menu="go"),
        ActionSpec("agenda.next", QT_TRANSLATE_NOOP("Actions", "Agenda: &Next period"),
                   QT_TRANSLATE_NOOP("Actions", "The next day, week or month"), keys=("Alt+PgDown",),
                   menu="go"),
        ActionSpec("agenda.schedule", QT_TRANSLATE_NOOP("Actions", "&Schedule contact…"),
                   QT_TRANSLATE_NOOP("Actions", "Put a call or meeting with a client in the diary"),
                   keys=("Ctrl+Shift+N",), menu="agenda"),
        ActionSpec("agenda.log", QT_TRANSLATE_NOOP("Actions", "&Log interaction…"),
                   QT_TRANSLATE_NOOP("Actions", "Record a call, meeting or message with the client"),
                   keys=("Ctrl+Shift+L",), menu="agenda"),
        ActionSpec("agenda.reschedule", QT_TRANSLATE_NOOP("Actions", "&Reschedule…"),
                   QT_TRANSLATE_NOOP("Actions", "Move the selected contact to another day or time"),
                   keys=("Ctrl+Shift+R",), menu="agenda"),
        ActionSpec("agenda.cancel", QT_TRANSLATE_NOOP("Actions", "&Cancel contact…"),
                   QT_TRANSLATE_NOOP("Actions", "Cancel the selected contact (asks first)"),
                   keys=("Ctrl+Shift+Del",), menu="agenda"),
        ActionSpec("agenda.done", QT_TRANSLATE_NOOP("Actions", "Mark &done"),
                   QT_TRANSLATE_NOOP("Actions", "Mark the selected task as done"), keys=("Ctrl+Shift+D",),
                   menu="agenda"),
        ActionSpec("agenda.compose", QT_TRANSLATE_NOOP("Actions", "C&ompose…"),
                   QT_TRANSLATE_NOOP("Actions", "Write to the client from a template (e-mail or letter)"),
                   keys=("Ctrl+Shift+M",), menu="agenda"),
        ActionSpec("agenda.print_pack", QT_TRANSLATE_NOOP("Actions", "&Print review pack"),
                   QT_TRANSLATE_NOOP("Actions", "Save and open the client's review pack (PDF)"),
                   keys=("Ctrl+Shift+P",), menu="agenda"),
        ActionSpec("agenda.referral", QT_TRANSLATE_NOOP("Actions", "New &referral…"),
                   QT_TRANSLATE_NOOP("Actions", "Refer the client to another department"),
                   keys=("Ctrl+Shift+F",), menu="agenda"),
    ]


def calendar_exchange_specs() -> list[ActionSpec]:
    return [
        ActionSpec("agenda.export_ics", QT_TRANSLATE_NOOP("Actions", "&Export calendar (.ics)…"),
                   QT_TRANSLATE_NOOP("Actions", "Your planned contacts as an .ics file for Outlook or Google Calendar"),
                   icon="agenda"),
        ActionSpec("agenda.import_ics", QT_TRANSLATE_NOOP("Actions", "&Import calendar (.ics)…"),
                   QT_TRANSLATE_NOOP("Actions", "Add the meetings in an .ics file")),
    ]


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    found = list(QKeySequence.keyBindings(spec.standard)) if spec.standard is not None else []
    texts = {s.toString() for s in found}
    found += [QKeySequence(k) for k in spec.keys if QKeySequence(k).toString() not in texts]
    return found


class ActionRegistry:
    """The QActions of one window, by id. Actions are added to `owner` so their shortcuts work."""

    def __init__(self, owner: QWidget, specs: list[ActionSpec] | None = None) -> None:
        self.specs = {s.id: s for s in (specs or default_specs())}
        self._actions: dict[str, QAction] = {}
        for spec in self.specs.values():
            action = QAction(icon(spec.icon), "", owner)
            action.setObjectName(spec.id)
            action.setShortcuts(key_sequences(spec))
            owner.addAction(action)
            self._actions[spec.id] = action
        self.retranslate()

    def retranslate(self) -> None:
        """Texts and tips in the current language (after a LanguageChange)."""
        for action_id, spec in self.specs.items():
            action = self._actions[action_id]
            tip = spec.status_tip()
            action.setText(spec.label())
            action.setStatusTip(tip)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def ids(self) -> list[str]:
        return list(self._actions)

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[i] for i, s in self.specs.items() if s.menu == menu]

    def on(self, action_id: str, handler: Callable[[], None]) -> None:
        self._actions[action_id].triggered.connect(lambda _checked=False: handler())

    def set_unlocked(self, unlocked: bool) -> None:
        for action_id, spec in self.specs.items():
            if spec.needs_unlock:
                self._actions[action_id].setEnabled(unlocked)
