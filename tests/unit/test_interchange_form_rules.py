"""An interchange file is refused where the forms refuse: the same checks (app/domain), one
sentence naming the record and the field, and the database left exactly as it was."""

from __future__ import annotations

import base64
import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import i18n
from app.db.engine import Database
from app.domain.people import ConsentDTO, PersonDTO, validate_consent, validate_person
from app.errors import UserError
from app.services.exchange import ExchangeService
from tests.unit.interchange_samples import (
    audit_count,
    fill_rich,
    fresh_db,
    load_example,
)

BOTH_ENGINES = True

MINOR = "cc30c51b-7fa4-5132-93c5-baeb6302fc3c"  # Fatima Zahra, born 2011, guardian's consent


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "en")


def _nine_years_old(d: dict[str, Any]) -> None:
    nine = dt.date.today().year - 9
    d["participants"][1].update(birth_year=nine, guardian_name="", guardian_phone="")


def _nine_signing_alone(d: dict[str, Any]) -> None:
    d["participants"][1]["birth_year"] = dt.date.today().year - 9
    d["consents"][1]["signed_by"] = "self"


def _born(value: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["participants"][0].update(birth_date=value)


def _second(key: str, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        twin = copy.deepcopy(d[key][0])
        twin.update(id="0f0f0f0f-0000-4000-8000-000000000001", **changes)
        d[key].append(twin)

    return change


def _set(key: str, index: int = 0, **changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d[key][index].update(**changes)


def _logo(data: bytes) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["entity_profile"].update(logo=base64.b64encode(data).decode())


def _large_png() -> bytes:
    import io
    import random

    from PIL import Image

    noise = random.Random(4).randbytes(64 * 64 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (64, 64), noise).save(out, "PNG")
    return out.getvalue()


#: case -> (change to the example, the record the sentence names, its field, words of the reason)
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], str, str, str]] = {
    "a nine-year-old without a guardian": (
        _nine_years_old,
        "participants[1]",
        "guardian_name",
        "need a parent or legal guardian",
    ),
    "a nine-year-old's consent signed by self": (
        _nine_signing_alone,
        "consents[1]",
        "signed_by",
        "a parent or legal guardian must sign",
    ),
    "born in 2099": (_born("2099-01-01"), "participants[0]", "birth_date", "in the future"),
    "born in 9999": (_born("9999-12-31"), "participants[0]", "birth_date", "in the future"),
    "born in 0001": (_born("0001-01-01"), "participants[0]", "birth_date", "between 1900"),
    "session ending before it starts": (
        _set("sessions", start_time="19:00", end_time="17:00"),
        "sessions[0]",
        "end_time",
        "must be after the start time",
    ),
    "activity ending before it starts": (
        _set("activities", start_time="19:00", end_time="18:00"),
        "activities[0]",
        "end_time",
        "must be after the start time",
    ),
    "meeting ending before it starts": (
        _set("network_meetings", start_time="12:00", end_time="10:00"),
        "network_meetings[0]",
        "end_time",
        "must end after it starts",
    ),
    "programme ending before it starts": (
        _set("programmes", start="2026-12-31", end="2026-01-01"),
        "programmes[0]",
        "end",
        "cannot be before the start date",
    ),
    "enrolment ending before it starts": (
        _set("enrolments", start="2026-03-01", end="2026-02-01"),
        "enrolments[0]",
        "end",
        "cannot be before the start date",
    ),
    "consent revoked before it was given": (
        _set("consents", revoked_at="2025-12-01"),
        "consents[0]",
        "revoked_at",
        "revoked before the date it was given",
    ),
    "a logo that is not an image": (
        _logo(b"\x89PNG\r\n\x1a\n" + bytes(200)),
        "entity_profile",
        "logo",
        "not an image Teixit can read",
    ),
    "a logo cut short": (
        _logo(_large_png()[:600]),
        "entity_profile",
        "logo",
        "not an image Teixit can read",
    ),
    "two agreements numbered 1 in one meeting": (
        _second("agreements"),
        "agreements[1]",
        "meeting_id, number",
        "already used by agreements[0]",
    ),
    "two consents of one kind for one person": (
        _second("consents", granted=False),
        "consents[3]",
        "participant_id, kind",
        "already used by consents[0]",
    ),
    "two head counts of one band": (
        _second("head_counts", count=7),
        "head_counts[1]",
        "session_id, gender, age_band",
        "already used by head_counts[0]",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_record_no_form_accepts_is_refused_and_changes_nothing(
    db: Database, english: None, case: str
) -> None:
    fill_rich(db)
    service = ExchangeService(db)
    before = service.export_data()
    imports = audit_count(db, "import")
    change, record, field, reason = CASES[case]
    data = load_example()
    change(data)
    with pytest.raises(UserError) as caught:
        service.import_data(data)
    message = caught.value.message
    assert message.startswith(record), message
    assert f", {field}: " in message or f": {field} " in message, message
    assert reason in message, message
    assert len(message.splitlines()) == 1
    assert service.export_data() == before
    assert audit_count(db, "import") == imports


def test_an_empty_database_refuses_them_too(db: Database, english: None) -> None:
    service = ExchangeService(db)
    data = load_example()
    _nine_signing_alone(data)
    with pytest.raises(UserError, match=r"^consents\[1\].*signed_by"):
        service.import_data(data)
    assert service.export_data()["participants"] == []


def test_the_refusal_is_translated(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_current", "es")
    data = load_example()
    _set("sessions", start_time="19:00", end_time="17:00")(data)
    with pytest.raises(UserError) as caught:
        ExchangeService(db).import_data(data)
    assert caught.value.message.startswith("sessions[0] (id 30bd8630…), end_time: ")
    assert "hora" in caught.value.message


def test_the_example_and_a_full_database_still_import(db: Database, tmp_path: Path) -> None:
    """The checks refuse only what a form refuses: real data goes through."""
    fill_rich(db)
    exported = ExchangeService(db).export_data()
    other = fresh_db(tmp_path, "other")
    ExchangeService(other).import_data(exported)
    assert ExchangeService(other).export_data() == exported


def test_the_forms_use_the_same_checks() -> None:
    """The reasons above are the forms' own: one function for both."""
    today = dt.date.today()
    person = PersonDTO("Aina", birth_date=dt.date(1, 1, 1))
    assert "birth_date" in validate_person(person, today)
    given = dt.date(2026, 1, 12)
    revoked = ConsentDTO("data_processing", date=given, revoked_at=dt.date(2025, 1, 1))
    assert "revoked_at" in validate_consent(revoked, today)
