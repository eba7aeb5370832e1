"""the change log of a file: one B-tree keyed by device and number, rows found by a short hash

Revision ID: 0018_change_log_keys
Revises: 0017_viewer_counts
Create Date: 2026-12-06 17:30:00

On a SQLite file every write appends its entries to the change log in its own transaction; a
save of 40 marks wrote 40 rows to three B-trees (the table, its key and the index by table and
row, whose keys are random: a mark's id is a hash). The table becomes ``WITHOUT ROWID``, keyed by
``(device_id, seq)`` (one B-tree for both), and the index by row becomes one on a 64-bit hash
of the table and the row id (``row_hash``), filled later, when a merge is about to look rows up
(``app.db.changelog.settle``), not in the write itself: entries not hashed yet are listed
by a small index in the order they were written. Existing entries are copied unhashed (the
first merge hashes them). The office database (PostgreSQL) keeps its table as it is.
"""

from alembic import op

revision = "0018_change_log_keys"
down_revision = "0017_viewer_counts"
branch_labels = None
depends_on = None

_COLUMNS = "device_id, seq, hlc, table_name, row_id, op, fields, protect"
#: The log's columns as both shapes of the table declare them.
_DECLARED = (
    " device_id VARCHAR(36) NOT NULL,"
    " seq INTEGER NOT NULL,"
    " hlc BIGINT NOT NULL,"
    " table_name VARCHAR(40) NOT NULL,"
    " row_id VARCHAR(80) NOT NULL,"
    " op VARCHAR(6) NOT NULL,"
    " fields TEXT NOT NULL,"
    " protect BOOLEAN NOT NULL,"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE change_log_new ("
        f"{_DECLARED}"
        " row_hash BIGINT,"
        " CONSTRAINT pk_change_log PRIMARY KEY (device_id, seq)"
        ") WITHOUT ROWID"
    )
    op.execute(
        f"INSERT INTO change_log_new ({_COLUMNS}) SELECT {_COLUMNS} FROM change_log"
        " ORDER BY device_id, seq"
    )
    op.execute("DROP INDEX ix_change_log_row")
    op.execute("DROP TABLE change_log")
    op.execute("ALTER TABLE change_log_new RENAME TO change_log")
    op.execute(
        "CREATE INDEX ix_change_log_row_hash ON change_log (row_hash)"
        " WHERE row_hash IS NOT NULL"
    )
    op.execute("CREATE INDEX ix_change_log_unhashed ON change_log (seq) WHERE row_hash IS NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE change_log_old ("
        f"{_DECLARED}"
        " CONSTRAINT pk_change_log PRIMARY KEY (device_id, seq)"
        ")"
    )
    op.execute(
        f"INSERT INTO change_log_old ({_COLUMNS}) SELECT {_COLUMNS} FROM change_log"
        " WHERE op != 'pack'"
    )
    # A save's entries kept as one row (``app.db.changelog.PACK``, numbered as its last
    # entry, each entry ``[table, row id, op, fields, protect]``): one row each, as before.
    op.execute(
        f"INSERT INTO change_log_old ({_COLUMNS})"
        " SELECT c.device_id, c.seq - json_array_length(c.fields) + 1 + j.key, c.hlc,"
        " json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),"
        " json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), 0"
        " FROM change_log AS c, json_each(c.fields) AS j WHERE c.op = 'pack'"
    )
    op.execute("DROP INDEX ix_change_log_unhashed")
    op.execute("DROP INDEX ix_change_log_row_hash")
    op.execute("DROP TABLE change_log")
    op.execute("ALTER TABLE change_log_old RENAME TO change_log")
    op.execute("CREATE INDEX ix_change_log_row ON change_log (table_name, row_id)")
