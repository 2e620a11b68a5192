"""The interaction log: what really happened with a client. Rows are insert-only (a correction is a
new row); logging against a planned contact closes it and plans the next one from the cadence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.domain import cadence as cad
from app.messages import QT_TRANSLATE_NOOP
from app.store.models import Client, Interaction, ScheduledContact, new_id

from ..clients import CHANNELS, InteractionView
from ..portfolio import fts_prefix_query
from ._base import parse_datetime, text_field, zone
from .agenda import AgendaMixin, ScheduledContactView, TaskView, contact_view, task_view

DIRECTIONS = ("inbound", "outbound")
FUTURE_SLACK = timedelta(minutes=5)  # clocks on two devices never agree to the second


@dataclass(frozen=True)
class LoggedInteraction:
    interaction_id: str
    client_id: str
    occurred_at: datetime  # branch-local
    closed_contact_id: str | None = None
    next_contact: ScheduledContactView | None = None  # planned from this contact's date, or already planned
    follow_up: TaskView | None = None


def _kind(value: cad.Cadence) -> str:
    return value.label or value.kind.value


def pick_cadence(cadences: tuple[cad.Cadence, ...], contact_kind: str | None, anchor: date) -> cad.Cadence | None:
    """The cadence a closed contact continues: the one of its kind, else the one due soonest."""
    if not cadences:
        return None
    for c in cadences:
        if contact_kind and contact_kind in (_kind(c), c.kind.value):
            return c
    return min(cadences, key=lambda c: (c.ideal.after(anchor), _kind(c)))


class InteractionsMixin(AgendaMixin):
    def log_interaction(self, client_id: str, channel: str, direction: str = "outbound", purpose: str | None = None,
                        outcome: str | None = None, notes: str | None = None,
                        occurred_at: datetime | str | None = None, scheduled_contact_id: str | None = None,
                        follow_up: tuple[str, date | datetime | None] | None = None, *,
                        subject: str | None = None, duration_min: int | None = None) -> LoggedInteraction:
        """Record a real contact. Against a planned contact it closes that contact and plans the next
        one from this contact's date; ``follow_up=(title, due)`` adds a task. All or nothing."""
        if channel not in CHANNELS:
            raise ValueError(f"Choose a channel: {', '.join(CHANNELS)}.")
        if direction not in DIRECTIONS:
            raise ValueError("The direction is inbound or outbound.")
        purpose = text_field(purpose, QT_TRANSLATE_NOOP("Field", "purpose"), 40)
        outcome = text_field(outcome, QT_TRANSLATE_NOOP("Field", "outcome"), 40)
        subject = text_field(subject, QT_TRANSLATE_NOOP("Field", "subject"), 300)
        notes = text_field(notes, QT_TRANSLATE_NOOP("Field", "notes"), 100_000)
        if duration_min is not None and (isinstance(duration_min, bool) or not isinstance(duration_min, int)
                                         or not 0 <= duration_min <= 24 * 60):
            raise ValueError("The length of a contact is between 0 and 1,440 minutes.")
        now = self.now()
        with self._db.unit(self._actor) as uow:
            s = uow.session
            tz = zone(s)
            when = now if occurred_at is None else parse_datetime(occurred_at, tz, QT_TRANSLATE_NOOP("Field", "contact time"))
            if when > now + FUTURE_SLACK:
                raise ValueError("An interaction cannot be logged in the future; schedule it instead.")
            client = self._client(s, client_id)
            contact = None
            if scheduled_contact_id:
                contact = self._planned(s, scheduled_contact_id)
                if contact.client_id != client.id:
                    raise ValueError("That planned contact belongs to another client.")
            interaction = Interaction(
                id=new_id(), client_id=client.id, user_id=self._user_id, occurred_at=when, channel=channel,
                direction=direction, purpose=purpose, outcome=outcome,
                subject=subject or (contact.purpose if contact is not None else None), notes=notes,
                duration_min=duration_min)
            s.add(interaction)
            next_view = None
            if contact is not None:
                contact.status = "done"
                contact.interaction_id = interaction.id
                next_view = self._plan_next(s, client, contact, when)
            task_out = None
            if follow_up is not None:
                if not isinstance(follow_up, tuple | list) or len(follow_up) != 2:
                    raise ValueError("A follow-up is a (title, due) pair.")
                task = self._new_task(s, follow_up[0], client_id=client.id, due=follow_up[1], remind_at=None,
                                      detail=f"Follow-up of the {channel.replace('_', ' ')} contact on "
                                             f"{when.astimezone(tz):%d %b %Y}", source=("interaction", interaction.id))
                s.add(task)
                s.flush()
                task_out = task_view(task, client.display_name, tz)
            return LoggedInteraction(interaction.id, client.id, when.astimezone(tz),
                                     contact.id if contact is not None else None, next_view, task_out)

    def _plan_next(self, s: Session, client: Client, closed: ScheduledContact,
                   occurred: datetime) -> ScheduledContactView | None:
        tz = zone(s)
        ctx = self._context(s)
        anchor = cad.local_date(occurred, tz)
        chosen = pick_cadence(self._effective(s, client, ctx), closed.contact_kind, anchor)
        if chosen is None:
            return None
        kind = _kind(chosen)
        same_kind = kind == closed.contact_kind or chosen.kind.value == closed.contact_kind
        s.flush()
        already = s.scalar(select(ScheduledContact).where(
            ScheduledContact.client_id == client.id, ScheduledContact.status == "planned",
            ScheduledContact.deleted.is_(False), ScheduledContact.id != closed.id,
            ScheduledContact.due_at > occurred,
            ScheduledContact.contact_kind.in_({kind, chosen.kind.value}))
            .order_by(ScheduledContact.due_at).limit(1))
        if already is not None:
            return contact_view(already, client.display_name, tz)
        slot = closed.due_at.astimezone(tz).timetz().replace(tzinfo=None)
        start = datetime.combine(chosen.ideal.after(anchor), slot, tz)
        nxt = ScheduledContact(
            client_id=client.id, owner_id=closed.owner_id or self._user_id, due_at=start,
            duration_min=closed.duration_min, contact_kind=closed.contact_kind if same_kind else kind,
            purpose=closed.purpose if same_kind else chosen.name.replace("_", " ").capitalize(),
            location=closed.location if same_kind else None, status="planned")
        s.add(nxt)
        s.flush()
        return contact_view(nxt, client.display_name, tz)

    def interactions(self, client_id: str, text_query: str = "", offset: int = 0,
                     limit: int = 100) -> tuple[InteractionView, ...]:
        """The client's interactions, newest first; ``text_query`` searches the notes (word prefixes)."""
        with self._db.reading() as s:
            self._client(s, client_id)
            q = select(Interaction).where(Interaction.client_id == client_id, Interaction.deleted.is_(False))
            match = fts_prefix_query(text_query)
            if match:
                hits = text("SELECT ref_id FROM search_index WHERE search_index MATCH :m AND kind = 'interaction'")
                q = q.where(Interaction.id.in_(hits.bindparams(m=f"{{title body}}: ({match})")))
            tz = zone(s)
            rows = s.scalars(q.order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
                             .offset(offset).limit(limit))
            return tuple(InteractionView(i.id, i.occurred_at.astimezone(tz), i.channel, i.direction, i.purpose,
                                         i.outcome, i.subject, i.notes) for i in rows)
