"""Global search (Ctrl+K): one FTS5 index over clients, contact details, interaction notes and complaints."""

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
# Notes and complaints: newest first by rowid, which FTS5 walks without scoring every match — ranking
# all hits of a common word across two million notes is what made a keystroke take seconds.
_HISTORY = text("""
SELECT s.kind, s.ref_id, s.client_id, coalesce(c.display_name, ''), s.title,
       snippet(search_index, 4, '«', '»', '…', 10)
FROM search_index s LEFT JOIN clients c ON c.id = s.client_id
WHERE search_index MATCH :m
ORDER BY s.rowid DESC LIMIT :n
""")


class SearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(self, query: str, per_kind: int = 8) -> dict[str, list[SearchHit]]:
        """Hits grouped by kind, best first; words are matched as prefixes, accents ignored."""
        match = fts_prefix_query(query)
        if not match:
            return {}
        out: dict[str, list[SearchHit]] = {}
        with self._db.reading() as s:
            for kind in KINDS:
                if kind == "client":
                    params = {"m": f"{{title body}}: ({match})", "n": per_kind}
                else:
                    params = {"m": f'kind: "{kind}" AND {{title body}}: ({match})', "n": per_kind}
                rows = s.execute(_CLIENTS if kind == "client" else _HISTORY, params).all()
                if rows:
                    out[kind] = [SearchHit(*r) for r in rows]
        return out
