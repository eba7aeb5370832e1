"""the entity's local calendar: local holidays and school breaks; Valencian documents

Revision ID: 0010_local_calendar
Revises: 0008_band_sets
Create Date: 2026-12-06 08:40:00

Series of sessions skip the region's public holidays (computed) and these days, which the
entity keeps itself: its municipality's two local holidays and the school breaks.
The document language grows to hold "ca-valencia".
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_local_calendar"
down_revision = "0008_band_sets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_day",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_day")),
    )
    with op.batch_alter_table("local_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_local_day_date_from"), ["date_from"], unique=False)
    with op.batch_alter_table("entity_profile", schema=None) as batch_op:
        batch_op.alter_column(
            "default_lang",
            existing_type=sa.String(length=5),
            type_=sa.String(length=16),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("entity_profile", schema=None) as batch_op:
        batch_op.alter_column(
            "default_lang",
            existing_type=sa.String(length=16),
            type_=sa.String(length=5),
            existing_nullable=False,
        )
    with op.batch_alter_table("local_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_day_date_from"))
    op.drop_table("local_day")
