"""Sync through a folder (a shared drive, a cloud-synced folder, a USB stick).

Each device writes only its own change files, ``DIR/teixit-sync/<device id>/<last seq>.tchg``,
never touching another device's: numbered, append-only, each written to a temporary file,
flushed to disk and then renamed, so a reader sees a whole file or none. A file holds the
device's changes after the previous file's, encrypted with the team's key (AES-GCM; the header
naming the device, the schema and the sequence range is authenticated with it). The other
devices' files are read and merged one file per transaction, so an interrupted sync resumes
where it stopped; entries already applied are skipped (idempotent).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import changelog, schema
from app.db.engine import Database
from app.db.models import ChangeEntry, SyncDevice
from app.errors import UserError
from app.i18n import _
from app.sync import bulk
from app.sync.device import RENAME as device_rename
from app.sync.device import learn_names, self_row, team_key, team_keys
from app.sync.merge import Entry, Merger, MergeSummary, entry_from_row

if TYPE_CHECKING:
    from app.sync.compaction import CompactionResult

MAGIC = b"TEIXIT-SYNC-1\n"
SUBFOLDER = "teixit-sync"
SUFFIX = ".tchg"
#: Entries per change file (a week's work is one or two files).
FILE_ENTRIES = 5000
#: Entries merged per transaction.
APPLY_BATCH = 5000


@dataclass
class FolderSummary:
    """What a sync did (through a folder or with the office database)."""

    sent: int
    merge: MergeSummary
    files_read: int
    #: Stopped by Cancel between two transactions (what was finished is kept).
    cancelled: bool = False
    #: Records this device changed that the office login may not change (not sent), in which
    #: tables, and the login's role.
    withheld: int = 0
    withheld_tables: tuple[str, ...] = ()
    role: str = ""
    #: What the compaction after the sync removed (with the office database).
    compacted: CompactionResult | None = None

    def describe(self) -> str:
        """What the sync did ("12 changes sent, 40 received, 1 conflict"), what an office
        login may not send, whether it was stopped, and what was renumbered or looks like the
        same person typed twice."""
        from app.domain.sync import SyncResult

        m = self.merge
        text = SyncResult(
            self.sent,
            m.received,
            m.conflicts,
            m.renumbered,
            m.duplicates,
            m.held,
            self.withheld,
            tuple(table_label(t) for t in self.withheld_tables),
            self.role,
        ).describe()
        if self.cancelled:
            text += "\n" + _(
                "The sync was stopped before the end; what it finished is kept, and the next "
                "sync completes it."
            )
        return text


# ---- files ----------------------------------------------------------------------------------


def encrypt(key: bytes, header: dict[str, Any], payload: dict[str, Any]) -> bytes:
    head = json.dumps(header, sort_keys=True).encode("utf-8")
    nonce = secrets.token_bytes(12)
    body = zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    sealed = AESGCM(key).encrypt(nonce, body, MAGIC + head)
    return MAGIC + head + b"\n" + nonce + sealed


def read_header(data: bytes, path: Path) -> tuple[dict[str, Any], bytes, bytes]:
    if not data.startswith(MAGIC) or b"\n" not in data[len(MAGIC) :]:
        raise UserError(_("{file} is not a Teixit sync file.").format(file=path))
    rest = data[len(MAGIC) :]
    head, _sep, sealed = rest.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        raise UserError(_("{file} is not a Teixit sync file.").format(file=path)) from None
    return header, head, sealed


def decrypt(
    key: bytes | list[bytes], data: bytes, path: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A change file's header and payload, with the team's key (or the first of ``key`` that
    opens it: the team's earlier keys read the files written before the key changed)."""
    header, head, sealed = read_header(data, path)
    check_schema(header, path)
    for one in [key] if isinstance(key, bytes) else key:
        try:
            body = AESGCM(one).decrypt(sealed[:12], sealed[12:], MAGIC + head)
        except InvalidTag:
            continue
        return header, json.loads(zlib.decompress(body))
    raise UserError(
        _(
            "The sync file {file} cannot be read with this device's key: it was written "
            "with another team's key, or it is damaged. Pair this device again with the "
            "code of the team's key."
        ).format(file=path)
    )


def check_schema(header: dict[str, Any], path: Path) -> None:
    """Devices with different schema versions do not sync: say which one to update."""
    theirs = str(header.get("schema", ""))
    if theirs == schema.HEAD:
        return
    name = str(header.get("name") or header.get("device") or path.parent.name)
    if theirs in schema.REVISIONS:
        raise UserError(
            _(
                "The device “{device}” has an older version of Teixit than this one. Update "
                "Teixit on “{device}” and sync there first; nothing was changed here."
            ).format(device=name)
        )
    raise UserError(
        _(
            "The device “{device}” has a newer version of Teixit than this one. Update Teixit "
            "on this computer to sync with it; nothing was changed here."
        ).format(device=name)
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, flushed to disk, renamed: whole or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _last_seq(path: Path) -> int:
    try:
        return int(path.name[: -len(SUFFIX)])
    except ValueError:
        return -1


def device_files(folder: Path) -> list[Path]:
    """A device's change files, in order."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.name.endswith(SUFFIX) and _last_seq(p) >= 0]
    return sorted(files, key=_last_seq)


# ---- sync -----------------------------------------------------------------------------------


def _root(directory: Path) -> Path:
    if not directory.is_dir():
        raise UserError(
            _("The sync folder {folder} does not exist or is not reachable.").format(
                folder=directory
            )
        )
    root = directory / SUBFOLDER
    try:
        root.mkdir(exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("Teixit cannot write in the sync folder {folder} ({reason}).").format(
                folder=directory, reason=exc.strerror or exc
            )
        ) from exc
    return root


def table_label(name: str) -> str:
    """A synced table as people call it (those an educator's login may not change)."""
    labels = {
        "entity_profile": _("the entity's profile"),
        "funder": _("funders"),
        "programme_category": _("programme categories"),
        "local_day": _("local holidays and school breaks"),
    }
    return labels.get(name, name)


def merge_into(
    db: Database,
    entries: list[Entry],
    names: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    first: bool = False,
) -> tuple[MergeSummary, bool]:
    """Apply other devices' ``entries`` to ``db`` in clock order (a record before the marks
    made on it, whoever made each), a few thousand per transaction, so an interrupted sync
    keeps what it finished. ``first``: a new device's replica, in bulk (one transaction) when
    the merge needs no judgement. Returns the summary and whether it ran to the end (False:
    cancelled between two transactions)."""
    total = MergeSummary()
    entries = sorted(entries, key=lambda e: (e.hlc, e.device, e.seq))
    if first and db.is_file and entries:
        try:
            with db.begin() as s:
                total.add(bulk.apply_in_bulk(s, entries, progress))
                _name_peers(s, names)
        except bulk.NotInBulk:
            pass  # the merge decides, a batch at a time
        else:
            entries = []
    done = 0
    for start in range(0, len(entries), APPLY_BATCH):
        if cancel is not None and cancel():
            return total, False
        chunk = entries[start : start + APPLY_BATCH]
        with db.begin() as s:
            total.add(Merger(s).apply(chunk))
            _name_peers(s, names)
        done += len(chunk)
        if progress is not None:
            progress(done, len(entries))
    renamed = {e.device for e in entries if e.op == device_rename}
    if renamed:
        with db.begin() as s:
            learn_names(s, renamed)
    if total.received:  # markers alone bring no knowledge worth a marker of its own
        with db.begin() as s:
            peers = {
                d.id: d.applied_seq
                for d in s.scalars(select(SyncDevice).where(SyncDevice.is_self.is_(False)))
            }
            changelog.note_seen(s, peers)
    return total, True


def _name_peers(s: Session, names: dict[str, str] | None) -> None:
    for device_id, name in (names or {}).items():
        peer = s.get(SyncDevice, device_id)
        if peer is not None and not peer.is_self and not peer.name and name:
            peer.name = name


def receive(
    db: Database,
    root: Path,
    me: str,
    key: bytes,
    first: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[MergeSummary, int]:
    """Merge every other device's changes not applied yet: all their new files together."""
    read = 0
    entries: list[Entry] = []
    names: dict[str, str] = {}
    with db.read() as s:
        keys = [key, *(k for k in team_keys(s) if k != key)]
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != me):
        with db.read() as s:
            peer = s.get(SyncDevice, folder.name)
            cursor = peer.applied_seq if peer is not None else 0
        for path in device_files(folder):
            if _last_seq(path) <= cursor:
                continue
            header, payload = decrypt(keys, path.read_bytes(), path)
            if header.get("device") != folder.name:
                continue  # a file copied into the wrong folder: not this device's
            names[folder.name] = str(header.get("name", ""))
            entries.extend(e for e in file_entries(folder.name, payload) if e.seq > cursor)
            read += 1
    total, _complete = merge_into(db, entries, names, progress, cancel, first)
    return total, read


def file_entries(device: str, payload: dict[str, Any]) -> list[Entry]:
    """A file's entries, each with what its device had applied when it wrote it (the header's
    ``seen``, then each marker entry's)."""
    seen = {str(k): int(v) for k, v in payload.get("seen", {}).items()}
    out = []
    for item in payload["entries"]:
        entry = Entry.from_json(device, item, seen)
        if entry.op == changelog.SEEN:
            seen = {str(k): int(v) for k, v in entry.fields.items()}
        out.append(entry)
    return out


def send(db: Database, root: Path, key: bytes) -> int:
    """Write this device's changes not in the folder yet; returns how many."""
    with db.read() as s:
        me = self_row(s)
        assert me is not None
        own = root / me.id
        own.mkdir(exist_ok=True)
        for stale in own.glob(".*.tmp"):  # left by an interrupted sync
            stale.unlink(missing_ok=True)
        files = device_files(own)
        written = _last_seq(files[-1]) if files else 0
        marker = s.scalar(
            select(ChangeEntry.fields)
            .where(
                ChangeEntry.device_id == me.id,
                ChangeEntry.op == changelog.SEEN,
                ChangeEntry.seq <= written,
            )
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        )
        seen: dict[str, int] = json.loads(marker) if marker else {}
        rows = s.scalars(
            select(ChangeEntry)
            .where(ChangeEntry.device_id == me.id, ChangeEntry.seq > written)
            .order_by(ChangeEntry.seq)
        ).all()
        entries = [entry_from_row(r) for r in changelog.unpacked(rows, written)]
        name = me.name
        device = me.id
    sent = 0
    for start in range(0, len(entries), FILE_ENTRIES):
        chunk = entries[start : start + FILE_ENTRIES]
        last = chunk[-1].seq
        header = {
            "device": device,
            "name": name,
            "schema": schema.HEAD,
            "first": chunk[0].seq,
            "last": last,
        }
        payload = {"seen": seen, "entries": [e.as_json() for e in chunk]}
        for e in chunk:
            if e.op == changelog.SEEN:
                seen = dict(e.fields)
        write_atomic(own / f"{last:010d}{SUFFIX}", encrypt(key, header, payload))
        sent += len(chunk)
    return sent


def sync_folder(
    db: Database,
    directory: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    first: bool = False,
) -> FolderSummary:
    """Receive the other devices' changes, then send this device's."""
    root = _root(Path(directory))
    with db.read() as s:
        key = team_key(s)
        me = self_row(s)
        assert me is not None
        me_id = me.id
    merge, read = receive(db, root, me_id, key, first, progress, cancel)
    sent = send(db, root, key)
    return FolderSummary(sent, merge, read)


def join_folder(
    db: Database,
    directory: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> FolderSummary:
    """A new device's full replica: only into a database with no records yet."""
    with db.read() as s:
        holds = any(
            s.execute(select(changelog.table(name)).limit(1)).first()
            for name in changelog.SYNCED_TABLES
            if name != "programme_category"  # the default categories every database has
        )
    if holds:
        raise UserError(
            _(
                "This database already holds records, so it cannot join as a new device. "
                "Use teixit sync --folder DIR to merge it with the team instead."
            )
        )
    return sync_folder(db, directory, progress, cancel, first=True)
