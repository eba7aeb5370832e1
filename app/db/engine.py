"""Opening the database: checks before touching it, migrations with a copy taken first, and the
connection pragmas (WAL, foreign keys, durable commits).

The database is a SQLite file (one person, a laptop) or an office PostgreSQL database that
every office PC connects to (``open_url``). Same models, same migrations; the file checks, the
pragmas, the copies before a migration and the file modes apply to SQLite only (the file's own
checks and pragmas, which need no SQLAlchemy, are in ``app/db/sqlite_file.py``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.db import changelog, keys, schema
from app.db.changelog import ChangeRecorder
from app.db.files import sqlite_url, write_verified_copy
from app.db.sqlite_file import DamagedDatabase as DamagedDatabase
from app.db.sqlite_file import DataDirNotWritable as DataDirNotWritable
from app.db.sqlite_file import EmptyDatabase as EmptyDatabase
from app.db.sqlite_file import NewerDatabase as NewerDatabase
from app.db.sqlite_file import NotATeixitDatabase as NotATeixitDatabase
from app.db.sqlite_file import check_regular_file as check_regular_file
from app.db.sqlite_file import (
    check_writable,
    damaged,
    empty_with_backups,
    make_private,
    set_pragmas,
)
from app.db.sqlite_file import clean_marker as clean_marker
from app.db.sqlite_file import inspect_file as inspect_file
from app.db.sqlite_file import mark_clean_close as mark_clean_close
from app.db.sqlite_file import take_clean_close as take_clean_close
from app.db.watch import WriteWatch
from app.errors import UserError
from app.i18n import _
from app.paths import db_path, make_private_dir


class Database:
    """The engine and a session factory; each unit of work is ``with db.begin() as s:``."""

    def __init__(self, path: Path, engine: Engine) -> None:
        #: The SQLite file; for an office database, where its file would be in the data folder
        #: (nothing is written there: see ``is_file``).
        self.path = path
        self.engine = engine
        writes = engine.execution_options(**{_WRITE: True})
        reads = engine
        if not self.is_file:
            # A read sees one snapshot for all its statements, as SQLite's BEGIN does in WAL.
            reads = engine.execution_options(**{_SNAPSHOT: True})
        self.sessionmaker = sessionmaker(writes, expire_on_commit=False)
        self._reads = sessionmaker(reads, expire_on_commit=False)
        #: Which rows each committed write touched (keeps in-memory indexes true).
        self.writes = WriteWatch(self.sessionmaker)
        #: The change log of every write, once sync is set up (app/sync).
        self.changes = ChangeRecorder(self.sessionmaker)
        #: This open database's own name in the notices of its writes (its own are not news).
        self.sender = uuid.uuid4().hex
        if not self.is_file:
            from app.db.notify import ChangeNotices

            ChangeNotices(self.sessionmaker, self.sender, engine)

    @contextlib.contextmanager
    def begin(self, *, first: str | None = None) -> Iterator[Session]:
        """A write: all of it is committed or none (the write lock is taken at the start). A
        full disk is one sentence; the database keeps its last committed state.

        ``first``: on an office database, a query (SQL with its values in it) sent with the
        BEGIN, in its message, once the write lock is held; its rows are ``first_rows``."""
        try:
            with (
                self._office_refusals(),
                self._begun(self.sessionmaker, commit=True, first=first) as session,
            ):
                yield session
        except SQLAlchemyDatabaseError as exc:
            if is_disk_full(exc):
                raise UserError(
                    _(
                        "The disk that holds Teixit's data is full: nothing was saved, and the "
                        "data is as it was before. Free some space and try again."
                    )
                ) from exc
            raise

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """Reads that all see one snapshot of the database, whatever is committed meanwhile."""
        with self._office_refusals(), self._begun(self._reads, commit=False) as session:
            yield session

    @contextlib.contextmanager
    def _begun(
        self, factory: sessionmaker[Session], *, commit: bool, first: str | None = None
    ) -> Iterator[Session]:
        """A unit of work of ``factory``, committed at the end when ``commit``.

        On an office database its transaction begins at once, and a connection the server
        ended while it waited in the pool (a restart, a dropped network) is replaced before
        anything is done on it: the pool does not ask the server whether each connection is
        alive before every use (a round trip per unit of work)."""
        if self.is_file:
            with factory.begin() if commit else factory() as session:
                yield session
            return
        for attempt in range(2):
            session = factory()
            try:
                transaction = session.begin()
                session.connection(execution_options={_FIRST: first} if first else None)
                break
            except DBAPIError as exc:
                session.close()
                # The dead connection made the pool drop every older one: the next is new.
                if attempt or not is_disconnect(exc):
                    raise
        with session:
            if commit:
                with transaction:
                    yield session
            else:
                yield session

    @contextlib.contextmanager
    def _office_refusals(self) -> Iterator[None]:
        """An office server that cannot be reached, or that refuses what the login may not do:
        one translated sentence (the transaction is rolled back whole), not a traceback."""
        if self.is_file:
            yield
            return
        try:
            yield
        except DBAPIError as exc:
            if is_disconnect(exc):
                raise lost_connection(exc) from None
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
                raise not_allowed(exc) from None
            raise

    @property
    def is_file(self) -> bool:
        """True for a SQLite file; False for an office (PostgreSQL) database."""
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """Where the data is, for people: the file, or the office server and database (never
        the password)."""
        if self.is_file:
            return str(self.path)
        return display_address(self.engine.url)

    def close(self) -> None:
        self.engine.dispose()
        if self.is_file:
            mark_clean_close(self.path)


#: Execution option marking the engine of write units of work.
_WRITE = "teixit_write"
#: Execution option marking an office database's reads (one snapshot per unit of work).
_SNAPSHOT = "teixit_snapshot"
#: Execution option: the query an office write sends with its BEGIN (``Database.begin``).
_FIRST = "teixit_first"
#: Connection info key: that query's rows.
_FIRST_ROWS = "teixit.first.rows"


def first_rows(session: Session) -> list[Any] | None:
    """The rows of the query sent with this write's BEGIN (``Database.begin(first=…)``), once;
    None on a SQLite file or when none was sent."""
    if session.get_bind().dialect.name == "sqlite":
        return None
    rows: list[Any] | None = session.connection().info.pop(_FIRST_ROWS, None)
    return rows


def _forget_first_rows(connection: Connection) -> None:
    if not connection.invalidated:
        connection.info.pop(_FIRST_ROWS, None)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver would start a transaction only before the first write, so reads in one unit of
    # work would each see the latest commit: transactions are begun in _on_begin instead.
    set_pragmas(dbapi_connection)


def _on_begin(connection: Connection) -> None:
    # A read gets one snapshot (WAL) for all its statements. A write takes the write lock at once
    # (waiting up to busy_timeout), so it never fails half-way upgrading a stale read snapshot.
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """The engine of the SQLite file ``path``; an encrypted file (or a new one given ``key``)
    goes through SQLCipher with the unlocked key (app/db/keys.py)."""
    if key is None and keys.is_encrypted(path):
        key = keys.key_for(path)
    if key is None:
        engine = create_engine(sqlite_url(path))
    else:
        target, cipher_key = str(Path(path).resolve()), key
        engine = create_engine(
            sqlite_url(path),
            module=keys.cipher_module(),
            creator=lambda: keys.keyed_connection(target, cipher_key, check=False),
        )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def open_database(path: Path, *, backups: Path | None = None) -> Database:
    """Open (creating or migrating as needed) the database at ``path``.

    A 0-byte file with backups in ``backups`` is lost data, not a first start (EmptyDatabase).
    """
    check_writable(path.parent)
    check_regular_file(path)
    revision = inspect_file(path, check=not take_clean_close(path))
    if empty_with_backups(path, backups):
        error = EmptyDatabase(
            _(
                "The database {path} is empty (0 bytes), but there are backups of your data. "
                "The empty file has been left as it is; restore the latest good backup to go on."
            ).format(path=path)
        )
        error.details = "0 bytes"
        raise error
    if not path.exists():
        old_umask = os.umask(0o077) if os.name == "posix" else None
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        finally:
            if old_umask is not None:
                os.umask(old_umask)
    make_private(path)
    if revision is not None and revision != schema.HEAD:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = backups or path.parent / "backups"
        make_private_dir(folder)
        write_verified_copy(path, folder / f"before-migration-{revision}-{stamp}.db")
    engine = make_engine(path)
    try:
        if revision != schema.HEAD:
            migrate(engine)
    except (SQLAlchemyDatabaseError, *keys.database_errors()) as exc:  # type: ignore[misc]
        engine.dispose()
        raise damaged(path, str(exc)) from exc
    for suffix in ("-wal", "-shm"):
        make_private(path.with_name(path.name + suffix))
    return Database(path, engine)


#: SQLite's SQLITE_FULL and PostgreSQL's disk_full (SQLSTATE 53100).
_SQLITE_FULL = 13


def is_disk_full(exc: BaseException) -> bool:
    original = getattr(exc, "orig", exc)
    if getattr(original, "sqlite_errorcode", None) == _SQLITE_FULL:
        return True
    return getattr(original, "sqlstate", None) == "53100"


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's reports of a damaged file met while reading (quick_check does not see
    every kind of damage: an index out of step with its table shows only when a query uses it)."""
    original = getattr(exc, "orig", exc)
    code = getattr(original, "sqlite_errorcode", None)
    return isinstance(original, keys.database_errors()) and code is not None and (
        code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    )


def damaged_error(path: Path, exc: BaseException) -> DamagedDatabase:
    return damaged(path, str(getattr(exc, "orig", exc)))


# --- Office databases (PostgreSQL) -----------------------------------------------------------


class OfficeDatabaseError(UserError):
    details = ""


def is_office_url(address: str) -> bool:
    return address.startswith(("postgresql:", "postgresql+", "postgres:"))


def office_url(address: str | URL) -> URL:
    """The SQLAlchemy URL of an office database address (``postgresql://host/db``), with the
    driver Teixit uses (psycopg 3)."""
    try:
        url = make_url(address)
    except ArgumentError:
        raise OfficeDatabaseError(
            _("“{address}” is not a database address; write it as postgresql://SERVER/DATABASE.")
            .format(address=address)
        ) from None
    if url.get_backend_name() != "postgresql" and url.drivername != "postgres":
        raise OfficeDatabaseError(
            _("“{address}” is not a database address; write it as postgresql://SERVER/DATABASE.")
            .format(address=address)
        )
    return url.set(drivername="postgresql+psycopg")


def display_address(url: URL) -> str:
    """An office address as people write it: postgresql://login@server:port/database, never
    the password."""
    return url._replace(drivername="postgresql", password=None).render_as_string()


#: The advisory lock every write to an office database takes first (any number: Teixit's own).
OFFICE_WRITE_LOCK = 0x7E1C17


def _on_office_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver would send its own BEGIN before the first statement (a round trip of its own):
    # transactions are begun in _on_office_begin instead, together with what they need first.
    # (The driver's commit and rollback still end them: they look at the server's own state.)
    dbapi_connection.autocommit = True


#: A write's first message: BEGIN, the writers' turn, and then (so that it sees an identity
#: given while it waited for its turn) whether this database keeps a change log.
_BEGIN_WRITE = (
    f"BEGIN; SELECT pg_advisory_xact_lock({OFFICE_WRITE_LOCK}); {changelog.SELF_DEVICE_SQL}"
)


def _on_office_begin(connection: Connection) -> None:
    # Writes take turns, as on SQLite (BEGIN IMMEDIATE): a service that reads, checks and then
    # writes (the next agreement number, a duplicate check) never interleaves with another PC's.
    # Each write is short; the lock goes with the transaction and is asked for in the same
    # message as BEGIN (no round trip of its own). Reads take no lock; each reads one snapshot.
    options = connection.get_execution_options()
    if options.get(_WRITE, False):
        _begin_write(connection)
        return
    begin = "BEGIN ISOLATION LEVEL REPEATABLE READ" if options.get(_SNAPSHOT, False) else "BEGIN"
    # Without parameters, so that the driver sends both statements as one message.
    connection.exec_driver_sql(begin, execution_options={"no_parameters": True})


def _begin_write(connection: Connection) -> None:
    """BEGIN, the lock and this database's sync device in one message: the change log needs the
    device at every write (another PC may set sync up at any time), and asking after BEGIN was
    a round trip of its own per write, a mark of attendance included. The driver is given the
    three statements at once and their results read in turn; its error goes through
    SQLAlchemy's handling, as a statement's would (a lost connection replaced, the pool's older
    connections with it)."""
    raw: Any = connection.connection.dbapi_connection
    import psycopg

    first = connection.get_execution_options().get(_FIRST)
    statement = _BEGIN_WRITE if first is None else f"{_BEGIN_WRITE}; {first}"
    cursor = raw.cursor()
    try:
        cursor.execute(statement)
        cursor.nextset()  # the lock's
        cursor.nextset()  # the device's
        row = cursor.fetchone()
        if first is not None:
            cursor.nextset()
            connection.info[_FIRST_ROWS] = cursor.fetchall()
    except psycopg.Error as exc:
        connection._handle_dbapi_exception(exc, statement, (), None, None)
    finally:
        cursor.close()
    changelog.keep_self_device(connection, (str(row[0]), int(row[1])) if row else None)


def make_office_engine(address: str | URL) -> Engine:
    engine = create_engine(
        office_url(address),
        # No question to the server before each use (a round trip per unit of work): a
        # connection it ended is found by the first statement and replaced (Database._begun).
        pool_pre_ping=False,
        connect_args={"connect_timeout": 10, "application_name": "Teixit"},
    )
    event.listen(engine, "connect", _on_office_connect)
    event.listen(engine, "begin", _on_office_begin)
    # The device read with a write's BEGIN is for that write only.
    event.listen(engine, "commit", changelog.forget_self_device)
    event.listen(engine, "rollback", changelog.forget_self_device)
    event.listen(engine, "commit", _forget_first_rows)
    event.listen(engine, "rollback", _forget_first_rows)
    return engine


def office_revision(engine: Engine) -> str | None:
    """The schema revision of an office database (None when it has no Teixit tables yet)."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables:
            if tables:
                raise NotATeixitDatabase(
                    _("The database {address} is not a Teixit database. It has been left as it is.")
                    .format(address=display_address(engine.url))
                )
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


class OfficeUnreachable(OfficeDatabaseError):
    """The office server dropped or cannot be reached while Teixit works on it."""


class PasswordRefused(OfficeDatabaseError):
    """The office server wants a password for this login, and had none or a wrong one."""


class NotAllowed(OfficeDatabaseError):
    """The office database refused what this login's role may not do."""


def is_disconnect(exc: BaseException) -> bool:
    """True when an error means the office server cannot be reached (it stopped, the network
    dropped, the connection was ended), not a refusal of what was asked."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    original = getattr(exc, "orig", exc)
    import psycopg

    if not isinstance(original, psycopg.OperationalError):
        return False
    state = original.sqlstate
    return state is None or state.startswith(("08", "57P"))


def lost_connection(exc: BaseException) -> OfficeUnreachable:
    error = OfficeUnreachable(
        _(
            "The office database cannot be reached just now, so nothing has been changed. "
            "Teixit is reconnecting by itself: try again in a moment."
        )
    )
    error.details = str(getattr(exc, "orig", exc))
    return error


def not_allowed(exc: BaseException) -> NotAllowed:
    error = NotAllowed(
        _(
            "Your login to the office database may not see or do this; nothing has been "
            "changed. Ask a coordinator if you need it."
        )
    )
    error.details = str(getattr(exc, "orig", exc))
    return error


def unreachable(address: str, exc: BaseException) -> OfficeDatabaseError:
    """The office database cannot be reached: which one, and what to check, in words (the
    server's own words go to ``details``)."""
    from app.db.credentials import needs_password

    if needs_password(exc):
        refused = PasswordRefused(
            _(
                "The office database {address} did not accept the password. Type your password "
                "again (File > Connect to the office database…), or ask a coordinator to set a "
                "new one."
            ).format(address=address)
        )
        refused.details = str(getattr(exc, "orig", exc))
        return refused
    if _bad_certificate(exc):
        untrusted = OfficeDatabaseError(
            _(
                "The office server of {address} did not show the certificate expected: it is "
                "not signed by the certificate authority chosen, or it is for another server "
                "name. Nothing was sent to it. Check with whoever set up the server that the "
                "certificate authority's file is the office's own and that the server's name "
                "is the one on its certificate (File > Connect to the office database…)."
            ).format(address=address)
        )
        untrusted.details = str(getattr(exc, "orig", exc))
        return untrusted
    if _no_encryption(exc):
        plain = OfficeDatabaseError(
            _(
                "The office server of {address} does not offer an encrypted connection, and "
                "encryption is required: ask whoever set up the server to turn on TLS, or choose "
                "“when the server offers it” (File > Connect to the office database…)."
            ).format(address=address)
        )
        plain.details = str(getattr(exc, "orig", exc))
        return plain
    error = OfficeDatabaseError(
        _(
            "Teixit cannot connect to the office database {address}. Check that the server is "
            "on and reachable from this computer, and that your user name and password are "
            "right."
        ).format(address=address)
    )
    error.details = str(getattr(exc, "orig", exc))
    return error


def _bad_certificate(exc: BaseException) -> bool:
    """True when the server's certificate was checked (verify-full) and did not pass."""
    message = str(getattr(exc, "orig", exc)).lower()
    return (
        "certificate verify failed" in message
        or "does not match host name" in message
        or "root certificate file" in message
        or "could not read root certificate" in message
    )


def _no_encryption(exc: BaseException) -> bool:
    """True when the connection required TLS and the server does not offer it."""
    message = str(getattr(exc, "orig", exc)).lower()
    return "does not support ssl" in message or "ssl was required" in message


def open_url(address: str | URL, *, create: bool = False, upgrade: bool = False) -> Database:
    """Open the office database at ``address`` (postgresql://…).

    Its schema must be there already (``teixit office init``) unless ``create``, and at this
    version's revision unless ``upgrade`` (only the administrator who owns the tables can
    migrate them: ``teixit office upgrade``, in one transaction).
    """
    engine = make_office_engine(address)
    shown = display_address(engine.url)
    try:
        revision = office_revision(engine)
        if revision is None and not create:
            raise OfficeDatabaseError(
                _(
                    "The office database {address} has no Teixit data yet. A coordinator "
                    "prepares it first with: teixit office init --database ADDRESS"
                ).format(address=shown)
            )
        if revision is not None and revision not in schema.REVISIONS:
            raise NewerDatabase(
                _(
                    "The database {path} was written by a newer version of Teixit. Install that "
                    "version to open it; the file has been left untouched."
                ).format(path=shown)
            )
        if revision is not None and revision != schema.HEAD and not upgrade:
            raise OfficeDatabaseError(
                _(
                    "The office database {address} was made by an older version of Teixit. The "
                    "person who installed it upgrades it first with: teixit office upgrade "
                    "--database ADDRESS"
                ).format(address=shown)
            )
        if revision != schema.HEAD:
            migrate(engine)
    except OperationalError as exc:
        engine.dispose()
        raise unreachable(shown, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(db_path(), engine)


def open_address(address: str | URL | None, *, backups: Path | None = None) -> Database:
    """Open the database a person named: an office address, a SQLite file, or (None) the data
    folder's own file."""
    if isinstance(address, URL):
        return open_url(address)
    if address and is_office_url(address):
        from app.db.credentials import with_stored_password

        return open_url(with_stored_password(office_url(address)))
    path = Path(address).expanduser() if address else db_path()
    if address and address.startswith("sqlite:"):
        database = make_url(address).database
        path = Path(database or "").expanduser()
    return open_database(path, backups=backups)
