"""client search: a small FTS5 table of clients only, so filter-as-you-type never scans interaction notes

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # With clients and 2M interaction notes in one FTS table, a one-letter prefix matched millions of
    # rows before the kind filter could apply. Clients get their own table with 1-3 letter prefix indexes.
    op.execute(
        "CREATE VIRTUAL TABLE client_search USING fts5("
        "client_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
    )
    op.execute(
        "INSERT INTO client_search (rowid, client_id, title, body) "
        "SELECT c.rowid, s.client_id, s.title, s.body FROM search_index s JOIN clients c ON c.id = s.client_id "
        "WHERE s.kind = 'client'"
    )
    # History rows keep their table, rebuilt with `kind` indexed so "complaints about fees" is a doclist
    # intersection in FTS5 instead of a walk through every interaction note that says "fee".
    op.execute(
        "CREATE VIRTUAL TABLE search_index_new USING fts5("
        "kind, ref_id UNINDEXED, client_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    op.execute(
        "INSERT INTO search_index_new (kind, ref_id, client_id, title, body) "
        "SELECT kind, ref_id, client_id, title, body FROM search_index WHERE kind != 'client'"
    )
    op.execute("DROP TABLE search_index")
    op.execute("ALTER TABLE search_index_new RENAME TO search_index")


def downgrade() -> None:
    op.execute(
        "INSERT INTO search_index (kind, ref_id, client_id, title, body) "
        "SELECT 'client', client_id, client_id, title, body FROM client_search"
    )
    op.execute("DROP TABLE client_search")  # search_index keeps `kind` indexed: harmless for 0002 code
