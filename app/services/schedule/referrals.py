"""Referrals to other departments on a client's behalf (FNSCUS504 3.4): who owns the work, by when,
where it stands, and every change of status as history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.messages import QT_TRANSLATE_NOOP
from app.store.models import Client, Complaint, Referral, ReferralEvent, User

from ._base import parse_date, text_field, zone
from .agenda import OPEN_REFERRAL, AgendaMixin

STATUSES = ("open", "in_progress", "done", "cancelled")
TRANSITIONS = {
    "open": {"in_progress", "done", "cancelled"},
    "in_progress": {"open", "done", "cancelled"},
    "done": {"open"},  # reopened
    "cancelled": {"open"},
}
_UNCHANGED = object()


@dataclass(frozen=True)
class ReferralEventView:
    at: datetime  # branch-local
    status: str
    note: str | None
    actor: str | None


@dataclass(frozen=True)
class ReferralView:
    id: str
    client_id: str
    client_name: str
    department: str
    owner_name: str | None
    reason: str
    due_on: date | None
    status: str
    overdue: bool
    complaint_id: str | None
    history: tuple[ReferralEventView, ...] = ()


class ReferralsMixin(AgendaMixin):
    def create_referral(self, client_id: str, department: str, reason: str, owner_name: str | None = None,
                        due_on: date | str | None = None, complaint_id: str | None = None) -> ReferralView:
        department_ = text_field(department, QT_TRANSLATE_NOOP("Field", "department"), 80, required=True)
        reason_ = text_field(reason, QT_TRANSLATE_NOOP("Field", "reason for the referral"), 10_000, required=True)
        owner_ = text_field(owner_name, QT_TRANSLATE_NOOP("Field", "owner's name"), 200)
        due = None if due_on in (None, "") else parse_date(due_on, QT_TRANSLATE_NOOP("Field", "due date"))
        with self._db.unit(self._actor) as uow:
            s = uow.session
            client = self._client(s, client_id)
            if complaint_id is not None:
                complaint = s.get(Complaint, complaint_id)
                if complaint is None or complaint.deleted or complaint.client_id != client.id:
                    raise LookupError("That complaint does not belong to this client.")
            ref = Referral(client_id=client.id, complaint_id=complaint_id, department=department_,
                           owner_name=owner_, reason=reason_, due_on=due, status="open", created_by=self._user_id)
            s.add(ref)
            s.flush()
            self._event(s, ref, "open", f"Referred to {department_}" + (f" ({owner_})" if owner_ else ""))
            return self._view(s, ref)

    def set_referral_status(self, referral_id: str, status: str, note: str | None = None) -> ReferralView:
        if status not in STATUSES:
            raise ValueError(f"A referral's status is one of: {', '.join(STATUSES)}.")
        note_ = text_field(note, QT_TRANSLATE_NOOP("Field", "note"), 10_000)
        with self._db.unit(self._actor) as uow:
            s = uow.session
            ref = self._referral(s, referral_id)
            if status == ref.status:
                raise ValueError(f"The referral is already {status.replace('_', ' ')}.")
            if status not in TRANSITIONS[ref.status]:
                raise ValueError(f"A {ref.status.replace('_', ' ')} referral cannot become "
                                 f"{status.replace('_', ' ')}.")
            ref.status = status
            self._event(s, ref, status, note_)
            return self._view(s, ref)

    def update_referral(self, referral_id: str, *, owner_name: str | None | object = _UNCHANGED,
                        due_on: date | str | None | object = _UNCHANGED, note: str | None = None) -> ReferralView:
        """Hand the referral to someone else or move its due date; the change is kept in its history."""
        with self._db.unit(self._actor) as uow:
            s = uow.session
            ref = self._referral(s, referral_id)
            changes = []
            if owner_name is not _UNCHANGED:
                owner_ = text_field(owner_name, QT_TRANSLATE_NOOP("Field", "owner's name"), 200)  # type: ignore[arg-type]
                if owner_ != ref.owner_name:
                    ref.owner_name = owner_
                    changes.append(f"owner now {owner_ or 'nobody'}")
            if due_on is not _UNCHANGED:
                due = None if due_on in (None, "") else parse_date(due_on, QT_TRANSLATE_NOOP("Field", "due date"))  # type: ignore[arg-type]
                if due != ref.due_on:
                    ref.due_on = due
                    changes.append(f"due {due.isoformat() if due else 'with no date'}")
            if not changes and not note:
                raise ValueError("Nothing to change.")
            detail = "; ".join(changes).capitalize()
            text = ". ".join(x for x in (detail, text_field(note, QT_TRANSLATE_NOOP("Field", "note"), 10_000)) if x)
            self._event(s, ref, ref.status, text)
            return self._view(s, ref)

    def referral(self, referral_id: str) -> ReferralView:
        with self._db.reading() as s:
            return self._view(s, self._referral(s, referral_id))

    def referrals(self, client_id: str | None = None, *, open_only: bool = False) -> tuple[ReferralView, ...]:
        """Referrals (of one client, or all), soonest due first; without their history."""
        with self._db.reading() as s:
            q = (select(Referral, Client.display_name).join(Client, Client.id == Referral.client_id)
                 .where(Referral.deleted.is_(False), Client.deleted.is_(False)))
            if client_id:
                q = q.where(Referral.client_id == client_id)
            if open_only:
                q = q.where(Referral.status.in_(OPEN_REFERRAL))
            today = self.today(s)
            return tuple(self._plain(r, name, today) for r, name in s.execute(
                q.order_by(Referral.due_on.is_(None), Referral.due_on, Referral.created_at)))

    # -- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _referral(s: Session, referral_id: str) -> Referral:
        ref = s.get(Referral, referral_id)
        if ref is None or ref.deleted:
            raise LookupError(f"There is no referral with id {referral_id!r}.")
        return ref

    def _event(self, s: Session, ref: Referral, status: str, note: str | None) -> None:
        s.add(ReferralEvent(referral_id=ref.id, at=self.now(), status=status, note=note, actor_id=self._user_id))

    @staticmethod
    def _plain(r: Referral, name: str, today: date, history: tuple[ReferralEventView, ...] = ()) -> ReferralView:
        overdue = r.status in OPEN_REFERRAL and r.due_on is not None and r.due_on < today
        return ReferralView(r.id, r.client_id, name, r.department, r.owner_name, r.reason, r.due_on, r.status,
                            overdue, r.complaint_id, history)

    def _view(self, s: Session, ref: Referral) -> ReferralView:
        s.flush()
        tz = zone(s)
        rows = s.execute(select(ReferralEvent, User.display_name).outerjoin(User, User.id == ReferralEvent.actor_id)
                         .where(ReferralEvent.referral_id == ref.id, ReferralEvent.deleted.is_(False))
                         .order_by(ReferralEvent.at, ReferralEvent.id))
        history = tuple(ReferralEventView(e.at.astimezone(tz), e.status, e.note, actor) for e, actor in rows)
        return self._plain(ref, self._client(s, ref.client_id).display_name, self.today(s), history)
