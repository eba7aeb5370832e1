"""Builds every row of the demo from the seed and today's date, without touching the database.

The same seed and the same ``today`` give the same rows: ids are UUIDs derived from the seed, and
every random choice comes from one ``random.Random(seed)`` drawn in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum.es import cif

from app.db import models as m
from app.demo import community, economics, entity, meetings, people, schedule, volunteers
from app.demo.logos import logo_png
from app.demo.programmes import (
    CANCEL_NOTES,
    PROGRAMMES,
    SESSION_NOTES,
    ActivitySeed,
    ProgrammeSeed,
)
from app.demo.rows import Ids, Row, Rows

#: Kinds of activity whose sessions record attendance by name of the enrolled group.
GROUP_KINDS = ("workshop", "self_organisation", "participatory_process")
GENDER_SHARES = (("woman", 0.55), ("man", 0.42), ("nonbinary", 0.015), ("undisclosed", 0.015))
AGE_SHARES = {
    "all": (("0-17", 0.3), ("18-29", 0.15), ("30-64", 0.4), ("65+", 0.15)),
}


#: An enrolled person: index, enrolled from, until (None: still in), how often they come
Member = tuple[int, dt.date, dt.date | None, float]


@dataclass(frozen=True)
class Spec:
    """How big the demo is."""

    people: int
    #: Add groups of the repeatable activities until this many sessions (0: the templates only)
    sessions: int = 0
    #: Multiplies group sizes, walk-ins and crowds
    scale: float = 1.0
    #: A rolling year up to today instead of the current school year
    rolling_year: bool = False
    #: Past sessions left without attendance taken, for the home page's to-do list
    pending: int = 2


SPECS = {
    "small": Spec(people=82),
    "large": Spec(people=5000, sessions=2000, scale=3.3, rolling_year=True, pending=6),
}


@dataclass
class Act:
    """An activity being scheduled."""

    id: str
    seed: ActivitySeed
    place_id: str
    facilitators: list[str]
    weekday: int
    group: int
    dates: list[dt.date]


class Builder:
    def __init__(self, seed: int, spec: Spec, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.ids = Ids(seed)
        self.spec = spec
        self.today = today
        self.rows = Rows()
        if spec.rolling_year:
            self.start = today - dt.timedelta(days=364)
            self.end = today + dt.timedelta(days=27)
        else:
            self.start, self.end = schedule.school_year(today)
        self.cal = schedule.Calendar(self.start, self.end)
        self.staff: dict[str, str] = {}
        self.active_staff: set[str] = set()
        self.places: dict[str, str] = {}
        self.funders: dict[str, str] = {}
        self.orgs: dict[str, str] = {}
        self.programmes: dict[str, str] = {}
        self.acts: list[Act] = []
        self.people: list[people.Person] = []
        self.person_ids: list[str] = []
        self.first_seen: dict[int, dt.date] = {}
        #: The people of each group activity (its id): index, start, end, attendance rate.
        self.groups: dict[str, list[Member]] = {}

    def build(self) -> Rows:
        self.profile()
        self.reference()
        self.programmes_and_activities()
        self.people = people.make_people(self.rng, self.spec.people, self.today)
        self.person_ids = [self.ids("participant", p.index) for p in self.people]
        self.sessions_and_attendance()
        self.participants_and_consents()
        self.referrals()
        meetings.build(self)
        economics.build(self)
        volunteers.build(self)
        community.build(self)
        return self.rows

    # -- the entity ---------------------------------------------------------------------------

    def profile(self) -> None:
        nif = entity.ENTITY_NIF_BODY + cif.calc_check_digits(entity.ENTITY_NIF_BODY)[0]
        self.rows.add(
            m.EntityProfile,
            id=self.ids("profile", 1),
            name=entity.ENTITY_NAME,
            tax_id=nif,
            address=entity.ENTITY_ADDRESS,
            logo=logo_png("SAC", "#7a3b8f"),
            default_lang="ca",
            region="CT",
            **entity.PRIVACY,
        )

    def reference(self) -> None:
        for s in entity.STAFF:
            self.staff[s.key] = self.ids("staff", s.key)
            if s.active:
                self.active_staff.add(s.key)
            self.rows.add(
                m.Staff,
                id=self.staff[s.key],
                name=s.name,
                role=s.role,
                email=entity.staff_email(s),
                active=s.active,
            )
        for key, name, address in entity.PLACES:
            self.places[key] = self.ids("place", key)
            self.rows.add(m.Place, id=self.places[key], name=name, address=address)
        for key, name, support, colour in entity.FUNDERS:
            self.funders[key] = self.ids("funder", key)
            initials = "".join(w[0] for w in name.split() if w[0].isupper())[:3]
            self.rows.add(
                m.Funder,
                id=self.funders[key],
                name=name,
                support_text=support,
                logo=logo_png(initials, colour, name),
            )
        for org in entity.ORGANISATIONS:
            self.orgs[org.key] = self.ids("organisation", org.key)
            self.rows.add(
                m.Organisation,
                id=self.orgs[org.key],
                name=org.name,
                kind=org.kind,
                contact=org.contact,
            )

    # -- programmes and activities ------------------------------------------------------------

    def programmes_and_activities(self) -> None:
        year_start, _ = schedule.school_year(self.start)
        _, year_end = schedule.school_year(self.today)
        for p in PROGRAMMES:
            pid = self.programmes[p.code] = self.ids("programme", p.code)
            self.rows.add(
                m.Programme,
                id=pid,
                code=p.code,
                name=p.name,
                category=p.category,
                description=p.description,
                start=year_start,
                end=year_end,
                responsible_staff_id=self.staff[p.responsible],
                objectives=list(p.objectives),
            )
            for f in p.funders:
                self.rows.add(m.programme_funder, programme_id=pid, funder_id=self.funders[f])
            for i, ind in enumerate(p.indicators):
                self.rows.add(
                    m.Indicator,
                    id=self.ids("indicator", f"{p.code}:{i}"),
                    programme_id=pid,
                    name=ind.name,
                    kind=ind.kind,
                    target=float(ind.large_target if self.spec.sessions else ind.target),
                    manual_value=ind.manual_value,
                )
            for a in p.activities:
                self._activity(p, a, 1)
        if self.spec.sessions:
            self._more_groups()
        for act in self.acts:
            self._activity_rows(act)

    def _activity(self, p: ProgrammeSeed, a: ActivitySeed, group: int) -> Act:
        weekday = a.weekday if group == 1 else (a.weekday + group) % 5
        place = a.place
        facilitators = list(a.facilitators)
        if group > 1:
            place = self.rng.choice([k for k, _, _ in entity.PLACES if k not in ("placa", "parc")])
            facilitators = [self.rng.choice(sorted(self.active_staff))]
        act = Act(
            id=self.ids("activity", f"{a.key}:{group}"),
            seed=a,
            place_id=self.places[place],
            facilitators=[self.staff[f] for f in facilitators],
            weekday=weekday,
            group=group,
            dates=self._dates(a, weekday),
        )
        self.acts.append(act)
        return act

    def _more_groups(self) -> None:
        templates = [
            (p, a) for p in PROGRAMMES for a in p.activities if a.repeatable and a.kind != "event"
        ]
        groups = {a.key: 1 for _, a in templates}
        total = sum(len(act.dates) for act in self.acts)
        i = 0
        while total < self.spec.sessions:
            p, a = templates[i % len(templates)]
            groups[a.key] += 1
            total += len(self._activity(p, a, groups[a.key]).dates)
            i += 1

    def _dates(self, a: ActivitySeed, weekday: int) -> list[dt.date]:
        if a.pattern == "dates":
            return schedule.fixed_dates(self.cal, self.start, self.end, weekday, a.dates)
        if a.pattern == "monthly":
            return schedule.monthly(self.cal, self.start, self.end, weekday, a.season_start)
        every = 2 if a.pattern == "fortnightly" else 1
        return schedule.weekly(self.cal, self.start, self.end, weekday, a.season_start, every)

    def _activity_rows(self, act: Act) -> None:
        a = act.seed
        programme = next(p for p in PROGRAMMES if a in p.activities)
        self.rows.add(
            m.Activity,
            id=act.id,
            programme_id=self.programmes[programme.code],
            name=a.name if act.group == 1 else f"{a.name} (grup {act.group})",
            kind=a.kind,
            description=a.description,
            place_id=act.place_id,
            start_time=dt.time.fromisoformat(a.start),
            end_time=dt.time.fromisoformat(a.end),
        )
        for staff_id in act.facilitators:
            self.rows.add(m.activity_facilitator, activity_id=act.id, staff_id=staff_id)

    # -- sessions, enrolments and attendance --------------------------------------------------

    def _pool(self, audience: str) -> list[int]:
        def fits(p: people.Person) -> bool:
            if p.blocked:
                return False
            if audience == "children":
                return 6 <= p.age <= 13
            if audience == "teens":
                return 12 <= p.age <= 17
            if audience == "all":
                return True
            if p.age < 18:
                return False
            if audience == "migrants":
                return p.foreign_born
            if audience == "migrant_women":
                return p.foreign_born and p.gender == "woman"
            return True

        return [i for i, p in enumerate(self.people) if fits(p)]

    def _enrol(self, act: Act) -> list[Member]:
        """(person index, from, to, how often they come) for the group of an activity."""
        pool = self._pool(act.seed.audience)
        size = min(len(pool), max(3, round(act.seed.group * self.spec.scale)))
        chosen = self.rng.sample(pool, size)
        first = act.dates[0] if act.dates else self.start
        group = []
        for index in chosen:
            start, end = first, None
            if len(act.dates) > 4 and self.rng.random() < 0.2:
                start = act.dates[self.rng.randrange(1, len(act.dates) // 2)]
            if len(act.dates) > 4 and self.rng.random() < 0.1:
                end = act.dates[self.rng.randrange(len(act.dates) // 2, len(act.dates))]
            group.append((index, start, end, self.rng.uniform(0.55, 0.97)))
        if (
            act.seed.key == "conv_cuina"
            and act.group == 1
            and first < self.today - dt.timedelta(35)
        ):
            blocked = next(i for i, p in enumerate(self.people) if p.blocked)
            group.append((blocked, first, self.today - dt.timedelta(days=35), 0.9))
        for index, start, end, _ in group:
            self.rows.add(
                m.Enrolment,
                id=self.ids("enrolment", f"{act.id}:{index}"),
                participant_id=self.person_ids[index],
                activity_id=act.id,
                start=start,
                end=end,
            )
            self._seen(index, start)
        return group

    def _seen(self, index: int, day: dt.date) -> None:
        if index not in self.first_seen or day < self.first_seen[index]:
            self.first_seen[index] = day

    def sessions_and_attendance(self) -> None:
        sessions: list[tuple[Act, Row]] = []
        for act in self.acts:
            for day in act.dates:
                status = "held" if day < self.today else "planned"
                notes = ""
                if status == "held" and self.rng.random() < 0.04:
                    status, notes = "cancelled", self.rng.choice(CANCEL_NOTES)
                elif status == "held" and self.rng.random() < 0.08:
                    notes = self.rng.choice(SESSION_NOTES)
                place = act.place_id
                if act.seed.kind != "event" and self.rng.random() < 0.04:
                    place = self.places["cotxeres"]
                row = self.rows.add(
                    m.Session,
                    id=self.ids("session", f"{act.id}:{day.isoformat()}"),
                    activity_id=act.id,
                    date=day,
                    start_time=dt.time.fromisoformat(act.seed.start),
                    end_time=dt.time.fromisoformat(act.seed.end),
                    place_id=place,
                    status=status,
                    notes=notes,
                )
                sessions.append((act, row))
                for staff_id in self._facilitators(act, day):
                    self.rows.add(m.session_facilitator, session_id=row["id"], staff_id=staff_id)
        self._leave_pending(sessions)
        groups = {act.id: self._enrol(act) for act in self.acts if act.seed.kind in GROUP_KINDS}
        self.groups = groups
        walk_in_pool = self._pool("migrants")
        for act, row in sessions:
            if row["status"] != "held":
                continue
            if act.seed.kind == "event":
                self._head_counts(act, row)
            elif act.seed.kind == "attention":
                self._walk_ins(row, walk_in_pool)
            else:
                self._attendance(row, groups[act.id])

    def _facilitators(self, act: Act, day: dt.date) -> list[str]:
        """Staff who have left facilitated only the sessions before they left."""
        left = self.today - dt.timedelta(days=60)
        inactive = {self.staff[s.key] for s in entity.STAFF if not s.active}
        result = [f for f in act.facilitators if f not in inactive or day < left]
        return result or [self.staff["montse"]]

    def _leave_pending(self, sessions: list[tuple[Act, Row]]) -> None:
        """The last few past sessions of groups still wait for their attendance sheet."""
        recent = [
            row
            for act, row in sessions
            if act.seed.kind == "workshop"
            and row["status"] == "held"
            and row["date"] >= self.today - dt.timedelta(days=14)
        ]
        recent.sort(key=lambda r: (r["date"], r["id"]), reverse=True)
        for row in recent[: self.spec.pending]:
            row["status"] = "planned"
            row["notes"] = ""

    def _attendance(
        self, row: Row, group: list[tuple[int, dt.date, dt.date | None, float]]
    ) -> None:
        day = row["date"]
        for index, start, end, rate in group:
            if day < start or (end is not None and day > end):
                continue
            roll = self.rng.random()
            if roll < rate:
                status = "late" if self.rng.random() < 0.06 else "present"
            else:
                status = "excused" if self.rng.random() < 0.4 else "absent"
            self.rows.add(
                m.Attendance,
                id=self.ids("attendance", f"{row['id']}:{index}"),
                session_id=row["id"],
                participant_id=self.person_ids[index],
                status=status,
            )

    def _walk_ins(self, row: Row, pool: list[int]) -> None:
        count = round(self.rng.randint(2, 6) * self.spec.scale)
        for index in self.rng.sample(pool, min(count, len(pool))):
            self._seen(index, row["date"])
            self.rows.add(
                m.Attendance,
                id=self.ids("attendance", f"{row['id']}:{index}"),
                session_id=row["id"],
                participant_id=self.person_ids[index],
                status="present",
            )

    def _head_counts(self, act: Act, row: Row) -> None:
        total = act.seed.crowd * self.spec.scale * self.rng.uniform(0.6, 1.3)
        for gender, g_share in GENDER_SHARES:
            for band, b_share in AGE_SHARES["all"]:
                count = round(total * g_share * b_share * self.rng.uniform(0.7, 1.3))
                if count:
                    self.rows.add(
                        m.HeadCount,
                        id=self.ids("head_count", f"{row['id']}:{gender}:{band}"),
                        session_id=row["id"],
                        gender=gender,
                        age_band=band,
                        count=count,
                    )

    # -- people -------------------------------------------------------------------------------

    def participants_and_consents(self) -> None:
        for p, pid in zip(self.people, self.person_ids, strict=True):
            values = p.row()
            blocked_at = None
            if p.blocked:
                blocked_at = dt.datetime.combine(self.today - dt.timedelta(days=20), dt.time(10))
            self.rows.add(m.Participant, id=pid, blocked_at=blocked_at, **values)
            if not p.consent:
                continue
            signed = min(
                self.first_seen.get(p.index, self.start + dt.timedelta(days=20)), self.today
            )
            signed_by = "guardian" if p.age < 14 else "self"
            kinds = [("data_processing", True)]
            for kind in ("image_internal", "image_funder", "image_web"):
                if self.rng.random() < 0.8:
                    kinds.append(
                        (kind, self.rng.random() < (0.85 if kind != "image_web" else 0.55))
                    )
            for kind, granted in kinds:
                revoked = None
                if kind == "image_web" and granted and self.rng.random() < 0.05:
                    revoked = min(self.today, signed + dt.timedelta(days=60))
                self.rows.add(
                    m.Consent,
                    id=self.ids("consent", f"{p.index}:{kind}"),
                    participant_id=pid,
                    kind=kind,
                    granted=granted,
                    date=signed,
                    signed_by=signed_by,
                    revoked_at=revoked,
                )

    def referrals(self) -> None:
        reasons = (
            ("ss_sants", None, "Acompanyament en la tramitació de l'arrelament social."),
            ("cap_sants", None, "Situació d'aïllament social; es proposa el grup de suport."),
            (None, "csma", "Malestar emocional persistent; es demana valoració."),
            (None, "ss_sants", "Risc de pèrdua de l'habitatge."),
            ("escola_cotxeres", None, "Infant que necessita reforç escolar a la tarda."),
        )
        candidates = [p for p in self.people if not p.blocked and p.index in self.first_seen]
        count = max(6, len(candidates) // 15)
        for n, p in enumerate(self.rng.sample(candidates, min(count, len(candidates)))):
            source, target, reason = reasons[n % len(reasons)]
            seen = min(self.first_seen[p.index], self.today)
            day = seen - dt.timedelta(days=self.rng.randint(3, 20))
            self.rows.add(
                m.Referral,
                id=self.ids("referral", p.index),
                participant_id=self.person_ids[p.index],
                from_organisation_id=self.orgs[source] if source else None,
                to_organisation_id=self.orgs[target] if target else None,
                date=day,
                reason=reason,
                status=self.rng.choice(("accepted", "accepted", "closed", "open")),
            )
        self._prevention_referrals()

    def _prevention_referrals(self) -> None:
        """The prevention programme detects situations and refers them to the territory's
        services (its indicator "Derivacions a serveis del territori" counts them): some of its
        participants are referred while they take part. A random generator of its own, so the
        rest of the demo stays as it was."""
        rng = random.Random(f"{self.spec.people}:prevention-referrals")
        prevention = next(p for p in PROGRAMMES if p.code == "PREV")
        first: dict[int, dt.date] = {}
        for act in self.acts:
            if act.seed not in prevention.activities:
                continue
            for index, start, _end, _rate in self.groups.get(act.id, []):
                if start < self.today and not self.people[index].blocked:
                    first[index] = min(start, first.get(index, start))
        members = sorted(first.items())
        targets = (("ss_sants", "open"), ("cap_sants", "accepted"), ("csma", "accepted"))
        count = min(len(members), 30 if self.spec.sessions else 5)
        for n, (index, start) in enumerate(rng.sample(members, count)):
            target, status = targets[n % len(targets)]
            span = max((self.today - start).days, 1)
            self.rows.add(
                m.Referral,
                id=self.ids("referral", f"prevention:{index}"),
                participant_id=self.person_ids[index],
                to_organisation_id=self.orgs[target],
                date=start + dt.timedelta(days=rng.randint(0, span - 1)),
                reason="Situació de vulnerabilitat detectada al grup; es deriva al servei.",
                status=status,
            )
