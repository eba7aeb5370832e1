"""People import from spreadsheets written the way people write them."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.db.engine import Database
from app.db.models import AuditEvent, Participant
from app.errors import UserError
from app.exchange.spreadsheet_import import split_full_name
from app.exchange.spreadsheet_read import load_table, parse_date, sniff_separator
from app.services.people_import import PeopleImportService

TODAY = dt.date(2026, 11, 26)

# A list kept in Excel and saved as "CSV (separated by semicolons)" on a Spanish Windows:
# title rows, the header on the third row, one column with the full name, dates as text, empty
# rows, an invalid DNI, the same person twice and a person already in the database.
WINDOWS_CSV = (
    "Llistat de participants;;;;;\r\n"
    "Casal de Barri - curs 2025-2026;;;;;\r\n"
    "Nom i cognoms;DNI/NIE;Data de naixement;Sexe;Telèfon;Observacions\r\n"
    "Núria Martínez Pérez;12345678Z;3/7/1985;D;612 34 56 78;Ve amb la filla\r\n"
    ";;;;;\r\n"
    "Jordi Castañé i Roca;X1234567L;15/11/1990;H;;\r\n"
    "Fatima Zahra El Idrissi;12345678A;1/2/2001;D;;DNI mal escrit\r\n"
    "Martinez Perez, Nuria;;03/07/1985;D;;\r\n"
    "Joan Puig Soler;;7/2/58;H;933 000 000;\r\n"
    "Maria de la Font;;31/02/1999;D;;\r\n"
    ";;;;;\r\n"
)


def write_cp1252(tmp_path: Path, text: str = WINDOWS_CSV, name: str = "llista.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def importer(db: Database) -> PeopleImportService:
    return PeopleImportService(db, today=lambda: TODAY)


def people(db: Database) -> dict[str, Participant]:
    with db.read() as s:
        return {f"{p.given_name} {p.family_names}": p for p in s.scalars(select(Participant))}


def test_reads_semicolon_cp1252_with_header_on_third_row(tmp_path: Path) -> None:
    table = load_table(write_cp1252(tmp_path))
    assert table.headers[0] == "Nom i cognoms" and table.headers[4] == "Telèfon"
    assert [n for n, _cells in table.rows] == [4, 6, 7, 8, 9, 10]
    assert table.rows[0][1][0] == "Núria Martínez Pérez"


def test_plan_validates_and_finds_duplicates(db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        s.add(
            Participant(
                given_name="Joan", family_names="Puig Soler", birth_date=dt.date(1958, 2, 7)
            )
        )
    plan = importer(db).plan(write_cp1252(tmp_path))
    assert plan.mapping == (
        "full_name", "id_document", "birth_date", "gender", "phone", "notes"
    )  # fmt: skip
    by_row = {r.row: r for r in plan.rows}
    nuria = by_row[4].values
    assert nuria is not None
    assert (nuria.given_name, nuria.family_names) == ("Núria", "Martínez Pérez")
    assert nuria.birth_date == dt.date(1985, 7, 3) and nuria.gender == "woman"
    assert (nuria.id_document_type, nuria.id_document_number) == ("dni", "12345678Z")
    assert nuria.phone == "612345678"
    jordi = by_row[6].values
    assert jordi is not None and jordi.family_names == "Castañé i Roca"
    assert jordi.id_document_type == "nie" and jordi.gender == "man"
    # Invalid rows carry their reason.
    assert by_row[7].errors == ("El DNI 12345678A no és vàlid (la lletra no correspon).",)
    assert "no es pot llegir" in by_row[10].errors[0]
    # The same person written "Family, Given" without accents: duplicate of row 4 in the file.
    assert [d.row for d in by_row[8].duplicates] == [4]
    # A two-digit year is in the past; the person is already in the database.
    assert by_row[9].values is not None and by_row[9].values.birth_date == dt.date(1958, 2, 7)
    assert by_row[9].duplicates[0].participant_id is not None
    assert by_row[9].allowed_choices() == ("import", "skip", "merge")
    assert len(plan.valid_rows) == 4 and len(plan.invalid_rows) == 2
    assert plan.default_choices() == {
        4: "import",
        6: "import",
        7: "skip",
        8: "skip",
        9: "skip",
        10: "skip",
    }
    # Nothing is written by planning.
    assert len(people(db)) == 1


def test_execute_writes_chosen_rows_and_merges(db: Database, tmp_path: Path) -> None:
    with db.begin() as s:
        s.add(
            Participant(
                given_name="Joan", family_names="Puig Soler", birth_date=dt.date(1958, 2, 7)
            )
        )
    imp = importer(db)
    plan = imp.plan(write_cp1252(tmp_path))
    summary, changes = imp.execute(plan, {9: "merge"})
    assert (summary.imported, summary.merged, summary.skipped, summary.invalid) == (2, 1, 1, 2)
    got = people(db)
    assert set(got) == {"Núria Martínez Pérez", "Jordi Castañé i Roca", "Joan Puig Soler"}
    assert got["Joan Puig Soler"].phone == "933000000"  # filled in, nothing overwritten
    with db.read() as s:
        assert s.scalar(select(AuditEvent.action)) == "import"


def test_mapping_and_gender_values_are_remembered(db: Database, tmp_path: Path) -> None:
    text = "Nom;Cognoms;Gènere\nAina;Puig;Dona\nAlex;Roca;Fluid\n"
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    imp = importer(db)
    plan = imp.plan(path, mapping=("given_name", "family_names", "gender"))
    assert plan.unknown_genders == ("fluid",)
    assert not plan.rows[1].valid
    plan = imp.plan(path, gender_map={"fluid": "nonbinary"})
    assert plan.rows[1].values is not None and plan.rows[1].values.gender == "nonbinary"
    imp.execute(plan)
    (tmp_path / "b.csv").write_text("Nom;Cognoms;Gènere\nBet;Vila;fluid\n", encoding="utf-8")
    plan = imp.plan(tmp_path / "b.csv")
    assert plan.rows[0].values is not None and plan.rows[0].values.gender == "nonbinary"


def test_custom_mapping_remembered_by_header(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Qui,Quan\nAina Puig,1990\n", encoding="utf-8")
    imp = importer(db)
    with pytest.raises(UserError):
        imp.plan(path)  # no column is recognised as a name
    plan = imp.plan(path, mapping=("full_name", "birth_date"))
    assert plan.rows[0].values is not None and plan.rows[0].values.birth_year == 1990
    imp.execute(plan)
    path.write_text("Qui,Quan\nBiel Roca,1991\n", encoding="utf-8")
    assert imp.plan(path).mapping == ("full_name", "birth_date")


def test_xlsx_with_real_dates_serials_and_numbers(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Registre 2026"])
    ws.append([])
    ws.append(
        ["Nombre", "Primer apellido", "Segundo apellido", "Fecha de nacimiento", "Sexo", "Móvil"]
    )
    ws.append(["Lucía", "García", "López", dt.datetime(2010, 5, 4), "M", 612345678])
    ws.append(["Pedro", "Sánchez", "", 36526, "H", None])
    ws.append([None] * 6)
    path = tmp_path / "registro.xlsx"
    wb.save(path)
    plan = importer(db).plan(path)
    lucia, pedro = (r.values for r in plan.rows)
    assert lucia is not None and pedro is not None
    assert lucia.family_names == "García López" and lucia.gender == "woman"
    assert lucia.birth_date == dt.date(2010, 5, 4) and lucia.phone == "612345678"
    assert pedro.birth_date == dt.date(2000, 1, 1) and pedro.gender == "man"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\x03binary\x00",
        b"PK\x03\x04 not really a zip",
        b"just one line without separators",
        b'Nom;Cognoms\n"Aina;Puig\n',
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_malformed_files_never_crash_or_write(
    db: Database, tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    try:
        plan = importer(db).plan(path)
    except UserError:
        pass
    else:
        importer(db).execute(plan)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Participant)) <= 1


def test_all_or_nothing_when_writing_fails(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "Nom;Cognoms\n" + "".join(f"Persona{i};Puig\n" for i in range(50)), encoding="utf-8"
    )
    imp = importer(db)
    plan = imp.plan(path)
    from app.services import audit

    def failing(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        imp.execute(plan)
    assert people(db) == {}


def test_values() -> None:
    assert split_full_name("Maria José García de la Torre") == ("Maria José", "García de la Torre")
    assert split_full_name("Aina Puig") == ("Aina", "Puig")
    assert split_full_name("Roca Vila, Anna Maria") == ("Anna Maria", "Roca Vila")
    assert parse_date("07-02-58", TODAY) == dt.date(1958, 2, 7)
    assert parse_date("07-02-18", TODAY) == dt.date(2018, 2, 7)
    assert parse_date("1999-12-31") == dt.date(1999, 12, 31)
    assert parse_date("1985") == 1985
    assert sniff_separator("a\tb\tc\n1\t2,5\t3\n") == "\t"
    assert sniff_separator("a|b\n1|2\n") == "|"
    assert sniff_separator("a,b,c\n1,2,3\n") == ","
