"""The composition of an unlocked profile: who is working, on which database, with which services.

Front ends (GUI, CLI) call `open_profile` / `create_profile` and then use the returned Workstation;
they never see the store. `lock()` disposes every connection: a locked workstation holds no key.
"""

from __future__ import annotations

import getpass
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.messages import QT_TRANSLATE_NOOP
from app.store.backup import backup_database, check_backup, restore_database
from app.store.core_schema import profile_notes, users
from app.store.database import Database
from app.store.errors import StoreError
from app.store.keys import KdfParams
from app.store.profile import Profile

from .profile_lookup import ProfileInfo, profile_info
from .settings import SettingsService

if TYPE_CHECKING:  # imported on first use: the unlock screen should not wait for PDF fonts and iCalendar
    from .clients import ClientService
    from .complaints import ComplaintService
    from .portfolio import PortfolioService, SavedViews
    from .report_data import ReportService
    from .schedule import ScheduleService
    from .search import SearchService

# What an unlocked workstation uses: first what unlocking and the first screen need (Core only: the
# portfolio reads core_schema's tables), then the ORM models, the writers and the other areas' services.
UNLOCK_MODULES = ("app.store.profile", "app.services.portfolio")
AREA_MODULES = ("app.store.models", "app.store.uow", "app.services.search", "app.services.clients",
                "app.services.schedule", "app.services.complaints", "app.services.report_data")
SERVICE_MODULES = UNLOCK_MODULES + AREA_MODULES

__all__ = ["ProfileInfo", "Workstation", "StoreError", "keyring_problem", "profile_info", "create_profile",
           "open_profile"]


@dataclass(frozen=True)
class CurrentUser:
    id: str
    username: str
    display_name: str
    role: str


def keyring_problem(backend: object | None = None) -> str | None:
    """None when the OS keyring is secure and answering; otherwise why it cannot hold the key."""
    from app.store.keys import secure_backend

    try:
        b = secure_backend(backend)
        b.get_password("RM Desk", "probe")  # a locked or absent Secret Service fails here, not later
    except StoreError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "not usable now"
        return f"The OS keyring did not answer ({type(exc).__name__}). Use a passphrase instead."
    return None


def warm_up(stage: str = "all") -> None:
    """Import the services ahead of need. A front end runs stage "unlock" while the passphrase is typed
    and "areas" once the first screen shows; each import happens once, whoever asks first."""
    names = {"unlock": UNLOCK_MODULES, "areas": AREA_MODULES}.get(stage, SERVICE_MODULES)
    for name in names:
        importlib.import_module(name)
    if stage in ("areas", "all"):
        from sqlalchemy.orm import configure_mappers

        configure_mappers()  # a quarter of a second, otherwise paid by the first ORM query


class Workstation:
    def __init__(self, profile: Profile, db: Database, user: CurrentUser, backend: object | None = None) -> None:
        self.profile = profile
        self._backend = backend
        self.db: Database | None = db
        self.user = user
        self.settings = SettingsService(db, user.username)

    @property
    def actor(self) -> str:
        return self.user.username

    @property
    def database(self) -> Database:
        if self.db is None:
            raise StoreError(QT_TRANSLATE_NOOP("Store", "The workstation is locked. Unlock it to continue."))
        return self.db

    @property
    def locked(self) -> bool:
        return self.db is None

    # one service object per use: each call opens its own session and returns plain data
    @property
    def portfolio(self) -> PortfolioService:
        from .portfolio import PortfolioService

        return PortfolioService(self.database)

    @property
    def saved_views(self) -> SavedViews:
        from .portfolio import SavedViews

        return SavedViews(self.settings)

    @property
    def clients(self) -> ClientService:
        from .clients import ClientService

        return ClientService(self.database, self.actor)

    @property
    def complaints(self) -> ComplaintService:
        from .complaints import ComplaintService

        return ComplaintService(self.database, self.actor)

    @property
    def schedule(self) -> ScheduleService:
        from .schedule import ScheduleService

        return ScheduleService(self.database, self.actor, self.user.id, self.user.display_name)

    @property
    def search(self) -> SearchService:
        from .search import SearchService

        return SearchService(self.database)

    @property
    def reports(self) -> ReportService:
        from .report_data import ReportService

        return ReportService(self.database, self.actor, profile_dir=self.profile.home)

    def check_read_models(self) -> bool:
        """Rebuild the portfolio's read models if their rows and the clients have drifted apart (the
        count an interactive open skipped); True when they were rebuilt and views should reload."""
        from app.store.derived import ensure_derived

        return ensure_derived(self.database.engine)

    def lock(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None

    def backup(self, dest: Path) -> Path:
        path = backup_database(self.database, Path(dest))
        with self.database.unit(self.actor) as uow:
            uow.record("export", "backup", detail=str(path.name))
        return path

    def restore(self, source: Path, passphrase: str | None = None) -> None:
        db = self.database
        check_backup(Path(source), db.key)
        restore_database(db, Path(source))
        # reopen through the profile so a backup from an older schema is migrated like any other open
        self.db = self.profile.open(passphrase, backend=self._backend)
        self.settings = SettingsService(self.db, self.actor)


def _ensure_user(db: Database) -> CurrentUser:
    """The profile's own user: created on first open, recorded (encrypted) in profile_meta."""
    with db.reading_rows() as s:  # every open after the first: a read through Core, without the ORM models
        found = s.execute(
            select(users.c.id, users.c.username, users.c.display_name, users.c.role)
            .join_from(profile_notes, users, users.c.id == profile_notes.c.value)
            .where(profile_notes.c.key == "owner_user_id")).first()
    if found is not None:
        return CurrentUser(*found)
    from app.store.models import DocumentNote, User

    with db.unit("system") as uow:
        s = uow.session
        note = s.get(DocumentNote, "owner_user_id")
        user = s.get(User, note.value) if note else None
        if user is None:
            name = getpass.getuser() or "rm"
            user = s.scalar(select(User).where(User.username == name))
            if user is None:
                user = User(username=name, display_name=name.replace(".", " ").title(), role="rm")
                s.add(user)
                s.flush()
            s.merge(DocumentNote(key="owner_user_id", value=user.id))
        return CurrentUser(user.id, user.username, user.display_name, user.role)


def create_profile(mode: str, passphrase: str | None = None, home: Path | None = None, *,
                   backend: object | None = None, kdf: KdfParams | None = None) -> Workstation:
    profile = Profile(home)
    db = profile.create(mode, passphrase, backend=backend, kdf=kdf)
    return Workstation(profile, db, _ensure_user(db), backend)


def open_profile(passphrase: str | None = None, home: Path | None = None, *,
                 backend: object | None = None, keys: list[bytes] | None = None,
                 interactive: bool = False) -> Workstation:
    """`keys`: from `profile_lookup.unlock_keys`, when the front end derived them ahead.
    `interactive`: a window waits; the read models' count check is left to `check_read_models()`,
    which the front end runs once its first screen is up."""
    profile = Profile(home)
    db = profile.open(passphrase, backend=backend, keys=keys, count_read_models=not interactive)
    return Workstation(profile, db, _ensure_user(db), backend)
