"""Translations (gettext catalogues read with Babel) and locale-aware formatting.

``_()`` reads the interface language at call time, so a language switch applies to every string
built afterwards. Documents take their own language through :func:`translator`, which also knows
the bilingual ``ca+es`` form used on printed sheets and reports.

Valencian (``ca-valencia``) is a language of its own here: its own catalogue (the AVL's standard
forms), its own date patterns ("de 2026") and its bilingual documents with Spanish
(``ca-valencia+es``). Its catalogue lives in ``i18n/ca-valencia/`` and reads as gettext's
``ca@valencia``; Babel formats with ``ca_ES_VALENCIA``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import io
import locale
import os
from dataclasses import dataclass
from decimal import Decimal

from app.paths import i18n_dir

#: The interface and document languages; every language list and menu is built from this.
LANGUAGES: tuple[str, ...] = ("ca", "es", "ca-valencia")
DEFAULT_LANGUAGE = "ca"
LOCALES = {"ca": "ca_ES", "es": "es_ES", "ca-valencia": "ca_ES_VALENCIA"}
#: Each language's name in itself, for the menus that switch the interface language.
ENDONYMS = {"ca": "Català", "es": "Castellano", "ca-valencia": "Valencià"}
#: Date patterns a language writes its own way (Babel's are Barcelona's "del 2026"; Valencian
#: administrative style writes "de 2026").
DATE_PATTERNS = {
    "ca-valencia": {"full": "EEEE, d MMMM 'de' y", "long": "d MMMM 'de' y"},
}
DOMAIN = "messages"


def is_catalan(lang: str) -> bool:
    """Catalan or one of its standard forms (``ca``, ``ca-valencia``): the same grammar of
    articles before dates, the same co-official partner for bilingual documents."""
    return lang == "ca" or lang.startswith("ca-")


def catalogue_locale(lang: str) -> str:
    """The gettext name of a language's catalogue: ``ca-valencia`` is ``ca@valencia``."""
    return lang.replace("-", "@", 1)


_current = DEFAULT_LANGUAGE
_catalogues: dict[str, gettext.NullTranslations] = {}


def _load_catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled .mo when it is current, else the .po compiled in memory (a fresh checkout)."""
    folder = i18n_dir() / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if not po.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=catalogue_locale(lang))
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def catalogue(lang: str) -> gettext.NullTranslations:
    if lang not in _catalogues:
        _catalogues[lang] = (
            _load_catalogue(lang) if lang in LANGUAGES else gettext.NullTranslations()
        )
    return _catalogues[lang]


def document_languages() -> tuple[str, ...]:
    """The languages a document can be printed in: each language, then the bilingual forms
    (each form of Catalan with each other language: ``ca+es``, ``ca-valencia+es``)."""
    bilingual = tuple(
        f"{first}+{second}"
        for first in LANGUAGES
        if is_catalan(first)
        for second in LANGUAGES
        if not is_catalan(second)
    )
    return LANGUAGES + bilingual


#: The document languages when Teixit starts (command-line choices, stored options).
DOCUMENT_LANGUAGES: tuple[str, ...] = document_languages()


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def system_language() -> str:
    """The system's language when it is Catalan (Valencian with ``@valencia``) or Spanish,
    Catalan otherwise."""
    candidates = [os.environ.get(v, "") for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        for part in value.split(":"):
            code = part.strip().lower()[:2]
            if code == "ca" and "valencia" in part.lower() and "ca-valencia" in LANGUAGES:
                return "ca-valencia"
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


def _(message: str) -> str:
    return catalogue(_current).gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with ``_()`` or a translator."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalogue(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return catalogue(_current).pgettext(context, message)


_LANGUAGE_NAMES = {
    "ca": N_("Catalan"),
    "es": N_("Spanish"),
    "ca-valencia": N_("Valencian"),
    "ca+es": N_("Catalan and Spanish"),
    "ca-valencia+es": N_("Valencian and Spanish"),
}


def language_name(code: str) -> str:
    """A language (or a bilingual ``ca+es``) named in the interface language."""
    if code in _LANGUAGE_NAMES:
        return _(_LANGUAGE_NAMES[code])
    if "+" in code:
        first, second = (language_name(part) for part in code.split("+", 1))
        return _("{first} and {second}").format(first=first, second=second)
    from babel import core as babel_core  # Babel on first use: not for ``teixit --help``

    return babel_core.Locale.parse(code).get_language_name(LOCALES.get(_current, "ca_ES")) or code


def endonym(code: str) -> str:
    """A language named in itself ("Català"), so anyone finds their own in the menu."""
    if code in ENDONYMS:
        return ENDONYMS[code]
    from babel import core as babel_core

    name = babel_core.Locale.parse(code).get_language_name(code) or code
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Translator:
    """Strings and formats for one document language: ``ca``, ``es``, ``ca-valencia`` or a
    bilingual form (``ca+es``, ``ca-valencia+es``)."""

    lang: str

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.lang.split("+"))

    def _join(self, values: list[str]) -> str:
        unique: list[str] = []
        for v in values:
            if v not in unique:
                unique.append(v)
        return " / ".join(unique)

    def gettext(self, message: str) -> str:
        return self._join([catalogue(lang).gettext(message) for lang in self.languages])

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._join(
            [catalogue(lang).ngettext(singular, plural, n) for lang in self.languages]
        )

    def pgettext(self, context: str, message: str) -> str:
        return self._join([catalogue(lang).pgettext(context, message) for lang in self.languages])

    def date(self, value: dt.date, fmt: str = "long") -> str:
        return self._join([format_date(value, lang, fmt) for lang in self.languages])

    def number(self, value: float | int | Decimal, decimals: int | None = None) -> str:
        return format_number(value, self.languages[0], decimals)


def translator(lang: str) -> Translator:
    if lang not in document_languages():
        raise ValueError(f"unknown document language {lang!r}")
    return Translator(lang)


def format_date(value: dt.date, lang: str | None = None, fmt: str = "long") -> str:
    """``fmt``: full ("dimarts, 24 de novembre del 2026"; Valencian "… de 2026"), long, medium
    or short (24/11/2026)."""
    from babel import dates as babel_dates

    code = lang or _current
    loc = LOCALES.get(code, "ca_ES")
    if fmt == "short":
        return babel_dates.format_date(value, "dd/MM/yyyy", locale=loc)
    return babel_dates.format_date(value, DATE_PATTERNS.get(code, {}).get(fmt, fmt), locale=loc)


def format_time(value: dt.time) -> str:
    return value.strftime("%H:%M")


def format_time_range(start: dt.time | None, end: dt.time | None) -> str:
    """ "17:00 – 19:00"; the start alone when the end is not known; nothing without a start."""
    if start and end:
        return f"{format_time(start)} – {format_time(end)}"
    return format_time(start) if start else ""


def format_number(
    value: float | int | Decimal, lang: str | None = None, decimals: int | None = None
) -> str:
    from babel import numbers as babel_numbers

    loc = LOCALES.get(lang or _current, "ca_ES")
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=loc)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=loc)
