"""Turning encryption on for a database that has none, a new key, a new passphrase.

The database must be closed and its instance lock held by the caller (the command line holds
it; the window closes its engine first). Converting writes an encrypted copy with SQLCipher's
``sqlcipher_export`` beside the file, proves it (``integrity_check`` and every table's rows as in
the plain file), writes the key file, and only then puts the copy in the file's place; the plain
file and its write-ahead log are overwritten with zeros and removed. Plain backups in the backups
folder are converted the same way, so no copy of the data stays readable.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from app.db import keys
from app.db.files import check_integrity, fsync_path, table_counts
from app.errors import UserError
from app.i18n import _

_CHUNK = 1 << 20


def scrub(path: Path) -> None:
    """Overwrite a file with zeros, flush it, and remove it (the plain copy after a
    conversion). On an SSD or a journalling file system old blocks may survive: see
    docs/data-protection.md."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            zeros = bytes(_CHUNK)
            done = 0
            while done < size:
                done += os.write(fd, zeros[: min(_CHUNK, size - done)])
            os.fsync(fd)
        finally:
            os.close(fd)
    with contextlib.suppress(OSError):
        path.unlink()


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _not_converted(path: Path, reason: object) -> UserError:
    return UserError(
        _(
            "The data in {path} could not be encrypted ({reason}). Nothing was changed: the "
            "data is as it was, not encrypted."
        ).format(path=path, reason=reason)
    )


def encrypted_copy(source: Path, target: Path, key: bytes) -> None:
    """Write ``target``, the plain database ``source`` encrypted with ``key``, and prove it
    (integrity and every table's row count); raises UserError and leaves no ``target``."""
    module = keys.cipher_module()
    for leftover in (target, *_sidecars(target)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        # SQLCipher reads a plain file when no key is given.
        con = module.connect(str(source))
        try:
            con.isolation_level = None
            con.execute("PRAGMA cipher_log_level = NONE").fetchall()
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            counts = table_counts(con)
            version = con.execute("PRAGMA user_version").fetchone()[0]
            con.execute(
                "ATTACH DATABASE ? AS encrypted KEY ?", (str(target), f"x'{key.hex()}'")
            )
            con.execute("SELECT sqlcipher_export('encrypted')").fetchall()
            con.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            con.execute("DETACH DATABASE encrypted")
        finally:
            con.close()
        check = keys.keyed_connection(str(target), key)
        try:
            problem = check_integrity(check)
            copied = table_counts(check)
        finally:
            check.close()
        if problem is None and copied != counts:
            problem = "the row counts differ"
        if problem is not None:
            raise _not_converted(source, problem)
        fsync_path(target)
    except (*keys.driver_errors(), OSError) as exc:  # type: ignore[misc]
        scrub(target)
        raise _not_converted(source, getattr(exc, "strerror", None) or exc) from exc
    except BaseException:
        scrub(target)
        raise


def _replace_with(path: Path, encrypted: Path) -> None:
    """Put ``encrypted`` in the place of the plain ``path``; overwrite and remove the plain
    file and its sidecars."""
    aside = path.with_name(path.name + ".plain")
    os.replace(path, aside)
    os.replace(encrypted, path)
    fsync_path(path.parent)
    scrub(aside)
    for sidecar in _sidecars(path):
        scrub(sidecar)


def encrypt_file(path: Path, key: bytes) -> None:
    """Encrypt the plain database file ``path`` in place with ``key`` (closed, locked)."""
    partial = path.with_name(path.name + ".encrypting")
    encrypted_copy(path, partial, key)
    _replace_with(path, partial)


def encrypt_database(
    path: Path, passphrase: str, *, backups: Iterable[Path] = ()
) -> tuple[bytes, str]:
    """Turn encryption on for the closed database ``path``: a new key and recovery key, the file
    converted in place, the key file written, plain backups in ``backups`` converted too.
    Returns (key, recovery key); the key is then the process's unlocked key."""
    if keys.is_encrypted(path):
        raise UserError(_("The data in {path} is already encrypted.").format(path=path))
    if not path.is_file() or path.stat().st_size == 0:
        raise UserError(_("There is no data to encrypt yet."))
    recovery = keys.new_recovery_key()
    key = keys.key_from_recovery(recovery)
    assert key is not None
    partial = path.with_name(path.name + ".encrypting")
    encrypted_copy(path, partial, key)
    try:
        keys.write_key_file(path, keys.WrappedKey.seal(key, passphrase))
    except OSError as exc:
        scrub(partial)
        raise _not_converted(path, exc.strerror or exc) from exc
    _replace_with(path, partial)
    keys.unlock(key)
    for backup in backups:
        if backup.is_file() and not keys.is_encrypted(backup) and backup.stat().st_size > 0:
            with contextlib.suppress(UserError):  # a damaged old backup stays as it was
                encrypt_file(backup, key)
    return key, recovery


def change_passphrase(path: Path, key: bytes, passphrase: str) -> None:
    """Seal the same key with a new passphrase (backups and the recovery key keep working)."""
    if not keys.key_opens(path, key):
        raise keys.wrong_key_error()
    old = keys.read_key_file(path)
    wrapped = keys.WrappedKey.seal(key, passphrase)
    keys.write_key_file(path, replace(wrapped, remembered=old is not None and old.remembered))


def rekey(path: Path, key: bytes, passphrase: str) -> tuple[bytes, str]:
    """A new key for the closed database (``PRAGMA rekey``, in place, no export), sealed with
    ``passphrase``; returns (new key, new recovery key). Backups taken before keep the old key
    (they open with the old recovery key). The keyring entry is updated when there was one."""
    recovery = keys.new_recovery_key()
    new_key = keys.key_from_recovery(recovery)
    assert new_key is not None
    remembered = keys.is_remembered(path)
    # The new key is sealed first, beside the old one (a stop half-way leaves both at hand).
    pending = keys.pending_key_file(path)
    keys.write_key_file(path, keys.WrappedKey.seal(new_key, passphrase), target=pending)
    con = keys.keyed_connection(str(path), key)
    try:
        con.execute(keys.key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey"))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        con.close()
    if not keys.key_opens(path, new_key):
        raise UserError(_("The new key could not be set. The data keeps its old key."))
    os.replace(pending, keys.key_file(path))
    if remembered:
        keys.remember_key(path, new_key)
    keys.unlock(new_key)
    return new_key, recovery
