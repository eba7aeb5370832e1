"""An office server of its own that a test can stop and start again (as when the office server
restarts or the network drops), with Teixit's schema in one database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from app.db.engine import make_office_engine, migrate
from tests.support.postgres import SUPERUSER, PostgresServer


class RestartableServer(PostgresServer):
    def _options(self) -> str:
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.start_again()

    def start_again(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", self._options(), "-w", "-t", "60", "start",
        )  # fmt: skip

    def halt(self) -> None:
        """The server stops at once, as when its computer is switched off."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


@contextlib.contextmanager
def restartable_office(
    kind: type[RestartableServer] = RestartableServer,
) -> Iterator[tuple[RestartableServer, str]]:
    """A server of its own (``kind``) and the address of a Teixit database on it."""
    server = kind()
    try:
        server.start()
        server.execute('CREATE DATABASE "teixit"')
        engine = make_office_engine(server.url("teixit"))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        yield server, server.url("teixit").render_as_string(hide_password=False)
    finally:
        server.stop()
