"""Names suggested when saving a document: in the interface's language, dated, and never the
name of a file already in the folder last used (a "-2", "-3" is added), so today's sheet does
not overwrite yesterday's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.services.report_output import slug

#: The folder a document was last saved in during this run (None: the file chooser's own).
_last_folder: Path | None = None


def remember_folder(saved: str | Path) -> None:
    """The folder of a file just saved: the next suggestion starts there."""
    global _last_folder
    _last_folder = Path(saved).parent


def last_folder() -> Path | None:
    return _last_folder


def suggest(kind: str, day: dt.date, subject: str = "", ext: str = "pdf") -> str:
    """``kind`` (already translated, e.g. "full-assistencia"), the date and the subject
    (an activity's name) as one file name; a full path when a folder was used before."""
    parts = [slug(kind, 60), day.isoformat()]
    if subject.strip():
        parts.append(slug(subject, 60))
    base = "-".join(parts)
    name = f"{base}.{ext}"
    folder = _last_folder
    if folder is None:
        return name
    number = 2
    while (folder / name).exists():
        name = f"{base}-{number}.{ext}"
        number += 1
    return str(folder / name)
