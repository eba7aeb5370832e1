"""The office database's people: the Teixit roles, each person's login, and moving one PC's data
into a new office database.

The database enforces the roles, not the window: each person logs in as their own PostgreSQL
role, a member of one of
- ``teixit_coordinator``: everything, and adds or disables logins; reads the audit log, never
  changes it;
- ``teixit_educator``: the daily work (people, sessions, attendance, networks); writes audit
  entries but can neither read nor change them; cannot change the entity's profile or settings;
- ``teixit_viewer``: reads what holds no personal data (programmes, sessions, head counts,
  networks, and how many are enrolled or attended, never who), and the figures through counting
  functions (``COUNT_FUNCTIONS``); writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Connection, Engine, MetaData, Table, func, select, text

import app.db.models  # noqa: F401 - registers the tables
from app.db.base import Base
from app.errors import UserError
from app.i18n import _

COORDINATOR = "teixit_coordinator"
EDUCATOR = "teixit_educator"
VIEWER = "teixit_viewer"
ROLES = {"coordinator": COORDINATOR, "educator": EDUCATOR, "viewer": VIEWER}

#: Tables holding people's personal data (and the audit log, which names them; the change log
#: and the sync conflicts, which hold the values written).
PERSONAL = frozenset(
    {"participant", "consent", "referral", "enrolment", "attendance", "audit_event"}
    | {"change_log", "sync_conflict"}
    | {"volunteer", "volunteer_hours", "safeguarding_certificate"}
    | {"group_contact", "mediation_case", "mediation_staff", "mediation_party"}
    | {"mediation_session"}
)
#: Need-to-know: a mediation case, its team, parties, sessions and agreements are seen only by
#: the staff on the case (their ``staff.login``) and coordinators. Row-level policies, so the
#: database refuses what the window would not show: a SELECT simply finds no row.
CASE_TABLES = ("mediation_staff", "mediation_party", "mediation_session")
#: The case and the tables of its parts (their rows in the change log are need-to-know too).
CASE_OWN_TABLES = ("mediation_case", *CASE_TABLES)
#: The entity's own set-up: educators read it, only coordinators change it.
SET_UP = frozenset(
    {"entity_profile", "setting", "programme_category", "funder", "age_band_set", "local_day"}
)
#: What a viewer may count in personal tables: which activity or session and what status, never
#: whose (column privileges: no participant column).
COUNTED = {
    "enrolment": ("id", "activity_id", "start", "end"),
    "attendance": ("id", "session_id", "status"),
}
#: The counting functions a viewer calls for the figures and the report's tables (migrations
#: 0012_office_counts, 0017_viewer_counts): counts
#: with their owner's rights, never who.
COUNT_FUNCTIONS = (
    "teixit_attendance_counts",
    "teixit_people_counts",
    "teixit_referral_counts",
    "teixit_referral_total",
    "teixit_session_counts",
    "teixit_place_counts",
    "teixit_volunteer_counts",
    "teixit_volunteer_hours",
    "teixit_mediation_counts",
)
COUNT_ARGUMENTS = "date, date, text[]"
AUDIT = "audit_event"
MIGRATIONS = "alembic_version"

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")


class OfficeError(UserError):
    pass


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_login_name(name: str) -> str:
    if not _LOGIN.match(name) or name.startswith(("pg_", "teixit_")):
        raise OfficeError(
            _(
                "“{name}” cannot be a login name: use lower-case letters, digits, dots, hyphens "
                "and underscores, starting with a letter (for example anna.puig)."
            ).format(name=name)
        )
    return name


def _tables() -> list[str]:
    return [table.name for table in Base.metadata.sorted_tables]


def create_roles(connection: Connection) -> None:
    """The three Teixit roles (they cannot log in themselves), created when missing."""
    for role in (COORDINATOR, EDUCATOR, VIEWER):
        exists = connection.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": role}
        )
        if not exists:
            connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))


def grant_privileges(connection: Connection) -> None:
    """What each role may do, table by table (again after a migration adds tables)."""
    database = connection.scalar(text("SELECT current_database()"))
    everyone = f"{COORDINATOR}, {EDUCATOR}, {VIEWER}"
    connection.execute(text(f"REVOKE ALL ON DATABASE {_quoted(str(database))} FROM PUBLIC"))
    connection.execute(text(f"GRANT CONNECT ON DATABASE {_quoted(str(database))} TO {everyone}"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    for table in [*_tables(), MIGRATIONS]:
        connection.execute(text(f"REVOKE ALL ON {_quoted(table)} FROM PUBLIC, {everyone}"))
        connection.execute(text(f"GRANT SELECT ON {_quoted(table)} TO {everyone}"))
    for table in _tables():
        name = _quoted(table)
        if table == AUDIT:
            # The log is appended to, never changed: nobody gets UPDATE or DELETE on it.
            connection.execute(text(f"REVOKE SELECT ON {name} FROM {EDUCATOR}, {VIEWER}"))
            # A viewer appends too: the reports it writes are logged like anybody's.
            connection.execute(text(f"GRANT INSERT ON {name} TO {everyone}"))
            # Appending links the new entry to the last one: educators and viewers read the
            # links, not what the entries say.
            connection.execute(
                text(f"GRANT SELECT (seq, chain) ON {name} TO {EDUCATOR}, {VIEWER}")
            )
            continue
        connection.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {name} TO {COORDINATOR}"))
        if table not in SET_UP:
            connection.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {name} TO {EDUCATOR}"))
        if table in PERSONAL:
            connection.execute(text(f"REVOKE SELECT ON {name} FROM {VIEWER}"))
        if table in COUNTED:
            columns = ", ".join(_quoted(c) for c in COUNTED[table])
            connection.execute(text(f"GRANT SELECT ({columns}) ON {name} TO {VIEWER}"))
    for function in COUNT_FUNCTIONS:
        connection.execute(
            text(f"GRANT EXECUTE ON FUNCTION public.{function}({COUNT_ARGUMENTS}) TO {everyone}")
        )
    row_policies(connection)


def row_policies(connection: Connection) -> None:
    """The need-to-know policies of mediation cases (again after a migration: idempotent).

    ``teixit_on_case`` runs as its owner (the database's administrator, whom the policies do
    not bind), so it can read a case's team whoever asks; it answers for the person logged in
    (``session_user``). A new case can be written before its team, and a team only given to a
    case that has none yet or is the writer's."""
    connection.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION teixit_on_case(wanted varchar) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
              SELECT pg_has_role(session_user, '{COORDINATOR}', 'MEMBER')
                  OR EXISTS (
                    SELECT 1 FROM mediation_staff m JOIN staff s ON s.id = m.staff_id
                    WHERE m.case_id = wanted AND s.login <> '' AND s.login = session_user)
            $$"""
        )
    )
    connection.execute(
        text(
            """
            CREATE OR REPLACE FUNCTION teixit_case_unstaffed(wanted varchar) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
              SELECT NOT EXISTS (SELECT 1 FROM mediation_staff m WHERE m.case_id = wanted)
            $$"""
        )
    )
    # The change log and the sync conflicts hold the values written: a row of a case's table
    # is read only by those who may read the case (its case from the values written, else from
    # the row, else from an earlier entry of the same row; unknown: coordinators alone).
    connection.execute(
        text(
            f"""
            CREATE OR REPLACE FUNCTION teixit_change_visible(t varchar, r varchar, f text)
            RETURNS boolean
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
              found varchar;
              column_name text := CASE WHEN t = 'agreement' THEN 'mediation_case_id'
                                       WHEN t = 'mediation_case' THEN 'id'
                                       ELSE 'case_id' END;
            BEGIN
              IF t NOT IN ({", ".join(f"'{x}'" for x in (*CASE_OWN_TABLES, "agreement"))})
                 OR pg_has_role(session_user, '{COORDINATOR}', 'MEMBER') THEN
                RETURN true;
              END IF;
              IF t = 'mediation_case' THEN
                RETURN teixit_on_case(r);
              END IF;
              IF f IS NOT NULL AND f LIKE '{{%' THEN
                found := f::json ->> column_name;
              END IF;
              IF found IS NULL THEN
                EXECUTE format('SELECT %I FROM %I WHERE id = $1', column_name, t)
                  INTO found USING r;
              END IF;
              IF found IS NULL THEN
                SELECT c.fields::json ->> column_name INTO found FROM change_log c
                WHERE c.table_name = t AND c.row_id = r AND c.fields LIKE '{{%'
                  AND c.fields::json ->> column_name IS NOT NULL
                LIMIT 1;
              END IF;
              IF found IS NULL THEN
                -- An agreement of a meeting (no case) is anybody's; a case's row whose case
                -- is not known, a coordinator's alone.
                RETURN t = 'agreement';
              END IF;
              RETURN teixit_on_case(found);
            END
            $$"""
        )
    )
    visible = (
        "USING (table_name NOT IN ({tables}) OR teixit_change_visible(table_name, row_id, {f}))"
    )
    case_tables = ", ".join(f"'{t}'" for t in (*CASE_OWN_TABLES, "agreement"))
    rules: dict[str, list[tuple[str, str, str]]] = {
        "change_log": [
            ("log_read", "SELECT", visible.format(tables=case_tables, f="fields")),
            ("log_new", "INSERT", "WITH CHECK (true)"),
            ("log_change", "UPDATE", "USING (true)"),
            ("log_remove", "DELETE", "USING (true)"),
        ],
        "sync_conflict": [
            ("conflict_read", "SELECT", visible.format(tables=case_tables, f="NULL")),
            ("conflict_new", "INSERT", "WITH CHECK (true)"),
            ("conflict_change", "UPDATE", "USING (true)"),
            ("conflict_remove", "DELETE", "USING (true)"),
        ],
        # table: (policy, command, condition)
        "mediation_case": [
            ("case_read", "SELECT", "USING (teixit_on_case(id))"),
            ("case_new", "INSERT", "WITH CHECK (true)"),
            ("case_change", "UPDATE", "USING (teixit_on_case(id))"),
            ("case_remove", "DELETE", "USING (teixit_on_case(id))"),
        ],
        "mediation_staff": [
            ("team_read", "SELECT", "USING (teixit_on_case(case_id))"),
            (
                "team_new",
                "INSERT",
                "WITH CHECK (teixit_on_case(case_id) OR teixit_case_unstaffed(case_id))",
            ),
            ("team_change", "UPDATE", "USING (teixit_on_case(case_id))"),
            ("team_remove", "DELETE", "USING (teixit_on_case(case_id))"),
        ],
        "agreement": [
            (
                "agreement_need_to_know",
                "ALL",
                "USING (mediation_case_id IS NULL OR teixit_on_case(mediation_case_id))",
            )
        ],
        **{
            table: [(f"{table}_need_to_know", "ALL", "USING (teixit_on_case(case_id))")]
            for table in CASE_TABLES
            if table != "mediation_staff"
        },
    }
    for table, policies in rules.items():
        name = _quoted(table)
        connection.execute(text(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"))
        for policy, command, condition in policies:
            connection.execute(text(f"DROP POLICY IF EXISTS {policy} ON {name}"))
            connection.execute(
                text(f"CREATE POLICY {policy} ON {name} FOR {command} {condition}")
            )


def add_login(connection: Connection, name: str, password: str, role: str) -> None:
    """A person's own login, member of one Teixit role. A coordinator may add and disable
    logins (CREATEROLE, and the right to hand out the three roles)."""
    check_login_name(name)
    if role not in ROLES:
        raise OfficeError(
            _("“{role}” is not a role; the roles are {roles}.").format(
                role=role, roles=", ".join(ROLES)
            )
        )
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    if exists:
        raise OfficeError(_("There is already a login called {name}.").format(name=name))
    group = ROLES[role]
    quoted_password = connection.scalar(select(func.quote_literal(password)))
    extra = " CREATEROLE" if group == COORDINATOR else ""
    connection.execute(
        text(f"CREATE ROLE {_quoted(name)} LOGIN{extra} PASSWORD {quoted_password}")
    )
    connection.execute(text(f"GRANT {group} TO {_quoted(name)}"))
    if group == COORDINATOR:
        connection.execute(
            text(f"GRANT {EDUCATOR}, {VIEWER} TO {_quoted(name)} WITH ADMIN OPTION")
        )
        connection.execute(text(f"GRANT {COORDINATOR} TO {_quoted(name)} WITH ADMIN OPTION"))


def disable_login(connection: Connection, name: str) -> None:
    """The person can no longer log in; what they wrote stays, under their name in the log."""
    check_login_name(name)
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    if not exists:
        raise OfficeError(_("There is no login called {name}.").format(name=name))
    connection.execute(text(f"ALTER ROLE {_quoted(name)} NOLOGIN"))


def row_counts(connection: Connection, tables: Iterable[Table]) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables
    }


def _parents_first(table: Table, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows of a table that refers to itself (a space within a space), parents before children."""
    own = [
        (fk.parent.name, fk.column.name)
        for fk in table.foreign_keys
        if fk.column.table is table
    ]
    if not own:
        return rows
    ordered: list[dict[str, object]] = []
    placed: set[object] = set()
    waiting = rows
    while waiting:
        ready = [
            r
            for r in waiting
            if all(r[col] is None or r[col] in placed for col, _target in own)
        ]
        if not ready:  # a loop: leave the rest as it is and let the database say so
            ordered.extend(waiting)
            break
        ordered.extend(ready)
        placed.update(r[own[0][1]] for r in ready)
        ready_ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ready_ids]
    return ordered


def _rows_of(connection: Connection, table: Table) -> list[tuple[Any, ...]]:
    """Every row of ``table``, in its columns' order (parents first in a table that refers to
    itself)."""
    rows = [tuple(r) for r in connection.execute(select(table)).all()]
    if any(fk.column.table is table for fk in table.foreign_keys):
        names = [c.name for c in table.columns]
        mapped = _parents_first(table, [dict(zip(names, r, strict=True)) for r in rows])
        rows = [tuple(r[n] for n in names) for r in mapped]
    return rows


def _copy_rows(connection: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """The rows into the office database with PostgreSQL's COPY (one stream per table, many
    times quicker than INSERTs; counted afterwards like any other way in)."""
    if not rows:
        return
    from psycopg.types.json import Json

    columns = list(table.columns)
    as_json = [i for i, c in enumerate(columns) if isinstance(c.type, JSON)]
    if as_json:
        rows = [
            tuple(Json(v) if i in as_json and v is not None else v for i, v in enumerate(r))
            for r in rows
        ]
    names = ", ".join(_quoted(c.name) for c in columns)
    raw: Any = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
        f"COPY {_quoted(table.name)} ({names}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(row)


#: Tables the first migration fills (the default programme categories): replaced by the PC's.
SEEDED = frozenset({"programme_category"})


def upload(source: Engine, target: Engine) -> dict[str, int]:
    """Copy every row of ``source`` (a PC's SQLite file) into the empty office database
    ``target``, in one transaction: all of it or nothing. Every table's count is compared
    afterwards; a difference undoes everything. Returns the counts."""
    metadata: MetaData = Base.metadata
    tables = list(metadata.sorted_tables)
    with source.connect() as reading, target.begin() as writing:
        present = row_counts(writing, tables)
        filled = sorted(name for name, count in present.items() if count and name not in SEEDED)
        if filled:
            raise OfficeError(
                _(
                    "The office database already holds data (in {tables}). The data of this "
                    "computer can only be moved into a new, empty office database."
                ).format(tables=", ".join(filled))
            )
        for table in reversed(tables):
            if table.name in SEEDED:
                writing.execute(table.delete())
        expected = row_counts(reading, tables)
        for table in tables:
            _copy_rows(writing, table, _rows_of(reading, table))
        copied = row_counts(writing, tables)
        if copied != expected:
            wrong = sorted(n for n in expected if copied.get(n) != expected[n])
            raise OfficeError(
                _(
                    "The copy did not come out whole (different counts in {tables}); nothing "
                    "has been written to the office database."
                ).format(tables=", ".join(wrong))
            )
    return expected
