"""The wheel (what pipx installs) carries the fonts, icons and compiled catalogues, the
migrations, a window entry point and a console one; installed, it prints documents in Catalan
with the shipped fonts. Builds the wheel from a copy of the checkout: slow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "*.mo", "demo-data", "out"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("teixit-*.whl")
    return built


def test_the_wheel_carries_resources_catalogues_and_entry_points(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = zf.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    shipped = "app/_shipped/"
    for font in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DroidSansFallbackFull.ttf"):
        assert f"{shipped}resources/fonts/{font}" in names
    for icon in ("home.svg", "settings.svg", "teixit.svg"):
        assert f"{shipped}resources/icons/{icon}" in names
    for lang in ("ca", "es", "ca-valencia"):
        assert f"{shipped}i18n/{lang}/LC_MESSAGES/messages.mo" in names
        # The user guide and its pictures (F1).
        assert f"{shipped}resources/help/{lang}/sessions.md" in names
        assert f"{shipped}resources/help/img/sessions-{lang}.png" in names
    assert not any(n.endswith(".po") for n in names)  # compiled at build time, not shipped
    assert "app/db/migrations/env.py" in names and "app/db/migrations/script.py.mako" in names
    assert any(n.startswith("app/db/migrations/versions/0001") for n in names)
    for module in ("app/commands/report.py", "ui/pages/settings_page.py", "ui/launcher.py"):
        assert module in names
    assert "[gui_scripts]\nteixit = ui.launcher:main" in entry_points
    assert "[console_scripts]\nteixit-cli = ui.launcher:cli" in entry_points


def test_installed_it_prints_in_catalan_with_its_fonts(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),  # ahead of the checkout the test virtualenv points at
        "TEIXIT_DATA_DIR": str(tmp_path / "data"),
        "LANGUAGE": "ca",
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "\n".join(code)],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    where = run("import app.paths as p", "print(p.__file__)", "print(p.ROOT)")
    code_file, root = where.stdout.split()
    assert Path(code_file).is_relative_to(target)
    assert Path(root) == target / "app" / "_shipped"

    helped = run("import sys", "from ui.launcher import cli", "sys.exit(cli(['--help']))")
    assert helped.returncode == 0, helped.stderr
    assert "carpeta de les dades" in helped.stdout  # the Catalan catalogue, compiled

    pdf = tmp_path / "full.pdf"
    printed = run(
        "import sys",
        "from ui.launcher import cli",
        f"sys.exit(cli(['sheet', '--blank', '-o', {str(pdf)!r}]))",
    )
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert b"NotoSans" in pdf.read_bytes()  # the shipped font, embedded
