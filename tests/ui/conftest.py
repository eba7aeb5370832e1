"""GUI test helpers: scripted prompts and the services of a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.db.engine import Database
from app.services.container import Services
from ui.dialogs.prompts import Prompts
from ui.events import DataBus


@dataclass
class ScriptedPrompts(Prompts):
    """Answers dialogs from queues and records every message shown."""

    confirms: list[bool] = field(default_factory=list)
    files: list[str | None] = field(default_factory=list)
    shown: list[tuple[str, str, str]] = field(default_factory=list)

    def info(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def error(self, parent: Any, title: str, text: str) -> None:
        self.shown.append(("error", title, text))

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        self.shown.append(("confirm", title, text))
        return self.confirms.pop(0) if self.confirms else False

    def open_file(self, parent: Any, title: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def save_file(self, parent: Any, title: str, suggested: str, filters: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def choose_folder(self, parent: Any, title: str) -> str | None:
        return self.files.pop(0) if self.files else None


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def services(db: Database) -> Iterator[Services]:
    yield Services(db)


@pytest.fixture
def bus(qapp: Any) -> DataBus:
    return DataBus()
