"""One client's review pack as plain data (``app.reports.data.ReviewPackData``), read in one snapshot.

The identity, contact details, household, holdings with their balance history, surveys and
recommendations come from the same assembly as the client 360 view (``ClientService._assemble``), so
the pack and the screen never disagree; the rest (the review period, changes, planned vs actual
contacts, complaint deadlines, usage, segment history) is read here with a few indexed queries.

Sections follow the report contract: ``None`` when no capability provides the data (left out),
an empty tuple when it does but there is nothing in the period (printed as a one-line statement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.cadence import add_months
from app.reports import data as rd
from app.reports.document import fmt_date, fmt_money
from app.services.clients import Client360, ClientService, HoldingView
from app.store.models import (
    Client,
    ClientSummary,
    Complaint,
    ContactPlan,
    Holding,
    Interaction,
    LoyaltyEnrolment,
    LoyaltyProgramme,
    ScheduledContact,
    Segment,
    SegmentChange,
    SegmentPolicy,
    UsageSummary,
    User,
)

from . import labels as lb
from .context import ReportContext

HISTORY_MONTHS = 13  # balance trend: a year of month-ends and the current balance
USAGE_MONTHS = 12
FEEDBACK_MONTHS = 24
UPCOMING_DAYS = 90  # planned contacts shown ahead of the meeting
MEETING_DAYS = 14  # a review planned this soon is the meeting the pack is printed for
MOVE_MIN = Decimal(1000)  # a balance move worth mentioning: at least this much ...
MOVE_SHARE = Decimal("0.10")  # ... and at least this share of the earlier balance
MAX_MOVES = 4


def _review_like(*cols):
    return or_(*(func.lower(col).like("%review%") for col in cols))


def last_review_on(s: Session, client_id: str, today: date, ctx: ReportContext) -> date | None:
    """The local date of the client's last review before today: an interaction whose purpose or
    subject says review, or that closed a planned review."""
    reviews = select(ScheduledContact.interaction_id).where(
        ScheduledContact.client_id == client_id, ScheduledContact.interaction_id.is_not(None),
        _review_like(ScheduledContact.contact_kind, ScheduledContact.purpose))
    at = s.scalar(select(func.max(Interaction.occurred_at)).where(
        Interaction.client_id == client_id, Interaction.deleted.is_(False),
        Interaction.occurred_at < lb.day_start(today, ctx.tz),
        or_(_review_like(Interaction.purpose, Interaction.subject), Interaction.id.in_(reviews))))
    if isinstance(at, str):  # an aggregate may come back untyped from the driver
        at = datetime.fromisoformat(at)
    return lb.local_day(at, ctx.tz)


@dataclass
class _Window:
    today: date
    since: date  # first day of the review period
    last_review: date | None

    def after_since(self, d: date | None) -> bool:
        """Happened since the last review (strictly after its day), or within the 12-month window."""
        if d is None or d > self.today:
            return False
        return d > self.since if self.last_review else d >= self.since


def build_review_pack(s: Session, client_id: str, today: date, ctx: ReportContext) -> rd.ReviewPackData:
    c = s.get(Client, client_id)
    if c is None or c.deleted:
        raise LookupError("There is no such client (it may have been merged or removed).")
    view = ClientService(None, "")._assemble(s, c, today)  # type: ignore[arg-type]  # session given: no db needed
    last = last_review_on(s, c.id, today, ctx)
    win = _Window(today, last or add_months(today, -12), last)
    seg = s.get(Segment, c.segment_id) if c.segment_id else None
    owner = s.get(User, c.owner_id) if c.owner_id else None

    holdings, then_balances, closed = _holdings(s, view, win)
    complaints = list(s.scalars(select(Complaint).where(
        Complaint.client_id == c.id, Complaint.deleted.is_(False),
        or_(Complaint.received_at >= lb.day_start(win.since, ctx.tz), Complaint.state != "closed"))
        .order_by(Complaint.received_at)))
    changes_of_segment = list(s.scalars(select(SegmentChange).where(SegmentChange.client_id == c.id)
                                        .order_by(SegmentChange.changed_at)))
    seg_names = _segment_names(s, changes_of_segment)

    changes = _changes(view, win, holdings, then_balances, closed, complaints, changes_of_segment, seg_names,
                       ctx)
    return rd.ReviewPackData(
        client=_client(s, c, view, seg, owner, today),
        prepared_on=today,
        period_start=win.since,
        period_end=today,
        base_currency=ctx.currency,
        changes=changes,
        holdings=tuple(line for line, _ in holdings),
        usage=_usage(s, c.id, today, ctx),
        contacts=_contacts(s, c.id, win, ctx),
        complaints=tuple(_complaint_line(k, ctx) for k in complaints),
        satisfaction=_satisfaction(view, today, ctx),
        segment=_segment(s, c, seg, changes_of_segment, seg_names, ctx),
        recommendations=tuple(
            rd.Recommendation(product or "For discussion", reason)
            for status, product, reason in view.recommendations if status in ("open", "discussed")),
        actions=None,  # no capability records actions agreed with the client yet (tasks are internal)
        next_review=_next_review(s, c, today, ctx),
        disclosures=ctx.disclosures,
    )


# --------------------------------------------------------------------------- profile


def _client(s: Session, c: Client, view: Client360, seg: Segment | None, owner: User | None,
            today: date) -> rd.ClientSummary:
    contacts: list[rd.ContactDetail] = []
    for label, address, primary in view.emails:
        contacts.append(rd.ContactDetail("E-mail" if label == "personal" else f"E-mail ({label})", address,
                                         primary))
    for label, number, primary in view.phones:
        contacts.append(rd.ContactDetail(lb.PHONE_LABELS.get(label, lb.humanise(label) or "Phone"),
                                         _phone(number), primary))
    for a in sorted((a for a in c.addresses if not a.deleted), key=lambda a: not a.is_primary):
        parts = [a.line1, a.line2, " ".join(p for p in (a.city, a.region, a.postcode) if p)]
        contacts.append(rd.ContactDetail(f"{lb.humanise(a.label)} address",
                                         ", ".join(p for p in parts if p), a.is_primary))
    household: dict[str, rd.HouseholdMember] = {}
    for kind, cid, name in view.relationships:
        household[cid] = rd.HouseholdMember(name, lb.humanise(kind) or "Connected", True)
    for cid, name in view.household_members:
        household.setdefault(cid, rd.HouseholdMember(name, "Same household", True))
    key_dates = []
    if c.date_of_birth:  # the day, not the year: a printed pack never carries a full birth date
        key_dates.append(rd.KeyDate("Birthday", lb.next_anniversary(c.date_of_birth, today)))
    needs = [ln.strip() for ln in (c.special_needs or "").splitlines() if ln.strip()]
    if c.interpreter_needed:
        needs.append("An interpreter at meetings")
    return rd.ClientSummary(
        name=c.display_name,
        kind=lb.CLIENT_KINDS.get(c.kind, lb.humanise(c.kind) or "Client"),
        rm_name=owner.display_name if owner else "Not yet assigned",
        reference=None,  # the internal id is not for people; the schema has no client number yet
        segment=seg.name if seg else None,
        loyalty_tier=c.loyalty_tier,
        client_since=c.onboarded_on,
        date_of_birth=None,
        preferred_language=lb.language(c.preferred_language),
        preferred_channel=lb.channel(c.preferred_channel) if c.preferred_channel else None,
        special_needs=tuple(needs),
        contacts=tuple(contacts),
        household=tuple(household.values()),
        key_dates=tuple(key_dates),
    )


def _phone(e164: str) -> str:
    try:
        import phonenumbers

        return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except Exception:  # noqa: BLE001 - a number we cannot parse prints as stored
        return e164


# --------------------------------------------------------------------------- holdings


def _balance_on(h: HoldingView, day: date) -> Decimal | None:
    """The balance at ``day`` from the history: the last point on or before it."""
    before = [b for d, b in h.history if d <= day]
    return before[-1] if before else None


def _holdings(s: Session, view: Client360, win: _Window):
    """(HoldingLine, HoldingView) of open holdings; balances at the start of the period; closed in it."""
    lines = []
    then: dict[str, Decimal | None] = {}
    hist_from = add_months(win.today, -(HISTORY_MONTHS - 1)).replace(day=1)
    for h in view.holdings:
        then[h.id] = _balance_on(h, win.since)
        if h.status != "open":
            continue
        hist = [(d, b) for d, b in h.history if hist_from <= d <= win.today]
        if hist and hist[-1][0] < win.today:
            hist.append((win.today, h.balance))
        lines.append((rd.HoldingLine(h.product, lb.category(h.category), lb.masked_account(h.account_masked),
                                     h.balance, h.currency, tuple(hist)), h))
    closed_ids = [h.id for h in view.holdings if h.status != "open"]
    closed: list[tuple[HoldingView, date]] = []
    if closed_ids:
        when = dict(s.execute(select(Holding.id, Holding.closed_on).where(Holding.id.in_(closed_ids))).all())
        closed = [(h, when[h.id]) for h in view.holdings if when.get(h.id) and win.after_since(when[h.id])]
    return lines, then, closed


def _usage(s: Session, client_id: str, today: date, ctx: ReportContext) -> tuple[rd.UsageLine, ...]:
    start = add_months(today.replace(day=1), -(USAGE_MONTHS - 1))
    rows = s.execute(
        select(UsageSummary.month, func.sum(UsageSummary.revenue), func.sum(UsageSummary.transactions))
        .join(Holding, Holding.id == UsageSummary.holding_id)
        .where(Holding.client_id == client_id, UsageSummary.month >= start, UsageSummary.month <= today,
               UsageSummary.deleted.is_(False))
        .group_by(UsageSummary.month).order_by(UsageSummary.month)).all()
    return tuple(rd.UsageLine(m if isinstance(m, date) else date.fromisoformat(str(m)),
                              Decimal(rev or 0), int(n or 0), ctx.currency)
                 for m, rev, n in rows)


# --------------------------------------------------------------------------- contacts


def _contacts(s: Session, client_id: str, win: _Window, ctx: ReportContext) -> tuple[rd.ContactLine, ...]:
    tz = ctx.tz
    start, end = lb.day_start(win.since, tz), lb.day_start(win.today + timedelta(days=1), tz)
    in_period = [Interaction.client_id == client_id, Interaction.deleted.is_(False),
                 Interaction.occurred_at >= start, Interaction.occurred_at < end]
    # plans due in the period or ahead, and earlier plans that a contact in the period fulfilled
    plans = list(s.scalars(select(ScheduledContact).where(
        ScheduledContact.client_id == client_id, ScheduledContact.deleted.is_(False),
        ScheduledContact.due_at < lb.day_start(win.today + timedelta(days=UPCOMING_DAYS + 1), tz),
        or_(ScheduledContact.due_at >= start,
            ScheduledContact.interaction_id.in_(select(Interaction.id).where(*in_period))))
        .order_by(ScheduledContact.due_at)))
    held = {i.id: i for i in s.scalars(select(Interaction).where(*in_period))}
    missing = [p.interaction_id for p in plans if p.interaction_id and p.interaction_id not in held]
    if missing:
        held.update({i.id: i for i in s.scalars(select(Interaction).where(Interaction.id.in_(missing)))})
    used: set[str] = set()
    lines: list[rd.ContactLine] = []
    for p in plans:
        planned_on = lb.local_day(p.due_at, tz)
        i = held.get(p.interaction_id) if p.interaction_id else None
        purpose = lb.humanise(p.purpose) or lb.humanise(p.contact_kind) or "Planned contact"
        if i is not None:
            used.add(i.id)
            lines.append(rd.ContactLine(lb.channel(i.channel), purpose, planned_on, lb.local_day(i.occurred_at, tz),
                                        lb.humanise(i.outcome)))
        elif p.status == "done":  # marked done without a logged interaction: held on the day planned
            lines.append(rd.ContactLine(_plan_channel(p), purpose, planned_on, planned_on, None))
        elif p.status in ("cancelled", "missed"):
            lines.append(rd.ContactLine(_plan_channel(p), purpose, planned_on, None, lb.humanise(p.status)))
        else:
            lines.append(rd.ContactLine(_plan_channel(p), purpose, planned_on, None, None))
    for i in held.values():
        if i.id in used or lb.local_day(i.occurred_at, tz) < win.since:
            continue
        purpose = lb.humanise(i.purpose) or i.subject or ("Your enquiry" if i.direction == "inbound"
                                                          else "General contact")
        lines.append(rd.ContactLine(lb.channel(i.channel), purpose, None, lb.local_day(i.occurred_at, tz),
                                    lb.humanise(i.outcome)))
    return tuple(lines)


def _plan_channel(p: ScheduledContact) -> str:
    kind = (p.contact_kind or "").lower()
    if "call" in kind:
        return "Phone"
    if "meeting" in kind or "review" in kind:
        return "Meeting"
    return lb.humanise(p.contact_kind) or "Contact"


def _review_interval(s: Session, c: Client) -> tuple[int, int] | None:
    """(months, days) between reviews: the client's own plan, else the segment's service model."""
    plans = s.execute(select(ContactPlan.interval_months, ContactPlan.interval_days).where(
        ContactPlan.client_id == c.id, ContactPlan.active.is_(True), ContactPlan.deleted.is_(False),
        _review_like(ContactPlan.contact_kind))).all()
    if not plans and c.segment_id:
        plans = s.execute(select(SegmentPolicy.interval_months, SegmentPolicy.interval_days).where(
            SegmentPolicy.segment_id == c.segment_id, SegmentPolicy.deleted.is_(False),
            _review_like(SegmentPolicy.contact_kind))).all()
    spans = [(m, d) for m, d in plans if m or d]
    return min(spans, key=lambda x: x[0] * 31 + x[1]) if spans else None


def _next_review(s: Session, c: Client, today: date, ctx: ReportContext) -> date | None:
    """The review after the meeting this pack is for.

    A review planned within MEETING_DAYS is taken to be the meeting the pack is printed for, so the
    next one is the following planned review, else that meeting plus the review interval. With no
    review close at hand: the next planned review, else the date the contact cadence says is due.
    """
    rows = s.scalars(select(ScheduledContact.due_at).where(
        ScheduledContact.client_id == c.id, ScheduledContact.deleted.is_(False),
        ScheduledContact.status == "planned", ScheduledContact.due_at >= lb.day_start(today, ctx.tz),
        _review_like(ScheduledContact.contact_kind, ScheduledContact.purpose))
        .order_by(ScheduledContact.due_at).limit(5)).all()
    planned = sorted({lb.local_day(at, ctx.tz) for at in rows})
    meeting = planned[0] if planned and planned[0] <= today + timedelta(days=MEETING_DAYS) else None
    later = [d for d in planned if meeting is None or d > meeting]
    if later:
        return later[0]
    if meeting is not None:
        span = _review_interval(s, c)
        if span is None:
            return None
        months, days = span
        return add_months(meeting, months) if months else meeting + timedelta(days=days)
    cadence_due = s.scalar(select(ClientSummary.next_contact_due).where(ClientSummary.client_id == c.id))
    return cadence_due if cadence_due and cadence_due >= today else None


# --------------------------------------------------------------------------- complaints, feedback


def _complaint_subject(k: Complaint) -> str:
    words = [lb.humanise(str(x)) for x in (k.categories or []) + (k.products or []) if x]
    if words:
        return ", ".join(dict.fromkeys(w for w in words if w))
    text = " ".join(k.description.split())
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def _complaint_line(k: Complaint, ctx: ReportContext) -> rd.ComplaintLine:
    tz = ctx.tz
    nxt = None
    if k.state != "closed":
        if k.acknowledged_at is None and k.state == "received" and k.ack_due_at:
            nxt = lb.local_day(k.ack_due_at, tz)
        elif k.response_issued_at is None and k.final_due_at:
            nxt = lb.local_day(k.final_due_at, tz)
    return rd.ComplaintLine(k.reference, lb.local_day(k.received_at, tz), lb.complaint_state(k.state, k.outcome),
                            _complaint_subject(k), nxt, lb.outcome(k.outcome) if k.state == "closed" else None)


def _satisfaction(view: Client360, today: date, ctx: ReportContext) -> tuple[rd.SatisfactionPoint, ...]:
    since = add_months(today, -FEEDBACK_MONTHS)
    pts = []
    for at, score, comment in view.surveys:  # newest first, scores 1..5
        on = lb.local_day(at, ctx.tz)
        if score is None or on is None or on < since:
            continue
        pts.append(rd.SatisfactionPoint(on, float(score), 5, (comment or "").strip() or None))
    return tuple(reversed(pts))


# --------------------------------------------------------------------------- segment


def _segment_names(s: Session, changes: list[SegmentChange]) -> dict[str, str]:
    ids = {x for ch in changes for x in (ch.from_segment_id, ch.to_segment_id) if x}
    if not ids:
        return {}
    return dict(s.execute(select(Segment.id, Segment.name).where(Segment.id.in_(ids))).all())


_FREQUENCY_WORDS = {"daily", "weekly", "monthly", "quarterly", "annual", "annually", "yearly"}


def _every(months: int, days: int) -> str:
    if months:
        return {1: "every month", 3: "every quarter", 6: "every six months", 12: "every year"}.get(
            months, f"every {months} months")
    return "every day" if days <= 1 else f"every {days} days"


def _cadence_words(p: SegmentPolicy) -> str:
    """'quarterly_review' every 3 months -> 'A review every quarter'."""
    words = [w for w in (p.contact_kind or "contact").lower().split("_") if w not in _FREQUENCY_WORDS]
    kind = " ".join(words) if words and words != ["custom"] else "contact"
    via = f" ({lb.channel(p.channel).lower()})" if p.channel else ""
    return f"A {kind} {_every(p.interval_months, p.interval_days)}{via}"


def _segment(s: Session, c: Client, seg: Segment | None, changes: list[SegmentChange],
             names: dict[str, str], ctx: ReportContext) -> rd.SegmentStatus | None:
    if seg is None:
        return None
    last = next((ch for ch in reversed(changes) if ch.to_segment_id == seg.id), None)
    told = last.client_informed_on if last else None
    if told is None and c.segment_informed_on:
        changed_on = lb.local_day(last.changed_at, ctx.tz) if last else None
        if changed_on is None or c.segment_informed_on >= changed_on:
            told = c.segment_informed_on
    benefits: list[str] = []
    if seg.description:
        benefits.append(seg.description.strip())
    benefits += [_cadence_words(p) for p in s.scalars(
        select(SegmentPolicy).where(SegmentPolicy.segment_id == seg.id, SegmentPolicy.deleted.is_(False))
        .order_by(SegmentPolicy.interval_months, SegmentPolicy.interval_days))]
    if c.loyalty_tier:
        for prog in s.scalars(select(LoyaltyProgramme).join(
                LoyaltyEnrolment, LoyaltyEnrolment.programme_id == LoyaltyProgramme.id)
                .where(LoyaltyEnrolment.client_id == c.id, LoyaltyEnrolment.status == "active")):
            for tier in prog.tiers or []:
                if isinstance(tier, dict) and tier.get("name") == c.loyalty_tier:
                    got = tier.get("benefits") or []
                    benefits += [str(b) for b in (got if isinstance(got, list) else [got])]
    previous = names.get(last.from_segment_id) if last and last.from_segment_id else None
    return rd.SegmentStatus(seg.name, c.loyalty_tier, told, previous, tuple(dict.fromkeys(benefits)))


# --------------------------------------------------------------------------- changes


def _changes(view: Client360, win: _Window, holdings, then: dict[str, Decimal | None],
             closed: list[tuple[HoldingView, date]], complaints: list[Complaint],
             seg_changes: list[SegmentChange], seg_names: dict[str, str],
             ctx: ReportContext) -> rd.ChangeSinceLastReview:
    tz, cur = ctx.tz, ctx.currency
    dated: list[tuple[date, str]] = []
    for _, h in holdings:
        if win.after_since(h.opened_on):
            dated.append((h.opened_on, f"New: {h.product} ({lb.masked_account(h.account_masked)}) opened on "
                                       f"{fmt_date(h.opened_on)}."))
    for h, on in closed:
        dated.append((on, f"Closed: {h.product} ({lb.masked_account(h.account_masked)}) on {fmt_date(on)}."))
    for ch in seg_changes:
        on = lb.local_day(ch.changed_at, tz)
        if win.after_since(on):
            to = seg_names.get(ch.to_segment_id, "a new service level")
            frm = seg_names.get(ch.from_segment_id or "")
            text = f"Your service level changed from {frm} to {to}" if frm else f"Your service level became {to}"
            dated.append((on, f"{text} on {fmt_date(on)}."))
    for k in complaints:
        got = lb.local_day(k.received_at, tz)
        if win.after_since(got):
            state = lb.complaint_state(k.state, k.outcome).lower()
            dated.append((got, f"You raised a complaint ({_complaint_subject(k).lower()}) on {fmt_date(got)}; "
                               f"it is {state}."))
        done = lb.local_day(k.closed_at, tz)
        if k.state == "closed" and win.after_since(done) and not win.after_since(got):
            dated.append((done, f"Your complaint {k.reference} was resolved on {fmt_date(done)}."))
    dated.sort(key=lambda x: x[0])

    # balances: the net total then and now (base currency), then the largest single moves
    lines: list[str] = []
    now_total = sum((h.balance for _, h in holdings if h.currency == cur), Decimal(0))
    known_then = [v for hid, v in then.items() if v is not None and _currency(view, hid) == cur]
    if known_then:
        then_total = sum(known_then, Decimal(0))
        if then_total != now_total:
            verb = "rose" if now_total > then_total else "fell"
            pct = f" ({(now_total - then_total) / abs(then_total):+.0%})" if then_total else ""
            lines.append(f"Your net balance with us {verb} from {fmt_money(then_total, cur, 0)} to "
                         f"{fmt_money(now_total, cur, 0)}{pct}.")
    moves = []
    for _, h in holdings:
        before = then.get(h.id)
        if before is None or win.after_since(h.opened_on):
            continue
        delta = h.balance - before
        if abs(delta) >= MOVE_MIN and abs(delta) >= MOVE_SHARE * abs(before):
            moves.append((abs(delta), f"{h.product} ({lb.masked_account(h.account_masked)}): "
                                      f"{'up' if delta > 0 else 'down'} {fmt_money(abs(delta), h.currency, 0)} "
                                      f"to {fmt_money(h.balance, h.currency, 0)}."))
    lines += [text for _, text in sorted(moves, key=lambda m: -m[0])[:MAX_MOVES]]
    return rd.ChangeSinceLastReview(tuple(text for _, text in dated) + tuple(lines), win.last_review)


def _currency(view: Client360, holding_id: str) -> str | None:
    return next((h.currency for h in view.holdings if h.id == holding_id), None)


__all__ = ["build_review_pack", "last_review_on"]

