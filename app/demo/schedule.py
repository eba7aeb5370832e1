"""Dates of the demo: the school year, the days without activity (public holidays in Catalonia and
Barcelona, Christmas and Easter breaks, summer) and the rhythm of each activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
from dateutil.easter import easter

#: Last day of activity in June (the school year runs 1 September to 30 June).
SEASON_END = (6, 19)


def school_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """September 1 to June 30 of the school year containing ``today`` (July and August belong to
    the year that has just ended)."""
    year = today.year if today.month >= 9 else today.year - 1
    return dt.date(year, 9, 1), dt.date(year + 1, 6, 30)


def _school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


class Calendar:
    """The days an activity cannot take place between two dates."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        years = list(range(start.year - 1, end.year + 2))
        off: set[dt.date] = set(holidays.country_holidays("ES", subdiv="CT", years=years))
        for year in years:
            off.add(dt.date(year, 9, 24))  # La Mercè, Barcelona's local holiday
            sunday = easter(year)
            off.add(sunday + dt.timedelta(days=50))  # Whit Monday, Barcelona's second one
            off.update(sunday + dt.timedelta(days=d) for d in range(-6, 2))  # Easter week
            off.update(dt.date(year, 12, 23) + dt.timedelta(days=d) for d in range(15))
        self.off = frozenset(off)

    def open(self, day: dt.date, season_start: tuple[int, int] = (9, 15)) -> bool:
        """A working day inside the activity season of its school year."""
        if day in self.off:
            return False
        year = _school_year_of(day)
        return dt.date(year, *season_start) <= day <= dt.date(year + 1, *SEASON_END)


def _days(start: dt.date, end: dt.date, weekday: int) -> Iterable[dt.date]:
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= end:
        yield day
        day += dt.timedelta(days=7)


def weekly(
    cal: Calendar,
    start: dt.date,
    end: dt.date,
    weekday: int,
    season_start: tuple[int, int],
    every_weeks: int = 1,
) -> list[dt.date]:
    days = list(_days(start, end, weekday))
    return [d for i, d in enumerate(days) if i % every_weeks == 0 and cal.open(d, season_start)]


def monthly(
    cal: Calendar, start: dt.date, end: dt.date, weekday: int, season_start: tuple[int, int]
) -> list[dt.date]:
    """The first open ``weekday`` of each month."""
    seen: set[tuple[int, int]] = set()
    result = []
    for day in _days(start, end, weekday):
        if (day.year, day.month) not in seen and cal.open(day, season_start):
            seen.add((day.year, day.month))
            result.append(day)
    return result


def fixed_dates(
    cal: Calendar, start: dt.date, end: dt.date, weekday: int, dates: Iterable[tuple[int, int]]
) -> list[dt.date]:
    """Events on given days of each school year; a holiday moves an event to the next open day.
    ``weekday`` is not used: traditional days (Sant Jordi, Castanyada) keep their date."""
    del weekday
    result = []
    for year in range(_school_year_of(start), _school_year_of(end) + 1):
        for month, day_of_month in dates:
            day = dt.date(year if month >= 9 else year + 1, month, day_of_month)
            while day in cal.off:
                day += dt.timedelta(days=1)
            if start <= day <= end:
                result.append(day)
    return sorted(result)
