"""The office database (PostgreSQL): the same schema as the SQLite file, opened by address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from app import paths
from app.db import schema
from app.db.engine import (
    NewerDatabase,
    OfficeDatabaseError,
    make_office_engine,
    office_url,
    open_address,
    open_database,
    open_url,
)
from app.services.people import PeopleService
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office


def _shape(engine: Engine) -> dict[str, Any]:
    """Every table's columns (name, nullable), indexes (name, columns, unique), unique
    constraints and foreign keys, as the inspector reads them back from the database."""
    found: dict[str, Any] = {}
    inspector = inspect(engine)
    for table in sorted(inspector.get_table_names()):
        found[table] = {
            "columns": sorted(
                (c["name"], bool(c["nullable"])) for c in inspector.get_columns(table)
            ),
            "primary_key": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "indexes": sorted(
                (str(i["name"]), tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
                # PostgreSQL lists a unique constraint's own index too; it is compared below.
                if not i.get("duplicates_constraint")
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return found


def test_the_office_schema_is_the_sqlite_schema(office_address: str, data_dir: Path) -> None:
    sqlite = open_database(paths.db_path())
    office = open_url(office_address)
    try:
        sqlite_shape = _shape(sqlite.engine)
        office_shape = _shape(office.engine)
    finally:
        sqlite.close()
        office.close()
    assert "participant" in office_shape
    assert set(office_shape) == set(sqlite_shape)
    # The one difference: how each finds a row's entries in the change log.
    sqlite_shape["change_log"] = _without(sqlite_shape["change_log"], SQLITE_LOG_LOOKUP)
    office_shape["change_log"] = _without(office_shape["change_log"], OFFICE_LOG_LOOKUP)
    for table, shape in sqlite_shape.items():
        assert office_shape[table] == shape, table


#: A file finds a row's entries in the change log by a hash of its table and id, filled at the
#: next merge (migration 0018_change_log_keys); the office database by table and id
#: (app/db/changelog.py).
SQLITE_LOG_LOOKUP = {
    "columns": [("row_hash", True)],
    "indexes": [
        ("ix_change_log_row_hash", ("row_hash",), False),
        ("ix_change_log_unhashed", ("seq",), False),
    ],
}
OFFICE_LOG_LOOKUP: dict[str, list[Any]] = {
    "columns": [],
    "indexes": [("ix_change_log_row", ("table_name", "row_id"), False)],
}


def _without(shape: dict[str, Any], lookup: dict[str, list[Any]]) -> dict[str, Any]:
    """``shape`` less ``lookup``'s columns and indexes, each of which it must have."""
    out = dict(shape)
    for key, items in lookup.items():
        assert set(items) <= set(shape[key]), (key, shape[key])
        out[key] = [i for i in shape[key] if i not in items]
    return out


def test_an_empty_office_database_is_refused_until_prepared(
    postgres: PostgresServer, data_dir: Path
) -> None:
    name = postgres.new_database()
    try:
        address = postgres.url(name).render_as_string(hide_password=False)
        with pytest.raises(OfficeDatabaseError, match="teixit office init"):
            open_url(address)
        database = open_url(address, create=True)
        try:
            with database.read() as s:
                assert PeopleService(database).search("") == []
                assert s.connection().dialect.name == "postgresql"
        finally:
            database.close()
        # Prepared once, it opens like any other.
        open_url(address).close()
    finally:
        postgres.drop_database(name)


def test_a_newer_office_database_is_left_alone(office_address: str, data_dir: Path) -> None:
    engine = make_office_engine(office_address)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    finally:
        engine.dispose()
    with pytest.raises(NewerDatabase):
        open_url(office_address)


def test_an_unreachable_server_is_said_in_words(data_dir: Path) -> None:
    with pytest.raises(OfficeDatabaseError, match="127.0.0.1:1") as caught:
        open_url("postgresql://nobody@127.0.0.1:1/teixit")
    assert caught.value.details


def test_addresses(data_dir: Path) -> None:
    assert office_url("postgresql://srv/teixit").drivername == "postgresql+psycopg"
    with pytest.raises(OfficeDatabaseError):
        office_url("mysql://srv/teixit")
    database = open_address(None)
    try:
        assert database.is_file
        assert database.path == paths.db_path()
        assert database.location == str(paths.db_path())
    finally:
        database.close()
    assert schema.HEAD in schema.REVISIONS


def test_any_command_works_on_the_office_database(
    office_address: str, data_dir: Path, tmp_path: Path
) -> None:
    from app import cli
    from app.domain.people import PersonDTO

    office = open_url(office_address)
    try:
        PeopleService(office).save(PersonDTO("Núria", "Ferrer"))
    finally:
        office.close()
    out = tmp_path / "out.json"
    assert cli.main(["--database", office_address, "export", str(out)]) == 0
    assert "Ferrer" in out.read_text(encoding="utf-8")
    # This computer's own file is neither read nor created.
    assert not paths.db_path().exists()


def test_the_window_and_the_launcher_take_the_address() -> None:
    from ui.launcher import _wants_cli
    from ui.main import parse_args

    address = "postgresql://server/teixit"
    assert parse_args(["--database", address]).database == address
    assert _wants_cli(["--database", address, "office", "init"])
    assert not _wants_cli(["--database", address])
    from app import cli

    assert cli.chosen_command(["--database", address, "export", "x.json"]) == "export"


def test_an_older_office_database_waits_for_its_upgrade(
    office_address: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "REVISIONS", (*schema.REVISIONS, "9999_next"))
    monkeypatch.setattr(schema, "HEAD", "9999_next")
    with pytest.raises(OfficeDatabaseError, match="teixit office upgrade"):
        open_url(office_address)


def test_writes_from_two_computers_take_turns(office_address: str, data_dir: Path) -> None:
    """Two PCs' writes never interleave (as SQLite's BEGIN IMMEDIATE): the second waits until
    the first commits, then sees what it wrote; reads do not wait."""
    import threading

    from sqlalchemy import select

    from app.db.models import Setting

    first, second = open_url(office_address), open_url(office_address)
    inside = threading.Event()
    seen: list[int] = []

    def other_pc() -> None:
        inside.wait(10)
        with second.begin() as s:
            seen.append(len(s.scalars(select(Setting)).all()))

    thread = threading.Thread(target=other_pc)
    thread.start()
    try:
        with first.begin() as s:
            s.add(Setting(key="office.test", value={"n": 1}))
            s.flush()
            inside.set()
            # The other PC's write is waiting; a read is not.
            with second.read() as r:
                assert r.scalars(select(Setting)).all() == []
            thread.join(0.5)
            assert thread.is_alive()
            assert seen == []
        thread.join(10)
        assert seen == [1]
    finally:
        thread.join(10)
        first.close()
        second.close()


def test_backups_of_an_office_database_are_the_servers(data_dir: Path) -> None:
    from app import cli

    assert cli.main(["--database", "postgresql://server/teixit", "backup"]) == 1
    assert cli.main(["--database", "postgresql://server/teixit", "restore", "--latest"]) == 1
    assert not paths.backups_dir().exists()
