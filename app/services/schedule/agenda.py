"""The agenda: scheduled contacts, tasks and referrals by day, week or month; the overdue queue;
task reminders; scheduling, rescheduling and cancelling contacts."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain import cadence as cad
from app.messages import QT_TRANSLATE_NOOP
from app.store import derived
from app.store.models import Client, ClientSummary, Referral, ScheduledContact, Task

from ._base import (
    MAX_DURATION_MIN,
    ServiceBase,
    batched,
    check_year,
    day_bounds,
    parse_date,
    parse_datetime,
    text_field,
    zone,
)

VIEWS = ("day", "week", "month")
CONTACT_KINDS = ("meeting", "call", "video_call", "annual_review_meeting", "quarterly_review", "monthly_call",
                 "follow_up")
OPEN_REFERRAL = ("open", "in_progress")
DUE_TIME = time(17, 0)  # a task due "on a date" is due by the end of that business day
REMIND_TIME = time(9, 0)


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # contact, task, referral
    id: str
    client_id: str | None
    client_name: str | None
    title: str
    day: date  # the branch's local date
    start: datetime | None  # branch-local; referrals are due on a day, not at a time
    end: datetime | None
    status: str
    overdue: bool
    owner_id: str | None = None
    location: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class ScheduledContactView:
    id: str
    client_id: str
    client_name: str
    start: datetime  # branch-local
    end: datetime
    duration_min: int
    kind: str
    purpose: str | None
    location: str | None
    status: str  # planned, done, cancelled, missed
    owner_id: str | None
    interaction_id: str | None = None
    external_uid: str | None = None


@dataclass(frozen=True)
class TaskView:
    id: str
    client_id: str | None
    client_name: str | None
    title: str
    detail: str | None
    due_at: datetime | None  # branch-local
    remind_at: datetime | None
    priority: int
    status: str
    source_kind: str | None = None
    source_id: str | None = None


@dataclass(frozen=True)
class Reminder:
    task_id: str
    title: str
    client_id: str | None
    client_name: str | None
    due_at: datetime | None
    remind_at: datetime
    detail: str | None = None


@dataclass(frozen=True)
class OverdueItem:
    kind: str  # cadence (a client behind their contact cadence), contact, task, referral
    id: str  # the client for a cadence item, else the contact, task or referral
    client_id: str | None
    client_name: str | None
    title: str
    due: date
    days_overdue: int
    level: str  # amber or red
    owner_id: str | None = None
    owner_name: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class OverduePage:
    total: int
    offset: int
    items: tuple[OverdueItem, ...]
    counts: dict[str, int] = field(default_factory=dict)  # per kind, over the whole queue


def view_range(view: str, anchor: date) -> tuple[date, date]:
    """The inclusive dates a day, week (Monday first) or month view shows around ``anchor``."""
    if view == "day":
        return anchor, anchor
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6)
    if view == "month":
        return anchor.replace(day=1), anchor.replace(day=calendar.monthrange(anchor.year, anchor.month)[1])
    raise ValueError(f"Choose one of these views: {', '.join(VIEWS)}.")


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else value.astimezone(tz)


def contact_view(c: ScheduledContact, client_name: str, tz: ZoneInfo) -> ScheduledContactView:
    start = c.due_at.astimezone(tz)
    return ScheduledContactView(c.id, c.client_id, client_name, start, start + timedelta(minutes=c.duration_min),
                                c.duration_min, c.contact_kind, c.purpose, c.location, c.status, c.owner_id,
                                c.interaction_id, c.external_uid)


def task_view(t: Task, client_name: str | None, tz: ZoneInfo) -> TaskView:
    return TaskView(t.id, t.client_id, client_name, t.title, t.detail, _local(t.due_at, tz), _local(t.remind_at, tz),
                    t.priority, t.status, t.source_kind, t.source_id)


def check_duration(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError("The length of a contact must be a whole number of minutes.")
    if minutes < 1:
        raise ValueError("A contact must last at least one minute.")
    if minutes > MAX_DURATION_MIN:
        raise ValueError("A contact cannot last more than seven days.")
    return minutes


def span_minutes(start: datetime, end: datetime) -> int:
    if end < start:
        raise ValueError("The contact cannot end before it starts.")
    return check_duration(round((end - start).total_seconds() / 60))


def kind_label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


class AgendaMixin(ServiceBase):
    # -- views --------------------------------------------------------------------------------------
    def agenda(self, day_from: date, day_to: date, owner_id: str | None = None) -> tuple[AgendaItem, ...]:
        """Scheduled contacts (not cancelled), tasks with a due date and open referrals due between the
        two local dates (inclusive), in time order; ``owner_id`` narrows to one RM's items."""
        check_year(day_from)
        check_year(day_to)
        if day_to < day_from:
            raise ValueError("The agenda period ends before it starts.")
        if (day_to - day_from).days > 366:
            raise ValueError("The agenda shows at most a year at a time.")
        now = self.now()
        with self._db.reading() as s:
            tz = zone(s)
            today = now.astimezone(tz).date()
            lo, hi = day_bounds(day_from, day_to, tz)
            items: list[AgendaItem] = []
            q = (select(ScheduledContact, Client.display_name).join(Client, Client.id == ScheduledContact.client_id)
                 .where(ScheduledContact.due_at >= lo, ScheduledContact.due_at < hi,
                        ScheduledContact.status != "cancelled", ScheduledContact.deleted.is_(False),
                        Client.deleted.is_(False)))
            if owner_id:
                q = q.where(ScheduledContact.owner_id == owner_id)
            for c, name in s.execute(q):
                v = contact_view(c, name, tz)
                title = f"{kind_label(c.contact_kind)}: {name}"
                items.append(AgendaItem("contact", c.id, c.client_id, name, title, v.start.date(), v.start, v.end,
                                        c.status, c.status == "planned" and c.due_at < now, c.owner_id, c.location,
                                        c.purpose))
            q = (select(Task, Client.display_name).outerjoin(Client, Client.id == Task.client_id)
                 .where(Task.due_at >= lo, Task.due_at < hi, Task.status != "cancelled", Task.deleted.is_(False)))
            if owner_id:
                q = q.where(Task.owner_id == owner_id)
            for t, name in s.execute(q):
                at = t.due_at.astimezone(tz)
                items.append(AgendaItem("task", t.id, t.client_id, name, t.title, at.date(), at, None, t.status,
                                        t.status == "open" and t.due_at < now, t.owner_id, None, t.detail))
            q = (select(Referral, Client.display_name).join(Client, Client.id == Referral.client_id)
                 .where(Referral.due_on >= day_from, Referral.due_on <= day_to, Referral.status.in_(OPEN_REFERRAL),
                        Referral.deleted.is_(False), Client.deleted.is_(False)))
            if owner_id:
                q = q.where(Referral.created_by == owner_id)
            for r, name in s.execute(q):
                assert r.due_on is not None
                owner = f" ({r.owner_name})" if r.owner_name else ""
                items.append(AgendaItem("referral", r.id, r.client_id, name, f"Referral to {r.department}{owner}",
                                        r.due_on, None, None, r.status, r.due_on < today, r.created_by, None, r.reason))
        far = datetime.max.replace(tzinfo=UTC)
        items.sort(key=lambda i: (i.day, i.start is not None, i.start or far, i.title))
        return tuple(items)

    def agenda_view(self, view: str = "day", anchor: date | None = None,
                    owner_id: str | None = None) -> tuple[AgendaItem, ...]:
        """Today / this week / this month (or the ones around ``anchor``)."""
        first, last = view_range(view, anchor or self.today())
        return self.agenda(first, last, owner_id)

    # -- overdue ------------------------------------------------------------------------------------
    def overdue_queue(self, offset: int = 0, limit: int = 100, owner_id: str | None = None,
                      today: date | None = None) -> OverduePage:
        """Clients behind their contact cadence (amber or red), then overdue scheduled contacts, tasks
        and referrals: most severe and most overdue first, one page at a time."""
        if offset < 0 or limit < 1:
            raise ValueError("A page needs a non-negative offset and a positive size.")
        items = self._overdue_items(owner_id, today)
        counts: dict[str, int] = {}
        for item in items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return OverduePage(len(items), offset, tuple(items[offset:offset + limit]), counts)

    def _overdue_items(self, owner_id: str | None, today: date | None) -> list[OverdueItem]:
        now = self.now()
        with self._db.reading() as s:
            ctx = self._context(s, today)
            tz, day = ctx.tz, ctx.today
            cutoff = now if today is None else day_bounds(day, day, tz)[0]
            items = self._cadence_overdue(s, ctx, owner_id)
            q = (select(ScheduledContact, Client.display_name).join(Client, Client.id == ScheduledContact.client_id)
                 .where(ScheduledContact.status == "planned", ScheduledContact.due_at < cutoff,
                        ScheduledContact.deleted.is_(False), Client.deleted.is_(False)))
            if owner_id:
                q = q.where(ScheduledContact.owner_id == owner_id)
            for c, name in s.execute(q):
                due = c.due_at.astimezone(tz).date()
                items.append(self._overdue("contact", c.id, c.client_id, name,
                                           f"{kind_label(c.contact_kind)} not yet held", due, day, c.owner_id,
                                           c.purpose))
            q = (select(Task, Client.display_name).outerjoin(Client, Client.id == Task.client_id)
                 .where(Task.status == "open", Task.due_at < cutoff, Task.deleted.is_(False)))
            if owner_id:
                q = q.where(Task.owner_id == owner_id)
            for t, name in s.execute(q):
                items.append(self._overdue("task", t.id, t.client_id, name, t.title, t.due_at.astimezone(tz).date(),
                                           day, t.owner_id, t.detail))
            q = (select(Referral, Client.display_name).join(Client, Client.id == Referral.client_id)
                 .where(Referral.status.in_(OPEN_REFERRAL), Referral.due_on < day, Referral.deleted.is_(False),
                        Client.deleted.is_(False)))
            if owner_id:
                q = q.where(Referral.created_by == owner_id)
            for r, name in s.execute(q):
                assert r.due_on is not None
                owner = f" ({r.owner_name})" if r.owner_name else ""
                items.append(self._overdue("referral", r.id, r.client_id, name, f"Referral to {r.department}{owner}",
                                           r.due_on, day, r.created_by, r.reason))
            names = self._user_names(s, (i.owner_id for i in items))
        items = [i if not i.owner_id else _with_owner(i, names.get(i.owner_id)) for i in items]
        items.sort(key=lambda i: (i.level != "red", -i.days_overdue, i.due, i.client_name or "", i.kind, i.id))
        return items

    @staticmethod
    def _overdue(kind: str, ref: str, client_id: str | None, name: str | None, title: str, due: date, today: date,
                 owner_id: str | None, detail: str | None) -> OverdueItem:
        days = max(0, (today - due).days)
        return OverdueItem(kind, ref, client_id, name, title, due, days, "red" if days else "amber", owner_id,
                           None, detail)

    def _cadence_overdue(self, s: Session, ctx: derived.Context, owner_id: str | None) -> list[OverdueItem]:
        """Clients amber or red by cadence. The summary read model narrows the candidates (its due
        date does not depend on the day it was computed); the level is then worked out for today."""
        q = (select(ClientSummary.client_id, ClientSummary.display_name, ClientSummary.segment_code,
                    ClientSummary.last_contact_at, ClientSummary.owner_id, Client.onboarded_on)
             .join(Client, Client.id == ClientSummary.client_id)
             .where(ClientSummary.status != "closed", Client.deleted.is_(False),
                    or_(ClientSummary.next_contact_due < ctx.today, ClientSummary.contact_level > 0)))
        if owner_id:
            q = q.where(ClientSummary.owner_id == owner_id)
        rows = s.execute(q).all()
        out: list[OverdueItem] = []
        conn = s.connection()
        for chunk in batched(rows):
            overrides = derived.client_overrides(conn, [r[0] for r in chunk])
            for cid, name, segment, last, owner, onboarded in chunk:
                pairs = [(cad.contact_status(last, c, ctx.today, ctx.tz, onboarded_on=onboarded), c)
                         for c in cad.effective_cadences(segment, overrides.get(cid, ()), ctx.segments)]
                if not pairs:
                    continue
                status, which = max(pairs, key=lambda p: (_SEVERITY[p[0].level], p[0].days_overdue))
                if status.level is cad.ContactLevel.GREEN:
                    continue
                seen = ("never contacted" if last is None
                        else f"last contact {last.astimezone(ctx.tz).date().isoformat()}")
                out.append(OverdueItem("cadence", cid, cid, name, f"{which.name.replace('_', ' ').capitalize()} due",
                                       status.due, status.days_overdue, status.level.value, owner, None,
                                       f"{seen}; due {status.due.isoformat()}, at the latest {status.deadline.isoformat()}"))
        return out

    # -- reminders ----------------------------------------------------------------------------------
    def reminders_due(self, now: datetime | None = None, owner_id: str | None = None) -> tuple[Reminder, ...]:
        """Open tasks whose reminder time has come (for desktop notifications), oldest first."""
        moment = (now or self.now())
        if moment.tzinfo is None:
            raise ValueError("The reminder check needs a timezone-aware time.")
        with self._db.reading() as s:
            tz = zone(s)
            q = (select(Task, Client.display_name).outerjoin(Client, Client.id == Task.client_id)
                 .where(Task.status == "open", Task.remind_at.is_not(None), Task.remind_at <= moment,
                        Task.deleted.is_(False)).order_by(Task.remind_at, Task.id))
            if owner_id:
                q = q.where(or_(Task.owner_id == owner_id, Task.owner_id.is_(None)))
            return tuple(Reminder(t.id, t.title, t.client_id, name, _local(t.due_at, tz), t.remind_at.astimezone(tz),
                                  t.detail) for t, name in s.execute(q))

    def snooze_reminder(self, task_id: str, until: datetime) -> TaskView:
        with self._db.unit(self._actor) as uow:
            tz = zone(uow.session)
            moment = parse_datetime(until, tz, QT_TRANSLATE_NOOP("Field", "reminder time"))
            task = self._open_task(uow.session, task_id)
            task.remind_at = moment
            return self._task_out(uow.session, task, tz)

    def dismiss_reminder(self, task_id: str) -> TaskView:
        """Stop reminding about the task (it stays open and on the agenda)."""
        with self._db.unit(self._actor) as uow:
            task = self._open_task(uow.session, task_id)
            task.remind_at = None
            return self._task_out(uow.session, task, zone(uow.session))

    # -- tasks --------------------------------------------------------------------------------------
    def add_task(self, title: str, *, client_id: str | None = None, due: date | datetime | None = None,
                 remind_at: datetime | None = None, detail: str | None = None, priority: int = 2) -> TaskView:
        """A to-do with an optional due date (a plain date means by 17:00 that day) and reminder
        (a plain due date without a reminder time reminds at 09:00 that day)."""
        with self._db.unit(self._actor) as uow:
            s = uow.session
            task = self._new_task(s, title, client_id=client_id, due=due, remind_at=remind_at, detail=detail,
                                  priority=priority)
            s.add(task)
            s.flush()
            return self._task_out(s, task, zone(s))

    def complete_task(self, task_id: str) -> TaskView:
        with self._db.unit(self._actor) as uow:
            task = self._open_task(uow.session, task_id)
            task.status = "done"
            task.completed_at = self.now()
            return self._task_out(uow.session, task, zone(uow.session))

    def cancel_task(self, task_id: str) -> TaskView:
        with self._db.unit(self._actor) as uow:
            task = self._open_task(uow.session, task_id)
            task.status = "cancelled"
            return self._task_out(uow.session, task, zone(uow.session))

    def _new_task(self, s: Session, title: str, *, client_id: str | None, due: date | datetime | None,
                  remind_at: datetime | None, detail: str | None, priority: int = 2,
                  source: tuple[str, str] | None = None) -> Task:
        tz = zone(s)
        clean_title = text_field(title, QT_TRANSLATE_NOOP("Field", "task title"), 300, required=True)
        if client_id is not None:
            self._client(s, client_id)
        if priority not in (1, 2, 3):
            raise ValueError("A task's priority is 1 (high), 2 (normal) or 3 (low).")
        due_at = remind = None
        if isinstance(due, datetime) or (isinstance(due, str) and len(due.strip()) > 10):
            due_at = parse_datetime(due, tz, QT_TRANSLATE_NOOP("Field", "due time"))
        elif due is not None:
            day = parse_date(due, QT_TRANSLATE_NOOP("Field", "due date"))
            due_at = datetime.combine(day, DUE_TIME, tz)
            remind = datetime.combine(day, REMIND_TIME, tz)
        if remind_at is not None:
            remind = parse_datetime(remind_at, tz, QT_TRANSLATE_NOOP("Field", "reminder time"))
        return Task(client_id=client_id, owner_id=self._user_id, title=clean_title,
                    detail=text_field(detail, QT_TRANSLATE_NOOP("Field", "task detail"), 10_000), due_at=due_at, remind_at=remind,
                    priority=priority, source_kind=source[0] if source else None,
                    source_id=source[1] if source else None)

    @staticmethod
    def _open_task(s: Session, task_id: str) -> Task:
        task = s.get(Task, task_id)
        if task is None or task.deleted:
            raise LookupError(f"There is no task with id {task_id!r}.")
        if task.status != "open":
            raise ValueError(f"The task '{task.title}' is already {task.status}.")
        return task

    @staticmethod
    def _task_out(s: Session, task: Task, tz: ZoneInfo) -> TaskView:
        name = s.scalar(select(Client.display_name).where(Client.id == task.client_id)) if task.client_id else None
        return task_view(task, name, tz)

    # -- scheduling ---------------------------------------------------------------------------------
    def schedule_contact(self, client_id: str, when: datetime | str, kind: str = "meeting",
                         purpose: str | None = None, location: str | None = None, duration_min: int = 30,
                         owner_id: str | None = None) -> ScheduledContactView:
        """Put a contact in the diary (a naive or typed time is the branch's local time)."""
        check_duration(duration_min)
        clean_kind = text_field(kind, QT_TRANSLATE_NOOP("Field", "kind of contact"), 30, required=True)
        clean_purpose = text_field(purpose, QT_TRANSLATE_NOOP("Field", "purpose"), 200)
        clean_location = text_field(location, QT_TRANSLATE_NOOP("Field", "location"), 200)
        with self._db.unit(self._actor) as uow:
            s = uow.session
            tz = zone(s)
            start = parse_datetime(when, tz, QT_TRANSLATE_NOOP("Field", "contact time"))
            client = self._client(s, client_id)
            contact = ScheduledContact(client_id=client.id, owner_id=owner_id or self._user_id, due_at=start,
                                       duration_min=duration_min, contact_kind=clean_kind, purpose=clean_purpose,
                                       location=clean_location, status="planned")
            s.add(contact)
            s.flush()
            return contact_view(contact, client.display_name, tz)

    def reschedule(self, contact_id: str, when: datetime | str, *, end: datetime | str | None = None,
                   duration_min: int | None = None) -> ScheduledContactView:
        """Move a planned contact (by drag or dialog); an end before the start is refused."""
        with self._db.unit(self._actor) as uow:
            s = uow.session
            tz = zone(s)
            start = parse_datetime(when, tz, QT_TRANSLATE_NOOP("Field", "contact time"))
            contact = self._planned(s, contact_id)
            if end is not None:
                minutes = span_minutes(start, parse_datetime(end, tz, QT_TRANSLATE_NOOP("Field", "end time")))
            else:
                minutes = check_duration(contact.duration_min if duration_min is None else duration_min)
            contact.due_at = start
            contact.duration_min = minutes
            return contact_view(contact, self._client(s, contact.client_id).display_name, tz)

    def cancel_contact(self, contact_id: str, reason: str | None = None) -> ScheduledContactView:
        with self._db.unit(self._actor) as uow:
            s = uow.session
            contact = self._planned(s, contact_id)
            contact.status = "cancelled"
            uow.record("cancel", "scheduled_contacts", contact.id, contact.client_id,
                       text_field(reason, QT_TRANSLATE_NOOP("Field", "reason"), 500))
            return contact_view(contact, self._client(s, contact.client_id).display_name, zone(s))

    def scheduled_contact(self, contact_id: str) -> ScheduledContactView:
        with self._db.reading() as s:
            contact = s.get(ScheduledContact, contact_id)
            if contact is None or contact.deleted:
                raise LookupError(f"There is no scheduled contact with id {contact_id!r}.")
            return contact_view(contact, self._client(s, contact.client_id).display_name, zone(s))

    def client_contacts(self, client_id: str, *, planned_only: bool = True) -> tuple[ScheduledContactView, ...]:
        """The client's scheduled contacts in date order (for the client view)."""
        with self._db.reading() as s:
            client = self._client(s, client_id)
            q = select(ScheduledContact).where(ScheduledContact.client_id == client_id,
                                               ScheduledContact.deleted.is_(False))
            if planned_only:
                q = q.where(ScheduledContact.status == "planned")
            tz = zone(s)
            return tuple(contact_view(c, client.display_name, tz)
                         for c in s.scalars(q.order_by(ScheduledContact.due_at)))

    @staticmethod
    def _planned(s: Session, contact_id: str) -> ScheduledContact:
        contact = s.get(ScheduledContact, contact_id)
        if contact is None or contact.deleted:
            raise LookupError(f"There is no scheduled contact with id {contact_id!r}.")
        if contact.status != "planned":
            raise ValueError(f"This contact is already {contact.status}; only a planned contact can be changed.")
        return contact


_SEVERITY = {cad.ContactLevel.GREEN: 0, cad.ContactLevel.AMBER: 1, cad.ContactLevel.RED: 2}


def _with_owner(item: OverdueItem, name: str | None) -> OverdueItem:
    from dataclasses import replace

    return replace(item, owner_name=name)
