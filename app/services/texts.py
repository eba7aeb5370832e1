"""The other-language versions of the user's texts (table text_variant, app/domain/texts.py):
read for a document (``text_book``), read and written with the record they belong to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from app.db.base import natural_id
from app.db.engine import Database
from app.db.models import EntityProfile, TextVariant
from app.domain.changes import Area, Changes
from app.domain.texts import (
    PROFILE_ROW,
    TRANSLATABLE,
    Key,
    TextBook,
    Translations,
    companion_language,
    languages_of,
    same_language,
)
from app.i18n import LANGUAGES


def main_language(s: OrmSession) -> str:
    """The language the records' own columns are written in: the entity's."""
    lang = s.scalar(select(EntityProfile.default_lang).limit(1))
    return lang if lang in LANGUAGES else "ca"


def text_book(s: OrmSession, doc_lang: str) -> TextBook:
    """Every version in the document's languages (and Catalan's other form), read at once."""
    wanted = set(languages_of(doc_lang)) | {"ca", "ca-valencia"}
    variants: dict[Key, dict[str, str]] = {}
    q = select(
        TextVariant.table_name,
        TextVariant.row_id,
        TextVariant.field,
        TextVariant.lang,
        TextVariant.text,
    ).where(TextVariant.lang.in_(sorted(wanted)))
    for table, row_id, name, lang, text in s.execute(q):
        variants.setdefault((table, row_id, name), {})[lang] = text
    return TextBook(main_lang=main_language(s), doc_lang=doc_lang, variants=variants)


def translations_of(s: OrmSession, table: str, row_ids: Iterable[str]) -> dict[str, Translations]:
    """Each row's versions as a DTO carries them: (field, language, text), by field."""
    ids = list(row_ids)
    out: dict[str, list[tuple[str, str, str]]] = {}
    if not ids:
        return {}
    for start in range(0, len(ids), 500):
        q = (
            select(TextVariant.row_id, TextVariant.field, TextVariant.lang, TextVariant.text)
            .where(
                TextVariant.table_name == table, TextVariant.row_id.in_(ids[start : start + 500])
            )
            .order_by(TextVariant.field, TextVariant.lang)
        )
        for row_id, name, lang, text in s.execute(q):
            out.setdefault(row_id, []).append((name, lang, text))
    return {k: tuple(v) for k, v in out.items()}


def write_translations(
    s: OrmSession, table: str, row_id: str, translations: Translations | None
) -> None:
    """Set a row's versions to exactly ``translations`` (an empty text is no version);
    ``None`` leaves them as they are (a caller that does not edit them)."""
    if translations is None:
        return
    allowed = TRANSLATABLE[table]
    given = {
        (name, lang): text.strip()
        for name, lang, text in translations
        if name in allowed and lang in LANGUAGES and text.strip()
    }
    rows = {
        (r.field, r.lang): r
        for r in s.scalars(
            select(TextVariant).where(
                TextVariant.table_name == table, TextVariant.row_id == row_id
            )
        )
    }
    for key, row in rows.items():
        if key not in given:
            s.delete(row)
    for (name, lang), text in given.items():
        current = rows.get((name, lang))
        if current is None:
            s.add(
                TextVariant(
                    id=natural_id("text_variant", table, row_id, name, lang),
                    table_name=table,
                    row_id=row_id,
                    field=name,
                    lang=lang,
                    text=text,
                )
            )
        elif current.text != text:
            current.text = text


def forget_translations(s: OrmSession, table: str, row_ids: Iterable[str]) -> None:
    """Remove the versions of rows removed for good (a narrative, an indicator)."""
    ids = list(row_ids)
    if ids:
        s.execute(
            delete(TextVariant).where(TextVariant.table_name == table, TextVariant.row_id.in_(ids))
        )


class TextService:
    """For the window: which languages the paired fields hold, and the versions of the
    records that have no DTO of their own to carry them (the entity's data-protection notice
    is the profile's; a funder's are its DTO's)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def languages(self) -> tuple[str, str]:
        """(the entity's language, the other one the window offers beside it)."""
        with self._db.read() as s:
            main = main_language(s)
        return main, companion_language(main)

    def get(self, table: str, row_id: str = PROFILE_ROW) -> Translations:
        with self._db.read() as s:
            return translations_of(s, table, [row_id]).get(row_id, ())

    def save(self, table: str, row_id: str, translations: Translations) -> Changes:
        with self._db.begin() as s:
            write_translations(s, table, row_id, translations)
        return Changes.of(Area.PROFILE if table == "entity_profile" else Area.PROGRAMMES)

    def book(self, doc_lang: str) -> TextBook:
        with self._db.read() as s:
            return text_book(s, doc_lang)


def printed_entity(s: OrmSession, doc_lang: str) -> tuple[str, dict[str, str], TextBook]:
    """The entity's name and data-protection notice (as ``layout.privacy_notice`` takes it) in
    the document's language, and the book that says which had no version in it."""
    book = text_book(s, doc_lang)
    profile = s.scalar(select(EntityProfile).limit(1))
    if profile is None:
        return "", {}, book

    def printed(name: str) -> str:
        return book.text("entity_profile", PROFILE_ROW, name, getattr(profile, name) or "", "")

    entity = printed("name")
    notice = {
        "controller": printed("privacy_controller") or entity,
        "purpose": printed("privacy_purpose"),
        "legal_basis": printed("privacy_legal_basis"),
        "recipients": printed("privacy_recipients"),
        "rights_contact": printed("privacy_rights_contact"),
    }
    return entity, notice, book


def swap_main_language(s: OrmSession, old: str, new: str) -> None:
    """The entity's language changes from ``old`` to ``new`` (Catalan to Spanish...): each text
    with a version in ``new`` takes it into its own column, and the column's text becomes its
    ``old`` version. A text with no ``new`` version keeps its column (its ``old`` version is
    kept too, so the switch back finds it). Catalan to Valencian changes nothing."""
    if same_language(old, new):
        return
    models = _models()
    variants = list(s.scalars(select(TextVariant)))
    have = {(v.table_name, v.row_id, v.field, v.lang) for v in variants}
    for v in variants:
        if not same_language(v.lang, new) or v.table_name not in models:
            continue
        if v.lang != new and (v.table_name, v.row_id, v.field, new) in have:
            continue  # the exact language wins over the other form of Catalan
        row = _row(s, models[v.table_name], v.row_id)
        if row is None:
            continue
        current = getattr(row, v.field)
        base = "\n".join(current) if isinstance(current, list) else (current or "")
        setattr(row, v.field, v.text.split("\n") if isinstance(current, list) else v.text)
        s.delete(v)
        key = (v.table_name, v.row_id, v.field, old)
        if base.strip() and key not in have:
            s.add(
                TextVariant(
                    id=natural_id("text_variant", *key),
                    table_name=v.table_name,
                    row_id=v.row_id,
                    field=v.field,
                    lang=old,
                    text=base,
                )
            )
            have.add(key)


def _models() -> dict[str, Any]:
    from app.db.models import Activity, Funder, Indicator, Programme, ReportNarrative

    return {
        "entity_profile": EntityProfile,
        "funder": Funder,
        "programme": Programme,
        "indicator": Indicator,
        "activity": Activity,
        "report_narrative": ReportNarrative,
    }


def _row(s: OrmSession, model: Any, row_id: str) -> Any:
    if model is EntityProfile:
        return s.scalar(select(EntityProfile).limit(1))
    return s.get(model, row_id)
