import datetime as dt

import pytest

from app import i18n


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANGUAGE": "es_ES:en"}, "es"),
        ({"LANG": "ca_ES.UTF-8"}, "ca"),
        ({"LANG": "fr_FR.UTF-8"}, "ca"),
        ({"LANG": "en_GB.UTF-8", "LANGUAGE": "en"}, "ca"),
        ({"LANG": "ca_ES.UTF-8@valencia"}, "ca-valencia"),
        ({"LANGUAGE": "ca@valencia:ca"}, "ca-valencia"),
    ],
)
def test_first_run_language_follows_the_system_when_catalan_or_spanish(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n.locale, "getlocale", lambda: (None, None))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert i18n.system_language() == expected


def test_strings_follow_the_language_at_call_time() -> None:
    i18n.set_language("es")
    assert i18n._("Settings") == "Configuración"
    i18n.set_language("ca")
    assert i18n._("Settings") == "Configuració"


def test_document_translator_is_independent_and_bilingual() -> None:
    i18n.set_language("es")
    assert i18n.translator("ca").gettext("Settings") == "Configuració"
    assert i18n.translator("ca+es").gettext("Settings") == "Configuració / Configuración"
    assert i18n.translator("ca+es").gettext("Teixit") == "Teixit"  # same in both: said once


def test_dates_in_words() -> None:
    day = dt.date(2026, 11, 24)
    assert i18n.format_date(day, "ca", "full") == "dimarts, 24 de novembre del 2026"
    assert i18n.format_date(day, "es", "full") == "martes, 24 de noviembre de 2026"
    assert i18n.format_date(day, "ca", "short") == "24/11/2026"
    assert i18n.format_number(12345.5, "es", 1) == "12.345,5"
    assert i18n.format_number(12345.5, "ca", 1) == "12.345,5"


def test_valencian_has_its_own_catalogue_and_dates() -> None:
    """Valencian: the AVL's standard forms, and dates in Valencian administrative style."""
    i18n.set_language("ca-valencia")
    assert i18n._("Save") == "Guarda"
    assert i18n._("&Quit") == "&Ix"
    assert i18n._("Settings") == "Configuració"
    day = dt.date(2026, 11, 24)
    assert i18n.format_date(day, "ca-valencia", "full") == "dimarts, 24 de novembre de 2026"
    assert i18n.format_date(dt.date(2026, 4, 1), "ca-valencia", "long") == "1 d’abril de 2026"
    assert i18n.format_date(day, "ca-valencia", "short") == "24/11/2026"
    both = i18n.translator("ca-valencia+es")
    assert both.gettext("Save") == "Guarda / Guardar"
    assert both.date(day) == "24 de novembre de 2026 / 24 de noviembre de 2026"
    assert i18n.language_name("ca-valencia+es") == "Valencià i castellà"
    assert i18n.endonym("ca-valencia") == "Valencià"
