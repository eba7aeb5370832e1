"""Validation of a meeting before it is written: every problem is reported next to its field."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import NetworkSpace, Organisation, Programme, Staff
from app.domain.networks import (
    AGREEMENT_STATUSES,
    ATTENDEE_STATUSES,
    CLOSING_STATUSES,
    MeetingDTO,
    validate_meeting_fields,
)
from app.errors import ValidationError
from app.i18n import _


def validate_meeting(s: Session, m: MeetingDTO) -> None:
    errors: dict[str, str] = {}
    space = s.get(NetworkSpace, m.space_id) if m.space_id else None
    if space is None or space.deleted_at is not None:
        errors["space_id"] = _("Choose the space the meeting belongs to.")
    errors.update(
        validate_meeting_fields(m.date, m.start_time, m.end_time, m.status, m.cancellation_reason)
    )
    staff_ids = set(s.scalars(select(Staff.id)))
    org_ids = set(s.scalars(select(Organisation.id)))
    seen_staff: set[str] = set()
    for i, a in enumerate(m.attendees, start=1):
        if a.staff_id:
            if a.staff_id not in staff_ids:
                errors["attendees"] = _("Attendee {row}: choose a member of the team.").format(
                    row=i
                )
            elif a.staff_id in seen_staff:
                errors["attendees"] = _("Attendee {row} is listed twice.").format(row=i)
            seen_staff.add(a.staff_id)
        elif not a.person_name.strip():
            errors["attendees"] = _("Attendee {row}: write the person's name.").format(row=i)
        if a.organisation_id and a.organisation_id not in org_ids:
            errors["attendees"] = _("Attendee {row}: the organisation no longer exists.").format(
                row=i
            )
        if a.status not in ATTENDEE_STATUSES:
            errors["attendees"] = _("Attendee {row}: mark attended or apologised.").format(row=i)
    for i, ag in enumerate(m.agreements, start=1):
        if not ag.text.strip():
            errors["agreements"] = _("Agreement {number} has no text.").format(number=i)
        elif ag.owner_staff_id and ag.owner_organisation_id:
            errors["agreements"] = _(
                "Agreement {number}: the owner is a team member or an organisation, not both."
            ).format(number=i)
        elif (ag.owner_staff_id and ag.owner_staff_id not in staff_ids) or (
            ag.owner_organisation_id and ag.owner_organisation_id not in org_ids
        ):
            errors["agreements"] = _("Agreement {number}: the owner no longer exists.").format(
                number=i
            )
        elif ag.status not in AGREEMENT_STATUSES:
            errors["agreements"] = _("Agreement {number}: unknown status.").format(number=i)
        elif ag.due_date and m.date and ag.due_date < m.date:
            errors["agreements"] = _(
                "Agreement {number}: the due date is before the meeting."
            ).format(number=i)
    if any(status not in CLOSING_STATUSES for _id, status in m.closures):
        errors["closures"] = _("An agreement is closed as done or dropped.")
    if m.programme_ids:
        known = set(s.scalars(select(Programme.id).where(Programme.id.in_(m.programme_ids))))
        if set(m.programme_ids) - known:
            errors["programme_ids"] = _("A linked programme no longer exists.")
    if errors:
        raise ValidationError(errors)
