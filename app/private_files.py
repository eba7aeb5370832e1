"""Writing a file that holds people's data, the one way: it exists only if its audit entry
committed, is private to the user, and is never left half written.

Each file is first written in full to a temporary name in its own folder (created 0600, flushed
to disk), then the caller commits its audit entry, then the temporary file is renamed over the
target. A failure at any step (a full disk, a refused audit entry, a cancelled job) deletes the
temporary files: no document with names exists that the audit log does not know of.

The rename replaces a symbolic link at the target instead of writing through it, and a target
that is read-only or not a regular file is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import UserError
from app.i18n import _
from app.writing import cannot_write


@dataclass(frozen=True)
class _Staged:
    target: Path
    temp: Path


def check_target(path: Path) -> None:
    """Refuse, with one translated sentence, a place a document cannot go."""
    if not path.name:
        raise UserError(_("Choose a file name for the document."))
    if not path.parent.is_dir():
        raise UserError(
            _("The folder {folder} does not exist; choose another place for {name}.").format(
                folder=path.parent, name=path.name
            )
        )
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    if stat.S_ISLNK(info.st_mode):
        return  # the link itself is replaced; what it points to is never written
    if not stat.S_ISREG(info.st_mode):
        raise UserError(
            _("{path} is not a regular file; choose another name for the document.").format(
                path=path
            )
        )
    if not os.access(path, os.W_OK):
        raise UserError(
            _("The file {path} is read-only; Teixit does not replace it. Choose another name.")
            .format(path=path)
        )


def _stage(path: Path, content: bytes) -> _Staged:
    check_target(path)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp creates it 0600
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise cannot_write(path, exc) from exc
    return _Staged(path, temp)


@contextlib.contextmanager
def private_output(files: Sequence[tuple[Path, bytes]]) -> Iterator[None]:
    """Stage every file, run the caller's block (its audit entry commits there), then put the
    files in place. An exception in the block, or any failure, leaves none of them."""
    staged: list[_Staged] = []
    try:
        for path, content in files:
            staged.append(_stage(Path(path), content))
        yield
        for item in staged:
            try:
                os.replace(item.temp, item.target)
            except OSError as exc:
                raise cannot_write(item.target, exc) from exc
    finally:
        for item in staged:
            item.temp.unlink(missing_ok=True)


def write_private(path: Path, content: bytes) -> None:
    """One file with no audit entry of its own (the caller records it after)."""
    with private_output([(path, content)]):
        pass


_tempdir_lock = threading.Lock()


@contextlib.contextmanager
def temporary_files_in(folder: Path) -> Iterator[None]:
    """Libraries that spill to temporary files while building a document (openpyxl writes each
    worksheet to one) put them in ``folder`` (the private data folder) instead of the system's
    shared temporary folder, where a killed export would leave a file of names behind."""
    with _tempdir_lock:
        before = tempfile.tempdir
        tempfile.tempdir = str(folder)
        try:
            yield
        finally:
            tempfile.tempdir = before
