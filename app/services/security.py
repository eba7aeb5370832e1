"""Encryption at rest of the data folder's database, for the window and the commands: whether
it is encrypted, unlocking it (passphrase, recovery key, or the key remembered on this computer),
turning encryption on, a new passphrase, a new key (app/db/keys.py, app/db/encryption.py).

Nothing here needs the database open; turning encryption on and a new key need it closed.
"""

from __future__ import annotations

from pathlib import Path

from app.db import encryption, keys
from app.db.engine import open_database
from app.db.keys import Locked, WrongKey
from app.domain import passphrase as rules
from app.domain.audit import ENCRYPTION_ON, NEW_KEY, NEW_PASSPHRASE
from app.errors import UserError
from app.services import audit

__all__ = ["Locked", "SecurityService", "WrongKey", "write_recovery_sheet"]


class SecurityService:
    def __init__(self, db_path: Path, backups_dir: Path) -> None:
        self.db_path = db_path
        self.backups_dir = backups_dir

    def is_encrypted(self) -> bool:
        """An encrypted database with its key file beside it (random first bytes alone are a
        foreign or damaged file, told as such when it is opened)."""
        return keys.is_encrypted(self.db_path) and keys.key_file(self.db_path).exists()

    def is_unlocked(self) -> bool:
        key = keys.current()
        return key is not None and keys.key_opens(self.db_path, key)

    def is_remembered(self) -> bool:
        return keys.is_remembered(self.db_path)

    def unlock_remembered(self) -> bool:
        """Unlock with the key this computer remembers; False when there is none that opens."""
        key = keys.remembered_key(self.db_path)
        if key is None or not keys.key_opens(self.db_path, key):
            return False
        keys.unlock(key)
        return True

    def unlock(self, secret: str, *, remember: bool | None = None) -> None:
        """Unlock with the passphrase or the recovery key (raises WrongKey). ``remember``: keep
        the key in this computer's keyring (True) or forget it (False)."""
        key = keys.open_key(self.db_path, secret)
        keys.unlock(key)
        if remember is not None:
            self.set_remembered(remember)

    def lock(self) -> None:
        keys.lock()

    def set_remembered(self, remember: bool) -> bool:
        """Remember the unlocked key on this computer, or forget it; False when there is no
        keyring to keep it."""
        if not remember:
            keys.forget_remembered_key(self.db_path)
            return True
        key = keys.current()
        if key is None:
            raise keys.locked_error(self.db_path)
        return keys.remember_key(self.db_path, key)

    def check_passphrase(self, text: str) -> None:
        problem = rules.problem(text)
        if problem is not None:
            raise UserError(problem)

    def turn_on(self, passphrase: str, *, remember: bool = False) -> str:
        """Encrypt the (closed) database and its backups; returns the recovery key, to be shown
        once."""
        self.check_passphrase(passphrase)
        _key, recovery = encryption.encrypt_database(
            self.db_path, passphrase, backups=sorted(self.backups_dir.glob("*.db"))
        )
        if remember:
            self.set_remembered(True)
        self._audit(ENCRYPTION_ON)
        return recovery

    def change_passphrase(self, secret: str, new: str) -> None:
        """A new passphrase, given the current one or the recovery key."""
        self.check_passphrase(new)
        key = keys.open_key(self.db_path, secret)
        encryption.change_passphrase(self.db_path, key, new)
        keys.unlock(key)
        self._audit(NEW_PASSPHRASE)

    def new_key(self, secret: str, new: str) -> str:
        """A new key for the (closed) database, sealed with ``new``; returns the new recovery
        key. Backups taken before open only with the old recovery key."""
        self.check_passphrase(new)
        key = keys.open_key(self.db_path, secret)
        _key, recovery = encryption.rekey(self.db_path, key, new)
        self._audit(NEW_KEY)
        return recovery

    def _audit(self, what: str) -> None:
        db = open_database(self.db_path, backups=self.backups_dir)
        try:
            with db.begin() as s:
                audit.record(s, "encryption", what, self.db_path.name)
        finally:
            db.close()


def write_recovery_sheet(path: Path, recovery: str, lang: str | None, db_path: Path) -> None:
    """The recovery key's sheet (PDF, private, written whole or not at all)."""
    import io

    from app.i18n import current_language
    from app.private_files import check_target, write_private
    from app.reports.recovery_sheet import build_recovery_sheet

    check_target(path)
    out = io.BytesIO()
    build_recovery_sheet(recovery, str(db_path.parent), lang or current_language(), out)
    write_private(path, out.getvalue())
