"""Every test runs on a fresh temporary data folder, never the user's, with Qt offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TEIXIT_DATA_DIR"] = "/nonexistent-set-per-test"

from app import i18n, paths  # noqa: E402
from app.db.engine import Database, open_database  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.ENV_VAR, str(folder))
    paths.set_data_dir(None)
    i18n.set_language("ca")
    yield folder
    paths.set_data_dir(None)


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(paths.db_path())
    yield database
    database.close()
