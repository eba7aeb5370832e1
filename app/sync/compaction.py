"""Compaction of the change log: entries every known device has applied are removed, keeping
what a merge still needs.

An entry is *acknowledged* when every known device that is not retired has applied it: this
device (its own entries once written to the sync folder; another device's once applied here)
and each other device, by the last marker of what it had applied (``changelog.SEEN``) received
from it. Whatever any of them sends later was written after seeing those entries, so its clock
is later and it saw them: an acknowledged entry can no longer lose a field, nor be a conflict.

Only the rows whose every entry is acknowledged are compacted, and then:

- a row that is here keeps no entry, except data-protection ones (an erasure, a revocation,
  which win over any later ordinary edit); its fields count as set at the compaction's clock
  (``state.floor``, used by the merge where the log knows nothing of a field of a row that is
  here);
- a deleted row keeps its tombstone (and protection entries), not its earlier edits; a mark
  removed (attendance, head count) or a link removed keeps the removal only;
- the last marker of each device stays (what it had applied), and this device's last entry
  (its next sequence number follows it).

Nothing else changes: the data, the conflicts list and the change files are as they were.

With the office database as the hub (``Hub``), "applied" is the office's own record: this
device's entries count as sent once the office has applied them, and the office's cursors of
the other devices, read at the end of the sync, take the place of its last marker here. The
office's own log (``keep_latest``) keeps each field's latest change of every row, which a device
joining from the office needs; only the changes set again later, and old markers, go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update

from app.db import changelog
from app.db.engine import Database
from app.db.models import ChangeEntry, SyncDevice
from app.sync import state
from app.sync.device import self_row

_LINKS = frozenset(
    {"programme_funder", "activity_facilitator", "session_facilitator", "meeting_programme"}
)


@dataclass(frozen=True)
class CompactionResult:
    before: int
    removed: int

    @property
    def kept(self) -> int:
        return self.before - self.removed


@dataclass(frozen=True)
class Hub:
    """The office database, when it is the hub: its device id and its own record of how far
    it has applied each device's changes (its own: all of them)."""

    device: str
    applied: Mapping[str, int]


def acknowledged(s: Any, hub: Hub | None = None) -> dict[str, int]:
    """Per device that wrote entries here: the highest sequence number every known device
    (not retired) has applied."""
    me = self_row(s)
    if me is None:
        return {}
    devices = list(s.scalars(select(SyncDevice)))
    peers = [d for d in devices if not d.is_self and d.retired_at is None]
    markers: dict[str, Mapping[str, int]] = {}
    for peer in peers:
        last = s.scalar(
            select(ChangeEntry.fields)
            .where(ChangeEntry.device_id == peer.id, ChangeEntry.op == changelog.SEEN)
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        )
        markers[peer.id] = {str(k): int(v) for k, v in json.loads(last).items()} if last else {}
    if hub is not None:
        markers[hub.device] = hub.applied  # the office's record, newer than its last marker
        known = {d.id for d in devices}
        for other in hub.applied:  # a device the office knows and this one not yet: wait
            if other not in known:
                markers[other] = {}
    out: dict[str, int] = {}
    for d in devices:
        if not d.is_self:
            limit = d.applied_seq
        else:
            limit = hub.applied.get(d.id, 0) if hub is not None else state.sent_seq(s)
        for peer, seen in markers.items():
            if peer != d.id:
                limit = min(limit, seen.get(d.id, 0))
        out[d.id] = limit
    return out


def compact(
    db: Database, *, vacuum: bool = False, hub: Hub | None = None, keep_latest: bool = False
) -> CompactionResult:
    """Remove the acknowledged entries a merge no longer needs (one transaction). ``hub``: the
    office's record of what it has applied; ``keep_latest``: the office's own log (each
    field's latest change stays)."""
    with db.begin() as s:
        me = self_row(s)
        if me is None:
            return CompactionResult(0, 0)
        changelog.settle(s.connection())
        limits = acknowledged(s, hub)
        before = int(s.scalar(select(func.count()).select_from(ChangeEntry)) or 0)
        own_last = int(
            s.scalar(
                select(ChangeEntry.seq)
                .where(ChangeEntry.device_id == me.id)
                .order_by(ChangeEntry.seq.desc())
                .limit(1)
            )
            or 0
        )
        columns = [
            ChangeEntry.device_id,
            ChangeEntry.seq,
            ChangeEntry.hlc,
            ChangeEntry.table_name,
            ChangeEntry.row_id,
            ChangeEntry.op,
            ChangeEntry.protect,
        ]
        if keep_latest:
            columns.append(ChangeEntry.fields)
        rows = s.execute(
            select(*columns).order_by(ChangeEntry.table_name, ChangeEntry.row_id)
        ).all()
        drop: list[tuple[str, int]] = []
        top = 0
        group: list[Any] = []
        present: dict[str, set[str]] = {}

        def settle(entries: list[Any]) -> None:
            nonlocal top
            if not entries:
                return
            chosen: Iterable[Any]
            if keep_latest and entries[0].table_name:
                chosen = _superseded(entries, limits)
            else:
                chosen = _droppable(entries, limits, present, s)
            for e in chosen:
                if e.device_id == me.id and e.seq == own_last:
                    continue
                drop.append((e.device_id, e.seq))
                top = max(top, e.hlc)

        for row in rows:
            if group and (row.table_name, row.row_id) != (group[0].table_name, group[0].row_id):
                settle(group)
                group = []
            group.append(row)
        settle(group)
        for start in range(0, len(drop), 500):
            chunk = drop[start : start + 500]
            for device in {d for d, _seq in chunk}:
                s.execute(
                    delete(ChangeEntry).where(
                        ChangeEntry.device_id == device,
                        ChangeEntry.seq.in_([q for d, q in chunk if d == device]),
                    )
                )
        if drop and not keep_latest:  # the office's log still knows every field's clock
            state.save(s, floor=max(state.floor(s), top))
        if drop:
            s.execute(
                update(SyncDevice)
                .where(SyncDevice.id == me.id)
                .values(last_hlc=max(me.last_hlc, top))
            )
        db.changes.forget()
    if vacuum and drop and db.is_file:
        vacuum_file(db)
    return CompactionResult(before, len(drop))


def _droppable(
    entries: list[Any], limits: dict[str, int], present: dict[str, set[str]], s: Any
) -> Iterable[Any]:
    """The entries of one row (or the markers, table "") that can go."""
    tname = entries[0].table_name
    if tname and any(e.seq > limits.get(e.device_id, 0) for e in entries):
        return []  # the row is still moving: compacted another time
    if not tname:  # markers: each device's last, and the last acknowledged, stay
        by_device: dict[str, list[Any]] = {}
        for e in entries:
            by_device.setdefault(e.device_id, []).append(e)
        out = []
        for device, items in by_device.items():
            limit = limits.get(device, 0)
            acked = sorted((e for e in items if e.seq <= limit), key=lambda e: e.seq)
            last = max(e.seq for e in items)
            out += [e for e in acked[:-1] if e.seq != last]
        return out
    if tname not in changelog.SYNCED_TABLES:
        return []
    here = _present(tname, present, s)
    exists = entries[0].row_id in here
    if exists:
        # Protection entries stay; a mark's or a link's removal made before it came back goes.
        return [e for e in entries if not e.protect and not _tombstone(tname, e.op)]
    if tname in changelog.REVIVABLE or tname in _LINKS:
        latest = max(entries, key=lambda e: (e.protect, e.hlc, e.device_id, e.seq))
        if latest.op != "delete":
            return []
        return [e for e in entries if e is not latest]
    if any(_tombstone(tname, e.op) for e in entries):
        return [e for e in entries if not e.protect and e.op != "delete"]
    return []


def _superseded(entries: list[Any], limits: dict[str, int]) -> list[Any]:
    """The office's own log: of one row's entries, the acknowledged ordinary edits whose every
    field a later change of the row sets again. Each field's latest change stays, with every
    insertion, deletion and data-protection entry: a device joining from the office still gets
    the whole record, and the merge still knows each field's clock."""
    if entries[0].table_name not in changelog.SYNCED_TABLES or entries[0].table_name in _LINKS:
        return []
    clocks = [(e.protect, e.hlc, e.device_id, e.seq) for e in entries]
    fields = [set(json.loads(e.fields)) for e in entries]
    out = []
    for i, e in enumerate(entries):
        if e.op != "update" or e.protect or e.seq > limits.get(e.device_id, 0) or not fields[i]:
            continue
        later: set[str] = set()
        for j, clock in enumerate(clocks):
            if clock > clocks[i]:
                later |= fields[j]
        if fields[i] <= later:
            out.append(e)
    return out


def _tombstone(tname: str, op: str) -> bool:
    return op == "delete" and tname not in changelog.REVIVABLE and tname not in _LINKS


def _present(tname: str, cache: dict[str, set[str]], s: Any) -> set[str]:
    found = cache.get(tname)
    if found is None:
        t = changelog.table(tname)
        if changelog.is_link(t):
            found = {
                changelog.row_key(t, dict(r._mapping)) for r in s.connection().execute(select(t))
            }
        else:
            found = {str(r[0]) for r in s.connection().execute(select(t.c.id))}
        cache[tname] = found
    return found


def vacuum_file(db: Database) -> None:
    """Give the freed pages back to the file system (outside Teixit's connections, which begin
    a transaction at once)."""
    import sqlite3

    db.engine.dispose()
    con = sqlite3.connect(db.path, isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("VACUUM")
    finally:
        con.close()


# ---- moving to a new sync folder -------------------------------------------------------------


def carry_over(db: Database) -> int:
    """What a device joining through a new sync folder needs and compaction removed from this
    log: one entry of this device per record for the fields the log no longer knows (their
    values here, at the compaction's clock, so any later change wins them), and a marker in
    place of each of this device's own entries removed (so the others' cursors for it move on).
    Written once, before this device's first files in the new folder; returns how many."""
    with db.begin() as s:
        me = self_row(s)
        floor = state.floor(s)
        if me is None or not floor:
            return 0
        changelog.settle(s.connection())
        log = changelog.LOG_TABLE
        known: dict[tuple[str, str], set[str]] = {}
        inserted: set[tuple[str, str]] = set()
        for row in s.execute(
            select(log.c.table_name, log.c.row_id, log.c.op, log.c.fields).where(
                log.c.table_name != ""
            )
        ):
            key = (row.table_name, row.row_id)
            known.setdefault(key, set()).update(json.loads(row.fields))
            if row.op == "insert":
                inserted.add(key)
        seq = changelog.next_seq(s, me.id)
        have = set(s.scalars(select(ChangeEntry.seq).where(ChangeEntry.device_id == me.id)))
        out: list[dict[str, Any]] = [
            {
                "device_id": me.id,
                "seq": gap,
                "hlc": floor,
                "table_name": "",
                "row_id": "",
                "op": changelog.SEEN,
                "fields": changelog.dumps({}),
                "protect": False,
            }
            for gap in range(1, seq)
            if gap not in have
        ]
        for name in changelog.SYNCED_TABLES:
            t = changelog.table(name)
            for row in s.connection().execute(select(t)):
                values = dict(row._mapping)
                key = (name, changelog.row_key(t, values))
                fields = changelog.encode_fields(t, values)
                # Only what the log no longer knows: a field it knows travels by its own entry.
                missing = {k: v for k, v in fields.items() if k not in known.get(key, set())}
                if not missing:
                    continue
                out.append(
                    {
                        "device_id": me.id,
                        "seq": seq,
                        "hlc": floor,
                        "table_name": name,
                        "row_id": key[1],
                        "op": "update" if key in inserted else "insert",
                        "fields": changelog.dumps(missing),
                        "protect": changelog.is_protective(name, "insert", fields, values),
                    }
                )
                seq += 1
        for start in range(0, len(out), 1000):
            changelog.write_rows(s.connection(), out[start : start + 1000])
    db.changes.forget()
    return len(out)
