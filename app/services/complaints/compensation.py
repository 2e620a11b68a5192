"""Compensation against the approval matrix (org.approval_limits): propose, approve, reject, pay.

Who may approve how much is the domain's ``approve``; a proposal within the proposer's own limit is
approved at once, anything above waits for someone whose limit covers it. Each step is an event.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.complaints import IllegalTransition, Role, StaffMember, approve
from app.messages import QT_TRANSLATE_NOOP
from app.store.models import Compensation, Complaint, User

from ._common import approval_matrix, aware, setting, utcnow
from .read import compensation_view, load_case
from .views import CompensationView

if TYPE_CHECKING:
    from .service import ComplaintService

KINDS = ("goodwill", "redress", "refund", "fee_waiver")


def propose(svc: ComplaintService, case_id: str, amount: Decimal, kind: str, note: str,
            at: datetime | None) -> CompensationView:
    """Propose an amount as the signed-in user; within their own limit it is approved at once."""
    if isinstance(amount, float):
        raise ValueError("Enter compensation as an exact amount (Decimal), never a float.")
    if kind not in KINDS:
        raise ValueError(f"Choose a kind of compensation: {', '.join(k.replace('_', ' ') for k in KINDS)}.")
    now = utcnow()
    at = aware(at, "time of the proposal") if at is not None else now
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = svc._open_case(s, case_id)
        me = svc._require_me(s)
        matrix = approval_matrix(s)
        value = _amount(amount)
        proposer = _staff(me)
        needs = matrix.needs_approval(value, proposer.role)
        c = Compensation(complaint_id=k.id, amount=value, currency=setting(s, "org.currency"), kind=kind,
                         status="proposed", proposed_by=me.id, proposed_at=at, note=note.strip() or None)
        s.add(c)
        s.flush()
        svc._event(s, k, "comp_proposed", at, me, note=note, data={
            "compensation_id": c.id, "amount": str(value), "kind": kind, "needs_approval": needs})
        if not needs:
            approve(value, proposed_by=proposer, approved_by=proposer, matrix=matrix)
            c.status, c.approved_by, c.approved_at = "approved", me.id, at
            svc._event(s, k, "comp_approved", at, me, data={
                "compensation_id": c.id, "amount": str(value), "approved_by": me.id, "within_own_limit": True})
        s.flush()
        return compensation_view(c, {me.id: me.display_name})

def approve_proposal(svc: ComplaintService, compensation_id: str, approver_id: str | None,
                     at: datetime | None) -> CompensationView:
    """Approve a proposal as ``approver_id`` (default: the signed-in user), within that person's limit."""
    now = utcnow()
    at = aware(at, "time of the approval") if at is not None else now
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        c, k = _proposal(s, compensation_id)
        if k.state == "closed":
            raise IllegalTransition(QT_TRANSLATE_NOOP(
                "CaseRefusal", "Case {reference} is closed; reopen it before approving compensation."
            ).format(reference=k.reference))
        me = svc._me(s)
        approver = svc._user(s, approver_id) if approver_id else me
        if approver is None:
            raise LookupError("The approver is not a user in this profile.")
        proposer = svc._user(s, c.proposed_by) if c.proposed_by else None
        proposed_by = _staff(proposer) if proposer else StaffMember(c.proposed_by or "", Role.RM, "unknown")
        decision = approve(c.amount, proposed_by=proposed_by, approved_by=_staff(approver),
                           matrix=approval_matrix(s))
        c.status, c.approved_by, c.approved_at = "approved", approver.id, at
        svc._event(s, k, "comp_approved", at, me, data={
            "compensation_id": c.id, "amount": str(decision.amount), "approved_by": approver.id,
            "approved_by_name": approver.display_name, "approver_role": approver.role,
            "recorded_by": svc.actor})
        s.flush()
        return compensation_view(c, _names(s, c))

def reject(svc: ComplaintService, compensation_id: str, reason: str, rejecter_id: str | None,
           at: datetime | None) -> CompensationView:
    """Turn a proposal down (someone with authority for the amount, or the proposer withdrawing it)."""
    if not reason.strip():
        raise ValueError("Say why the compensation is not approved.")
    now = utcnow()
    at = aware(at, "time of the decision") if at is not None else now
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        c, k = _proposal(s, compensation_id)
        me = svc._me(s)
        who = svc._user(s, rejecter_id) if rejecter_id else me
        if who is None:
            raise LookupError("The person rejecting is not a user in this profile.")
        if who.id != c.proposed_by and not approval_matrix(s).can_approve(c.amount, _role(who)):
            raise ValueError(f"Only someone who could approve {c.amount:,.2f}, or the person who proposed "
                             "it, can turn it down.")
        c.status = "rejected"
        svc._event(s, k, "comp_rejected", at, me, note=reason, data={
            "compensation_id": c.id, "amount": str(c.amount), "rejected_by": who.id,
            "rejected_by_name": who.display_name})
        s.flush()
        return compensation_view(c, _names(s, c))

def mark_paid(svc: ComplaintService, compensation_id: str, at: datetime | None) -> CompensationView:
    now = utcnow()
    at = aware(at, "time of payment") if at is not None else now
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        c = s.get(Compensation, compensation_id)
        if c is None or c.deleted:
            raise LookupError("That compensation record no longer exists.")
        if c.status != "approved":
            raise ValueError(f"Only approved compensation can be paid; this one is {c.status}.")
        k = load_case(s, c.complaint_id)
        c.status, c.paid_at = "paid", at
        svc._event(s, k, "comp_paid", at, svc._me(s), data={"compensation_id": c.id,
                                                               "amount": str(c.amount)})
        s.flush()
        return compensation_view(c, _names(s, c))


def _proposal(s: Session, compensation_id: str) -> tuple[Compensation, Complaint]:
    c = s.get(Compensation, compensation_id)
    if c is None or c.deleted:
        raise LookupError("That compensation proposal no longer exists.")
    if c.status != "proposed":
        raise ValueError(f"This compensation has already been decided ({c.status}).")
    return c, load_case(s, c.complaint_id)


def _names(s: Session, c: Compensation) -> dict[str, str]:
    ids = [i for i in (c.proposed_by, c.approved_by) if i]
    return {u.id: u.display_name for u in s.scalars(select(User).where(User.id.in_(ids)))}


def _amount(amount: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(amount)
    except (ArithmeticError, ValueError, TypeError):
        raise ValueError(f"'{amount}' is not an amount.") from None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError("A compensation amount must be more than zero, with at most two decimals.")
    return value.quantize(Decimal("0.01"))


def _role(u: User) -> Role:
    try:
        return Role(u.role)
    except ValueError:
        # Never guess an authority: an unrecognised role cannot propose or approve payments.
        raise ValueError(f"{u.display_name} has no recognised role ({u.role!r}); ask an administrator to set "
                         "one before handling compensation.") from None


def _staff(u: User) -> StaffMember:
    return StaffMember(u.id, _role(u), u.display_name)
