"""The justification report (memòria d'actuació): what is asked for and everything the builders
(PDF, spreadsheet, JSON) need, computed once by ``ReportService.load``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.domain.community import CASE_OUTCOMES, GROUP_STAGES, CommunityFigures, NeedDTO
from app.domain.economics import FunderEconomics
from app.domain.figures import (
    BUILT_IN_BAND_SETS,
    GENDER_CODES,
    GENDER_LABELS,
    NOT_BUILDABLE,
    OUTSIDE_BANDS,
    UNKNOWN_BAND,
    BandCoverage,
    Breakdown,
    Figures,
)
from app.domain.profile import EntityProfileDTO, FunderDTO
from app.domain.texts import MissingText
from app.domain.volunteers import VolunteerFigures
from app.i18n import N_

#: ``progress(fraction 0..1, message)`` and ``cancel() -> True to stop``: how long work reports.
Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]

#: Narrative texts kept per programme and period (table report_narrative, column kind).
NARRATIVE_KINDS: tuple[str, ...] = ("assessment", "difficulties", "changes", "proposals")
NARRATIVE_LABELS = {
    "assessment": N_("Assessment"),
    "difficulties": N_("Difficulties"),
    "changes": N_("Changes against the plan"),
    "proposals": N_("Proposals for improvement"),
}

#: Sections a report may include, in the order they print. The cover always prints.
SECTIONS: tuple[str, ...] = (
    "programme",
    "indicators",
    "categories",
    "activities",
    "volunteers",
    "disaggregation",
    "monthly",
    "network",
    "community",
    "needs",
    "narratives",
    "economic",
    "signature",
    "annex",
)
SECTION_LABELS = {
    "programme": N_("Entity and programme"),
    "indicators": N_("Indicators: planned and achieved"),
    "categories": N_("Summary per category (prestació)"),
    "activities": N_("Activities"),
    "volunteers": N_("Volunteers and coproduction"),
    "disaggregation": N_("Participants by gender, age, neighbourhood and nationality"),
    "monthly": N_("Monthly attendance"),
    "network": N_("Network work"),
    "community": N_("Groups accompanied and community mediation"),
    "needs": N_("Needs detected and responses"),
    "narratives": N_("Assessment and proposals"),
    "economic": N_("Economic report: budget and expenses"),
    "signature": N_("Signature"),
    "annex": N_("Annex: sessions held"),
}

#: Sections a report leaves out unless asked for (the window's list starts them unticked; the
#: command line has --community and --needs).
OPTIONAL_SECTIONS = frozenset({"community", "needs"})
DEFAULT_SECTIONS = frozenset(SECTIONS) - OPTIONAL_SECTIONS

#: The funders' three-column gender template.
FOLDED_GENDER_CODES: tuple[str, ...] = ("woman", "man", "other")
FOLDED_GENDER_LABELS = {"woman": N_("Woman"), "man": N_("Man"), "other": N_("Other")}

PERIOD_KINDS: tuple[str, ...] = ("programme", "year", "quarter", "school_year", "custom")

#: The smallest group shown as a number when small numbers are hidden: 1 to 4 print "< 5".
SMALL_NUMBER_LIMIT = 5

#: Row key of people whose neighbourhood or nationality is not recorded (and head counts).
NOT_RECORDED = ""


class ReportCancelled(Exception):
    """The user stopped a report being built; nothing was written."""


def calendar_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def school_year(first_year: int) -> tuple[dt.date, dt.date]:
    """ "Curs 2025-2026": from 1 September 2025 to 31 August 2026."""
    return dt.date(first_year, 9, 1), dt.date(first_year + 1, 8, 31)


def quarter(year: int, number: int) -> tuple[dt.date, dt.date]:
    """The quarter ``number`` (1..4) of a calendar year."""
    first = dt.date(year, 3 * number - 2, 1)
    last = (
        dt.date(year, 12, 31)
        if number == 4
        else dt.date(year, 3 * number + 1, 1) - dt.timedelta(days=1)
    )
    return first, last


def fold_gender(code: str) -> str:
    return code if code in ("woman", "man") else "other"


@dataclass(frozen=True)
class ReportRequest:
    """``programme_ids`` None: the whole entity. ``narratives`` None: the saved ones."""

    programme_ids: tuple[str, ...] | None
    date_from: dt.date
    date_to: dt.date
    lang: str = "ca"
    age_preset: str = "default"
    fold_gender: bool = False
    #: A band set chosen by name (a funder's): its bands, overriding ``age_preset``.
    band_set: tuple[str, ...] | None = None
    band_set_name: str = ""
    #: Cells of 1 to 4 people print as "< 5" (reports leaving the entity); totals stay exact.
    small_numbers: bool = False
    #: Indicator targets pro-rated to the period (else for the programme's whole dates).
    prorate_targets: bool = False
    sections: frozenset[str] = DEFAULT_SECTIONS
    narratives: dict[str, str] | None = None
    #: With ``narratives`` typed for this report: their other-language versions as
    #: (kind, language, text); None with saved narratives (they carry their own).
    narrative_translations: tuple[tuple[str, str, str], ...] | None = None
    #: Signature block: the legal representative, the place (default: the entity's town).
    signatory: str = ""
    signatory_role: str = ""
    sign_place: str = ""
    sign_date: dt.date | None = None

    @property
    def age_bands(self) -> tuple[str, ...]:
        if self.band_set:
            return self.band_set
        return BUILT_IN_BAND_SETS.get(self.age_preset, BUILT_IN_BAND_SETS["default"])

    def narrative_key(self) -> str | None:
        """Narratives belong to one programme; for several or the whole entity, to the entity."""
        if self.programme_ids is not None and len(self.programme_ids) == 1:
            return self.programme_ids[0]
        return None

    def wants(self, section: str) -> bool:
        return section in self.sections


@dataclass(frozen=True)
class BandSetDTO:
    """An age-band set a report can use: built in (``id`` is its key, ``built_in``) or
    defined by a coordinator, kept for one funder (``funder_id``) or for any."""

    id: str
    name: str
    bands: tuple[str, ...]
    funder_id: str | None = None
    funder_name: str = ""
    built_in: bool = False


@dataclass(frozen=True)
class ProgrammeInfo:
    id: str
    code: str
    name: str
    category: str
    category_label: dict[str, str]
    description: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    responsible: str = ""
    objectives: tuple[str, ...] = ()
    funders: tuple[FunderDTO, ...] = ()
    #: The entity's estimate of the programme's indirect beneficiaries (None: not recorded).
    indirect_beneficiaries: int | None = None


@dataclass(frozen=True)
class ActivityRow:
    programme_code: str
    name: str
    kind: str
    sessions: int
    hours: float
    participants: int
    attendances: int
    #: gender code -> participants (distinct people) and attendances (head counts included).
    by_gender: dict[str, Breakdown] = field(default_factory=dict)


@dataclass(frozen=True)
class CoproducedRow:
    """An activity of the report shared with other programmes or organised with partners."""

    programme_codes: tuple[str, ...]
    name: str
    partners: tuple[str, ...]


@dataclass(frozen=True)
class SessionStatusRow:
    """An activity's sessions dated in the period: planned (all scheduled), held, cancelled
    (with each cancelled session's date and notes as its reason) and still without a record."""

    programme_code: str
    activity: str
    planned: int
    held: int
    cancelled: int
    pending: int
    reasons: tuple[tuple[dt.date, str], ...] = ()


@dataclass(frozen=True)
class CategoryRow:
    """The figures of the programmes of one category (prestació): a person in two of its
    programmes counts once."""

    category: str
    label: dict[str, str]
    programmes: tuple[str, ...]
    sessions: int
    hours: float
    participants: int
    attendances: int
    people_reached_estimate: int


@dataclass(frozen=True)
class MonthRow:
    year: int
    month: int
    sessions: int
    attendances: int


@dataclass(frozen=True)
class NetworkRow:
    """A space of the report's network table. A top-level space (``depth`` 0) counts its
    commissions' meetings too; a commission (``depth`` 1 or more) follows it, and ``parent``
    names the top-level space it belongs to."""

    space: str
    parent: str
    meetings: int
    hours: float
    agreements_adopted: int
    agreements_done: int
    depth: int = 0


@dataclass(frozen=True)
class AnnexRow:
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    programme_code: str
    activity: str
    place: str
    facilitators: str
    attendances: int
    session_id: str
    #: Pages of the signed sheet kept with the session (0: the register is its only evidence).
    signed_pages: int = 0

    @property
    def evidence(self) -> str:
        """signed_sheet when the signed sheet was scanned and kept, else register."""
        return "signed_sheet" if self.signed_pages else "register"


#: What each kind of evidence of a session is called in the report's annex.
EVIDENCE_LABELS = {"signed_sheet": N_("Signed sheet"), "register": N_("Register only")}


@dataclass(frozen=True)
class ReportData:
    request: ReportRequest
    entity: EntityProfileDTO | None
    programmes: tuple[ProgrammeInfo, ...]
    figures: Figures
    activities: tuple[ActivityRow, ...]
    by_neighbourhood: dict[str, Breakdown]
    by_nationality: dict[str, Breakdown]
    monthly: tuple[MonthRow, ...]
    network: tuple[NetworkRow, ...]
    annex: tuple[AnnexRow, ...]
    narratives: dict[str, str] = field(default_factory=dict)
    generated_on: dt.date = field(default_factory=dt.date.today)
    #: The economic part (memòria econòmica): one per programme and funder with a budget or an
    #: expense of the period charged to it; empty when there is none or it was not asked for.
    economics: tuple[FunderEconomics, ...] = ()
    session_status: tuple[SessionStatusRow, ...] = ()
    by_category: tuple[CategoryRow, ...] = ()
    coverage: BandCoverage | None = None
    #: Volunteers apart from participants, and the activities coproduced with other
    #: programmes or partner organisations (docs/volunteers.md).
    volunteers: VolunteerFigures | None = None
    coproduced: tuple[CoproducedRow, ...] = ()
    #: Community work in the period (services/community_figures.py) and, when the section is
    #: asked for, the needs detected with what was done.
    community: CommunityFigures | None = None
    needs: tuple[NeedDTO, ...] = ()
    #: Texts printed in the entity's language for want of a version in the report's.
    missing_texts: tuple[MissingText, ...] = ()

    def small(self, value: int) -> bool:
        """Whether a count of people prints as "< 5" (small numbers hidden)."""
        return self.request.small_numbers and 0 < value < SMALL_NUMBER_LIMIT

    def gender_columns(self) -> tuple[str, ...]:
        """The gender columns of the cross tables: the five codes, or woman / man and the
        other codes together in a third column (named in a footnote)."""
        return FOLDED_GENDER_CODES if self.request.fold_gender else GENDER_CODES

    def gender_split(self, by_gender: dict[str, Breakdown]) -> dict[str, Breakdown]:
        """``by_gender`` in the columns of ``gender_columns``."""
        if not self.request.fold_gender:
            return {c: by_gender.get(c, Breakdown()) for c in GENDER_CODES}
        folded = {c: [0, 0] for c in FOLDED_GENDER_CODES}
        for code, b in by_gender.items():
            acc = folded[fold_gender(code)]
            acc[0] += b.participants
            acc[1] += b.attendances
        return {c: Breakdown(p, a) for c, (p, a) in folded.items()}

    def age_table_rows(self) -> list[tuple[str, Breakdown]]:
        """The age table of the documents: ``age_rows`` with the head counts the set cannot be
        built from taken out of "unknown" into a row of their own (``NOT_BUILDABLE``)."""
        unbuilt = self.figures.age_not_buildable
        out = []
        for band, b in self.age_rows():
            if band == UNKNOWN_BAND and unbuilt:
                out.append((NOT_BUILDABLE, Breakdown(0, unbuilt)))
                b = Breakdown(b.participants, b.attendances - unbuilt)
            out.append((band, b))
        return out

    def age_gender_rows(self) -> list[tuple[str, dict[str, Breakdown]]]:
        """The sex x age table: per row of ``age_table_rows``, the gender columns."""
        cross = self.figures.by_gender_age
        unbuilt = self.figures.age_not_buildable_by_gender
        out = []
        for band, _b in self.age_table_rows():
            if band == NOT_BUILDABLE:
                cells = {c: Breakdown(0, unbuilt.get(c, 0)) for c in GENDER_CODES}
            else:
                cells = {c: cross.get(c, {}).get(band, Breakdown()) for c in GENDER_CODES}
                if band == UNKNOWN_BAND:
                    cells = {
                        c: Breakdown(b.participants, b.attendances - unbuilt.get(c, 0))
                        for c, b in cells.items()
                    }
            out.append((band, self.gender_split(cells)))
        return out

    @property
    def funders(self) -> tuple[FunderDTO, ...]:
        """Every funder of the programmes in the report, once, in order."""
        seen: dict[str, FunderDTO] = {}
        for p in self.programmes:
            for f in p.funders:
                seen.setdefault(f.id, f)
        return tuple(seen.values())

    def gender_rows(self) -> list[tuple[str, Breakdown]]:
        """By gender in full codes, or folded to the funders' woman / man / other columns."""
        if not self.request.fold_gender:
            return [(c, self.figures.by_gender.get(c, Breakdown())) for c in GENDER_CODES]
        folded = {c: [0, 0] for c in FOLDED_GENDER_CODES}
        for code, b in self.figures.by_gender.items():
            acc = folded[fold_gender(code)]
            acc[0] += b.participants
            acc[1] += b.attendances
        return [(c, Breakdown(p, a)) for c, (p, a) in folded.items()]

    def gender_label(self, code: str) -> str:
        """The untranslated label of a gender row (translate with the document's translator)."""
        labels = FOLDED_GENDER_LABELS if self.request.fold_gender else GENDER_LABELS
        return labels[code]

    def age_rows(self) -> list[tuple[str, Breakdown]]:
        return [
            (band, self.figures.by_age_band.get(band, Breakdown()))
            for band in (*self.request.age_bands, OUTSIDE_BANDS, UNKNOWN_BAND)
            if band in self.figures.by_age_band
        ]

    def show_nationality(self) -> bool:
        """Nationality prints only when some counted person has one recorded."""
        return any(k != NOT_RECORDED and b.participants for k, b in self.by_nationality.items())

    @property
    def direct_beneficiaries(self) -> int:
        """Named participants plus the new people the staff estimated at open events."""
        return self.figures.participants + self.figures.people_reached_estimate

    @property
    def indirect_beneficiaries(self) -> dict[str, int]:
        """Each programme's estimate of its indirect beneficiaries, by code (only those that
        recorded one: the funder asked)."""
        return {
            p.code: p.indirect_beneficiaries
            for p in self.programmes
            if p.indirect_beneficiaries is not None
        }

    def json_dict(self) -> dict[str, Any]:
        """The JSON of ``teixit report --json``: DESIGN section 6, figures with their key names,
        ``programme`` {code, name} and ``period`` {from, to}."""
        out = self.figures.as_dict()
        if len(self.programmes) == 1 and self.request.programme_ids is not None:
            p = self.programmes[0]
            out["programme"] = {"code": p.code, "name": p.name}
        else:
            out["programme"] = None
            out["programmes"] = [{"code": p.code, "name": p.name} for p in self.programmes]
        out["period"] = {
            "from": self.request.date_from.isoformat(),
            "to": self.request.date_to.isoformat(),
        }
        if self.economics:
            out["economic"] = [e.json_dict() for e in self.economics]
        coverage = self.coverage or BandCoverage(self.figures.attendances)
        out["age_bands"] = {
            "set": self.request.band_set_name or self.request.age_preset,
            "bands": list(self.request.age_bands),
            "not_buildable": dict(coverage.not_buildable),
            "not_buildable_share": round(coverage.share, 4),
        }
        if self.community is not None:
            c = self.community
            out["community"] = {
                "groups_accompanied": c.groups_accompanied,
                "groups_by_stage": {k: c.groups_by_stage.get(k, 0) for k in GROUP_STAGES},
                "groups_autonomous_in_period": c.groups_autonomous_in_period,
                "group_meetings": c.group_meetings,
                "mediation_cases_opened": c.cases_opened,
                "mediation_cases_closed": c.cases_closed,
                "mediation_cases_closed_by_outcome": {
                    k: c.cases_closed_by_outcome.get(k, 0) for k in CASE_OUTCOMES
                },
                "needs_detected": c.needs_detected,
                "needs_answered": c.needs_answered,
                "needs_by_response": c.needs_by_response,
            }
        if self.request.wants("needs"):
            out["needs"] = [
                {
                    "title": n.title,
                    "place": n.place,
                    "detected_on": n.detected_on.isoformat(),
                    "raised_by": n.raised_by,
                    "response": n.response,
                    "response_date": n.response_date.isoformat() if n.response_date else None,
                    "answered_by": n.answered_by,
                    "notes": n.response_notes,
                }
                for n in self.needs
            ]
        indirect = self.indirect_beneficiaries
        out["beneficiaries"] = {
            "direct": self.direct_beneficiaries,
            "direct_named": self.figures.participants,
            "direct_new_at_open_events": self.figures.people_reached_estimate,
            "indirect_estimate": sum(indirect.values()) if indirect else None,
            "indirect_by_programme": indirect,
        }
        out["small_numbers_hidden"] = self.request.small_numbers
        out["indicator_targets"] = "prorated" if self.request.prorate_targets else "whole_period"

        def breakdown(d: dict[str, Breakdown]) -> dict[str, dict[str, int]]:
            return {
                k: {"participants": v.participants, "attendances": v.attendances}
                for k, v in d.items()
            }

        out["sessions_by_activity"] = [
            {
                "programme": r.programme_code,
                "activity": r.activity,
                "planned": r.planned,
                "held": r.held,
                "cancelled": r.cancelled,
                "pending": r.pending,
                "cancellation_reasons": [
                    {"date": day.isoformat(), "reason": text} for day, text in r.reasons
                ],
            }
            for r in self.session_status
        ]
        out["by_activity_and_gender"] = [
            {
                "programme": a.programme_code,
                "activity": a.name,
                "by_gender": breakdown(a.by_gender),
            }
            for a in self.activities
        ]
        out["by_category"] = [
            {
                "category": c.category,
                "programmes": list(c.programmes),
                "sessions": c.sessions,
                "hours": round(c.hours, 2),
                "participants": c.participants,
                "attendances": c.attendances,
                "people_reached_estimate": c.people_reached_estimate,
            }
            for c in self.by_category
        ]
        return out
