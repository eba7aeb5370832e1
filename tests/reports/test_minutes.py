"""The minutes PDF read back: sections, numbering, language; and ``teixit minutes``."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from app import cli, paths
from app.db.engine import Database, open_database, open_url
from app.db.models import AuditEvent, EntityProfile, Staff
from app.domain.networks import AgreementDTO, AttendeeDTO, MeetingDTO, OrganisationDTO, SpaceDTO
from app.reports.minutes import build_minutes
from app.services.networks import NetworkService
from tests.support.postgres import database_args

LABELS = {
    "ca": ("Acta", "Assistents", "S'excusen", "Ordre del dia", "Acords"),
    "es": ("Acta", "Asistentes", "Excusan su asistencia", "Orden del día", "Acuerdos"),
}


@pytest.fixture
def meeting_id(db: Database) -> str:
    svc = NetworkService(db)
    with db.begin() as s:
        s.add(EntityProfile(name="Associació Sants", privacy_rights_contact="dades@sants.cat"))
        anna = Staff(name="Anna Puig")
        s.add(anna)
        s.flush()
        anna_id = anna.id
    space, _c = svc.save_space(SpaceDTO(None, "Taula de Salut Mental de Sants-Montjuïc"))
    com, _c = svc.save_space(
        SpaceDTO(None, "Comissió d'Interculturalitat i Salut Mental", parent_id=space.id)
    )
    cap, _c = svc.save_organisation(OrganisationDTO(None, "CSMA Sants", "health_centre"))
    old, _c = svc.save_meeting(
        MeetingDTO(
            None,
            com.id or "",
            dt.date(2026, 10, 1),
            agreements=(AgreementDTO(None, "Enviar l'enquesta"),),
        )
    )
    m, _c = svc.save_meeting(
        MeetingDTO(
            None,
            com.id or "",
            dt.date(2026, 11, 24),
            dt.time(10),
            dt.time(12),
            "Casal de Barri Cotxeres",
            attendees=(
                AttendeeDTO(staff_id=anna_id),
                AttendeeDTO(person_name="Marta Vidal", organisation_id=cap.id),
                AttendeeDTO(person_name="王芳", organisation_id=cap.id),
                AttendeeDTO(person_name="Joan Serra", organisation_id=cap.id, status="apologised"),
            ),
            agenda=("Benvinguda", "Jornada de salut mental"),
            minutes="Es revisa el calendari.",
            agreements=(
                AgreementDTO(
                    None,
                    "Preparar el cartell",
                    owner_staff_id=anna_id,
                    due_date=dt.date(2026, 12, 10),
                ),
                AgreementDTO(None, "Reservar la sala", owner_organisation_id=cap.id),
            ),
            closures=((old.agreements[0].id or "", "done"),),
        )
    )
    return m.id or ""


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _between(text: str, start: str, end: str) -> str:
    a = text.index(start)
    return text[a : text.index(end, a)]


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_minutes_sections_in_language(db: Database, meeting_id: str, lang: str) -> None:
    out = io.BytesIO()
    build_minutes(NetworkService(db).minutes_data(meeting_id), lang, out)
    text = _text(out.getvalue())
    title, attendees, apologies, agenda, agreements = LABELS[lang]
    assert text.startswith("Associació Sants") and f"{title} · Comissió" in text
    seen = _between(text, attendees, apologies)
    assert "Anna Puig" in seen and "Marta Vidal CSMA Sants" in seen and "Joan Serra" not in seen
    assert "王芳 CSMA Sants" in seen  # every name prints as written
    assert "Joan Serra CSMA Sants" in _between(text, apologies, agenda)
    block = text[text.index(f"\n{agreements}\n") :]
    first, second = block.index("1. Preparar el cartell"), block.index("2. Reservar la sala")
    assert first < second and "10/12/2026" in block
    assert "Enviar l'enquesta" in block[second:]  # follow-up of the earlier agreement
    other = LABELS["es" if lang == "ca" else "ca"]
    assert other[2] not in text and other[1] not in text
    date = "dimarts, 24 de novembre del 2026" if lang == "ca" else "martes, 24 de noviembre de 2026"
    assert date in text
    assert ("Pàgina 1 de 1" if lang == "ca" else "Página 1 de 1") in text


def test_bilingual_minutes_carry_both_labels(db: Database, meeting_id: str) -> None:
    out = io.BytesIO()
    build_minutes(NetworkService(db).minutes_data(meeting_id), "ca+es", out)
    text = _text(out.getvalue())
    assert "Assistents / Asistentes" in text and "Acords / Acuerdos" in text


def test_minutes_command(db: Database, meeting_id: str, tmp_path: Path) -> None:
    target = tmp_path / "acta.pdf"
    db.close()  # the command opens the data folder's database (or the office's) itself
    minutes = [*database_args(db), "minutes"]
    assert cli.main([*minutes, "--meeting", meeting_id, "--lang", "es", "-o", str(target)]) == 0
    assert "Asistentes" in _text(target.read_bytes())
    assert cli.main([*minutes, "--meeting", "nope", "-o", str(target)]) == 1
    with pytest.raises(SystemExit) as usage:
        cli.main([*minutes, "-o", str(target)])
    assert usage.value.code == 2
    again = open_database(paths.db_path()) if db.is_file else open_url(db.engine.url)
    with again.read() as s:
        assert s.scalars(select(AuditEvent.action)).all() == ["print"]
    again.close()


def _in_order(needle: list[str], haystack: list[str]) -> bool:
    """Every word of ``needle`` found in ``haystack`` in the same order (page headers and the
    repeated table header may come in between when a row splits across pages)."""
    words = iter(haystack)
    return all(any(w == word for w in words) for word in needle)


def test_an_agreement_longer_than_a_page_is_printed_whole() -> None:
    from app.domain.networks import MinutesAgreement, MinutesData

    vocabulary = ("revisar", "calendari", "comissió", "salut", "mental", "barri", "coordinació")
    words = [f"{vocabulary[i % len(vocabulary)]}{i}" for i in range(700)]
    long_text = " ".join(words)
    while len(long_text) < 4500:
        long_text += " final"
    data = MinutesData(
        "Associació Sants",
        "Taula de Salut Mental",
        "",
        dt.date(2026, 11, 24),
        agreements=(MinutesAgreement(1, long_text, "Anna Puig"), MinutesAgreement(2, "Curt")),
        follow_up=(MinutesAgreement(3, long_text, "CSMA", meeting_date=dt.date(2026, 10, 1)),),
    )
    out = io.BytesIO()
    build_minutes(data, "ca", out)  # no LayoutError: the tall row splits across pages
    printed = _text(out.getvalue()).split()
    assert len(long_text) >= 4500
    assert _in_order(long_text.split(), printed)
    # Both copies (the agreement and its follow-up) are there, and the short one after it.
    assert printed.count("coordinació6") == 2 and "Curt" in printed


@pytest.fixture
def group_meetings(db: Database) -> tuple[str, str]:
    """Two meetings of a residents' community: the first adopts two agreements, the second
    follows them up."""
    from app.domain.community import GroupDTO, GroupMeetingDTO
    from app.services.community import CommunityService

    with db.begin() as s:
        s.add(EntityProfile(name="Associació Sants", privacy_rights_contact="dades@sants.cat"))
    service = CommunityService(db)
    group, _c = service.save_group(
        GroupDTO(None, "Comunitat Olzinelles 12", "residents_community", "La Bordeta"),
        since=dt.date(2026, 1, 10),
    )
    first, _c = service.save_meeting(
        GroupMeetingDTO(
            None,
            group.id or "",
            dt.date(2026, 2, 3),
            "Local de l'escala",
            "Primera trobada.",
            "held",
            ("Demanar la clau del local", "Fer una campanya"),
        )
    )
    second, _c = service.save_meeting(
        GroupMeetingDTO(
            None, group.id or "", dt.date(2026, 3, 3), "Portal", "Segona.", "held", ("Pintar",)
        )
    )
    return first.id or "", second.id or ""


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ca", ("Grup acompanyat: Comunitat de veïns", "Seguiment d'acords anteriors")),
        ("es", ("Grupo acompañado: Comunidad de vecinos", "Seguimiento de acuerdos anteriores")),
        ("ca-valencia", ("Grup acompanyat: Comunitat de veïns", "Seguiment d'acords anteriors")),
    ],
)
def test_a_group_meetings_minutes_name_the_group_and_follow_up_its_agreements(
    db: Database, group_meetings: tuple[str, str], tmp_path: Path, lang: str, words: tuple
) -> None:
    first, second = group_meetings
    svc = NetworkService(db)
    target = tmp_path / "acta.pdf"
    svc.write_minutes(second, target, lang)
    text = _text(target.read_bytes())
    for word in words:
        assert word in text
    assert "Acta · Comunitat Olzinelles 12" in text
    assert "La Bordeta" in text and "Portal" in text
    agreements = "Acords" if lang != "es" else "Acuerdos"
    block = text[text.index(f"\n{agreements}\n") :]
    assert "1. Pintar" in block
    # The earlier meeting's open agreements are followed up in the next one...
    follow = block[block.index("Pintar") :]
    assert "Demanar la clau del local" in follow and "Fer una campanya" in follow
    # ...until one is marked done on the agreements board: then it is no longer open.
    done = next(a for a in svc.board(status="open") if a.text == "Fer una campanya")
    svc.follow_up_agreement(done.id or "", "done")
    again = svc.minutes_data(second)
    assert [a.text for a in again.follow_up] == ["Demanar la clau del local"]
    # The first meeting's minutes have nothing earlier to follow up.
    assert svc.minutes_data(first).follow_up == ()
    with db.read() as s:
        assert s.scalars(select(AuditEvent.action)).all() == ["print"]
