"""Working a case with others: referrals, the RM's contacts and notes, root causes, the satisfaction check.

Functions take the ComplaintService (for its database, actor and shared internals) and return views.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.complaints import DEFAULT_ROOT_CAUSES
from app.services.clients import CHANNELS as CONTACT_CHANNELS
from app.store.models import (
    ComplaintRootCause,
    Interaction,
    Referral,
    ReferralEvent,
    RootCause,
    Survey,
    SurveyResponse,
    stable_id,
)

from ._common import aware, local_day, not_in_future, user_names, utcnow
from .read import event_view, load_case, referral_view
from .reporting import recurrence_for
from .views import EventView, ReferralView, RootCauseResult, RootCauseView, SatisfactionView

if TYPE_CHECKING:
    from .service import ComplaintService

REFERRAL_STATUSES = ("open", "in_progress", "done", "cancelled")
SURVEY_KIND = "post_complaint"
SURVEY_QUESTIONS = [{"code": "satisfaction", "scale": [1, 5],
                     "text": "How satisfied are you with the way we handled your complaint?"}]


def _when(at: datetime | None, what: str, k, now: datetime | None = None) -> datetime:
    now = now or utcnow()
    at = aware(at, what) if at is not None else now
    not_in_future(at, now, what)
    if at < k.received_at:
        raise ValueError("That is before the complaint was received.")
    return at


def _text(value: str | None, message: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError(message)
    if limit and len(value) > limit:
        raise ValueError(f"Keep it to {limit} characters.")
    return value


# -- referrals ------------------------------------------------------------------------------------------


def refer(svc: ComplaintService, case_id: str, department: str, reason: str, owner_name: str | None,
          due_on: date | None, at: datetime | None) -> ReferralView:
    department = _text(department, "Name the department the case is referred to.", 80)
    reason = _text(reason, "Say what the department is asked to do.")
    if due_on is not None and not isinstance(due_on, date):
        raise ValueError("The due date must be a date.")
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = svc._open_case(s, case_id)
        at = _when(at, "time of the referral", k)
        me = svc._me(s)
        r = Referral(client_id=k.client_id, complaint_id=k.id, department=department,
                     owner_name=(owner_name or "").strip() or None, reason=reason, due_on=due_on, status="open",
                     created_by=me.id if me else None)
        s.add(r)
        s.flush()
        s.add(ReferralEvent(referral_id=r.id, at=at, status="open", note=reason, actor_id=me.id if me else None))
        svc._event(s, k, "referral", at, me, note=reason, data={
            "referral_id": r.id, "department": department, "owner_name": r.owner_name,
            "due_on": due_on.isoformat() if due_on else None})
        s.flush()
        return referral_view(r, {me.id: me.display_name} if me else {}, local_day(utcnow(), k.received_tz))


def update_referral(svc: ComplaintService, referral_id: str, status: str, note: str,
                    at: datetime | None) -> ReferralView:
    if status not in REFERRAL_STATUSES:
        raise ValueError(f"A referral is {', '.join(s.replace('_', ' ') for s in REFERRAL_STATUSES)}.")
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        r = s.get(Referral, referral_id)
        if r is None or r.deleted or r.complaint_id is None:
            raise LookupError("That referral no longer exists.")
        if r.status in ("done", "cancelled"):
            raise ValueError(f"This referral is already {r.status}.")
        if r.status == status:
            raise ValueError(f"This referral is already {status.replace('_', ' ')}.")
        k = load_case(s, r.complaint_id)
        at = _when(at, "time of the update", k)
        me = svc._me(s)
        previous, r.status = r.status, status
        s.add(ReferralEvent(referral_id=r.id, at=at, status=status, note=note.strip() or None,
                            actor_id=me.id if me else None))
        svc._event(s, k, "referral_update", at, me, note=note, data={
            "referral_id": r.id, "department": r.department, "from": previous, "to": status})
        s.flush()
        names = user_names(s, {r.created_by})
        return referral_view(r, names, local_day(utcnow(), k.received_tz))


# -- contact and notes -------------------------------------------------------------------------------------


def record_contact(svc: ComplaintService, case_id: str, channel: str, notes: str, direction: str,
                   subject: str | None, duration_min: int | None, at: datetime | None) -> EventView:
    if channel not in CONTACT_CHANNELS:
        raise ValueError(f"Choose a channel: {', '.join(c.replace('_', ' ') for c in CONTACT_CHANNELS)}.")
    if direction not in ("inbound", "outbound"):
        raise ValueError("A contact is inbound (the client got in touch) or outbound (we did).")
    notes = _text(notes, "Note what was discussed with the client.")
    if duration_min is not None and (isinstance(duration_min, bool) or not 0 <= int(duration_min) <= 24 * 60):
        raise ValueError("The duration is a number of minutes.")
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = svc._open_case(s, case_id)
        at = _when(at, "time of the contact", k)
        me = svc._me(s)
        i = Interaction(client_id=k.client_id, user_id=me.id if me else None, occurred_at=at, channel=channel,
                        direction=direction, purpose="complaint",
                        subject=(subject or "").strip()[:300] or f"Complaint {k.reference}", notes=notes,
                        duration_min=duration_min, complaint_id=k.id)
        s.add(i)
        s.flush()
        e = svc._event(s, k, "contact", at, me, note=notes, data={
            "interaction_id": i.id, "channel": channel, "direction": direction})
        s.flush()
        return event_view(e, {me.id: me.display_name} if me else {})


def add_note(svc: ComplaintService, case_id: str, note: str, at: datetime | None) -> EventView:
    note = _text(note, "Write the note first.")
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = svc._open_case(s, case_id)
        me = svc._me(s)
        e = svc._event(s, k, "note", _when(at, "time of the note", k), me, note=note)
        s.flush()
        return event_view(e, {me.id: me.display_name} if me else {})


# -- root causes ------------------------------------------------------------------------------------------


def _ensure_causes(s: Session) -> None:
    if s.scalar(select(RootCause.id).limit(1)) is None:
        for cause in DEFAULT_ROOT_CAUSES:
            s.add(RootCause(id=stable_id("root_cause", cause.code), code=cause.code, label=cause.label))
        s.flush()


def root_causes(svc: ComplaintService, include_inactive: bool) -> list[RootCauseView]:
    """The organisation's root-cause categories (the defaults are added the first time)."""
    with svc.db.reading() as s:
        empty = s.scalar(select(RootCause.id).limit(1)) is None
    if empty:
        with svc.db.unit(svc.actor) as uow:
            _ensure_causes(uow.session)
    with svc.db.reading() as s:
        stmt = select(RootCause).where(RootCause.deleted.is_(False)).order_by(RootCause.label)
        if not include_inactive:
            stmt = stmt.where(RootCause.active.is_(True))
        return [RootCauseView(c.code, c.label, c.active) for c in s.scalars(stmt)]


def attach_root_cause(svc: ComplaintService, case_id: str, code: str, note: str,
                      at: datetime | None) -> RootCauseResult:
    """Record a root cause on a case (open or closed) and say whether that cause is now recurring."""
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        _ensure_causes(s)
        k = load_case(s, case_id)
        at = _when(at, "time", k)
        cause = s.scalar(select(RootCause).where(RootCause.code == (code or "").strip(),
                                                 RootCause.deleted.is_(False)))
        if cause is None or not cause.active:
            raise ValueError(f"'{code}' is not a root cause in use; pick one from the list.")
        exists = s.scalar(select(ComplaintRootCause.id).where(
            ComplaintRootCause.complaint_id == k.id, ComplaintRootCause.root_cause_id == cause.id,
            ComplaintRootCause.deleted.is_(False)))
        if exists:
            raise ValueError(f"'{cause.label}' is already recorded as a root cause of {k.reference}.")
        s.add(ComplaintRootCause(complaint_id=k.id, root_cause_id=cause.id, note=note.strip() or None))
        s.flush()
        flag = next((f for f in recurrence_for(s, cause_ids=[cause.id]) if k.id in f.case_ids), None)
        data: dict[str, object] = {"code": cause.code, "label": cause.label}
        if flag is not None:
            data.update(recurring=True, cases_in_window=flag.peak, window_days=flag.window_days)
        svc._event(s, k, "root_cause", at, svc._me(s), note=note, data=data)
        s.flush()
        return RootCauseResult(RootCauseView(cause.code, cause.label, cause.active), flag)


def detach_root_cause(svc: ComplaintService, case_id: str, code: str, at: datetime | None) -> None:
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = load_case(s, case_id)
        at = _when(at, "time", k)
        link = s.scalar(select(ComplaintRootCause).join(RootCause, RootCause.id == ComplaintRootCause.root_cause_id)
                        .where(ComplaintRootCause.complaint_id == k.id, RootCause.code == code,
                               ComplaintRootCause.deleted.is_(False)))
        if link is None:
            raise LookupError(f"'{code}' is not recorded as a root cause of {k.reference}.")
        link.deleted = True
        svc._event(s, k, "root_cause_removed", at, svc._me(s), data={"code": code})


# -- after resolution ------------------------------------------------------------------------------------


def record_satisfaction(svc: ComplaintService, case_id: str, score: int, comment: str,
                        at: datetime | None) -> SatisfactionView:
    """The client's satisfaction (1-5) with how the complaint was handled, once they have our response."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValueError("Satisfaction is a score from 1 (very dissatisfied) to 5 (very satisfied).")
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = load_case(s, case_id)
        if k.state not in ("response_issued", "closed"):
            raise ValueError("Check the client's satisfaction after they have had our response.")
        at = _when(at, "time of the satisfaction check", k)
        survey = s.scalar(select(Survey).where(Survey.kind == SURVEY_KIND, Survey.active.is_(True),
                                               Survey.deleted.is_(False)).order_by(Survey.created_at).limit(1))
        if survey is None:
            survey = Survey(id=stable_id("survey", SURVEY_KIND), name="After a complaint", kind=SURVEY_KIND,
                            questions=SURVEY_QUESTIONS)
            s.add(survey)
            s.flush()
        comment = (comment or "").strip() or None
        s.add(SurveyResponse(survey_id=survey.id, client_id=k.client_id, complaint_id=k.id, responded_at=at,
                             score=score, comment=comment, answers={"satisfaction": score}))
        svc._event(s, k, "satisfaction", at, svc._me(s), note=comment, data={"score": score})
        return SatisfactionView(score, comment, at)
