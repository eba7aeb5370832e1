"""How soon another PC hears of a change on the office database: one PC saves a person, the
other's listener (the window's, app.db.notify) hears which table changed. The issue's budget is
2 s on the other PC's open page (median of 20); the page's own reload comes on top and is
measured by the people-page benchmarks.

Run: ``.venv/bin/python -m pytest tests/benchmarks/test_office_refresh_bench.py -p no:randomly``
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from app.db.engine import open_url
from app.domain.people import PersonDTO
from app.services.container import Services

pytestmark = pytest.mark.office


@pytest.fixture
def two_pcs(office_address: str) -> Iterator[tuple[Services, Services]]:
    here, there = Services(open_url(office_address)), Services(open_url(office_address))
    yield here, there
    here.close()
    there.close()


def test_another_pc_hears_a_saved_person(
    benchmark: Any, two_pcs: tuple[Services, Services]
) -> None:
    here, there = two_pcs
    heard = threading.Event()
    reachable = threading.Event()
    listener = here.office.listen(lambda _changes: heard.set(), lambda ok: ok and reachable.set())
    assert listener is not None
    assert reachable.wait(30)
    counter = iter(range(10_000))

    def save_and_hear() -> None:
        heard.clear()
        there.people.save(PersonDTO("Persona", f"Prova {next(counter)}"))
        assert heard.wait(30)

    try:
        benchmark.pedantic(save_and_hear, rounds=20, iterations=1, warmup_rounds=2)
    finally:
        listener.stop()
    median = benchmark.stats.stats.median
    benchmark.extra_info["budget_s"] = 2.0
    assert median < 2.0, f"median {median:.3f}s over the 2 s budget"
