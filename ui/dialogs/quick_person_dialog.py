"""The short new-person form for a walk-in: names, gender, year of birth, phone. Likely
duplicates are shown before saving."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.figures import GENDER_CODES, GENDER_LABELS
from app.domain.people import ConsentDTO, PersonDTO, needs_guardian
from app.errors import ValidationError
from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.form_fields import FieldErrors
from ui.workers import run_op


def confirm_not_duplicate(
    services: Services, prompts: Prompts, parent: QWidget, dto: PersonDTO
) -> bool:
    """Show likely duplicates of a new person; True to go on and save."""
    found = services.people.duplicates(dto)
    if not found:
        return True
    lines = "\n".join(
        _("• {name} ({reason})").format(name=c.hit.name, reason=c.reason) for c in found
    )
    text = _("These people may be the same person:\n{people}\n\nSave a new record anyway?").format(
        people=lines
    )
    return prompts.confirm(parent, _("Possible duplicates"), text)


class QuickPersonDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        typed: str = "",
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(400)  # room to type a name, not only the labels
        self.services, self.prompts, self.bus = services, prompts, bus
        self.saved: PersonDTO | None = None
        self.errors = FieldErrors()
        words = typed.strip().split(" ", 1)
        self.given_name = QLineEdit(words[0] if words else "")
        self.family_names = QLineEdit(words[1] if len(words) > 1 else "")
        self.gender = QComboBox()
        self.gender.addItem("", None)
        for code in GENDER_CODES:
            self.gender.addItem("", code)
        self.birth_year = QSpinBox()
        self.birth_year.setRange(1899, 2100)
        self.birth_year.setSpecialValueText(" ")
        self.birth_year.setValue(1899)
        self.phone = QLineEdit()
        self.guardian = QLineEdit()
        #: The data-processing consent signed on the spot (by the guardian for a minor).
        self.consent = QCheckBox()
        self.consent.setChecked(False)
        self._labels = [QLabel() for _i in range(7)]
        form = QFormLayout()
        for label, widget in zip(
            self._labels,
            (
                self.errors.wrap("given_name", self.given_name),
                self.family_names,
                self.gender,
                self.errors.wrap("birth_year", self.birth_year),
                self.errors.wrap("phone", self.phone),
                self.errors.wrap("guardian_name", self.guardian),
                self.consent,
            ),
            strict=True,
        ):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New person"))
        for label, text in zip(
            self._labels,
            (
                _("Given name"),
                _("Family names"),
                _("Gender"),
                _("Year of birth"),
                _("Phone"),
                _("Guardian (under 14)"),
                _("Consent"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.consent.setText(_("Has signed the data-processing consent today"))
        self.consent.setToolTip(
            _("For someone under 14, the parent or legal guardian named above signs it.")
        )
        self.gender.setItemText(0, _("(not stated)"))
        for i, code in enumerate(GENDER_CODES):
            self.gender.setItemText(i + 1, _(GENDER_LABELS[code]))

    def value(self) -> PersonDTO:
        year = self.birth_year.value()
        return PersonDTO(
            given_name=self.given_name.text(),
            family_names=self.family_names.text(),
            gender=self.gender.currentData(),
            birth_year=None if year == 1899 else year,
            phone=self.phone.text(),
            guardian_name=self.guardian.text(),
        )

    def _consent(self, person: PersonDTO) -> ConsentDTO:
        """Signed today; by the parent or legal guardian for someone under 14."""
        today = dt.date.today()
        minor = needs_guardian(person.age(today))
        return ConsentDTO("data_processing", True, today, "guardian" if minor else "self")

    def save(self) -> None:
        dto = self.value()
        if not confirm_not_duplicate(self.services, self.prompts, self, dto):
            return

        def invalid(exc: ValidationError) -> None:
            for message in self.errors.show(exc.errors):
                self.prompts.error(self, _("New person"), message)

        def saved(person: PersonDTO) -> None:
            self.saved = person
            self.accept()

        def save_with_consent() -> tuple[PersonDTO, Changes]:
            person, changes = self.services.people.save(dto)
            if self.consent.isChecked() and person.id:
                changes = changes | self.services.people.save_consent(
                    person.id, self._consent(person)
                )
            return person, changes

        run_op(
            self,
            save_with_consent,
            bus=self.bus,
            prompts=self.prompts,
            title=_("New person"),
            on_invalid=invalid,
            on_success=saved,
        )
