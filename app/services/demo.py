"""The demo book: a realistic, deterministic client book for trying RM Desk, demos and benchmarks.

Deterministic: the same seed and size give the same book, ids included. Every id is a UUIDv7-shaped
string from a seeded stream; its timestamp is the fixed reference instant plus a counter (RFC 9562
method 1), so ids still sort roughly in insertion order and index like real v7 ids. Every date is
relative to REF_DATE (2026-11-22), never to the clock.

Fast: the 100,000-client reference book is about 6 million rows. They bypass the ORM and the unit of
work's change capture: a generator thread builds plain tuples a chunk of clients at a time while the
calling thread writes them with multi-row INSERTs on one DB-API connection (rollback journal instead
of WAL while it loads, when it is alone: each page is then written once). SQLite runs a statement
with the GIL released, so generation and writing overlap on two cores. The whole load, the derived
read models (portfolio summary rows and full-text rows, computed as store/derived.py does; the
tests compare them) and ANALYZE are one transaction: all or nothing. Demo rows are seed data, so
they write no change-log (outbox) entries; one audit entry records the load.

Proportions, per client on average: ~3 holdings, ~20 interactions, ~0.2 complaints. To keep the
book a sane size, month-end balance history (12 points) is kept for market-linked holdings only
(managed portfolios, share trading, superannuation) and monthly usage with revenue (12 months) for
transactional holdings only (transaction accounts and cards); every other holding carries just its
current balance. Under a third of interactions carry notes (quick texts and unanswered calls do not).

Storage conventions the raw rows follow (what the ORM types would write): money in integer cents,
negative for lending and cards; timestamps as naive-UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``; dates as
``YYYY-MM-DD``; JSON as ``json.dumps`` text; booleans as 0/1. Office hours are Sydney local time.
"""

from __future__ import annotations

import gc
import json
import queue
import random
import sys
import threading
import time as clock
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from itertools import accumulate, chain
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from app.domain import cadence as cad
from app.domain.cadence import CadenceKind
from app.domain.complaints import Clock, compute_deadlines
from app.domain.complaints.regimes import ASIC
from app.domain.complaints.root_causes import DEFAULT_ROOT_CAUSES
from app.services.holiday_calendar import holiday_calendar
from app.store import derived
from app.store.database import Database
from app.store.models import stable_id

__all__ = ["MAX_CLIENTS", "REF_DATE", "DemoSummary", "generate_demo_book"]

REF_DATE = date(2026, 11, 22)
MAX_CLIENTS = 1_000_000
CHUNK_CLIENTS = 1000  # clients per generated batch; also how often progress is reported
TZ_NAME = "Australia/Sydney"
REGION = "AU-NSW"

_TZ = ZoneInfo(TZ_NAME)
_PAST_DAYS = 60 * 366  # oldest day offset we ever format (dates of birth reach 90 years back)
_FUTURE_DAYS = 1200
_REF_STAMP = "2026-11-22 00:00:00.000000"
_ID_EPOCH_MS = int(datetime(2026, 11, 22, tzinfo=UTC).timestamp() * 1000)
_SWITCH_INTERVAL = 0.0005  # hand the GIL back quickly when a statement finishes (see _run_pipeline)
_QUEUE_DEPTH = 3
_DEFER_INDEXES_ON = ("clients", "client_summary")
_FTS5_DEFAULT_AUTOMERGE = 4
_ANALYSIS_LIMIT = 2000  # rows sampled per index by ANALYZE
_LOAD_CACHE_KIB = 512 * 1024  # page cache while loading (fewer spills); the usual size comes back after


# ------------------------------------------------------------------------------------------ summary
@dataclass(frozen=True)
class DemoSummary:
    clients: int
    seed: int
    counts: dict[str, int] = field(hash=False)
    seconds: float

    def describe(self) -> str:
        rows = sum(self.counts.values())
        lines = [f"Demo book created: {self.clients:,} clients (seed {self.seed}), "
                 f"{rows:,} rows in {self.seconds:.1f} s."]
        width = max(map(len, self.counts), default=0)
        lines += [f"  {table:<{width}}  {n:>12,}" for table, n in self.counts.items() if n]
        return "\n".join(lines)


# ------------------------------------------------------------------------------------ ids and time
_COUNTER = [f"{i:03x}" for i in range(4096)]
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _id_stream(seed: int) -> Iterator[str]:
    """UUIDv7-shaped ids: fixed epoch + 12-bit counter (ordered), 62 seeded random bits for the rest.

    Made 4096 at a time (one millisecond's worth) from their own stream, so ids do not depend on
    how many other random draws the content took, and cost a fraction of a microsecond each.
    """
    rng = random.Random(f"rmdesk-demo-ids:{seed}")
    ms = _ID_EPOCH_MS
    while True:
        head = f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7"
        hx = rng.randbytes(8 * 4096).hex()
        yield from [f"{head}{_COUNTER[i]}-{_VARIANT[hx[j]]}{hx[j + 1:j + 4]}-{hx[j + 4:j + 16]}"
                    for i, j in enumerate(range(0, 16 * 4096, 16))]
        ms += 1


def _ids(seed: int) -> Callable[[], str]:
    return partial(next, _id_stream(seed))


class _Calendar:
    """Day offsets (0 = REF_DATE) to ISO text, and Sydney local minutes to naive-UTC text.

    Formatting millions of timestamps through datetime and zoneinfo would cost more than writing
    them; a lookup of precomputed day strings and UTC offsets is a few list indexings.
    """

    def __init__(self) -> None:
        first = REF_DATE - timedelta(days=_PAST_DAYS)
        days = [first + timedelta(days=i) for i in range(_PAST_DAYS + _FUTURE_DAYS + 1)]
        self._base = _PAST_DAYS
        self._text = [d.isoformat() for d in days]
        self._offset = [int(datetime.combine(d, time(12), _TZ).utcoffset().total_seconds()) // 60 for d in days]
        self._weekday = [d.weekday() for d in days]
        self._times = [f" {m // 60:02d}:{m % 60:02d}:00.000000" for m in range(1440)]

    def day(self, d: int) -> str:
        return self._text[d + self._base]

    def at(self, d: int, minute: int) -> str:
        """Local Sydney ``minute`` of day ``d`` as stored UTC text."""
        i = d + self._base
        t = i * 1440 + minute - self._offset[i]
        i, m = divmod(t, 1440)
        return self._text[i] + self._times[m]

    def weekday_of(self, d: int) -> int:
        """``d`` moved off a weekend to the Friday before (offices are closed at weekends)."""
        wd = self._weekday[d + self._base]
        return d - (wd - 4) if wd > 4 else d

    def date(self, d: int) -> date:
        return REF_DATE + timedelta(days=d)

    def moment(self, d: int, minute: int) -> datetime:
        local = datetime.combine(self.date(d), time(minute // 60, minute % 60), _TZ)
        return local.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _months_back(n: int) -> list[tuple[str, str]]:
    """(first day, last day) of the ``n`` whole months before REF_DATE's month, oldest first."""
    out = []
    y, m = REF_DATE.year, REF_DATE.month
    for _ in range(n):
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        first = date(y, m, 1)
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        out.append((first.isoformat(), last.isoformat()))
    return out[::-1]


# -------------------------------------------------------------------------------------- table specs
@dataclass(frozen=True)
class _Table:
    """How generator tuples become rows of one table.

    ``columns`` are the tuple's values in order (bound parameters). ``extra`` are (column, SQL)
    pairs filled in by SQLite itself: constants, or columns of the temp lookup table ``_COMBO``
    joined on the tuple's ``combo`` value. Binding text is the dearest part of an insert from
    Python, so the 2 million interactions bind six values and take the other seven from the
    lookup. Synced tables get the sync columns, created_at/updated_at taken from ``stamp``.
    """

    name: str
    columns: tuple[str, ...]
    stamp: str | None = None  # a timestamp or date column that doubles as created_at / updated_at
    synced: bool = True
    key: str = ""  # the batch key, when one table is fed two ways (defaults to the name)
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def batch(self) -> str:
        return self.key or self.name

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c != "combo") + tuple(c for c, _ in self.extra)

    def _created(self, value: Callable[[int], str]) -> str:
        if self.stamp is None:
            return f"'{_REF_STAMP}'"
        v = value(self.columns.index(self.stamp))
        return f"coalesce({v} || ' 00:00:00.000000', '{_REF_STAMP}')" if self.stamp in _DATE_STAMPS else \
            f"coalesce({v}, '{_REF_STAMP}')"

    def _select(self, value: Callable[[int], str]) -> list[str]:
        """The value expressions of one row, in ``_insert_head`` order."""
        exprs = [value(i) for i, c in enumerate(self.columns) if c != "combo"] + [sql for _, sql in self.extra]
        if self.synced:
            when = self._created(value)
            exprs += ["'local'", "0", "'{}'", "0", when, when]
        return exprs

    def _insert_head(self) -> str:
        sync = ", scope_id, row_version, field_versions, deleted, created_at, updated_at" if self.synced else ""
        return f"INSERT INTO {self.name} ({', '.join(self.targets)}{sync}) "

    def statement(self, rows: int) -> str:
        n = len(self.columns)
        if "combo" in self.columns:
            values = ",".join("(" + ",".join(f"?{r * n + i + 1}" for i in range(n)) + ")" for r in range(rows))
            exprs = self._select(lambda i: f"v.column{i + 1}")
            on = self.columns.index("combo") + 1
            return (self._insert_head() + f"SELECT {', '.join(exprs)} FROM (VALUES {values}) AS v "
                    f"CROSS JOIN temp.{_COMBO} AS c ON c.n = v.column{on}")  # CROSS JOIN: keep row order
        out = []
        for r in range(rows):
            out.append("(" + ",".join(self._select(lambda i, k=r * n: f"?{k + i + 1}")) + ")")
        return self._insert_head() + "VALUES " + ",".join(out)


_COMBO = "demo_interaction_kinds"
_COMBO_COLUMNS = ("channel", "direction", "purpose", "outcome", "subject", "notes", "duration_min")
_DATE_STAMPS = frozenset({"onboarded_on", "assigned_on", "opened_on", "as_of", "month", "enrolled_on",
                          "period_start"})


def _t(name: str, columns: str, stamp: str | None = None, *, synced: bool = True, key: str = "",
       extra: tuple[tuple[str, str], ...] = ()) -> _Table:
    return _Table(name, tuple(c.strip() for c in columns.split(",")), stamp, synced, key, extra)


# In foreign-key order (not required while loading, but it keeps a partial file readable when debugging).
TABLES: tuple[_Table, ...] = (
    _t("teams", "id, name"),
    _t("users", "id, username, display_name, role, email, team_id, active"),
    _t("segments", "id, code, name, rank, description, criteria"),
    _t("segment_policies", "id, segment_id, contact_kind, interval_months, interval_days, max_gap_days, channel, "
                           "effective_from"),
    _t("products", "id, code, name, category, active, annual_fee, margin_bps, eligible_segments, description"),
    _t("loyalty_programmes", "id, name, tiers, active"),
    _t("root_causes", "id, code, label, active"),
    _t("surveys", "id, name, kind, questions, active"),
    _t("households", "id, name, notes"),
    _t("clients", "rowid, id, kind, display_name, given_name, family_name, organisation_name, date_of_birth, tax_id, "
                  "country, status, segment_id, owner_id, household_id, loyalty_tier, onboarded_on, "
                  "data_verified_on, segment_informed_on, preferred_channel, preferred_language, "
                  "interpreter_needed, special_needs, do_not_contact, notes", "onboarded_on"),
    # the portfolio read model (store/derived.py), one row per client, made with the client
    _t("client_summary", "doc_id, client_id, owner_id, display_name, sort_name, kind, status, segment_code, segment_rank, "
                         "loyalty_tier, aum, revenue_12m, product_count, last_contact_at, next_contact_due, "
                         "contact_level, open_complaints, last_satisfaction, data_verified_on", synced=False),
    _t("client_phones", "id, client_id, label, number, is_primary"),
    _t("client_emails", "id, client_id, label, address, is_primary"),
    _t("client_addresses", "id, client_id, label, line1, line2, city, region, postcode, country, is_primary"),
    _t("consents", "id, client_id, purpose, granted, recorded_at, source, expires_on", "recorded_at"),
    _t("relationships", "id, client_id, related_client_id, kind, note"),
    _t("portfolio_assignments", "id, client_id, user_id, role, assigned_on, reason", "assigned_on"),
    _t("segment_history", "id, client_id, from_segment_id, to_segment_id, changed_at, reason, "
                          "client_informed_on, client_feedback", "changed_at"),
    _t("contact_plans", "id, client_id, contact_kind, interval_months, interval_days, max_gap_days, active, reason"),
    _t("holdings", "id, client_id, product_id, account_number, status, opened_on, closed_on, balance, currency, "
                   "credit_limit, rate_bps", "opened_on"),
    _t("balance_history", "id, holding_id, as_of, balance", "as_of"),
    _t("usage_summaries", "id, holding_id, month, transactions, volume, revenue", "month"),
    _t("recommendations", "id, client_id, product_id, reason, status, created_by"),
    _t("loyalty_enrolments", "id, programme_id, client_id, tier, status, enrolled_on, informed_on", "enrolled_on"),
    _t("points_ledger", "id, enrolment_id, at, points, reason", "at"),
    _t("complaints", "id, reference, client_id, channel, received_at, received_tz, description, products, "
                     "categories, remedy_sought, severity, complaint_type, regime, region, taken_by_id, owner_id, "
                     "escalated_to_id, state, outcome, written_response_requested, acknowledged_at, "
                     "response_issued_at, closed_at, ack_due_at, final_due_at", "received_at"),
    _t("complaint_events", "id, complaint_id, at, kind, from_state, to_state, actor_id, note, data", "at"),
    _t("compensations", "id, complaint_id, amount, currency, kind, status, proposed_by, proposed_at, approved_by, "
                        "approved_at, paid_at, note", "proposed_at"),
    _t("complaint_root_causes", "id, complaint_id, root_cause_id, note"),
    _t("interactions", "id, client_id, user_id, occurred_at, combo, complaint_id", "occurred_at",
       extra=tuple((c, f"c.{c}") for c in _COMBO_COLUMNS)),
    _t("scheduled_contacts", "id, client_id, owner_id, due_at, duration_min, contact_kind, purpose, location, "
                             "status, interaction_id, external_uid"),
    _t("tasks", "id, client_id, owner_id, title, detail, due_at, remind_at, priority, status, completed_at, "
                "source_kind, source_id"),
    _t("referrals", "id, client_id, complaint_id, department, owner_name, reason, due_on, status, created_by"),
    _t("referral_events", "id, referral_id, at, status, note, actor_id", "at"),
    _t("survey_responses", "id, survey_id, client_id, complaint_id, responded_at, score, nps, comment, answers",
       "responded_at"),
    _t("targets", "id, user_id, team_id, metric, period_start, period_end, value", "period_start"),
    # the local full-text indexes (store/derived.py): the rows its rebuild would make, written as we go
    _t("client_search", "rowid, client_id, title, body, state", synced=False),
    _t("complaint_search", "ref_id, client_id, title, body", synced=False),
    _t("search_index", "ref_id, client_id, combo", synced=False, key="search_interactions",
       extra=(("kind", "'interaction'"), ("title", "c.subject"), ("body", "c.notes"))),
)
_BY_KEY = {t.batch: t for t in TABLES}

Rows = dict[str, list[tuple]]


class _Writer:
    """Multi-row INSERTs of one fixed size per table on one DB-API connection.

    Rows are buffered per table and written only in full statements (the remainder waits for the
    next batch), so each table compiles one statement instead of one per odd batch size, and far
    fewer statement steps than executemany. Foreign keys are off while loading, so a child row
    may reach the file before its parent within the transaction.
    """

    MAX_VARIABLES = 4000  # per statement: wide multi-row statements get slower past a few thousand
    MAX_ROWS = 500  # rows per statement: enough to make GIL hand-overs between the threads rare

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._pending: dict[str, list[tuple]] = defaultdict(list)
        self._sql: dict[str, str] = {}
        self.counts: Counter[str] = Counter()

    @classmethod
    def rows_per_statement(cls, table: _Table) -> int:
        return max(1, min(cls.MAX_ROWS, cls.MAX_VARIABLES // len(table.columns)))

    def write(self, batch: Rows) -> None:
        for name, rows in batch.items():
            self.add(name, rows)

    def add(self, key: str, rows: Sequence[tuple]) -> None:
        table = _BY_KEY[key]
        pending = self._pending[key]
        pending.extend(rows)
        self.counts[table.name] += len(rows)
        per = self.rows_per_statement(table)
        full = len(pending) - len(pending) % per
        if full:
            sql = self._sql.get(key) or self._sql.setdefault(key, table.statement(per))
            for i in range(0, full, per):
                self._conn.execute(sql, list(chain.from_iterable(pending[i:i + per])))
            del pending[:full]

    def flush(self) -> None:
        for table in TABLES:
            rows = self._pending.pop(table.batch, None)
            if rows:
                self._conn.execute(table.statement(len(rows)), list(chain.from_iterable(rows)))


# ----------------------------------------------------------------------------------------- name data
# (native, romanised) pairs; for gendered surnames (Greek, Russian) (masculine, feminine, roman m, roman f).
_NAMES: dict[str, dict[str, Any]] = {
    "en-AU": {
        "f": ["Olivia", "Charlotte", "Amelia", "Isla", "Mia", "Ava", "Grace", "Chloe", "Sophie", "Emily", "Ruby",
              "Zoe", "Matilda", "Hannah", "Lucy", "Georgia", "Jessica", "Sarah", "Kylie", "Michelle", "Rebecca",
              "Karen", "Leanne", "Tahlia", "Madison", "Ella", "Harper", "Evie", "Willow", "Frankie"],
        "m": ["Jack", "Oliver", "William", "Noah", "Thomas", "James", "Lachlan", "Cooper", "Riley", "Harrison",
              "Ethan", "Liam", "Samuel", "Henry", "Lucas", "Mitchell", "Daniel", "Matthew", "Andrew", "Craig",
              "Darren", "Brett", "Jarrah", "Angus", "Hamish", "Archer", "Hudson", "Flynn", "Callum", "Xavier"],
        "family": ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin",
                   "Anderson", "Thompson", "Walker", "Harris", "Ryan", "Kelly", "Murphy", "O'Brien", "McDonald",
                   "Campbell", "Stewart", "Mitchell", "Robinson", "Clarke", "Hughes", "Cooper", "Morrison",
                   "Fitzgerald", "Sullivan", "McKenzie", "Gallagher", "Henderson", "Baxter", "Pearce", "Lawson",
                   "Doyle", "Gibson", "Hayes", "Lynch", "Wallace", "Whitfield"],
        "native": 0.0, "lang": "en-AU", "family_first": False, "country": "AU",
    },
    "en-GB": {
        "f": ["Emma", "Isabelle", "Poppy", "Eleanor", "Harriet", "Freya", "Imogen", "Florence", "Beatrice",
              "Rosie", "Alice", "Phoebe", "Clara", "Esme", "Daisy", "Victoria"],
        "m": ["Harry", "George", "Alfie", "Archie", "Oscar", "Edward", "Rupert", "Hugh", "Arthur", "Freddie",
              "Theo", "Rory", "Alistair", "Benedict", "Nigel", "Simon"],
        "family": ["Evans", "Davies", "Wright", "Roberts", "Hall", "Wood", "Green", "Edwards", "Turner", "Fletcher",
                   "Ashworth", "Pemberton", "Cartwright", "Hargreaves", "Whitaker", "Bancroft", "Griffiths",
                   "Holloway", "Lockwood", "Pennington"],
        "native": 0.0, "lang": "en-GB", "family_first": False, "country": "GB",
    },
    "el": {
        "f": [("Μαρία", "Maria"), ("Ελένη", "Eleni"), ("Αικατερίνη", "Aikaterini"), ("Σοφία", "Sofia"),
              ("Δέσποινα", "Despoina"), ("Αναστασία", "Anastasia"), ("Γεωργία", "Georgia"), ("Χριστίνα", "Christina"),
              ("Βασιλική", "Vasiliki"), ("Ευαγγελία", "Evangelia")],
        "m": [("Γιώργος", "Giorgos"), ("Κωνσταντίνος", "Konstantinos"), ("Δημήτρης", "Dimitris"), ("Νίκος", "Nikos"),
              ("Ιωάννης", "Ioannis"), ("Χρήστος", "Christos"), ("Παναγιώτης", "Panagiotis"), ("Βασίλης", "Vasilis"),
              ("Αθανάσιος", "Athanasios"), ("Σπύρος", "Spyros")],
        "family": [("Παπαδόπουλος", "Παπαδοπούλου", "Papadopoulos", "Papadopoulou"),
                   ("Γεωργίου", "Γεωργίου", "Georgiou", "Georgiou"), ("Οικονόμου", "Οικονόμου", "Oikonomou", "Oikonomou"),
                   ("Παπαδάκης", "Παπαδάκη", "Papadakis", "Papadaki"),
                   ("Νικολαΐδης", "Νικολαΐδου", "Nikolaidis", "Nikolaidou"),
                   ("Κωνσταντινίδης", "Κωνσταντινίδου", "Konstantinidis", "Konstantinidou"),
                   ("Αλεξίου", "Αλεξίου", "Alexiou", "Alexiou"), ("Βασιλείου", "Βασιλείου", "Vasileiou", "Vasileiou"),
                   ("Καραγιάννης", "Καραγιάννη", "Karagiannis", "Karagianni"),
                   ("Μακρής", "Μακρή", "Makris", "Makri"), ("Ζαχαρίου", "Ζαχαρίου", "Zachariou", "Zachariou")],
        "native": 0.7, "lang": "el", "family_first": False, "country": "AU",
    },
    "ru": {
        "f": [("Анна", "Anna"), ("Елена", "Elena"), ("Ольга", "Olga"), ("Наталья", "Natalya"), ("Татьяна", "Tatyana"),
              ("Мария", "Maria"), ("Екатерина", "Ekaterina"), ("Ирина", "Irina"), ("Светлана", "Svetlana"),
              ("Юлия", "Yulia")],
        "m": [("Алексей", "Alexei"), ("Дмитрий", "Dmitry"), ("Сергей", "Sergei"), ("Андрей", "Andrei"),
              ("Иван", "Ivan"), ("Михаил", "Mikhail"), ("Николай", "Nikolai"), ("Владимир", "Vladimir"),
              ("Павел", "Pavel"), ("Артём", "Artyom")],
        "family": [("Иванов", "Иванова", "Ivanov", "Ivanova"), ("Смирнов", "Смирнова", "Smirnov", "Smirnova"),
                   ("Кузнецов", "Кузнецова", "Kuznetsov", "Kuznetsova"), ("Попов", "Попова", "Popov", "Popova"),
                   ("Соколов", "Соколова", "Sokolov", "Sokolova"), ("Лебедев", "Лебедева", "Lebedev", "Lebedeva"),
                   ("Морозов", "Морозова", "Morozov", "Morozova"), ("Волков", "Волкова", "Volkov", "Volkova"),
                   ("Новиков", "Новикова", "Novikov", "Novikova"), ("Фёдоров", "Фёдорова", "Fedorov", "Fedorova")],
        "native": 0.7, "lang": "ru", "family_first": False, "country": "AU",
    },
    "ar": {
        "f": [("فاطمة", "Fatima"), ("مريم", "Mariam"), ("ليلى", "Layla"), ("نور", "Nour"), ("زينب", "Zainab"),
              ("سارة", "Sara"), ("هدى", "Huda"), ("رنا", "Rana"), ("ياسمين", "Yasmin"), ("آمنة", "Amina")],
        "m": [("محمد", "Mohammed"), ("أحمد", "Ahmed"), ("علي", "Ali"), ("عمر", "Omar"), ("خالد", "Khaled"),
              ("يوسف", "Youssef"), ("حسن", "Hassan"), ("إبراهيم", "Ibrahim"), ("طارق", "Tariq"), ("سامي", "Sami")],
        "family": [("الخوري", "Al-Khoury"), ("حداد", "Haddad"), ("منصور", "Mansour"), ("عيسى", "Issa"),
                   ("نصر", "Nasr"), ("سليمان", "Suleiman"), ("الأحمد", "Al-Ahmad"), ("عبدالله", "Abdullah"),
                   ("الحسيني", "Al-Husseini"), ("شاهين", "Shaheen"), ("الزين", "El-Zein")],
        "native": 0.6, "lang": "ar", "family_first": False, "country": "AU",
    },
    "zh": {
        "f": [("秀英", "Xiuying"), ("静", "Jing"), ("丽", "Li"), ("敏", "Min"), ("燕", "Yan"), ("婷", "Ting"),
              ("慧", "Hui"), ("雪梅", "Xuemei"), ("晓红", "Xiaohong"), ("佳怡", "Jiayi")],
        "m": [("伟", "Wei"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("杰", "Jie"), ("浩", "Hao"),
              ("俊杰", "Junjie"), ("建华", "Jianhua"), ("志明", "Zhiming"), ("宇轩", "Yuxuan")],
        "family": [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
                   ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("林", "Lin"), ("郭", "Guo")],
        "native": 0.65, "lang": "zh", "family_first": True, "country": "AU",
    },
    "vi": {
        "f": [("Thị Hoa", "Thi Hoa"), ("Thị Lan", "Thi Lan"), ("Ngọc Anh", "Ngoc Anh"), ("Thu Trang", "Thu Trang"),
              ("Thị Mai", "Thi Mai"), ("Phương Linh", "Phuong Linh"), ("Thanh Hương", "Thanh Huong"),
              ("Bảo Ngọc", "Bao Ngoc")],
        "m": [("Văn An", "Van An"), ("Minh Tuấn", "Minh Tuan"), ("Quốc Huy", "Quoc Huy"), ("Đức Anh", "Duc Anh"),
              ("Văn Hùng", "Van Hung"), ("Thành Long", "Thanh Long"), ("Hoàng Nam", "Hoang Nam"),
              ("Gia Bảo", "Gia Bao")],
        "family": [("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Lê", "Le"), ("Phạm", "Pham"), ("Hoàng", "Hoang"),
                   ("Huỳnh", "Huynh"), ("Võ", "Vo"), ("Đặng", "Dang"), ("Bùi", "Bui"), ("Đỗ", "Do")],
        "native": 0.85, "lang": "vi", "family_first": True, "country": "AU",
    },
    "hi": {
        "f": [("प्रिया", "Priya"), ("अनन्या", "Ananya"), ("दीपिका", "Deepika"), ("कविता", "Kavita"), ("पूजा", "Pooja"),
              ("लक्ष्मी", "Lakshmi"), ("नेहा", "Neha"), ("सुनीता", "Sunita")],
        "m": [("राहुल", "Rahul"), ("अर्जुन", "Arjun"), ("विक्रम", "Vikram"), ("अमित", "Amit"), ("संजय", "Sanjay"),
              ("रवि", "Ravi"), ("आदित्य", "Aditya"), ("करण", "Karan")],
        "family": [("शर्मा", "Sharma"), ("पटेल", "Patel"), ("सिंह", "Singh"), ("गुप्ता", "Gupta"), ("रेड्डी", "Reddy"),
                   ("अय्यर", "Iyer"), ("मेहता", "Mehta"), ("कुमार", "Kumar"), ("जोशी", "Joshi"), ("नायर", "Nair")],
        "native": 0.25, "lang": "hi", "family_first": False, "country": "AU",
    },
    "es": {
        "f": [("María José", "Maria Jose"), ("Lucía", "Lucia"), ("Sofía", "Sofia"), ("Carmen", "Carmen"),
              ("Valentina", "Valentina"), ("Isabel", "Isabel"), ("Camila", "Camila"), ("Ana Belén", "Ana Belen")],
        "m": [("José Luis", "Jose Luis"), ("Javier", "Javier"), ("Alejandro", "Alejandro"), ("Andrés", "Andres"),
              ("Miguel Ángel", "Miguel Angel"), ("Sebastián", "Sebastian"), ("Mateo", "Mateo"), ("Diego", "Diego")],
        "family": [("García", "Garcia"), ("Rodríguez", "Rodriguez"), ("Martínez", "Martinez"), ("López", "Lopez"),
                   ("Hernández", "Hernandez"), ("González", "Gonzalez"), ("Pérez", "Perez"), ("Sánchez", "Sanchez"),
                   ("Ramírez", "Ramirez"), ("Muñoz", "Munoz")],
        "native": 1.0, "lang": "es", "family_first": False, "country": "AU",
    },
}
_LOCALE_WEIGHTS = {"en-AU": 40, "en-GB": 9, "el": 7, "ru": 5, "ar": 7, "zh": 12, "vi": 8, "hi": 7, "es": 5}

_COMPANY_A = ["Harbourside", "Southern Cross", "Blue Gum", "Coastal", "Red Earth", "Parramatta", "Bondi", "Yarra",
              "Kingsford", "Northshore", "Wattle", "Ironbark", "Sunrise", "Jacaranda", "Banksia", "Tasman", "Eastwood",
              "Meridian", "Pacific", "Outback", "Olympus", "Athena", "Golden Dragon", "Saigon Star", "Cedar",
              "Al-Noor", "Ganges", "Andes"]
_COMPANY_B = ["Logistics", "Dental Group", "Constructions", "Imports", "Consulting", "Cafés", "Engineering",
              "Medical Centre", "Property Group", "Architects", "Freight", "Vineyards", "Electrical", "Accounting",
              "Trading", "Bakery", "Pharmacy", "Physiotherapy", "Legal", "Landscaping", "IT Services", "Catering"]
_COMPANY_C = ["Pty Ltd", "Pty Ltd", "Pty Ltd", "Pty Limited", "Holdings Pty Ltd"]

_AU_PLACES = [("Sydney", "NSW", "2000"), ("Parramatta", "NSW", "2150"), ("Chatswood", "NSW", "2067"),
              ("Bondi", "NSW", "2026"), ("Hurstville", "NSW", "2220"), ("Cabramatta", "NSW", "2166"),
              ("Strathfield", "NSW", "2135"), ("Marrickville", "NSW", "2204"), ("Bankstown", "NSW", "2200"),
              ("Liverpool", "NSW", "2170"), ("Manly", "NSW", "2095"), ("Epping", "NSW", "2121"),
              ("Kogarah", "NSW", "2217"), ("Newcastle", "NSW", "2300"), ("Wollongong", "NSW", "2500"),
              ("Melbourne", "VIC", "3000"), ("Box Hill", "VIC", "3128"), ("Richmond", "VIC", "3121"),
              ("Oakleigh", "VIC", "3166"), ("Footscray", "VIC", "3011"), ("Brisbane", "QLD", "4000"),
              ("Sunnybank", "QLD", "4109"), ("Perth", "WA", "6000"), ("Adelaide", "SA", "5000"),
              ("Canberra", "ACT", "2601"), ("Hobart", "TAS", "7000")]
_AU_STREETS = ["George Street", "Pitt Street", "Church Street", "Victoria Road", "Military Road", "King Street",
               "Oxford Street", "Parramatta Road", "Pacific Highway", "Anzac Parade", "Bay Street", "Beach Road",
               "Station Street", "High Street", "Queen Street", "Forest Road", "Railway Parade", "Park Avenue",
               "Wattle Crescent", "Banksia Close", "Hill Street", "Bridge Road", "Ocean Street", "Marion Street"]
_GB_PLACES = [("London", "Greater London", "SW11"), ("London", "Greater London", "N1"), ("London", "Greater London",
              "E14"), ("Manchester", "Greater Manchester", "M20"), ("Bristol", "Bristol", "BS8"),
              ("Edinburgh", "Scotland", "EH3"), ("Leeds", "West Yorkshire", "LS6"), ("Oxford", "Oxfordshire", "OX2")]
_GB_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "The Crescent", "Mill Lane",
               "Kings Road", "Park Terrace", "Queensway", "Albert Street"]
_EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]


# ------------------------------------------------------------------------------------ reference data
@dataclass(frozen=True)
class _ProductDef:
    code: str
    name: str
    category: str  # deposit, lending, card, investment, insurance, super
    annual_fee: int | None  # cents
    margin_bps: int
    segments: tuple[str, ...]
    median: int  # typical balance in dollars (absolute)
    rate_bps: int | None = None
    usage: bool = False  # monthly usage and revenue are kept
    history: bool = False  # month-end balance history is kept
    description: str = ""

    @property
    def liability(self) -> bool:
        return self.category in ("lending", "card")


_ALL = ("PRIVATE", "PREMIUM", "MASS_AFFLUENT", "BUSINESS")
_PERSONAL = ("PRIVATE", "PREMIUM", "MASS_AFFLUENT")
PRODUCTS: tuple[_ProductDef, ...] = (
    _ProductDef("EVERYDAY", "Everyday Account", "deposit", 0, 150, _PERSONAL, 4_000, 1, usage=True,
                description="Transaction account with a debit card"),
    _ProductDef("PREMIER_ACC", "Premier Transaction Account", "deposit", 0, 130, ("PRIVATE", "PREMIUM"), 25_000,
                10, usage=True, description="Fee-free transaction account for Premier clients"),
    _ProductDef("SAVER", "Online Saver", "deposit", 0, 120, _ALL, 18_000, 450, description="At-call savings"),
    _ProductDef("TD_12M", "Term Deposit 12 months", "deposit", 0, 90, _ALL, 60_000, 420,
                description="Fixed rate, interest at maturity"),
    _ProductDef("HOME_VAR", "Home Loan Variable", "lending", 39_500, 180, _PERSONAL, 480_000, 624,
                description="Owner-occupier, principal and interest"),
    _ProductDef("HOME_FIX", "Home Loan Fixed 3 years", "lending", 39_500, 160, _PERSONAL, 520_000, 589),
    _ProductDef("PERSONAL_LOAN", "Personal Loan", "lending", 0, 420, ("PREMIUM", "MASS_AFFLUENT"), 18_000, 1149),
    _ProductDef("CARD_LOW", "Low Rate Card", "card", 5_900, 600, _PERSONAL, 2_500, 1399, usage=True),
    _ProductDef("CARD_PLAT", "Platinum Rewards Card", "card", 29_900, 550, ("PRIVATE", "PREMIUM"), 6_000, 2099,
                usage=True, description="Rewards points, travel insurance, lounge passes"),
    _ProductDef("MANAGED", "Managed Portfolio", "investment", 0, 85, ("PRIVATE", "PREMIUM", "MASS_AFFLUENT"),
                150_000, history=True, description="Diversified, discretionary managed account"),
    _ProductDef("SHARES", "Share Trading Account", "investment", 0, 40, _ALL, 45_000, history=True),
    _ProductDef("SUPER", "Super Saver", "super", 7_800, 60, _PERSONAL, 180_000, history=True,
                description="Superannuation, balanced option"),
    _ProductDef("INS_HOME", "Home and Contents Insurance", "insurance", 180_000, 0, _PERSONAL, 0),
    _ProductDef("INS_LIFE", "Life Cover", "insurance", 96_000, 0, _PERSONAL, 0),
    _ProductDef("BIZ_ACC", "Business Transaction Account", "deposit", 12_000, 160, ("BUSINESS",), 45_000, 1,
                usage=True),
    _ProductDef("BIZ_LOAN", "Business Loan", "lending", 60_000, 260, ("BUSINESS",), 350_000, 849),
    _ProductDef("BIZ_CARD", "Business Card", "card", 9_900, 500, ("BUSINESS",), 8_000, 1599, usage=True),
)
_PRODUCT = {p.code: p for p in PRODUCTS}
_NOT_AUM = frozenset({"lending", "card", "insurance"})  # AUM is assets only (as store/derived.py sums it)

# (code, name, rank, description, criteria, [(contact kind, interval months, max gap days, channel)])
SEGMENTS = (
    ("PRIVATE", "Private", 40, "High net worth clients with a dedicated private banker", {"min_aum": 1_000_000},
     [(CadenceKind.MONTHLY_CALL, 1, 45, "phone"), (CadenceKind.QUARTERLY_REVIEW, 3, 120, "face_to_face")]),
    ("PREMIUM", "Premium", 30, "Affluent clients with a named relationship manager", {"min_aum": 250_000},
     [(CadenceKind.QUARTERLY_REVIEW, 3, 120, "face_to_face")]),
    ("MASS_AFFLUENT", "Mass affluent", 10, "Growing clients served through an annual review",
     {"min_aum": 50_000}, [(CadenceKind.ANNUAL_REVIEW_MEETING, 12, 400, "video")]),
    ("BUSINESS", "Business", 20, "Companies, trusts and self-managed super funds", {"min_turnover": 500_000},
     [(CadenceKind.QUARTERLY_REVIEW, 3, 120, "face_to_face")]),
)
_WEALTH = {"PRIVATE": 9.0, "PREMIUM": 2.8, "MASS_AFFLUENT": 1.0, "BUSINESS": 3.0}
_INTERACTIONS_PER_YEAR = {"PRIVATE": 9.8, "PREMIUM": 5.7, "MASS_AFFLUENT": 3.6, "BUSINESS": 5.2}
_LAST_CONTACT_WITHIN = {"PRIVATE": 25, "PREMIUM": 80, "MASS_AFFLUENT": 330, "BUSINESS": 80}  # keeps most green

# (username, display name, role)
STAFF = (
    ("margaret.ellison", "Margaret Ellison", "manager"),
    ("daniel.okafor", "Daniel Okafor", "team_leader"),
    ("sophie.tran", "Sophie Tran", "rm"),
    ("arjun.mehta", "Arjun Mehta", "rm"),
    ("eleni.georgiou", "Eleni Georgiou", "rm"),
    ("liam.oconnor", "Liam O'Connor", "rm"),
    ("meilin.zhou", "Mei Lin Zhou", "rm"),
    ("hannah.kaplan", "Hannah Kaplan", "rm"),
)
TEAM_NAME = "Sydney Relationship Banking"

_TIERS = [{"name": "Silver", "min_points": 0, "benefits": ["Birthday bonus points"]},
          {"name": "Gold", "min_points": 5000, "benefits": ["Fee-free international transfers"]},
          {"name": "Platinum", "min_points": 20000, "benefits": ["Airport lounge passes", "Priority service line"]}]
_SURVEYS = (
    ("csat", "After a contact", [{"code": "satisfaction", "scale": [1, 5], "text": "How satisfied were you?"}]),
    ("nps", "Annual relationship survey", [{"code": "nps", "scale": [0, 10],
                                            "text": "How likely are you to recommend us?"}]),
    ("post_complaint", "After a complaint", [{"code": "satisfaction", "scale": [1, 5],
                                              "text": "How satisfied are you with how we handled your complaint?"}]),
)


@dataclass
class _Catalogue:
    """Ids of the reference rows every client refers to."""

    team_id: str
    manager: str
    team_leader: str
    rms: list[str]
    segment: dict[str, str]
    product: dict[str, str]
    programme: str
    survey: dict[str, str]
    root_cause: dict[str, str]


def _json(value: Any) -> str:
    return json.dumps(value)


def _existing(conn: Any, table: str, key: str) -> dict[str, str]:
    return {k: i for k, i in conn.execute(f"SELECT {key}, id FROM {table} WHERE deleted = 0")}


def _reference(conn: Any, new_id: Callable[[], str]) -> tuple[_Catalogue, Rows]:
    """Team, staff, segments with their policies, products, loyalty, surveys, root causes.

    Rows with a unique code that the profile already has (say, segments set up by hand before the
    demo) are reused rather than duplicated, so the unique constraints never trip.
    """
    rows: Rows = defaultdict(list)
    team_id = new_id()
    rows["teams"].append((team_id, TEAM_NAME))
    users = _existing(conn, "users", "username")
    staff: dict[str, str] = {}
    for username, name, role in STAFF:
        if username not in users:
            users[username] = new_id()
            rows["users"].append((users[username], username, name, role, f"{username}@bank.example", team_id, 1))
        staff[role + ":" + username] = users[username]
    segments = _existing(conn, "segments", "code")
    for code, name, rank, desc, criteria, policies in SEGMENTS:
        if code in segments:
            continue
        segments[code] = new_id()
        rows["segments"].append((segments[code], code, name, rank, desc, _json(criteria)))
        for kind, months, gap, channel in policies:
            rows["segment_policies"].append((new_id(), segments[code], kind.value, months, 0, gap, channel,
                                             "2024-07-01"))
    products = _existing(conn, "products", "code")
    for p in PRODUCTS:
        if p.code not in products:
            products[p.code] = new_id()
            rows["products"].append((products[p.code], p.code, p.name, p.category, 1, p.annual_fee, p.margin_bps,
                                     _json(list(p.segments)), p.description or None))
    programme = new_id()
    rows["loyalty_programmes"].append((programme, "Harbour Rewards", _json(_TIERS), 1))
    causes = _existing(conn, "root_causes", "code")
    for cause in DEFAULT_ROOT_CAUSES:
        if cause.code not in causes:  # the ids the complaint service seeds with, so devices agree on sync
            causes[cause.code] = stable_id("root_cause", cause.code)
            rows["root_causes"].append((causes[cause.code], cause.code, cause.label, 1))
    surveys = _existing(conn, "surveys", "kind")
    for kind, name, questions in _SURVEYS:
        if kind not in surveys:
            surveys[kind] = stable_id("survey", kind)
            rows["surveys"].append((surveys[kind], name, kind, _json(questions), 1))
    cat = _Catalogue(team_id, users["margaret.ellison"], users["daniel.okafor"],
                     [users[u] for u, _, role in STAFF if role == "rm"], segments, products, programme, surveys,
                     causes)
    return cat, rows


# ----------------------------------------------------------------------------- content vocabularies
# (purpose, subject, notes, channels, (min, max) minutes, outcomes, weight)
_INTERACTION_KINDS = (
    ("review", "Portfolio review", ["Reviewed performance against goals; no change to risk profile.",
                                    "Annual review completed; agreed to rebalance towards defensive assets.",
                                    "Walked through fees and returns; client comfortable with the strategy.",
                                    None],
     ("face_to_face", "video", "phone"), (30, 90), ("completed", "follow_up_required"), 4),
    ("check_in", "Relationship check-in", ["Quick call to see how things are going; nothing needed.",
                                           "Client travelling next month; confirmed card travel notice.",
                                           "Discussed upcoming renovation plans.", *[None] * 9],
     ("phone", "sms", "email"), (5, 20), ("completed", "no_answer", "left_message"), 12),
    ("service", "Service request", ["Updated direct debit details.", "Reset online banking access.",
                                    "Ordered a replacement debit card.", "Increased daily transfer limit.",
                                    *[None] * 8],
     ("phone", "email"), (5, 25), ("completed", "referred"), 8),
    ("sales", "Product discussion", ["Discussed term deposit rates ahead of maturity.",
                                     "Introduced the platinum card; client will think about it.",
                                     "Home loan refinance options compared; sent rate sheet.",
                                     "Insurance needs discussed; referred to our insurance specialist.", None, None,
                                     None, None],
     ("face_to_face", "phone", "video"), (15, 60), ("product_discussed", "sale", "declined", "follow_up_required"), 4),
    ("maturity", "Term deposit maturity", ["Term deposit rolled over for 12 months.",
                                           "Funds moved to the online saver at maturity.", None, None],
     ("phone", "email", "letter"), (5, 15), ("completed",), 2),
    ("data_verification", "Details check", ["Confirmed address, phone and e-mail.",
                                            "Updated mobile number and residential address.", None, None],
     ("phone", "email"), (5, 10), ("completed",), 2),
    ("information", "Quarterly market update", [None], ("email", "letter"), (0, 0), ("completed",), 7),
    ("hardship", "Financial hardship", ["Client reports reduced hours; discussed repayment pause options."],
     ("phone",), (20, 45), ("referred",), 1),
)
_DEPARTMENTS = ("Home Lending", "Financial Planning", "Insurance", "Business Banking", "Hardship Assistance",
                "Estate Planning", "Card Services", "Foreign Exchange")
_TASKS = ("Send updated term deposit rates", "Follow up on home loan pre-approval", "Collect certified ID documents",
          "Prepare annual review pack", "Call back about card limit increase", "Book portfolio rebalance meeting",
          "Send insurance renewal comparison", "Confirm beneficiary nomination", "Chase signed direct debit form",
          "Introduce financial planner")
_COMPLAINTS = (
    ("fees_charges", "Charged a monthly account fee that the client says was waived.", "Refund of fees", "EVERYDAY"),
    ("service_delay", "Home loan settlement delayed by two weeks; client paid extra rent.", "Costs reimbursed",
     "HOME_VAR"),
    ("communication", "Was not told the fixed rate would revert to a higher variable rate.", "Lower rate",
     "HOME_FIX"),
    ("system_error", "Online banking outage meant a bill was paid late and incurred a penalty.",
     "Penalty refunded", "EVERYDAY"),
    ("transaction_error", "A card payment was debited twice.", "Duplicate debit reversed", "CARD_LOW"),
    ("staff_conduct", "Felt rushed and not listened to at a branch appointment.", "Apology", None),
    ("advice", "Managed portfolio lost value; says risk was not explained.", "Compensation for losses",
     "MANAGED"),
    ("disclosure", "Rewards points rules changed without clear notice.", "Points reinstated", "CARD_PLAT"),
    ("hardship", "Hardship request took too long to be answered.", "Repayment pause", "HOME_VAR"),
    ("privacy", "Statement was sent to an old address.", "Assurance it will not happen again", None),
    ("fraud_scam", "Scam payment not stopped despite a call to the bank.", "Reimbursement", "EVERYDAY"),
)
_CHANNEL_PREF = ["phone", "phone", "email", "email", "face_to_face", "video", "sms"]
_SPECIAL_NEEDS = ("Hearing impaired: prefers e-mail or SMS.", "Uses a wheelchair: ground-floor meeting rooms.",
                  "Large-print letters please.", "Prefers morning appointments.",
                  "Power of attorney held by daughter.")
_CLIENT_NOTES = ("Prefers to be called after 4pm.", "Semi-retired; grandchildren's education is a priority.",
                 "Saving for a first home.", "Runs a family business with a sibling.",
                 "Planning to downsize in the next two years.", "Recently widowed; handle with care.")


def _interaction_combos() -> list[tuple]:
    """Every (channel, direction, purpose, outcome, subject, notes, minutes), repeated to the kind's weight.

    Quick contacts (texts, unanswered calls, information letters) carry no notes, as in real logs,
    which also keeps the full-text index proportionate.
    """
    out: list[tuple] = []
    for purpose, subject, notes, channels, (lo, hi), outcomes, weight in _INTERACTION_KINDS:
        combos = []
        for channel in channels:
            written = channel in ("letter", "email", "sms")
            minutes = None if written else (lo + hi) // 2
            for outcome in outcomes:
                silent = channel == "sms" or outcome in ("no_answer", "left_message")
                for note in notes:
                    combos.append((channel, "outbound", purpose, outcome, subject, None if silent else note, minutes))
                    if purpose in ("service", "hardship", "check_in") and not silent:
                        combos.append((channel, "inbound", purpose, outcome, subject, note, minutes))
        copies = max(1, round(weight * 120 / len(combos)))
        out += combos * copies
    return out


# contacts about a complaint: when it was received, and the final response letter
_COMPLAINT_CONTACTS = (
    ("phone", "inbound", "complaint", "referred", "Complaint received",
     "Client raised a complaint; logged it and acknowledged the concern.", 15),
    ("letter", "outbound", "complaint", "completed", "Final response sent", None, None),
)


def _kind_table() -> tuple[list[tuple], list[int]]:
    """The distinct interaction kinds (rows of the lookup table) and weighted draws of their numbers."""
    weighted = _interaction_combos()
    distinct = list(dict.fromkeys([*_COMPLAINT_CONTACTS, *weighted]))
    number = {kind: n for n, kind in enumerate(distinct)}
    return distinct, [number[kind] for kind in weighted]


_KINDS, _KIND_DRAWS = _kind_table()
_KIND_HAS_NOTES = [kind[5] is not None for kind in _KINDS]
_RECEIVED, _RESPONDED = 0, 1  # numbers of the complaint contacts in _KINDS


@contextmanager
def _interaction_kinds(conn: Any) -> Iterator[None]:
    """The temp lookup the interaction statements join (temp_store is memory: nothing reaches disk)."""
    conn.execute(f"CREATE TEMP TABLE {_COMBO} (n INTEGER PRIMARY KEY, {', '.join(_COMBO_COLUMNS)})")
    try:
        conn.executemany(f"INSERT INTO temp.{_COMBO} VALUES ({','.join('?' * (1 + len(_COMBO_COLUMNS)))})",
                         [(n, *kind) for n, kind in enumerate(_KINDS)])
        yield
    finally:
        conn.execute(f"DROP TABLE IF EXISTS temp.{_COMBO}")


def _weighted(pairs: Sequence[tuple[Any, float]]) -> Callable[[random.Random], Any]:
    """A fast weighted pick: cumulative weights + bisect."""
    items = [p[0] for p in pairs]
    cum = list(accumulate(p[1] for p in pairs))
    total = cum[-1]

    def pick(rng: random.Random) -> Any:
        return items[bisect(cum, rng.random() * total)]

    return pick


# ----------------------------------------------------------------------------------------- the book
@dataclass
class _Person:
    id: str
    locale: str
    female: bool
    given: str
    family: str
    given_roman: str
    family_roman: str
    dob: int  # day offset
    segment: str
    owner: str


@dataclass
class _Facts:
    """What a client's portfolio summary row needs, gathered while the client's rows are made."""

    aum: int = 0  # cents, open holdings, lending negative (as the store sums it)
    revenue: int = 0  # cents, usage revenue inside the read model's 12-month window
    products: int = 0
    last_contact: str | None = None
    open_complaints: int = 0
    satisfaction: tuple[str, int] | None = None  # (responded_at, score) of the latest scored response
    plan: bool = False


# the one client-specific cadence the demo uses (how store/derived.client_overrides reads such a plan)
_PLAN = cad.Cadence(CadenceKind.MONTHLY_CALL, cad.Interval.days(14), cad.Interval.days(21),
                    label=CadenceKind.MONTHLY_CALL.value)
_LEVEL = {cad.ContactLevel.GREEN: 0, cad.ContactLevel.AMBER: 1, cad.ContactLevel.RED: 2}


@dataclass
class _Stats:
    """Per-RM totals gathered while generating, to set believable targets."""

    aum: Counter = field(default_factory=Counter)
    revenue: Counter = field(default_factory=Counter)
    contacts: Counter = field(default_factory=Counter)
    new_clients: Counter = field(default_factory=Counter)


class _Book:
    """Generates the clients and everything hanging off them, a chunk of clients at a time."""

    def __init__(self, total: int, cat: _Catalogue, new_id: Callable[[], str], rng: random.Random,
                 ctx: derived.Context, ranks: dict[str, int]) -> None:
        self.rng = rng
        self.ctx = ctx
        self.ranks = ranks
        self.id = new_id
        self.total = total
        self.cat = cat
        self.cal = _Calendar()
        self.stats = _Stats()
        self.made = 0
        self.client_rowid = 0
        self.complaint_no: Counter[int] = Counter()
        self.dup_every = max(1, total // max(2, total // 400))
        self.next_dup = self.dup_every // 2
        self.holidays = holiday_calendar(REGION)
        self.locale = _weighted(list(_LOCALE_WEIGHTS.items()))
        self.months12 = _months_back(12)

    # -- chunks ------------------------------------------------------------------------------------
    def chunks(self) -> Iterator[tuple[int, Rows]]:
        while self.made < self.total:
            rows: Rows = defaultdict(list)
            goal = min(self.total, self.made + CHUNK_CLIENTS)
            while self.made < goal:
                self._unit(rows, goal - self.made)
            yield self.made, rows

    def _unit(self, rows: Rows, room: int) -> None:
        """One household, organisation, duplicate pair or single person (never more than ``room`` clients)."""
        r = self.rng.random()
        if self.made >= self.next_dup and room >= 2:
            self.next_dup += self.dup_every
            self._duplicate_pair(rows)
        elif r < 0.08 and room >= 2:
            self._company(rows)
        elif r < 0.12 and room >= 3:
            self._family_trust(rows)
        elif r < 0.27 and room >= 2:
            self._household(rows, 2)
        elif r < 0.33 and room >= 4:
            self._household(rows, self.rng.choice((3, 4)))
        else:
            self._person(rows, self._new_person())

    # -- people ------------------------------------------------------------------------------------
    def _segment_for_person(self) -> str:
        r = self.rng.random()
        return "PRIVATE" if r < 0.06 else "PREMIUM" if r < 0.28 else "MASS_AFFLUENT"

    def _owner_for(self, segment: str) -> str:
        rms = self.cat.rms
        pool = rms[:2] if segment == "PRIVATE" else rms[-2:] if segment == "BUSINESS" else rms
        return self.rng.choice(pool)

    def _new_person(self, *, locale: str | None = None, family: Any = None, female: bool | None = None,
                    age: tuple[int, int] = (22, 88), segment: str | None = None, owner: str | None = None) -> _Person:
        rng = self.rng
        locale = locale or self.locale(rng)
        data = _NAMES[locale]
        female = rng.random() < 0.5 if female is None else female
        given = rng.choice(data["f" if female else "m"])
        family = family if family is not None else rng.choice(data["family"])
        if isinstance(given, str):
            g_native = g_roman = given
        else:
            g_native, g_roman = given
        if isinstance(family, str):
            f_native = f_roman = family
        elif len(family) == 4:
            f_native, f_roman = (family[1], family[3]) if female else (family[0], family[2])
        else:
            f_native, f_roman = family
        if rng.random() >= data["native"]:
            g_native, f_native = g_roman, f_roman
        dob = -rng.randrange(age[0] * 365, age[1] * 365)
        segment = segment or self._segment_for_person()
        return _Person(self.id(), locale, female, g_native, f_native, g_roman, f_roman, dob, segment,
                       owner or self._owner_for(segment))

    def _rowid(self) -> int:
        """Clients, their summary rows and their search rows share one number, as a rebuild would give them."""
        self.client_rowid += 1
        return self.client_rowid

    def _display(self, p: _Person) -> str:
        if _NAMES[p.locale]["family_first"]:
            native = p.given != p.given_roman or p.locale == "vi"
            if p.locale == "zh" and native:
                return p.family + p.given
            return f"{p.family} {p.given}"
        return f"{p.given} {p.family}"

    def _person(self, rows: Rows, p: _Person, *, household: str | None = None, email_label: str = "personal",
                stale: bool | None = None) -> None:
        rng = self.rng
        self.made += 1
        data = _NAMES[p.locale]
        onboarded = -rng.randrange(30, 15 * 365)
        native = p.given != p.given_roman or p.family != p.family_roman
        stale = rng.random() < 0.08 if stale is None else stale
        verified = -rng.randrange(400, 1200) if stale else -rng.randrange(0, 330)
        verified = max(verified, onboarded)
        informed = self._segment_history(rows, p.id, p.segment, onboarded)
        tier = self._loyalty(rows, p.id, p.segment, onboarded, p.owner)
        lang = data["lang"]
        interpreter = native and lang not in ("en-AU", "en-GB", "es", "hi") and rng.random() < 0.3
        name, status = self._display(p), "active" if rng.random() < 0.97 else "closed"
        rowid = self._rowid()
        rows["clients"].append((
            rowid, p.id, "person", name, p.given, p.family, None, self.cal.day(p.dob), None, data["country"], status,
            self.cat.segment[p.segment], p.owner, household, tier, self.cal.day(onboarded), self.cal.day(verified),
            self.cal.day(informed), rng.choice(_CHANNEL_PREF), lang if lang != "hi" else "en-IN", interpreter,
            rng.choice(_SPECIAL_NEEDS) if rng.random() < 0.03 else None, rng.random() < 0.01,
            rng.choice(_CLIENT_NOTES) if rng.random() < 0.1 else None))
        emails, phones = self._contact_details(rows, p, email_label)
        rows["client_search"].append((rowid, p.id, name, _search_body(p.given, p.family, None, emails, phones), status))
        self._consents(rows, p.id, onboarded, person=True)
        facts = self._client_life(rows, p.id, p.segment, p.owner, onboarded, person=True)
        rows["client_summary"].append((rowid, *self._summary(p.id, p.owner, name, "person", status, p.segment, tier,
                                                             verified, onboarded, facts)))

    def _household(self, rows: Rows, size: int) -> None:
        first = self._new_person()
        family = self._family_of(first)
        hid = self.id()
        label = "family" if size > 2 else "household"
        rows["households"].append((hid, f"{first.family_roman} {label}", None))
        spouse = self._new_person(locale=first.locale, family=family, female=not first.female,
                                  age=(max(22, (-first.dob) // 365 - 6), (-first.dob) // 365 + 6),
                                  segment=first.segment, owner=first.owner)
        members = [first, spouse]
        parent_age = (-first.dob) // 365
        for _ in range(size - 2):
            if parent_age < 45:
                break
            members.append(self._new_person(locale=first.locale, family=family, age=(18, parent_age - 22),
                                            segment="MASS_AFFLUENT", owner=first.owner))
        for m in members:
            self._person(rows, m, household=hid)
        self._relate(rows, first.id, spouse.id, "spouse", "spouse")
        for child in members[2:]:
            for parent in (first, spouse):
                self._relate(rows, parent.id, child.id, "child", "parent")

    def _family_of(self, p: _Person) -> Any:
        for f in _NAMES[p.locale]["family"]:
            names = (f,) if isinstance(f, str) else f
            if p.family in names or p.family_roman in names:
                return f
        return p.family

    def _relate(self, rows: Rows, a: str, b: str, a_to_b: str, b_to_a: str | None) -> None:
        rows["relationships"].append((self.id(), a, b, a_to_b, None))
        if b_to_a:
            rows["relationships"].append((self.id(), b, a, b_to_a, None))

    def _duplicate_pair(self, rows: Rows) -> None:
        """The same person entered twice (same name and date of birth, another e-mail): for data quality."""
        p = self._new_person()
        twin = _Person(self.id(), p.locale, p.female, p.given, p.family, p.given_roman, p.family_roman, p.dob,
                       p.segment, self._owner_for(p.segment))
        self._person(rows, p)
        self._person(rows, twin, email_label="work", stale=True)

    # -- organisations -----------------------------------------------------------------------------
    def _company(self, rows: Rows) -> None:
        rng = self.rng
        director = self._new_person(age=(30, 70))
        name = f"{rng.choice(_COMPANY_A)} {rng.choice(_COMPANY_B)} {rng.choice(_COMPANY_C)}"
        org = self._organisation(rows, name, director.owner)
        self._person(rows, director)
        self._relate(rows, org, director.id, "director", "director_of")

    def _family_trust(self, rows: Rows) -> None:
        rng = self.rng
        trustee = self._new_person(age=(40, 85), segment=rng.choice(("PRIVATE", "PREMIUM")))
        spouse = self._new_person(locale=trustee.locale, family=self._family_of(trustee), female=not trustee.female,
                                  age=(40, 85), segment=trustee.segment, owner=trustee.owner)
        hid = self.id()
        rows["households"].append((hid, f"{trustee.family_roman} family", None))
        kind = rng.choice(("Family Trust", "Superannuation Fund", "Investment Trust"))
        org = self._organisation(rows, f"The {trustee.family_roman} {kind}", trustee.owner, household=hid)
        for p in (trustee, spouse):
            self._person(rows, p, household=hid)
            self._relate(rows, org, p.id, "trustee", "trustee_of")
        self._relate(rows, trustee.id, spouse.id, "spouse", "spouse")

    def _organisation(self, rows: Rows, name: str, owner_hint: str, household: str | None = None) -> str:
        rng = self.rng
        self.made += 1
        cid = self.id()
        segment = "BUSINESS"
        owner = self._owner_for(segment) if rng.random() < 0.8 else owner_hint
        onboarded = -rng.randrange(60, 12 * 365)
        stale = rng.random() < 0.08
        verified = max(onboarded, -rng.randrange(400, 1200) if stale else -rng.randrange(0, 330))
        rowid = self._rowid()
        rows["clients"].append((
            rowid, cid, "organisation", name, None, None, name, None, _abn(rng), "AU", "active",
            self.cat.segment[segment], owner, household, None, self.cal.day(onboarded), self.cal.day(verified),
            self.cal.day(onboarded), rng.choice(("email", "phone", "face_to_face")), "en-AU", False, None, False,
            None))
        slug = "".join(ch for ch in name.lower().split(" pty")[0] if ch.isascii() and ch.isalnum()) or "company"
        email, phone = f"accounts@{slug}.example.com", f"+612{rng.randrange(80000000, 99999999)}"
        rows["client_emails"].append((self.id(), cid, "work", email, True))
        rows["client_phones"].append((self.id(), cid, "work", phone, True))
        rows["client_search"].append((rowid, cid, name, _search_body(None, None, name, [email], [phone]), "active"))
        self._address(rows, cid, "AU", "business")
        self._consents(rows, cid, onboarded, person=False)
        facts = self._client_life(rows, cid, segment, owner, onboarded, person=False)
        rows["client_summary"].append((rowid, *self._summary(cid, owner, name, "organisation", "active", segment, None,
                                                             verified, onboarded, facts)))
        return cid

    # -- contact details ---------------------------------------------------------------------------
    def _contact_details(self, rows: Rows, p: _Person, email_label: str) -> tuple[list[str], list[str]]:
        """Phones (E.164), e-mail and address; a few people have no phone or no e-mail on file."""
        rng = self.rng
        country = _NAMES[p.locale]["country"]
        phones: list[str] = []
        emails: list[str] = []
        if rng.random() < 0.96:
            # number ranges phonenumbers knows to be allocated, so validation never flags demo data
            phones.append(f"+447{rng.choice('4578')}{rng.randrange(10000000, 99999999)}" if country == "GB" else
                          f"+614{rng.choice('0123')}{rng.randrange(1000000, 9999999)}")
            if rng.random() < 0.2:
                phones.append(f"+4420{rng.randrange(70000000, 89999999)}" if country == "GB" else
                              f"+612{rng.randrange(80000000, 99999999)}")
            for label, number in zip(("mobile", "home"), phones, strict=False):
                rows["client_phones"].append((self.id(), p.id, label, number, label == "mobile"))
        if rng.random() < 0.95:
            local = f"{p.given_roman}.{p.family_roman}".lower().replace(" ", "").replace("'", "")
            emails.append(f"{local}{rng.randrange(1, 999)}@{rng.choice(_EMAIL_DOMAINS)}")
            rows["client_emails"].append((self.id(), p.id, email_label, emails[0], True))
        self._address(rows, p.id, country, "home")
        return emails, phones

    def _address(self, rows: Rows, cid: str, country: str, label: str) -> None:
        rng = self.rng
        unit = f"Unit {rng.randrange(1, 40)}" if rng.random() < 0.25 else None
        if country == "GB":
            city, region, outward = rng.choice(_GB_PLACES)
            postcode = f"{outward} {rng.randrange(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
                       f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            rows["client_addresses"].append((self.id(), cid, label, f"{rng.randrange(1, 200)} {rng.choice(_GB_STREETS)}",
                                             unit, city, region, postcode, "GB", True))
            return
        city, state, postcode = rng.choice(_AU_PLACES)
        rows["client_addresses"].append((self.id(), cid, label, f"{rng.randrange(1, 400)} {rng.choice(_AU_STREETS)}",
                                         unit, city, state, postcode, "AU", True))

    def _consents(self, rows: Rows, cid: str, onboarded: int, *, person: bool) -> None:
        rng = self.rng
        at = self.cal.at(onboarded, 600)
        source = rng.choice(("onboarding form", "online banking", "branch"))
        rows["consents"].append((self.id(), cid, "marketing_email", rng.random() < 0.7, at, source, None))
        if person:
            rows["consents"].append((self.id(), cid, "marketing_phone", rng.random() < 0.55, at, source, None))
            if rng.random() < 0.35:
                rows["consents"].append((self.id(), cid, "data_sharing", rng.random() < 0.8, at, source,
                                         self.cal.day(onboarded + 3 * 365)))

    # -- segment, ownership, loyalty ---------------------------------------------------------------
    def _segment_history(self, rows: Rows, cid: str, segment: str, onboarded: int) -> int:
        """Mostly none; ~10% moved segment in the last two years, a few not yet told. Returns informed day."""
        rng = self.rng
        if rng.random() >= 0.10 or onboarded > -800:
            return onboarded
        previous = {"PRIVATE": "PREMIUM", "PREMIUM": "MASS_AFFLUENT", "MASS_AFFLUENT": "PREMIUM"}.get(segment)
        if previous is None:
            return onboarded
        changed = -rng.randrange(20, 720)
        told = changed + rng.randrange(2, 15) if rng.random() < 0.85 else None
        reason = "Annual segment review: balances above the threshold" if segment != "MASS_AFFLUENT" else \
            "Annual segment review: balances below the threshold"
        rows["segment_history"].append((
            self.id(), cid, self.cat.segment[previous], self.cat.segment[segment], self.cal.at(changed, 540),
            reason, self.cal.day(told) if told is not None and told < 0 else None,
            "Happy with the change" if told is not None and rng.random() < 0.3 else None))
        return told if told is not None and told < 0 else onboarded

    def _loyalty(self, rows: Rows, cid: str, segment: str, onboarded: int, owner: str) -> str | None:
        rng = self.rng
        if rng.random() >= {"PRIVATE": 0.7, "PREMIUM": 0.55, "MASS_AFFLUENT": 0.3}[segment]:
            return None
        enrolled = max(onboarded, -rng.randrange(30, 6 * 365))
        eid = self.id()
        points, entries = 0, [(enrolled, 500, "Welcome bonus")]
        for _ in range(rng.randrange(1, 6)):
            entries.append((rng.randrange(enrolled, 0), rng.randrange(200, 9000) * _WEALTH[segment] // 2,
                            "Card spend"))
        if rng.random() < 0.3:
            entries.append((-rng.randrange(1, 200), -rng.choice((2000, 5000, 10000)), "Redeemed: gift card"))
        entries.sort()
        for day, pts, reason in entries:
            pts = int(pts)
            if points + pts < 0:
                continue
            points += pts
            rows["points_ledger"].append((self.id(), eid, self.cal.at(day, 720), pts, reason))
        tier = "Platinum" if points >= 20000 else "Gold" if points >= 5000 else "Silver"
        informed = self.cal.day(enrolled + 3) if rng.random() < 0.8 else None
        rows["loyalty_enrolments"].append((eid, self.cat.programme, cid, tier, "active", self.cal.day(enrolled),
                                           informed))
        return tier

    # -- holdings, interactions, agenda, complaints ------------------------------------------------
    def _client_life(self, rows: Rows, cid: str, segment: str, owner: str, onboarded: int, *,
                     person: bool) -> _Facts:
        rng = self.rng
        facts = _Facts()
        if onboarded > -365:
            self.stats.new_clients[owner] += 1
        rows["portfolio_assignments"].append((self.id(), cid, owner, "primary", self.cal.day(onboarded),
                                              "Onboarding"))
        if rng.random() < 0.05 and onboarded < -400:
            previous = rng.choice([u for u in self.cat.rms if u != owner])
            moved = -rng.randrange(30, 360)
            rows["portfolio_assignments"][-1] = (self.id(), cid, previous, "primary", self.cal.day(onboarded),
                                                 "Onboarding")
            rows["portfolio_assignments"].append((self.id(), cid, owner, "primary", self.cal.day(moved),
                                                  "Portfolio rebalance across the team"))
        if rng.random() < 0.02:
            rows["contact_plans"].append((self.id(), cid, _PLAN.kind.value, 0, _PLAN.ideal.count,
                                          _PLAN.max_gap.count, True,
                                          "Client asked for fortnightly calls during a property purchase"))
            facts.plan = True
        self._holdings(rows, cid, segment, owner, onboarded, person, facts)
        cases = self._complaints(rows, cid, owner, facts)
        last_interaction = self._interactions(rows, cid, segment, owner, onboarded, cases, facts)
        self._agenda(rows, cid, segment, owner, last_interaction)
        self._surveys(rows, cid, cases, facts)
        if rng.random() < 0.03:
            self._referral(rows, cid, owner, None)
        if rng.random() < 0.05:
            code = rng.choice(("MANAGED", "TD_12M", "SUPER", "INS_LIFE")) if person else "BIZ_LOAN"
            rows["recommendations"].append((self.id(), cid, self.cat.product[code],
                                            "Surplus cash in transaction account for over six months",
                                            rng.choice(("open", "open", "discussed")), owner))
        return facts

    def _summary(self, cid: str, owner: str, name: str, kind: str, status: str, segment: str, tier: str | None,
                 verified: int, onboarded: int, facts: _Facts) -> tuple:
        """The client_summary row store/derived.refresh_summaries would compute, from what we just made.

        The contact status goes through the same domain rules (app.domain.cadence) with the same
        context; tests compare these rows with the store's own refresh.
        """
        ctx = self.ctx
        overrides = (_PLAN,) if facts.plan else ()
        cadences = cad.effective_cadences(segment, overrides, ctx.segments)
        last = datetime.fromisoformat(facts.last_contact).replace(tzinfo=UTC) if facts.last_contact else None
        statuses = [cad.contact_status(last, c, ctx.today, ctx.tz, onboarded_on=self.cal.date(onboarded))
                    for c in cadences]
        worst = cad.worst(statuses)
        due = min((st.due for st in statuses), default=None)
        level = _LEVEL[worst.level] if worst else 0
        return (cid, owner, name, name.casefold(), kind, status, segment, self.ranks.get(segment, 0), tier,
                facts.aum, facts.revenue, facts.products, facts.last_contact, due.isoformat() if due else None,
                level, facts.open_complaints, facts.satisfaction[1] if facts.satisfaction else None,
                self.cal.day(verified))

    def _products_for(self, segment: str, person: bool) -> list[str]:
        rng = self.rng
        r = rng.random
        if not person:
            picks = ["BIZ_ACC"]
            picks += ["SAVER"] if r() < 0.4 else []
            picks += ["TD_12M"] if r() < 0.3 else []
            picks += ["BIZ_LOAN"] if r() < 0.35 else []
            picks += ["BIZ_CARD"] if r() < 0.5 else []
            picks += ["SHARES"] if r() < 0.2 else []
            return picks
        top = segment in ("PRIVATE", "PREMIUM")
        picks = []
        if r() < 0.96:
            picks.append("PREMIER_ACC" if top and r() < 0.7 else "EVERYDAY")
        picks += ["SAVER"] if r() < 0.5 else []
        picks += ["TD_12M"] if r() < (0.35 if segment == "PRIVATE" else 0.12) else []
        loan = r()
        picks += ["HOME_VAR"] if loan < 0.16 else ["HOME_FIX"] if loan < 0.22 else []
        picks += ["PERSONAL_LOAN"] if segment != "PRIVATE" and r() < 0.05 else []
        if r() < 0.35:
            picks.append("CARD_PLAT" if top and r() < 0.6 else "CARD_LOW")
        invest = {"PRIVATE": 0.8, "PREMIUM": 0.35, "MASS_AFFLUENT": 0.1}[segment]
        picks += ["MANAGED"] if r() < invest else []
        picks += ["SHARES"] if r() < invest / 2 else []
        picks += ["INS_HOME"] if r() < 0.15 else []
        picks += ["INS_LIFE"] if r() < 0.07 else []
        picks += ["SUPER"] if r() < {"PRIVATE": 0.4, "PREMIUM": 0.25, "MASS_AFFLUENT": 0.15}[segment] else []
        return picks

    def _holdings(self, rows: Rows, cid: str, segment: str, owner: str, onboarded: int, person: bool,
                  facts: _Facts) -> None:
        rng = self.rng
        wealth = _WEALTH[segment]
        for code in self._products_for(segment, person):
            p = _PRODUCT[code]
            hid = self.id()
            opened = rng.randrange(onboarded, 1) if onboarded < -1 else onboarded
            closed = rng.random() < 0.06
            limit = None
            if p.category == "insurance":
                cents = 0
            elif p.category == "card":
                limit = int(p.median * wealth * rng.choice((2, 3, 4))) * 100
                cents = -int(limit * rng.random() * 0.5)
            else:
                scale = wealth if p.category != "lending" else min(wealth, 2.5)
                cents = int(p.median * scale * rng.lognormvariate(0, 0.7) * 100)
                cents = -cents if p.liability else cents
            if closed:
                cents = 0
            account = f"{rng.randrange(100000, 999999)}-{rng.randrange(10000000, 99999999)}"
            rows["holdings"].append((hid, cid, self.cat.product[code], account, "closed" if closed else "open",
                                     self.cal.day(opened), self.cal.day(rng.randrange(opened, 1)) if closed else None,
                                     cents, "AUD", limit, p.rate_bps))
            if closed:
                continue
            if p.category not in _NOT_AUM:
                facts.aum += cents
            facts.products += 1
            if cents > 0:
                self.stats.aum[owner] += cents
            if p.history:
                self._balance_history(rows, hid, cents, opened)
            if p.usage:
                facts.revenue += self._usage(rows, hid, p, cents, owner, opened)

    def _balance_history(self, rows: Rows, hid: str, cents: int, opened: int) -> None:
        rng = self.rng
        balance = cents
        points = []
        opened_text = self.cal.day(opened)
        gauss = rng.gauss
        for _, last in reversed(self.months12):
            if last < opened_text:
                break
            points.append((self.id(), hid, last, balance))
            balance = int(balance / (1 + gauss(0.006, 0.03)))
        rows["balance_history"].extend(reversed(points))

    def _usage(self, rows: Rows, hid: str, p: _ProductDef, cents: int, owner: str, opened: int) -> int:
        """Twelve months of usage; returns the revenue inside the read model's 12-month window."""
        rng = self.rng
        business = p.code.startswith("BIZ")
        base_tx = 140 if business else 45 if p.category == "deposit" else 25
        ticket = 38000 if business else 7500  # cents per transaction
        fee = (p.annual_fee or 0) // 12
        carry = abs(cents) * p.margin_bps // 120000  # a month of margin on the balance
        opened_month = self.cal.day(opened)[:8] + "01"
        rnd, new_id, out = rng.random, self.id, rows["usage_summaries"]
        card, since = p.category == "card", self.ctx.since
        total = window = 0
        for first, _ in self.months12:
            if first < opened_month:
                continue
            tx = int(base_tx * (0.5 + rnd()))
            volume = tx * int(ticket * (0.6 + rnd()))
            revenue = fee + carry + (volume * 8 // 1000 if card else tx * 10)
            total += revenue
            if first >= since:
                window += revenue
            out.append((new_id(), hid, first, tx, volume, revenue))
        self.stats.revenue[owner] += total
        return window

    def _interactions(self, rows: Rows, cid: str, segment: str, owner: str, onboarded: int,
                      cases: list[tuple[str, int, int | None]], facts: _Facts) -> int:
        rng = self.rng
        cal = self.cal
        start = max(onboarded, -5 * 365)
        years = -start / 365
        n = max(1, round(_INTERACTIONS_PER_YEAR[segment] * years * rng.uniform(0.5, 1.5)))
        span, rnd = -start, rng.random
        days = sorted(start + int(rnd() * span) for _ in range(n))
        if rnd() < 0.8:  # most books are mostly on cadence: the last contact is recent
            days[-1] = -1 - int(rnd() * _LAST_CONTACT_WITHIN[segment])
            days.sort()
        # the hottest loop of the book (2M rows at 100k clients): plain random() and local names only
        rnd, at, weekday_of, new_id = rng.random, cal.at, cal.weekday_of, self.id
        draws, has_notes, other = _KIND_DRAWS, _KIND_HAS_NOTES, self.cat.team_leader
        k = len(draws)
        out, search = rows["interactions"], rows["search_interactions"]
        first = len(out)
        for d in days:
            kind = draws[int(rnd() * k)]
            iid = new_id()
            out.append((iid, cid, owner if rnd() < 0.92 else other, at(weekday_of(d), 510 + int(rnd() * 540)),
                        kind, None))
            if has_notes[kind]:
                search.append((iid, cid, kind))
        self.stats.contacts[owner] += n - bisect(days, -365)
        for complaint_id, received, responded in cases:
            iid = new_id()
            out.append((iid, cid, owner, at(received, 540 + int(rnd() * 460)), _RECEIVED, complaint_id))
            search.append((iid, cid, _RECEIVED))
            if responded is not None:
                out.append((new_id(), cid, owner, at(responded, 660), _RESPONDED, complaint_id))
        facts.last_contact = max(r[3] for r in out[first:])
        return days[-1]

    def _agenda(self, rows: Rows, cid: str, segment: str, owner: str, last_contact: int) -> None:
        rng = self.rng
        cal = self.cal
        kind, months, _, channel = next(p for s in SEGMENTS if s[0] == segment for p in s[5][-1:])
        if rng.random() < 0.85:
            due = last_contact + months * 30 + rng.randrange(-10, 10)
            due = min(max(due, -45), 120)
            status = "planned"
            location = {"face_to_face": rng.choice(("Sydney CBD branch", "Client's office", "Parramatta branch")),
                        "video": "Video call", "phone": None}[channel]
            rows["scheduled_contacts"].append((self.id(), cid, owner, cal.at(cal.weekday_of(due), rng.randrange(
                36, 66) * 15), 30 if channel == "phone" else 60, kind.value,
                kind.value.replace("_", " ").capitalize(), location, status, None, None))
        if rng.random() < 0.15:
            rows["scheduled_contacts"].append((self.id(), cid, owner, cal.at(cal.weekday_of(-rng.randrange(5, 200)),
                                               600), 30, kind.value, "Follow-up call",
                                               None, rng.choice(("cancelled", "missed")), None, None))
        if rng.random() < 0.4:
            due = rng.randrange(-20, 30)
            done = due < 0 and rng.random() < 0.6
            rows["tasks"].append((
                self.id(), cid, owner, rng.choice(_TASKS), None, cal.at(due, 1020),
                cal.at(due - 1, 540) if rng.random() < 0.3 else None, rng.choice((1, 2, 2, 3)),
                "done" if done else "open", cal.at(due, 900) if done else None, None, None))

    def _complaints(self, rows: Rows, cid: str, owner: str, facts: _Facts) -> list[tuple[str, int, int | None]]:
        rng = self.rng
        r = rng.random()
        count = 2 if r < 0.015 else 1 if r < 0.185 else 0
        cases = [self._complaint(rows, cid, owner) for _ in range(count)]
        facts.open_complaints = sum(1 for k in rows["complaints"][-count:] if k[17] != "closed") if count else 0
        return cases

    def _complaint(self, rows: Rows, cid: str, owner: str) -> tuple[str, int, int | None]:
        """One case with a believable history; states spread over the lifecycle by age."""
        rng = self.rng
        cal = self.cal
        age = int(rng.random() ** 1.6 * 1000) + 1
        received_day = -age
        august_outage = -111 <= received_day <= -93  # an outage cluster for the recurrence detector
        cause, description, remedy, product = (_COMPLAINTS[3] if august_outage and rng.random() < 0.6
                                               else rng.choice(_COMPLAINTS))
        ctype = "hardship" if cause == "hardship" else "standard"
        received = cal.moment(received_day, rng.randrange(540, 1020))
        dl = compute_deadlines(received, ASIC, ctype, self.holidays, tz=_TZ)
        ack_due, final_due = dl.get(Clock.ACKNOWLEDGEMENT).due, dl.get(Clock.FINAL_RESPONSE).due
        kid = self.id()
        year = cal.date(received_day).year
        self.complaint_no[year] += 1
        reference = f"C-{year}-{self.complaint_no[year]:06d}"
        leader, manager = self.cat.team_leader, self.cat.manager
        handler = owner if rng.random() < 0.7 else leader
        events: list[tuple] = []

        def event(at: datetime, kind: str, frm: str | None, to: str | None, actor: str, note: str | None = None,
                  data: dict | None = None) -> None:
            events.append((self.id(), kid, _stamp(at), kind, frm, to, actor, note,
                           _json({**(data or {}), "actor": "demo"})))

        event(received, "received", None, "received", owner, data={"channel": "phone", "complaint_type": ctype,
                                                                     "regime": "asic", "region": REGION,
                                                                     "timezone": TZ_NAME})
        state, outcome = "received", None
        ack_at = resp_at = closed_at = None
        escalated = None
        now = cal.moment(0, 540)
        ack_at = received + timedelta(hours=rng.choice((1, 2, 4, 20, 30)))
        if ack_at < now and age > 1:
            event(ack_at, "acknowledge", state, "acknowledged", handler, "Acknowledged by phone.")
            state = "acknowledged"
        early = rng.random() < 0.35
        if state == "acknowledged" and early and age > 4:
            closed_at = ack_at + timedelta(days=rng.randrange(1, 4))
            outcome = rng.choice(("upheld", "partly_upheld", "not_upheld"))
            event(closed_at, "close", state, "closed", handler, "Resolved on first contact.", {"outcome": outcome})
            state = "closed"
        elif state == "acknowledged" and age > 3:
            inv_at = ack_at + timedelta(hours=rng.randrange(2, 48))
            event(inv_at, "investigate", state, "investigating", handler)
            state = "investigating"
            if rng.random() < 0.15 and age > 8:
                escalated = manager
                esc_at = inv_at + timedelta(days=rng.randrange(2, 6))
                event(esc_at, "escalate", state, "escalated", handler, "Escalated to the manager for a decision.")
                state = "escalated"
            late = rng.random() < 0.06
            resp_days = rng.randrange(31, 45) if late else rng.randrange(6, 29)
            if age > resp_days and not (age > 60 and rng.random() < 0.04):
                resp_at = received + timedelta(days=resp_days)
                event(resp_at, "issue_response", state, "response_issued", escalated or handler,
                      "Final response letter sent with AFCA details.")
                state = "response_issued"
                close_days = resp_days + rng.randrange(3, 20)
                if age > close_days:
                    closed_at = received + timedelta(days=close_days)
                    outcome = rng.choices(("upheld", "partly_upheld", "not_upheld", "withdrawn"), (30, 25, 40, 5))[0]
                    kind = "withdraw" if outcome == "withdrawn" else "close"
                    event(closed_at, kind, state, "closed", handler, None, {"outcome": outcome})
                    state = "closed"
        if state in ("response_issued", "closed") and outcome != "withdrawn":
            self._root_causes(rows, kid, cause, resp_at or closed_at, handler, event)
            if outcome in ("upheld", "partly_upheld") and rng.random() < 0.3:
                self._compensation(rows, kid, resp_at or closed_at, closed_at, handler, event)
        if state != "closed" and rng.random() < 0.5:
            rows["tasks"].append((self.id(), cid, handler, f"Respond to complaint {reference}", description,
                                  _stamp(final_due), None, 1, "open", None, "complaint", kid))
        if escalated and rng.random() < 0.5:
            self._referral(rows, cid, owner, kid)
        products = [_PRODUCT[product].name] if product else []
        rows["complaints"].append((
            kid, reference, cid, rng.choice(("phone", "phone", "email", "face_to_face", "letter", "web")),
            _stamp(received), TZ_NAME, description, _json(products), _json([cause]), remedy,
            rng.choice(("low", "medium", "medium", "high")), ctype, "asic", REGION, owner, handler, escalated, state,
            outcome, rng.random() < 0.2, _stamp(ack_at) if state != "received" else None,
            _stamp(resp_at) if resp_at else None, _stamp(closed_at) if closed_at else None, _stamp(ack_due),
            _stamp(final_due)))
        rows["complaint_events"].extend(events)
        rows["complaint_search"].append((kid, cid, reference, description))
        responded_day = (resp_at or closed_at)
        return kid, received_day, (responded_day.date() - REF_DATE).days if resp_at else None

    def _root_causes(self, rows: Rows, kid: str, cause: str, at: datetime | None, actor: str,
                     event: Callable[..., None]) -> None:
        rng = self.rng
        codes = [cause] + ([rng.choice(("communication", "service_delay"))] if rng.random() < 0.2 else [])
        for code in dict.fromkeys(codes):
            rows["complaint_root_causes"].append((self.id(), kid, self.cat.root_cause[code], None))
            if at is not None:
                label = next(c.label for c in DEFAULT_ROOT_CAUSES if c.code == code)
                event(at, "root_cause", None, None, actor, None, {"code": code, "label": label})

    def _compensation(self, rows: Rows, kid: str, proposed: datetime | None, closed: datetime | None, rm: str,
                      event: Callable[..., None]) -> None:
        rng = self.rng
        if proposed is None:
            return
        amount = rng.choice((5000, 10000, 25000, 45000, 120000, 350000, 800000))  # cents
        approver = rm if amount <= 50000 else self.cat.team_leader if amount <= 500000 else self.cat.manager
        cid = self.id()
        paid = closed is not None and rng.random() < 0.8
        status = "paid" if paid else "approved" if rng.random() < 0.6 else "proposed"
        approved_at = proposed + timedelta(days=1) if status != "proposed" else None
        paid_at = closed if paid else None
        kind = rng.choice(("goodwill", "refund", "fee_waiver", "redress"))
        rows["compensations"].append((cid, kid, amount, "AUD", kind, status, rm, _stamp(proposed),
                                      approver if approved_at else None, _stamp(approved_at) if approved_at else None,
                                      _stamp(paid_at) if paid_at else None, None))
        value = f"{amount // 100}.{amount % 100:02d}"
        event(proposed, "comp_proposed", None, None, rm, None, {"compensation_id": cid, "amount": value,
                                                                 "kind": kind, "needs_approval": approver != rm})
        if approved_at:
            event(approved_at, "comp_approved", None, None, approver, None, {"compensation_id": cid, "amount": value,
                                                                              "approved_by": approver})
        if paid_at:
            event(paid_at, "comp_paid", None, None, rm, None, {"compensation_id": cid, "amount": value})

    def _referral(self, rows: Rows, cid: str, owner: str, complaint: str | None) -> None:
        rng = self.rng
        rid = self.id()
        created = -rng.randrange(1, 300)
        department = "Complaints Resolution" if complaint else rng.choice(_DEPARTMENTS)
        status = "done" if created < -30 and rng.random() < 0.8 else rng.choice(("open", "in_progress"))
        rows["referrals"].append((rid, cid, complaint, department, None,
                                  "Complex case needs a specialist review" if complaint else
                                  f"Client interested in {department.lower()} advice",
                                  self.cal.day(created + 14), status, owner))
        rows["referral_events"].append((self.id(), rid, self.cal.at(created, 600), "open", None, owner))
        if status != "open":
            rows["referral_events"].append((self.id(), rid, self.cal.at(min(created + 5, -1), 600), status,
                                            "Specialist has picked it up" if status == "in_progress" else
                                            "Specialist completed the review", owner))

    def _surveys(self, rows: Rows, cid: str, cases: list[tuple[str, int, int | None]], facts: _Facts) -> None:
        rng = self.rng
        cal = self.cal
        first = len(rows["survey_responses"])
        if rng.random() < 0.25:
            score = rng.choices((5, 4, 3, 2, 1), (45, 30, 12, 8, 5))[0]
            rows["survey_responses"].append((self.id(), self.cat.survey["csat"], cid, None,
                                             cal.at(-rng.randrange(1, 700), 780), score, None,
                                             "Always helpful." if score == 5 and rng.random() < 0.3 else None,
                                             _json({"satisfaction": score})))
        if rng.random() < 0.12:
            nps = rng.choices(range(11), (2, 1, 1, 2, 2, 5, 6, 12, 20, 25, 24))[0]
            rows["survey_responses"].append((self.id(), self.cat.survey["nps"], cid, None,
                                             cal.at(-rng.randrange(1, 700), 800), None, nps, None,
                                             _json({"nps": nps})))
        for kid, _, responded in cases:
            if responded is not None and responded < -3 and rng.random() < 0.6:
                score = rng.choices((5, 4, 3, 2, 1), (20, 25, 20, 20, 15))[0]
                rows["survey_responses"].append((self.id(), self.cat.survey["post_complaint"], cid, kid,
                                                 cal.at(responded + 3, 700), score, None, None,
                                                 _json({"satisfaction": score})))
        scored = [(r[4], r[5]) for r in rows["survey_responses"][first:] if r[5] is not None]
        facts.satisfaction = max(scored) if scored else None

    # -- targets -----------------------------------------------------------------------------------
    def targets(self) -> list[tuple]:
        """This year's targets per RM (and the team) from what each book looks like, a stretch above it."""
        start, end = f"{REF_DATE.year}-01-01", f"{REF_DATE.year}-12-31"
        out = []
        totals: Counter[str] = Counter()
        for rm in self.cat.rms:
            for metric, value in (("aum", self.stats.aum[rm] * 108 // 100),
                                  ("revenue", self.stats.revenue[rm] * 110 // 100),
                                  ("new_clients", max(1, self.stats.new_clients[rm] * 110 // 100) * 100),
                                  ("contacts", max(1, self.stats.contacts[rm] * 105 // 100) * 100)):
                out.append((self.id(), rm, None, metric, start, end, value))
                totals[metric] += value
        for metric, value in totals.items():
            out.append((self.id(), None, self.cat.team_id, metric, start, end, value))
        return out


def _search_body(given: str | None, family: str | None, organisation: str | None, emails: Sequence[str],
                 phones: Sequence[str]) -> str:
    """The body store/derived.py's reindex_clients builds for a client, computed from what we generated."""
    return " ".join((given or "", family or "", organisation or "", " ".join(emails), " ".join(phones))).strip(" ")


def _abn(rng: random.Random) -> str:
    """A checksum-valid Australian Business Number (so validation does not flag every demo company)."""
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    tail = [rng.randrange(10) for _ in range(9)]
    need = -sum(w * d for w, d in zip(weights[2:], tail, strict=True)) % 89
    digits = [need // 10 + 1, need % 10, *tail]
    s = "".join(map(str, digits))
    return f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}"


# ------------------------------------------------------------------------------------------- driver
def _check(clients: int) -> None:
    if isinstance(clients, bool) or not isinstance(clients, int) or not 1 <= clients <= MAX_CLIENTS:
        raise ValueError(f"The number of demo clients must be between 1 and {MAX_CLIENTS:,}.")


def _refuse_non_empty(conn: Any) -> None:
    if conn.execute("SELECT EXISTS (SELECT 1 FROM clients)").fetchone()[0]:
        raise ValueError("This profile already has clients. A demo book only goes into an empty profile, so "
                         "it can never mix with a real book: create a new profile for the demo.")


@contextmanager
def _deferred_indexes(conn: Any, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' plain secondary indexes for the load and rebuild them from their own DDL after.

    Only for indexes whose keys arrive in random order (names, amounts): one sort at the end is far
    cheaper than 100,000 scattered b-tree inserts each. Unique indexes stay, so constraints hold
    throughout; the DDL runs in the load's transaction, so a failed load leaves the schema as it was.
    """
    marks = ",".join("?" * len(tables))
    found = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks})", tuple(tables)).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in found:
        conn.execute(sql)


@contextmanager
def _search_merging_deferred(conn: Any,
                             tables: Sequence[str] = ("search_index", "client_search", "complaint_search"),
                             ) -> Iterator[None]:
    """FTS5 merges its segments as it goes; during a bulk load that work is redone many times over.

    Automatic merging is paused for the load (FTS5's crisis merge still bounds the segment count)
    and each table's own setting put back afterwards, so later edits merge as usual.
    """
    saved = {}
    for table in tables:
        row = conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone()
        saved[table] = row[0] if row else _FTS5_DEFAULT_AUTOMERGE
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")
    yield
    for table, value in saved.items():
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', ?)", (value,))


def _run_pipeline(book: _Book, consume: Callable[[Rows], None],
                  progress: Callable[[int, int], None] | None) -> None:
    """Generate on a worker thread, write on this one (the thread that owns the transaction).

    A short switch interval makes the generator hand the GIL back soon after a write statement
    returns from SQLite, instead of after the default 5 ms; it is restored afterwards, as is the
    cycle collector, paused meanwhile.
    """
    batches: queue.Queue[Any] = queue.Queue(_QUEUE_DEPTH)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in book.chunks():
                while not stop.is_set():
                    try:
                        batches.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            batches.put(done)
        except BaseException as exc:  # noqa: BLE001 - handed to the writing thread, which re-raises it
            batches.put(exc)

    worker = threading.Thread(target=produce, name="demo-book-generator", daemon=True)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(_SWITCH_INTERVAL)
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived, acyclic tuples: the cycle collector would only add pauses
    worker.start()
    try:
        while (item := batches.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            made, rows = item
            consume(rows)
            if progress:
                progress(made, book.total)
    finally:
        stop.set()
        sys.setswitchinterval(previous)
        if collecting:
            gc.enable()
        worker.join(timeout=5)


def _journal_for_loading(raw: Any) -> str:
    """Switch to a rollback journal if this is the only connection; the mode we are in either way."""
    wait = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")  # if someone else has the file open, do not wait for them
    try:
        return raw.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except Exception:  # noqa: BLE001 - another connection holds the file: load through the WAL instead
        return "wal"
    finally:
        raw.execute(f"PRAGMA busy_timeout = {wait}")


@contextmanager
def _loading_connection(db: Database) -> Iterator[tuple[Connection, Any]]:
    """One connection set up for a single bulk write transaction, put back as it was afterwards.

    * Rollback journal instead of WAL for the load, when no other connection has the file open: an
      almost empty database journals almost nothing (pages beyond the old end of file never are),
      so every page is written once instead of to the WAL and again at the checkpoint. The same
      move as the key rotation's; crash-safe either way. WAL comes back before anyone else connects.
    * Foreign keys are not looked up row by row (millions of parent probes): the generator only ever
      refers to rows it has made, and the tests run PRAGMA foreign_key_check on its output.
    """
    db.engine.dispose()  # idle pooled connections would keep the file in WAL mode
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        saved = {p: raw.execute(f"PRAGMA {p}").fetchone()[0] for p in ("foreign_keys", "cache_size")}
        journal = _journal_for_loading(raw)
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(f"PRAGMA cache_size = -{_LOAD_CACHE_KIB}")  # fewer mid-transaction spills
        try:
            with conn.execution_options(rmdesk_write=True).begin():  # BEGIN IMMEDIATE
                yield conn, raw
        finally:
            for pragma, value in saved.items():
                raw.execute(f"PRAGMA {pragma} = {value}")
            if journal != "wal":
                raw.execute("PRAGMA journal_mode = WAL")


def generate_demo_book(db: Database, *, clients: int, seed: int,
                       progress: Callable[[int, int], None] | None = None, actor: str = "demo") -> DemoSummary:
    """Fill an empty profile with a deterministic demo book of ``clients`` clients; see the module notes.

    Raises ValueError for a size outside 1..MAX_CLIENTS or a profile that already has clients.
    """
    _check(clients)
    started = clock.perf_counter()
    new_id = _ids(seed)
    with _loading_connection(db) as (conn, raw):
        _refuse_non_empty(raw)
        cat, reference = _reference(raw, new_id)
        writer = _Writer(raw)
        writer.write(reference)
        writer.flush()
        raw.execute("UPDATE teams SET leader_id = ? WHERE id = ?", (cat.team_leader, cat.team_id))
        ranks = dict(raw.execute("SELECT code, rank FROM segments WHERE deleted = 0").fetchall())
        book = _Book(clients, cat, new_id, random.Random(seed), derived.Context(conn), ranks)
        with _deferred_indexes(raw, _DEFER_INDEXES_ON), _search_merging_deferred(raw), _interaction_kinds(raw):
            _run_pipeline(book, writer.write, progress)
            writer.add("targets", book.targets())
            writer.flush()
        # the read models were written by today's definitions: no rebuild on the next open
        raw.execute("INSERT OR REPLACE INTO profile_meta (key, value) VALUES ('derived_version', ?)",
                    (derived.DERIVED_VERSION,))
        # Planner statistics while the pages are still hot; a sampled ANALYZE is plenty for a book
        # this regular and avoids re-reading (and decrypting) gigabytes of index pages.
        raw.execute(f"PRAGMA analysis_limit = {_ANALYSIS_LIMIT}")
        raw.execute("ANALYZE")
        raw.execute("PRAGMA analysis_limit = 0")
    counts = {name: writer.counts[name] for name in dict.fromkeys(t.name for t in TABLES)}
    seconds = clock.perf_counter() - started
    # Seed data makes no outbox entries; one audit entry says who loaded what.
    with db.unit(actor) as uow:
        uow.record("create", "demo_book", detail=_json({"clients": clients, "seed": seed, "rows": counts,
                                                        "seconds": round(seconds, 1)}))
    return DemoSummary(clients, seed, counts, seconds)
