"""Signed sheets read back: one screen per session, each row with its signature cell beside the
proposed mark (present / nothing), unsure rows first and highlighted. P or A changes the current
row's mark (arrows move), Enter confirms the session; nothing is written before that. Pages that
gave no marks are listed with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import NOTHING
from app.domain.scans import ABSENT, PRESENT, UNSURE, ScanResult, SessionScan
from app.i18n import _, ngettext
from app.services.scans import ScanService
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_op

UNSURE_COLOUR = QColor(255, 236, 170)
COL_CELL, COL_NUMBER, COL_NAME, COL_MARK = range(4)

#: The files the window takes (menu and drag and drop).
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


def scan_filter() -> str:
    return _("Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)")


class SignedSheetsDialog(QDialog):
    def __init__(
        self,
        scans: ScanService,
        prompts: Prompts,
        parent: QWidget | None = None,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.scans, self.prompts, self.bus = scans, prompts, bus
        self.reading: ScanResult | None = None
        self.index = 0
        #: The marks of the session on screen, by printed row number.
        self.marks: dict[int, str] = {}
        self.saved: list[str] = []

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.installEventFilter(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(820, 620)
        self.retranslate_ui()

    # -- reading ---------------------------------------------------------------------------
    def read(self, paths: Sequence[Path]) -> bool:
        """Read ``paths`` behind a progress indicator; False when nothing could be read."""
        title = _("Read signed sheets")
        found: list[ScanResult] = []
        run_op(
            self,
            lambda: (self.scans.read(list(paths)), NOTHING),
            bus=None,
            prompts=self.prompts,
            title=title,
            on_success=found.append,
            background=True,
            progress_text=_("Reading the signed sheets…"),
        )
        if not found:
            return False
        self.show_result(found[0])
        return True

    def show_result(self, result: ScanResult) -> None:
        self.reading, self.index = result, 0
        self._show_session()

    @property
    def session(self) -> SessionScan | None:
        if self.reading is None or self.index >= len(self.reading.sessions):
            return None
        return self.reading.sessions[self.index]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Read signed sheets"))
        self.table.setHorizontalHeaderLabels([_("Signature"), _("No."), _("Name"), _("Mark")])
        self.save_button.setText(_("Confirm and save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Close"))
        self._show_session()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show_session(self) -> None:
        result, scan = self.reading, self.session
        self.problems.setText(self._problems_text())
        self.table.setRowCount(0)
        self.save_button.setEnabled(scan is not None)
        if result is None:
            self.heading.setText("")
            return
        if scan is None:
            self.heading.setText(
                _("No session to confirm.") if not self.saved else _("Every session is saved.")
            )
            return
        unsure = sum(1 for r in scan.rows if r.verdict == UNSURE)
        pages = ", ".join(str(p.page) for p in scan.pages)
        text = _("{title} — pages {pages}. Session {n} of {total}.").format(
            title=scan.title, pages=pages, n=self.index + 1, total=len(result.sessions)
        )
        if unsure:
            text += " " + ngettext(
                "{count} row is unsure: it is shown first, highlighted.",
                "{count} rows are unsure: they are shown first, highlighted.",
                unsure,
            ).format(count=unsure)
        text += " " + _("P: present, A: nothing, Enter: confirm.")
        notices = {p.notice for p in scan.pages if p.notice}
        self.heading.setText(" ".join([text, *sorted(notices)]))
        self.marks = {r.number: r.verdict for r in scan.rows}
        self.table.setRowCount(len(scan.rows))
        for i, r in enumerate(scan.rows):
            cell = QLabel()
            pix = QPixmap()
            pix.loadFromData(r.cell_png)
            cell.setPixmap(pix.scaledToHeight(48, Qt.TransformationMode.SmoothTransformation))
            self.table.setCellWidget(i, COL_CELL, cell)
            self.table.setItem(i, COL_NUMBER, QTableWidgetItem(str(r.number)))
            self.table.setItem(i, COL_NAME, QTableWidgetItem(r.name or _("(blank row)")))
            self.table.setItem(i, COL_MARK, QTableWidgetItem())
            self.table.setRowHeight(i, 52)
            self._paint_row(i)
        self.table.setColumnWidth(COL_CELL, 300)
        self.table.selectRow(0)
        self.table.setFocus()

    def _problems_text(self) -> str:
        if self.reading is None:
            return ""
        lines = [
            _("{file}: {problem}").format(file=name, problem=problem)
            for name, problem in self.reading.failed
        ]
        lines += [
            _("{file}, page {page}: {problem}").format(
                file=p.source, page=p.index, problem=p.problem
            )
            for p in self.reading.unmatched
        ]
        return "\n".join(lines)

    def _paint_row(self, i: int) -> None:
        scan = self.session
        if scan is None:
            return
        row = scan.rows[i]
        mark = self.marks[row.number]
        label = {PRESENT: _("present"), ABSENT: _("nothing"), UNSURE: _("unsure")}[mark]
        brush = QBrush(UNSURE_COLOUR) if mark == UNSURE else QBrush()
        for col in (COL_NUMBER, COL_NAME, COL_MARK):
            item = self.table.item(i, col)
            if item is not None:
                item.setBackground(brush)
                if col == COL_MARK:
                    item.setText(label)

    # -- marking and confirming ------------------------------------------------------------
    def set_mark(self, mark: str) -> None:
        scan, i = self.session, self.table.currentRow()
        if scan is None or not 0 <= i < len(scan.rows):
            return
        self.marks[scan.rows[i].number] = mark
        self._paint_row(i)
        if i + 1 < len(scan.rows):
            self.table.selectRow(i + 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_P:
                self.set_mark(PRESENT)
                return True
            if key == Qt.Key.Key_A:
                self.set_mark(ABSENT)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.confirm()
                return True
        return super().eventFilter(watched, event)

    def confirm(self) -> None:
        scan = self.session
        if scan is None:
            self.accept()
            return
        walk_ins: list[int] = []
        done = run_op(
            self,
            lambda: self.scans.apply(scan, dict(self.marks)),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Read signed sheets"),
            on_success=walk_ins.append,
        )
        if not done:
            return
        self.saved.append(scan.session_id)
        if walk_ins and walk_ins[0]:
            self.prompts.info(
                self,
                _("Read signed sheets"),
                ngettext(
                    "{count} signed blank row: add that person by hand.",
                    "{count} signed blank rows: add those people by hand.",
                    walk_ins[0],
                ).format(count=walk_ins[0]),
            )
        self.index += 1
        if self.session is None:
            self.accept()
        else:
            self._show_session()
