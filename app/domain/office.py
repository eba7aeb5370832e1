"""Who is connected to an office database, and as what."""

from __future__ import annotations

from dataclasses import dataclass

#: What a login may do (the database enforces it; the window only reflects it).
COORDINATOR = "coordinator"
EDUCATOR = "educator"
VIEWER = "viewer"


@dataclass(frozen=True)
class OfficeLogin:
    """An office database's address as people read it (never the password) and the role."""

    server: str
    port: int
    database: str
    user: str
    role: str

    @property
    def address(self) -> str:
        """The address to keep in the settings and to show: postgresql://user@server:port/db."""
        return f"postgresql://{self.user}@{self.server}:{self.port}/{self.database}"
