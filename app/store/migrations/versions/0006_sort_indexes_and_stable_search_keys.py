"""stable search keys, one index per sort order, complaints in their own search table

Revision ID: 0006
Revises: 0005

- client_summary gets `doc_id INTEGER PRIMARY KEY`. client_search was keyed on clients' implicit rowid,
  which VACUUM and an export may renumber; an INTEGER PRIMARY KEY is never renumbered.
- Every sort order of the portfolio has its own index ending in doc_id, so a page is an index walk.
- client_search carries the client's status (`state`), so "how many match" is answered by FTS5 alone.
- Complaints leave search_index for complaint_search: finding "card" among complaints no longer
  intersects a doclist that spans two million interaction notes.
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = ("client_id, owner_id, display_name, sort_name, kind, status, segment_code, segment_rank, loyalty_tier, "
            "aum, revenue_12m, product_count, last_contact_at, next_contact_due, contact_level, open_complaints, "
            "last_satisfaction, data_verified_on")
_NOT_NULL = ("segment_rank", "aum", "revenue_12m", "product_count", "open_complaints")
_NULLABLE = ("loyalty_tier", "last_contact_at", "next_contact_due", "last_satisfaction", "data_verified_on")
_FTS = "tokenize = 'unicode61 remove_diacritics 2'"


def _summary_table(name: str, keyed: bool) -> str:
    key = "doc_id INTEGER NOT NULL, " if keyed else ""
    constraints = ("CONSTRAINT pk_client_summary PRIMARY KEY (doc_id), "
                   "CONSTRAINT uq_client_summary_client_id UNIQUE (client_id), ") if keyed else \
        "CONSTRAINT pk_client_summary PRIMARY KEY (client_id), "
    return (
        f"CREATE TABLE {name} ({key}"
        "client_id VARCHAR(36) NOT NULL, owner_id VARCHAR(36), display_name VARCHAR(300) NOT NULL, "
        "sort_name VARCHAR(300) NOT NULL, kind VARCHAR(12) NOT NULL, status VARCHAR(12) NOT NULL, "
        "segment_code VARCHAR(30), segment_rank INTEGER NOT NULL, loyalty_tier VARCHAR(30), "
        "aum INTEGER NOT NULL, revenue_12m INTEGER NOT NULL, product_count INTEGER NOT NULL, "
        "last_contact_at DATETIME, next_contact_due DATE, contact_level INTEGER NOT NULL, "
        "open_complaints INTEGER NOT NULL, last_satisfaction INTEGER, data_verified_on DATE, "
        f"{constraints}"
        "CONSTRAINT fk_client_summary_client_id_clients FOREIGN KEY(client_id) REFERENCES clients (id) "
        "ON DELETE CASCADE)"
    )


def _summary_indexes(sorted_both_ways: bool) -> None:
    op.execute("CREATE INDEX ix_client_summary_sort_name ON client_summary (sort_name)")
    op.execute("CREATE INDEX ix_client_summary_owner_id ON client_summary (owner_id, sort_name)")
    op.execute("CREATE INDEX ix_client_summary_contact_level ON client_summary (contact_level, sort_name)")
    for col in _NOT_NULL + _NULLABLE:
        asc = f"({col} IS NULL), {col}" if sorted_both_ways and col in _NULLABLE else col
        op.execute(f"CREATE INDEX ix_client_summary_{col} ON client_summary ({asc}, sort_name)")
        if sorted_both_ways:
            op.execute(f"CREATE INDEX ix_client_summary_{col}_desc ON client_summary ({col} DESC, sort_name)")


def upgrade() -> None:
    op.execute(_summary_table("client_summary_new", keyed=True))
    op.execute(f"INSERT INTO client_summary_new (doc_id, {_COLUMNS}) "
               f"SELECT c.rowid, {', '.join('s.' + x.strip() for x in _COLUMNS.split(','))} "
               "FROM client_summary s JOIN clients c ON c.id = s.client_id ORDER BY c.rowid")
    op.execute("DROP TABLE client_summary")
    op.execute("ALTER TABLE client_summary_new RENAME TO client_summary")
    _summary_indexes(sorted_both_ways=True)

    op.execute("CREATE VIRTUAL TABLE client_search_new USING fts5("
               f"client_id UNINDEXED, title, body, state, {_FTS}, prefix = '1 2 3')")
    op.execute("INSERT INTO client_search_new (rowid, client_id, title, body, state) "
               "SELECT s.doc_id, o.client_id, o.title, o.body, s.status "
               "FROM client_search o JOIN client_summary s ON s.client_id = o.client_id")
    op.execute("DROP TABLE client_search")
    op.execute("ALTER TABLE client_search_new RENAME TO client_search")

    op.execute("CREATE VIRTUAL TABLE complaint_search USING fts5("
               f"ref_id UNINDEXED, client_id UNINDEXED, title, body, {_FTS}, prefix = '2 3')")
    op.execute("INSERT INTO complaint_search (ref_id, client_id, title, body) "
               "SELECT ref_id, client_id, title, body FROM search_index WHERE search_index MATCH 'kind: complaint'")
    op.execute("DELETE FROM search_index WHERE rowid IN "
               "(SELECT rowid FROM search_index WHERE search_index MATCH 'kind: complaint')")


def downgrade() -> None:
    op.execute("INSERT INTO search_index (kind, ref_id, client_id, title, body) "
               "SELECT 'complaint', ref_id, client_id, title, body FROM complaint_search")
    op.execute("DROP TABLE complaint_search")

    op.execute("CREATE VIRTUAL TABLE client_search_old USING fts5("
               f"client_id UNINDEXED, title, body, {_FTS}, prefix = '1 2 3')")
    op.execute("INSERT INTO client_search_old (rowid, client_id, title, body) "
               "SELECT c.rowid, o.client_id, o.title, o.body FROM client_search o JOIN clients c ON c.id = o.client_id")
    op.execute("DROP TABLE client_search")
    op.execute("ALTER TABLE client_search_old RENAME TO client_search")

    op.execute(_summary_table("client_summary_old", keyed=False))
    op.execute(f"INSERT INTO client_summary_old ({_COLUMNS}) SELECT {_COLUMNS} FROM client_summary")
    op.execute("DROP TABLE client_summary")
    op.execute("ALTER TABLE client_summary_old RENAME TO client_summary")
    _summary_indexes(sorted_both_ways=False)
