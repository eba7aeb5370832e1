"""Record a session's attendance in seconds: the enrolled people with one-key statuses,
"everyone present", walk-ins (found or created, then offered enrolment), head counts for open
events, notes, and marking the session held. Every status change is saved at once and can be
undone (Ctrl+Z) while the window is open: the window keeps its own undo history, so it never
undoes another session's marks."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QKeyCombination, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.figures import FINE_BANDS, GENDER_CODES, GENDER_LABELS, UNKNOWN_BAND
from app.domain.sessions import (
    COUNTED_STATUSES,
    SESSION_STATUS_LABELS,
    AttendanceSheet,
    AttendanceUndo,
    HeadCountDTO,
    SessionDTO,
)
from app.errors import UserError
from app.i18n import _, format_date
from app.services.container import Services
from ui.dialogs.print_sheet import open_sheet_dialog
from ui.dialogs.quick_person_dialog import QuickPersonDialog
from ui.events import DataBus
from ui.models.sessions import AttendanceModel, time_range
from ui.prompts import Prompts
from ui.stale import on_stale
from ui.widgets.person_picker import PersonPicker
from ui.widgets.status_keys import CLEAR, status_for_key
from ui.workers import run_op

#: Head counts are recorded in the fine bands every band set is built from (counts recorded
#: earlier in other bands show in rows of their own, so saving keeps them).
BANDS = (*FINE_BANDS, UNKNOWN_BAND)


class AttendanceTable(QTableView):
    """Arrows move; a status key sets the current person's status and moves down."""

    status_key = Signal(int, object)  # row, status or CLEAR
    undo_key = Signal()
    all_present_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # The same keys as the dialog's shortcuts, for when the window is not active yet.
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_key.emit()
            return
        if event.keyCombination() == QKeyCombination(
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_P
        ):
            self.all_present_key.emit()
            return
        status = status_for_key(event)
        index = self.currentIndex()
        if status is not None and index.isValid():
            self.status_key.emit(index.row(), status)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Next person, as on paper; never the dialog's default button (Mark as held).
            if index.row() + 1 < self.model().rowCount():
                self.setCurrentIndex(self.model().index(index.row() + 1, 0))
            event.accept()
            return
        super().keyPressEvent(event)


class AttendanceDialog(QDialog):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        session_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.bus, self.prompts = services, bus, prompts
        self.session_id = session_id
        self.sheet: AttendanceSheet | None = None
        #: The marks made in this window, newest last: what Ctrl+Z undoes.
        self.undo_history = AttendanceUndo()
        self.header = QLabel()
        self.header.setStyleSheet("font-size: 14px; font-weight: 600;")
        # A long activity name and the full date wrap instead of widening the window.
        self.header.setWordWrap(True)
        self.model = AttendanceModel(self)
        self.table = AttendanceTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The status column fits its longest label in either language ("Ausencia justificada").
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.status_buttons = {s: QPushButton() for s in ("present", "late", "excused", "absent")}
        self.all_present, self.undo_button = QPushButton(), QPushButton()
        self.counter = QLabel()
        self.keys_hint = QLabel()
        self.keys_hint.setWordWrap(True)
        self.picker = PersonPicker(services.people, allow_new=True)
        self.walk_in_box = QGroupBox()
        QVBoxLayout(self.walk_in_box).addWidget(self.picker)
        self.counts_box = QGroupBox()
        self.counts_box.setCheckable(True)
        self.counts: dict[tuple[str, str], QSpinBox] = {}
        # One row per age band, one column per gender; scrolls when the window is short.
        grid_widget = QWidget()
        self.counts_grid = grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.gender_labels = [QLabel() for _g in GENDER_CODES]
        for c, label in enumerate(self.gender_labels):
            label.setWordWrap(True)  # "No binari" on two lines keeps the columns narrow
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, 0, c + 1)
        grid.setHorizontalSpacing(4)
        self.band_labels: list[tuple[QLabel, str]] = []
        for band in BANDS:
            self._add_band_row(band)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_widget)
        scroll.setMinimumHeight(150)
        self.new_people = QSpinBox()
        self.new_people.setRange(0, 99999)
        self.new_people.setSpecialValueText("—")  # 0 shown as a dash: not estimated
        self.new_people_label = QLabel()
        self.new_people_label.setWordWrap(True)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_people_label, 1)
        new_row.addWidget(self.new_people)
        counts_layout = QVBoxLayout(self.counts_box)
        counts_layout.addWidget(scroll, 1)
        counts_layout.addLayout(new_row)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        self.notes_label = QLabel()
        self.print_button, self.close_button, self.held_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )

        status_row = QHBoxLayout()
        for b in self.status_buttons.values():
            status_row.addWidget(b)
        status_row.addStretch(1)
        status_row.addWidget(self.all_present)
        status_row.addWidget(self.undo_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.print_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.held_button)
        left = QVBoxLayout()
        left.addLayout(status_row)
        left.addWidget(self.table, 1)
        left.addWidget(self.counter)
        left.addWidget(self.keys_hint)
        right = QVBoxLayout()
        right.addWidget(self.walk_in_box)
        right.addWidget(self.counts_box)
        right.addWidget(self.notes_label)
        right.addWidget(self.notes)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.table.status_key.connect(self._on_status_key)
        self.table.undo_key.connect(self.undo)
        self.table.all_present_key.connect(self.everyone_present)
        for status, button in self.status_buttons.items():
            button.clicked.connect(lambda _c=False, s=status: self.set_current(s))
        self.all_present.clicked.connect(self.everyone_present)
        self.undo_button.clicked.connect(self.undo)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.everyone_present)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        # F1: the user guide at "Taking attendance" (the window's F1 does not reach a dialog).
        QShortcut(QKeySequence("F1"), self, self.show_help)
        #: The user guide's window opened from here (a child of this dialog, so its modality
        #: does not block it).
        self.help_window: QWidget | None = None
        self.picker.chosen.connect(self.add_walk_in)
        self.picker.new_requested.connect(self.new_walk_in)
        self.close_button.clicked.connect(self.save_and_close)
        self.held_button.clicked.connect(self.mark_held)
        self.print_button.clicked.connect(self.print_sheet)
        # Enter never presses a button here: in the list it moves down, in a head count or the
        # search box it must not mark the session held (or close the dialog) by surprise.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.reload()
        self._load_extras()
        self.retranslate_ui()
        self.resize(900, 600)
        self.table.setFocus()
        if self.model.total():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _add_band_row(self, band: str) -> None:
        row = len(self.band_labels) + 1
        label = QLabel(_("unknown") if band == UNKNOWN_BAND else band)
        self.band_labels.append((label, band))
        self.counts_grid.addWidget(label, row, 0)
        for c, code in enumerate(GENDER_CODES):
            spin = QSpinBox()
            spin.setRange(0, 9999)
            # Typed, not clicked: narrow boxes, so five genders fit beside the list.
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            spin.setMinimumWidth(36)
            spin.setMaximumWidth(48)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.counts[(code, band)] = spin
            self.counts_grid.addWidget(spin, row, c + 1)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Attendance"))
        labels = {
            "present": _("&Present"),
            "late": _("&Late"),
            "excused": _("&Excused"),
            "absent": _("&Absent"),
        }
        keys = {
            "present": _("P or 1"),
            "late": _("L, R or 2"),
            "excused": _("E, J or 3"),
            "absent": _("A or 4"),
        }
        for status, button in self.status_buttons.items():
            button.setText(labels[status])
            button.setToolTip(
                _("Mark the selected person (keys: {keys})").format(keys=keys[status])
            )
        self.all_present.setText(_("Everyone present"))
        self.all_present.setToolTip("Ctrl+Shift+P")
        self.undo_button.setText(_("Undo"))
        self.undo_button.setToolTip("Ctrl+Z")
        self.keys_hint.setText(
            _(
                "Keys: arrows move; P present, L late, E excused, A absent (or 1-4); "
                "Delete clears; Ctrl+Shift+P everyone present; Ctrl+Z undo."
            )
        )
        self.walk_in_box.setTitle(_("Someone else came"))
        self.counts_box.setTitle(_("Head count (open event)"))
        for label, code in zip(self.gender_labels, GENDER_CODES, strict=True):
            label.setText(_(GENDER_LABELS[code]))
        for label, band in self.band_labels:
            label.setText(_("unknown") if band == UNKNOWN_BAND else band)
        self.new_people_label.setText(_("Of them, new this year (estimate)"))
        self.new_people.setToolTip(
            _(
                "Head counts are attendances: estimate how many of the people counted came "
                "for the first time this year (the report shows them as people reached)."
            )
        )
        self.notes_label.setText(_("Notes"))
        self.print_button.setText(_("Print sheet…"))
        self.close_button.setText(_("Save and close"))
        self.close_button.setToolTip(
            _(
                "Keep the marks, head counts and notes (Escape). A past session with someone "
                "present counts as held."
            )
        )
        self.held_button.setText(_("Mark as held"))
        self.held_button.setToolTip(_("Save and count the session in the figures (it took place)"))
        self.picker.retranslate_ui()
        self.model.retranslate()
        self._header()

    def _header(self) -> None:
        if self.sheet is None:
            return
        s = self.sheet.session
        parts = [
            s.activity_name,
            format_date(s.date, fmt="full"),
            time_range(s),
            s.place_name,
            _(SESSION_STATUS_LABELS[s.status]),
        ]
        self.header.setText(" · ".join(p for p in parts if p))
        marked = sum(1 for r in self.sheet.rows if r.status)
        came = sum(1 for r in self.sheet.rows if r.status in COUNTED_STATUSES)
        self.counter.setText(
            _("Marked: {marked} of {total} · Came: {came}").format(
                marked=marked, total=len(self.sheet.rows), came=came
            )
        )
        self.undo_button.setEnabled(self.undo_history.can_undo())

    def reload(self) -> None:
        row = self.table.currentIndex().row()
        self.sheet = self.services.sessions.attendance(self.session_id)
        self.model.set_rows(self.sheet.rows)
        self.picker.exclude = {r.participant_id for r in self.sheet.rows}
        if 0 <= row < self.model.total():
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._header()

    def _load_extras(self) -> None:
        assert self.sheet is not None
        for box in self.counts.values():
            box.setValue(0)
        for c in self.sheet.head_counts:
            if (c.gender, c.age_band) not in self.counts and c.gender in GENDER_CODES:
                self._add_band_row(c.age_band)  # recorded earlier in another band: kept
            spin = self.counts.get((c.gender, c.age_band))
            if spin is not None:
                spin.setValue(c.count)
        self.new_people.setValue(self.sheet.session.new_people or 0)
        self.counts_box.setChecked(
            bool(self.sheet.head_counts) or self.sheet.session.new_people is not None
        )
        self.notes.setPlainText(self.sheet.session.notes)
        #: The notes as read: closing over someone else's newer notes compares both.
        self._notes_read = self.sheet.session.notes

    # --- statuses -------------------------------------------------------------------------
    def _apply(self, statuses: dict[str, str | None]) -> None:
        run_op(
            self,
            lambda: self.services.sessions.set_attendance(
                self.session_id, statuses, self.undo_history
            ),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Attendance"),
            on_success=lambda _r: self.reload(),
        )

    def _on_status_key(self, row: int, status: object) -> None:
        pid = self.model.row(row).participant_id
        self._apply({pid: None if status == CLEAR else str(status)})
        if row + 1 < self.model.total():
            self.table.setCurrentIndex(self.model.index(row + 1, 0))

    def set_current(self, status: str) -> None:
        index: QModelIndex = self.table.currentIndex()
        if index.isValid():
            self._on_status_key(index.row(), status)
        self.table.setFocus()

    def everyone_present(self) -> None:
        run_op(
            self,
            lambda: self.services.sessions.everyone_present(self.session_id, self.undo_history),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Attendance"),
            on_success=lambda _r: self.reload(),
        )

    def undo(self) -> None:

        def undone(session_id: str | None) -> None:
            if session_id is not None:
                self.reload()

        run_op(
            self,
            lambda: self.services.sessions.undo_attendance(self.undo_history),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Attendance"),
            on_success=undone,
        )

    # --- walk-ins -------------------------------------------------------------------------
    def show_help(self) -> None:
        from ui.dialogs.help_window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self)
        assert isinstance(self.help_window, HelpWindow)
        self.help_window.show_section("attendance")
        self.help_window.show()
        self.help_window.activateWindow()

    def add_walk_in(self, person_id: str) -> None:
        self._apply({person_id: "present"})
        name = next((r.name for r in self.model.rows() if r.participant_id == person_id), "")
        assert self.sheet is not None
        text = _("{name} came without being enrolled. Enrol them in {activity}?").format(
            name=name, activity=self.sheet.session.activity_name
        )
        if self.prompts.confirm(self, _("Enrolment"), text):
            session = self.sheet.session
            run_op(
                self,
                lambda: self.services.people.enrol(session.activity_id, person_id, session.date),
                bus=self.bus,
                prompts=self.prompts,
                title=_("Enrolment"),
                on_success=lambda _r: self.reload(),
            )
        self.table.setFocus()

    def new_walk_in(self, typed: str) -> None:
        dialog = QuickPersonDialog(self.services, self.prompts, typed, self, bus=self.bus)
        self.quick_dialog = dialog
        dialog.accepted.connect(
            lambda: self._created(dialog.saved.id or "") if dialog.saved else None
        )
        dialog.open()

    def _created(self, person_id: str) -> None:
        # The search that found nobody is done: the new person is in the list now.
        self.picker.search.clear()
        self.add_walk_in(person_id)

    # --- closing --------------------------------------------------------------------------
    def head_counts(self) -> list[HeadCountDTO]:
        if not self.counts_box.isChecked():
            return []
        return [
            HeadCountDTO(g, b, spin.value()) for (g, b), spin in self.counts.items() if spin.value()
        ]

    def estimated_new_people(self) -> int | None:
        """The estimate of new people at the open event (None: not estimated)."""
        if not self.counts_box.isChecked() or not self.new_people.value():
            return None
        return self.new_people.value()

    def _close(self, held: bool, notes: str | None = None) -> None:
        """Head counts, notes and (when asked) the held status: saved together or not at all.
        ``notes``: the notes chosen after someone else saved other notes meanwhile."""
        assert self.sheet is not None
        counts = self.head_counts()
        new_people = self.estimated_new_people()
        notes = self.notes.toPlainText() if notes is None else notes
        read = self._notes_read
        #: The notes someone else saved, when this close met them.
        seen: list[str] = []

        def retry(chosen: SessionDTO) -> None:
            self._notes_read = seen[-1]  # the chosen notes go over the current ones
            self._close(held, chosen.notes)

        def reload(current: SessionDTO) -> None:
            self.notes.setPlainText(current.notes)
            self._notes_read = current.notes

        stale = on_stale(
            self,
            self.prompts,
            _("Attendance"),
            replace(self.sheet.session, notes=notes),
            replace(self.sheet.session, notes=read),
            [("notes", _("Notes"))],
            retry=retry,
            reload=reload,
        )

        def failed(exc: UserError) -> None:
            current = getattr(exc, "current", None)
            if isinstance(current, SessionDTO):
                seen.append(current.notes)
            stale(exc)

        run_op(
            self,
            lambda: self.services.sessions.close_attendance(
                self.session_id,
                counts,
                notes,
                held=held,
                notes_read=read,
                new_people=new_people,
            ),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Attendance"),
            on_success=lambda _r: self.accept(),
            on_failure=failed,
        )

    def save_and_close(self) -> None:
        self._close(held=False)

    def reject(self) -> None:
        """Escape or the window's close button: the marks are saved already, and so are the
        head counts and notes typed (nothing typed is lost without a word)."""
        if self._extras_changed():
            self._close(held=False)  # closes when saved; stays open with the message if not
            return
        super().reject()

    def _extras_changed(self) -> bool:
        assert self.sheet is not None
        saved = {(c.gender, c.age_band): c.count for c in self.sheet.head_counts}
        typed = {(c.gender, c.age_band): c.count for c in self.head_counts()}
        return (
            saved != typed
            or self.notes.toPlainText() != self.sheet.session.notes
            or self.estimated_new_people() != self.sheet.session.new_people
        )

    def mark_held(self) -> None:
        self._close(held=True)

    def print_sheet(self) -> None:
        self.sheet_dialog = open_sheet_dialog(
            self, self.services, self.prompts, session_id=self.session_id
        )
