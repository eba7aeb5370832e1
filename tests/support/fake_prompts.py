"""Prompts that answer from queues and record what was shown (message boxes, file dialogs)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakePrompts:
    files: list[str | None] = field(default_factory=list)
    confirms: list[bool] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)

    def info(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("info", text))

    def error(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("error", text))

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self.shown.append(("confirm", text))
        return self.confirms.pop(0) if self.confirms else False

    def open_file(self, parent: Any, title: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, parent: Any, title: str, suggested: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def choose_folder(self, parent: Any, title: str) -> str | None:
        return self.files.pop(0) if self.files else None
