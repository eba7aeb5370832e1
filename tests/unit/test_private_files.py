"""Files with personal data are private to the user on POSIX: the data folder Teixit creates
(0700), the database, interchange exports, backups and spreadsheet lists (0600)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import paths
from app.db.engine import open_database
from app.services.backups import BackupService
from app.services.exchange import ExchangeService

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():  # type: ignore[no-untyped-def]
    """A permissive umask, as on many desktops: privacy must not depend on the user's."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_data_folder_and_database_are_private(tmp_path: Path, loose_umask) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new" / "teixit"
    db = open_database(folder / "teixit.db")
    db.close()
    assert _mode(folder) == 0o700
    assert _mode(folder / "teixit.db") == 0o600


def test_existing_folder_is_left_as_the_user_set_it(tmp_path: Path, loose_umask) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    os.chmod(folder, 0o750)
    open_database(folder / "teixit.db").close()
    assert _mode(folder) == 0o750


def test_exports_and_backups_are_private(tmp_path: Path, loose_umask) -> None:  # type: ignore[no-untyped-def]
    db = open_database(paths.db_path())
    try:
        ExchangeService(db).export_file(tmp_path / "all.json")
        ExchangeService(db).export_list(["Nom"], [["Aina"]], tmp_path / "people.xlsx")
        ExchangeService(db).export_list(["Nom"], [["Aina"]], tmp_path / "people.csv")
    finally:
        db.close()
    info = BackupService(paths.db_path(), paths.backups_dir()).backup_now(
        "manual", to_dir=tmp_path / "usb"
    )
    for name in ("all.json", "people.xlsx", "people.csv"):
        assert _mode(tmp_path / name) == 0o600, name
    assert _mode(info.path) == 0o600
    assert _mode(tmp_path / "usb") == 0o700  # a folder Teixit creates for the copy
    local = BackupService(paths.db_path(), paths.backups_dir()).backup_now("manual")
    assert _mode(local.path) == 0o600 and _mode(paths.backups_dir()) == 0o700
    assert not list(tmp_path.glob(".*partial"))  # no half files left behind


def test_command_line_creates_a_private_data_folder(tmp_path: Path, loose_umask, capsys) -> None:  # type: ignore[no-untyped-def]
    from app import cli

    folder = tmp_path / "fresh" / "data"
    # The instance lock is taken before the database is opened: it must not create the folder
    # with the usual 0755 first.
    assert cli.main(["--data-dir", str(folder), "export", str(tmp_path / "x.json")]) == 0
    assert _mode(folder) == 0o700
    assert _mode(folder / "teixit.db") == 0o600
