"""The volunteers of the volunteering programme (seed 004: "Programa de promoció del voluntariat
social"), their hours, commitment agreements, insurance and safeguarding certificates, and a
coproduced activity: the neighbourhood festivals, organised with two associations and shared by
two programmes (seed 000: "coproducció entre els projectes de l'entitat")."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from app.db import models as m

if TYPE_CHECKING:
    from app.demo.build import Builder

INSURER = "Mútua del Voluntariat, SCP"
POLICY = "RC-VOL-2041-773"
TASKS = (
    "Visites setmanals i trucades a persones grans que viuen soles; acompanyament a fer "
    "gestions i a activitats del barri; participació en la trobada setmanal del grup."
)
SCHEDULE = "Divendres d'11.00 a 12.30 h (trobada del grup) i dues hores a la setmana de visites."
TRAINING = "Formació inicial de voluntariat: escolta activa, recursos del barri i cures."
#: Helping in the children's homework club besides the elders' group.
REFORC_TASKS = "Suport a l'espai de reforç escolar dels dimarts a la tarda."
#: The festivals are co-organised with these associations and shared with VOLU.
FESTIVAL_PARTNERS = ("casal_barri", "av_bordeta")
CERTIFIED_STAFF = ("montse", "marina", "carla", "youssef", "ayesha")


def _hours(row: dict[str, object]) -> float:
    start, end = row["start_time"], row["end_time"]
    assert isinstance(start, dt.time) and isinstance(end, dt.time)
    return (end.hour * 60 + end.minute - start.hour * 60 - start.minute) / 60


def build(b: Builder) -> None:
    rng = random.Random(f"volunteers:{b.ids.namespace}")
    volu = b.programmes["VOLU"]
    conv = b.programmes["CONV"]
    by_key: dict[str, list[str]] = {}
    for act in b.acts:
        by_key.setdefault(act.seed.key, []).append(act.id)
    volu_acts = set(by_key.get("volu_radars", []) + by_key.get("volu_formacio", []))
    sessions = {row["id"]: row for row in b.rows.tables.get("session", [])}

    # Coproduction: the festivals also belong to VOLU, with two partner associations.
    for act_id in by_key.get("conv_festes", []):
        b.rows.add(m.activity_programme, activity_id=act_id, programme_id=volu)
        for org in FESTIVAL_PARTNERS:
            b.rows.add(m.activity_partner, activity_id=act_id, organisation_id=b.orgs[org])
    del conv

    # The people enrolled in VOLU's activities are its volunteers, from their first day.
    spans: dict[str, tuple[dt.date, dt.date | None, set[str]]] = {}
    for row in b.rows.tables.get("enrolment", []):
        if row["activity_id"] not in volu_acts:
            continue
        pid = row["participant_id"]
        start, end, acts = spans.get(pid, (row["start"], row["end"], set()))
        start = min(start, row["start"])
        end = None if end is None or row["end"] is None else max(end, row["end"])
        spans[pid] = (start, end, acts | {row["activity_id"]})
    if not spans:
        return
    year_start, year_end = b.start, b.end
    helpers = sorted(spans)[:2]  # two also help in the homework club (with children)
    reforc = by_key.get("espv_reforc", [])[:1]
    volunteer_ids: dict[str, str] = {}
    for n, (pid, (start, end, acts)) in enumerate(sorted(spans.items())):
        vid = volunteer_ids[pid] = b.ids("volunteer", pid)
        helps_children = pid in helpers and bool(reforc)
        b.rows.add(
            m.Volunteer,
            id=vid,
            participant_id=pid,
            start=start,
            end=end,
            tasks=TASKS + (" " + REFORC_TASKS if helps_children else ""),
            schedule=SCHEDULE,
            training=TRAINING,
            training_hours=12.0,
            # Two newcomers have not signed their agreement yet.
            agreement_signed_on=start if n % 9 != 4 else None,
            insurer=INSURER,
            policy_number=POLICY,
            insurance_from=year_start,
            insurance_to=year_end,
            notes="",
        )
        b.rows.add(m.volunteer_programme, volunteer_id=vid, programme_id=volu)
        for act_id in sorted(acts | (set(reforc) if helps_children else set())):
            b.rows.add(m.volunteer_activity, volunteer_id=vid, activity_id=act_id)
        # Certificates: every volunteer but the second homework-club helper and one more.
        if not (pid == helpers[-1] and helps_children) and n % 7 != 3:
            issued = max(start - dt.timedelta(days=rng.randint(5, 40)), b.today - dt.timedelta(300))
            b.rows.add(
                m.SafeguardingCertificate,
                id=b.ids("certificate", pid),
                participant_id=pid,
                issue_date=min(issued, b.today),
                result="negative",
            )
        # Hours: each group meeting they came to, and the visits of each month.
        month = dt.date(max(start, year_start).year, max(start, year_start).month, 1)
        last = min(end or b.today, b.today)
        while month <= last:
            b.rows.add(
                m.VolunteerHours,
                id=b.ids("volunteer_hours", f"{pid}:{month.isoformat()}"),
                volunteer_id=vid,
                date=month,
                session_id=None,
                programme_id=volu,
                hours=float(rng.choice((4, 5, 6, 6, 8, 8, 10))),
                notes="Visites a domicili i trucades",
            )
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for row in b.rows.tables.get("attendance", []):
        session = sessions.get(row["session_id"])
        pid = row["participant_id"]
        if (
            session is None
            or pid not in volunteer_ids
            or session["activity_id"] not in by_key.get("volu_radars", [])
            or row["status"] not in ("present", "late")
        ):
            continue
        b.rows.add(
            m.VolunteerHours,
            id=b.ids("volunteer_hours", f"{pid}:{session['id']}"),
            volunteer_id=volunteer_ids[pid],
            date=session["date"],
            session_id=session["id"],
            programme_id=None,
            hours=_hours(session),
            notes="",
        )
    # The homework-club helpers and some volunteers at the festivals.
    festival_days = [
        s
        for s in sessions.values()
        if s["activity_id"] in by_key.get("conv_festes", []) and s["status"] == "held"
    ]
    helped = [s for s in sessions.values() if s["activity_id"] in reforc and s["status"] == "held"]
    for pid in helpers:
        for s in helped[::2]:
            if s["date"] >= spans[pid][0]:
                b.rows.add(
                    m.VolunteerHours,
                    id=b.ids("volunteer_hours", f"{pid}:{s['id']}"),
                    volunteer_id=volunteer_ids[pid],
                    date=s["date"],
                    session_id=s["id"],
                    programme_id=None,
                    hours=_hours(s),
                    notes="",
                )
    for s in festival_days:
        for pid in rng.sample(sorted(volunteer_ids), min(4, len(volunteer_ids))):
            b.rows.add(
                m.VolunteerHours,
                id=b.ids("volunteer_hours", f"{pid}:{s['id']}"),
                volunteer_id=volunteer_ids[pid],
                date=s["date"],
                session_id=s["id"],
                programme_id=None,
                hours=_hours(s),
                notes="Muntatge i servei de l'àpat",
            )

    # Staff who work with minors: all but one have a certificate in date (Sergi's is too old).
    for key in (*CERTIFIED_STAFF, "sergi"):
        issued = b.today - dt.timedelta(days=rng.randint(30, 300) if key != "sergi" else 430)
        b.rows.add(
            m.SafeguardingCertificate,
            id=b.ids("certificate", key),
            staff_id=b.staff[key],
            participant_id=None,
            issue_date=issued,
            result="negative",
        )
