"""Connecting to an office database: the password from the keyring, ``.pgpass`` or the terminal
(never the command line); other PCs' writes heard at once; each login's role; a server that
drops refusing writes in words, with nothing half-saved."""

from __future__ import annotations

import getpass
import io
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, make_url, text

from app import cli
from app.db.credentials import KEYRING_SERVICE, keyring_key
from app.db.engine import OfficeUnreachable, PasswordRefused, open_address, open_url
from app.db.models.core import Place
from app.db.office import create_roles, grant_privileges
from app.domain.changes import Area
from app.domain.office import COORDINATOR, EDUCATOR, VIEWER
from app.domain.people import PersonDTO
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from app.services.office import changes_of_tables, connect, office_url, try_login
from tests.support.passwords import MemoryKeyring, login_with_password
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office

PASSWORD = "correct horse battery"


@pytest.fixture
def prepared(postgres: PostgresServer, office_address: str) -> str:
    """The office database with Teixit's roles and their rights."""
    engine_url = make_url(office_address)
    from app.db.engine import make_office_engine

    engine = make_office_engine(engine_url)
    try:
        with engine.begin() as connection:
            create_roles(connection)
            grant_privileges(connection)
    finally:
        engine.dispose()
    return office_address


def _login(server: PostgresServer, address: str, *groups: str) -> URL:
    name = login_with_password(server, PASSWORD, *groups)
    return make_url(address).set(username=name, password=None)


def _cli_export(url: URL, out: Path) -> int:
    return cli.main(["--database", url.render_as_string(hide_password=False), "export", str(out)])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_line_takes_the_password_from_the_keyring(
    password_server: PostgresServer,
    prepared: str,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = _login(password_server, prepared, "teixit_coordinator")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    # Without the password anywhere, and no terminal to ask at: refused in words.
    assert _cli_export(url, tmp_path / "a.json") == 1
    memory_keyring.set_password(KEYRING_SERVICE, keyring_key(url), PASSWORD)
    assert _cli_export(url, tmp_path / "b.json") == 0
    assert json.loads((tmp_path / "b.json").read_text())
    assert not (tmp_path / "a.json").exists()


def test_then_from_pgpass_then_asked_at_the_terminal(
    password_server: PostgresServer,
    prepared: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = _login(password_server, prepared, "teixit_coordinator")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{url.port}:{url.database}:{url.username}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert _cli_export(url, tmp_path / "a.json") == 0
    # No .pgpass: asked at the terminal, once.
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr(getpass, "getpass", typed)
    assert _cli_export(url, tmp_path / "b.json") == 0
    assert len(asked) == 1 and str(url.username) in asked[0]
    # A wrong one typed: one sentence, no traceback.
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: "wrong password")
    monkeypatch.setattr("app.commands._TYPED", {})
    capsys.readouterr()
    assert _cli_export(url, tmp_path / "c.json") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "wrong password" not in err
    assert f"postgresql://{url.username}@127.0.0.1:{url.port}/{url.database}" in err


def test_the_window_side_connects_and_remembers_the_password_when_asked(
    password_server: PostgresServer, prepared: str, memory_keyring: MemoryKeyring
) -> None:
    url = _login(password_server, prepared, "teixit_educator")
    with pytest.raises(PasswordRefused):
        connect(url, "not it", remember=True)
    assert memory_keyring.entries == {}
    assert try_login(url, PASSWORD).role == EDUCATOR
    connect(url, PASSWORD, remember=False).close()
    assert memory_keyring.entries == {}
    connect(url, PASSWORD, remember=True).close()
    assert memory_keyring.entries == {(KEYRING_SERVICE, keyring_key(url)): PASSWORD}
    # Next time the address alone opens it (the keyring's password), and it is never shown.
    db = open_address(url.render_as_string(hide_password=False))
    try:
        assert PASSWORD not in db.location
        assert Services(db).office.role == EDUCATOR
    finally:
        db.close()
    connect(url, PASSWORD, remember=False).close()
    assert memory_keyring.entries == {}


def test_an_address_typed_wrong_is_told_field_by_field() -> None:
    with pytest.raises(ValidationError) as caught:
        office_url(" ", 0, "", "")
    assert set(caught.value.errors) == {"server", "port", "database", "user"}
    with pytest.raises(ValidationError) as caught:
        office_url("server/x", 5432, "teixit", "anna")
    assert set(caught.value.errors) == {"server"}
    assert office_url("srv", 5433, "teixit", "anna").render_as_string() == (
        "postgresql+psycopg://anna@srv:5433/teixit"
    )


def test_each_login_reads_its_role(password_server: PostgresServer, prepared: str) -> None:
    for group, role in (
        ("teixit_coordinator", COORDINATOR),
        ("teixit_educator", EDUCATOR),
        ("teixit_viewer", VIEWER),
    ):
        assert try_login(_login(password_server, prepared, group), PASSWORD).role == role
    # The administrator, and a SQLite file's one person, may do everything.
    assert try_login(make_url(prepared), "").role == COORDINATOR


def test_the_tables_written_say_what_to_refresh() -> None:
    assert changes_of_tables(frozenset({"participant"})).areas == {Area.PEOPLE}
    assert changes_of_tables(frozenset({"attendance", "session"})).touches(Area.SESSIONS)
    assert changes_of_tables(frozenset({"*"})).touches(Area.PEOPLE, Area.NETWORKS)
    assert changes_of_tables(frozenset({"a_table_of_the_future"})).touches(Area.PEOPLE)


@pytest.fixture
def two_pcs(office_address: str) -> Iterator[tuple[Services, Services]]:
    first, second = open_url(office_address), open_url(office_address)
    yield Services(first), Services(second)
    first.close()
    second.close()


def test_another_pcs_write_is_heard_and_its_own_is_not(
    two_pcs: tuple[Services, Services],
) -> None:
    here, there = two_pcs
    heard: list[set[Area]] = []
    reachable: list[bool] = []
    arrived = threading.Event()

    def on_changes(changes: object) -> None:
        heard.append(set(changes.areas))  # type: ignore[attr-defined]
        arrived.set()

    # The people index is in memory: another PC's new person must reach it too.
    assert here.people.search("vidal") == []
    listener = here.office.listen(on_changes, reachable.append)
    assert listener is not None
    try:
        deadline = threading.Event()
        for _ in range(100):
            if reachable:
                break
            deadline.wait(0.1)
        assert reachable == [True]
        here.people.save(PersonDTO("Own", "Write"))
        there.people.save(PersonDTO("Marc", "Vidal"))
        assert arrived.wait(20)
    finally:
        listener.stop()
    assert not listener.running
    assert heard[0] == {Area.PEOPLE}
    assert len(heard) == 1  # its own write was not news
    assert len(here.people.search("vidal")) == 1


def test_a_rolled_back_write_tells_nobody(two_pcs: tuple[Services, Services]) -> None:
    here, there = two_pcs
    heard: list[object] = []
    reachable: list[bool] = []
    listener = here.office.listen(heard.append, reachable.append)
    assert listener is not None
    try:
        waited = threading.Event()
        for _ in range(100):
            if reachable:
                break
            waited.wait(0.1)
        with pytest.raises(RuntimeError), there.db.begin() as session:
            session.add(Place(name="Casal"))
            session.flush()
            raise RuntimeError("undone")
        there.people.save(PersonDTO("After", "Wards"))
        for _ in range(200):
            if heard:
                break
            waited.wait(0.1)
    finally:
        listener.stop()
    assert [set(c.areas) for c in heard] == [{Area.PEOPLE}]  # type: ignore[attr-defined]


def test_a_server_gone_refuses_writes_in_words_and_saves_nothing(
    two_pcs: tuple[Services, Services], postgres: PostgresServer
) -> None:
    here, _there = two_pcs
    here.people.save(PersonDTO("Before", "Drop"))
    database = here.db.engine.url.database
    # Every connection of the database is ended (as when the server restarts), and while the
    # write is under way the next one too.
    postgres.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )
    here.people.save(PersonDTO("After", "Drop"))  # a fresh connection: works again
    with pytest.raises(OfficeUnreachable) as caught, here.db.begin() as session:
        session.add(Place(name="Casal"))
        session.flush()
        postgres.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        session.add(Place(name="Ateneu"))
        session.flush()
    assert caught.value.message == _(
        "The office database cannot be reached just now, so nothing has been changed. "
        "Teixit is reconnecting by itself: try again in a moment."
    )
    with here.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM place")).scalar() == 0
    assert len(here.people.search("drop")) == 2


def test_a_viewer_counts_enrolments_and_attendance_but_never_sees_whose(
    postgres: PostgresServer, prepared: str
) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ProgrammingError

    name = f"viewer_{uuid.uuid4().hex[:8]}"
    postgres.execute(f"CREATE ROLE {name} LOGIN IN ROLE teixit_viewer")
    engine = create_engine(make_url(prepared).set(username=name))
    try:
        with engine.connect() as connection:
            assert connection.execute(
                text("SELECT activity_id, count(*) FROM enrolment GROUP BY activity_id")
            ).all() == []
            assert connection.execute(
                text("SELECT count(*) FROM attendance WHERE status = 'present'")
            ).scalar() == 0
        for statement in (
            "SELECT participant_id FROM enrolment",
            "SELECT * FROM attendance",
            "SELECT count(*) FROM participant",
        ):
            with (
                pytest.raises(ProgrammingError, match="permission denied"),
                engine.connect() as connection,
            ):
                connection.execute(text(statement))
    finally:
        engine.dispose()
