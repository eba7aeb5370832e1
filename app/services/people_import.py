"""Importing a list of people from a spreadsheet: plan first, write later.

``plan(path)`` reads the file, maps its columns (a mapping remembered for files with the same
header, else guessed from the column names), validates each row and finds likely duplicates in
the database and within the file (the format: app.exchange.spreadsheet_import). Nothing is
written until ``execute(plan, choices)``, which writes every chosen row in ONE transaction (all
or nothing) and audits it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import Participant, Setting
from app.domain.changes import Area, Changes
from app.domain.imports import PEOPLE_FIELDS, ImportSummary, PeoplePlan, Table
from app.errors import UserError
from app.exchange.spreadsheet_import import (
    ExistingPerson,
    existing_person,
    guess_mapping,
    header_signature,
    plan_people,
)
from app.exchange.spreadsheet_read import load_table
from app.i18n import _
from app.services import audit

MAPPING_KEY = "import.people.mapping.{signature}"
GENDER_KEY = "import.people.gender-map"


class PeopleImportService:
    def __init__(self, db: Database, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._db = db
        self._today = today

    # -- planning ---------------------------------------------------------------------------

    def read(self, path: Path) -> Table:
        return load_table(Path(path))

    def remembered_mapping(self, table: Table) -> tuple[str, ...]:
        """The mapping last confirmed for a file with this header, else a guess."""
        key = MAPPING_KEY.format(signature=header_signature(table.headers))
        with self._db.read() as s:
            saved = s.scalar(select(Setting.value).where(Setting.key == key))
        if isinstance(saved, list) and len(saved) == len(table.headers):
            return tuple(f if f in PEOPLE_FIELDS else "" for f in saved)
        return guess_mapping(table.headers)

    def remembered_gender_map(self) -> dict[str, str]:
        with self._db.read() as s:
            saved = s.scalar(select(Setting.value).where(Setting.key == GENDER_KEY))
        return dict(saved) if isinstance(saved, dict) else {}

    def plan(
        self,
        path: Path,
        mapping: Iterable[str] | None = None,
        gender_map: dict[str, str] | None = None,
        table: Table | None = None,
    ) -> PeoplePlan:
        table = table or self.read(path)
        cols = tuple(mapping) if mapping is not None else self.remembered_mapping(table)
        return plan_people(
            Path(path).name,
            table,
            cols,
            self._existing(),
            known_genders=self.remembered_gender_map(),
            gender_map=gender_map,
            today=self._today,
        )

    def _existing(self) -> list[ExistingPerson]:
        with self._db.read() as s:
            rows = s.execute(
                select(
                    Participant.id,
                    Participant.given_name,
                    Participant.family_names,
                    Participant.birth_date,
                    Participant.birth_year,
                    Participant.id_document_number,
                    # Erased people are neither shown (that would name them) nor merged into.
                ).where(Participant.deleted_at.is_(None), Participant.blocked_at.is_(None))
            ).all()
        return [existing_person(*r) for r in rows]

    # -- writing ----------------------------------------------------------------------------

    def execute(
        self, plan: PeoplePlan, choices: dict[int, str] | None = None
    ) -> tuple[ImportSummary, Changes]:
        """Write the rows chosen for import or merge in one transaction; remember the mapping."""
        chosen = plan.default_choices()
        chosen.update(choices or {})
        imported = merged = skipped = 0
        new_people: list[dict[str, Any]] = []
        with self._db.begin() as s:
            for r in plan.rows:
                choice = chosen.get(r.row, "skip")
                if choice not in r.allowed_choices():
                    raise ValueError(f"row {r.row}: choice {choice!r} not allowed")
                if choice == "skip" or r.values is None:
                    skipped += r.valid
                    continue
                values = {k: getattr(r.values, k) for k in r.values.__dataclass_fields__}
                if choice == "import":
                    new_people.append(values)
                    imported += 1
                    continue
                target_id = next(d.participant_id for d in r.duplicates if d.participant_id)
                person = s.get(Participant, target_id)
                if person is None:
                    raise UserError(_("A person to merge into no longer exists; plan again."))
                # Merging only fills what the existing person lacks; nothing is overwritten.
                for k, value in values.items():
                    if value not in (None, "") and getattr(person, k) in (None, ""):
                        setattr(person, k, value)
                merged += 1
            if new_people:
                # One multi-row INSERT: thousands of people in a second, not one by one.
                s.execute(insert(Participant), new_people)
            self._remember(s, plan)
            summary = ImportSummary(imported, merged, skipped, len(plan.invalid_rows))
            if imported or merged:
                audit.record(s, "import", plan.file_name, summary.describe())
        return summary, Changes.of(Area.PEOPLE)

    def _remember(self, s: OrmSession, plan: PeoplePlan) -> None:
        key = MAPPING_KEY.format(signature=header_signature(plan.headers))
        for k, value in ((key, list(plan.mapping)), (GENDER_KEY, dict(plan.gender_map))):
            row = s.scalar(select(Setting).where(Setting.key == k))
            if row is None:
                s.add(Setting(key=k, value=value))
            else:
                row.value = value
