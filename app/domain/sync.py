"""What the window shows of sync: its status, a run's summary, the conflicts, the devices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.i18n import _, ngettext

#: The two ways to sync.
FOLDER = "folder"
OFFICE = "office"


@dataclass(frozen=True)
class SyncStatus:
    #: Sync is set up on this database (it has its device identity).
    enabled: bool
    device_name: str = ""
    has_key: bool = False
    folder: str = ""
    last_sync: dt.datetime | None = None
    #: This device's changes not in the sync folder yet.
    pending: int = 0
    #: Conflicts nobody has looked at yet.
    conflicts: int = 0
    #: How this device syncs: through the folder (``FOLDER``) or with the office database
    #: (``OFFICE``).
    via: str = "folder"
    #: The office database chosen (its address, never the password).
    office: str = ""

    @property
    def ready(self) -> bool:
        """Sync now can run: the office database is chosen, or the key and the folder are
        there."""
        if self.via == OFFICE:
            return bool(self.office)
        return self.enabled and self.has_key and bool(self.folder)


@dataclass(frozen=True)
class SyncResult:
    sent: int
    received: int
    conflicts: int
    renumbered: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    #: Changes waiting for a record another device's file has not brought yet.
    held: int = 0
    #: Records changed here that the office login may not change (not sent), the tables they
    #: are in (by their names on screen) and the login's role.
    withheld: int = 0
    withheld_tables: tuple[str, ...] = ()
    role: str = ""

    def describe(self) -> str:
        """What the sync did ("12 changes sent, 40 received, 1 conflict"), what an office
        login may not send, and what was renumbered or looks like the same person typed
        twice."""
        text = _("{sent}, {received}, {conflicts}.").format(
            sent=ngettext("{count} change sent", "{count} changes sent", self.sent).format(
                count=self.sent
            ),
            received=ngettext("{count} received", "{count} received", self.received).format(
                count=self.received
            ),
            conflicts=ngettext("{count} conflict", "{count} conflicts", self.conflicts).format(
                count=self.conflicts
            ),
        )
        if self.renumbered:
            text += "\n" + _("Renumbered because they were taken twice: {items}.").format(
                items=", ".join(self.renumbered)
            )
        if self.duplicates:
            text += "\n" + _(
                "Possibly the same person typed on two devices (see the duplicates tool): {names}."
            ).format(names=", ".join(self.duplicates))
        if self.withheld:
            text += "\n" + _(
                "Not sent: what was changed here in {tables}, which your login to the office "
                "database ({role}) may not change; it stays on this computer until a "
                "coordinator's login syncs it."
            ).format(tables=", ".join(self.withheld_tables), role=self.role)
        return text


@dataclass(frozen=True)
class ConflictView:
    """One open conflict, in words: the record, the field, both values, who and when."""

    id: str
    kind: str
    record: str
    field: str
    kept: str
    lost: str
    kept_by: str
    kept_at: dt.datetime | None
    lost_by: str
    lost_at: dt.datetime | None
    #: "Use the other value" is offered (a field two devices set differently).
    swappable: bool


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    is_self: bool
    retired_at: dt.datetime | None
    #: How many of its changes were applied here (0 for this device).
    applied: int
