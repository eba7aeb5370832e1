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
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def subcommand_names() -> set[str]:
    return {name for mod in COMMAND_MODULES for name in _module(mod).NAMES}


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"app.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
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
    for mod in COMMAND_MODULES:
        _module(mod).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    i18n.set_language(i18n.system_language())
    parser = build_parser()
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
