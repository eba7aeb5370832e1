"""volunteers and their hours, safeguarding certificates, coproduced activities

Revision ID: 0015_volunteers
Revises: 0012_office_counts
Create Date: 2026-12-06 11:22:00

A person of the register can volunteer (dates, programmes and activities, training, the
commitment agreement and its insurance) and give hours by session or by month; staff and
volunteers keep the date and result of their sexual-offences register certificate; an activity
can also belong to other programmes and have partner organisations. New tables only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_volunteers"
down_revision = "0012_office_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safeguarding_certificate",
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("participant_id", sa.String(length=36), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_safeguarding_certificate_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_safeguarding_certificate_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_certificate")),
    )
    with op.batch_alter_table("safeguarding_certificate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_certificate_participant_id"),
            ["participant_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_certificate_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "volunteer",
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("schedule", sa.Text(), nullable=False),
        sa.Column("training", sa.Text(), nullable=False),
        sa.Column("training_hours", sa.Float(), nullable=False),
        sa.Column("agreement_signed_on", sa.Date(), nullable=True),
        sa.Column("insurer", sa.String(length=200), nullable=False),
        sa.Column("policy_number", sa.String(length=100), nullable=False),
        sa.Column("insurance_from", sa.Date(), nullable=True),
        sa.Column("insurance_to", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_volunteer_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_volunteer_participant_id")),
    )
    op.create_table(
        "volunteer_programme",
        sa.Column("volunteer_id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_volunteer_programme_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_programme_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "volunteer_id", "programme_id", name=op.f("pk_volunteer_programme")
        ),
    )
    op.create_table(
        "activity_partner",
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("organisation_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_partner_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_activity_partner_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "organisation_id", name=op.f("pk_activity_partner")),
    )
    op.create_table(
        "activity_programme",
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_programme_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_activity_programme_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "programme_id", name=op.f("pk_activity_programme")),
    )
    op.create_table(
        "volunteer_activity",
        sa.Column("volunteer_id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_volunteer_activity_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_activity_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("volunteer_id", "activity_id", name=op.f("pk_volunteer_activity")),
    )
    op.create_table(
        "volunteer_hours",
        sa.Column("volunteer_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("programme_id", sa.String(length=36), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_volunteer_hours_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_volunteer_hours_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_volunteer_hours_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_hours")),
    )
    with op.batch_alter_table("volunteer_hours", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_hours_date"), ["date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_volunteer_hours_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_hours_volunteer_id"), ["volunteer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("volunteer_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_hours_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_hours_session_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_hours_date"))

    op.drop_table("volunteer_hours")
    op.drop_table("volunteer_activity")
    op.drop_table("activity_programme")
    op.drop_table("activity_partner")
    op.drop_table("volunteer_programme")
    op.drop_table("volunteer")
    with op.batch_alter_table("safeguarding_certificate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_certificate_staff_id"))
        batch_op.drop_index(batch_op.f("ix_safeguarding_certificate_participant_id"))

    op.drop_table("safeguarding_certificate")
