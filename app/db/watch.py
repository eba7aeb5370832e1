"""Which rows each committed write touched, for what is kept in memory beside the database (the
people search index).

Every write goes through ``Database.begin()``; its session records the rows flushed and the
statements executed, and when the transaction commits the subscribers of each table hear which
ids changed. So whatever writes people (the person form, a merge, a purge, a spreadsheet or
interchange import, the demo data, a later sync), a cache follows without each writer having to
remember it. A rolled-back write tells nobody.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

#: The ids written in one table, or None when a statement wrote rows it does not name (a bulk
#: insert without ids, an update or delete by a condition): then everything may have changed.
Touched = frozenset[str] | None
Listener = Callable[[Touched], None]

_KEY = "teixit.touched"


def _merge(found: dict[str, set[str] | None], table: str, ids: Iterable[str] | None) -> None:
    if ids is None:
        found[table] = None
        return
    current = found.setdefault(table, set())
    if current is not None:
        current.update(ids)


def _named_ids(parameters: Any) -> list[str] | None:
    """The ids of an executemany / single statement when every row names its id."""
    rows = [parameters] if isinstance(parameters, dict) else parameters
    if not isinstance(rows, list | tuple) or not rows:
        return None
    ids = [row.get("id") for row in rows if isinstance(row, dict)]
    if len(ids) != len(rows) or not all(isinstance(i, str) for i in ids):
        return None
    return ids  # type: ignore[return-value]


class WriteWatch:
    """Tells subscribers, per table, the ids each committed write touched."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._listeners: dict[str, list[weakref.ref[Any]]] = {}
        self._lock = threading.Lock()
        event.listen(factory, "after_flush", self._flushed)
        event.listen(factory, "do_orm_execute", self._executed)
        event.listen(factory, "after_commit", self._committed)
        event.listen(factory, "after_rollback", self._forget)

    def subscribe(self, table: str, listener: Listener) -> None:
        """``listener(ids)`` after each commit that wrote ``table``. Bound methods are held
        weakly: a service that is gone stops listening."""
        ref: weakref.ref[Any] = (
            weakref.WeakMethod(listener) if hasattr(listener, "__self__") else weakref.ref(listener)
        )
        with self._lock:
            self._listeners.setdefault(table, []).append(ref)

    @staticmethod
    def _found(session: Session) -> dict[str, set[str] | None]:
        found: dict[str, set[str] | None] = session.info.setdefault(_KEY, {})
        return found

    def _flushed(self, session: Session, _flush: UOWTransaction) -> None:
        found = self._found(session)
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(obj, "__tablename__", None)
            pid = getattr(obj, "id", None)
            if table in self._listeners:
                _merge(found, table, [pid] if isinstance(pid, str) else None)

    def _executed(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table in self._listeners:
            ids = None if state.is_delete else _named_ids(state.parameters)
            _merge(self._found(state.session), table, ids)

    def _committed(self, session: Session) -> None:
        found = session.info.pop(_KEY, None)
        if not found:
            return
        for table, ids in found.items():
            with self._lock:
                refs = list(self._listeners.get(table, []))
            touched = None if ids is None else frozenset(ids)
            for ref in refs:
                listener = ref()
                if listener is not None:
                    listener(touched)

    def _forget(self, session: Session) -> None:
        session.info.pop(_KEY, None)

    def tell(self, tables: Iterable[str]) -> None:
        """Another computer committed a write to ``tables`` (an office database's notice): the
        subscribers hear that any of their rows may have changed."""
        for table in tables:
            with self._lock:
                refs = list(self._listeners.get(table, []))
            for ref in refs:
                listener = ref()
                if listener is not None:
                    listener(None)
