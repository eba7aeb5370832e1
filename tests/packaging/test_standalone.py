"""The stand-alone build runs as people get it: every command (and its --help) from the console
program, documents printed with the shipped fonts in Catalan, and the window opening every page
(offscreen). It ships compiled catalogues only and Babel's data for its own languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import subcommand_names
from ui.main_window import AREAS

pytestmark = pytest.mark.slow

#: The programs' file names end in .exe on Windows (the Windows CI runs these tests too).
EXE = ".exe" if sys.platform == "win32" else ""


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "TEIXIT_DATA_DIR": str(data), "LANGUAGE": "ca", "QT_QPA_PLATFORM": "offscreen",
            **extra}


def _run(bundle: Path, program: str, *args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / f"{program}{EXE}"), *args],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_ships_two_programs_compiled_catalogues_and_trimmed_locale_data(bundle: Path) -> None:
    assert (bundle / f"teixit{EXE}").is_file() and (bundle / f"teixit-cli{EXE}").is_file()
    internal = bundle / "_internal"
    assert not list(internal.rglob("*.po"))
    for lang in ("ca", "es", "ca-valencia"):
        assert (internal / "i18n" / lang / "LC_MESSAGES" / "messages.mo").is_file()
    for font in ("NotoSans-Regular.ttf", "LICENSE-Noto.txt", "LICENSE-DroidSansFallback.txt"):
        assert (internal / "resources" / "fonts" / font).is_file()
    locale_data = {p.stem for p in (internal / "babel" / "locale-data").glob("*.dat")}
    assert {"root", "ca", "ca_ES", "ca_ES_VALENCIA", "es", "es_ES", "en"} <= locale_data
    assert not {"de", "fr", "ja", "zh"} & locale_data
    assert {name.split("_")[0] for name in locale_data} == {"root", "ca", "es", "en"}


def test_every_command_answers_help(bundle: Path, tmp_path: Path) -> None:
    top = _run(bundle, "teixit-cli", "--help", data=tmp_path)
    assert top.returncode == 0, top.stderr
    assert "carpeta de les dades" in top.stdout  # the compiled Catalan catalogue
    for name in sorted(subcommand_names()):
        done = _run(bundle, "teixit-cli", name, "--help", data=tmp_path)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        assert f"teixit {name}" in done.stdout, name
    assert _run(bundle, "teixit-cli", data=tmp_path).returncode == 2  # no command: the help


def test_demo_sheet_report_backup_and_the_window(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = _run(bundle, "teixit-cli", "demo", data=data)
    assert demo.returncode == 0, demo.stderr
    assert (data / "teixit.db").is_file()

    sheet = tmp_path / "blank.pdf"
    done = _run(bundle, "teixit-cli", "sheet", "--blank", "-o", str(sheet), data=data)
    assert done.returncode == 0, done.stderr
    assert sheet.read_bytes().startswith(b"%PDF") and b"NotoSans" in sheet.read_bytes()

    report, xlsx = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    done = _run(
        bundle, "teixit-cli", "report", "--all", "-o", str(report), "--xlsx", str(xlsx), data=data
    )
    assert done.returncode == 0, done.stderr
    assert report.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")

    done = _run(bundle, "teixit-cli", "backup", data=data)
    assert done.returncode == 0, done.stderr
    assert list((data / "backups").iterdir())

    # The windowed program opens every page (the check the Windows CI runs too).
    smoke = tmp_path / "smoke.txt"
    window = subprocess.run(
        [str(bundle / f"teixit{EXE}")],
        env=_env(data, TEIXIT_SMOKE_TEST=str(smoke)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert window.returncode == 0, window.stderr + (smoke.read_text() if smoke.exists() else "")
    lines = smoke.read_text().splitlines()
    pages = len(AREAS)  # one line per page of the window, then the icon's
    assert len(lines) == pages + 1, lines
    assert all(line.startswith("ok ") for line in lines[:pages]), lines
    assert lines[-1] == "icon ok cat.teixit.Teixit"


def test_the_build_encrypts_and_seals_with_its_own_sqlcipher(bundle: Path, tmp_path: Path) -> None:
    """SQLCipher and the AES ZIP travel in the build: encrypt the demo, read it back with the
    passphrase, back it up, seal an export."""
    data = tmp_path / "data"
    secret = tmp_path / "passphrase"
    secret.write_text("Cavall bateria grapa 7\n", encoding="utf-8")
    assert _run(bundle, "teixit-cli", "demo", data=data).returncode == 0

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bundle / f"teixit-cli{EXE}"), *args],
            env=_env(
                data,
                TEIXIT_NEW_PASSPHRASE_FILE=str(secret),
                TEIXIT_PASSPHRASE_FILE=str(secret),
                TEIXIT_EXPORT_PASSPHRASE_FILE=str(secret),
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = run("encrypt")
    assert done.returncode == 0, done.stderr
    assert not (data / "teixit.db").read_bytes().startswith(b"SQLite format 3")
    people = run("list", "people")
    assert people.returncode == 0 and len(people.stdout.splitlines()) > 20, people.stderr
    assert run("backup").returncode == 0
    done = run("export", str(tmp_path / "dades.json"), "--encrypt")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "dades.json.zip").read_bytes().startswith(b"PK")
