"""The people search is true after every write of people, whatever service wrote it: a
spreadsheet import, a merge, a purge, an interchange import. Each test builds the search index
first (as an open People page has), writes, and searches again."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from app.db.engine import Database
from app.db.models import Participant
from app.domain.data_protection import PURGED_NAME
from app.domain.people import PersonDTO
from app.services.container import Services
from app.services.people import PeopleService
from tests.unit.interchange_samples import fresh_db


def _names(services: Services, text: str) -> list[str]:
    return [h.name for h in services.people.search(text)]


def test_people_imported_from_a_spreadsheet_are_found(db: Database, tmp_path: Path) -> None:
    services = Services(db)
    pere, _c = services.people.save(PersonDTO("Pere", "Vila Puig"))
    assert _names(services, "") == ["Pere Vila Puig"]  # the index is built
    path = tmp_path / "llista.csv"
    path.write_text(
        "Nom;Cognoms;Telèfon\nNúria;Martínez Pérez;\nPere;Vila Puig;612345678\n", encoding="utf-8"
    )
    plan = services.people_import.plan(path)
    [row] = plan.duplicate_rows
    services.people_import.execute(plan, {row.row: "merge"})
    assert _names(services, "martinez") == ["Núria Martínez Pérez"]
    # The merged row filled the existing person's phone: found by it now.
    [hit] = services.people.search("612 345 678")
    assert hit.id == pere.id
    assert services.people.count() == 2


def test_merged_away_people_are_not_found(db: Database) -> None:
    services = Services(db)
    keep, _c = services.people.save(PersonDTO("Aina", "Vidal"))
    other, _c = services.people.save(PersonDTO("Aina", "Vidal Soler", phone="699111222"))
    assert len(_names(services, "aina")) == 2
    assert keep.id and other.id
    services.people.merge(keep.id, other.id)
    assert _names(services, "soler") == []
    [hit] = services.people.search("699111222")  # the phone came with the merge
    assert hit.id == keep.id
    assert services.people.count() == 1


def test_people_erased_elsewhere_and_purged_are_not_found(db: Database) -> None:
    services = Services(db)
    gone, _c = services.people.save(PersonDTO("Marc", "Serra", phone="611000111"))
    services.people.save(PersonDTO("Laia", "Font"))
    assert len(_names(services, "")) == 2
    assert gone.id
    # Another service over the same database (as the purge dialog's, or a command's) erases.
    PeopleService(db).erase(gone.id)
    assert _names(services, "serra") == []
    summary, _changes = services.purge.purge([gone.id])
    assert summary.people == 1
    assert _names(services, "serra") == []
    assert _names(services, PURGED_NAME) == []
    assert _names(services, "") == ["Laia Font"]


def test_people_from_an_interchange_file_are_found(db: Database, tmp_path: Path) -> None:
    services = Services(db)
    joan, _c = services.people.save(PersonDTO("Joan", "Mas"))
    assert _names(services, "") == ["Joan Mas"]
    # The file: Joan renamed in a copy of this database, and a new person.
    path = tmp_path / "copy.json"
    services.exchange.export_file(path)
    other = fresh_db(tmp_path, "other")
    try:
        copy = Services(other)
        copy.exchange.import_file(path)
        with other.begin() as s:
            s.execute(
                update(Participant).where(Participant.id == joan.id).values(family_names="Roig")
            )
        copy.people.save(PersonDTO("Berta", "Camps"))
        copy.exchange.export_file(path)
    finally:
        other.close()
    services.exchange.import_file(path)
    assert _names(services, "") == ["Berta Camps", "Joan Roig"]
    assert _names(services, "mas") == []


def test_many_people_written_at_once_rebuild_the_search(db: Database, tmp_path: Path) -> None:
    services = Services(db)
    services.people.save(PersonDTO("Joan", "Mas"))
    assert services.people.count() == 1
    path = tmp_path / "many.json"
    other = fresh_db(tmp_path, "other")
    try:
        with other.begin() as s:
            s.add_all(
                Participant(given_name=f"Persona {n:03}", family_names="Nova") for n in range(250)
            )
        Services(other).exchange.export_file(path)
    finally:
        other.close()
    services.exchange.import_file(path)
    # Too many to patch one by one: the next search reads everyone again (the page does that
    # in the background).
    assert not services.people.ready()
    assert services.people.count() == 251
    assert services.people.search("persona 249")[0].name == "Persona 249 Nova"
