"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder, on a free
port of 127.0.0.1 (and a socket in that folder), stopped and removed at the end of the session.

PostgreSQL refuses to run as root: when the tests run as root the server runs as ``nobody``,
and its folder belongs to that user. Every database the tests make is created from one template
that holds the migrated schema, so a fresh database costs a file copy, not a migration.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, create_engine, text

if TYPE_CHECKING:
    from app.db.engine import Database

MINIMUM_VERSION = 15
TEMPLATE = "teixit_template"
SUPERUSER = "postgres"

NOT_FOUND = (
    "PostgreSQL {minimum} or newer is needed for the office tests and was not found "
    "(looked for initdb in /usr/lib/postgresql/*/bin and on PATH). On Debian or Ubuntu: "
    "apt-get install postgresql (./dev.sh test installs it)."
)


def find_bin_dir() -> Path:
    """The folder of initdb, pg_ctl and postgres of the newest PostgreSQL installed."""
    found: list[tuple[int, Path]] = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        match = re.search(r"/postgresql/(\d+)/", initdb)
        if match:
            found.append((int(match.group(1)), Path(initdb).parent))
    on_path = shutil.which("initdb")
    if on_path:
        output = subprocess.run(
            [on_path, "--version"], capture_output=True, text=True, check=False
        ).stdout
        match = re.search(r"(\d+)", output)
        if match:
            found.append((int(match.group(1)), Path(on_path).parent))
    usable = [entry for entry in found if entry[0] >= MINIMUM_VERSION]
    if not usable:
        raise RuntimeError(NOT_FOUND.format(minimum=MINIMUM_VERSION))
    return max(usable)[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One running cluster; ``url(name)`` addresses a database in it."""

    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.folder = Path(tempfile.mkdtemp(prefix="teixit-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._user: dict[str, Any] = {}
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
            self._user = {
                "user": nobody.pw_uid,
                "group": nobody.pw_gid,
                "extra_groups": [],
                "env": {**os.environ, "HOME": str(self.folder)},
            }
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.folder,
            **self._user,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}")

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> URL:
        return URL.create(
            "postgresql+psycopg", username=user, host="127.0.0.1", port=self.port,
            database=database,
        )  # fmt: skip

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
        engine = create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def new_database(self, template: str = "template1") -> str:
        name = f"teixit_{os.getpid()}_{next(self._names)}_{int(time.time() * 1000) % 100000}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def database_args(db: Database | None) -> list[str]:
    """The command line's ``--database`` for a test's office database; none for a file, which the
    command finds in the data folder."""
    if db is None or db.is_file:
        return []
    return ["--database", db.engine.url.render_as_string(hide_password=False)]
