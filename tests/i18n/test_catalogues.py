"""Both catalogues are complete and their placeholders match the English ids."""

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _manage():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("manage", ROOT / "i18n" / "manage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _key(msgid: object) -> str:
    return str(msgid[0] if isinstance(msgid, tuple) else msgid)


def test_every_message_in_the_code_is_translated(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Extract afresh (into a scratch template): every message must be translated in ca, es and
    ca-valencia."""
    manage = _manage()
    monkeypatch.setattr(manage, "POT", tmp_path / "messages.pot")
    in_code = {_key(m.id) for m in manage.extract() if m.id}
    assert len(in_code) > 20
    for lang in ("ca", "es", "ca-valencia"):
        with (ROOT / "i18n" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang.replace("-", "@"))
        translated = {
            _key(m.id)
            for m in catalog
            if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
        }
        missing = sorted(in_code - translated)
        assert not missing, f"{lang}: untranslated: {missing[:10]}"


@pytest.mark.parametrize("lang", ["ca", "es", "ca-valencia"])
def test_placeholders_match(lang: str) -> None:
    with (ROOT / "i18n" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang.replace("-", "@"))
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) <= expected | set(PLACEHOLDER.findall(ids[0])), (
                f"{lang}: placeholders differ in {m.id!r}"
            )
            assert s.count("{") == s.count("}"), f"{lang}: unbalanced braces in {m.id!r}"
