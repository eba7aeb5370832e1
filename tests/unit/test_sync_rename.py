"""Renaming a device once it is in the team (``teixit sync --rename NAME``, or Rename in the
sync settings): the new name travels with its changes, so the other devices show it after a
sync, through the folder or relayed by the office database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli
from app.db.engine import Database, open_database, open_url
from app.db.models import SyncDevice
from app.errors import UserError
from app.services.container import Services
from app.sync import device
from app.sync import office as office_sync
from tests.support.sync_replicas import seed, team


def _name_of(db: Database, device_id: str) -> str:
    with db.read() as s:
        found = s.get(SyncDevice, device_id)
        assert found is not None
        return found.name


def test_a_device_renamed_shows_its_new_name_on_the_others_after_a_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    replicas_of = team(tmp_path, ("office", "laptop", "casal"))
    office, laptop, casal = next(replicas_of)
    shared = tmp_path / "shared"
    try:
        for r in (laptop, office, casal):
            r.sync(shared)
        me = device.info(laptop.db)
        assert me is not None
        assert _name_of(office.db, me.id) == "laptop"
        laptop.db.close()
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = cli.main(
            ["--data-dir", str(tmp_path / "laptop"), "sync", "--rename", "Portàtil del casal"]
        )
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "Portàtil del casal" in out
        laptop_db = open_database(tmp_path / "laptop" / "teixit.db")
        try:
            assert device.info(laptop_db).name == "Portàtil del casal"  # type: ignore[union-attr]
            with pytest.raises(UserError):
                device.rename(laptop_db, "   ")
            from app.sync import run

            run.sync(laptop_db, shared)
            office.sync(shared)
            casal.sync(shared)
            assert _name_of(office.db, me.id) == "Portàtil del casal"
            assert _name_of(casal.db, me.id) == "Portàtil del casal"
            # Listed so in the devices of the window.
            names = [d.name for d in office.services.sync.devices()]
            assert "Portàtil del casal" in names and "laptop" not in names
        finally:
            laptop_db.close()
    finally:
        replicas_of.close()


@pytest.mark.office
def test_the_office_relays_a_new_name(office_address: str, tmp_path: Path) -> None:
    hub = open_url(office_address)
    seed(Services(hub), sessions=1, people=2)
    first = open_database(tmp_path / "first.db")
    second = open_database(tmp_path / "second.db")
    try:
        office_sync.join_office(first, office_address)
        office_sync.join_office(second, office_address)
        renamed = device.rename(first, "Portàtil de la Marta")
        office_sync.sync_office(first, office_address)
        office_sync.sync_office(second, office_address)
        assert _name_of(hub, renamed.id) == "Portàtil de la Marta"
        assert _name_of(second, renamed.id) == "Portàtil de la Marta"
        with second.read() as s:
            assert s.scalar(select(SyncDevice.name).where(SyncDevice.is_self)) != renamed.name
    finally:
        first.close()
        second.close()
        hub.close()
