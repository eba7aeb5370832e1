"""Build the Debian package of the stand-alone Teixit (after ``pyinstaller packaging/teixit.spec``):

    python packaging/linux/build_deb.py [--bundle dist/teixit] [--out dist]

Installs the program under /opt/teixit, the links /usr/bin/teixit and /usr/bin/teixit-cli, the
desktop file, the AppStream metainfo and the icon in every size (hicolor). The user's data
(~/.local/share/Teixit) is never part of the package: removing it leaves the data alone. The
package needs the C library the bundle was built against (Depends: libc6 >= that version).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
APP_ID = "cat.teixit.Teixit"
#: System libraries the bundle leaves out (PyInstaller never bundles OpenGL/EGL; fontconfig
#: brings the system's font configuration).
DEPENDS = ("libegl1", "libgl1", "libfontconfig1")


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def glibc_needed(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any program or library in the bundle asks for."""
    found: set[tuple[int, ...]] = set()
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
            data = fh.read()
        for match in re.finditer(rb"GLIBC_(2\.[0-9]+(?:\.[0-9]+)?)\x00", data):
            found.add(tuple(int(p) for p in match.group(1).split(b".")))
    return ".".join(str(p) for p in max(found)) if found else "2.17"


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _copy_tree_readable(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` (symlinks kept), world-readable; return the size in bytes."""
    shutil.copytree(source, target, symlinks=True)
    size = 0
    for path in [target, *target.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)
        if path.is_file():
            size += path.stat().st_size
    return size


def build(bundle: Path, out: Path) -> Path:
    ver, arch = version(), architecture()
    glibc = glibc_needed(bundle)
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "pkg"
        size = _copy_tree_readable(bundle, pkg / "opt" / "teixit")
        usr = pkg / "usr"
        (usr / "bin").mkdir(parents=True)
        for name in ("teixit", "teixit-cli"):
            (usr / "bin" / name).symlink_to(f"/opt/teixit/{name}")
        for folder, name in (
            ("applications", f"{APP_ID}.desktop"),
            ("metainfo", f"{APP_ID}.metainfo.xml"),
        ):
            (usr / "share" / folder).mkdir(parents=True)
            shutil.copyfile(HERE / name, usr / "share" / folder / name)
        size += _copy_tree_readable(
            ROOT / "resources" / "icons" / "hicolor", usr / "share" / "icons" / "hicolor"
        )
        debian = pkg / "DEBIAN"
        debian.mkdir()
        depends = ", ".join([f"libc6 (>= {glibc})", *DEPENDS])
        (debian / "control").write_text(
            f"Package: teixit\n"
            f"Version: {ver}\n"
            f"Architecture: {arch}\n"
            f"Maintainer: Teixit maintainers <maintainers@teixit.invalid>\n"
            f"Installed-Size: {size // 1024}\n"
            f"Depends: {depends}\n"
            f"Section: misc\n"
            f"Priority: optional\n"
            f"Description: Offline tool for community-action teams\n"
            f" Programmes, activities and sessions with attendance, territorial networks with\n"
            f" minutes and agreements, attendance sheets to sign and justification reports\n"
            f" for funders, in Catalan or Spanish. Everything stays on the computer.\n",
            encoding="utf-8",
        )
        for path in [pkg, *pkg.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"teixit_{ver}_{arch}.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(pkg), str(target)],
            check=True,
            capture_output=True,
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "teixit")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    print(build(args.bundle, args.out))


if __name__ == "__main__":
    main()
