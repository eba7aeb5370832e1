"""Territorial networks: the spaces tree with each space's data, figures and meetings; the
agreements board across spaces; and the directory of the territory's organisations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Area
from app.domain.networks import SpaceDTO
from app.i18n import _, format_date
from app.services.container import Services
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.referrals_panel import ReferralsPanel
from ui.events import DataBus
from ui.pages.base import Page
from ui.prompts import Prompts
from ui.widgets.agreements_board import AgreementsBoard
from ui.widgets.groups_panel import GroupsPanel
from ui.widgets.mediation_panel import MediationPanel
from ui.widgets.needs_panel import NeedsPanel
from ui.widgets.organisations_directory import OrganisationsDirectory
from ui.widgets.space_panel import SpacePanel
from ui.workers import run_op

ID_ROLE = Qt.ItemDataRole.UserRole


class NetworksPage(Page):
    areas = (
        Area.NETWORKS,
        Area.ORGANISATIONS,
        Area.STAFF,
        Area.PROGRAMMES,
        Area.COMMUNITY,
        Area.PEOPLE,
    )

    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(services, bus, prompts)
        self.today = today
        self.spaces: list[SpaceDTO] = []
        self.meeting_dialog: MeetingDialog | None = None
        self.sheet_dialog: QDialog | None = None

        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.new_space_button, self.new_commission_button = QPushButton(), QPushButton()
        self.delete_space_button = QPushButton()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #555; padding: 4px;")
        left_layout.addWidget(self.empty_hint)
        buttons = QHBoxLayout()
        for b in (self.new_space_button, self.new_commission_button, self.delete_space_button):
            buttons.addWidget(b)
        left_layout.addLayout(buttons)
        self.panel = SpacePanel(services, today, bus=bus)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 700])

        self.board = AgreementsBoard(services, today, prompts, bus)
        self.directory = OrganisationsDirectory(services, bus, prompts)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "")
        self.tabs.addTab(self.board, "")
        self.tabs.addTab(self.directory, "")
        # Community work: groups accompanied, mediation cases, needs detected, referrals.
        self.groups = GroupsPanel(services, bus, prompts, today)
        self.mediation = MediationPanel(services, bus, prompts, today)
        self.needs = NeedsPanel(services, bus, prompts, today)
        self.referrals = ReferralsPanel(services, bus, prompts, today)
        self.community_tabs: tuple[Any, ...] = (
            self.groups,
            self.mediation,
            self.needs,
            self.referrals,
        )
        for panel in self.community_tabs:
            self.tabs.addTab(panel, "")
        QVBoxLayout(self).addWidget(self.tabs)

        self.tree.selectionModel().currentChanged.connect(self._on_space_selected)
        self.new_space_button.clicked.connect(self.new_space)
        self.new_commission_button.clicked.connect(self.new_commission)
        self.delete_space_button.clicked.connect(self.delete_space)
        self.panel.saved.connect(self._on_space_saved)
        self.panel.new_meeting_button.clicked.connect(self.new_meeting)
        self.panel.edit_meeting_button.clicked.connect(self.open_meeting)
        self.panel.delete_meeting_button.clicked.connect(self.delete_meeting)
        self.panel.held_button.clicked.connect(self.mark_held)
        self.panel.minutes_button.clicked.connect(self.print_minutes)
        self.panel.sheet_button.clicked.connect(self.attendance_sheet)
        self.panel.meetings.doubleClicked.connect(lambda _i: self.open_meeting())
        self.panel.meetings.activated.connect(lambda _i: self.open_meeting())
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.new_in_tab)
        # Alt+1..7: the page's tabs.
        for number in range(1, self.tabs.count() + 1):
            QShortcut(
                QKeySequence(f"Alt+{number}"),
                self,
                activated=lambda n=number: self.tabs.setCurrentIndex(n - 1),
            )
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_minutes)
        delete = QKeySequence.StandardKey.Delete
        QShortcut(
            delete,
            self.tree,
            activated=self.delete_space,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        QShortcut(
            delete,
            self.panel.meetings,
            activated=self.delete_meeting,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.retranslate_ui()
        self._update_buttons()

    def title(self) -> str:
        return _("Networks")

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _("Spaces and meetings"))
        self.tabs.setTabText(1, _("Agreements"))
        self.tabs.setTabText(2, _("Organisations"))
        self.tabs.setTabText(3, _("Groups"))
        self.tabs.setTabText(4, _("Mediation"))
        self.tabs.setTabText(5, _("Needs"))
        self.tabs.setTabText(6, _("Referrals"))
        self.new_space_button.setText(_("New space"))
        self.new_space_button.setToolTip(_("A network, round table or working group"))
        self.new_commission_button.setText(_("New commission"))
        self.new_commission_button.setToolTip(_("A commission of the selected space"))
        self.delete_space_button.setText(_("Delete"))
        self.empty_hint.setText(
            _(
                "No network spaces yet. Add the networks, round tables and commissions your "
                "entity takes part in with “New space”; then record their meetings."
            )
        )
        self.panel.retranslate_ui()
        self.board.retranslate_ui()
        self.directory.retranslate_ui()
        for panel in self.community_tabs:
            panel.retranslate_ui()

    # ---- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._fill_tree()
        self._refresh_tab()

    def _refresh_tab(self) -> None:
        if self.tabs.currentWidget() is self.board:
            self.board.refresh()
        elif self.tabs.currentWidget() is self.directory:
            self.directory.refresh()
        elif self.tabs.currentWidget() in self.community_tabs:
            panel: Any = self.tabs.currentWidget()
            panel.refresh()
        else:
            self.panel.refresh_meetings()
            self.panel.refresh_figures()

    def _fill_tree(self, select_id: str | None = None) -> None:
        current = select_id or self.current_space_id()
        self.spaces = self.services.networks.spaces()
        self.tree_model.clear()
        items: dict[str, QStandardItem] = {}
        for s in self.spaces:
            item = QStandardItem(s.name)
            item.setData(s.id, ID_ROLE)
            if not s.active:
                item.setForeground(QBrush(QColor("#8a8a8a")))
                font = QFont()
                font.setItalic(True)
                item.setFont(font)
                item.setToolTip(_("Inactive"))
            parent = items.get(s.parent_id or "")
            (parent or self.tree_model.invisibleRootItem()).appendRow(item)
            items[s.id or ""] = item
        self.tree.expandAll()
        self.empty_hint.setVisible(not self.spaces)
        if current and current in items:
            self.tree.setCurrentIndex(items[current].index())
        elif self.panel.space is not None and self.panel.space.id:
            self.panel.show_space(None)
        self._update_buttons()

    def current_space_id(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _space(self, space_id: str | None) -> SpaceDTO | None:
        return next((s for s in self.spaces if s.id == space_id), None)

    def _on_space_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        space = self._space(current.data(ID_ROLE)) if current.isValid() else None
        if space is not None:
            self.panel.show_space(space)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_space_id() is not None
        self.new_commission_button.setEnabled(has)
        self.delete_space_button.setEnabled(has)

    def new_in_tab(self) -> None:
        """Ctrl+N: a new record of the tab shown (a meeting on the spaces' tab)."""
        current: Any = self.tabs.currentWidget()
        if current in self.community_tabs and current is not self.referrals:
            current.new()
        elif current not in self.community_tabs:
            self.new_meeting()

    # ---- spaces ----------------------------------------------------------------------------

    def new_space(self) -> None:
        self.tree.clearSelection()
        self.tree.setCurrentIndex(QModelIndex())
        self.panel.show_space(None)
        self.panel.name.setFocus()
        self._update_buttons()

    def new_commission(self) -> None:
        parent = self._space(self.current_space_id())
        if parent is None:
            return
        self.panel.show_space(None, parent)
        self.panel.name.setFocus()

    def _on_space_saved(self, space: SpaceDTO) -> None:
        self._fill_tree(space.id)

    def delete_space(self) -> None:
        space = self._space(self.current_space_id())
        if space is None or not self.prompts.confirm(
            self,
            _("Delete space"),
            _("Delete “{name}” and its commissions?").format(name=space.name),
        ):
            return

        def deleted(_result: None) -> None:
            self.panel.show_space(None)
            self.tree.setCurrentIndex(QModelIndex())
            self.refresh()

        run_op(
            self,
            lambda: self.services.networks.delete_space(space.id or ""),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot delete the space"),
            on_success=deleted,
        )

    # ---- meetings --------------------------------------------------------------------------

    def _open_dialog(self, meeting_id: str | None) -> None:
        space = self.panel.space
        if space is None or space.id is None:
            return
        self.meeting_dialog = MeetingDialog(
            self.services, self.bus, self.prompts, space.id, meeting_id, self, self.today
        )
        self.meeting_dialog.accepted.connect(self._after_meeting_saved)
        self.meeting_dialog.open()

    def _after_meeting_saved(self) -> None:
        dialog = self.meeting_dialog
        self._show_meetings(dialog.saved.id if dialog and dialog.saved else None)

    def _show_meetings(self, select_id: str | None = None) -> None:
        self.panel.refresh_meetings()
        self.panel.refresh_figures()
        for row, m in enumerate(self.panel.meetings_model.rows()):
            if m.id == select_id:
                self.panel.meetings.selectRow(row)

    def new_meeting(self) -> None:
        if self.panel.space is None or self.panel.space.id is None:
            self.new_space()  # Ctrl+N before any space exists: start with the space
            return
        self._open_dialog(None)

    def open_meeting(self) -> None:
        m = self.panel.selected_meeting()
        if m is not None:
            self._open_dialog(m.id)

    def delete_meeting(self) -> None:
        m = self.panel.selected_meeting()
        if m is None or not self.prompts.confirm(
            self,
            _("Delete meeting"),
            _("Delete the meeting of {date} with its agreements?").format(
                date=format_date(m.date, None, "short")
            ),
        ):
            return
        run_op(
            self,
            lambda: self.services.networks.delete_meeting(m.id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Delete meeting"),
            on_success=lambda _r: self.refresh(),
        )

    def mark_held(self) -> None:
        """The selected planned meeting took place: it counts in the figures from now on."""
        m = self.panel.selected_meeting()
        if m is None or m.status != "planned":
            return
        run_op(
            self,
            lambda: self.services.networks.mark_held(m.id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Cannot change the meeting"),
            on_success=lambda _summary: self._show_meetings(m.id),
        )

    def print_minutes(self) -> None:
        m = self.panel.selected_meeting()
        if m is None:
            return
        from ui.minutes import save_minutes

        lang = self.panel.minutes_lang.currentData()
        save_minutes(self, self.services, self.prompts, m.id, m.date, lang)

    def attendance_sheet(self) -> None:
        """The meeting's sheet to sign, with the attendance sheets' options and preview."""
        m = self.panel.selected_meeting()
        if m is None:
            return
        from ui import file_names
        from ui.dialogs.sheet_dialog import SheetDialog

        service = self.services.sheets

        def build(options: Any, final: bool) -> bytes:
            return service.pdf(service.meeting_sheet(m.id), options, record=final)

        self.sheet_dialog = SheetDialog(
            build,
            self.prompts,
            options=service.saved_options(),
            suggested_name=lambda: file_names.suggest(_("attendance-sheet"), m.date),
            allow_slips=False,
            remember=service.save_options,
            parent=self,
        )
        self.sheet_dialog.open()
