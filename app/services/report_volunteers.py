"""The report's volunteers and coproduction tables, from the same definitions as the figures
(app.services.volunteer_figures)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from app.db.models import Activity, Organisation, Programme, activity_partner
from app.domain.report import CoproducedRow, ReportRequest
from app.services.figures import held_sessions
from app.services.volunteer_figures import (
    counted_volunteer_figures,
    programmes_of_activities,
    volunteer_figures,
)


def volunteer_tables(
    s: OrmSession, request: ReportRequest, counts_only: bool = False
) -> dict[str, Any]:
    """``volunteers`` (VolunteerFigures of the report's programmes) and ``coproduced`` (the
    activities with sessions held in the period that belong to more than one programme or have
    partner organisations). ``counts_only``: the volunteers counted by the office database."""
    ids, d_from, d_to = request.programme_ids, request.date_from, request.date_to
    programmes_of = programmes_of_activities(s)
    volunteers = (
        counted_volunteer_figures(s, ids, d_from, d_to)[0]
        if counts_only
        else volunteer_figures(s, ids, d_from, d_to, programmes_of)[0]
    )
    held = held_sessions(ids, d_from, d_to)
    activity_ids = set(s.scalars(held.with_only_columns(Activity.id).distinct()))
    partners: dict[str, list[str]] = {}
    for aid, name in s.execute(
        select(activity_partner.c.activity_id, Organisation.name)
        .join(Organisation, Organisation.id == activity_partner.c.organisation_id)
        .where(activity_partner.c.activity_id.in_(activity_ids))
        .order_by(Organisation.name)
    ):
        partners.setdefault(aid, []).append(name)
    codes = dict(s.execute(select(Programme.id, Programme.code)).all())
    names = dict(
        s.execute(select(Activity.id, Activity.name).where(Activity.id.in_(activity_ids))).all()
    )
    rows = [
        CoproducedRow(
            programme_codes=tuple(codes.get(p, "") for p in programmes_of.get(aid, ())),
            name=names[aid],
            partners=tuple(partners.get(aid, ())),
        )
        for aid in activity_ids
        if len(programmes_of.get(aid, ())) > 1 or partners.get(aid)
    ]
    rows.sort(key=lambda r: (r.programme_codes, r.name.lower()))
    return {"volunteers": volunteers, "coproduced": tuple(rows)}
