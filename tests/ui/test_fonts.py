"""The window is drawn in the fonts Teixit ships, whatever fonts the computer has: Noto Sans,
with Noto Naskh Arabic and Droid Sans Fallback for names in Arabic, Urdu and Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontInfo, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app import paths
from ui.fonts import FALLBACK_FAMILIES, UI_FAMILY
from ui.main import Application

NAMES = "Fatima الزهراء · عائشہ خان · 王秀英"


def rendered_runs(text: str, font: QFont) -> list[tuple[str, list[int]]]:
    """How Qt lays ``text`` out in ``font``: (font family, glyph indexes) per run; glyph 0 is the
    empty box a font draws for a character it lacks."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine().setLineWidth(100_000)
    layout.endLayout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes())) for run in layout.glyphRuns()]


def test_the_window_is_drawn_in_the_shipped_font(qtbot: QtBot, application: Application) -> None:
    from app.db.engine import open_database
    from app.domain.profile import EntityProfileDTO
    from app.services.profile import ProfileService

    db = open_database(paths.db_path())
    ProfileService(db).save(EntityProfileDTO(id="", name="Associació de Prova"))
    db.close()
    assert application.start("ca")
    window = application.window
    assert window is not None
    qtbot.addWidget(window)
    assert QApplication.font().families() == [UI_FAMILY, *FALLBACK_FAMILIES]
    # What the window's widgets actually get, not only what was asked for.
    assert QFontInfo(window.font()).family() == UI_FAMILY
    assert QFontInfo(window.statusBar().font()).family() == UI_FAMILY


def test_arabic_urdu_and_chinese_names_show_without_empty_boxes(qtbot: QtBot) -> None:
    label = QLabel(NAMES)
    qtbot.addWidget(label)
    runs = rendered_runs(label.text(), label.font())
    families = {family for family, _glyphs in runs}
    # Each script in the shipped font that covers it, none in a font of the computer.
    assert families == {UI_FAMILY, *FALLBACK_FAMILIES}, runs
    assert all(glyph != 0 for _family, glyphs in runs for glyph in glyphs), runs


#: Run in a process that sees no system font at all (an empty fontconfig configuration).
NO_SYSTEM_FONTS_PROBE = """
import json, sys
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel
from ui.fonts import install_ui_fonts
from tests.ui.test_fonts import NAMES, rendered_runs
app = QApplication(sys.argv[:1])
before = QFontDatabase.families()
installed = install_ui_fonts(app)
label = QLabel(NAMES)
print(json.dumps({"before": before, "installed": installed,
                  "runs": rendered_runs(label.text(), label.font())}))
"""


def test_the_shipped_fonts_need_no_system_font(tmp_path: Path) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(paths.ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", NO_SYSTEM_FONTS_PROBE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert UI_FAMILY not in result["before"]  # the probe really sees no installed Noto Sans
    assert result["installed"] == [UI_FAMILY, *FALLBACK_FAMILIES]
    runs = result["runs"]
    assert {family for family, _glyphs in runs} == {UI_FAMILY, *FALLBACK_FAMILIES}, runs
    assert all(glyph != 0 for _family, glyphs in runs for glyph in glyphs), runs
