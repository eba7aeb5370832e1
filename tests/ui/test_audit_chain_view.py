"""Settings > Audit says whether the log is whole, and says it loudly when it is not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import delete

from app.db.engine import Database
from app.db.models import AuditEvent
from app.services import audit
from app.services.container import Services
from ui.widgets.audit_log import AuditLogView


def test_the_log_view_shows_the_chain_whole_then_broken(
    qtbot, db: Database, services: Services
) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        with db.begin() as s:
            audit.record(s, "print", "sheet", f"{n}")
    view = AuditLogView(services)
    qtbot.addWidget(view)
    view.show()
    assert "3" in view.chain.text() and "enllaçada" in view.chain.text()
    assert view.chain_report is not None and view.chain_report.intact
    with db.begin() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 2
    assert "manipulat" in view.chain.text() and "2" in view.chain.text()
    assert "b00020" in view.chain.styleSheet()
