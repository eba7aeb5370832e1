"""How soon another PC hears of a change on the office database: one PC saves a person, the
other's listener (the window's, app.db.notify) hears which table changed. The issue's budget is
2 s on the other PC's open page (median of 20); the page's own reload comes on top and is
measured by the people-page benchmarks.

The second test measures that figure itself, through the window (the whole application on the
office database, its People page open).

Run: ``.venv/bin/python -m pytest tests/benchmarks/test_office_refresh_bench.py -p no:randomly -s``
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool

from app.db.engine import open_url
from app.domain.people import PersonDTO
from app.domain.profile import EntityProfileDTO
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


def test_another_pcs_person_shows_on_the_open_people_page(
    benchmark: Any, office_address: str, qtbot: Any, tmp_path: Path
) -> None:
    """The issue's figure: from another PC's save to the person shown on this window's open
    People page (notice, the page's own reload), median of 20 (budget 2 s)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from tests.support.fake_prompts import FakePrompts
    from ui.main import Application
    from ui.settings import Preferences

    setup = open_url(office_address)
    Services(setup).profile.save(EntityProfileDTO(id="", name="Casal de Prova"))
    setup.close()
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    prefs.office_address = office_address
    application = Application(QApplication.instance(), FakePrompts(), prefs)  # type: ignore[arg-type]
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.go_to("people")
    page: Any = window.page("people")
    qtbot.waitUntil(lambda: not page.loading(), timeout=30000)
    link = window.office_link
    assert link is not None
    qtbot.waitUntil(lambda: link.reachable is True, timeout=30000)
    other_pc = Services(open_url(office_address))
    counter = iter(range(10_000))

    def shown(name: str) -> bool:
        model = page.model
        return any(model.row(r).name.endswith(name) for r in range(model.rowCount()))

    def save_and_see() -> None:
        family = f"Prova {next(counter):03d}"
        other_pc.people.save(PersonDTO("Persona", family))
        deadline = time.perf_counter() + 30
        while not shown(family):
            assert time.perf_counter() < deadline, f"{family} never showed"
            QApplication.processEvents()
            time.sleep(0.002)

    try:
        benchmark.pedantic(save_and_see, rounds=20, iterations=1, warmup_rounds=1)
    finally:
        other_pc.close()
        QThreadPool.globalInstance().waitForDone(10000)
        window.close()
        application.stop()
    median = benchmark.stats.stats.median
    benchmark.extra_info["budget_s"] = 2.0
    print(f"\nanother PC's person on the open People page: median {median:.3f}s (budget 2 s)")
    assert median < 2.0, f"median {median:.3f}s over the 2 s budget"
