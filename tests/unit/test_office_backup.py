"""Backups of an office database: teixit office backup (pg_dump, custom format, read back before
it is kept, 0600, never a half file) and teixit office restore (into an empty database only),
on the throwaway PostgreSQL server."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from app import cli
from app.db.base import Base
from app.db.engine import make_office_engine, open_url
from app.db.models import AuditEvent
from app.db.office import add_login, create_roles, grant_privileges
from app.db.office_backup import OfficeBackupError, find_program, installed
from app.i18n import _
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.office


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in primary-key order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            found[table.name] = [
                tuple(r) for r in connection.execute(select(table).order_by(*order))
            ]
    return found


@pytest.fixture
def demo_office(office_address: str) -> str:
    from app.demo import load_demo

    database = open_url(office_address)
    try:
        load_demo(database, "small")
    finally:
        database.close()
    return office_address


def test_backup_then_restore_into_a_new_database_gives_every_row_back(
    demo_office: str, postgres: PostgresServer, tmp_path: Path
) -> None:
    source = make_office_engine(demo_office)
    before = _rows(source)
    assert before["participant"] and before["attendance"]
    target_file = tmp_path / "copies" / "teixit-office.dump"
    assert cli.main(["office", "backup", "--database", demo_office, "--to", str(target_file)]) == 0
    assert target_file.is_file()
    assert stat.S_IMODE(target_file.stat().st_mode) == 0o600
    assert [p.name for p in target_file.parent.iterdir()] == [target_file.name]  # no half file
    # The backup is in the office database's own audit log.
    with source.connect() as connection:
        actions = connection.execute(
            select(AuditEvent.action, AuditEvent.subject).where(AuditEvent.action == "backup")
        ).all()
    assert actions == [("backup", target_file.name)]
    source.dispose()

    empty = postgres.new_database()  # template1: a new database with no tables
    address = postgres.url(empty).render_as_string(hide_password=False)
    try:
        assert cli.main(["office", "restore", str(target_file), "--database", address]) == 0
        restored = make_office_engine(address)
        try:
            after = _rows(restored)
        finally:
            restored.dispose()
        action = list(AuditEvent.__table__.columns.keys()).index("action")
        restore_entries = [r for r in after["audit_event"] if r[action] == "restore"]
        assert len(restore_entries) == 1
        after["audit_event"] = [r for r in after["audit_event"] if r[action] != "restore"]
        for table, rows in before.items():
            assert after[table] == rows, table
        # The restored database opens as any office database, with the roles' rights.
        open_url(address).close()
    finally:
        postgres.drop_database(empty)


def test_a_database_that_holds_data_is_never_restored_over(
    demo_office: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "office.dump"
    assert cli.main(["office", "backup", "--database", demo_office, "--to", str(backup)]) == 0
    engine = make_office_engine(demo_office)
    before = _rows(engine)
    capsys.readouterr()
    assert cli.main(["office", "restore", str(backup), "--database", demo_office]) == 1
    error = capsys.readouterr().err
    assert "createdb" in error and error.count("\n") == 1  # one sentence
    assert _rows(engine) == before
    engine.dispose()


def test_a_file_that_is_no_backup_is_refused(
    postgres: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a backup at all")
    empty = postgres.new_database()
    address = postgres.url(empty).render_as_string(hide_password=False)
    try:
        assert cli.main(["office", "restore", str(junk), "--database", address]) == 1
        assert "junk.dump" in capsys.readouterr().err
    finally:
        postgres.drop_database(empty)


def test_a_login_that_may_not_read_everything_gets_no_backup(
    demo_office: str, postgres: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_office_engine(demo_office)
    login = f"marc.{os.getpid()}.{tmp_path.name[-6:]}".lower().replace("_", "")
    with engine.begin() as connection:
        create_roles(connection)
        grant_privileges(connection)
        add_login(connection, login, "secret-password", "educator")
    engine.dispose()
    database = make_office_engine(demo_office).url.database or ""
    as_educator = postgres.url(database, user=login).render_as_string(hide_password=False)
    target = tmp_path / "office.dump"
    capsys.readouterr()
    assert cli.main(["office", "backup", "--database", as_educator, "--to", str(target)]) == 1
    err = capsys.readouterr().err
    assert "audit_event" in err  # the server's own words, after the sentence
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_without_pg_dump_the_message_says_what_to_install(
    demo_office: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.db import office_backup

    monkeypatch.setattr(office_backup, "SEARCH_GLOBS", ())
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    target = tmp_path / "office.dump"
    assert cli.main(["office", "backup", "--database", demo_office, "--to", str(target)]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "postgresql-client" in err
    assert not target.exists()


def test_the_client_must_be_as_new_as_the_server() -> None:
    programs = installed("pg_dump")
    assert programs, "the test server's own pg_dump"
    newest = programs[-1].major
    assert find_program("pg_dump", newest).major == newest
    with pytest.raises(OfficeBackupError) as refused:
        find_program("pg_dump", newest + 1)
    assert str(newest + 1) in refused.value.message
    assert f"postgresql-client-{newest + 1}" in refused.value.message
    assert _("Error: {message}")  # the catalogue is loaded
