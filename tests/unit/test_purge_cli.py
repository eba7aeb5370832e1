"""``teixit purge`` from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli, paths
from app.db.engine import open_database
from app.db.models import AuditEvent, Participant
from app.domain.data_protection import PURGED_NAME
from app.services.people import PeopleService


@pytest.fixture
def erased(data_dir: Path) -> list[str]:
    db = open_database(paths.db_path())
    people = PeopleService(db)
    ids = []
    for name in ("Aina", "Bilal", "Carme"):
        dto, _c = people.save(people_dto(name))
        assert dto.id
        ids.append(dto.id)
    people.erase(ids[0])
    people.erase(ids[1])
    with db.begin() as s:
        p = s.get(Participant, ids[0])
        assert p is not None and p.blocked_at is not None
        p.blocked_at -= dt.timedelta(days=200)
    db.close()
    return ids


def people_dto(name: str):  # type: ignore[no-untyped-def]
    from app.domain.people import PersonDTO

    return PersonDTO(given_name=name, family_names="Soler", phone="600123456")


def _names(ids: list[str]) -> list[str]:
    db = open_database(paths.db_path())
    with db.read() as s:
        names = [s.get(Participant, pid).given_name for pid in ids]  # type: ignore[union-attr]
        events = len(list(s.scalars(select(AuditEvent).where(AuditEvent.action == "purge"))))
    db.close()
    return [*names, str(events)]


def test_purge_lists_first_then_purges_with_yes(erased: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["purge"]) == 0
    out = capsys.readouterr().out
    assert erased[0] in out and erased[1] in out and erased[2] not in out
    assert "Aina" not in out and "Bilal" not in out  # erased people stay unnamed
    assert _names(erased) == ["Aina", "Bilal", "Carme", "0"]

    assert cli.main(["purge", "--older-than", "90", "--yes"]) == 0
    assert _names(erased) == [PURGED_NAME, "Bilal", "Carme", "1"]

    assert cli.main(["purge", "--yes"]) == 0
    assert _names(erased) == [PURGED_NAME, PURGED_NAME, "Carme", "2"]
    capsys.readouterr()
    assert cli.main(["purge", "--yes"]) == 0  # nothing left: no event
    assert _names(erased) == [PURGED_NAME, PURGED_NAME, "Carme", "2"]


def test_purge_usage_errors(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["purge", "--older-than", "soon"])
    assert exit_info.value.code == 2
    assert "--older-than" in capsys.readouterr().err
