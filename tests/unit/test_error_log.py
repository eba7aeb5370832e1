"""The log of unexpected errors: the traceback and versions only, private and bounded."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from app import error_log


def _raise_chain() -> BaseException:
    secret = "Joan Puig, 12345678Z"
    try:
        try:
            {}[secret]
        except KeyError as exc:
            raise ValueError(f"cannot save {secret}") from exc
    except ValueError as exc:
        return exc
    raise AssertionError("unreachable")


def test_the_report_has_frames_and_types_but_no_messages_or_values() -> None:
    exc = _raise_chain()
    report = error_log.describe(type(exc), exc, exc.__traceback__, {"Qt": "6.x"})
    assert report.splitlines()[0].startswith("Teixit ") and "Qt 6.x" in report
    assert "KeyError" in report and report.splitlines()[-1] == "ValueError"
    assert "which led to:" in report and "in _raise_chain" in report
    assert 'File "tests/unit/test_error_log.py"' in report  # inside Teixit: no home folder
    assert "Joan" not in report and "12345678Z" not in report


def test_the_log_is_private_and_bounded(data_dir: Path) -> None:
    exc = _raise_chain()
    report = error_log.describe(type(exc), exc, exc.__traceback__)
    for _ in range(2 * error_log.MAX_BYTES // len(report) + 5):
        path = error_log.write(report)
    assert path == data_dir / "logs" / "teixit.log" == error_log.log_path()
    older = path.with_name("teixit.log.1")
    assert older.exists()
    for file in (path, older):
        assert file.stat().st_size <= error_log.MAX_BYTES
        assert report in file.read_text(encoding="utf-8")
        if sys.platform != "win32":
            assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["teixit.log", "teixit.log.1"]
