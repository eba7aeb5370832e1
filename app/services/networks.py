"""Territorial networks: the spaces tree, the organisations directory, meetings and agreements.

Decisions (see docs/networks.md):
- Follow-up lists a space's *own* open agreements (not its commissions'): each commission
  follows up its own agreements in its own meetings.
- Figures of a space include the meetings of its commissions (the work done "in" the network).
- Agreements are numbered 1..n per meeting in the order the meeting lists them.
- A meeting is planned, held or cancelled; only held meetings count in the figures, and only a
  held meeting has minutes to print (a planned one prints its attendance sheet).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Agreement,
    EntityProfile,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Programme,
    Staff,
    meeting_programme,
)
from app.domain.audit import AuditSubject
from app.domain.changes import Area, Changes
from app.domain.networks import (
    AGREEMENT_STATUSES,
    CLOSING_STATUSES,
    MEETING_STATUSES,
    ORGANISATION_KINDS,
    SPACE_ROLES,
    AgreementDTO,
    MeetingDTO,
    MeetingSummaryDTO,
    MinutesData,
    OrganisationDTO,
    ProgrammeChoice,
    SpaceDTO,
    SpaceFigures,
    status_for_date,
)
from app.domain.text import fold
from app.errors import StaleRecord, UserError, ValidationError
from app.i18n import _, format_date
from app.private_files import private_output
from app.services import network_figures
from app.services.audit import record
from app.services.network_reads import (
    agreement_dtos,
    agreement_query,
    minutes_data,
    names,
    read_meeting,
)
from app.services.network_rules import validate_meeting
from app.services.texts import printed_entity

NETWORKS = Changes.of(Area.NETWORKS)


class NetworkService:
    def __init__(self, db: Database, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._db = db
        self._today = today

    # ---- spaces ----------------------------------------------------------------------------

    def spaces(self, *, active_only: bool = False) -> list[SpaceDTO]:
        """All spaces in tree order (each space followed by its commissions), with ``depth``."""
        with self._db.read() as s:
            return self._spaces(s, active_only)

    def _spaces(self, s: Session, active_only: bool = False) -> list[SpaceDTO]:
        rows = list(
            s.scalars(
                select(NetworkSpace)
                .where(NetworkSpace.deleted_at.is_(None))
                .order_by(NetworkSpace.name)
            )
        )
        staff = names(s, Staff, (r.representative_staff_id for r in rows))
        children: dict[str | None, list[NetworkSpace]] = {}
        ids = {r.id for r in rows}
        for r in rows:
            parent = r.parent_id if r.parent_id in ids else None
            children.setdefault(parent, []).append(r)
        out: list[SpaceDTO] = []

        def walk(parent: str | None, depth: int) -> None:
            for r in sorted(children.get(parent, []), key=lambda x: fold(x.name)):
                if active_only and not r.active:
                    continue
                out.append(self._space_dto(r, staff, depth))
                walk(r.id, depth + 1)

        walk(None, 0)
        return out

    @staticmethod
    def _space_dto(r: NetworkSpace, staff: dict[str, str], depth: int = 0) -> SpaceDTO:
        return SpaceDTO(
            id=r.id,
            name=r.name,
            parent_id=r.parent_id,
            territory=r.territory,
            role=r.role,
            representative_staff_id=r.representative_staff_id,
            active=r.active,
            representative_name=staff.get(r.representative_staff_id or "", ""),
            depth=depth,
        )

    def space(self, space_id: str) -> SpaceDTO:
        with self._db.read() as s:
            r = self._live_space(s, space_id)
            return self._space_dto(r, names(s, Staff, [r.representative_staff_id]))

    @staticmethod
    def _live_space(s: Session, space_id: str) -> NetworkSpace:
        r = s.get(NetworkSpace, space_id)
        if r is None or r.deleted_at is not None:
            raise UserError(_("This network space no longer exists."))
        return r

    def save_space(self, space: SpaceDTO) -> tuple[SpaceDTO, Changes]:
        errors: dict[str, str] = {}
        name = space.name.strip()
        if not name:
            errors["name"] = _("The space needs a name.")
        if space.role not in SPACE_ROLES:
            errors["role"] = _("Choose the entity's role in the space.")
        with self._db.begin() as s:
            if space.parent_id:
                if space.id and self._is_descendant(s, space.parent_id, space.id):
                    errors["parent_id"] = _("A space cannot be a commission of itself.")
                else:
                    parent = s.get(NetworkSpace, space.parent_id)
                    if parent is None or parent.deleted_at is not None:
                        errors["parent_id"] = _("The parent space no longer exists.")
            if (
                space.representative_staff_id
                and s.get(Staff, space.representative_staff_id) is None
            ):
                errors["representative_staff_id"] = _("Choose a member of the team.")
            if errors:
                raise ValidationError(errors)
            row = self._live_space(s, space.id) if space.id else NetworkSpace()
            row.name = name
            row.parent_id = space.parent_id
            row.territory = space.territory.strip()
            row.role = space.role
            row.representative_staff_id = space.representative_staff_id
            row.active = space.active
            s.add(row)
            s.flush()
            staff = names(s, Staff, [row.representative_staff_id])
            return self._space_dto(row, staff), NETWORKS

    @staticmethod
    def _is_descendant(s: Session, candidate: str, ancestor: str) -> bool:
        """True when ``candidate`` is ``ancestor`` or lies below it."""
        seen: set[str] = set()
        current: str | None = candidate
        while current and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            current = s.scalar(select(NetworkSpace.parent_id).where(NetworkSpace.id == current))
        return False

    def delete_space(self, space_id: str) -> Changes:
        """Removes a space and its commissions when none has meetings; otherwise the user is
        told to mark it inactive, so no minutes are lost."""
        with self._db.begin() as s:
            self._live_space(s, space_id)
            ids = network_figures.subtree(s, space_id)
            has_meetings = s.scalar(
                select(func.count())
                .select_from(NetworkMeeting)
                .where(NetworkMeeting.space_id.in_(ids), NetworkMeeting.deleted_at.is_(None))
            )
            if has_meetings:
                raise UserError(
                    _("This space has meetings; mark it as inactive instead of deleting it.")
                )
            for row in s.scalars(select(NetworkSpace).where(NetworkSpace.id.in_(ids))):
                row.deleted_at = utcnow()
        return NETWORKS

    # ---- organisations ---------------------------------------------------------------------

    def organisations(self, search: str = "") -> list[OrganisationDTO]:
        with self._db.read() as s:
            rows = s.scalars(select(Organisation).where(Organisation.deleted_at.is_(None)))
            out = [OrganisationDTO(r.id, r.name, r.kind, r.contact) for r in rows]
        needle = fold(search.strip())
        if needle:
            out = [o for o in out if needle in fold(o.name) or needle in fold(o.contact)]
        return sorted(out, key=lambda o: fold(o.name))

    def save_organisation(self, org: OrganisationDTO) -> tuple[OrganisationDTO, Changes]:
        errors: dict[str, str] = {}
        if not org.name.strip():
            errors["name"] = _("The organisation needs a name.")
        if org.kind not in ORGANISATION_KINDS:
            errors["kind"] = _("Choose the kind of organisation.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.get(Organisation, org.id) if org.id else Organisation()
            if row is None or row.deleted_at is not None:
                raise UserError(_("This organisation no longer exists."))
            row.name, row.kind, row.contact = org.name.strip(), org.kind, org.contact.strip()
            s.add(row)
            s.flush()
            return OrganisationDTO(row.id, row.name, row.kind, row.contact), Changes.of(
                Area.ORGANISATIONS
            )

    def delete_organisation(self, organisation_id: str) -> Changes:
        """Hidden from the directory; meetings, agreements and referrals keep its name."""
        with self._db.begin() as s:
            row = s.get(Organisation, organisation_id)
            if row is not None:
                row.deleted_at = utcnow()
        return Changes.of(Area.ORGANISATIONS, Area.NETWORKS)

    def programme_choices(self) -> list[ProgrammeChoice]:
        with self._db.read() as s:
            q = select(Programme).where(Programme.deleted_at.is_(None)).order_by(Programme.code)
            return [ProgrammeChoice(r.id, r.code, r.name) for r in s.scalars(q)]

    # ---- meetings --------------------------------------------------------------------------

    def meetings(self, space_id: str | None = None) -> list[MeetingSummaryDTO]:
        """Meetings of one space (or all), latest first."""
        q = self._summary_query()
        if space_id:
            q = q.where(NetworkMeeting.space_id == space_id)
        with self._db.read() as s:
            return self._summaries(s, q)

    def unheld_meetings(self, before: dt.date, limit: int = 50) -> list[MeetingSummaryDTO]:
        """Meetings dated before ``before`` still planned: held or not, nobody has said so yet
        (Home lists them beside the past sessions without attendance), latest first."""
        q = (
            self._summary_query()
            .where(NetworkMeeting.status == "planned", NetworkMeeting.date < before)
            .limit(limit)
        )
        with self._db.read() as s:
            return self._summaries(s, q)

    @staticmethod
    def _summary_query() -> Select[NetworkMeeting, str]:
        return (
            select(NetworkMeeting, NetworkSpace.name)
            .join(NetworkSpace, NetworkSpace.id == NetworkMeeting.space_id)
            .where(NetworkMeeting.deleted_at.is_(None), NetworkSpace.deleted_at.is_(None))
            .order_by(NetworkMeeting.date.desc(), NetworkMeeting.start_time.desc())
        )

    @staticmethod
    def _summaries(s: Session, q: Select[NetworkMeeting, str]) -> list[MeetingSummaryDTO]:
        rows = s.execute(q).all()
        ids = [m.id for m, _n in rows]
        attended = dict(
            s.execute(
                select(MeetingAttendee.meeting_id, func.count())
                .where(MeetingAttendee.meeting_id.in_(ids), MeetingAttendee.status == "attended")
                .group_by(MeetingAttendee.meeting_id)
            ).all()
        )
        agreed = dict(
            s.execute(
                select(Agreement.meeting_id, func.count())
                .where(Agreement.meeting_id.in_(ids))
                .group_by(Agreement.meeting_id)
            ).all()
        )
        return [
            MeetingSummaryDTO(
                m.id,
                m.space_id or "",
                name,
                m.date,
                m.start_time,
                m.end_time,
                m.place,
                m.online,
                attended.get(m.id, 0),
                agreed.get(m.id, 0),
                m.status,
                m.cancellation_reason,
            )
            for m, name in rows
        ]

    def meeting(self, meeting_id: str) -> MeetingDTO:
        with self._db.read() as s:
            return read_meeting(s, meeting_id)

    def save_meeting(self, meeting: MeetingDTO) -> tuple[MeetingDTO, Changes]:
        """Saves the meeting with its attendees, agenda, programme links, agreements (numbered
        1..n in the given order) and the closures of earlier agreements, all or nothing."""
        with self._db.begin() as s:
            validate_meeting(s, meeting)
            if meeting.id:
                row = s.get(NetworkMeeting, meeting.id)
                if row is None or row.deleted_at is not None:
                    raise UserError(_("This meeting no longer exists."))
                if meeting.version is not None and meeting.version != row.version:
                    current = read_meeting(s, row.id)
                    raise StaleRecord(
                        _(
                            "Someone else has changed the meeting of {space} on {date} since "
                            "you opened it, so your changes have not been saved yet. Compare "
                            "both versions and choose what to keep."
                        ).format(
                            space=current.space_name, date=format_date(row.date, None, "short")
                        ),
                        current=current,
                    )
                row.version += 1
            else:
                row = NetworkMeeting()
            row.space_id = meeting.space_id
            row.date = meeting.date
            row.start_time, row.end_time = meeting.start_time, meeting.end_time
            row.place, row.online = meeting.place.strip(), meeting.online
            row.agenda = [item.strip() for item in meeting.agenda if item.strip()]
            row.minutes = meeting.minutes
            row.status = self._status(meeting, row.status if meeting.id else None)
            reason = meeting.cancellation_reason.strip()
            row.cancellation_reason = reason if row.status == "cancelled" else ""
            s.add(row)
            s.flush()
            self._write_children(s, row.id, meeting)
            s.flush()
            return read_meeting(s, row.id), NETWORKS

    def _status(self, meeting: MeetingDTO, stored: str | None) -> str:
        """The status to write: the one given; when none is given, a meeting that records
        attendance or minutes is held, an existing one keeps its own, and a new one follows
        its date (planned from today on)."""
        if meeting.status is not None:
            return meeting.status
        if meeting.has_record():
            return "held"
        return stored or status_for_date(meeting.date, self._today())

    def set_meeting_status(
        self, meeting_id: str, status: str, reason: str = ""
    ) -> tuple[MeetingSummaryDTO, Changes]:
        """Marks a meeting planned, held or cancelled (a cancellation needs its reason)."""
        if status not in MEETING_STATUSES:
            raise UserError(_("Choose a valid status."))
        reason = reason.strip()
        if status == "cancelled" and not reason:
            raise ValidationError({"cancellation_reason": _("Say why the meeting was cancelled.")})
        with self._db.begin() as s:
            row = s.get(NetworkMeeting, meeting_id)
            if row is None or row.deleted_at is not None:
                raise UserError(_("This meeting no longer exists."))
            row.status = status
            row.cancellation_reason = reason if status == "cancelled" else ""
            row.version += 1
            s.flush()
            found = self._summaries(s, self._summary_query().where(NetworkMeeting.id == meeting_id))
            if not found:  # its space was deleted
                raise UserError(_("This meeting no longer exists."))
        return found[0], NETWORKS

    def mark_held(self, meeting_id: str) -> tuple[MeetingSummaryDTO, Changes]:
        return self.set_meeting_status(meeting_id, "held")

    def cancel_meeting(self, meeting_id: str, reason: str) -> tuple[MeetingSummaryDTO, Changes]:
        return self.set_meeting_status(meeting_id, "cancelled", reason)

    def _write_children(self, s: Session, meeting_id: str, m: MeetingDTO) -> None:
        s.execute(delete(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id))
        for person in m.attendees:
            s.add(
                MeetingAttendee(
                    meeting_id=meeting_id,
                    staff_id=person.staff_id,
                    person_name="" if person.staff_id else person.person_name.strip(),
                    organisation_id=person.organisation_id,
                    status=person.status,
                )
            )
        s.execute(delete(meeting_programme).where(meeting_programme.c.meeting_id == meeting_id))
        for pid in dict.fromkeys(m.programme_ids):
            s.execute(insert(meeting_programme).values(meeting_id=meeting_id, programme_id=pid))
        existing = {
            a.id: a for a in s.scalars(select(Agreement).where(Agreement.meeting_id == meeting_id))
        }
        kept: set[str] = set()
        for number, a in enumerate(m.agreements, start=1):
            row = existing.get(a.id or "") or Agreement(meeting_id=meeting_id)
            row.number, row.text = number, a.text.strip()
            row.owner_staff_id, row.owner_organisation_id = (
                a.owner_staff_id,
                a.owner_organisation_id,
            )
            row.due_date = a.due_date
            if a.status != row.status or a.status == "open":
                row.status = a.status
                row.closed_in_meeting_id = None if a.status == "open" else row.closed_in_meeting_id
            s.add(row)
            s.flush()
            kept.add(row.id)
        for aid, row in existing.items():
            if aid not in kept:
                s.delete(row)
        wanted = dict(m.closures)
        closed_here = s.scalars(
            select(Agreement).where(Agreement.closed_in_meeting_id == meeting_id)
        )
        for row in closed_here:
            if row.id not in wanted and row.meeting_id != meeting_id:
                row.status, row.closed_in_meeting_id = "open", None
        for aid, status in wanted.items():
            self._close(s, aid, meeting_id, status)

    def delete_meeting(self, meeting_id: str) -> Changes:
        """Hides the meeting; agreements it had closed are open again."""
        with self._db.begin() as s:
            row = s.get(NetworkMeeting, meeting_id)
            if row is None:
                return NETWORKS
            row.deleted_at = utcnow()
            for a in s.scalars(
                select(Agreement).where(Agreement.closed_in_meeting_id == meeting_id)
            ):
                a.status, a.closed_in_meeting_id = "open", None
        return NETWORKS

    # ---- agreements ------------------------------------------------------------------------

    def open_agreements_for_space(
        self, space_id: str, before_date: dt.date | None = None
    ) -> list[AgreementDTO]:
        """Open agreements adopted in the space's own meetings before ``before_date`` (all when
        None), oldest first: the follow-up list of the space's next meeting."""
        with self._db.read() as s:
            q = agreement_query().where(
                NetworkMeeting.space_id == space_id, Agreement.status == "open"
            )
            if before_date is not None:
                q = q.where(NetworkMeeting.date < before_date)
            return agreement_dtos(s, q)

    def closed_in_meeting(self, meeting_id: str) -> list[AgreementDTO]:
        """Earlier agreements closed in this meeting (its follow-up section)."""
        with self._db.read() as s:
            q = agreement_query().where(
                Agreement.closed_in_meeting_id == meeting_id, Agreement.meeting_id != meeting_id
            )
            return agreement_dtos(s, q)

    def close_agreement(
        self, agreement_id: str, meeting_id: str, status: str = "done"
    ) -> tuple[AgreementDTO, Changes]:
        with self._db.begin() as s:
            self._close(s, agreement_id, meeting_id, status)
            s.flush()
            return agreement_dtos(s, agreement_query().where(Agreement.id == agreement_id))[
                0
            ], NETWORKS

    @staticmethod
    def _close(s: Session, agreement_id: str, meeting_id: str, status: str) -> None:
        if status not in CLOSING_STATUSES:
            raise UserError(_("An agreement is closed as done or dropped."))
        row = s.get(Agreement, agreement_id)
        meeting = s.get(NetworkMeeting, meeting_id)
        if row is None or meeting is None or meeting.deleted_at is not None:
            raise UserError(_("This agreement or meeting no longer exists."))
        adopted = s.get(NetworkMeeting, row.meeting_id)
        if adopted is not None and meeting.date < adopted.date:
            raise UserError(_("An agreement cannot be closed before the meeting that adopted it."))
        row.status, row.closed_in_meeting_id = status, meeting_id

    def follow_up_agreement(self, agreement_id: str, status: str) -> tuple[AgreementDTO, Changes]:
        """Marks an agreement done or dropped from the agreements board, or open again: the
        follow-up outside a meeting (a group accompanied has no follow-up list in its meetings).
        Closed so, it is closed in no meeting."""
        if status not in AGREEMENT_STATUSES:
            raise UserError(_("Unknown agreement status."))
        with self._db.begin() as s:
            row = s.get(Agreement, agreement_id)
            if row is None:
                raise UserError(_("This agreement or meeting no longer exists."))
            if status != row.status:
                row.status, row.closed_in_meeting_id = status, None
            s.flush()
            dtos = agreement_dtos(s, agreement_query().where(Agreement.id == agreement_id))
            if not dtos:
                raise UserError(_("This agreement or meeting no longer exists."))
            return dtos[0], NETWORKS | Changes.of(Area.COMMUNITY)

    def reopen_agreement(self, agreement_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(Agreement, agreement_id)
            if row is not None:
                row.status, row.closed_in_meeting_id = "open", None
        return NETWORKS

    def board(
        self,
        status: str | None = None,
        owner: str | None = None,
        overdue_only: bool = False,
        today: dt.date | None = None,
        space_id: str | None = None,
        group_id: str | None = None,
    ) -> list[AgreementDTO]:
        """Agreements of every space and accompanied group. ``owner`` is a staff or
        organisation id; overdue means open with a due date before ``today``. Sorted by due date
        (none last), then adoption."""
        if status is not None and status not in AGREEMENT_STATUSES:
            raise UserError(_("Unknown agreement status."))
        today = today or dt.date.today()
        q = agreement_query()
        if status:
            q = q.where(Agreement.status == status)
        if owner:
            q = q.where(
                (Agreement.owner_staff_id == owner) | (Agreement.owner_organisation_id == owner)
            )
        if overdue_only:
            q = q.where(Agreement.status == "open", Agreement.due_date < today)
        if space_id:
            q = q.where(NetworkMeeting.space_id == space_id)
        if group_id:
            q = q.where(NetworkMeeting.group_id == group_id)
        with self._db.read() as s:
            rows = agreement_dtos(s, q)
        far = dt.date.max
        return sorted(rows, key=lambda a: (a.due_date or far, a.meeting_date or far, a.number))

    # ---- figures ---------------------------------------------------------------------------

    def space_figures(self, space_id: str, date_from: dt.date, date_to: dt.date) -> SpaceFigures:
        """Meetings of the space *and its commissions* dated in [from, to], their hours, the
        agreements adopted in them and, of those, the ones done (DESIGN.md section 5)."""
        with self._db.read() as s:
            return network_figures.space_figures(s, space_id, date_from, date_to)

    def figures_by_space(
        self, date_from: dt.date, date_to: dt.date, programme_ids: Sequence[str] | None = None
    ) -> list[tuple[SpaceDTO, SpaceFigures]]:
        """Each top-level space that met in the period with its figures (commissions included),
        in tree order; for the justification report's table of networks."""
        with self._db.read() as s:
            figures = network_figures.figures_by_space(s, date_from, date_to, programme_ids)
            return [(sp, figures[sp.id]) for sp in self._spaces(s) if sp.id in figures]

    def minutes_data(self, meeting_id: str) -> MinutesData:
        """What the minutes of a meeting print; writes nothing (``write_minutes`` prints them)."""
        with self._db.read() as s:
            return minutes_data(s, meeting_id)

    def write_minutes(self, meeting_id: str, path: Path, lang: str | None = None) -> None:
        """The minutes of a meeting as a PDF at ``path``, in ``lang`` (by default, the entity's
        language). Minutes name people of other organisations: the print is audited."""
        from app.reports.minutes import build_minutes

        with self._db.read() as s:
            status = s.scalar(select(NetworkMeeting.status).where(NetworkMeeting.id == meeting_id))
            if status == "planned":
                raise UserError(
                    _(
                        "This meeting is still planned: its minutes are written once it has been "
                        "held. Mark it as held first; to take to the meeting, print its "
                        "attendance sheet."
                    )
                )
            if status == "cancelled":
                raise UserError(_("This meeting was cancelled: it has no minutes."))
            data = minutes_data(s, meeting_id)
            profile = s.scalar(select(EntityProfile).limit(1))
            lang = lang or (profile.default_lang if profile else "ca")
            entity, notice, _book = printed_entity(s, lang)
        if notice:  # the entity's name and notice in the minutes' language
            data = replace(data, entity_name=entity, privacy=notice)
        buf = io.BytesIO()
        build_minutes(data, lang, buf)
        # The file appears only once its print is in the audit log.
        with private_output([(Path(path), buf.getvalue())]), self._db.begin() as s:
            record(s, "print", AuditSubject.minutes(meeting_id), str(path))
