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

    p = actions.add_parser(
        "backup", help=_("write a verified backup of the office database (PostgreSQL's pg_dump)")
    )
    with_address(p)
    p.add_argument("--to", required=True, metavar="FILE", help=_("the backup file to write"))
    p.set_defaults(func=run_backup)

    p = actions.add_parser(
        "restore", help=_("restore a backup into a new, empty office database")
    )
    with_address(p)
    p.add_argument("file", metavar="FILE", help=_("the backup file (from teixit office backup)"))
    p.set_defaults(func=run_restore)

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


def _audit(address: str, action: str, subject: str, details: str) -> None:
    """The backup or restore in the office database's own audit log."""
    from app.db.engine import open_url
    from app.services import audit

    with _refusals(address):
        database = open_url(address)
        try:
            with database.begin() as s:
                audit.record(s, action, subject, details)
        finally:
            database.close()


def _failed(exc: UserError) -> int:
    """The sentence, then the program's or server's own words (for whoever helps)."""
    print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
    details = getattr(exc, "details", "")
    if details:
        print(details, file=sys.stderr)
    return 1


def run_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.db.office_backup import OfficeBackupError, backup

    address = _address(args)
    try:
        with _refusals(address):
            result = backup(address, Path(args.to))
    except OfficeBackupError as exc:
        return _failed(exc)
    _audit(address, "backup", result.path.name, str(result.path))
    print(
        _("Backup written and checked: {path} ({size} KB).").format(
            path=result.path, size=format_number(max(1, result.size // 1024))
        )
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.db import schema
    from app.db.office_backup import OfficeBackupError, restore

    address = _address(args)
    source = Path(args.file)
    try:
        with _refusals(address):
            revision = restore(address, source)
    except OfficeBackupError as exc:
        return _failed(exc)
    if revision != schema.HEAD:
        print(
            _(
                "The backup has been restored. It was made by an older version of Teixit: bring "
                "it up to date with teixit office upgrade --database ADDRESS."
            )
        )
        return 0
    _audit(address, "restore", source.name, str(source.absolute()))
    print(_("The backup has been restored into the office database."))
    return 0
