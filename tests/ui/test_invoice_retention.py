"""Settings > Data protection: how long the invoices' files kept with expenses are kept (stored
per entity, six years unless changed), and deleting those past it after a confirmation, as
``teixit purge --invoices-older-than`` does; the command without a number uses the stored
retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.db.models import AuditEvent, Expense, ExpenseAttachment
from app.domain.economics import ExpenseDraft
from app.errors import ValidationError
from app.services.container import Services
from tests.support.economic_rows import CIF, add_programme
from ui.events import DataBus
from ui.pages.settings_page import SettingsPage


def _count(services: Services, what: Any, *where: Any) -> int:
    with services.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(what).where(*where)) or 0)


def _expense_with_a_file(services: Services, tmp_path: Path, issued: dt.date) -> None:
    pid, city, _province, _staff = add_programme(services.db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 an invoice")
    draft = ExpenseDraft(
        programme_id=pid,
        issue_date=issued,
        amount=10_000,
        line="activities",
        creditor="Papereria Sants",
        creditor_tax_id=CIF,
        document_number="V-1",
        shares={city: 10_000},
        outside_reason="Del conveni anterior",
    )
    services.economics.save_expense(draft, [invoice])


def _type_years(qtbot: Any, page: SettingsPage, years: int) -> None:
    spin = page.invoices_box.years
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(years))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_delete_invoice_files_older_than_the_retention(
    qtbot: Any, services: Services, prompts: Any, tmp_path: Path
) -> None:
    seven_years_ago = dt.date.today().replace(day=1) - dt.timedelta(days=7 * 366)
    _expense_with_a_file(services, tmp_path, seven_years_ago)
    page = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(1)
    box = page.invoices_box
    assert box.years.value() == 6 and box.button.isVisible()
    assert box.button.text() == "Suprimeix els fitxers de factures de més de 6 anys…"
    assert box.years.minimum() == 4  # never under the four years a grant can be checked

    # Nine years: nothing is that old; the setting is kept.
    _type_years(qtbot, page, 9)
    assert services.purge.invoice_retention() == 9
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "info" and "9 anys" in prompts.shown[-1].text
    assert _count(services, ExpenseAttachment) == 1

    # Six: asked first; a no deletes nothing.
    _type_years(qtbot, page, 6)
    audits = _count(services, AuditEvent)
    prompts.confirms.append(False)
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "confirm" and "1 fitxer de factura" in prompts.shown[-1].text
    assert _count(services, ExpenseAttachment) == 1 and _count(services, AuditEvent) == audits

    # A yes: the file goes with one audit entry; the expense stays.
    prompts.confirms.append(True)
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].kind == "info"
    assert _count(services, ExpenseAttachment) == 0 and _count(services, Expense) == 1
    assert _count(services, AuditEvent, AuditEvent.action == "purge") == 1

    # The scans' box beside it keeps its own retention.
    assert services.purge.evidence_retention() == 4
    again = SettingsPage(services, DataBus(), prompts)
    qtbot.addWidget(again)
    again.show()
    assert again.invoices_box.years.value() == 6 and again.retention.value() == 4


def test_the_retention_is_bounded_and_the_command_uses_it(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import cli

    for years in (3, 31):
        with pytest.raises(ValidationError) as caught:
            services.purge.set_invoice_retention(years)
        assert "entre 4 i 30 anys" in caught.value.message
    assert services.purge.invoice_retention() == 6
    services.purge.set_invoice_retention(8)
    _expense_with_a_file(services, tmp_path, dt.date.today() - dt.timedelta(days=7 * 366))
    services.db.close()
    # Without a number: the stored eight years, so the seven-year-old file stays.
    assert cli.main(["purge", "--invoices-older-than", "--yes"]) == 0
    assert "8 anys" in capsys.readouterr().out
    assert cli.main(["purge", "--invoices-older-than", "6", "--yes"]) == 0
    assert "S'ha suprimit 1 fitxer de factura" in capsys.readouterr().out
