"""Other PCs hear of each change to an office database within moments (PostgreSQL
``LISTEN/NOTIFY``).

Every write commits through ``Database.begin()``; on an office database its session says, in
the same transaction, ``NOTIFY teixit_changes, '<sender>:<tables>'``: PostgreSQL delivers it only
if the write commits, and after it. Each open window listens on a connection of its own, in a
background thread (:class:`ChangeListener`), and hears which tables the other PCs wrote; it
ignores its own writes (the sender is each ``Database``'s own id). The same connection tells when
the server cannot be reached, and reconnects with a growing pause.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import URL, Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

CHANNEL = "teixit_changes"
#: The tables of a write that named none Teixit could see (a statement on the raw connection).
EVERY_TABLE = "*"

_KEY = "teixit.notify"
#: The connection's writes waiting for its COMMIT (``with_commit``).
_DEFERRED = "teixit.notify.deferred"
_BEGAN = "teixit.notify.began"
#: The connection's notice waiting for its COMMIT.
_PENDING = "teixit.notify.pending"


class ChangeNotices:
    """Says, in each committing write's own transaction, which tables it wrote.

    The notice travels with the COMMIT, in one message (``NOTIFY …; COMMIT``): one trip over
    the network per write, not two (a mark of attendance is a write per key press)."""

    def __init__(
        self, factory: sessionmaker[Session], sender: str, engine: Engine | None = None
    ) -> None:
        self.sender = sender
        #: Whether the notice goes with the COMMIT (else as a statement of its own).
        self._with_commit = engine is not None
        if engine is not None:
            event.listen(engine, "commit", _commit_with_notice)
            # A write rolled back after its notice was put aside tells nobody.
            event.listen(engine, "rollback", _forget_notice)
            event.listen(engine, "checkin", _forget_on_checkin)
        event.listen(factory, "after_begin", self._began)
        event.listen(factory, "after_flush", self._flushed)
        event.listen(factory, "do_orm_execute", self._executed)
        event.listen(factory, "before_commit", self._before_commit)
        event.listen(factory, "after_commit", self._forget)
        event.listen(factory, "after_rollback", self._forget)

    @staticmethod
    def _began(session: Session, _transaction: Any, _connection: Any) -> None:
        session.info[_BEGAN] = True

    @staticmethod
    def _tables(session: Session) -> set[str]:
        found: set[str] = session.info.setdefault(_KEY, set())
        return found

    def _flushed(self, session: Session, _flush: UOWTransaction) -> None:
        tables = self._tables(session)
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(obj, "__tablename__", None)
            if isinstance(table, str):
                tables.add(table)

    def _executed(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(getattr(state.statement, "table", None), "name", None)
            self._tables(state.session).add(table if isinstance(table, str) else EVERY_TABLE)

    def _before_commit(self, session: Session) -> None:
        session.flush()  # what is still pending is written now, so its tables are known
        if not session.info.pop(_BEGAN, False):
            return  # the unit of work never reached the database
        tables = session.info.pop(_KEY, set())
        if not tables:
            # Nothing Teixit saw; a statement on the raw connection may still have written.
            written = session.execute(text("SELECT txid_current_if_assigned()")).scalar()
            if written is None:
                return
            tables = {EVERY_TABLE}
        payload = f"{self.sender}:{','.join(sorted(tables))}"
        if self._with_commit:
            # Sent with the COMMIT (_commit_with_notice).
            session.connection().info[_PENDING] = payload
            return
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload},
        )

    def _forget(self, session: Session) -> None:
        session.info.pop(_KEY, None)
        session.info.pop(_BEGAN, None)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def with_commit(session: Session, table: str, statement: str, *values: Any) -> None:
    """A write nobody waits for the result of, sent in the COMMIT's own message (with the
    notice): no round trip of its own. ``statement`` has a ``{}`` per value; the driver quotes
    each value. Nothing later in the transaction sees it (it is not written yet): only for the
    last writes of a unit of work, whose rows are held by the writers' turn. Office databases
    only."""
    from psycopg import sql

    connection = session.connection()
    raw: Any = connection.connection.dbapi_connection
    written = sql.SQL(statement).format(*(sql.Literal(v) for v in values)).as_string(raw)
    connection.info.setdefault(_DEFERRED, []).append(written)
    ChangeNotices._tables(session).add(table)


def _forget_notice(connection: Connection) -> None:
    if not connection.invalidated:  # a lost connection's record forgets it as it is checked in
        connection.info.pop(_PENDING, None)
        connection.info.pop(_DEFERRED, None)


def _commit_with_notice(connection: Connection) -> None:
    """The transaction's notice and its COMMIT in one message, when it has a notice. (The
    driver's own commit then finds the transaction ended and sends nothing.) The driver's
    error, if the COMMIT fails, comes out as SQLAlchemy's, as from the driver's commit."""
    payload = connection.info.pop(_PENDING, None)
    deferred: list[str] = connection.info.pop(_DEFERRED, None) or []
    if payload is None and not deferred:
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    import psycopg

    notice = f"SELECT pg_notify({_literal(CHANNEL)}, {_literal(payload)})" if payload else ""
    statement = "; ".join([*deferred, *([notice] if notice else []), "COMMIT"])
    try:
        raw.execute(statement)
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            statement, None, exc, psycopg.Error, ismulti=False
        ) from exc


def _forget_on_checkin(_raw: Any, record: Any) -> None:
    record.info.pop(_PENDING, None)
    record.info.pop(_DEFERRED, None)


def parse_payload(payload: str) -> tuple[str, frozenset[str]]:
    """``(sender, tables)`` of a notice."""
    sender, _sep, tables = payload.partition(":")
    return sender, frozenset(t for t in tables.split(",") if t)


def connect_arguments(url: URL) -> dict[str, Any]:
    """psycopg's keyword arguments for an office address (server, port, database, login, its
    password when known, and the address's options such as ``sslmode``)."""
    arguments: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    arguments.update({str(k): v for k, v in url.query.items() if isinstance(v, str)})
    return arguments


class ChangeListener:
    """A background thread on its own connection: ``on_tables(tables)`` for every other PC's
    committed write, ``on_reachable(bool)`` each time the server is lost or found again.

    Both callbacks run on the listener's thread. ``stop()`` returns within about a second.
    """

    #: How long one wait for notices lasts, and how often the connection is checked.
    WAIT_SECONDS = 0.5
    CHECK_EVERY = 5.0
    #: Reconnection: the first pause, doubled each time up to the last.
    FIRST_PAUSE = 0.5
    LONGEST_PAUSE = 15.0
    CONNECT_TIMEOUT = 5

    def __init__(
        self,
        url: URL,
        sender: str,
        on_tables: Callable[[frozenset[str]], None],
        on_reachable: Callable[[bool], None],
    ) -> None:
        self._arguments = connect_arguments(url)
        self._sender = sender
        self._on_tables = on_tables
        self._on_reachable = on_reachable
        self._stop = threading.Event()
        self._reachable: bool | None = None
        self._connection: Any = None
        self._thread = threading.Thread(target=self._run, name="teixit-changes", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _say_reachable(self, reachable: bool) -> None:
        if reachable != self._reachable:
            self._reachable = reachable
            self._on_reachable(reachable)

    def _run(self) -> None:
        import psycopg

        pause = self.FIRST_PAUSE
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    **self._arguments,
                    autocommit=True,
                    connect_timeout=self.CONNECT_TIMEOUT,
                    application_name="Teixit (changes)",
                ) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._say_reachable(True)
                    pause = self.FIRST_PAUSE
                    self._listen(connection)
            except psycopg.Error:
                if self._stop.is_set():
                    break
                self._say_reachable(False)
                self._stop.wait(pause)
                pause = min(pause * 2, self.LONGEST_PAUSE)

    def _listen(self, connection: Any) -> None:
        import time

        checked = time.monotonic()
        while not self._stop.is_set():
            for notice in connection.notifies(timeout=self.WAIT_SECONDS, stop_after=100):
                sender, tables = parse_payload(notice.payload)
                if sender != self._sender and tables:
                    self._on_tables(tables)
            if time.monotonic() - checked > self.CHECK_EVERY:
                # A network that drops silently closes nothing: a query finds out.
                connection.execute("SELECT 1")
                checked = time.monotonic()
