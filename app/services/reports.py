"""Justification reports: the data of a report (figures from FiguresService plus the tables the
funder asks for), the narrative texts kept per programme and period, writing the files and the
evidence pack, and the list of recent reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session as OrmSession

from app.db.engine import Database
from app.db.models import (
    AgeBandSet,
    EntityProfile,
    Funder,
    Indicator,
    Programme,
    ProgrammeCategory,
    ReportNarrative,
    Setting,
    Staff,
    programme_funder,
)
from app.domain.audit import EVIDENCE_PACK, REPORT
from app.domain.changes import Area, Changes
from app.domain.figures import (
    BUILT_IN_BAND_SET_LABELS,
    BUILT_IN_BAND_SETS,
    BandCoverage,
    Figures,
    parse_band_set,
)
from app.domain.profile import EntityProfileDTO, FunderDTO
from app.domain.report import (
    NARRATIVE_KINDS,
    NARRATIVE_LABELS,
    BandSetDTO,
    CancelCheck,
    CategoryRow,
    ProgrammeInfo,
    Progress,
    ReportCancelled,
    ReportData,
    ReportRequest,
)
from app.domain.texts import PROFILE_ROW, TRANSLATABLE, MissingText, TextBook
from app.errors import UserError, ValidationError
from app.i18n import _
from app.reports.layout import is_usual_support
from app.services import audit
from app.services.community_figures import community_figures
from app.services.economics import economic_part, invoice_files
from app.services.figures import (
    FiguresService,
    sharing_reads,
)
from app.services.needs import needs_for_report
from app.services.profile import _profile_dto
from app.services.report_output import (
    ReportFiles,
    SheetMaker,
    _scaled,
    default_sheet_maker,
    default_signed_pages,
    evidence_zip,
    write_files,
)
from app.services.report_tables import network_rows, session_status_rows, session_tables
from app.services.report_volunteers import volunteer_tables
from app.services.texts import text_book, translations_of, write_translations

if TYPE_CHECKING:
    from app.services.sheets import ExtractPrint

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

    def programme_dates(self, programme_id: str) -> tuple[dt.date | None, dt.date | None]:
        """The programme's own dates (a school-year programme's, not the calendar year)."""
        with self._db.read() as s:
            p = s.get(Programme, programme_id)
            return (p.start, p.end) if p is not None else (None, None)

    def funder_ids(self, programme_ids: Sequence[str] | None) -> list[str]:
        """The funders of the programmes (of every programme for None), by name."""
        with self._db.read() as s:
            q = (
                select(Funder.id)
                .join(programme_funder, programme_funder.c.funder_id == Funder.id)
                .join(Programme, Programme.id == programme_funder.c.programme_id)
                .where(Funder.deleted_at.is_(None), Programme.deleted_at.is_(None))
                .order_by(Funder.name)
            )
            if programme_ids is not None:
                q = q.where(Programme.id.in_(list(programme_ids)))
            return list(dict.fromkeys(s.scalars(q)))

    # -- age-band sets ----------------------------------------------------------------------

    def band_sets(self) -> list[BandSetDTO]:
        """The built-in sets, then the coordinators' (each funder's, by funder and name)."""
        out = [
            BandSetDTO(key, _(BUILT_IN_BAND_SET_LABELS[key]), bands, built_in=True)
            for key, bands in BUILT_IN_BAND_SETS.items()
        ]
        with self._db.read() as s:
            funders = dict(s.execute(select(Funder.id, Funder.name)).all())
            rows = sorted(
                s.scalars(select(AgeBandSet)),
                key=lambda r: (funders.get(r.funder_id or "", ""), r.name.lower()),
            )
            out += [
                BandSetDTO(
                    r.id,
                    r.name,
                    tuple(r.bands),
                    r.funder_id,
                    funders.get(r.funder_id or "", ""),
                )
                for r in rows
            ]
        return out

    def save_band_set(
        self, name: str, bands_text: str, funder_id: str | None = None
    ) -> tuple[BandSetDTO, Changes]:
        """A coordinator's set for a funder's form: "12-18, 19-24, 25-30"."""
        errors: dict[str, str] = {}
        name = " ".join(name.split())
        if not name:
            errors["name"] = _("The band set needs a name.")
        bands: tuple[str, ...] = ()
        try:
            bands = parse_band_set(bands_text)
        except ValueError as exc:
            errors["bands"] = _(
                "{band} is not an age band: write them as 12-18, 19-24, 65+ in order."
            ).format(band=exc.args[0])
        if errors:
            raise ValidationError(errors)
        with self._db.begin() as s:
            row = AgeBandSet(name=name, bands=list(bands), funder_id=funder_id or None)
            s.add(row)
            s.flush()
            funder = s.get(Funder, funder_id) if funder_id else None
            dto = BandSetDTO(row.id, name, bands, funder_id, funder.name if funder else "")
        return dto, Changes.of(Area.FUNDERS)

    def delete_band_set(self, band_set_id: str) -> Changes:
        with self._db.begin() as s:
            row = s.get(AgeBandSet, band_set_id)
            if row is not None:
                s.delete(row)
        return Changes.of(Area.FUNDERS)

    def band_coverage(self, request: ReportRequest) -> BandCoverage:
        """Before printing: the head counts the request's bands cannot be built from."""
        with self._db.read() as s:
            return FiguresService(self._db).band_coverage_in(
                s, request.programme_ids, request.date_from, request.date_to, request.age_bands
            )

    # -- narratives -------------------------------------------------------------------------

    def narratives(
        self, programme_id: str | None, date_from: dt.date, date_to: dt.date
    ) -> dict[str, str]:
        with self._db.read() as s:
            return self._narratives(s, programme_id, date_from, date_to)

    def _narratives(
        self, s: OrmSession, programme_id: str | None, date_from: dt.date, date_to: dt.date
    ) -> dict[str, str]:
        rows = s.scalars(self._narrative_query(programme_id, date_from, date_to))
        texts = {r.kind: r.text for r in rows}
        return {kind: texts.get(kind, "") for kind in NARRATIVE_KINDS}

    def narrative_translations(
        self, programme_id: str | None, date_from: dt.date, date_to: dt.date
    ) -> tuple[tuple[str, str, str], ...]:
        """The saved narratives' other-language versions: (kind, language, text)."""
        with self._db.read() as s:
            rows = {
                r.id: r.kind
                for r in s.scalars(self._narrative_query(programme_id, date_from, date_to))
            }
            versions = translations_of(s, "report_narrative", rows)
            return tuple(
                (rows[row_id], lang, text)
                for row_id, items in versions.items()
                for _field, lang, text in items
            )

    def save_narratives(
        self,
        programme_id: str | None,
        date_from: dt.date,
        date_to: dt.date,
        texts: dict[str, str],
        translations: tuple[tuple[str, str, str], ...] | None = None,
    ) -> Changes:
        """Keep the texts (and, given ``translations`` as (kind, language, text), their
        versions in the other languages)."""
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
            if translations is not None:
                s.flush()
                for row in s.scalars(self._narrative_query(programme_id, date_from, date_to)):
                    mine = tuple(("text", lang, t) for k, lang, t in translations if k == row.kind)
                    write_translations(s, "report_narrative", row.id, mine)
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
        service = FiguresService(self._db)
        if service.counts_only and "economic" in request.sections:
            # A viewer does not see the economic part (payrolls name the staff paid).
            request = replace(request, sections=request.sections - {"economic"})
        ids = request.programme_ids
        # One read: the figures, the tables and the totals agree even if someone saves meanwhile.
        with self._db.read() as s, sharing_reads(s):
            _step(progress, cancel, 0.0, _("Counting the figures…"))
            programmes = self._programmes(s, ids)
            # The summary per category (prestació): when the report has several programmes.
            group_of = (
                {p.id: p.category for p in programmes}
                if request.wants("categories") and (ids is None or len(programmes) > 1)
                else {}
            )
            figures, per_category = service.compute_grouped_in(
                s,
                ids,
                request.date_from,
                request.date_to,
                request.age_bands,
                group_of,
                request.prorate_targets,
            )
            coverage = service.band_coverage_in(
                s, ids, request.date_from, request.date_to, request.age_bands, figures.attendances
            )
            narratives = request.narratives
            if narratives is None:
                narratives = self._narratives(
                    s, request.narrative_key(), request.date_from, request.date_to
                )
            _step(progress, cancel, 0.3, _("Reading the programmes…"))
            book = text_book(s, request.lang)
            programmes = self._programmes(s, ids, book)
            narratives = self._printed_narratives(s, request, narratives, book)
            figures = replace(
                figures,
                indicators=tuple(
                    replace(i, name=book.text("indicator", i.id, "name", i.name, i.name))
                    for i in figures.indicators
                ),
            )
            profile = s.scalar(select(EntityProfile).limit(1))
            entity = _printed_profile(_profile_dto(profile), book) if profile else None
            _step(progress, cancel, 0.4, _("Reading the sessions…"))
            tables = session_tables(s, request, book, service.counts_only)
            tables.update(volunteer_tables(s, request, service.counts_only))
            statuses = session_status_rows(s, request, book)
            _step(progress, cancel, 0.8, _("Reading the network work…"))
            network = network_rows(s, ids, request.date_from, request.date_to)
            community = community_figures(
                s, ids, request.date_from, request.date_to, service.counts_only
            )
            needs = (
                needs_for_report(s, ids, request.date_from, request.date_to)
                if request.wants("needs")
                else ()
            )
            economics = (
                economic_part(s, ids, request.date_from, request.date_to)
                if request.wants("economic")
                else ()
            )
            # The funders and programmes of the economic part by their names in the report's
            # language, as everywhere else in it.
            names = {p.code: p.name for p in programmes}
            economics = tuple(
                replace(
                    e,
                    funder_name=book.text(
                        "funder", e.funder_id, "name", e.funder_name, e.funder_name
                    ),
                    programme_name=names.get(e.programme_code, e.programme_name),
                )
                for e in economics
            )
        _step(progress, cancel, 0.9, _("Figures ready."))
        return ReportData(
            request=request,
            entity=entity,
            programmes=programmes,
            figures=figures,
            network=network,
            narratives={k: narratives.get(k, "") for k in NARRATIVE_KINDS},
            economics=economics,
            session_status=statuses,
            by_category=_category_rows(programmes, per_category),
            coverage=coverage,
            community=community,
            needs=needs,
            missing_texts=tuple(book.missing),
            **tables,
        )

    def missing_texts(self, request: ReportRequest) -> tuple[MissingText, ...]:
        """Before printing: the texts the report prints that have no version in its language
        (they print in the entity's language)."""
        with self._db.read() as s:
            book = text_book(s, request.lang)
            profile = s.scalar(select(EntityProfile).limit(1))
            if profile is not None and request.wants("programme"):
                _printed_profile(_profile_dto(profile), book)
            elif profile is not None:
                book.text("entity_profile", PROFILE_ROW, "name", profile.name, profile.name)
            self._programmes(s, request.programme_ids, book)
            if request.wants("narratives"):
                texts = request.narratives
                if texts is None:
                    texts = self._narratives(
                        s, request.narrative_key(), request.date_from, request.date_to
                    )
                self._printed_narratives(s, request, texts, book)
            if request.wants("indicators"):
                q = (
                    select(Indicator.id, Indicator.name)
                    .join(Programme)
                    .where(Programme.deleted_at.is_(None))
                )
                if request.programme_ids is not None:
                    q = q.where(Indicator.programme_id.in_(list(request.programme_ids)))
                for ind_id, name in s.execute(q):
                    book.text("indicator", ind_id, "name", name, name)
            session_status_rows(s, request, book)
            return tuple(book.missing)

    def _printed_narratives(
        self, s: OrmSession, request: ReportRequest, texts: dict[str, str], book: TextBook
    ) -> dict[str, str]:
        """The narratives in the document's language: the saved ones with their saved versions,
        texts typed for this report (``request.narratives``) with the versions typed beside
        them (``request.narrative_translations``)."""
        if request.narratives is not None:
            rows = {kind: f"typed:{kind}" for kind in texts}
            for kind, row_id in rows.items():
                book.variants[("report_narrative", row_id, "text")] = {
                    lang: text
                    for k, lang, text in request.narrative_translations or ()
                    if k == kind
                }
        else:
            rows = {
                r.kind: r.id
                for r in s.scalars(
                    self._narrative_query(
                        request.narrative_key(), request.date_from, request.date_to
                    )
                )
            }
        return {
            kind: book.text("report_narrative", rows[kind], "text", text, _(NARRATIVE_LABELS[kind]))
            if kind in rows
            else text
            for kind, text in texts.items()
        }

    def _programmes(
        self, s: OrmSession, ids: Sequence[str] | None, book: TextBook | None = None
    ) -> tuple[ProgrammeInfo, ...]:
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
            b = book or TextBook(main_lang="ca", doc_lang="ca")
            funders = tuple(
                FunderDTO(
                    f.id,
                    b.text("funder", f.id, "name", f.name, f.name),
                    f.support_text
                    if is_usual_support(f.support_text)
                    else b.text("funder", f.id, "support_text", f.support_text, f.name),
                    f.logo,
                )
                for f in p.funders
                if f.deleted_at is None
            )
            out.append(
                ProgrammeInfo(
                    id=p.id,
                    code=p.code,
                    name=b.text("programme", p.id, "name", p.name, p.code),
                    category=p.category,
                    category_label=label,
                    description=b.text("programme", p.id, "description", p.description, p.code),
                    start=p.start,
                    end=p.end,
                    responsible=staff.get(p.responsible_staff_id or "", ""),
                    objectives=tuple(
                        b.lines("programme", p.id, "objectives", p.objectives or [], p.code)
                    ),
                    funders=funders,
                    indirect_beneficiaries=p.indirect_beneficiaries,
                )
            )
        return tuple(out)

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
        # One entry per report in the recent list: the PDF, else the first file written.
        path = next((p for p in (files.pdf, files.xlsx, files.json) if p is not None), None)

        def record() -> None:
            if path is not None:
                self.remember(path, _title(data), request, REPORT)

        write_files(data, files, _scaled(progress, 0.3, 1.0), cancel, record)
        return data

    def evidence_pack(
        self,
        request: ReportRequest,
        path: Path,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
        sheet_maker: SheetMaker | None | bool = True,
        passphrase: str | None = None,
    ) -> list[str]:
        """One ZIP with the report and, for every held session of the period, its signed sheet
        as scanned or, when none was kept, the register extract (``sheet_maker`` True: this
        installation's); returns the names inside it. With ``passphrase`` every member is
        encrypted with AES-256 (app/sealed.py)."""
        if FiguresService(self._db).counts_only:
            raise UserError(
                _(
                    "The evidence pack holds the attendance sheets, which name people: it is "
                    "made by an educator or a coordinator. A viewer may write the report alone."
                )
            )
        # The extracts' prints are logged with the pack, in one unit of work: if the ZIP is
        # not written, none of them is.
        printed: list[ExtractPrint] = []
        maker = (
            default_sheet_maker(self._db, printed)
            if sheet_maker is True
            else sheet_maker or None
        )
        data = self.load(request, _scaled(progress, 0.0, 0.2), cancel)
        invoices = (
            invoice_files(self._db, request.programme_ids, request.date_from, request.date_to)
            if request.wants("economic")
            else []
        )
        members = evidence_zip(
            data,
            path,
            maker,
            _scaled(progress, 0.2, 1.0),
            cancel,
            default_signed_pages(self._db),
            extra=invoices,
            record=lambda: self.remember(
                path, _title(data), request, EVIDENCE_PACK, also=printed
            ),
            passphrase=passphrase,
        )
        return members

    # -- recent reports ---------------------------------------------------------------------

    def remember(
        self,
        path: Path,
        title: str,
        request: ReportRequest,
        what: str,
        also: Sequence[ExtractPrint] = (),
    ) -> None:
        """Add a written file to the recent reports and to the audit log (with ``also``: the
        register extracts it holds, in the same unit of work)."""
        with self._db.begin() as s:
            if also:  # (the sheets' service only for an evidence pack's extracts)
                from app.services.sheets import record_extracts

                record_extracts(s, also)
            if not _may_change_settings(s):
                # An educator's or a viewer's login on an office database may not change the
                # entity's settings, where the list is kept: the file is logged all the same.
                audit.record(s, "export", what, f"{title} {request.date_from.isoformat()}.."
                             f"{request.date_to.isoformat()} -> {path}")
                return
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


def _may_change_settings(s: OrmSession) -> bool:
    """Whether the login may write the settings table (always on a file)."""
    if s.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        s.execute(
            text("SELECT has_table_privilege('setting', 'UPDATE')")
        ).scalar()
    )


def _printed_profile(entity: EntityProfileDTO, book: TextBook) -> EntityProfileDTO:
    """The entity's name and data-protection notice in the document's language."""
    values: dict[str, Any] = {
        name: book.text("entity_profile", PROFILE_ROW, name, getattr(entity, name), "")
        for name in TRANSLATABLE["entity_profile"]
    }
    return replace(entity, **values)


def _category_rows(
    programmes: tuple[ProgrammeInfo, ...], per_category: dict[str, Figures]
) -> tuple[CategoryRow, ...]:
    """Each category (prestació) with its programmes' codes and figures, by name."""
    out = []
    for category, f in per_category.items():
        members = [p for p in programmes if p.category == category]
        out.append(
            CategoryRow(
                category=category,
                label=members[0].category_label if members else {},
                programmes=tuple(p.code for p in members),
                sessions=f.sessions,
                hours=f.hours,
                participants=f.participants,
                attendances=f.attendances,
                people_reached_estimate=f.people_reached_estimate,
            )
        )
    return tuple(sorted(out, key=lambda c: (c.label.get("ca", c.category).lower(), c.category)))


def _title(data: ReportData) -> str:
    if data.request.programme_ids is None:
        return _("All the entity's programmes")
    return ", ".join(
        f"{p.code} · {p.name}" if len(data.programmes) == 1 else p.code for p in data.programmes
    )
