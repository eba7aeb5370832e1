"""Both languages for real: the texts the user typed (entity, notice, programme, activities,
indicators, funders, the report's texts) print in the document's language, both in a bilingual
one; a text with no version prints in the entity's language and is listed before printing."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from app import cli
from app.db.engine import Database
from app.domain.report import ReportRequest
from app.domain.sheets import SheetOptions
from app.domain.texts import missing_message
from app.services.container import Services
from app.services.report_output import ReportFiles
from tests.report_dataset import PERIOD
from tests.report_dataset import build as build_report
from tests.support.postgres import database_args


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        # Words as printed, whatever line they were wrapped onto.
        return " ".join(" ".join(page.extract_text() or "" for page in doc.pages).split())


def translate(db: Database, ids: dict[str, str]) -> None:
    """Spanish versions typed as the window saves them (through the services), except for the
    activity "Festa major del barri", left in Catalan only."""
    sv = Services(db)
    prog = sv.programmes.get(ids["prog"])
    sv.programmes.save(
        replace(
            prog,
            description="Programa per a les persones joves del barri.",
            translations=(
                ("name", "es", "Jóvenes del barrio"),
                ("description", "es", "Programa para las personas jóvenes del barrio."),
                ("objectives", "es", "Reforzar la red de apoyo de las personas jóvenes"),
            ),
            indirect_beneficiaries=35,
            indicators=tuple(
                replace(i, translations=(("name", "es", f"{i.name} (es)"),))
                for i in prog.indicators
            ),
        )
    )
    taller = next(a for a in sv.programmes.activities(ids["prog"]) if a.name == "Taller de costura")
    sv.programmes.save_activity(
        replace(taller, translations=(("name", "es", "Taller de corte y confección"),))
    )
    profile = sv.profile.get()
    assert profile is not None
    sv.profile.save(
        replace(
            profile,
            translations=(
                ("name", "es", "Asociación Vecinal de Sants"),
                ("privacy_purpose", "es", "Gestión de las actividades."),
            ),
        )
    )
    funder = sv.profile.funders()[0]
    sv.profile.save_funder(
        replace(funder, translations=(("name", "es", "Ayuntamiento de Barcelona"),))
    )
    sv.reports.save_narratives(
        ids["prog"],
        *PERIOD,
        {"assessment": "Valoració positiva del curs."},
        (("assessment", "es", "Valoración positiva del curso."),),
    )


@pytest.fixture
def report(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    ids = build_report(db)
    translate(db, ids)
    sv = Services(db)

    def make(lang: str) -> tuple[str, dict, ReportRequest]:  # type: ignore[type-arg]
        request = ReportRequest((ids["prog"],), *PERIOD, lang=lang)
        pdf, js = tmp_path / f"{lang}.pdf", tmp_path / f"{lang}.json"
        sv.reports.export(request, ReportFiles(pdf=pdf, json=js))
        return _text(pdf.read_bytes()), json.loads(js.read_text(encoding="utf-8")), request

    return sv, make


def test_a_spanish_report_prints_the_spanish_texts(report) -> None:  # type: ignore[no-untyped-def]
    sv, make = report
    text, data, request = make("es")
    for spanish in (
        "JOV · Jóvenes del barrio",
        "Programa para las personas jóvenes del barrio.",
        "Reforzar la red de apoyo de las personas jóvenes",
        "Taller de corte y confección",
        "Valoración positiva del curso.",
        "Asociación Vecinal de Sants",
        "Gestión de las actividades",
        "(es)",  # the indicators' Spanish names
    ):
        assert spanish in text, spanish
    for catalan in (
        "Joves del barri",
        "Programa per a les persones joves",
        "Taller de costura",
        "Valoració positiva",
        "Associació Veïnal",
        "Gestió de les activitats",
    ):
        assert catalan not in text, catalan
    # The activity with no Spanish version prints in Catalan, and is said before printing.
    assert "Festa major del barri" in text
    missing = sv.reports.missing_texts(request)
    assert [(m.table, m.field, m.lang, m.owner) for m in missing] == [
        ("activity", "name", "es", "Festa major del barri")
    ]
    assert missing_message(missing, "ca") == (
        "1 text no té versió en castellà: activitat Festa major del barri (nom). El document "
        "l'imprimeix en català."
    )
    assert data["programme"] == {"code": "JOV", "name": "Jóvenes del barrio"}
    assert data["beneficiaries"]["indirect_estimate"] == 35
    assert "Personas beneficiarias indirectas (estimación de la entidad) 35" in text


def test_a_catalan_report_prints_the_catalan_texts(report) -> None:  # type: ignore[no-untyped-def]
    sv, make = report
    text, data, request = make("ca")
    for catalan in (
        "JOV · Joves del barri",
        "Programa per a les persones joves del barri.",
        "Taller de costura",
        "Festa major del barri",
        "Valoració positiva del curs.",
        "Associació Veïnal de Sants",
        "Gestió de les activitats",
    ):
        assert catalan in text, catalan
    for spanish in ("Jóvenes", "Taller de corte", "Valoración", "Asociación", "(es)"):
        assert spanish not in text, spanish
    assert sv.reports.missing_texts(request) == ()
    direct = data["beneficiaries"]["direct"]
    reached = data["people_reached"]
    assert direct == reached["named_participants"] + reached["estimated_new_at_open_events"]
    assert direct == data["beneficiaries"]["direct_named"] + (
        data["beneficiaries"]["direct_new_at_open_events"]
    )
    # The label wraps in its cell: the figure is the first number after it.
    assert re.search(rf"Persones beneficiàries directes: [^0-9]*\b{direct}\b", text)
    assert "Persones beneficiàries indirectes (estimació de l'entitat) 35" in text
    # Valencian falls back to Catalan without a warning (the same language).
    assert sv.reports.missing_texts(replace(request, lang="ca-valencia")) == ()


def test_a_bilingual_report_prints_both(report) -> None:  # type: ignore[no-untyped-def]
    sv, make = report
    text, data, request = make("ca+es")
    assert "Joves del barri / Jóvenes del barrio" in text
    assert "Taller de costura / Taller de corte y confección" in text
    assert "Programa per a les persones joves del barri. Programa para las personas jóvenes" in text
    assert "Valoració positiva del curs. Valoración positiva del curso." in text
    assert "Associació Veïnal de Sants / Asociación Vecinal de Sants" in text
    assert "Reforçar la xarxa de suport de les persones joves / Reforzar la red de apoyo" in text
    # The activity with no Spanish version prints once, in Catalan, and is listed.
    assert "Festa major del barri / Festa" not in text and "Festa major del barri" in text
    assert [m.owner for m in sv.reports.missing_texts(request)] == ["Festa major del barri"]
    assert data["programme"]["name"] == "Joves del barri / Jóvenes del barrio"


def test_sheets_print_the_entity_and_the_activity_in_their_language(
    db: Database, tmp_path: Path
) -> None:
    ids = build_report(db)
    translate(db, ids)
    sheets = Services(db).sheets
    sheet = sheets.session_sheet(ids["s1"])
    spanish = _text(sheets.pdf(sheet, SheetOptions(lang="es"), record=False))
    assert "Asociación Vecinal de Sants" in spanish and "Gestión de las actividades" in spanish
    assert "Taller de corte y confección" in spanish and "Jóvenes del barrio" in spanish
    assert "Associació Veïnal" not in spanish and "Gestió de les activitats" not in spanish
    assert sheets.missing_warning(sheet, "es") == ""
    catalan = _text(sheets.pdf(sheet, SheetOptions(lang="ca"), record=False))
    assert "Associació Veïnal de Sants" in catalan and "Taller de costura" in catalan
    assert "Asociación" not in catalan
    fest = sheets.session_sheet(ids["fest"])
    assert "activitat Festa major del barri (nom)" in sheets.missing_warning(fest, "es")


def test_the_report_command_warns_on_stderr(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = build_report(db)
    translate(db, ids)
    db.close()
    out = tmp_path / "es.pdf"
    code = cli.main(
        [*database_args(db), "report", "--programme", "JOV",
         "--from", "2026-01-01", "--to", "2026-12-31",
         "--lang", "es", "-o", str(out)]
    )  # fmt: skip
    _out, err = capsys.readouterr()
    assert code == 0 and out.exists()
    assert "Avís: 1 text no té versió en castellà: activitat Festa major del barri (nom)" in err
    code = cli.main(
        [*database_args(db), "report", "--programme", "JOV",
         "--from", "2026-01-01", "--to", "2026-12-31",
         "--lang", "ca", "-o", str(tmp_path / "ca.pdf")]
    )  # fmt: skip
    assert code == 0 and "Avís" not in capsys.readouterr().err
