"""First start on an empty database: begin with the demo data, or empty with the entity's name,
logo and language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.domain.profile import logo_problem
from app.i18n import _, current_language
from ui.i18n_qt import add_languages
from ui.prompts import Prompts


class WelcomeDialog(QDialog):
    language_requested = Signal(str)

    def __init__(self, prompts: Prompts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.logo: bytes | None = None

        self.heading = QLabel()
        self.heading.setObjectName("welcomeHeading")
        self.heading.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.demo_choice = QRadioButton()
        self.empty_choice = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.demo_choice)
        group.addButton(self.empty_choice)
        self.demo_choice.setChecked(True)

        self.name_edit = QLineEdit()
        self.name_error = QLabel()
        self.name_error.setStyleSheet("color: #b00020;")
        self.name_error.hide()
        self.logo_button = QPushButton()
        self.logo_button.clicked.connect(self._choose_logo)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedHeight(48)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_preview, 1)
        self.language_combo = QComboBox()
        add_languages(self.language_combo)
        self.language_combo.setCurrentIndex(self.language_combo.findData(current_language()))
        self.language_combo.currentIndexChanged.connect(
            lambda: self.language_requested.emit(self.language_combo.currentData())
        )

        self.empty_form = QWidget()
        form = QFormLayout(self.empty_form)
        form.setContentsMargins(24, 0, 0, 0)
        self.name_label = QLabel()
        self.logo_label = QLabel()
        self.name_label.setBuddy(self.name_edit)
        form.addRow(self.name_label, self.name_edit)
        form.addRow("", self.name_error)
        form.addRow(self.logo_label, logo_row)
        self.empty_choice.toggled.connect(self.empty_form.setEnabled)
        self.empty_choice.toggled.connect(lambda on: on and self.name_edit.setFocus())
        self.empty_form.setEnabled(False)

        self.language_label = QLabel()
        self.language_label.setBuddy(self.language_combo)
        lang_row = QHBoxLayout()
        lang_row.addWidget(self.language_label)
        lang_row.addWidget(self.language_combo)
        lang_row.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(lang_row)
        layout.addSpacing(8)
        layout.addWidget(self.demo_choice)
        layout.addWidget(self.empty_choice)
        layout.addWidget(self.empty_form)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addSpacing(8)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        # Tab follows the page from top to bottom (widgets were created in another order).
        chain = (
            self.language_combo,
            self.demo_choice,
            self.empty_choice,
            self.name_edit,
            self.logo_button,
            self.buttons,
        )
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to Teixit"))
        self.heading.setText(_("Welcome to Teixit"))
        self.intro.setText(
            _(
                "Teixit keeps your programmes, sessions, attendance and networks on this "
                "computer. How do you want to start?"
            )
        )
        self.language_label.setText(_("&Language:"))
        self.demo_choice.setText(_("&Try it with demo data (an association in Sants)"))
        self.empty_choice.setText(_("Start &empty with my entity's data"))
        self.demo_choice.setToolTip(
            _("Programmes, sessions, people and networks made up to show how Teixit works.")
        )
        self.note.setText(
            _(
                "Your data stays on this computer, in the folder {folder}. Everything can be "
                "changed later in Settings."
            ).format(folder=paths.data_dir())
        )
        self.name_label.setText(_("Entity &name:"))
        self.name_edit.setPlaceholderText(_("e.g. Associació Veïnal de Sants"))
        self.logo_label.setText(_("Logo:"))
        self.logo_button.setText(_("Choose image…"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Start"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    @property
    def wants_demo(self) -> bool:
        return self.demo_choice.isChecked()

    @property
    def entity_name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def language(self) -> str:
        return str(self.language_combo.currentData())

    def _choose_logo(self) -> None:
        path = self.prompts.open_file(self, _("Logo"), _("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        pixmap = QPixmap(path)
        data = Path(path).read_bytes()
        problem = logo_problem(data) or (
            _("That file is not an image Teixit can read.") if pixmap.isNull() else None
        )
        if problem:
            self.prompts.error(self, _("Logo"), problem)
            return
        self.logo = data
        self.logo_preview.setPixmap(
            pixmap.scaledToHeight(48, Qt.TransformationMode.SmoothTransformation)
        )

    def _accept(self) -> None:
        if not self.wants_demo and not self.entity_name:
            self.name_error.setText(_("The entity needs a name."))
            self.name_error.show()
            self.name_edit.setFocus()
            return
        self.accept()
