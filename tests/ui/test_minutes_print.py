"""The minutes of a network meeting, from the window and from the command line: the same file and
the same audit event, written by one service call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from app import cli
from app.db.models import AuditEvent
from app.domain.audit import AuditSubject
from app.domain.networks import AttendeeDTO, MeetingDTO, SpaceDTO
from app.services.container import Services
from ui.pages.networks_page import NetworksPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _prints(services: Services) -> list[tuple[str, str]]:
    with services.db.read() as s:
        rows = s.execute(
            select(AuditEvent.subject, AuditEvent.details)
            .where(AuditEvent.action == "print")
            .order_by(AuditEvent.at, AuditEvent.id)
        )
        return [(subject, details) for subject, details in rows]


def test_minutes_from_the_window_and_the_command_line_are_audited_alike(
    qtbot: Any, services: Services, bus: Any, prompts: Any, tmp_path: Path, data_dir: Path
) -> None:
    net = services.networks
    space, _c = net.save_space(SpaceDTO(None, "Xarxa de Suport Mutu"))
    meeting, _c = net.save_meeting(
        MeetingDTO(
            None,
            space.id or "",
            dt.date(2026, 3, 12),
            attendees=(AttendeeDTO(person_name="Laia Font"),),
        )
    )
    page = NetworksPage(services, bus, prompts, today=lambda: dt.date(2026, 3, 13))
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.tree.setCurrentIndex(page.tree_model.index(0, 0))
    page.panel.meetings.selectRow(0)

    from_window = tmp_path / "acta-finestra.pdf"
    prompts.files[:] = [str(from_window)]
    QTest.keyClick(page.panel.meetings, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert from_window.read_bytes().startswith(b"%PDF")
    assert prompts.shown[-1][0] == "info"

    from_cli = tmp_path / "acta-ordre.pdf"
    argv = ["--data-dir", str(data_dir), "minutes", "--meeting", meeting.id or "", "-o"]
    assert cli.main([*argv, str(from_cli)]) == 0
    assert from_cli.read_bytes().startswith(b"%PDF")

    subject = AuditSubject.minutes(meeting.id or "").encode()
    assert _prints(services) == [(subject, str(from_window)), (subject, str(from_cli))]
