"""Help > Keyboard shortcuts: every key combination Teixit answers to, in one list."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _

#: (section, [(keys, what they do)]); keys in portable form, shown in the platform's notation.
SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        N_("Anywhere in the window"),
        (
            ("Ctrl+1", N_("Go to Home")),
            ("Ctrl+2", N_("Go to Programmes")),
            ("Ctrl+3", N_("Go to Sessions")),
            ("Ctrl+4", N_("Go to People")),
            ("Ctrl+5", N_("Go to Networks")),
            ("Ctrl+6", N_("Go to Reports")),
            ("Ctrl+7", N_("Go to Settings")),
            ("Ctrl+8", N_("Go to Economics")),
            ("Ctrl+E", N_("Export all data to a file")),
            ("Ctrl+I", N_("Import data from a file")),
            ("Ctrl+Shift+I", N_("Import people from a spreadsheet")),
            ("Ctrl+B", N_("Backups")),
            ("F9", N_("Sync now through the sync folder")),
            ("F1", N_("The user guide, at the page you are on")),
            ("Ctrl+F1", N_("This list of keyboard shortcuts")),
            ("Ctrl+Q", N_("Quit")),
        ),
    ),
    (
        N_("In a page"),
        (
            ("Ctrl+N", N_("New programme, session, person, network meeting or expense")),
            ("Ctrl+S", N_("Save the programme, person, settings, budget or expense being edited")),
            ("Ctrl+F", N_("Search people")),
            (
                "Ctrl+P",
                N_(
                    "Print what the page shows: the selected session's attendance sheet "
                    "(Sessions), the selected meeting's minutes (Networks)"
                ),
            ),
            ("Enter", N_("Open the selected session's attendance (Home, Sessions)")),
            (
                "Del",
                N_("Delete the selected space, meeting, organisation, referral or expense"),
            ),
            ("Ctrl+Shift+A", N_("Economics: attach the invoice's PDF or photo to the expense")),
        ),
    ),
    (
        N_("Taking attendance"),
        (
            ("P", N_("Present (also 1), and on to the next person")),
            ("L", N_("Late (also R or 2)")),
            ("E", N_("Excused absence (also J or 3)")),
            ("A", N_("Absent (also 4)")),
            ("Del", N_("Clear the mark")),
            ("Enter", N_("Next person")),
            ("Ctrl+Shift+P", N_("Mark everyone present")),
            ("Ctrl+Z", N_("Undo the last change")),
            ("Esc", N_("Close, keeping the marks, head counts and notes")),
        ),
    ),
    (
        N_("Activity register"),
        (
            ("Alt+PgUp", N_("Previous month")),
            ("Alt+PgDown", N_("Next month")),
            ("Ctrl+Z", N_("Undo the last change")),
        ),
    ),
    (
        N_("In the user guide (F1)"),
        (
            (
                "Ctrl+F",
                N_("Search the guide: only the sections that hold the words stay, marked"),
            ),
            ("Enter", N_("In the search box: the next section that holds the words")),
        ),
    ),
    (
        N_("In the other dialogs"),
        (
            ("Ctrl+S", N_("Save the network meeting")),
            ("Enter", N_("Accept (the highlighted button)")),
            ("Esc", N_("Close without saving")),
            ("Tab", N_("Next field")),
        ),
    ),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 5)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(640, 600)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        rows: list[tuple[str, str, bool]] = []
        for section, entries in SHORTCUTS:
            rows.append((_(section), "", True))
            for keys, text in entries:
                native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((native or keys, _(text), False))
        self.table.clearSpans()
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, (keys, text, is_section) in enumerate(rows):
            key_item, text_item = QTableWidgetItem(keys), QTableWidgetItem(text)
            self.table.setItem(r, 0, key_item)
            self.table.setItem(r, 1, text_item)
            if is_section:
                key_item.setFont(bold)
                self.table.setSpan(r, 0, 1, 2)
        self.table.setCurrentCell(-1, -1)  # a list to read: no cell highlighted

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
