"""economic: each funder's budget for a programme by line, the expenses register, the share of
each expense charged to each funder and the invoices kept with their expense

Revision ID: 0009_economic
Revises: 0011_audit_chain
Create Date: 2026-12-06 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_economic"
down_revision = "0011_audit_chain"
branch_labels = None
depends_on = None


def _times() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "budget",
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("funder_id", sa.String(length=36), nullable=False),
        sa.Column("granted", sa.Integer(), nullable=False),
        sa.Column("own_funds", sa.Integer(), nullable=False),
        sa.Column("other_grants", sa.Integer(), nullable=False),
        sa.Column("fees", sa.Integer(), nullable=False),
        sa.Column("allowed_deviation", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["funder.id"],
            name=op.f("fk_budget_funder_id_funder"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_budget_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget")),
        sa.UniqueConstraint("programme_id", "funder_id", name=op.f("uq_budget_programme_id")),
    )
    with op.batch_alter_table("budget", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "budget_line",
        sa.Column("budget_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("allowed_deviation", sa.Integer(), nullable=True),
        *_times(),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budget.id"],
            name=op.f("fk_budget_line_budget_id_budget"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
        sa.UniqueConstraint("budget_id", "code", name=op.f("uq_budget_line_budget_id")),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_budget_id"), ["budget_id"], unique=False)

    op.create_table(
        "expense",
        sa.Column("programme_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("creditor", sa.String(length=200), nullable=False),
        sa.Column("creditor_tax_id", sa.String(length=30), nullable=False),
        sa.Column("document_number", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("vat", sa.Integer(), nullable=False),
        sa.Column("line", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("outside_reason", sa.Text(), nullable=False),
        *_times(),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_expense_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_expense_staff_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense")),
    )
    with op.batch_alter_table("expense", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expense_issue_date"), ["issue_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_expense_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "expense_share",
        sa.Column("expense_id", sa.String(length=36), nullable=False),
        sa.Column("funder_id", sa.String(length=36), nullable=False),
        sa.Column("share", sa.Integer(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(
            ["expense_id"],
            ["expense.id"],
            name=op.f("fk_expense_share_expense_id_expense"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["funder.id"],
            name=op.f("fk_expense_share_funder_id_funder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_share")),
        sa.UniqueConstraint("expense_id", "funder_id", name=op.f("uq_expense_share_expense_id")),
    )
    with op.batch_alter_table("expense_share", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expense_share_expense_id"), ["expense_id"], unique=False
        )

    op.create_table(
        "expense_attachment",
        sa.Column("expense_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(
            ["expense_id"],
            ["expense.id"],
            name=op.f("fk_expense_attachment_expense_id_expense"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_attachment")),
    )
    with op.batch_alter_table("expense_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expense_attachment_expense_id"), ["expense_id"], unique=False
        )


def downgrade() -> None:
    for table in ("expense_attachment", "expense_share", "expense", "budget_line", "budget"):
        op.drop_table(table)
