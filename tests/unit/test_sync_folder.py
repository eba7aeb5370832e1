"""Sync through a folder from the command line: the key, pairing, joining, and a sync killed at
random moments (rule 7) that the next sync completes with no duplicate and no loss."""

from pathlib import Path

import pytest

from app import cli
from app.sync import folder
from tests.support.sync_kill import run


def _cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_key_pair_sync_and_join(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    assert _cli(capsys, office, "demo")[0] == 0
    code, out, _err = _cli(capsys, office, "sync", "--init-key", "--name", "Oficina")
    assert code == 0
    pairing = out.strip().splitlines()[-1]
    assert len(pairing.replace("-", "")) == 55
    # Shown once: a second key is refused.
    assert _cli(capsys, office, "sync", "--init-key")[0] == 1
    assert _cli(capsys, office, "sync", "--folder", str(shared))[0] == 0
    # A mistyped code is refused before anything is written.
    wrong = pairing[:5] + ("A" if pairing[5] != "A" else "B") + pairing[6:]
    assert _cli(capsys, laptop, "sync", "--pair", wrong)[0] == 1
    assert _cli(capsys, laptop, "sync", "--pair", pairing.lower(), "--name", "Portàtil")[0] == 0
    code, out, _err = _cli(capsys, laptop, "sync", "--join", "--folder", str(shared))
    assert code == 0
    assert _cli(capsys, office, "export", str(tmp_path / "office.json"))[0] == 0
    assert _cli(capsys, laptop, "export", str(tmp_path / "laptop.json"))[0] == 0
    assert (tmp_path / "office.json").read_bytes() == (tmp_path / "laptop.json").read_bytes()
    # Joining a database that holds records is refused: merge it with --folder instead.
    code, _out, err = _cli(capsys, office, "sync", "--join", "--folder", str(shared))
    assert code == 1 and "--folder" in err


def test_a_device_without_the_key_is_told_how_to_get_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shared").mkdir()
    code, _out, err = _cli(capsys, tmp_path / "a", "sync", "--folder", str(tmp_path / "shared"))
    assert code == 1 and "--pair" in err


def test_a_missing_sync_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli(capsys, tmp_path / "a", "sync", "--init-key")
    code, _out, err = _cli(capsys, tmp_path / "a", "sync", "--folder", str(tmp_path / "nowhere"))
    assert code == 1 and "nowhere" in err


def test_a_change_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "0000000001.tchg"
    folder.write_atomic(target, b"abc")
    assert target.read_bytes() == b"abc"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.slow  # the default run stays short; CI runs the slow ones too
def test_a_few_killed_syncs_lose_nothing(tmp_path: Path) -> None:
    report = run(tmp_path, kills=3, seed_value=5)
    assert report.problems == []
    assert report.kills == 3


@pytest.mark.slow
def test_many_killed_syncs_lose_nothing(tmp_path: Path) -> None:
    report = run(tmp_path, kills=12, seed_value=9, max_delay=4.0)
    assert report.problems == []
    assert report.landed >= 3  # most kills landed while a sync was running
