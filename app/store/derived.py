"""Keeps the derived read models current: the portfolio summary row and the full-text search index.

Edits refresh the clients they touch inside their own unit of work (same transaction); bulk loads
and older profiles are brought up to date by `ensure_derived`. Both paths share one SQL statement,
so the grid can never disagree with the client record it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from app.domain import cadence as cad

BATCH = 900  # below SQLite's default host-parameter limit
# Bump when what a summary row means changes (e.g. AUM rules): every profile rebuilds on next open.
DERIVED_VERSION = "3"

_SUMMARY_SQL = """
SELECT c.id, c.owner_id, c.display_name, c.kind, c.status, s.code, coalesce(s.rank, 0), c.loyalty_tier,
  (SELECT coalesce(sum(h.balance), 0) FROM holdings h JOIN products p ON p.id = h.product_id
     WHERE h.client_id = c.id AND h.status = 'open' AND h.deleted = 0
       AND p.category NOT IN ('lending', 'card', 'insurance')),  -- AUM: assets only, never net of debt
  (SELECT coalesce(sum(u.revenue), 0) FROM holdings h JOIN usage_summaries u ON u.holding_id = h.id
     WHERE h.client_id = c.id AND u.month >= :since),
  (SELECT count(*) FROM holdings h WHERE h.client_id = c.id AND h.status = 'open' AND h.deleted = 0),
  (SELECT max(i.occurred_at) FROM interactions i WHERE i.client_id = c.id AND i.deleted = 0),
  (SELECT count(*) FROM complaints k WHERE k.client_id = c.id AND k.state != 'closed' AND k.deleted = 0),
  (SELECT r.score FROM survey_responses r WHERE r.client_id = c.id AND r.deleted = 0 AND r.score IS NOT NULL
     ORDER BY r.responded_at DESC LIMIT 1),
  c.data_verified_on, c.onboarded_on
FROM clients c LEFT JOIN segments s ON s.id = c.segment_id
WHERE c.deleted = 0 AND c.id IN ({ids})
"""

_SUMMARY_COLUMNS = (
    "client_id", "owner_id", "display_name", "sort_name", "kind", "status", "segment_code", "segment_rank",
    "loyalty_tier", "aum", "revenue_12m", "product_count", "last_contact_at", "next_contact_due", "contact_level",
    "open_complaints", "last_satisfaction", "data_verified_on")
# An update keeps the row's doc_id (the key client_search is filed under); a new client gets the next one.
_UPSERT = (
    f"INSERT INTO client_summary ({', '.join(_SUMMARY_COLUMNS)}) VALUES ({', '.join('?' * len(_SUMMARY_COLUMNS))}) "
    "ON CONFLICT (client_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _SUMMARY_COLUMNS[1:])
)
_LEVEL = {cad.ContactLevel.GREEN: 0, cad.ContactLevel.AMBER: 1, cad.ContactLevel.RED: 2}


def _setting(conn: Connection, key: str, default: str) -> str:
    import json

    row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (key,)).first()
    return json.loads(row[0]) if row and isinstance(row[0], str) else default


def _interval(months: int, days: int) -> cad.Interval:
    return cad.Interval.months(months) if months else cad.Interval.days(max(days, 1))


def _cadences(rows: Iterable[Sequence[Any]]) -> dict[str, list[cad.Cadence]]:
    """(key, contact kind, months, days, max gap) rows as cadences per key; an unknown kind is custom."""
    out: dict[str, list[cad.Cadence]] = {}
    for key, kind, months, days, max_gap in rows:
        try:
            kind_value = cad.CadenceKind(kind)
        except ValueError:
            kind_value = cad.CadenceKind.CUSTOM
        try:
            out.setdefault(key, []).append(
                cad.Cadence(kind_value, _interval(months, days), cad.Interval.days(max_gap), label=kind))
        except ValueError:
            continue  # an inconsistent policy or plan row must not take the whole portfolio down
    return out


def segment_cadences(conn: Connection) -> dict[str, tuple[cad.Cadence, ...]]:
    """Cadences per segment code from the segments' service models, else the built-in defaults."""
    rows = conn.exec_driver_sql(
        "SELECT s.code, p.contact_kind, p.interval_months, p.interval_days, p.max_gap_days "
        "FROM segment_policies p JOIN segments s ON s.id = p.segment_id WHERE p.deleted = 0"
    )
    found = _cadences(rows)
    return {**cad.SEGMENT_DEFAULTS, **{k: tuple(v) for k, v in found.items()}}


def client_overrides(conn: Connection, ids: Sequence[str]) -> dict[str, list[cad.Cadence]]:
    marks = ",".join("?" * len(ids))
    rows = conn.exec_driver_sql(
        f"SELECT client_id, contact_kind, interval_months, interval_days, max_gap_days FROM contact_plans "
        f"WHERE active = 1 AND deleted = 0 AND client_id IN ({marks})", tuple(ids))
    return _cadences(rows)


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def _parse_d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


class Context:
    """What every refresh needs once: today in the branch's zone and the segment cadences."""

    def __init__(self, conn: Connection, today: date | None = None) -> None:
        self.tz = ZoneInfo(_setting(conn, "org.timezone", "Australia/Sydney"))
        self.today = today or datetime.now(self.tz).date()
        self.since = (self.today.replace(day=1) - timedelta(days=365)).replace(day=1).isoformat()
        self.segments = segment_cadences(conn)


def refresh_summaries(conn: Connection, client_ids: Iterable[str], ctx: Context | None = None) -> int:
    ids = list(dict.fromkeys(client_ids))
    if not ids:
        return 0
    ctx = ctx or Context(conn)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        marks = ",".join("?" * len(chunk))
        sql = _SUMMARY_SQL.replace(":since", "?").format(ids=marks)
        rows = conn.exec_driver_sql(sql, (ctx.since, *chunk)).all()
        overrides = client_overrides(conn, chunk)
        out = []
        for (cid, owner, name, kind, status, seg, rank, tier, aum, rev, nprod, last, openc, sat,
             verified, onboarded) in rows:
            cadences = cad.effective_cadences(seg, overrides.get(cid, ()), ctx.segments)
            last_dt = _parse_dt(last)
            statuses = [cad.contact_status(last_dt, c, ctx.today, ctx.tz, onboarded_on=_parse_d(onboarded))
                        for c in cadences]
            worst = cad.worst(statuses)
            due = min((s.due for s in statuses), default=None)
            out.append((cid, owner, name, name.casefold(), kind, status, seg, rank, tier, int(aum), int(rev),
                        nprod, last, due.isoformat() if due else None, _LEVEL[worst.level] if worst else 0,
                        openc, sat, verified))
        gone = tuple(set(chunk) - {row[0] for row in out})
        if gone:  # deleted clients leave the grid and the client search together
            gm = ",".join("?" * len(gone))
            conn.exec_driver_sql(
                f"DELETE FROM client_search WHERE rowid IN (SELECT doc_id FROM client_summary WHERE client_id IN ({gm}))",
                gone)
            conn.exec_driver_sql(f"DELETE FROM client_summary WHERE client_id IN ({gm})", gone)
        if out:
            order = {cid: i for i, cid in enumerate(chunk)}  # new rows numbered in the caller's order
            conn.exec_driver_sql(_UPSERT, sorted(out, key=lambda row: order[row[0]]))
        done += len(out)
    return done


def reindex_clients(conn: Connection, client_ids: Iterable[str]) -> None:
    """Search rows for a client's identity and contact details (never tax ids or account numbers).

    Filed under the summary row's doc_id, with the client's status, so the portfolio can count
    "open clients matching 'ma'" in FTS5 alone. Run after refresh_summaries for the same clients.
    """
    ids = list(dict.fromkeys(client_ids))
    for start in range(0, len(ids), BATCH):
        chunk = tuple(ids[start:start + BATCH])
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"DELETE FROM client_search WHERE rowid IN (SELECT doc_id FROM client_summary WHERE client_id IN ({marks}))",
            chunk)
        conn.exec_driver_sql(
            "INSERT INTO client_search (rowid, client_id, title, body, state) "
            "SELECT s.doc_id, c.id, c.display_name, "
            "  trim(coalesce(c.given_name, '') || ' ' || coalesce(c.family_name, '') || ' ' || "
            "  coalesce(c.organisation_name, '') || ' ' || "
            "  coalesce((SELECT group_concat(e.address, ' ') FROM client_emails e "
            "            WHERE e.client_id = c.id AND e.deleted = 0), '') || ' ' || "
            "  coalesce((SELECT group_concat(p.number, ' ') FROM client_phones p "
            "            WHERE p.client_id = c.id AND p.deleted = 0), '')), c.status "
            "FROM clients c JOIN client_summary s ON s.client_id = c.id "
            f"WHERE c.deleted = 0 AND c.id IN ({marks}) ORDER BY s.doc_id", chunk)


# Interaction notes (millions) and complaints (thousands) are searched apart, so a word common in notes
# never slows a complaint lookup.
_HISTORY_TABLES = {"interaction": "search_index", "complaint": "complaint_search"}


def index_rows(conn: Connection, kind: str, rows: Iterable[tuple[str, str, str | None, str | None]],
               *, replace: bool = False) -> None:
    """Add (ref_id, client_id, title, body) rows of one kind: interactions, complaints.

    Interaction notes are only ever added (a correction is a new interaction). Complaints are small
    enough that an edited one (`replace`) is found by its ref_id directly.
    """
    table = _HISTORY_TABLES[kind]
    values = [(ref, cid, title or "", body or "") for ref, cid, title, body in rows]
    if not values:
        return
    if replace:
        for ref, *_rest in values:
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE ref_id = ?", (ref,))
    if table == "search_index":
        conn.exec_driver_sql("INSERT INTO search_index (kind, ref_id, client_id, title, body) "
                             "VALUES ('interaction', ?, ?, ?, ?)", values)
    else:
        conn.exec_driver_sql(f"INSERT INTO {table} (ref_id, client_id, title, body) VALUES (?, ?, ?, ?)", values)


def rebuild_all(conn: Connection, *, today: date | None = None, progress=None) -> int:
    """Recompute every summary row and the whole search index (after a bulk load or an old profile)."""
    run = conn.exec_driver_sql
    ids = [r[0] for r in run("SELECT id FROM clients WHERE deleted = 0 ORDER BY rowid")]
    ctx = Context(conn, today)
    run("DELETE FROM client_summary")
    run("DELETE FROM search_index")
    run("DELETE FROM client_search")
    run("DELETE FROM complaint_search")
    step = 20 * BATCH
    for start in range(0, len(ids), step):
        refresh_summaries(conn, ids[start:start + step], ctx)
        if progress:
            progress(min(start + step, len(ids)), len(ids))
    reindex_clients(conn, ids)
    run(
        "INSERT INTO search_index (kind, ref_id, client_id, title, body) "
        "SELECT 'interaction', id, client_id, coalesce(subject, ''), coalesce(notes, '') "
        "FROM interactions WHERE deleted = 0 AND notes IS NOT NULL")
    run(
        "INSERT INTO complaint_search (ref_id, client_id, title, body) "
        "SELECT id, client_id, reference, description FROM complaints WHERE deleted = 0")
    run("INSERT OR REPLACE INTO profile_meta (key, value) VALUES ('derived_version', ?)", (DERIVED_VERSION,))
    return len(ids)


def needs_rebuild(conn: Connection, *, count: bool = True) -> bool:
    """Missing or of another version; with `count`, also a summary short of or beyond the clients.

    The count scans the clients table (a quarter of a second on 100k clients), so an interactive
    unlock checks the version only and counts after its first screen (Workstation.check_read_models).
    """
    stamp = conn.exec_driver_sql("SELECT value FROM profile_meta WHERE key = 'derived_version'").scalar()
    if stamp != DERIVED_VERSION:
        return True
    if not count:
        return False
    clients = conn.exec_driver_sql("SELECT count(*) FROM clients WHERE deleted = 0").scalar()
    summaries = conn.exec_driver_sql("SELECT count(*) FROM client_summary").scalar()
    return clients != summaries


def ensure_derived(engine, *, progress=None, count: bool = True) -> bool:
    """Rebuild the read models when they are missing or out of step; True when it had to."""
    with engine.begin() as conn:
        if not needs_rebuild(conn, count=count):
            return False
        rebuild_all(conn, progress=progress)
        return True
