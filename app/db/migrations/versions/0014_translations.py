"""printed texts in both languages; a programme's indirect beneficiaries

Revision ID: 0014_translations
Revises: 0012_office_counts
Create Date: 2026-12-06 11:40:00

Every text a document prints that the user typed (the entity's name and data-protection notice,
programmes, activities, indicators, funders, the report's texts) keeps its other-language
versions in one table, text_variant, keyed by (table, row, field, language); the row's own
column keeps the text in the entity's language. Existing texts have no other version yet.
A programme also gets the estimated number of its indirect beneficiaries (empty: not asked).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_translations"
down_revision = "0016_community"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_variant",
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_variant")),
        sa.UniqueConstraint(
            "table_name", "row_id", "field", "lang", name=op.f("uq_text_variant_table_name")
        ),
    )
    with op.batch_alter_table("text_variant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_variant_row_id"), ["row_id"], unique=False)
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.add_column(sa.Column("indirect_beneficiaries", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_column("indirect_beneficiaries")
    with op.batch_alter_table("text_variant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_variant_row_id"))
    op.drop_table("text_variant")
