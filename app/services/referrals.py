"""Referrals of a person to or from an organisation of the territory (derivacions)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import Activity, Organisation, Participant, Programme, Referral
from app.domain.changes import Area, Changes
from app.domain.networks import REFERRAL_STATUSES, ReferralDTO
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.network_reads import names

REFERRALS = Changes.of(Area.PEOPLE, Area.ORGANISATIONS)


class ReferralService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def for_participant(self, participant_id: str) -> list[ReferralDTO]:
        """A person's referrals, latest first."""
        with self._db.read() as s:
            q = select(Referral).where(Referral.participant_id == participant_id)
            return self._dtos(s, q)

    def for_organisation(self, organisation_id: str) -> list[ReferralDTO]:
        """Referrals to or from an organisation, latest first; erased people are left out."""
        with self._db.read() as s:
            q = (
                select(Referral)
                .join(Participant, Participant.id == Referral.participant_id)
                .where(
                    (Referral.from_organisation_id == organisation_id)
                    | (Referral.to_organisation_id == organisation_id),
                    Participant.blocked_at.is_(None),
                    Participant.deleted_at.is_(None),
                )
            )
            return self._dtos(s, q)

    def followed(self) -> list[ReferralDTO]:
        """Every referral to a service, latest first, with where it came from and its
        follow-up; erased people are left out."""
        with self._db.read() as s:
            q = (
                select(Referral)
                .join(Participant, Participant.id == Referral.participant_id)
                .where(
                    Referral.to_organisation_id.is_not(None),
                    Participant.blocked_at.is_(None),
                    Participant.deleted_at.is_(None),
                )
            )
            return self._dtos(s, q)

    @staticmethod
    def _dtos(s: Session, q) -> list[ReferralDTO]:  # type: ignore[no-untyped-def]
        rows = list(s.scalars(q.order_by(Referral.date.desc(), Referral.created_at.desc())))
        orgs = names(
            s,
            Organisation,
            (i for r in rows for i in (r.from_organisation_id, r.to_organisation_id)),
        )
        people = {
            p.id: f"{p.given_name} {p.family_names}".strip()
            for p in s.scalars(
                select(Participant).where(Participant.id.in_({r.participant_id for r in rows}))
            )
        }
        codes = dict(
            s.execute(
                select(Programme.id, Programme.code).where(
                    Programme.id.in_({r.programme_id for r in rows if r.programme_id})
                )
            ).all()
        )
        activities = names(s, Activity, (r.activity_id for r in rows))
        return [
            ReferralDTO(
                id=r.id,
                participant_id=r.participant_id,
                date=r.date,
                from_organisation_id=r.from_organisation_id,
                to_organisation_id=r.to_organisation_id,
                reason=r.reason,
                status=r.status,
                participant_name=people.get(r.participant_id, ""),
                from_name=orgs.get(r.from_organisation_id or "", ""),
                to_name=orgs.get(r.to_organisation_id or "", ""),
                programme_id=r.programme_id,
                activity_id=r.activity_id,
                reached=r.reached,
                followed_up_on=r.followed_up_on,
                follow_up=r.follow_up,
                programme_code=codes.get(r.programme_id or "", ""),
                activity_name=activities.get(r.activity_id or "", ""),
            )
            for r in rows
        ]

    def save(self, referral: ReferralDTO) -> tuple[ReferralDTO, Changes]:
        errors: dict[str, str] = {}
        if referral.date is None:
            errors["date"] = _("The referral needs a date.")
        if not referral.from_organisation_id and not referral.to_organisation_id:
            errors["to_organisation_id"] = _(
                "Choose the organisation the person is referred to or from."
            )
        elif referral.from_organisation_id == referral.to_organisation_id:
            errors["to_organisation_id"] = _("A referral goes between two different organisations.")
        if referral.status not in REFERRAL_STATUSES:
            errors["status"] = _("Choose the status of the referral.")
        with self._db.begin() as s:
            person = s.get(Participant, referral.participant_id)
            if person is None or person.deleted_at is not None:
                raise UserError(_("This person no longer exists."))
            if person.blocked_at is not None:
                raise UserError(_("This person's data has been erased and cannot change."))
            for key in ("from_organisation_id", "to_organisation_id"):
                oid = getattr(referral, key)
                if oid and s.get(Organisation, oid) is None:
                    errors[key] = _("The organisation no longer exists.")
            activity = s.get(Activity, referral.activity_id) if referral.activity_id else None
            if referral.activity_id and activity is None:
                errors["activity_id"] = _("The activity no longer exists.")
            elif activity is not None and referral.programme_id not in (
                None,
                activity.programme_id,
            ):
                errors["activity_id"] = _("The activity is not one of the programme's.")
            if referral.programme_id and s.get(Programme, referral.programme_id) is None:
                errors["programme_id"] = _("The programme no longer exists.")
            if referral.followed_up_on is not None and referral.followed_up_on < referral.date:
                errors["followed_up_on"] = _("The follow-up cannot come before the referral.")
            if errors:
                raise ValidationError(errors)
            row = s.get(Referral, referral.id) if referral.id else Referral()
            if row is None:
                raise UserError(_("This referral no longer exists."))
            row.participant_id = referral.participant_id
            row.date = referral.date
            row.from_organisation_id = referral.from_organisation_id
            row.to_organisation_id = referral.to_organisation_id
            row.reason = referral.reason.strip()
            row.status = referral.status
            row.activity_id = referral.activity_id
            row.programme_id = referral.programme_id or (
                activity.programme_id if activity is not None else None
            )
            row.reached = referral.reached
            row.followed_up_on = referral.followed_up_on
            row.follow_up = referral.follow_up.strip()
            s.add(row)
            s.flush()
            return self._dtos(s, select(Referral).where(Referral.id == row.id))[0], REFERRALS

    def delete(self, referral_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(Referral, referral_id)
            if row is not None:
                person = s.get(Participant, row.participant_id)
                if person is not None and person.blocked_at is not None:
                    raise UserError(_("This person's data has been erased and cannot change."))
                s.delete(row)
        return REFERRALS
