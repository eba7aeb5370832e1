"""The command line starts light: recognising a command imports only its module, and the
help needs neither SQLAlchemy nor Babel."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from ui.launcher import _wants_cli

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_of_commands_is_each_modules_names() -> None:
    declared: dict[str, str] = {}
    for mod in cli.COMMAND_MODULES:
        for name in importlib.import_module(f"app.commands.{mod}").NAMES:
            declared[name] = mod
    assert declared == cli.COMMANDS


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_help_imports_no_database_layer_nor_babel() -> None:
    loaded = _modules_after(
        "import contextlib, io, ui.launcher as l\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit): "
        "l.main(['--help'])"
    )
    assert "app.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "PySide6")}
    assert "app.db.engine" not in loaded
    if _catalogues_compiled():  # else Babel compiles the .po in memory, as it should
        assert not {m for m in loaded if m.split(".")[0] == "babel"}


def _catalogues_compiled() -> bool:
    for po in (ROOT / "i18n").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return False
    return True


def test_a_command_imports_only_its_own_module() -> None:
    loaded = _modules_after("import app.cli as c; c.build_parser('sheet')")
    commands = {m for m in loaded if m.startswith("app.commands.")}
    assert commands == {"app.commands.sheets"}
    assert "sqlalchemy" not in loaded


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["sheet", "--blank"], "sheet"),
        (["--data-dir", "report", "export", "x.json"], "export"),
        (["-h"], None),
        ([], None),
    ],
)
def test_the_chosen_command_skips_options(argv: list[str], command: str | None) -> None:
    assert cli.chosen_command(argv) == command


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["sheet", "--blank", "-o", "x.pdf"], True),
        (["--data-dir", "d", "--help"], True),
        (["--help", "nothing"], True),
        (["--data-dir", "d"], False),
        (["--lang", "es"], False),
        (["nothing", "--help"], False),
    ],
)
def test_the_launcher_sends_commands_and_help_to_the_command_line(
    argv: list[str], wanted: bool
) -> None:
    assert _wants_cli(argv) is wanted


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["nothing"])
    assert exc.value.code == 2
    assert "nothing" in capsys.readouterr().err


def test_the_window_modules_leave_holidays_and_rapidfuzz_for_first_use() -> None:
    loaded = _modules_after("import app.services.sessions, app.services.people")
    assert "holidays" not in loaded and "rapidfuzz" not in loaded
