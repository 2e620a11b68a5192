"""Complaint cases: intake, lifecycle, coordination, compensation, root causes, satisfaction.

Every rule lives in ``app.domain.complaints`` (regimes, deadlines, state machine, approval matrix,
recurrence); this module loads a case, asks the domain, and writes the result and its insert-only
event in one unit of work. A refused step raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.complaints import (
    Action,
    ClockState,
    ComplaintType,
    IllegalTransition,
    Outcome,
    Role,
    compute_deadlines,
    regime,
    resolved_early,
    transition,
)
from app.domain.complaints import Clock as ClockName
from app.messages import QT_TRANSLATE_NOOP, text_of
from app.services.clients import CHANNELS as CONTACT_CHANNELS
from app.services.validation import ValidationError
from app.store.database import Database
from app.store.models import (
    Client,
    Compensation,
    Complaint,
    ComplaintEvent,
    User,
)

from . import compensation, coordination, letters, reporting
from ._common import (
    aware,
    calendar,
    case_state,
    deadlines_of,
    local_day,
    not_in_future,
    setting,
    utcnow,
    zone,
)
from .read import case_view, load_case, open_summaries
from .views import (
    CasePage,
    CaseSummary,
    CaseView,
    CompensationView,
    ComplaintIntake,
    EventView,
    RecurrenceFlagView,
    ReferralView,
    RegisterRow,
    RootCauseResult,
    RootCauseTrend,
    RootCauseView,
    SatisfactionView,
    StaffMember,
    UkSummary,
)

CHANNELS = (*CONTACT_CHANNELS, "web", "social_media")
SEVERITIES = ("low", "medium", "high")
COMPENSATION_KINDS = compensation.KINDS
ORDERS = ("urgency", "received", "reference")


def _choice(value: str, options: Sequence[str], what: str) -> str | None:
    if value in options:
        return None
    return f"Choose a {what}: {', '.join(o.replace('_', ' ') for o in options)}."


class ComplaintService:
    """Use cases for complaint handling; each call opens its own unit of work and returns plain data."""

    def __init__(self, db: Database, actor: str) -> None:
        self._db = db
        self._actor = actor

    def staff(self, roles: Sequence[str] = ("team_leader", "manager")) -> list[StaffMember]:
        """Active colleagues in the given roles: who a case can be escalated to or approved by."""
        with self._db.reading() as s:
            rows = s.execute(select(User.id, User.display_name, User.role)
                             .where(User.role.in_(tuple(roles)), User.active.is_(True), User.deleted.is_(False))
                             .order_by(User.display_name))
            return [StaffMember(*r) for r in rows]

    # -- intake -------------------------------------------------------------------------------------
    def intake(self, form: ComplaintIntake, *, now: datetime | None = None) -> CaseView:
        """Record a new complaint with its deadlines and a `received` event; all fields checked at once."""
        now = now or utcnow()
        errors: dict[str, str] = {}
        received: datetime | None = None
        try:
            received = aware(form.received_at, "time the complaint was received")
            not_in_future(received, now, "time of receipt")
        except ValueError as exc:
            errors["received_at"] = text_of(exc)
        if not (form.description or "").strip():
            errors["description"] = QT_TRANSLATE_NOOP("Validation", "Describe the complaint in the client's words.")
        for key, value, options, what in (
            ("channel", form.channel, CHANNELS, "channel"),
            ("complaint_type", form.complaint_type, tuple(ComplaintType), "complaint type"),
            ("severity", form.severity, SEVERITIES, "severity"),
        ):
            if problem := _choice(value, options, what):
                errors[key] = problem
        with self._db.unit(self._actor) as uow:
            s = uow.session
            client = s.get(Client, form.client_id) if form.client_id else None
            if client is None or client.deleted:
                errors["client_id"] = QT_TRANSLATE_NOOP("Validation", "Choose the client the complaint is from.")
            reg_code = form.regime or setting(s, "org.complaint_regime")
            region = (form.region or setting(s, "org.region")).strip().upper()
            tz_name = form.timezone or setting(s, "org.timezone")
            for key, check in (("regime", lambda: regime(reg_code)), ("region", lambda: calendar(region)),
                               ("timezone", lambda: zone(tz_name))):
                try:
                    check()
                except ValueError as exc:
                    errors[key] = text_of(exc)
            me = self._me(s)
            taken_by = form.taken_by_id or (me.id if me else None)
            owner = form.owner_id or taken_by
            for key, uid in (("taken_by_id", form.taken_by_id), ("owner_id", form.owner_id)):
                if uid and self._user(s, uid) is None:
                    errors[key] = QT_TRANSLATE_NOOP("Validation", "That user is not in this profile.")
            if errors:
                raise ValidationError(errors)
            assert received is not None
            reg = regime(reg_code)
            dl = compute_deadlines(received, reg, form.complaint_type, calendar(region), tz=zone(tz_name))
            ack, final = dl.get(ClockName.ACKNOWLEDGEMENT), dl.get(ClockName.FINAL_RESPONSE)
            k = Complaint(
                reference=self._next_reference(s, local_day(received, tz_name).year), client_id=client.id,
                channel=form.channel, received_at=received, received_tz=tz_name,
                description=form.description.strip(), products=_clean_list(form.products),
                categories=_clean_list(form.categories), remedy_sought=(form.remedy_sought or "").strip() or None,
                severity=form.severity, complaint_type=form.complaint_type, regime=reg.code, region=region,
                taken_by_id=taken_by, owner_id=owner, state="received",
                written_response_requested=bool(form.written_response_requested),
                ack_due_at=ack.due if ack else None, final_due_at=final.due if final else None)
            s.add(k)
            s.flush()
            self._event(s, k, "received", received, me, to_state="received", data={
                "channel": form.channel, "complaint_type": form.complaint_type, "regime": reg.code,
                "region": region, "timezone": tz_name,
                "deadlines": {d.clock.value: d.due.isoformat() for d in dl.deadlines}})
            s.flush()
            return case_view(s, k, now)

    def quick_capture(self, client_id: str, description: str, *, received_at: datetime | None = None,
                      written_response_requested: bool = False, now: datetime | None = None) -> CaseView:
        """A complaint made by phone, just now: the client and their words are enough to start the clocks."""
        now = now or utcnow()
        return self.intake(ComplaintIntake(client_id=client_id, description=description,
                                           received_at=received_at or now, channel="phone",
                                           written_response_requested=written_response_requested), now=now)

    def update_details(self, case_id: str, *, description: str | None = None,
                       products: Sequence[str] | None = None, categories: Sequence[str] | None = None,
                       remedy_sought: str | None = None, severity: str | None = None,
                       complaint_type: str | None = None, written_response_requested: bool | None = None,
                       owner_id: str | None = None, now: datetime | None = None) -> CaseView:
        """Correct what was recorded at intake (open cases only); a new type recomputes the deadlines."""
        now = now or utcnow()
        with self._db.unit(self._actor) as uow:
            s = uow.session
            k = self._open_case(s, case_id)
            changes: dict[str, object] = {}
            if description is not None:
                if not description.strip():
                    raise ValueError("Describe the complaint in the client's words.")
                changes["description"] = description.strip()
            if products is not None:
                changes["products"] = _clean_list(products)
            if categories is not None:
                changes["categories"] = _clean_list(categories)
            if remedy_sought is not None:
                changes["remedy_sought"] = remedy_sought.strip() or None
            if severity is not None:
                if problem := _choice(severity, SEVERITIES, "severity"):
                    raise ValueError(problem)
                changes["severity"] = severity
            if written_response_requested is not None:
                changes["written_response_requested"] = bool(written_response_requested)
            if owner_id is not None:
                if self._user(s, owner_id) is None:
                    raise ValueError("That user is not in this profile.")
                changes["owner_id"] = owner_id
            if complaint_type is not None:
                if problem := _choice(complaint_type, tuple(ComplaintType), "complaint type"):
                    raise ValueError(problem)
                changes["complaint_type"] = complaint_type
            changed = sorted(f for f, v in changes.items() if getattr(k, f) != v)
            for f in changed:
                setattr(k, f, changes[f])
            if "complaint_type" in changed:
                self._store_dues(s, k)
            if changed:
                self._event(s, k, "edit", now, self._me(s), data={"fields": changed})
            s.flush()
            return case_view(s, k, now)

    # -- lifecycle ----------------------------------------------------------------------------------
    def act(self, case_id: str, action: Action | str, *, note: str = "", outcome: Outcome | str | None = None,
            at: datetime | None = None, escalate_to: str | None = None, now: datetime | None = None) -> CaseView:
        """Move the case through the state machine; refused moves raise IllegalTransition and write nothing."""
        now = now or utcnow()
        at = aware(at, "time of this step") if at is not None else now
        try:
            action = Action(action)
        except ValueError:
            raise ValueError(f"'{action}' is not a case action; use one of: "
                             f"{', '.join(a.value for a in Action)}.") from None
        if outcome is not None and outcome not in tuple(Outcome):
            raise ValueError(f"'{outcome}' is not an outcome; use upheld, partly_upheld or not_upheld.")
        with self._db.unit(self._actor) as uow:
            s = uow.session
            k = load_case(s, case_id)
            self._check_time(s, k, at, now)
            t = transition(case_state(k), action, at=at, actor=self._actor, note=note or "", outcome=outcome,
                           resolved_early=resolved_early(deadlines_of(k), at))
            data: dict[str, object] = {}
            if action is Action.CLOSE:
                pending = s.scalar(select(func.count()).select_from(Compensation).where(
                    Compensation.complaint_id == k.id, Compensation.status == "proposed",
                    Compensation.deleted.is_(False)))
                if pending:
                    raise IllegalTransition(QT_TRANSLATE_NOOP(
                        "CaseRefusal", "A compensation proposal is still waiting for approval; approve or "
                        "reject it before closing the case."))
            if action is Action.ESCALATE:
                target = self._escalation_target(s, escalate_to, note)
                k.escalated_to_id = target.id
                data = {"to": target.id, "to_name": target.display_name}
            if action is Action.ACKNOWLEDGE:
                k.acknowledged_at = at
            elif action is Action.ISSUE_RESPONSE:
                k.response_issued_at = at
            elif action in (Action.CLOSE, Action.WITHDRAW):
                k.closed_at = at
            elif action is Action.REOPEN:
                k.closed_at = None
            k.state = t.state.status.value
            k.outcome = t.state.outcome.value if t.state.outcome else None
            if t.state.outcome:
                data["outcome"] = t.state.outcome.value
            self._event(s, k, action.value, at, self._me(s), from_state=t.event.from_state.value,
                        to_state=t.event.to_state.value, note=note, data=data)
            s.flush()
            return case_view(s, k, now)

    def escalate(self, case_id: str, to_user_id: str, note: str, *, at: datetime | None = None,
                 now: datetime | None = None) -> CaseView:
        """Escalate to a team leader (or manager) with a note on why."""
        return self.act(case_id, Action.ESCALATE, note=note, at=at, escalate_to=to_user_id, now=now)

    # -- reading ------------------------------------------------------------------------------------
    def case(self, case_id: str, *, now: datetime | None = None) -> CaseView:
        """The whole case (by id or reference) with every deadline and the live clock; the view is audited."""
        now = now or utcnow()
        with self._db.unit(self._actor) as uow:
            k = load_case(uow.session, case_id)
            uow.viewed("complaints", k.id, k.client_id, k.reference)
            return case_view(uow.session, k, now)

    def open_cases(self, order: str = "urgency", offset: int = 0, limit: int = 100, *,
                   owner_id: str | None = None, now: datetime | None = None) -> CasePage:
        """Open cases, most urgent first (breached, then least time left), with the total for paging."""
        if order not in ORDERS:
            raise ValueError(f"Open cases can be ordered by {', '.join(ORDERS)}, not {order!r}.")
        now = now or utcnow()
        with self._db.reading() as s:
            rows = open_summaries(s, now, owner_id)
        keys = {"urgency": lambda r: (r.clock.urgency_key, r.received_at),
                "received": lambda r: r.received_at, "reference": lambda r: r.reference}
        rows.sort(key=keys[order])
        return CasePage(tuple(rows[max(offset, 0):max(offset, 0) + max(limit, 0)]), len(rows))

    def breaches(self, *, include_past: bool = False, now: datetime | None = None) -> list[CaseSummary]:
        """Open cases past a binding deadline now (most overdue first); with include_past, also those
        that met a deadline late (e.g. a late acknowledgement)."""
        now = now or utcnow()
        with self._db.reading() as s:
            rows = open_summaries(s, now)
        hit = [r for r in rows if r.clock.state is ClockState.BREACHED or (include_past and r.clock.missed)]
        return sorted(hit, key=lambda r: (r.clock.urgency_key, r.received_at))

    # -- coordination -------------------------------------------------------------------------------
    def refer(self, case_id: str, department: str, reason: str, *, owner_name: str | None = None,
              due_on: date | None = None, at: datetime | None = None) -> ReferralView:
        """Hand part of the case to another department, with an owner and a due date."""
        return coordination.refer(self, case_id, department, reason, owner_name, due_on, at)

    def update_referral(self, referral_id: str, status: str, note: str = "", *,
                        at: datetime | None = None) -> ReferralView:
        return coordination.update_referral(self, referral_id, status, note, at)

    def record_contact(self, case_id: str, channel: str, notes: str, *, direction: str = "outbound",
                       subject: str | None = None, duration_min: int | None = None,
                       at: datetime | None = None) -> EventView:
        """The RM's contact with the client about the case: an interaction and a `contact` event."""
        return coordination.record_contact(self, case_id, channel, notes, direction, subject, duration_min, at)

    def add_note(self, case_id: str, note: str, *, at: datetime | None = None) -> EventView:
        return coordination.add_note(self, case_id, note, at)

    # -- compensation -------------------------------------------------------------------------------
    def propose_compensation(self, case_id: str, amount: Decimal, kind: str = "goodwill", note: str = "", *,
                             at: datetime | None = None) -> CompensationView:
        """Propose an amount as the signed-in user; within their own limit it is approved at once."""
        return compensation.propose(self, case_id, amount, kind, note, at)

    def approve_compensation(self, compensation_id: str, approver_id: str | None = None, *,
                             at: datetime | None = None) -> CompensationView:
        """Approve a proposal as ``approver_id`` (default: the signed-in user), within that person's limit."""
        return compensation.approve_proposal(self, compensation_id, approver_id, at)

    def reject_compensation(self, compensation_id: str, reason: str, rejecter_id: str | None = None, *,
                            at: datetime | None = None) -> CompensationView:
        """Turn a proposal down (someone with authority for the amount, or the proposer withdrawing it)."""
        return compensation.reject(self, compensation_id, reason, rejecter_id, at)

    def mark_compensation_paid(self, compensation_id: str, *, at: datetime | None = None) -> CompensationView:
        return compensation.mark_paid(self, compensation_id, at)

    # -- root causes, satisfaction, reporting, letters (see the sibling modules) ---------------------
    def root_causes(self, *, include_inactive: bool = False) -> list[RootCauseView]:
        return coordination.root_causes(self, include_inactive)

    def attach_root_cause(self, case_id: str, code: str, note: str = "", *,
                          at: datetime | None = None) -> RootCauseResult:
        return coordination.attach_root_cause(self, case_id, code, note, at)

    def detach_root_cause(self, case_id: str, code: str, *, at: datetime | None = None) -> None:
        coordination.detach_root_cause(self, case_id, code, at)

    def record_satisfaction(self, case_id: str, score: int, comment: str = "", *,
                            at: datetime | None = None) -> SatisfactionView:
        return coordination.record_satisfaction(self, case_id, score, comment, at)

    def recurrence_flags(self, start: date | None = None, end: date | None = None) -> list[RecurrenceFlagView]:
        return reporting.recurrence_flags(self._db, start, end)

    def root_cause_trend(self, start: date, end: date) -> RootCauseTrend:
        return reporting.root_cause_trend(self._db, start, end)

    def register_rows(self, start: date | None = None, end: date | None = None) -> list[RegisterRow]:
        return reporting.register_rows(self._db, start, end)

    def register_csv(self, start: date | None = None, end: date | None = None) -> str:
        return reporting.register_csv(self.register_rows(start, end))

    def write_register(self, path: Path, start: date | None = None, end: date | None = None) -> int:
        return reporting.write_register(self._db, self._actor, Path(path), start, end)

    def uk_summary(self, start: date, end: date) -> UkSummary:
        return reporting.uk_summary(self._db, start, end)

    def letter_pdf(self, case_id: str, kind: str, **options) -> bytes:
        return letters.letter_pdf(self, case_id, kind, **options)

    def write_letter(self, case_id: str, kind: str, path: Path, **options) -> Path:
        return letters.write_letter(self, case_id, kind, Path(path), **options)

    # -- internals shared with the sibling modules --------------------------------------------------
    @property
    def db(self) -> Database:
        return self._db

    @property
    def actor(self) -> str:
        return self._actor

    def _me(self, s: Session) -> User | None:
        return s.scalar(select(User).where(User.username == self._actor))

    def _require_me(self, s: Session) -> User:
        me = self._me(s)
        if me is None:
            raise LookupError(f"'{self._actor}' is not a user in this profile.")
        return me

    @staticmethod
    def _user(s: Session, user_id: str | None) -> User | None:
        u = s.get(User, user_id) if user_id else None
        return u if u is not None and not u.deleted and u.active else None

    def _open_case(self, s: Session, case_id: str) -> Complaint:
        k = load_case(s, case_id)
        if k.state == "closed":
            raise IllegalTransition(QT_TRANSLATE_NOOP(
                "CaseRefusal", "Case {reference} is closed, so it cannot be changed; reopen it first."
            ).format(reference=k.reference))
        return k

    def _escalation_target(self, s: Session, user_id: str | None, note: str) -> User:
        if not user_id:
            raise ValueError("Choose the team leader to escalate the case to.")
        target = self._user(s, user_id)
        if target is None:
            raise LookupError("The team leader to escalate to is not a user in this profile.")
        if target.role not in (Role.TEAM_LEADER.value, Role.MANAGER.value):
            label = Role(target.role).label if target.role in tuple(Role) else target.role
            raise ValueError(f"{target.display_name} is a {label}; escalate to a team leader or a manager.")
        if not note.strip():
            raise ValueError("Add a note saying why the case is escalated.")
        return target

    @staticmethod
    def _check_time(s: Session, k: Complaint, at: datetime, now: datetime) -> None:
        not_in_future(at, now, "time of this step")
        if at < k.received_at:
            raise ValueError("That is before the complaint was received.")
        last = s.scalar(select(func.max(ComplaintEvent.at)).where(
            ComplaintEvent.complaint_id == k.id, ComplaintEvent.to_state.is_not(None)))
        if last is not None and at < last:
            raise ValueError("That is before the case's last step; record steps in the order they happened.")

    @staticmethod
    def _store_dues(s: Session, k: Complaint) -> None:
        dl = deadlines_of(k)
        ack, final = dl.get(ClockName.ACKNOWLEDGEMENT), dl.get(ClockName.FINAL_RESPONSE)
        k.ack_due_at = ack.due if ack else None
        k.final_due_at = final.due if final else None

    def _event(self, s: Session, k: Complaint, kind: str, at: datetime, me: User | None, *,
               from_state: str | None = None, to_state: str | None = None, note: str | None = None,
               data: dict | None = None) -> ComplaintEvent:
        e = ComplaintEvent(complaint_id=k.id, at=at, kind=kind, from_state=from_state, to_state=to_state,
                           actor_id=me.id if me else None, note=(note or "").strip() or None,
                           data={**(data or {}), "actor": self._actor})
        s.add(e)
        return e

    @staticmethod
    def _next_reference(s: Session, year: int) -> str:
        """C-<year>-<6 digits>, sequential per year (the write transaction is IMMEDIATE, so no race)."""
        prefix = f"C-{year}-"
        last = s.scalar(select(func.max(Complaint.reference)).where(Complaint.reference.like(prefix + "%")))
        n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{n:06d}"


def _clean_list(items: Sequence[str] | None) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in (items or ()) if i and i.strip()))
