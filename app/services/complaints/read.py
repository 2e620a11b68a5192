"""Reading cases: the full case view and the open-cases list with live clocks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.complaints import (
    CaseDeadlines,
    CaseStatus,
    Clock,
    ClockStatus,
    allowed_actions,
    regime,
    resolved_early,
)
from app.store.models import (
    Client,
    Compensation,
    Complaint,
    ComplaintEvent,
    ComplaintRootCause,
    Referral,
    RootCause,
    SurveyResponse,
)

from ._common import case_state, deadlines_of, local_day, status_of, user_names, zone
from .views import (
    CaseSummary,
    CaseView,
    CompensationView,
    DeadlineView,
    DisputeBodyView,
    EventView,
    ReferralView,
    RootCauseView,
    SatisfactionView,
)

AGREED = ("approved", "paid")  # compensation statuses that count as money the firm has agreed to pay


def load_case(s: Session, key: str) -> Complaint:
    """A case by id or by its reference (C-2026-000123)."""
    key = (key or "").strip()
    k = s.get(Complaint, key) if key else None
    if k is None and key:
        k = s.scalar(select(Complaint).where(Complaint.reference == key.upper()))
    if k is None or k.deleted:
        raise LookupError(f"There is no complaint '{key}'.")
    return k


def extension_invoked(s: Session, ids: Iterable[str]) -> set[str]:
    """Cases whose holding reply (a delay notice) switched on the regime's extended final-response clock."""
    ids = list(ids)
    out: set[str] = set()
    for start in range(0, len(ids), 900):
        for cid, data in s.execute(select(ComplaintEvent.complaint_id, ComplaintEvent.data).where(
                ComplaintEvent.kind == "delay_notice", ComplaintEvent.complaint_id.in_(ids[start:start + 900]))):
            if (data or {}).get("extension"):
                out.add(cid)
    return out


def deadline_views(k: Complaint, dl: CaseDeadlines, now: datetime, extension: bool) -> tuple[DeadlineView, ...]:
    tz = zone(k.received_tz)
    finished = k.response_issued_at or k.closed_at
    ack_done = min((t for t in (k.acknowledged_at, finished) if t is not None), default=None)
    has_extended = dl.get(Clock.EXTENDED_FINAL_RESPONSE) is not None
    out = []
    for d in dl.deadlines:
        met: datetime | None = None
        if d.clock.is_window:
            early = finished is not None and resolved_early(dl, finished)
            state = "used" if early else "passed" if now > d.due or finished else "open"
            met = finished if early else None
        elif d.clock is Clock.EXTENDED_FINAL_RESPONSE and not extension:
            state = "not_in_force"
        elif d.clock is Clock.FINAL_RESPONSE and extension and has_extended:
            state = "superseded"
        else:
            met = ack_done if d.clock is Clock.ACKNOWLEDGEMENT else finished
            if met is None:
                state = "overdue" if now > d.due else "pending"
            else:
                state = "met" if met <= d.due else "late"
        out.append(DeadlineView(d.clock.value, d.clock.label, d.due, d.due.astimezone(tz), d.warn_at,
                                d.binding, state, met))
    return tuple(out)


def compensation_view(c: Compensation, names: dict[str, str]) -> CompensationView:
    return CompensationView(
        c.id, c.amount, c.currency, c.kind, c.status, c.proposed_by, names.get(c.proposed_by or "", "unknown"),
        c.proposed_at, c.approved_by, names.get(c.approved_by) if c.approved_by else None, c.approved_at,
        c.paid_at, c.note, c.status == "proposed")


def referral_view(r: Referral, names: dict[str, str], today) -> ReferralView:
    return ReferralView(r.id, r.department, r.owner_name, r.reason, r.due_on, r.status,
                        names.get(r.created_by) if r.created_by else None,
                        r.status in ("open", "in_progress") and r.due_on is not None and r.due_on < today)


def event_view(e: ComplaintEvent, names: dict[str, str]) -> EventView:
    actor = names.get(e.actor_id or "") or (e.data or {}).get("actor") or "unknown"
    return EventView(e.id, e.at, e.kind, e.from_state, e.to_state, actor, e.note, dict(e.data or {}))


def case_view(s: Session, k: Complaint, now: datetime) -> CaseView:
    reg = regime(k.regime)
    client = s.get(Client, k.client_id)
    events = list(s.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == k.id)
                            .order_by(ComplaintEvent.at, ComplaintEvent.id)))
    comps = list(s.scalars(select(Compensation).where(Compensation.complaint_id == k.id,
                                                      Compensation.deleted.is_(False))
                           .order_by(Compensation.proposed_at, Compensation.id)))
    refs = list(s.scalars(select(Referral).where(Referral.complaint_id == k.id, Referral.deleted.is_(False))
                          .order_by(Referral.created_at, Referral.id)))
    causes = [RootCauseView(code, label, active) for code, label, active in s.execute(
        select(RootCause.code, RootCause.label, RootCause.active)
        .join(ComplaintRootCause, ComplaintRootCause.root_cause_id == RootCause.id)
        .where(ComplaintRootCause.complaint_id == k.id, ComplaintRootCause.deleted.is_(False))
        .order_by(ComplaintRootCause.created_at))]
    survey = s.scalars(select(SurveyResponse).where(SurveyResponse.complaint_id == k.id,
                                                    SurveyResponse.deleted.is_(False))
                       .order_by(SurveyResponse.responded_at.desc()).limit(1)).first()
    names = user_names(s, {k.taken_by_id, k.owner_id, k.escalated_to_id, *(e.actor_id for e in events),
                           *(c.proposed_by for c in comps), *(c.approved_by for c in comps),
                           *(r.created_by for r in refs)})
    extension = any(e.kind == "delay_notice" and (e.data or {}).get("extension") for e in events)
    dl = deadlines_of(k)
    clock = status_of(k, dl, now, extension)
    body = reg.external_body
    return CaseView(
        id=k.id, reference=k.reference, client_id=k.client_id,
        client_name=client.display_name if client else "(removed client)",
        client_kind=client.kind if client else "person", channel=k.channel, received_at=k.received_at,
        received_tz=k.received_tz, description=k.description, products=tuple(k.products or ()),
        categories=tuple(k.categories or ()), remedy_sought=k.remedy_sought, severity=k.severity,
        complaint_type=k.complaint_type, regime=k.regime, regime_name=reg.name, region=k.region,
        taken_by=names.get(k.taken_by_id or ""), owner_id=k.owner_id, owner=names.get(k.owner_id or ""),
        escalated_to_id=k.escalated_to_id, escalated_to=names.get(k.escalated_to_id or ""),
        state=k.state, state_label=CaseStatus(k.state).label, outcome=k.outcome,
        written_response_requested=k.written_response_requested, acknowledged_at=k.acknowledged_at,
        response_issued_at=k.response_issued_at, closed_at=k.closed_at, ack_due_at=k.ack_due_at,
        final_due_at=k.final_due_at, extension_invoked=extension,
        deadlines=deadline_views(k, dl, now, extension), clock=clock,
        allowed_actions=allowed_actions(case_state(k)),
        events=tuple(event_view(e, names) for e in events),
        compensations=tuple(compensation_view(c, names) for c in comps),
        compensation_total=sum((c.amount for c in comps if c.status in AGREED), Decimal("0.00")),
        referrals=tuple(referral_view(r, names, local_day(now, k.received_tz)) for r in refs),
        root_causes=tuple(causes),
        satisfaction=SatisfactionView(survey.score, survey.comment, survey.responded_at) if survey else None,
        external_body=DisputeBodyView(body.name, body.short_name, body.website, body.phone, body.email,
                                      body.postal_address),
    )


_SUMMARY_COLUMNS = (Complaint.id, Complaint.reference, Complaint.client_id, Client.display_name, Complaint.state,
                    Complaint.complaint_type, Complaint.regime, Complaint.region, Complaint.received_tz,
                    Complaint.severity, Complaint.received_at, Complaint.owner_id, Complaint.acknowledged_at,
                    Complaint.response_issued_at, Complaint.closed_at, Complaint.written_response_requested)


def open_summaries(s: Session, now: datetime, owner_id: str | None = None) -> list[CaseSummary]:
    """Every open case with its live clock (not yet sorted or paged)."""
    stmt = (select(*_SUMMARY_COLUMNS).join(Client, Client.id == Complaint.client_id)
            .where(Complaint.state != CaseStatus.CLOSED.value, Complaint.deleted.is_(False)))
    if owner_id:
        stmt = stmt.where(Complaint.owner_id == owner_id)
    rows = s.execute(stmt).all()
    extended = extension_invoked(s, [r.id for r in rows])
    out = []
    for r in rows:
        clock: ClockStatus = status_of(r, deadlines_of(r), now, r.id in extended)  # a row reads like a case
        out.append(CaseSummary(r.id, r.reference, r.client_id, r.display_name, r.state,
                               CaseStatus(r.state).label, r.complaint_type, r.regime, r.severity,
                               r.received_at, r.owner_id, clock))
    return out
