"""Encryption at rest: the database key, how it is unlocked, and the connections that use it.

An encrypted database is a SQLCipher file (AES-256 pages with an HMAC each, the write-ahead log
too) opened with a random 256-bit key given raw (no key derivation at each opening). That key is
never typed and never stored in the clear on disk:

- it is derived from the **recovery key** (160 random bits, shown once as eight groups of four
  letters and digits to print and keep in the office safe), so the recovery key alone opens the
  database and every backup of it, on any computer;
- it is kept beside the database wrapped with the **passphrase** (``teixit.db.key``: scrypt,
  then AES-GCM), so the passphrase opens it on this computer, or wherever the key file goes;
- and, when the person asks, it is remembered in the operating system's keyring on this
  computer (then Teixit opens without asking, as long as the computer's account is unlocked).

Changing the passphrase wraps the same key again: backups and the recovery key go on working.
A new key (``rekey``) is for a key that may have been seen; it re-encrypts the file in place.

The process holds the unlocked key (``unlock``/``lock``); every connection to a file of this data
(the database, its copies and backups) asks ``connect`` here, which uses SQLCipher with the key
for an encrypted file and the standard ``sqlite3`` for a plain one.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_FORMAT = "teixit-key-1"
#: scrypt's cost: about a tenth of a second and 32 MiB on an office laptop, per guess.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_RECOVERY_BYTES = 20
_AAD = b"teixit database key v1"
#: The keyring entry that remembers a database's key on this computer.
KEYRING_SERVICE = "Teixit database key"


class Locked(UserError):
    """The data is encrypted and no passphrase, recovery key or remembered key is at hand."""


class WrongKey(UserError):
    """The passphrase or recovery key given does not open this data."""


def key_file(db: Path) -> Path:
    """The wrapped key beside the database: ``teixit.db.key``."""
    return db.with_name(db.name + ".key")


def is_encrypted(path: Path) -> bool:
    """True for a non-empty file that does not start as a plain SQLite file does (an encrypted
    file's first bytes are random)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return len(head) > 0 and head != SQLITE_HEADER


# --- Keys ---------------------------------------------------------------------------------------


def new_recovery_key() -> str:
    """A new recovery key, as people copy it: ``ABCD-EFGH-…`` (eight groups of four)."""
    text = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _recovery_bytes(text: str) -> bytes | None:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    # Digits that look like letters (base 32 has no 0, 1 or 8).
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != _RECOVERY_BYTES * 8 // 5:
        return None
    try:
        return base64.b32decode(cleaned)
    except ValueError:
        return None


def is_recovery_key(text: str) -> bool:
    """Whether ``text`` has the shape of a recovery key (spaces, dashes and case ignored)."""
    return _recovery_bytes(text) is not None


def key_from_recovery(text: str) -> bytes | None:
    """The database key a recovery key stands for (None when it is not one)."""
    raw = _recovery_bytes(text)
    if raw is None:
        return None
    return hmac.new(raw, _AAD, hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    """A short name of a key that does not reveal it (to match a key file with a key)."""
    return hashlib.sha256(b"teixit key id" + key).hexdigest()[:16]


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**27, dklen=32
    )


@dataclass(frozen=True)
class WrappedKey:
    """The database key sealed with a passphrase (what ``teixit.db.key`` holds)."""

    key_id: str
    salt: bytes
    nonce: bytes
    sealed: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    #: The key was put in a keyring (so the keyring, slow to load, is looked at only then).
    remembered: bool = False

    @classmethod
    def seal(cls, key: bytes, passphrase: str) -> WrappedKey:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = _kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return cls(key_id(key), salt, nonce, AESGCM(kek).encrypt(nonce, key, _AAD))

    def open(self, passphrase: str) -> bytes | None:
        """The key, or None when the passphrase is not the one it was sealed with."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        kek = _kek(passphrase, self.salt, self.n, self.r, self.p)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.sealed, _AAD)
        except InvalidTag:
            return None

    def to_json(self) -> str:
        def b64(value: bytes) -> str:
            return base64.b64encode(value).decode("ascii")
        data = {
            "format": KEY_FORMAT,
            "cipher": "sqlcipher4, raw 256-bit key",
            "key_id": self.key_id,
            "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p},
            "salt": b64(self.salt),
            "nonce": b64(self.nonce),
            "sealed": b64(self.sealed),
            "remembered": self.remembered,
        }
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        data = json.loads(text)
        if data.get("format") != KEY_FORMAT:
            raise ValueError("not a Teixit key file")
        kdf = data["kdf"]
        return cls(
            str(data["key_id"]),
            base64.b64decode(data["salt"]),
            base64.b64decode(data["nonce"]),
            base64.b64decode(data["sealed"]),
            int(kdf["n"]),
            int(kdf["r"]),
            int(kdf["p"]),
            bool(data.get("remembered", False)),
        )


def pending_key_file(db: Path) -> Path:
    """A new key sealed while the database is being re-keyed (``teixit.db.key.new``)."""
    return db.with_name(db.name + ".key.new")


def read_key_file(db: Path, source: Path | None = None) -> WrappedKey | None:
    """The wrapped key beside ``db`` (None when there is none or it cannot be read)."""
    try:
        return WrappedKey.from_json((source or key_file(db)).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_key_file(db: Path, wrapped: WrappedKey, target: Path | None = None) -> None:
    """Write the key file beside ``db`` whole or not at all (private, flushed, renamed)."""
    target = target or key_file(db)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, wrapped.to_json().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, target)


# --- Remembered on this computer ----------------------------------------------------------------


def _keyring_name(db: Path) -> str:
    return str(Path(db).resolve())


def remembered_key(db: Path) -> bytes | None:
    """The key this computer's keyring remembers for ``db`` (None when none, or no keyring)."""
    wrapped = read_key_file(db)
    if wrapped is None or not wrapped.remembered:
        return None  # the keyring (a few tenths of a second to load) is not even looked at
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, _keyring_name(db))
        return bytes.fromhex(stored) if stored else None
    except Exception:  # no keyring on this system, a locked one, a malformed entry
        return None


def remember_key(db: Path, key: bytes) -> bool:
    """Remember ``key`` in the keyring; False when this computer has no keyring to keep it."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _keyring_name(db), key.hex())
    except Exception:
        return False
    _mark_remembered(db, True)
    return True


def _mark_remembered(db: Path, remembered: bool) -> None:
    import dataclasses

    wrapped = read_key_file(db)
    if wrapped is not None and wrapped.remembered != remembered:
        write_key_file(db, dataclasses.replace(wrapped, remembered=remembered))


def forget_remembered_key(db: Path) -> None:
    with contextlib.suppress(Exception):
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _keyring_name(db))
    with contextlib.suppress(OSError):
        _mark_remembered(db, False)


def is_remembered(db: Path) -> bool:
    return remembered_key(db) is not None


# --- The unlocked key of this process ---------------------------------------------------------

_key: bytes | None = None
#: Asked for a key when an encrypted file is met and none is unlocked (the command line: the
#: keyring, TEIXIT_PASSPHRASE_FILE, or a prompt at the terminal).
_provider: Callable[[Path], bytes | None] | None = None


def unlock(key: bytes) -> None:
    global _key
    _key = key


def lock() -> None:
    """Forget the unlocked key (open connections keep theirs until they are closed)."""
    global _key
    _key = None


def current() -> bytes | None:
    return _key


def set_provider(provider: Callable[[Path], bytes | None] | None) -> None:
    global _provider
    _provider = provider


def locked_error(path: Path) -> Locked:
    return Locked(
        _(
            "The data in {path} is encrypted. Unlock it with its passphrase or its recovery "
            "key; without either, nobody can open it."
        ).format(path=path)
    )


def wrong_key_error() -> WrongKey:
    return WrongKey(_("That passphrase or recovery key does not open this data. Try again."))


def key_for(path: Path) -> bytes:
    """The key to open ``path``: the unlocked one, else the provider's; raises Locked."""
    if _key is None and _provider is not None:
        found = _provider(path)
        if found is not None:
            unlock(found)
    if _key is None:
        raise locked_error(path)
    return _key


def open_key(db: Path, secret: str) -> bytes:
    """The key that ``secret`` (the passphrase or the recovery key) stands for; raises WrongKey
    when it opens neither the key file nor the database."""
    # A recovery key is tried first: it needs no key derivation (scrypt is slow on purpose).
    from_recovery = key_from_recovery(secret)
    if from_recovery is not None and key_opens(db, from_recovery):
        return from_recovery
    for source in (key_file(db), pending_key_file(db)):
        wrapped = read_key_file(db, source)
        opened = wrapped.open(secret) if wrapped is not None else None
        if opened is not None and key_opens(db, opened):
            return opened
    raise wrong_key_error()


# --- Connections ------------------------------------------------------------------------------


def cipher_module() -> Any:
    """SQLCipher's DB-API module (imported only for encrypted data)."""
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def database_errors() -> tuple[type[Exception], ...]:
    """The DatabaseError classes of both drivers (plain ``sqlite3`` and SQLCipher)."""
    return (sqlite3.DatabaseError, cipher_module().DatabaseError)


def driver_errors() -> tuple[type[Exception], ...]:
    return (sqlite3.Error, cipher_module().Error)


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def keyed_connection(target: str, key: bytes, *, uri: bool = False, check: bool = True) -> Any:
    """A SQLCipher connection with ``key`` set; ``check`` reads the schema so a wrong key fails
    here, as WrongKey (SQLCipher's own logging kept quiet)."""
    module = cipher_module()
    con = module.connect(target, uri=uri, check_same_thread=False)
    try:
        con.execute("PRAGMA cipher_log_level = NONE").fetchall()
        con.execute(key_pragma(key))
        if check:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        con.close()
        raise wrong_key_error() from None
    return con


def key_opens(path: Path, key: bytes) -> bool:
    try:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        keyed_connection(uri, key, uri=True).close()
        return True
    except WrongKey:
        return False


def connect(path: Path, *, read_only: bool = False, key: bytes | None = None) -> Any:
    """A DB-API connection to ``path``: ``sqlite3`` for a plain file; SQLCipher with the key
    (``key``, else the unlocked one) for an encrypted file, or for a new file when ``key`` is
    given. Raises Locked or WrongKey."""
    target = Path(path).resolve().as_uri() + "?mode=ro" if read_only else str(path)
    if key is None and not is_encrypted(path):
        return sqlite3.connect(target, uri=read_only)
    return keyed_connection(target, key or key_for(path), uri=read_only)
