"""Retiring a device (a lost or stolen laptop, a computer given away).

The device that retires another writes a notice in its own folder of the sync folder,
``teixit-sync/<its id>/retired-<retired id>.tret``, encrypted and authenticated with the team's
key like the change files. Every device that syncs reads the notices: the retired device is
marked retired (its past changes stay in everyone's data; it no longer holds back compaction).
The retired device itself reads its notice at its next start (or sync) and wipes its replica:
every record, the change log and its backups.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select

from app.db import changelog
from app.db.base import Base, utcnow
from app.db.engine import Database
from app.db.models import SyncDevice
from app.errors import UserError
from app.i18n import _
from app.sync import state
from app.sync.device import self_row, team_key, team_keys
from app.sync.folder import SUBFOLDER, write_atomic

MAGIC = b"TEIXIT-RETIRE-1\n"
PREFIX = "retired-"
SUFFIX = ".tret"


@dataclass(frozen=True)
class Notice:
    device: str
    device_name: str
    by: str
    by_name: str
    at: dt.datetime


def _seal(key: bytes, notice: Notice) -> bytes:
    body = json.dumps(
        {
            "device": notice.device,
            "device_name": notice.device_name,
            "by": notice.by,
            "by_name": notice.by_name,
            "at": notice.at.isoformat(),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    nonce = secrets.token_bytes(12)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, body, MAGIC)


def _open(key: bytes, data: bytes) -> Notice | None:
    if not data.startswith(MAGIC):
        return None
    rest = data[len(MAGIC) :]
    try:
        body = json.loads(AESGCM(key).decrypt(rest[:12], rest[12:], MAGIC))
        return Notice(
            str(body["device"]),
            str(body.get("device_name", "")),
            str(body["by"]),
            str(body.get("by_name", "")),
            dt.datetime.fromisoformat(body["at"]),
        )
    except (InvalidTag, ValueError, KeyError, TypeError):
        return None  # another team's notice, or a damaged one: not ours to follow


def notices(root: Path, key: bytes) -> list[Notice]:
    """Every retirement notice in the sync folder (``root`` is its ``teixit-sync``)."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.glob(f"*/{PREFIX}*{SUFFIX}")):
        try:
            notice = _open(key, path.read_bytes())
        except OSError:
            continue
        if notice is not None and notice.by == path.parent.name:
            found.append(notice)
    return found


def find_device(db: Database, name_or_id: str) -> SyncDevice:
    """A known device by its id (or the start of it) or its name."""
    wanted = name_or_id.strip()
    with db.read() as s:
        devices = list(s.scalars(select(SyncDevice)))
        s.expunge_all()
    exact = [d for d in devices if d.id == wanted or d.name == wanted]
    matches = exact or [
        d
        for d in devices
        if wanted and (d.id.startswith(wanted) or d.name.casefold() == wanted.casefold())
    ]
    if len(matches) != 1:
        known = ", ".join(f"{d.name or '?'} ({d.id[:8]})" for d in devices if not d.is_self)
        raise UserError(
            _("No single known device is “{device}”. The devices this one knows: {known}.").format(
                device=name_or_id, known=known or "—"
            )
        )
    return matches[0]


def retire(db: Database, device_id: str, directory: Path | None = None) -> Notice:
    """Mark ``device_id`` retired here and write the notice to the sync folder (this device's
    folder when none is given)."""
    with db.begin() as s:
        me = self_row(s)
        key = team_key(s)
        assert me is not None
        if device_id == me.id:
            raise UserError(
                _("A device cannot retire itself: retire it from another device of the team.")
            )
        peer = s.get(SyncDevice, device_id)
        if peer is None:
            raise UserError(_("This device does not know that device."))
        folder = directory or _folder(s)
        if folder is None:
            raise UserError(
                _(
                    "Choose the sync folder first: the retired device learns it from there "
                    "(teixit sync --retire DEVICE --folder DIR)."
                )
            )
        notice = Notice(peer.id, peer.name, me.id, me.name, utcnow())
        root = Path(folder) / SUBFOLDER
        own = root / me.id
        try:
            own.mkdir(parents=True, exist_ok=True)
            write_atomic(own / f"{PREFIX}{peer.id}{SUFFIX}", _seal(key, notice))
        except OSError as exc:
            raise UserError(
                _("Teixit cannot write in the sync folder {folder} ({reason}).").format(
                    folder=folder, reason=exc.strerror or exc
                )
            ) from exc
        peer.retired_at = notice.at
        return notice


def _folder(s: object) -> Path | None:
    value = state.load(s).get("folder")  # type: ignore[arg-type]
    return Path(value) if isinstance(value, str) and value else None


def _all_notices(root: Path, keys: list[bytes]) -> list[Notice]:
    """The notices any of the team's keys opens (written before or after the key changed)."""
    found: dict[tuple[str, str], Notice] = {}
    for key in keys:
        for notice in notices(root, key):
            found.setdefault((notice.device, notice.by), notice)
    return list(found.values())


def learn(db: Database, root: Path) -> Notice | None:
    """Mark the devices the folder's notices retire; the notice retiring this device, if any."""
    with db.begin() as s:
        me = self_row(s)
        if me is None or me.team_key is None:
            return None
        mine = None
        for notice in _all_notices(root, team_keys(s)):
            if notice.device == me.id:
                mine = notice
                continue
            peer = s.get(SyncDevice, notice.device)
            if peer is None:
                peer = SyncDevice(
                    id=notice.device,
                    name=notice.device_name,
                    is_self=False,
                    last_hlc=0,
                    applied_seq=0,
                )
                s.add(peer)
            if peer.retired_at is None:
                peer.retired_at = notice.at
        return mine


def retired_here(db: Database) -> Notice | None:
    """At start: has the team retired this device? (Read from the sync folder it chose; None
    when sync is not set up, no folder was chosen or it cannot be reached.)"""
    with db.read() as s:
        me = self_row(s)
        if me is None or me.team_key is None:
            return None
        folder = _folder(s)
        my_id, keys = me.id, team_keys(s)
    if folder is None:
        return None
    try:
        found = _all_notices(folder / SUBFOLDER, keys)
    except OSError:
        return None
    return next((n for n in found if n.device == my_id), None)


def wipe(db: Database) -> None:
    """Every row of every table, in one transaction; then the freed pages are overwritten and
    given back (VACUUM), and the backups of the replica are deleted."""
    with db.begin() as s:
        s.info[changelog.APPLYING] = True  # nothing of the wipe is logged: the log goes too
        if db.is_file:
            s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for t in reversed(Base.metadata.sorted_tables):
            s.execute(delete(t))
    if db.is_file:
        from app.sync.compaction import vacuum_file

        vacuum_file(db)
        backups = db.path.parent / "backups"
        if backups.is_dir():
            for path in backups.rglob("*"):
                if path.is_file():
                    path.unlink(missing_ok=True)


def team_key_of(db: Database) -> bytes:
    with db.read() as s:
        return team_key(s)
