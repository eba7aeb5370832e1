"""The ``teixit`` entry point: a subcommand goes to the headless CLI before any Qt import;
anything else opens the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _wants_cli(argv: Sequence[str]) -> bool:
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            return True
        if arg in ("--data-dir", "--database"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        from app.cli import subcommand_names

        return arg in subcommand_names()
    return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_cli(args):
        from app.cli import main as cli_main

        return cli_main(args)
    from ui.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
