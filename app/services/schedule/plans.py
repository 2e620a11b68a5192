"""Contact plans: the cadence that applies to a client (segment policy + the client's own override)
and where the client stands against it, counted from the last real contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.domain import cadence as cad
from app.messages import QT_TRANSLATE_NOOP
from app.store.models import ContactPlan

from ._base import ServiceBase, text_field


@dataclass(frozen=True)
class CadenceView:
    kind: str  # a CadenceKind value, or the label of a custom cadence
    name: str
    every: str  # "3 months", "45 days"
    max_gap: str
    source: str  # "segment" or "client"
    reason: str | None = None


@dataclass(frozen=True)
class CadenceStatus:
    cadence: CadenceView
    level: str  # green, amber, red
    due: date
    deadline: date
    days_overdue: int


@dataclass(frozen=True)
class ClientContactStatus:
    client_id: str
    name: str
    segment: str | None
    level: str | None  # the worst of the cadences; None when no cadence applies
    due: date | None  # earliest ideal next contact
    deadline: date | None
    days_overdue: int
    never_contacted: bool
    last_contact_at: datetime | None
    cadences: tuple[CadenceStatus, ...]


def _kind(value: cad.Cadence) -> str:
    return value.label or value.kind.value


def _view(value: cad.Cadence, source: str, reason: str | None = None) -> CadenceView:
    return CadenceView(_kind(value), value.name.replace("_", " ").capitalize(), str(value.ideal),
                       str(value.max_gap), source, reason)


def _labelled(value: cad.Cadence, own: list[cad.Cadence], reasons: dict[str, str | None]) -> CadenceView:
    if any(value == o for o in own):
        return _view(value, "client", reasons.get(_kind(value)))
    return _view(value, "segment")


def build_cadence(kind: str, months: int = 0, days: int = 0, max_gap_days: int | None = None) -> cad.Cadence:
    """A checked cadence, in the store's shape (months or days, and a maximum gap in days)."""
    label = text_field(kind, QT_TRANSLATE_NOOP("Field", "kind of contact"), 30, required=True)
    assert label is not None
    if months and days:
        raise ValueError("Give the cadence in months or in days, not both.")
    ideal = cad.Interval.months(months) if months else cad.Interval.days(days)
    gap = ideal.span_bounds()[1] if max_gap_days is None else max_gap_days
    try:
        kind_value = cad.CadenceKind(label)
    except ValueError:
        kind_value = cad.CadenceKind.CUSTOM
    return cad.Cadence(kind_value, ideal, cad.Interval.days(gap), label=label)


class PlansMixin(ServiceBase):
    def cadences(self, client_id: str) -> tuple[CadenceView, ...]:
        """The cadences that apply to the client, marked with where each comes from."""
        with self._db.reading() as s:
            client = self._client(s, client_id)
            own = self._overrides(s, client_id)
            effective = self._effective(s, client, self._context(s), own)
            reasons = self._reasons(s, client_id)
        return tuple(_labelled(c, own, reasons) for c in effective)

    def set_cadence_override(self, client_id: str, kind: str, *, months: int = 0, days: int = 0,
                             max_gap_days: int | None = None, reason: str | None = None) -> CadenceView:
        """Give the client their own cadence for one kind of contact (replacing the segment's).

        A cadence of zero (or less), or a maximum gap shorter than the ideal gap, is refused with
        the domain's message and nothing is saved.
        """
        value = build_cadence(kind, months, days, max_gap_days)
        reason = text_field(reason, QT_TRANSLATE_NOOP("Field", "reason"), 2000)
        label = _kind(value)
        gap_days = value.max_gap.count
        with self._db.unit(self._actor) as uow:
            s = uow.session
            self._client(s, client_id)
            existing = [p for p in self._plans(s, client_id) if p.contact_kind == label]
            plan = existing[0] if existing else ContactPlan(client_id=client_id, contact_kind=label)
            for extra in existing[1:]:
                extra.active = False
            plan.interval_months = months if months else 0
            plan.interval_days = 0 if months else days
            plan.max_gap_days = gap_days
            plan.reason = reason
            plan.active = True
            if not existing:
                s.add(plan)
        return _view(value, "client", reason)

    def clear_cadence_override(self, client_id: str, kind: str) -> bool:
        """Back to the segment's cadence for this kind; False when the client had no override."""
        with self._db.unit(self._actor) as uow:
            s = uow.session
            self._client(s, client_id)
            plans = [p for p in self._plans(s, client_id) if p.contact_kind == kind]
            for plan in plans:
                plan.active = False
        return bool(plans)

    def contact_status(self, client_id: str, today: date | None = None) -> ClientContactStatus:
        """Green/amber/red per cadence; the next contact is due from the last *real* contact."""
        with self._db.reading() as s:
            client = self._client(s, client_id)
            ctx = self._context(s, today)
            own = self._overrides(s, client_id)
            effective = self._effective(s, client, ctx, own)
            last = self._last_contact(s, client_id)
            segment = self._segment_code(s, client)
            reasons = self._reasons(s, client_id)
        pairs = [(cad.contact_status(last, c, ctx.today, ctx.tz, onboarded_on=client.onboarded_on), c)
                 for c in effective]
        views = tuple(CadenceStatus(_labelled(c, own, reasons), st.level.value, st.due, st.deadline,
                                    st.days_overdue) for st, c in pairs)
        worst = cad.worst(st for st, _ in pairs)
        return ClientContactStatus(
            client.id, client.display_name, segment, worst.level.value if worst else None,
            min((st.due for st, _ in pairs), default=None), min((st.deadline for st, _ in pairs), default=None),
            worst.days_overdue if worst else 0, last is None, last, views)

    # -- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _plans(session, client_id: str) -> list[ContactPlan]:
        return list(session.scalars(select(ContactPlan).where(
            ContactPlan.client_id == client_id, ContactPlan.active.is_(True), ContactPlan.deleted.is_(False))
            .order_by(ContactPlan.created_at)))

    @classmethod
    def _reasons(cls, session, client_id: str) -> dict[str, str | None]:
        return {p.contact_kind: p.reason for p in cls._plans(session, client_id)}
