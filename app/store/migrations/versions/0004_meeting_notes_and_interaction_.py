"""meeting notes and interaction corrections

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:25:38.586654
"""
from alembic import op
import sqlalchemy as sa
import app.store.models.base


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table rebuild): SQLite accepts a REFERENCES clause on a NULL column, and
    # rebuilding a 2M-row interactions table with foreign keys on would be slow and risky.
    op.execute("ALTER TABLE interactions ADD COLUMN corrects_id VARCHAR(36) "
               "CONSTRAINT fk_interactions_corrects_id_interactions REFERENCES interactions (id)")
    op.add_column("scheduled_contacts", sa.Column("notes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scheduled_contacts", schema=None) as batch_op:
        batch_op.drop_column("notes")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("corrects_id")
