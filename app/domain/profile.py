"""The entity's own data as the services hand it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.texts import Translations
from app.i18n import N_, _, is_catalan

#: The form of Catalan an entity of each region writes its documents in (Catalonia, the Valencian
#: Community).
REGION_LANGUAGES = {"CT": "ca", "VC": "ca-valencia"}


#: The image formats documents print (ReportLab through Pillow).
LOGO_FORMATS = ("PNG", "JPEG", "GIF")
#: A logo is a few hundred pixels wide; beyond this it is a decompression bomb, not a logo.
LOGO_MAX_PIXELS = 25_000_000


def logo_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be a logo (not a PNG, JPEG or GIF that decodes whole, or too many
    pixels), or None. The settings, the first-start dialog and an imported file ask this."""
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in LOGO_FORMATS:
                    return _("That file is not an image Teixit can read.")
                if image.width * image.height > LOGO_MAX_PIXELS:
                    return _("That image is too large for a logo.")
                image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return _("That file is not an image Teixit can read.")
    return None


def language_for_region(region: str, current: str) -> str:
    """The document language after choosing ``region``: a form of Catalan follows the region
    (Valencian for the Valencian Community); Spanish stays Spanish."""
    if is_catalan(current):
        return REGION_LANGUAGES.get(region, current)
    return current


def region_for_language(lang: str, current: str = "CT") -> str:
    """The region a language choice implies: Valencian is the Valencian Community's."""
    for region, language in REGION_LANGUAGES.items():
        if language == lang:
            return region
    return current


@dataclass(frozen=True)
class EntityProfileDTO:
    id: str
    name: str
    tax_id: str = ""
    address: str = ""
    logo: bytes | None = None
    default_lang: str = "ca"
    region: str = "CT"
    privacy_controller: str = ""
    privacy_purpose: str = ""
    privacy_legal_basis: str = ""
    privacy_recipients: str = ""
    privacy_rights_contact: str = ""
    #: The name and notice in the other document language (app/domain/texts.py).
    translations: Translations | None = None

    def privacy_notice(self) -> dict[str, str]:
        return {
            "controller": self.privacy_controller or self.name,
            "purpose": self.privacy_purpose,
            "legal_basis": self.privacy_legal_basis,
            "recipients": self.privacy_recipients,
            "rights_contact": self.privacy_rights_contact,
        }


#: The kinds of day of the entity's own calendar, with their labels.
LOCAL_DAY_KINDS = {"holiday": N_("Local holiday"), "school_break": N_("School break")}


@dataclass(frozen=True)
class LocalDayDTO:
    """A local holiday or a school break: days every series of sessions skips (the region's
    public holidays come from the ``holidays`` package; these the entity keeps itself)."""

    id: str
    name: str
    date_from: dt.date
    date_to: dt.date
    kind: str = "holiday"

    def days(self) -> list[dt.date]:
        count = (self.date_to - self.date_from).days + 1
        return [self.date_from + dt.timedelta(days=i) for i in range(max(count, 0))]


@dataclass(frozen=True)
class StaffDTO:
    id: str
    name: str
    role: str = ""
    email: str = ""
    active: bool = True
    #: The person's login on an office database (mediation cases are shown to those on them).
    login: str = ""


@dataclass(frozen=True)
class PlaceDTO:
    id: str
    name: str
    address: str = ""


@dataclass(frozen=True)
class FunderDTO:
    id: str
    name: str
    support_text: str = ""
    logo: bytes | None = None
    #: Name and support text in the other document language (app/domain/texts.py).
    translations: Translations | None = None


@dataclass(frozen=True)
class CategoryDTO:
    code: str
    name_ca: str
    name_es: str
    active: bool = True

    def label(self, lang: str) -> str:
        return self.name_es if lang == "es" else self.name_ca
