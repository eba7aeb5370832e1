"""One voice in each catalogue, and one word per meaning.

Catalan and Valencian address the person as *vós* and Spanish as *usted* (docs/decisions.md,
"Languages"); Valencian follows the Catalan rules with its own forms (afig, guarda, obri…).
Commands follow each language's software convention: in Catalan the Softcatalà imperative
("Desa", "Suprimeix l'activitat seleccionada"), which reads as what the command does; in Spanish
the infinitive ("Guardar", "Eliminar la actividad seleccionada"). So:

- no translation uses the *tu*/*tú* forms that only address a person (vols, teu, quieres, tus…);
- a Catalan sentence (a message, a question, an instruction) starts no clause with a *tu*
  imperative ("Tria…", "…: escriu el nom…");
- a Spanish translation starts no clause with a *tú* imperative ("Elige…", "Borra…"), labels
  included: Spanish commands are infinitives;
- a short Catalan command label does not start with a *vós* imperative ("Deseu" on a button).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip() for w in text.split(","))


#: Forms that exist only to address one person as tu / tú (whole words, any case).
TU_ONLY = {
    "ca": _words(
        "vols, pots, tens, saps, has de, hauràs, podràs, vulguis, puguis, teu, teva,"
        "teus, teves, tu, et"
    ),
    "es": _words(
        "tú, tu, tus, te, ti, contigo, quieres, puedes, tienes, debes, sabes, has,"
        "estás, eres, vuelves, elígelo, elígela, escríbelo, escríbela, márcalo, márcala,"
        "guárdalo, guárdala, bórralo, bórrala, añádelo, ábrelo, pulsa, asegúrate,"
        "vuélvelo"
    ),
}
TU_ONLY["ca-valencia"] = TU_ONLY["ca"] | _words("vullgues, pugues, tingues, hauràs de")
#: Catalan: "no l'importis", "no oblidis" (the negative tu imperative); "assegura't", "marca-te".
CA_TU_PATTERNS = [r"\bno (?:\w+'|(?:ho|hi|el|la|els|les|en|ne) )?\w+is\b", r"\w+'t\b", r"\w+-te\b"]

#: Imperatives that, at the start of a clause of a message, can only address one person as tu/tú.
TU_IMPERATIVES = {
    "ca": _words(
        "tria, desa, escull, fes, escriu, marca, afegeix, comprova, obre, tanca,"
        "indica, omple, cerca, torna, prem, selecciona, introdueix, suprimeix, esborra,"
        "vés, ves, mira, posa, treu, restaura, importa, exporta, inscriu, crea, canvia,"
        "prova, demana, allibera, guarda, instal·la, elimina, assigna, signa, adapta,"
        "envia"
    ),
    "es": _words(
        "elige, escribe, marca, guarda, borra, añade, comprueba, pulsa, haz, abre,"
        "cierra, elimina, selecciona, introduce, indica, rellena, busca, vuelve, prueba,"
        "usa, quita, pon, crea, cambia, restaura, imprime, deshaz, escoge, inscribe,"
        "libera, instala, pide, asigna, adapta, envía, ve"
    ),
}
TU_IMPERATIVES["ca-valencia"] = TU_IMPERATIVES["ca"] | _words(
    "afig, obri, ompli, suprimix, llig, imprimix, ix, substituïx, trau"
)
#: Catalan vós imperatives that must not open a short command label (buttons, menus, tabs).
CA_VOS_IMPERATIVES = _words(
    "deseu, trieu, feu, suprimiu, esborreu, afegiu, aneu, marqueu, escriviu, obriu,"
    "tanqueu, cerqueu, importeu, exporteu, comproveu, ompliu, seleccioneu, indiqueu,"
    "torneu, imprimiu, restaureu, fusioneu, editeu, premeu, escolliu, creeu, traieu,"
    "desfeu, anul·leu, cancel·leu, proveu, mostreu, actualitzeu, comenceu, sortiu,"
    "purgueu, revoqueu, ometeu, prepareu, inscriviu"
)

#: The first word of each clause; a command quoted in a sentence («Desa») is not one.
CLAUSE_START = re.compile(r"(?:^|[.?!:;]\s+|\n)[\s(¿¡&]*([\w·]+)")
SENTENCE_ID = re.compile(r"[.?!]$|[.?!]\s|:\n|^\(")


def _is_sentence(msgid: str) -> bool:
    """A message addressed to the person, as opposed to a command label or a help fragment."""
    return bool(SENTENCE_ID.search(msgid.strip()))


def _is_short_label(msgid: str) -> bool:
    text = msgid.strip().lstrip("&")
    return bool(text[:1].isupper()) and not _is_sentence(msgid) and len(text.split()) <= 5


def _is_fragment(msgid: str) -> bool:
    """A lower-case help text of the command line ("write the PDF here"): descriptive."""
    return msgid[:1].islower() and not _is_sentence(msgid)


def voice_problems(lang: str, msgid: str, text: str) -> list[str]:
    out = []
    for word in TU_ONLY[lang]:
        if re.search(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text, re.IGNORECASE):
            out.append(f"«{word}» addresses the person as tu")
    catalan = lang.startswith("ca")
    if catalan:
        for pattern in CA_TU_PATTERNS:
            found = re.search(pattern, text, re.IGNORECASE)
            if found:
                out.append(f"«{found.group(0)}» addresses the person as tu")
    starts = [m.group(1) for m in CLAUSE_START.finditer(text)]
    check_start = _is_sentence(msgid) if catalan else not _is_fragment(msgid)
    if check_start:
        for first in starts:
            verb = re.split(r"[-'’]", first)[0].lower()
            if verb in TU_IMPERATIVES[lang]:
                out.append(f"«{first}» is a tu imperative")
    opening = starts[0].lower() if starts else ""
    if catalan and _is_short_label(msgid) and opening in CA_VOS_IMPERATIVES | {"guardeu"}:
        out.append(f"«{starts[0]}» on a command: commands use the Softcatalà imperative")
    return out


def _catalog(lang: str) -> Catalog:
    with (ROOT / "i18n" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang.replace("-", "@"))


@pytest.mark.parametrize("lang", ["ca", "es", "ca-valencia"])
def test_one_form_of_address(lang: str) -> None:
    problems = []
    for m in _catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            problems += [f"{ids[0]!r} → {s!r}: {p}" for p in voice_problems(lang, ids[0], s)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("lang", "msgid", "text"),
    [
        ("ca", "Delete this referral?", "Vols esborrar aquesta derivació?"),
        ("ca", "Choose a member of the team.", "Tria una persona de l'equip."),
        ("ca", "Attendee {row}: write the person's name.", "Assistent {row}: escriu el nom."),
        ("ca", "(ignore)", "(no l'importis)"),
        ("ca", "Save", "Deseu"),
        ("ca", "&Choose file…", "&Trieu el fitxer…"),
        ("ca", "Your data", "Les teves dades"),
        ("es", "Delete this referral?", "¿Quieres borrar esta derivación?"),
        ("es", "Delete the selected activity", "Borra la actividad seleccionada"),
        ("es", "Choose the kind of organisation.", "Elige el tipo de organización."),
        ("es", "Your data", "Tus datos"),
        ("ca-valencia", "Choose a member of the team.", "Afig una persona de l'equip."),
        ("ca-valencia", "Save", "Guardeu"),
        ("ca-valencia", "If you can…", "Si pugues…"),
    ],
)
def test_the_other_form_is_caught(lang: str, msgid: str, text: str) -> None:
    assert voice_problems(lang, msgid, text)


@pytest.mark.parametrize(
    ("lang", "msgid", "text"),
    [
        ("ca", "Save", "Desa"),
        ("ca", "&Choose file…", "&Tria el fitxer…"),
        ("ca", "Delete the selected activity", "Suprimeix l'activitat seleccionada"),
        ("ca", "Each mark is saved at once.", "Cada marca es desa a l'instant."),
        ("ca", "Choose a member of the team.", "Trieu una persona de l'equip."),
        ("ca", "write the PDF here", "escriu el PDF aquí"),
        ("ca", "Year", "Any"),
        ("es", "Save", "Guardar"),
        ("es", "Each mark is saved at once.", "Cada marca se guarda al instante."),
        ("es", "Choose a member of the team.", "Elija una persona del equipo."),
        ("es", "Delete this referral?", "¿Quiere eliminar esta derivación?"),
        ("es", "write the PDF here", "escribe el PDF aquí"),
        ("es", "Marked: {marked}", "Marcadas: {marked}"),
        ("ca-valencia", "Save", "Guarda"),
        ("ca-valencia", "Delete the selected activity", "Suprimix l'activitat seleccionada"),
        ("ca-valencia", "Choose a member of the team.", "Trieu una persona de l'equip."),
        ("ca-valencia", "write the PDF here", "escriu el PDF ací"),
    ],
)
def test_the_chosen_form_passes(lang: str, msgid: str, text: str) -> None:
    assert voice_problems(lang, msgid, text) == []


def _manage():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("manage", ROOT / "i18n" / "manage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogues_follow_the_terminology_list(capsys: pytest.CaptureFixture[str]) -> None:
    """`manage.py check` (completeness and terminology) passes on the catalogues."""
    assert _manage().check() == 0, capsys.readouterr().out


def test_a_forbidden_variant_is_reported() -> None:
    manage = _manage()
    terms = manage.load_terminology()
    assert {"delete (a record)", "place (a physical venue)", "Teixit (the application)"} <= {
        t["en"] for t in terms
    }
    catalog = Catalog(locale="ca")
    catalog.add("Delete meeting", "Esborra la reunió")
    catalog.add("Places", "Espais")
    catalog.add("Space", "Espai")
    catalog.add("About Teixit", "Quant al Teixit")
    problems = manage.terminology_problems("ca", catalog, terms)
    assert len(problems) == 3
    assert any("«Esborr»" in p for p in problems) and any("«Espai»" in p for p in problems)
    spanish = Catalog(locale="es")
    spanish.add("Delete meeting", "Eliminar la reunión")
    spanish.add("Everyone present", "Todo el mundo presente")
    assert len(manage.terminology_problems("es", spanish, terms)) == 1


def test_a_barcelona_form_in_the_valencian_catalogue_is_reported() -> None:
    """The Valencian catalogue keeps the AVL's standard forms: `check` catches Barcelona's."""
    manage = _manage()
    catalog = Catalog(locale="ca@valencia")
    catalog.add("Save", "Desa")
    catalog.add("Today", "Avui")
    catalog.add("This week", "Aquesta setmana")
    catalog.add("Print the sheet", "Imprimeix el full")
    catalog.add("Deactivated", "Desactivat")  # not «desa»: the whole word only
    catalog.add("Today, {date}", "Hui, {date}")
    problems = manage.terminology_problems("ca-valencia", catalog)
    flagged = {p.split(":", 1)[0].strip("'") for p in problems}
    assert flagged == {"Save", "Today", "This week", "Print the sheet"}, problems
    assert any("«Desa»" in p for p in problems) and any("«Avui»" in p for p in problems)


def test_the_valencian_draft_uses_the_standard_forms() -> None:
    """`manage.py valencian` drafts from Catalan with valencian.json: verbs in -ix, este, hui,
    eixir, meua/seua, l'últim, capitals kept."""
    manage = _manage()
    draft = manage.to_valencian
    assert draft("Desa i surt") == "Guarda i ix"
    assert draft("De&sa") == "&Guarda"  # the mnemonic is not part of the word
    assert draft("Aquesta sessió serveix avui") == "Esta sessió servix hui"
    assert draft("la seva fitxa, la meva entitat") == "la seua fitxa, la meua entitat"
    assert draft("Restaureu la darrera còpia un cop feta") == (
        "Restaureu l'última còpia una vegada feta"
    )
    assert draft("Si no es pugui llegir, afegeix-la aquí") == "Si no es puga llegir, afig-la ací"
