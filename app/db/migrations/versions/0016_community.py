"""community work: groups accompanied, mediation cases, needs detected, referrals followed

Revision ID: 0016_community
Revises: 0012_office_counts
Create Date: 2026-12-06 11:30:00

The groups and associations the entity accompanies, with their dated stages and contact
people; their meetings are network meetings that belong to a group instead of a space.
Community mediation cases (staff on the case, parties, sessions held, agreements reached).
Needs and challenges detected in the territory and what was done about them. Referrals say
which programme and activity they came from and how their follow-up went. A staff member can
name their login on the office database (mediation cases are shown to those on them).
"""

import sqlalchemy as sa
from alembic import op


revision = "0016_community"
down_revision = "0015_volunteers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mediation_case",
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("conflict_kind", sa.String(length=30), nullable=False),
        sa.Column("neighbourhood", sa.String(length=100), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_case")),
    )
    with op.batch_alter_table("mediation_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mediation_case_opened_on"), ["opened_on"], unique=False
        )

    op.create_table(
        "community_group",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("neighbourhood", sa.String(length=100), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("programme_id", sa.String(length=36), nullable=True),
        sa.Column("organisation_id", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_community_group_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_community_group_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_community_group_programme_id_programme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_group")),
    )
    with op.batch_alter_table("community_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_community_group_programme_id"), ["programme_id"], unique=False
        )
    op.create_table(
        "mediation_staff",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_mediation_staff_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_mediation_staff_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_staff")),
    )
    with op.batch_alter_table("mediation_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_staff_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mediation_staff_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "group_contact",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["community_group.id"],
            name=op.f("fk_group_contact_group_id_community_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_group_contact_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_contact")),
    )
    with op.batch_alter_table("group_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_contact_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_stage",
        sa.Column("group_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["community_group.id"],
            name=op.f("fk_group_stage_group_id_community_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_stage")),
    )
    with op.batch_alter_table("group_stage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_stage_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_stage_group_id"), ["group_id"], unique=False)

    op.create_table(
        "mediation_party",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=True),
        sa.Column("group_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_mediation_party_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["community_group.id"],
            name=op.f("fk_mediation_party_group_id_community_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_mediation_party_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_party")),
    )
    with op.batch_alter_table("mediation_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_party_case_id"), ["case_id"], unique=False)

    op.create_table(
        "mediation_session",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["mediation_case.id"],
            name=op.f("fk_mediation_session_case_id_mediation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["session.id"],
            name=op.f("fk_mediation_session_session_id_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_session")),
    )
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_session_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mediation_session_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "need",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("detected_on", sa.Date(), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=True),
        sa.Column("activity_id", sa.String(length=36), nullable=True),
        sa.Column("group_id", sa.String(length=36), nullable=True),
        sa.Column("response", sa.String(length=30), nullable=False),
        sa.Column("response_date", sa.Date(), nullable=True),
        sa.Column("response_activity_id", sa.String(length=36), nullable=True),
        sa.Column("response_agreement_id", sa.String(length=36), nullable=True),
        sa.Column("response_organisation_id", sa.String(length=36), nullable=True),
        sa.Column("response_notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_need_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["community_group.id"],
            name=op.f("fk_need_group_id_community_group"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["network_meeting.id"],
            name=op.f("fk_need_meeting_id_network_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_activity_id"],
            ["activity.id"],
            name=op.f("fk_need_response_activity_id_activity"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_agreement_id"],
            ["agreement.id"],
            name=op.f("fk_need_response_agreement_id_agreement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_need_response_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_detected_on"), ["detected_on"], unique=False)

    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mediation_case_id", sa.String(length=36), nullable=True))
        batch_op.alter_column("meeting_id", existing_type=sa.VARCHAR(length=36), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_agreement_mediation_case_id"), ["mediation_case_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_agreement_mediation_case_id_mediation_case"),
            "mediation_case",
            ["mediation_case_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("network_meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.String(length=36), nullable=True))
        batch_op.alter_column("space_id", existing_type=sa.VARCHAR(length=36), nullable=True)
        batch_op.create_index(batch_op.f("ix_network_meeting_group_id"), ["group_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_network_meeting_group_id_community_group"),
            "community_group",
            ["group_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("programme_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("activity_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("reached", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("followed_up_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("follow_up", sa.Text(), server_default="", nullable=False))
        batch_op.create_index(
            batch_op.f("ix_referral_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_referral_programme_id_programme"),
            "programme",
            ["programme_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_referral_activity_id_activity"),
            "activity",
            ["activity_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("login", sa.String(length=63), server_default="", nullable=False)
        )


def downgrade() -> None:
    # Group meetings and mediation agreements have nowhere to go in the older schema.
    op.execute("DELETE FROM agreement WHERE meeting_id IS NULL")
    op.execute("DELETE FROM network_meeting WHERE space_id IS NULL")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("login")

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_referral_activity_id_activity"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_referral_programme_id_programme"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_referral_programme_id"))
        batch_op.drop_column("follow_up")
        batch_op.drop_column("followed_up_on")
        batch_op.drop_column("reached")
        batch_op.drop_column("activity_id")
        batch_op.drop_column("programme_id")

    with op.batch_alter_table("network_meeting", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_network_meeting_group_id_community_group"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_network_meeting_group_id"))
        batch_op.alter_column("space_id", existing_type=sa.VARCHAR(length=36), nullable=False)
        batch_op.drop_column("group_id")

    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_agreement_mediation_case_id_mediation_case"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_agreement_mediation_case_id"))
        batch_op.alter_column("meeting_id", existing_type=sa.VARCHAR(length=36), nullable=False)
        batch_op.drop_column("mediation_case_id")

    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_detected_on"))

    op.drop_table("need")
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_session_session_id"))
        batch_op.drop_index(batch_op.f("ix_mediation_session_case_id"))

    op.drop_table("mediation_session")
    with op.batch_alter_table("mediation_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_party_case_id"))

    op.drop_table("mediation_party")
    with op.batch_alter_table("group_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_stage_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_stage_date"))

    op.drop_table("group_stage")
    with op.batch_alter_table("group_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_contact_group_id"))

    op.drop_table("group_contact")
    with op.batch_alter_table("mediation_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_staff_staff_id"))
        batch_op.drop_index(batch_op.f("ix_mediation_staff_case_id"))

    op.drop_table("mediation_staff")
    with op.batch_alter_table("community_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_group_programme_id"))
    op.drop_table("community_group")
    with op.batch_alter_table("mediation_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_case_opened_on"))

    op.drop_table("mediation_case")
