"""Community work as the services hand it out: the groups the entity accompanies and their
stages, community mediation cases, needs detected and what was done about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.i18n import N_

GROUP_KINDS: dict[str, str] = {
    "residents_community": N_("Residents' community"),
    "neighbourhood_group": N_("Neighbourhood group"),
    "association": N_("Association"),
    "collective": N_("Collective"),
    "other": N_("Other"),
}
#: The stages of an accompaniment, in order: the last is the goal.
GROUP_STAGES: dict[str, str] = {
    "first_contact": N_("First contact"),
    "forming": N_("Group forming"),
    "meeting_regularly": N_("Meeting regularly"),
    "constituted": N_("Constituted"),
    "registered": N_("Registered (municipal or Generalitat register)"),
    "autonomous": N_("Autonomous"),
}
AUTONOMOUS = "autonomous"
CONFLICT_KINDS: dict[str, str] = {
    "neighbours": N_("Between neighbours"),
    "public_space": N_("Public space"),
    "coexistence": N_("Coexistence"),
    "other": N_("Other"),
}
CASE_OUTCOMES: dict[str, str] = {
    "agreement": N_("Agreement reached"),
    "partial_agreement": N_("Partial agreement"),
    "no_agreement": N_("No agreement"),
    "withdrawn": N_("A party withdrew"),
    "referred": N_("Referred to another service"),
}
NEED_RESPONSES: dict[str, str] = {
    "none": N_("Nothing yet"),
    "activity": N_("An activity started"),
    "referral": N_("Referrals"),
    "network_agreement": N_("An agreement in a network"),
    "passed_on": N_("Passed on to a service"),
}


@dataclass(frozen=True)
class GroupContactDTO:
    id: str | None = None
    participant_id: str | None = None
    person_name: str = ""
    phone: str = ""
    role: str = ""
    #: Filled in by the service: the person's name when it is one of the people in Teixit.
    name: str = ""


@dataclass(frozen=True)
class StageChangeDTO:
    id: str | None
    stage: str
    date: dt.date
    notes: str = ""


@dataclass(frozen=True)
class GroupDTO:
    id: str | None
    name: str
    kind: str = "neighbourhood_group"
    neighbourhood: str = ""
    staff_id: str | None = None
    organisation_id: str | None = None
    notes: str = ""
    contacts: tuple[GroupContactDTO, ...] = ()
    programme_id: str | None = None
    #: Filled in by the service (read only): the latest stage and when it was reached, the
    #: history oldest first, the group's meetings.
    stage: str = ""
    stage_date: dt.date | None = None
    history: tuple[StageChangeDTO, ...] = ()
    meetings: int = 0


@dataclass(frozen=True)
class GroupMeetingDTO:
    """A meeting of a group: the same meeting, minutes and agreements as a network's."""

    id: str | None
    group_id: str
    date: dt.date
    place: str = ""
    minutes: str = ""
    status: str = "held"
    agreements: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartyDTO:
    id: str | None = None
    participant_id: str | None = None
    group_id: str | None = None
    name: str = ""
    #: Filled in by the service: the name shown.
    label: str = ""


@dataclass(frozen=True)
class CaseDTO:
    id: str | None
    reference: str
    opened_on: dt.date
    conflict_kind: str = "neighbours"
    neighbourhood: str = ""
    closed_on: dt.date | None = None
    outcome: str | None = None
    summary: str = ""
    staff_ids: tuple[str, ...] = ()
    parties: tuple[PartyDTO, ...] = ()
    session_ids: tuple[str, ...] = ()
    #: The agreements reached, in order (texts).
    agreements: tuple[str, ...] = ()
    #: Filled in by the service (read only).
    staff_names: tuple[str, ...] = ()
    sessions_held: int = 0


@dataclass(frozen=True)
class NeedDTO:
    id: str | None
    title: str
    detected_on: dt.date
    description: str = ""
    place: str = ""
    meeting_id: str | None = None
    activity_id: str | None = None
    group_id: str | None = None
    response: str = "none"
    response_date: dt.date | None = None
    response_activity_id: str | None = None
    response_agreement_id: str | None = None
    response_organisation_id: str | None = None
    response_notes: str = ""
    #: Filled in by the service (read only): what raised it and what answered it, in words.
    raised_by: str = ""
    answered_by: str = ""


@dataclass(frozen=True)
class CommunityFigures:
    """The figures of community work in a period (defined once, in services/community_figures)."""

    groups_accompanied: int = 0
    groups_by_stage: dict[str, int] = field(default_factory=dict)
    groups_autonomous_in_period: int = 0
    group_meetings: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    cases_closed_by_outcome: dict[str, int] = field(default_factory=dict)
    needs_detected: int = 0
    needs_answered: int = 0
    needs_by_response: dict[str, int] = field(default_factory=dict)
