"""A device's life in the team from the command line: joining that can be cancelled (the data
as it was) or killed (a valid database, the next join completes it), retiring a lost laptop
(its data wiped at its next start, its past changes kept) and compacting on demand."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import cli
from app.db.engine import Database, open_database
from app.db.models import ChangeEntry, Participant
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import device, folder, joining, run
from tests.support.sync_replicas import open_replica, seed

ROOT = Path(__file__).resolve().parents[2]


def _cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _office(tmp_path: Path, people: int = 4) -> tuple[Path, str]:
    shared = tmp_path / "shared"
    shared.mkdir()
    office = open_replica(tmp_path, "office")
    seed(office.services, people=people)
    code = device.create_key(office.db, "Oficina")
    run.sync(office.db, shared)
    office.db.close()
    return shared, code


def _people(data: Path) -> int:
    """Participants committed so far, read beside the running join."""
    path = data / "teixit.db"
    if not path.exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return int(con.execute("SELECT count(*) FROM participant").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet
    finally:
        con.close()


def _state(db: Database) -> tuple[int, int, str]:
    with db.read() as s:
        people = int(s.scalar(select(func.count()).select_from(Participant)) or 0)
        log = int(s.scalar(select(func.count()).select_from(ChangeEntry)) or 0)
        return people, log, json.dumps(Services(db).exchange.export_data(), sort_keys=True)


def test_a_cancelled_join_leaves_the_data_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared, code = _office(tmp_path, people=30)
    monkeypatch.setattr(folder, "APPLY_BATCH", 10)  # several transactions to stop between
    laptop = open_replica(tmp_path, "laptop", enable=False)
    try:
        device.pair(laptop.db, code, "Portàtil")
        before = _state(laptop.db)
        steps: list[float] = []

        def cancelled() -> bool:
            return len(steps) > 3  # after a few transactions were committed

        with pytest.raises(joining.JoinCancelled):
            joining.join(laptop.db, shared, lambda f, _m: steps.append(f), cancelled)
        assert _state(laptop.db) == before
        # Joining again, not cancelled, completes.
        run.join(laptop.db, shared)
        assert _state(laptop.db)[0] == 30
    finally:
        laptop.db.close()


def test_a_join_killed_midway_leaves_a_valid_database_the_next_join_completes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared, code = _office(tmp_path, people=400)
    laptop = tmp_path / "laptop"
    assert _cli(capsys, laptop, "sync", "--pair", code)[0] == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "app.cli", "--data-dir", str(laptop)]
    # A join of many small transactions, killed once the first ones are committed (through the
    # merge: a first replica otherwise goes in bulk, in one transaction, all or nothing).
    script = (
        "import sys\nimport app.sync.folder as f\nimport app.sync.bulk as b\n"
        "def whole(*a, **k):\n    raise b.NotInBulk()\n"
        "b.apply_in_bulk = whole\nf.APPLY_BATCH = 20\nfrom app import cli\n"
        "sys.exit(cli.main(sys.argv[1:]))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "--data-dir", str(laptop), "sync", "--join", "--folder"]
        + [str(shared)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and _people(laptop) == 0:
        time.sleep(0.01)
    assert proc.poll() is None, "the join ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert 0 < _people(laptop) < 400
    db = open_database(laptop / "teixit.db")
    try:
        with db.read() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        db.close()
    done = subprocess.run(
        [*command, "sync", "--join", "--folder", str(shared)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode()
    db = open_database(laptop / "teixit.db")
    office = open_database(tmp_path / "office" / "teixit.db")
    try:
        assert _state(db)[2] == _state(office)[2]
    finally:
        db.close()
        office.close()


def test_a_retired_laptop_is_wiped_and_its_changes_stay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared, code = _office(tmp_path)
    laptop = tmp_path / "laptop"
    office = tmp_path / "office"
    assert _cli(capsys, laptop, "sync", "--pair", code, "--name", "Portàtil")[0] == 0
    assert _cli(capsys, laptop, "sync", "--join", "--folder", str(shared))[0] == 0
    db = open_database(laptop / "teixit.db")
    Services(db).people.save(PersonDTO(given_name="Nouvinguda", family_names="Riera"))
    db.close()
    assert _cli(capsys, laptop, "sync", "--folder", str(shared))[0] == 0
    assert _cli(capsys, office, "sync", "--folder", str(shared))[0] == 0
    # An unknown device is refused, naming the known ones.
    code_, _out, err = _cli(capsys, office, "sync", "--retire", "Nobody")
    assert code_ == 1 and "Portàtil" in err
    code_, out, _err = _cli(capsys, office, "sync", "--retire", "Portàtil")
    assert code_ == 0 and "Portàtil" in out
    assert list((shared / folder.SUBFOLDER).glob("*/retired-*.tret"))
    # The laptop's next start (here, its next command) wipes its data.
    code_, _out, err = _cli(capsys, laptop, "sync", "--folder", str(shared))
    assert code_ == 1 and "office" in err
    db = open_database(laptop / "teixit.db")
    try:
        assert _state(db)[:2] == (0, 0)
        assert device.info(db) is None
    finally:
        db.close()
    # Its past changes stay on the office.
    db = open_database(office / "teixit.db")
    try:
        names = [h.name for h in Services(db).people.search("Nouvinguda", limit=None)]
        assert names and "Riera" in names[0]
        peers = [d for d in Services(db).sync.devices() if not d.is_self]
        assert [d.retired_at is not None for d in peers] == [True]
    finally:
        db.close()


def test_compact_on_demand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared, _code = _office(tmp_path)
    code, out, _err = _cli(capsys, tmp_path / "office", "sync", "--compact")
    assert code == 0 and out.strip()
