"""Sessions, attendance, head counts and series planning (pure: no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.domain.figures import duration_hours
from app.i18n import N_, _, format_date

SESSION_STATUS_LABELS = {
    "planned": N_("Planned"),
    "held": N_("Held"),
    "cancelled": N_("Cancelled"),
}
SESSION_STATUSES: tuple[str, ...] = tuple(SESSION_STATUS_LABELS)
ATTENDANCE_LABELS = {
    "present": N_("Present"),
    "late": N_("Late arrival"),
    "excused": N_("Justified absence"),
    "absent": N_("Absent"),
}
ATTENDANCE_STATUSES: tuple[str, ...] = tuple(ATTENDANCE_LABELS)
#: The statuses that count as having attended (figures, imports).
COUNTED_STATUSES: tuple[str, ...] = ("present", "late")
#: The one-letter marks of a paper register (English ids; the keys P/L/E/A and 1-4 set them).
ATTENDANCE_MARKS = {"present": "P", "late": "L", "excused": "E", "absent": "A"}


@dataclass(frozen=True)
class SessionDTO:
    activity_id: str
    date: dt.date
    id: str | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place_id: str | None = None
    status: str = "planned"
    notes: str = ""
    facilitator_ids: tuple[str, ...] = ()
    #: Filled by the service for lists and headers.
    activity_name: str = ""
    programme_id: str = ""
    programme_code: str = ""
    place_name: str = ""
    #: Attendance records of any status (has anything been recorded?).
    recorded: int = 0
    #: Present or late, plus head counts: the session's attendances as the figures count them.
    attendances: int = 0
    #: The session's version when it was read (None: not checked, as for a new session).
    version: int | None = None
    #: At an open event, the staff's estimate of the people counted who are new this year.
    new_people: int | None = None

    def hours(self) -> float:
        return duration_hours(self.start_time, self.end_time)


@dataclass(frozen=True)
class SessionFilter:
    programme_id: str | None = None
    activity_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class AttendanceRow:
    participant_id: str
    name: str
    status: str | None
    enrolled: bool = True
    #: Family name then given name, folded (``app.domain.people.sort_key``): the list order.
    sort: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class HeadCountDTO:
    gender: str
    age_band: str
    count: int


@dataclass(frozen=True)
class AttendanceSheet:
    session: SessionDTO
    rows: tuple[AttendanceRow, ...]
    head_counts: tuple[HeadCountDTO, ...]


@dataclass(frozen=True)
class AttendanceStep:
    """One attendance change that can be undone: its session, the status each person had
    before it (None: no record) and, when the change made the session held, the session's
    status before it."""

    session_id: str
    before: Mapping[str, str | None]
    session_status_before: str | None = None


class AttendanceUndo:
    """The undo history of one piece of attendance editing: one session's attendance window, or
    one register grid. Whoever edits owns it and hands it to the service with each change, so
    undoing in one window never touches the marks made in another. Newest step last."""

    LIMIT = 50

    def __init__(self) -> None:
        self._steps: list[AttendanceStep] = []

    def can_undo(self) -> bool:
        return bool(self._steps)

    def push(self, step: AttendanceStep) -> None:
        self._steps.append(step)
        del self._steps[: -self.LIMIT]

    def pop(self) -> AttendanceStep | None:
        return self._steps.pop() if self._steps else None


@dataclass(frozen=True)
class RegisterGrid:
    """A paper register: people (rows) x sessions (columns), cells are statuses."""

    activity_id: str
    sessions: tuple[SessionDTO, ...]
    people: tuple[AttendanceRow, ...]
    cells: Mapping[tuple[str, str], str]  # (participant_id, session_id) -> status


@dataclass(frozen=True)
class PlannedDate:
    date: dt.date
    #: Why the date is skipped ("" when a session will be created): a holiday's name or a note.
    skipped: str = ""


@dataclass(frozen=True)
class SeriesRequest:
    activity_id: str
    date_from: dt.date
    date_to: dt.date
    weekdays: frozenset[int]  # Monday = 0
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place_id: str | None = None
    excluded: frozenset[dt.date] = frozenset()
    skip_holidays: bool = True


MAX_SERIES = 400


def validate_series(req: SeriesRequest) -> dict[str, str]:
    errors: dict[str, str] = {}
    if req.date_to < req.date_from:
        errors["date_to"] = _("The end date cannot be before the start date.")
    elif (req.date_to - req.date_from).days > 3 * 366:
        errors["date_to"] = _("A series can span three years at most.")
    if not req.weekdays:
        errors["weekdays"] = _("Choose at least one day of the week.")
    if req.start_time and req.end_time and req.end_time <= req.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    return errors


def plan_series(req: SeriesRequest, holidays: Mapping[dt.date, str]) -> list[PlannedDate]:
    """Every chosen weekday between the two dates, holidays and excluded dates marked skipped."""
    out: list[PlannedDate] = []
    day = req.date_from
    while day <= req.date_to:
        if day.weekday() in req.weekdays:
            if day in req.excluded:
                out.append(PlannedDate(day, _("Excluded")))
            elif req.skip_holidays and day in holidays:
                out.append(PlannedDate(day, holidays[day]))
            else:
                out.append(PlannedDate(day))
        day += dt.timedelta(days=1)
    return out


def validate_session(s: SessionDTO) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not s.activity_id:
        errors["activity_id"] = _("Choose the activity.")
    if s.status not in SESSION_STATUSES:
        errors["status"] = _("Choose a valid status.")
    if s.start_time and s.end_time and s.end_time <= s.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    return errors


def attendance_date_problem(
    day: dt.date, today: dt.date, start: dt.date | None, end: dt.date | None
) -> str | None:
    """Why people cannot be recorded as having come on ``day`` (a list of who came is for a
    session that has taken place, within its programme's period), or None."""
    if day > today:
        return _(
            "{date} is in the future: who came is recorded once the session has taken place."
        ).format(date=format_date(day, None, "short"))
    if (start is not None and day < start) or (end is not None and day > end):
        return _("{date} is outside the programme's period ({start} to {end}).").format(
            date=format_date(day, None, "short"),
            start=format_date(start, None, "short") if start else "…",
            end=format_date(end, None, "short") if end else "…",
        )
    return None


def best_status(statuses: Iterable[str]) -> str:
    """When two records of one person meet in a session (a merge), the one that counts wins."""
    order = {status: i for i, status in enumerate(ATTENDANCE_STATUSES)}
    return min(statuses, key=lambda st: order.get(st, len(order)))
