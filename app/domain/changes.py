"""What a mutation changed, so the window refreshes only the pages that show it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    PROFILE = "profile"
    STAFF = "staff"
    PLACES = "places"
    FUNDERS = "funders"
    CATEGORIES = "categories"
    PROGRAMMES = "programmes"
    ACTIVITIES = "activities"
    SESSIONS = "sessions"
    ATTENDANCE = "attendance"
    PEOPLE = "people"
    NETWORKS = "networks"
    ORGANISATIONS = "organisations"
    ECONOMICS = "economics"  # budgets and the expenses register
    COMMUNITY = "community"  # groups accompanied, mediation cases, needs detected
    BACKUPS = "backups"  # the backup files and the last failure, not the data itself
    ALL = "all"


@dataclass(frozen=True)
class Changes:
    areas: frozenset[Area]

    @classmethod
    def of(cls, *areas: Area) -> Changes:
        return cls(frozenset(areas))

    def touches(self, *areas: Area) -> bool:
        return Area.ALL in self.areas or any(a in self.areas for a in areas)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas)


NOTHING = Changes(frozenset())
EVERYTHING = Changes.of(Area.ALL)
