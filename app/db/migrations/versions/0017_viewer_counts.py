"""the counting functions know volunteers, coproduction and community work; report tables

Revision ID: 0017_viewer_counts
Revises: 0014_translations
Create Date: 2026-12-06 14:40:00

The counting functions of 0012_office_counts count as the figures do (app.services.figures,
app.services.volunteer_figures, app.services.community_figures, which stay the definition):
- a person there as a volunteer of the session's activity, or of one of its programmes, on the
  session's day is not a participant;
- an activity that belongs to several programmes (coproduction) counts in each of them;
- a referral that names the programme it came from counts under that programme alone, and says
  whether the person reached the service.
New functions give a viewer the rest of the justification report without reading a person: the
tables by neighbourhood and nationality, by session and activity, the volunteers and their
hours, and the mediation cases opened and closed. Counts only, never who; PostgreSQL only.
"""

from alembic import op

revision = "0017_viewer_counts"
down_revision = "0014_translations"
branch_labels = None
depends_on = None

#: Each live activity's live programmes: its own and those it is coproduced with.
_PROGRAMMES_OF = """
    SELECT act.id AS activity_id, act.programme_id
    FROM public.activity act JOIN public.programme pr ON pr.id = act.programme_id
    WHERE act.deleted_at IS NULL AND pr.deleted_at IS NULL
    UNION
    SELECT ap.activity_id, ap.programme_id
    FROM public.activity_programme ap
    JOIN public.programme p2 ON p2.id = ap.programme_id
    JOIN public.activity act ON act.id = ap.activity_id
    JOIN public.programme pr ON pr.id = act.programme_id
    WHERE p2.deleted_at IS NULL AND act.deleted_at IS NULL AND pr.deleted_at IS NULL
"""

#: The counted attendances of held sessions of live activities of these programmes (their own
#: or coproduced; programme ids NULL: every programme) in the period, of people not there as a
#: volunteer of the activity or of one of its programmes that day.
_COUNTED = f"""
    SELECT a.participant_id, a.session_id, act.programme_id, act.id AS activity_id, s.date,
           p.gender, p.neighbourhood, p.nationality,
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
      AND (programme_ids IS NULL OR act.programme_id = ANY (programme_ids)
           OR act.id IN (SELECT x.activity_id FROM public.activity_programme x
                         WHERE x.programme_id = ANY (programme_ids)))
      AND a.status IN ('present', 'late') AND p.deleted_at IS NULL
      AND NOT EXISTS (
          SELECT 1 FROM public.volunteer v
          WHERE v.participant_id = a.participant_id AND v.deleted_at IS NULL
            AND v.start <= s.date AND (v."end" IS NULL OR v."end" >= s.date)
            AND (EXISTS (SELECT 1 FROM public.volunteer_activity va
                         WHERE va.volunteer_id = v.id AND va.activity_id = act.id)
                 OR EXISTS (SELECT 1 FROM public.volunteer_programme vp
                            WHERE vp.volunteer_id = v.id
                              AND vp.programme_id IN (SELECT po.programme_id
                                                      FROM ({_PROGRAMMES_OF}) po
                                                      WHERE po.activity_id = act.id))))
"""

#: Referrals to an organisation dated in the period, of people not deleted.
_REFERRED = """
    SELECT r.id, r.participant_id, r.to_organisation_id, r.status, r.programme_id, r.reached
    FROM public.referral r
    JOIN public.participant p ON p.id = r.participant_id
    WHERE r.to_organisation_id IS NOT NULL AND r.date BETWEEN date_from AND date_to
      AND p.deleted_at IS NULL
"""

#: Volunteers whose volunteering overlaps the period.
_VOLUNTEERS = """
    SELECT v.id FROM public.volunteer v
    WHERE v.deleted_at IS NULL AND v.start <= date_to AND (v."end" IS NULL OR v."end" >= date_from)
"""

#: Hours given in the period, each entry once per programme it counts in (NULL: in none): a
#: session's in each of its activity's programmes, a month's in the programme recorded.
_HOURS = f"""
    SELECT h.id, h.volunteer_id, to_char(h.date, 'YYYY-MM') AS month,
           coalesce(h.hours, 0) AS hours, w.programme_id
    FROM public.volunteer_hours h
    JOIN public.volunteer v ON v.id = h.volunteer_id
    LEFT JOIN public.session s ON s.id = h.session_id
    LEFT JOIN LATERAL (
        SELECT po.programme_id FROM ({_PROGRAMMES_OF}) po
        WHERE s.activity_id IS NOT NULL AND po.activity_id = s.activity_id
        UNION ALL
        SELECT h.programme_id WHERE s.activity_id IS NULL AND h.programme_id IS NOT NULL
    ) w ON true
    WHERE v.deleted_at IS NULL AND h.date BETWEEN date_from AND date_to
      AND s.deleted_at IS NULL AND (s.id IS NULL OR s.status = 'held')
"""

#: Each volunteer of the period with the programmes they help in: theirs, their activities',
#: those they gave hours in.
_VOLUNTEER_PROGRAMMES = f"""
    SELECT vp.volunteer_id, vp.programme_id FROM public.volunteer_programme vp
    WHERE vp.volunteer_id IN ({_VOLUNTEERS})
    UNION
    SELECT va.volunteer_id, po.programme_id
    FROM public.volunteer_activity va JOIN ({_PROGRAMMES_OF}) po ON po.activity_id = va.activity_id
    WHERE va.volunteer_id IN ({_VOLUNTEERS})
    UNION
    SELECT e.volunteer_id, e.programme_id FROM ({_HOURS}) e
    WHERE e.programme_id IS NOT NULL AND e.volunteer_id IN ({_VOLUNTEERS})
"""

_ARGUMENTS = "date_from date, date_to date, programme_ids text[]"
_SETTINGS = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
#: Leading and trailing white space, as Python's str.strip().
_TRIM = r"regexp_replace(coalesce({0}, ''), '^\s+|\s+$', '', 'g')"

#: Same arguments and columns as in 0012: replaced in place.
REPLACED = {
    "teixit_attendance_counts": f"""
        CREATE OR REPLACE FUNCTION public.teixit_attendance_counts({_ARGUMENTS})
        RETURNS TABLE (programme_id text, activity_id text, month date, gender text,
                       age integer, attendances bigint)
        {_SETTINGS} AS $$
            SELECT c.programme_id, c.activity_id, date_trunc('month', c.date)::date,
                   c.gender, c.age, count(*)
            FROM ({_COUNTED}) c
            GROUP BY 1, 2, 3, 4, 5
        $$""",
    "teixit_people_counts": f"""
        CREATE OR REPLACE FUNCTION public.teixit_people_counts({_ARGUMENTS})
        RETURNS TABLE (gender text, age integer, people bigint)
        {_SETTINGS} AS $$
            SELECT f.gender, f.age, count(*)
            FROM (SELECT DISTINCT ON (c.participant_id) c.gender, c.age
                  FROM ({_COUNTED}) c
                  ORDER BY c.participant_id, c.date) f
            GROUP BY 1, 2
        $$""",
    # Each referral once: every one (programme ids NULL); those that came from one of these
    # programmes; those that name none, of the people counted.
    "teixit_referral_total": f"""
        CREATE OR REPLACE FUNCTION public.teixit_referral_total({_ARGUMENTS})
        RETURNS bigint
        {_SETTINGS} AS $$
            SELECT count(*)
            FROM ({_REFERRED}) r
            WHERE programme_ids IS NULL
               OR (r.programme_id IS NOT NULL AND r.programme_id = ANY (programme_ids))
               OR (r.programme_id IS NULL
                   AND r.participant_id IN (SELECT c.participant_id FROM ({_COUNTED}) c))
        $$""",
}

#: New, or with new columns (dropped and made again).
FUNCTIONS = {
    # Under the programme it came from; otherwise under each programme (of its activities)
    # the person took part in; NULL for a person in none of them, when every programme is
    # asked for. With how many reached the service.
    "teixit_referral_counts": f"""
        CREATE FUNCTION public.teixit_referral_counts({_ARGUMENTS})
        RETURNS TABLE (programme_id text, organisation_id text, status text, referrals bigint,
                       reached bigint)
        {_SETTINGS} AS $$
            WITH taking AS (
                SELECT DISTINCT c.participant_id, po.programme_id
                FROM ({_COUNTED}) c JOIN ({_PROGRAMMES_OF}) po ON po.activity_id = c.activity_id
            ), referred AS ({_REFERRED})
            SELECT t.programme_id, r.to_organisation_id, r.status, count(*),
                   count(*) FILTER (WHERE r.reached)
            FROM referred r
            JOIN LATERAL (
                SELECT r.programme_id AS programme_id
                WHERE r.programme_id IS NOT NULL
                  AND (programme_ids IS NULL OR r.programme_id = ANY (programme_ids))
                UNION ALL
                SELECT k.programme_id FROM taking k
                WHERE r.programme_id IS NULL AND k.participant_id = r.participant_id
                UNION ALL
                SELECT NULL WHERE r.programme_id IS NULL AND programme_ids IS NULL
                  AND NOT EXISTS (SELECT 1 FROM taking k WHERE k.participant_id = r.participant_id)
            ) t ON true
            GROUP BY 1, 2, 3
        $$""",
    # Attendances by session and gender; people by activity and gender (each once per activity).
    "teixit_session_counts": f"""
        CREATE FUNCTION public.teixit_session_counts({_ARGUMENTS})
        RETURNS TABLE (session_id text, activity_id text, gender text, attendances bigint,
                       people bigint)
        {_SETTINGS} AS $$
            WITH counted AS ({_COUNTED})
            SELECT c.session_id, c.activity_id, c.gender, count(*), NULL::bigint
            FROM counted c GROUP BY 1, 2, 3
            UNION ALL
            SELECT NULL, c.activity_id, c.gender, NULL, count(DISTINCT c.participant_id)
            FROM counted c GROUP BY 2, 3
        $$""",
    # People (each once) and attendances by neighbourhood and by nationality ('' not recorded).
    "teixit_place_counts": f"""
        CREATE FUNCTION public.teixit_place_counts({_ARGUMENTS})
        RETURNS TABLE (kind text, place text, people bigint, attendances bigint)
        {_SETTINGS} AS $$
            WITH counted AS ({_COUNTED})
            SELECT 'neighbourhood', {_TRIM.format("c.neighbourhood")},
                   count(DISTINCT c.participant_id), count(*)
            FROM counted c GROUP BY 1, 2
            UNION ALL
            SELECT 'nationality', upper({_TRIM.format("c.nationality")}),
                   count(DISTINCT c.participant_id), count(*)
            FROM counted c GROUP BY 1, 2
        $$""",
    # Volunteers of the period: in these programmes (NULL row; every one when programme ids
    # is NULL) and by programme (each once in each).
    "teixit_volunteer_counts": f"""
        CREATE FUNCTION public.teixit_volunteer_counts({_ARGUMENTS})
        RETURNS TABLE (programme_id text, volunteers bigint)
        {_SETTINGS} AS $$
            WITH links AS ({_VOLUNTEER_PROGRAMMES})
            SELECT NULL::text, count(*) FROM ({_VOLUNTEERS}) v
            WHERE programme_ids IS NULL
               OR v.id IN (SELECT l.volunteer_id FROM links l
                           WHERE l.programme_id = ANY (programme_ids))
            UNION ALL
            SELECT l.programme_id, count(DISTINCT l.volunteer_id) FROM links l
            WHERE programme_ids IS NULL OR l.programme_id = ANY (programme_ids)
            GROUP BY 1
        $$""",
    # Hours by month: in these programmes (NULL programme: each entry once) and by programme.
    "teixit_volunteer_hours": f"""
        CREATE FUNCTION public.teixit_volunteer_hours({_ARGUMENTS})
        RETURNS TABLE (programme_id text, month text, hours double precision)
        {_SETTINGS} AS $$
            WITH entries AS ({_HOURS}),
            inside AS (
                SELECT DISTINCT e.id, e.month, e.hours FROM entries e
                WHERE programme_ids IS NULL OR e.id IN (
                    SELECT x.id FROM entries x WHERE x.programme_id = ANY (programme_ids))
            )
            SELECT NULL::text, i.month, sum(i.hours) FROM inside i GROUP BY 1, 2
            UNION ALL
            SELECT e.programme_id, e.month, sum(e.hours) FROM entries e
            WHERE e.programme_id IS NOT NULL
              AND (programme_ids IS NULL OR e.programme_id = ANY (programme_ids))
            GROUP BY 1, 2
        $$""",
    # Mediation cases opened in the period (outcome NULL) and closed in it, by outcome; for
    # programmes, the cases with a session of their activities.
    "teixit_mediation_counts": f"""
        CREATE FUNCTION public.teixit_mediation_counts({_ARGUMENTS})
        RETURNS TABLE (event text, outcome text, cases bigint)
        {_SETTINGS} AS $$
            WITH cases AS (
                SELECT m.opened_on, m.closed_on, m.outcome FROM public.mediation_case m
                WHERE m.deleted_at IS NULL
                  AND (programme_ids IS NULL OR m.id IN (
                      SELECT ms.case_id FROM public.mediation_session ms
                      JOIN public.session s ON s.id = ms.session_id
                      JOIN public.activity act ON act.id = s.activity_id
                      WHERE act.programme_id = ANY (programme_ids)))
            )
            SELECT 'opened', NULL::text, count(*) FROM cases
            WHERE opened_on BETWEEN date_from AND date_to
            UNION ALL
            SELECT 'closed', coalesce(outcome, ''), count(*) FROM cases
            WHERE closed_on BETWEEN date_from AND date_to
            GROUP BY 2
        $$""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for create in REPLACED.values():
        op.execute(create)
    for name, create in FUNCTIONS.items():
        op.execute(f"DROP FUNCTION IF EXISTS public.{name}({_ARGUMENTS})")
        op.execute(create)
        # Nobody may call them but Teixit's roles (granted in app.db.office).
        op.execute(f"REVOKE ALL ON FUNCTION public.{name}({_ARGUMENTS}) FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS public.{name}({_ARGUMENTS})")
    # 0012's own definitions again (the referral counts without their new column).
    from importlib.util import module_from_spec, spec_from_file_location
    from pathlib import Path

    spec = spec_from_file_location("office_counts", Path(__file__).with_name("0012_office_counts.py"))
    assert spec is not None and spec.loader is not None
    older = module_from_spec(spec)
    spec.loader.exec_module(older)
    for name, create in older.FUNCTIONS.items():
        op.execute(f"DROP FUNCTION IF EXISTS public.{name}({_ARGUMENTS})")
        op.execute(create)
        op.execute(f"REVOKE ALL ON FUNCTION public.{name}({_ARGUMENTS}) FROM PUBLIC")
