"""The window's export of all data is written to the audit log and the file is private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import select

from app.db.models import AuditEvent
from app.domain.people import PersonDTO
from app.services.container import Services
from ui.main_window import AREAS, MainWindow
from ui.pages.base import Page


class _Blank(Page):
    def title(self) -> str:
        return "-"

    def retranslate_ui(self) -> None:
        pass

    def refresh(self) -> None:
        pass


def test_export_all_data_from_the_window(
    qtbot, services: Services, bus, prompts, tmp_path: Path
) -> None:
    services.people.save(PersonDTO("Aina", "Vidal"))
    pages = {key: (lambda: _Blank(services, bus, prompts)) for key in AREAS}
    window = MainWindow(services, bus, prompts, pages)
    qtbot.addWidget(window)
    prompts.files = [str(tmp_path / "copia")]  # the extension is added
    window.export_data()
    path = tmp_path / "copia.json"
    assert "Aina" in path.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with services.db.read() as s:
        [event] = s.scalars(select(AuditEvent))
    assert (event.action, event.subject) == ("export", str(path))
    assert prompts.shown[-1][0] == "info"
