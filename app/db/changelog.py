"""The change log: every committed write says, in its own transaction, which rows it set and to
what, so replicas on other devices can merge it (app/sync).

It is written here, at the write seam (``Database.begin()``), for whatever writes: the services,
a spreadsheet or interchange import, a purge, the demo data. ORM writes are read from the flush;
bulk statements (``insert(table)`` with rows, ``update``/``delete`` by a condition) from the
statement itself, with the rows a condition reaches read first. Nothing is logged until sync is
set up on the database (it has its own device row); a rolled-back write leaves no entry, since the
entries are in the same transaction. A merge applying other devices' changes writes their entries
itself (``APPLYING`` in the session's info stops the recorder).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    LargeBinary,
    Table,
    Time,
    bindparam,
    case,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from app.db.base import Base, natural_id, new_id
from app.db.models import ChangeEntry, SyncDevice
from app.domain.clock import HybridClock

#: Session info key: this transaction applies other devices' changes (the merge logs them).
APPLYING = "teixit.sync.applying"
_STATE = "teixit.sync.log"
LOG_TABLE: Table = ChangeEntry.__table__  # type: ignore[assignment]

#: The tables that travel between replicas (the records people keep). The audit log, settings,
#: evidence files and sync's own tables stay on each device.
SYNCED_TABLES: tuple[str, ...] = (
    "entity_profile",
    "staff",
    "place",
    "funder",
    "organisation",
    "programme_category",
    "programme",
    "programme_funder",
    "indicator",
    "activity",
    "activity_facilitator",
    "report_narrative",
    "participant",
    "consent",
    "enrolment",
    "referral",
    "session",
    "session_facilitator",
    "attendance",
    "head_count",
    "network_space",
    # Before the meetings and agreements that may belong to them (a new replica's first entries
    # come in this order: parents first).
    "community_group",
    "mediation_case",
    "network_meeting",
    "meeting_programme",
    "meeting_attendee",
    "agreement",
    "budget",
    "budget_line",
    "expense",
    "expense_share",
    "local_day",
    "activity_programme",
    "activity_partner",
    "volunteer",
    "volunteer_programme",
    "volunteer_activity",
    "volunteer_hours",
    "safeguarding_certificate",
    "group_contact",
    "group_stage",
    "mediation_staff",
    "mediation_party",
    "mediation_session",
    "need",
    "text_variant",
    "age_band_set",
)
#: In the interchange file but not synced: the scanned pages of signed sheets (large images,
#: kept on the device where they were read; an export or a backup carries them).
DEVICE_TABLES: tuple[str, ...] = ("evidence",)
_SYNCED = frozenset(SYNCED_TABLES)
_LINKS = frozenset(
    {"programme_funder", "activity_facilitator", "session_facilitator", "meeting_programme"}
    | {"activity_programme", "activity_partner", "volunteer_programme", "volunteer_activity"}
)

#: Fields that never travel: each database keeps its own.
LOCAL_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})

#: Tables whose rows are also identified by a natural key: every entry carries it, so a row
#: made on two devices under two ids is recognised as one.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "attendance": ("session_id", "participant_id"),
    "head_count": ("session_id", "gender", "age_band"),
    "programme_category": ("code",),
    # A budget per programme and funder, its lines per code, an expense's share per funder:
    # made under ids from these keys (the same on every device), and rewritten whole at each
    # save, so made on two devices at once they are one row, merged field by field.
    "budget": ("programme_id", "funder_id"),
    "budget_line": ("budget_id", "code"),
    "expense_share": ("expense_id", "funder_id"),
    # A text's version in one language (ids made from the key, written by the services).
    "text_variant": ("table_name", "row_id", "field", "lang"),
    # One volunteer record per person (its id made from the person's by the service).
    "volunteer": ("participant_id",),
}


#: Of those, the tables whose records come and go (a mark removed and made again, a budget's
#: lines rewritten at each save): their deletion is no tombstone for ever, the latest insert or
#: delete decides.
REVIVABLE = frozenset(
    {"attendance", "head_count", "budget", "budget_line", "expense_share", "text_variant"}
)

#: The tables whose ids are made from their natural key (unique in the database, so the id
#: cannot repeat).
NATURAL_IDS = frozenset(
    {"attendance", "budget", "budget_line", "expense_share", "text_variant"}
)


def default_id(table_name: str, row: Mapping[str, Any]) -> str:
    names = NATURAL_KEYS.get(table_name)
    if table_name in NATURAL_IDS and names and all(row.get(n) is not None for n in names):
        return natural_id(table_name, *(row[n] for n in names))
    return new_id()


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def is_link(t: Table) -> bool:
    """A many-to-many table: no id, its two columns are the key."""
    return "id" not in t.c


def link_id(t: Table, values: Mapping[str, Any]) -> str:
    return "|".join(str(values[c.name]) for c in t.primary_key.columns)


def row_key(t: Table, values: Mapping[str, Any]) -> str:
    return link_id(t, values) if is_link(t) else str(values["id"])


# ---- values as JSON -------------------------------------------------------------------------


def encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(kind, DateTime) and isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(kind, Date) and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(kind, Time) and isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def decode(column: Column[Any], value: Any) -> Any:
    if value is None or isinstance(column.type, JSON):
        return value
    kind = column.type
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Time):
        return dt.time.fromisoformat(value)
    return value


def encode_fields(t: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: encode(t.c[k], v) for k, v in values.items() if k in t.c and k not in LOCAL_FIELDS}


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _one_shot() -> Any:
    """``_JSON.encode`` of a dict (or a pack's list of them), its C encoder made once instead
    of at every call (an entry is a flat dict of plain values: no circular check to make)."""
    make: Any = getattr(json.encoder, "c_make_encoder", None)
    basestring: Any = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or basestring is None:
        return _JSON.encode
    encoder = make(None, _JSON.default, basestring, None, ":", ",", True, False, True)
    return lambda fields: "".join(encoder(fields, 0))


_ENCODE = _one_shot()


def dumps(fields: Mapping[str, Any]) -> str:
    return _JSON.encode(fields)


def is_protective(
    table_name: str, op: str, fields: Mapping[str, Any], row: Mapping[str, Any]
) -> bool:
    """Data protection wins: a deletion, an erasure (and any later write on an erased person,
    which only a purge makes), a revoked consent."""
    if op == "delete":
        return table_name not in _LINKS and table_name not in REVIVABLE
    if fields.get("deleted_at") is not None:
        return True
    if table_name == "participant" and row.get("blocked_at") is not None:
        return True
    return table_name == "consent" and fields.get("revoked_at") is not None


# ---- the transaction's log ------------------------------------------------------------------


@dataclass
class _Log:
    device: str | None
    hlc: int = 0
    next_seq: int = 1
    #: Rows for the log, in the order of its columns (``_COLUMNS``), their fields not encoded
    #: yet (``_write`` encodes them, a pack's at once).
    pending: list[tuple[Any, ...]] = field(default_factory=list)


#: This database's own device, as an office write reads it with its BEGIN (app/db/engine.py).
SELF_DEVICE_SQL = "SELECT id, last_hlc FROM sync_device WHERE is_self IS TRUE"
#: Connection info key: the device read with this transaction's BEGIN (None: sync not set up).
_SELF_READ = "teixit.sync.self"
_UNREAD = object()


def keep_self_device(connection: Connection, device: tuple[str, int] | None) -> None:
    connection.info[_SELF_READ] = device


def forget_self_device(connection: Connection) -> None:
    if not connection.invalidated:
        connection.info.pop(_SELF_READ, None)


def _self_device_now(session: Session) -> tuple[str, int] | None:
    """This device, read with the transaction's BEGIN when it was (once), else now."""
    connection: Connection | None = session.info.get(_CONNECTION)
    if connection is not None:
        found: Any = connection.info.pop(_SELF_READ, _UNREAD)
        if found is not _UNREAD:
            return found  # type: ignore[no-any-return]
    return self_device(session)


def self_device(session: Session) -> tuple[str, int] | None:
    row = (
        session.connection()
        .execute(select(SyncDevice.id, SyncDevice.last_hlc).where(SyncDevice.is_self.is_(True)))
        .first()
    )
    return (str(row[0]), int(row[1])) if row else None


def count_after(session: Session, device: str, after: int) -> int:
    """How many of a device's entries (markers left out) come after number ``after``, a pack
    counted as its entries."""
    log = LOG_TABLE.c
    one: Any = 1
    if session.get_bind().dialect.name == "sqlite":
        one = case((log.op == PACK, func.json_array_length(log.fields)), else_=1)
    found = session.scalar(
        select(func.sum(one)).where(log.device_id == device, log.seq > after, log.op != SEEN)
    )
    return int(found or 0)


def next_seq(session: Session, device: str) -> int:
    last = session.connection().scalar(
        select(func.max(ChangeEntry.seq)).where(ChangeEntry.device_id == device)
    )
    return int(last or 0) + 1


@dataclass
class _Device:
    """This device as the recorder keeps it between writes: one process writes a database
    file (the instance lock), so the next number and the clock need no query per write."""

    id: str | None
    clock: HybridClock
    next_seq: int = 1


_RECORDER = "teixit.sync.recorder"
#: Session info key: the connection the write unit of work began on.
_CONNECTION = "teixit.sync.connection"


def _load(session: Session) -> _Device:
    found = _self_device_now(session)
    if found is None:
        return _Device(None, HybridClock())
    device, last = found
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        seen = connection.scalar(select(func.max(ChangeEntry.hlc)))
    else:
        # An office database's log is long and written by many PCs: its own last entry (found
        # by the key) and the clock a merge moved forward (``last_hlc``) are enough.
        seen = connection.scalar(
            select(ChangeEntry.hlc)
            .where(ChangeEntry.device_id == device)
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        )
    return _Device(device, HybridClock(max(last, int(seen or 0))), next_seq(session, device))


def _cached(session: Session) -> bool:
    """Can the recorder keep this device between writes? Only on a file, which one process
    writes at a time; an office database is written by every office PC (and gets its identity
    while they run), so each write reads it again, after the write lock is taken."""
    recorder: ChangeRecorder | None = session.info.get(_RECORDER)
    if recorder is not None and recorder.is_file is not None:
        return recorder.is_file
    return session.connection().dialect.name == "sqlite"


def _log(session: Session) -> _Log | None:
    if session.info.get(APPLYING):
        return None
    log: _Log | None = session.info.get(_STATE)
    if log is None:
        recorder: ChangeRecorder | None = session.info.get(_RECORDER)
        me = recorder.device if recorder is not None else None
        if me is None or not _cached(session):
            me = _load(session)
            if recorder is not None:
                recorder.device = me
        log = _Log(me.id, me.clock.now() if me.id else 0, me.next_seq)
        session.info[_STATE] = log
    return log if log.device is not None else None


def _add(
    log: _Log,
    t: Table,
    op: str,
    key: str,
    fields: dict[str, Any],
    row: Mapping[str, Any] | None = None,
    protect: bool | None = None,
) -> None:
    """``protect``: whether the write protects data, when the caller knows it already."""
    name_ = t.name
    if row is not None:
        for name, enc in _NATURAL.get(name_) or _natural(t):
            if name not in fields and name in row:
                fields[name] = enc(row[name])
    # A row in the order of the log's columns (_COLUMNS).
    seq = log.next_seq
    log.pending.append(
        (
            log.device,
            seq,
            log.hlc,
            name_,
            key,
            op,
            fields,
            is_protective(name_, op, fields, row or {}) if protect is None else protect,
        )
    )
    log.next_seq = seq + 1


_NATURAL: dict[str, tuple[tuple[str, Any], ...]] = {}


def _natural(t: Table) -> tuple[tuple[str, Any], ...]:
    """A table's natural key: each column's name and JSON encoder, worked out once."""
    found = _NATURAL.get(t.name)
    if found is None:
        found = _NATURAL[t.name] = tuple(
            (name, _encoder(t.c[name])) for name in NATURAL_KEYS.get(t.name, ())
        )
    return found


def record(
    session: Session,
    t: Table,
    op: str,
    key: str,
    fields: Mapping[str, Any],
    row: Mapping[str, Any],
    *,
    write: bool = True,
) -> None:
    """The entry of a write made without the ORM where the caller knows what it changed (the
    fields it set, encoded, and the row's values), in the transaction, as the ORM's flush
    would have logged it. ``write=False`` keeps it for ``write_recorded`` (several entries in
    one statement)."""
    if t.name not in _SYNCED:
        return
    log = _log(session)
    if log is None:
        return
    _add(log, t, op, key, dict(fields), row)
    if write:
        _write(session, log)


def write_recorded(session: Session) -> None:
    """The entries ``record`` kept, in one statement."""
    log: _Log | None = session.info.get(_STATE)
    if log is not None and log.device is not None:
        _write(session, log)


#: The op of a marker entry (table ""): what this device had applied of each other device when
#: it wrote the entries after it. A merge lists as a conflict only what the writer had not seen.
SEEN = "seen"


def note_seen(session: Session, cursors: Mapping[str, int]) -> None:
    """Write a marker of what this device has applied, unless the last marker says the same."""
    found = self_device(session)
    if found is None:
        return
    device = found[0]
    last = (
        session.connection()
        .execute(
            select(ChangeEntry.fields)
            .where(ChangeEntry.device_id == device, ChangeEntry.op == SEEN)
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        )
        .scalar()
    )
    if last is not None and json.loads(last) == dict(cursors):
        return
    log = _log(session)
    if log is None:
        return
    log.pending.append((log.device, log.next_seq, log.hlc, "", "", SEEN, dict(cursors), False))
    log.next_seq += 1
    _write(session, log)


_COLUMNS = ("device_id", "seq", "hlc", "table_name", "row_id", "op", "fields", "protect")
_INSERT_SQLITE = f"INSERT INTO change_log ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 8)})"
_INSERT_HASHED = (
    f"INSERT INTO change_log ({', '.join(_COLUMNS)}, row_hash) VALUES ({', '.join('?' * 9)})"
)


# ---- the log's table ------------------------------------------------------------------------
#
# On a SQLite file (migration 0018_change_log_keys) the log is one B-tree keyed by
# ``(device_id, seq)`` (``WITHOUT ROWID``), and a row's entries are found by ``row_hash``, a
# 64-bit hash of the table and the row id, indexed where it is set. A write leaves it unset: a
# save of 40 marks would otherwise write 40 random places of that index (a mark's id is a hash)
# in its transaction. The entries not hashed yet, in a small index in the order they were
# written, are hashed when rows are next looked up (``entries_for_rows``, by the merge). Other
# writers of many entries at once (a merge, a first replica) hash them as they write. A save of
# several entries writes them as one pack (``PACK``), unpacked with the hashing (``settle``):
# what costs a save is the rows, not their bytes. The office database (PostgreSQL) keeps its
# index on ``(table_name, row_id)`` and one row per entry. Only this module knows the
# difference; everything else reads the log through ``ChangeEntry``, settled first or through
# ``unpacked``.


def row_hash(table_name: str, row_id: str) -> int:
    """The key a file's log finds a row's entries by (two rows may share one: the table and
    the row id are compared too)."""
    digest = hashlib.blake2b(f"{table_name}\x1f{row_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def write_rows(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Change-log rows (dicts by column) in one statement, hashed at once on a file."""
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        _executemany(
            connection,
            _INSERT_HASHED,
            [
                (*(r[c] for c in _COLUMNS), row_hash(r["table_name"], r["row_id"]))
                for r in rows
            ],
        )
    else:
        connection.execute(insert(LOG_TABLE), [{c: r[c] for c in _COLUMNS} for r in rows])


def write_tuples(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Change-log rows (tuples in the order of ``_COLUMNS``) in one statement; on a file they
    are hashed at the next look-up (``settle``)."""
    if not rows:
        return
    if connection.dialect.name == "sqlite":
        _executemany(connection, _INSERT_SQLITE, rows)
    else:
        connection.execute(insert(LOG_TABLE), [dict(zip(_COLUMNS, r, strict=True)) for r in rows])


def settle(connection: Connection) -> int:
    """Make the file's log one hashed row per entry again: the packs the writes since the last
    look-up left are unpacked, the entries written unhashed hashed; returns how many entries
    that touched. Whatever reads the log by row, number or count on a file settles it first,
    in its write (the merge, compaction), or reads the packs with ``unpacked``."""
    if connection.dialect.name != "sqlite":
        return 0
    found = connection.exec_driver_sql(
        f"SELECT {', '.join(_COLUMNS)} FROM change_log WHERE row_hash IS NULL"
    ).all()
    packs = [r for r in found if r.op == PACK]
    entries = [e._asdict() for e in unpacked(packs)]
    if packs:
        _executemany(
            connection,
            "DELETE FROM change_log WHERE device_id = ? AND seq = ?",
            [(r.device_id, r.seq) for r in packs],
        )
        write_rows(connection, entries)
    rows = [r for r in found if r.op != PACK]
    if rows:
        _executemany(
            connection,
            "UPDATE change_log SET row_hash = ? WHERE device_id = ? AND seq = ?",
            [(row_hash(r.table_name, r.row_id), r.device_id, r.seq) for r in rows],
        )
    return len(rows) + len(entries)


#: The op of a pack: on a file, a write of several entries (a register's 40 marks) stores them
#: as one row, numbered as its last entry, holding ``[table, row id, op, fields, false]`` of
#: each in order (one row written instead of 40 is most of the log's cost on such a save).
#: ``settle`` unpacks them; they never leave the file.
PACK = "pack"
#: At most this many entries in one pack (a large import writes several).
_PACK_MAX = 500


class LogRow(NamedTuple):
    """A log entry as a row of the table reads (``_COLUMNS``)."""

    device_id: str
    seq: int
    hlc: int
    table_name: str
    row_id: str
    op: str
    fields: str
    protect: bool


def unpacked(rows: Iterable[Any], after: int = 0) -> Iterator[Any]:
    """The log's rows with each pack's entries in its place, those numbered after ``after``
    (a pack read by its number may begin at or before it: a sync stopped halfway through a
    save's entries). For readers that do not write: what a sync sends."""
    for row in rows:
        if row.op != PACK:
            yield row
            continue
        items = json.loads(row.fields)
        first = row.seq - len(items) + 1
        for i, (table_name, row_id, op, fields, protect) in enumerate(items):
            if first + i <= after:
                continue
            yield LogRow(
                row.device_id,
                first + i,
                row.hlc,
                table_name,
                row_id,
                op,
                _ENCODE(fields),
                bool(protect),
            )


#: What the office database's log knows of some rows of one table, oldest change first.
_KNOWN = (
    select(LOG_TABLE)
    .where(
        LOG_TABLE.c.table_name == bindparam("table_name"),
        LOG_TABLE.c.row_id.in_(bindparam("row_ids", expanding=True)),
    )
    .order_by(LOG_TABLE.c.hlc, LOG_TABLE.c.device_id, LOG_TABLE.c.seq)
)
_KNOWN_SQLITE = (
    f"SELECT {', '.join(_COLUMNS)} FROM change_log WHERE row_hash IN ({{}}) AND table_name = ?"
    " ORDER BY hlc, device_id, seq"
)


def entries_for_rows(connection: Connection, table_name: str, row_ids: list[str]) -> list[Any]:
    """The log's entries of these rows of one table (at most a few hundred), oldest change
    first: rows with the log's columns."""
    if not row_ids:
        return []
    if connection.dialect.name != "sqlite":
        return list(
            connection.execute(_KNOWN, {"table_name": table_name, "row_ids": row_ids}).all()
        )
    settle(connection)
    keys = {row_hash(table_name, r) for r in row_ids}
    found = connection.exec_driver_sql(
        _KNOWN_SQLITE.format(", ".join("?" * len(keys))), (*keys, table_name)
    ).all()
    wanted = set(row_ids)
    return [r for r in found if r.row_id in wanted]


def rename_row(connection: Connection, table_name: str, old: str, new: str) -> None:
    """A row's entries follow it to its new id (two rows made under one natural key merged)."""
    if connection.dialect.name != "sqlite":
        connection.execute(
            update(LOG_TABLE)
            .where(LOG_TABLE.c.table_name == table_name, LOG_TABLE.c.row_id == old)
            .values(row_id=new)
        )
        return
    settle(connection)
    connection.exec_driver_sql(
        "UPDATE change_log SET row_id = ?, row_hash = ?"
        " WHERE row_hash = ? AND table_name = ? AND row_id = ?",
        (new, row_hash(table_name, new), row_hash(table_name, old), table_name, old),
    )


def _executemany(connection: Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    """The rows straight to the driver: one ``executemany`` of a statement the driver keeps
    prepared (its statement cache), without SQLAlchemy's work per statement (a mark saved per
    key press writes one row per save: that work was as long as SQLite's own). The driver's
    errors come out as SQLAlchemy's, as from any other statement (a full disk is one
    sentence: ``Database.begin``)."""
    raw: Any = connection.connection.dbapi_connection
    try:
        raw.executemany(statement, rows)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            statement, rows, exc, connection.dialect.loaded_dbapi.Error
        ) from exc


def _write(session: Session, log: _Log) -> None:
    pending = log.pending
    if pending:
        # The transaction's connection as it began (asking the session for it costs as much
        # as writing a row).
        connection: Connection | None = session.info.get(_CONNECTION)
        if connection is None:
            connection = session.connection()
        if len(pending) > 1 and connection.dialect.name == "sqlite":
            write_tuples(connection, _packs(pending))
        else:
            write_tuples(connection, [(*r[:6], _ENCODE(r[6]), r[7]) for r in pending])
        log.pending = []
        recorder: ChangeRecorder | None = session.info.get(_RECORDER)
        if recorder is not None and recorder.device is not None:
            recorder.device.next_seq = log.next_seq


def _packs(pending: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Several entries of one write as packs (``PACK``); markers and the entries that protect
    data are never packed (readers look them up by op and flag)."""
    if len(pending) <= _PACK_MAX and not any(r[7] or not r[3] for r in pending):
        last = pending[-1]  # (the usual save: one pack)
        body = _ENCODE([r[3:] for r in pending])
        return [(last[0], last[1], last[2], "", "", PACK, body, False)]
    out: list[tuple[Any, ...]] = []
    run: list[tuple[Any, ...]] = []

    def close() -> None:
        if len(run) > 1:
            out.extend(_packs(run))
        elif run:
            out.append((*run[0][:6], _ENCODE(run[0][6]), run[0][7]))
        run.clear()

    for r in pending:
        if r[7] or not r[3]:
            close()
            out.append((*r[:6], _ENCODE(r[6]), r[7]))
        else:
            run.append(r)
            if len(run) == _PACK_MAX:
                close()
    close()
    return out


class ChangeRecorder:
    """Writes the change log of every write unit of work of ``factory``."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        #: This device (None: read it at the next write).
        self.device: _Device | None = None
        bind = factory.kw.get("bind")
        dialect = getattr(bind, "dialect", None)
        #: A SQLite file (the device is kept between writes), known once; None: ask each time.
        self.is_file: bool | None = None if dialect is None else dialect.name == "sqlite"
        event.listen(factory, "after_begin", self._began)
        event.listen(factory, "after_flush", self._flushed)
        event.listen(factory, "do_orm_execute", self._executed)
        event.listen(factory, "after_commit", self._committed)
        event.listen(factory, "after_rollback", self._rolled_back)

    def forget(self) -> None:
        """Read this device again at the next write (sync was set up, or changes merged)."""
        self.device = None

    def _began(self, session: Session, _transaction: Any, connection: Connection) -> None:
        session.info[_RECORDER] = self
        session.info[_CONNECTION] = connection

    def _committed(self, session: Session) -> None:
        session.info.pop(_STATE, None)
        session.info.pop(_CONNECTION, None)
        if session.info.get(APPLYING):
            self.device = None  # the clock moves past what was merged

    def _rolled_back(self, session: Session) -> None:
        session.info.pop(_CONNECTION, None)
        if session.info.pop(_STATE, None) is not None:
            self.device = None  # numbers taken by the rolled-back write are free again

    # -- ORM objects ---------------------------------------------------------------------------
    def _flushed(self, session: Session, _flush: UOWTransaction) -> None:
        # ``dirty`` is worked out from the whole identity map at each look: once.
        changed = [
            (op, o)
            for op, objects in (
                ("insert", session.new),
                ("update", session.dirty),
                ("delete", session.deleted),
            )
            for o in objects
            if getattr(o, "__tablename__", None) in _SYNCED
        ]
        if not changed:
            return
        log = _log(session)
        if log is None:
            return
        for op, obj in changed:
            self._object(log, obj, op)
        _write(session, log)

    @staticmethod
    def _object(log: _Log, obj: Any, op: str) -> None:
        state = obj._sa_instance_state
        shape = _BY_CLASS.get(obj.__class__)
        if shape is None:
            shape = _BY_CLASS[obj.__class__] = _shape(state.mapper)
        t = shape.table
        values = state.dict  # the loaded values (an attribute not in it is read by getattr)
        fields: dict[str, Any] = {}
        if op == "update":
            # ``committed_state`` holds the value each changed attribute had when loaded: only
            # those attributes are read (a mark changes its status, not its eight columns).
            by_key = shape.by_key
            row: dict[str, Any] = {}
            for key, before in state.committed_state.items():
                found = by_key.get(key)
                if found is None:
                    continue
                name, enc, local = found
                value = row[name] = values[key] if key in values else getattr(obj, key)
                if not local and (type(before) is not type(value) or bool(before != value)):
                    fields[name] = enc(value)
            if not fields:  # an update logs nothing when no column changed
                if shape.linked:
                    _log_links(log, obj, state, shape)
                return
            for name, key in shape.watched:
                if name not in row:
                    row[name] = values[key] if key in values else getattr(obj, key)
            if not is_protective(t.name, op, fields, row):
                # (the natural key the entry adds never makes it protective)
                rid = values.get("id")
                _add(log, t, op, str(obj.id if rid is None else rid), fields, row, False)
                if shape.linked:
                    _log_links(log, obj, state, shape)
                return
            # An erasure, a purge, a revocation or a deletion freezes the whole row: it
            # carries every field, so it wins over any edit made meanwhile.
            row = {name: getattr(obj, key) for key, name, _enc in shape.plan}
            fields = encode_fields(t, row)
        else:
            row = {name: getattr(obj, key) for key, name, _enc in shape.plan}
            if op == "insert":
                fields = {
                    name: enc(row[name])
                    for _key, name, enc in shape.plan
                    if name not in LOCAL_FIELDS
                }
        _add(log, t, op, str(obj.id), fields, row)
        if op != "delete" and shape.linked:
            _log_links(log, obj, state, shape)

    # -- statements ----------------------------------------------------------------------------
    def _executed(self, state: ORMExecuteState) -> Any:
        if not (state.is_insert or state.is_update or state.is_delete):
            return None
        t = getattr(state.statement, "table", None)
        if not isinstance(t, Table) or t.name not in _SYNCED:
            return None
        session = state.session
        log = _log(session)
        if log is None:
            return None
        stmt: Any = state.statement
        if state.is_insert:
            rows = _rows(state)
            if not is_link(t):
                for r in rows:  # ids made here, so the log names them
                    if r.get("id") is None:
                        r["id"] = default_id(t.name, r)
            for r in rows:
                _add(log, t, "insert", row_key(t, r), encode_fields(t, r), r)
            _write(session, log)
            return None
        where = stmt.whereclause
        if state.is_update and where is None:
            # Bulk update by primary key: each row names its id.
            for r in _rows(state):
                fields = encode_fields(t, {k: v for k, v in r.items() if k != "id"})
                if fields:
                    _add(log, t, "update", str(r["id"]), fields, r)
            _write(session, log)
            return None
        keys = list(t.primary_key.columns)
        natural = [t.c[n] for n in NATURAL_KEYS.get(t.name, ())]
        query = select(*keys, *natural)
        if where is not None:
            query = query.where(where)
        before = [dict(r._mapping) for r in session.connection().execute(query)]
        if state.is_delete:
            for r in before:
                _add(log, t, "delete", row_key(t, r), {}, r)
            _write(session, log)
            return None
        result = state.invoke_statement()
        names = [_name(c) for c in stmt._values or {}]
        names = [n for n in names if n in t.c and n not in LOCAL_FIELDS]
        if names and before:
            by_id = {r["id"]: r for r in before}
            ids = list(by_id)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for found in session.connection().execute(
                    select(t.c.id, *[t.c[n] for n in names]).where(t.c.id.in_(chunk))
                ):
                    values = {**by_id[found[0]], **found._mapping}
                    fields = encode_fields(t, {n: values[n] for n in names})
                    _add(log, t, "update", str(values["id"]), fields, values)
            _write(session, log)
        return result


def _log_links(log: _Log, obj: Any, state: Any, shape: _Shape) -> None:
    """Many-to-many links changed through the ORM collections."""
    t = shape.table
    for rel in shape.linked:
        secondary = rel.secondary
        history = state.attrs[rel.key].history
        owner_col, target_col = _link_columns(secondary, t)
        for target in history.added or ():
            values = {owner_col: obj.id, target_col: target.id}
            _add(log, secondary, "insert", link_id(secondary, values), dict(values))
        for target in history.deleted or ():
            values = {owner_col: obj.id, target_col: target.id}
            _add(log, secondary, "delete", link_id(secondary, values), dict(values))


@dataclass(frozen=True)
class _Shape:
    """What a model's entries need of it, worked out once (a save of 40 marks builds 40)."""

    table: Table
    plan: list[tuple[str, str, Any]]
    #: attribute -> column name, encoder, whether the field stays on each device
    by_key: dict[str, tuple[str, Any, bool]]
    watched: tuple[tuple[str, str], ...]
    linked: list[Any]


_SHAPES: dict[Any, _Shape] = {}
#: The same by model class (looking up an object's mapper costs more than building a field).
_BY_CLASS: dict[type, _Shape] = {}


def _shape(mapper: Any) -> _Shape:
    found = _SHAPES.get(mapper)
    if found is None:
        t: Table = mapper.local_table
        found = _SHAPES[mapper] = _Shape(
            t,
            _plan(mapper),
            {key: (name, enc, name in LOCAL_FIELDS) for key, name, enc in _plan(mapper)},
            _watched(mapper, t.name),
            _linked(mapper),
        )
    return found


_PLANS: dict[Any, list[tuple[str, str, Any]]] = {}


_BY_KEY: dict[Any, dict[str, tuple[str, Any]]] = {}
_LINKED: dict[Any, list[Any]] = {}


def _by_key(mapper: Any) -> dict[str, tuple[str, Any]]:
    """Per model: each attribute's column name and encoder."""
    found = _BY_KEY.get(mapper)
    if found is None:
        found = _BY_KEY[mapper] = {key: (name, enc) for key, name, enc in _plan(mapper)}
    return found


def _key_of(mapper: Any, name: str) -> str:
    for key, (column, _enc) in _by_key(mapper).items():
        if column == name:
            return key
    return name


_WATCHED: dict[Any, tuple[tuple[str, str], ...]] = {}


def _watched(mapper: Any, table_name: str) -> tuple[tuple[str, str], ...]:
    """The columns (name, attribute) an update's entry reads beside those it changed: the
    natural key, and what says whether the write protects data."""
    found = _WATCHED.get(mapper)
    if found is None:
        extra = ("blocked_at",) if table_name == "participant" else ()
        names = (*NATURAL_KEYS.get(table_name, ()), *extra)
        found = _WATCHED[mapper] = tuple((n, _key_of(mapper, n)) for n in names)
    return found


def _linked(mapper: Any) -> list[Any]:
    """Per model: its many-to-many relationships through synced link tables."""
    found = _LINKED.get(mapper)
    if found is None:
        found = _LINKED[mapper] = [
            rel
            for rel in mapper.relationships
            if rel.secondary is not None and rel.secondary.name in _SYNCED
        ]
    return found


def _encoder(column: Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, LargeBinary | DateTime | Date | Time):
        return lambda value: encode(column, value)
    return _same


def _differs(before: Any, after: Any) -> bool:
    """A set attribute changed its value (one never loaded counts as changed)."""
    return type(before) is not type(after) or bool(before != after)


def _same(value: Any) -> Any:
    return value


def _plan(mapper: Any) -> list[tuple[str, str, Any]]:
    """Per model: each column's attribute, name and JSON encoder, worked out once."""
    plan = _PLANS.get(mapper)
    if plan is None:
        plan = _PLANS[mapper] = [
            (p.key, p.columns[0].name, _encoder(p.columns[0])) for p in mapper.column_attrs
        ]
    return plan


def _name(column: Any) -> str:
    if isinstance(column, str):
        return column
    return str(getattr(column, "name", None) or getattr(column, "key", None) or column)


def _link_columns(secondary: Table, owner: Table) -> tuple[str, str]:
    cols = list(secondary.primary_key.columns)
    first = cols[0]
    if any(fk.column.table is owner for fk in first.foreign_keys):
        return cols[0].name, cols[1].name
    return cols[1].name, cols[0].name


def _rows(state: ORMExecuteState) -> list[dict[str, Any]]:
    """The rows of an INSERT or a bulk UPDATE: the parameters passed, or the statement's own
    ``values()``."""
    params: Any = state.parameters
    if isinstance(params, dict) and params:
        params = [params]
    if isinstance(params, list | tuple) and params:
        return [p for p in params if isinstance(p, dict)]
    stmt: Any = state.statement
    values = getattr(stmt, "_values", None) or {}
    row = {}
    for col, bind in values.items():
        row[_name(col)] = getattr(bind, "value", bind)
    if row:
        return [row]
    multi = getattr(stmt, "_multi_values", None) or ()
    out: list[dict[str, Any]] = []
    for batch in multi:
        for item in batch:
            out.append({_name(c): getattr(v, "value", v) for c, v in item.items()})
    return out
