"""Community work in the demo, from the seeds: the residents' communities and groups the
entity accompanies (seed 004's "Promoció de l'associacionisme", seed 000's self-organisation
processes; one being accompanied in La Bordeta, three that became autonomous this year), two
community mediation cases (004's "Mediació comunitària"), needs detected in the spaces and
activities with what was done about them (000's "respond to detected needs"), and the
follow-up of referrals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.db import models as m
from app.demo.rows import Row

if TYPE_CHECKING:
    from app.demo.build import Builder

#: (key, name, kind, neighbourhood, staff, organisation, [(stage, days after the start)])
GROUPS = (
    (
        "olzinelles",
        "Comunitat de veïns Olzinelles 12",
        "residents_community",
        "la Bordeta",
        "youssef",
        None,
        (("first_contact", 30), ("forming", 70), ("meeting_regularly", 140)),
    ),
    (
        "riera",
        "Comunitat de veïns Riera Blanca 45",
        "residents_community",
        "la Bordeta",
        "youssef",
        None,
        (("first_contact", -120), ("constituted", 40), ("autonomous", 150)),
    ),
    (
        "gava",
        "Comunitat de veïns Gavà 18",
        "residents_community",
        "la Bordeta",
        "carla",
        None,
        (("forming", -60), ("meeting_regularly", 60), ("autonomous", 210)),
    ),
    (
        "constitucio",
        "Comunitat de veïns Constitució 110",
        "residents_community",
        "Hostafrancs",
        "carla",
        None,
        (("first_contact", -30), ("constituted", 100), ("autonomous", 260)),
    ),
    (
        "badal",
        "Grup d'autoorganització veïnal de Badal",
        "neighbourhood_group",
        "Badal",
        "carla",
        None,
        (("first_contact", -200), ("meeting_regularly", -20), ("constituted", 180)),
    ),
    (
        "amal",
        "Associació de Dones Amal",
        "association",
        "Sants",
        "ayesha",
        "dones_amal",
        (("constituted", -400), ("registered", 90)),
    ),
)
GROUP_MEETING_TOPICS = (
    "Estat de l'escala i de la porteria; neteja compartida.",
    "Pressupost de la derrama per a l'ascensor.",
    "Relació amb la propietat i els serveis municipals.",
    "Com organitzar-se com a comunitat: càrrecs i torns.",
)
GROUP_AGREEMENTS = (
    "Fer una bústia de suggeriments a l'entrada.",
    "Demanar pressupostos a tres empreses per a l'ascensor.",
    "Escriure a la propietat amb les signatures de l'escala.",
    "Fer una reunió oberta a tots els pisos el mes que ve.",
)


def build(b: Builder) -> None:
    _logins(b)
    groups = _groups(b)
    activity = _mediation_activity(b)
    _cases(b, groups, activity)
    _needs(b, groups)
    _referrals_followed(b)


def _day(b: Builder, offset: int) -> dt.date:
    """A day ``offset`` days after the start of the demo's period, never after yesterday."""
    return min(b.start + dt.timedelta(days=offset), b.today - dt.timedelta(days=1))


def _logins(b: Builder) -> None:
    """Each staff member's login on an office database: the name part of their email."""
    for row in b.rows.tables["staff"]:
        row["login"] = row["email"].split("@")[0] if row.get("email") else ""


def _groups(b: Builder) -> dict[str, str]:
    ids: dict[str, str] = {}
    bordeta = [p for p in b.people if p.neighbourhood == "la Bordeta" and not p.blocked]
    for key, name, kind, neighbourhood, staff, org, stages in GROUPS:
        gid = ids[key] = b.ids("community_group", key)
        b.rows.add(
            m.CommunityGroup,
            id=gid,
            name=name,
            kind=kind,
            neighbourhood=neighbourhood,
            staff_id=b.staff[staff],
            programme_id=b.programmes["ESPV"] if kind != "association" else b.programmes["MIGR"],
            organisation_id=b.orgs[org] if org else None,
            notes="",
        )
        for stage, offset in stages:
            b.rows.add(
                m.GroupStage,
                id=b.ids("group_stage", f"{key}:{stage}"),
                group_id=gid,
                stage=stage,
                date=_day(b, offset),
                notes="",
            )
    # La Bordeta's community: two neighbours as contacts, a meeting a month with its minutes.
    for n, person in enumerate(bordeta[:2]):
        b.rows.add(
            m.GroupContact,
            id=b.ids("group_contact", f"olzinelles:{n}"),
            group_id=ids["olzinelles"],
            participant_id=b.person_ids[person.index],
            person_name="",
            phone="",
            role=("Portaveu", "Tresorera")[n],
        )
    if len(bordeta) < 2:
        b.rows.add(
            m.GroupContact,
            id=b.ids("group_contact", "olzinelles:name"),
            group_id=ids["olzinelles"],
            participant_id=None,
            person_name="Rosa Vidal (3r 1a)",
            phone="600 123 456",
            role="Portaveu",
        )
    day = _day(b, 75)
    n = 0
    while day < b.today + dt.timedelta(days=20):
        held = day < b.today
        meeting = b.rows.add(
            m.NetworkMeeting,
            id=b.ids("group_meeting", f"olzinelles:{day.isoformat()}"),
            space_id=None,
            group_id=ids["olzinelles"],
            date=day,
            start_time=dt.time(19, 30),
            end_time=dt.time(21, 0),
            place="Porteria d'Olzinelles 12",
            online=False,
            agenda=[GROUP_MEETING_TOPICS[n % len(GROUP_MEETING_TOPICS)]],
            minutes=(
                f"Hi assisteixen veïns i veïnes de {5 + n % 4} pisos. "
                + GROUP_MEETING_TOPICS[n % len(GROUP_MEETING_TOPICS)]
                if held
                else ""
            ),
            status="held" if held else "planned",
            cancellation_reason="",
        )
        if held:
            b.rows.add(
                m.Agreement,
                id=b.ids("agreement", f"olzinelles:{day.isoformat()}"),
                meeting_id=meeting["id"],
                number=1,
                text=GROUP_AGREEMENTS[n % len(GROUP_AGREEMENTS)],
                owner_staff_id=None,
                owner_organisation_id=None,
                due_date=None,
                status="done" if n < 3 else "open",
                closed_in_meeting_id=None,
            )
        day += dt.timedelta(days=28)
        n += 1
    return ids


def _mediation_activity(b: Builder) -> str:
    """The activity community mediation sessions belong to (in the coexistence programme)."""
    aid = b.ids("activity", "conv_mediacio")
    b.rows.add(
        m.Activity,
        id=aid,
        programme_id=b.programmes["CONV"],
        name="Mediació comunitària",
        kind="attention",
        description="Sessions de mediació en conflictes veïnals i d'ús de l'espai públic.",
        place_id=b.places["local"],
        start_time=dt.time(17, 0),
        end_time=dt.time(18, 30),
    )
    b.rows.add(m.activity_facilitator, activity_id=aid, staff_id=b.staff["ayesha"])
    return aid


def _session(b: Builder, activity: str, key: str, day: dt.date, people: int) -> str:
    """A mediation session: held before today, counted anonymously (no names on the list)."""
    held = day < b.today
    row = b.rows.add(
        m.Session,
        id=b.ids("session", f"mediacio:{key}"),
        activity_id=activity,
        date=day,
        start_time=dt.time(17, 0),
        end_time=dt.time(18, 30),
        place_id=b.places["local"],
        status="held" if held else "planned",
        notes="",
    )
    b.rows.add(m.session_facilitator, session_id=row["id"], staff_id=b.staff["ayesha"])
    if held:
        for gender, count in (("woman", (people + 1) // 2), ("man", people // 2)):
            b.rows.add(
                m.HeadCount,
                id=b.ids("head_count", f"{row['id']}:{gender}:30-64"),
                session_id=row["id"],
                gender=gender,
                age_band="30-64",
                count=count,
            )
    return str(row["id"])


def _cases(b: Builder, groups: dict[str, str], activity: str) -> None:
    candidates = [p for p in b.people if not p.blocked and p.age >= 18]
    first = [
        _session(b, activity, f"med1:{n}", _day(b, offset), 3)
        for n, offset in enumerate((62, 76, 97))
    ]
    opened = b.today - dt.timedelta(days=40)
    second = [
        _session(b, activity, "med2:0", b.today - dt.timedelta(days=26), 5),
        _session(b, activity, "med2:1", b.today + dt.timedelta(days=9), 5),
    ]
    cases: tuple[tuple[Any, ...], ...] = (
        (
            "MED-01",
            "neighbours",
            "Hostafrancs",
            _day(b, 55),
            _day(b, 110),
            "agreement",
            "Conflicte per sorolls i olors entre dos pisos d'una mateixa escala; "
            "les dues parts accepten la mediació.",
            ("ayesha", "youssef"),
            [candidates[0], candidates[1]] if len(candidates) > 1 else [],
            [],
            ["Veïnat del 2n 2a"],
            first,
            (
                "Horari de silenci de 22 a 8 h també els caps de setmana.",
                "Revisar junts la ventilació de la cuina amb la propietat.",
            ),
        ),
        (
            "MED-02",
            "public_space",
            "la Bordeta",
            opened,
            None,
            None,
            "Ús de la pista esportiva a la nit: queixes de la comunitat d'Olzinelles 12 i "
            "grup de joves que hi juga.",
            ("ayesha", "carla"),
            [],
            [groups["olzinelles"]],
            ["Grup de joves de la pista"],
            second,
            ("Proposar a Districte un horari d'il·luminació de la pista.",),
        ),
    )
    for (
        reference,
        kind,
        neighbourhood,
        opened_on,
        closed_on,
        outcome,
        summary,
        staff,
        people,
        party_groups,
        party_names,
        sessions,
        agreements,
    ) in cases:
        cid = b.ids("mediation_case", reference)
        b.rows.add(
            m.MediationCase,
            id=cid,
            reference=reference,
            conflict_kind=kind,
            neighbourhood=neighbourhood,
            opened_on=opened_on,
            closed_on=closed_on,
            outcome=outcome,
            summary=summary,
        )
        for key in staff:
            b.rows.add(
                m.MediationStaff,
                id=b.ids("mediation_staff", f"{reference}:{key}"),
                case_id=cid,
                staff_id=b.staff[key],
            )
        parties: list[Row] = []
        for p in people:
            parties.append({"participant_id": b.person_ids[p.index]})
        parties += [{"group_id": g} for g in party_groups]
        parties += [{"name": name} for name in party_names]
        for n, party in enumerate(parties):
            b.rows.add(
                m.MediationParty,
                id=b.ids("mediation_party", f"{reference}:{n}"),
                case_id=cid,
                participant_id=party.get("participant_id"),
                group_id=party.get("group_id"),
                name=party.get("name", ""),
            )
        for session_id in sessions:
            b.rows.add(
                m.MediationSession,
                id=b.ids("mediation_session", f"{reference}:{session_id}"),
                case_id=cid,
                session_id=session_id,
            )
        for n, text in enumerate(agreements, start=1):
            b.rows.add(
                m.Agreement,
                id=b.ids("agreement", f"{reference}:{n}"),
                meeting_id=None,
                mediation_case_id=cid,
                number=n,
                text=text,
                owner_staff_id=None,
                owner_organisation_id=None,
                due_date=None,
                status="done" if closed_on else "open",
                closed_in_meeting_id=None,
            )


def _first_meeting(b: Builder, space_key: str) -> tuple[str | None, str | None]:
    """The first held meeting of a space and its first agreement (ids), if any."""
    space = b.ids("network_space", space_key)
    meeting = next(
        (
            r
            for r in b.rows.tables["network_meeting"]
            if r.get("space_id") == space and r["status"] == "held"
        ),
        None,
    )
    if meeting is None:
        return None, None
    agreement = next(
        (r["id"] for r in b.rows.tables["agreement"] if r.get("meeting_id") == meeting["id"]),
        None,
    )
    return meeting["id"], agreement


def _activity(b: Builder, key: str) -> str | None:
    return next((a.id for a in b.acts if a.seed.key == key and a.group == 1), None)


def _needs(b: Builder, groups: dict[str, str]) -> None:
    joves_meeting, _a = _first_meeting(b, "joves")
    radars_meeting, radars_agreement = _first_meeting(b, "radars")
    needs: tuple[tuple[Any, ...], ...] = (
        (
            "espais_joves",
            "Falta d'espais per a adolescents a les tardes",
            "Els i les joves es troben al carrer perquè no tenen cap espai obert a la tarda.",
            "Sants-Badal",
            40,
            {"meeting_id": joves_meeting},
            "activity",
            {"response_activity_id": _activity(b, "prev_taller")},
            "S'obre un grup setmanal a l'institut.",
        ),
        (
            "soledat",
            "Soledat no desitjada de persones grans",
            "Veïnes grans que viuen soles i no surten de casa.",
            "Sants",
            60,
            {"meeting_id": radars_meeting},
            "network_agreement" if radars_agreement else "none",
            {"response_agreement_id": radars_agreement},
            "La Taula Radars acorda una campanya de comerços amics.",
        ),
        (
            "pista",
            "Conflicte per l'ús de la pista de la Bordeta a la nit",
            "Soroll fins tard; queixes de la comunitat d'Olzinelles 12.",
            "la Bordeta",
            150,
            {"group_id": groups["olzinelles"]},
            "activity",
            {"response_activity_id": _activity(b, "espv_placa")},
            "Dinamització de l'espai públic a la tarda i mediació comunitària.",
        ),
        (
            "padro",
            "Dificultats per empadronar-se sense contracte d'habitatge",
            "Persones migrants que no poden accedir al padró i, per tant, a serveis.",
            "Sants",
            90,
            {"activity_id": _activity(b, "migr_punt")},
            "passed_on",
            {"response_organisation_id": b.orgs["ss_sants"]},
            "Es trasllada al Centre de Serveis Socials per al padró sense domicili fix.",
        ),
        (
            "reforc",
            "Infants sense suport escolar a casa",
            "Famílies que no poden acompanyar els deures.",
            "Badal",
            200,
            {"activity_id": _activity(b, "espv_reforc")},
            "none",
            {},
            "",
        ),
    )
    for key, title, description, place, offset, raised, response, answer, notes in needs:
        detected = _day(b, offset)
        b.rows.add(
            m.Need,
            id=b.ids("need", key),
            title=title,
            description=description,
            place=place,
            detected_on=detected,
            meeting_id=raised.get("meeting_id"),
            activity_id=raised.get("activity_id"),
            group_id=raised.get("group_id"),
            response=response,
            response_date=(
                min(detected + dt.timedelta(days=30), b.today) if response != "none" else None
            ),
            response_activity_id=answer.get("response_activity_id"),
            response_agreement_id=answer.get("response_agreement_id"),
            response_organisation_id=answer.get("response_organisation_id"),
            response_notes=notes,
        )


def _referrals_followed(b: Builder) -> None:
    """Each referral to a service names the programme it came from (the person's first
    activity's) and, a fortnight later, its follow-up."""
    programme_of = {r["id"]: r["programme_id"] for r in b.rows.tables["activity"]}
    first_activity: dict[str, str] = {}
    for e in b.rows.tables["enrolment"]:
        first_activity.setdefault(e["participant_id"], e["activity_id"])
    for n, r in enumerate(b.rows.tables["referral"]):
        activity = first_activity.get(r["participant_id"])
        r["activity_id"] = activity
        r["programme_id"] = programme_of.get(activity) if activity else None
        checked = r["date"] + dt.timedelta(days=14)
        if not r.get("to_organisation_id") or checked >= b.today or r["status"] == "open":
            r.setdefault("reached", None)
            r.setdefault("followed_up_on", None)
            r.setdefault("follow_up", "")
            continue
        reached = r["status"] != "rejected" and n % 5 != 4
        r["reached"] = reached
        r["followed_up_on"] = checked
        r["follow_up"] = (
            "Hi ha anat i ha tingut la primera entrevista."
            if reached
            else "No hi ha anat; es torna a trucar d'aquí a un mes."
        )
