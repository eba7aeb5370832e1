"""``teixit sheet`` from the command line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pdfplumber
import pytest

from app import cli, paths
from app.db.engine import open_database
from tests.reports.sheet_data import add_sessions, build


@pytest.fixture
def filled(data_dir: Path):  # type: ignore[no-untyped-def]
    db = open_database(paths.db_path())
    data = build(db)
    add_sessions(db, data.activity_id, [dt.date(2026, 11, 3)])
    db.close()
    return data


def _text(path: Path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def test_session_sheet_with_options(filled, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "s.pdf"
    code = cli.main(
        [
            "sheet",
            "--session",
            filled.session_id,
            "--lang",
            "es",
            "--blank-rows",
            "3",
            "--masked-id",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    text = _text(out)
    assert "Hoja de asistencia" in text and "Gil·labert" in text and "***4567**" in text
    assert str(out) in capsys.readouterr().out


def test_grid_blank_and_slips(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    grid = tmp_path / "g.pdf"
    assert (
        cli.main(
            [
                "sheet",
                "--activity",
                filled.activity_id,
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--lang",
                "ca",
                "-o",
                str(grid),
            ]
        )
        == 0
    )
    assert "3/11" in _text(grid) and "24/11" in _text(grid)
    blank = tmp_path / "b.pdf"
    assert cli.main(["sheet", "--blank", "-o", str(blank)]) == 0
    assert "Nom i cognoms" in _text(blank)
    slips = tmp_path / "sl.pdf"
    assert cli.main(["sheet", "--session", filled.session_id, "--slips", "-o", str(slips)]) == 0
    assert "Full individual d'assistència" in _text(slips).replace("’", "'")


def test_errors_and_usage(filled, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.pdf"
    assert cli.main(["sheet", "--session", "nope", "-o", str(out)]) == 1
    assert "nope" in capsys.readouterr().err and not out.exists()
    assert cli.main(["sheet", "--activity", filled.activity_id, "-o", str(out)]) == 1
    with pytest.raises(SystemExit) as exc:
        cli.main(["sheet", "-o", str(out)])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["sheet", "--blank", "--blank-rows", "-1", "-o", str(out)])
    assert exc.value.code == 2
