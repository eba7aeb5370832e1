"""The one seam for message boxes and file choosers, so tests replace a single object.

Pages, widgets and dialogs type their ``prompts`` as :class:`Prompts` and never call
QMessageBox/QFileDialog directly. The composition root (ui/main.py) hands them a
:class:`QtPrompts`; tests hand them the one fake (tests/support/fake_prompts.py) that answers from
a script and records what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.i18n import _


@dataclass(frozen=True)
class StaleField:
    """One field of a record someone else saved while you had it open."""

    key: str
    label: str
    #: As it is now in the database, and as you typed it (both as shown to people).
    theirs: str
    mine: str
    #: Whether you changed it from the copy you opened (the per-field choice starts on yours).
    changed_by_me: bool = True

    @property
    def differs(self) -> bool:
        return self.theirs != self.mine


#: The answer to a compare: for each differing field's key, True to keep yours. None: cancelled
#: (nothing saved; the form keeps what you typed).
StaleChoice = dict[str, bool]


class Prompts(Protocol):
    """What a page, widget or dialog may ask of the person in front of the screen."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def error(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def unexpected(self, parent: QWidget | None, title: str, text: str, details: str) -> None:
        """A bug: ``text`` says what to do, ``details`` (the traceback) can be copied."""
        ...

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool: ...

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None: ...

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None: ...

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None: ...

    def export_passphrase(self, parent: QWidget | None, title: str) -> str | None:
        """Before a file with people's names is written: its passphrase ("" for a file not
        encrypted), None when the person cancels (ui/seal_dialog.py)."""
        ...

    def file_passphrase(self, parent: QWidget | None, title: str, text: str) -> str | None:
        """The passphrase of a sealed file to read (typed once, hidden); None when the person
        cancels."""
        ...

    def compare(
        self, parent: QWidget | None, title: str, text: str, fields: list[StaleField]
    ) -> StaleChoice | None:
        """Someone else saved the record meanwhile: both versions side by side; which value of
        each differing field to keep (ui/compare_dialog.py)."""
        ...


class QtPrompts:
    """The real message boxes and file dialogs."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def unexpected(self, parent: QWidget | None, title: str, text: str, details: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent
        )
        box.setDetailedText(details)  # "Show details…": selectable text to copy into a report
        box.exec()
        box.deleteLater()

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        path, _selected = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None:
        path, _selected = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def choose_folder(self, parent: QWidget | None, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title) or None

    def export_passphrase(self, parent: QWidget | None, title: str) -> str | None:
        from ui.seal_dialog import SealDialog

        dialog = SealDialog(title, parent)
        try:
            return dialog.passphrase() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def file_passphrase(self, parent: QWidget | None, title: str, text: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        secret, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
        return secret if ok else None

    def compare(
        self, parent: QWidget | None, title: str, text: str, fields: list[StaleField]
    ) -> StaleChoice | None:
        from ui.compare_dialog import CompareDialog

        dialog = CompareDialog(title, text, fields, parent)
        try:
            return dialog.choice() if dialog.exec() else None
        finally:
            dialog.deleteLater()


def json_filter() -> str:
    return _("Teixit data (*.json)")


def import_filter() -> str:
    """Exports to read back: plain, or sealed with a passphrase (a ZIP)."""
    return _("Teixit data (*.json *.zip)")
