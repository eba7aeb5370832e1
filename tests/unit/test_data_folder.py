"""The data folder on Windows: the local application-data folder, never the roaming profile
(a WAL-mode SQLite database on a network share), and the data of Teixit 0.1 moved there once.

platformdirs is replaced by a fake that answers like Windows does, with both folders in a
temporary directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from app import paths


@pytest.fixture
def windows_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    roaming = tmp_path / "AppData" / "Roaming" / "Teixit"
    local = tmp_path / "AppData" / "Local" / "Teixit"
    calls: list[bool] = []

    def user_data_dir(appname: str, appauthor: object = None, *, roaming: bool = False) -> str:
        assert appname == "Teixit" and appauthor is False
        calls.append(roaming)
        base = tmp_path / "AppData" / ("Roaming" if roaming else "Local")
        return str(base / appname)

    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    paths.set_data_dir(None)
    monkeypatch.setattr(paths, "_default", None)
    return roaming, local


def _old_data(folder: Path) -> None:
    (folder / "backups").mkdir(parents=True)
    (folder / "teixit.db").write_bytes(b"SQLite format 3\0database")
    (folder / "teixit.db-wal").write_bytes(b"wal")
    (folder / "backups" / "teixit-20260101.db").write_bytes(b"backup")


def test_default_folder_is_the_local_one(windows_dirs: tuple[Path, Path]) -> None:
    _roaming, local = windows_dirs
    assert paths.data_dir() == local
    assert paths.db_path() == local / "teixit.db"


def test_data_in_the_roaming_folder_moves_once_to_the_local_one(
    windows_dirs: tuple[Path, Path],
) -> None:
    roaming, local = windows_dirs
    _old_data(roaming)

    assert paths.data_dir() == local
    assert (local / "teixit.db").read_bytes() == b"SQLite format 3\0database"
    assert (local / "teixit.db-wal").read_bytes() == b"wal"
    assert (local / "backups" / "teixit-20260101.db").read_bytes() == b"backup"
    assert not roaming.exists()
    assert not local.with_name("Teixit.moving").exists()


def test_an_empty_local_folder_still_receives_the_old_data(
    windows_dirs: tuple[Path, Path],
) -> None:
    roaming, local = windows_dirs
    _old_data(roaming)
    local.mkdir(parents=True)

    assert paths.data_dir() == local
    assert (local / "teixit.db").exists()


def test_data_already_in_the_local_folder_is_never_overwritten(
    windows_dirs: tuple[Path, Path],
) -> None:
    roaming, local = windows_dirs
    _old_data(roaming)
    local.mkdir(parents=True)
    (local / "teixit.db").write_bytes(b"the newer database")

    assert paths.data_dir() == local
    assert (local / "teixit.db").read_bytes() == b"the newer database"
    assert (roaming / "teixit.db").exists()  # left alone, never merged


def test_a_copy_cut_short_keeps_the_old_data_and_uses_it(
    windows_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roaming, local = windows_dirs
    _old_data(roaming)

    def full_disk(src: object, dst: str | Path, *args: object, **kwargs: object) -> None:
        Path(dst).mkdir(parents=True)
        (Path(dst) / "teixit.db").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(paths.shutil, "copytree", full_disk)

    assert paths.data_dir() == roaming
    assert (roaming / "teixit.db").read_bytes() == b"SQLite format 3\0database"
    assert not local.exists()
    assert not local.with_name("Teixit.moving").exists()


def test_an_override_moves_nothing(
    windows_dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    roaming, local = windows_dirs
    _old_data(roaming)
    paths.set_data_dir(tmp_path / "elsewhere")

    assert paths.data_dir() == tmp_path / "elsewhere"
    assert (roaming / "teixit.db").exists()
    assert not local.exists()


def test_outside_windows_both_folders_are_one_and_nothing_moves(tmp_path: Path) -> None:
    folder = tmp_path / "share" / "Teixit"
    _old_data(folder)
    assert paths.move_roaming_data(folder, folder) is False
    assert (folder / "teixit.db").exists()
