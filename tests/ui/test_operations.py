"""ui/workers.py's run_op, the one way the window runs a change to the data: what changed is
announced once with who asked, an expected failure is shown with a title and announces nothing,
long work runs behind a progress indicator, and a bug reaches the unexpected-error hook."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from app import temp_files
from app.domain.changes import Area, Changes
from app.errors import UserError, ValidationError
from tests.support.fake_prompts import FakePrompts
from ui.error_hook import ErrorHook
from ui.events import DataBus
from ui.main import install_handlers
from ui.workers import run_op


@pytest.fixture
def heard(bus: DataBus) -> list[tuple[Changes, object]]:
    """Every announcement on the bus: (changes, initiator)."""
    got: list[tuple[Changes, object]] = []
    bus.changed.connect(lambda changes, initiator: got.append((changes, initiator)))
    return got


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_a_quick_operation_announces_its_changes_once_with_who_asked(
    parent: QWidget, bus: DataBus, prompts: FakePrompts, heard: list[tuple[Changes, object]]
) -> None:
    order: list[str] = []
    bus.changed.connect(lambda _c, _i: order.append("announced"))
    main = threading.get_ident()
    threads: list[int] = []

    def save() -> tuple[str, Changes]:
        threads.append(threading.get_ident())
        return "saved-id", Changes.of(Area.PEOPLE)

    def saved(result: str) -> None:
        order.append(f"success {result}")

    assert run_op(parent, save, bus=bus, prompts=prompts, title="Persona", on_success=saved)
    assert threads == [main]  # quick: on the window's thread
    assert heard == [(Changes.of(Area.PEOPLE), parent)]
    assert order == ["success saved-id", "announced"]  # the initiator is up to date first
    assert prompts.shown == []

    other = QWidget(parent)
    delete = lambda: Changes.of(Area.SESSIONS)  # noqa: E731 - a call returning only Changes
    results: list[object] = []
    assert run_op(
        parent,
        delete,
        bus=bus,
        prompts=prompts,
        title="T",
        initiator=other,
        on_success=results.append,
    )
    assert heard[-1] == (Changes.of(Area.SESSIONS), other) and results == [None]


def test_an_expected_failure_is_shown_with_its_title_and_nothing_is_announced(
    parent: QWidget, bus: DataBus, prompts: FakePrompts, heard: list[tuple[Changes, object]]
) -> None:
    succeeded: list[object] = []

    def refuse() -> Changes:
        raise UserError("Aquesta sessió ja té assistència.")

    done = run_op(
        parent, refuse, bus=bus, prompts=prompts, title="Suprimeix", on_success=succeeded.append
    )
    assert not done and succeeded == [] and heard == []
    assert prompts.shown == [("error", "Suprimeix", "Aquesta sessió ja té assistència.")]
    assert prompts.details == []  # no traceback anywhere

    # A form's invalid fields go under the fields when the caller says where.
    invalid: list[dict[str, str]] = []

    def invalid_form() -> Changes:
        raise ValidationError({"name": "Cal un nom."})

    assert not run_op(
        parent,
        invalid_form,
        bus=bus,
        prompts=prompts,
        title="Persona",
        on_invalid=lambda exc: invalid.append(exc.errors),
    )
    assert invalid == [{"name": "Cal un nom."}] and len(prompts.shown) == 1 and heard == []


def test_a_background_operation_shows_progress_and_announces_when_done(
    parent: QWidget, bus: DataBus, prompts: FakePrompts, heard: list[tuple[Changes, object]]
) -> None:
    parent.show()
    main = threading.get_ident()
    release = threading.Event()
    seen: list[str] = []
    heard_while_working: list[int] = []

    def import_everything() -> tuple[int, Changes]:
        release.wait(10)  # until the progress indicator has been seen
        assert threading.get_ident() != main
        return 42, Changes.of(Area.PEOPLE, Area.ATTENDANCE)

    def look() -> None:  # on the window's thread while the work goes on
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        shown = [d.labelText() for d in dialogs if d.isVisible()]
        if shown:
            seen.extend(shown)
            heard_while_working.append(len(heard))
            release.set()
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(0, look)
    results: list[int] = []
    assert run_op(
        parent,
        import_everything,
        bus=bus,
        prompts=prompts,
        title="Importa",
        background=True,
        progress_text="S'estan important les dades…",
        on_success=results.append,
    )
    assert seen == ["S'estan important les dades…"]
    assert heard_while_working == [0]  # nothing announced before the work was done
    assert results == [42]
    assert heard == [(Changes.of(Area.PEOPLE, Area.ATTENDANCE), parent)]


def test_an_expected_failure_in_the_background_is_shown_like_a_quick_one(
    parent: QWidget, bus: DataBus, prompts: FakePrompts, heard: list[tuple[Changes, object]]
) -> None:
    def refuse() -> Changes:
        raise UserError("El disc és ple.")

    assert not run_op(parent, refuse, bus=bus, prompts=prompts, title="Còpia", background=True)
    assert prompts.shown == [("error", "Còpia", "El disc és ple.")] and heard == []


@pytest.fixture
def installed(
    qapp: QApplication, prompts: FakePrompts, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ErrorHook]:
    """The unexpected-error hook as ui.main.run installs it, taken away after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    hook = install_handlers(qapp, prompts, lambda: None)
    yield hook
    hook.uninstall()
    qapp.aboutToQuit.disconnect(temp_files.remove_all)


@pytest.mark.qt_no_exception_capture  # the test checks Teixit's own hook, not pytest-qt's
@pytest.mark.parametrize("background", [False, True], ids=["quick", "background"])
def test_a_bug_reaches_the_unexpected_error_hook_and_nothing_is_announced(
    background: bool,
    qtbot: QtBot,
    parent: QWidget,
    bus: DataBus,
    installed: ErrorHook,
    prompts: FakePrompts,
    heard: list[tuple[Changes, object]],
    data_dir: Path,
) -> None:
    def save_the_minutes() -> Changes:
        raise KeyError("agreements")

    succeeded: list[Any] = []
    done = run_op(
        parent,
        save_the_minutes,
        bus=bus,
        prompts=prompts,
        title="Reunió",
        background=background,
        on_success=succeeded.append,
    )
    assert not done and succeeded == [] and heard == []
    qtbot.waitUntil(lambda: bool(prompts.shown))
    assert [shown.kind for shown in prompts.shown] == ["unexpected"]
    assert "in save_the_minutes" in prompts.details[0]  # where it happened, for the report
    assert "save_the_minutes" in (data_dir / "logs" / "teixit.log").read_text("utf-8")
