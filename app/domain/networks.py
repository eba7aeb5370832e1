"""Territorial networks as the services hand them out: spaces and commissions, the directory of
organisations, meetings with attendees and agreements, the minutes' data and referrals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.domain.figures import duration_hours
from app.i18n import N_, _

#: The entity's role in a space.
SPACE_ROLES: dict[str, str] = {
    "member": N_("Member"),
    "driving_group": N_("Driving group"),
    "coordination": N_("Coordination"),
}
ORGANISATION_KINDS: dict[str, str] = {
    "public_service": N_("Public service"),
    "social_services": N_("Social services"),
    "health_centre": N_("Health centre"),
    "school": N_("School"),
    "association": N_("Association"),
    "facility": N_("Facility"),
    "other": N_("Other"),
}
ATTENDEE_STATUSES: dict[str, str] = {"attended": N_("Attended"), "apologised": N_("Apologised")}
#: A meeting is planned (entered ahead of time), held or cancelled; only held ones count.
MEETING_STATUSES: dict[str, str] = {
    "planned": N_("Planned"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
}
AGREEMENT_STATUSES: dict[str, str] = {
    "open": N_("Open"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
CLOSING_STATUSES = ("done", "dropped")
REFERRAL_STATUSES: dict[str, str] = {
    "open": N_("Pending"),
    "accepted": N_("Accepted"),
    "closed": N_("Closed"),
    "rejected": N_("Rejected"),
}


def status_for_date(day: dt.date, today: dt.date) -> str:
    """The status of a meeting nobody has said anything about: held when dated before today,
    planned from today on (the migration and old interchange files follow the same rule)."""
    return "held" if day < today else "planned"


@dataclass(frozen=True)
class OrganisationDTO:
    id: str | None
    name: str
    kind: str = "other"
    contact: str = ""


@dataclass(frozen=True)
class SpaceDTO:
    """A network, round table or group; a commission when ``parent_id`` is set."""

    id: str | None
    name: str
    parent_id: str | None = None
    territory: str = ""
    role: str = "member"
    representative_staff_id: str | None = None
    active: bool = True
    #: Filled in by the service (read only).
    representative_name: str = ""
    depth: int = 0


@dataclass(frozen=True)
class AttendeeDTO:
    """Our staff (``staff_id``) or a person of another organisation (``person_name``)."""

    staff_id: str | None = None
    person_name: str = ""
    organisation_id: str | None = None
    status: str = "attended"
    #: Filled in by the service (read only).
    name: str = ""
    organisation_name: str = ""


@dataclass(frozen=True)
class AgreementDTO:
    id: str | None
    text: str
    owner_staff_id: str | None = None
    owner_organisation_id: str | None = None
    due_date: dt.date | None = None
    status: str = "open"
    #: Filled in by the service (read only).
    number: int = 0
    meeting_id: str | None = None
    meeting_date: dt.date | None = None
    space_id: str | None = None
    space_name: str = ""
    #: The accompanied group whose meeting adopted it (its name is in ``space_name``).
    group_id: str | None = None
    owner_name: str = ""
    closed_in_meeting_id: str | None = None
    closed_in_date: dt.date | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == "open" and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class MeetingDTO:
    id: str | None
    space_id: str
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    online: bool = False
    agenda: tuple[str, ...] = ()
    minutes: str = ""
    programme_ids: tuple[str, ...] = ()
    attendees: tuple[AttendeeDTO, ...] = ()
    #: Adopted in this meeting, in their numbered order (numbers are given on saving).
    agreements: tuple[AgreementDTO, ...] = ()
    #: Earlier agreements closed in this meeting: (agreement id, "done" | "dropped"). On saving,
    #: earlier agreements closed here but no longer listed are opened again.
    closures: tuple[tuple[str, str], ...] = ()
    #: planned, held or cancelled. None on saving: held when it has attendees who attended or
    #: minutes, otherwise by its date (``status_for_date``); an existing meeting keeps its own.
    status: str | None = None
    #: Why it was cancelled (required for a cancelled meeting).
    cancellation_reason: str = ""
    #: Filled in by the service (read only).
    space_name: str = ""
    #: The meeting's version when it was read (None: not checked, as for a new meeting).
    version: int | None = None

    @property
    def hours(self) -> float:
        return duration_hours(self.start_time, self.end_time)

    def has_record(self) -> bool:
        """Whether it records the meeting happening: someone attended, or minutes are written."""
        return bool(self.minutes.strip()) or any(a.status == "attended" for a in self.attendees)


@dataclass(frozen=True)
class MeetingSummaryDTO:
    id: str
    space_id: str
    space_name: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    online: bool
    attended: int
    agreements: int
    status: str = "planned"
    cancellation_reason: str = ""


@dataclass(frozen=True)
class SpaceFigures:
    """Meetings of a space and its commissions in a period (see NetworkService.space_figures)."""

    meetings: int = 0
    hours: float = 0.0
    agreements_adopted: int = 0
    agreements_done: int = 0


@dataclass(frozen=True)
class ProgrammeChoice:
    id: str
    code: str
    name: str


@dataclass(frozen=True)
class MinutesPerson:
    name: str
    organisation: str = ""


@dataclass(frozen=True)
class MinutesAgreement:
    number: int
    text: str
    owner: str = ""
    due_date: dt.date | None = None
    #: For follow-up lines: the date of the meeting that adopted it and its status now.
    meeting_date: dt.date | None = None
    status: str = "open"


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes (acta) print, already resolved to names."""

    entity_name: str
    space_name: str
    parent_space_name: str
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    online: bool = False
    attendees: tuple[MinutesPerson, ...] = ()
    apologies: tuple[MinutesPerson, ...] = ()
    agenda: tuple[str, ...] = ()
    summary: str = ""
    agreements: tuple[MinutesAgreement, ...] = ()
    follow_up: tuple[MinutesAgreement, ...] = ()
    programmes: tuple[str, ...] = ()
    privacy: dict[str, str] = field(default_factory=dict)
    logo: bytes | None = None
    #: A meeting of an accompanied group: the group's kind (a ``GROUP_KINDS`` code) and
    #: neighbourhood; ``space_name`` is the group's name.
    group_kind: str = ""
    group_neighbourhood: str = ""


@dataclass(frozen=True)
class ReferralDTO:
    id: str | None
    participant_id: str
    date: dt.date
    from_organisation_id: str | None = None
    to_organisation_id: str | None = None
    reason: str = ""
    status: str = "open"
    #: Filled in by the service (read only).
    participant_name: str = ""
    from_name: str = ""
    to_name: str = ""
    #: Where it came from (optional) and its follow-up: did the person reach the service (None:
    #: not known yet), when it was checked, what came of it.
    programme_id: str | None = None
    activity_id: str | None = None
    reached: bool | None = None
    followed_up_on: dt.date | None = None
    follow_up: str = ""
    #: Filled in by the service (read only).
    programme_code: str = ""
    activity_name: str = ""


def validate_meeting_fields(
    date: dt.date | None,
    start_time: dt.time | None,
    end_time: dt.time | None,
    status: str | None,
    cancellation_reason: str,
) -> dict[str, str]:
    """A meeting's own fields (the form and an imported file check them the same way)."""
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("The meeting needs a date.")
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = _("The meeting must end after it starts.")
    if status is not None and status not in MEETING_STATUSES:
        errors["status"] = _("Choose a valid status.")
    elif status == "cancelled" and not cancellation_reason.strip():
        errors["cancellation_reason"] = _("Say why the meeting was cancelled.")
    return errors
