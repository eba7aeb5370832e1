"""Subcommands of ``teixit``, one module per area. Helpers shared by them live here."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.db.lock import InstanceLock
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import URL

    from app.db.engine import Database
    from app.services.container import Services


#: Passwords typed at the terminal during this command, by address.
_TYPED: dict[str, str] = {}


def office_login(address: str) -> URL:
    """An office address with its login's password: from the keyring, else PostgreSQL's own
    ``.pgpass``, else typed at the terminal (asked only when the server wants one). Never from
    the command line, where other users of the computer could read it."""
    import getpass
    import sys

    from sqlalchemy.exc import OperationalError

    from app.db.credentials import needs_password, with_stored_password
    from app.db.engine import display_address, make_office_engine, office_url, unreachable

    url = with_stored_password(office_url(address))
    if address in _TYPED:
        return url.set(password=_TYPED[address])
    shown = display_address(url)
    engine = make_office_engine(url)
    try:
        with engine.connect():
            return url
    except OperationalError as exc:
        if not needs_password(exc) or sys.stdin is None or not sys.stdin.isatty():
            raise unreachable(shown, exc) from None
    finally:
        engine.dispose()
    typed = getpass.getpass(
        _("Password of {user} for {address}: ").format(user=url.username or "", address=shown)
    )
    _TYPED[address] = typed  # asked once per command, however many connections it opens
    return url.set(password=typed)


@contextlib.contextmanager
def opened_database() -> Iterator[Database]:
    """The database of the data folder, locked against a running window for the command's life;
    or the office database named by ``--database`` (many people use it at once: no lock)."""
    # SQLAlchemy: only for a command that opens the data
    from app.db.engine import is_office_url, open_address, open_database

    address = paths.database_address()
    if address and is_office_url(address):
        db = open_address(office_login(address))
        try:
            yield db
        finally:
            db.close()
        return
    path = paths.db_path()
    if address:
        path = Path(address).expanduser()
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(InstanceLock(path))
            db = open_database(path, backups=paths.backups_dir())
        except OSError as exc:
            # Only opening is guarded: an error while the command writes its output is its own.
            raise UserError(folder_error_message(exc)) from None
        stack.callback(db.close)
        yield db


@contextlib.contextmanager
def opened_services() -> Iterator[Services]:
    """The services of the data folder's database, as the window has them (the same methods
    for the same work)."""
    from app.services.container import Services

    with opened_database() as db:
        yield Services(db)


def folder_error_message(exc: OSError) -> str:
    """The data folder cannot be created or written: which one, and what to do, in words."""
    return _(
        "Teixit cannot create or write its data in the folder {folder}. Check that the "
        "disk is connected and that you are allowed to write there, or start Teixit "
        "with another data folder (teixit --data-dir FOLDER).\n\nSystem message: "
        "{detail}"
    ).format(folder=paths.db_path().parent, detail=exc.strerror or exc)


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(
            _("“{value}” is not a date; write it as YYYY-MM-DD.").format(value=value)
        ) from None


def add_report_scope(parser: Any) -> None:
    """The options every report-shaped command shares: what (a programme or the whole entity),
    the period and the document language."""
    from app.i18n import DOCUMENT_LANGUAGES

    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--programme", metavar="CODE", help=_("the programme's code"))
    scope.add_argument(
        "--all", action="store_true", help=_("the report of the whole entity (every programme)")
    )
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", help=_("first day (YYYY-MM-DD)")
    )
    parser.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day (YYYY-MM-DD)"))
    parser.add_argument(
        "--lang",
        choices=DOCUMENT_LANGUAGES,
        default=None,
        help=_("language of the report (default: the entity's)"),
    )


def report_period(args: Any) -> tuple[dt.date, dt.date]:
    """The period of ``--from``/``--to``: by default the current calendar year; one end given,
    the calendar year of that end."""
    date_to = parse_date(args.date_to) if args.date_to else None
    year = date_to.year if date_to else dt.date.today().year
    date_from = parse_date(args.date_from) if args.date_from else dt.date(year, 1, 1)
    date_to = date_to or dt.date(date_from.year, 12, 31)
    if date_to < date_from:
        raise UserError(_("The period ends before it starts."))
    return date_from, date_to
