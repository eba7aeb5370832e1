"""The window's identity: its icon in every size, the desktop file it belongs to (the one the
Linux packages install), and Help > About with the version and the licences of what ships."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import about, paths
from app.db.engine import open_database
from app.domain.profile import EntityProfileDTO
from app.services.profile import ProfileService
from tests.support.fake_prompts import FakePrompts
from tests.support.templates import new_database
from ui.main import Application, app_icon, set_identity

ROOT = Path(__file__).resolve().parents[2]
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def test_the_icon_exists_in_every_size(qapp: QApplication) -> None:
    from PIL import Image

    for size in SIZES:
        png = paths.resource_path(
            "icons", "hicolor", f"{size}x{size}", "apps", f"{about.APP_ID}.png"
        )
        with Image.open(png) as image:
            assert image.size == (size, size)
            assert image.getpixel((size // 2, size // 2))[3] == 255  # drawn, not empty
    icon = app_icon()
    assert not icon.isNull()
    assert QSize(16, 16) in icon.availableSizes() and QSize(256, 256) in icon.availableSizes()
    with Image.open(paths.resource_path("icons", "teixit.ico")) as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]


def test_the_application_names_its_desktop_file_and_icon(qapp: QApplication) -> None:
    before = (qapp.desktopFileName(), qapp.applicationVersion())
    try:
        set_identity(qapp)
        assert qapp.applicationName() == "Teixit"
        assert qapp.desktopFileName() == "cat.teixit.Teixit"
        desktop = ROOT / "packaging" / "linux" / f"{qapp.desktopFileName()}.desktop"
        assert f"Icon={about.APP_ID}\n" in desktop.read_text(encoding="utf-8")
        assert not qapp.windowIcon().isNull()
        version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
        assert qapp.applicationVersion() == version
    finally:
        qapp.setDesktopFileName(before[0])
        qapp.setApplicationVersion(before[1])


def test_help_about_shows_version_licence_and_bundled_licences(
    qtbot: QtBot, application: Application, prompts: FakePrompts
) -> None:
    db = open_database(new_database(paths.db_path()))
    ProfileService(db).save(EntityProfileDTO(id="", name="Associació de Prova"))
    db.close()
    assert application.start("es")
    window = application.window
    assert window is not None
    window.help_menu.aboutToShow.emit()
    window.act_about.trigger()

    (shown,) = prompts.shown
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert shown.title == "Acerca de Teixit"
    assert f"Teixit {version}" in shown.text
    assert "GPL-3.0-or-later" in shown.text
    assert "Noto Sans, Noto Naskh Arabic (fonts): OFL-1.1" in shown.text
    assert "Droid Sans Fallback (font): Apache-2.0" in shown.text
    assert "Qt, PySide6: LGPL-3.0-only" in shown.text
    assert "Software libre con la licencia" in shown.text


def test_the_packaged_builds_check_opens_every_page(
    qtbot: QtBot, application: Application, tmp_path: Path
) -> None:
    from ui.main import smoke_test
    from ui.main_window import AREAS

    db = open_database(new_database(paths.db_path()))
    ProfileService(db).save(EntityProfileDTO(id="", name="Associació de Prova"))
    db.close()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    set_identity(QApplication.instance())  # type: ignore[arg-type]
    report = tmp_path / "smoke.txt"

    assert smoke_test(window, report) == 0
    lines = report.read_text().splitlines()
    assert [line.split()[1] for line in lines[:-1]] == list(AREAS)
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert "SettingsPage" in lines[AREAS.index("settings")]
    assert lines[-1] == "icon ok cat.teixit.Teixit"


def test_the_check_fails_on_a_page_that_cannot_be_built(
    qtbot: QtBot, application: Application, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import main as ui_main

    def missing_module() -> None:
        raise ModuleNotFoundError("No module named 'ui.pages.people_page'")

    real_build_pages = ui_main.build_pages

    def build_pages(*args: Any) -> dict[str, object]:
        pages = real_build_pages(*args)
        pages["people"] = missing_module
        return pages

    monkeypatch.setattr(ui_main, "build_pages", build_pages)
    db = open_database(new_database(paths.db_path()))
    ProfileService(db).save(EntityProfileDTO(id="", name="Associació de Prova"))
    db.close()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    report = tmp_path / "smoke.txt"

    assert ui_main.smoke_test(window, report) == 1
    assert "FAILED people: ModuleNotFoundError" in report.read_text()
