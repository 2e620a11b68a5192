"""Every user command, declared once: id, text, shortcut (standard key sequences first), status tip, icon.

Menus, toolbars, buttons and the navigation all trigger these QActions; the session connects each
id to its handler. Actions marked `needs_unlock` are disabled while the workstation is locked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.icons import icon
from ui.views import AREAS

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


def default_specs() -> list[ActionSpec]:
    specs = [
        ActionSpec("client.new", "&New client…", "Create a client record (checked for duplicates first)",
                   keys=("Ctrl+N",), standard=SK.New),
        ActionSpec("client.edit", "&Edit client…", "Edit the selected client, or the client that is open",
                   keys=("Ctrl+E",), menu="edit"),
        ActionSpec("app.backup", "&Backup…", "Write a verified, encrypted backup of this profile",
                   icon="backup"),
        ActionSpec("session.lock", "&Lock", "Lock the workstation now; your passphrase is needed to come back",
                   keys=("Ctrl+L",), icon="lock"),
        ActionSpec("app.quit", "&Quit", "Lock the profile and quit RM Desk", keys=("Ctrl+Q",),
                   standard=SK.Quit, icon="quit", needs_unlock=False),
        ActionSpec("app.settings", "&Settings…", "Organisation and personal preferences",
                   keys=("Ctrl+,",), standard=SK.Preferences, icon="settings", menu="edit"),
        ActionSpec("app.search", "&Search…", "Search clients, cases and notes", keys=("Ctrl+K",),
                   icon="search", menu="go"),
        ActionSpec("complaints.quick_capture", "&Quick complaint…",
                   "Record a verbal complaint now: client, their words, Ctrl+Enter", keys=("Ctrl+Shift+C",),
                   icon="complaints"),
        ActionSpec("complaints.new", "New &complaint…", "Take a complaint with the full intake form"),
    ]
    specs += [
        ActionSpec(f"go.{a.id}", a.title, f"Go to {a.title}", keys=(f"Ctrl+{i}",) if i <= 9 else (),
                   icon=a.icon, menu="go")
        for i, a in enumerate(AREAS, start=1)
    ]
    at = next((i + 1 for i, s in enumerate(specs) if s.id == "app.backup"), len(specs))
    specs[at:at] = calendar_exchange_specs()  # File menu: after Backup, before Lock and Quit
    specs += agenda_specs()
    specs.append(ActionSpec("help.about", "&About RM Desk", "Version, profile and licences",
                            icon="about", menu="help", needs_unlock=False))
    return specs


def agenda_specs() -> list[ActionSpec]:
    """The agenda's commands. The views switch and the period moves sit in the Go menu, the calendar
    exchange in File; the item commands live on the agenda's own toolbar (menu "agenda")."""
    return [
        ActionSpec("agenda.view_day", "Agenda: &Day", "Show one day of the agenda", keys=("Alt+1",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.view_week", "Agenda: &Week", "Show a week of the agenda", keys=("Alt+2",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.view_month", "Agenda: &Month", "Show a month of the agenda", keys=("Alt+3",),
                   icon="agenda", menu="go"),
        ActionSpec("agenda.previous", "Agenda: &Previous period", "The previous day, week or month",
                   keys=("Alt+PgUp",), menu="go"),
        ActionSpec("agenda.today", "Agenda: &Today", "Back to today", keys=("Alt+Home",), menu="go"),
        ActionSpec("agenda.next", "Agenda: &Next period", "The next day, week or month", keys=("Alt+PgDown",),
                   menu="go"),
        ActionSpec("agenda.schedule", "&Schedule contact…", "Put a call or meeting with a client in the diary",
                   keys=("Ctrl+Shift+N",), menu="agenda"),
        ActionSpec("agenda.log", "&Log interaction…", "Record a call, meeting or message with the client",
                   keys=("Ctrl+Shift+L",), menu="agenda"),
        ActionSpec("agenda.reschedule", "&Reschedule…", "Move the selected contact to another day or time",
                   keys=("Ctrl+Shift+R",), menu="agenda"),
        ActionSpec("agenda.cancel", "&Cancel contact…", "Cancel the selected contact (asks first)",
                   keys=("Ctrl+Shift+Del",), menu="agenda"),
        ActionSpec("agenda.done", "Mark &done", "Mark the selected task as done", keys=("Ctrl+Shift+D",),
                   menu="agenda"),
        ActionSpec("agenda.compose", "C&ompose…", "Write to the client from a template (e-mail or letter)",
                   keys=("Ctrl+Shift+M",), menu="agenda"),
        ActionSpec("agenda.print_pack", "&Print review pack", "Save and open the client's review pack (PDF)",
                   keys=("Ctrl+Shift+P",), menu="agenda"),
        ActionSpec("agenda.referral", "New &referral…", "Refer the client to another department",
                   keys=("Ctrl+Shift+F",), menu="agenda"),
    ]


def calendar_exchange_specs() -> list[ActionSpec]:
    return [
        ActionSpec("agenda.export_ics", "&Export calendar (.ics)…",
                   "Your planned contacts as an .ics file for Outlook or Google Calendar", icon="agenda"),
        ActionSpec("agenda.import_ics", "&Import calendar (.ics)…", "Add the meetings in an .ics file"),
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
            action = QAction(icon(spec.icon), spec.text, owner)
            action.setObjectName(spec.id)
            action.setStatusTip(spec.tip)
            action.setShortcuts(key_sequences(spec))
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({shortcut})" if shortcut else spec.tip)
            owner.addAction(action)
            self._actions[spec.id] = action

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
