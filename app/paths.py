"""Where Teixit keeps its data and finds its resources.

There is exactly one override of the data folder: ``--data-dir`` on the command line or the
``TEIXIT_DATA_DIR`` environment variable (the option wins). Everything else derives from it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

ENV_VAR = "TEIXIT_DATA_DIR"
DB_FILENAME = "teixit.db"
APP_NAME = "Teixit"

#: Where the code lives: the checkout, the frozen bundle's root, or site-packages.
CODE_ROOT = Path(__file__).resolve().parent.parent
_SHIPPED = Path(__file__).resolve().parent / "_shipped"
#: What holds resources/ and i18n/: inside the package when installed from a wheel (setup.py
#: puts them there, the catalogues compiled), else beside app/ (a checkout, the frozen bundle).
ROOT = _SHIPPED if _SHIPPED.is_dir() else CODE_ROOT

_override: Path | None = None
_default: Path | None = None


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
    global _default
    if _default is None:
        _default = _settled_default()
    return _default


def _settled_default() -> Path:
    """The default folder, after moving the data there from the old roaming folder; if the move
    fails, the old folder for this run (the move is tried again at the next start)."""
    new, old = default_data_dir(), roaming_data_dir()
    try:
        move_roaming_data(old, new)
    except OSError:
        if _has_content(old) and not _has_content(new):
            return old
    return new


def default_data_dir() -> Path:
    """The platform's local (never roaming) data folder: ``%LOCALAPPDATA%\\Teixit`` on Windows,
    ``~/.local/share/Teixit`` on Linux. A roaming profile would put the SQLite database (WAL
    mode: two more files written beside it) on a network share."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def roaming_data_dir() -> Path:
    """Where Teixit 0.1 kept the data (``%APPDATA%\\Teixit``; the same folder as
    :func:`default_data_dir` outside Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


def _has_content(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def move_roaming_data(old: Path, new: Path) -> bool:
    """Move the data once from the old roaming folder to the local one: only when ``old`` holds
    something and ``new`` is missing or empty. It is copied beside ``new`` first and renamed
    into place, so a copy cut short (a network share, a full disk) leaves the old data whole
    and is tried again at the next start. Returns whether it moved."""
    if old == new or not _has_content(old) or _has_content(new):
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    staging = new.with_name(f"{new.name}.moving")
    if staging.exists():
        shutil.rmtree(staging)  # an earlier copy cut short
    try:
        shutil.copytree(old, staging)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if new.exists():
        new.rmdir()  # empty (checked above)
    os.replace(staging, new)
    shutil.rmtree(old, ignore_errors=True)
    return True


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
