"""covering index for the book's count and KPIs

Revision ID: 0007
Revises: 0006

Counting the open book and summing its KPIs scanned every summary row (about 25 MB on a 100k-client
book, each page decrypted on first touch); this index holds just the columns those queries read.
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_client_summary_book ON client_summary "
               "(status, owner_id, contact_level, open_complaints, aum, revenue_12m)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_client_summary_book")
