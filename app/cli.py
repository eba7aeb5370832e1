"""Headless commands (``teixit demo|export|import|sheet|minutes|report|backup|restore``).

Never imports Qt. Exit codes: 0 ok, 1 error (a clear message on stderr), 2 usage.
Each area's commands live in ``app/commands/<area>.py`` with a ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import i18n, paths
from app.errors import UserError
from app.i18n import _

#: Modules under app.commands, each adding its subcommands. Listed here so the parser is explicit.
COMMAND_MODULES = (
    "data",
    "sheets",
    "networks",
    "backups",
    "spreadsheets",
    "report",
    "data_protection",
    "office",
    "scans",
    "economics",
    "sync",
)

#: Each subcommand -> the module that adds it (each module's ``NAMES``; a test keeps them equal),
#: so a command line is recognised, and parsed, with only the chosen command's module imported.
COMMANDS: dict[str, str] = {
    "demo": "data",
    "export": "data",
    "import": "data",
    "sheet": "sheets",
    "minutes": "networks",
    "backup": "backups",
    "restore": "backups",
    "import-people": "spreadsheets",
    "import-attendance": "spreadsheets",
    "report": "report",
    "purge": "data_protection",
    "office": "office",
    "scan": "scans",
    "evidence": "scans",
    "expenses": "economics",
    "sync": "sync",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def subcommand_names() -> set[str]:
    return set(COMMANDS)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is not an option (nor ``--data-dir``'s or
    ``--database``'s value)."""
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--data-dir", "--database"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg
    return None


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"app.commands.{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with a known ``command``, only that command's module is imported and
    registered (the others would never parse anything of this command line)."""
    parser = _Parser(prog="teixit", description=_("Teixit: community action, offline."))
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("folder of the data (database DIR/teixit.db); also TEIXIT_DATA_DIR"),
    )
    parser.add_argument(
        "--database",
        metavar="ADDRESS",
        help=_(
            "the office database to use (postgresql://SERVER/DATABASE) instead of the data "
            "folder's file"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for mod in modules:
        _module(mod).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(i18n.system_language())
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    paths.set_database(args.database)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        result: int = args.func(args)
        return result
    except UserError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 1
    except Exception as exc:
        # Damage quick_check did not see at opening, met by a query: one sentence, not a trace.
        from app.db.engine import damaged_error, is_damage

        if not is_damage(exc):
            raise
        message = damaged_error(paths.db_path(), exc).message
        print(_("Error: {message}").format(message=message), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
