"""network meetings are planned, held or cancelled

Revision ID: 0002_meeting_status
Revises: 0001_initial
Create Date: 2026-12-06 09:00:00

Until now a meeting had no status and counted as soon as its date fell in a period. Meetings
dated before today become ``held`` (recorded after the fact), those of today and later
``planned`` (entered ahead of time): only held meetings count in the figures. The rule is
frozen here (a migration never imports app code); app.domain.networks.status_for_date is
the same rule for new meetings and for interchange files without a status.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002_meeting_status"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("network_meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="planned", nullable=False)
        )
        batch_op.add_column(
            sa.Column("cancellation_reason", sa.Text(), server_default="", nullable=False)
        )
    meeting = sa.table("network_meeting", sa.column("status"), sa.column("date", sa.Date()))
    op.execute(meeting.update().where(meeting.c.date < dt.date.today()).values(status="held"))


def downgrade() -> None:
    with op.batch_alter_table("network_meeting", schema=None) as batch_op:
        batch_op.drop_column("cancellation_reason")
        batch_op.drop_column("status")
