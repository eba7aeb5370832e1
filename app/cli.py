"""Headless commands (``teixit demo|export|import|sheet|minutes|report|backup|restore|list``).

Never imports Qt. Exit codes: 0 ok, 1 error (a clear message on stderr), 2 usage.
Each area's commands live in ``app/commands/<area>.py`` with a ``register(subparsers)``.
The command line speaks the interface language throughout, argparse's own words included
("usage:", "options:", its error messages): see :func:`speak_argparse`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import i18n, paths
from app.errors import UserError
from app.i18n import N_, _, ngettext

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
    "lists",
    "volunteers",
    "security",
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
    "consent-form": "data_protection",
    "office": "office",
    "scan": "scans",
    "evidence": "scans",
    "expenses": "economics",
    "sync": "sync",
    "list": "lists",
    "volunteers": "volunteers",
    "encrypt": "security",
}

#: argparse's own messages (Python 3.11), translated in Teixit's catalogues like any other.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _argparse_plural(n: int) -> str:  # marks argparse's one plural message for extraction
    return ngettext("expected %s argument", "expected %s arguments", n)


def _argparse_gettext(message: str | None) -> str | None:
    return _(message) if message else message


def speak_argparse() -> None:
    """Make argparse say its own words (usage, options, errors) in the interface language:
    it looks up ``_`` and ``ngettext`` in its module each time it speaks."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


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
    speak_argparse()
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
        _ask_for_keys()
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


def _ask_for_keys() -> None:
    """An encrypted database met by the command asks for its key (app/commands/security.py)."""
    from app.db import keys

    def provide(path):  # type: ignore[no-untyped-def]
        from app.commands.security import command_line_key

        return command_line_key(path)

    keys.set_provider(provide)


if __name__ == "__main__":
    sys.exit(main())
