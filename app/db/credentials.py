"""An office login's password: kept in the operating system's keyring (Windows Credential
Manager, the Secret Service on Linux, the macOS Keychain), never in a settings file nor on a
command line.

The keyring entry is named by the address without its password (``user@server:port/database``),
so two office databases, or two logins on one, each keep their own. Where no keyring works (a
server without a desktop session), nothing is remembered and PostgreSQL's own ``.pgpass`` file
still answers.
"""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy import URL

#: The keyring's "service" under which Teixit keeps office passwords.
KEYRING_SERVICE = "Teixit office database"

#: What a keyring may raise when it cannot be reached or refuses (the keyring library's own
#: errors, a locked Secret Service, a missing D-Bus session).
_KEYRING_FAILURES: tuple[type[BaseException], ...] = (Exception,)


def keyring_key(url: URL) -> str:
    """``user@server:port/database`` (the default port when the address has none)."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def _keyring() -> Any:
    import keyring

    return keyring


def stored_password(url: URL) -> str | None:
    """The password kept for this address's login, or None (none kept, or no keyring works)."""
    try:
        password = _keyring().get_password(KEYRING_SERVICE, keyring_key(url))
    except _KEYRING_FAILURES:
        return None
    return str(password) if password else None


def remember_password(url: URL, password: str) -> bool:
    """Keep the password in the keyring; False when this computer has no keyring that works."""
    try:
        _keyring().set_password(KEYRING_SERVICE, keyring_key(url), password)
    except _KEYRING_FAILURES:
        return False
    return True


def forget_password(url: URL) -> None:
    with contextlib.suppress(*_KEYRING_FAILURES):
        _keyring().delete_password(KEYRING_SERVICE, keyring_key(url))


def with_stored_password(url: URL) -> URL:
    """The address with the keyring's password when it names none (otherwise as it is; libpq
    then looks in ``.pgpass``)."""
    if url.password or not url.username:
        return url
    password = stored_password(url)
    return url.set(password=password) if password else url


def needs_password(exc: BaseException) -> bool:
    """True when the server refused the login for want of a (right) password."""
    original = getattr(exc, "orig", exc)
    if getattr(original, "sqlstate", None) == "28P01":  # invalid_password
        return True
    message = str(original).lower()
    return "no password supplied" in message or "password authentication failed" in message
