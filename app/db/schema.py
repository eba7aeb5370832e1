"""The migration revisions this version knows, oldest first.

Kept as constants so start-up can compare the database's revision without importing Alembic
(a test checks this list against the migration scripts). Add the new revision id here when you
add a migration.
"""

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_meeting_status",
    "0003_evidence",
    "0004_record_versions",
    "0005_more_versions",
    "0011_audit_chain",
    "0009_economic",
    "0006_change_log",
    "0008_band_sets",
    "0010_local_calendar",
    "0012_office_counts",
    "0015_volunteers",
    "0016_community",
    "0014_translations",
    "0017_viewer_counts",
    "0018_change_log_keys",
    "0020_figure_indexes",
)
HEAD = REVISIONS[-1]
