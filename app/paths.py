"""Where Teixit keeps its data and finds its resources.

There is exactly one override of the data folder: ``--data-dir`` on the command line or the
``TEIXIT_DATA_DIR`` environment variable (the option wins). Everything else derives from it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "TEIXIT_DATA_DIR"
DB_FILENAME = "teixit.db"

#: The source tree (or the frozen bundle's root): holds resources/ and i18n/.
ROOT = Path(__file__).resolve().parent.parent

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Apply ``--data-dir``; ``None`` falls back to the environment, then the platform default."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


_database: str | None = None


def set_database(address: str | None) -> None:
    """Apply ``--database``: an office database's address (postgresql://SERVER/DATABASE) or a
    SQLite file; ``None`` means the data folder's own file."""
    global _database
    _database = address or None


def database_address() -> str | None:
    return _database


def data_dir() -> Path:
    if _override is not None:
        return _override
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir("Teixit", appauthor=False, roaming=True))


def db_path() -> Path:
    return data_dir() / DB_FILENAME


def backups_dir() -> Path:
    return data_dir() / "backups"


def logs_dir() -> Path:
    """The log of unexpected errors (traceback and versions only, see app/error_log.py)."""
    return data_dir() / "logs"


def temp_dir() -> Path:
    """Temporary documents (a sheet opened in the PDF viewer), emptied when Teixit closes."""
    return data_dir() / "tmp"


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and its parents) if missing; the folder itself private to the user
    (0700 on POSIX), as it will hold personal data. An existing folder is left as it is."""
    if folder.exists():
        return
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)  # mkdir's mode is reduced by the umask


def resource_path(*parts: str) -> Path:
    return ROOT.joinpath("resources", *parts)


def i18n_dir() -> Path:
    return ROOT / "i18n"
