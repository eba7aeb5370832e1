"""The log of unexpected errors (bugs), for whoever looks after Teixit.

What is written, on purpose: when, the versions, and for each exception of the chain its type and
its traceback frames (file, line, function and the line of source code). What is not: the
exception's message and the values of variables, which can hold a person's name, a note or a
path with the user's name; file paths are cut to the part inside Teixit or the library. The
same text is what the "something went wrong" dialog offers to copy.

The file is ``logs/teixit.log`` in the data folder, private like the rest of it (folder 0700,
file 0600), and bounded: past ``MAX_BYTES`` it is renamed ``teixit.log.1`` (replacing the
previous one) and a new one is started.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import traceback
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from types import TracebackType

from app import paths

LOG_NAME = "teixit.log"
MAX_BYTES = 256 * 1024


def log_path() -> Path:
    return paths.logs_dir() / LOG_NAME


def _short_path(filename: str) -> str:
    """The path inside Teixit or the library, never the user's home folder."""
    path = filename.replace("\\", "/")
    root = str(paths.CODE_ROOT).replace("\\", "/").rstrip("/") + "/"
    if path.startswith(root):
        return path[len(root) :]
    for marker in ("/site-packages/", "/dist-packages/", "/lib/python"):
        if marker in path:
            return path.rsplit(marker, 1)[1]
    return path.rsplit("/", 1)[-1]


def _version() -> str:
    try:
        return metadata.version("teixit")
    except metadata.PackageNotFoundError:
        return "?"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and the ones it was raised from or during, oldest first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return chain[::-1]


def describe(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    versions: Mapping[str, str] | None = None,
) -> str:
    """The report of one unexpected error: versions, then each exception's type and frames."""
    parts = {
        "Teixit": _version(),
        "Python": platform.python_version(),
        **(versions or {}),
        "System": f"{platform.system()} {platform.release()}",
    }
    lines = [" · ".join(f"{name} {value}" for name, value in parts.items())]
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    for i, link in enumerate(_chain(exc)):
        if i:
            lines.append("which led to:")
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(link.__traceback__):
            lines.append(
                f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
            )
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        kind = type(link)
        name = kind.__qualname__
        lines.append(name if kind.__module__ == "builtins" else f"{kind.__module__}.{name}")
    return "\n".join(lines)


def write(report: str) -> Path:
    """Append ``report`` to the log (private, bounded) and return the log's path."""
    folder = paths.logs_dir()
    paths.make_private_dir(folder)
    path = folder / LOG_NAME
    entry = f"--- {dt.datetime.now().astimezone().isoformat(timespec='seconds')}\n{report}\n"
    data = entry.encode("utf-8")
    if path.exists() and path.stat().st_size + len(data) > MAX_BYTES:
        os.replace(path, folder / f"{LOG_NAME}.1")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # the mode given to open() is reduced by the umask
        os.write(fd, data[-MAX_BYTES:])
    finally:
        os.close(fd)
    return path


__all__ = ["LOG_NAME", "MAX_BYTES", "describe", "log_path", "write"]
