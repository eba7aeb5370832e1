"""An honest page for an area whose screens are not built yet: says what exists so far."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.events import DataBus
from ui.pages.base import Page


class PendingPage(Page):
    def __init__(
        self,
        services: Services,
        bus: DataBus,
        prompts: Prompts,
        title: Callable[[], str],
        text: Callable[[], str],
    ) -> None:
        super().__init__(services, bus, prompts)
        self._title, self._text = title, text
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.retranslate_ui()

    def title(self) -> str:
        return self._title()

    def retranslate_ui(self) -> None:
        self.heading.setText(self._title())
        self.body.setText(self._text())
