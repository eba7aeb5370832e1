"""People: search as you type, records with validation, consents, enrolments, likely duplicates,
merging two records of one person and erasure (blocking)."""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session as OrmSession

from app.db.base import utcnow
from app.db.engine import Database
from app.db.models import (
    Activity,
    Attendance,
    Consent,
    Enrolment,
    EntityProfile,
    Participant,
    Referral,
    Session,
)
from app.domain.audit import AuditSubject
from app.domain.changes import Area, Changes
from app.domain.figures import age_on
from app.domain.people import (
    GUARDIAN_AGE,
    AttendanceRecord,
    ConsentDTO,
    ConsentFormData,
    DuplicateCandidate,
    EnrolmentDTO,
    PersonDTO,
    PersonHit,
    PersonListRow,
    guardian_age_cutoff,
    normalise_document,
    search_text,
    sort_key,
    validate_consent,
    validate_enrolment,
    validate_person,
)
from app.domain.sessions import best_status
from app.domain.text import fold
from app.errors import StaleRecord, UserError, ValidationError
from app.i18n import _, ngettext
from app.services import audit
from app.services.texts import printed_entity
from app.writing import cannot_write

_FIELDS = [f for f in PersonDTO.__dataclass_fields__ if f not in ("id", "blocked", "version")]
#: Up to how many people written at once the search index is patched instead of rebuilt.
_PATCH_AT_MOST = 200


def _dto(p: Participant) -> PersonDTO:
    values = {f: getattr(p, f) for f in _FIELDS}
    return PersonDTO(id=p.id, blocked=p.blocked_at is not None, version=p.version, **values)


#: What a search hit needs, in ``_hit``'s order; and the people lists show (not erased, not merged).
_HIT_COLUMNS = (
    Participant.id,
    Participant.given_name,
    Participant.family_names,
    Participant.id_document_number,
    Participant.phone,
    Participant.birth_date,
)
_VISIBLE = (Participant.deleted_at.is_(None), Participant.blocked_at.is_(None))


def _minor(today: dt.date) -> ColumnElement[bool]:
    """Under the age a guardian consents for, by birth date or else by year of birth."""
    # Explicit NULL checks: a person of unknown age is not a minor (and NOT NULL is NULL).
    by_date = Participant.birth_date.is_not(None) & (
        Participant.birth_date > guardian_age_cutoff(today)
    )
    by_year = (
        Participant.birth_date.is_(None)
        & Participant.birth_year.is_not(None)
        & (Participant.birth_year > today.year - GUARDIAN_AGE)
    )
    return by_date | by_year


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk build of acyclic objects (back on after, as
    it was)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _search_text(folded_name: str, document: str, phone: str) -> str:
    """``search_text`` with the name already folded, quicker for the common fields: no
    document, a phone of digits only."""
    if not document and (not phone or phone.isdecimal()):
        return f"{folded_name}  {phone}"
    return search_text(folded_name, document, phone)


def _hit(p: tuple[str, str, str, str, str, dt.date | None]) -> PersonHit:
    pid, given, family, doc, phone, birth = p
    name = f"{given} {family}".strip()
    return PersonHit(pid, name, doc, phone, birth, sort_key(family, given))


class _SearchIndex:
    """(hit, folded text) of every visible person in list order (family name, then given name);
    built once, patched on change.

    A plain list scan of folded strings is a few milliseconds for 50 000 people, well inside
    the per-keystroke budget, and needs no extra table or trigger to keep in step."""

    def __init__(self) -> None:
        self.hits: dict[str, PersonHit] = {}
        self.texts: dict[str, str] = {}
        #: Folded full names (duplicates) and list-order keys (family name, given name).
        self.names: dict[str, str] = {}
        self.keys: dict[str, tuple[str, str]] = {}
        self.order: list[str] = []
        self.ordered_keys: list[tuple[str, str]] = []
        self.ordered_texts: list[str] = []
        self.ordered_hits: list[PersonHit] = []
        self.last: tuple[str, list[int]] = ("", [])
        self.ready = False

    def load(self, rows: list[tuple[str, str, str, str, str, dt.date | None]]) -> None:
        # In bulk and in one pass (what put() does for one person): 50 000 people are read
        # before the People page shows, so each name is folded once (the search text starts
        # with it) and each person's hit, texts and key are made together.
        hits: list[PersonHit] = []
        names: list[str] = []
        texts: list[str] = []
        for pid, given, family, doc, phone, birth in rows:
            name = f"{given} {family}".strip()
            folded = fold(name)
            hits.append(PersonHit(pid, name, doc, phone, birth, sort_key(family, given)))
            names.append(folded)
            texts.append(_search_text(folded, doc, phone))
        ids = [h.id for h in hits]
        self.hits = dict(zip(ids, hits, strict=True))
        self.texts = dict(zip(ids, texts, strict=True))
        self.names = dict(zip(ids, names, strict=True))
        self.keys = {h.id: h.sort for h in hits}
        # Stable, as sorting the ids by key was: equal names keep the order they were read in.
        order = sorted(range(len(hits)), key=[h.sort for h in hits].__getitem__)
        self.ordered_hits = [hits[i] for i in order]
        self.order = [h.id for h in self.ordered_hits]
        self.ordered_keys = [h.sort for h in self.ordered_hits]
        self.ordered_texts = [texts[i] for i in order]
        self.last = ("", list(range(len(order))))
        self.ready = True

    def put(self, hit: PersonHit, sort: bool = True) -> None:
        existed = hit.id in self.hits
        self.hits[hit.id] = hit
        self.texts[hit.id] = search_text(hit.name, hit.document, hit.phone)
        self.names[hit.id] = fold(hit.name)
        self.keys[hit.id] = hit.sort
        if not sort:
            return
        # One record changed: move it in the ordered lists instead of sorting 50 000 again.
        if existed:
            self._remove_ordered(hit.id)
        pos = bisect.bisect_right(self.ordered_keys, hit.sort)
        self.order.insert(pos, hit.id)
        self.ordered_keys.insert(pos, hit.sort)
        self.ordered_texts.insert(pos, self.texts[hit.id])
        self.ordered_hits.insert(pos, hit)
        self.last = ("", [])

    def drop(self, pid: str) -> None:
        if pid in self.hits:
            self._remove_ordered(pid)
        for d in (self.hits, self.texts, self.names, self.keys):
            d.pop(pid, None)
        self.last = ("", [])

    def _remove_ordered(self, pid: str) -> None:
        pos = self.order.index(pid)
        for ordered in (self.order, self.ordered_keys, self.ordered_texts, self.ordered_hits):
            del ordered[pos]

    def _sort(self) -> None:
        self.order = sorted(self.hits, key=self.keys.__getitem__)
        self.ordered_keys = [self.keys[pid] for pid in self.order]
        # Parallel lists in name order: a keystroke scans a plain list (no dict lookups).
        self.ordered_texts = [self.texts[pid] for pid in self.order]
        self.ordered_hits = [self.hits[pid] for pid in self.order]
        self.last = ("", list(range(len(self.order))))

    def find(self, words: list[str]) -> list[int]:
        """Positions (in name order) of the people whose text holds every word.

        Typing extends the previous text, so its matches are searched instead of everyone."""
        key = " ".join(words)
        prev_key, prev = self.last
        candidates = prev if prev_key and key.startswith(prev_key) else None
        texts = self.ordered_texts
        if candidates is None:
            first, rest = words[0], words[1:]
            found = [i for i, text in enumerate(texts) if first in text]
        else:
            found, rest = candidates, words
        for word in rest:
            found = [i for i in found if word in texts[i]]
        self.last = (key, found)
        return found


def _stale_message(p: Participant) -> str:
    name = f"{p.given_name} {p.family_names}".strip()
    return _(
        "Someone else has changed {name} since you opened it, so your changes have not been "
        "saved yet. Compare both versions and choose what to keep."
    ).format(name=name)


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class PeopleService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._index = _SearchIndex()
        self._lock = threading.Lock()
        #: People written since the index was last brought up to date (by any writer).
        self._stale: set[str] = set()
        db.writes.subscribe(Participant.__tablename__, self._written)

    # --- search ---------------------------------------------------------------------------
    def _written(self, ids: frozenset[str] | None) -> None:
        """A committed write touched these people (None: some not named): whoever wrote it,
        the index re-reads them before the next search."""
        with self._lock:
            if not self._index.ready:
                return
            if ids is not None:
                self._stale.update(ids)
            # Many people at once (a large import) or not named: reading everyone again (in
            # the background, where the page does it) is quicker than patching one by one.
            if ids is None or len(self._stale) > max(_PATCH_AT_MOST, len(self._index.hits) // 20):
                self._index.ready = False
                self._stale.clear()

    def _ensure_index(self) -> _SearchIndex:
        with self._lock:
            if not self._index.ready:
                self._stale.clear()
                # 50 000 people are some 400 000 new objects, none of them cyclic garbage: the
                # collector's passes over the whole heap as they are made were a third of it.
                with _collector_paused():
                    self._index.load(self._all_visible())
            elif self._stale:
                self._refresh(sorted(self._stale))
                self._stale.clear()
            return self._index

    def _all_visible(self) -> list[tuple[str, str, str, str, str, dt.date | None]]:
        """Every visible person's search columns, read as plain tuples straight from the driver
        (the ORM's row processing is most of the time for 50 000 people)."""
        query = select(*_HIT_COLUMNS).where(*_VISIBLE)
        with self._db.read() as s:
            sql = str(query.compile(dialect=s.get_bind().dialect))
            # The driver's own cursor (the query has no parameters): no result rows to wrap.
            cursor = s.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(sql)
                raw = cursor.fetchall()
            finally:
                cursor.close()
        # SQLite hands the stored ISO text, PostgreSQL a date.
        return [
            (pid, given, family, doc, phone, _as_date(birth))
            for pid, given, family, doc, phone, birth in raw
        ]

    def _refresh(self, ids: list[str]) -> None:
        """Bring these people up to date in the index: put who is visible, drop the rest."""
        hits: dict[str, PersonHit] = {}
        with self._db.read() as s:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows = s.execute(
                    select(*_HIT_COLUMNS).where(Participant.id.in_(chunk), *_VISIBLE)
                ).all()
                hits.update((r[0], _hit(tuple(r))) for r in rows)  # type: ignore[arg-type]
        for pid in ids:
            if pid in hits:
                self._index.put(hits[pid])
            else:
                self._index.drop(pid)

    def ready(self) -> bool:
        """Whether the search index is built (the first search builds it: ~0.5 s for 50 000)."""
        return self._index.ready

    def invalidate(self) -> None:
        """Rebuild the search index on next use. (Every committed write of people already
        keeps it true: see ``app.db.watch``.)"""
        with self._lock:
            self._index.ready = False

    def invalidate_narrowing(self) -> None:
        """Forget the previous search, so the next one scans everybody (benchmarks)."""
        self._index.last = ("", [])

    def search(self, text: str, limit: int | None = 200) -> list[PersonHit]:
        """People whose name, document or phone contain every word typed (accents and case
        ignored; phones by digits). An empty text lists everyone (up to ``limit``)."""
        index = self._ensure_index()
        words = fold(text).replace("-", "").split()
        if not words:
            return index.ordered_hits[:limit] if limit is not None else list(index.ordered_hits)
        found = index.find(words)
        if limit is not None:
            found = found[:limit]
        hits = index.ordered_hits
        return [hits[i] for i in found]

    def count(self) -> int:
        return len(self._ensure_index().hits)

    def listing(
        self,
        *,
        programme_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        with_contact: bool = False,
        purpose: str = "",
    ) -> list[PersonListRow]:
        """People by family name (erased ones never), optionally only those enrolled in a
        programme's activities during the period; their phone and email only ``with_contact``.
        Names are personal data: the listing is written in the audit log (``purpose`` names
        who asked, e.g. the command line)."""
        with self._db.begin() as s:
            q = select(
                Participant.id,
                Participant.given_name,
                Participant.family_names,
                Participant.phone,
                Participant.email,
            ).where(Participant.deleted_at.is_(None), Participant.blocked_at.is_(None))
            if programme_id is not None or date_from is not None or date_to is not None:
                enrolled = select(Enrolment.participant_id).join(
                    Activity, Activity.id == Enrolment.activity_id
                )
                if programme_id is not None:
                    enrolled = enrolled.where(Activity.programme_id == programme_id)
                if date_to is not None:
                    enrolled = enrolled.where(
                        (Enrolment.start.is_(None)) | (Enrolment.start <= date_to)
                    )
                if date_from is not None:
                    enrolled = enrolled.where(
                        (Enrolment.end.is_(None)) | (Enrolment.end >= date_from)
                    )
                q = q.where(Participant.id.in_(enrolled))
            found = sorted(
                (sort_key(family, given), pid, given, family, phone, email)
                for pid, given, family, phone, email in s.execute(q).all()
            )
            rows = [
                PersonListRow(
                    pid,
                    f"{given} {family}".strip(),
                    phone if with_contact else "",
                    email if with_contact else "",
                )
                for _key, pid, given, family, phone, email in found
            ]
            if with_contact:
                details = ngettext(
                    "{count} person, with phone and email",
                    "{count} people, with phone and email",
                    len(rows),
                )
            else:
                details = ngettext(
                    "{count} person, names only", "{count} people, names only", len(rows)
                )
            audit.record(
                s,
                "export",
                AuditSubject.text(purpose or _("List of people")),
                details.format(count=len(rows)),
            )
        return rows

    # --- the printed consent form ---------------------------------------------------------------
    def consent_form_data(
        self, person_id: str | None = None, today: dt.date | None = None
    ) -> ConsentFormData:
        """What the consent form prints: the entity and its notice, and the person (blank
        without ``person_id``); a minor's form is signed by the parent or legal guardian."""
        today = today or dt.date.today()
        with self._db.read() as s:
            profile = s.scalar(select(EntityProfile).limit(1))
            entity = profile.name if profile else ""
            privacy = {
                "controller": (profile.privacy_controller or profile.name) if profile else "",
                "purpose": profile.privacy_purpose if profile else "",
                "legal_basis": profile.privacy_legal_basis if profile else "",
                "recipients": profile.privacy_recipients if profile else "",
                "rights_contact": profile.privacy_rights_contact if profile else "",
            }
            logo = profile.logo if profile else None
            if person_id is None:
                return ConsentFormData(entity, privacy, today, logo)
            person = _dto(self._person(s, person_id))
        age = person.age(today)
        return ConsentFormData(
            entity,
            privacy,
            today,
            logo,
            person_id=person_id,
            person_name=person.full_name,
            birth_date=person.birth_date,
            guardian_name=person.guardian_name,
            minor=age is not None and 0 <= age < GUARDIAN_AGE,
        )

    def write_consent_form(
        self, path: Path, person_id: str | None = None, lang: str | None = None
    ) -> None:
        """The consent form as a PDF at ``path``, in ``lang`` (by default the entity's
        language); a person's form names them: its print is audited."""
        from app.reports.consent_form import build_consent_form

        data = self.consent_form_data(person_id)
        with self._db.read() as s:
            if lang is None:
                lang = s.scalar(select(EntityProfile.default_lang).limit(1)) or "ca"
            entity, notice, _book = printed_entity(s, lang)
        if notice:  # the entity's name and notice in the form's language
            data = replace(data, entity_name=entity, privacy=notice)
        buf = io.BytesIO()
        build_consent_form(data, lang, buf)
        try:
            path.write_bytes(buf.getvalue())
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        if person_id:  # a blank form names nobody
            with self._db.begin() as s:
                audit.record(s, "print", AuditSubject.person(person_id), str(path))

    # --- records --------------------------------------------------------------------------
    def get(self, person_id: str) -> PersonDTO:
        with self._db.read() as s:
            return _dto(self._person(s, person_id, allow_blocked=True))

    def save(self, dto: PersonDTO, today: dt.date | None = None) -> tuple[PersonDTO, Changes]:
        errors = validate_person(dto, today or dt.date.today())
        if errors:
            raise ValidationError(errors)
        values = {f: getattr(dto, f) for f in _FIELDS}
        values["given_name"] = dto.given_name.strip()
        values["family_names"] = dto.family_names.strip()
        values["id_document_number"] = normalise_document(
            dto.id_document_type, dto.id_document_number
        )
        if not values["id_document_number"]:
            values["id_document_type"] = None
        if dto.birth_date is not None:
            values["birth_year"] = dto.birth_date.year
        with self._db.begin() as s:
            if dto.id is None:
                p = Participant(**values)
                s.add(p)
            else:
                p = self._person(s, dto.id)
                if dto.version is not None and dto.version != p.version:
                    raise StaleRecord(_stale_message(p), current=_dto(p))
                for key, value in values.items():
                    setattr(p, key, value)
                p.version += 1
            s.flush()
            result = _dto(p)
        return result, Changes.of(Area.PEOPLE)

    def erase(self, person_id: str) -> Changes:
        """Data-protection erasure: the person is blocked (hidden, frozen); counts stay."""
        with self._db.begin() as s:
            p = self._person(s, person_id)
            p.blocked_at = utcnow()
            audit.record(s, "erase", AuditSubject.person(p.id), "blocked")
        return Changes.of(Area.PEOPLE, Area.ATTENDANCE)

    def _person(self, s: OrmSession, person_id: str, allow_blocked: bool = False) -> Participant:
        p = s.get(Participant, person_id)
        if p is None or p.deleted_at is not None:
            raise UserError(_("This person's record no longer exists."))
        if p.blocked_at is not None and not allow_blocked:
            raise UserError(_("This person's data is blocked (erased) and cannot be changed."))
        return p

    # --- duplicates and merging -----------------------------------------------------------
    def duplicates(self, dto: PersonDTO, limit: int = 5) -> list[DuplicateCandidate]:
        """Records that may be the same person: same document, same birth date with a similar
        name, or a very similar name."""
        from rapidfuzz import fuzz, process  # only when duplicates are looked for

        index = self._ensure_index()
        found: dict[str, DuplicateCandidate] = {}
        doc = normalise_document(dto.id_document_type, dto.id_document_number)
        if doc:
            for pid, hit in index.hits.items():
                if pid != dto.id and hit.document and hit.document.upper() == doc.upper():
                    found[pid] = DuplicateCandidate(hit, _("Same ID document"), 100.0)
        name = fold(dto.full_name)
        if name:
            choices = {pid: n for pid, n in index.names.items() if pid != dto.id}
            # A set ratio finds "Fatima Zahra" in "Fatima Zahra El Idrissi"; on its own
            # (no birth date to back it) a name must also be close as a whole.
            for _n, score, pid in process.extract(
                name, choices, scorer=fuzz.token_set_ratio, score_cutoff=75, limit=50
            ):
                hit = index.hits[pid]
                whole = fuzz.token_sort_ratio(name, choices[pid])
                if dto.birth_date and hit.birth_date == dto.birth_date:
                    reason = _("Same birth date and a similar name")
                elif whole >= 88:
                    reason = _("Similar name")
                else:
                    continue
                if pid not in found:
                    found[pid] = DuplicateCandidate(hit, reason, float(max(score, whole)))
        ranked = sorted(found.values(), key=lambda c: -c.score)
        return ranked[:limit]

    def merge(self, keep_id: str, other_id: str) -> Changes:
        """Fold ``other`` into ``keep``: attendance (the status that counts wins when both were
        in one session), enrolments (widest dates), consents, referrals; empty fields of
        ``keep`` take ``other``'s values and notes are joined. ``other`` is then removed."""
        if keep_id == other_id:
            raise UserError(_("Choose two different people to merge."))
        with self._db.begin() as s:
            keep, other = self._person(s, keep_id), self._person(s, other_id)
            mine = {
                a.session_id: a
                for a in s.scalars(select(Attendance).where(Attendance.participant_id == keep.id))
            }
            moved = 0
            for a in s.scalars(select(Attendance).where(Attendance.participant_id == other.id)):
                if a.session_id in mine:
                    mine[a.session_id].status = best_status([mine[a.session_id].status, a.status])
                    s.delete(a)
                else:
                    a.participant_id = keep.id
                moved += 1
            my_enrol = {
                e.activity_id: e
                for e in s.scalars(select(Enrolment).where(Enrolment.participant_id == keep.id))
            }
            for e in s.scalars(select(Enrolment).where(Enrolment.participant_id == other.id)):
                mine_e = my_enrol.get(e.activity_id)
                if mine_e is None:
                    e.participant_id = keep.id
                    continue
                starts = [d for d in (mine_e.start, e.start) if d]
                mine_e.start = min(starts) if len(starts) == 2 else None
                mine_e.end = None if not (mine_e.end and e.end) else max(mine_e.end, e.end)
                s.delete(e)
            for c in s.scalars(select(Consent).where(Consent.participant_id == other.id)):
                c.participant_id = keep.id
            for r in s.scalars(select(Referral).where(Referral.participant_id == other.id)):
                r.participant_id = keep.id
            for f in _FIELDS:
                if f == "notes":
                    continue
                if getattr(keep, f) in (None, "") and getattr(other, f) not in (None, ""):
                    setattr(keep, f, getattr(other, f))
            if other.notes.strip():
                keep.notes = "\n".join(x for x in (keep.notes.strip(), other.notes.strip()) if x)
            other.deleted_at = utcnow()
            s.flush()
            audit.record(
                s,
                "merge",
                AuditSubject.person(keep.id),
                f"merged {AuditSubject.person(other.id).encode()} ({moved} attendance records)",
            )
        return Changes.of(Area.PEOPLE, Area.ATTENDANCE)

    # --- consents -------------------------------------------------------------------------
    def consents(self, person_id: str) -> list[ConsentDTO]:
        with self._db.read() as s:
            rows = s.scalars(
                select(Consent).where(Consent.participant_id == person_id).order_by(Consent.kind)
            )
            return [
                ConsentDTO(c.kind, c.granted, c.date, c.signed_by, c.revoked_at, c.id) for c in rows
            ]

    def save_consent(self, person_id: str, c: ConsentDTO) -> Changes:
        """One current consent per kind: saving a kind replaces its record."""
        today = dt.date.today()
        with self._db.begin() as s:
            p = self._person(s, person_id)
            errors = validate_consent(c, today, age_on(today, p.birth_date, p.birth_year))
            if errors:
                raise ValidationError(errors)
            row = s.scalar(
                select(Consent).where(Consent.participant_id == person_id, Consent.kind == c.kind)
            )
            if row is None:
                row = Consent(participant_id=person_id, kind=c.kind)
                s.add(row)
            values = asdict(c)
            values.pop("id")
            for key, value in values.items():
                setattr(row, key, value)
        return Changes.of(Area.PEOPLE)

    def missing_consent(self, kind: str = "data_processing", limit: int = 100) -> list[PersonHit]:
        """Enrolled people without a granted, unrevoked consent of that kind."""
        with self._db.read() as s:
            ok = select(Consent.participant_id).where(
                Consent.kind == kind, Consent.granted.is_(True), Consent.revoked_at.is_(None)
            )
            if kind == "data_processing":
                # A minor's own signature is not enough: their guardian consents for them.
                ok = ok.join(Participant, Participant.id == Consent.participant_id).where(
                    (Consent.signed_by == "guardian") | ~_minor(dt.date.today())
                )
            rows = s.execute(
                select(*_HIT_COLUMNS).where(
                    *_VISIBLE,
                    Participant.id.in_(select(Enrolment.participant_id)),
                    ~Participant.id.in_(ok),
                )
            ).all()
        hits = sorted((_hit(tuple(r)) for r in rows), key=lambda h: h.sort)  # type: ignore[arg-type]
        return hits[:limit]

    # --- enrolments and history -----------------------------------------------------------
    def roster(self, activity_id: str) -> list[EnrolmentDTO]:
        with self._db.read() as s:
            rows = s.execute(
                select(Enrolment, Participant.given_name, Participant.family_names)
                .join(Participant, Participant.id == Enrolment.participant_id)
                .where(
                    Enrolment.activity_id == activity_id,
                    *_VISIBLE,
                )
            ).all()
            out = [
                EnrolmentDTO(
                    e.participant_id,
                    e.activity_id,
                    e.start,
                    e.end,
                    e.id,
                    f"{g} {f}".strip(),
                    person_sort=sort_key(f, g),
                )
                for e, g, f in rows
            ]
        return sorted(out, key=lambda e: e.person_sort)

    def enrolments(self, person_id: str) -> list[EnrolmentDTO]:
        with self._db.read() as s:
            rows = s.execute(
                select(Enrolment, Activity.name)
                .join(Activity, Activity.id == Enrolment.activity_id)
                .where(Enrolment.participant_id == person_id, Activity.deleted_at.is_(None))
                .order_by(Enrolment.start)
            ).all()
            return [
                EnrolmentDTO(
                    e.participant_id, e.activity_id, e.start, e.end, e.id, activity_name=name
                )
                for e, name in rows
            ]

    def enrol(
        self,
        activity_id: str,
        person_id: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Changes:
        errors = validate_enrolment(start, end)
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            self._person(s, person_id)
            row = s.scalar(
                select(Enrolment).where(
                    Enrolment.activity_id == activity_id, Enrolment.participant_id == person_id
                )
            )
            if row is None:
                row = Enrolment(activity_id=activity_id, participant_id=person_id)
                s.add(row)
            row.start, row.end = start, end
        return Changes.of(Area.ACTIVITIES, Area.PEOPLE, Area.ATTENDANCE)

    def unenrol(self, activity_id: str, person_id: str) -> Changes:
        with self._db.begin() as s:
            for row in s.scalars(
                select(Enrolment).where(
                    Enrolment.activity_id == activity_id, Enrolment.participant_id == person_id
                )
            ):
                s.delete(row)
        return Changes.of(Area.ACTIVITIES, Area.PEOPLE, Area.ATTENDANCE)

    def history(self, person_id: str, limit: int = 500) -> list[AttendanceRecord]:
        with self._db.read() as s:
            rows = s.execute(
                select(Session.id, Session.date, Activity.name, Attendance.status)
                .join(Session, Session.id == Attendance.session_id)
                .join(Activity, Activity.id == Session.activity_id)
                .where(Attendance.participant_id == person_id, Session.deleted_at.is_(None))
                .order_by(Session.date.desc())
                .limit(limit)
            ).all()
            return [AttendanceRecord(*r) for r in rows]
