"""people carry a version: a stale save is refused, never applied silently

Revision ID: 0004_record_versions
Revises: 0003_evidence
Create Date: 2026-12-06 07:20:00

In an office database several people may have the same person open. Each save raises the
version by one; a save made from an older copy is refused.
Existing people start at version 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_record_versions"
down_revision = "0003_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("version")
