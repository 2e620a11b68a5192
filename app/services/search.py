"""Global search (Ctrl+K): FTS5 over clients and contact details, interaction notes and complaints."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from app.store.database import Database

from .portfolio import fts_prefix_query

KINDS = ("client", "complaint", "interaction")
KIND_TITLES = {"client": "Clients", "complaint": "Complaints", "interaction": "Interaction notes"}


@dataclass(frozen=True)
class SearchHit:
    kind: str
    ref_id: str
    client_id: str
    client_name: str
    title: str
    snippet: str


_CLIENTS = text("""
SELECT 'client', s.client_id, s.client_id, s.title, s.title, snippet(client_search, 2, '«', '»', '…', 10)
FROM client_search s WHERE client_search MATCH :m ORDER BY s.rank LIMIT :n
""")
# Notes: newest first by rowid, which FTS5 walks without scoring every match — ranking all hits of a
# common word across two million notes is what made a keystroke take seconds. Complaints have their
# own small table, so a word common in notes costs them nothing.
_HISTORY = """
SELECT '{kind}', s.ref_id, s.client_id, coalesce(c.display_name, ''), s.title,
       snippet({table}, {body}, '«', '»', '…', 10)
FROM {table} s LEFT JOIN clients c ON c.id = s.client_id
WHERE {table} MATCH :m
ORDER BY s.rowid DESC LIMIT :n
"""
_QUERIES = {
    "client": _CLIENTS,
    "complaint": text(_HISTORY.format(kind="complaint", table="complaint_search", body=3)),
    "interaction": text(_HISTORY.format(kind="interaction", table="search_index", body=4)),
}


class SearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, query: str, per_kind: int = 8) -> dict[str, list[SearchHit]]:
        """Hits grouped by kind, best first; words are matched as prefixes, accents ignored."""
        match = fts_prefix_query(query)
        if not match:
            return {}
        out: dict[str, list[SearchHit]] = {}
        params = {"m": f"{{title body}}: ({match})", "n": per_kind}
        with self._db.reading() as s:
            for kind in KINDS:
                rows = s.execute(_QUERIES[kind], params).all()
                if rows:
                    out[kind] = [SearchHit(*r) for r in rows]
        return out
