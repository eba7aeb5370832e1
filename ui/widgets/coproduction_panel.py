"""An activity's coproduction: the other programmes it also belongs to (it counts once in each
and once in the entity's total) and the partner organisations that organise it with the entity
(printed on its attendance sheets and in the justification report)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from app.services.container import Services
from ui.events import DataBus
from ui.prompts import Prompts
from ui.widgets.form_fields import CheckList
from ui.workers import run_op


class CoproductionPanel(QWidget):
    def __init__(self, services: Services, bus: DataBus, prompts: Prompts) -> None:
        super().__init__()
        self.services, self.bus, self.prompts = services, bus, prompts
        self.activity_id: str | None = None
        self.own_programme: str | None = None
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555555;")
        self.programmes_label, self.partners_label = QLabel(), QLabel()
        self.programmes, self.partners = CheckList(), CheckList()
        self.save_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.programmes_label)
        layout.addWidget(self.programmes, 1)
        layout.addWidget(self.partners_label)
        layout.addWidget(self.partners, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.hint.setText(
            _(
                "An activity made together with other programmes of the entity counts once in "
                "each of them and once in the entity's total. Its partner organisations are "
                "printed on its attendance sheets and in the justification report."
            )
        )
        self.programmes_label.setText(_("Also belongs to these programmes"))
        self.partners_label.setText(_("Partner organisations (co-organisers)"))
        self.save_button.setText(_("Save coproduction"))

    def set_activity(self, activity_id: str | None, programme_id: str | None) -> None:
        self.activity_id, self.own_programme = activity_id, programme_id
        self.setEnabled(activity_id is not None)
        others, partners = (
            self.services.volunteers.coproduction(activity_id) if activity_id else ((), ())
        )
        self.programmes.set_items(
            (
                (p.id or "", f"{p.code} · {p.name}")
                for p in self.services.programmes.all()
                if p.id != programme_id
            ),
            others,
        )
        self.partners.set_items(
            ((o.id or "", o.name) for o in self.services.networks.organisations()), partners
        )

    def save(self) -> None:
        activity_id = self.activity_id
        if activity_id is None:
            return
        programmes, partners = self.programmes.checked_ids(), self.partners.checked_ids()
        run_op(
            self,
            lambda: self.services.volunteers.save_coproduction(activity_id, programmes, partners),
            bus=self.bus,
            prompts=self.prompts,
            title=_("Coproduction"),
        )
