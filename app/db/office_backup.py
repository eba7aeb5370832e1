"""Backups of an office database: PostgreSQL's own ``pg_dump`` (custom format) and
``pg_restore``, from the PostgreSQL client programs installed on this computer.

Why pg_dump and not Teixit's interchange file: it is the server's own, complete copy (every
table, column and constraint, whatever this version of Teixit knows), restored exactly by the
server, and read back (``pg_restore --list``) before the file is kept.

- The client must be at least as new as the server (an older pg_dump refuses a newer server):
  the newest installed one is taken, and checked against the server's version first.
- The file is created readable by its owner only (0600), written under a temporary name beside
  it and renamed only once it reads back whole: a failed backup never leaves a half file under
  the chosen name, nor replaces an older good one.
- A restore goes into an empty database only (never over data), in one transaction.
- The password (if the address holds one) goes to the programs in their environment, never on
  their command line (which other users of the computer can see).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Engine, text
from sqlalchemy.exc import OperationalError

import app.db.models  # noqa: F401 - registers the tables
from app.db.base import Base
from app.db.engine import make_office_engine, office_url, unreachable
from app.errors import UserError
from app.i18n import _

#: Where the PostgreSQL client programs are installed (besides PATH): Debian and Ubuntu keep one
#: folder per major version; Windows' installer one per version under Program Files.
SEARCH_GLOBS: tuple[str, ...] = (
    "/usr/lib/postgresql/*/bin",
    "C:/Program Files/PostgreSQL/*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)


class OfficeBackupError(UserError):
    """One translated sentence; the program's or server's own words go to ``details``."""

    details = ""


def _error(message: str, details: str = "") -> OfficeBackupError:
    error = OfficeBackupError(message)
    error.details = details.strip()
    return error


@dataclass(frozen=True)
class Program:
    path: Path
    major: int


def _exe(name: str) -> str:
    return f"{name}.exe" if os.name == "nt" else name


def _major(program: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, check=False, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else None


def installed(name: str) -> list[Program]:
    """Every copy of a PostgreSQL client program found, with its major version."""
    found: dict[Path, Program] = {}
    places = [Path(f) / _exe(name) for pattern in SEARCH_GLOBS for f in glob.glob(pattern)]
    on_path = shutil.which(name)
    if on_path:
        places.append(Path(on_path))
    for place in places:
        if not place.is_file():
            continue
        resolved = place.resolve()
        if resolved in found:
            continue
        major = _major(place)
        if major is not None:
            found[resolved] = Program(place, major)
    return sorted(found.values(), key=lambda p: p.major)


def find_program(name: str, server_major: int) -> Program:
    """The client program to use with a server of ``server_major``: the same version when it is
    installed, else the oldest newer one. Refused, with what to install, when none fits."""
    programs = installed(name)
    if not programs:
        raise _error(
            _(
                "Teixit cannot find PostgreSQL's {program} program on this computer. Install "
                "PostgreSQL's client programs (on Debian or Ubuntu: sudo apt-get install "
                "postgresql-client; on Windows, the PostgreSQL installer), then try again."
            ).format(program=name)
        )
    fitting = [p for p in programs if p.major >= server_major]
    if not fitting:
        newest = programs[-1]
        raise _error(
            _(
                "The office server runs PostgreSQL {server}, and the newest {program} on this "
                "computer is version {client}, which cannot read it. Install PostgreSQL "
                "{server}'s client programs (on Debian or Ubuntu: sudo apt-get install "
                "postgresql-client-{server}), then try again."
            ).format(server=server_major, program=name, client=newest.major)
        )
    return fitting[0]


def _libpq(address: str | URL) -> tuple[str, dict[str, str]]:
    """The address as the PostgreSQL programs read it, and the environment that carries the
    password (never the command line)."""
    url = office_url(address)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _connected(engine: Engine, shown: str) -> tuple[int, set[str]]:
    """The server's major version and the tables of the database's public schema."""
    try:
        with engine.connect() as connection:
            number = int(connection.scalar(text("SHOW server_version_num")) or 0)
            tables = set(
                connection.scalars(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            )
    except OperationalError as exc:
        raise unreachable(shown, exc) from None
    return number // 10000, tables


def _listing(pg_restore: Program, path: Path, environment: dict[str, str]) -> str:
    result = subprocess.run(
        [str(pg_restore.path), "--list", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    if result.returncode != 0:
        raise _error(
            _(
                "The file {path} is not a backup of an office database that PostgreSQL can "
                "read. Nothing has been changed."
            ).format(path=path),
            result.stderr,
        )
    return result.stdout


def _missing_tables(listing: str) -> list[str]:
    present = set(re.findall(r"TABLE DATA \S+ (\S+) ", listing))
    return sorted(t.name for t in Base.metadata.sorted_tables if t.name not in present)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    server_major: int
    client_major: int


def backup(address: str, target: Path) -> BackupResult:
    """Write a custom-format dump of the office database at ``address`` to ``target``."""
    engine = make_office_engine(address)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        server, tables = _connected(engine, shown)
    finally:
        engine.dispose()
    if "alembic_version" not in tables:
        raise _error(
            _("The database {address} holds no Teixit data to back up.").format(address=shown)
        )
    pg_dump = find_program("pg_dump", server)
    pg_restore = find_program("pg_restore", server)
    connection, environment = _libpq(address)
    target = target.expanduser().absolute()
    if target.is_dir():
        raise _error(
            _("{path} is a folder: name the backup file to write.").format(path=target)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        old_umask = os.umask(0o077) if os.name == "posix" else None
        try:
            descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        finally:
            if old_umask is not None:
                os.umask(old_umask)
    except OSError as exc:
        raise _error(
            _("Teixit cannot write the backup {path} ({reason}).").format(
                path=target, reason=exc.strerror or exc
            )
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as out:
            result = subprocess.run(
                [
                    str(pg_dump.path),
                    "--format=custom",
                    "--no-password",
                    f"--dbname={connection}",
                ],
                stdout=out,
                stderr=subprocess.PIPE,
                text=False,
                check=False,
                env=environment,
            )
            out.flush()
            os.fsync(out.fileno())
        if result.returncode != 0:
            raise _error(
                _(
                    "The office database refused the backup: your login may not read all of "
                    "it (a coordinator's login makes backups), or the server stopped answering. "
                    "No backup file has been written."
                ),
                result.stderr.decode("utf-8", "replace"),
            )
        missing = _missing_tables(_listing(pg_restore, partial, environment))
        if missing:
            raise _error(
                _(
                    "The backup did not come out whole (it lacks {tables}); no backup file has "
                    "been written."
                ).format(tables=", ".join(missing))
            )
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return BackupResult(target, target.stat().st_size, server, pg_dump.major)


def restore(address: str, source: Path) -> str | None:
    """Restore the backup ``source`` into the EMPTY office database at ``address``, in one
    transaction, then give the Teixit roles their rights. Returns the restored schema revision
    (an older one than this Teixit's is brought up to date with ``teixit office upgrade``,
    which grants the rights then)."""
    from app.db import schema
    from app.db.engine import office_revision
    from app.db.office import create_roles, grant_privileges

    source = source.expanduser().absolute()
    if not source.is_file():
        raise _error(_("There is no backup file {path}.").format(path=source))
    engine = make_office_engine(address)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        server, tables = _connected(engine, shown)
        if tables:
            raise _error(
                _(
                    "The office database {address} is not empty: a backup is restored only "
                    "into a new, empty database (create one with createdb, then restore into "
                    "it)."
                ).format(address=shown)
            )
        pg_restore = find_program("pg_restore", server)
        connection, environment = _libpq(address)
        listing = _listing(pg_restore, source, environment)
        if "alembic_version" not in listing:
            raise _error(
                _(
                    "The file {path} is a PostgreSQL backup, but not of a Teixit database. "
                    "Nothing has been changed."
                ).format(path=source)
            )
        result = subprocess.run(
            [
                str(pg_restore.path),
                "--no-password",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection}",
                str(source),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        if result.returncode != 0:
            raise _error(
                _(
                    "The office database refused the restore: it needs the administrator's "
                    "login (the one that created the database). Nothing has been restored."
                ),
                result.stderr,
            )
        try:
            revision = office_revision(engine)
            if revision == schema.HEAD:
                with engine.begin() as writing:
                    create_roles(writing)
                    grant_privileges(writing)
        except OperationalError as exc:
            raise unreachable(shown, exc) from None
    finally:
        engine.dispose()
    return revision
