"""Interchange format: the design's example imports as it is, export -> import -> export is exact,
import merges by id, and a bad file is refused whole with the record named."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import cli, i18n
from app.db.engine import Database, open_database
from app.db.models import (
    Activity,
    Agreement,
    Attendance,
    AuditEvent,
    Consent,
    Enrolment,
    EntityProfile,
    Funder,
    HeadCount,
    Indicator,
    MeetingAttendee,
    NetworkMeeting,
    NetworkSpace,
    Organisation,
    Participant,
    Place,
    Programme,
    ProgrammeCategory,
    Referral,
    ReportNarrative,
    Session,
    Staff,
    meeting_programme,
)
from app.errors import UserError
from app.exchange.interchange import export_data, export_file, import_data, import_file
from app.exchange.spec import SPECS

HERE = Path(__file__).resolve().parent
# A copy of the normative example that sits beside the design document (its key names, field
# names and codes are the contract); the original is also tested when it is reachable.
EXAMPLE = HERE.parent / "data" / "interchange-example.json"
SHARED_EXAMPLE = HERE.parents[1].parent / "shared" / "interchange-example.json"

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40))
T0 = dt.datetime(2026, 3, 2, 9, 30, 15, 123456)


def load_example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def fresh_db(tmp_path: Path, name: str) -> Database:
    return open_database(tmp_path / name / "teixit.db")


def fill_rich(db: Database) -> dict[str, str]:
    """Every table filled, with link tables, logos, soft-deleted rows and a blocked person."""
    ids: dict[str, str] = {}
    with db.begin() as s:
        s.add(EntityProfile(name="Entitat Ràpida", tax_id="G12345678", logo=PNG, region="VC"))
        s.add(ProgrammeCategory(code="youth", name_ca="Joventut", name_es="Juventud", position=9))
        laia = Staff(name="Laia Puig", role="Educadora", email="laia@x.org")
        omar = Staff(name="Omar El Idrissi", active=False)
        gone = Staff(name="Antiga", deleted_at=T0)
        place = Place(name="Casal de Barri", address="Olzinelles 30")
        old_place = Place(name="Local tancat", deleted_at=T0)
        funder = Funder(name="Ajuntament", support_text="Amb el suport de", logo=PNG)
        funder2 = Funder(name="Diputació")
        org = Organisation(name="Serveis Socials", kind="public_service", contact="ss@x.org")
        s.add_all([laia, omar, gone, place, old_place, funder, funder2, org])
        s.flush()
        prog = Programme(
            code="JOV",
            name="Participació",
            category="youth",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            responsible_staff_id=laia.id,
            objectives=["Un", "Dos · ünicode 漢字"],
            funders=[funder, funder2],
        )
        prog_deleted = Programme(code="OLD", name="Antic", category="prevention", deleted_at=T0)
        s.add_all([prog, prog_deleted])
        s.flush()
        s.add(Indicator(programme_id=prog.id, name="Persones", kind="participants", target=40))
        s.add(Indicator(programme_id=prog.id, name="Manual", target=2.5, manual_value=3))
        act = Activity(
            programme_id=prog.id,
            name="Taller",
            kind="event",
            place_id=place.id,
            start_time=dt.time(17, 0),
            end_time=dt.time(19, 30),
            facilitators=[laia, omar],
        )
        s.add(act)
        nuria = Participant(
            given_name="Núria",
            family_names="Gel·labert",
            gender="woman",
            birth_date=dt.date(1988, 3, 14),
            id_document_type="dni",
            id_document_number="12345678Z",
            nationality="ES",
        )
        fatima = Participant(given_name="Fatima", gender=None, birth_year=2011, guardian_name="A")
        blocked = Participant(given_name="Bloquejada", blocked_at=T0)
        removed = Participant(given_name="Esborrada", deleted_at=T0)
        s.add_all([nuria, fatima, blocked, removed])
        s.flush()
        s.add(Consent(participant_id=nuria.id, kind="data_processing", date=dt.date(2026, 1, 2)))
        s.add(
            Consent(
                participant_id=fatima.id,
                kind="image_web",
                granted=False,
                signed_by="guardian",
                revoked_at=dt.date(2026, 2, 1),
            )
        )
        s.add(Enrolment(participant_id=nuria.id, activity_id=act.id, start=dt.date(2026, 1, 5)))
        held = Session(
            activity_id=act.id,
            date=dt.date(2026, 1, 13),
            start_time=dt.time(17, 0),
            end_time=dt.time(19, 0),
            place_id=place.id,
            status="held",
            notes="Bé",
            facilitators=[omar],
        )
        cancelled = Session(
            activity_id=act.id, date=dt.date(2026, 1, 20), status="cancelled", deleted_at=T0
        )
        s.add_all([held, cancelled])
        s.flush()
        s.add(Attendance(session_id=held.id, participant_id=nuria.id, status="present"))
        s.add(Attendance(session_id=held.id, participant_id=blocked.id, status="late"))
        s.add(HeadCount(session_id=held.id, gender="man", age_band="30-64", count=3))
        net = NetworkSpace(name="Xarxa", territory="Sants", role="driving_group")
        s.add(net)
        s.flush()
        com = NetworkSpace(name="Comissió", parent_id=net.id, representative_staff_id=laia.id)
        s.add(com)
        s.flush()
        meeting = NetworkMeeting(
            space_id=net.id,
            date=dt.date(2026, 2, 5),
            start_time=dt.time(10, 0),
            online=True,
            agenda=["Punt 1", "Punt 2"],
            minutes="Acta",
        )
        later = NetworkMeeting(space_id=com.id, date=dt.date(2026, 3, 5))
        s.add_all([meeting, later])
        s.flush()
        s.execute(meeting_programme.insert(), [{"meeting_id": meeting.id, "programme_id": prog.id}])
        s.add(MeetingAttendee(meeting_id=meeting.id, staff_id=laia.id))
        s.add(
            MeetingAttendee(
                meeting_id=meeting.id,
                person_name="Jordi",
                organisation_id=org.id,
                status="apologised",
            )
        )
        s.add(
            Agreement(
                meeting_id=meeting.id,
                number=1,
                text="Fer la festa",
                owner_organisation_id=org.id,
                due_date=dt.date(2026, 5, 16),
                status="done",
                closed_in_meeting_id=later.id,
            )
        )
        s.add(
            Referral(participant_id=fatima.id, to_organisation_id=org.id, date=dt.date(2026, 2, 10))
        )
        s.add(
            ReportNarrative(
                programme_id=prog.id,
                period_from=dt.date(2026, 1, 1),
                period_to=dt.date(2026, 6, 30),
                kind="assessment",
                text="Bon semestre",
            )
        )
        ids.update(
            prog=prog.id,
            nuria=nuria.id,
            fatima=fatima.id,
            blocked=blocked.id,
            held=held.id,
            laia=laia.id,
            omar=omar.id,
            net=net.id,
            com=com.id,
            place=place.id,
        )
    return ids


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in the English of the code (no catalogue), to check them word for word."""
    monkeypatch.setattr(i18n, "_current", "en")


def audit_count(db: Database, action: str) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).where(AuditEvent.action == action)) or 0


# ---- the normative example ------------------------------------------------------------------


def assert_holds_example(db: Database, example: dict[str, Any]) -> None:
    """Every record and field of the example comes back unchanged in an export."""
    exported = export_data(db)
    for key, value in example.items():
        if key == "entity_profile":
            assert {k: exported[key][k] for k in value} == value
        elif isinstance(value, list):
            by_id = {r["id"]: r for r in exported[key]}
            for record in value:
                assert {k: by_id[record["id"]][k] for k in record} == record, key
        else:
            assert exported[key] == value


def test_the_example_imports_as_it_is(db: Database) -> None:
    summary = import_file(db, EXAMPLE)
    assert summary.inserted["participants"] == 2
    assert summary.inserted["attendance"] == 2
    assert sum(summary.updated.values()) == 0
    text = summary.describe()
    assert "2 persones" in text and "2 sessions" in text and "interchange-example.json" in text
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
    import_file(db, SHARED_EXAMPLE)
    assert_holds_example(db, json.loads(SHARED_EXAMPLE.read_text(encoding="utf-8")))


def test_importing_the_same_file_twice_updates_instead_of_duplicating(db: Database) -> None:
    import_file(db, EXAMPLE)
    before = export_data(db)
    summary = import_file(db, EXAMPLE)
    assert sum(summary.inserted.values()) == 0
    assert summary.updated["participants"] == 2
    assert export_data(db) == before


# ---- export ---------------------------------------------------------------------------------


def test_export_lists_every_table_in_a_stable_form(db: Database, tmp_path: Path) -> None:
    fill_rich(db)
    out = tmp_path / "out.json"
    summary = export_file(db, out)
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
    export_file(db, first)
    other = fresh_db(tmp_path, "other")
    try:
        import_file(other, first)
        second = tmp_path / "second.json"
        export_file(other, second)
        assert second.read_bytes() == first.read_bytes()
    finally:
        other.close()


def test_export_of_an_empty_database_imports_back(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.json"
    export_file(db, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["entity_profile"] is None and data["participants"] == []
    assert len(data["programme_categories"]) == 5  # the defaults
    import_file(db, out)
    assert export_data(db) == data


def test_export_to_a_missing_folder_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no-such-folder"):
        export_file(db, tmp_path / "no-such-folder" / "x.json")
    assert audit_count(db, "export") == 0


# ---- merging into a database that has data --------------------------------------------------


def test_import_merges_by_id(db: Database) -> None:
    ids = fill_rich(db)
    untouched = export_data(db)
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
        # A new commission listed before its new parent network.
        "network_spaces": [
            {
                "id": "00000000-0000-4000-8000-00000000000b",
                "name": "Subcomissió",
                "parent_id": "00000000-0000-4000-8000-00000000000c",
            },
            {"id": "00000000-0000-4000-8000-00000000000c", "name": "Nova xarxa"},
        ],
    }
    summary = import_data(db, data)
    assert summary.inserted == {"participants": 1, "sessions": 0, "network_spaces": 2}
    assert summary.updated == {"participants": 1, "sessions": 1, "network_spaces": 0}
    after = export_data(db)
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
    assert len(after["network_spaces"]) == len(untouched["network_spaces"]) + 2


def test_blocked_people_in_the_database_stay_frozen(db: Database) -> None:
    ids = fill_rich(db)
    data = {
        "format": "teixit",
        "version": 1,
        "participants": [{"id": ids["blocked"], "given_name": "Torna", "blocked_at": None}],
    }
    summary = import_data(db, data)
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
    import_data(db, data)
    with db.read() as s:
        cats = {c.code: c for c in s.scalars(select(ProgrammeCategory))}
    assert len(cats) == 6 and cats["prevention"].name_ca == "Prevenció!"
    assert cats["health"].position == 7 and cats["health"].active


# ---- bad files ------------------------------------------------------------------------------

NURIA = "669fd609-c9ff-5e0c-ad74-a7f47e876cd3"


def _set(path: str, value: Any) -> Any:
    """A change to the example: "participants.1.birth_date" = value."""

    def change(data: dict[str, Any]) -> None:
        *parts, last = path.split(".")
        target: Any = data
        for part in parts:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()

BAD = {
    "wrong format": (_set("format", "other"), "“format” must be “teixit”"),
    "newer version": (_set("version", 2), "version 2"),
    "not a list": (_set("staff", {"a": 1}), "“staff”"),
    "broken reference": (
        _set("attendance.1.participant_id", "00000000-0000-4000-8000-000000000099"),
        "attendance[1] (id 240d4414…): participant_id refers to "
        "“00000000-0000-4000-8000-000000000099”",
    ),
    "invalid date": (
        _set("participants.1.birth_date", "2011-13-01"),
        "participants[1] (id cc30c51b…): birth_date “2011-13-01” is not a valid date",
    ),
    "invalid code": (
        _set("activities.0.kind", "party"),
        "activities[0] (id a65b9df9…): kind “party” is not an accepted code",
    ),
    "invalid gender": (_set("head_counts.0.gender", "male"), "head_counts[0]"),
    "unknown category": (_set("programmes.0.category", "sports"), "category “sports”"),
    "bad time": (
        _set("sessions.1.end_time", "18.30"),
        "sessions[1] (id f1b612de…): end_time “18.30” is not a valid time",
    ),
    "hour out of range": (_set("sessions.0.start_time", "25:00"), "sessions[0]"),
    "missing field": (_set("staff.0.name", _DELETE), "staff[0] (id 8338dd02…): the field name"),
    "empty name": (_set("places.0.name", " "), "places[0]"),
    "bad id": (_set("funders.0.id", "ABC"), "funders[0] (id ABC)"),
    "not an object": (_set("consents.2", "x"), "consents[2]"),
    "boolean as text": (_set("consents.0.granted", "yes"), "consents[0]"),
    "bad status": (_set("attendance.0.status", "here"), "attendance[0]"),
    "bad signed_by": (_set("consents.1.signed_by", "mother"), "consents[1]"),
    "bad base64": (_set("funders.0.logo", "not base64!"), "funders[0]"),
    "negative count": (_set("head_counts.0.count", -1), "head_counts[0]"),
    "duplicate id": (
        _set("places", [{"id": NURIA, "name": "a"}, {"id": NURIA, "name": "b"}]),
        "places[1]",
    ),
    "same person twice in a session": (
        _set("attendance.1.participant_id", NURIA),
        "attendance[1] (id 240d4414…): session_id, participant_id",
    ),
    "network inside itself": (
        _set("network_spaces.0.parent_id", "93c44838-cf76-50f3-b237-1072beec20d9"),
        "network_spaces[0]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_whole(db: Database, english: None, case: str) -> None:
    fill_rich(db)
    before = export_data(db)
    imports = audit_count(db, "import")
    change, expected = BAD[case]
    data = load_example()
    change(data)
    with pytest.raises(UserError) as caught:
        import_data(db, data)
    assert expected in caught.value.message
    assert export_data(db) == before
    assert audit_count(db, "import") == imports


def test_a_programme_code_used_by_another_programme_is_refused(db: Database, english: None) -> None:
    fill_rich(db)
    data = load_example()
    data["programmes"][0]["code"] = "OLD"
    with pytest.raises(UserError, match="programmes\\[0\\].*“OLD” is already used"):
        import_data(db, data)


def test_the_message_is_translated(db: Database) -> None:
    data = load_example()
    data["participants"][1]["birth_date"] = "2011-13-01"
    i18n.set_language("es")
    with pytest.raises(UserError, match="no es una fecha válida"):
        import_data(db, data)
    i18n.set_language("ca")
    with pytest.raises(UserError, match="no és una data vàlida"):
        import_data(db, data)


# ---- through the command line ---------------------------------------------------------------


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli.main(["--data-dir", str(first), "import", str(EXAMPLE)]) == 0
    assert "2" in capsys.readouterr().out
    out = tmp_path / "out.json"
    assert cli.main(["--data-dir", str(first), "export", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert cli.main(["--data-dir", str(second), "import", str(out)]) == 0
    again = tmp_path / "again.json"
    assert cli.main(["--data-dir", str(second), "export", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no existeix"),
        (b"{not json", "línia 1"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'{"format": "csv"}', "teixit"),
        (b"[]", "teixit"),
    ],
)
def test_cli_refuses_a_bad_file_with_exit_code_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    expected: str,
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_bytes(content)
    assert cli.main(["--data-dir", str(tmp_path / "d"), "import", str(bad)]) == 1
    assert expected in capsys.readouterr().err


def test_cli_refuses_a_broken_reference_and_leaves_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "ca")
    folder = tmp_path / "d"
    assert cli.main(["--data-dir", str(folder), "import", str(EXAMPLE)]) == 0
    db = open_database(folder / "teixit.db")
    before = export_data(db)
    data = load_example()
    data["participants"][0]["given_name"] = "Canviat"
    data["enrolments"][1]["activity_id"] = "00000000-0000-4000-8000-000000000099"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--data-dir", str(folder), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "enrolments[1] (id 5b83c5ae…): activity_id" in err
    assert export_data(db) == before
    db.close()


def test_copy_of_the_example_is_current() -> None:
    if not SHARED_EXAMPLE.exists():
        pytest.skip("the design documents are not beside the project")
    assert json.loads(SHARED_EXAMPLE.read_text(encoding="utf-8")) == load_example()
