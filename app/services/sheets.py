"""Attendance sheets: load what a sheet shows from the database, build the PDF, log the print.

Who is on a session's sheet: the people enrolled in the activity on the session's date, minus
blocked (erased) and deleted people, sorted by family name then given name. Every PDF that lists
names is written to the audit log when it is printed or saved (a preview is not a print).
ReportLab is imported only when a PDF is built, so importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    CommunityGroup,
    Enrolment,
    EntityProfile,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Participant,
    Place,
    Programme,
    Session,
    Setting,
    Staff,
)
from app.domain.audit import AuditSubject
from app.domain.people import sort_key
from app.domain.sessions import COUNTED_STATUSES
from app.domain.sheet_code import database_code
from app.domain.sheets import (
    DEFAULT_BLANK_ROWS,
    MAX_BLANK_ROWS,
    EntityHeader,
    SheetData,
    SheetFunder,
    SheetOptions,
    SheetPerson,
    mask_id,
    print_entry,
)
from app.domain.texts import MissingText, missing_message
from app.errors import UserError
from app.i18n import DOCUMENT_LANGUAGES, _, format_date
from app.private_files import private_output
from app.services import audit
from app.services.sheets_without_orm import localised
from app.services.texts import main_language, text_book
from app.services.volunteers import partner_names


@dataclass(frozen=True)
class ExtractPrint:
    """A register extract printed with names: its audit entry, not yet written."""

    session_id: str
    names: int
    lang: str


def record_extracts(s: OrmSession, printed: Sequence[ExtractPrint]) -> None:
    """The audit entries of register extracts, in the caller's unit of work."""
    for p in printed:
        audit.record(
            s,
            "print",
            AuditSubject.sheet("session", p.session_id),
            f"register extract names={p.names} lang={p.lang}",
        )


def _entity(s: OrmSession) -> EntityHeader:
    p = s.scalar(select(EntityProfile).limit(1))
    if p is None:
        return EntityHeader(name="")
    return EntityHeader(
        name=p.name,
        logo=p.logo,
        privacy_controller=p.privacy_controller,
        privacy_purpose=p.privacy_purpose,
        privacy_legal_basis=p.privacy_legal_basis,
        privacy_recipients=p.privacy_recipients,
        privacy_rights_contact=p.privacy_rights_contact,
    )


def _database_id(s: OrmSession) -> str:
    """The database's identity printed (shortened) in the sheets' codes: the entity profile's
    id, made once when the database is set up."""
    return s.scalar(select(EntityProfile.id).limit(1)) or ""


def _funders(programme: Programme | None) -> tuple[SheetFunder, ...]:
    if programme is None:
        return ()
    return tuple(
        SheetFunder(f.name, f.support_text, f.logo, f.id)
        for f in programme.funders
        if not f.deleted_at
    )


def _place_name(s: OrmSession, place_id: str | None) -> str:
    if not place_id:
        return ""
    place = s.get(Place, place_id)
    return place.name if place and not place.deleted_at else ""


def _staff_names(staff: Sequence[Staff]) -> tuple[str, ...]:
    return tuple(p.name for p in staff if not p.deleted_at)


def _enrolled(
    s: OrmSession, activity_id: str, start: dt.date, end: dt.date
) -> tuple[SheetPerson, ...]:
    """People enrolled at some point of [start, end], neither blocked nor deleted, in order."""
    q = (
        select(Participant)
        .join(Enrolment, Enrolment.participant_id == Participant.id)
        .where(
            Enrolment.activity_id == activity_id,
            Participant.deleted_at.is_(None),
            Participant.blocked_at.is_(None),
            or_(Enrolment.start.is_(None), Enrolment.start <= end),
            or_(Enrolment.end.is_(None), Enrolment.end >= start),
        )
        .distinct()
    )
    people = sorted(s.scalars(q), key=lambda p: sort_key(p.family_names, p.given_name))
    return tuple(
        SheetPerson(
            given_name=p.given_name,
            family_names=p.family_names,
            masked_id=mask_id(p.id_document_number, p.id_document_type),
            key=p.id,
        )
        for p in people
    )


def _activity(s: OrmSession, activity_id: str) -> Activity:
    activity = s.get(Activity, activity_id)
    if activity is None or activity.deleted_at:
        raise UserError(_("The activity {id} does not exist.").format(id=activity_id))
    return activity


def _made_up_sheet() -> SheetData:
    """A sheet of made-up names (one in Arabic script: its face and shaping), with a logo."""
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (4, 2), (200, 40, 40)).save(logo, "PNG")
    return SheetData(
        kind="session",
        entity=EntityHeader(name="Teixit", logo=logo.getvalue()),
        date=dt.date.today(),
        reference_id="00000000-0000-4000-8000-000000000000",
        database_code="0",
        people=(SheetPerson("Aina", "Puig", key="a"), SheetPerson("سلام", key="b")),
    )


#: Setting key of the options used last (language and blank rows; the masked ID column and
#: slips are chosen each time, so privacy stays the default).
OPTIONS_KEY = "sheet_options"


class SheetService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def saved_options(self) -> SheetOptions:
        """The language and blank rows used last; the entity's language the first time."""
        with self._db.read() as s:
            row = s.scalar(select(Setting).where(Setting.key == OPTIONS_KEY))
            profile = s.scalar(select(EntityProfile).limit(1))
        lang = profile.default_lang if profile else "ca"
        value = row.value if row and isinstance(row.value, dict) else {}
        if value.get("lang") in DOCUMENT_LANGUAGES:
            lang = value["lang"]
        blank = value.get("blank_rows")
        if not isinstance(blank, int) or not 0 <= blank <= MAX_BLANK_ROWS:
            blank = DEFAULT_BLANK_ROWS
        return SheetOptions(lang=lang, blank_rows=blank)

    def save_options(self, options: SheetOptions) -> None:
        value = {"lang": options.lang, "blank_rows": options.blank_rows}
        with self._db.begin() as s:
            row = s.scalar(select(Setting).where(Setting.key == OPTIONS_KEY))
            if row is None:
                s.add(Setting(key=OPTIONS_KEY, value=value))
            else:
                row.value = value

    # -- loading -------------------------------------------------------------------------

    def session_sheet(self, session_id: str) -> SheetData:
        with self._db.read() as s:
            session = s.get(Session, session_id)
            if session is None or session.deleted_at:
                raise UserError(_("The session {id} does not exist.").format(id=session_id))
            activity = _activity(s, session.activity_id)
            programme = s.get(Programme, activity.programme_id)
            return SheetData(
                kind="session",
                entity=_entity(s),
                programme=programme.name if programme else "",
                programme_id=programme.id if programme else "",
                activity=activity.name,
                activity_id=activity.id,
                date=session.date,
                start_time=session.start_time or activity.start_time,
                end_time=session.end_time or activity.end_time,
                place=_place_name(s, session.place_id or activity.place_id),
                facilitators=_staff_names(session.facilitators or activity.facilitators),
                reference_id=session.id,
                database_code=database_code(_database_id(s)),
                people=_enrolled(s, activity.id, session.date, session.date),
                funders=_funders(programme),
                partners=tuple(partner_names(s, activity.id)),
            )

    def activity_grid(self, activity_id: str, start: dt.date, end: dt.date) -> SheetData:
        """People x session dates of an activity over [start, end] (cancelled sessions left out)."""
        if end < start:
            raise UserError(_("The end date is before the start date."))
        with self._db.read() as s:
            activity = _activity(s, activity_id)
            programme = s.get(Programme, activity.programme_id)
            dates = s.scalars(
                select(Session.date)
                .where(
                    Session.activity_id == activity.id,
                    Session.deleted_at.is_(None),
                    Session.status != "cancelled",
                    Session.date >= start,
                    Session.date <= end,
                )
                .order_by(Session.date)
                .distinct()
            ).all()
            return SheetData(
                kind="grid",
                entity=_entity(s),
                programme=programme.name if programme else "",
                programme_id=programme.id if programme else "",
                activity=activity.name,
                activity_id=activity.id,
                start_time=activity.start_time,
                end_time=activity.end_time,
                place=_place_name(s, activity.place_id),
                facilitators=_staff_names(activity.facilitators),
                reference_id=activity.id,
                people=_enrolled(s, activity.id, start, end),
                funders=_funders(programme),
                partners=tuple(partner_names(s, activity.id)),
                dates=tuple(dates),
                period=(start, end),
            )

    def meeting_sheet(self, meeting_id: str) -> SheetData:
        """A network meeting's sheet: the expected attendees (not those who apologised). It is
        printed before the meeting (planned) or after it (held); not for a cancelled one."""
        with self._db.read() as s:
            meeting = s.get(NetworkMeeting, meeting_id)
            if meeting is None or meeting.deleted_at:
                raise UserError(_("The meeting {id} does not exist.").format(id=meeting_id))
            if meeting.status == "cancelled":
                raise UserError(_("This meeting was cancelled: there is no sheet to sign."))
            space = s.get(NetworkSpace, meeting.space_id) if meeting.space_id else None
            group = s.get(CommunityGroup, meeting.group_id) if meeting.group_id else None
            space_name = space.name if space else (group.name if group else "")
            if space and space.parent_id:
                parent = s.get(NetworkSpace, space.parent_id)
                space_name = f"{parent.name} — {space.name}" if parent else space.name
            rows = s.execute(
                select(MeetingAttendee, Staff.name, Organisation.name)
                .outerjoin(Staff, Staff.id == MeetingAttendee.staff_id)
                .outerjoin(Organisation, Organisation.id == MeetingAttendee.organisation_id)
                .where(
                    MeetingAttendee.meeting_id == meeting.id,
                    MeetingAttendee.status != "apologised",
                )
            ).all()
            entity = _entity(s)
            people = []
            for attendee, staff_name, org_name in rows:
                name = staff_name or attendee.person_name
                org = org_name or (entity.name if staff_name else "")
                people.append(SheetPerson(given_name=name, organisation=org))
            people.sort(key=lambda p: sort_key(p.given_name, ""))
            place = meeting.place or (_("Online") if meeting.online else "")
            return SheetData(
                kind="meeting",
                entity=entity,
                space=space_name,
                date=meeting.date,
                start_time=meeting.start_time,
                end_time=meeting.end_time,
                place=place,
                reference_id=meeting.id,
                people=tuple(people),
            )

    def blank_sheet(self, activity_id: str | None = None) -> SheetData:
        """A sheet without names for an unplanned event; the activity's header when given."""
        with self._db.read() as s:
            if activity_id is None:
                return SheetData(kind="blank", entity=_entity(s))
            activity = _activity(s, activity_id)
            programme = s.get(Programme, activity.programme_id)
            return SheetData(
                kind="blank",
                entity=_entity(s),
                programme=programme.name if programme else "",
                programme_id=programme.id if programme else "",
                activity=activity.name,
                activity_id=activity.id,
                place=_place_name(s, activity.place_id),
                facilitators=_staff_names(activity.facilitators),
                funders=_funders(programme),
                partners=tuple(partner_names(s, activity.id)),
            )

    def week_session_ids(self, monday: dt.date) -> list[str]:
        """The week's sessions (Monday to Sunday) that are not cancelled, in date and time order."""
        sunday = monday + dt.timedelta(days=6)
        with self._db.read() as s:
            q = (
                select(Session.id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(
                    and_(Session.date >= monday, Session.date <= sunday),
                    Session.deleted_at.is_(None),
                    Activity.deleted_at.is_(None),
                    Session.status != "cancelled",
                )
                .order_by(Session.date, Session.start_time, Activity.name)
            )
            return list(s.scalars(q))

    # -- building --------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Do ahead what the first sheet printed in this process would wait for (ReportLab, the
        QR encoder, the image reader, the embedded faces, the statements, the entity's logo and
        notice laid out): the preview of the latest session's sheet, built and thrown away
        (nothing is logged; a made-up sheet when there is none). The window calls it off its
        thread once it is up."""
        with self._db.read() as s:
            latest = s.scalar(
                select(Session.id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Session.deleted_at.is_(None), Activity.deleted_at.is_(None))
                .order_by(Session.date.desc())
                .limit(1)
            )
        sheet = self.session_sheet(latest) if latest else _made_up_sheet()
        self.pdf(sheet, self.saved_options(), record=False)

    def pdf(
        self, sheets: SheetData | Sequence[SheetData], options: SheetOptions, *, record: bool = True
    ) -> bytes:
        """The PDF of one or several sheets. ``record``: log the print of the names it shows
        (False only for an on-screen preview)."""
        from app.reports.attendance_sheet import build_sheets

        items = [sheets] if isinstance(sheets, SheetData) else list(sheets)
        if not items:
            raise UserError(_("There are no sheets to print."))
        items = self.localised(items, options.lang)[0]
        buf = io.BytesIO()
        build_sheets(items, options, buf)
        if record:
            self.record_print(items, options)
        return buf.getvalue()

    def localised(
        self, sheets: Sequence[SheetData], lang: str
    ) -> tuple[list[SheetData], tuple[MissingText, ...]]:
        """The sheets with the user's texts (entity, notice, programme, activity, funders) in
        the document language, and those that have no version in it (printed in the entity's
        language)."""
        with self._db.read() as s:
            book = text_book(s, lang)
        return localised(sheets, book), tuple(book.missing)

    def missing_texts(
        self, sheets: SheetData | Sequence[SheetData], lang: str
    ) -> tuple[MissingText, ...]:
        """Before printing: the texts the sheets print that have no version in ``lang``."""
        items = [sheets] if isinstance(sheets, SheetData) else list(sheets)
        return self.localised(items, lang)[1]

    def missing_warning(self, sheets: SheetData | Sequence[SheetData], lang: str) -> str:
        """The sentence the sheet dialog shows before printing ("" when nothing is missing)."""
        missing = self.missing_texts(sheets, lang)
        if not missing:
            return ""
        with self._db.read() as s:
            main = main_language(s)
        return missing_message(missing, main)

    def write(
        self, sheets: SheetData | Sequence[SheetData], options: SheetOptions, path: Path
    ) -> None:
        data = self.pdf(sheets, options, record=False)
        # The file appears only once its print is in the audit log.
        with private_output([(Path(path), data)]):
            self.record_print([sheets] if isinstance(sheets, SheetData) else sheets, options)

    def record_print(self, sheets: Sequence[SheetData], options: SheetOptions) -> None:
        """One audit event per sheet that shows names (blank sheets show none)."""
        named = [d for d in sheets if d.has_names]
        if not named:
            return
        with self._db.begin() as s:
            for d in named:
                audit.record(s, "print", *print_entry(d, options))

    def register_extract(
        self,
        session_id: str,
        lang: str,
        *,
        record: bool = True,
        pending: list[ExtractPrint] | None = None,
    ) -> bytes:
        """The PDF listing who the register records as present or late at a session, titled
        as an extract of the register (the evidence of a session with no signed sheet kept).
        Erased people are counted but not named. ``record``: log the print of the names;
        ``pending``: instead, add the print to this list, for the caller to log with the file
        that holds it (``record_extracts``)."""
        from app.reports.register_extract import build_extract

        data = self.localised([self.session_sheet(session_id)], lang)[0][0]
        with self._db.read() as s:
            rows = s.execute(
                select(Participant, Attendance.status)
                .join(Attendance, Attendance.participant_id == Participant.id)
                .where(
                    Attendance.session_id == session_id,
                    Attendance.status.in_(COUNTED_STATUSES),
                    Participant.deleted_at.is_(None),
                    Participant.blocked_at.is_(None),
                )
            ).all()
        people = sorted(
            (
                SheetPerson(given_name=p.given_name, family_names=p.family_names, key=p.id)
                for p, _status in rows
            ),
            key=lambda p: sort_key(p.family_names, p.given_name),
        )
        statuses = {p.id: status for p, status in rows}
        extract = replace(data, people=tuple(people))
        buf = io.BytesIO()
        build_extract(extract, statuses, lang, buf)
        printed = ExtractPrint(session_id, len(people), lang)
        if pending is not None:
            if people:
                pending.append(printed)
        elif record and people:
            with self._db.begin() as s:
                record_extracts(s, [printed])
        return buf.getvalue()

    def week_pdf(self, monday: dt.date, options: SheetOptions, *, record: bool = True) -> bytes:
        """One PDF with the sheet of every session of the week that starts on ``monday``."""
        ids = self.week_session_ids(monday)
        if not ids:
            raise UserError(
                _("There are no sessions in the week of {date}.").format(date=format_date(monday))
            )
        return self.pdf([self.session_sheet(i) for i in ids], options, record=record)


def week_sheets(
    db: Database, monday: dt.date, options: SheetOptions, *, record: bool = True
) -> bytes:
    """One PDF with the sheet of every session of the week that starts on ``monday``."""
    return SheetService(db).week_pdf(monday, options, record=record)
