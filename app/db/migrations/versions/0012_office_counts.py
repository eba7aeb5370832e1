"""figures without names for viewers of an office database (PostgreSQL only)

Revision ID: 0012_office_counts
Revises: 0010_local_calendar
Create Date: 2026-12-06 11:45:00

A viewer may not read people, their attendance or referrals, yet may see the figures: how many
attended, by programme, activity, month, gender and age, and how many were referred where.
These functions count with their owner's rights (SECURITY DEFINER) and return counts only,
never who. Nothing is made on a SQLite file (one person, who may read everything). The roles
get the right to call them from ``app.db.office.grant_privileges`` (``office init``/``upgrade``).
"""

from alembic import op

revision = "0012_office_counts"
down_revision = "0010_local_calendar"
branch_labels = None
depends_on = None

#: The counted attendances of held sessions of live activities and programmes in the period
#: (programme ids NULL: every programme), each with the person's gender and age on the day.
_COUNTED = """
    SELECT a.participant_id, act.programme_id, act.id AS activity_id, s.date,
           p.gender,
           CASE
               WHEN p.birth_date IS NOT NULL THEN
                   extract(year FROM s.date)::integer - extract(year FROM p.birth_date)::integer
                   - CASE WHEN to_char(s.date, 'MM-DD') < to_char(p.birth_date, 'MM-DD')
                          THEN 1 ELSE 0 END
               WHEN p.birth_year IS NOT NULL THEN
                   extract(year FROM s.date)::integer - p.birth_year
           END AS age
    FROM public.attendance a
    JOIN public.session s ON s.id = a.session_id
    JOIN public.activity act ON act.id = s.activity_id
    JOIN public.programme pr ON pr.id = act.programme_id
    JOIN public.participant p ON p.id = a.participant_id
    WHERE s.status = 'held' AND s.deleted_at IS NULL AND act.deleted_at IS NULL
      AND pr.deleted_at IS NULL AND s.date BETWEEN date_from AND date_to
      AND (programme_ids IS NULL OR act.programme_id = ANY (programme_ids))
      AND a.status IN ('present', 'late') AND p.deleted_at IS NULL
"""

#: Referrals to an organisation dated in the period, of people not deleted.
_REFERRED = """
    SELECT r.id, r.participant_id, r.to_organisation_id, r.status
    FROM public.referral r
    JOIN public.participant p ON p.id = r.participant_id
    WHERE r.to_organisation_id IS NOT NULL AND r.date BETWEEN date_from AND date_to
      AND p.deleted_at IS NULL
"""

_ARGUMENTS = "date_from date, date_to date, programme_ids text[]"
_SETTINGS = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"

FUNCTIONS = {
    "teixit_attendance_counts": f"""
        CREATE FUNCTION public.teixit_attendance_counts({_ARGUMENTS})
        RETURNS TABLE (programme_id text, activity_id text, month date, gender text,
                       age integer, attendances bigint)
        {_SETTINGS} AS $$
            SELECT c.programme_id, c.activity_id, date_trunc('month', c.date)::date,
                   c.gender, c.age, count(*)
            FROM ({_COUNTED}) c
            GROUP BY 1, 2, 3, 4, 5
        $$""",
    # Each person once: gender and age on their first counted day among these programmes.
    "teixit_people_counts": f"""
        CREATE FUNCTION public.teixit_people_counts({_ARGUMENTS})
        RETURNS TABLE (gender text, age integer, people bigint)
        {_SETTINGS} AS $$
            SELECT f.gender, f.age, count(*)
            FROM (SELECT DISTINCT ON (c.participant_id) c.gender, c.age
                  FROM ({_COUNTED}) c
                  ORDER BY c.participant_id, c.date) f
            GROUP BY 1, 2
        $$""",
    # Under each programme (of these) the person took part in; NULL for a person in none of
    # them, when every programme is asked for.
    "teixit_referral_counts": f"""
        CREATE FUNCTION public.teixit_referral_counts({_ARGUMENTS})
        RETURNS TABLE (programme_id text, organisation_id text, status text, referrals bigint)
        {_SETTINGS} AS $$
            SELECT t.programme_id, r.to_organisation_id, r.status, count(*)
            FROM ({_REFERRED}) r
            LEFT JOIN (SELECT DISTINCT c.participant_id, c.programme_id
                       FROM ({_COUNTED}) c) t ON t.participant_id = r.participant_id
            WHERE t.programme_id IS NOT NULL OR programme_ids IS NULL
            GROUP BY 1, 2, 3
        $$""",
    # Each referral once: every one (programme ids NULL), or those of the people counted.
    "teixit_referral_total": f"""
        CREATE FUNCTION public.teixit_referral_total({_ARGUMENTS})
        RETURNS bigint
        {_SETTINGS} AS $$
            SELECT count(*)
            FROM ({_REFERRED}) r
            WHERE programme_ids IS NULL
               OR r.participant_id IN (SELECT c.participant_id FROM ({_COUNTED}) c)
        $$""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, create in FUNCTIONS.items():
        op.execute(create)
        # Nobody may call them but Teixit's roles (granted in app.db.office).
        op.execute(f"REVOKE ALL ON FUNCTION public.{name}({_ARGUMENTS}) FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS public.{name}({_ARGUMENTS})")
