"""Labels the report's PDF and spreadsheet share, in the document's language (ca, es, ca+es).
The figures' own labels and decimals are the one table ``FIGURES`` of app.domain.figures."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date as babel_format_date

from app.domain.figures import NOT_BUILDABLE, OUTSIDE_BANDS, UNKNOWN_BAND
from app.domain.programmes import ACTIVITY_KIND_LABELS
from app.domain.report import NOT_RECORDED, ReportData
from app.i18n import LOCALES, N_, Translator, format_date, is_catalan


def period_label(t: Translator, date_from: dt.date, date_to: dt.date) -> str:
    """ "From 1 January 2026 to 31 December 2026", each language whole when bilingual."""
    from app.reports.text import catalan_dates

    out = []
    for lang in t.languages:
        sentence = (
            Translator(lang)
            .gettext(N_("From {start} to {end}"))
            .format(
                start=format_date(date_from, lang, "long"), end=format_date(date_to, lang, "long")
            )
        )
        out.append(catalan_dates(sentence) if is_catalan(lang) else sentence)
    return " / ".join(out)


def programmes_label(t: Translator, data: ReportData, short: bool = False) -> str:
    """One programme by name; several by codes; the whole entity as such."""
    if data.request.programme_ids is None:
        return t.gettext(N_("All the entity's programmes"))
    if len(data.programmes) == 1:
        p = data.programmes[0]
        return p.code if short else f"{p.code} · {p.name}"
    return ", ".join(p.code for p in data.programmes)


def band_label(t: Translator, band: str) -> str:
    if band == UNKNOWN_BAND:
        return t.gettext(N_("Unknown age"))
    if band == OUTSIDE_BANDS:
        return t.gettext(N_("Other ages"))
    if band == NOT_BUILDABLE:
        return t.gettext(N_("Head counts in bands that do not fit these"))
    if band.endswith("+"):
        return t.gettext(N_("{age} or more")).format(age=band[:-1])
    return t.gettext(N_("{low} to {high}")).format(low=band.split("-")[0], high=band.split("-")[1])


def month_label(t: Translator, year: int, month: int, short: bool = False) -> str:
    fmt = "LLL yy" if short else "LLLL yyyy"
    day = dt.date(year, month, 1)
    return " / ".join(
        dict.fromkeys(
            babel_format_date(day, fmt, locale=LOCALES[lang]).rstrip(".").capitalize()
            for lang in (t.languages[:1] if short else t.languages)
        )
    )


def nationality_label(t: Translator, code: str) -> str:
    if code == NOT_RECORDED:
        return t.gettext(N_("Not recorded"))
    names = []
    for lang in t.languages:
        name = Locale.parse(LOCALES[lang]).territories.get(code, code)
        if name not in names:
            names.append(name)
    return " / ".join(names)


def activity_kind_label(t: Translator, kind: str) -> str:
    return t.gettext(ACTIVITY_KIND_LABELS.get(kind, ACTIVITY_KIND_LABELS["other"]))
