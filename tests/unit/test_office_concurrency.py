"""Five Teixit clients (processes) on one office database for a minute: marking attendance,
editing people (their own, and people all of them edit), adding sessions and reading the year's
figures at random. Afterwards every acknowledged change is present, every refused save was
reported to its client, nothing was overwritten unseen, no deadlock happened and the figures
equal a recount (tests/support/office_clients.py). A 10-minute run is in tests/benchmarks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.office_clients import check, run

pytestmark = [pytest.mark.office, pytest.mark.slow]

CLIENTS = 5
SECONDS = 60


def test_five_clients_for_a_minute_lose_nothing(office_address: str, tmp_path: Path) -> None:
    setup, logs = run(office_address, CLIENTS, SECONDS, tmp_path)
    outcome = check(office_address, setup, logs)
    print(f"\ncommitted {dict(outcome.committed)}, refused {outcome.refused}")
    assert outcome.errors == [], outcome.errors  # no refusal or deadlock but the stale saves
    assert outcome.committed["mark"] > 100 and outcome.committed["shared"] > 10
    assert outcome.refused > 0  # people all of them edit: some saves met a newer version
    assert outcome.committed["report"] > 0 and outcome.committed["session"] > 0
