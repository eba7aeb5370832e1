"""``teixit office``: prepare an office database (PostgreSQL), move this computer's data into it,
and add or disable each person's login."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from app import paths
from app.commands import office_login
from app.errors import UserError
from app.i18n import _, format_number

if TYPE_CHECKING:
    from sqlalchemy import Connection

#: The roles a login can have (app.db.office.ROLES; the database layer is imported only when a
#: command runs, so the help stays light).
ROLE_NAMES = ("coordinator", "educator", "viewer")

NAMES = ("office",)


def register(sub: Any) -> None:
    office = sub.add_parser("office", help=_("prepare and manage an office database"))
    actions = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)

    def with_address(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--database",
            dest="office_database",
            metavar="ADDRESS",
            help=_("the office database (postgresql://SERVER/DATABASE)"),
        )

    p = actions.add_parser(
        "init",
        help=_("create the Teixit tables, roles and the first coordinator's login"),
    )
    with_address(p)
    p.add_argument(
        "--coordinator", required=True, metavar="NAME", help=_("the first coordinator's login")
    )
    p.set_defaults(func=run_init)

    p = actions.add_parser(
        "upgrade",
        help=_("bring the office database up to this version of Teixit, with its roles' rights"),
    )
    with_address(p)
    p.set_defaults(func=run_upgrade)

    p = actions.add_parser(
        "upload", help=_("move this computer's data into a new, empty office database")
    )
    with_address(p)
    p.set_defaults(func=run_upload)

    p = actions.add_parser("add-user", help=_("give a person their own login"))
    with_address(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, choices=ROLE_NAMES, help=_("what they may do"))
    p.set_defaults(func=run_add_user)

    p = actions.add_parser("disable-user", help=_("stop a person from logging in"))
    with_address(p)
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=run_disable_user)


def _address(args: argparse.Namespace) -> str:
    address = args.office_database or paths.database_address()
    if not address or not address.startswith(("postgresql:", "postgresql+", "postgres:")):
        raise UserError(
            _("Name the office database with --database postgresql://SERVER/DATABASE.")
        )
    return str(address)


def read_password(name: str) -> str:
    """Typed twice at a terminal; one line from the standard input otherwise (a script)."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(_("Password for {name}: ").format(name=name))
        again = getpass.getpass(_("The same password again: "))
        if first != again:
            raise UserError(_("The two passwords are different; nothing has been changed."))
        password = first
    else:
        password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if len(password) < 8:
        raise UserError(_("The password needs at least 8 characters."))
    return password


@contextlib.contextmanager
def _refusals(address: str) -> Iterator[None]:
    """The server's refusals in words (its own message goes to the details)."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from app.db.engine import unreachable

    try:
        yield
    except OperationalError as exc:
        raise unreachable(address, exc) from None
    except DBAPIError as exc:
        error = UserError(
            _(
                "The office database refused this: your login may not do it, or it does not "
                "fit what is there. Nothing has been changed. (The server says: {reason})"
            ).format(reason=str(getattr(exc, "orig", exc)).strip())
        )
        raise error from None


@contextlib.contextmanager
def _transaction(address: str) -> Iterator[Connection]:
    from app.db.engine import make_office_engine

    engine = make_office_engine(office_login(address))
    try:
        with _refusals(address), engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def run_init(args: argparse.Namespace) -> int:
    from app.db.engine import open_url
    from app.db.office import add_login, check_login_name, create_roles, grant_privileges

    address = _address(args)
    name = check_login_name(args.coordinator)
    password = read_password(name)
    with _refusals(address):
        open_url(office_login(address), create=True).close()
    with _transaction(address) as connection:
        create_roles(connection)
        grant_privileges(connection)
        add_login(connection, name, password, "coordinator")
    print(
        _("The office database is ready; {name} can log in as its coordinator.").format(
            name=name
        )
    )
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from app.db.engine import open_url
    from app.db.office import create_roles, grant_privileges

    address = _address(args)
    with _refusals(address):
        open_url(office_login(address), upgrade=True).close()
    with _transaction(address) as connection:
        create_roles(connection)
        grant_privileges(connection)
    print(_("The office database is up to date."))
    return 0


def run_upload(args: argparse.Namespace) -> int:
    from app.db.engine import open_database, open_url
    from app.db.lock import InstanceLock
    from app.db.office import upload

    address = _address(args)
    path = paths.db_path()
    with InstanceLock(path):
        local = open_database(path, backups=paths.backups_dir())
        try:
            with _refusals(address):
                office = open_url(office_login(address))
                try:
                    counts = upload(local.engine, office.engine)
                finally:
                    office.close()
        finally:
            local.close()
    print(
        _("{rows} records moved to the office database, every table checked.").format(
            rows=format_number(sum(counts.values()))
        )
    )
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from app.db.office import add_login, check_login_name

    address = _address(args)
    name = check_login_name(args.name)
    password = read_password(name)
    with _transaction(address) as connection:
        add_login(connection, name, password, args.role)
    print(_("{name} can now log in.").format(name=name))
    return 0


def run_disable_user(args: argparse.Namespace) -> int:
    from app.db.office import disable_login

    address = _address(args)
    with _transaction(address) as connection:
        disable_login(connection, args.name)
    print(_("{name} can no longer log in.").format(name=args.name))
    return 0
