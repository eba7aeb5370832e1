"""Programmes with their indicators and funders, their activities, and the category list."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Activity,
    Enrolment,
    Funder,
    Indicator,
    Programme,
    ProgrammeCategory,
    Session,
    Staff,
)
from app.domain.changes import Area, Changes
from app.domain.profile import CategoryDTO
from app.domain.programmes import (
    ActivityDTO,
    IndicatorDTO,
    ProgrammeDTO,
    validate_activity,
    validate_programme,
)
from app.errors import StaleRecord, UserError, ValidationError
from app.i18n import _
from app.services.texts import forget_translations, translations_of, write_translations


def _programme_dto(
    p: Programme, activity_count: int = 0, s: OrmSession | None = None
) -> ProgrammeDTO:
    """``s`` given: with the versions of its texts in the other languages."""
    texts = translations_of(s, "programme", [p.id]) if s is not None else {}
    ind_texts = (
        translations_of(s, "indicator", [i.id for i in p.indicators]) if s is not None else {}
    )
    return ProgrammeDTO(
        id=p.id,
        code=p.code,
        name=p.name,
        category=p.category,
        description=p.description,
        start=p.start,
        end=p.end,
        responsible_staff_id=p.responsible_staff_id,
        objectives=tuple(p.objectives or ()),
        funder_ids=tuple(f.id for f in p.funders),
        indicators=tuple(
            IndicatorDTO(
                i.name, i.kind, i.target, i.manual_value, i.id, ind_texts.get(i.id, ())
            )
            for i in p.indicators
        ),
        activity_count=activity_count,
        version=p.version,
        translations=texts.get(p.id, ()) if s is not None else None,
        indirect_beneficiaries=p.indirect_beneficiaries,
    )


def _activity_dto(
    a: Activity,
    code: str = "",
    enrolled: int = 0,
    sessions: int = 0,
    s: OrmSession | None = None,
) -> ActivityDTO:
    """``s`` given: with the versions of its texts in the other languages."""
    texts = translations_of(s, "activity", [a.id]).get(a.id, ()) if s is not None else None
    return ActivityDTO(
        id=a.id,
        programme_id=a.programme_id,
        name=a.name,
        kind=a.kind,
        description=a.description,
        place_id=a.place_id,
        start_time=a.start_time,
        end_time=a.end_time,
        facilitator_ids=tuple(f.id for f in a.facilitators),
        programme_code=code,
        enrolled=enrolled,
        sessions=sessions,
        version=a.version,
        translations=texts,
    )


class ProgrammesService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- programmes -------------------------------------------------------------------------
    def all(self) -> list[ProgrammeDTO]:
        with self._db.read() as s:
            counts = dict(
                s.execute(
                    select(Activity.programme_id, func.count())
                    .where(Activity.deleted_at.is_(None))
                    .group_by(Activity.programme_id)
                ).all()
            )
            rows = s.scalars(
                select(Programme).where(Programme.deleted_at.is_(None)).order_by(Programme.code)
            )
            return [_programme_dto(p, counts.get(p.id, 0)) for p in rows]

    def get(self, programme_id: str) -> ProgrammeDTO:
        with self._db.read() as s:
            return _programme_dto(self._programme(s, programme_id), s=s)

    def by_code(self, code: str) -> ProgrammeDTO | None:
        with self._db.read() as s:
            p = s.scalar(
                select(Programme).where(Programme.code == code, Programme.deleted_at.is_(None))
            )
            return _programme_dto(p, s=s) if p else None

    def save(self, dto: ProgrammeDTO) -> tuple[ProgrammeDTO, Changes]:
        """Create (id None) or update a programme with its funders and indicators, all at once."""
        with self._db.begin() as s:
            categories = set(s.scalars(select(ProgrammeCategory.code)))
            errors = validate_programme(dto, categories)
            code = dto.code.strip()
            clash = s.scalar(select(Programme.id).where(Programme.code == code))
            if clash and clash != dto.id and "code" not in errors:
                errors["code"] = _("Another programme already uses the code {code}.").format(
                    code=code
                )
            if errors:
                raise ValidationError(errors)
            p = Programme() if dto.id is None else self._programme(s, dto.id)
            if dto.id is None:
                s.add(p)
            else:
                if dto.version is not None and dto.version != p.version:
                    raise StaleRecord(
                        _(
                            "Someone else has changed the programme {code} since you opened "
                            "it, so your changes have not been saved yet. Compare both versions "
                            "and choose what to keep."
                        ).format(code=p.code),
                        current=_programme_dto(p, s=s),
                    )
                p.version += 1
            p.code, p.name, p.category = code, dto.name.strip(), dto.category
            p.description, p.start, p.end = dto.description, dto.start, dto.end
            p.responsible_staff_id = dto.responsible_staff_id
            p.objectives = [o.strip() for o in dto.objectives if o.strip()]
            p.indirect_beneficiaries = dto.indirect_beneficiaries
            p.funders = list(s.scalars(select(Funder).where(Funder.id.in_(dto.funder_ids))))
            kept = {i.id: i for i in p.indicators}
            new_list = []
            for ind in dto.indicators:
                row = kept.get(ind.id) if ind.id else None
                row = row or Indicator()
                row.name, row.kind = ind.name.strip(), ind.kind
                row.target = ind.target
                row.manual_value = ind.manual_value if ind.kind == "manual" else None
                new_list.append(row)
            removed = [i.id for i in kept.values() if i not in new_list]
            p.indicators = new_list
            s.flush()
            write_translations(s, "programme", p.id, dto.translations)
            for ind, row in zip(dto.indicators, new_list, strict=True):
                write_translations(s, "indicator", row.id, ind.translations)
            forget_translations(s, "indicator", removed)
            return _programme_dto(p, s=s), Changes.of(Area.PROGRAMMES)

    def delete(self, programme_id: str) -> Changes:
        with self._db.begin() as s:
            now = utcnow()
            self._programme(s, programme_id).deleted_at = now
            # Its activities go with it: otherwise a person's enrolments, rosters and sheets
            # would still offer activities of a programme that no longer exists.
            for activity in s.scalars(
                select(Activity).where(
                    Activity.programme_id == programme_id, Activity.deleted_at.is_(None)
                )
            ):
                activity.deleted_at = now
        return Changes.of(Area.PROGRAMMES, Area.ACTIVITIES, Area.SESSIONS)

    def _programme(self, s: OrmSession, programme_id: str) -> Programme:
        p = s.get(Programme, programme_id)
        if p is None or p.deleted_at is not None:
            raise UserError(_("This programme no longer exists."))
        return p

    # --- activities ---------------------------------------------------------------------------
    def activities(self, programme_id: str | None = None) -> list[ActivityDTO]:
        with self._db.read() as s:
            q = (
                select(Activity, Programme.code)
                .join(Programme, Programme.id == Activity.programme_id)
                .where(Activity.deleted_at.is_(None), Programme.deleted_at.is_(None))
                .order_by(Programme.code, Activity.name)
            )
            if programme_id:
                q = q.where(Activity.programme_id == programme_id)
            rows = s.execute(q).all()
            ids = [a.id for a, _code in rows]
            enrolled = dict(
                s.execute(
                    select(Enrolment.activity_id, func.count())
                    .where(Enrolment.activity_id.in_(ids))
                    .group_by(Enrolment.activity_id)
                ).all()
            )
            sessions = dict(
                s.execute(
                    select(Session.activity_id, func.count())
                    .where(Session.activity_id.in_(ids), Session.deleted_at.is_(None))
                    .group_by(Session.activity_id)
                ).all()
            )
            texts = translations_of(s, "activity", ids)
            return [
                replace(
                    _activity_dto(a, code, enrolled.get(a.id, 0), sessions.get(a.id, 0)),
                    translations=texts.get(a.id, ()),
                )
                for a, code in rows
            ]

    def activity(self, activity_id: str) -> ActivityDTO:
        with self._db.read() as s:
            a = self._activity(s, activity_id)
            code = s.scalar(select(Programme.code).where(Programme.id == a.programme_id)) or ""
            return _activity_dto(a, code, s=s)

    def save_activity(self, dto: ActivityDTO) -> tuple[ActivityDTO, Changes]:
        errors = validate_activity(dto)
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            programme = self._programme(s, dto.programme_id)
            a = Activity() if dto.id is None else self._activity(s, dto.id)
            if dto.id is None:
                s.add(a)
            else:
                if dto.version is not None and dto.version != a.version:
                    raise StaleRecord(
                        _(
                            "Someone else has changed the activity {name} since you opened it, "
                            "so your changes have not been saved yet. Compare both versions and "
                            "choose what to keep."
                        ).format(name=a.name),
                        current=_activity_dto(a, programme.code, s=s),
                    )
                a.version += 1
            a.programme_id, a.name, a.kind = programme.id, dto.name.strip(), dto.kind
            a.description, a.place_id = dto.description, dto.place_id
            a.start_time, a.end_time = dto.start_time, dto.end_time
            a.facilitators = list(s.scalars(select(Staff).where(Staff.id.in_(dto.facilitator_ids))))
            s.flush()
            write_translations(s, "activity", a.id, dto.translations)
            return _activity_dto(a, programme.code, s=s), Changes.of(Area.ACTIVITIES)

    def delete_activity(self, activity_id: str) -> Changes:
        with self._db.begin() as s:
            self._activity(s, activity_id).deleted_at = utcnow()
        return Changes.of(Area.ACTIVITIES, Area.SESSIONS)

    def _activity(self, s: OrmSession, activity_id: str) -> Activity:
        a = s.get(Activity, activity_id)
        if a is None or a.deleted_at is not None:
            raise UserError(_("This activity no longer exists."))
        return a

    # --- categories (settings) ---------------------------------------------------------------
    def save_categories(self, rows: list[CategoryDTO]) -> Changes:
        """Replace the category list (order = position). Codes in use cannot disappear: they
        are kept, inactive, so old programmes still show their category."""
        errors: dict[str, str] = {}
        codes = [r.code.strip() for r in rows]
        if any(
            not c or not r.name_ca.strip() or not r.name_es.strip()
            for c, r in zip(codes, rows, strict=True)
        ):
            errors["categories"] = _("Every category needs a code and a name in both languages.")
        elif len(set(codes)) != len(codes):
            errors["categories"] = _("Two categories have the same code.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            existing = {c.code: c for c in s.scalars(select(ProgrammeCategory))}
            used = set(s.scalars(select(Programme.category).distinct()))
            for position, (code, row) in enumerate(zip(codes, rows, strict=True)):
                cat = existing.pop(code, None) or ProgrammeCategory(code=code)
                cat.name_ca, cat.name_es = row.name_ca.strip(), row.name_es.strip()
                cat.position, cat.active = position, row.active
                s.add(cat)
            for code, cat in existing.items():
                if code in used:
                    cat.active, cat.position = False, len(codes) + cat.position
                else:
                    s.delete(cat)
        return Changes.of(Area.CATEGORIES, Area.PROGRAMMES)
