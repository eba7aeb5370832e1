"""sessions, programmes, activities and meetings carry a version, as people do

Revision ID: 0005_more_versions
Revises: 0004_record_versions
Create Date: 2026-12-06 08:30:00

In an office database several people may have the same session, programme, activity or
meeting open. Each save raises the version by one; a save made from an older copy is refused
and the person is shown both versions. Existing records start at version 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_more_versions"
down_revision = "0004_record_versions"
branch_labels = None
depends_on = None

TABLES = ("session", "programme", "activity", "network_meeting")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
