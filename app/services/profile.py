"""The entity profile and the small reference lists: staff, places, funders, categories."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import EntityProfile, Funder, LocalDay, Place, ProgrammeCategory, Staff
from app.domain.changes import Area, Changes
from app.domain.profile import (
    LOCAL_DAY_KINDS,
    CategoryDTO,
    EntityProfileDTO,
    FunderDTO,
    LocalDayDTO,
    PlaceDTO,
    StaffDTO,
)
from app.domain.texts import PROFILE_ROW, Translations
from app.errors import ValidationError
from app.i18n import LANGUAGES, _, current_language
from app.services.texts import swap_main_language, translations_of, write_translations


def _profile_dto(p: EntityProfile, s: OrmSession | None = None) -> EntityProfileDTO:
    """``s`` given: with the versions of its texts in the other languages."""
    texts = translations_of(s, "entity_profile", [PROFILE_ROW]) if s is not None else {}
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
        translations=texts.get(PROFILE_ROW, ()) if s is not None else None,
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
            return _profile_dto(p, s) if p else None

    def save(self, profile: EntityProfileDTO) -> tuple[EntityProfileDTO, Changes]:
        errors: dict[str, str] = {}
        if not profile.name.strip():
            errors["name"] = _("The entity needs a name.")
        if profile.default_lang not in LANGUAGES:
            errors["default_lang"] = _("Choose Catalan, Valencian or Spanish.")
        if profile.region not in ("CT", "VC"):
            errors["region"] = _("Choose Catalonia or the Valencian Community.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.scalar(select(EntityProfile).limit(1))
            old_lang = row.default_lang if row is not None else profile.default_lang
            values = asdict(profile)
            values.pop("id")
            values.pop("translations")
            values["name"] = values["name"].strip()
            if row is None:
                row = EntityProfile(**values)
                s.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            s.flush()
            write_translations(s, "entity_profile", PROFILE_ROW, profile.translations)
            # The records' own columns hold the entity's language: a change swaps them.
            swap_main_language(s, old_lang, profile.default_lang)
            return _profile_dto(row, s), Changes.of(Area.PROFILE)

    def staff(self, *, active_only: bool = False) -> list[StaffDTO]:
        with self._db.read() as s:
            q = select(Staff).where(Staff.deleted_at.is_(None)).order_by(Staff.name)
            if active_only:
                q = q.where(Staff.active.is_(True))
            return [
                StaffDTO(r.id, r.name, r.role, r.email, r.active, r.login) for r in s.scalars(q)
            ]

    def places(self) -> list[PlaceDTO]:
        with self._db.read() as s:
            q = select(Place).where(Place.deleted_at.is_(None)).order_by(Place.name)
            return [PlaceDTO(r.id, r.name, r.address) for r in s.scalars(q)]

    def funders(self) -> list[FunderDTO]:
        with self._db.read() as s:
            q = select(Funder).where(Funder.deleted_at.is_(None)).order_by(Funder.name)
            rows = list(s.scalars(q))
            texts = translations_of(s, "funder", [r.id for r in rows])
            return [
                FunderDTO(r.id, r.name, r.support_text, r.logo, texts.get(r.id, ())) for r in rows
            ]

    def categories(self, *, active_only: bool = False) -> list[CategoryDTO]:
        with self._db.read() as s:
            q = select(ProgrammeCategory).order_by(ProgrammeCategory.position)
            if active_only:
                q = q.where(ProgrammeCategory.active.is_(True))
            return [CategoryDTO(r.code, r.name_ca, r.name_es, r.active) for r in s.scalars(q)]

    # --- staff, places and funders: small lists edited in the settings -----------------------
    def save_staff(self, dto: StaffDTO) -> tuple[StaffDTO, Changes]:
        if not dto.name.strip():
            raise ValidationError({"name": _("Write the person's name.")})
        if dto.email and "@" not in dto.email:
            raise ValidationError({"email": _("That email address is not valid.")})
        login = dto.login.strip()
        if login and not re.fullmatch(r"[a-z_][a-z0-9_.\-]{0,62}", login):
            raise ValidationError(
                {"login": _("A login is written in lower-case letters, digits, dots and hyphens.")}
            )
        row = self._upsert(
            Staff,
            dto.id,
            name=dto.name.strip(),
            role=dto.role.strip(),
            email=dto.email.strip(),
            active=dto.active,
            login=login,
        )
        return StaffDTO(
            row["id"], dto.name.strip(), dto.role.strip(), dto.email.strip(), dto.active, login
        ), Changes.of(Area.STAFF)

    def save_place(self, dto: PlaceDTO) -> tuple[PlaceDTO, Changes]:
        if not dto.name.strip():
            raise ValidationError({"name": _("Write the place's name.")})
        row = self._upsert(Place, dto.id, name=dto.name.strip(), address=dto.address.strip())
        return PlaceDTO(row["id"], dto.name.strip(), dto.address.strip()), Changes.of(Area.PLACES)

    def save_funder(self, dto: FunderDTO) -> tuple[FunderDTO, Changes]:
        if not dto.name.strip():
            raise ValidationError({"name": _("Write the funder's name.")})
        row = self._upsert(
            Funder,
            dto.id,
            translations=("funder", dto.translations),
            name=dto.name.strip(),
            support_text=dto.support_text.strip(),
            logo=dto.logo,
        )
        return (
            FunderDTO(
                row["id"], dto.name.strip(), dto.support_text.strip(), dto.logo, dto.translations
            ),
            Changes.of(Area.FUNDERS),
        )

    def delete(self, kind: str, record_id: str) -> Changes:
        """Hide a staff member, place or funder (soft delete: what they took part in stays)."""
        models: dict[str, tuple[type[Staff | Place | Funder], Area]] = {
            "staff": (Staff, Area.STAFF),
            "place": (Place, Area.PLACES),
            "funder": (Funder, Area.FUNDERS),
        }
        model, area = models[kind]
        with self._db.begin() as s:
            row = s.get(model, record_id)
            if isinstance(row, Staff | Place | Funder):
                row.deleted_at = utcnow()
        return Changes.of(area)

    # --- the entity's own calendar: local holidays and school breaks ----------------------------
    def local_days(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[LocalDayDTO]:
        """The local holidays and school breaks, by date; those touching the period if given."""
        with self._db.read() as s:
            q = select(LocalDay).order_by(LocalDay.date_from, LocalDay.name)
            if date_from is not None:
                q = q.where(LocalDay.date_to >= date_from)
            if date_to is not None:
                q = q.where(LocalDay.date_from <= date_to)
            return [LocalDayDTO(r.id, r.name, r.date_from, r.date_to, r.kind) for r in s.scalars(q)]

    def save_local_day(self, dto: LocalDayDTO) -> tuple[LocalDayDTO, Changes]:
        errors: dict[str, str] = {}
        if not dto.name.strip():
            errors["name"] = _("Write the name of the holiday or break.")
        if dto.date_to < dto.date_from:
            errors["date_to"] = _("The last day cannot be before the first.")
        elif (dto.date_to - dto.date_from).days > 366:
            errors["date_to"] = _("A break lasts a year at most.")
        if dto.kind not in LOCAL_DAY_KINDS:
            errors["kind"] = _("Choose a local holiday or a school break.")
        if errors:
            raise ValidationError(errors)
        row = self._upsert(
            LocalDay,
            dto.id,
            name=dto.name.strip(),
            date_from=dto.date_from,
            date_to=dto.date_to,
            kind=dto.kind,
        )
        saved = LocalDayDTO(row["id"], dto.name.strip(), dto.date_from, dto.date_to, dto.kind)
        return saved, Changes.of(Area.PROFILE)

    @staticmethod
    def known_municipalities() -> list[str]:
        """The municipalities whose local holidays the ``holidays`` package knows (today only
        Barcelona); every other municipality's are typed in."""
        from holidays.countries.spain import Spain  # a large package: only when asked

        return sorted(code for code in Spain.subdivisions if len(code) > 2)

    def municipal_holidays(self, municipality: str, year: int) -> list[LocalDayDTO]:
        """The local holidays of a municipality the ``holidays`` package knows, in ``year``:
        its days that are not its region's (named in the interface language)."""
        import holidays as holidays_lib
        from holidays.countries.spain import Spain

        if municipality not in self.known_municipalities():
            return []
        lang = "es" if current_language() == "es" else "ca"

        def days(subdiv: str) -> dict[dt.date, str]:
            found = holidays_lib.country_holidays("ES", subdiv=subdiv, years=year, language=lang)
            return {d: str(name) for d, name in found.items()}

        town = days(municipality)
        regions = [code for code in Spain.subdivisions if len(code) == 2]
        local = min(({d: n for d, n in town.items() if d not in days(r)} for r in regions), key=len)
        return [LocalDayDTO("", name, day, day) for day, name in sorted(local.items())]

    def add_municipal_holidays(
        self, municipality: str, year: int
    ) -> tuple[list[LocalDayDTO], Changes]:
        """Add a known municipality's local holidays of ``year`` to the calendar (those already
        there, the same day, are left as they are)."""
        wanted = self.municipal_holidays(municipality, year)
        have = {(d.date_from, d.date_to) for d in self.local_days()}
        added = []
        for day in wanted:
            if (day.date_from, day.date_to) not in have:
                saved, _changes = self.save_local_day(day)
                added.append(saved)
        return added, Changes.of(Area.PROFILE)

    def delete_local_day(self, record_id: str) -> Changes:
        """Remove a local holiday or break (sessions already planned stay as they are)."""
        with self._db.begin() as s:
            row = s.get(LocalDay, record_id)
            if row is not None:
                s.delete(row)
        return Changes.of(Area.PROFILE)

    def _upsert(
        self,
        model: Any,
        record_id: str,
        translations: tuple[str, Translations | None] | None = None,
        **values: Any,
    ) -> dict[str, str]:
        with self._db.begin() as s:
            row = s.get(model, record_id) if record_id else None
            if row is None:
                row = model(**values)
                s.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
            s.flush()
            if translations is not None:
                write_translations(s, translations[0], row.id, translations[1])
            return {"id": row.id}
