"""The change log once compacted when the office database is the hub, on the large demo (issue:
laptops that work offline and sync; target <= +20 % of the database's size).

    .venv/bin/python -m pytest -p no:cacheprovider \
        tests/benchmarks/test_sync_office_compaction_bench.py -s -m slow

The large demo in an office database (PostgreSQL, its baseline written once); a laptop joins
from it, then a week's work later (people edited twice) syncs with compaction as the window
does; the office's own log is compacted as after its daily backup (about the data's size: it
keeps each field's latest change). Sizes are taken after VACUUM;
each compaction's time is printed beside the compute floor of tests/benchmarks/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.db.engine import Database, open_database, open_url
from app.db.models import ChangeEntry, Participant
from app.demo import load_demo
from app.domain.people import PersonDTO
from app.services.container import Services
from app.sync import device
from app.sync import office as office_sync
from tests.benchmarks.conftest import compute_floor, file_size

TODAY = dt.date(2026, 11, 26)


def _open(path: Path) -> Database:
    path.mkdir(parents=True, exist_ok=True)
    return open_database(path / "teixit.db")


def _entries(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(ChangeEntry)) or 0)


@pytest.mark.slow
@pytest.mark.office
def test_the_change_log_compacted_with_the_office_as_hub(
    tmp_path: Path, office_address: str
) -> None:
    from app.db.office import upload

    source = _open(tmp_path / "source")
    load_demo(source, "large", today=TODAY)
    plain = file_size(source)
    hub = open_url(office_address)
    upload(source.engine, hub.engine)
    source.close()
    device.enable(hub, "office")
    laptop = _open(tmp_path / "laptop")
    office_sync.join_office(laptop, office_address)
    joined = file_size(laptop)
    # A week's work at the office: 200 people's notes edited three times (the first save of a
    # demo person also tidies other fields; the second sets only the notes, set again later).
    services = Services(hub)
    with hub.read() as s:
        people = list(
            s.scalars(
                select(Participant.id)
                .where(Participant.blocked_at.is_(None), Participant.deleted_at.is_(None))
                .limit(200)
            )
        )
    for n in (1, 2, 3):
        for pid in people:
            p = services.people.get(pid)
            services.people.save(PersonDTO(**{**p.__dict__, "notes": f"setmana {n}"}))
    office_sync.sync_office(laptop, office_address)  # the laptop's note reaches the office
    floor = compute_floor()
    start = time.perf_counter()
    synced = office_sync.sync_office(laptop, office_address, compact=True)
    elapsed = time.perf_counter() - start
    assert synced.compacted is not None
    laptop_size = file_size(laptop)
    before_office = _entries(hub)
    with hub.read() as s:
        log_before = int(s.scalar(text("SELECT pg_total_relationfile_size('change_log')")) or 0)
    start = time.perf_counter()
    office_result = office_sync.compact_office(hub)
    office_elapsed = time.perf_counter() - start
    plain_engine = create_engine(office_address, isolation_level="AUTOCOMMIT")
    try:
        with plain_engine.connect() as c:
            c.execute(text("VACUUM FULL change_log"))
    finally:
        plain_engine.dispose()
    with hub.read() as s:
        log_after = int(s.scalar(text("SELECT pg_total_relationfile_size('change_log')")) or 0)
    print(
        f"\nlarge demo {plain / 1e6:.1f} MB; the laptop joined from the office "
        f"{joined / 1e6:.1f} MB (+{(joined / plain - 1) * 100:.0f} %); after a sync with "
        f"compaction {laptop_size / 1e6:.1f} MB (+{(laptop_size / plain - 1) * 100:.1f} %, "
        f"{synced.compacted.removed} of {synced.compacted.before} entries removed; the sync and "
        f"compaction {elapsed:.1f} s, compute floor {floor:.4f}s, ratio {elapsed / floor:.0f}x). "
        f"The office's own log: {office_result.removed} of {before_office} entries removed in "
        f"{office_elapsed:.1f} s (ratio {office_elapsed / floor:.0f}x), "
        f"{log_before / 1e6:.1f} MB -> {log_after / 1e6:.1f} MB"
    )
    assert laptop_size <= plain * 1.20
    assert office_result.removed >= len(people)  # each second edit, set again by the third
    hub.close()
    laptop.close()
