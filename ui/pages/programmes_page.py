"""Programmes: the list, and for the chosen one its form, activities (with rosters) and figures."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.programmes import ProgrammeDTO
from app.errors import ValidationError
from app.i18n import _, current_language
from app.services.container import Services
from ui.dialogs.print_sheet import open_sheet_dialog
from ui.events import DataBus
from ui.models.programmes import ProgrammesModel
from ui.models.rows import SORT_ROLE
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.stale import on_stale
from ui.widgets.activity_panel import ActivityPanel
from ui.widgets.export_button import ExportButton
from ui.widgets.figures_view import FiguresView
from ui.widgets.programme_form import ProgrammeForm
from ui.widgets.tables import proxy_for, sorted_view, stretch_column
from ui.workers import run_op


class ProgrammesPage(Page):
    areas = (
        Area.PROGRAMMES,
        Area.ACTIVITIES,
        Area.CATEGORIES,
        Area.STAFF,
        Area.PLACES,
        Area.FUNDERS,
        Area.SESSIONS,
        Area.ATTENDANCE,
        Area.NETWORKS,  # the figures count the network meetings linked to the programme
        Area.PEOPLE,  # the rosters name the people
    )

    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__(services, bus, prompts)
        self.programme_id: str | None = None
        #: The form's value as last loaded or saved (to tell unsaved changes).
        self._clean: ProgrammeDTO | None = None
        self.model = ProgrammesModel(self)
        self.proxy = proxy_for(self.model, self)
        self.list = stretch_column(sorted_view(self.proxy), ProgrammesModel.COL_NAME)
        # The name gets the room: the category is in the form beside and in the tooltip.
        self.list.setColumnHidden(ProgrammesModel.COL_CATEGORY, True)
        self.export_button = ExportButton(
            self.proxy, prompts, lambda: _("Programmes"), value_role=SORT_ROLE, view=self.list
        )
        self.new_button, self.delete_button = QPushButton(), QPushButton()
        self.heading = QLabel()
        self.heading.setWordWrap(True)  # a long name wraps instead of widening the window
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.report_button = QPushButton()
        #: What to do next when there is nothing yet (a new entity).
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("padding: 4px;")
        self.dialog: QDialog | None = None
        self.form = ProgrammeForm()
        self.activities = ActivityPanel(services, bus, prompts)
        self.figures = FiguresView(services.figures)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, "")
        self.tabs.addTab(self.activities, "")
        self.tabs.addTab(self.figures, "")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        ll.addLayout(buttons)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.empty_hint)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.report_button)
        rl.addLayout(top)
        rl.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([220, 780])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self.list.selectionModel().currentRowChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new_programme)
        self.delete_button.clicked.connect(self.delete_programme)
        self.report_button.clicked.connect(self.open_report)
        self.form.save_requested.connect(self.save_programme)
        self.activities.register_requested.connect(self.open_register)
        self.activities.print_sheet_requested.connect(self.print_activity_sheet)
        for keys, slot in (("Ctrl+N", self.new_programme), ("Ctrl+S", self.save_current)):
            # Also when the focus is on the navigation (a hidden page's shortcuts are off).
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.retranslate_ui()

    def title(self) -> str:
        return _("Programmes")

    def retranslate_ui(self) -> None:
        self.new_button.setText(_("New programme"))
        self.delete_button.setText(_("Delete"))
        self.new_button.setToolTip(_("New programme (Ctrl+N)"))
        self.delete_button.setToolTip(_("Delete the selected programme"))
        self.report_button.setText(_("Justification report…"))
        self.report_button.setToolTip(
            _("The justification report of this programme for funders, as PDF or spreadsheet")
        )
        self.empty_hint.setText(
            _(
                "No programmes yet. Fill in the code, name and category on the right and press "
                "Save (Ctrl+S); then add its activities and enrol people in the second tab."
            )
        )
        self.tabs.setTabText(0, _("Programme"))
        self.tabs.setTabText(1, _("Activities and enrolment"))
        self.tabs.setTabText(2, _("Figures"))
        self.form.retranslate_ui()
        self._choices()  # category names are per language
        self.activities.retranslate_ui()
        self.figures.retranslate_ui()
        self._labels()
        self._heading()

    def _labels(self) -> None:
        lang = current_language()
        self.model.category_labels = {
            c.code: c.label(lang) for c in self.services.profile.categories()
        }
        self.model.retranslate()

    def _choices(self) -> None:
        main, other = self.services.texts.languages()
        self.form.set_languages(main, other)
        self.activities.set_languages(main, other)
        self.form.set_choices(
            self.services.profile.categories(active_only=True),
            self.services.profile.staff(),
            self.services.profile.funders(),
        )

    def _heading(self) -> None:
        if self.programme_id is None:
            self.heading.setText(_("New programme"))
        else:
            self.heading.setText(f"{self.form.code.text()} · {self.form.name.text()}")

    def refresh(self) -> None:
        """Reload lists and choices; the programme shown keeps what its form holds."""
        keep = self.programme_id
        self._labels()
        self._choices()
        self.model.set_rows(self.services.programmes.all())
        self.proxy.sort(ProgrammesModel.COL_CODE)
        if keep and self.select(keep, show=False):
            self.activities.refresh()
            self.figures.compute()
            return
        if keep is None and self.has_unsaved_changes():
            return  # a new programme being typed stays on screen
        if self.model.total():
            self.list.selectRow(0)
        else:
            self._show(None)

    def select(self, programme_id: str, show: bool = True) -> bool:
        selection = self.list.selectionModel()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.model.row(self.proxy.mapToSource(index).row()).id == programme_id:
                selection.blockSignals(True)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                selection.blockSignals(False)
                self.list.viewport().update()
                if show:
                    self._show(programme_id)
                return True
        return False

    def _on_selected(self, current: object, _previous: object) -> None:
        index = self.proxy.mapToSource(current)  # type: ignore[arg-type]
        if not index.isValid():
            return
        target = self.model.row(index.row()).id
        if target is None or target == self.programme_id:
            return
        if not self.leave_ok():
            self._reselect()
            return
        self.select(target)

    def _reselect(self) -> None:
        """Put the list's selection back on the programme shown (its changes are kept)."""
        if self.programme_id is None or not self.select(self.programme_id, show=False):
            self.list.selectionModel().blockSignals(True)
            self.list.selectionModel().clear()
            self.list.selectionModel().blockSignals(False)

    def _typed(self) -> ProgrammeDTO | None:
        try:
            return self.form.value()
        except ValidationError:
            return None  # a number that does not parse: certainly a change

    def has_unsaved_changes(self) -> bool:
        if self.programme_id is None:  # a new programme: anything typed at all
            f = self.form
            texts = (f.code.text(), f.name.text(), f.description.toPlainText())
            return any(t.strip() for t in texts) or bool(f.objectives.toPlainText().strip())
        return self._typed() != self._clean

    def leave_ok(self) -> bool:
        """Before showing another programme: changes typed are saved or dropped, as the user
        says, never lost without a word. False when saving failed (the messages are shown)."""
        if not self.has_unsaved_changes():
            return True
        name = self.form.name.text().strip() or self.form.code.text().strip()
        text = _("Save the changes to the programme {name}? If not, they are discarded.").format(
            name=name
        )
        if not self.prompts.confirm(self, _("Unsaved changes"), text):
            return True
        return self.save_programme()

    def _show(self, programme_id: str | None) -> None:
        self.programme_id = programme_id
        self.form.set_programme(
            self.services.programmes.get(programme_id) if programme_id else None
        )
        self._clean = self._typed()
        self.activities.set_programme(programme_id)
        self.tabs.setTabEnabled(1, programme_id is not None)
        self.tabs.setTabEnabled(2, programme_id is not None)
        self.delete_button.setEnabled(programme_id is not None)
        self.report_button.setEnabled(programme_id is not None)
        self.empty_hint.setVisible(self.model.total() == 0)
        if programme_id is not None:
            self.figures.set_programmes([programme_id])
        self._heading()

    def new_programme(self) -> None:
        if not self.leave_ok():
            return
        self.list.selectionModel().blockSignals(True)
        self.list.selectionModel().clear()  # the current row too: a click on it must count
        self.list.selectionModel().blockSignals(False)
        self._show(None)
        self.tabs.setCurrentIndex(0)
        self.form.code.setFocus()

    def save_current(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.activities.save_activity()
        else:
            self.save_programme()

    def save_programme(self, chosen: ProgrammeDTO | None = None) -> bool:
        """Save the form (or ``chosen``: the values chosen after someone else saved the
        programme meanwhile)."""
        done: list[bool] = []

        def invalid(exc: ValidationError) -> None:
            self.tabs.setCurrentIndex(0)  # the messages are under the fields
            for message in self.form.errors.show(exc.errors):
                self.prompts.error(self, _("Programme"), message)

        def saved(programme: ProgrammeDTO) -> None:
            self.form.errors.clear()
            self.programme_id = programme.id
            self._clean = self._typed()  # the refresh below must not take it for unsaved
            self.refresh()
            self._show(programme.id)

        dto = chosen or self.form.value()
        stale = on_stale(
            self,
            self.prompts,
            _("Programme"),
            dto,
            self.form.opened,
            self.form.compared_fields(),
            retry=lambda again: done.append(self.save_programme(again)),
            reload=lambda current: self._show(current.id),
            show=self.form.shown,
        )
        ok = run_op(
            self,
            lambda: self.services.programmes.save(dto),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Programme"),
            on_invalid=invalid,
            on_success=saved,
            on_failure=stale,
        )
        return ok or any(done)

    def delete_programme(self) -> None:
        programme_id = self.programme_id
        if programme_id is None:
            return
        text = _("Delete the programme {name} and hide its activities and sessions?").format(
            name=self.form.name.text()
        )
        if not self.prompts.confirm(self, _("Delete"), text):
            return

        def deleted(_result: None) -> None:
            self.programme_id = None
            self.refresh()

        run_op(
            self,
            lambda: self.services.programmes.delete(programme_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete"),
            on_success=deleted,
        )

    # --- hooks to other areas ---------------------------------------------------------------
    def open_register(self, activity_id: str) -> None:
        from ui.dialogs.register_dialog import RegisterDialog

        dialog = RegisterDialog(self.services, self.bus, self.prompts, activity_id, self)
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def open_report(self) -> None:
        """The justification report dialog (the reports area's), this programme chosen."""
        if self.programme_id is None:
            return
        from ui.dialogs.report_dialog import ReportDialog

        dialog = ReportDialog(self.services, self.prompts, [self.programme_id], self)
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def print_activity_sheet(self, activity_id: str) -> None:
        """The register grid of the current month, printed (the sheets area's dialog)."""
        open_sheet_dialog(self, self.services, self.prompts, activity_id=activity_id)
