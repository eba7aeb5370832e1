"""This database's identity as a device of the team (a UUID and a name, kept in the database),
the team's sync key and the pairing code that carries it to another device.

Setting up sync writes a baseline to the change log: one entry per row already kept, so a
device joining later receives everything, not only what changes from now on.
"""

from __future__ import annotations

import base64
import hashlib
import json
import platform
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import changelog, schema
from app.db.engine import Database
from app.db.models import ChangeEntry, SyncDevice
from app.domain.clock import HybridClock
from app.errors import UserError
from app.i18n import _

KEY_BYTES = 32


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    name: str
    has_key: bool


def self_row(s: Session) -> SyncDevice | None:
    return s.scalar(select(SyncDevice).where(SyncDevice.is_self.is_(True)))


def enable(db: Database, name: str = "") -> DeviceInfo:
    """Give this database its device identity (once) and write the baseline of what it holds."""
    with db.begin() as s:
        me = self_row(s)
        if me is None:
            me = SyncDevice(
                id=str(uuid.uuid4()),
                name=name or platform.node() or "Teixit",
                is_self=True,
                last_hlc=0,
                applied_seq=0,
                schema_revision=schema.HEAD,
            )
            s.add(me)
            s.flush()
            _baseline(s, me)
        db.changes.forget()
        return DeviceInfo(me.id, me.name, me.team_key is not None)


def _baseline(s: Session, me: SyncDevice) -> None:
    clock = HybridClock(me.last_hlc)
    hlc = clock.now()
    seq = changelog.next_seq(s, me.id)
    for name in changelog.SYNCED_TABLES:
        t = changelog.table(name)
        batch: list[dict[str, object]] = []
        for row in s.connection().execute(select(t)):
            values = dict(row._mapping)
            fields = changelog.encode_fields(t, values)
            batch.append(
                {
                    "device_id": me.id,
                    "seq": seq,
                    "hlc": hlc,
                    "table_name": name,
                    "row_id": changelog.row_key(t, values),
                    "op": "insert",
                    "fields": changelog.dumps(fields),
                    "protect": changelog.is_protective(name, "insert", fields, values),
                }
            )
            seq += 1
            if len(batch) >= 1000:
                s.connection().execute(changelog.LOG_TABLE.insert(), batch)
                batch = []
        if batch:
            s.connection().execute(changelog.LOG_TABLE.insert(), batch)
    s.execute(update(SyncDevice).where(SyncDevice.id == me.id).values(last_hlc=hlc))


#: A device's new name, as an entry of its change log (table ``sync_device``, applied to no
#: data): it travels with its changes, so every device shows it after its next sync.
RENAME = "rename"


def rename(db: Database, name: str) -> DeviceInfo:
    """This device's new name, here and, after their next sync, on the other devices."""
    name = name.strip()
    if not name:
        raise UserError(_("Write the device's new name."))
    if len(name) > 100:
        raise UserError(_("A device's name is at most 100 characters long."))
    with db.begin() as s:
        me = self_row(s)
        if me is None:
            raise UserError(
                _("Sync is not set up on this computer yet, so it has no device name.")
            )
        seen = s.scalar(select(func.max(ChangeEntry.hlc))) or 0
        hlc = HybridClock(max(me.last_hlc, int(seen))).now()
        changelog.write_rows(
            s.connection(),
            [
                {
                    "device_id": me.id,
                    "seq": changelog.next_seq(s, me.id),
                    "hlc": hlc,
                    "table_name": "sync_device",
                    "row_id": me.id,
                    "op": RENAME,
                    "fields": changelog.dumps({"name": name}),
                    "protect": False,
                }
            ],
        )
        me.name = name
        me.last_hlc = hlc
        info = DeviceInfo(me.id, me.name, me.team_key is not None)
    db.changes.forget()
    return info


def learn_names(s: Session, devices: set[str]) -> None:
    """The other devices' names, by the latest rename each wrote (received with their
    changes)."""
    for device_id in devices:
        peer = s.get(SyncDevice, device_id)
        if peer is None or peer.is_self:
            continue
        latest = s.scalar(
            select(ChangeEntry.fields)
            .where(ChangeEntry.device_id == device_id, ChangeEntry.op == RENAME)
            .order_by(ChangeEntry.seq.desc())
            .limit(1)
        )
        if latest is not None:
            peer.name = str(json.loads(latest).get("name") or peer.name)


def info(db: Database) -> DeviceInfo | None:
    with db.read() as s:
        me = self_row(s)
        return None if me is None else DeviceInfo(me.id, me.name, me.team_key is not None)


# ---- the team's key and pairing codes -------------------------------------------------------


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"teixit-pairing" + key).digest()[:2]


def pairing_code(key: bytes) -> str:
    """The key as a code a person can type: groups of four letters and digits."""
    raw = base64.b32encode(key + _checksum(key)).decode("ascii").rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def key_from_code(code: str) -> bytes:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    raw = raw.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        data = base64.b32decode(raw + "=" * (-len(raw) % 8))
    except ValueError:
        data = b""
    key, check = data[:KEY_BYTES], data[KEY_BYTES:]
    if len(key) != KEY_BYTES or check != _checksum(key):
        raise UserError(
            _(
                "The pairing code is not right: check it letter by letter against the one "
                "shown on the other device."
            )
        )
    return key


def create_key(db: Database, name: str = "") -> str:
    """A new team key on this device (sync set up first); returns its pairing code, shown once."""
    enable(db, name)
    with db.begin() as s:
        me = self_row(s)
        assert me is not None
        if me.team_key is not None:
            raise UserError(
                _(
                    "This device already has the team's sync key. To add another device, "
                    "pair it with the code shown when the key was created."
                )
            )
        key = secrets.token_bytes(KEY_BYTES)
        me.team_key = key
    return pairing_code(key)


def pair(db: Database, code: str, name: str = "") -> DeviceInfo:
    """Give this device the team's key (again, after the team changed it: the key it had is
    kept for reading the files written before)."""
    key = key_from_code(code)
    enable(db, name)
    with db.begin() as s:
        me = self_row(s)
        assert me is not None
        if me.team_key is not None and me.team_key != key:
            _keep_old(s, me.team_key)
        me.team_key = key
        return DeviceInfo(me.id, me.name, True)


#: Where a device keeps the team's earlier keys, in its own settings (never synced): the files
#: written before the key changed are still read with them.
_OLD_KEYS = "sync_old_keys"


def _keep_old(s: Session, key: bytes) -> None:
    from app.db.models import Setting

    row = s.scalar(select(Setting).where(Setting.key == _OLD_KEYS))
    kept = list(row.value) if row is not None and isinstance(row.value, list) else []
    if key.hex() not in kept:
        kept.append(key.hex())
    if row is None:
        s.add(Setting(key=_OLD_KEYS, value=kept))
    else:
        row.value = kept


def team_keys(s: Session) -> list[bytes]:
    """The team's key, then the earlier ones this device knew (newest last kept first)."""
    from app.db.models import Setting

    keys = [team_key(s)]
    row = s.scalar(select(Setting).where(Setting.key == _OLD_KEYS))
    for value in reversed(row.value if row is not None and isinstance(row.value, list) else []):
        old = bytes.fromhex(str(value))
        if old not in keys:
            keys.append(old)
    return keys


def new_key(db: Database) -> str:
    """A new team key, after a device was retired: its pairing code, to show once. What this
    device writes from now on cannot be read with the old key (the retired device has it); the
    other devices pair again with the code, and still read the files written before."""
    with db.begin() as s:
        me = self_row(s)
        if me is None or me.team_key is None:
            raise UserError(
                _(
                    "This device has no sync key yet. Create one on the first device with "
                    "teixit sync --init-key, and type its code here with teixit sync --pair CODE."
                )
            )
        _keep_old(s, me.team_key)
        key = secrets.token_bytes(KEY_BYTES)
        me.team_key = key
    return pairing_code(key)


def team_key(s: Session) -> bytes:
    me = self_row(s)
    if me is None or me.team_key is None:
        raise UserError(
            _(
                "This device has no sync key yet. Create one on the first device with "
                "teixit sync --init-key, and type its code here with teixit sync --pair CODE."
            )
        )
    return me.team_key
