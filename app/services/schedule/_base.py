"""What every part of the schedule service shares: the database, who is working, the clock, the
branch's time zone, client look-ups and the checks on dates typed by a person."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import cadence as cad
from app.messages import QT_TRANSLATE_NOOP
from app.store import derived
from app.store.database import Database
from app.store.models import Client, Interaction, Segment, Setting, User

from ..settings import REGISTRY

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_DURATION_MIN = 7 * 24 * 60


class ContactRefused(ValueError):
    """The client may not be contacted this way; the message says why, for the user."""


def setting(session: Session, key: str):
    """A registry setting read inside an open session (stored value, else the registry default)."""
    raw = session.scalar(select(Setting.value).where(Setting.key == key, Setting.deleted.is_(False)))
    return REGISTRY[key].default if raw is None else raw


def zone(session: Session) -> ZoneInfo:
    name = setting(session, "org.timezone")
    try:
        return ZoneInfo(str(name))
    except Exception:  # an unknown zone name in the settings must not stop the diary
        return ZoneInfo(REGISTRY["org.timezone"].default)


# `what` names the field in messages: pass a QT_TRANSLATE_NOOP("Field", "…") so the GUI can translate it
_DATE = QT_TRANSLATE_NOOP("Field", "date")
_TIME = QT_TRANSLATE_NOOP("Field", "time")


def check_year(value: date | datetime, what: str = _DATE) -> None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(QT_TRANSLATE_NOOP("Field", "{day:%Y-%m-%d} is not a plausible {what}.").format(
            day=value, what=what))


def parse_date(text: str | date, what: str = _DATE) -> date:
    """A date typed by a person (YYYY-MM-DD); impossible dates such as 30 February are refused."""
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):
        check_year(text, what)
        return text
    raw = str(text).strip()
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(QT_TRANSLATE_NOOP("Field", "'{raw}' is not a real {what} (use YYYY-MM-DD).").format(
            raw=raw, what=what)) from None
    check_year(value, what)
    return value


def parse_datetime(text: str | datetime, tz: ZoneInfo, what: str = _TIME) -> datetime:
    """A date and time typed by a person; without a zone it is the branch's local time."""
    if isinstance(text, datetime):
        value = text
    else:
        raw = str(text).strip()
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(QT_TRANSLATE_NOOP("Field", "'{raw}' is not a real {what} (use YYYY-MM-DD HH:MM).").format(
                raw=raw, what=what)) from None
    value = aware(value, tz)
    check_year(value, what)
    return value


def aware(value: datetime, tz: ZoneInfo) -> datetime:
    """Naive times come from the user's screen and mean the branch's local time."""
    if not isinstance(value, datetime):
        raise ValueError(QT_TRANSLATE_NOOP("Field", "A date and time is needed here, not just a date."))
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=tz)
    return value


def day_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants from local midnight starting ``first`` to local midnight after ``last``."""
    start = datetime.combine(first, time(), tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
    return start, end


def text_field(value: str | None, label: str, limit: int, *, required: bool = False) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise ValueError(QT_TRANSLATE_NOOP("Field", "Enter the {label}.").format(label=label))
        return None
    if len(cleaned) > limit:
        raise ValueError(QT_TRANSLATE_NOOP("Field", "The {label} is too long (at most {limit} characters).").format(
            label=label, limit=limit))
    return cleaned


def batched(items: Sequence[str], size: int = derived.BATCH) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class ServiceBase:
    """Holds the database and the acting RM; every public call opens its own session."""

    def __init__(self, db: Database, actor: str, user_id: str | None = None, rm_name: str | None = None,
                 *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._actor = actor
        self._user_id = user_id
        self._rm_name = rm_name
        self._clock = clock or (lambda: datetime.now(UTC))

    # -- time ---------------------------------------------------------------------------------------
    def now(self) -> datetime:
        value = self._clock()
        if value.tzinfo is None:
            raise ValueError("The clock must give timezone-aware times.")  # a programmer's error
        return value.astimezone(UTC)

    def today(self, session: Session | None = None) -> date:
        if session is None:
            with self._db.reading() as s:
                return self.now().astimezone(zone(s)).date()
        return self.now().astimezone(zone(session)).date()

    def timezone(self) -> ZoneInfo:
        with self._db.reading() as s:
            return zone(s)

    def _context(self, session: Session, today: date | None = None) -> derived.Context:
        tz = zone(session)
        return derived.Context(session.connection(), today or self.now().astimezone(tz).date())

    # -- people -------------------------------------------------------------------------------------
    @staticmethod
    def _client(session: Session, client_id: str) -> Client:
        client = session.get(Client, client_id) if client_id else None
        if client is None or client.deleted:
            raise LookupError(QT_TRANSLATE_NOOP("Clients", "There is no client with id {id}.").format(id=repr(client_id)))
        return client

    def _rm(self, session: Session) -> tuple[str, str | None]:
        """The acting RM's display name and e-mail address."""
        user = session.get(User, self._user_id) if self._user_id else None
        if user is not None:
            return user.display_name, user.email
        return self._rm_name or self._actor, None

    @staticmethod
    def _user_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        return {uid: name for uid, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(wanted)))}

    # -- cadence ------------------------------------------------------------------------------------
    @staticmethod
    def _segment_code(session: Session, client: Client) -> str | None:
        if not client.segment_id:
            return None
        return session.scalar(select(Segment.code).where(Segment.id == client.segment_id))

    @staticmethod
    def _overrides(session: Session, client_id: str) -> list[cad.Cadence]:
        """The client's own active cadences, read exactly as the portfolio summary reads them."""
        return derived.client_overrides(session.connection(), [client_id]).get(client_id, [])

    def _effective(self, session: Session, client: Client, ctx: derived.Context,
                   overrides: Sequence[cad.Cadence] | None = None) -> tuple[cad.Cadence, ...]:
        own = self._overrides(session, client.id) if overrides is None else overrides
        return cad.effective_cadences(self._segment_code(session, client), own, ctx.segments)

    @staticmethod
    def _last_contact(session: Session, client_id: str) -> datetime | None:
        return session.scalar(select(func.max(Interaction.occurred_at)).where(
            Interaction.client_id == client_id, Interaction.deleted.is_(False)))
