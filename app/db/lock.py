"""One running Teixit per database: an OS lock on a file beside it, released when the process
ends, even if it crashes (so a stale lock file never blocks the next start).

On POSIX a lock file can be deleted while it is held, and the next process would lock a new file
of the same name. So the database file itself is locked too (``flock``, which SQLite's own
``fcntl`` locks never meet): deleting ``teixit.db.lock`` no longer lets a second writer in. The
lock file says who holds it (the window or a command) so the refusal can name it. On Windows an
open file cannot be deleted, and a byte-range lock on the database would stop SQLite's own
reads, so the lock file alone is enough there.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO

from app.errors import UserError
from app.i18n import _
from app.paths import make_private_dir

WINDOW = "window"
COMMAND = "command"


class AlreadyRunning(UserError):
    pass


def _try_lock(fh: IO[bytes]) -> None:
    """Raise OSError when another process holds ``fh``'s file."""
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class InstanceLock:
    def __init__(self, db_file: Path, holder: str = COMMAND) -> None:
        self.db_file = db_file
        self.path = db_file.with_name(db_file.name + ".lock")
        self.holder = holder
        self._fh: IO[bytes] | None = None
        self._db_fh: IO[bytes] | None = None

    def _refused(self, holder: str) -> AlreadyRunning:
        if holder == WINDOW:
            message = _(
                "Teixit is already open with this data ({path}) in another window. Close the "
                "other window before opening it again."
            )
        elif holder == COMMAND:
            message = _(
                "A Teixit command is working on this data ({path}) right now. Wait for it to "
                "finish and try again."
            )
        else:
            message = _(
                "Teixit is already open with this data ({path}). Close the other window "
                "before opening it again."
            )
        return AlreadyRunning(message.format(path=self.path.parent))

    def _holder_named(self) -> str:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return self.path.read_text(encoding="utf-8").split(" ", 1)[0]
        return ""

    def acquire(self) -> None:
        make_private_dir(self.path.parent)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held for the life of the process
        try:
            _try_lock(fh)
        except OSError:
            fh.close()
            raise self._refused(self._holder_named()) from None
        self._fh = fh
        try:
            self.hold_database()
        except AlreadyRunning:
            self.release()
            raise
        fh.truncate(0)
        fh.write(f"{self.holder} {os.getpid()}\n".encode())
        fh.flush()

    def hold_database(self) -> None:
        """Lock the database file as it is now (again after a restore put a new file in its
        place). Nothing to do before the file exists, or on Windows."""
        if sys.platform == "win32" or not self.db_file.is_file():
            return
        if self._db_fh is not None:
            self._db_fh.close()
            self._db_fh = None
        fh = open(self.db_file, "rb")  # noqa: SIM115 - held with the lock
        try:
            _try_lock(fh)
        except OSError:
            fh.close()
            # The lock file was deleted under a running Teixit: its holder is unknown.
            raise self._refused("") from None
        self._db_fh = fh

    def release(self) -> None:
        for fh in (self._db_fh, self._fh):
            if fh is not None:
                fh.close()
        self._fh = self._db_fh = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
