"""Sync with the office database (PostgreSQL): the office is the hub of the team.

The office database keeps a change log too, under a device identity of its own (given at the
first sync; every office PC's writes are logged under it). A laptop with its SQLite replica
sends the changes the office lacks (its own, and any other device's it holds: those of each
device after the office's cursor for that device) and receives what it lacks (every device's
changes after its own cursor for each), through the merge of app/sync/merge.py on each side, a
few thousand changes per transaction: an interrupted sync keeps what it finished and the next
one completes the rest, and changes applied already are skipped.

The office database's roles hold: the laptop sends only changes to tables its login may write
(an educator's laptop never sends a change to the funders or the entity's settings; they stay
on the laptop, said in one sentence, until a coordinator's login syncs it). A viewer's login
may not read the people, so it does not sync.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import URL, delete, select, text
from sqlalchemy.orm import Session

from app.db import changelog, schema
from app.db.base import utcnow
from app.db.engine import (
    Database,
    NewerDatabase,
    OfficeDatabaseError,
    display_address,
    make_office_engine,
    office_revision,
    office_url,
    open_url,
    unreachable,
)
from app.db.models import Setting, SyncDevice
from app.db.office import COORDINATOR, EDUCATOR, VIEWER
from app.domain.sync import FOLDER, OFFICE
from app.errors import UserError
from app.i18n import _
from app.sync import compaction, device, joining, state
from app.sync.folder import FolderSummary, merge_into
from app.sync.joining import JoinCancelled, holds_records
from app.sync.merge import Entry, entry_from_row

#: The per-device setting that remembers the office sync (address, never the password; last
#: sync; minutes between automatic syncs).
SETTING_KEY = "sync.office"
#: Minutes between automatic syncs while the office database is reachable.
DEFAULT_INTERVAL_MINUTES = 5

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

#: The tables a sync writes on the office besides the data: a login that may not write them
#: may not sync.
_SYNC_TABLES = ("change_log", "sync_device", "sync_conflict")


class OfficeSyncRefused(UserError):
    """The office database cannot sync with this device (its version, or the login's role)."""


# ---- opening the office ----------------------------------------------------------------------


def open_office(address: str | URL) -> Database:
    """The office database, after checking it has this version's schema: a difference says
    which side to update, and nothing is changed."""
    url = office_url(address)
    shown = display_address(url)
    engine = make_office_engine(url)
    try:
        revision = office_revision(engine)
    except OfficeDatabaseError:
        raise
    except Exception as exc:  # the server cannot be reached, or refused the login
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            raise unreachable(shown, exc) from None
        raise
    finally:
        engine.dispose()
    if revision is None:
        raise OfficeSyncRefused(
            _(
                "The office database {address} has no Teixit data yet. A coordinator prepares "
                "it first with: teixit office init --database ADDRESS"
            ).format(address=shown)
        )
    if revision != schema.HEAD:
        if revision in schema.REVISIONS:
            raise OfficeSyncRefused(
                _(
                    "The office database {address} has an older version of Teixit than this "
                    "computer. Upgrade the office database first (teixit office upgrade "
                    "--database ADDRESS, by the person who installed it); nothing was changed."
                ).format(address=shown)
            )
        raise OfficeSyncRefused(
            _(
                "The office database {address} has a newer version of Teixit than this "
                "computer. Update Teixit on this computer to sync with it; nothing was changed."
            ).format(address=shown)
        )
    try:
        return open_url(url)
    except NewerDatabase:  # upgraded between the two looks
        raise OfficeSyncRefused(
            _(
                "The office database {address} has a newer version of Teixit than this "
                "computer. Update Teixit on this computer to sync with it; nothing was changed."
            ).format(address=shown)
        ) from None


def _role(s: Session) -> str:
    for group, name in ((COORDINATOR, "coordinator"), (EDUCATOR, "educator"), (VIEWER, "viewer")):
        member = s.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :g) "
                "AND pg_has_role(current_user, :g, 'MEMBER')"
            ),
            {"g": group},
        ).scalar()
        if member:
            return name
    return "coordinator"  # the administrator, or a database without Teixit's roles


def _role_label(role: str) -> str:
    return {
        "coordinator": _("coordinator"),
        "educator": _("educator"),
        "viewer": _("viewer"),
    }.get(role, role)


def writable_tables(s: Session) -> set[str]:
    """The synced tables this login may insert into, change and delete from."""
    if s.get_bind().dialect.name == "sqlite":
        return set(changelog.SYNCED_TABLES)
    found = s.execute(
        text(
            "SELECT t FROM unnest(CAST(:names AS text[])) AS t WHERE "
            "has_table_privilege(t, 'INSERT') AND has_table_privilege(t, 'UPDATE') "
            "AND has_table_privilege(t, 'DELETE')"
        ),
        {"names": [*changelog.SYNCED_TABLES, *_SYNC_TABLES]},
    ).scalars()
    return set(found)


def _may_sync(s: Session) -> set[str]:
    """The tables the login may write; a login that may not read the log or write it (a
    viewer) is refused in one sentence."""
    writable = writable_tables(s)
    readable = s.execute(text("SELECT has_table_privilege('change_log', 'SELECT')")).scalar()
    if not readable or not set(_SYNC_TABLES) <= writable:
        raise OfficeSyncRefused(
            _(
                "Your login to the office database ({role}) may not read or change people's "
                "data, so this computer cannot sync with it: sync with an educator's or a "
                "coordinator's login. Nothing was changed."
            ).format(role=_role_label(_role(s)))
        )
    return writable


# ---- what one side holds and the other lacks --------------------------------------------------


def cursors(s: Session) -> tuple[str | None, dict[str, int]]:
    """This database's own device id and, for every other device, how far its changes have
    been applied here."""
    own: str | None = None
    out: dict[str, int] = {}
    for row in s.execute(select(SyncDevice.id, SyncDevice.is_self, SyncDevice.applied_seq)):
        if row.is_self:
            own = row.id
        else:
            out[row.id] = int(row.applied_seq or 0)
    return own, out


def entries_after(s: Session, theirs: Mapping[str, int], skip: Iterable[str]) -> list[Entry]:
    """The entries of this database's log after the other side's cursor of each device (but
    the devices in ``skip``: the other side's own), each with what its device had applied when
    it wrote it (its latest marker before it)."""
    skipped = set(skip)
    devices = [d for d in s.scalars(select(SyncDevice.id)) if d not in skipped]
    log = changelog.LOG_TABLE
    out: list[Entry] = []
    for device_id in sorted(devices):
        after = int(theirs.get(device_id, 0))
        marker = s.execute(
            select(log.c.fields)
            .where(
                log.c.device_id == device_id,
                log.c.op == changelog.SEEN,
                log.c.seq <= after,
            )
            .order_by(log.c.seq.desc())
            .limit(1)
        ).scalar()
        seen: dict[str, int] = json.loads(marker) if marker else {}
        rows = s.execute(
            select(log).where(log.c.device_id == device_id, log.c.seq > after).order_by(log.c.seq)
        )
        for row in changelog.unpacked(rows, after):
            entry = entry_from_row(row, seen)
            if entry.op == changelog.SEEN:
                seen = {str(k): int(v) for k, v in entry.fields.items()}
            out.append(entry)
    return out


def hub_record(s: Session) -> compaction.Hub | None:
    """The office's own record of how far it has applied each device's changes (its own: up
    to its last), as compaction counts them when the office is the hub."""
    own, applied = cursors(s)
    if own is None:
        return None
    return compaction.Hub(own, {**applied, own: changelog.next_seq(s, own) - 1})


def _record_here(db: Database, hub: Database) -> compaction.Hub | None:
    """The office's record, for compacting this device's log, when this device has every
    change the office itself made before it (but markers); otherwise None: a change the office
    made during this sync, not received yet, may be older than what compaction would remove
    (through a folder, a device's note of what it applied comes after its own changes), and
    the next sync compacts."""
    with db.read() as s:
        _own, mine = cursors(s)
    with hub.read() as s:
        record = hub_record(s)  # read first: the entries read next hold all it counts
        if record is None:
            return None
        _office, others = cursors(s)
        unseen = entries_after(s, {record.device: mine.get(record.device, 0)}, set(others))
    if any(e.op != changelog.SEEN for e in unseen):
        return None
    return record


def _catch_up(db: Database, office: compaction.Hub) -> None:
    """After receiving everything the office held, nothing held back: this device's cursors
    move up to the office's own (read before the entries were). The office's log may lack
    some changes below them (compacted once every device had applied them: see
    ``compact_office``), which this device then never waits for."""
    with db.begin() as s:
        moved = False
        for peer in s.scalars(select(SyncDevice).where(SyncDevice.is_self.is_(False))):
            theirs = int(office.applied.get(peer.id, 0))
            if theirs > int(peer.applied_seq or 0):
                peer.applied_seq = theirs
                moved = True
        if moved:
            s.flush()
            peers = {
                d.id: d.applied_seq
                for d in s.scalars(select(SyncDevice).where(SyncDevice.is_self.is_(False)))
            }
            changelog.note_seen(s, peers)
    db.changes.forget()


def _names(s: Session) -> dict[str, str]:
    return {row.id: row.name for row in s.execute(select(SyncDevice.id, SyncDevice.name))}


# ---- the sync -------------------------------------------------------------------------------


def _office_name(url: URL) -> str:
    return f"{url.host or 'localhost'}/{url.database or ''}"


def _local_identity(db: Database, joining: bool) -> str:
    """This device's identity. A new device joining gets one with no baseline, and leaves the
    default programme categories and the entity's details (from the welcome) to the office's
    own (it holds nothing else)."""
    with db.begin() as s:
        me = device.self_row(s)
        if me is not None:
            return me.id
        if joining:
            import platform
            import uuid

            me = SyncDevice(
                id=str(uuid.uuid4()),
                name=platform.node() or "Teixit",
                is_self=True,
                last_hlc=0,
                applied_seq=0,
                schema_revision=schema.HEAD,
            )
            s.add(me)
            s.execute(delete(changelog.table("programme_category")))
            s.execute(delete(changelog.table("entity_profile")))
            db.changes.forget()
            return me.id
    return device.enable(db).id


def sync_office(
    db: Database,
    office: str | URL,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    join: bool = False,
    compact: bool = False,
) -> FolderSummary:
    """Receive what the office database holds and this device lacks, then send what the office
    lacks. ``office``: its address (a URL with the password, or one the keyring completes).
    ``progress(done, total)`` is called as changes are applied; ``cancel()`` true stops between
    two transactions (what was finished is kept; the next sync completes it). A join cancelled
    (``JoinCancelled``) leaves this database as it was before. ``compact``: after a whole sync,
    the change-log entries every device has applied are removed (``compaction``, by the
    office's record)."""
    url = office_url(office)
    # The entity's details typed at the welcome do not count: the office's replace them.
    if join and holds_records(db):
        raise UserError(
            _(
                "This database already holds records, so it cannot join as a new "
                "device. Use teixit sync --database ADDRESS to merge it with the "
                "office instead."
            )
        )
    hub = open_office(url)
    before = joining.take(db) if join else None
    try:
        with hub.read() as s:
            writable = _may_sync(s)
            role = _role(s)
        local_id = _local_identity(db, join)
        office_info = device.info(hub) or device.enable(hub, _office_name(url))
        office_id = office_info.id
        # Receive: every device's changes after this device's cursor of each.
        with db.read() as s:
            _own, mine = cursors(s)
        with hub.read() as s:
            had = hub_record(s)  # read first: the entries read next hold all it counts
            incoming = entries_after(s, mine, {local_id})
            names = _names(s)

        def step(done: int, total: int) -> None:
            if before is not None and cancel is not None and cancel():
                raise JoinCancelled  # in the middle of the replica's one transaction
            if progress is not None:
                progress(done, total)

        try:
            merge, complete = merge_into(db, incoming, names, step, cancel, first=join)
            if before is not None and (not complete or (cancel is not None and cancel())):
                raise JoinCancelled
        except JoinCancelled:
            assert before is not None
            joining.put_back(db, before)
            raise
        if complete and had is not None and not merge.held:
            _catch_up(db, had)
        sent = 0
        withheld: list[Entry] = []
        compacted: compaction.CompactionResult | None = None
        if join:
            cancel = None  # the replica is whole: what little it sends is sent
        if complete and not (cancel is not None and cancel()):
            with hub.read() as s:
                _office_own, theirs = cursors(s)
            # What was held back before and this login may write now goes as new changes.
            _send_held(db, writable)
            with db.read() as s:
                outgoing = entries_after(s, theirs, {office_id})
                local_names = _names(s)
            allowed = [e for e in outgoing if not e.table or e.table in writable]
            held = [e for e in outgoing if e.table and e.table not in writable]
            # Held back: kept on this device first, then a marker takes each one's place in the
            # office's log, so the office's cursor for its device moves past it (the changes
            # after it are acknowledged, never sent again).
            _hold(db, held)
            markers = [_marker(e) for e in held]
            sent_merge, complete = merge_into(hub, allowed + markers, local_names, None, cancel)
            sent = sent_merge.received
            withheld = held_back(db)
            if complete and compact:
                record = _record_here(db, hub)
                if record is not None:
                    compacted = compaction.compact(db, hub=record)
        _remember(db, url, complete)
    finally:
        hub.close()
    summary = FolderSummary(sent, merge, 0)
    summary.cancelled = not complete
    summary.compacted = compacted
    if withheld:
        summary.withheld = len({(e.table, e.row_id) for e in withheld})
        summary.withheld_tables = tuple(sorted({e.table for e in withheld}))
        summary.role = _role_label(role)
    return summary


def join_office(
    db: Database,
    office: str | URL,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> FolderSummary:
    """A new device's full replica from the office database: only into a database with no
    records yet."""
    return sync_office(db, office, progress, cancel, join=True)


def compact_office(db: Database) -> compaction.CompactionResult:
    """The office database's own change log, run on it (after the day's backup, or with
    ``teixit --database ADDRESS sync --compact``): of what every device has applied, the
    changes set again later and the old markers go; each field's latest change stays, with
    every insertion, deletion and data-protection change, so a device joining from the office
    still gets the whole data."""
    with db.read() as s:
        record = hub_record(s)
    if record is None:
        return compaction.CompactionResult(0, 0)
    return compaction.compact(db, hub=record, keep_latest=True)


# ---- changes held back (the login may not write their tables) -----------------------------------

#: Where this device keeps the changes held back, in its own settings (never synced).
HELD_KEY = "sync.office.held"


def _marker(e: Entry) -> Entry:
    """What takes a held change's place in the office's log: a note of what its device had
    applied when it wrote it (true as it was, so it changes nothing anywhere)."""
    return Entry(e.device, e.seq, e.hlc, "", "", changelog.SEEN, dict(e.seen), False, e.seen)


def _held_rows(s: Session) -> list[list[Any]]:
    row = s.scalar(select(Setting).where(Setting.key == HELD_KEY))
    return list(row.value) if row is not None and isinstance(row.value, list) else []


def _save_held(s: Session, rows: list[list[Any]]) -> None:
    row = s.scalar(select(Setting).where(Setting.key == HELD_KEY))
    if row is None:
        s.add(Setting(key=HELD_KEY, value=rows))
    else:
        row.value = rows


def _hold(db: Database, entries: list[Entry]) -> None:
    """Keep the changes held back (each once), whole: compaction may remove them from the log
    once the office's cursor is past them."""
    if not entries:
        return
    with db.begin() as s:
        rows = _held_rows(s)
        kept = {(r[0], int(r[1])) for r in rows}
        for e in entries:
            if (e.device, e.seq) not in kept:
                rows.append([e.device, *e.as_json()])
                kept.add((e.device, e.seq))
        _save_held(s, rows)


def held_back(db: Database) -> list[Entry]:
    """The changes this device holds back from the office (its login may not write them)."""
    with db.read() as s:
        rows = _held_rows(s)
    return [Entry.from_json(r[0], r[1:], {}) for r in rows]


def _send_held(db: Database, writable: set[str]) -> None:
    """The held changes this login may write, logged again as this device's new changes (same
    time, same values), so they travel to the office and on to every device; the rest stay
    held."""
    with db.begin() as s:
        rows = _held_rows(s)
        now = [r for r in rows if r[3] in writable]
        if not now:
            return
        me = device.self_row(s)
        assert me is not None
        seq = changelog.next_seq(s, me.id)
        fresh = []
        for r in sorted(now, key=lambda r: (int(r[2]), r[0], int(r[1]))):
            e = Entry.from_json(r[0], r[1:], {})
            fresh.append(Entry(me.id, seq, e.hlc, e.table, e.row_id, e.op, e.fields, e.protect))
            seq += 1
        changelog.write_rows(s.connection(), [e.as_row() for e in fresh])
        _save_held(s, [r for r in rows if r[3] not in writable])
    db.changes.forget()


# ---- automatic sync ---------------------------------------------------------------------------


def _setting(s: Session) -> dict[str, Any]:
    row = s.scalar(select(Setting).where(Setting.key == SETTING_KEY))
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def _remember(db: Database, url: URL, complete: bool) -> None:
    """The office's address (never the password) and, after a whole sync, when it ended."""
    with db.begin() as s:
        row = s.scalar(select(Setting).where(Setting.key == SETTING_KEY))
        value = _setting(s)
        value["address"] = display_address(url)
        if complete:
            value["last"] = utcnow().isoformat(timespec="seconds")
            me = device.self_row(s)
            if me is not None:  # this device's changes the office has (for the status bar)
                value["sent"] = changelog.next_seq(s, me.id) - 1
        if row is None:
            s.add(Setting(key=SETTING_KEY, value=value))
        else:
            row.value = value


def check_login(office: str | URL) -> None:
    """The office database can be synced with by this login (reached, the same version, a
    role that may sync); nothing is changed on either side."""
    hub = open_office(office)
    try:
        with hub.read() as s:
            _may_sync(s)
    finally:
        hub.close()


def choose_office(db: Database, office: str | URL) -> None:
    """The office database this device syncs with from now on (its address, never the
    password)."""
    _remember(db, office_url(office), False)


def sync_interval_minutes(db: Database) -> int:
    return int(sync_interval(db).total_seconds() // 60)


def sent_seq(db: Database) -> int:
    """The last of this device's changes the office had at the end of the last whole sync."""
    with db.read() as s:
        return int(_setting(s).get("sent", 0) or 0)


def office_address(db: Database) -> str | None:
    """The office database this device last synced with (no password), if any."""
    with db.read() as s:
        address = _setting(s).get("address")
    return str(address) if address else None


def way(kept: Mapping[str, Any], address: str | None) -> str:
    """How this device syncs (``FOLDER`` or ``OFFICE``), from its sync settings (``kept``,
    ``state.load``) and the office it last synced with: its choice, else the office if it has
    one and no folder."""
    chosen = kept.get("via")
    if chosen:
        return str(chosen)
    return OFFICE if address and not kept.get("folder") else FOLDER


def chosen_office(db: Database) -> str | None:
    """The office database's address when this device syncs with it, else None."""
    address = office_address(db)
    if not address:
        return None
    with db.read() as s:
        kept = state.load(s)
    return address if way(kept, address) == OFFICE else None


def last_sync(db: Database) -> dt.datetime | None:
    """When the last whole sync with the office ended (naive UTC)."""
    with db.read() as s:
        last = _setting(s).get("last")
    return dt.datetime.fromisoformat(last) if last else None


def sync_interval(db: Database) -> dt.timedelta:
    """The time between automatic syncs (the setting's ``interval_minutes``; 0 turns them
    off)."""
    with db.read() as s:
        minutes = _setting(s).get("interval_minutes", DEFAULT_INTERVAL_MINUTES)
    try:
        return dt.timedelta(minutes=max(0, int(minutes)))
    except (TypeError, ValueError):
        return dt.timedelta(minutes=DEFAULT_INTERVAL_MINUTES)


def set_sync_interval(db: Database, minutes: int) -> None:
    with db.begin() as s:
        row = s.scalar(select(Setting).where(Setting.key == SETTING_KEY))
        value = _setting(s)
        value["interval_minutes"] = max(0, int(minutes))
        if row is None:
            s.add(Setting(key=SETTING_KEY, value=value))
        else:
            row.value = value


def should_sync_now(
    db: Database,
    *,
    reachable: bool,
    starting: bool = False,
    now: dt.datetime | None = None,
) -> bool:
    """Whether the window syncs with the office now: at the start, and then every interval
    while the office database is reachable; never for a device that has not synced with an
    office yet (its first sync is asked for), nor with automatic syncs turned off, nor on an
    office database itself."""
    if not reachable or not db.is_file or office_address(db) is None:
        return False
    interval = sync_interval(db)
    last = last_sync(db)
    if interval <= dt.timedelta(0) or last is None:  # a first sync (joining) is asked for
        return False
    if starting:
        return True
    moment = now or utcnow()
    return moment - last >= interval
