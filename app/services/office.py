"""The office database as the window sees it: who is logged in and as what role, other PCs'
changes as they happen, and trying a login before connecting with it.

On a SQLite file there is one person and they may do everything: the role is coordinator."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from sqlalchemy import URL, text

from app.db.credentials import (
    forget_password,
    remember_password,
    stored_password,
    with_stored_password,
)
from app.db.engine import Database, open_url
from app.db.notify import EVERY_TABLE, ChangeListener
from app.db.office import COORDINATOR as COORDINATOR_ROLE
from app.db.office import EDUCATOR as EDUCATOR_ROLE
from app.db.office import VIEWER as VIEWER_ROLE
from app.domain.changes import EVERYTHING, Area, Changes
from app.domain.office import (
    COORDINATOR,
    EDUCATOR,
    ENCRYPTION_MODES,
    ENCRYPTION_PREFERRED,
    ENCRYPTION_VERIFIED,
    VIEWER,
    OfficeLogin,
)
from app.errors import ValidationError
from app.i18n import _

#: What each table's rows show in the window.
TABLE_AREAS: dict[str, tuple[Area, ...]] = {
    "entity_profile": (Area.PROFILE,),
    "setting": (Area.PROFILE,),
    "audit_event": (Area.PROFILE,),
    "staff": (Area.STAFF,),
    "place": (Area.PLACES,),
    "funder": (Area.FUNDERS,),
    "programme_funder": (Area.FUNDERS, Area.PROGRAMMES),
    "programme_category": (Area.CATEGORIES,),
    "programme": (Area.PROGRAMMES,),
    "indicator": (Area.PROGRAMMES,),
    "report_narrative": (Area.PROGRAMMES,),
    "activity": (Area.ACTIVITIES,),
    "activity_facilitator": (Area.ACTIVITIES,),
    "session": (Area.SESSIONS,),
    "session_facilitator": (Area.SESSIONS,),
    "head_count": (Area.SESSIONS, Area.ATTENDANCE),
    "evidence": (Area.SESSIONS,),
    "attendance": (Area.ATTENDANCE,),
    "enrolment": (Area.PEOPLE, Area.ACTIVITIES),
    "participant": (Area.PEOPLE,),
    "consent": (Area.PEOPLE,),
    "referral": (Area.PEOPLE, Area.COMMUNITY),
    "organisation": (Area.ORGANISATIONS,),
    "network_space": (Area.NETWORKS,),
    "network_meeting": (Area.NETWORKS, Area.COMMUNITY),
    "meeting_attendee": (Area.NETWORKS,),
    "meeting_programme": (Area.NETWORKS,),
    "agreement": (Area.NETWORKS, Area.COMMUNITY),
    "community_group": (Area.COMMUNITY,),
    "group_contact": (Area.COMMUNITY,),
    "group_stage": (Area.COMMUNITY,),
    "mediation_case": (Area.COMMUNITY,),
    "mediation_staff": (Area.COMMUNITY,),
    "mediation_party": (Area.COMMUNITY,),
    "mediation_session": (Area.COMMUNITY,),
    "need": (Area.COMMUNITY,),
}


def changes_of_tables(tables: frozenset[str]) -> Changes:
    """What the window refreshes after a write to ``tables`` (a table it does not know:
    everything)."""
    if EVERY_TABLE in tables or any(t not in TABLE_AREAS for t in tables):
        return EVERYTHING
    return Changes(frozenset(a for t in tables for a in TABLE_AREAS[t]))


class OfficeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def is_office(self) -> bool:
        return not self.db.is_file

    @cached_property
    def role(self) -> str:
        """coordinator, educator or viewer: the login's membership of Teixit's roles (read once
        per connection; the database enforces it whatever the window shows)."""
        if self.db.is_file:
            return COORDINATOR
        return read_role(self.db)

    @property
    def reads_people(self) -> bool:
        """Whether this login may read people, their attendance and consents (a viewer sees
        only figures, counted by the database without naming anybody)."""
        return self.role != VIEWER

    @property
    def may_write(self) -> bool:
        """Whether this login may add or change anything (a viewer only reads)."""
        return self.role != VIEWER

    @cached_property
    def encrypted(self) -> bool:
        """Whether the connections to the office database are encrypted (TLS)."""
        return False if self.db.is_file else read_encrypted(self.db)

    def login(self) -> OfficeLogin | None:
        """Who is connected to which office database (None on a SQLite file)."""
        if self.db.is_file:
            return None
        return login_of(self.db.engine.url, self.role, encrypted=self.encrypted)

    def listen(
        self,
        on_changes: Callable[[Changes], None],
        on_reachable: Callable[[bool], None],
    ) -> ChangeListener | None:
        """Hear other PCs' changes (``on_changes``, after the in-memory indexes were told) and
        the server going away and coming back (``on_reachable``), on a background thread,
        until the listener's ``stop()``. None on a SQLite file."""
        if self.db.is_file:
            return None
        writes = self.db.writes

        def heard(tables: frozenset[str]) -> None:
            writes.tell(tables)
            on_changes(changes_of_tables(tables))

        return ChangeListener(self.db.engine.url, self.db.sender, heard, on_reachable).start()


def read_role(db: Database) -> str:
    with db.read() as session:
        present = set(
            session.execute(
                text("SELECT rolname FROM pg_roles WHERE rolname IN (:c, :e, :v)"),
                {"c": COORDINATOR_ROLE, "e": EDUCATOR_ROLE, "v": VIEWER_ROLE},
            ).scalars()
        )
        for group, role in (
            (COORDINATOR_ROLE, COORDINATOR),
            (EDUCATOR_ROLE, EDUCATOR),
            (VIEWER_ROLE, VIEWER),
        ):
            if group in present and session.execute(
                text("SELECT pg_has_role(current_user, :g, 'MEMBER')"), {"g": group}
            ).scalar():
                return role
        superuser = session.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    # A database without Teixit's roles is its administrator's alone; a login outside them
    # may only read what PUBLIC may.
    return COORDINATOR if superuser or not present else VIEWER


def read_encrypted(db: Database) -> bool:
    """Whether this session's connection to the server is encrypted (TLS)."""
    with db.read() as session:
        return bool(
            session.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar()
        )


def encryption_of(url: URL) -> str:
    """ENCRYPTION_REQUIRED when the address requires TLS, else ENCRYPTION_PREFERRED."""
    mode = url.query.get("sslmode")
    return mode if isinstance(mode, str) and mode in ENCRYPTION_MODES else ENCRYPTION_PREFERRED


def ca_file_of(url: URL) -> str:
    """The certificate authority's file of a verified address ("" when none)."""
    found = url.query.get("sslrootcert")
    return found if isinstance(found, str) else ""


def login_of(url: URL, role: str, *, encrypted: bool = False) -> OfficeLogin:
    return OfficeLogin(
        server=url.host or "localhost",
        port=url.port or 5432,
        database=url.database or "",
        user=url.username or "",
        role=role,
        encryption=encryption_of(url),
        encrypted=encrypted,
        ca_file=ca_file_of(url),
    )


def office_url(
    server: str,
    port: int,
    database: str,
    user: str,
    encryption: str = ENCRYPTION_PREFERRED,
    ca_file: str = "",
) -> URL:
    """The address of a login, checked as a person types it (ValidationError per field)."""
    errors: dict[str, str] = {}
    if not server.strip():
        errors["server"] = _("Write the name or address of the office server.")
    elif any(c in server for c in " /@?#"):
        errors["server"] = _("“{server}” is not a server name or address.").format(
            server=server.strip()
        )
    if not 1 <= port <= 65535:
        errors["port"] = _("The port is a number from 1 to 65535 (usually 5432).")
    if not database.strip():
        errors["database"] = _("Write the name of the office database (usually teixit).")
    if not user.strip():
        errors["user"] = _("Write your login name (for example anna.puig).")
    query: dict[str, str] = {}
    if encryption == ENCRYPTION_VERIFIED:
        if not ca_file.strip():
            errors["ca_file"] = _(
                "Choose the file of the office's certificate authority (for example "
                "root.crt, from whoever set up the server)."
            )
        elif not Path(ca_file.strip()).expanduser().is_file():
            errors["ca_file"] = _("There is no file {path} on this computer.").format(
                path=ca_file.strip()
            )
        else:
            query["sslrootcert"] = str(Path(ca_file.strip()).expanduser().resolve())
    if errors:
        raise ValidationError(errors)
    if encryption != ENCRYPTION_PREFERRED:
        query = {"sslmode": encryption, **query}
    return URL.create(
        "postgresql+psycopg",
        username=user.strip(),
        host=server.strip(),
        port=port,
        database=database.strip(),
        # libpq's default is "prefer" (TLS when the server offers it): only the others are said.
        query=query,
    )


def has_stored_password(url: URL) -> bool:
    return stored_password(url) is not None


def _with_password(url: URL, password: str) -> URL:
    """The password typed, else the one remembered (else ``.pgpass`` answers)."""
    return url.set(password=password) if password else with_stored_password(url)


def connect(url: URL, password: str, *, remember: bool) -> Database:
    """Open the office database with this login (UserError in words when it cannot), and keep
    or forget its password in the keyring as the person chose."""
    db = open_url(_with_password(url, password))
    if remember and password:
        remember_password(url, password)
    elif not remember:
        forget_password(url)
    return db


def try_login(url: URL, password: str) -> OfficeLogin:
    """Connect once and say as what (the Connect dialog's Test); nothing is kept."""
    db = open_url(_with_password(url, password))
    try:
        return login_of(url, read_role(db), encrypted=read_encrypted(db))
    finally:
        db.close()
