"""Report data: planned vs actual contacts per segment or per RM over a window, and the overdue list,
as plain dataclasses for the PDF reports.

"Planned" is a contact in the diary (scheduled, not cancelled) dated in the window; "actual" is a real
contact (an interaction) in the window. Both are counted on the branch's local calendar. A client's
current segment is used for both, and an RM is the contact's owner (else the client's owner).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain, repeat
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from app.domain import cadence as cad
from app.store.models import Client, Interaction, ScheduledContact, Segment, User

from ._base import check_year, day_bounds, zone
from .agenda import AgendaMixin, OverdueItem

GROUPINGS = ("segment", "rm")
NO_SEGMENT = "No segment"
UNASSIGNED = "Unassigned"


@dataclass(frozen=True)
class ContactSeries:
    key: str | None  # segment code or user id; None for clients without one
    label: str
    periods: tuple[cad.PeriodCount, ...]
    planned: int
    actual: int

    @property
    def met_ratio(self) -> float | None:
        return self.actual / self.planned if self.planned else None


@dataclass(frozen=True)
class PlannedVsActual:
    start: date
    end: date
    period: str  # week, month, quarter, year
    by: str  # segment or rm
    series: tuple[ContactSeries, ...]
    total: ContactSeries


@dataclass(frozen=True)
class OverdueReport:
    as_of: date
    items: tuple[OverdueItem, ...]
    counts: dict[str, int]


def _bucket(column):
    """A quarter-hour bucket of a stored UTC time: every time zone offset is a multiple of 15 minutes,
    so each bucket falls on one local date, and a year of contacts is at most 35,040 rows per group."""
    quarter = cast(func.strftime("%M", column), Integer) / 15 * 15
    return func.strftime("%Y-%m-%d %H:", column).concat(func.printf("%02d", quarter))


def _local_day(bucket: str, tz: ZoneInfo) -> date:
    return datetime.strptime(bucket, "%Y-%m-%d %H:%M").replace(tzinfo=UTC).astimezone(tz).date()


def _dates(counts: Iterable[tuple[date, int]]) -> Iterable[date]:
    return chain.from_iterable(repeat(day, n) for day, n in counts)


class ReportingMixin(AgendaMixin):
    def planned_vs_actual(self, start: date, end: date, *, period: str = "month",
                          by: str = "segment") -> PlannedVsActual:
        if by not in GROUPINGS:
            raise ValueError("Group planned and actual contacts by segment or by rm.")
        check_year(start)
        check_year(end)
        window = cad.Window(start, end, cad.Period(period))
        with self._db.reading() as s:
            tz = zone(s)
            lo, hi = day_bounds(start, end, tz)
            planned = self._counts(s, tz, by, planned=True, lo=lo, hi=hi)
            actual = self._counts(s, tz, by, planned=False, lo=lo, hi=hi)
            labels, order = self._labels(s, by, set(planned) | set(actual))
        series = []
        for key in sorted(set(planned) | set(actual), key=lambda k: order.get(k, (9, labels.get(k, "")))):
            periods = tuple(cad.planned_vs_actual(_dates(planned.get(key, ())), _dates(actual.get(key, ())), window))
            series.append(ContactSeries(key, labels.get(key, key or ""), periods, sum(p.planned for p in periods),
                                        sum(p.actual for p in periods)))
        all_planned = _dates(chain.from_iterable(planned.values()))
        all_actual = _dates(chain.from_iterable(actual.values()))
        periods = tuple(cad.planned_vs_actual(all_planned, all_actual, window))
        total = ContactSeries(None, "All", periods, sum(p.planned for p in periods), sum(p.actual for p in periods))
        return PlannedVsActual(start, end, window.period.value, by, tuple(series), total)

    def overdue_report(self, owner_id: str | None = None, today: date | None = None) -> OverdueReport:
        """The whole overdue queue as of ``today`` (the branch's date by default)."""
        items = self._overdue_items(owner_id, today)
        counts: dict[str, int] = defaultdict(int)
        for item in items:
            counts[item.kind] += 1
        return OverdueReport(today or self.today(), tuple(items), dict(counts))

    # -- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _counts(s: Session, tz: ZoneInfo, by: str, *, planned: bool, lo: datetime,
                hi: datetime) -> dict[str | None, list[tuple[date, int]]]:
        if planned:
            when = ScheduledContact.due_at
            who = func.coalesce(ScheduledContact.owner_id, Client.owner_id)
            base = (select().select_from(ScheduledContact).join(Client, Client.id == ScheduledContact.client_id)
                    .where(ScheduledContact.status != "cancelled", ScheduledContact.deleted.is_(False)))
        else:
            when = Interaction.occurred_at
            who = func.coalesce(Interaction.user_id, Client.owner_id)
            base = (select().select_from(Interaction).join(Client, Client.id == Interaction.client_id)
                    .where(Interaction.deleted.is_(False)))
        if by == "segment":
            key = Segment.code
            base = base.outerjoin(Segment, Segment.id == Client.segment_id)
        else:
            key = who
        bucket = _bucket(when).label("bucket")
        q = (base.add_columns(key.label("key"), bucket, func.count().label("n"))
             .where(Client.deleted.is_(False), when >= lo, when < hi).group_by(key, bucket))
        out: dict[str | None, list[tuple[date, int]]] = defaultdict(list)
        for k, b, n in s.execute(q):
            out[k].append((_local_day(b, tz), n))
        return dict(out)

    @staticmethod
    def _labels(s: Session, by: str, keys: set[str | None]) -> tuple[dict, dict]:
        wanted = [k for k in keys if k]
        if by == "segment":
            rows = s.execute(select(Segment.code, Segment.name, Segment.rank).where(Segment.code.in_(wanted))).all()
            labels = {code: name for code, name, _ in rows}
            order = {code: (0, -rank, code) for code, _, rank in rows}
            labels[None] = NO_SEGMENT
        else:
            rows = s.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all()
            labels = {uid: name for uid, name in rows}
            order = {uid: (0, name.casefold(), uid) for uid, name in rows}
            labels[None] = UNASSIGNED
        order[None] = (1, "", "")
        return labels, order

