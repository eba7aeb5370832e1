"""Interchange format: the design's example imports as it is, export -> import -> export is
exact, and import merges by id into a database that has data."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db.engine import Database
from app.db.models import Participant, Programme, ProgrammeCategory, Session
from app.errors import UserError
from app.exchange.spec import SPECS
from app.services.exchange import ExchangeService
from tests.unit.interchange_samples import (
    EXAMPLE,
    SHARED_EXAMPLE,
    assert_holds_example,
    audit_count,
    fill_rich,
    fresh_db,
    load_example,
)

# ---- the normative example ------------------------------------------------------------------


def test_the_example_imports_as_it_is(db: Database) -> None:
    summary = ExchangeService(db).import_file(EXAMPLE)
    assert summary.inserted["participants"] == 2
    assert summary.inserted["attendance"] == 2
    assert sum(summary.updated.values()) == 0
    text = summary.describe()
    assert text.startswith("Importació de ") and "interchange-example.json: el perfil de" in text
    assert "2 persones" in text and "2 sessions" in text and "(28 nous, 0 actualitzats)" in text
    assert_holds_example(db, load_example())
    with db.read() as s:
        prog = s.scalar(select(Programme))
        assert prog is not None and [f.name for f in prog.funders] == ["Ajuntament de Barcelona"]
        fatima = s.get(Participant, "cc30c51b-7fa4-5132-93c5-baeb6302fc3c")
        assert fatima is not None and fatima.birth_year == 2011 and fatima.birth_date is None
        sess = s.get(Session, "f1b612de-c11a-5190-b824-20746241ed93")
        assert sess is not None and sess.end_time == dt.time(18, 30)
    assert audit_count(db, "import") == 1


def test_the_design_example_itself_imports(db: Database) -> None:
    if not SHARED_EXAMPLE.exists():
        pytest.skip("the design documents are not beside the project")
    ExchangeService(db).import_file(SHARED_EXAMPLE)
    assert_holds_example(db, json.loads(SHARED_EXAMPLE.read_text(encoding="utf-8")))


def test_importing_the_same_file_twice_updates_instead_of_duplicating(db: Database) -> None:
    ExchangeService(db).import_file(EXAMPLE)
    before = ExchangeService(db).export_data()
    summary = ExchangeService(db).import_file(EXAMPLE)
    assert sum(summary.inserted.values()) == 0
    assert summary.updated["participants"] == 2
    assert ExchangeService(db).export_data() == before


# ---- export ---------------------------------------------------------------------------------


def test_export_lists_every_table_in_a_stable_form(db: Database, tmp_path: Path) -> None:
    fill_rich(db)
    out = tmp_path / "out.json"
    summary = ExchangeService(db).export_file(out)
    raw = out.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert "Ràpida" in raw and "漢字" in raw  # not escaped
    assert raw.startswith('{\n  "format": "teixit",\n  "version": 1,\n  "entity_profile"')
    assert list(data)[3:] == [spec.key for spec in SPECS]
    example_keys = [k for k in load_example() if k not in ("format", "version")]
    assert example_keys == list(data)[2 : 2 + len(example_keys)]
    for spec in SPECS:
        assert data[spec.key], f"{spec.key} is empty in the rich data set"
        if spec.key != "programme_categories":
            ids = [r["id"] for r in data[spec.key]]
            assert ids == sorted(ids)
    prog = next(p for p in data["programmes"] if p["code"] == "JOV")
    assert len(prog["funder_ids"]) == 2 and prog["funder_ids"] == sorted(prog["funder_ids"])
    assert prog["deleted_at"] is None
    old = next(p for p in data["programmes"] if p["code"] == "OLD")
    assert old["deleted_at"] == "2026-03-02T09:30:15.123456"
    assert data["entity_profile"]["logo"] and data["entity_profile"]["region"] == "VC"
    assert next(r for r in data["indicators"] if r["name"] == "Manual")["target"] == 2.5
    assert next(r for r in data["indicators"] if r["name"] == "Persones")["target"] == 40
    act = data["activities"][0]
    assert (act["start_time"], act["end_time"]) == ("17:00", "19:30")
    assert len(act["facilitator_ids"]) == 2
    assert "youth" in [c["code"] for c in data["programme_categories"]]
    assert "2 sessions" in summary.describe() and str(out) in summary.describe()
    assert audit_count(db, "export") == 1
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_round_trip_is_exact(db: Database, tmp_path: Path) -> None:
    fill_rich(db)
    first = tmp_path / "first.json"
    ExchangeService(db).export_file(first)
    other = fresh_db(tmp_path, "other")
    try:
        ExchangeService(other).import_file(first)
        second = tmp_path / "second.json"
        ExchangeService(other).export_file(second)
        assert second.read_bytes() == first.read_bytes()
    finally:
        other.close()


def test_export_of_an_empty_database_imports_back(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    ExchangeService(db).export_file(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["entity_profile"] is None and data["participants"] == []
    assert len(data["programme_categories"]) == 5  # the defaults
    ExchangeService(db).import_file(out)
    assert ExchangeService(db).export_data() == data


def test_export_to_a_missing_folder_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no-such-folder"):
        ExchangeService(db).export_file(tmp_path / "no-such-folder" / "x.json")
    assert audit_count(db, "export") == 0


def test_export_reads_one_snapshot(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone saving while the export runs: the file holds the database as it was when the
    export began, never a person's attendance without the person."""
    from app.exchange import interchange

    fill_rich(db)
    before = ExchangeService(db).export_data()
    real = interchange._export_array
    written: list[str] = []

    def export_then_write(s: object, spec: object) -> list:
        rows = real(s, spec)  # type: ignore[arg-type]
        if not written:  # after the first array, another window saves a new person
            with db.begin() as w:
                p = Participant(given_name="Nova", family_names="Persona")
                w.add(p)
                w.flush()
                written.append(p.id)
        return rows

    monkeypatch.setattr(interchange, "_export_array", export_then_write)
    assert ExchangeService(db).export_data() == before
    monkeypatch.undo()
    assert written[0] in {p["id"] for p in ExchangeService(db).export_data()["participants"]}


# ---- merging into a database that has data --------------------------------------------------


def test_import_merges_by_id(db: Database) -> None:
    ids = fill_rich(db)
    untouched = ExchangeService(db).export_data()
    data = {
        "format": "teixit",
        "version": 1,
        "participants": [
            {"id": ids["nuria"], "given_name": "Núria", "phone": "699000000"},
            {"id": "00000000-0000-4000-8000-000000000001", "given_name": "Nova"},
        ],
        "sessions": [
            {
                "id": ids["held"],
                "activity_id": untouched["activities"][0]["id"],
                "date": "2026-01-14",
                "facilitator_ids": [ids["laia"]],
            }
        ],
        # New commissions listed before their new parent network, carrying other fields.
        "network_spaces": [
            {"id": "00000000-0000-4000-8000-00000000000a", "name": "Altra", "parent_id": None},
            {
                "id": "00000000-0000-4000-8000-00000000000b",
                "name": "Subcomissió",
                "parent_id": "00000000-0000-4000-8000-00000000000c",
            },
            {
                "id": "00000000-0000-4000-8000-00000000000c",
                "name": "Nova xarxa",
                "territory": "Hostafrancs",
            },
            {
                "id": "00000000-0000-4000-8000-00000000000d",
                "name": "Comissió de la comissió",
                "parent_id": "00000000-0000-4000-8000-00000000000b",
            },
        ],
    }
    summary = ExchangeService(db).import_data(data)
    assert summary.inserted == {"participants": 1, "sessions": 0, "network_spaces": 4}
    assert summary.updated == {"participants": 1, "sessions": 1, "network_spaces": 0}
    after = ExchangeService(db).export_data()
    nuria = next(p for p in after["participants"] if p["id"] == ids["nuria"])
    assert nuria["phone"] == "699000000"
    assert nuria["birth_date"] == "1988-03-14"  # left out of the file: kept
    held = next(x for x in after["sessions"] if x["id"] == ids["held"])
    assert held["date"] == "2026-01-14" and held["facilitator_ids"] == [ids["laia"]]
    assert held["start_time"] == "17:00" and held["status"] == "held"
    nova = next(p for p in after["participants"] if p["given_name"] == "Nova")
    assert nova["gender"] is None and nova["family_names"] == "" and nova["deleted_at"] is None
    for key in ("activities", "attendance", "agreements", "programmes", "referrals"):
        assert after[key] == untouched[key]
    assert len(after["network_spaces"]) == len(untouched["network_spaces"]) + 4


def test_blocked_people_in_the_database_stay_frozen(db: Database) -> None:
    ids = fill_rich(db)
    data = {
        "format": "teixit",
        "version": 1,
        "participants": [{"id": ids["blocked"], "given_name": "Torna", "blocked_at": None}],
    }
    summary = ExchangeService(db).import_data(data)
    assert summary.skipped_blocked == 1
    assert "1 persona bloquejada" in summary.describe()
    with db.read() as s:
        person = s.get(Participant, ids["blocked"])
        assert person is not None and person.given_name == "Bloquejada" and person.blocked_at


def test_categories_merge_by_code_and_the_file_may_bring_its_own(db: Database) -> None:
    data = load_example()
    data["programme_categories"] = [
        {"code": "prevention", "name_ca": "Prevenció!", "name_es": "Prevención!"},
        {"code": "health", "name_ca": "Salut", "name_es": "Salud", "position": 7},
    ]
    data["programmes"][0]["category"] = "health"
    ExchangeService(db).import_data(data)
    with db.read() as s:
        cats = {c.code: c for c in s.scalars(select(ProgrammeCategory))}
    assert len(cats) == 6 and cats["prevention"].name_ca == "Prevenció!"
    assert cats["health"].position == 7 and cats["health"].active
