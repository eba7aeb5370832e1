"""``teixit expenses import``: an expenses register kept in a spreadsheet (CSV or XLSX) into
the economics register, every row checked as in the window, all saved or none."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import opened_services
from app.i18n import _, ngettext

NAMES = ("expenses",)


def register(sub: Any) -> None:
    p = sub.add_parser("expenses", help=_("the expenses register of the economic report"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help=_("import expenses from a spreadsheet, CSV or XLSX (all rows or none)"),
        description=_(
            "Columns by their names: Data, Creditor, NIF, Número, Base, IVA, Línia, "
            "Data pagament, Tipus (factura or nòmina), Persona, Motiu, and one column "
            "“% Funder” per funder charged. At most 20 000 rows and 60 columns."
        ),
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument(
        "--programme",
        metavar="CODE",
        help=_("the programme of every row (else a Programme column gives each row's)"),
    )
    imp.add_argument(
        "--check", action="store_true", help=_("only read and check the rows; save nothing")
    )
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from app.domain.economics import euros

    with opened_services() as services:
        result, _changes = services.economics.import_expenses(
            args.file, args.programme, check_only=args.check
        )
    print(
        ngettext(
            "{count} expense, {amount} € in total.",
            "{count} expenses, {amount} € in total.",
            result.expenses,
        ).format(count=result.expenses, amount=euros(result.total))
    )
    for funder, cents in sorted(result.charged.items()):
        print(_("Charged to {funder}: {amount} €").format(funder=funder, amount=euros(cents)))
    if args.check:
        print(_("Checked: nothing saved. Run again without --check to import them."))
    else:
        print(_("Imported."))
    return 0
