"""Someone else saved the record you are saving: both versions side by side, the differing fields
highlighted, and what to keep — yours, theirs, or field by field. Nothing is saved until the
person chooses; cancelling leaves the form as it was typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.prompts import StaleChoice, StaleField

#: Longer values are shortened on screen (the whole value is in the tool tip).
SHOWN_AT_MOST = 300
HIGHLIGHT = "background-color: #fff1c2; color: #1f1f1f; padding: 3px;"


def _short(value: str) -> str:
    return value if len(value) <= SHOWN_AT_MOST else value[:SHOWN_AT_MOST].rstrip() + "…"


class CompareDialog(QDialog):
    def __init__(
        self, title: str, text: str, fields: list[StaleField], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.fields = fields
        self._keep_all: bool | None = None
        self.intro = QLabel(text)
        self.intro.setWordWrap(True)
        self.theirs_heading, self.mine_heading = QLabel(), QLabel()
        for heading in (self.theirs_heading, self.mine_heading):
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
        grid = QGridLayout()
        grid.addWidget(self.theirs_heading, 0, 1)
        grid.addWidget(self.mine_heading, 0, 2)
        self.labels: dict[str, QLabel] = {}
        self.theirs_buttons: dict[str, QRadioButton] = {}
        self.mine_buttons: dict[str, QRadioButton] = {}
        self._groups: list[QButtonGroup] = []
        for row, f in enumerate(fields, start=1):
            label = QLabel(f.label)
            self.labels[f.key] = label
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            if not f.differs:
                for column, value in ((1, f.theirs), (2, f.mine)):
                    same = QLabel(_short(value) or "—")
                    same.setWordWrap(True)
                    same.setToolTip(value)
                    grid.addWidget(same, row, column, Qt.AlignmentFlag.AlignTop)
                continue
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            group = QButtonGroup(self)
            theirs = QRadioButton(_short(f.theirs) or "—")
            mine = QRadioButton(_short(f.mine) or "—")
            for column, button in ((1, theirs), (2, mine)):
                button.setStyleSheet(HIGHLIGHT)
                button.setToolTip(f.theirs if button is theirs else f.mine)
                group.addButton(button)
                grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignTop)
            (mine if f.changed_by_me else theirs).setChecked(True)
            self.theirs_buttons[f.key], self.mine_buttons[f.key] = theirs, mine
            self._groups.append(group)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(fields) + 1, 1)  # the rows stay together at the top
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.keep_mine = QPushButton()
        self.take_theirs = QPushButton()
        self.save_choice = QPushButton()
        for action in (self.save_choice, self.take_theirs, self.keep_mine):
            self.buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
        self.keep_mine.clicked.connect(lambda: self._finish(True))
        self.take_theirs.clicked.connect(lambda: self._finish(False))
        self.save_choice.clicked.connect(lambda: self._finish(None))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(760, min(640, 160 + 48 * len(fields)))
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.theirs_heading.setText(_("Now in the database"))
        self.mine_heading.setText(_("What you typed"))
        self.keep_mine.setText(_("Keep mine"))
        self.keep_mine.setToolTip(_("Save everything you typed over the current version."))
        self.take_theirs.setText(_("Take theirs"))
        self.take_theirs.setToolTip(_("Discard your changes and show the current version."))
        self.save_choice.setText(_("Save my choice"))
        self.save_choice.setToolTip(_("Save the value chosen in each highlighted field."))

    def _finish(self, keep_all: bool | None) -> None:
        self._keep_all = keep_all
        self.accept()

    def choice(self) -> StaleChoice:
        """For each differing field, True to keep what was typed."""
        if self._keep_all is not None:
            return {key: self._keep_all for key in self.mine_buttons}
        return {key: button.isChecked() for key, button in self.mine_buttons.items()}
