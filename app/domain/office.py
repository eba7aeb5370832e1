"""Who is connected to an office database, and as what."""

from __future__ import annotations

from dataclasses import dataclass

#: What a login may do (the database enforces it; the window only reflects it).
COORDINATOR = "coordinator"
EDUCATOR = "educator"
VIEWER = "viewer"

#: Encryption of the connection (libpq's sslmode): TLS when the server offers it, or required.
ENCRYPTION_PREFERRED = "prefer"
ENCRYPTION_REQUIRED = "require"
#: TLS with the server's certificate checked against the office's certificate authority (a CA
#: file the person picks) and the server's name.
ENCRYPTION_VERIFIED = "verify-full"
ENCRYPTION_MODES = (ENCRYPTION_PREFERRED, ENCRYPTION_REQUIRED, ENCRYPTION_VERIFIED)


@dataclass(frozen=True)
class OfficeLogin:
    """An office database's address as people read it (never the password) and the role."""

    server: str
    port: int
    database: str
    user: str
    role: str
    #: What the person chose: ENCRYPTION_PREFERRED, ENCRYPTION_REQUIRED or ENCRYPTION_VERIFIED.
    encryption: str = ENCRYPTION_PREFERRED
    #: Whether this connection is encrypted (TLS) now.
    encrypted: bool = False
    #: The certificate authority's file the server's certificate is checked against (verified
    #: encryption only).
    ca_file: str = ""

    @property
    def address(self) -> str:
        """The address to keep in the settings and to show: postgresql://user@server:port/db
        (``?sslmode=require`` when encryption is required)."""
        address = f"postgresql://{self.user}@{self.server}:{self.port}/{self.database}"
        if self.encryption == ENCRYPTION_REQUIRED:
            address += f"?sslmode={ENCRYPTION_REQUIRED}"
        elif self.encryption == ENCRYPTION_VERIFIED:
            from urllib.parse import quote

            address += f"?sslmode={ENCRYPTION_VERIFIED}&sslrootcert={quote(self.ca_file)}"
        return address
