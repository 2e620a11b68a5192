"""search index: FTS5 over clients, contact details, interaction notes and complaints

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One contentful FTS table (inside the encrypted file like everything else): the services keep it
    # current in the same transaction as the edit. remove_diacritics lets "Zoe" find "Zoë".
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, ref_id UNINDEXED, client_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    op.execute(
        "INSERT INTO search_index (kind, ref_id, client_id, title, body) "
        "SELECT 'client', id, id, display_name, coalesce(organisation_name, '') FROM clients WHERE deleted = 0"
    )


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
