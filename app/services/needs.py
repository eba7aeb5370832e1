"""Participatory diagnosis: the needs and challenges detected in the territory, who raised them
(a meeting, an activity, a group), and what was done about them (an activity started, referrals,
an agreement in a network, passed on to a service)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Activity,
    Agreement,
    CommunityGroup,
    Need,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    meeting_programme,
)
from app.domain.changes import Area, Changes
from app.domain.community import NEED_RESPONSES, NeedDTO
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services.network_reads import names

NEEDS = Changes.of(Area.COMMUNITY)


@dataclass(frozen=True)
class NeedChoices:
    """What a need can point at, as (id, label) pairs."""

    meetings: tuple[tuple[str, str], ...]
    activities: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, str], ...]
    agreements: tuple[tuple[str, str], ...]
    organisations: tuple[tuple[str, str], ...]


def _meeting_labels(s: Session, ids: set[str] | None = None) -> dict[str, str]:
    q = (
        select(NetworkMeeting.id, NetworkMeeting.date, NetworkSpace.name, CommunityGroup.name)
        .outerjoin(NetworkSpace, NetworkSpace.id == NetworkMeeting.space_id)
        .outerjoin(CommunityGroup, CommunityGroup.id == NetworkMeeting.group_id)
        .where(NetworkMeeting.deleted_at.is_(None))
        .order_by(NetworkMeeting.date.desc())
    )
    if ids is not None:
        q = q.where(NetworkMeeting.id.in_(ids))
    return {i: f"{d:%d/%m/%Y} · {space or group or ''}" for i, d, space, group in s.execute(q)}


class NeedsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def needs(
        self, date_from: dt.date | None = None, date_to: dt.date | None = None
    ) -> list[NeedDTO]:
        """Live needs, latest detected first (within the dates when given)."""
        with self._db.read() as s:
            q = select(Need).where(Need.deleted_at.is_(None))
            if date_from is not None:
                q = q.where(Need.detected_on >= date_from)
            if date_to is not None:
                q = q.where(Need.detected_on <= date_to)
            return self._dtos(s, list(s.scalars(q.order_by(Need.detected_on.desc()))))

    @staticmethod
    def _dtos(s: Session, rows: list[Need]) -> list[NeedDTO]:
        meetings = _meeting_labels(s, {r.meeting_id for r in rows if r.meeting_id})
        activities = names(
            s, Activity, (i for r in rows for i in (r.activity_id, r.response_activity_id))
        )
        groups = names(s, CommunityGroup, (r.group_id for r in rows))
        orgs = names(s, Organisation, (r.response_organisation_id for r in rows))
        agreements = {
            a.id: f"{a.number}. {a.text}"
            for a in s.scalars(
                select(Agreement).where(
                    Agreement.id.in_(
                        {r.response_agreement_id for r in rows if r.response_agreement_id}
                    )
                )
            )
        }
        out = []
        for r in rows:
            raised = [
                meetings.get(r.meeting_id or "", ""),
                activities.get(r.activity_id or "", ""),
                groups.get(r.group_id or "", ""),
            ]
            answered = [
                activities.get(r.response_activity_id or "", ""),
                agreements.get(r.response_agreement_id or "", ""),
                orgs.get(r.response_organisation_id or "", ""),
            ]
            out.append(
                NeedDTO(
                    id=r.id,
                    title=r.title,
                    detected_on=r.detected_on,
                    description=r.description,
                    place=r.place,
                    meeting_id=r.meeting_id,
                    activity_id=r.activity_id,
                    group_id=r.group_id,
                    response=r.response,
                    response_date=r.response_date,
                    response_activity_id=r.response_activity_id,
                    response_agreement_id=r.response_agreement_id,
                    response_organisation_id=r.response_organisation_id,
                    response_notes=r.response_notes,
                    raised_by=" · ".join(x for x in raised if x),
                    answered_by=" · ".join(x for x in answered if x),
                )
            )
        return out

    def choices(self) -> NeedChoices:
        def pairs(q) -> tuple[tuple[str, str], ...]:  # type: ignore[no-untyped-def]
            return tuple((str(i), str(label)) for i, label in s.execute(q))

        with self._db.read() as s:
            meetings = tuple(_meeting_labels(s).items())
            activities = pairs(
                select(Activity.id, Activity.name)
                .where(Activity.deleted_at.is_(None))
                .order_by(Activity.name)
            )
            groups = pairs(
                select(CommunityGroup.id, CommunityGroup.name)
                .where(CommunityGroup.deleted_at.is_(None))
                .order_by(CommunityGroup.name)
            )
            agreements = tuple(
                (i, f"{d:%d/%m/%Y} · {number}. {txt}")
                for i, d, number, txt in s.execute(
                    select(Agreement.id, NetworkMeeting.date, Agreement.number, Agreement.text)
                    .join(NetworkMeeting, NetworkMeeting.id == Agreement.meeting_id)
                    .where(NetworkMeeting.deleted_at.is_(None))
                    .order_by(NetworkMeeting.date.desc(), Agreement.number)
                )
            )
            organisations = pairs(
                select(Organisation.id, Organisation.name)
                .where(Organisation.deleted_at.is_(None))
                .order_by(Organisation.name)
            )
        return NeedChoices(meetings, activities, groups, agreements, organisations)

    def save(self, need: NeedDTO) -> tuple[NeedDTO, Changes]:
        errors: dict[str, str] = {}
        if not need.title.strip():
            errors["title"] = _("Write what the need or challenge is.")
        if need.response not in NEED_RESPONSES:
            errors["response"] = _("Choose what was done about it.")
        if need.response_date is not None and need.response_date < need.detected_on:
            errors["response_date"] = _("The response cannot come before the need was detected.")
        if need.response == "activity" and not need.response_activity_id:
            errors["response_activity_id"] = _("Choose the activity that was started.")
        if need.response == "network_agreement" and not need.response_agreement_id:
            errors["response_agreement_id"] = _("Choose the agreement adopted.")
        if need.response == "passed_on" and not need.response_organisation_id:
            errors["response_organisation_id"] = _("Choose the service it was passed on to.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.get(Need, need.id) if need.id else Need()
            if row is None or row.deleted_at is not None:
                raise UserError(_("This need no longer exists."))
            row.title = need.title.strip()
            row.description = need.description.strip()
            row.place = need.place.strip()
            row.detected_on = need.detected_on
            row.meeting_id = need.meeting_id
            row.activity_id = need.activity_id
            row.group_id = need.group_id
            row.response = need.response
            row.response_date = need.response_date
            row.response_activity_id = need.response_activity_id
            row.response_agreement_id = need.response_agreement_id
            row.response_organisation_id = need.response_organisation_id
            row.response_notes = need.response_notes.strip()
            s.add(row)
            s.flush()
            return self._dtos(s, [row])[0], NEEDS

    def delete(self, need_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(Need, need_id)
            if row is not None:
                row.deleted_at = utcnow()
        return NEEDS


def needs_for_report(
    s: Session, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> tuple[NeedDTO, ...]:
    """The needs detected in the period, oldest first; for programmes, those raised or answered
    in their activities, at meetings linked to them or by their groups (as the figures)."""
    q = select(Need).where(
        Need.deleted_at.is_(None), Need.detected_on >= date_from, Need.detected_on <= date_to
    )
    if programme_ids is not None:
        activities = select(Activity.id).where(Activity.programme_id.in_(programme_ids))
        q = q.where(
            or_(
                Need.activity_id.in_(activities),
                Need.response_activity_id.in_(activities),
                Need.meeting_id.in_(
                    select(meeting_programme.c.meeting_id).where(
                        meeting_programme.c.programme_id.in_(programme_ids)
                    )
                ),
                Need.group_id.in_(
                    select(CommunityGroup.id).where(CommunityGroup.programme_id.in_(programme_ids))
                ),
            )
        )
    rows = list(s.scalars(q.order_by(Need.detected_on, Need.title)))
    return tuple(NeedsService._dtos(s, rows))
