"""Catalogue upkeep: ``python i18n/manage.py extract|update|compile|check``.

extract: scan app/ and ui/ into messages.pot. update: merge the template into each catalogue
(ca/, es/, ca-valencia/: new entries empty, obsolete ones dropped, never fuzzy-matched).
compile: write the .mo files. check: list untranslated or fuzzy entries, and translations that
use a variant terminology.json forbids (one word per meaning; for Valencian also the forms the
AVL's standard replaces), and exit 1 if there are any.
fill FILE.json: set translations from {"msgid": {"ca": "...", "es": "...", "ca-valencia": "..."}}
(plural messages: {"ca": ["singular", "plural"], ...}), then check what is still missing.
valencian: a first Valencian draft of every empty ca-valencia entry, from the Catalan one with the
AVL's standard forms of valencian.json (servix, guarda, este, hui, eixir…), marked fuzzy: `check`
lists it until a person has read it and removed the mark (a PO editor's "needs work").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LANGS = ("ca", "es", "ca-valencia")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
POT = HERE / "messages.pot"
TERMINOLOGY = HERE / "terminology.json"
VALENCIAN = HERE / "valencian.json"
# Fixed header date and no source locations: catalogues change only when messages change.
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _write(path: Path, catalog: Catalog) -> None:
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, no_location=True, sort_output=True)


def po_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / "messages.po"


def gettext_locale(lang: str) -> str:
    """The catalogue's locale for Babel and gettext: ``ca-valencia`` is ``ca@valencia``."""
    return lang.replace("-", "@", 1)


def read_catalogue(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=gettext_locale(lang))


def extract() -> Catalog:
    catalog = Catalog(project="Teixit", charset="utf-8", creation_date=FIXED_DATE)
    for sub in ("app", "ui"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / sub,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
        ):
            path = f"{sub}/{filename}"
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    _write(POT, catalog)
    return catalog


def update() -> None:
    template = extract()
    for lang in LANGS:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            catalog = read_catalogue(lang)
        else:
            catalog = Catalog(locale=gettext_locale(lang), project="Teixit", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        # Two plural forms in every language (CLDR's rare third Catalan form is not needed).
        catalog._num_plurals = 2
        catalog._plural_expr = "(n != 1)"
        _write(path, catalog)


def compile_all() -> None:
    for lang in LANGS:
        catalog = read_catalogue(lang)
        with po_path(lang).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def problems(lang: str) -> list[str]:
    catalog = read_catalogue(lang)
    out = []
    for msg in catalog:
        if not msg.id:
            continue
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        if msg.fuzzy or not all(strings):
            out.append(str(msg.id))
    return out


def load_terminology(path: Path | None = None) -> list[dict]:
    return list(json.loads((path or TERMINOLOGY).read_text(encoding="utf-8"))["terms"])


def terminology_problems(
    lang: str, catalog: Catalog | None = None, terms: list[dict] | None = None
) -> list[str]:
    """Translations that use a variant the terminology list forbids for a term of their id."""
    if catalog is None:
        catalog = read_catalogue(lang)
    rules = []
    for term in terms if terms is not None else load_terminology():
        variants = term.get("forbidden", {}).get(lang, [])
        if not variants:
            continue
        match = re.compile(term["match"], re.IGNORECASE) if term.get("match") else None
        forbidden = re.compile(
            r"(?<!\w)(" + "|".join(_variant(v) for v in variants) + ")", re.IGNORECASE
        )
        rules.append((term, match, forbidden))
    out = []
    for msg in catalog:
        if not msg.id:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for term, match, forbidden in rules:
            if match and not any(match.search(i) for i in ids):
                continue
            for s in strings:
                found = forbidden.search(s or "")
                if found:
                    out.append(
                        f"{ids[0]!r}: «{found.group(0)}» where the terminology says "
                        f"«{term[lang]}» ({term['en']})"
                    )
    return out


def _variant(text: str) -> str:
    """A forbidden variant matches at the start of a word; a final ``$`` asks for the whole
    word ("desa$": not «desactivat»)."""
    if text.endswith("$"):
        return re.escape(text[:-1]) + r"(?!\w)"
    return re.escape(text)


def fill(source: Path) -> None:
    entries = json.loads(source.read_text(encoding="utf-8"))
    for lang in LANGS:
        catalog = read_catalogue(lang)
        for msg in catalog:
            key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
            if key in entries and lang in entries[key]:
                value = entries[key][lang]
                msg.string = tuple(value) if isinstance(value, list) else value
                msg.flags.discard("fuzzy")
        _write(po_path(lang), catalog)


def valencian_words(path: Path | None = None) -> dict[str, str]:
    """The phrases, then the words, of valencian.json: Catalan form -> Valencian form."""
    table = json.loads((path or VALENCIAN).read_text(encoding="utf-8"))
    return {**table.get("phrases", {}), **table["words"]}


def to_valencian(text: str, words: dict[str, str] | None = None) -> str:
    """The Catalan ``text`` with the AVL's standard forms of ``words`` (capitals kept); an
    entry of several words ("un cop") is a phrase, replaced before the single words."""
    table = words if words is not None else valencian_words()
    for phrase, new in ((k, v) for k, v in table.items() if " " in k):
        text = re.sub(
            rf"(?<!\w){re.escape(phrase)}(?!\w)",
            lambda m, new=new: new[:1].upper() + new[1:] if m.group(0)[:1].isupper() else new,
            text,
            flags=re.IGNORECASE,
        )

    def swap(m: re.Match[str]) -> str:
        marked = m.group(0)
        word = marked.replace("&", "")  # a menu's mnemonic ("De&sa") is not part of the word
        new = table.get(word.lower())
        if new is None:
            return marked
        if word.isupper() and len(word) > 1:
            new = new.upper()
        elif word[:1].isupper():
            new = new[:1].upper() + new[1:]
        return "&" + new if "&" in marked else new

    return re.sub(r"(?:&?[^\W\d_])+(?:·[^\W\d_]+)*", swap, text)


def valencian() -> None:
    """Draft every empty ca-valencia entry from its Catalan translation (marked fuzzy)."""
    catalan = {m.id: m.string for m in read_catalogue("ca") if m.id}
    catalog = read_catalogue("ca-valencia")
    words = valencian_words()
    drafted = 0
    for msg in catalog:
        if not msg.id or msg.id not in catalan:
            continue
        current = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        if all(current):
            continue
        source = catalan[msg.id]
        if isinstance(source, tuple):
            msg.string = tuple(to_valencian(s, words) for s in source)
        else:
            msg.string = to_valencian(source, words)
        msg.flags.add("fuzzy")
        drafted += 1
    _write(po_path("ca-valencia"), catalog)
    print(f"ca-valencia: {drafted} drafts from Catalan, marked fuzzy until reviewed")


def check() -> int:
    bad = 0
    for lang in LANGS:
        for msgid in problems(lang):
            print(f"{lang}: untranslated or fuzzy: {msgid!r}")
            bad += 1
        for problem in terminology_problems(lang):
            print(f"{lang}: terminology: {problem}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "extract":
        extract()
    elif cmd == "update":
        update()
    elif cmd == "compile":
        compile_all()
    elif cmd == "check":
        sys.exit(check())
    elif cmd == "valencian":
        valencian()
        sys.exit(check())
    elif cmd == "fill":
        fill(Path(sys.argv[2]))
        sys.exit(check())
    else:
        sys.exit(__doc__)
