"""Every test runs on a fresh temporary data folder, never the user's, with Qt offscreen."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TEIXIT_DATA_DIR"] = "/nonexistent-set-per-test"

from app import i18n, paths  # noqa: E402
from app.db.engine import Database, make_office_engine, migrate, open_database, open_url  # noqa: E402
from tests.support import templates  # noqa: E402
from tests.support.passwords import MemoryKeyring, require_passwords  # noqa: E402
from tests.support.postgres import TEMPLATE, PostgresServer, running_server  # noqa: E402
from tests.support.templates import DatabaseTemplates  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.ENV_VAR, str(folder))
    paths.set_data_dir(None)
    paths.set_database(None)
    i18n.set_language("ca")
    yield folder
    paths.set_data_dir(None)
    paths.set_database(None)
    # The window tests hand garbage collection to the window's thread (ui/collector.py); between
    # tests nobody runs that timer, so collect here what is due.
    if not gc.isenabled():
        gc.collect(1)


#: TEIXIT_TEST_ALL_ENGINES=1 runs every test using ``db`` on both engines (.ci/run does, with
#: ``-m office``); the default run repeats only the modules that ask for it.
ALL_ENGINES = os.environ.get("TEIXIT_TEST_ALL_ENGINES") == "1"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module that sets ``BOTH_ENGINES = True`` runs each test using ``db`` twice: on a SQLite
    file and on an office (PostgreSQL) database; a test marked ``sqlite_only`` only on SQLite."""
    if (
        "db" in metafunc.fixturenames
        and (ALL_ENGINES or getattr(metafunc.module, "BOTH_ENGINES", False))
        and not metafunc.definition.get_closest_marker("sqlite_only")
    ):
        metafunc.parametrize(
            "db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.office)], indirect=True
        )


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session, with a template holding the schema."""
    try:
        context = running_server()
        server = context.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.execute(f'CREATE DATABASE "{TEMPLATE}"')
        engine = make_office_engine(server.url(TEMPLATE))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        yield server
    finally:
        context.__exit__(None, None, None)


@pytest.fixture
def office_address(postgres: PostgresServer) -> Iterator[str]:
    """The address of a fresh office database holding the current schema and no data."""
    name = postgres.new_database(TEMPLATE)
    yield postgres.url(name).render_as_string(hide_password=False)
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def db_templates() -> DatabaseTemplates:
    """Database files made once per test process (the current schema, the demo) for each test to
    copy: ``db_templates.place(db_templates.demo())`` puts the demo where the test's Teixit looks
    for its database, in milliseconds instead of seconds (tests/support/templates.py)."""
    return templates.shared()


@pytest.fixture
def db(
    request: pytest.FixtureRequest, data_dir: Path, db_templates: DatabaseTemplates
) -> Iterator[Database]:
    """A new database with the current schema and no data: a SQLite file of the test's own (a
    copy of the schema made once per process) or, for ``postgresql``, a new office database."""
    if getattr(request, "param", "sqlite") == "postgresql":
        database = open_url(request.getfixturevalue("office_address"))
    else:
        database = open_database(db_templates.place(db_templates.empty()))
    yield database
    if "PySide6.QtCore" in sys.modules:
        # A window test's background jobs may still hold a connection: closing under them
        # leaves it to the garbage collector (an unclosed-connection warning on PostgreSQL).
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30000)
    database.close()


@pytest.fixture(autouse=True)
def no_unlocked_key() -> Iterator[None]:
    """Each test starts and ends with no database key unlocked and no one to ask for one."""
    from app.db import keys

    keys.lock()
    keys.set_provider(None)
    yield
    keys.lock()
    keys.set_provider(None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Office passwords go to a keyring in memory: no test reads or writes the machine's."""
    import keyring

    ring = MemoryKeyring()
    keyring.set_keyring(ring)  # the next test sets its own; the real one is never looked up
    yield ring


@pytest.fixture(scope="session")
def password_server(postgres: PostgresServer) -> PostgresServer:
    """The throwaway server, asking the password of the logins made by login_with_password."""
    require_passwords(postgres)
    return postgres
