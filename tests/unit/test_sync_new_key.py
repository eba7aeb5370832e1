"""A new team key after a device is retired (``teixit sync --new-key``, or New team key in the
sync settings): the retired device, which still has the old key, can read nothing written
after; the other devices pair again with the new code and read both what was written before
and after."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app import cli
from app.db.engine import open_database
from app.domain.people import PersonDTO
from app.errors import UserError
from app.services.container import Services
from app.sync import device, folder, retire
from tests.support.sync_replicas import team


def test_a_new_key_shuts_the_retired_device_out_and_the_others_pair_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    replicas_of = team(tmp_path, ("office", "laptop", "lost"))
    office, laptop, lost = next(replicas_of)
    try:
        for r in (laptop, lost, office):
            r.sync(shared)
        with lost.db.read() as s:
            old_key = device.team_key(s)
        lost_id = device.info(lost.db).id  # type: ignore[union-attr]
        # Written before the new key, not read by the laptop yet.
        before, _c = office.services.people.save(PersonDTO("Abans", "Clau"))
        office.sync(shared)
        retire.retire(office.db, lost_id, shared)
        office.db.close()
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = cli.main(["--data-dir", str(tmp_path / "office"), "sync", "--new-key"])
        out, err = capsys.readouterr()
        assert code == 0, err
        new_code = out.strip().splitlines()[-1]
        office_db = open_database(tmp_path / "office" / "teixit.db")
        try:
            after, _c = Services(office_db).people.save(PersonDTO("Després", "Clau"))
            folder.sync_folder(office_db, shared)
            me = device.info(office_db)
            assert me is not None
            newest = sorted((shared / folder.SUBFOLDER / me.id).iterdir())[-1]
            # The retired device's key opens nothing written after.
            with pytest.raises(UserError):
                folder.decrypt(old_key, newest.read_bytes(), newest)
            # The laptop, still on the old key, is told to pair again.
            with pytest.raises(UserError, match="aparell"):
                laptop.sync(shared)
            device.pair(laptop.db, new_code)
            laptop.sync(shared)
            for pid, name in ((before.id, "Abans"), (after.id, "Després")):
                assert laptop.services.people.get(str(pid)).given_name == name
            # And what the laptop writes the office reads.
            mine, _c = laptop.services.people.save(PersonDTO("Portàtil", "Nou"))
            laptop.sync(shared)
            folder.sync_folder(office_db, shared)
            assert Services(office_db).people.get(str(mine.id)).given_name == "Portàtil"
            # The retired device still learns it was retired (the notice came before).
            assert retire.learn(lost.db, shared / folder.SUBFOLDER) is not None
        finally:
            office_db.close()
    finally:
        replicas_of.close()
