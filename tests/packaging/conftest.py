"""The stand-alone build (PyInstaller, packaging/teixit.spec), built once per test session and
shared by the tests of the build itself, the Debian package and the Windows installer script.
``TEIXIT_TEST_BUNDLE=dist/teixit`` reuses a folder built beforehand instead. When the tests are
spread over several workers, the first to get there builds and the others wait and reuse it."""

from __future__ import annotations

import faulthandler
import fcntl
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
    # The folder every worker of this run shares (the parent of each worker's own base).
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    work = shared / "pyinstaller"
    # The build takes minutes by design: not a stuck test whose stacks should be printed.
    faulthandler.cancel_dump_traceback_later()
    with open(shared / "pyinstaller.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = work / "dist" / "teixit"
        if not (work / "built").exists():
            shutil.rmtree(work, ignore_errors=True)
            _build(work)
            (work / "built").touch()
    return built


def _build(work: Path) -> None:
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
