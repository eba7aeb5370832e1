"""age-band sets per funder; open events carry an estimate of the new people reached

Revision ID: 0008_band_sets
Revises: 0006_change_log
Create Date: 2026-12-06 08:40:00

Coordinators define the age bands a funder's form asks for (table age_band_set). Head counts
are recorded from now on in fine bands that every common set is built from; the counts already
recorded keep the bands they were recorded in (a count cannot be split), and a report whose set
cannot be built from them says so, with the share affected, before printing.
An open event (a session with head counts) may carry how many of the people counted are new this
year (session.new_people, empty when nobody estimated it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_band_sets"
down_revision = "0006_change_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "age_band_set",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("funder_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["funder.id"],
            name=op.f("fk_age_band_set_funder_id_funder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_age_band_set")),
    )
    with op.batch_alter_table("age_band_set", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_age_band_set_funder_id"), ["funder_id"], unique=False)
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_people", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session", schema=None) as batch_op:
        batch_op.drop_column("new_people")
    with op.batch_alter_table("age_band_set", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_age_band_set_funder_id"))
    op.drop_table("age_band_set")
