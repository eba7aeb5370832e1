"""The figures of DESIGN.md section 5: one definition for screens, PDFs, sheets and the CLI."""

from __future__ import annotations

import datetime as dt
import functools
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

#: Age-band presets a report can choose; "default" is DESIGN.md's.
AGE_BAND_PRESETS: dict[str, tuple[str, ...]] = {
    "default": ("0-17", "18-29", "30-64", "65+"),
    "childhood": ("0-3", "4-18", "19-35", "36-64", "65+"),
    "youth": ("0-11", "12-17", "18-35", "36-64", "65+"),
}


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
FIGURE_BY_KEY: dict[str, FigureDef] = {f.key: f for f in FIGURES}
#: Indicator kinds computed from a figure; "manual" is typed in by hand.
COMPUTED_INDICATOR_KINDS: tuple[str, ...] = tuple(f.key for f in FIGURES if f.indicator)
INDICATOR_KINDS: tuple[str, ...] = (*COMPUTED_INDICATOR_KINDS, "manual")


def format_figure(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """Whole numbers as such, others with up to ``decimals`` decimals (6,5 and 81,25), in the
    number format of ``lang`` (the screen's language by default)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    locale = LOCALES.get(lang or current_language(), LOCALES["ca"])
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
    return UNKNOWN_BAND


def band_for_band(label: str, bands: tuple[str, ...]) -> str:
    """Where a head count recorded in one band goes in a preset: the same label, or the preset
    band that contains its whole range; otherwise unknown (a range cannot be split)."""
    if label in bands:
        return label
    try:
        low, high = parse_band(label)
    except ValueError:
        return UNKNOWN_BAND
    for candidate in bands:
        c_low, c_high = parse_band(candidate)
        if low >= c_low and (c_high is None or (high is not None and high <= c_high)):
            return candidate
    return UNKNOWN_BAND


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
