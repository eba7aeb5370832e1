"""How many years files of one kind are kept (scans of signed sheets, invoices' files), and
deleting those past it after a confirmation: one unit of work with one audit entry, as
``teixit purge --scans-older-than`` / ``--invoices-older-than`` do. Settings > Data protection
has one box per kind; what differs between them is only their words and their service calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout

from app.domain.changes import Changes
from app.i18n import _
from ui.events import DataBus
from ui.prompts import Prompts
from ui.workers import run_op


@dataclass(frozen=True)
class RetentionTexts:
    """The words of one kind of file, asked each time (the language can change)."""

    title: Callable[[], str]
    intro: Callable[[], str]
    #: The delete button for a retention of ``years``.
    button: Callable[[int], str]
    #: Nothing is older than ``years``.
    none: Callable[[int], str]
    #: The question before deleting ``count`` files of ``records`` records older than ``years``.
    question: Callable[[int, int, int], str]
    #: Said after ``count`` files older than ``years`` were deleted.
    deleted: Callable[[int, int], str]


@dataclass(frozen=True)
class RetentionCalls:
    """The service calls of one kind of file."""

    years: Callable[[], int]
    set_years: Callable[[int], Changes]
    #: (files, records) older than a retention of so many years.
    old: Callable[[int], tuple[int, int]]
    purge: Callable[[int], tuple[int, Changes]]


class RetentionBox(QGroupBox):
    def __init__(
        self,
        texts: RetentionTexts,
        calls: RetentionCalls,
        year_range: tuple[int, int],
        default: int,
        bus: DataBus,
        prompts: Prompts,
    ) -> None:
        super().__init__()
        self.texts, self.calls, self.bus, self.prompts = texts, calls, bus, prompts
        self._saved = default
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.label = QLabel()
        self.years = QSpinBox()
        self.years.setRange(*year_range)
        self.years.setValue(default)
        self.years.editingFinished.connect(self.save)
        self.label.setBuddy(self.years)
        self.button = QPushButton(clicked=self.delete_old)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.years)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)

    def load(self) -> None:
        """The retention stored, shown."""
        self._saved = self.calls.years()
        self.years.setValue(self._saved)
        self._retranslate_button()

    def save(self) -> None:
        """Saved once it is typed (not at every step of the arrows' repeat)."""
        years = self.years.value()
        if years == self._saved:
            return
        if run_op(
            self,
            lambda: self.calls.set_years(years),
            bus=self.bus,
            prompts=self.prompts,
            title=self.texts.title(),
        ):
            self._saved = years
        self._retranslate_button()

    def delete_old(self) -> None:
        """Delete, after a confirmation, the files older than the retention."""
        self.save()
        years = self.years.value()
        title = self.texts.title()
        files, records = self.calls.old(years)
        if not files:
            self.prompts.info(self, title, self.texts.none(years))
            return
        if not self.prompts.confirm(self, title, self.texts.question(files, records, years)):
            return
        run_op(
            self,
            lambda: self.calls.purge(years),
            bus=self.bus,
            prompts=self.prompts,
            title=title,
            on_success=lambda count: self.prompts.info(
                self, title, self.texts.deleted(count, years)
            ),
        )

    def _retranslate_button(self) -> None:
        self.button.setText(self.texts.button(self.years.value()))

    def retranslate_ui(self) -> None:
        self.setTitle(self.texts.title())
        self.intro.setText(self.texts.intro())
        self.label.setText(_("Keep them for"))
        self.years.setSuffix(" " + _("years"))
        self._retranslate_button()
