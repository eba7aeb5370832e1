"""The stand-alone build (PyInstaller, packaging/teixit.spec), built once per test session and
shared by the tests of the build itself, the Debian package and the Windows installer script.
``TEIXIT_TEST_BUNDLE=dist/teixit`` reuses a folder built beforehand instead."""

from __future__ import annotations

import faulthandler
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("TEIXIT_TEST_BUNDLE")
    if given:
        return Path(given).resolve()
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller is not installed: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    # The build takes minutes by design: not a stuck test whose stacks should be printed.
    faulthandler.cancel_dump_traceback_later()
    started = time.monotonic()
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyinstaller"),
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "packaging" / "teixit.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    print(f"stand-alone build: {time.monotonic() - started:.0f} s")
    return work / "dist" / "teixit"
