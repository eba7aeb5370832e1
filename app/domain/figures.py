"""The figures of DESIGN.md section 5: one definition for screens, PDFs, sheets and the CLI."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from app.i18n import LOCALES, N_, current_language

GENDER_LABELS = {
    "woman": N_("Woman"),
    "man": N_("Man"),
    "nonbinary": N_("Non-binary"),
    "other": N_("Other"),
    "undisclosed": N_("Not stated"),
}
GENDER_CODES: tuple[str, ...] = tuple(GENDER_LABELS)
UNKNOWN_BAND = "unknown"
#: A known age outside every band of the set (a set for young people leaves the others out).
OUTSIDE_BANDS = "outside"
#: Head counts recorded in a band the set cannot be built from (a count cannot be split).
NOT_BUILDABLE = "not_buildable"

#: Age-band presets a report can choose; "default" is DESIGN.md's.
AGE_BAND_PRESETS: dict[str, tuple[str, ...]] = {
    "default": ("0-17", "18-29", "30-64", "65+"),
    "childhood": ("0-3", "4-18", "19-35", "36-64", "65+"),
    "youth": ("0-11", "12-17", "18-35", "36-64", "65+"),
}

#: The fine bands head counts are recorded in: every common set is built from them.
FINE_BANDS: tuple[str, ...] = (
    "0-2",
    "3-5",
    "6-11",
    "12-15",
    "16-17",
    "18-24",
    "25-29",
    "30-44",
    "45-64",
    "65-79",
    "80+",
)

#: The band sets every installation has (coordinators add their own, kept per funder): the
#: three presets and the ranges of the youth and childhood laws funders ask for.
BUILT_IN_BAND_SETS: dict[str, tuple[str, ...]] = {
    **AGE_BAND_PRESETS,
    "youth_valencia": ("12-18", "19-24", "25-30"),
    "youth_catalonia": ("16-29",),
    "childhood_law": ("0-3", "4-11", "12-17"),
}
BUILT_IN_BAND_SET_LABELS = {
    "default": N_("General (0-17, 18-29, 30-64, 65+)"),
    "childhood": N_("Childhood preset (0-3, 4-18, 19-35, 36-64, 65+)"),
    "youth": N_("Youth preset (0-11, 12-17, 18-35, 36-64, 65+)"),
    "youth_valencia": N_("Valencian youth law (12-18, 19-24, 25-30)"),
    "youth_catalonia": N_("Catalan youth law (16-29)"),
    "childhood_law": N_("Childhood (0-3, 4-11, 12-17)"),
}


def parse_band_set(text: str) -> tuple[str, ...]:
    """ "12-18, 19-24, 25-30" -> the bands, checked: each "LOW-HIGH" or "LOW+", in order of age
    and not overlapping. Raises ValueError with the offending band."""
    bands: list[str] = []
    last_high: int | None = -1
    for raw in re.split(r"[,;\s]+", text.strip()):
        if not raw:
            continue
        label = raw.replace("–", "-")
        if not re.fullmatch(r"\d{1,3}-\d{1,3}|\d{1,3}\+", label):
            raise ValueError(raw)
        low, high = parse_band(label)
        if (high is not None and high < low) or last_high is None or low <= last_high:
            raise ValueError(raw)
        bands.append(label)
        last_high = high
    if not bands:
        raise ValueError(text)
    return tuple(bands)


def covers_all_ages(bands: tuple[str, ...]) -> bool:
    """Whether every age from 0 up falls in a band of the set."""
    expected = 0
    for label in bands:
        low, high = parse_band(label)
        if low != expected:
            return False
        if high is None:
            return True
        expected = high + 1
    return False


@dataclass(frozen=True)
class FigureDef:
    """One scalar figure of section 5 as every screen and document shows it."""

    key: str  #: the figure's name (the JSON key, the indicator kind)
    label: str  #: message id, translated where it is shown
    decimals: int = 0  #: most decimals shown (hours); counts are whole numbers
    indicator: bool = True  #: whether a computed indicator can take it as its kind

    def value(self, figures: Figures) -> int | float:
        """The value as shown: a count as an integer, hours rounded to ``decimals``."""
        raw = getattr(figures, self.key)
        return round(float(raw), self.decimals) if self.decimals else int(raw)

    def text(self, figures: Figures, lang: str | None = None) -> str:
        """The value in words of ``lang`` (the screen's language by default)."""
        return format_figure(self.value(figures), self.decimals, lang)


#: The scalar figures in the order screens and documents list them: the one table of their
#: labels and decimals (the justification report, its spreadsheet, the figures on screen and
#: the kinds of computed indicators).
FIGURES: tuple[FigureDef, ...] = (
    FigureDef("sessions", N_("Sessions held")),
    FigureDef("hours", N_("Hours of activity"), decimals=2),
    FigureDef("participants", N_("Unique participants")),
    FigureDef("attendances", N_("Total attendances")),
    FigureDef("anonymous_attendances", N_("Anonymous attendances (head counts)")),
    FigureDef("meetings", N_("Network meetings")),
    FigureDef("meeting_hours", N_("Hours of network meetings"), decimals=2),
    FigureDef("agreements_adopted", N_("Agreements adopted")),
    FigureDef("agreements_done", N_("Agreements done")),
)
#: The figures funders' forms add (people reached, referrals): in the report's own tables and
#: its spreadsheet's summary, and kinds of computed indicators.
FUNDER_FIGURES: tuple[FigureDef, ...] = (
    FigureDef("referrals", N_("Referrals to services of the territory")),
    FigureDef(
        "people_reached_estimate",
        N_("People reached at open events (estimate, new this year)"),
    ),
)
#: Volunteers are counted apart from participants (docs/volunteers.md).
VOLUNTEER_FIGURES: tuple[FigureDef, ...] = (
    FigureDef("volunteers", N_("Volunteers")),
    FigureDef("volunteer_hours", N_("Volunteer hours"), decimals=2),
)
#: The figures of community work (services/community_figures.py defines them): in the
#: spreadsheet's summary, the JSON, and kinds of computed indicators (so "Comunitats de veïns
#: organitzades" is counted, not typed).
COMMUNITY_FIGURES: tuple[FigureDef, ...] = (
    FigureDef("groups_accompanied", N_("Groups and associations accompanied")),
    FigureDef("groups_autonomous", N_("Groups that became autonomous")),
    FigureDef("mediation_cases_opened", N_("Mediation cases opened")),
    FigureDef("mediation_cases_closed", N_("Mediation cases closed")),
    FigureDef("needs_detected", N_("Needs and challenges detected")),
)
ALL_FIGURES: tuple[FigureDef, ...] = (
    *FIGURES,
    *FUNDER_FIGURES,
    *VOLUNTEER_FIGURES,
    *COMMUNITY_FIGURES,
)
FIGURE_BY_KEY: dict[str, FigureDef] = {f.key: f for f in ALL_FIGURES}
#: Indicator kinds computed from a figure; "manual" is typed in by hand.
COMPUTED_INDICATOR_KINDS: tuple[str, ...] = tuple(f.key for f in ALL_FIGURES if f.indicator)
INDICATOR_KINDS: tuple[str, ...] = (*COMPUTED_INDICATOR_KINDS, "manual")


def format_figure(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """Whole numbers as such, others with up to ``decimals`` decimals (6,5 and 81,25), in the
    number format of ``lang`` (the screen's language by default)."""
    return _formatted(value, decimals, lang or current_language())


@functools.lru_cache(maxsize=8192)  # a report prints the same small numbers thousands of times
def _formatted(value: float, decimals: int, lang: str) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    locale = LOCALES.get(lang, LOCALES["ca"])
    return format_decimal(round(value, decimals), format=pattern, locale=locale)


@functools.lru_cache(maxsize=256)
def parse_band(label: str) -> tuple[int, int | None]:
    """ "18-29" -> (18, 29); "65+" -> (65, None)."""
    if label.endswith("+"):
        return int(label[:-1]), None
    low, high = label.split("-")
    return int(low), int(high)


@functools.lru_cache(maxsize=4096)  # called for every attendance counted: ages repeat
def band_for_age(age: int | None, bands: tuple[str, ...]) -> str:
    if age is None or age < 0:
        return UNKNOWN_BAND
    for label in bands:
        low, high = parse_band(label)
        if age >= low and (high is None or age <= high):
            return label
    return OUTSIDE_BANDS


def band_for_band(label: str, bands: tuple[str, ...]) -> str:
    """Where a head count recorded in one band goes in a set: the same label, or the set's band
    that contains its whole range; outside the set when none of its bands touches it;
    otherwise unknown (a range cannot be split: ``place_recorded_band`` says which)."""
    placed = place_recorded_band(label, bands)
    return UNKNOWN_BAND if placed == NOT_BUILDABLE else placed


@functools.lru_cache(maxsize=1024)
def place_recorded_band(label: str, bands: tuple[str, ...]) -> str:
    """``band_for_band``, telling apart a count the set cannot be built from
    (``NOT_BUILDABLE``: it straddles two of the set's bands, or one and the ages left out),
    which the report names instead of filing it silently under unknown."""
    if label in bands:
        return label
    try:
        low, high = parse_band(label)
    except ValueError:
        return UNKNOWN_BAND
    touched = False
    for candidate in bands:
        c_low, c_high = parse_band(candidate)
        if low >= c_low and (c_high is None or (high is not None and high <= c_high)):
            return candidate
        if (c_high is None or low <= c_high) and (high is None or high >= c_low):
            touched = True
    return NOT_BUILDABLE if touched else OUTSIDE_BANDS


def duration_hours(start: dt.time | None, end: dt.time | None) -> float:
    """Hours from start to end of one day; nothing when a time is missing or they are reversed."""
    if start is None or end is None:
        return 0.0
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(minutes, 0) / 60


def age_on(day: dt.date, birth_date: dt.date | None, birth_year: int | None) -> int | None:
    if birth_date is not None:
        return (
            day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        )
    if birth_year is not None:
        return day.year - birth_year
    return None


@dataclass(frozen=True)
class Breakdown:
    participants: int = 0
    attendances: int = 0


@dataclass(frozen=True)
class ReferralRow:
    """Referrals to services of one programme (its code; "" for people in none), destination
    (the organisation's name) and status."""

    programme_code: str
    destination: str
    status: str
    referrals: int
    #: Of those, how many the follow-up says reached the service.
    reached: int = 0


@dataclass(frozen=True)
class BandCoverage:
    """Whether a band set can be built from the head counts of a period: the attendances
    recorded in bands it cannot be built from (recorded band -> attendances)."""

    attendances: int
    not_buildable: dict[str, int] = field(default_factory=dict)

    @property
    def affected(self) -> int:
        return sum(self.not_buildable.values())

    @property
    def share(self) -> float:
        """The affected attendances as a share (0..1) of all attendances of the period."""
        return self.affected / self.attendances if self.attendances else 0.0


def prorated_target(
    target: float,
    start: dt.date | None,
    end: dt.date | None,
    date_from: dt.date,
    date_to: dt.date,
) -> float:
    """A target for the programme's whole dates, pro-rated to the days of the period inside
    them (the whole target when the programme has no dates or the period covers them all)."""
    if start is None or end is None or end < start:
        return target
    days = (end - start).days + 1
    inside = (min(end, date_to) - max(start, date_from)).days + 1
    return round(target * max(inside, 0) / days, 2)


@dataclass(frozen=True)
class IndicatorFigure:
    id: str
    programme_id: str
    name: str
    kind: str
    target: float | None
    achieved: float | None


@dataclass(frozen=True)
class Figures:
    date_from: dt.date
    date_to: dt.date
    sessions: int = 0
    hours: float = 0.0
    participants: int = 0
    attendances: int = 0
    anonymous_attendances: int = 0
    by_gender: dict[str, Breakdown] = field(default_factory=dict)
    by_age_band: dict[str, Breakdown] = field(default_factory=dict)
    meetings: int = 0
    meeting_hours: float = 0.0
    agreements_adopted: int = 0
    agreements_done: int = 0
    indicators: tuple[IndicatorFigure, ...] = ()
    #: gender code -> age band -> participants and attendances (the sex x age table).
    by_gender_age: dict[str, dict[str, Breakdown]] = field(default_factory=dict)
    #: Referrals to a service of the territory dated in the period (of the people counted,
    #: for programmes; every one, for the whole entity).
    referrals: int = 0
    #: Open events: held sessions with head counts; those with an estimate of the people new
    #: this year, and the sum of those estimates (people reached, not attendances).
    open_events: int = 0
    open_events_estimated: int = 0
    people_reached_estimate: int = 0
    referral_rows: tuple[ReferralRow, ...] = ()
    #: Head-count attendances recorded in a band the set cannot be built from (a count cannot
    #: be split): included in the "unknown" band and named apart in every document.
    age_not_buildable: int = 0
    age_not_buildable_by_gender: dict[str, int] = field(default_factory=dict)
    #: Volunteers apart from participants: people volunteering in the period, the hours they
    #: gave, by month ("YYYY-MM") and by programme code.
    volunteers: int = 0
    volunteer_hours: float = 0.0
    volunteer_hours_by_month: dict[str, float] = field(default_factory=dict)
    volunteer_hours_by_programme: dict[str, float] = field(default_factory=dict)
    #: Community work (COMMUNITY_FIGURES).
    groups_accompanied: int = 0
    groups_autonomous: int = 0
    mediation_cases_opened: int = 0
    mediation_cases_closed: int = 0
    needs_detected: int = 0

    def value(self, name: str) -> float:
        """A scalar figure by its section-5 name (used for computed indicators)."""
        return float(getattr(self, name))

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``teixit report --json`` (key names are the contract)."""

        def breakdown(d: dict[str, Breakdown]) -> dict[str, dict[str, int]]:
            return {
                k: {"participants": v.participants, "attendances": v.attendances}
                for k, v in d.items()
            }

        return {
            "period": {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()},
            "sessions": self.sessions,
            "hours": round(self.hours, 2),
            "participants": self.participants,
            "attendances": self.attendances,
            "anonymous_attendances": self.anonymous_attendances,
            "by_gender": breakdown(self.by_gender),
            "by_age_band": breakdown(self.by_age_band),
            "meetings": self.meetings,
            "meeting_hours": round(self.meeting_hours, 2),
            "agreements_adopted": self.agreements_adopted,
            "agreements_done": self.agreements_done,
            "age_band_not_buildable": self.age_not_buildable,
            "referrals": self.referrals,
            "people_reached": {
                "named_participants": self.participants,
                "open_events": self.open_events,
                "open_events_estimated": self.open_events_estimated,
                "estimated_new_at_open_events": self.people_reached_estimate,
            },
            "referrals_by_programme": [
                {
                    "programme": r.programme_code or None,
                    "destination": r.destination,
                    "status": r.status,
                    "referrals": r.referrals,
                    "reached": r.reached,
                }
                for r in self.referral_rows
            ],
            "by_gender_and_age_band": {
                code: breakdown(bands) for code, bands in self.by_gender_age.items()
            },
            "volunteers": self.volunteers,
            "volunteer_hours": round(self.volunteer_hours, 2),
            "volunteer_hours_by_month": {
                k: round(v, 2) for k, v in self.volunteer_hours_by_month.items()
            },
            "volunteer_hours_by_programme": {
                k: round(v, 2) for k, v in self.volunteer_hours_by_programme.items()
            },
            "indicators": [
                {
                    "id": i.id,
                    "name": i.name,
                    "kind": i.kind,
                    "target": i.target,
                    "achieved": i.achieved,
                }
                for i in self.indicators
            ],
        }
