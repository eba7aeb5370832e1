"""A save that met someone else's newer version of the record (StaleRecord): both versions are
compared through the prompts, then the person keeps theirs, takes the other's or chooses field
by field. Nothing is half-saved: the chosen values are saved over the current version in one
write (which may itself meet a newer one, and is compared again), or nothing is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from app.errors import StaleRecord, UserError
from app.i18n import _, format_date, format_time
from ui.prompts import Prompts, StaleField

T = TypeVar("T")

#: (field name in the DTO, label shown).
Fields = Sequence[tuple[str, str]]
Show = Callable[[str, Any], str]


def shown(value: Any) -> str:
    """A field's value as people read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return format_date(value, None, "short")
    if isinstance(value, dt.time):
        return format_time(value)
    if isinstance(value, list | tuple):
        return "\n".join(shown(v) for v in value)
    return str(value)


def compare_fields(
    theirs: Any, mine: Any, opened: Any | None, fields: Fields, show: Show | None = None
) -> list[StaleField]:
    """Each field as it is now in the database and as typed; ``changed_by_me`` against the copy
    that was opened (None: every field counts as changed)."""
    show = show or (lambda _key, value: shown(value))
    rows = []
    for key, label in fields:
        mine_shown = show(key, getattr(mine, key))
        changed = opened is None or show(key, getattr(opened, key)) != mine_shown
        rows.append(StaleField(key, label, show(key, getattr(theirs, key)), mine_shown, changed))
    return rows


def merged(theirs: T, mine: T, choice: dict[str, bool]) -> T:
    """The current version with the chosen fields of mine on top (its version: the current)."""
    kept = {key: getattr(mine, key) for key, keep in choice.items() if keep}
    return replace(theirs, **kept)  # type: ignore[type-var]


def on_stale(
    parent: Any,
    prompts: Prompts,
    title: str,
    mine: T,
    opened: T | None,
    fields: Fields,
    *,
    retry: Callable[[T], object],
    reload: Callable[[T], None],
    show: Show | None = None,
) -> Callable[[UserError], None]:
    """A ``run_op`` failure handler: a stale save opens the comparison; any other expected
    failure is shown as usual.

    - Keep mine / a choice per field: ``retry`` saves the chosen values over the current
      version (the current version's number goes with them).
    - Take theirs: ``reload`` shows the current version; nothing is saved.
    - Cancel: nothing is saved and the form keeps what was typed."""

    def failed(exc: UserError) -> None:
        theirs = getattr(exc, "current", None)
        if not isinstance(exc, StaleRecord) or theirs is None:
            prompts.error(parent, title, exc.message)
            return
        rows = compare_fields(theirs, mine, opened, fields, show)
        if not any(row.differs for row in rows):
            retry(merged(theirs, mine, {}))  # the same values: saved over the current version
            return
        choice = prompts.compare(parent, title, exc.message, rows)
        if choice is None:
            return
        if not any(choice.values()):
            reload(theirs)
            return
        retry(merged(theirs, mine, choice))

    return failed
