"""an index of the marks by session and status, with the person: the figures read it alone

Revision ID: 0020_figure_indexes
Revises: 0018_change_log_keys
Create Date: 2026-12-06 17:30:00

The figures and the report's tables count the marks present or late of the held sessions
(app/services/figure_counts.py). With the session, the status and the person in one index the
database finds and reads them there, without a look-up of each mark's own row: about a fifth
of the count's time on a large entity's year. One more index entry per mark written.
"""

from alembic import op

revision = "0020_figure_indexes"
down_revision = "0018_change_log_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_attendance_counted", "attendance", ["session_id", "status", "participant_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_attendance_counted", table_name="attendance")
