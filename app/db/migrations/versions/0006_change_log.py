"""sync between replicas: devices, the change log, conflicts

Revision ID: 0006_change_log
Revises: 0009_economic
Create Date: 2026-12-06 08:40:00

Every write appends to the change log in its own transaction once sync is set up on the
database; a merge writes the values it did not keep to sync_conflict.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_change_log"
down_revision = "0009_economic"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_device",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("last_hlc", sa.BigInteger(), nullable=False),
        sa.Column("applied_seq", sa.Integer(), nullable=False),
        sa.Column("schema_revision", sa.String(length=60), nullable=False),
        sa.Column("team_key", sa.LargeBinary(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_device")),
    )
    op.create_table(
        "change_log",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hlc", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.Column("op", sa.String(length=6), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("protect", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_row", "change_log", ["table_name", "row_id"], unique=False)
    op.create_table(
        "sync_conflict",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("kept_value", sa.Text(), nullable=False),
        sa.Column("kept_device", sa.String(length=36), nullable=False),
        sa.Column("kept_hlc", sa.BigInteger(), nullable=False),
        sa.Column("lost_value", sa.Text(), nullable=False),
        sa.Column("lost_device", sa.String(length=36), nullable=False),
        sa.Column("lost_hlc", sa.BigInteger(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_row_id"), "sync_conflict", ["row_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_conflict_row_id"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_index("ix_change_log_row", table_name="change_log")
    op.drop_table("change_log")
    op.drop_table("sync_device")
