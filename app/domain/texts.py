"""The texts the user types that documents print, in each document language.

A record's own column keeps the text in the entity's language (its ``default_lang``); the
other languages' versions are rows of ``text_variant`` keyed by (table, row, field, language).
Valencian is a language of its own that falls back to Catalan (and Catalan to Valencian): both
are Catalan, so neither counts as missing for the other. Spanish and Catalan do: a document in
a language a text has no version in prints the entity's text and lists it as missing, so the
report dialog, the sheet dialog and ``teixit report`` say so before printing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.i18n import N_, _, is_catalan, language_name, ngettext

#: The tables and fields whose text a document prints and the user types.
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "entity_profile": (
        "name",
        "privacy_controller",
        "privacy_purpose",
        "privacy_legal_basis",
        "privacy_recipients",
        "privacy_rights_contact",
    ),
    "funder": ("name", "support_text"),
    "programme": ("name", "description", "objectives"),
    "indicator": ("name",),
    "activity": ("name", "description"),
    "report_narrative": ("text",),
}
#: The entity profile is one row: its texts' ``row_id``.
PROFILE_ROW = ""
#: Fields printed as paragraphs: a bilingual document prints one paragraph per language (the
#: data-protection notice is one paragraph: its parts join with " / ", as its labels do).
LONG_FIELDS = frozenset({"description", "objectives", "text"})

TABLE_LABELS = {
    "entity_profile": N_("the entity"),
    "funder": N_("funder {name}"),
    "programme": N_("programme {name}"),
    "indicator": N_("indicator {name}"),
    "activity": N_("activity {name}"),
    "report_narrative": N_("the report's text \u201c{name}\u201d"),
}
FIELD_LABELS = {
    "name": N_("name"),
    "description": N_("description"),
    "objectives": N_("objectives"),
    "support_text": N_("support text"),
    "privacy_controller": N_("data-protection controller"),
    "privacy_purpose": N_("data-protection purpose"),
    "privacy_legal_basis": N_("data-protection legal basis"),
    "privacy_recipients": N_("data-protection recipients"),
    "privacy_rights_contact": N_("data-protection rights contact"),
    "text": N_("text"),
}

Key = tuple[str, str, str]  # (table, row id, field)
#: (field, language, text): a record's other-language versions as its DTO carries them.
Translations = tuple[tuple[str, str, str], ...]


def languages_of(doc_lang: str) -> tuple[str, ...]:
    """The languages of a document language: ``ca+es`` is ("ca", "es")."""
    return tuple(doc_lang.split("+"))


def same_language(a: str, b: str) -> bool:
    """Catalan and Valencian stand for each other; any other pair is two languages."""
    return a == b or (is_catalan(a) and is_catalan(b))


def companion_language(main: str) -> str:
    """The other language the window offers beside the entity's: Spanish beside Catalan or
    Valencian, Catalan beside Spanish."""
    return "ca" if not is_catalan(main) else "es"


def translation(translations: Translations | None, name: str, lang: str) -> str:
    """One field's version in ``lang`` from a DTO's translations ("" when none)."""
    for f, language, text in translations or ():
        if f == name and language == lang:
            return text
    return ""


def with_translation(
    translations: Translations | None, name: str, lang: str, text: str
) -> Translations:
    """``translations`` with one field's version in ``lang`` set (or removed when empty)."""
    kept = tuple(t for t in translations or () if not (t[0] == name and t[1] == lang))
    # Sorted as the service reads them (by field and language): a form left as it was
    # compares equal to the record it showed.
    return tuple(sorted((*kept, (name, lang, text)))) if text.strip() else kept


@dataclass(frozen=True)
class MissingText:
    table: str
    row_id: str
    field: str
    #: The language with no version.
    lang: str
    #: What the text is, for the message: "programme ESPV".
    owner: str

    def label(self) -> str:
        what = _(TABLE_LABELS[self.table]).format(name=self.owner)
        return f"{what} ({_(FIELD_LABELS.get(self.field, self.field))})"


def _in_sentence(name: str) -> str:
    """A language's name inside a sentence: lower case in Catalan and Spanish ("en castellà")."""
    return name[:1].lower() + name[1:]


def missing_message(missing: Iterable[MissingText], main_lang: str, limit: int = 6) -> str:
    """The warning shown before printing: "3 texts have no Spanish version: …; they print in
    Catalan." (one sentence per language missing); "" when nothing is missing."""
    by_lang: dict[str, list[MissingText]] = {}
    for m in missing:
        by_lang.setdefault(m.lang, []).append(m)
    out = []
    for lang, items in by_lang.items():
        labels = list(dict.fromkeys(m.label() for m in items))
        shown = "; ".join(labels[:limit])
        if len(labels) > limit:
            shown += "; " + _("and {count} more").format(count=len(labels) - limit)
        out.append(
            ngettext(
                "{count} text has no {language} version: {texts}. The document prints it in "
                "{fallback}.",
                "{count} texts have no {language} version: {texts}. The document prints them "
                "in {fallback}.",
                len(labels),
            ).format(
                count=len(labels),
                language=_in_sentence(language_name(lang)),
                texts=shown,
                fallback=_in_sentence(language_name(main_lang)),
            )
        )
    return "\n".join(out)


@dataclass
class TextBook:
    """The other-language versions of the user's texts, read once for a document: ``text``
    gives a text in the document's language (both, for a bilingual one) and notes each one
    that falls back to the entity's language."""

    main_lang: str
    doc_lang: str
    variants: dict[Key, dict[str, str]] = field(default_factory=dict)
    missing: list[MissingText] = field(default_factory=list)

    def one(self, table: str, row_id: str, name: str, base: str, lang: str, owner: str) -> str:
        if not base.strip() or lang == self.main_lang:
            return base
        versions = self.variants.get((table, row_id, name), {})
        if versions.get(lang, "").strip():
            return versions[lang]
        if is_catalan(lang):
            other = "ca" if lang != "ca" else "ca-valencia"
            if versions.get(other, "").strip():
                return versions[other]
            if same_language(lang, self.main_lang):
                return base
        miss = MissingText(table, row_id, name, lang, owner)
        if miss not in self.missing:
            self.missing.append(miss)
        return base

    def text(self, table: str, row_id: str, name: str, base: str, owner: str = "") -> str:
        """``base`` (the column's text) in the document's language; a bilingual document gets
        both, joined by " / " or, for a paragraph, as two paragraphs."""
        values = [
            self.one(table, row_id, name, base, lang, owner) for lang in languages_of(self.doc_lang)
        ]
        unique = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        if not unique:
            return base
        return ("\n\n" if name in LONG_FIELDS else " / ").join(unique)

    def lines(
        self, table: str, row_id: str, name: str, base: list[str], owner: str = ""
    ) -> list[str]:
        """A list of lines (a programme's objectives) in the document's language(s): in a
        bilingual document each line with its other version when both have as many."""
        clean = [line for line in base if line.strip()]
        per_lang = [
            [
                line
                for line in self.one(table, row_id, name, "\n".join(clean), lang, owner).split("\n")
                if line.strip()
            ]
            for lang in languages_of(self.doc_lang)
        ]
        if len(per_lang) == 1 or per_lang[0] == per_lang[1]:
            return per_lang[0]
        if len(per_lang[0]) == len(per_lang[1]):
            return [" / ".join(dict.fromkeys(pair)) for pair in zip(*per_lang, strict=True)]
        return [line for lines in per_lang for line in lines]
