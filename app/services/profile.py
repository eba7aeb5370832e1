"""The entity profile and the small reference lists: staff, places, funders, categories."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select

from app.db.engine import Database
from app.db.models import EntityProfile, Funder, Place, ProgrammeCategory, Staff
from app.domain.changes import Area, Changes
from app.domain.profile import CategoryDTO, EntityProfileDTO, FunderDTO, PlaceDTO, StaffDTO
from app.errors import ValidationError
from app.i18n import LANGUAGES, _


def _profile_dto(p: EntityProfile) -> EntityProfileDTO:
    return EntityProfileDTO(
        id=p.id,
        name=p.name,
        tax_id=p.tax_id,
        address=p.address,
        logo=p.logo,
        default_lang=p.default_lang,
        region=p.region,
        privacy_controller=p.privacy_controller,
        privacy_purpose=p.privacy_purpose,
        privacy_legal_basis=p.privacy_legal_basis,
        privacy_recipients=p.privacy_recipients,
        privacy_rights_contact=p.privacy_rights_contact,
    )


class ProfileService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def is_empty(self) -> bool:
        """True for a database nobody has started yet (no profile): the welcome dialog shows."""
        with self._db.read() as s:
            return s.scalar(select(EntityProfile.id).limit(1)) is None

    def get(self) -> EntityProfileDTO | None:
        with self._db.read() as s:
            p = s.scalar(select(EntityProfile).limit(1))
            return _profile_dto(p) if p else None

    def save(self, profile: EntityProfileDTO) -> tuple[EntityProfileDTO, Changes]:
        errors: dict[str, str] = {}
        if not profile.name.strip():
            errors["name"] = _("The entity needs a name.")
        if profile.default_lang not in LANGUAGES:
            errors["default_lang"] = _("Choose Catalan or Spanish.")
        if profile.region not in ("CT", "VC"):
            errors["region"] = _("Choose Catalonia or the Valencian Community.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.scalar(select(EntityProfile).limit(1))
            values = asdict(profile)
            values.pop("id")
            values["name"] = values["name"].strip()
            if row is None:
                row = EntityProfile(**values)
                s.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            s.flush()
            return _profile_dto(row), Changes.of(Area.PROFILE)

    def staff(self, *, active_only: bool = False) -> list[StaffDTO]:
        with self._db.read() as s:
            q = select(Staff).where(Staff.deleted_at.is_(None)).order_by(Staff.name)
            if active_only:
                q = q.where(Staff.active.is_(True))
            return [StaffDTO(r.id, r.name, r.role, r.email, r.active) for r in s.scalars(q)]

    def places(self) -> list[PlaceDTO]:
        with self._db.read() as s:
            q = select(Place).where(Place.deleted_at.is_(None)).order_by(Place.name)
            return [PlaceDTO(r.id, r.name, r.address) for r in s.scalars(q)]

    def funders(self) -> list[FunderDTO]:
        with self._db.read() as s:
            q = select(Funder).where(Funder.deleted_at.is_(None)).order_by(Funder.name)
            return [FunderDTO(r.id, r.name, r.support_text, r.logo) for r in s.scalars(q)]

    def categories(self, *, active_only: bool = False) -> list[CategoryDTO]:
        with self._db.read() as s:
            q = select(ProgrammeCategory).order_by(ProgrammeCategory.position)
            if active_only:
                q = q.where(ProgrammeCategory.active.is_(True))
            return [CategoryDTO(r.code, r.name_ca, r.name_es, r.active) for r in s.scalars(q)]
