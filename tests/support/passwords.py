"""Office passwords in the tests: a keyring held in memory (the machine's real keyring is never
touched), and logins that the throwaway PostgreSQL admits only with their password.

The test server trusts every login (tests/support/postgres.py); members of
:data:`PASSWORD_GROUP` are asked for their password instead (scram-sha-256), as a real office
server asks everybody."""

from __future__ import annotations

import uuid

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from tests.support.postgres import PostgresServer

PASSWORD_GROUP = "teixit_password_tests"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives as long as the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def require_passwords(server: PostgresServer) -> None:
    """From now on the members of PASSWORD_GROUP log in with their password only."""
    server.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PASSWORD_GROUP}')"
        f" THEN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; END IF; END $$"
    )
    hba = server.data / "pg_hba.conf"
    rules = hba.read_text()
    line = f"host all +{PASSWORD_GROUP} 127.0.0.1/32 scram-sha-256\n"
    if line not in rules:
        hba.write_text(line + rules)
        server.execute("SELECT pg_reload_conf()")


def login_with_password(server: PostgresServer, password: str, *groups: str) -> str:
    """A new login the server admits only with ``password``, member of ``groups``."""
    name = f"pw_{uuid.uuid4().hex[:10]}"
    members = ", ".join((PASSWORD_GROUP, *groups))
    server.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE {members}")
    return name
