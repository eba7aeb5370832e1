"""Loading the demo into a database: refuse a database that holds data (unless forced, then
replace it), and write every row in one transaction with bulk inserts."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from app.db import models as m
from app.db.base import Base, utcnow
from app.db.engine import Database
from app.demo.build import SPECS, Builder, Spec
from app.demo.rows import Row, Rows
from app.domain.programmes import DEFAULT_CATEGORIES
from app.errors import UserError
from app.i18n import _, format_number

#: Tables that are configuration, not data: a forced load keeps them.
KEPT_TABLES = ("programme_category",)

#: A database holding a row in any of these is not empty.
DATA_MODELS: tuple[type[Base], ...] = (
    m.EntityProfile,
    m.Programme,
    m.Participant,
    m.Activity,
    m.Staff,
    m.NetworkSpace,
    m.Organisation,
)


@dataclass(frozen=True)
class DemoSummary:
    size: str
    people: int
    programmes: int
    activities: int
    sessions: int
    attendances: int
    head_counts: int
    network_spaces: int
    meetings: int
    agreements: int
    seconds: float

    def describe(self) -> str:
        def n(value: int) -> str:
            return format_number(value)

        return _(
            "Demo data loaded: {people} people, {programmes} programmes, {activities} "
            "activities, {sessions} sessions, {attendances} attendance records, {spaces} network "
            "spaces and {meetings} network meetings with {agreements} agreements."
        ).format(
            people=n(self.people),
            programmes=n(self.programmes),
            activities=n(self.activities),
            sessions=n(self.sessions),
            attendances=n(self.attendances),
            spaces=n(self.network_spaces),
            meetings=n(self.meetings),
            agreements=n(self.agreements),
        )


def load_demo(
    db: Database,
    size: str = "small",
    *,
    force: bool = False,
    today: dt.date | None = None,
    seed: int = 2026,
    spec: Spec | None = None,
) -> DemoSummary:
    """Fill the database with the demo data of ``size`` (``small`` or ``large``).

    Refuses a database that already holds data unless ``force``, which replaces all of it in the
    same transaction. ``spec`` overrides the size (tests use a smaller large demo).
    """
    if spec is None:
        if size not in SPECS:
            raise UserError(_("Unknown demo size “{size}”.").format(size=size))
        spec = SPECS[size]
    began = time.perf_counter()
    with db.begin() as session:
        if holds_data(session):
            if not force:
                raise UserError(
                    _(
                        "This database already holds data. The demo data is loaded only into "
                        "an empty database, or replacing everything in it when you ask for "
                        "that explicitly (teixit demo --force)."
                    )
                )
            wipe(session)
        _ensure_categories(session)
        rows = Builder(seed, spec, today or dt.date.today()).build()
        write(session, rows)
    return DemoSummary(
        size=size,
        people=rows.count(m.Participant),
        programmes=rows.count(m.Programme),
        activities=rows.count(m.Activity),
        sessions=rows.count(m.Session),
        attendances=rows.count(m.Attendance),
        head_counts=rows.count(m.HeadCount),
        network_spaces=rows.count(m.NetworkSpace),
        meetings=rows.count(m.NetworkMeeting),
        agreements=rows.count(m.Agreement),
        seconds=time.perf_counter() - began,
    )


def holds_data(session: Session) -> bool:
    return any(session.scalar(select(model.id).limit(1)) for model in DATA_MODELS)  # type: ignore[attr-defined]


def wipe(session: Session) -> None:
    """Delete every record (children first), keeping the configured categories."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            session.execute(delete(table))


def _ensure_categories(session: Session) -> None:
    """Put back a default category someone removed (the demo's programmes use them all)."""
    present = set(session.scalars(select(m.ProgrammeCategory.code)))
    now = utcnow()
    for position, (code, name_ca, name_es) in enumerate(DEFAULT_CATEGORIES):
        if code not in present:
            session.add(
                m.ProgrammeCategory(
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, "teixit:category:" + code)),
                    created_at=now,
                    updated_at=now,
                    code=code,
                    name_ca=name_ca,
                    name_es=name_es,
                    position=position,
                )
            )
    session.flush()


def _defaults(table: Table) -> dict[str, Any]:
    """Scalar column defaults, so every row of a table has the same keys (one executemany)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        arg = getattr(default, "arg", None)
        values[column.name] = None if callable(arg) else arg
    return values


def write(session: Session, rows: Rows) -> None:
    now = utcnow()
    for table in Base.metadata.sorted_tables:
        batch: list[Row] = rows.tables.get(table.name, [])
        if not batch:
            continue
        defaults = _defaults(table)
        if "created_at" in defaults:
            defaults["created_at"] = defaults["updated_at"] = now
        complete = [{**defaults, **row} for row in batch]
        # The models' tables through Core: the ORM's bulk path takes twice as long for the same
        # rows (3.7 s against 1.8 s for the large demo) and adds nothing here.
        session.execute(insert(table), complete)
