"""One running Teixit per database: an OS lock on a file beside it, released when the process
ends, even if it crashes (so a stale lock file never blocks the next start)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from app.errors import UserError
from app.i18n import _
from app.paths import make_private_dir


class AlreadyRunning(UserError):
    pass


class InstanceLock:
    def __init__(self, db_file: Path) -> None:
        self.path = db_file.with_name(db_file.name + ".lock")
        self._fh: IO[bytes] | None = None

    def acquire(self) -> None:
        make_private_dir(self.path.parent)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held for the life of the process
        try:
            if sys.platform == "win32":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise AlreadyRunning(
                _(
                    "Teixit is already open with this data ({path}). Close the other window "
                    "before opening it again."
                ).format(path=self.path.parent)
            ) from None
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
