"""Mediation cases are need-to-know on the office database: the database itself hides a case
(its team, parties, sessions and agreements) from an educator who is not on it, while the
staff on the case and coordinators see it. Plain SQL as each login, and through Teixit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import ProgrammingError

from app.db.engine import open_database, open_url
from app.db.models import Agreement, MediationCase, MediationParty, Programme, Staff
from app.domain.community import CaseDTO, PartyDTO
from app.domain.programmes import ProgrammeDTO
from app.errors import ValidationError
from app.services.container import Services
from app.services.mediation import MediationService
from app.sync.office import join_office
from tests.support.postgres import PostgresServer
from tests.unit.test_office_roles import PASSWORD, Office, _cli

pytestmark = pytest.mark.office


@pytest.fixture
def office(
    postgres: PostgresServer, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> Iterator[Office]:
    """An office database with a coordinator and two educators (one on the case, one not)."""
    name = postgres.new_database()
    prepared = Office(postgres, name)
    prepared.other = f"edu2_{uuid.uuid4().hex[:8]}"  # type: ignore[attr-defined]
    assert (
        _cli(monkeypatch, "office", "init", "--database", prepared.address(),
             "--coordinator", prepared.coordinator, stdin=PASSWORD + "\n")
        == 0
    )  # fmt: skip
    for login in (prepared.educator, prepared.other):  # type: ignore[attr-defined]
        assert (
            _cli(monkeypatch, "--database", prepared.address(prepared.coordinator),
                 "office", "add-user", login, "--role", "educator", stdin=PASSWORD + "\n")
            == 0
        )  # fmt: skip
    yield prepared
    postgres.drop_database(name)


def _staff(office: Office) -> tuple[str, str]:
    """Two staff members: Laia logs in as the educator on the case, Pere as the other one."""
    db = open_url(office.address(office.coordinator))
    try:
        with db.begin() as s:
            laia = Staff(name="Laia", login=office.educator)
            pere = Staff(name="Pere", login=office.other)  # type: ignore[attr-defined]
            s.add_all([laia, pere])
            s.flush()
            return laia.id, pere.id
    finally:
        db.close()


def test_only_the_staff_on_a_case_and_coordinators_see_it(office: Office) -> None:
    laia, _pere = _staff(office)
    db = open_url(office.address(office.educator))
    try:
        case, _changes = MediationService(db).save(
            CaseDTO(
                None,
                "MED-01",
                dt.date(2026, 3, 2),
                staff_ids=(laia,),
                parties=(PartyDTO(name="Veïns del 3r"),),
                agreements=("Horari de la pista",),
            )
        )
    finally:
        db.close()
    other = office.other  # type: ignore[attr-defined]
    for table in ("mediation_case", "mediation_staff", "mediation_party"):
        count = f"SELECT count(*) FROM {table}"
        assert office.sql(office.educator, count) == [(1,)], table
        assert office.sql(office.coordinator, count) == [(1,)], table
        assert office.sql(other, count) == [(0,)], table
    texts = "SELECT text FROM agreement WHERE mediation_case_id IS NOT NULL"
    assert office.sql(office.educator, texts) == [("Horari de la pista",)]
    assert office.sql(other, texts) == []
    # Knowing the id is not enough: the row is not there to read, change or join.
    assert office.sql(other, f"SELECT reference FROM mediation_case WHERE id = '{case.id}'") == []
    assert (
        office.sql(other, f"UPDATE mediation_case SET summary = 'x' WHERE id = '{case.id}'") == []
    )
    assert office.sql(office.coordinator, "SELECT summary FROM mediation_case") == [("",)]
    # Nor can the other educator put themselves on the case's team.
    with pytest.raises(ProgrammingError, match="row-level security"):
        office.sql(
            other,
            "INSERT INTO mediation_staff (id, case_id, staff_id, created_at, updated_at) "
            f"VALUES ('{uuid.uuid4()}', '{case.id}', '{_pere}', now(), now())",
        )
    # Through Teixit the other educator sees no case either.
    seen = open_url(office.address(other))
    try:
        assert MediationService(seen).cases() == []
        assert MediationService(seen).count_visible() == 0
    finally:
        seen.close()
    coordinator = open_url(office.address(office.coordinator))
    try:
        assert [c.reference for c in MediationService(coordinator).cases()] == ["MED-01"]
    finally:
        coordinator.close()


def test_an_educator_cannot_open_a_case_they_are_not_on(office: Office) -> None:
    _laia, pere = _staff(office)
    db = open_url(office.address(office.educator))
    try:
        with pytest.raises(ValidationError) as raised:
            MediationService(db).save(
                CaseDTO(None, "MED-02", dt.date(2026, 3, 2), staff_ids=(pere,))
            )
        assert "staff_ids" in raised.value.errors
    finally:
        db.close()
    assert office.sql(office.coordinator, "SELECT count(*) FROM mediation_case") == [(0,)]


def test_the_change_log_shows_a_cases_values_only_to_those_on_it(
    office: Office, tmp_path: Path
) -> None:
    laia, _pere = _staff(office)
    # A coordinator's laptop joins first: from then on the office logs every write.
    (tmp_path / "first").mkdir()
    first = open_database(tmp_path / "first" / "teixit.db")
    try:
        join_office(first, office.address(office.coordinator))
    finally:
        first.close()
    db = open_url(office.address(office.educator))
    try:
        MediationService(db).save(
            CaseDTO(
                None,
                "MED-07",
                dt.date(2026, 3, 2),
                staff_ids=(laia,),
                parties=(PartyDTO(name="Veïns del 3r"),),
                agreements=("Horari de la pista",),
                summary="Soroll a la nit",
            )
        )
        Services(db).programmes.save(ProgrammeDTO(code="P9", name="Casal", category="prevention"))
    finally:
        db.close()
    other = office.other  # type: ignore[attr-defined]
    viewer = f"viewer_{uuid.uuid4().hex[:8]}"
    office.server.execute(f"CREATE ROLE {viewer} LOGIN IN ROLE teixit_viewer")
    cases = (
        "SELECT table_name, count(*) FROM change_log WHERE table_name IN ('mediation_case', "
        "'mediation_staff', 'mediation_party', 'agreement') GROUP BY 1 ORDER BY 1"
    )
    values = "SELECT count(*) FROM change_log WHERE fields LIKE '%Veïns%' OR fields LIKE '%Soroll%'"
    expected = [("agreement", 1), ("mediation_case", 1), ("mediation_party", 1),
                ("mediation_staff", 1)]  # fmt: skip
    assert office.sql(office.coordinator, cases) == expected
    assert office.sql(office.educator, cases) == expected
    assert office.sql(office.educator, values) == [(2,)]
    # The other educator reads the log of everything else, not the case's values.
    assert office.sql(other, cases) == []
    assert office.sql(other, values) == [(0,)]
    assert office.sql(other, "SELECT count(*) FROM change_log WHERE fields LIKE '%Casal%'") == [
        (1,)
    ]
    with pytest.raises(ProgrammingError, match="permission denied"):
        office.sql(viewer, "SELECT count(*) FROM change_log")
    # An educator's laptop receives only the cases it may see.
    for login, seen in ((other, 0), (office.educator, 1)):
        (tmp_path / login).mkdir()
        laptop = open_database(tmp_path / login / "teixit.db")
        try:
            join_office(laptop, office.address(login))
            with laptop.read() as s:
                assert s.scalar(select(func.count()).select_from(MediationCase)) == seen
                assert s.scalar(select(func.count()).select_from(MediationParty)) == seen
                assert s.scalar(
                    select(func.count()).select_from(Agreement).where(
                        Agreement.mediation_case_id.is_not(None)
                    )
                ) == seen
                assert s.scalar(
                    select(func.count()).select_from(Programme).where(Programme.code == "P9")
                ) == 1
        finally:
            laptop.close()
