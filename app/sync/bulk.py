"""A new device's first replica in bulk: the changes received are folded into the rows they
leave, and each empty table takes its rows in one ``executemany``, in dependency order, in one
transaction, with the change log beside them.

Applying a change at a time (app/sync/merge.py) reads and writes a few rows per change; into an
empty database the result is known beforehand: each field takes the value of its latest change
(data protection first, as in the merge), a deleted row stays deleted, a mark or a link exists
when its latest change made it, a row whose parent is gone goes with it (or loses the reference,
when it may). Whatever would need the merge's judgement (two rows with one unique key, a row
whose parent has not arrived yet) sends the whole replica through the merge instead, so the
result is always the merge's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Table, Time, UniqueConstraint, select
from sqlalchemy.orm import Session

from app.db import changelog
from app.db.base import Base, utcnow
from app.db.changelog import LOCAL_FIELDS, REVIVABLE, decode, is_link, table
from app.sync.merge import Clock, Entry, Merger, MergeSummary

#: Rows written per statement.
CHUNK = 5000


class NotInBulk(Exception):
    """The entries need the merge (a unique key taken twice, a parent not arrived)."""


@dataclass
class _Fold:
    fields: dict[str, tuple[Clock, Any]] = field(default_factory=dict)
    inserted: bool = False
    tombstone: bool = False
    #: Marks and links: the clock and kind (insert/delete) of the latest insert or delete.
    presence: tuple[Clock, str] | None = None


def empty_tables(s: Session) -> set[str]:
    """The synced tables that hold no row."""
    return {
        name
        for name in changelog.SYNCED_TABLES
        if s.execute(select(table(name)).limit(1)).first() is None
    }


def apply_in_bulk(
    s: Session,
    entries: list[Entry],
    progress: Callable[[int, int], None] | None = None,
) -> MergeSummary:
    """Apply ``entries`` (other devices' changes) in ``s`` (one write transaction on a SQLite
    database with no records). Tables already holding rows (the default programme categories)
    take their entries through the merge first; the others in bulk. Raises ``NotInBulk`` before
    writing anything when the merge must decide."""
    merger = Merger(s)  # the session applies others' changes; foreign keys checked at commit
    empty = empty_tables(s)
    fresh = merger._fresh(entries)
    fresh.sort(key=lambda e: (e.hlc, e.device, e.seq))
    bulk = [e for e in fresh if e.table in empty]
    rows = _fold(bulk)
    kept = _keep(rows)
    _check_unique(kept)
    summary = MergeSummary()
    summary.received = sum(1 for e in fresh if e.op != changelog.SEEN)
    total = sum(len(v) for v in kept.values()) + len(fresh)
    done = 0
    # The tables that already hold rows: through the merge (a handful of entries).
    others = [e for e in fresh if e.table in changelog.SYNCED_TABLES and e.table not in empty]
    if others:
        merged = merger.apply(others)
        summary.conflicts += merged.conflicts
        summary.renumbered += merged.renumbered
        summary.applied += merged.applied
    connection = s.connection()
    now = utcnow()
    for t in Base.metadata.sorted_tables:
        found = kept.get(t.name)
        if not found:
            continue
        values = [_values(t, rid, fold, now) for rid, fold in found.items()]
        values = _parents_first(t, values)
        # One statement per set of columns (an older change may lack a newer column, which
        # then takes its default, as the merge's insert would).
        start = 0
        while start < len(values):
            keys = values[start].keys()
            end = start + 1
            while end < len(values) and end - start < CHUNK and values[end].keys() == keys:
                end += 1
            connection.execute(t.insert(), values[start:end])
            summary.applied += end - start
            done += end - start
            start = end
            if progress is not None:
                progress(done, total)
    through_merge = {id(e) for e in others}
    log = [e.as_row() for e in fresh if id(e) not in through_merge]
    for start in range(0, len(log), CHUNK):
        changelog.write_rows(connection, log[start : start + CHUNK])
        done += min(CHUNK, len(log) - start)
        if progress is not None:
            progress(done, total)
    merger._advance(fresh)
    return summary


#: The synced tables whose rows come and go (marks, links): the latest insert or delete decides.
_MARKS = frozenset(
    name for name in changelog.SYNCED_TABLES if name in REVIVABLE or is_link(table(name))
)
_SYNCED = frozenset(changelog.SYNCED_TABLES)


def _fold(entries: Iterable[Entry]) -> dict[str, dict[str, _Fold]]:
    out: dict[str, dict[str, _Fold]] = {}
    for e in entries:
        if e.table not in _SYNCED:
            continue
        fold = out.setdefault(e.table, {}).setdefault(e.row_id, _Fold())
        c = e.clock
        marks = e.table in _MARKS
        if e.op == "delete" and not marks:
            fold.tombstone = True
        elif e.op == "insert":
            fold.inserted = True
        if marks and e.op != "update" and (fold.presence is None or c > fold.presence[0]):
            fold.presence = (c, e.op)
        for name, value in e.fields.items():
            old = fold.fields.get(name)
            if old is None or c > old[0]:
                fold.fields[name] = (c, value)
    return out


def _alive(t: Table, fold: _Fold) -> bool:
    if t.name in REVIVABLE or is_link(t):
        return fold.presence is not None and fold.presence[1] == "insert"
    return fold.inserted and not fold.tombstone


def _keep(rows: dict[str, dict[str, _Fold]]) -> dict[str, dict[str, _Fold]]:
    """The rows that exist once every change is applied: a row whose parent is gone goes too
    (or loses the reference, when the column may be empty); a parent never received means
    the merge must wait for it."""
    kept: dict[str, dict[str, _Fold]] = {}
    for t in Base.metadata.sorted_tables:
        folds = rows.get(t.name)
        if not folds:
            continue
        alive = {rid: f for rid, f in folds.items() if _alive(t, f)}
        references = [
            (c, next(iter(c.foreign_keys)).column.table) for c in t.columns if c.foreign_keys
        ]
        changed = True
        while changed:  # a table that refers to itself: until no row goes
            changed = False
            for rid in list(alive):
                fold = alive[rid]
                for column, parent in references:
                    value = _field(t, fold, rid, column.name)
                    if value is None:
                        continue
                    present = kept.get(parent.name, {}) if parent is not t else alive
                    if str(value) in present:
                        continue
                    known = rows.get(parent.name, {}).get(str(value))
                    if known is None or not (
                        known.inserted or known.tombstone or known.presence is not None
                    ):
                        raise NotInBulk  # a parent not received: the merge holds it back
                    if column.nullable and not column.primary_key:
                        fold.fields[column.name] = ((True, 0, "", 0), None)
                        continue
                    del alive[rid]
                    changed = True
                    break
        kept[t.name] = alive
    return kept


def _field(t: Table, fold: _Fold, rid: str, name: str) -> Any:
    if is_link(t):
        cols = [c.name for c in t.primary_key.columns]
        found = fold.fields.get(name)
        if found is not None and found[1] is not None:
            return found[1]
        return dict(zip(cols, rid.split("|"), strict=True))[name]
    found = fold.fields.get(name)
    return found[1] if found is not None else None


def _check_unique(kept: dict[str, dict[str, _Fold]]) -> None:
    """Two rows with one unique key (a code taken on two devices): the merge renumbers."""
    for name, folds in kept.items():
        t = table(name)
        if is_link(t):
            continue
        groups = [
            [c.name for c in constraint.columns]
            for constraint in t.constraints
            if isinstance(constraint, UniqueConstraint)
        ]
        groups += [[c.name for c in index.columns] for index in t.indexes if index.unique]
        groups += [[c.name] for c in t.columns if c.unique]
        for group in groups:
            seen: set[tuple[Any, ...]] = set()
            for rid, fold in folds.items():
                key = tuple(_field(t, fold, rid, n) for n in group)
                if any(v is None for v in key):
                    continue
                if key in seen:
                    raise NotInBulk
                seen.add(key)


def _values(t: Table, rid: str, fold: _Fold, now: Any) -> dict[str, Any]:
    if is_link(t):
        cols = [c.name for c in t.primary_key.columns]
        values = dict(zip(cols, rid.split("|"), strict=True))
        for name in cols:
            found = fold.fields.get(name)
            if found is not None and found[1] is not None:
                values[name] = found[1]
        return values
    decoders = _decoders(t)
    values = {}
    for n, (_c, v) in fold.fields.items():
        found = decoders.get(n, _SKIP)
        if found is _SKIP:
            continue
        values[n] = v if found is None or v is None else found(v)
    values["id"] = rid
    for stamp in ("created_at", "updated_at"):
        if stamp in t.c:
            values[stamp] = now
    return values


_SKIP = object()
_DECODERS: dict[str, dict[str, Any]] = {}


def _decoders(t: Table) -> dict[str, Any]:
    """Per table: each column's decoder from JSON (None: the value as it is); the local fields
    are left out."""
    found = _DECODERS.get(t.name)
    if found is None:
        found = {}
        for c in t.columns:
            if c.name in LOCAL_FIELDS:
                continue
            found[c.name] = (lambda v, c=c: decode(c, v)) if _typed(c) else None
        _DECODERS[t.name] = found
    return found


def _typed(c: Any) -> bool:
    """A column whose JSON value is not its value (dates, times, bytes)."""
    return isinstance(c.type, Date | DateTime | Time | LargeBinary)


def _parents_first(t: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    own = [fk.parent.name for fk in t.foreign_keys if fk.column.table is t]
    if not own:
        return rows
    ordered: list[dict[str, Any]] = []
    placed: set[Any] = set()
    waiting = rows
    while waiting:
        ready = [r for r in waiting if all(r.get(c) is None or r[c] in placed for c in own)]
        if not ready:
            ordered.extend(waiting)
            break
        ordered.extend(ready)
        placed.update(r["id"] for r in ready)
        ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ids]
    return ordered
