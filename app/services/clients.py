"""Clients: the 360° view, create and edit with checks, duplicate matching, audited reveals."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from rapidfuzz import fuzz
from sqlalchemy import func, select, text

from app.messages import QT_TRANSLATE_NOOP, text_of
from app.store.database import Database
from app.store.models import (
    BalancePoint,
    Client,
    ClientEmail,
    ClientPhone,
    Complaint,
    Consent,
    Holding,
    Household,
    Interaction,
    LoyaltyEnrolment,
    PointsEntry,
    Product,
    Recommendation,
    Relationship,
    Segment,
    SurveyResponse,
    Task,
)

from .portfolio import fts_prefix_query
from .validation import ValidationError, check_birth_date, normalise_email, normalise_phone

MASK = "•"
SENSITIVE = ("date_of_birth", "tax_id", "account_number")
CHANNELS = ("phone", "email", "face_to_face", "video", "letter", "sms")


def fold(name: str) -> str:
    """Case- and accent-blind form for matching: 'Zoë Ångström' -> 'zoe angstrom'."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def mask_tail(value: str | None, keep: int = 4) -> str | None:
    if not value:
        return value
    return MASK * max(len(value) - keep, 4) + value[-keep:]


def mask_birth(value: date | None) -> str | None:
    return None if value is None else f"{MASK * 2}/{MASK * 2}/{value.year}"


# -- input --------------------------------------------------------------------------------------------
@dataclass
class ClientDraft:
    kind: str = "person"
    given_name: str = ""
    family_name: str = ""
    organisation_name: str = ""
    date_of_birth: date | None = None
    tax_id: str = ""
    country: str = "AU"
    phones: list[tuple[str, str]] = field(default_factory=list)  # (label, as typed)
    emails: list[tuple[str, str]] = field(default_factory=list)
    preferred_channel: str | None = None
    preferred_language: str | None = None
    interpreter_needed: bool = False
    special_needs: str = ""
    do_not_contact: bool = False
    segment_code: str | None = None
    notes: str = ""

    @property
    def display_name(self) -> str:
        if self.kind == "organisation":
            return self.organisation_name.strip()
        return " ".join(p for p in (self.given_name.strip(), self.family_name.strip()) if p)


@dataclass(frozen=True)
class CleanDraft:
    draft: ClientDraft
    phones: list[tuple[str, str]]
    emails: list[tuple[str, str]]


def clean(draft: ClientDraft, today: date | None = None) -> CleanDraft:
    """Every field checked at once, so the form can show all problems together."""
    today = today or datetime.now(UTC).date()
    errors: dict[str, str] = {}
    if draft.kind not in ("person", "organisation"):
        errors["kind"] = QT_TRANSLATE_NOOP("Validation", "Choose person or organisation.")
    if draft.kind == "person" and not (draft.given_name.strip() or draft.family_name.strip()):
        errors["family_name"] = QT_TRANSLATE_NOOP("Validation", "Enter the client's name.")
    if draft.kind == "organisation" and not draft.organisation_name.strip():
        errors["organisation_name"] = QT_TRANSLATE_NOOP("Validation", "Enter the organisation's name.")
    if len(draft.country) != 2 or not draft.country.isalpha():
        errors["country"] = QT_TRANSLATE_NOOP("Validation", "Use a two-letter country code such as AU or GB.")
    try:
        check_birth_date(draft.date_of_birth, today)
    except ValueError as exc:
        errors["date_of_birth"] = text_of(exc)
    phones, emails = [], []
    for label, raw in draft.phones:
        if raw.strip():
            try:
                phones.append((label or "mobile", normalise_phone(raw, draft.country or "AU")))
            except ValueError as exc:
                errors["phones"] = text_of(exc)
    for label, raw in draft.emails:
        if raw.strip():
            try:
                emails.append((label or "personal", normalise_email(raw)))
            except ValueError as exc:
                errors["emails"] = text_of(exc)
    if draft.preferred_channel and draft.preferred_channel not in CHANNELS:
        errors["preferred_channel"] = QT_TRANSLATE_NOOP("Validation", "Choose one of: {channels}.").format(
            channels=", ".join(CHANNELS))
    if errors:
        raise ValidationError(errors)
    return CleanDraft(draft, phones, emails)


@dataclass(frozen=True)
class DuplicateCandidate:
    client_id: str
    name: str
    score: int
    reasons: tuple[str, ...]


class PossibleDuplicate(Exception):
    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        names = ", ".join(c.name for c in candidates[:3])
        super().__init__(f"This client may already exist: {names}. Open the existing record, or confirm to create anyway.")


# -- output -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HoldingView:
    id: str
    product: str
    category: str
    account_masked: str | None
    balance: Decimal
    currency: str
    status: str
    opened_on: date | None
    history: list[tuple[date, Decimal]]


@dataclass(frozen=True)
class InteractionView:
    id: str
    occurred_at: datetime
    channel: str
    direction: str
    purpose: str | None
    outcome: str | None
    subject: str | None
    notes: str | None


@dataclass(frozen=True)
class Acknowledgement:
    """What to say when the client walks in (seed SIRXCEG003 1.2): when last seen, how often, what is open."""

    last_contact_at: datetime | None
    last_channel: str | None
    contacts_12m: int
    client_since: date | None
    open_items: list[str]

    def sentence(self, today: date) -> str:
        if self.last_contact_at is None:
            seen = "No contact recorded yet"
        else:
            days = (today - self.last_contact_at.date()).days
            when = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"
            seen = f"Last contact {when} ({(self.last_channel or '').replace('_', ' ')})"
        often = f"{self.contacts_12m} contact{'s' if self.contacts_12m != 1 else ''} in the last 12 months"
        opened = "; ".join(self.open_items) if self.open_items else "nothing open"
        return f"{seen}; {often}; {opened}."


@dataclass(frozen=True)
class Client360:
    id: str
    kind: str
    display_name: str
    given_name: str | None
    family_name: str | None
    organisation_name: str | None
    date_of_birth_masked: str | None
    tax_id_masked: str | None
    country: str
    status: str
    segment: str | None
    segment_name: str | None
    loyalty_tier: str | None
    onboarded_on: date | None
    data_verified_on: date | None
    preferred_channel: str | None
    preferred_language: str | None
    interpreter_needed: bool
    special_needs: str | None
    do_not_contact: bool
    notes: str | None
    phones: list[tuple[str, str, bool]]  # (label, E.164, primary)
    emails: list[tuple[str, str, bool]]
    consents: list[tuple[str, bool, datetime]]  # latest decision per purpose
    household: str | None
    household_members: list[tuple[str, str]]  # (client id, name)
    relationships: list[tuple[str, str, str]]  # (kind, client id, name)
    holdings: list[HoldingView]
    recent_interactions: list[InteractionView]
    open_tasks: list[tuple[str, str, datetime | None]]  # (id, title, due)
    complaints: list[tuple[str, str, str, datetime]]  # (id, reference, state, received)
    surveys: list[tuple[datetime, int | None, str | None]]
    loyalty: list[tuple[str, str | None, int]]  # (status, tier, points)
    recommendations: list[tuple[str, str | None, str]]  # (status, product, reason)
    acknowledgement: Acknowledgement


class ClientService:
    def __init__(self, db: Database, actor: str) -> None:
        self._db = db
        self._actor = actor

    # -- reading -------------------------------------------------------------------------------------
    def client_360(self, client_id: str, *, today: date | None = None) -> Client360:
        today = today or datetime.now(UTC).date()
        with self._db.unit(self._actor) as uow:
            s = uow.session
            c = s.get(Client, client_id)
            if c is None or c.deleted:
                raise LookupError(QT_TRANSLATE_NOOP(
                    "Clients", "That client no longer exists (it may have been merged or removed)."))
            uow.viewed("clients", c.id, c.id, "client 360")
            return self._assemble(s, c, today)

    def _assemble(self, s, c: Client, today: date) -> Client360:
        seg = s.get(Segment, c.segment_id) if c.segment_id else None
        consents: dict[str, tuple[str, bool, datetime]] = {}
        for row in s.scalars(select(Consent).where(Consent.client_id == c.id).order_by(Consent.recorded_at)):
            consents[row.purpose] = (row.purpose, row.granted, row.recorded_at)
        household, members = None, []
        if c.household_id:
            hh = s.get(Household, c.household_id)
            household = hh.name if hh else None
            members = [(i, n) for i, n in s.execute(
                select(Client.id, Client.display_name).where(Client.household_id == c.household_id,
                                                              Client.id != c.id, Client.deleted.is_(False)))]
        related = Client.__table__.alias("related")
        rels = [(k, i, n) for k, i, n in s.execute(
            select(Relationship.kind, related.c.id, related.c.display_name)
            .join(related, related.c.id == Relationship.related_client_id)
            .where(Relationship.client_id == c.id, Relationship.deleted.is_(False)))]
        holdings = []
        for h, p in s.execute(select(Holding, Product).join(Product, Product.id == Holding.product_id)
                              .where(Holding.client_id == c.id, Holding.deleted.is_(False))
                              .order_by(Holding.status.desc(), Holding.balance.desc())):
            hist = [(d, b) for d, b in s.execute(
                select(BalancePoint.as_of, BalancePoint.balance).where(BalancePoint.holding_id == h.id)
                .order_by(BalancePoint.as_of))]
            holdings.append(HoldingView(h.id, p.name, p.category, mask_tail(h.account_number), h.balance,
                                        h.currency, h.status, h.opened_on, hist))
        recent = self.timeline(c.id, 0, 50, session=s)
        tasks = [(t.id, t.title, t.due_at) for t in s.scalars(
            select(Task).where(Task.client_id == c.id, Task.status == "open", Task.deleted.is_(False))
            .order_by(Task.due_at.is_(None), Task.due_at))]
        complaints = [(k.id, k.reference, k.state, k.received_at) for k in s.scalars(
            select(Complaint).where(Complaint.client_id == c.id, Complaint.deleted.is_(False))
            .order_by(Complaint.received_at.desc()))]
        surveys = [(r.responded_at, r.score, r.comment) for r in s.scalars(
            select(SurveyResponse).where(SurveyResponse.client_id == c.id)
            .order_by(SurveyResponse.responded_at.desc()).limit(20))]
        loyalty = []
        for e in s.scalars(select(LoyaltyEnrolment).where(LoyaltyEnrolment.client_id == c.id)):
            points = s.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0))
                              .where(PointsEntry.enrolment_id == e.id))
            loyalty.append((e.status, e.tier, int(points)))
        recs = [(r.status, p, r.reason) for r, p in s.execute(
            select(Recommendation, Product.name).outerjoin(Product, Product.id == Recommendation.product_id)
            .where(Recommendation.client_id == c.id, Recommendation.deleted.is_(False)))]
        year_ago = datetime.combine(today - timedelta(days=365), datetime.min.time(), UTC)
        n12 = s.scalar(select(func.count()).select_from(Interaction).where(
            Interaction.client_id == c.id, Interaction.occurred_at >= year_ago))
        open_items = []
        if tasks:
            open_items.append(f"{len(tasks)} open task{'s' if len(tasks) != 1 else ''}")
        n_open_complaints = sum(1 for k in complaints if k[2] != "closed")
        if n_open_complaints:
            open_items.append(f"{n_open_complaints} open complaint{'s' if n_open_complaints != 1 else ''}")
        open_recs = sum(1 for r in recs if r[0] == "open")
        if open_recs:
            open_items.append(f"{open_recs} recommendation{'s' if open_recs != 1 else ''} to discuss")
        ack = Acknowledgement(recent[0].occurred_at if recent else None, recent[0].channel if recent else None,
                              int(n12), c.onboarded_on, open_items)
        return Client360(
            c.id, c.kind, c.display_name, c.given_name, c.family_name, c.organisation_name,
            mask_birth(c.date_of_birth), mask_tail(c.tax_id, 3), c.country, c.status,
            seg.code if seg else None, seg.name if seg else None, c.loyalty_tier, c.onboarded_on,
            c.data_verified_on, c.preferred_channel, c.preferred_language, c.interpreter_needed,
            c.special_needs, c.do_not_contact, c.notes,
            [(p.label, p.number, p.is_primary) for p in c.phones if not p.deleted],
            [(e.label, e.address, e.is_primary) for e in c.emails if not e.deleted],
            list(consents.values()), household, members, rels, holdings, recent, tasks, complaints, surveys,
            loyalty, recs, ack)

    def timeline(self, client_id: str, offset: int = 0, limit: int = 50, channel: str | None = None,
                 *, session=None) -> list[InteractionView]:
        stmt = (select(Interaction).where(Interaction.client_id == client_id, Interaction.deleted.is_(False))
                .order_by(Interaction.occurred_at.desc()).offset(offset).limit(limit))
        if channel:
            stmt = stmt.where(Interaction.channel == channel)

        def run(s):
            return [InteractionView(i.id, i.occurred_at, i.channel, i.direction, i.purpose, i.outcome,
                                    i.subject, i.notes) for i in s.scalars(stmt)]

        if session is not None:
            return run(session)
        with self._db.reading() as s:
            return run(s)

    def reveal(self, client_id: str, field_name: str) -> str | None:
        """The unmasked value of a sensitive field; every reveal is audited."""
        if field_name not in ("date_of_birth", "tax_id"):
            raise ValueError(f"{field_name} is not a field that can be revealed.")
        with self._db.unit(self._actor) as uow:
            c = uow.session.get(Client, client_id)
            if c is None:
                raise LookupError(QT_TRANSLATE_NOOP("Clients", "That client no longer exists."))
            uow.record("reveal", "clients", c.id, c.id, field_name)
            value = getattr(c, field_name)
            return value.isoformat() if isinstance(value, date) else value

    def reveal_account(self, holding_id: str) -> str | None:
        with self._db.unit(self._actor) as uow:
            h = uow.session.get(Holding, holding_id)
            if h is None:
                raise LookupError(QT_TRANSLATE_NOOP("Clients", "That account no longer exists."))
            uow.record("reveal", "holdings", h.id, h.client_id, "account_number")
            return h.account_number

    def draft_of(self, client_id: str) -> ClientDraft:
        with self._db.reading() as s:
            c = s.get(Client, client_id)
            if c is None:
                raise LookupError(QT_TRANSLATE_NOOP("Clients", "That client no longer exists."))
            seg = s.get(Segment, c.segment_id) if c.segment_id else None
            return ClientDraft(
                c.kind, c.given_name or "", c.family_name or "", c.organisation_name or "", c.date_of_birth,
                c.tax_id or "", c.country, [(p.label, p.number) for p in c.phones if not p.deleted],
                [(e.label, e.address) for e in c.emails if not e.deleted], c.preferred_channel,
                c.preferred_language, c.interpreter_needed, c.special_needs or "", c.do_not_contact,
                seg.code if seg else None, c.notes or "")

    # -- duplicates ------------------------------------------------------------------------------------
    def find_duplicates(self, draft: ClientDraft, *, exclude: str | None = None,
                        threshold: int = 85) -> list[DuplicateCandidate]:
        """Existing clients that look like the draft: same e-mail or phone, or a similar name (and birth date)."""
        cleaned = clean(draft)
        name = draft.display_name
        found: dict[str, tuple[str, int, list[str]]] = {}

        def note(cid: str, cname: str, score: int, reason: str) -> None:
            prev = found.get(cid, (cname, 0, []))
            found[cid] = (cname, max(prev[1], score), [*prev[2], reason])

        with self._db.reading() as s:
            emails = [e for _, e in cleaned.emails]
            phones = [p for _, p in cleaned.phones]
            if emails:
                for cid, cname, addr in s.execute(
                        select(Client.id, Client.display_name, ClientEmail.address).join(ClientEmail)
                        .where(func.lower(ClientEmail.address).in_([e.lower() for e in emails]),
                               Client.deleted.is_(False))):
                    note(cid, cname, 100, f"same e-mail {addr}")
            if phones:
                for cid, cname, num in s.execute(
                        select(Client.id, Client.display_name, ClientPhone.number).join(ClientPhone)
                        .where(ClientPhone.number.in_(phones), Client.deleted.is_(False))):
                    note(cid, cname, 100, f"same phone {num}")
            pool: dict[str, tuple[str, date | None]] = {}
            # candidates by the first letters of each name word, then scored with a fuzzy ratio
            for w in {w[:3] for w in name.split() if len(w) >= 2}:
                match = fts_prefix_query(w)
                if not match:
                    continue
                for cid, cname, dob in s.execute(
                        select(Client.id, Client.display_name, Client.date_of_birth)
                        .where(Client.id.in_(_fts_client_ids(match)), Client.deleted.is_(False)).limit(500)):
                    pool[cid] = (cname, dob)
            if draft.date_of_birth:
                for cid, cname, dob in s.execute(
                        select(Client.id, Client.display_name, Client.date_of_birth)
                        .where(Client.date_of_birth == draft.date_of_birth, Client.deleted.is_(False)).limit(500)):
                    pool[cid] = (cname, dob)
        for cid, (cname, dob) in pool.items():
            score = int(fuzz.token_sort_ratio(fold(name), fold(cname)))
            same_dob = draft.date_of_birth is not None and dob == draft.date_of_birth
            if same_dob and score >= threshold - 15:
                note(cid, cname, max(score, 90), "similar name and same date of birth")
            elif score >= threshold + 5 or (score >= threshold and not draft.date_of_birth):
                note(cid, cname, score, f"similar name ({score}%)")
        out = [DuplicateCandidate(cid, n, sc, tuple(dict.fromkeys(r))) for cid, (n, sc, r) in found.items()
               if cid != exclude]
        return sorted(out, key=lambda c: -c.score)[:10]

    # -- writing ---------------------------------------------------------------------------------------
    def create(self, draft: ClientDraft, *, owner_id: str | None = None, allow_duplicate: bool = False) -> str:
        cleaned = clean(draft)
        if not allow_duplicate:
            dupes = self.find_duplicates(draft)
            if dupes:
                raise PossibleDuplicate(dupes)
        with self._db.unit(self._actor) as uow:
            c = Client(display_name=draft.display_name, owner_id=owner_id,
                       onboarded_on=datetime.now(UTC).date(), data_verified_on=datetime.now(UTC).date())
            self._apply(uow.session, c, cleaned)
            uow.session.add(c)
            uow.session.flush()
            return c.id

    KEEPABLE = ("date_of_birth", "tax_id")

    def update(self, client_id: str, draft: ClientDraft, *, verified: bool = True,
               keep: Collection[str] = ()) -> None:
        """Save `draft`. Fields named in `keep` (sensitive ones an editor showed masked and the user left
        alone) stay as stored, read and written in the same transaction, never sent to the front end."""
        unknown = set(keep) - set(self.KEEPABLE)
        if unknown:
            raise ValueError(f"Only {', '.join(self.KEEPABLE)} can be kept as stored, not {sorted(unknown)}.")
        if not keep:
            cleaned = clean(draft)
        with self._db.unit(self._actor) as uow:
            c = uow.session.get(Client, client_id)
            if c is None or c.deleted:
                raise LookupError(QT_TRANSLATE_NOOP("Clients", "That client no longer exists."))
            if keep:
                stored = {"date_of_birth": c.date_of_birth, "tax_id": c.tax_id or ""}
                cleaned = clean(replace(draft, **{f: stored[f] for f in keep}))
            self._apply(uow.session, c, cleaned)
            if verified:
                c.data_verified_on = datetime.now(UTC).date()

    def _apply(self, s, c: Client, cleaned: CleanDraft) -> None:
        d = cleaned.draft
        c.kind = d.kind
        c.display_name = d.display_name
        c.given_name = d.given_name.strip() or None
        c.family_name = d.family_name.strip() or None
        c.organisation_name = d.organisation_name.strip() or None
        c.date_of_birth = d.date_of_birth
        c.tax_id = d.tax_id.strip() or None
        c.country = d.country.upper()
        c.preferred_channel = d.preferred_channel or None
        c.preferred_language = d.preferred_language or None
        c.interpreter_needed = d.interpreter_needed
        c.special_needs = d.special_needs.strip() or None
        c.do_not_contact = d.do_not_contact
        c.notes = d.notes.strip() or None
        if d.segment_code:
            seg = s.scalar(select(Segment).where(Segment.code == d.segment_code))
            if seg is None:
                raise ValidationError({"segment_code": QT_TRANSLATE_NOOP(
                    "Validation", "There is no segment {code}.").format(code=d.segment_code)})
            c.segment_id = seg.id
        _sync_children(c.phones, cleaned.phones, lambda label, v: ClientPhone(label=label, number=v),
                       lambda x: x.number)
        _sync_children(c.emails, cleaned.emails, lambda label, v: ClientEmail(label=label, address=v),
                       lambda x: x.address)


def _sync_children(current: list, wanted: list[tuple[str, str]], make, value_of) -> None:
    """Keep rows whose value is still wanted (so their ids and history survive), add new, drop the rest."""
    keep = {v for _, v in wanted}
    for row in list(current):
        if value_of(row) not in keep:
            current.remove(row)
    have = {value_of(r) for r in current}
    for label, v in wanted:
        if v not in have:
            current.append(make(label, v))
    for i, row in enumerate(current):
        row.is_primary = i == 0


def _fts_client_ids(match: str):
    return text("SELECT client_id FROM client_search WHERE client_search MATCH :m") \
        .bindparams(m=f"{{title body}}: ({match})")
