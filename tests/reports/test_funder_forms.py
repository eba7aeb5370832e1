"""The figures funders' forms ask for: age-band sets of the funder's choosing (and the head
counts a set cannot be built from, named), gender in every table, people reached at open events,
the summary per category, sessions planned, held and cancelled, referrals, small numbers and
pro-rated targets; each checked in the JSON, the spreadsheet's cells and the PDF's text against
the counts by hand of tests/funder_dataset.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.db.engine import Database
from app.domain.figures import BUILT_IN_BAND_SETS, parse_band_set
from app.domain.report import ReportRequest, quarter
from app.errors import ValidationError
from app.i18n import translator
from app.reports.text import catalan_dates
from app.services.report_output import ReportFiles
from app.services.reports import ReportService
from tests.funder_dataset import (
    CATEGORIES,
    EXPECTED,
    NOT_BUILDABLE,
    PERIOD,
    REFERRALS,
    SESSIONS_PLANNED,
    VALENCIAN,
    VALENCIAN_AGES,
    WOMEN_BY_AGE,
    build,
)
from tests.reports.test_justification import pdf_tables, pdf_text

#: Every figure on SQLite and on an office (PostgreSQL) database.
BOTH_ENGINES = True


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    return build(db)


def whole(**kw: Any) -> ReportRequest:
    return ReportRequest(None, *PERIOD, **kw)


def test_figures_by_hand(db: Database, ids: dict[str, str]) -> None:
    data = ReportService(db).load(whole(age_preset="youth_valencia"))
    out = data.json_dict()
    for key, value in EXPECTED.items():
        assert out[key] == value, key
    ages = {k: (v["participants"], v["attendances"]) for k, v in out["by_age_band"].items()}
    assert ages == VALENCIAN_AGES
    assert out["age_band_not_buildable"] == sum(NOT_BUILDABLE.values())
    assert out["age_bands"]["bands"] == list(VALENCIAN)
    assert out["age_bands"]["not_buildable"] == NOT_BUILDABLE
    assert out["age_bands"]["not_buildable_share"] == round(14 / 39, 4)
    women = out["by_gender_and_age_band"]["woman"]
    # Inside "unknown" in the JSON's by-band figures, as everywhere: 8 of the women's 14.
    assert women["unknown"] == {"participants": 0, "attendances": 8}
    rows = dict(data.age_gender_rows())
    assert {
        b: (rows[b]["woman"].participants, rows[b]["woman"].attendances) for b in WOMEN_BY_AGE
    } == (WOMEN_BY_AGE)
    assert rows["not_buildable"]["woman"].attendances == 8
    assert rows["not_buildable"]["man"].attendances == 6
    # The cross table adds up to the figures.
    assert sum(c.attendances for _b, cells in data.age_gender_rows() for c in cells.values()) == 39
    assert sum(c.participants for _b, cells in data.age_gender_rows() for c in cells.values()) == 10

    cats = {
        c["category"]: {
            "sessions": c["sessions"],
            "participants": c["participants"],
            "attendances": c["attendances"],
            "reached": c["people_reached_estimate"],
        }
        for c in out["by_category"]
    }
    assert cats == CATEGORIES
    planned = {
        r["activity"]: (
            r["planned"],
            r["held"],
            r["cancelled"],
            r["pending"],
            [x["reason"] for x in r["cancellation_reasons"]],
        )
        for r in out["sessions_by_activity"]
    }
    assert planned == SESSIONS_PLANNED
    refs = {
        (r["programme"], r["destination"], r["status"]): r["referrals"]
        for r in out["referrals_by_programme"]
    }
    assert refs == REFERRALS
    by_act = {a["activity"]: a["by_gender"] for a in out["by_activity_and_gender"]}
    assert by_act["Taller de ràdio"]["woman"] == {"participants": 7, "attendances": 14}
    assert by_act["Taller de ràdio"]["man"] == {"participants": 1, "attendances": 1}
    assert by_act["Festa de tardor"]["woman"] == {"participants": 0, "attendances": 14}
    assert by_act["Festa de tardor"]["man"] == {"participants": 0, "attendances": 6}


def test_band_sets_and_what_cannot_be_built(db: Database, ids: dict[str, str]) -> None:
    service = ReportService(db)
    # The general set is built from every recorded band; the Catalan youth law's 16-29 only
    # lacks the count recorded earlier as 0-17.
    assert service.band_coverage(whole()).affected == 0
    catalan = service.band_coverage(whole(age_preset="youth_catalonia"))
    assert catalan.not_buildable == {"0-17": 3}
    valencian = service.band_coverage(whole(age_preset="youth_valencia"))
    assert valencian.not_buildable == NOT_BUILDABLE
    assert valencian.share == pytest.approx(14 / 39)
    # The fine bands build the general set and the Catalan youth law's exactly.
    for key in ("default", "youth_catalonia"):
        data = service.load(whole(age_preset=key))
        assert data.figures.age_not_buildable == (3 if key == "youth_catalonia" else 0)

    # A coordinator's set for a funder; bad input says which band is wrong.
    dto, _c = service.save_band_set("Formulari IVAJ", "12-18, 19-24, 25-30", ids["funder"])
    assert dto.bands == VALENCIAN and dto.funder_name == "Generalitat Valenciana"
    mine = [b for b in service.band_sets() if not b.built_in]
    assert [(b.name, b.bands) for b in mine] == [("Formulari IVAJ", VALENCIAN)]
    assert [b.id for b in service.band_sets() if b.built_in] == list(BUILT_IN_BAND_SETS)
    with pytest.raises(ValidationError) as err:
        service.save_band_set("Mal", "12-18, 17-24")
    assert "17-24" in str(err.value)
    with pytest.raises(ValueError):
        parse_band_set("65+, 70-80")
    data = service.load(whole(band_set=dto.bands, band_set_name=dto.name))
    assert data.json_dict()["age_bands"]["set"] == "Formulari IVAJ"
    assert data.figures.age_not_buildable == 14
    service.delete_band_set(dto.id)
    assert [b for b in service.band_sets() if not b.built_in] == []


def test_targets_pro_rated_or_whole(db: Database, ids: dict[str, str]) -> None:
    service = ReportService(db)
    q4 = quarter(2026, 4)
    assert q4 == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    req = ReportRequest((ids["aco"],), *q4, prorate_targets=True)
    data = service.load(req)
    targets = {i.name: (i.target, i.achieved) for i in data.figures.indicators}
    # 92 of the programme's 303 days: 20 x 92 / 303.
    assert targets["Sessions realitzades"] == (round(20 * 92 / 303, 2), 3)
    # The referrals indicator is counted (Anna and Biel took part in ACO), not typed.
    assert targets["Derivacions a serveis del territori"] == (round(4 * 92 / 303, 2), 2)
    assert data.json_dict()["indicator_targets"] == "prorated"
    whole_period = service.load(ReportRequest((ids["aco"],), *q4))
    assert {i.name: i.target for i in whole_period.figures.indicators} == {
        "Sessions realitzades": 20,
        "Derivacions a serveis del territori": 4,
    }
    assert whole_period.json_dict()["indicator_targets"] == "whole_period"
    assert service.programme_dates(ids["aco"]) == PERIOD


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_documents_agree(db: Database, ids: dict[str, str], tmp_path: Path, lang: str) -> None:
    pdf, xlsx, js = tmp_path / "r.pdf", tmp_path / "r.xlsx", tmp_path / "r.json"
    req = whole(lang=lang, age_preset="youth_valencia", small_numbers=True, fold_gender=True)
    ReportService(db).export(req, ReportFiles(pdf=pdf, xlsx=xlsx, json=js))
    _ = translator(lang).gettext
    out = json.loads(js.read_text(encoding="utf-8"))
    # The JSON keeps the exact numbers and says that the documents hide small ones.
    assert out["by_gender"]["man"]["participants"] == 1
    assert out["small_numbers_hidden"] is True

    wb = openpyxl.load_workbook(xlsx)
    gender = {r[0]: (r[1], r[2]) for r in wb[_("By gender")].iter_rows(min_row=2, values_only=True)}
    # Folded to woman / man / other: Cesc and Dani (1 + 1) make the third column.
    assert gender[_("Woman")] == (7, 29)
    assert gender[_("Man")] == ("< 5", 8)
    assert gender[_("Other")] == ("< 5", 2)
    assert gender[_("Total")] == (10, 39)  # totals are exact: they agree with every table
    ages = {r[0]: (r[1], r[2]) for r in wb[_("By age band")].iter_rows(min_row=2, values_only=True)}
    assert ages[_("{low} to {high}").format(low=19, high=24)] == (6, 12)
    assert ages[_("Other ages")] == ("< 5", 3)
    assert ages[_("Head counts in bands that do not fit these")] == (0, 14)
    assert ages[_("Unknown age")] == ("< 5", 1)
    cross = {r[0]: r[1:] for r in wb[_("Age by gender")].iter_rows(min_row=2, values_only=True)}
    # Participants woman, man, other; then attendances woman, man, other.
    assert cross[_("{low} to {high}").format(low=19, high=24)] == (6, 0, 0, 12, 0, 0)
    assert cross[_("Head counts in bands that do not fit these")] == (0, 0, 0, 8, 6, 0)
    cats = {r[1]: r[2:] for r in wb[_("Per category")].iter_rows(min_row=2, values_only=True)}
    assert cats["ACO, BAR"] == (5, 10, 8, 37, 12)
    assert cats["CAS"] == (1, 2, "< 5", 2, 0)
    planned = {
        r[1]: r[2:] for r in wb[_("Sessions planned")].iter_rows(min_row=2, values_only=True)
    }
    assert planned["Taller de ràdio"] == (
        5,
        2,
        2,
        1,
        "03/12/2026: Pluja; 10/12/2026: " + _("no reason recorded"),
    )
    reached = {r[0]: r[1] for r in wb[_("People reached")].iter_rows(min_row=2, values_only=True)}
    assert reached[_("People reached at open events, new this year (staff's estimate)")] == 12
    assert reached[_("Named participants (people counted once)")] == 10
    refs = list(wb[_("Referrals")].iter_rows(min_row=2, values_only=True))
    assert refs[-1] == (_("Total"), None, None, 4)  # a total: exact
    assert (_("No programme"), "Centre de Salut", _("Pending"), "< 5") in refs
    acts = {
        r[1]: r[2:] for r in wb[_("Activities by gender")].iter_rows(min_row=2, values_only=True)
    }
    assert acts["Taller de ràdio"] == (7, "< 5", 0, 8, 14, 1, 0, 15)

    tables = pdf_tables(pdf)
    text = pdf_text(pdf)
    gender_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Gender")][1:]}
    assert gender_pdf[_("Man")] == ("< 5", "8")
    assert gender_pdf[_("Total")] == ("10", "39")
    age_pdf = {r[0]: (r[1], r[3]) for r in tables[_("Age band")][1:]}
    assert age_pdf[_("Head counts in bands that do not fit these")] == ("0", "14")
    assert age_pdf[_("Other ages")] == ("< 5", "3")
    cross_pdf = {r[0]: r[1:] for r in tables[_("Age band by gender")][1:]}
    assert cross_pdf[_("{low} to {high}").format(low=19, high=24)] == ["6 / 12", "0 / 0", "0 / 0"]
    assert tables[_("Age band by gender")][0][3] == _("Other") + "*"
    share = {"ca": "35,9 %", "es": "35,9 %"}[lang]
    assert share in text  # the share that cannot be built, named before the reader guesses
    cats_pdf = {r[1]: r[2:] for r in tables[_("Category (prestació)")][1:]}
    assert cats_pdf["ACO, BAR"] == ["5", "10", "8", "37", "12"]
    planned_pdf = {r[0]: r[1:] for r in tables[_("Activity as planned")][1:]}
    assert planned_pdf["ACO · Taller de ràdio"] == ["5", "2", "2", "1"]
    assert "Pluja" in text
    reached_pdf = {r[0]: r[1] for r in tables[_("People reached")][1:]}
    assert reached_pdf[_("People reached at open events, new this year (staff's estimate)")] == "12"
    refs_pdf = tables[_("Referring programme")]
    assert refs_pdf[-1][0] == _("Total") and refs_pdf[-1][3] == "4"
    assert [_("No programme"), "Centre de Salut", _("Pending"), "< 5"] in refs_pdf
    per_act = {r[0]: r[1:] for r in tables[_("Participants per activity")][1:]}
    assert per_act["ACO · Taller de ràdio"] == ["7", "< 5", "0", "8"]
    # The annex names the facilitator whole, wrapped, never cut with "…".
    assert "…" not in text
    assert "Castellví-Sanchis" in text
    annex_total = tables[_("Date")][-1]
    assert annex_total[0] == _("Total") and annex_total[2] == translator(lang).ngettext(
        "{count} session", "{count} sessions", 6
    ).format(count=6)
    # The cover names neither the entity nor the funders again: header and footer do.
    with __import__("pdfplumber").open(pdf) as doc:
        cover = doc.pages[0].extract_text() or ""
    assert cover.count("Associació Juvenil del Grau") == 1
    assert cover.count("Generalitat Valenciana") == 1
    # The data-protection notice: once, after the annex that names the facilitators.
    assert text.count("Gestió de les activitats.") == 1


def test_empty_texts_and_no_names(db: Database, ids: dict[str, str], tmp_path: Path) -> None:
    pdf = tmp_path / "n.pdf"
    req = ReportRequest(
        (ids["aco"],),
        *PERIOD,
        sections=frozenset({"indicators", "narratives"}),
        narratives={},
    )
    ReportService(db).export(req, ReportFiles(pdf=pdf))
    text = pdf_text(pdf)
    assert "Valoració i propostes" in text
    assert "No s'ha escrit cap text per a aquesta secció." in text
    # Nobody is named (no annex): no data-protection notice on any page.
    assert "Gestió de les activitats." not in text


def test_catalan_dates_elide_before_a_vowel() -> None:
    assert catalan_dates("del 1 d’octubre del 2026 al 11 d’abril") == (
        "de l’1 d’octubre del 2026 a l’11 d’abril"
    )
    assert catalan_dates("del 1 de març") == "de l’1 de març"


def test_cli_bands_small_numbers_and_targets(
    db: Database, ids: dict[str, str], tmp_path: Path, data_dir: Path
) -> None:
    from tests.reports.test_justification import run_cli

    js = tmp_path / "r.json"
    rc = run_cli(
        data_dir,
        "--all",
        "--from",
        "2026-09-01",
        "--to",
        "2027-06-30",
        "--bands",
        "16-29",
        "--small-numbers",
        "--prorate-targets",
        "--json",
        str(js),
        db=db,
    )
    assert rc == 0
    out = json.loads(js.read_text(encoding="utf-8"))
    assert out["age_bands"]["bands"] == ["16-29"]
    assert out["age_bands"]["not_buildable"] == {"0-17": 3}
    assert out["small_numbers_hidden"] is True and out["indicator_targets"] == "prorated"
    assert run_cli(data_dir, "--all", "--bands", "29-16", "--json", str(js), db=db) == 1
