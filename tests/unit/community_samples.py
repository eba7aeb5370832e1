"""Community work in the interchange samples: a group with a contact, stages and a meeting of
its own, a mediation case with its team, parties, a session and an agreement, and a need."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.db.models import (
    Agreement,
    CommunityGroup,
    GroupContact,
    GroupStage,
    MediationCase,
    MediationParty,
    MediationSession,
    MediationStaff,
    Need,
    NetworkMeeting,
    Referral,
)


def add_community(
    s: Any,
    staff_id: str,
    organisation_id: str,
    participant_id: str,
    activity_id: str,
    session_id: str,
    meeting_id: str,
    programme_id: str,
) -> None:
    group = CommunityGroup(
        name="Comunitat Olzinelles 12",
        kind="residents_community",
        neighbourhood="La Bordeta",
        staff_id=staff_id,
        notes="Escala B",
    )
    s.add(group)
    s.flush()
    s.add(GroupContact(group_id=group.id, participant_id=participant_id, role="Presidenta"))
    s.add(GroupContact(group_id=group.id, person_name="Sr. Pons", phone="600000000"))
    s.add(GroupStage(group_id=group.id, stage="first_contact", date=dt.date(2026, 1, 10)))
    s.add(
        GroupStage(group_id=group.id, stage="constituted", date=dt.date(2026, 3, 2), notes="Acta")
    )
    own = NetworkMeeting(group_id=group.id, date=dt.date(2026, 2, 12), status="held", minutes="Ok")
    case = MediationCase(
        reference="MED-01",
        conflict_kind="public_space",
        neighbourhood="Sants",
        opened_on=dt.date(2026, 2, 1),
        closed_on=dt.date(2026, 3, 1),
        outcome="agreement",
        summary="Soroll a la plaça",
    )
    s.add_all([own, case])
    s.flush()
    s.add(Agreement(meeting_id=own.id, number=1, text="Demanar la clau del local"))
    agreement = Agreement(mediation_case_id=case.id, number=1, text="Horari de la pista")
    s.add(agreement)
    s.add(MediationStaff(case_id=case.id, staff_id=staff_id))
    s.add(MediationParty(case_id=case.id, participant_id=participant_id))
    s.add(MediationParty(case_id=case.id, group_id=group.id))
    s.add(MediationParty(case_id=case.id, name="Veïns del número 3"))
    s.add(MediationSession(case_id=case.id, session_id=session_id))
    s.flush()
    s.add(
        Need(
            title="Falta d'espais per a joves",
            description="A les tardes",
            place="Plaça de Sants",
            detected_on=dt.date(2026, 2, 5),
            meeting_id=meeting_id,
            group_id=group.id,
            response="network_agreement",
            response_date=dt.date(2026, 2, 20),
            response_agreement_id=agreement.id,
            response_activity_id=activity_id,
            response_organisation_id=organisation_id,
            activity_id=activity_id,
            response_notes="Obert el casal",
        )
    )
    s.add(
        Referral(
            participant_id=participant_id,
            to_organisation_id=organisation_id,
            date=dt.date(2026, 2, 11),
            programme_id=programme_id,
            activity_id=activity_id,
            reached=True,
            followed_up_on=dt.date(2026, 3, 1),
            follow_up="Ja hi va",
        )
    )
