"""``teixit encrypt``: encryption at rest of the data folder's database (docs/data-protection.md).

A passphrase is never an argument (other users of the computer could read it in the process
list): it is typed at the terminal, or read from the file named by ``TEIXIT_PASSPHRASE_FILE``
(the current one) and ``TEIXIT_NEW_PASSPHRASE_FILE`` (a new one), for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from app import paths
from app.db import keys
from app.db.lock import InstanceLock
from app.errors import UserError
from app.i18n import _

NAMES = ("encrypt",)

PASSPHRASE_FILE = "TEIXIT_PASSPHRASE_FILE"
NEW_PASSPHRASE_FILE = "TEIXIT_NEW_PASSPHRASE_FILE"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "encrypt",
        help=_(
            "encrypt the database and its backups with a passphrase (a recovery key is shown "
            "once), or change the passphrase"
        ),
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--change-passphrase", action="store_true", help=_("give the data a new passphrase")
    )
    what.add_argument(
        "--new-key",
        action="store_true",
        help=_("re-encrypt the data with a new key and a new recovery key"),
    )
    what.add_argument(
        "--status", action="store_true", help=_("say whether the data is encrypted")
    )
    what.add_argument(
        "--forget", action="store_true", help=_("forget the key remembered on this computer")
    )
    p.add_argument(
        "--remember",
        action="store_true",
        help=_("remember the key on this computer (the system's keyring): no passphrase asked"),
    )
    p.add_argument(
        "--sheet",
        metavar="FILE.pdf",
        type=Path,
        help=_("write the recovery key's sheet to print and keep in the office safe"),
    )
    p.add_argument(
        "--lang", choices=("ca", "es", "ca-valencia"), help=_("language of the sheet")
    )
    p.set_defaults(func=run_encrypt)


def _read_secret_file(variable: str) -> str | None:
    name = os.environ.get(variable)
    if not name:
        return None
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            _("The passphrase file {path} cannot be read ({reason}).").format(
                path=name, reason=getattr(exc, "strerror", None) or exc
            )
        ) from None
    return text.rstrip("\r\n")


def _at_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _typed(prompt: str) -> str:
    return getpass.getpass(prompt)


def no_passphrase_error(path: Path) -> UserError:
    return keys.Locked(
        _(
            "The data in {path} is encrypted and no passphrase is at hand: run the command at a "
            "terminal to type it, name a file that holds it with TEIXIT_PASSPHRASE_FILE, or "
            "remember the key on this computer (teixit encrypt --remember)."
        ).format(path=path)
    )


def current_secret(path: Path) -> str:
    """The passphrase (or recovery key) of the data: from TEIXIT_PASSPHRASE_FILE, else typed."""
    secret = _read_secret_file(PASSPHRASE_FILE)
    if secret is not None:
        return secret
    if not _at_terminal():
        raise no_passphrase_error(path)
    return _typed(_("Passphrase or recovery key of the data: "))


def command_line_key(path: Path) -> bytes | None:
    """The key of an encrypted database met by a command: from the passphrase file named by
    TEIXIT_PASSPHRASE_FILE, else remembered on this computer, else typed at the terminal (three
    tries)."""
    db = paths.db_path()
    owner = db if keys.key_file(db).exists() or path == db else path
    from_file = _read_secret_file(PASSPHRASE_FILE)
    if from_file is not None:
        return keys.open_key(owner, from_file)
    remembered = keys.remembered_key(owner)
    if remembered is not None and keys.key_opens(path, remembered):
        return remembered
    if not _at_terminal():
        raise no_passphrase_error(path)
    for attempt in range(3):
        try:
            return keys.open_key(owner, _typed(_("Passphrase or recovery key of the data: ")))
        except keys.WrongKey as exc:
            if attempt == 2:
                raise
            print(exc.message, file=sys.stderr)
    return None


def _new_passphrase() -> str:
    from app.domain import passphrase as rules

    secret = _read_secret_file(NEW_PASSPHRASE_FILE)
    if secret is not None:
        problem = rules.problem(secret)
        if problem is not None:
            raise UserError(problem)
        return secret
    if not _at_terminal():
        raise UserError(
            _(
                "Type the new passphrase at a terminal, or name a file that holds it with "
                "TEIXIT_NEW_PASSPHRASE_FILE."
            )
        )
    while True:
        first = _typed(_("New passphrase (at least {count} characters): ").format(
            count=rules.MIN_LENGTH
        ))
        problem = rules.problem(first)
        if problem is not None:
            print(problem, file=sys.stderr)
            continue
        if _typed(_("The same passphrase again: ")) != first:
            print(_("The two passphrases differ; type them again."), file=sys.stderr)
            continue
        print(rules.hint(first))
        return first


def _show_recovery(recovery: str, args: argparse.Namespace) -> None:
    print(
        _(
            "Recovery key (shown only now: write it down or print its sheet, and keep it in the "
            "office safe; with it the data opens if the passphrase is lost):"
        )
    )
    print()
    print("    " + recovery)
    print()
    if args.sheet is not None:
        from app.services.security import write_recovery_sheet

        write_recovery_sheet(args.sheet, recovery, args.lang, paths.db_path())
        print(_("Recovery sheet written: {path}.").format(path=args.sheet))


def run_encrypt(args: argparse.Namespace) -> int:
    from app.db.engine import is_office_url
    from app.services.security import SecurityService

    address = paths.database_address()
    if address and is_office_url(address):
        raise UserError(
            _("An office database is protected on its server; teixit encrypt is for this "
              "computer's data.")
        )
    db = paths.db_path()
    service = SecurityService(db, paths.backups_dir())
    if args.status:
        if service.is_encrypted():
            print(_("The data in {path} is encrypted.").format(path=db))
            if service.is_remembered():
                print(_("Its key is remembered on this computer."))
        else:
            print(_("The data in {path} is not encrypted.").format(path=db))
        return 0
    if args.forget:
        service.set_remembered(False)
        print(_("The key is no longer remembered on this computer."))
        return 0
    with InstanceLock(db):
        if not service.is_encrypted():
            if args.change_passphrase or args.new_key:
                raise UserError(_("The data in {path} is not encrypted.").format(path=db))
            recovery = service.turn_on(_new_passphrase(), remember=args.remember)
            print(_("The data and its backups are now encrypted."))
            _show_recovery(recovery, args)
            return 0
        if args.change_passphrase:
            service.change_passphrase(current_secret(db), _new_passphrase())
            print(_("The passphrase has been changed."))
        elif args.new_key:
            recovery = service.new_key(current_secret(db), _new_passphrase())
            print(
                _(
                    "The data has a new key. Backups taken before open only with the old "
                    "recovery key."
                )
            )
            _show_recovery(recovery, args)
        elif args.remember:
            service.unlock(current_secret(db), remember=True)
            print(_("The key is remembered on this computer."))
        else:
            print(_("The data in {path} is already encrypted.").format(path=db))
    return 0


# --- Exports sealed with a passphrase (app/sealed.py) -------------------------------------------

EXPORT_PASSPHRASE_FILE = "TEIXIT_EXPORT_PASSPHRASE_FILE"


def add_encrypt_option(parser: Any) -> None:
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help=_(
            "encrypt the file with a passphrase (an AES-256 ZIP that 7-Zip and others open; "
            "recommended for files that leave this computer)"
        ),
    )


def import_passphrase() -> str:
    """The passphrase of a sealed file to read: from the file named by
    TEIXIT_EXPORT_PASSPHRASE_FILE, else typed once at the terminal."""
    secret = _read_secret_file(EXPORT_PASSPHRASE_FILE)
    if secret is not None:
        return secret
    if not _at_terminal():
        raise UserError(
            _(
                "The file is sealed with a passphrase: type it at a terminal, or name a file "
                "that holds it with TEIXIT_EXPORT_PASSPHRASE_FILE."
            )
        )
    return _typed(_("Passphrase of the sealed file: "))


def export_passphrase() -> str:
    """The passphrase of an encrypted export: from the file named by
    TEIXIT_EXPORT_PASSPHRASE_FILE, else typed twice at the terminal."""
    from app.domain import passphrase as rules

    secret = _read_secret_file(EXPORT_PASSPHRASE_FILE)
    if secret is None:
        if not _at_terminal():
            raise UserError(
                _(
                    "Type the passphrase of the encrypted file at a terminal, or name a file "
                    "that holds it with TEIXIT_EXPORT_PASSPHRASE_FILE."
                )
            )
        secret = _typed(_("Passphrase for the encrypted file: "))
        if _typed(_("The same passphrase again: ")) != secret:
            raise UserError(_("The two passphrases differ; type them again."))
    problem = rules.problem(secret)
    if problem is not None:
        raise UserError(problem)
    return secret
