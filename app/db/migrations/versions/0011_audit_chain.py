"""the audit log becomes a hash chain

Revision ID: 0011_audit_chain
Revises: 0005_more_versions
Create Date: 2026-12-06 09:30:00

Each audit entry gets a sequence number and a SHA-256 link over the previous link and its own
fields, so an entry deleted or edited afterwards shows. Existing entries are numbered and linked
in the order they were written (time, then id).
"""

import sqlalchemy as sa
from alembic import op

from app.domain.audit import chain_hash

revision = "0011_audit_chain"
down_revision = "0005_more_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("chain", sa.String(64), server_default="", nullable=False))
        batch_op.create_unique_constraint("uq_audit_event_seq", ["seq"])
    bind = op.get_bind()
    events = sa.table(
        "audit_event",
        sa.column("id", sa.String),
        sa.column("at", sa.DateTime),
        sa.column("action", sa.String),
        sa.column("subject", sa.String),
        sa.column("details", sa.Text),
        sa.column("seq", sa.Integer),
        sa.column("chain", sa.String),
    )
    rows = bind.execute(
        sa.select(
            events.c.id, events.c.at, events.c.action, events.c.subject, events.c.details
        ).order_by(events.c.at, events.c.id)
    ).all()
    link = ""
    for seq, (ident, at, action, subject, details) in enumerate(rows, start=1):
        link = chain_hash(link, seq, at, action, subject or "", details or "")
        bind.execute(events.update().where(events.c.id == ident).values(seq=seq, chain=link))


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_event_seq", type_="unique")
        batch_op.drop_column("chain")
        batch_op.drop_column("seq")
