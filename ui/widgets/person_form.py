"""A person's record: every field, with translated messages next to the field."""

from __future__ import annotations

import unicodedata
from typing import Any

from babel import Locale
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.domain.figures import GENDER_CODES, GENDER_LABELS
from app.domain.people import DOCUMENT_LABELS, DOCUMENT_TYPES, PersonDTO
from app.i18n import LOCALES, _, current_language
from ui.stale import shown
from ui.widgets.form_fields import DateField, FieldErrors

NO_YEAR = 1899
#: CLDR territories with a two-letter code that are not countries a person can hold.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


def _sort_key(name: str) -> str:
    """Accents do not move a name to the end of the list (Àustria beside Austràlia)."""
    decomposed = unicodedata.normalize("NFD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def country_names(lang: str) -> list[tuple[str, str]]:
    """(name, code) of every country, named in ``lang`` and sorted as that language sorts."""
    territories = Locale.parse(LOCALES.get(lang, "ca_ES")).territories
    return sorted(
        (
            (name, code)
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        ),
        key=lambda item: _sort_key(item[0]),
    )


class PersonForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person: PersonDTO | None = None
        self.errors = FieldErrors()
        self.given_name, self.family_names = QLineEdit(), QLineEdit()
        self.gender = QComboBox()
        self.gender.addItem("", None)
        for code in GENDER_CODES:
            self.gender.addItem("", code)
        self.birth_date = DateField()
        self.birth_year = QSpinBox()
        self.birth_year.setRange(NO_YEAR, 2100)
        self.birth_year.setSpecialValueText(" ")
        self.doc_type = QComboBox()
        self.doc_type.addItem("", None)
        for kind in DOCUMENT_TYPES:
            self.doc_type.addItem("", kind)
        self.doc_number = QLineEdit()
        # The country's name in the interface language; the ISO code is what is stored.
        self.nationality = QComboBox()
        self.nationality.setMaxVisibleItems(15)
        self.neighbourhood, self.phone, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        self.guardian_name, self.guardian_phone = QLineEdit(), QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        w = self.errors.wrap
        birth = QHBoxLayout()
        birth.addWidget(w("birth_date", self.birth_date))
        self.year_label = QLabel()
        birth.addWidget(self.year_label)
        birth.addWidget(w("birth_year", self.birth_year))
        doc = QHBoxLayout()
        doc.addWidget(w("id_document_type", self.doc_type))
        doc.addWidget(w("id_document_number", self.doc_number), 1)
        guardian = QHBoxLayout()
        guardian.addWidget(w("guardian_name", self.guardian_name), 2)
        guardian.addWidget(self.guardian_phone, 1)
        self._labels = {
            k: QLabel()
            for k in (
                "given",
                "family",
                "gender",
                "birth",
                "doc",
                "nat",
                "hood",
                "phone",
                "email",
                "guardian",
                "notes",
            )
        }
        form = QFormLayout(self)
        for key, widget in (
            ("given", w("given_name", self.given_name)),
            ("family", self.family_names),
            ("gender", self.gender),
            ("birth", birth),
            ("doc", doc),
            ("nat", self.nationality),
            ("hood", self.neighbourhood),
            ("phone", w("phone", self.phone)),
            ("email", w("email", self.email)),
            ("guardian", guardian),
            ("notes", self.notes),
        ):
            form.addRow(self._labels[key], widget)
        self.birth_date.dateChanged.connect(self._year_from_date)
        self.retranslate_ui()
        self.set_person(None)

    def retranslate_ui(self) -> None:
        texts = {
            "given": _("Given name"),
            "family": _("Family names"),
            "gender": _("Gender"),
            "birth": _("Birth date"),
            "doc": _("ID document"),
            "nat": _("Nationality"),
            "hood": _("Neighbourhood"),
            "phone": _("Phone"),
            "email": _("Email"),
            "guardian": _("Guardian (name, phone)"),
            "notes": _("Notes"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        self.year_label.setText(_("or year"))
        self.gender.setItemText(0, _("(not stated)"))
        for i, code in enumerate(GENDER_CODES):
            self.gender.setItemText(i + 1, _(GENDER_LABELS[code]))
        self.doc_type.setItemText(0, _("(none)"))
        for i, kind in enumerate(DOCUMENT_TYPES):
            self.doc_type.setItemText(i + 1, _(DOCUMENT_LABELS[kind]))
        self._fill_countries()
        self.guardian_name.setPlaceholderText(_("Needed under 14"))

    def _fill_countries(self) -> None:
        code = self.nationality.currentData()
        self.nationality.blockSignals(True)
        self.nationality.clear()
        self.nationality.addItem(_("(not stated)"), "")
        for name, country in country_names(current_language()):
            self.nationality.addItem(name, country)
        self._select_country(code or "")
        self.nationality.blockSignals(False)

    def _select_country(self, code: str) -> None:
        index = self.nationality.findData(code)
        if index < 0:  # a code CLDR does not name (kept as it was stored)
            self.nationality.addItem(code, code)
            index = self.nationality.count() - 1
        self.nationality.setCurrentIndex(index)

    def _year_from_date(self) -> None:
        d = self.birth_date.value()
        if d is not None:
            self.birth_year.setValue(d.year)

    def set_person(self, p: PersonDTO | None) -> None:
        self.errors.clear()
        self.person = p
        p = p or PersonDTO("")
        self.given_name.setText(p.given_name)
        self.family_names.setText(p.family_names)
        self.gender.setCurrentIndex(max(self.gender.findData(p.gender), 0))
        self.birth_date.set_value(p.birth_date)
        year = p.birth_year or (p.birth_date.year if p.birth_date else None)
        self.birth_year.setValue(year or NO_YEAR)
        self.doc_type.setCurrentIndex(max(self.doc_type.findData(p.id_document_type), 0))
        self.doc_number.setText(p.id_document_number)
        self._select_country(p.nationality)
        self.neighbourhood.setText(p.neighbourhood)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.guardian_name.setText(p.guardian_name)
        self.guardian_phone.setText(p.guardian_phone)
        self.notes.setPlainText(p.notes)
        self.setEnabled(not p.blocked)

    def value(self) -> PersonDTO:
        year = self.birth_year.value()
        return PersonDTO(
            id=self.person.id if self.person else None,
            given_name=self.given_name.text(),
            family_names=self.family_names.text(),
            gender=self.gender.currentData(),
            birth_date=self.birth_date.value(),
            birth_year=None if year == NO_YEAR else year,
            id_document_type=self.doc_type.currentData(),
            id_document_number=self.doc_number.text(),
            nationality=self.nationality.currentData() or "",
            neighbourhood=self.neighbourhood.text(),
            phone=self.phone.text(),
            email=self.email.text().strip(),
            guardian_name=self.guardian_name.text(),
            guardian_phone=self.guardian_phone.text(),
            notes=self.notes.toPlainText(),
            version=self.person.version if self.person else None,
        )

    def compared_fields(self) -> list[tuple[str, str]]:
        """The fields a stale save compares (ui/stale.py), labelled as on the form."""
        return [
            ("given_name", _("Given name")),
            ("family_names", _("Family names")),
            ("gender", _("Gender")),
            ("birth_date", _("Birth date")),
            ("birth_year", _("Year of birth")),
            ("id_document_type", _("ID document type")),
            ("id_document_number", _("ID document")),
            ("nationality", _("Nationality")),
            ("neighbourhood", _("Neighbourhood")),
            ("phone", _("Phone")),
            ("email", _("Email")),
            ("guardian_name", _("Guardian")),
            ("guardian_phone", _("Guardian's phone")),
            ("notes", _("Notes")),
        ]

    def shown(self, key: str, value: Any) -> str:
        """A field's value as the form shows it (codes by their names)."""
        if value is None:
            return ""
        if key == "gender":
            return _(GENDER_LABELS.get(str(value), str(value)))
        if key == "id_document_type":
            return _(DOCUMENT_LABELS.get(str(value), str(value)))
        if key == "nationality":
            index = self.nationality.findData(value)
            return self.nationality.itemText(index) if index >= 0 and value else str(value)
        return shown(value)
