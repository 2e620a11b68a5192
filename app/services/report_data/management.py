"""Management reports as plain data (``app.reports.data``): portfolio against targets, exceptions,
complaints and client feedback.

Portfolio-wide sums come from the ``client_summary`` read model (one row per client), never from
re-aggregating holdings or interactions; the only scans of the large history tables are bounded by
the report period (contacts made, reviews done) and run once per report.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from statistics import fmean

from sqlalchemy import and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session

from app.domain.cadence import add_months
from app.domain.complaints.deadlines import ClockState
from app.reports import data as rd
from app.reports.document import fmt_date
from app.services.complaints.read import open_summaries
from app.store.models import (
    Client,
    ClientEmail,
    ClientPhone,
    ClientSummary,
    Complaint,
    Holding,
    Interaction,
    Product,
    ScheduledContact,
    Segment,
    SegmentChange,
    SurveyResponse,
    Target,
    Task,
    Team,
    User,
)

from . import labels as lb
from .context import ReportContext

MEASURES = {
    "aum": "Assets under management",
    "revenue": "Revenue (last 12 months)",
    "new_clients": "New clients",
    "contacts": "Contacts made",
}
PLANNED_HELD = "Planned contacts held"
EXCEPTION_LIMIT = 250  # rows per kind of exception, most urgent first
OPEN_CASES_LIMIT = 300
COMPLAINT_GROUPS = ("category", "product", "state")
COMMENTS_LIMIT = 40
STALE_MONTHS = 12


@dataclass(frozen=True)
class Scope:
    """Whose clients a report covers: everyone in the profile, or the books of some users."""

    owners: tuple[str, ...] | None = None  # user ids; None: every client
    label: str = "All clients"

    def clients(self, col):
        return col.in_(self.owners) if self.owners is not None else true()


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{fmt_date(self.start)} – {fmt_date(self.end)}"

    @classmethod
    def last_12_months(cls, today: date) -> Period:
        """Twelve calendar months: the current one (to date) and the eleven before it."""
        return cls(add_months(today.replace(day=1), -11), today)


def _utc(day: date, ctx: ReportContext) -> datetime:
    return lb.day_start(day, ctx.tz)


def _names(s: Session, user_ids) -> dict[str, str]:
    ids = {u for u in user_ids if u}
    if not ids:
        return {}
    return dict(s.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def _count_by(s: Session, stmt) -> dict[str | None, int]:
    return {k: int(n) for k, n in s.execute(stmt).all()}


# --------------------------------------------------------------------------- staff activity


def _contacts_by_user(s: Session, start: datetime, stop: datetime) -> dict[str | None, tuple[int, int]]:
    """(contacts, reviews) per user in [start, stop): by who logged them, else by the client's owner
    (key None: nobody). One pass over the interaction log, cached for the session (one report)."""
    cache = s.info.setdefault("rmdesk_contacts_by_user", {})
    if (start, stop) in cache:
        return cache[(start, stop)]
    review = or_(func.lower(Interaction.purpose).like("%review%"), func.lower(Interaction.subject).like("%review%"))
    unlogged = case((Interaction.user_id.is_(None), Interaction.client_id), else_=None)
    rows = s.execute(
        select(Interaction.user_id, unlogged, func.count(), func.coalesce(func.sum(case((review, 1), else_=0)), 0))
        .where(Interaction.deleted.is_(False), Interaction.occurred_at >= start, Interaction.occurred_at < stop)
        .group_by(Interaction.user_id, unlogged)).all()
    orphans = {cid for uid, cid, _, _ in rows if uid is None and cid}
    owner_of: dict[str, str | None] = {}
    ids = list(orphans)
    for i in range(0, len(ids), 900):
        owner_of.update(s.execute(select(Client.id, Client.owner_id).where(Client.id.in_(ids[i:i + 900]))).all())
    out: dict[str | None, tuple[int, int]] = {}
    for uid, cid, n, reviews in rows:
        who = uid if uid is not None else owner_of.get(cid)
        a, b = out.get(who, (0, 0))
        out[who] = (a + int(n), b + int(reviews))
    cache[(start, stop)] = out
    return out


def _in(owners: tuple[str, ...] | None, key: str | None) -> bool:
    return owners is None or key in owners


@dataclass
class _Staff:
    planned: int = 0
    held: int = 0
    contacts: int = 0
    reviews: int = 0
    complaints: int = 0
    open_actions: int = 0


def _staff(s: Session, ctx: ReportContext, period: Period, today: date, scope: Scope) -> dict[str, _Staff]:
    """Per user: contacts planned in the period (to date) and how many of them were held, contacts made,
    reviews done, complaints closed, open tasks."""
    start, stop = _utc(period.start, ctx), _utc(min(period.end, today) + timedelta(days=1), ctx)
    out: dict[str, _Staff] = defaultdict(_Staff)
    who_plans = func.coalesce(ScheduledContact.owner_id, Client.owner_id)
    held = or_(ScheduledContact.status == "done", ScheduledContact.interaction_id.is_not(None))
    for uid, planned, n_held in s.execute(
            select(who_plans, func.count(), func.coalesce(func.sum(case((held, 1), else_=0)), 0))
            .join(Client, Client.id == ScheduledContact.client_id)
            .where(ScheduledContact.deleted.is_(False), ScheduledContact.status != "cancelled",
                   ScheduledContact.due_at >= start, ScheduledContact.due_at < stop, scope.clients(who_plans))
            .group_by(who_plans)):
        if uid:
            out[uid].planned, out[uid].held = int(planned), int(n_held)
    for uid, (n, reviews) in _contacts_by_user(s, start, stop).items():
        if uid is not None and _in(scope.owners, uid):
            out[uid].contacts, out[uid].reviews = n, reviews
    who_handles = func.coalesce(Complaint.owner_id, Client.owner_id)
    for uid, n in s.execute(
            select(who_handles, func.count()).join(Client, Client.id == Complaint.client_id)
            .where(Complaint.deleted.is_(False), Complaint.state == "closed", Complaint.closed_at >= start,
                   Complaint.closed_at < stop, scope.clients(who_handles))
            .group_by(who_handles)):
        if uid:
            out[uid].complaints = int(n)
    for uid, n in s.execute(
            select(Task.owner_id, func.count()).where(Task.deleted.is_(False), Task.status == "open",
                                                      Task.owner_id.is_not(None), scope.clients(Task.owner_id))
            .group_by(Task.owner_id)):
        if uid in out:  # open tasks alone do not make someone active in the period
            out[uid].open_actions = int(n)
    return out


def staff_rows(s: Session, staff: dict[str, _Staff]) -> tuple[rd.StaffActivityRow, ...]:
    names = _names(s, staff)
    rows = [rd.StaffActivityRow(names.get(uid, "Former colleague"), st.planned, st.held, st.reviews,
                                st.complaints, st.open_actions)
            for uid, st in staff.items() if st.planned or st.contacts or st.complaints]
    return tuple(sorted(rows, key=lambda r: r.staff_name.casefold()))


# --------------------------------------------------------------------------- portfolio


def _members(s: Session, t: Target) -> tuple[str, tuple[str, ...] | None]:
    """(label, owner ids) a target is measured over: one user, a team, or the whole book."""
    if t.user_id:
        u = s.get(User, t.user_id)
        return (u.display_name if u else "Former colleague"), (t.user_id,)
    if t.team_id:
        team = s.get(Team, t.team_id)
        ids = tuple(s.scalars(select(User.id).where(User.team_id == t.team_id)))
        return (f"Team {team.name}" if team else "Team"), ids
    return "Whole book", None


class _Actuals:
    """Each measure aggregated once per owner (and per target period), then summed per target."""

    def __init__(self, s: Session, ctx: ReportContext, today: date) -> None:
        self.s, self.ctx, self.today = s, ctx, today
        self._by: dict[tuple, dict[str | None, Decimal]] = {}

    def _per_owner(self, key: tuple, stmt) -> dict[str | None, Decimal]:
        if key not in self._by:
            self._by[key] = {k: Decimal(v or 0) for k, v in self.s.execute(stmt).all()}
        return self._by[key]

    def of(self, t: Target, owners: tuple[str, ...] | None) -> Decimal | None:
        stop = min(t.period_end, self.today)
        if t.metric == "aum":
            # assets only: client_summary.aum nets lending and cards off, which is not what an AUM target means
            by = self._per_owner(("aum",), select(Client.owner_id, func.coalesce(func.sum(Holding.balance), 0))
                                 .join(Client, Client.id == Holding.client_id)
                                 .where(Holding.status == "open", Holding.deleted.is_(False), Holding.balance > 0,
                                        Client.deleted.is_(False), Client.status != "closed")
                                 .group_by(Client.owner_id))
        elif t.metric == "revenue":
            by = self._per_owner(("revenue",), select(ClientSummary.owner_id,
                                                      func.coalesce(func.sum(ClientSummary.revenue_12m), 0))
                                 .where(ClientSummary.status != "closed").group_by(ClientSummary.owner_id))
        elif t.metric == "new_clients":
            by = self._per_owner(("new", t.period_start, stop), select(Client.owner_id, func.count())
                                 .where(Client.deleted.is_(False), Client.onboarded_on >= t.period_start,
                                        Client.onboarded_on <= stop).group_by(Client.owner_id))
        elif t.metric == "contacts":
            made = _contacts_by_user(self.s, _utc(t.period_start, self.ctx), _utc(stop + timedelta(days=1), self.ctx))
            by = {k: Decimal(n) for k, (n, _) in made.items()}
        else:
            return None  # a metric nothing measures yet is left out rather than shown as zero
        return sum((v for k, v in by.items() if _in(owners, k)), Decimal(0))


def _targets(s: Session, ctx: ReportContext, today: date, scope: Scope,
             staff: dict[str, _Staff]) -> tuple[rd.TargetRow, ...]:
    q = select(Target).where(Target.deleted.is_(False), Target.period_start <= today, Target.period_end >= today)
    if scope.owners is not None:
        q = q.where(Target.user_id.in_(scope.owners))
    order = list(MEASURES)
    rows: list[tuple[int, str, rd.TargetRow]] = []
    actuals = _Actuals(s, ctx, today)
    for t in s.scalars(q):
        label, owners = _members(s, t)
        actual = actuals.of(t, owners)
        if actual is None:
            continue
        money = t.metric in ("aum", "revenue")
        rows.append((order.index(t.metric), label.casefold(),
                     rd.TargetRow(label, MEASURES[t.metric], t.value, actual, ctx.currency if money else "")))
    names = _names(s, staff)
    for uid, st in staff.items():
        if st.planned:
            label = names.get(uid, "Former colleague")
            rows.append((len(order), label.casefold(),
                         rd.TargetRow(label, PLANNED_HELD, Decimal(st.planned), Decimal(st.held))))
    return tuple(r for _, _, r in sorted(rows, key=lambda x: (x[0], x[1])))


def product_demand(s: Session, period: Period, scope: Scope) -> tuple[rd.ProductDemandRow, ...]:
    """New holdings opened in the period, by the client's segment and the product's category."""
    seg_name = func.coalesce(Segment.name, "No segment")
    rows = s.execute(
        select(seg_name, func.max(func.coalesce(Segment.rank, -1)), Product.category, func.count())
        .select_from(Holding)
        .join(Product, Product.id == Holding.product_id)
        .join(Client, Client.id == Holding.client_id)
        .outerjoin(Segment, Segment.id == Client.segment_id)
        .where(Holding.deleted.is_(False), Holding.opened_on >= period.start, Holding.opened_on <= period.end,
               scope.clients(Client.owner_id))
        .group_by(seg_name, Product.category)).all()
    rank = {seg: r for seg, r, _, _ in rows}
    totals: Counter[str] = Counter()
    for _, _, cat, n in rows:
        totals[lb.category(cat)] += n
    cats = [c for c, _ in totals.most_common()]
    out = [rd.ProductDemandRow(seg, lb.category(cat), int(n)) for seg, _, cat, n in rows]
    return tuple(sorted(out, key=lambda r: (-rank[r.segment], r.segment, cats.index(r.product))))


def target_period(s: Session, today: date, scope: Scope) -> Period | None:
    """From the start of the earliest target running today to today: the period targets are measured in."""
    q = select(func.min(Target.period_start)).where(
        Target.deleted.is_(False), Target.period_start <= today, Target.period_end >= today)
    if scope.owners is not None:
        q = q.where(Target.user_id.in_(scope.owners))
    start = s.scalar(q)
    return Period(start, today) if start else None


def portfolio(s: Session, ctx: ReportContext, today: date, period: Period | None,
              scope: Scope) -> rd.PortfolioReportData:
    period = period or target_period(s, today, scope) or Period.last_12_months(today)
    staff = _staff(s, ctx, period, today, scope)
    return rd.PortfolioReportData(
        header=rd.ReportHeader("Portfolio against targets", period.label, today, ctx.prepared_by, scope.label),
        targets=_targets(s, ctx, today, scope, staff),
        product_demand=product_demand(s, period, scope),
        staff_activity=staff_rows(s, staff),
    )


# --------------------------------------------------------------------------- exceptions


@dataclass
class _Kind:
    rows: list[tuple[tuple, rd.ExceptionRow]] = field(default_factory=list)
    total: int = 0  # how many there are, when only the most urgent rows were read


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Case-, accent- and spacing-blind form of a name, for spotting duplicates."""
    if text.isascii():  # most names: no accents to strip
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


def exceptions(s: Session, ctx: ReportContext, today: date, scope: Scope,
               limit: int = EXCEPTION_LIMIT) -> rd.ExceptionsReportData:
    now = datetime.now(UTC)
    kinds: dict[str, _Kind] = defaultdict(_Kind)
    owners: dict[str | None, str] = {}

    def owner(uid: str | None) -> str:
        return owners.get(uid, "") if uid else "Unassigned"

    def most_urgent(kind: str, stmt) -> list:
        """The ``limit`` most urgent rows (``stmt`` is ordered), and the total noted for the header."""
        kinds[kind].total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        return s.execute(stmt.limit(limit)).all()

    # overdue contacts, from the read model's cadence status
    overdue = most_urgent("Contact overdue", select(
        ClientSummary.client_id, ClientSummary.display_name, ClientSummary.owner_id,
        ClientSummary.last_contact_at, ClientSummary.next_contact_due)
        .where(ClientSummary.contact_level == 2, ClientSummary.status != "closed",
               scope.clients(ClientSummary.owner_id))
        .order_by(ClientSummary.next_contact_due, ClientSummary.sort_name))
    # complaint clocks at risk or breached: the complaint service's live clocks (regime, business days,
    # extensions), so this report and the complaints register never disagree
    cases = open_summaries(s, now)
    case_owner = dict(s.execute(select(Client.id, Client.owner_id).where(
        Client.id.in_({c.client_id for c in cases}))).all()) if cases else {}
    open_cases = [(c, c.owner_id or case_owner.get(c.client_id)) for c in cases
                  if c.clock.state in (ClockState.BREACHED, ClockState.WARNING) and c.clock.next_deadline
                  and (scope.owners is None or (c.owner_id or case_owner.get(c.client_id)) in scope.owners)]
    # data quality
    base = [Client.deleted.is_(False), Client.status != "closed", scope.clients(Client.owner_id)]
    has_email = exists().where(and_(ClientEmail.client_id == Client.id, ClientEmail.deleted.is_(False)))
    has_phone = exists().where(and_(ClientPhone.client_id == Client.id, ClientPhone.deleted.is_(False)))
    # read whole (one pass over the clients): counting them apart would cost a second pass
    missing = s.execute(select(Client.display_name, Client.owner_id, has_email, has_phone)
                        .where(*base, or_(~has_email, ~has_phone))).all()
    stale_before = add_months(today, -STALE_MONTHS)
    stale = most_urgent("Details not verified", select(
        ClientSummary.display_name, ClientSummary.owner_id, ClientSummary.data_verified_on)
        .where(ClientSummary.status != "closed", scope.clients(ClientSummary.owner_id),
               or_(ClientSummary.data_verified_on.is_(None), ClientSummary.data_verified_on < stale_before))
        .order_by(ClientSummary.data_verified_on.is_not(None), ClientSummary.data_verified_on,
                  ClientSummary.sort_name))
    # func.date(): the birth date as its stored text, so 100,000 rows need no date parsing to be grouped
    people = s.execute(select(Client.display_name, func.date(Client.date_of_birth), Client.owner_id)
                       .where(*base, Client.date_of_birth.is_not(None))).all()
    latest_change = (select(SegmentChange.client_id, func.max(SegmentChange.changed_at).label("at"))
                     .group_by(SegmentChange.client_id).subquery())
    untold = most_urgent("Segment change not told", select(
        Client.display_name, Client.owner_id, Segment.name, SegmentChange.changed_at)
        .join(latest_change, latest_change.c.client_id == Client.id)
        .join(SegmentChange, and_(SegmentChange.client_id == Client.id,
                                  SegmentChange.changed_at == latest_change.c.at))
        .join(Segment, Segment.id == SegmentChange.to_segment_id)
        .where(*base, SegmentChange.client_informed_on.is_(None),
               SegmentChange.changed_at < _utc(today - timedelta(days=14), ctx),
               or_(Client.segment_informed_on.is_(None),
                   Client.segment_informed_on < func.date(SegmentChange.changed_at)))
        .order_by(SegmentChange.changed_at, Client.display_name))

    owners.update(_names(s, {r.owner_id for r in overdue} | {uid for _, uid in open_cases}
                         | {r.owner_id for r in missing} | {r.owner_id for r in stale}
                         | {r[2] for r in people} | {r.owner_id for r in untold}))

    booked: dict[str, datetime] = {}
    overdue_ids = [r.client_id for r in overdue]
    for i in range(0, len(overdue_ids), 900):
        booked.update(s.execute(
            select(ScheduledContact.client_id, func.min(ScheduledContact.due_at))
            .where(ScheduledContact.client_id.in_(overdue_ids[i:i + 900]), ScheduledContact.deleted.is_(False),
                   ScheduledContact.status == "planned", ScheduledContact.due_at >= now)
            .group_by(ScheduledContact.client_id)).all())
    for cid, name, uid, last, due in overdue:
        days = (today - due).days if due else 0
        detail = (f"Last contact {fmt_date(lb.local_day(last, ctx.tz))}" if last else "No contact on record")
        if cid in booked:
            nxt = booked[cid]
            nxt = datetime.fromisoformat(nxt) if isinstance(nxt, str) else nxt
            detail += f"; next contact booked for {fmt_date(lb.local_day(nxt, ctx.tz))}"
        kinds["Contact overdue"].rows.append(((due or date.min,), rd.ExceptionRow(
            name, "Contact overdue", detail, due, owner(uid), "High" if days > 90 else "Medium")))

    for c, uid in open_cases:
        deadline = c.clock.next_deadline
        what, due_day = deadline.clock.label.lower(), lb.local_day(deadline.due, ctx.tz)
        received = lb.local_day(c.received_at, ctx.tz)
        if c.clock.state is ClockState.BREACHED:
            late = (now - deadline.due).days
            kinds["Complaint deadline breached"].rows.append(((deadline.due,), rd.ExceptionRow(
                c.client_name, "Complaint deadline breached",
                f"{c.reference}: {what} was due {fmt_date(due_day)}"
                + (f" ({late} day{'s' if late != 1 else ''} late)" if late else ""),
                received, owner(uid), "High")))
        else:
            left = max((deadline.due - now).days, 0)
            left_words = "due today" if left == 0 else f"{left} day{'s' if left != 1 else ''} left"
            kinds["Complaint deadline at risk"].rows.append(((deadline.due,), rd.ExceptionRow(
                c.client_name, "Complaint deadline at risk",
                f"{c.reference}: {what} due {fmt_date(due_day)} ({left_words})",
                received, owner(uid), "High" if left <= 2 else "Medium")))

    for name, uid, email, phone in missing:
        what = ("No e-mail address and no phone number" if not (email or phone)
                else "No e-mail address" if not email else "No phone number")
        kinds["Missing contact details"].rows.append(((email or phone, name.casefold()), rd.ExceptionRow(
            name, "Missing contact details", what, None, owner(uid),
            "Medium" if not (email or phone) else "Low")))

    for name, uid, verified in stale:
        if verified is None:
            detail, severity = "Details never verified", "Medium"
        else:
            detail = f"Details last verified {fmt_date(verified)}"
            severity = "Medium" if verified < add_months(today, -2 * STALE_MONTHS) else "Low"
        kinds["Details not verified"].rows.append(((verified or date.min,), rd.ExceptionRow(
            name, "Details not verified", detail, verified, owner(uid), severity)))

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for name, dob, uid in people:
        groups[(_fold(name), dob)].append((name, uid))
    for (_, _dob), members in groups.items():
        if len(members) < 2:
            continue
        who = sorted({owner(uid) for _, uid in members})
        kinds["Suspected duplicate"].rows.append(((members[0][0].casefold(),), rd.ExceptionRow(
            members[0][0], "Suspected duplicate",
            f"{len(members)} records with the same name and date of birth", None, ", ".join(who), "Medium")))

    for name, uid, seg_name, changed_at in untold:
        changed = lb.local_day(changed_at, ctx.tz)
        kinds["Segment change not told"].rows.append(((changed,), rd.ExceptionRow(
            name, "Segment change not told", f"Moved to {seg_name} on {fmt_date(changed)}; client not yet told",
            changed, owner(uid), "Medium" if (today - changed).days > 60 else "Low")))

    rows: list[rd.ExceptionRow] = []
    cut: list[str] = []
    for kind, k in kinds.items():
        ordered = [r for _, r in sorted(k.rows, key=lambda x: x[0])]
        total = max(k.total, len(ordered))
        if total > limit:
            cut.append(f"{kind.lower()}: {limit:,} of {total:,} shown")
        rows += ordered[:limit]
    scope_label = scope.label + (f" · most urgent first ({'; '.join(cut)})" if cut else "")
    return rd.ExceptionsReportData(
        header=rd.ReportHeader("Exceptions", f"As at {fmt_date(today)}", today, ctx.prepared_by, scope_label),
        exceptions=tuple(rows),
    )


# --------------------------------------------------------------------------- complaints


def _first(values, fallback: str) -> str:
    for v in values or []:
        if v:
            return lb.humanise(str(v)) or fallback
    return fallback


def complaints(s: Session, ctx: ReportContext, today: date, period: Period, scope: Scope,
               group_by: str = "category") -> rd.ComplaintsReportData:
    if group_by not in COMPLAINT_GROUPS:
        raise ValueError(f"Group complaints by one of: {', '.join(COMPLAINT_GROUPS)}.")
    now = datetime.now(UTC)
    received = s.scalars(
        select(Complaint).join(Client, Client.id == Complaint.client_id)
        .where(Complaint.deleted.is_(False), Complaint.received_at >= _utc(period.start, ctx),
               Complaint.received_at < _utc(period.end + timedelta(days=1), ctx), scope.clients(Client.owner_id))).all()
    groups: dict[str, list[Complaint]] = defaultdict(list)
    for k in received:
        if group_by == "category":
            key = _first(k.categories, "Uncategorised")
        elif group_by == "product":
            key = _first(k.products, "No product")
        else:
            key = lb.complaint_state(k.state, k.outcome)
        groups[key].append(k)
    summary = []
    for key, ks in groups.items():
        closed = [k for k in ks if k.state == "closed"]

        def late(k: Complaint) -> bool:
            if not k.final_due_at:
                return False
            answered = k.response_issued_at or k.closed_at
            return (answered or now) > k.final_due_at

        days = [(k.closed_at - k.received_at).total_seconds() / 86400 for k in closed if k.closed_at]
        summary.append(rd.ComplaintSummaryRow(
            key, len(ks), len(closed), len(ks) - len(closed), sum(1 for k in ks if late(k)),
            sum(1 for k in closed if k.outcome in ("upheld", "partly_upheld")),
            round(fmean(days), 1) if days else None))
    summary.sort(key=lambda r: (-r.received, r.category))

    open_rows = s.execute(
        select(Complaint).join(Client, Client.id == Complaint.client_id)
        .where(Complaint.deleted.is_(False), Complaint.state != "closed", scope.clients(Client.owner_id))
        .order_by(Complaint.final_due_at.is_(None), Complaint.final_due_at).limit(OPEN_CASES_LIMIT + 1)
    ).scalars().all()
    from .review import _complaint_line

    cases = tuple(_complaint_line(k, ctx) for k in open_rows[:OPEN_CASES_LIMIT])
    scope_label = scope.label
    if len(open_rows) > OPEN_CASES_LIMIT:
        scope_label += f" · the {OPEN_CASES_LIMIT} open cases nearest their deadline are listed"
    return rd.ComplaintsReportData(
        header=rd.ReportHeader(f"Complaints by {group_by}", period.label, today, ctx.prepared_by, scope_label),
        summary=tuple(summary),
        open_cases=cases,
        staff_activity=None,  # complaints closed per person are in the portfolio report's staff activity
    )


# --------------------------------------------------------------------------- feedback


def feedback(s: Session, ctx: ReportContext, today: date, period: Period, scope: Scope) -> rd.FeedbackReportData:
    rows = s.execute(
        select(SurveyResponse.responded_at, SurveyResponse.score, SurveyResponse.nps, SurveyResponse.comment)
        .join(Client, Client.id == SurveyResponse.client_id)
        .where(SurveyResponse.deleted.is_(False), SurveyResponse.responded_at >= _utc(period.start, ctx),
               SurveyResponse.responded_at < _utc(period.end + timedelta(days=1), ctx),
               scope.clients(Client.owner_id))
        .order_by(SurveyResponse.responded_at)).all()
    months: dict[date, list] = defaultdict(list)
    comments: list[rd.SatisfactionPoint] = []
    for at, score, nps, comment in rows:
        on = lb.local_day(at, ctx.tz)
        if score is not None:
            months[on.replace(day=1)].append((score, nps))
        text = (comment or "").strip()
        if text and (score is not None or nps is not None):
            comments.append(rd.SatisfactionPoint(on, float(score if score is not None else nps), 5 if score is not None
                                                 else 10, text))
    trend = []
    for month in sorted(months):
        answers = months[month]
        all_nps = all(n is not None for _, n in answers)
        trend.append(rd.FeedbackTrendRow(
            month, len(answers), round(fmean(sc for sc, _ in answers), 2), 5,
            sum(1 for _, n in answers if n is not None and n >= 9) if all_nps else None,
            sum(1 for _, n in answers if n is not None and n <= 6) if all_nps else None))
    return rd.FeedbackReportData(
        header=rd.ReportHeader("Client feedback", period.label, today, ctx.prepared_by, scope.label),
        trend=tuple(trend),
        comments=tuple(comments[-COMMENTS_LIMIT:]),
        product_demand=None,
    )


def resolve_scope(s: Session, rm: str | None) -> Scope:
    """``rm`` is a user id or username; None covers every client in the profile."""
    if not rm:
        return Scope()
    u = s.scalar(select(User).where(or_(User.id == rm, User.username == rm)))
    if u is None:
        raise LookupError(f"There is no user {rm!r} in this profile.")
    return Scope((u.id,), f"Book of {u.display_name}")


__all__ = ["Period", "Scope", "complaints", "exceptions", "feedback", "portfolio", "product_demand",
           "resolve_scope", "staff_rows"]
