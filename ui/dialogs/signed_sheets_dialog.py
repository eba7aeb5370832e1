"""Signed sheets read back: one screen per session, each row with its signature cell beside the
proposed mark (present / nothing), unsure rows first and highlighted. P or A changes the current
row's mark (arrows move), Enter confirms the session; nothing is written before that.

A signed blank row shows what the newcomer wrote by hand, with a search box to pick that person or
create them. A page whose code could not be read is not dropped: the person chooses its session
and page, and it is read from its corner marks alone. Other pages that gave no marks are listed
with the reason. Reading runs behind a progress bar with Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import NOTHING
from app.domain.scans import ABSENT, PRESENT, UNSURE, ScanPage, ScanResult, ScanRow, SessionScan
from app.i18n import _, ngettext
from app.services.scans import ScanCancelled, ScanService
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_cancellable, run_op

if TYPE_CHECKING:
    from app.services.container import Services
    from ui.widgets.person_picker import PersonPicker

UNSURE_COLOUR = QColor(255, 236, 170)
#: The widest a newcomer's handwritten line is shown (pixels).
HANDWRITING_WIDTH = 560
COL_CELL, COL_NUMBER, COL_NAME, COL_MARK = range(4)

#: The files the window takes (menu and drag and drop).
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")


def scan_filter() -> str:
    return _("Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)")


def _pixmap(png: bytes, height: int) -> QPixmap:
    pix = QPixmap()
    pix.loadFromData(png)
    if pix.isNull():
        return pix
    return pix.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)


class WalkInRow(QWidget):
    """A signed blank row: the name written by hand, and who it is (found or created)."""

    def __init__(self, row: ScanRow, services: Services, owner: SignedSheetsDialog) -> None:
        from ui.widgets.person_picker import PersonPicker

        super().__init__()
        self.row, self.owner = row, owner
        self.handwriting = QLabel()
        pix = _pixmap(row.line_png or row.cell_png, 40)
        if pix.width() > HANDWRITING_WIDTH:
            pix = pix.scaledToWidth(HANDWRITING_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self.handwriting.setPixmap(pix)
        self.number = QLabel(str(row.number))
        self.number.setMinimumWidth(24)
        self.picker: PersonPicker = PersonPicker(services.people, allow_new=True)
        self.chosen = QLabel()
        self.chosen.setWordWrap(True)
        self.picker.chosen.connect(self.choose)
        self.picker.new_requested.connect(self.create_person)
        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addWidget(self.handwriting)
        top.addWidget(self.chosen, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.addLayout(top)
        layout.addWidget(self.picker)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.picker.retranslate_ui()
        pid = self.owner.people.get(self.row.number)
        if pid:
            name = self.owner.people_names.get(pid, "")
            self.chosen.setText(_("Recorded as present: {name}.").format(name=name))
        else:
            self.chosen.setText(_("Who is it? Search, or create the person."))

    def choose(self, person_id: str) -> None:
        services = self.owner.services
        name = services.people.get(person_id).full_name if services else ""
        self.owner.people[self.row.number] = person_id
        self.owner.people_names[person_id] = name
        self.retranslate_ui()

    def create_person(self, typed: str) -> None:
        from ui.dialogs.quick_person_dialog import QuickPersonDialog

        services = self.owner.services
        assert services is not None
        dialog = QuickPersonDialog(services, self.owner.prompts, typed, self.owner, bus=None)
        self.owner.quick_dialog = dialog

        def created() -> None:
            if dialog.saved is not None and dialog.saved.id:
                self.picker.search.clear()
                self.choose(dialog.saved.id)

        dialog.accepted.connect(created)
        dialog.open()


class SignedSheetsDialog(QDialog):
    def __init__(
        self,
        scans: ScanService,
        prompts: Prompts,
        parent: QWidget | None = None,
        bus: DataBus | None = None,
        services: Services | None = None,
    ) -> None:
        super().__init__(parent)
        self.scans, self.prompts, self.bus, self.services = scans, prompts, bus, services
        self.reading: ScanResult | None = None
        self.index = 0
        #: The marks of the session on screen, by printed row number.
        self.marks: dict[int, str] = {}
        #: Who signed each blank row of the session on screen (row number -> person).
        self.people: dict[int, str] = {}
        self.people_names: dict[str, str] = {}
        self.saved: list[str] = []
        self.walk_in_rows: list[WalkInRow] = []
        self.quick_dialog: QDialog | None = None
        #: The progress dialog while files are read (Cancel stops the reading).
        self.progress_dialog: Any = None

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

        # Signed blank rows: the handwriting and who it is.
        self.walk_in_box = QGroupBox()
        self.walk_in_list = QWidget()
        self.walk_in_layout = QVBoxLayout(self.walk_in_list)
        self.walk_in_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.walk_in_list)
        scroll.setMaximumHeight(220)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QVBoxLayout(self.walk_in_box).addWidget(scroll)
        self.walk_in_box.hide()

        # Pages whose code could not be read: the person says which session and page.
        self.choose_box = QGroupBox()
        self.choose_page = QComboBox()
        self.choose_preview = QLabel()
        self.choose_session = QComboBox()
        self.choose_session.setMinimumContentsLength(30)
        self.choose_number = QSpinBox()
        self.choose_number.setRange(1, 99)
        self.choose_button = QPushButton()
        self.choose_labels = [QLabel() for _i in range(3)]
        form = QFormLayout()
        form.addRow(self.choose_labels[0], self.choose_page)
        form.addRow(self.choose_labels[1], self.choose_session)
        form.addRow(self.choose_labels[2], self.choose_number)
        form.addRow("", self.choose_button)
        self.choose_hint = QLabel()
        self.choose_hint.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.choose_hint)
        side.addLayout(form)
        row = QHBoxLayout(self.choose_box)
        row.addWidget(self.choose_preview)
        row.addLayout(side, 1)
        self.choose_box.hide()
        self.choose_page.currentIndexChanged.connect(self._page_chosen)
        self.choose_button.clicked.connect(self.read_chosen)

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
        layout.addWidget(self.walk_in_box)
        layout.addWidget(self.choose_box)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(900, 720)
        self.retranslate_ui()

    # -- reading ---------------------------------------------------------------------------
    def read(self, paths: Sequence[Path]) -> bool:
        """Read ``paths`` behind a progress bar with Cancel; False when nothing could be read
        or the person cancelled (then nothing is kept)."""
        files = list(paths)
        total = max(1, self.scans.count_pages(files))

        def work(progress: Any, cancelled: Any) -> ScanResult:
            def step(done: int, source: str) -> None:
                progress(
                    done / total,
                    _("Reading the signed sheets: page {done} of {total}").format(
                        done=done, total=total
                    ),
                )

            return self.scans.read(files, step, cancelled)

        def started(dialog: Any) -> None:
            self.progress_dialog = dialog

        outcome, value = run_cancellable(
            self,
            _("Read signed sheets"),
            _("Reading the signed sheets…"),
            work,
            (ScanCancelled,),
            started,
        )
        self.progress_dialog = None
        if outcome == "failed":
            self.prompts.error(self, _("Read signed sheets"), str(value))
        if outcome != "done":
            return False
        self.show_result(value)
        return True

    def show_result(self, result: ScanResult) -> None:
        self.reading, self.index = result, 0
        self.marks, self.people = {}, {}
        self._show_session()
        self._fill_choices()

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
        self.walk_in_box.setTitle(_("Signed blank rows: who came unannounced"))
        self.choose_box.setTitle(_("Pages without a readable code"))
        self.choose_hint.setText(
            _(
                "Teixit could not read the code of these pages. Say which session and page "
                "each one is, and its rows are read from the corner marks."
            )
        )
        for label, text in zip(
            self.choose_labels,
            (_("Scanned page"), _("Session"), _("Page of the sheet")),
            strict=True,
        ):
            label.setText(text)
        self.choose_button.setText(_("Read this page"))
        self._show_session()
        self._fill_choices()

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
            self._show_walk_ins()
            return
        if scan is None:
            if self._choosable():
                self.heading.setText(_("Choose the session and page of each page below."))
            else:
                self.heading.setText(
                    _("No session to confirm.") if not self.saved else _("Every session is saved.")
                )
            self._show_walk_ins()
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
        if not self.marks or set(self.marks) != {r.number for r in scan.rows}:
            self.marks = {r.number: r.verdict for r in scan.rows}
            self.people = {}
        self.table.setRowCount(len(scan.rows))
        for i, r in enumerate(scan.rows):
            cell = QLabel()
            cell.setPixmap(_pixmap(r.cell_png, 48))
            self.table.setCellWidget(i, COL_CELL, cell)
            self.table.setItem(i, COL_NUMBER, QTableWidgetItem(str(r.number)))
            self.table.setItem(i, COL_NAME, QTableWidgetItem(r.name or _("(blank row)")))
            if not r.participant_id and r.line_png:
                # What the newcomer wrote, beside the mark.
                line = QLabel()
                line.setPixmap(_pixmap(r.line_png, 40))
                line.setToolTip(_("(blank row)"))
                self.table.setCellWidget(i, COL_NAME, line)
            self.table.setItem(i, COL_MARK, QTableWidgetItem())
            self.table.setRowHeight(i, 52)
            self._paint_row(i)
        self.table.setColumnWidth(COL_CELL, 300)
        self.table.selectRow(0)
        self.table.setFocus()
        self._show_walk_ins()

    def _show_walk_ins(self) -> None:
        """One line per blank row marked present: the handwriting and who it is."""
        for w in self.walk_in_rows:
            w.setParent(None)
            w.deleteLater()
        self.walk_in_rows = []
        scan = self.session
        signed = [
            r
            for r in (scan.rows if scan else ())
            if not r.participant_id and self.marks.get(r.number) == PRESENT
        ]
        if scan is None or not signed or self.services is None:
            self.walk_in_box.hide()
            return
        for r in sorted(signed, key=lambda r: r.number):
            w = WalkInRow(r, self.services, self)
            self.walk_in_layout.addWidget(w)
            self.walk_in_rows.append(w)
        self.walk_in_box.show()

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
            if not p.choosable
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

    # -- pages without a readable code -----------------------------------------------------
    def _choosable(self) -> list[ScanPage]:
        if self.reading is None:
            return []
        return [p for p in self.reading.unmatched if p.choosable]

    def _fill_choices(self) -> None:
        pages = self._choosable()
        self.choose_box.setVisible(bool(pages))
        if not pages:
            return
        self.choose_page.blockSignals(True)
        self.choose_page.clear()
        for p in pages:
            text = _("{file}, page {page}: {problem}").format(
                file=p.source, page=p.index, problem=p.problem
            )
            self.choose_page.addItem(text, (p.source, p.index))
        self.choose_page.blockSignals(False)
        if self.choose_session.count() == 0:
            for choice in self.scans.choices():
                self.choose_session.addItem(choice.title, choice.session_id)
        self._page_chosen()

    def _chosen_page(self) -> ScanPage | None:
        key = self.choose_page.currentData()
        return next((p for p in self._choosable() if (p.source, p.index) == key), None)

    def _page_chosen(self) -> None:
        page = self._chosen_page()
        if page is None:
            return
        self.choose_preview.setPixmap(_pixmap(page.jpeg, 170))
        if page.session_id:  # an old sheet's code names the session
            i = self.choose_session.findData(page.session_id)
            if i >= 0:
                self.choose_session.setCurrentIndex(i)

    def read_chosen(self) -> None:
        """Read the chosen page as the chosen session's page, then show that session."""
        page, session_id = self._chosen_page(), self.choose_session.currentData()
        if page is None or self.reading is None:
            return
        if not session_id:
            self.prompts.error(self, _("Read signed sheets"), _("Choose the session."))
            return
        number = self.choose_number.value()
        reading = self.reading

        def call() -> tuple[ScanResult, Any]:
            read = self.scans.read_as(page, str(session_id), number)
            return self.scans.add_page(reading, read), NOTHING

        added: list[ScanResult] = []
        if not run_op(
            self,
            call,
            bus=None,
            prompts=self.prompts,
            title=_("Read signed sheets"),
            on_success=added.append,
        ):
            return
        self.reading = added[0]
        index = next(i for i, sc in enumerate(self.reading.sessions) if sc.session_id == session_id)
        if session_id in self.saved:
            self.saved.remove(str(session_id))
        self.index, self.marks = index, {}
        self._show_session()
        self._fill_choices()

    # -- marking and confirming ------------------------------------------------------------
    def set_mark(self, mark: str) -> None:
        scan, i = self.session, self.table.currentRow()
        if scan is None or not 0 <= i < len(scan.rows):
            return
        row = scan.rows[i]
        self.marks[row.number] = mark
        self._paint_row(i)
        if not row.participant_id:
            self._show_walk_ins()
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
        people = {n: pid for n, pid in self.people.items() if self.marks.get(n) == PRESENT}
        done = run_op(
            self,
            lambda: self.scans.apply(scan, dict(self.marks), people),
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
        self._next()

    def _next(self) -> None:
        """On to the next session not saved yet; closed when none is left and no page waits
        for its session to be chosen."""
        assert self.reading is not None
        self.marks, self.people = {}, {}
        sessions = self.reading.sessions
        self.index = next(
            (i for i, sc in enumerate(sessions) if sc.session_id not in self.saved),
            len(sessions),
        )
        if self.session is None and not self._choosable():
            self.accept()
        else:
            self._show_session()
