"""Before scheduling staff or volunteers in a session with minors: who has no valid certificate
of the sexual-offences register (LO 1/1996 art. 13.5; LOPIVI art. 57) is named, and the person
scheduling decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QLabel

from app.i18n import _
from app.services.container import Services
from ui.prompts import Prompts

WARNING_STYLE = "background: #fff4e0; border: 1px solid #d08a20; padding: 6px; color: #3a2500;"


def certificate_label() -> QLabel:
    label = QLabel()
    label.setObjectName("certificateWarning")
    label.setWordWrap(True)
    label.setStyleSheet(WARNING_STYLE)
    label.hide()
    return label


def uncertified_text(names: list[str], series: bool = False) -> str:
    if series:
        return _(
            "Minors take part in these sessions. No valid certificate of the sexual-offences "
            "register (missing, not negative or older than the renewal period): {names}."
        ).format(names=", ".join(names))
    return _(
        "Minors take part in this session. No valid certificate of the sexual-offences register "
        "(missing, not negative or older than the renewal period): {names}."
    ).format(names=", ".join(names))


def show_uncertified(
    label: QLabel,
    services: Services,
    session_id: str | None,
    activity_id: str | None,
    day: dt.date | None,
    staff_ids: Iterable[str] = (),
    participant_ids: Iterable[str] = (),
) -> list[str]:
    """Name, in ``label``, the people scheduled without a valid certificate (hidden when none)."""
    names: list[str] = []
    if activity_id and day is not None and services.office.reads_people:
        names = services.volunteers.uncertified_in_session(
            session_id, activity_id, day, staff_ids, participant_ids
        )
    label.setText(uncertified_text(names) if names else "")
    label.setVisible(bool(names))
    return names


def show_uncertified_series(
    label: QLabel,
    services: Services,
    activity_id: str | None,
    days: Iterable[dt.date],
) -> list[str]:
    """Name, in ``label``, the activity's facilitators (whom a series of sessions schedules)
    without a valid certificate, when its sessions have minors. Checked on the series' first
    and last days: a certificate missing at the start, or out of date by the end."""
    days = sorted(days)
    names: set[str] = set()
    if activity_id and days and services.office.reads_people:
        staff_ids = services.programmes.activity(activity_id).facilitator_ids
        for day in {days[0], days[-1]}:
            names.update(
                services.volunteers.uncertified_in_session(None, activity_id, day, staff_ids)
            )
    ordered = sorted(names, key=str.lower)
    label.setText(uncertified_text(ordered, series=True) if ordered else "")
    label.setVisible(bool(ordered))
    return ordered


def confirm_scheduling(parent: Any, prompts: Prompts, names: list[str]) -> bool:
    """True when nobody is named, or the person goes on anyway."""
    if not names:
        return True
    return prompts.confirm(
        parent,
        _("Certificate of the sexual-offences register"),
        uncertified_text(names)
        + "\n\n"
        + _("The law requires it of anyone in habitual contact with minors. Go on anyway?"),
    )
