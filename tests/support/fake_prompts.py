"""The one test double of ui.prompts.Prompts: answers from queues, records what was shown.

``shown`` holds one :class:`Shown` (kind, title, text) per message box, in order: kind is "info",
"error", "confirm", "compare" or "unexpected" (its copyable details go to ``details``). File
choosers take their answers from ``files`` (None = cancelled), confirmations from ``confirms`` (an
empty queue answers no). A compare (someone else saved the record meanwhile) records its fields in
``compared`` and answers from ``compares``: "mine" (keep mine), "theirs" (take theirs), a dict
of field key -> keep mine, or None (cancel); an empty queue cancels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Shown(NamedTuple):
    kind: str
    title: str
    text: str


@dataclass
class FakePrompts:
    files: list[str | None] = field(default_factory=list)
    confirms: list[bool] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    compares: list[str | dict[str, bool] | None] = field(default_factory=list)
    compared: list[list[Any]] = field(default_factory=list)
    #: Answers to "encrypt this export?": a passphrase, "" (not encrypted), None (cancel).
    export_passphrases: list[str | None] = field(default_factory=list)
    export_asked: list[str] = field(default_factory=list)
    #: Answers to "passphrase of this sealed file?" (None: cancel); asked titles kept.
    file_passphrases: list[str | None] = field(default_factory=list)
    file_passphrase_asked: list[str] = field(default_factory=list)

    def info(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(Shown("info", title, text))

    def error(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(Shown("error", title, text))

    def unexpected(self, parent: Any, title: str, text: str, details: str) -> None:
        self.shown.append(Shown("unexpected", title, text))
        self.details.append(details)

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self.shown.append(Shown("confirm", title, text))
        return self.confirms.pop(0) if self.confirms else False

    def open_file(self, parent: Any, title: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, parent: Any, title: str, suggested: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def choose_folder(self, parent: Any, title: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def export_passphrase(self, parent: Any, title: str) -> str | None:
        self.export_asked.append(title)
        return self.export_passphrases.pop(0) if self.export_passphrases else ""

    def file_passphrase(self, parent: Any, title: str, text: str) -> str | None:
        self.file_passphrase_asked.append(title)
        return self.file_passphrases.pop(0) if self.file_passphrases else None

    def compare(self, parent: Any, title: str, text: str, fields: list[Any]) -> Any:
        self.shown.append(Shown("compare", title, text))
        self.compared.append(list(fields))
        answer = self.compares.pop(0) if self.compares else None
        differing = [f.key for f in fields if f.differs]
        if answer == "mine":
            return {key: True for key in differing}
        if answer == "theirs":
            return {key: False for key in differing}
        return answer
