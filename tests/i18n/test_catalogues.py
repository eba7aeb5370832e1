"""Both catalogues are complete and their placeholders match the English ids."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def test_template_is_current_and_catalogues_complete(tmp_path: Path) -> None:
    """Extract afresh: every message in the code must be translated in ca and es."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'i18n'); import manage; "
            "cat = manage.extract(); print('\\n'.join(str(m.id) for m in cat if m.id))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    in_code = {line for line in result.stdout.splitlines() if line}
    for lang in ("ca", "es"):
        with (ROOT / "i18n" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        translated = {
            str(m.id[0] if isinstance(m.id, tuple) else m.id)
            for m in catalog
            if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
        }
        missing = {m for m in in_code if m.split("', '")[0].strip("()'") not in translated}
        missing = {m for m in missing if not m.startswith("(")}  # plural ids checked below
        assert not missing, f"{lang}: untranslated: {sorted(missing)[:10]}"


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_placeholders_match(lang: str) -> None:
    with (ROOT / "i18n" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
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
