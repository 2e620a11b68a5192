"""Management views of complaints: the register (and its CSV), the UK-style return, root-cause trends
and recurrence flags. Periods are inclusive local dates, read in each case's own zone."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.business_days import end_of_nth_business_day_after, end_of_nth_calendar_day_after
from app.domain.complaints import CauseOccurrence, detect_recurrence, regime
from app.store.database import Database
from app.store.keys import write_private
from app.store.models import Client, Compensation, Complaint, ComplaintRootCause, RootCause

from ._common import calendar, check_period, local_day, setting, utc_bounds, within, zone
from .read import AGREED
from .views import ProductSummary, RecurrenceFlagView, RegisterRow, RootCauseTrend, TrendSeries, UkSummary

ZERO = Decimal("0.00")
UPHELD = ("upheld", "partly_upheld")
NO_PRODUCT = "(not recorded)"

# -- recurrence -------------------------------------------------------------------------------------------


def recurrence_for(s: Session, *, cause_ids: Sequence[str] | None = None, start: date | None = None,
                   end: date | None = None) -> list[RecurrenceFlagView]:
    """Runs of the same root cause on `org.recurrence_threshold` cases within `org.recurrence_window_days`."""
    threshold = int(setting(s, "org.recurrence_threshold"))
    window = int(setting(s, "org.recurrence_window_days"))
    stmt = (select(ComplaintRootCause.complaint_id, RootCause.code, RootCause.label, Complaint.reference,
                   Complaint.received_at, Complaint.received_tz)
            .join(RootCause, RootCause.id == ComplaintRootCause.root_cause_id)
            .join(Complaint, Complaint.id == ComplaintRootCause.complaint_id)
            .where(ComplaintRootCause.deleted.is_(False), Complaint.deleted.is_(False)))
    if cause_ids is not None:
        stmt = stmt.where(ComplaintRootCause.root_cause_id.in_(list(cause_ids)))
    occurrences, labels, refs = [], {}, {}
    for cid, code, label, ref, received, tz in s.execute(stmt):
        day = local_day(received, tz)
        if within(day, start, end):
            occurrences.append(CauseOccurrence(cid, code, day))
            labels[code], refs[cid] = label, ref
    flags = detect_recurrence(occurrences, threshold=threshold, window_days=window)
    views = [RecurrenceFlagView(f.cause_code, labels[f.cause_code], f.case_ids,
                                tuple(refs[c] for c in f.case_ids), f.first, f.last, f.peak, threshold, window)
             for f in flags]
    return sorted(views, key=lambda v: (v.last, v.peak), reverse=True)


def recurrence_flags(db: Database, start: date | None, end: date | None) -> list[RecurrenceFlagView]:
    check_period(start, end)
    with db.reading() as s:
        return recurrence_for(s, start=start, end=end)


def _months(start: date, end: date) -> tuple[date, ...]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def root_cause_trend(db: Database, start: date, end: date) -> RootCauseTrend:
    """How many cases each root cause was recorded on, per month of receipt."""
    check_period(start, end)
    lo, hi = utc_bounds(start, end)
    months = _months(start, end)
    counts: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, str] = {}
    with db.reading() as s:
        for code, label, received, tz in s.execute(
                select(RootCause.code, RootCause.label, Complaint.received_at, Complaint.received_tz)
                .join(ComplaintRootCause, ComplaintRootCause.root_cause_id == RootCause.id)
                .join(Complaint, Complaint.id == ComplaintRootCause.complaint_id)
                .where(ComplaintRootCause.deleted.is_(False), Complaint.deleted.is_(False),
                       Complaint.received_at >= lo, Complaint.received_at < hi)):
            day = local_day(received, tz)
            if within(day, start, end):
                counts[code][date(day.year, day.month, 1)] += 1
                labels[code] = label
    series = [TrendSeries(code, labels[code], tuple(c[m] for m in months)) for code, c in counts.items()]
    series.sort(key=lambda t: (-t.total, t.label))
    return RootCauseTrend(start, end, months, tuple(series))


# -- the register ------------------------------------------------------------------------------------------


def _agreed_totals(s: Session) -> dict[str, Decimal]:
    return {cid: total for cid, total in s.execute(
        select(Compensation.complaint_id, func.sum(Compensation.amount))
        .where(Compensation.status.in_(AGREED), Compensation.deleted.is_(False))
        .group_by(Compensation.complaint_id))}


def register_rows(db: Database, start: date | None, end: date | None) -> list[RegisterRow]:
    """One row per complaint received in the period (all time when open-ended), oldest first."""
    check_period(start, end)
    lo, hi = utc_bounds(start, end)
    k = Complaint
    stmt = (select(k.id, k.reference, Client.kind, k.channel, k.complaint_type, k.products, k.categories,
                   k.received_at, k.received_tz, k.acknowledged_at, k.closed_at, k.ack_due_at, k.final_due_at,
                   k.state, k.outcome, k.regime, k.region)
            .join(Client, Client.id == k.client_id).where(k.deleted.is_(False))
            .order_by(k.received_at, k.reference))
    if lo is not None:
        stmt = stmt.where(k.received_at >= lo)
    if hi is not None:
        stmt = stmt.where(k.received_at < hi)
    with db.reading() as s:
        currency = setting(s, "org.currency")
        totals = _agreed_totals(s)
        causes: dict[str, list[str]] = defaultdict(list)
        for cid, code in s.execute(select(ComplaintRootCause.complaint_id, RootCause.code)
                                   .join(RootCause, RootCause.id == ComplaintRootCause.root_cause_id)
                                   .where(ComplaintRootCause.deleted.is_(False))
                                   .order_by(ComplaintRootCause.created_at)):
            causes[cid].append(code)
        rows = s.execute(stmt).all()
    out = []
    for r in rows:
        tz = zone(r.received_tz)
        received = r.received_at.astimezone(tz)
        if not within(received.date(), start, end):
            continue
        closed = r.closed_at.astimezone(tz) if r.closed_at else None
        out.append(RegisterRow(
            r.id, r.reference, r.kind, r.channel, r.complaint_type, tuple(r.products or ()),
            tuple(r.categories or ()), tuple(causes.get(r.id, ())), received,
            r.acknowledged_at.astimezone(tz) if r.acknowledged_at else None, closed,
            r.ack_due_at.astimezone(tz) if r.ack_due_at else None,
            r.final_due_at.astimezone(tz) if r.final_due_at else None,
            (closed.date() - received.date()).days if closed else None, r.state, r.outcome,
            totals.get(r.id, ZERO), currency, r.regime, r.region))
    return out


REGISTER_COLUMNS = ("complaint_id", "reference", "client_type", "channel", "complaint_type", "products", "issues",
                    "root_causes", "received", "acknowledged", "closed", "acknowledgement_due",
                    "final_response_due", "days_to_close", "state", "outcome", "compensation", "currency",
                    "regime", "region")


def _safe(value: str) -> str:
    """Neutralise spreadsheet formula injection in free text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _join(items: Iterable[str]) -> str:
    return _safe("; ".join(items))


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def register_csv(rows: Sequence[RegisterRow]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(REGISTER_COLUMNS)
    for r in rows:
        w.writerow([r.complaint_id, r.reference, r.client_type, r.channel, r.complaint_type, _join(r.products),
                    _join(r.issues), _join(r.root_causes), _iso(r.received_at), _iso(r.acknowledged_at),
                    _iso(r.closed_at), _iso(r.ack_due_at), _iso(r.final_due_at),
                    "" if r.days_to_close is None else r.days_to_close, r.state, r.outcome or "",
                    f"{r.compensation_total:.2f}", r.currency, r.regime, r.region])
    return out.getvalue()


def write_register(db: Database, actor: str, path: Path, start: date | None, end: date | None) -> int:
    """Write the register as CSV atomically (owner-only permissions), audit the export, return the row count."""
    rows = register_rows(db, start, end)
    write_private(path, register_csv(rows).encode("utf-8-sig"))  # BOM: Excel reads UTF-8 correctly
    with db.unit(actor) as uow:
        uow.record("export", "complaints", detail=f"register {path.name}: {start or '…'} to {end or '…'}, "
                                                  f"{len(rows)} rows")
    return len(rows)


# -- the UK-style summary ----------------------------------------------------------------------------------


def uk_summary(db: Database, start: date, end: date) -> UkSummary:
    """Received and closed in the period; closures by time taken; upheld share; redress; by product."""
    check_period(start, end)
    lo, hi = utc_bounds(start, end)
    k = Complaint
    with db.reading() as s:
        currency = setting(s, "org.currency")
        rows = s.execute(
            select(k.id, k.products, k.received_at, k.received_tz, k.region, k.regime, k.state, k.outcome,
                   k.closed_at)
            .where(k.deleted.is_(False),
                   or_(and_(k.received_at >= lo, k.received_at < hi),
                       and_(k.closed_at.is_not(None), k.closed_at >= lo, k.closed_at < hi)))).all()
        money: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        for cid, status, total in s.execute(
                select(Compensation.complaint_id, Compensation.status, func.sum(Compensation.amount))
                .where(Compensation.complaint_id.in_([r.id for r in rows] or [""]),
                       Compensation.deleted.is_(False), Compensation.status.in_(AGREED))
                .group_by(Compensation.complaint_id, Compensation.status)):
            money[cid][status] += total
    received = closed = fast = eight = late = 0
    outcomes: Counter = Counter()
    paid = agreed = ZERO
    products: dict[str, dict[str, object]] = defaultdict(lambda: {"received": 0, "closed": 0, "upheld": 0,
                                                                  "paid": ZERO})
    for r in rows:
        names = list(r.products or ()) or [NO_PRODUCT]
        if within(local_day(r.received_at, r.received_tz), start, end):
            received += 1
            for p in names:
                products[p]["received"] += 1
        if r.state != "closed" or r.closed_at is None or not within(local_day(r.closed_at, r.received_tz),
                                                                      start, end):
            continue
        closed += 1
        tz = zone(r.received_tz)
        three = end_of_nth_business_day_after(r.received_at, 3, tz, calendar(r.region),
                                              roll_after=regime(r.regime).roll_receipt_after)
        if r.closed_at <= three:
            fast += 1
        elif r.closed_at <= end_of_nth_calendar_day_after(r.received_at, 56, tz):
            eight += 1
        else:
            late += 1
        outcomes[r.outcome] += 1
        case_paid = money[r.id]["paid"]
        paid += case_paid
        agreed += case_paid + money[r.id]["approved"]
        for p in names:
            products[p]["closed"] += 1
            products[p]["upheld"] += r.outcome in UPHELD
            products[p]["paid"] += case_paid
    by_product = tuple(sorted(
        (ProductSummary(p, v["received"], v["closed"], v["upheld"], v["paid"]) for p, v in products.items()),
        key=lambda ps: (-ps.received, -ps.closed, ps.product == NO_PRODUCT, ps.product)))
    return UkSummary(start, end, received, closed, fast, eight, late,
                     outcomes["upheld"] + outcomes["partly_upheld"], outcomes["partly_upheld"],
                     outcomes["not_upheld"], outcomes["withdrawn"], paid, agreed, currency, by_product)
