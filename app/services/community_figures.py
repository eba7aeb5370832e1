"""The figures of community work in a period, defined once (Home, the Community page, the
justification report and computed indicators all read them from here).

- **Groups accompanied**: live groups whose accompaniment began by the end of the period and
  that were not already autonomous when it started (a group that becomes autonomous during the
  period was accompanied in it). **By stage**: each one's stage at the end of the period.
  **Reaching autonomy**: groups with a change to *autonomous* dated in the period.
- **Group meetings**: held meetings of accompanied groups dated in the period.
- **Mediation cases opened** in the period; **closed** in it, by outcome.
- **Needs detected** in the period; of those, **answered** (something was done), by response.

For programmes: the groups whose programme it is; the cases with a session of its activities;
the needs raised or answered in its activities or at meetings linked to it. The whole entity
counts every one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from app.db.models import (
    Activity,
    CommunityGroup,
    GroupStage,
    MediationCase,
    MediationSession,
    Need,
    NetworkMeeting,
    meeting_programme,
)
from app.db.models import Session as ActivitySession
from app.domain.community import AUTONOMOUS, GROUP_STAGES, CommunityFigures


def community_figures(
    s: Session,
    programme_ids: Sequence[str] | None,
    date_from: dt.date,
    date_to: dt.date,
    counts_only: bool = False,
) -> CommunityFigures:
    """``counts_only``: the mediation cases counted by the office database's counting function
    (migration 0017_viewer_counts), for a login that may not read them; the same figures."""
    groups = select(CommunityGroup.id).where(CommunityGroup.deleted_at.is_(None))
    if programme_ids is not None:
        groups = groups.where(CommunityGroup.programme_id.in_(programme_ids))
    history: dict[str, list[tuple[dt.date, str]]] = {}
    for group_id, day, stage in s.execute(
        select(GroupStage.group_id, GroupStage.date, GroupStage.stage)
        .where(GroupStage.group_id.in_(groups.scalar_subquery()), GroupStage.date <= date_to)
        .order_by(GroupStage.date, GroupStage.created_at)
    ):
        history.setdefault(group_id, []).append((day, stage))
    by_stage: Counter[str] = Counter()
    accompanied: set[str] = set()
    autonomy = 0
    for group_id, changes in history.items():
        before = [stage for day, stage in changes if day < date_from]
        if before and before[-1] == AUTONOMOUS:
            continue
        accompanied.add(group_id)
        by_stage[changes[-1][1]] += 1
        if any(stage == AUTONOMOUS and day >= date_from for day, stage in changes):
            autonomy += 1
    meetings = 0
    if accompanied:
        meetings = len(
            s.scalars(
                select(NetworkMeeting.id).where(
                    NetworkMeeting.group_id.in_(accompanied),
                    NetworkMeeting.deleted_at.is_(None),
                    NetworkMeeting.status == "held",
                    NetworkMeeting.date >= date_from,
                    NetworkMeeting.date <= date_to,
                )
            ).all()
        )

    if counts_only:
        opened, closed, by_outcome = _counted_cases(s, programme_ids, date_from, date_to)
    else:
        opened, closed, by_outcome = _cases(s, programme_ids, date_from, date_to)

    needs = select(Need.response).where(
        Need.deleted_at.is_(None), Need.detected_on >= date_from, Need.detected_on <= date_to
    )
    if programme_ids is not None:
        activities = select(Activity.id).where(Activity.programme_id.in_(programme_ids))
        meetings_of = select(meeting_programme.c.meeting_id).where(
            meeting_programme.c.programme_id.in_(programme_ids)
        )
        needs = needs.where(
            or_(
                Need.activity_id.in_(activities),
                Need.response_activity_id.in_(activities),
                Need.meeting_id.in_(meetings_of),
                Need.group_id.in_(groups),
            )
        )
    responses = Counter(s.scalars(needs))
    return CommunityFigures(
        groups_accompanied=len(accompanied),
        groups_by_stage={stage: by_stage[stage] for stage in GROUP_STAGES if by_stage[stage]},
        groups_autonomous_in_period=autonomy,
        group_meetings=meetings,
        cases_opened=opened,
        cases_closed=closed,
        cases_closed_by_outcome=dict(by_outcome),
        needs_detected=sum(responses.values()),
        needs_answered=sum(n for response, n in responses.items() if response != "none"),
        needs_by_response=dict(responses),
    )


def _cases(
    s: Session, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> tuple[int, int, Counter[str]]:
    """Mediation cases opened in the period, closed in it, and closed by outcome."""
    cases = select(MediationCase).where(MediationCase.deleted_at.is_(None))
    if programme_ids is not None:
        cases = cases.where(
            MediationCase.id.in_(
                select(MediationSession.case_id)
                .join(ActivitySession, ActivitySession.id == MediationSession.session_id)
                .join(Activity, Activity.id == ActivitySession.activity_id)
                .where(Activity.programme_id.in_(programme_ids))
            )
        )
    opened = closed = 0
    by_outcome: Counter[str] = Counter()
    for case in s.scalars(cases):
        if date_from <= case.opened_on <= date_to:
            opened += 1
        if case.closed_on is not None and date_from <= case.closed_on <= date_to:
            closed += 1
            by_outcome[case.outcome or ""] += 1
    return opened, closed, by_outcome


def _counted_cases(
    s: Session, programme_ids: Sequence[str] | None, date_from: dt.date, date_to: dt.date
) -> tuple[int, int, Counter[str]]:
    """``_cases`` counted by the office database (no case read)."""
    opened = closed = 0
    by_outcome: Counter[str] = Counter()
    for event, outcome, n in s.execute(
        text(
            "SELECT event, outcome, cases FROM "
            "teixit_mediation_counts(:date_from, :date_to, CAST(:ids AS text[]))"
        ),
        {
            "date_from": date_from,
            "date_to": date_to,
            "ids": None if programme_ids is None else list(programme_ids),
        },
    ):
        if event == "opened":
            opened += int(n)
        else:
            closed += int(n)
            by_outcome[outcome or ""] += int(n)
    return opened, closed, by_outcome
