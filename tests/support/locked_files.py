"""A file held open by another program, as Windows reports it: Acrobat or Excel keep a document
they show locked, so opening it for writing, writing it or replacing it fails with
``PermissionError`` ("Access is denied", or a sharing violation: WinError 32)."""

from __future__ import annotations

import os
import pathlib
from pathlib import Path
from typing import Any

import pytest

MESSAGE = "The process cannot access the file because it is being used by another process"


def _denied(path: object) -> PermissionError:
    return PermissionError(13, MESSAGE, str(path))


def lock(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Make every way Teixit writes a document fail on ``locked`` as on Windows."""
    locked = Path(locked).resolve()
    real_replace, real_open, real_write_bytes = os.replace, os.open, pathlib.Path.write_bytes

    def is_locked(path: Any) -> bool:
        return Path(os.fspath(path)).resolve() == locked

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if is_locked(dst):
            raise _denied(dst)
        real_replace(src, dst, *args, **kwargs)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if is_locked(path) and flags & (os.O_WRONLY | os.O_RDWR):
            raise _denied(path)
        return real_open(path, flags, *args, **kwargs)

    def write_bytes(self: Path, data: Any) -> int:
        if is_locked(self):
            raise _denied(self)
        return real_write_bytes(self, data)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
