"""What the user reads when a document cannot be written: the one place that turns the
operating system's error into a sentence.

On Windows a PDF open in Acrobat or a workbook open in Excel is locked: saving over it fails with
``PermissionError`` ("Access is denied", or a sharing violation). That is the common case at a
municipal office, so it gets its own instruction rather than the raw system message.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from app.errors import UserError
from app.i18n import _

#: Windows error codes of a file another program holds open (sharing and lock violations).
_WINDOWS_LOCKED = {32, 33}


def is_locked(exc: OSError) -> bool:
    """Whether the failure is a file held by another program or a place one may not write to."""
    return isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in _WINDOWS_LOCKED


def cannot_write(path: str | os.PathLike[str], exc: OSError) -> UserError:
    """The translated error for a document that could not be written at ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError(
            _(
                "There is no room left on the disk to write {path}. Nothing was saved: free "
                "some space or choose another disk, and try again."
            ).format(path=Path(path))
        )
    if is_locked(exc):
        return UserError(
            _(
                "Teixit cannot write {path}: the file is open in another program, or this "
                "folder cannot be written to. Close the file in the other program and try "
                "again (or choose another folder)."
            ).format(path=Path(path))
        )
    return UserError(
        _("The file {path} could not be written ({reason}).").format(
            path=Path(path), reason=exc.strerror or exc
        )
    )
