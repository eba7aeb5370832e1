"""Teixit's name, version and the licences of what it ships (Help > About, the packages)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from app import paths

NAME = "Teixit"
#: The desktop-file and AppStream id; the window names it so desktops match it to its icon.
APP_ID = "cat.teixit.Teixit"
LICENCE = "GPL-3.0-or-later"

#: What the installed Teixit carries, with its licence (SPDX). The fonts' licence texts are in
#: resources/fonts, beside them.
BUNDLED: tuple[tuple[str, str], ...] = (
    ("Noto Sans, Noto Naskh Arabic (fonts)", "OFL-1.1"),
    ("Droid Sans Fallback (font)", "Apache-2.0"),
    ("Python", "PSF-2.0"),
    ("Qt, PySide6", "LGPL-3.0-only"),
    ("SQLAlchemy, Alembic", "MIT"),
    ("ReportLab", "BSD-3-Clause"),
    ("HarfBuzz, uharfbuzz", "MIT, Apache-2.0"),
    ("PDFium, pypdfium2", "BSD-3-Clause, Apache-2.0"),
    ("Babel", "BSD-3-Clause"),
    ("openpyxl", "MIT"),
    ("Pillow", "MIT-CMU"),
    ("segno", "BSD-3-Clause"),
    ("RapidFuzz", "MIT"),
    ("platformdirs", "MIT"),
    ("holidays", "MIT"),
    ("python-stdnum", "LGPL-2.1-or-later"),
)


def version() -> str:
    """The installed distribution's version; from a checkout without it, pyproject.toml's."""
    try:
        return metadata.version("teixit")
    except metadata.PackageNotFoundError:
        pass
    pyproject = paths.CODE_ROOT / "pyproject.toml"
    try:
        found = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "?"
    return str(found) if re.fullmatch(r"[0-9][0-9A-Za-z.+-]*", str(found)) else "?"
