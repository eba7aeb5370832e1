"""Home's year figures: computed again only when a change they count has come (Home refreshes
for other reasons too: a dialog closed, a place renamed), and always after such a change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.domain.changes import Area, Changes
from app.domain.programmes import ActivityDTO, ProgrammeDTO
from app.domain.sessions import SessionDTO
from app.services.container import Services
from app.services.figures import FiguresService
from ui.events import DataBus
from ui.pages.home_page import HomePage


def _held_session(services: Services, activity_id: str) -> None:
    services.sessions.save(SessionDTO(activity_id=activity_id, date=dt.date.today(), status="held"))


def test_home_computes_the_figures_again_only_after_a_change_they_count(
    qtbot: Any, services: Services, bus: DataBus, prompts: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prog, _c = services.programmes.save(
        ProgrammeDTO(code="JOV", name="Joves", category="prevention")
    )
    act, _c = services.programmes.save_activity(ActivityDTO(programme_id=prog.id, name="Taller"))
    _held_session(services, act.id or "")
    computed: list[int] = []
    real_compute = FiguresService.compute

    def counting(self: FiguresService, *args: Any, **kwargs: Any) -> Any:
        computed.append(1)
        return real_compute(self, *args, **kwargs)

    monkeypatch.setattr(FiguresService, "compute", counting)
    page = HomePage(services, bus, prompts)
    qtbot.addWidget(page)
    page.show()  # the first show loads the page and its figures
    qtbot.waitUntil(lambda: page.figures is not None)
    assert page.figures is not None and page.figures.sessions == 1 and len(computed) == 1
    # A refresh for another reason (a dialog closed with nothing saved; a place renamed):
    # the figures shown are still true, so they are not computed again.
    page.refresh()
    bus.emit_changes(Changes.of(Area.PLACES))
    bus.emit_changes(Changes.of(Area.BACKUPS))
    assert len(computed) == 1
    # A session held: the change is announced, and the figures follow it.
    _held_session(services, act.id or "")
    bus.emit_changes(Changes.of(Area.SESSIONS))
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.sessions == 2)
    assert len(computed) == 2
    # Announced while Home is hidden: computed at the next show, not before.
    page.hide()
    _held_session(services, act.id or "")
    bus.emit_changes(Changes.of(Area.ALL))
    assert len(computed) == 2
    page.show()
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.sessions == 3)
    assert len(computed) == 3
    assert "3" in page.figures_label.text()
    page._background.wait()
