"""Printed texts in both languages through the services (text_variant), the interchange file
carrying them and the band sets, the demo's counted referrals, and invoices' files: their
retention purge and their viewing."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import temp_files
from app.db.engine import Database
from app.db.models import (
    AgeBandSet,
    AuditEvent,
    EntityProfile,
    ExpenseAttachment,
    Programme,
    TextVariant,
)
from app.demo.load import load_demo
from app.domain.audit import SHOWN_INVOICE
from app.domain.economics import ExpenseDraft
from app.domain.profile import EntityProfileDTO, FunderDTO
from app.domain.programmes import ActivityDTO, IndicatorDTO, ProgrammeDTO
from app.domain.texts import TextBook, missing_message
from app.services.container import Services
from app.services.exchange import ExchangeService
from tests.support.economic_rows import CIF, add_programme
from tests.unit.interchange_samples import fresh_db

#: Each test runs on a SQLite file and on an office (PostgreSQL) database.
BOTH_ENGINES = True


def _programme(sv: Services) -> ProgrammeDTO:
    saved, _c = sv.programmes.save(
        ProgrammeDTO(
            code="JOV",
            name="Joves del barri",
            category="prevention",
            description="Un programa per a joves.",
            objectives=("Acompanyar", "Prevenir"),
            indicators=(
                IndicatorDTO(
                    "Persones", "participants", 10, translations=(("name", "es", "Personas"),)
                ),
                IndicatorDTO("Tallers", "manual", 4, 2),
            ),
            translations=(
                ("name", "es", "Jóvenes del barrio"),
                ("objectives", "es", "Acompañar\nPrevenir"),
            ),
            indirect_beneficiaries=40,
        )
    )
    return saved


def _variants(db: Database) -> set[tuple[str, str, str, str]]:
    with db.read() as s:
        return {(v.table_name, v.field, v.lang, v.text) for v in s.scalars(select(TextVariant))}


def test_versions_are_saved_with_their_record_and_read_back(db: Database) -> None:
    sv = Services(db)
    sv.profile.save(
        replace(
            EntityProfileDTO("", "Entitat"),
            name="Entitat",
            translations=(("name", "es", "Entidad"), ("privacy_purpose", "es", "Gestión.")),
        )
    )
    p = _programme(sv)
    assert p.translations == (
        ("name", "es", "Jóvenes del barrio"),
        ("objectives", "es", "Acompañar\nPrevenir"),
    )
    assert p.indirect_beneficiaries == 40
    assert [i.translations for i in p.indicators] == [(("name", "es", "Personas"),), ()]
    assert sv.programmes.get(p.id) == p
    # A save that leaves the versions alone (None) keeps them; an empty text removes one.
    sv.programmes.save(replace(p, description="Nou text", translations=None))
    assert sv.programmes.get(p.id).translations == p.translations
    again, _c = sv.programmes.save(
        replace(sv.programmes.get(p.id), translations=(("name", "es", "  "),))
    )
    assert again.translations == ()
    # A removed indicator takes its versions with it.
    sv.programmes.save(replace(again, indicators=again.indicators[1:]))
    assert not any(t == "indicator" for t, *_rest in _variants(db))

    act, _c = sv.programmes.save_activity(
        ActivityDTO(p.id, "Taller", translations=(("description", "es", "Taller de cocina"),))
    )
    listed = next(a for a in sv.programmes.activities(p.id) if a.id == act.id)
    assert listed.translations == (("description", "es", "Taller de cocina"),)
    funder, _c = sv.profile.save_funder(
        FunderDTO("", "Ajuntament", translations=(("name", "es", "Ayuntamiento"),))
    )
    assert sv.profile.funders()[0].translations == (("name", "es", "Ayuntamiento"),)
    profile = sv.profile.get()
    assert profile is not None and profile.translations == (
        ("name", "es", "Entidad"),
        ("privacy_purpose", "es", "Gestión."),
    )
    assert sv.texts.languages() == ("ca", "es")


def test_changing_the_entity_language_swaps_the_texts(db: Database) -> None:
    sv = Services(db)
    sv.profile.save(
        EntityProfileDTO(
            "", "Associació", default_lang="ca", translations=(("name", "es", "Asociación"),)
        )
    )
    p = _programme(sv)
    profile = sv.profile.get()
    assert profile is not None
    saved, _c = sv.profile.save(replace(profile, default_lang="es"))
    assert saved.name == "Asociación" and saved.translations == (("name", "ca", "Associació"),)
    now = sv.programmes.get(p.id)
    assert now.name == "Jóvenes del barrio" and now.objectives == ("Acompañar", "Prevenir")
    assert ("name", "ca", "Joves del barri") in now.translations
    # The description had no Spanish version: it stays, and its Catalan is kept as a version.
    assert now.description == "Un programa per a joves."
    assert sv.texts.languages() == ("es", "ca")
    # Catalan to Valencian changes nothing.
    back, _c = sv.profile.save(replace(sv.profile.get(), default_lang="ca"))
    assert back.name == "Associació"
    sv.profile.save(replace(sv.profile.get(), default_lang="ca-valencia"))
    assert sv.profile.get().name == "Associació"


def test_the_text_book_falls_back_and_says_so() -> None:
    book = TextBook(
        main_lang="ca",
        doc_lang="es",
        variants={("programme", "p", "name"): {"es": "Jóvenes"}},
    )
    assert book.text("programme", "p", "name", "Joves", "JOV") == "Jóvenes"
    assert book.text("activity", "a", "name", "Taller", "Taller") == "Taller"
    assert book.text("activity", "a", "description", "", "Taller") == ""  # nothing to miss
    assert [(m.table, m.field) for m in book.missing] == [("activity", "name")]
    assert missing_message(book.missing, "ca") == (
        "1 text no té versió en castellà: activitat Taller (nom). El document l'imprimeix en "
        "català."
    )
    valencian = TextBook(main_lang="ca", doc_lang="ca-valencia", variants={})
    assert valencian.text("activity", "a", "name", "Taller") == "Taller"
    assert valencian.missing == []
    both = TextBook(
        main_lang="ca-valencia",
        doc_lang="ca-valencia+es",
        variants={("programme", "p", "description"): {"es": "Un programa."}},
    )
    assert both.text("programme", "p", "description", "Un programa.") == "Un programa."
    assert both.text("programme", "p", "name", "Joves") == "Joves"
    assert [m.lang for m in both.missing] == ["es"]
    two = TextBook("ca", "ca+es", {("programme", "p", "description"): {"es": "Para jóvenes."}})
    assert two.text("programme", "p", "description", "Per a joves.") == (
        "Per a joves.\n\nPara jóvenes."
    )


def test_the_interchange_file_carries_versions_and_band_sets(db: Database, tmp_path: Path) -> None:
    sv = Services(db)
    sv.profile.save(EntityProfileDTO("", "Entitat", translations=(("name", "es", "Entidad"),)))
    p = _programme(sv)
    funder, _c = sv.profile.save_funder(FunderDTO("", "Generalitat"))
    sv.reports.save_band_set("Llei valenciana de joventut", "12-18, 19-24, 25-30", funder.id)
    out = tmp_path / "export.json"
    ExchangeService(db).export_file(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {
        (v["table_name"], v["row_id"], v["field"], v["lang"], v["text"])
        for v in data["text_variants"]
    } >= {
        ("entity_profile", "", "name", "es", "Entidad"),
        ("programme", p.id, "name", "es", "Jóvenes del barrio"),
    }
    assert [(b["name"], b["bands"], b["funder_id"]) for b in data["age_band_sets"]] == [
        ("Llei valenciana de joventut", ["12-18", "19-24", "25-30"], funder.id)
    ]
    assert data["programmes"][0]["indirect_beneficiaries"] == 40

    other = fresh_db(tmp_path, "other")
    try:
        ExchangeService(other).import_file(out)
        copy = Services(other)
        assert copy.programmes.get(p.id).translations == p.translations
        assert copy.programmes.get(p.id).indirect_beneficiaries == 40
        assert [(b.name, b.bands) for b in copy.reports.band_sets() if not b.built_in] == [
            ("Llei valenciana de joventut", ("12-18", "19-24", "25-30"))
        ]
        again = tmp_path / "again.json"
        ExchangeService(other).export_file(again)
        assert (
            json.loads(again.read_text(encoding="utf-8"))["text_variants"] == data["text_variants"]
        )
        # Importing the same file again updates, it does not repeat a version.
        ExchangeService(other).import_file(out)
        with other.read() as s:
            assert s.scalar(select(func.count()).select_from(TextVariant)) == len(
                data["text_variants"]
            )
            assert s.scalar(select(func.count()).select_from(AgeBandSet)) == 1
    finally:
        other.close()

    # A file written before the arrays existed imports as it is.
    del data["text_variants"], data["age_band_sets"]
    for row in data["programmes"]:
        del row["indirect_beneficiaries"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    older = fresh_db(tmp_path, "older")
    try:
        ExchangeService(older).import_file(old)
        with older.read() as s:
            prog = s.get(Programme, p.id)
            assert prog is not None and prog.indirect_beneficiaries is None
            assert s.scalar(select(func.count()).select_from(TextVariant)) == 0
            assert s.scalar(select(EntityProfile.name)) == "Entitat"
    finally:
        older.close()


def test_the_demo_counts_its_referrals_indicator(db: Database) -> None:
    load_demo(db, "small", today=dt.date(2026, 12, 6))
    sv = Services(db)
    prev = sv.programmes.by_code("PREV")
    assert prev is not None
    indicator = next(i for i in prev.indicators if i.name.startswith("Derivacions"))
    assert indicator.kind == "referrals" and indicator.manual_value is None
    figures = sv.figures.compute([prev.id], dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    achieved = next(i.achieved for i in figures.indicators if i.id == indicator.id)
    counted = sum(r.referrals for r in figures.referral_rows if r.programme_code == "PREV")
    assert achieved == figures.referrals == counted and counted >= 3


def _expense(pid: str, funder: str, day: dt.date, number: str) -> ExpenseDraft:
    return ExpenseDraft(
        programme_id=pid,
        issue_date=day,
        amount=10_000,
        line="activities",
        creditor="Papereria Sants",
        creditor_tax_id=CIF,
        document_number=number,
        shares={funder: 10_000},
        outside_reason="Del conveni anterior",
    )


def test_invoice_files_past_their_retention_are_purged_in_one_step(
    db: Database, tmp_path: Path
) -> None:
    pid, city, _province, _staff = add_programme(db)
    sv = Services(db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4 an invoice")
    old, _c = sv.economics.save_expense(
        _expense(pid, city, dt.date(2019, 3, 1), "V-1"), [invoice, invoice]
    )
    new, _c = sv.economics.save_expense(_expense(pid, city, dt.date(2026, 3, 1), "N-1"), [invoice])
    today = dt.date(2026, 6, 1)
    assert sv.purge.old_invoices(6, today) == (2, 1)
    deleted, changes = sv.purge.purge_invoices(6, today)
    assert deleted == 2 and changes
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(ExpenseAttachment)) == 1
        purges = list(s.scalars(select(AuditEvent.details).where(AuditEvent.action == "purge")))
    assert purges == [
        "2 invoice files of 1 expenses issued before 2020-06-01 deleted (retention 6 years)"
    ]
    # The expenses stay, with their amounts.
    assert {e.document_number for e in sv.economics.expenses(pid)} == {"V-1", "N-1"}
    assert sv.purge.purge_invoices(6, today)[0] == 0

    path = sv.economics.open_attachment(new.attachments[0].id)
    try:
        assert path.read_bytes() == b"%PDF-1.4 an invoice" and path.suffix == ".pdf"
        assert path in temp_files.registered()
        if os.name == "posix":
            assert os.stat(path).st_mode & 0o777 == 0o600
        with db.read() as s:
            viewed = list(
                s.scalars(select(AuditEvent.details).where(AuditEvent.subject == SHOWN_INVOICE))
            )
        assert viewed == ["factura.pdf"]
        assert sv.audit.recent()[0].label == "Fitxer de factura mostrat al visor"
    finally:
        temp_files.discard(path)
    assert not path.exists()
    del old


@pytest.mark.sqlite_only
def test_the_purge_command_deletes_old_invoice_files(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import cli

    pid, city, _province, _staff = add_programme(db)
    invoice = tmp_path / "factura.pdf"
    invoice.write_bytes(b"%PDF-1.4")
    Services(db).economics.save_expense(_expense(pid, city, dt.date(2010, 3, 1), "V-1"), [invoice])
    db.close()
    assert cli.main(["purge", "--invoices-older-than", "6"]) == 0
    assert (
        "Torneu-ho a executar amb --yes per suprimir 1 fitxer de factura" in capsys.readouterr().out
    )
    assert cli.main(["purge", "--invoices-older-than", "6", "--yes"]) == 0
    assert "S'ha suprimit 1 fitxer de factura" in capsys.readouterr().out


def test_versions_travel_between_laptops_and_one_typed_twice_is_one(tmp_path: Path) -> None:
    from tests.support.sync_replicas import team

    for office, laptop in team(tmp_path):
        shared = tmp_path / "shared"
        prog = office.services.programmes.by_code("P1")
        assert prog is not None
        # Both type the same Spanish name offline; the laptop also a description.
        office.services.programmes.save(
            replace(prog, translations=(("name", "es", "Casal (es)"),), version=None)
        )
        mine = laptop.services.programmes.by_code("P1")
        assert mine is not None
        laptop.services.programmes.save(
            replace(
                mine,
                translations=(("description", "es", "Un casal."), ("name", "es", "Casal (es)")),
                version=None,
            )
        )
        for _round in range(2):
            for r in (laptop, office):
                r.sync(shared)
        for r in (office, laptop):
            got = r.services.programmes.by_code("P1")
            assert got is not None
            assert got.translations == (
                ("description", "es", "Un casal."),
                ("name", "es", "Casal (es)"),
            )
        # Removed on one, typed again later on the other: the latest wins, nothing is stuck.
        office.services.programmes.save(
            replace(office.services.programmes.by_code("P1"), translations=(), version=None)
        )
        for r in (office, laptop):
            r.sync(shared)
        assert laptop.services.programmes.by_code("P1").translations == ()
        laptop.services.programmes.save(
            replace(
                laptop.services.programmes.by_code("P1"),
                translations=(("name", "es", "Casal"),),
                version=None,
            )
        )
        for r in (laptop, office):
            r.sync(shared)
        assert office.services.programmes.by_code("P1").translations == (("name", "es", "Casal"),)
        assert office.export()["text_variants"] == laptop.export()["text_variants"]
