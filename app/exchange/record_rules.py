"""What the forms refuse, a file refuses too: each record of an interchange file goes through the
same checks (app/domain) as the form that types it, so an import cannot bring in a 9-year-old who
signed their own consent, a birth date in 2099, a session that ends before it starts or a consent
revoked before it was given.

A rule gets the record's checked values and answers ``(field, sentence)`` for its first problem,
or None. Rules that need another record (a consent needs its person's age) read it from the file
first, then from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.figures import age_on
from app.domain.networks import validate_meeting_fields
from app.domain.people import (
    ConsentDTO,
    PersonDTO,
    validate_consent,
    validate_enrolment,
    validate_person,
)
from app.domain.profile import logo_problem
from app.domain.programmes import ActivityDTO, ProgrammeDTO, validate_activity, validate_programme
from app.domain.sessions import SessionDTO, validate_session
from app.exchange.spec import BY_KEY
from app.i18n import _

Problem = tuple[str, str]
#: What the person's form checks.
_PERSON_FIELDS = (
    "given_name",
    "family_names",
    "gender",
    "birth_date",
    "birth_year",
    "id_document_type",
    "id_document_number",
    "phone",
    "email",
    "guardian_name",
    "notes",
)


def _first(errors: dict[str, str]) -> Problem | None:
    return next(iter(errors.items()), None)


def _period(values: dict[str, Any], start: str, end: str) -> Problem | None:
    first, last = values.get(start), values.get(end)
    if first is not None and last is not None and last < first:
        return end, _("The end date cannot be before the start date.")
    return None


class RecordRules:
    """The form checks of every array, for one file checked against one database."""

    def __init__(self, session: Session, today: dt.date, categories: tuple[str, ...]) -> None:
        self.s = session
        self.today = today
        self.categories = set(categories)
        #: Birth date and year of the people of the file (consents are checked after them).
        self.people: dict[str, tuple[dt.date | None, int | None]] = {}
        self._stored: dict[str, tuple[dt.date | None, int | None]] | None = None
        self._rules: dict[str, Callable[[dict[str, Any]], Problem | None]] = {
            "entity_profile": self._logo,
            "funders": self._logo,
            "programmes": self._programme,
            "activities": self._activity,
            "participants": self._person,
            "consents": self._consent,
            "enrolments": lambda v: _first(validate_enrolment(v.get("start"), v.get("end"))),
            "sessions": self._session,
            "network_meetings": self._meeting,
            "report_narratives": lambda v: _period(v, "period_from", "period_to"),
            "budgets": lambda v: _period(v, "period_from", "period_to"),
            "local_days": lambda v: _period(v, "date_from", "date_to"),
        }

    def problem(self, key: str, values: dict[str, Any]) -> Problem | None:
        rule = self._rules.get(key)
        return rule(values) if rule is not None else None

    @staticmethod
    def _logo(values: dict[str, Any]) -> Problem | None:
        logo = values.get("logo")
        problem = logo_problem(logo) if logo else None
        return ("logo", problem) if problem else None

    def _programme(self, v: dict[str, Any]) -> Problem | None:
        dto = ProgrammeDTO(
            code=v["code"],
            name=v["name"],
            category=v["category"],
            start=v.get("start"),
            end=v.get("end"),
        )
        return _first(validate_programme(dto, self.categories))

    @staticmethod
    def _activity(v: dict[str, Any]) -> Problem | None:
        dto = ActivityDTO(
            programme_id=v["programme_id"],
            name=v["name"],
            kind=v.get("kind", "workshop"),
            start_time=v.get("start_time"),
            end_time=v.get("end_time"),
        )
        return _first(validate_activity(dto))

    def _person(self, v: dict[str, Any]) -> Problem | None:
        self.people[v["id"]] = (v.get("birth_date"), v.get("birth_year"))
        if v.get("blocked_at") is not None:
            return None  # erased: frozen as it was, nobody edits it again
        dto = PersonDTO(**{name: v[name] for name in _PERSON_FIELDS if name in v})
        return _first(validate_person(dto, self.today))

    def _age(self, person_id: str) -> int | None:
        if person_id not in self.people:
            if self._stored is None:  # read once, for every consent of a person not in the file
                people = BY_KEY["participants"].table  # the tables only through the spec
                rows = self.s.execute(select(people.c.id, people.c.birth_date, people.c.birth_year))
                self._stored = {pid: (born, year) for pid, born, year in rows}
            born, year = self._stored.get(person_id, (None, None))
        else:
            born, year = self.people[person_id]
        return age_on(self.today, born, year)

    def _consent(self, v: dict[str, Any]) -> Problem | None:
        dto = ConsentDTO(
            kind=v["kind"],
            granted=v.get("granted", True),
            date=v.get("date"),
            signed_by=v.get("signed_by", "self"),
            revoked_at=v.get("revoked_at"),
        )
        return _first(validate_consent(dto, self.today, self._age(v["participant_id"])))

    @staticmethod
    def _session(v: dict[str, Any]) -> Problem | None:
        dto = SessionDTO(
            activity_id=v["activity_id"],
            date=v["date"],
            start_time=v.get("start_time"),
            end_time=v.get("end_time"),
            status=v.get("status", "planned"),
        )
        return _first(validate_session(dto))

    @staticmethod
    def _meeting(v: dict[str, Any]) -> Problem | None:
        return _first(
            validate_meeting_fields(
                v["date"],
                v.get("start_time"),
                v.get("end_time"),
                v.get("status"),
                v.get("cancellation_reason", ""),
            )
        )
