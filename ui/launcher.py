"""The ``teixit`` entry point: a subcommand goes to the headless CLI before any Qt import;
anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def _wants_cli(argv: Sequence[str]) -> bool:
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            return True
        if arg == "--data-dir":
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        from app.cli import subcommand_names

        return arg in subcommand_names()
    return False


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
