"""The ``teixit`` entry point: a subcommand goes to the headless CLI before any Qt import;
anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def _wants_cli(argv: Sequence[str]) -> bool:
    from app.cli import chosen_command, subcommand_names

    args = list(argv)
    command = chosen_command(args)
    if command is not None:
        return command in subcommand_names() or _help_before(args, command)
    return any(arg in ("-h", "--help") for arg in args)


def _help_before(args: list[str], command: str) -> bool:
    """``teixit --help anything``: the help, as before (an option before the first word)."""
    return any(arg in ("-h", "--help") for arg in args[: args.index(command)])


#: The console program beside the windowed one (Windows' windowed program has no console:
#: what the command line prints would go nowhere).
CLI_NAME = "teixit-cli"


def cli(argv: Sequence[str] | None = None) -> int:
    """``teixit-cli``: the command line only (no subcommand prints the help)."""
    from app.cli import main as cli_main

    return cli_main(list(sys.argv[1:] if argv is None else argv))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The stand-alone build runs this module for both programs: the name tells which one.
    if getattr(sys, "frozen", False) and Path(sys.executable).stem.lower() == CLI_NAME:
        return cli(args)
    if _wants_cli(args):
        from app.cli import main as cli_main

        return cli_main(args)
    from ui.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
