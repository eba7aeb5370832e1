"""The justification report: every number in the JSON, the spreadsheet and the PDF agrees with
figures computed by hand on the dataset of tests/report_dataset.py."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest

from app.cli import main
from app.db.engine import Database
from app.domain.report import ReportCancelled, ReportRequest
from app.i18n import translator
from app.reports.justification import build_pdf
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from tests.report_dataset import (
    ACTIVITIES,
    EXPECTED,
    FOLDED,
    INDICATORS,
    MONTHS,
    NATIONALITIES,
    NEIGHBOURHOODS,
    PERIOD,
    build,
)
from tests.support.postgres import database_args

SUMMARY_KEYS = (
    "sessions",
    "hours",
    "participants",
    "attendances",
    "anonymous_attendances",
    "meetings",
    "meeting_hours",
    "agreements_adopted",
    "agreements_done",
)


def num(value: float) -> str:
    """How the PDF prints a number (Catalan and Spanish: decimal comma)."""
    return (f"{value:g}" if not float(value).is_integer() else str(int(value))).replace(".", ",")


def pdf_tables(path: Path) -> dict[str, list[list[str]]]:
    """Every table of the PDF by its first header cell; a table continued on the next page
    (repeated header) is joined to its start."""
    tables: dict[str, list[list[str]]] = {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows = [[(c or "").replace("\n", " ") for c in row] for row in table]
                key = rows[0][0]
                if key in tables:
                    tables[key] += rows[1:]
                else:
                    tables[key] = rows
    return tables


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def run_cli(data_dir: Path, *args: str, db: Database | None = None) -> int:
    """``teixit report`` on the test's database: the data folder's file, or the office database
    when the test runs on PostgreSQL."""
    return main([*database_args(db), "--data-dir", str(data_dir), "report", *args])


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    return build(db)


def request(ids: dict[str, str], **kw: Any) -> ReportRequest:
    return ReportRequest((ids["prog"],), *PERIOD, **kw)


def test_report_data_matches_hand_counts(db: Database, ids: dict[str, str]) -> None:
    data = ReportService(db).load(request(ids))
    out = data.json_dict()
    for key, value in EXPECTED.items():
        assert out[key] == value, key
    assert out["programme"] == {"code": "JOV", "name": "Joves del barri"}
    assert out["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert {i["name"]: (i["target"], i["achieved"]) for i in out["indicators"]} == INDICATORS
    acts = {a.name: (a.sessions, a.hours, a.participants, a.attendances) for a in data.activities}
    assert acts == ACTIVITIES
    assert {k: (b.participants, b.attendances) for k, b in data.by_neighbourhood.items()} == (
        NEIGHBOURHOODS
    )
    assert {k: (b.participants, b.attendances) for k, b in data.by_nationality.items()} == (
        NATIONALITIES
    )
    assert len(data.monthly) == 12
    assert {m.month: (m.sessions, m.attendances) for m in data.monthly if m.sessions} == MONTHS
    # The network counts its commission's meeting; the commission follows it, one level down.
    net = [
        (r.space, r.depth, r.meetings, r.hours, r.agreements_adopted, r.agreements_done)
        for r in data.network
    ]
    assert net == [
        ("Xarxa d'Infància de Sants", 0, 2, 3.5, 3, 2),
        ("Comissió de festes", 1, 1, 1.5, 1, 1),
    ]
    # The annex lists the held sessions of the period: not the cancelled one, nor those before
    # or after, nor other programmes'.
    assert [a.session_id for a in data.annex] == [ids["s1"], ids["s2"], ids["fest"]]
    assert [a.attendances for a in data.annex] == [3, 3, 10]
    assert data.annex[0].facilitators == "Marta Ferrer"
    assert data.annex[1].place == "Casal de Barri"  # the activity's default place


def test_whole_entity_and_age_preset(db: Database, ids: dict[str, str]) -> None:
    data = ReportService(db).load(ReportRequest(None, *PERIOD, age_preset="childhood"))
    assert data.figures.sessions == 4  # ALT's assembly too
    assert data.figures.participants == 5
    assert [p.code for p in data.programmes] == ["ALT", "JOV"]
    assert list(data.figures.by_age_band) == ["0-3", "4-18", "19-35", "36-64", "65+", "unknown"]
    # Bru turns 18 on 1 February 2026: 17 at his first session, still 4-18 on both.
    assert data.figures.by_age_band["4-18"].participants == 2
    assert data.json_dict()["programme"] is None


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_json_xlsx_and_pdf_agree(
    db: Database, ids: dict[str, str], tmp_path: Path, data_dir: Path, lang: str
) -> None:
    pdf, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    rc = run_cli(
        data_dir,
        "--programme",
        "JOV",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--lang",
        lang,
        "-o",
        str(pdf),
        "--xlsx",
        str(xlsx),
        "--json",
        str(js),
        db=db,
    )
    assert rc == 0
    t = translator(lang)
    _ = t.gettext

    # JSON: DESIGN section 6 key names and the hand counts.
    out = json.loads(js.read_text(encoding="utf-8"))
    for key, value in EXPECTED.items():
        assert out[key] == value, key
    assert out["programme"]["code"] == "JOV"

    # Spreadsheet: the summary's key column names the JSON figure of each row.
    wb = openpyxl.load_workbook(xlsx)
    summary = {r[2]: r[1] for r in wb[_("Summary")].iter_rows(min_row=2, values_only=True)}
    for key in SUMMARY_KEYS:
        assert summary[key] == out[key], key
    gender = {r[0]: (r[1], r[2]) for r in wb[_("By gender")].iter_rows(min_row=2, values_only=True)}
    assert gender[_("Woman")] == (2, 8) and gender[_("Not stated")] == (1, 3)
    assert gender[_("Total")] == (4, 16)
    ages = {r[0]: (r[1], r[2]) for r in wb[_("By age band")].iter_rows(min_row=2, values_only=True)}
    assert ages[_("{low} to {high}").format(low=18, high=29)] == (0, 1)
    assert ages[_("Unknown age")] == (1, 1)
    acts = {r[1]: tuple(r[3:7]) for r in wb[_("Activities")].iter_rows(min_row=2, values_only=True)}
    for name, values in ACTIVITIES.items():
        assert acts[name] == values
    hoods = {
        r[0]: (r[1], r[2]) for r in wb[_("By neighbourhood")].iter_rows(min_row=2, values_only=True)
    }
    assert hoods["Sants"] == (2, 4) and hoods[_("Not recorded")] == (1, 10)
    # The network's own row (commission included), its commission, the total of the networks.
    net = list(wb[_("Network work")].iter_rows(min_row=2, values_only=True))
    assert net == [
        ("Xarxa d'Infància de Sants", None, 2, 3.5, 3, 2),
        ("Xarxa d'Infància de Sants", "Comissió de festes", 1, 1.5, 1, 1),
        (_("Total"), None, out["meetings"], out["meeting_hours"], 3, 2),
    ]
    sessions = list(wb[_("Sessions held")].iter_rows(min_row=2, values_only=True))
    assert len(sessions) == 3 + 1  # held sessions and the total
    assert isinstance(sessions[0][0], dt.datetime) and sessions[0][7] == 3
    inds = {
        r[1]: (r[3], r[4], r[5]) for r in wb[_("Indicators")].iter_rows(min_row=2, values_only=True)
    }
    assert inds["Persones participants"] == (5, 4, -1)
    assert inds["Hores d'activitat"] == (8, 6.5, -1.5)

    # PDF: the same numbers in its tables.
    tables = pdf_tables(pdf)
    figs = {r[0]: r[1] for r in tables[_("Figure")][1:]}
    assert figs[_("Sessions held")] == num(out["sessions"])
    assert figs[_("Hours of activity")] == num(out["hours"])
    assert figs[_("Unique participants")] == num(out["participants"])
    assert figs[_("Total attendances")] == num(out["attendances"])
    assert figs[_("Anonymous attendances (head counts)")] == num(out["anonymous_attendances"])
    assert figs[_("Network meetings")] == num(out["meetings"])
    assert figs[_("Hours of network meetings")] == num(out["meeting_hours"])
    assert figs[_("Agreements adopted")] == num(out["agreements_adopted"])
    assert figs[_("Agreements done")] == num(out["agreements_done"])
    inds_pdf = {r[0]: r[1:4] for r in tables[_("Indicator")][1:]}
    assert inds_pdf["Persones participants"] == ["5", "4", "-1"]
    assert inds_pdf["Hores d'activitat"] == ["8", "6,5", "-1,5"]
    assert inds_pdf["Entitats implicades"] == ["4", "5", "+1"]
    acts_pdf = {r[0]: r[2:6] for r in tables[_("Activity")][1:]}
    for name, (n, hours, people, att) in ACTIVITIES.items():
        assert acts_pdf[name] == [num(n), num(hours), num(people), num(att)]
    assert acts_pdf[_("Total")] == ["3", "6,5", "4", "16"]
    gender_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Gender")][1:]}
    for code, b in out["by_gender"].items():
        label = _(
            {
                "woman": "Woman",
                "man": "Man",
                "nonbinary": "Non-binary",
                "other": "Other",
                "undisclosed": "Not stated",
            }[code]
        )
        assert gender_pdf[label] == (num(b["participants"]), num(b["attendances"]))
    age_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Age band")][1:]}
    assert age_pdf[_("{low} to {high}").format(low=0, high=17)] == ("2", "8")
    assert age_pdf[_("{age} or more").format(age=65)] == ("1", "3")
    assert age_pdf[_("Total")] == ("4", "16")
    hood_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Neighbourhood")][1:]}
    assert hood_pdf == {
        "Sants": ("2", "4"),
        "Hostafrancs": ("1", "2"),
        _("Not recorded"): ("1", "10"),
        _("Total"): ("4", "16"),
    }
    nat_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Nationality")][1:]}
    assert nat_pdf[{"ca": "Marroc", "es": "Marruecos"}[lang]] == ("1", "2")
    months = tables[_("Month")][1:]
    assert len(months) == 12 + 1
    assert [r[1:] for r in months if r[1] != "0"][:3] == [["1", "3"], ["1", "3"], ["1", "10"]]
    net_pdf = {r[0]: r[1:] for r in tables[_("Network space")][1:]}
    assert net_pdf[_("Total")] == ["2", "3,5", "3", "2"]
    # The network's own row counts its commission's meeting, which is listed under it.
    assert list(net_pdf) == ["Xarxa d'Infància de Sants", "Comissió de festes", _("Total")]
    assert net_pdf["Xarxa d'Infància de Sants"] == net_pdf[_("Total")]
    assert net_pdf["Comissió de festes"] == ["1", "1,5", "1", "1"]
    annex = tables[_("Date")][1:]
    assert len(annex) == 3 + 1  # one row per held session, then the total
    assert annex[0][0] == "15/01/2026" and annex[-1][-1] == "16"


def test_language_labels(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    service = ReportService(db)
    words = {
        "ca": (
            "Memòria d'actuació",
            "Valor previst",
            "Valor assolit",
            "Desviació",
            "Persones participants (úniques)",
            "Assistències totals",
            "Pàgina 2 de",
        ),
        "es": (
            "Memoria de actuación",
            "Valor previsto",
            "Valor alcanzado",
            "Desviación",
            "Personas participantes (únicas)",
            "Asistencias totales",
            "Página 2 de",
        ),
    }
    for lang, expected in words.items():
        path = tmp_path / f"{lang}.pdf"
        service.export(request(ids, lang=lang), ReportFiles(pdf=path))
        headers = " ".join(" ".join(rows[0]) for rows in pdf_tables(path).values())
        text = pdf_text(path).replace("\n", " ") + " " + headers
        for word in expected:
            assert word in text, (lang, word)
    path = tmp_path / "both.pdf"
    service.export(request(ids, lang="ca+es"), ReportFiles(pdf=path))
    text = pdf_text(path)
    assert "Memòria d'actuació / Memoria de actuación" in text


def test_folded_gender(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    pdf, xlsx = tmp_path / "f.pdf", tmp_path / "f.xlsx"
    ReportService(db).export(request(ids, fold_gender=True), ReportFiles(pdf=pdf, xlsx=xlsx))
    _ = translator("ca").gettext
    labels = {"woman": _("Woman"), "man": _("Man"), "other": _("Other")}
    rows = {r[0]: (int(r[1]), int(r[3])) for r in pdf_tables(pdf)[_("Gender")][1:-1]}
    assert rows == {labels[c]: v for c, v in FOLDED.items()}
    wb = openpyxl.load_workbook(xlsx)
    sheet = {r[0]: (r[1], r[2]) for r in wb[_("By gender")].iter_rows(min_row=2, values_only=True)}
    assert sheet == {**{labels[c]: v for c, v in FOLDED.items()}, _("Total"): (4, 16)}


def test_sections_and_narratives(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    service = ReportService(db)
    service.save_narratives(
        ids["prog"],
        *PERIOD,
        {"assessment": "Ha anat molt bé.", "proposals": "Més sessions a l'estiu."},
    )
    assert service.narratives(ids["prog"], *PERIOD)["assessment"] == "Ha anat molt bé."
    assert service.narratives(ids["prog"], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {
        "assessment": "",
        "difficulties": "",
        "changes": "",
        "proposals": "",
    }
    path = tmp_path / "n.pdf"
    req = request(
        ids,
        sections=frozenset({"narratives", "signature"}),
        signatory="Rosa Pons",
        sign_place="Barcelona",
        sign_date=dt.date(2027, 1, 20),
    )
    service.export(req, ReportFiles(pdf=path))
    text = pdf_text(path)
    assert "Ha anat molt bé." in text and "Més sessions a l'estiu." in text
    assert "Rosa Pons" in text and "Barcelona, 20 de gener del 2027" in text
    assert "15/01/2026" not in text  # no annex


def test_cancel_writes_nothing(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    out = tmp_path / "out"
    out.mkdir()
    files = ReportFiles(pdf=out / "c.pdf", xlsx=out / "c.xlsx")
    with pytest.raises(ReportCancelled):
        ReportService(db).export(request(ids), files, cancel=cancel)
    assert list(out.iterdir()) == []
    assert ReportService(db).recent() == []


def test_progress_reaches_the_end(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    seen: list[float] = []
    ReportService(db).export(
        request(ids), ReportFiles(pdf=tmp_path / "p.pdf"), progress=lambda f, _m: seen.append(f)
    )
    assert seen == sorted(seen) and seen[-1] >= 0.6
    recent = ReportService(db).recent()
    assert recent[0].path == str(tmp_path / "p.pdf") and recent[0].date_from == PERIOD[0]


def test_evidence_pack(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    made = []

    def sheet(session_id: str, lang: str) -> bytes:
        made.append(session_id)
        return b"%PDF-1.4 sheet"

    path = tmp_path / "pack.zip"
    members = ReportService(db).evidence_pack(request(ids), path, sheet_maker=sheet)
    names = zipfile.ZipFile(path).namelist()
    assert names == members
    assert [n.rsplit(".", 1)[1] for n in names[:3]] == ["pdf", "xlsx", "json"]
    sheets = [n for n in names[3:] if n.endswith(".pdf")]
    assert len(sheets) == 3 and made == [ids["s1"], ids["s2"], ids["fest"]]
    assert json.loads(zipfile.ZipFile(path).read(names[2]))["sessions"] == 3


def test_evidence_pack_with_the_attendance_sheets(
    db: Database, ids: dict[str, str], tmp_path: Path, data_dir: Path
) -> None:
    path = tmp_path / "pack.zip"
    db.close()
    assert (
        run_cli(
            data_dir,
            "--programme",
            "JOV",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--evidence",
            str(path),
            db=db,
        )
        == 0
    )
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == "memoria-jov-20260101-20261231.pdf"
        # No signed sheet was scanned: each held session has the extract of the register
        # (titled as such, never an unsigned sheet of everybody enrolled).
        sheets = [n for n in names if n.startswith("extractes-del-registre/")]
        assert len(sheets) == 3  # one per held session of the period
        assert sheets[0].startswith("extractes-del-registre/20260115-taller-de-costura-")
        for name in sheets:
            with pdfplumber.open(io.BytesIO(zf.read(name))) as pdf:
                text = pdf.pages[0].extract_text() or ""
            assert "Extracte del registre" in text and "No és un full signat" in text
        with pdfplumber.open(io.BytesIO(zf.read(sheets[0]))) as pdf:
            first = pdf.pages[0].extract_text() or ""
        assert "Taller de costura" in first


def test_cli_default_file_and_period(
    db: Database,
    ids: dict[str, str],
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db.close()
    monkeypatch.chdir(tmp_path)
    assert run_cli(data_dir, "--programme", "JOV", "--to", "2026-12-31", db=db) == 0
    path = tmp_path / "memoria-jov-20260101-20261231.pdf"
    assert path.exists()
    assert "Sessions realitzades" in pdf_text(path)


def test_cli_errors(
    db: Database,
    ids: dict[str, str],
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db.close()
    assert run_cli(data_dir, "--programme", "NOPE", "-o", str(tmp_path / "x.pdf"), db=db) == 1
    assert "NOPE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run_cli(data_dir, "--from", "2026-01-01", db=db)  # no programme
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        run_cli(data_dir, "--programme", "JOV", "--lang", "fr", "-o", "x.pdf", db=db)
    assert exc.value.code == 2
    bad_date = ("--programme", "JOV", "--from", "2026-02-30", "-o", "x.pdf")
    assert run_cli(data_dir, *bad_date, db=db) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_cancel_while_laying_out_pages(db: Database, ids: dict[str, str]) -> None:
    data = ReportService(db).load(request(ids))
    seen: list[float] = []

    def cancel() -> bool:
        return bool(seen) and max(seen) > 0.3  # the sections are read: pages are being laid out

    with pytest.raises(ReportCancelled):
        build_pdf(data, io.BytesIO(), lambda f, _m: seen.append(f), cancel)
    assert 0.3 < max(seen) < 1.0  # it stopped while laying out, not before nor at the end
