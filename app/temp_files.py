"""The one registry of temporary files. They hold people's names (a sheet handed to the PDF
viewer), so they live in the private data folder (paths.temp_dir(), 0700; each file 0600) and
:func:`remove_all` deletes them when Teixit closes (the window connects it to the application's
``aboutToQuit``; ``atexit`` covers the command line). Whatever an earlier run left behind after a
crash goes with them: only one Teixit at a time uses a data folder.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from pathlib import Path

from app import paths

_registered: list[Path] = []


def write_private(data: bytes, suffix: str, prefix: str = "teixit-") -> Path:
    """Write ``data`` to a new private temporary file and register it for removal."""
    folder = paths.temp_dir()
    paths.make_private_dir(folder)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)  # mode 0600
    path = Path(name)
    _registered.append(path)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return path


def discard(path: Path) -> None:
    """Delete one file at once (nothing will read it: no viewer took it) and forget it."""
    with contextlib.suppress(OSError):
        path.unlink()
    if path in _registered:
        _registered.remove(path)


def registered() -> tuple[Path, ...]:
    return tuple(_registered)


def remove_all() -> None:
    """Delete every registered file and anything else left in the temporary folder. A file a
    viewer still holds open on Windows cannot be deleted: it goes at the next close."""
    folder = paths.temp_dir()
    leftovers = list(folder.iterdir()) if folder.is_dir() else []
    for path in [*_registered, *leftovers]:
        with contextlib.suppress(OSError):
            path.unlink()
    _registered.clear()
    with contextlib.suppress(OSError):
        folder.rmdir()


atexit.register(remove_all)
