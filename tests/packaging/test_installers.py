"""The Linux package and the Windows installer script, checked against the stand-alone build.

The Debian package is built from the build, validated (desktop-file-validate, appstreamcli),
installed and removed as root with dpkg, and run as a plain user in between: removal leaves the
user's data. The Inno Setup script cannot be compiled here (Windows only: the Windows CI does
it); what it names is checked against the build's output."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "windows" / "teixit.iss"
EXE = ".exe" if sys.platform == "win32" else ""
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_desktop_file_and_metainfo_validate() -> None:
    linux = ROOT / "packaging" / "linux"
    desktop = subprocess.run(
        ["desktop-file-validate", str(linux / "cat.teixit.Teixit.desktop")],
        capture_output=True,
        text=True,
    )
    assert desktop.returncode == 0 and desktop.stdout == "", desktop.stdout
    meta = linux / "cat.teixit.Teixit.metainfo.xml"
    appstream = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(meta)], capture_output=True, text=True
    )
    assert appstream.returncode == 0, appstream.stdout
    assert f'<release version="{VERSION}"' in meta.read_text()


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "linux" / "build_deb.py"),
         "--bundle", str(bundle), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


def test_the_package_holds_program_links_desktop_file_metainfo_and_icons(deb: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    assert "./opt/teixit/teixit\n" in listing and "./opt/teixit/teixit-cli\n" in listing
    assert "./usr/bin/teixit -> /opt/teixit/teixit" in listing
    assert "./usr/bin/teixit-cli -> /opt/teixit/teixit-cli" in listing
    assert "./usr/share/applications/cat.teixit.Teixit.desktop" in listing
    assert "./usr/share/metainfo/cat.teixit.Teixit.metainfo.xml" in listing
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        assert f"./usr/share/icons/hicolor/{size}x{size}/apps/cat.teixit.Teixit.png" in listing
    assert "./usr/share/icons/hicolor/scalable/apps/cat.teixit.Teixit.svg" in listing
    assert "Teixit/" not in listing.replace("/opt/teixit", "")  # no user data
    control = subprocess.run(
        ["dpkg-deb", "--field", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    assert f"Version: {VERSION}\n" in control
    glibc = re.search(r"libc6 \(>= (2\.[0-9]+)\)", control)
    assert glibc is not None, control
    print(f"the package needs glibc >= {glibc.group(1)}")


@pytest.fixture
def plain_user_home() -> Iterator[Path]:
    """A home folder for the unprivileged user 'nobody' (outside pytest's private tmp)."""
    home = Path(tempfile.mkdtemp(prefix="teixit-home-"))
    home.chmod(0o755)
    os.chown(home, 65534, 65534)
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("dpkg") is None,
    reason="installing a package needs root and dpkg",
)
def test_installs_runs_as_a_plain_user_and_removes_cleanly(
    deb: Path, plain_user_home: Path
) -> None:
    if subprocess.run(["dpkg", "-s", "teixit"], capture_output=True).returncode == 0:
        pytest.skip("a teixit package is already installed on this machine")
    installed = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    try:
        as_user = [
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
            "env", "-i", f"HOME={plain_user_home}", "PATH=/usr/bin:/bin",
            "QT_QPA_PLATFORM=offscreen", "LANGUAGE=ca",
        ]
        demo = subprocess.run(
            [*as_user, "teixit-cli", "demo"], capture_output=True, text=True, timeout=300
        )
        assert demo.returncode == 0, demo.stderr
        data = plain_user_home / ".local" / "share" / "Teixit"
        assert (data / "teixit.db").is_file()
        assert data.stat().st_uid == 65534
        smoke = plain_user_home / "smoke.txt"
        window = subprocess.run(
            [*as_user, f"TEIXIT_SMOKE_TEST={smoke}", "teixit"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert window.returncode == 0, window.stderr
        assert smoke.read_text().splitlines()[-1] == "icon ok cat.teixit.Teixit"
    finally:
        removed = subprocess.run(["dpkg", "-r", "teixit"], capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/teixit").exists()
    assert not Path("/usr/bin/teixit").exists() and not Path("/usr/bin/teixit-cli").exists()
    assert not Path("/usr/share/applications/cat.teixit.Teixit.desktop").exists()
    assert (plain_user_home / ".local" / "share" / "Teixit" / "teixit.db").is_file()


def _iss_sources() -> list[str]:
    text = ISS.read_text(encoding="utf-8")
    files = text.split("[Files]", 1)[1].split("\n[", 1)[0]
    return re.findall(r'^Source: "\{#Dist\}([^"]+)"', files, flags=re.M)


def test_the_windows_installer_script_names_what_the_build_makes(bundle: Path) -> None:
    text = ISS.read_text(encoding="utf-8")
    sources = _iss_sources()
    # Each named file exists in the build (Linux names lack Windows' .exe).
    def local(name: str) -> str:
        return name if EXE else name.removesuffix(".exe")

    covered: set[str] = set()
    for source in sources:
        name = local(source.replace("\\", "/"))
        if name.endswith("/*"):
            folder = bundle / name[:-2]
            assert folder.is_dir(), source
            covered.add(name[:-2])
        else:
            assert (bundle / name).is_file(), source
            covered.add(name)
    # ... and everything the build made is installed.
    assert {p.name for p in bundle.iterdir()} == covered
    # Shortcuts and the launch after installing point at the windowed program.
    for target in re.findall(r'Filename: "\{app\}\\([^"]+)"', text):
        assert (bundle / local(target)).is_file(), target
    assert re.search(r"^AppId=\{#AppId\}$", text, flags=re.M)
    assert re.search(r'^#define AppId "\{\{[0-9A-F-]{36}\}"$', text, flags=re.M)
    assert "PrivilegesRequired=lowest" in text
    assert "ArchitecturesInstallIn64BitMode=x64compatible" in text
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in text.split("[InstallDelete]")[1]
    assert all("ignoreversion" in line for line in text.splitlines() if line.startswith("Source:"))
    removed = [
        line for line in text.split("[UninstallDelete]")[1].splitlines() if line.startswith("Type:")
    ]
    assert removed and all('Name: "{app}\\' in line for line in removed)  # never the data
    assert "postinstall" in text and "SetupIconFile=" in text
    assert (ROOT / "resources" / "icons" / "teixit.ico").is_file()


def test_the_windows_installer_reads_the_version_from_pyproject() -> None:
    """The script's own rule (the line starting 'version = ' in pyproject.toml, characters 12 to
    the closing quote) gives pyproject's version."""
    lines = (ROOT / "pyproject.toml").read_text().splitlines()
    line = next(line for line in lines if line.startswith("version = "))
    assert line[11 : len(line) - 1] == VERSION  # Inno's Copy(line, 12, Len(line) - 12)
    assert "#define AppVersion Copy(VersionLine, 12, Len(VersionLine) - 12)" in ISS.read_text()
