"""Merge two records of the same person: the one shown is kept, the other is chosen by search;
attendance, enrolments, consents and referrals move over and nothing is lost."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.people import PersonDTO, mask_document
from app.i18n import _, format_date
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.person_picker import PersonPicker
from ui.workers import run_op


def summary(p: PersonDTO | None, history: int) -> str:
    if p is None:
        return "—"
    lines = [p.full_name]
    if p.birth_date:
        lines.append(format_date(p.birth_date, fmt="short"))
    elif p.birth_year:
        lines.append(str(p.birth_year))
    for value in (mask_document(p.id_document_number), p.phone, p.email):
        if value:
            lines.append(value)
    lines.append(_("Attendance records: {count}").format(count=history))
    return "\n".join(lines)


class MergeDialog(QDialog):
    def __init__(
        self,
        services: Services,
        prompts: Prompts,
        keep_id: str,
        parent: QWidget | None = None,
        *,
        bus: DataBus | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.prompts, self.bus = services, prompts, bus
        self.keep_id = keep_id
        self.other_id: str | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.picker = PersonPicker(services.people, exclude={keep_id})
        self.keep_title, self.other_title = QLabel(), QLabel()
        self.keep_box, self.other_box = QLabel(), QLabel()
        grid = QGridLayout()
        grid.addWidget(self.keep_title, 0, 0)
        grid.addWidget(self.other_title, 0, 1)
        grid.addWidget(self.keep_box, 1, 0)
        grid.addWidget(self.other_box, 1, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.picker)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self.picker.chosen.connect(self.choose)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()
        self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Merge two records"))
        self.intro.setText(
            _(
                "Find the other record of this person. Its attendance, enrolments, consents and "
                "referrals move to the record kept; empty fields are filled from it."
            )
        )
        self.keep_title.setText(_("Kept"))
        self.other_title.setText(_("Merged into it and removed"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Merge"))
        self.picker.retranslate_ui()

    def _person(self, pid: str | None) -> tuple[PersonDTO | None, int]:
        if pid is None:
            return None, 0
        return self.services.people.get(pid), len(self.services.people.history(pid))

    def _show(self) -> None:
        self.keep_box.setText(summary(*self._person(self.keep_id)))
        self.other_box.setText(summary(*self._person(self.other_id)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.other_id is not None
        )

    def choose(self, person_id: str) -> None:
        self.other_id = person_id
        self._show()

    def merge(self) -> None:
        if self.other_id is None:
            return
        other = self.services.people.get(self.other_id)
        keep = self.services.people.get(self.keep_id)
        if not self.prompts.confirm(
            self,
            _("Merge two records"),
            _("Merge {other} into {keep}? This cannot be undone.").format(
                other=other.full_name, keep=keep.full_name
            ),
        ):
            return
        keep_id, other_id = self.keep_id, self.other_id
        run_op(
            self,
            lambda: self.services.people.merge(keep_id, other_id),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Merge two records"),
            on_success=lambda _r: self.accept(),
        )
