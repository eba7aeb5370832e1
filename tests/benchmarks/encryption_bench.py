"""Encryption at rest, side by side: the same large demo (1 900 people, a year of sessions and
attendance, 3 000 expenses) in a plain file and in a SQLCipher file, each operation timed on one
then the other in turn (so a change of load on the machine hits both), with the compute floor
(tests/benchmarks/conftest.py) measured in the same run. Budget: encrypted <= 1.15 x plain.

- report data: a year's justification report loaded from the database (``ReportService.load``);
- search: the people index built from the database and a first keystroke (what the People page
  waits for; later keystrokes never touch the database);
- attendance: marking one session's attendance (one write, committed with ``synchronous=FULL``);
- start-up: opening the database as the window does (clean-close marker, no quick_check), its
  first query and closing it, the key unlocked (as when it is remembered on this computer); and
  ``teixit-cli list programmes`` as a whole process, plain against encrypted with the passphrase
  in TEIXIT_PASSPHRASE_FILE (so the scrypt of the passphrase is in it), and with the key at hand
  (the recovery key, which needs no key derivation: as fast as a key remembered in the keyring).

    .venv/bin/python tests/benchmarks/encryption_bench.py [ROUNDS]
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.db import encryption, keys  # noqa: E402
from app.db.engine import Database, open_database  # noqa: E402
from app.demo import load_demo  # noqa: E402
from app.domain.report import ReportRequest  # noqa: E402
from app.services.container import Services  # noqa: E402
from tests.benchmarks.conftest import compute_floor  # noqa: E402

TODAY = dt.date(2026, 6, 30)
PASSPHRASE = "Cavall bateria grapa 7"


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _busiest_session(services: Services) -> tuple[str, list[str]]:
    from sqlalchemy import func, select

    from app.db.models import Attendance

    with services.db.read() as s:
        sid = str(
            s.scalar(
                select(Attendance.session_id)
                .group_by(Attendance.session_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        )
    sheet = services.sessions.attendance(sid)
    return sid, [row.participant_id for row in sheet.rows]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    folder = Path(tempfile.mkdtemp(prefix="teixit-enc-bench-"))
    plain_dir, enc_dir = folder / "plain", folder / "encrypted"
    plain_dir.mkdir()
    db = open_database(plain_dir / "teixit.db")
    load_demo(db, "large", today=TODAY)
    db.close()
    shutil.copytree(plain_dir, enc_dir)
    key, recovery = encryption.encrypt_database(enc_dir / "teixit.db", PASSPHRASE)
    keys.unlock(key)
    paths = {"plain": plain_dir / "teixit.db", "encrypted": enc_dir / "teixit.db"}
    request = ReportRequest(None, TODAY - dt.timedelta(days=364), TODAY, lang="ca")

    opened: dict[str, Database] = {k: open_database(p) for k, p in paths.items()}
    services = {k: Services(d) for k, d in opened.items()}
    session = {k: _busiest_session(s) for k, s in services.items()}
    flip = {"k": 0}

    def report(kind: str) -> object:
        return services[kind].reports.load(request)

    def search(kind: str) -> object:
        fresh = Services(opened[kind])
        return fresh.people.search("mar", limit=None)

    def attendance(kind: str) -> object:
        sid, people = session[kind]
        flip["k"] += 1
        status = "present" if flip["k"] % 2 else "late"
        return services[kind].sessions.set_attendance(sid, {p: status for p in people[:20]})

    def start(kind: str) -> object:
        db = open_database(paths[kind])
        try:
            return Services(db).profile.get()
        finally:
            db.close()

    secret = folder / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    recovery_file = folder / "recovery"
    recovery_file.write_text(recovery + "\n", encoding="utf-8")
    cli = [str(ROOT / ".venv" / "bin" / "teixit-cli")]

    def command(kind: str, secret_file: Path | None = None) -> object:
        env = dict(os.environ, TEIXIT_DATA_DIR=str(paths[kind].parent))
        env.pop("TEIXIT_PASSPHRASE_FILE", None)
        if secret_file is not None:
            env["TEIXIT_PASSPHRASE_FILE"] = str(secret_file)
        return subprocess.run(
            [*cli, "list", "programmes"], env=env, check=True, capture_output=True
        )

    cases: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "report data (year, large demo)": (lambda: report("plain"), lambda: report("encrypted")),
        "search (index build + keystroke)": (lambda: search("plain"), lambda: search("encrypted")),
        "mark attendance (20 people)": (
            lambda: attendance("plain"),
            lambda: attendance("encrypted"),
        ),
        "start-up: open + first query": (lambda: start("plain"), lambda: start("encrypted")),
        "start-up: teixit-cli, passphrase": (
            lambda: command("plain"),
            lambda: command("encrypted", secret),
        ),
        "start-up: teixit-cli, key at hand": (
            lambda: command("plain"),
            lambda: command("encrypted", recovery_file),
        ),
    }
    floors = [compute_floor()]
    print(f"{'operation':36} {'plain s':>8} {'enc s':>8} {'enc/plain':>9} {'plain/floor':>11}")
    for name, (plain, encrypted) in cases.items():
        if name.startswith("start-up") and opened:
            # Opened as the window opens it: alone, after a clean close (no quick_check).
            for d in opened.values():
                d.close()
            opened.clear()
            start("plain"), start("encrypted")
        plain(), encrypted()  # warm-up
        times: dict[str, list[float]] = {"plain": [], "encrypted": []}
        many = rounds * 5 if name.startswith("mark") else rounds
        for _ in range(many):
            times["plain"].append(_timed(plain))
            times["encrypted"].append(_timed(encrypted))
        floors.append(compute_floor())
        p, e = statistics.median(times["plain"]), statistics.median(times["encrypted"])
        floor = statistics.median(floors)
        print(f"{name:36} {p:8.4f} {e:8.4f} {e / p:9.2f} {p / floor:11.1f}")
    print(f"floor (compute loop): {statistics.median(floors):.4f} s; rounds: {rounds}")
    for d in opened.values():
        d.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
