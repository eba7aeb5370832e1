"""Rows of the network spaces, their meetings over the period, attendees and agreements."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.db import models as m
from app.demo import entity, schedule
from app.demo.networks import (
    AGENDA,
    AGREEMENTS,
    CLOSING_ITEMS,
    FIXED_MINUTES,
    MINUTES_LINES,
    OPENING_ITEMS,
    SPACES,
    SpaceSeed,
)
from app.demo.rows import Row

if TYPE_CHECKING:
    from app.demo.build import Builder

ONLINE_PLACE = "Videotrucada"


def build(b: Builder) -> None:
    spaces = {s.key: b.ids("network_space", s.key) for s in SPACES}
    for s in SPACES:
        b.rows.add(
            m.NetworkSpace,
            id=spaces[s.key],
            name=s.name,
            parent_id=spaces[s.parent] if s.parent else None,
            territory=s.territory,
            role=s.role,
            representative_staff_id=b.staff[s.representative],
            active=True,
        )
    for s in SPACES:
        _meetings(b, s, spaces[s.key])


def _meetings(b: Builder, s: SpaceSeed, space_id: str) -> None:
    first = b.start + dt.timedelta(days=14)
    days = schedule.weekly(b.cal, first, b.end, s.weekday, (9, 15), s.every_weeks)
    past: list[Row] = []
    agreements: list[Row] = []
    for n, day in enumerate(days):
        held = day < b.today
        online = not s.place or b.rng.random() < 0.2
        items = [OPENING_ITEMS[0]] + ([OPENING_ITEMS[1]] if n else [])
        themed = AGENDA[s.theme]
        items += [themed[(n * 2 + k) % len(themed)] for k in range(b.rng.randint(1, 2))]
        items.append(b.rng.choice(CLOSING_ITEMS))
        row = b.rows.add(
            m.NetworkMeeting,
            id=b.ids("meeting", f"{s.key}:{day.isoformat()}"),
            space_id=space_id,
            date=day,
            start_time=dt.time.fromisoformat(s.start),
            end_time=dt.time.fromisoformat(s.end),
            place=ONLINE_PLACE if online else s.place,
            online=online,
            agenda=items,
            minutes="",
            # Meetings still to come are planned: they count once they are held.
            status="held" if held else "planned",
            cancellation_reason="",
        )
        for code in s.programmes:
            b.rows.add(m.meeting_programme, meeting_id=row["id"], programme_id=b.programmes[code])
        if not held:
            continue
        present = _attendees(b, s, row)
        row["minutes"] = _minutes(b, items, present, s.end)
        agreements += _agreements(b, s, row)
        past.append(row)
    _follow_up(b, agreements, past)


def _attendees(b: Builder, s: SpaceSeed, meeting: Row) -> int:
    """Our representative (and sometimes the coordinator) and people of the other organisations;
    returns how many attended."""
    present = 0
    ours = [s.representative] + (["montse"] if s.representative != "montse" else [])
    for i, key in enumerate(ours):
        if i and b.rng.random() > 0.25:
            continue
        status = "apologised" if b.rng.random() < 0.08 else "attended"
        present += status == "attended"
        b.rows.add(
            m.MeetingAttendee,
            id=b.ids("attendee", f"{meeting['id']}:staff:{key}"),
            meeting_id=meeting["id"],
            staff_id=b.staff[key],
            person_name="",
            organisation_id=None,
            status=status,
        )
    orgs = {o.key: o for o in entity.ORGANISATIONS}
    for key in s.organisations:
        for j, person in enumerate(orgs[key].people):
            roll = b.rng.random()
            if j and roll < 0.6:
                continue
            status = "apologised" if roll > 0.85 else "attended"
            present += status == "attended"
            b.rows.add(
                m.MeetingAttendee,
                id=b.ids("attendee", f"{meeting['id']}:{key}:{j}"),
                meeting_id=meeting["id"],
                staff_id=None,
                person_name=person,
                organisation_id=b.orgs[key],
                status=status,
            )
    return present


def _minutes(b: Builder, items: list[str], present: int, end: str) -> str:
    lines = [f"Hi assisteixen {max(present, 2)} persones. S'aprova l'acta de la reunió anterior."]
    for n, item in enumerate(items[1:], start=1):
        text = FIXED_MINUTES.get(item) or b.rng.choice(MINUTES_LINES).format(item=item)
        lines.append(f"{n}. {text}")
    lines.append(f"Sense més temes a tractar, s'aixeca la sessió a les {end}.")
    return "\n\n".join(lines)


def _agreements(b: Builder, s: SpaceSeed, meeting: Row) -> list[Row]:
    texts = AGREEMENTS[s.theme]
    result = []
    offset = b.rng.randrange(len(texts))
    for number in range(1, b.rng.randint(1, 3) + 1):
        if b.rng.random() < 0.5:
            owner_staff, owner_org = b.staff[s.representative], None
        else:
            owner_staff, owner_org = None, b.orgs[b.rng.choice(s.organisations)]
        due = meeting["date"] + dt.timedelta(days=b.rng.choice((14, 21, 30, 45, 60)))
        result.append(
            b.rows.add(
                m.Agreement,
                id=b.ids("agreement", f"{meeting['id']}:{number}"),
                meeting_id=meeting["id"],
                number=number,
                text=texts[(offset + number) % len(texts)],
                owner_staff_id=owner_staff,
                owner_organisation_id=owner_org,
                due_date=due,
                status="open",
                closed_in_meeting_id=None,
            )
        )
    return result


def _follow_up(b: Builder, agreements: list[Row], past: list[Row]) -> None:
    """Most agreements are done at the first meeting after they fall due; some are dropped and
    some stay open after their due date (overdue on the networks page)."""
    for agreement in agreements:
        later = [
            mt
            for mt in past
            if mt["date"] > agreement["due_date"]
            or (mt["date"] > _adopted(agreement, past) and b.rng.random() < 0.15)
        ]
        if not later:
            continue
        roll = b.rng.random()
        if roll < 0.7:
            agreement["status"] = "done"
        elif roll < 0.8:
            agreement["status"] = "dropped"
        else:
            continue
        agreement["closed_in_meeting_id"] = later[0]["id"]


def _adopted(agreement: Row, past: list[Row]) -> dt.date:
    date: dt.date = next(mt["date"] for mt in past if mt["id"] == agreement["meeting_id"])
    return date
