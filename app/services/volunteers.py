"""Volunteers, their hours and commitment agreements, the safeguarding certificates of the
people who work with minors, and the coproduction of activities (docs/volunteers.md)."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

from app.db.base import natural_id
from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    Enrolment,
    EntityProfile,
    Organisation,
    Participant,
    Programme,
    SafeguardingCertificate,
    Session,
    Setting,
    Staff,
    Volunteer,
    VolunteerHours,
    activity_facilitator,
    activity_partner,
    activity_programme,
    session_facilitator,
)
from app.domain.audit import AuditSubject
from app.domain.changes import Area, Changes
from app.domain.figures import age_on
from app.domain.volunteers import (
    ADULT_AGE,
    CERTIFICATE_RESULTS,
    DEFAULT_RENEWAL_MONTHS,
    RENEWAL_SETTING,
    AgreementData,
    CertificateDTO,
    CertificateHolder,
    VolunteerDTO,
    VolunteerHoursDTO,
    certificate_valid,
)
from app.errors import UserError, ValidationError
from app.i18n import _
from app.services import audit
from app.writing import cannot_write

VOLUNTEERS = Changes.of(Area.PEOPLE)
COPRODUCTION = Changes.of(Area.ACTIVITIES, Area.PROGRAMMES)
#: How far back and ahead a session makes its staff and volunteers "work with minors".
_CONTACT_WINDOW = dt.timedelta(days=183)


def _name(p: Participant) -> str:
    return f"{p.given_name} {p.family_names}".strip()


class VolunteerService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- settings --------------------------------------------------------------------------
    def renewal_months(self) -> int:
        with self._db.read() as s:
            return _renewal_months(s)

    def set_renewal_months(self, months: int) -> Changes:
        if not 1 <= months <= 120:
            raise ValidationError(
                {"renewal_months": _("The renewal period is between 1 and 120 months.")}
            )
        with self._db.begin() as s:
            row = s.scalar(select(Setting).where(Setting.key == RENEWAL_SETTING))
            if row is None:
                s.add(Setting(key=RENEWAL_SETTING, value=months))
            else:
                row.value = months
        return VOLUNTEERS

    # -- volunteers ------------------------------------------------------------------------
    def all(self, today: dt.date | None = None) -> list[VolunteerDTO]:
        """Every volunteer (active ones first, then by name)."""
        today = today or dt.date.today()
        with self._db.read() as s:
            rows = list(
                s.scalars(
                    select(Volunteer)
                    .join(Participant, Participant.id == Volunteer.participant_id)
                    .where(
                        Volunteer.deleted_at.is_(None),
                        Participant.deleted_at.is_(None),
                        Participant.blocked_at.is_(None),
                    )
                    .options(selectinload(Volunteer.programmes), selectinload(Volunteer.activities))
                )
            )
            return self._dtos(s, rows, today)

    def get(self, volunteer_id: str, today: dt.date | None = None) -> VolunteerDTO:
        with self._db.read() as s:
            row = s.get(Volunteer, volunteer_id)
            if row is None or row.deleted_at is not None:
                raise UserError(_("This volunteer no longer exists."))
            return self._dtos(s, [row], today or dt.date.today())[0]

    def for_person(self, participant_id: str) -> VolunteerDTO | None:
        with self._db.read() as s:
            row = s.scalar(
                select(Volunteer).where(
                    Volunteer.participant_id == participant_id, Volunteer.deleted_at.is_(None)
                )
            )
            return self._dtos(s, [row], dt.date.today())[0] if row else None

    def _dtos(self, s: OrmSession, rows: Sequence[Volunteer], today: dt.date) -> list[VolunteerDTO]:
        people = {
            p.id: p
            for p in s.scalars(
                select(Participant).where(Participant.id.in_({r.participant_id for r in rows}))
            )
        }
        hours = dict(
            s.execute(
                select(VolunteerHours.volunteer_id, func.sum(VolunteerHours.hours))
                .where(VolunteerHours.volunteer_id.in_([r.id for r in rows]))
                .group_by(VolunteerHours.volunteer_id)
            ).all()
        )
        months = _renewal_months(s)
        latest = _latest_certificates(s, participants=people)
        out = []
        for r in rows:
            cert = latest.get(r.participant_id)
            out.append(
                VolunteerDTO(
                    id=r.id,
                    participant_id=r.participant_id,
                    start=r.start,
                    end=r.end,
                    programme_ids=tuple(p.id for p in r.programmes),
                    activity_ids=tuple(a.id for a in r.activities),
                    tasks=r.tasks,
                    schedule=r.schedule,
                    training=r.training,
                    training_hours=r.training_hours or 0.0,
                    agreement_signed_on=r.agreement_signed_on,
                    insurer=r.insurer,
                    policy_number=r.policy_number,
                    insurance_from=r.insurance_from,
                    insurance_to=r.insurance_to,
                    notes=r.notes,
                    name=_name(people[r.participant_id]) if r.participant_id in people else "",
                    programme_codes=tuple(p.code for p in r.programmes),
                    activity_names=tuple(a.name for a in r.activities),
                    hours=float(hours.get(r.id) or 0.0),
                    certificate_date=cert[0] if cert else None,
                    certificate_result=cert[1] if cert else None,
                    certificate_valid=cert is not None
                    and certificate_valid(cert[0], cert[1], today, months),
                )
            )
        out.sort(key=lambda v: (not v.active(today), v.name.lower()))
        return out

    def save(self, dto: VolunteerDTO) -> tuple[VolunteerDTO, Changes]:
        errors: dict[str, str] = {}
        if not dto.participant_id:
            errors["participant_id"] = _("Choose the person who volunteers.")
        if dto.end is not None and dto.end < dto.start:
            errors["end"] = _("The end date is before the start date.")
        if dto.training_hours < 0:
            errors["training_hours"] = _("The hours of training cannot be negative.")
        if (
            dto.insurance_from is not None
            and dto.insurance_to is not None
            and dto.insurance_to < dto.insurance_from
        ):
            errors["insurance_to"] = _("The insurance ends before it starts.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            other = s.scalar(
                select(Volunteer).where(Volunteer.participant_id == dto.participant_id)
            )
            if dto.id is None:
                row = other
                if row is not None and row.deleted_at is None:
                    raise ValidationError(
                        {"participant_id": _("This person is already a volunteer.")}
                    )
                if row is None:
                    # Its id made from the person's (one record per person): made on two
                    # devices at once, the two are one record when they sync, merged field by
                    # field.
                    row = Volunteer(
                        id=natural_id("volunteer", dto.participant_id),
                        participant_id=dto.participant_id,
                        start=dto.start,
                    )
                    s.add(row)
                row.deleted_at = None
            else:
                row = s.get(Volunteer, dto.id)
                if row is None:
                    raise UserError(_("This volunteer no longer exists."))
            row.start, row.end = dto.start, dto.end
            row.tasks, row.schedule = dto.tasks.strip(), dto.schedule.strip()
            row.training, row.training_hours = dto.training.strip(), float(dto.training_hours)
            row.agreement_signed_on = dto.agreement_signed_on
            row.insurer, row.policy_number = dto.insurer.strip(), dto.policy_number.strip()
            row.insurance_from, row.insurance_to = dto.insurance_from, dto.insurance_to
            row.notes = dto.notes
            row.programmes = list(
                s.scalars(select(Programme).where(Programme.id.in_(dto.programme_ids)))
            )
            row.activities = list(
                s.scalars(select(Activity).where(Activity.id.in_(dto.activity_ids)))
            )
            s.flush()
            saved_id = row.id
        return self.get(saved_id), VOLUNTEERS

    def remove(self, volunteer_id: str) -> Changes:
        """No longer a volunteer record (the hours given stay counted in reports made)."""
        with self._db.begin() as s:
            row = s.get(Volunteer, volunteer_id)
            if row is not None:
                row.deleted_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return VOLUNTEERS

    # -- hours -----------------------------------------------------------------------------
    def hours(self, volunteer_id: str) -> list[VolunteerHoursDTO]:
        """A volunteer's hours, latest first."""
        with self._db.read() as s:
            rows = list(
                s.execute(
                    select(VolunteerHours, Session.activity_id)
                    .outerjoin(Session, Session.id == VolunteerHours.session_id)
                    .where(VolunteerHours.volunteer_id == volunteer_id)
                    .order_by(VolunteerHours.date.desc(), VolunteerHours.created_at.desc())
                ).all()
            )
            codes = dict(s.execute(select(Programme.id, Programme.code)).all())
            acts = {a.id: a for a in s.scalars(select(Activity))}
            extra: dict[str, list[str]] = defaultdict(list)
            for aid, pid in s.execute(select(activity_programme)):
                extra[aid].append(pid)
            out = []
            for h, aid in rows:
                if aid:
                    act = acts.get(aid)
                    pids = [act.programme_id, *extra[aid]] if act else []
                else:
                    pids = [h.programme_id] if h.programme_id else []
                out.append(
                    VolunteerHoursDTO(
                        id=h.id,
                        volunteer_id=h.volunteer_id,
                        date=h.date,
                        hours=h.hours,
                        session_id=h.session_id,
                        programme_id=h.programme_id,
                        notes=h.notes,
                        programme_codes=tuple(codes.get(p, "") for p in pids),
                        activity_name=acts[aid].name if aid and aid in acts else "",
                    )
                )
            return out

    def save_hours(self, dto: VolunteerHoursDTO) -> tuple[VolunteerHoursDTO, Changes]:
        errors: dict[str, str] = {}
        if not 0 < dto.hours <= 744:
            errors["hours"] = _("Enter the hours given (more than 0).")
        if not dto.session_id and not dto.programme_id:
            errors["programme_id"] = _("Choose the session, or the programme of the month.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            day = dto.date
            if dto.session_id:
                session = s.get(Session, dto.session_id)
                if session is None:
                    raise UserError(_("This session no longer exists."))
                day = session.date
            else:
                day = day.replace(day=1)
            row = s.get(VolunteerHours, dto.id) if dto.id else None
            if row is None:
                row = VolunteerHours(volunteer_id=dto.volunteer_id, date=day)
                s.add(row)
            row.date, row.hours, row.notes = day, float(dto.hours), dto.notes
            row.session_id = dto.session_id or None
            row.programme_id = None if dto.session_id else dto.programme_id
            s.flush()
            saved = VolunteerHoursDTO(
                id=row.id,
                volunteer_id=row.volunteer_id,
                date=row.date,
                hours=row.hours,
                session_id=row.session_id,
                programme_id=row.programme_id,
                notes=row.notes,
            )
        return saved, VOLUNTEERS

    def delete_hours(self, hours_id: str) -> Changes:
        with self._db.begin() as s:
            s.execute(delete(VolunteerHours).where(VolunteerHours.id == hours_id))
        return VOLUNTEERS

    def sessions_to_help(
        self, volunteer_id: str, today: dt.date | None = None
    ) -> list[tuple[str, dt.date, str]]:
        """(session id, date, activity name) of the sessions of the volunteer's activities and
        programmes up to a fortnight ahead, latest first: the ones their hours can be recorded
        in."""
        until = (today or dt.date.today()) + dt.timedelta(days=14)
        with self._db.read() as s:
            row = s.get(Volunteer, volunteer_id)
            if row is None:
                return []
            acts = {a.id for a in row.activities}
            progs = {p.id for p in row.programmes}
            if progs:
                acts |= set(s.scalars(select(Activity.id).where(Activity.programme_id.in_(progs))))
                acts |= set(
                    s.scalars(
                        select(activity_programme.c.activity_id).where(
                            activity_programme.c.programme_id.in_(progs)
                        )
                    )
                )
            q = (
                select(Session.id, Session.date, Activity.name)
                .join(Activity, Activity.id == Session.activity_id)
                .where(
                    Session.activity_id.in_(acts),
                    Session.deleted_at.is_(None),
                    Session.status != "cancelled",
                    Session.date <= until,
                )
                .order_by(Session.date.desc(), Session.start_time.desc())
            )
            return [(sid, day, name) for sid, day, name in s.execute(q)]

    # -- certificates ----------------------------------------------------------------------
    def certificates(
        self, *, staff_id: str | None = None, participant_id: str | None = None
    ) -> list[CertificateDTO]:
        with self._db.read() as s:
            q = select(SafeguardingCertificate).order_by(SafeguardingCertificate.issue_date.desc())
            if staff_id:
                q = q.where(SafeguardingCertificate.staff_id == staff_id)
            elif participant_id:
                q = q.where(SafeguardingCertificate.participant_id == participant_id)
            else:
                return []
            return [
                CertificateDTO(
                    id=c.id,
                    issue_date=c.issue_date,
                    result=c.result,
                    staff_id=c.staff_id,
                    participant_id=c.participant_id,
                )
                for c in s.scalars(q)
            ]

    def save_certificate(self, dto: CertificateDTO) -> tuple[CertificateDTO, Changes]:
        errors: dict[str, str] = {}
        if bool(dto.staff_id) == bool(dto.participant_id):
            errors["holder"] = _("Choose the member of staff or the volunteer.")
        if dto.result not in CERTIFICATE_RESULTS:
            errors["result"] = _("Choose the certificate's result.")
        if dto.issue_date > dt.date.today():
            errors["issue_date"] = _("The issue date is in the future.")
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = s.get(SafeguardingCertificate, dto.id) if dto.id else None
            if row is None:
                row = SafeguardingCertificate(issue_date=dto.issue_date)
                s.add(row)
            row.staff_id, row.participant_id = dto.staff_id, dto.participant_id
            row.issue_date, row.result = dto.issue_date, dto.result
            s.flush()
            saved = CertificateDTO(
                id=row.id,
                issue_date=row.issue_date,
                result=row.result,
                staff_id=row.staff_id,
                participant_id=row.participant_id,
            )
        return saved, VOLUNTEERS | Changes.of(Area.STAFF)

    def delete_certificate(self, certificate_id: str) -> Changes:
        with self._db.begin() as s:
            s.execute(
                delete(SafeguardingCertificate).where(SafeguardingCertificate.id == certificate_id)
            )
        return VOLUNTEERS | Changes.of(Area.STAFF)

    def holders(self, today: dt.date | None = None) -> list[CertificateHolder]:
        """The people who work with minors (active staff who facilitate, and active
        volunteers who help in, an activity with minors around ``today``) and the state of their
        latest certificate; those without a valid one first."""
        today = today or dt.date.today()
        with self._db.read() as s:
            return _holders(s, today)

    def missing_certificates(self, today: dt.date | None = None) -> list[CertificateHolder]:
        """Of ``holders``, those without a valid certificate (what Home warns about)."""
        return [h for h in self.holders(today) if not h.valid]

    def uncertified_in_session(
        self,
        session_id: str | None,
        activity_id: str,
        day: dt.date,
        staff_ids: Iterable[str] = (),
        participant_ids: Iterable[str] = (),
    ) -> list[str]:
        """Names of the given staff and volunteers (people of the register) with no valid
        certificate on ``day``, when the session (or a new one of ``activity_id``) involves
        minors; [] otherwise. Asked before scheduling them."""
        staff_ids, participant_ids = list(staff_ids), list(participant_ids)
        if not staff_ids and not participant_ids:
            return []
        with self._db.read() as s:
            if not _has_minors(s, session_id, activity_id, day):
                return []
            months = _renewal_months(s)
            staff = {
                st.id: st.name for st in s.scalars(select(Staff).where(Staff.id.in_(staff_ids)))
            }
            people = {
                p.id: _name(p)
                for p in s.scalars(select(Participant).where(Participant.id.in_(participant_ids)))
            }
            latest = _latest_certificates(s, staff=staff, participants=people)
            out = []
            for sid, name in staff.items():
                cert = latest.get(sid)
                if not cert or not certificate_valid(cert[0], cert[1], day, months):
                    out.append(name)
            for pid, name in people.items():
                cert = latest.get(pid)
                if not cert or not certificate_valid(cert[0], cert[1], day, months):
                    out.append(name)
            return sorted(out, key=str.lower)

    def session_has_minors(self, session_id: str) -> bool:
        with self._db.read() as s:
            session = s.get(Session, session_id)
            if session is None:
                return False
            return _has_minors(s, session_id, session.activity_id, session.date)

    # -- agreement -------------------------------------------------------------------------
    def agreement_data(self, volunteer_id: str, today: dt.date | None = None) -> AgreementData:
        with self._db.read() as s:
            row = s.get(Volunteer, volunteer_id)
            if row is None:
                raise UserError(_("This volunteer no longer exists."))
            person = s.get(Participant, row.participant_id)
            if person is None or person.blocked_at is not None:
                raise UserError(_("This person's data is erased: no document can name them."))
            profile = s.scalar(select(EntityProfile).order_by(EntityProfile.created_at).limit(1))
            document = ""
            if person.id_document_number:
                document = f"{(person.id_document_type or '').upper()} {person.id_document_number}"
            return AgreementData(
                entity_name=profile.name if profile else "",
                entity_tax_id=profile.tax_id if profile else "",
                entity_address=profile.address if profile else "",
                logo=profile.logo if profile else None,
                privacy={
                    "controller": profile.privacy_controller if profile else "",
                    "purpose": profile.privacy_purpose if profile else "",
                    "legal_basis": profile.privacy_legal_basis if profile else "",
                    "recipients": profile.privacy_recipients if profile else "",
                    "rights": profile.privacy_rights_contact if profile else "",
                },
                volunteer_name=_name(person),
                volunteer_document=document.strip(),
                volunteer_address=person.neighbourhood,
                volunteer_phone=person.phone,
                volunteer_email=person.email,
                start=row.start,
                end=row.end,
                programmes=tuple(f"{p.code} · {p.name}" for p in row.programmes),
                activities=tuple(a.name for a in row.activities),
                tasks=row.tasks,
                schedule=row.schedule,
                training=row.training,
                training_hours=row.training_hours or 0.0,
                insurer=row.insurer,
                policy_number=row.policy_number,
                insurance_from=row.insurance_from,
                insurance_to=row.insurance_to,
                signed_on=row.agreement_signed_on,
                today=today or dt.date.today(),
                region=profile.region if profile else "CT",
            )

    def write_agreement(
        self, path: Path, volunteer_id: str, lang: str | None = None
    ) -> None:
        """The commitment agreement as a PDF at ``path`` in ``lang`` (by default the entity's
        language); it names the person: its print is audited."""
        from app.reports.volunteer_agreement import build_volunteer_agreement

        data = self.agreement_data(volunteer_id)
        with self._db.read() as s:
            lang = lang or s.scalar(select(EntityProfile.default_lang).limit(1)) or "ca"
            person_id = s.scalar(
                select(Volunteer.participant_id).where(Volunteer.id == volunteer_id)
            )
        buf = io.BytesIO()
        build_volunteer_agreement(data, lang, buf)
        try:
            path.write_bytes(buf.getvalue())
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        with self._db.begin() as s:
            audit.record(s, "print", AuditSubject.person(person_id or ""), str(path))

    # -- coproduction ----------------------------------------------------------------------
    def coproduction(self, activity_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(other programme ids, partner organisation ids) of an activity."""
        with self._db.read() as s:
            return _coproduction(s, activity_id)

    def partner_names(self, activity_id: str) -> list[str]:
        with self._db.read() as s:
            return partner_names(s, activity_id)

    def save_coproduction(
        self, activity_id: str, programme_ids: Iterable[str], partner_ids: Iterable[str]
    ) -> Changes:
        with self._db.begin() as s:
            act = s.get(Activity, activity_id)
            if act is None:
                raise UserError(_("This activity no longer exists."))
            wanted = sorted({p for p in programme_ids if p and p != act.programme_id})
            partners = sorted({o for o in partner_ids if o})
            have_p, have_o = _coproduction(s, activity_id)
            if set(have_p) != set(wanted):
                s.execute(
                    delete(activity_programme).where(
                        activity_programme.c.activity_id == activity_id
                    )
                )
                if wanted:
                    s.execute(
                        insert(activity_programme),
                        [{"activity_id": activity_id, "programme_id": p} for p in wanted],
                    )
            if set(have_o) != set(partners):
                s.execute(
                    delete(activity_partner).where(activity_partner.c.activity_id == activity_id)
                )
                if partners:
                    s.execute(
                        insert(activity_partner),
                        [{"activity_id": activity_id, "organisation_id": o} for o in partners],
                    )
        return COPRODUCTION


def _coproduction(s: OrmSession, activity_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    progs = tuple(
        s.scalars(
            select(activity_programme.c.programme_id)
            .join(Programme, Programme.id == activity_programme.c.programme_id)
            .where(activity_programme.c.activity_id == activity_id)
            .order_by(Programme.code)
        )
    )
    orgs = tuple(
        s.scalars(
            select(activity_partner.c.organisation_id)
            .join(Organisation, Organisation.id == activity_partner.c.organisation_id)
            .where(activity_partner.c.activity_id == activity_id)
            .order_by(Organisation.name)
        )
    )
    return progs, orgs


def partner_names(s: OrmSession, activity_id: str) -> list[str]:
    """The names of an activity's partner organisations (co-organisers), by name."""
    return list(
        s.scalars(
            select(Organisation.name)
            .join(activity_partner, activity_partner.c.organisation_id == Organisation.id)
            .where(activity_partner.c.activity_id == activity_id, Organisation.deleted_at.is_(None))
            .order_by(Organisation.name)
        )
    )


def _renewal_months(s: OrmSession) -> int:
    value = s.scalar(select(Setting.value).where(Setting.key == RENEWAL_SETTING))
    return value if isinstance(value, int) and 1 <= value <= 120 else DEFAULT_RENEWAL_MONTHS


def _latest_certificates(
    s: OrmSession,
    staff: Iterable[str] = (),
    participants: Iterable[str] = (),
) -> dict[str, tuple[dt.date, str]]:
    """Holder id (staff or person) -> (issue date, result) of their latest certificate."""
    staff, participants = list(staff), list(participants)
    out: dict[str, tuple[dt.date, str]] = {}
    q = select(
        SafeguardingCertificate.staff_id,
        SafeguardingCertificate.participant_id,
        SafeguardingCertificate.issue_date,
        SafeguardingCertificate.result,
    ).order_by(SafeguardingCertificate.issue_date)
    q = q.where(
        SafeguardingCertificate.staff_id.in_(staff)
        | SafeguardingCertificate.participant_id.in_(participants)
    )
    for staff_id, person_id, day, result in s.execute(q):
        out[staff_id or person_id or ""] = (day, result)
    return out


def _minor_activities(s: OrmSession, day: dt.date, ids: Iterable[str] | None = None) -> set[str]:
    """Activities with a minor enrolled on ``day`` or counted at one of their sessions within
    about six months of it."""
    born_after = dt.date(day.year - ADULT_AGE, day.month, min(day.day, 28))
    minor = (Participant.birth_date > born_after) | (
        Participant.birth_date.is_(None) & (Participant.birth_year > day.year - ADULT_AGE)
    )
    q1 = (
        select(Enrolment.activity_id)
        .join(Participant, Participant.id == Enrolment.participant_id)
        .where(
            minor,
            Participant.deleted_at.is_(None),
            (Enrolment.start.is_(None)) | (Enrolment.start <= day),
            (Enrolment.end.is_(None)) | (Enrolment.end >= day),
        )
    )
    q2 = (
        select(Session.activity_id)
        .join(Attendance, Attendance.session_id == Session.id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            minor,
            Session.date >= day - _CONTACT_WINDOW,
            Session.date <= day + _CONTACT_WINDOW,
        )
    )
    if ids is not None:
        ids = list(ids)
        q1 = q1.where(Enrolment.activity_id.in_(ids))
        q2 = q2.where(Session.activity_id.in_(ids))
    return set(s.scalars(q1.distinct())) | set(s.scalars(q2.distinct()))


def _has_minors(s: OrmSession, session_id: str | None, activity_id: str, day: dt.date) -> bool:
    if session_id:
        ages = s.execute(
            select(Participant.birth_date, Participant.birth_year)
            .join(Attendance, Attendance.participant_id == Participant.id)
            .where(Attendance.session_id == session_id)
        ).all()
        if any((a := age_on(day, bd, by)) is not None and a < ADULT_AGE for bd, by in ages):
            return True
    return bool(_minor_activities(s, day, [activity_id]))


def _holders(s: OrmSession, today: dt.date) -> list[CertificateHolder]:
    minors = _minor_activities(s, today)
    months = _renewal_months(s)
    # Staff: default facilitators of those activities, or facilitators of their sessions near
    # today.
    staff_ids = set(
        s.scalars(
            select(activity_facilitator.c.staff_id).where(
                activity_facilitator.c.activity_id.in_(minors)
            )
        )
    ) | set(
        s.scalars(
            select(session_facilitator.c.staff_id)
            .join(Session, Session.id == session_facilitator.c.session_id)
            .where(
                Session.activity_id.in_(minors),
                Session.deleted_at.is_(None),
                Session.date >= today - _CONTACT_WINDOW,
                Session.date <= today + _CONTACT_WINDOW,
            )
        )
    )
    staff = {
        st.id: st.name
        for st in s.scalars(
            select(Staff).where(
                Staff.id.in_(staff_ids), Staff.active.is_(True), Staff.deleted_at.is_(None)
            )
        )
    }
    # Volunteers active today who help in one of those activities (or their programmes).
    minor_programmes: set[str] = set(
        s.scalars(select(Activity.programme_id).where(Activity.id.in_(minors)))
    ) | set(
        s.scalars(
            select(activity_programme.c.programme_id).where(
                activity_programme.c.activity_id.in_(minors)
            )
        )
    )
    people: dict[str, str] = {}
    for v in s.scalars(
        select(Volunteer)
        .join(Participant, Participant.id == Volunteer.participant_id)
        .where(
            Volunteer.deleted_at.is_(None),
            Volunteer.start <= today,
            (Volunteer.end.is_(None)) | (Volunteer.end >= today),
            Participant.deleted_at.is_(None),
            Participant.blocked_at.is_(None),
        )
        .options(selectinload(Volunteer.programmes), selectinload(Volunteer.activities))
    ):
        if {a.id for a in v.activities} & minors or {p.id for p in v.programmes} & minor_programmes:
            person = s.get(Participant, v.participant_id)
            if person is not None:
                people[v.participant_id] = _name(person)
    latest = _latest_certificates(s, staff=staff, participants=people)
    out = []
    for kind, names in (("staff", staff), ("volunteer", people)):
        for holder_id, name in names.items():
            cert = latest.get(holder_id)
            out.append(
                CertificateHolder(
                    name=name,
                    kind=kind,
                    staff_id=holder_id if kind == "staff" else None,
                    participant_id=holder_id if kind == "volunteer" else None,
                    issue_date=cert[0] if cert else None,
                    result=cert[1] if cert else None,
                    valid=cert is not None and certificate_valid(cert[0], cert[1], today, months),
                )
            )
    out.sort(key=lambda h: (h.valid, h.name.lower()))
    return out
