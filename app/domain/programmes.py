"""Programmes, their indicators and activities as the services hand them out, and their checks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.domain.figures import ALL_FIGURES, INDICATOR_KINDS
from app.domain.texts import Translations
from app.i18n import N_, _

ACTIVITY_KIND_LABELS = {
    "workshop": N_("Workshop or group"),
    "event": N_("Event"),
    "participatory_process": N_("Participatory process"),
    "self_organisation": N_("Self-organisation process"),
    "attention": N_("Referral or attention"),
    "other": N_("Other"),
}
ACTIVITY_KINDS: tuple[str, ...] = tuple(ACTIVITY_KIND_LABELS)
#: Each indicator kind in words: a computed one by its figure's label (one table, ALL_FIGURES).
INDICATOR_KIND_LABELS = {
    **{f.key: f.label for f in ALL_FIGURES if f.indicator},
    "manual": N_("Entered by hand"),
}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


#: The default programme categories (code, Catalan name, Spanish name): the five *prestacions*
#: of a municipal community-action service. The first migration seeds its own frozen copy.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("prevention", "Prevenció", "Prevención"),
    ("community_mediation", "Mediació comunitària", "Mediación comunitaria"),
    (
        "community_participation",
        "Intervenció i participació comunitària",
        "Intervención y participación comunitaria",
    ),
    (
        "community_animation",
        "Promoció de l'animació comunitària i la participació",
        "Promoción de la animación comunitaria y la participación",
    ),
    ("associationism", "Promoció de l'associacionisme", "Promoción del asociacionismo"),
)


@dataclass(frozen=True)
class IndicatorDTO:
    name: str
    kind: str = "manual"
    target: float | None = None
    manual_value: float | None = None
    id: str | None = None
    #: The name in the other document languages: (("name", "es", "…"),); None: unchanged.
    translations: Translations | None = None


@dataclass(frozen=True)
class ProgrammeDTO:
    code: str
    name: str
    category: str
    id: str | None = None
    description: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    responsible_staff_id: str | None = None
    objectives: tuple[str, ...] = ()
    funder_ids: tuple[str, ...] = ()
    indicators: tuple[IndicatorDTO, ...] = ()
    #: Filled by the service for lists: how many activities the programme has.
    activity_count: int = 0
    #: The programme's version when it was read (None: not checked, as for a new one).
    version: int | None = None
    #: Name, description and objectives in the other document language (app/domain/texts.py).
    translations: Translations | None = None
    #: Indirect beneficiaries the entity estimates (families reached...), None: not asked.
    indirect_beneficiaries: int | None = None


@dataclass(frozen=True)
class ActivityDTO:
    programme_id: str
    name: str
    kind: str = "workshop"
    id: str | None = None
    description: str = ""
    place_id: str | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    facilitator_ids: tuple[str, ...] = ()
    #: Filled by the service for lists.
    programme_code: str = ""
    enrolled: int = 0
    sessions: int = 0
    #: The activity's version when it was read (None: not checked, as for a new one).
    version: int | None = None
    #: Name and description in the other document language (app/domain/texts.py).
    translations: Translations | None = None

    def label(self) -> str:
        return f"{self.programme_code} · {self.name}" if self.programme_code else self.name


def validate_programme(p: ProgrammeDTO, categories: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _CODE.match(p.code.strip()):
        errors["code"] = _(
            "The code is short (up to 20 letters, digits, dots or dashes) and starts with a "
            "letter or digit."
        )
    if not p.name.strip():
        errors["name"] = _("The programme needs a name.")
    if p.category not in categories:
        errors["category"] = _("Choose a category from the list.")
    if p.start and p.end and p.end < p.start:
        errors["end"] = _("The end date cannot be before the start date.")
    if p.indirect_beneficiaries is not None and p.indirect_beneficiaries < 0:
        errors["indirect_beneficiaries"] = _("An estimate of people cannot be negative.")
    for ind in p.indicators:
        if not ind.name.strip():
            errors["indicators"] = _("Every indicator needs a name.")
        elif ind.kind not in INDICATOR_KINDS:
            errors["indicators"] = _("Choose how the indicator is measured.")
        elif ind.target is not None and ind.target < 0:
            errors["indicators"] = _("An indicator's target cannot be negative.")
    return errors


def validate_activity(a: ActivityDTO) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not a.name.strip():
        errors["name"] = _("The activity needs a name.")
    if a.kind not in ACTIVITY_KINDS:
        errors["kind"] = _("Choose the kind of activity.")
    if a.start_time and a.end_time and a.end_time <= a.start_time:
        errors["end_time"] = _("The end time must be after the start time.")
    return errors
