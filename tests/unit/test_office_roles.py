"""`teixit office`: preparing an office database, each person's login, and what each role is
refused by the database itself (plain SQL as that login, not through Teixit)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from app import cli, paths
from app.db.engine import open_database, open_url
from app.domain.people import PersonDTO
from app.domain.programmes import ProgrammeDTO
from app.services.people import PeopleService
from app.services.programmes import ProgrammesService
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office

PASSWORD = "correct horse battery"


def _cli(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(list(argv))


class Office:
    def __init__(self, server: PostgresServer, name: str) -> None:
        self.server = server
        self.name = name
        suffix = uuid.uuid4().hex[:8]
        self.coordinator = f"coord_{suffix}"
        self.educator = f"edu_{suffix}"
        self.viewer = f"view_{suffix}"

    def address(self, user: str = "postgres") -> str:
        return self.server.url(self.name, user=user).render_as_string(hide_password=False)

    def sql(self, user: str, statement: str) -> list[tuple[object, ...]]:
        engine = create_engine(self.address(user))
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement))
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()


@pytest.fixture
def office(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> Iterator[Office]:
    """A new database prepared with `teixit office init`, an educator and a viewer added."""
    name = postgres.new_database()
    prepared = Office(postgres, name)
    address = prepared.address()
    assert (
        _cli(monkeypatch, "office", "init", "--database", address,
             "--coordinator", prepared.coordinator, stdin=PASSWORD + "\n")
        == 0
    )  # fmt: skip
    for login, role in ((prepared.educator, "educator"), (prepared.viewer, "viewer")):
        # A coordinator adds the others, logged in as themselves.
        assert (
            _cli(monkeypatch, "--database", prepared.address(prepared.coordinator),
                 "office", "add-user", login, "--role", role, stdin=PASSWORD + "\n")
            == 0
        )  # fmt: skip
    yield prepared
    postgres.drop_database(name)


def _refused(office: Office, user: str, statement: str) -> None:
    with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
        office.sql(user, statement)


def test_each_role_is_refused_what_it_may_not_do(office: Office) -> None:
    # Everyone may read the programmes.
    for user in (office.coordinator, office.educator, office.viewer):
        assert office.sql(user, "SELECT count(*) FROM programme") == [(0,)]
    # The audit log is appended to, never changed; only coordinators read it.
    assert office.sql(office.coordinator, "SELECT count(*) FROM audit_event") == [(0,)]
    _refused(office, office.coordinator, "DELETE FROM audit_event")
    _refused(office, office.coordinator, "UPDATE audit_event SET details = ''")
    _refused(office, office.educator, "SELECT * FROM audit_event")
    _refused(office, office.educator, "DELETE FROM audit_event")
    # Educators do the daily work but do not change the entity's set-up.
    assert office.sql(office.educator, "SELECT count(*) FROM participant") == [(0,)]
    _refused(office, office.educator, "UPDATE entity_profile SET name = 'x'")
    _refused(office, office.educator, "DELETE FROM programme_category")
    _refused(office, office.educator, "DELETE FROM age_band_set")  # the funders' band sets
    # Viewers read what holds no personal data, and write nothing.
    _refused(office, office.viewer, "SELECT * FROM participant")
    _refused(office, office.viewer, "SELECT * FROM attendance")
    _refused(office, office.viewer, "DELETE FROM programme")
    _refused(office, office.viewer, "UPDATE programme_category SET active = false")
    # Nobody but the owner changes the schema.
    _refused(office, office.coordinator, "DROP TABLE participant")


def test_an_educator_works_through_teixit_and_cannot_add_logins(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_url(office.address(office.educator))
    try:
        person, _changes = PeopleService(db).save(PersonDTO("Anna", "Puig"))
        assert [h.id for h in PeopleService(db).search("puig")] == [person.id]
        other, _changes = PeopleService(db).save(PersonDTO("Pere", "Mas"))
        PeopleService(db).erase(other.id)
    finally:
        db.close()
    assert office.sql(office.coordinator, "SELECT count(*) FROM participant") == [(2,)]
    # The erasure's audit entry was written, though the educator cannot read it.
    assert office.sql(office.coordinator, "SELECT count(*) FROM audit_event") != [(0,)]
    code = _cli(
        monkeypatch, "--database", office.address(office.educator),
        "office", "add-user", "intruder_x", "--role", "coordinator", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 1
    assert office.sql("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'intruder_x'") == [
        (0,)
    ]


def test_a_disabled_login_cannot_connect(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    assert office.sql(office.viewer, "SELECT 1") == [(1,)]
    code = _cli(
        monkeypatch, "office", "disable-user", office.viewer,
        "--database", office.address(office.coordinator),
    )  # fmt: skip
    assert code == 0
    with pytest.raises(OperationalError, match="not permitted to log in"):
        office.sql(office.viewer, "SELECT 1")


def test_a_bad_login_name_or_short_password_changes_nothing(
    office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    address = office.address(office.coordinator)
    assert _cli(monkeypatch, "office", "add-user", "Robert'); --", "--role", "viewer",
                "--database", address, stdin=PASSWORD + "\n") == 1  # fmt: skip
    assert _cli(monkeypatch, "office", "add-user", "robert", "--role", "viewer",
                "--database", address, stdin="short\n") == 1  # fmt: skip
    assert "Robert" in capsys.readouterr().err
    assert office.sql("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'robert'") == [
        (0,)
    ]


def test_upload_moves_everything_once(
    postgres: PostgresServer, office_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = open_database(paths.db_path())
    try:
        people = PeopleService(local)
        for given in ("Anna", "Biel", "Carme"):
            people.save(PersonDTO(given, "Soler"))
        programmes = ProgrammesService(local)
        programmes.save(ProgrammeDTO(code="P1", name="Casal", category="prevention"))
        with local.read() as s:
            categories = s.execute(text("SELECT count(*) FROM programme_category")).scalar()
    finally:
        local.close()
    assert _cli(monkeypatch, "office", "upload", "--database", office_address) == 0
    office = open_url(office_address)
    try:
        found = sorted(h.name for h in PeopleService(office).search("soler"))
        assert len(found) == 3
        assert all("Soler" in name for name in found)
        with office.read() as s:
            assert s.execute(text("SELECT count(*) FROM programme_category")).scalar() == (
                categories
            )
            assert s.execute(text("SELECT code FROM programme")).scalars().all() == ["P1"]
    finally:
        office.close()
    # A second upload would mix two offices' data: refused, nothing written.
    assert _cli(monkeypatch, "office", "upload", "--database", office_address) == 1
    office = open_url(office_address)
    try:
        assert len(PeopleService(office).search("soler")) == 3
    finally:
        office.close()


def test_upgrade_gives_the_roles_their_rights_again(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As after a migration that adds a table: the roles have no rights on it yet.
    office.sql("postgres", "REVOKE ALL ON programme FROM teixit_viewer")
    _refused(office, office.viewer, "SELECT * FROM programme")
    assert _cli(monkeypatch, "office", "upgrade", "--database", office.address()) == 0
    assert office.sql(office.viewer, "SELECT count(*) FROM programme") == [(0,)]


def test_the_commands_offer_the_databases_roles() -> None:
    from app.commands.office import ROLE_NAMES
    from app.db.office import ROLES

    assert tuple(ROLES) == ROLE_NAMES


def test_upload_of_the_demo_keeps_every_value(office_address: str) -> None:
    """The bulk copy (COPY) carries every column as it was: dates, times, JSON, files."""
    import datetime as dt

    from sqlalchemy import select

    from app.db.base import Base
    from app.db.office import upload
    from app.demo import load_demo

    local = open_database(paths.db_path())
    office = open_url(office_address)
    try:
        load_demo(local, "small", today=dt.date(2026, 11, 26))
        counts = upload(local.engine, office.engine)
        assert counts["attendance"] > 0 and counts["participant"] > 0
        with local.engine.connect() as here, office.engine.connect() as there:
            for table in Base.metadata.sorted_tables:
                key = [c for c in table.primary_key.columns]
                mine = here.execute(select(table).order_by(*key)).all()
                theirs = there.execute(select(table).order_by(*key)).all()
                assert theirs == mine, table.name
    finally:
        office.close()
        local.close()
