"""One typed registry of settings; values live encrypted in the profile (window geometry stays in QSettings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.messages import QT_TRANSLATE_NOOP, Message
from app.store.core_schema import settings as settings_table
from app.store.database import Database

REGIMES = ("asic", "fca")


@dataclass(frozen=True)
class SettingDef:
    key: str
    kind: type
    default: Any
    label: str
    choices: tuple[Any, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def _label(self) -> Message:
        # ui/dialogs/settings.py marks every registry label for lupdate under this context
        return Message("SettingsDialog", self.label)

    @property
    def scope(self) -> str:
        return self.key.split(".", 1)[0]

    def check(self, value: Any) -> Any:
        if self.kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            raise ValueError(QT_TRANSLATE_NOOP("Settings", "{label} must be a {kind}.").format(
                label=self._label, kind=self.kind.__name__))
        if self.choices is not None and value not in self.choices:
            raise ValueError(QT_TRANSLATE_NOOP("Settings", "{label} must be one of: {choices}.").format(
                label=self._label, choices=", ".join(map(str, self.choices))))
        if self.minimum is not None and value < self.minimum:
            raise ValueError(QT_TRANSLATE_NOOP("Settings", "{label} must be at least {minimum}.").format(
                label=self._label, minimum=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise ValueError(QT_TRANSLATE_NOOP("Settings", "{label} must be at most {maximum}.").format(
                label=self._label, maximum=self.maximum))
        return value


REGISTRY: dict[str, SettingDef] = {
    d.key: d
    for d in (
        SettingDef("org.name", str, "RM Desk Demo Bank", "Organisation name"),
        SettingDef("org.region", str, "AU-NSW", "Region for public holidays (ISO 3166-2)"),
        SettingDef("org.timezone", str, "Australia/Sydney", "Branch time zone"),
        SettingDef("org.complaint_regime", str, "asic", "Complaint regime", choices=REGIMES),
        SettingDef("org.currency", str, "AUD", "Reporting currency"),
        SettingDef("org.approval_limits", dict, {"rm": "500", "team_leader": "5000", "manager": None, "admin": "0"},
                   "Compensation approval limits by role"),
        SettingDef("org.branding", dict, {}, "Report branding (logo, colours, footer)"),
        SettingDef("org.recurrence_threshold", int, 3, "Root cause recurrences that flag a systemic issue", minimum=2),
        SettingDef("org.recurrence_window_days", int, 90, "Window for recurring root causes (days)", minimum=7),
        SettingDef("user.idle_lock_minutes", int, 5, "Lock after idle minutes", minimum=1, maximum=240),
        SettingDef("user.locale", str, "en_AU", "Locale for numbers, money and dates"),
        SettingDef("user.portfolio_views", dict, {}, "Saved portfolio views"),
        SettingDef("user.theme", str, "system", "Colour theme", choices=("system", "light", "dark")),
    )
}


class SettingsService:
    def __init__(self, db: Database, actor: str) -> None:
        self._db = db
        self._actor = actor

    def all(self) -> dict[str, Any]:
        with self._db.reading_rows() as s:  # Core: read at unlock, before the ORM models have loaded
            stored = dict(s.execute(select(settings_table.c.key, settings_table.c.value)).all())
        return {k: stored.get(k, d.default) for k, d in REGISTRY.items()}

    def get(self, key: str) -> Any:
        definition = self._def(key)
        with self._db.reading_rows() as s:
            row = s.execute(select(settings_table.c.value).where(settings_table.c.key == key)).first()
        return definition.default if row is None else row.value

    def set(self, key: str, value: Any) -> Any:
        value = self._def(key).check(value)
        from app.store.models import Setting  # writes go through the ORM unit of work (change log, audit)

        with self._db.unit(self._actor) as uow:
            row = uow.session.scalar(select(Setting).where(Setting.key == key))
            if row is None:
                uow.session.add(Setting(key=key, value=value))
            else:
                row.value = value
        return value

    @staticmethod
    def _def(key: str) -> SettingDef:
        try:
            return REGISTRY[key]
        except KeyError:
            raise ValueError(f"There is no setting called {key!r}.") from None
