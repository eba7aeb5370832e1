"""``teixit import`` into a database that holds data: the file is merged field by field with
the rules of sync, as a change from another device would be, instead of overwriting.

The file's clock is when it was written (its modification time; now, for data handed over
without a file). A field of the database saved after that keeps its value, and the file's
value goes to the conflicts list when it differs, so an older export never silently reverts a
newer correction. A mark of the same person at the same session under another id is merged into
the database's mark. Blocked people and what a purge removed stay as they are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import changelog
from app.db.base import new_id
from app.domain.clock import from_datetime, wall_ms
from app.exchange.interchange import ImportSummary, parents_first
from app.exchange.spec import PROFILE, WRITE_ORDER
from app.exchange.validation import CheckedFile
from app.sync.merge import Entry, Merger

#: The device named in the conflicts a file's values are part of.
FILE_DEVICE = "file"

#: Kept from the person, not from a file, once the person is blocked (erased).
_OF_PEOPLE = ("consents", "enrolments", "referrals")


def holds_records(s: Session) -> bool:
    """Does the database hold records (beyond the default programme categories)?"""
    return any(
        s.execute(select(changelog.table(name)).limit(1)).first()
        for name in changelog.SYNCED_TABLES
        if name != "programme_category"
    )


def file_clock(source: Path | None) -> int:
    """When the file was written: its modification time (now, for data without a file)."""
    if source is not None:
        try:
            return from_datetime(
                dt.datetime.fromtimestamp(source.stat().st_mtime, dt.UTC).replace(tzinfo=None)
            )
        except OSError:
            pass
    return from_datetime(dt.datetime.fromtimestamp(wall_ms() / 1000, dt.UTC).replace(tzinfo=None))


def merge_file(s: Session, checked: CheckedFile, source: Path | None) -> ImportSummary:
    hlc = file_clock(source)
    entries: list[Entry] = []

    def add(table: str, row_id: str, op: str, fields: dict[str, Any]) -> None:
        entries.append(Entry(FILE_DEVICE, len(entries) + 1, hlc, table, row_id, op, fields))

    if checked.profile is not None:
        t = PROFILE.table
        current = s.scalar(select(t.c.id).order_by(t.c.created_at).limit(1))
        add(t.name, current or new_id(), "insert", changelog.encode_fields(t, checked.profile))
    people = changelog.table("participant")
    frozen_people = set(s.scalars(select(people.c.id).where(people.c.blocked_at.is_not(None))))
    inserted: dict[str, int] = {}
    updated: dict[str, int] = {}
    skipped = 0
    for spec in WRITE_ORDER:
        rows = checked.rows[spec.key]
        if spec.key in _OF_PEOPLE:
            rows = [r for r in rows if r.values.get("participant_id") not in frozen_people]
        if not rows:
            continue
        if all(r.values.get("id") for r in rows):
            # A commission after the network it belongs to: foreign keys are checked per row.
            by_id = {r.values["id"]: r for r in rows}
            rows = [by_id[v["id"]] for v in parents_first(spec, [r.values for r in rows])]
        t = spec.table
        existing = checked.existing.get(spec.key, {})
        frozen = checked.frozen.get(spec.key, set())
        new = changed = 0
        for row in rows:
            natural = row.values[spec.natural_key]
            db_id = existing.get(natural)
            if db_id is not None and db_id in frozen:
                skipped += 1
                continue
            row_id = db_id or row.values.get("id") or new_id()
            values = {k: v for k, v in row.values.items() if k != "id"}
            add(t.name, row_id, "insert", changelog.encode_fields(t, values))
            if db_id is None:
                new += 1
            else:
                changed += 1
            for f in spec.fields:
                if f.link is None or f.name not in row.links:
                    continue
                link = f.link
                wanted = set(row.links[f.name])
                had = set(
                    s.scalars(
                        select(link.table.c[link.target]).where(link.table.c[link.owner] == row_id)
                    )
                )
                for target in sorted(wanted | had):
                    values = {link.owner: row_id, link.target: target}
                    op = "insert" if target in wanted else "delete"
                    add(link.table.name, changelog.link_id(link.table, values), op, values)
        inserted[spec.key], updated[spec.key] = new, changed
    merge = Merger(s, remote=False).apply(entries)
    return ImportSummary(
        source, inserted, updated, skipped, checked.profile is not None, merge.conflicts
    )
