"""Sync as the window sees it: the status, "Sync now", the conflicts and what a person decides
about each, setting up (the key, pairing, the folder, joining) and the team's devices.

A device syncs through the folder (app/sync/run.py) or with the office database
(app/sync/office.py), as its sync settings say; ``sync_now`` is the one call the window makes
either way. The office login's password comes from the computer's keyring (as for the Connect
dialog), or from what was typed in this session, and is never written to a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import URL, func, select, update

from app.db import changelog
from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import SyncConflict, SyncDevice
from app.domain.changes import EVERYTHING, NOTHING, Area, Changes
from app.domain.clock import to_datetime
from app.domain.sync import FOLDER, OFFICE, ConflictView, DeviceView, SyncResult, SyncStatus
from app.errors import UserError
from app.i18n import N_, _, ngettext
from app.sync import device, retire, run, state
from app.sync import office as office_sync
from app.sync.folder import FolderSummary
from app.sync.joining import JoinCancelled
from app.sync.retire import Notice
from app.sync.run import SyncCancelled

Progress = Callable[[float, str], None]

#: What a record of each table is called, when nothing better names it.
TABLE_NAMES = {
    "entity_profile": N_("The entity's details"),
    "staff": N_("Team member"),
    "place": N_("Place"),
    "funder": N_("Funder"),
    "organisation": N_("Organisation"),
    "programme_category": N_("Programme category"),
    "programme": N_("Programme"),
    "indicator": N_("Indicator"),
    "activity": N_("Activity"),
    "report_narrative": N_("Report text"),
    "participant": N_("Person"),
    "consent": N_("Consent"),
    "enrolment": N_("Enrolment"),
    "referral": N_("Referral"),
    "session": N_("Session"),
    "attendance": N_("Attendance"),
    "head_count": N_("Head count"),
    "network_space": N_("Network space"),
    "network_meeting": N_("Meeting"),
    "agreement": N_("Agreement"),
    "budget": N_("Budget"),
    "budget_line": N_("Budget line"),
    "expense": N_("Expense"),
    "local_day": N_("Local holiday"),
}

#: The fields people see most, by their names on screen.
FIELD_NAMES = {
    "given_name": N_("Name"),
    "family_names": N_("Surnames"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "notes": N_("Notes"),
    "neighbourhood": N_("Neighbourhood"),
    "gender": N_("Gender"),
    "birth_date": N_("Date of birth"),
    "birth_year": N_("Year of birth"),
    "guardian_name": N_("Guardian"),
    "guardian_phone": N_("Guardian's phone"),
    "status": N_("Status"),
    "date": N_("Date"),
    "start_time": N_("Start time"),
    "end_time": N_("End time"),
    "name": N_("Name"),
    "code": N_("Code"),
    "description": N_("Description"),
    "minutes": N_("Minutes"),
    "text": N_("Text"),
    "number": N_("Number"),
    "count": N_("Count"),
    "amount": N_("Amount"),
    "place": N_("Place"),
    "place_id": N_("Place"),
}

#: Which part of the window shows each table (what a swap changes).
AREAS = {
    "participant": Area.PEOPLE,
    "consent": Area.PEOPLE,
    "referral": Area.PEOPLE,
    "enrolment": Area.PEOPLE,
    "session": Area.SESSIONS,
    "attendance": Area.ATTENDANCE,
    "head_count": Area.ATTENDANCE,
    "programme": Area.PROGRAMMES,
    "activity": Area.ACTIVITIES,
    "indicator": Area.PROGRAMMES,
    "network_space": Area.NETWORKS,
    "network_meeting": Area.NETWORKS,
    "agreement": Area.NETWORKS,
    "staff": Area.STAFF,
    "place": Area.PLACES,
    "funder": Area.FUNDERS,
    "organisation": Area.ORGANISATIONS,
    "budget": Area.ECONOMICS,
    "budget_line": Area.ECONOMICS,
    "expense": Area.ECONOMICS,
    "entity_profile": Area.PROFILE,
    "programme_category": Area.CATEGORIES,
}


class SyncService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- status ----------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        office = office_sync.office_address(self._db) or ""
        office_sent = office_sync.sent_seq(self._db) if office else 0
        with self._db.read() as s:
            kept = state.load(s)
            via = office_sync.way(kept, office)
            me = device.self_row(s)
            if me is None:
                return SyncStatus(enabled=False, via=via, office=office)
            sent = office_sent if via == OFFICE else state.sent_seq(s)
            pending = changelog.count_after(s, me.id, sent)
            conflicts = s.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            return SyncStatus(
                enabled=True,
                device_name=me.name,
                has_key=me.team_key is not None,
                folder=str(kept.get("folder") or ""),
                pending=int(pending or 0),
                conflicts=int(conflicts or 0),
                via=via,
                office=office,
                last_sync=(
                    office_sync.last_sync(self._db) if via == OFFICE else state.last_sync(s)
                ),
            )

    def open_conflicts(self) -> int:
        with self._db.read() as s:
            if device.self_row(s) is None:
                return 0
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(SyncConflict)
                    .where(SyncConflict.resolved_at.is_(None))
                )
                or 0
            )

    # -- syncing ---------------------------------------------------------------------------
    def _folder(self) -> Path:
        folder = self.status().folder
        if not folder:
            raise UserError(
                _("Choose the sync folder first (Sync > Sync settings), then sync again.")
            )
        return Path(folder)

    def sync_now(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> tuple[SyncResult, Changes]:
        """One sync, through the chosen folder or with the office database, as the sync
        settings say, then the compaction of the change log. ``cancelled()`` is asked between
        transactions: a cancelled sync raises ``SyncCancelled`` and keeps what it merged (the
        next sync completes the rest)."""
        if self.status().via == OFFICE:
            summary = self._sync_office(progress, cancelled)
        else:
            summary = run.sync(self._db, self._folder(), progress, cancelled, compact=True)
        return _result(summary), EVERYTHING if summary.merge.received else NOTHING

    # -- the office database ---------------------------------------------------------------
    def _office_url(self) -> URL:
        from app.db.credentials import with_stored_password
        from app.db.engine import office_url

        address = office_sync.office_address(self._db)
        if not address:
            raise UserError(
                _("Choose the office database first (Sync > Sync settings), then sync again.")
            )
        url = office_url(address)
        typed = _TYPED.get(address)
        return url.set(password=typed) if typed else with_stored_password(url)

    def _sync_office(
        self,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
        *,
        join: bool = False,
    ) -> FolderSummary:
        def step(done: int, total: int) -> None:
            if progress is not None and total:
                progress(0.1 + 0.85 * done / total, _("Receiving the office's changes…"))

        if progress is not None:
            progress(0.02, _("Connecting to the office database…"))
        summary = office_sync.sync_office(
            self._db, self._office_url(), step, cancelled, join=join, compact=not join
        )
        if summary.cancelled:
            raise SyncCancelled
        return summary

    def use_office(
        self,
        server: str,
        port: int,
        database: str,
        user: str,
        password: str = "",
        *,
        remember: bool = False,
    ) -> None:
        """Sync with this office database from now on: the login is tried first (reached, the
        same version, a role that may sync; ValidationError names a field left wrong), and its
        password kept in the keyring or forgotten as the person chose (while the window is
        open it is remembered either way)."""
        from app.db.credentials import forget_password, remember_password, with_stored_password
        from app.db.engine import display_address
        from app.services.office import office_url

        url = office_url(server, port, database, user)
        full = url.set(password=password) if password else with_stored_password(url)
        office_sync.check_login(full)
        if remember and password:
            remember_password(url, password)
        elif not remember:
            forget_password(url)
        if password:
            _TYPED[display_address(url)] = password
        office_sync.choose_office(self._db, url)
        with self._db.begin() as s:
            state.save(s, via=OFFICE)

    @staticmethod
    def has_stored_password(address: str) -> bool:
        from app.db.credentials import stored_password
        from app.db.engine import office_url

        return stored_password(office_url(address)) is not None

    def use_folder(self) -> None:
        """Sync through the folder from now on (the office database stays remembered)."""
        with self._db.begin() as s:
            state.save(s, via=FOLDER)

    def office_interval(self) -> int:
        """Minutes between automatic syncs with the office database (0: none)."""
        return office_sync.sync_interval_minutes(self._db)

    def set_office_interval(self, minutes: int) -> None:
        office_sync.set_sync_interval(self._db, minutes)

    def office_due(self, *, starting: bool = False) -> bool:
        """Is an automatic sync with the office database due (at the start of the window, and
        then every interval)? Whether the server answers is found by trying."""
        if self.status().via != OFFICE:
            return False
        return office_sync.should_sync_now(self._db, reachable=True, starting=starting)

    def sync_quietly(
        self, cancelled: Callable[[], bool] | None = None
    ) -> tuple[SyncResult | None, Changes, str]:
        """An automatic sync with the office database: the result, or (None, NOTHING, what
        went wrong in one sentence) when it could not run; an unreachable server is said
        quietly and tried again at the next interval."""
        from app.db.engine import OfficeDatabaseError, PasswordRefused

        try:
            result, changes = self.sync_now(None, cancelled)
        except SyncCancelled:
            return None, EVERYTHING, ""
        except PasswordRefused as exc:
            return None, NOTHING, exc.message
        except office_sync.OfficeSyncRefused as exc:
            return None, NOTHING, exc.message
        except OfficeDatabaseError:
            minutes = self.office_interval()
            return (
                None,
                NOTHING,
                ngettext(
                    "The office database cannot be reached; Teixit tries again in {count} "
                    "minute.",
                    "The office database cannot be reached; Teixit tries again in {count} "
                    "minutes.",
                    minutes,
                ).format(count=minutes),
            )
        return result, changes, ""

    def set_folder(self, folder: Path) -> None:
        if not Path(folder).is_dir():
            raise UserError(
                _("The sync folder {folder} does not exist or is not reachable.").format(
                    folder=folder
                )
            )
        device.enable(self._db)
        with self._db.begin() as s:
            state.save(s, folder=str(Path(folder).resolve()), via=FOLDER)

    def create_key(self, name: str = "") -> str:
        """The team's key on this first device: its pairing code, to show once."""
        return device.create_key(self._db, name)

    def new_key(self) -> str:
        """A new team key (after a device was retired): its pairing code, to show once."""
        return device.new_key(self._db)

    def pair(self, code: str, name: str = "") -> None:
        device.pair(self._db, code, name)

    def can_join(self) -> bool:
        from app.sync.joining import holds_records

        with self._db.read() as s:
            if state.load(s).get("joining"):
                return True
        return not holds_records(self._db)

    def join(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> tuple[SyncResult, Changes]:
        """A new device's first full replica from the chosen folder or the office database;
        ``JoinCancelled`` when the person cancelled (the database is then as it was)."""
        if self.status().via == OFFICE:
            summary = self._sync_office(progress, cancelled, join=True)
        else:
            summary = run.join(self._db, self._folder(), progress, cancelled)
        return _result(summary), EVERYTHING

    # -- conflicts -------------------------------------------------------------------------
    def conflicts(self) -> list[ConflictView]:
        with self._db.read() as s:
            names = {d.id: d for d in s.scalars(select(SyncDevice))}
            rows = list(
                s.scalars(
                    select(SyncConflict)
                    .where(SyncConflict.resolved_at.is_(None))
                    .order_by(SyncConflict.created_at, SyncConflict.id)
                )
            )
            out = []
            for c in rows:
                out.append(
                    ConflictView(
                        id=c.id,
                        kind=c.kind,
                        record=_record(s, c.table_name, c.row_id),
                        field=_field_name(c.field) if c.field else _kind_text(c.kind),
                        kept=_value(s, c, c.kept_value),
                        lost=_value(s, c, c.lost_value),
                        kept_by=_who(names, c.kept_device),
                        kept_at=to_datetime(c.kept_hlc) if c.kept_hlc else None,
                        lost_by=_who(names, c.lost_device),
                        lost_at=to_datetime(c.lost_hlc) if c.lost_hlc else None,
                        swappable=_swappable(s, c),
                    )
                )
            return out

    def swap(self, conflict_id: str) -> Changes:
        """Use the value the merge did not keep: written as this device's change (so it
        travels to the others), and the conflict closed, in one transaction."""
        with self._db.begin() as s:
            c = self._open(s, conflict_id)
            if not _swappable(s, c):
                raise UserError(
                    _(
                        "This conflict has no other value to use: the record was deleted or "
                        "erased, or the difference is not in one field. Keep it as it is."
                    )
                )
            t = changelog.table(c.table_name)
            column = t.c[c.field]
            values: dict[str, Any] = {c.field: changelog.decode(column, json.loads(c.lost_value))}
            if "version" in t.c:
                values["version"] = t.c.version + 1
            if "updated_at" in t.c:
                values["updated_at"] = utcnow()
            s.execute(update(t).where(t.c.id == c.row_id).values(**values))
            c.kept_value, c.lost_value = c.lost_value, c.kept_value
            c.kept_device, c.lost_device = c.lost_device, c.kept_device
            c.kept_hlc, c.lost_hlc = c.lost_hlc, c.kept_hlc
            c.resolved_at = utcnow()
            area = AREAS.get(c.table_name)
        return Changes.of(area) if area else EVERYTHING

    def dismiss(self, conflict_id: str) -> Changes:
        """Keep what the merge kept: the conflict leaves the list."""
        with self._db.begin() as s:
            c = self._open(s, conflict_id)
            c.resolved_at = utcnow()
        return NOTHING

    @staticmethod
    def _open(s: Any, conflict_id: str) -> SyncConflict:
        c: SyncConflict | None = s.get(SyncConflict, conflict_id)
        if c is None or c.resolved_at is not None:
            raise UserError(_("This conflict was already dealt with."))
        return c

    # -- devices ---------------------------------------------------------------------------
    def devices(self) -> list[DeviceView]:
        with self._db.read() as s:
            return [
                DeviceView(d.id, d.name, d.is_self, d.retired_at, d.applied_seq)
                for d in s.scalars(
                    select(SyncDevice).order_by(SyncDevice.is_self.desc(), SyncDevice.name)
                )
            ]

    def rename(self, name: str) -> None:
        """This device's new name (the others show it after their next sync)."""
        device.rename(self._db, name)

    def retire(self, device_id: str) -> None:
        retire.retire(self._db, device_id)

    def retired_notice(self) -> Notice | None:
        """At start: has the team retired this device?"""
        return retire.retired_here(self._db)

    def wipe(self) -> None:
        """The replica of a retired device, removed (every record, the log, the backups)."""
        retire.wipe(self._db)


#: Office passwords typed in the sync settings during this session, by address (never kept).
_TYPED: dict[str, str] = {}


def _result(summary: FolderSummary) -> SyncResult:
    from app.sync.folder import table_label

    m = summary.merge
    return SyncResult(
        summary.sent,
        m.received,
        m.conflicts,
        list(m.renumbered),
        list(m.duplicates),
        m.held,
        summary.withheld,
        tuple(table_label(t) for t in summary.withheld_tables),
        summary.role,
    )


def _who(devices: dict[str, SyncDevice], device_id: str) -> str:
    if not device_id:
        return _("an imported file")
    d = devices.get(device_id)
    if d is None:
        return device_id[:8]
    if d.is_self:
        return _("this device ({name})").format(name=d.name)
    return d.name or device_id[:8]


def _field_name(name: str) -> str:
    label = FIELD_NAMES.get(name)
    return _(label) if label else name.replace("_", " ")


def _kind_text(kind: str) -> str:
    return {
        "deleted": _("Edited while deleted elsewhere"),
        "blocked": _("Edited while erased elsewhere"),
        "duplicate": _("Possibly the same person twice"),
        "renumbered": _("Renumbered"),
    }.get(kind, kind)


def _swappable(s: Any, c: SyncConflict) -> bool:
    if c.kind != "field" or not c.field:
        return False
    t = changelog.table(c.table_name)
    if c.field not in t.c or "id" not in t.c:
        return False
    row = s.connection().execute(select(t).where(t.c.id == c.row_id)).first()
    if row is None:
        return False
    values = row._mapping
    if values.get("deleted_at") is not None:
        return False
    return not (c.table_name == "participant" and values.get("blocked_at") is not None)


def _value(s: Any, c: SyncConflict, raw: str) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if c.kind == "duplicate":
        return _record(s, "participant", str(value)) if value else ""
    if value is None and c.kind == "deleted":
        return _("(deleted)")
    if value is None and c.kind == "blocked":
        return _("(data erased)")
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, dict):
        return ", ".join(f"{_field_name(k)}: {v}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _row(s: Any, tname: str, row_id: str | None) -> dict[str, Any] | None:
    if not row_id or tname not in changelog.SYNCED_TABLES:
        return None
    t = changelog.table(tname)
    if "id" not in t.c:
        return None
    found = s.connection().execute(select(t).where(t.c.id == row_id)).first()
    return dict(found._mapping) if found else None


def _person(row: dict[str, Any]) -> str:
    if row.get("blocked_at") is not None:
        return _("an erased person")
    return f"{row.get('given_name') or ''} {row.get('family_names') or ''}".strip()


def _session(s: Any, row: dict[str, Any]) -> str:
    activity = _row(s, "activity", row.get("activity_id"))
    when = row["date"].isoformat() if row.get("date") else ""
    return f"{activity['name']} · {when}" if activity else when


def _record(s: Any, tname: str, row_id: str) -> str:
    """The record in words: the person's name, the session's activity and date…"""
    kind = _(TABLE_NAMES.get(tname, tname))
    row = _row(s, tname, row_id)
    if row is None:
        return _("{kind} (no longer here)").format(kind=kind)
    if tname == "participant":
        return _("Person: {name}").format(name=_person(row))
    if tname == "session":
        return _("Session: {session}").format(session=_session(s, row))
    if tname in ("attendance", "head_count"):
        session = _row(s, "session", row.get("session_id"))
        where = _session(s, session) if session else ""
        if tname == "attendance":
            person = _row(s, "participant", row.get("participant_id"))
            return _("Attendance of {person} at {session}").format(
                person=_person(person) if person else "?", session=where
            )
        return _("Head count at {session}").format(session=where)
    if tname == "programme":
        return _("Programme: {code} · {name}").format(code=row["code"], name=row["name"])
    if tname == "network_meeting":
        space = _row(s, "network_space", row.get("space_id"))
        return _("Meeting: {space} · {date}").format(
            space=space["name"] if space else "", date=row["date"].isoformat()
        )
    if tname == "agreement":
        meeting = _row(s, "network_meeting", row.get("meeting_id"))
        when = meeting["date"].isoformat() if meeting else ""
        return _("Agreement {number} of the meeting of {date}").format(
            number=row["number"], date=when
        )
    if tname in ("consent", "referral", "enrolment"):
        person = _row(s, "participant", row.get("participant_id"))
        return f"{kind}: {_person(person) if person else '?'}"
    for name in ("name", "label", "code", "description"):
        if row.get(name):
            return f"{kind}: {row[name]}"
    return kind


__all__ = ["JoinCancelled", "SyncCancelled", "SyncService"]
