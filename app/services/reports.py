"""Justification reports: the data of a report (figures from FiguresService plus the tables the
funder asks for), the narrative texts kept per programme and period, writing the files and the
evidence pack, and the list of recent reports."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import (
    Activity,
    Agreement,
    Attendance,
    EntityProfile,
    HeadCount,
    NetworkMeeting,
    NetworkSpace,
    Participant,
    Place,
    Programme,
    ProgrammeCategory,
    ReportNarrative,
    Session,
    Setting,
    Staff,
    activity_facilitator,
    session_facilitator,
)
from app.domain.changes import Area, Changes
from app.domain.figures import Breakdown
from app.domain.profile import FunderDTO
from app.domain.report import (
    NARRATIVE_KINDS,
    NOT_RECORDED,
    ActivityRow,
    AnnexRow,
    CancelCheck,
    MonthRow,
    NetworkRow,
    ProgrammeInfo,
    Progress,
    ReportCancelled,
    ReportData,
    ReportRequest,
)
from app.errors import UserError
from app.i18n import _
from app.services import audit
from app.services.figures import (
    COUNTED_STATUSES,
    FiguresService,
    counted_meetings,
    duration_hours,
    held_sessions,
)
from app.services.profile import _profile_dto
from app.services.report_output import (
    ReportFiles,
    SheetMaker,
    _scaled,
    default_sheet_maker,
    evidence_zip,
    write_files,
)

RECENT_KEY = "reports.recent"
RECENT_MAX = 12


@dataclass(frozen=True)
class ProgrammeChoice:
    id: str
    code: str
    name: str


@dataclass(frozen=True)
class RecentReport:
    path: str
    title: str
    date_from: dt.date
    date_to: dt.date
    at: dt.datetime


def _step(progress: Progress | None, cancel: CancelCheck | None, fraction: float, msg: str) -> None:
    if cancel is not None and cancel():
        raise ReportCancelled()
    if progress is not None:
        progress(fraction, msg)


def _months(date_from: dt.date, date_to: dt.date) -> list[tuple[int, int]]:
    out, y, m = [], date_from.year, date_from.month
    while (y, m) <= (date_to.year, date_to.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class ReportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- choices ----------------------------------------------------------------------------

    def programmes(self) -> list[ProgrammeChoice]:
        with self._db.read() as s:
            q = select(Programme).where(Programme.deleted_at.is_(None)).order_by(Programme.code)
            return [ProgrammeChoice(p.id, p.code, p.name) for p in s.scalars(q)]

    def programme_by_code(self, code: str) -> ProgrammeChoice:
        with self._db.read() as s:
            p = s.scalar(
                select(Programme).where(Programme.code == code, Programme.deleted_at.is_(None))
            )
            if p is None:
                raise UserError(_("There is no programme with the code {code}.").format(code=code))
            return ProgrammeChoice(p.id, p.code, p.name)

    # -- narratives -------------------------------------------------------------------------

    def narratives(
        self, programme_id: str | None, date_from: dt.date, date_to: dt.date
    ) -> dict[str, str]:
        with self._db.read() as s:
            rows = s.scalars(self._narrative_query(programme_id, date_from, date_to))
            texts = {r.kind: r.text for r in rows}
        return {kind: texts.get(kind, "") for kind in NARRATIVE_KINDS}

    def save_narratives(
        self,
        programme_id: str | None,
        date_from: dt.date,
        date_to: dt.date,
        texts: dict[str, str],
    ) -> Changes:
        with self._db.begin() as s:
            rows = {
                r.kind: r
                for r in s.scalars(self._narrative_query(programme_id, date_from, date_to))
            }
            for kind in NARRATIVE_KINDS:
                text = texts.get(kind, "").strip()
                if kind in rows:
                    rows[kind].text = text
                elif text:
                    s.add(
                        ReportNarrative(
                            programme_id=programme_id,
                            period_from=date_from,
                            period_to=date_to,
                            kind=kind,
                            text=text,
                        )
                    )
        return Changes.of(Area.PROGRAMMES)

    @staticmethod
    def _narrative_query(programme_id: str | None, date_from: dt.date, date_to: dt.date):  # type: ignore[no-untyped-def]
        q = select(ReportNarrative).where(
            ReportNarrative.period_from == date_from, ReportNarrative.period_to == date_to
        )
        if programme_id is None:
            return q.where(ReportNarrative.programme_id.is_(None))
        return q.where(ReportNarrative.programme_id == programme_id)

    # -- the report's data ------------------------------------------------------------------

    def load(
        self,
        request: ReportRequest,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> ReportData:
        if request.date_to < request.date_from:
            raise UserError(_("The period ends before it starts."))
        ids = request.programme_ids
        _step(progress, cancel, 0.0, _("Counting the figures…"))
        figures = FiguresService(self._db).compute(
            ids, request.date_from, request.date_to, request.age_bands
        )
        narratives = request.narratives
        if narratives is None:
            narratives = self.narratives(
                request.narrative_key(), request.date_from, request.date_to
            )
        with self._db.read() as s:
            _step(progress, cancel, 0.3, _("Reading the programmes…"))
            profile = s.scalar(select(EntityProfile).limit(1))
            programmes = self._programmes(s, ids)
            _step(progress, cancel, 0.4, _("Reading the sessions…"))
            tables = self._session_tables(s, request)
            _step(progress, cancel, 0.8, _("Reading the network work…"))
            network = self._network(s, ids, request.date_from, request.date_to)
        _step(progress, cancel, 0.9, _("Figures ready."))
        return ReportData(
            request=request,
            entity=_profile_dto(profile) if profile else None,
            programmes=programmes,
            figures=figures,
            network=network,
            narratives={k: narratives.get(k, "") for k in NARRATIVE_KINDS},
            **tables,
        )

    def _programmes(self, s: OrmSession, ids: Sequence[str] | None) -> tuple[ProgrammeInfo, ...]:
        q = select(Programme).where(Programme.deleted_at.is_(None)).order_by(Programme.code)
        if ids is not None:
            q = q.where(Programme.id.in_(list(ids)))
        rows = list(s.scalars(q))
        if ids is not None and len(rows) != len(set(ids)):
            raise UserError(_("A programme of the report no longer exists."))
        categories = {c.code: c for c in s.scalars(select(ProgrammeCategory))}
        staff = {r[0]: r[1] for r in s.execute(select(Staff.id, Staff.name))}
        out = []
        for p in rows:
            cat = categories.get(p.category)
            label = (
                {"ca": cat.name_ca, "es": cat.name_es}
                if cat
                else {"ca": p.category, "es": p.category}
            )
            funders = tuple(
                FunderDTO(f.id, f.name, f.support_text, f.logo)
                for f in p.funders
                if f.deleted_at is None
            )
            out.append(
                ProgrammeInfo(
                    id=p.id,
                    code=p.code,
                    name=p.name,
                    category=p.category,
                    category_label=label,
                    description=p.description,
                    start=p.start,
                    end=p.end,
                    responsible=staff.get(p.responsible_staff_id or "", ""),
                    objectives=tuple(o for o in (p.objectives or []) if o.strip()),
                    funders=funders,
                )
            )
        return tuple(out)

    def _session_tables(self, s: OrmSession, request: ReportRequest) -> dict[str, Any]:
        """Per activity, per month, per neighbourhood and nationality, and the annex, from the
        same held sessions and counted attendance as the figures."""
        ids, d_from, d_to = request.programme_ids, request.date_from, request.date_to
        held = held_sessions(ids, d_from, d_to)
        held_ids = held.with_only_columns(Session.id).scalar_subquery()
        sessions = s.execute(
            held.add_columns(
                Activity.id.label("activity_id"),
                Activity.name.label("activity"),
                Activity.kind,
                Activity.place_id.label("activity_place"),
                Session.place_id,
                Programme.code,
            ).order_by(Session.date, Session.start_time, Programme.code, Activity.name)
        ).all()
        places = {r[0]: r[1] for r in s.execute(select(Place.id, Place.name))}
        session_staff: dict[str, list[str]] = defaultdict(list)
        for sid, name in s.execute(
            select(session_facilitator.c.session_id, Staff.name)
            .join(Staff, Staff.id == session_facilitator.c.staff_id)
            .where(session_facilitator.c.session_id.in_(held_ids))
            .order_by(Staff.name)
        ):
            session_staff[sid].append(name)
        activity_staff: dict[str, list[str]] = defaultdict(list)
        for aid, name in s.execute(
            select(activity_facilitator.c.activity_id, Staff.name)
            .join(Staff, Staff.id == activity_facilitator.c.staff_id)
            .order_by(Staff.name)
        ):
            activity_staff[aid].append(name)
        named = s.execute(
            select(
                Attendance.session_id,
                Attendance.participant_id,
                Participant.neighbourhood,
                Participant.nationality,
            )
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(
                Attendance.session_id.in_(held_ids),
                Attendance.status.in_(COUNTED_STATUSES),
                Participant.deleted_at.is_(None),
            )
        ).all()
        heads = {
            r[0]: int(r[1] or 0)
            for r in s.execute(
                select(HeadCount.session_id, func.sum(HeadCount.count))
                .where(HeadCount.session_id.in_(held_ids))
                .group_by(HeadCount.session_id)
            )
        }

        per_session: dict[str, int] = defaultdict(int)
        people_by_session: dict[str, list[str]] = defaultdict(list)
        hood_people: dict[str, set[str]] = defaultdict(set)
        hood_att: dict[str, int] = defaultdict(int)
        nat_people: dict[str, set[str]] = defaultdict(set)
        nat_att: dict[str, int] = defaultdict(int)
        for sid, pid, hood, nat in named:
            per_session[sid] += 1
            people_by_session[sid].append(pid)
            hood = (hood or "").strip() or NOT_RECORDED
            nat = (nat or "").strip().upper() or NOT_RECORDED
            hood_people[hood].add(pid)
            hood_att[hood] += 1
            nat_people[nat].add(pid)
            nat_att[nat] += 1
        anonymous = sum(int(v or 0) for v in heads.values())
        if anonymous:  # head counts have no neighbourhood or nationality
            hood_att[NOT_RECORDED] += anonymous
            nat_att[NOT_RECORDED] += anonymous
            hood_people.setdefault(NOT_RECORDED, set())
            nat_people.setdefault(NOT_RECORDED, set())

        act_info: dict[str, tuple[str, str, str]] = {}
        act_n: dict[str, int] = defaultdict(int)
        act_hours: dict[str, float] = defaultdict(float)
        act_att: dict[str, int] = defaultdict(int)
        act_people: dict[str, set[str]] = defaultdict(set)
        month_sessions: dict[tuple[int, int], int] = defaultdict(int)
        month_att: dict[tuple[int, int], int] = defaultdict(int)
        annex = []
        for r in sessions:
            att = per_session[r.id] + int(heads.get(r.id) or 0)
            hours = duration_hours(r.start_time, r.end_time)
            act_info.setdefault(r.activity_id, (r.code, r.activity, r.kind))
            act_n[r.activity_id] += 1
            act_hours[r.activity_id] += hours
            act_att[r.activity_id] += att
            act_people[r.activity_id].update(people_by_session[r.id])
            key = (r.date.year, r.date.month)
            month_sessions[key] += 1
            month_att[key] += att
            place_id = r.place_id or r.activity_place
            staff = session_staff.get(r.id) or activity_staff.get(r.activity_id, [])
            annex.append(
                AnnexRow(
                    date=r.date,
                    start=r.start_time,
                    end=r.end_time,
                    programme_code=r.code,
                    activity=r.activity,
                    place=places.get(place_id or "", ""),
                    facilitators=", ".join(staff),
                    attendances=att,
                    session_id=r.id,
                )
            )
        activities = tuple(
            sorted(
                (
                    ActivityRow(
                        programme_code=code,
                        name=name,
                        kind=kind,
                        sessions=act_n[aid],
                        hours=act_hours[aid],
                        participants=len(act_people[aid]),
                        attendances=act_att[aid],
                    )
                    for aid, (code, name, kind) in act_info.items()
                ),
                key=lambda row: (row.programme_code, natural_key(row.name)),
            )
        )
        monthly = tuple(
            MonthRow(y, m, month_sessions[(y, m)], month_att[(y, m)])
            for y, m in _months(d_from, d_to)
        )
        return {
            "activities": activities,
            "monthly": monthly,
            "annex": tuple(annex),
            "by_neighbourhood": _ordered(hood_people, hood_att),
            "by_nationality": _ordered(nat_people, nat_att),
        }

    def _network(
        self, s: OrmSession, ids: Sequence[str] | None, d_from: dt.date, d_to: dt.date
    ) -> tuple[NetworkRow, ...]:
        q = counted_meetings(ids, d_from, d_to).add_columns(NetworkMeeting.space_id)
        meetings = s.execute(q).all()
        if not meetings:
            return ()
        spaces = {
            r.id: (r.name, r.parent_id)
            for r in s.execute(select(NetworkSpace.id, NetworkSpace.name, NetworkSpace.parent_id))
        }
        agreements: dict[str, list[str]] = defaultdict(list)
        for mid, status in s.execute(
            select(Agreement.meeting_id, Agreement.status).where(
                Agreement.meeting_id.in_([m.id for m in meetings])
            )
        ):
            agreements[mid].append(status)
        acc: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0, 0])
        for m in meetings:
            row = acc[m.space_id]
            row[0] += 1
            row[1] += duration_hours(m.start_time, m.end_time)
            row[2] += len(agreements[m.id])
            row[3] += sum(1 for st in agreements[m.id] if st == "done")
        out = []
        for space_id, (n, hours, adopted, done) in acc.items():
            name, parent_id = spaces.get(space_id, ("", None))
            parent = spaces[parent_id][0] if parent_id in spaces else ""
            out.append(NetworkRow(name, parent, int(n), float(hours), int(adopted), int(done)))
        return tuple(
            sorted(
                out, key=lambda r: ((r.parent or r.space).lower(), bool(r.parent), r.space.lower())
            )
        )

    # -- files ------------------------------------------------------------------------------

    def export(
        self,
        request: ReportRequest,
        files: ReportFiles,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> ReportData:
        """Load the data and write the requested files (all or, when cancelled, none)."""
        data = self.load(request, _scaled(progress, 0.0, 0.3), cancel)
        write_files(data, files, _scaled(progress, 0.3, 1.0), cancel)
        # One entry per report in the recent list: the PDF, else the first file written.
        path = next((p for p in (files.pdf, files.xlsx, files.json) if p is not None), None)
        if path is not None:
            self.remember(path, _title(data), request, "justification report")
        return data

    def evidence_pack(
        self,
        request: ReportRequest,
        path: Path,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        sheet_maker: SheetMaker | None | bool = True,
    ) -> list[str]:
        """One ZIP with the report and the attendance sheet of every held session of the
        period; returns the names inside it. ``sheet_maker`` True: this installation's."""
        maker = default_sheet_maker(self._db) if sheet_maker is True else sheet_maker or None
        data = self.load(request, _scaled(progress, 0.0, 0.2), cancel)
        members = evidence_zip(data, path, maker, _scaled(progress, 0.2, 1.0), cancel)
        self.remember(path, _title(data), request, "evidence pack")
        return members

    # -- recent reports ---------------------------------------------------------------------

    def remember(self, path: Path, title: str, request: ReportRequest, what: str) -> None:
        """Add a written file to the recent reports and to the audit log."""
        with self._db.begin() as s:
            row = s.scalar(select(Setting).where(Setting.key == RECENT_KEY))
            entry = {
                "path": str(path),
                "title": title,
                "from": request.date_from.isoformat(),
                "to": request.date_to.isoformat(),
                "at": dt.datetime.now().replace(microsecond=0).isoformat(),
            }
            items = [e for e in (row.value if row else []) if e.get("path") != str(path)]
            items = [entry, *items][:RECENT_MAX]
            if row is None:
                s.add(Setting(key=RECENT_KEY, value=items))
            else:
                row.value = items
            audit.record(s, "export", what, f"{title} {entry['from']}..{entry['to']} -> {path}")

    def recent(self) -> list[RecentReport]:
        with self._db.read() as s:
            row = s.scalar(select(Setting).where(Setting.key == RECENT_KEY))
            items = list(row.value) if row else []
        out = []
        for e in items:
            try:
                out.append(
                    RecentReport(
                        path=e["path"],
                        title=e["title"],
                        date_from=dt.date.fromisoformat(e["from"]),
                        date_to=dt.date.fromisoformat(e["to"]),
                        at=dt.datetime.fromisoformat(e["at"]),
                    )
                )
            except (KeyError, ValueError, TypeError):
                continue  # an entry from another version: skip it, keep the others
        return out


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """ "Grup 2" before "Grup 10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", text)
        if part
    )


def _title(data: ReportData) -> str:
    if data.request.programme_ids is None:
        return _("All the entity's programmes")
    return ", ".join(
        f"{p.code} · {p.name}" if len(data.programmes) == 1 else p.code for p in data.programmes
    )


def _ordered(people: dict[str, set[str]], att: dict[str, int]) -> dict[str, Breakdown]:
    """Most participants first, then by name; "not recorded" last."""
    keys = sorted(
        (k for k in people if k != NOT_RECORDED),
        key=lambda k: (-len(people[k]), -att[k], k.lower()),
    )
    if NOT_RECORDED in people:
        keys.append(NOT_RECORDED)
    return {k: Breakdown(len(people[k]), att[k]) for k in keys}
