"""Import speed: 10 000 people from a semicolon CSV in Windows-1252, into a database that already
holds 5 000 people (so the duplicate search has work to do). Plan (read, validate, duplicates)
and write are measured separately and together, and the same list as XLSX."""

import datetime as dt
import random
from pathlib import Path

import pytest

from app.db.engine import open_database
from app.db.models import Participant
from app.services.people_import import PeopleImportService

GIVEN = ["Núria", "Jordi", "Fatima", "Mohamed", "Aina", "Pau", "Lucía", "Wei", "Olena", "Joan"]
FAMILY = ["Puig", "Martínez", "García", "Roca", "El Idrissi", "Vila", "Castañé", "Sánchez", "Li"]


def _csv(path: Path, rows: int) -> Path:
    rng = random.Random(1)
    lines = ["Llistat", "", "Nom;Cognoms;Data de naixement;Sexe;Telèfon;Barri"]
    for _i in range(rows):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30_000))
        lines.append(
            f"{rng.choice(GIVEN)};{rng.choice(FAMILY)} {rng.choice(FAMILY)};"
            f"{born.day}/{born.month}/{born.year};{rng.choice('DH')};"
            f"6{rng.randrange(10**8):08d};Sants"
        )
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def _database(folder: Path):  # type: ignore[no-untyped-def]
    db = open_database(folder / "teixit.db")
    rng = random.Random(2)
    with db.begin() as s:
        s.add_all(
            Participant(
                given_name=rng.choice(GIVEN),
                family_names=f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}",
                birth_date=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30_000)),
            )
            for _i in range(5_000)
        )
    return db


def _xlsx(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    source = _csv(path.with_suffix(".csv"), rows).read_bytes().decode("cp1252")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for line in source.split("\r\n"):
        ws.append(line.split(";") if line else [])
    wb.save(path)
    return path


@pytest.mark.parametrize("what", ["plan", "plan+write", "xlsx plan+write"])
def test_import_10000_people(benchmark, tmp_path: Path, what: str) -> None:  # type: ignore[no-untyped-def]
    if what.startswith("xlsx"):
        path = _xlsx(tmp_path / "llista.xlsx", 10_000)
    else:
        path = _csv(tmp_path / "llista.csv", 10_000)
    counter = iter(range(100))

    def setup():  # type: ignore[no-untyped-def]
        folder = tmp_path / f"db{next(counter)}"
        folder.mkdir()
        return (PeopleImportService(_database(folder)),), {}

    def run(importer: PeopleImportService) -> int:
        plan = importer.plan(path)
        if what == "plan":
            return len(plan.rows)
        summary, _changes = importer.execute(plan)
        return summary.imported

    result = benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)
    assert result > 9_000
