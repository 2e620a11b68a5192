"""The RM's book at a glance: paged, sortable, filterable rows over the client summary read model."""

from __future__ import annotations

import csv
import io
import re
import weakref
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Select, and_, case, exists, func, select, text

from app.store import core_schema
from app.store.core_schema import client_summary
from app.store.database import Database
from app.store.keys import write_private

# Core columns, not the ORM's: the first screen is read before the models have loaded (core_schema)
CS = client_summary.c
HOLDING, PRODUCT = core_schema.holdings.c, core_schema.products.c
SEGMENT, TARGET = core_schema.segments.c, core_schema.targets.c

SORT_COLUMNS = {
    "name": CS.sort_name,
    "segment": CS.segment_rank,
    "tier": CS.loyalty_tier,
    "aum": CS.aum,
    "revenue": CS.revenue_12m,
    "products": CS.product_count,
    "last_contact": CS.last_contact_at,
    "next_contact": CS.next_contact_due,
    "complaints": CS.open_complaints,
    "satisfaction": CS.last_satisfaction,
    "verified": CS.data_verified_on,
}


@dataclass(frozen=True)
class PortfolioQuery:
    text: str = ""
    segment: str | None = None  # segment code
    tier: str | None = None
    overdue_only: bool = False
    open_complaint_only: bool = False
    product: str | None = None  # product code held
    owner_id: str | None = None
    sort: str = "name"
    descending: bool = False

    def sorted_by(self, column: str, descending: bool) -> PortfolioQuery:
        if column not in SORT_COLUMNS:
            raise ValueError(f"The portfolio cannot be sorted by {column!r}.")
        return replace(self, sort=column, descending=descending)


@dataclass(frozen=True)
class PortfolioRow:
    client_id: str
    name: str
    kind: str
    segment: str | None
    tier: str | None
    aum: Decimal
    revenue_12m: Decimal
    products: int
    last_contact: datetime | None
    next_contact: date | None
    contact_level: int  # 0 on track, 1 due (amber), 2 overdue (red)
    open_complaints: int
    satisfaction: int | None
    verified_on: date | None
    segment_name: str | None = None  # read with the page: the grid needs no separate lookup to show it

    @property
    def overdue(self) -> bool:
        return self.contact_level == 2


@dataclass(frozen=True)
class Page:
    offset: int
    rows: list[PortfolioRow]


@dataclass(frozen=True)
class Kpis:
    clients: int
    aum: Decimal
    revenue_12m: Decimal
    revenue_target: Decimal | None
    overdue_contacts: int
    open_complaints: int


@dataclass(frozen=True)
class FilterOptions:
    segments: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    tiers: list[str] = field(default_factory=list)
    products: list[tuple[str, str]] = field(default_factory=list)  # (code, name)


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_prefix_query(text_: str) -> str | None:
    """'zoe ang' -> '"zoe"* AND "ang"*' : every word a prefix; quotes keep FTS syntax out of user text."""
    words = _WORD.findall(text_)
    return " AND ".join(f'"{w}"*' for w in words) if words else None


# PortfolioRow's fields, in order
_ROW_COLUMNS = (
    CS.client_id, CS.display_name, CS.kind, CS.segment_code,
    CS.loyalty_tier, CS.aum, CS.revenue_12m, CS.product_count,
    CS.last_contact_at, CS.next_contact_due, CS.contact_level,
    CS.open_complaints, CS.last_satisfaction, CS.data_verified_on,
    # per row of the page only (a correlated lookup by the segments' unique code), not per row walked
    select(SEGMENT.name).where(SEGMENT.code == CS.segment_code, SEGMENT.deleted.is_(False))
    .scalar_subquery().label("segment_name"))

_MATCH_COUNTS: weakref.WeakKeyDictionary[Database, dict[str, int]] = weakref.WeakKeyDictionary()


class PortfolioService:
    def __init__(self, db: Database) -> None:
        self._db = db
        # FTS match -> open clients matching, for the plan choice. Shared by every service over this
        # database: front ends make a new service per call (count, then page), and both need it.
        self._match_counts = _MATCH_COUNTS.setdefault(db, {})

    # -- queries ---------------------------------------------------------------------------------
    @staticmethod
    def _text_match(q: PortfolioQuery) -> str | None:
        match = fts_prefix_query(q.text)
        return f"{{title body}}: ({match})" if match else None

    @staticmethod
    def _structured(q: PortfolioQuery) -> bool:
        return bool(q.segment or q.tier or q.overdue_only or q.open_complaint_only or q.owner_id or q.product)

    def _filtered(self, q: PortfolioQuery, columns, *, walk: bool = False) -> Select:
        """The view's rows. `walk`: test text matches row by row while walking the sort index, instead of
        starting from the matches (the planner cannot know how many a prefix matches; we can)."""
        stmt = select(*columns).select_from(client_summary)
        conds = [CS.status != "closed"]
        if q.segment:
            conds.append(CS.segment_code == q.segment)
        if q.tier:
            conds.append(CS.loyalty_tier == q.tier)
        if q.overdue_only:
            conds.append(CS.contact_level == 2)
        if q.open_complaint_only:
            conds.append(CS.open_complaints > 0)
        if q.owner_id:
            conds.append(CS.owner_id == q.owner_id)
        if q.product:
            conds.append(exists().where(and_(
                HOLDING.client_id == CS.client_id, HOLDING.status == "open", HOLDING.deleted.is_(False),
                HOLDING.product_id == select(PRODUCT.id).where(PRODUCT.code == q.product).scalar_subquery())))
        match = self._text_match(q)
        if match:
            hits = text("SELECT rowid FROM client_search WHERE client_search MATCH :m").bindparams(m=match)
            # `doc_id + 0` cannot use the primary key, so SQLite keeps the sort index's order
            key = CS.doc_id + 0 if walk else CS.doc_id
            conds.append(key.in_(hits))
        return stmt.where(*conds)

    def _text_count(self, s, q: PortfolioQuery) -> int:
        """Open clients matching the text, counted inside FTS5 (the status is indexed with the words)."""
        return s.execute(text("SELECT count(*) FROM client_search WHERE client_search MATCH :m"),
                         {"m": f"({self._text_match(q)}) NOT state: closed"}).scalar_one()

    def count(self, q: PortfolioQuery) -> int:
        with self._db.reading_rows() as s:
            match = self._text_match(q)
            if match and not self._structured(q):
                n = self._match_counts[match] = self._text_count(s, q)
                return n
            return s.scalar(self._filtered(q, [func.count()]))

    def _prefer_index_walk(self, s, q: PortfolioQuery, wanted: int) -> bool:
        """Walk the sort index when the text matches so many clients that `wanted` rows turn up soon.

        Walking costs about wanted * book / matches index steps; starting from the matches costs one
        lookup per match plus a sort. Structured filters thin the walk further, so they favour the matches.
        """
        match = self._text_match(q)
        if not match or self._structured(q):
            return False
        # Only the plan depends on these figures, never the rows: a count a few edits old is good enough,
        # and typing "ma" after "ma" was counted for the status line costs nothing more.
        matches = self._match_counts.get(match)
        if matches is None:
            matches = self._text_count(s, q)
            if len(self._match_counts) > 256:
                self._match_counts.clear()
            self._match_counts[match] = matches
        book = s.scalar(select(func.max(CS.doc_id))) or 0
        return matches > 0 and wanted * book / matches < matches

    @staticmethod
    def _order(q: PortfolioQuery) -> list:
        """Blanks last in both directions, then name, then doc_id: exactly the order of one index each
        (models.derived.sort_indexes), so no sort step is needed."""
        col = SORT_COLUMNS[q.sort]
        if q.sort == "name":
            return [col.desc(), CS.doc_id.desc()] if q.descending else [col, CS.doc_id]
        if q.descending:  # SQLite puts NULLs last when descending
            return [col.desc(), CS.sort_name, CS.doc_id]
        nullable = [col.is_(None)] if col.nullable else []
        return [*nullable, col, CS.sort_name, CS.doc_id]

    def page(self, q: PortfolioQuery, offset: int, limit: int = 200) -> Page:
        if q.sort not in SORT_COLUMNS:
            raise ValueError(f"The portfolio cannot be sorted by {q.sort!r}.")
        with self._db.reading_rows() as s:
            walk = self._prefer_index_walk(s, q, offset + limit)
            stmt = self._filtered(q, _ROW_COLUMNS, walk=walk).order_by(*self._order(q))
            # plain rows, not ORM objects: a page is read-only, and identity-mapping 200 objects costs
            rows = [PortfolioRow(*r) for r in s.execute(stmt.offset(offset).limit(limit))]
        return Page(offset, rows)

    def kpis(self, owner_id: str | None = None, *, today: date | None = None) -> Kpis:
        base = [CS.status != "closed"]
        if owner_id:
            base.append(CS.owner_id == owner_id)
        today = today or datetime.now(UTC).date()
        with self._db.reading_rows() as s:
            n, aum, rev, overdue, complaints = s.execute(select(
                func.count(), func.coalesce(func.sum(CS.aum), 0),
                func.coalesce(func.sum(CS.revenue_12m), 0),
                func.coalesce(func.sum(case((CS.contact_level == 2, 1), else_=0)), 0),
                func.coalesce(func.sum(CS.open_complaints), 0)).where(*base)).one()
            target_q = select(TARGET.value).where(
                TARGET.metric == "revenue", TARGET.period_start <= today, TARGET.period_end >= today,
                TARGET.deleted.is_(False))
            if owner_id:
                target_q = target_q.where(TARGET.user_id == owner_id)
            targets = list(s.scalars(target_q))
        return Kpis(n, Decimal(aum), Decimal(rev),
                    sum(targets, Decimal(0)) if targets else None, int(overdue), int(complaints))

    def filter_options(self) -> FilterOptions:
        with self._db.reading_rows() as s:
            segments = [(c, n) for c, n in s.execute(
                select(SEGMENT.code, SEGMENT.name).where(SEGMENT.deleted.is_(False)).order_by(SEGMENT.rank.desc()))]
            tiers = [t for t in s.scalars(select(CS.loyalty_tier).distinct()
                                          .where(CS.loyalty_tier.is_not(None))
                                          .order_by(CS.loyalty_tier))]
            products = [(c, n) for c, n in s.execute(
                select(PRODUCT.code, PRODUCT.name).where(PRODUCT.deleted.is_(False)).order_by(PRODUCT.name))]
        return FilterOptions(segments, tiers, products)

    # -- export ------------------------------------------------------------------------------------
    CSV_COLUMNS = ("name", "segment", "tier", "aum", "revenue_12m", "products", "last_contact",
                   "next_contact", "overdue", "open_complaints", "satisfaction", "verified_on", "client_id")

    def rows(self, q: PortfolioQuery, limit: int | None = None, batch: int = 2000):
        """Every row of the view, in order, fetched page by page (never all at once)."""
        offset, yielded = 0, 0
        while True:
            page = self.page(q, offset, batch if limit is None else min(batch, limit - yielded))
            yield from page.rows
            yielded += len(page.rows)
            if len(page.rows) < batch or (limit is not None and yielded >= limit):
                return
            offset += batch

    def to_csv(self, q: PortfolioQuery, limit: int | None = None) -> str:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(self.CSV_COLUMNS)
        for r in self.rows(q, limit):
            w.writerow([_safe_cell(r.name), r.segment or "", r.tier or "", r.aum, r.revenue_12m, r.products,
                        r.last_contact.isoformat(timespec="minutes") if r.last_contact else "",
                        r.next_contact or "", "yes" if r.overdue else "no", r.open_complaints,
                        "" if r.satisfaction is None else r.satisfaction, r.verified_on or "", r.client_id])
        return out.getvalue()

    def export_csv(self, q: PortfolioQuery, path: Path, actor: str) -> int:
        data = self.to_csv(q)
        write_private(Path(path), data.encode("utf-8-sig"))  # BOM: Excel opens UTF-8 names correctly
        with self._db.unit(actor) as uow:
            uow.record("export", "portfolio", detail=f"{Path(path).name}: {asdict(q)}")
        return data.count("\n") - 1


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formula injection in exported names."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class SavedViews:
    """Named portfolio views (filters + sort) kept in the encrypted profile's settings."""

    KEY = "user.portfolio_views"

    def __init__(self, settings) -> None:
        self._settings = settings

    def all(self) -> dict[str, PortfolioQuery]:
        return {name: PortfolioQuery(**q) for name, q in sorted(self._settings.get(self.KEY).items())}

    def save(self, name: str, query: PortfolioQuery) -> None:
        name = name.strip()
        if not name:
            raise ValueError("Give the view a name.")
        if len(name) > 60:
            raise ValueError("Keep the view's name under 60 characters.")
        views = dict(self._settings.get(self.KEY))
        views[name] = asdict(query)
        self._settings.set(self.KEY, views)

    def delete(self, name: str) -> None:
        views = dict(self._settings.get(self.KEY))
        if views.pop(name, None) is None:
            raise ValueError(f"There is no saved view called {name!r}.")
        self._settings.set(self.KEY, views)
