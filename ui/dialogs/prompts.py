"""The one seam for message boxes and file dialogs, so tests replace a single object.

Pages and dialogs receive a ``Prompts`` and never call QMessageBox/QFileDialog directly. Tests pass
a ``ScriptedPrompts`` (tests/ui/conftest.py) that answers from a script and records what was shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.i18n import _


class Prompts:
    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

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


def json_filter() -> str:
    return _("Teixit data (*.json)")
