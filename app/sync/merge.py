"""Applying other devices' changes, field by field (the rules are in docs/sync.md).

Every field of a row has the clock of the change that last set it: ``(protect, hlc, device,
seq)``. A change received wins a field when its clock is greater; the value that loses, when it
differs and was set without the other side having seen it, goes to ``sync_conflict``. A
data-protection change (an erasure, a purge, a revoked consent, a deletion) wins whatever the
clocks. Deleted rows stay deleted. Rows known by a natural key (attendance per session and
person, a head count per session, gender and band, a category code) made on two devices under
two ids become one row under the smaller id; a programme code or an agreement number taken twice
is renumbered on the later row. Every device applies the same rules to the same changes, so all
replicas end alike whatever the order of syncs.

Entries already applied are skipped: applying is idempotent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import changelog
from app.db.base import Base, utcnow
from app.db.changelog import (
    LOCAL_FIELDS,
    NATURAL_KEYS,
    REVIVABLE,
    decode,
    dumps,
    encode,
    is_link,
    table,
)
from app.db.models import ChangeEntry, SyncConflict, SyncDevice
from app.domain.clock import from_datetime
from app.sync import state

#: A field's clock: data protection first, then time, then the device id, then the order.
Clock = tuple[bool, int, str, int]


@dataclass(frozen=True)
class Entry:
    device: str
    seq: int
    hlc: int
    table: str
    row_id: str
    op: str
    fields: dict[str, Any]
    protect: bool = False
    #: What the writing device had applied of each device when it wrote this change.
    seen: Mapping[str, int] = field(default_factory=dict)

    @property
    def clock(self) -> Clock:
        return (self.protect, self.hlc, self.device, self.seq)

    def as_row(self) -> dict[str, Any]:
        return {
            "device_id": self.device,
            "seq": self.seq,
            "hlc": self.hlc,
            "table_name": self.table,
            "row_id": self.row_id,
            "op": self.op,
            "fields": dumps(self.fields),
            "protect": self.protect,
        }

    def as_json(self) -> list[Any]:
        return [self.seq, self.hlc, self.table, self.row_id, self.op, self.fields, self.protect]

    @classmethod
    def from_json(cls, device: str, item: list[Any], seen: Mapping[str, int]) -> Entry:
        seq, hlc, tname, row_id, op, fields, protect = item
        return cls(device, int(seq), int(hlc), tname, row_id, op, dict(fields), bool(protect), seen)


def entry_from_row(row: Any, seen: Mapping[str, int] | None = None) -> Entry:
    return Entry(
        row.device_id,
        row.seq,
        row.hlc,
        row.table_name,
        row.row_id,
        row.op,
        json.loads(row.fields),
        bool(row.protect),
        seen or {},
    )


@dataclass
class MergeSummary:
    received: int = 0
    applied: int = 0
    conflicts: int = 0
    renumbered: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    #: Entries waiting for a record another device's file has not brought yet.
    held: int = 0

    def add(self, other: MergeSummary) -> None:
        self.held += other.held
        self.received += other.received
        self.applied += other.applied
        self.conflicts += other.conflicts
        self.renumbered += other.renumbered
        self.duplicates += other.duplicates


@dataclass
class _Row:
    """What is known of one row: each field's clock and value (JSON), deleted or not."""

    fields: dict[str, tuple[Clock, Any]] = field(default_factory=dict)
    tombstone: Clock | None = None
    inserted: Clock | None = None
    #: For a link row: the clock and kind (insert/delete) of its last change.
    link: tuple[Clock, str] | None = None


class Merger:
    """Applies entries in one write transaction (``session``)."""

    def __init__(self, session: Session, *, remote: bool = True) -> None:
        """``remote``: other devices' changes, logged as theirs. Otherwise a file merged into
        this device's data (``teixit import``): what it changes is this device's own write, in
        the change log as any other; a field never changed since sync was set up has the
        time of its row's last save as its clock."""
        self.s = session
        self.remote = remote
        if remote:
            self.s.info[changelog.APPLYING] = True
        if session.get_bind().dialect.name == "sqlite":
            # Parents may come later in the same batch: foreign keys are checked at commit.
            self.s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            # The log as one row per entry (its packs unpacked), before it is read by number.
            changelog.settle(self.s.connection())
        self.rows: dict[tuple[str, str], _Row] = {}
        self.summary = MergeSummary()
        self._conn = session.connection()
        #: Statements built once per table and reused (building one costs more than running it).
        self._by_id: dict[str, Any] = {}
        self._has: dict[str, Any] = {}
        self._natural: dict[str, Any] = {}
        self._present: set[tuple[str, Any]] = set()
        #: Entries applied, not written to the log yet (written before the log is read).
        self._pending: list[dict[str, Any]] = []
        #: The clock of what compaction removed from the log: a field of a row that is here,
        #: of which the log knows nothing, was set no later (app/sync/compaction.py).
        compacted = state.floor(session)
        self.floor: Clock | None = (False, compacted, "", 0) if compacted else None

    def _write_pending(self) -> None:
        if self._pending:
            changelog.write_rows(self._conn, self._pending)
            self._pending = []

    def _write(self, statement: Any, params: Any = None) -> None:
        """A change to the data: another device's, unlogged (the entries are logged as theirs);
        a file's, through the session, so the change log records it as this device's."""
        if getattr(statement, "is_delete", False):
            self._present.clear()  # cascades may take more rows than the one named
        if self.remote:
            self._conn.execute(statement, params)
        else:
            self.s.execute(statement, params)

    def _row(self, t: Table, row_id: str) -> dict[str, Any] | None:
        stmt = self._by_id.get(t.name)
        if stmt is None:
            stmt = self._by_id[t.name] = select(t).where(t.c.id == bindparam("row_id"))
        found = self._conn.execute(stmt, {"row_id": row_id}).first()
        return dict(found._mapping) if found else None

    def _exists(self, t: Table, row_id: Any) -> bool:
        """Is the row here (a parent of a row to insert)? Rows seen are remembered: a merge
        never deletes a parent it has just checked, except through ``_write`` deletes, which
        forget it."""
        if (t.name, row_id) in self._present:
            return True
        stmt = self._has.get(t.name)
        if stmt is None:
            stmt = self._has[t.name] = select(t.c.id).where(t.c.id == bindparam("row_id"))
        found = self._conn.execute(stmt, {"row_id": row_id}).first() is not None
        if found:
            self._present.add((t.name, row_id))
        return found

    def _prefetch(self, entries: list[Entry]) -> None:
        """What the log knows of every row of a batch, in one query per table and chunk."""
        self._write_pending()
        wanted: dict[str, set[str]] = {}
        for e in entries:
            if e.table and (e.table, e.row_id) not in self.rows:
                wanted.setdefault(e.table, set()).add(e.row_id)
        for tname, ids in wanted.items():
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                knowns = {rid: _Row() for rid in chunk}
                for row in changelog.entries_for_rows(self._conn, tname, chunk):
                    self._note(knowns[row.row_id], entry_from_row(row))
                for rid, known in knowns.items():
                    self.rows[(tname, rid)] = known

    # -- what is known -------------------------------------------------------------------------
    def _known(self, tname: str, row_ids: Iterable[str]) -> _Row:
        ids = sorted(set(row_ids))
        key = (tname, ids[0])
        known = self.rows.get(key)
        if known is not None and len(ids) == 1:
            return known
        known = _Row()
        self._write_pending()
        for e in changelog.entries_for_rows(self._conn, tname, ids):
            self._note(known, entry_from_row(e))
        for rid in ids:
            self.rows[(tname, rid)] = known
        return known

    @staticmethod
    def _note(known: _Row, e: Entry) -> None:
        c = e.clock
        if e.op == "delete" and e.table not in REVIVABLE:
            known.tombstone = max(known.tombstone or c, c)
        elif e.op == "insert":
            known.inserted = min(known.inserted or c, c)
        if e.table in _LINK_TABLES or e.table in REVIVABLE:
            if e.op != "update" and (known.link is None or c > known.link[0]):
                known.link = (c, e.op)
            if e.table in _LINK_TABLES:
                return
        for name, value in e.fields.items():
            old = known.fields.get(name)
            if old is None or c > old[0]:
                known.fields[name] = (c, value)

    # -- applying ------------------------------------------------------------------------------
    def apply(self, entries: Iterable[Entry]) -> MergeSummary:
        fresh = self._fresh(list(entries)) if self.remote else list(entries)
        fresh.sort(key=lambda e: (e.hlc, e.device, e.seq))
        self.summary.received += sum(1 for e in fresh if e.op != changelog.SEEN)
        if not fresh:
            return self.summary
        if self.remote:
            self._prefetch(fresh)
        for e in fresh:
            if e.table in changelog.SYNCED_TABLES:
                try:
                    self._apply(e)
                except _HeldBack:
                    # Its parent has not arrived (another device's file not copied yet): not
                    # logged, so this device's cursor stops before it and the next sync
                    # applies it again.
                    self.summary.held += 1
                    continue
            if self.remote:
                self._pending.append(e.as_row())
        if not self.remote:
            return self.summary
        self._write_pending()
        self._advance(fresh)
        return self.summary

    def _fresh(self, entries: list[Entry]) -> list[Entry]:
        """The entries not applied here yet (each once)."""
        by_device: dict[str, dict[int, Entry]] = {}
        for e in entries:
            by_device.setdefault(e.device, {})[e.seq] = e
        out: list[Entry] = []
        for device, items in by_device.items():
            seqs = list(items)
            have: set[int] = set()
            for start in range(0, len(seqs), 500):
                have.update(
                    self.s.scalars(
                        select(ChangeEntry.seq).where(
                            ChangeEntry.device_id == device,
                            ChangeEntry.seq.in_(seqs[start : start + 500]),
                        )
                    )
                )
            out.extend(e for seq, e in items.items() if seq not in have)
        return out

    def _advance(self, fresh: list[Entry]) -> None:
        """Each peer's cursor (contiguous applied sequence) and this device's clock."""
        me = self.s.scalar(select(SyncDevice).where(SyncDevice.is_self.is_(True)))
        if me is not None:
            me.last_hlc = max(me.last_hlc, max(e.hlc for e in fresh))
        for device in {e.device for e in fresh}:
            peer = self.s.get(SyncDevice, device)
            if peer is None:
                peer = SyncDevice(id=device, name="", is_self=False, last_hlc=0, applied_seq=0)
                self.s.add(peer)
            seqs = self.s.scalars(
                select(ChangeEntry.seq)
                .where(ChangeEntry.device_id == device, ChangeEntry.seq > (peer.applied_seq or 0))
                .order_by(ChangeEntry.seq)
            )
            cursor = peer.applied_seq or 0
            for seq in seqs:
                if seq != cursor + 1:
                    break
                cursor = seq
            peer.applied_seq = cursor
        self.s.flush()

    def _apply(self, e: Entry) -> None:
        t = table(e.table)
        if is_link(t):
            self._apply_link(t, e)
            return
        row_id, alias = self._resolve(t, e)
        known = self._known(e.table, {row_id, e.row_id, alias})
        current = self._current(t, row_id)
        if e.table in REVIVABLE:
            # A mark comes and goes: the latest insert or delete decides whether it exists.
            presence = known.link
            if presence is None and current is not None and self.floor is not None:
                presence = (self.floor, "insert")
            newer = presence is None or e.clock > presence[0]
            if e.op == "delete":
                self._note(known, e)
                if newer and current is not None:
                    self._lost_edits(t, row_id, known, e, current)
                    self._write(delete(t).where(t.c.id == row_id))
                    self.summary.applied += 1
                return
            alive = (e.op == "insert" and newer) or (
                presence is not None and presence[1] == "insert"
            )
            if not alive:
                self._note(known, e)
                if e.op == "update" and presence is not None:
                    self._conflict(t, row_id, "", "deleted", None, presence[0], e.fields, e.clock)
                return
        elif e.op == "delete":
            self._note(known, e)
            if current is not None:
                self._lost_edits(t, row_id, known, e, current)
                self._write(delete(t).where(t.c.id == row_id))
                self.summary.applied += 1
            return
        if known.tombstone is not None:
            self._note(known, e)
            if e.op == "update":
                self._conflict(t, row_id, "", "deleted", None, known.tombstone, e.fields, e.clock)
            return
        # An ordinary edit of a row deleted or erased here is listed, not merged field by field
        # (the deletion or erasure carried the whole row and wins every field anyway).
        frozen = ""
        if current is not None and not e.protect:
            if current.get("deleted_at") is not None:
                frozen = "deleted"
            elif e.table == "participant" and current.get("blocked_at") is not None:
                frozen = "blocked"
        wins: dict[str, Any] = {}
        differs = False
        for name, value in e.fields.items():
            if name not in t.c or name in LOCAL_FIELDS:
                continue
            old = known.fields.get(name)
            local_value = encode(t.c[name], current[name]) if current is not None else None
            if old is None and self.remote and self.floor is not None and current is not None:
                old = (self.floor, local_value)
            if old is None and not self.remote and current is not None:
                saved = current.get("updated_at")
                if saved is not None:
                    old = ((False, from_datetime(saved), "", 0), local_value)
            differs = differs or local_value != value
            if old is None or e.clock > old[0]:
                wins[name] = value
                if (
                    not frozen
                    and current is not None
                    and old is not None
                    and local_value != value
                    and not _seen(e, old[0])
                ):
                    self._conflict(t, row_id, name, "field", value, e.clock, local_value, old[0])
            elif (
                not frozen
                and current is not None
                and local_value != value
                and old[0][2] != e.device
            ):
                self._conflict(t, row_id, name, "field", local_value, old[0], value, e.clock)
        self._note(known, e)
        if current is None:
            if e.op == "insert" or known.inserted is not None:
                # Later changes of this row that came first are laid over the insert.
                values = {n: v for n, (_c, v) in known.fields.items() if n in t.c}
                self._insert(t, row_id, values, e)
            return
        if frozen:
            wins = {}
            if differs:
                self._conflict(t, row_id, "", frozen, None, None, e.fields, e.clock)
        if wins:
            values = {n: decode(t.c[n], v) for n, v in wins.items()}
            if e.table == "programme" and "code" in values:
                values["code"] = self._free_code(t, row_id, values["code"], e)
            if "updated_at" in t.c:
                values["updated_at"] = utcnow()
            self._write(update(t).where(t.c.id == row_id).values(**values))
            self.summary.applied += 1

    def _current(self, t: Table, row_id: str) -> dict[str, Any] | None:
        return self._row(t, row_id)

    def _resolve(self, t: Table, e: Entry) -> tuple[str, str]:
        """The local id of the entry's row, and the other id it had: rows with one natural key
        become one, under the smaller id."""
        names = NATURAL_KEYS.get(t.name)
        if not names or not all(n in e.fields for n in names):
            return e.row_id, e.row_id
        stmt = self._natural.get(t.name)
        if stmt is None:
            stmt = select(t.c.id).where(*[t.c[n] == bindparam(f"k_{n}") for n in names])
            self._natural[t.name] = stmt
        params = {f"k_{n}": decode(t.c[n], e.fields[n]) for n in names}
        local: str | None = self._conn.execute(stmt, params).scalar()
        if local is None or local == e.row_id:
            return e.row_id, e.row_id
        if e.row_id < local and self.remote and t.name not in _PARENTS:
            self.s.execute(update(t).where(t.c.id == local).values(id=e.row_id))
            # The log follows the row, so its fields' clocks are found under its id.
            self._write_pending()
            changelog.rename_row(self._conn, t.name, local, e.row_id)
            self.rows.pop((t.name, local), None)
            self.rows.pop((t.name, e.row_id), None)
            return e.row_id, local
        return local, e.row_id

    def _insert(self, t: Table, row_id: str, fields: dict[str, Any], e: Entry) -> None:
        values = {n: decode(t.c[n], v) for n, v in fields.items() if n in t.c}
        for c in t.columns:
            if c.foreign_keys and values.get(c.name) is not None:
                parent = next(iter(c.foreign_keys)).column.table
                exists = self._exists(parent, values[c.name])
                if not exists and parent.name in NATURAL_KEYS:
                    # A parent known by a natural key may be here under another id (one
                    # volunteer record per person, made on two devices before ids came from
                    # the person's): the row goes under it.
                    alias = self._alias(parent, str(values[c.name]))
                    if alias is not None:
                        values[c.name], exists = alias, True
                gone = None if exists else self._gone(parent.name, str(values[c.name]))
                if gone is not None:
                    if c.nullable:
                        values[c.name] = None
                    else:
                        self._conflict(t, row_id, "", "deleted", None, gone, e.fields, e.clock)
                        return
                if not exists and self.remote and parent.name != t.name:
                    raise _HeldBack
        if t.name == "programme" and "code" in values:
            values["code"] = self._free_code(t, row_id, values["code"], e)
        if t.name == "agreement" and "number" in values and "meeting_id" in values:
            values["number"] = self._free_number(t, row_id, values, e)
        if t.name == "participant":
            self._flag_duplicate(t, row_id, values)
        now = utcnow()
        for stamp in ("created_at", "updated_at"):
            if stamp in t.c:
                values.setdefault(stamp, now)
        self._write(insert(t), {"id": row_id, **values})
        self.summary.applied += 1

    def _alias(self, t: Table, row_id: str) -> str | None:
        """The id here of the row the log knows as ``row_id`` by its natural key, if any."""
        names = NATURAL_KEYS[t.name]
        known = self._known(t.name, {row_id}).fields
        if "id" not in t.c or not all(n in known for n in names):
            return None
        found = self._conn.execute(
            select(t.c.id).where(*[t.c[n] == decode(t.c[n], known[n][1]) for n in names])
        ).scalar()
        return str(found) if found is not None else None

    def _gone(self, tname: str, row_id: str) -> Clock | None:
        """The clock of the change that removed a row: its tombstone, or for a record that
        comes and goes (a budget), its latest deletion."""
        known = self._known(tname, {row_id})
        if known.tombstone is not None:
            return known.tombstone
        if tname in REVIVABLE and known.link is not None and known.link[1] == "delete":
            return known.link[0]
        return None

    # -- unique natural keys -------------------------------------------------------------------
    def _free_code(self, t: Table, row_id: str, code: str, e: Entry) -> str:
        """A programme code taken by another row: the later of the two takes the code with a
        suffix made from its own id (the same on every device, whatever the order of syncs)."""
        other = self.s.execute(select(t.c.id).where(t.c.code == code, t.c.id != row_id)).scalar()
        if other is None:
            return code
        other_clock = self._known(t.name, {other}).fields.get("code")
        if other_clock is None and self.floor is not None:
            other_clock = (self.floor, code)
        mine = self._known(t.name, {row_id}).fields.get("code")
        mine_clock = mine[0] if mine else e.clock
        if other_clock is not None and other_clock[0] > mine_clock:
            # The other row came later: it takes the new code, this one keeps its own.
            new = _renumbered(code, other)
            self._write(update(t).where(t.c.id == other).values(code=new))
            self.summary.renumbered.append(f"{code} → {new}")
            self._conflict(t, other, "code", "renumbered", new, None, code, other_clock[0])
            return code
        new = _renumbered(code, row_id)
        self.summary.renumbered.append(f"{code} → {new}")
        self._conflict(t, row_id, "code", "renumbered", new, None, code, e.clock)
        return new

    def _free_number(self, t: Table, row_id: str, values: dict[str, Any], e: Entry) -> int:
        number = int(values["number"])
        # Numbered within their meeting, or within their mediation case (no meeting).
        key = "meeting_id" if values.get("meeting_id") is not None else "mediation_case_id"
        if values.get(key) is None:
            return number
        taken = self.s.scalar(
            select(t.c.id).where(t.c[key] == values[key], t.c.number == number, t.c.id != row_id)
        )
        if taken is None:
            return number
        top = self.s.scalar(select(func.max(t.c.number)).where(t.c[key] == values[key]))
        new = int(top or 0) + 1
        self.summary.renumbered.append(f"{number} → {new}")
        other = self._known(t.name, {taken}).fields.get("number")
        if other is None and self.floor is not None:
            other = (self.floor, number)
        if other is not None and other[0] > e.clock:
            # The agreement already here was numbered later: it takes the next number.
            self._write(update(t).where(t.c.id == taken).values(number=new))
            self._conflict(t, taken, "number", "renumbered", new, None, number, other[0])
            return number
        self._conflict(t, row_id, "number", "renumbered", new, None, number, e.clock)
        return new

    def _flag_duplicate(self, t: Table, row_id: str, values: Mapping[str, Any]) -> None:
        given = str(values.get("given_name") or "").strip().casefold()
        family = str(values.get("family_names") or "").strip().casefold()
        if not given:
            return
        same = self.s.scalar(
            select(t.c.id).where(
                func.lower(t.c.given_name) == given,
                func.lower(t.c.family_names) == family,
                t.c.id != row_id,
                t.c.deleted_at.is_(None),
            )
        )
        if same is not None:
            name = f"{values.get('given_name', '')} {values.get('family_names', '')}".strip()
            self.summary.duplicates.append(name)
            self._conflict(t, row_id, "", "duplicate", same, None, row_id, None)

    # -- links ---------------------------------------------------------------------------------
    def _apply_link(self, t: Table, e: Entry) -> None:
        known = self._known(e.table, {e.row_id})
        cols = [c.name for c in t.primary_key.columns]
        values = {c: e.fields.get(c) for c in cols}
        if any(v is None for v in values.values()):
            values = dict(zip(cols, e.row_id.split("|"), strict=True))
        where = [t.c[c] == v for c, v in values.items()]
        exists = self.s.scalar(select(func.count()).select_from(t).where(*where))
        last = known.link[0] if known.link is not None else (self.floor if exists else None)
        later = last is not None and last > e.clock
        self._note(known, e)
        if later:
            return
        if e.op == "delete":
            if exists:
                self._write(delete(t).where(*where))
                self.summary.applied += 1
            return
        if exists:
            return
        for c in t.columns:
            parent = next(iter(c.foreign_keys)).column.table
            if not self.s.scalar(
                select(func.count()).select_from(parent).where(parent.c.id == values[c.name])
            ):
                if self._known(parent.name, {str(values[c.name])}).tombstone is None:
                    raise _HeldBack
                return
        self._write(insert(t), values)
        self.summary.applied += 1

    # -- conflicts -----------------------------------------------------------------------------
    def _lost_edits(
        self, t: Table, row_id: str, known: _Row, e: Entry, current: Mapping[str, Any]
    ) -> None:
        for name, (clock, value) in known.fields.items():
            inserted = known.inserted or self.floor or clock
            if clock[2] != e.device and not _seen(e, clock) and clock > inserted:
                self._conflict(t, row_id, name, "deleted", None, e.clock, value, clock)

    def _conflict(
        self,
        t: Table,
        row_id: str,
        name: str,
        kind: str,
        kept: Any,
        kept_clock: Clock | None,
        lost: Any,
        lost_clock: Clock | None,
    ) -> None:
        self.summary.conflicts += 1
        self.s.add(
            SyncConflict(
                table_name=t.name,
                row_id=row_id,
                field=name,
                kind=kind,
                kept_value=json.dumps(kept, ensure_ascii=False, default=str),
                kept_device=kept_clock[2] if kept_clock else "",
                kept_hlc=kept_clock[1] if kept_clock else 0,
                lost_value=json.dumps(lost, ensure_ascii=False, default=str),
                lost_device=lost_clock[2] if lost_clock else "",
                lost_hlc=lost_clock[1] if lost_clock else 0,
            )
        )


class _HeldBack(Exception):
    """An entry whose parent record is not here yet."""


#: Tables other tables refer to: a row of theirs keeps its id (its children name it).
_PARENTS = frozenset(
    fk.column.table.name for t in Base.metadata.tables.values() for fk in t.foreign_keys
)

_LINK_TABLES = frozenset(
    {"programme_funder", "activity_facilitator", "session_facilitator", "meeting_programme"}
)


def _seen(e: Entry, clock: Clock) -> bool:
    """Had the device writing ``e`` applied the change of ``clock`` when it wrote it?"""
    return clock[2] == e.device or e.seen.get(clock[2], 0) >= clock[3]


def _renumbered(code: str, row_id: str) -> str:
    """The code a programme takes when another took its code first: the code and the start
    of its own id (codes hold 20 characters)."""
    return f"{code[:15]}-{row_id[:4].upper()}"


def apply_entries(session: Session, entries: Iterable[Entry]) -> MergeSummary:
    """Apply other devices' ``entries`` in ``session`` (one write transaction)."""
    return Merger(session).apply(entries)
