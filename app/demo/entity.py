"""The demo entity: its profile, team, places, funders and the territory's organisations.

An invented association in Sants (Barcelona), shaped on the community-action seeds. Texts are in
Catalan, the entity's language.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTITY_NAME = "Associació Sants Acció Comunitària"
ENTITY_ADDRESS = "Carrer de Premià 14, baixos, 08014 Barcelona"
ENTITY_EMAIL = "info@santsacciocomunitaria.cat"
#: The NIF is completed with its check digit (python-stdnum) when the profile is built.
ENTITY_NIF_BODY = "G6628471"

PRIVACY = {
    "privacy_controller": (
        "Associació Sants Acció Comunitària, " + ENTITY_ADDRESS + ". Delegat de protecció de "
        "dades: dpd@santsacciocomunitaria.cat."
    ),
    "privacy_purpose": (
        "Gestionar la inscripció i la participació en les activitats i els programes de "
        "l'entitat, comunicar-vos-en els canvis i justificar-ne la realització davant les "
        "entitats finançadores amb dades agregades. Les dades es conserven mentre participeu "
        "en les activitats i, després, durant el termini que exigeixen les justificacions de "
        "les subvencions."
    ),
    "privacy_legal_basis": (
        "El vostre consentiment o, en el cas d'infants menors de 14 anys, el del pare, la mare "
        "o la persona tutora legal (art. 6.1.a RGPD), i l'interès públic de les actuacions "
        "d'acció comunitària subvencionades (art. 6.1.e RGPD)."
    ),
    "privacy_recipients": (
        "No es cediran dades a tercers, llevat d'obligació legal. Les entitats finançadores "
        "només reben dades estadístiques i, si ho autoritzeu, imatges de les activitats."
    ),
    "privacy_rights_contact": (
        "Podeu exercir els drets d'accés, rectificació, supressió, oposició, limitació i "
        "portabilitat adreçant-vos a dades@santsacciocomunitaria.cat o a la seu de l'entitat, "
        "i presentar una reclamació a l'Autoritat Catalana de Protecció de Dades (apdcat.cat)."
    ),
}


@dataclass(frozen=True)
class StaffSeed:
    key: str
    name: str
    role: str
    email: str
    active: bool = True


STAFF = (
    StaffSeed("montse", "Montse Riera Casals", "Coordinadora", "montse.riera"),
    StaffSeed("marina", "Marina Soler Bosch", "Educadora social", "marina.soler"),
    StaffSeed("youssef", "Youssef El Amrani", "Tècnic d'acció comunitària", "youssef.elamrani"),
    StaffSeed("carla", "Carla Ribas Tomàs", "Dinamitzadora comunitària", "carla.ribas"),
    StaffSeed("sergi", "Sergi Martínez Llobet", "Educador social", "sergi.martinez"),
    StaffSeed("ayesha", "Ayesha Malik", "Mediadora intercultural", "ayesha.malik"),
    StaffSeed("pau", "Pau Ferrer Gil", "Tallerista", "pau.ferrer", active=False),
)


def staff_email(seed: StaffSeed) -> str:
    return f"{seed.email}@santsacciocomunitaria.cat"


PLACES = (
    ("local", "Local de l'entitat", ENTITY_ADDRESS),
    ("casal", "Casal de Barri de Sants", "Carrer d'Olzinelles 30, 08014 Barcelona"),
    ("cotxeres", "Centre Cívic Cotxeres de Sants", "Carrer de Sants 79, 08014 Barcelona"),
    ("bascula", "Espai Jove La Bàscula", "Carrer de Vallespir 142, 08014 Barcelona"),
    ("biblioteca", "Biblioteca del barri de Sants", "Carrer de Papin 18, 08028 Barcelona"),
    ("placa", "Plaça de Sants", "Plaça de Sants, 08014 Barcelona"),
    ("parc", "Parc de l'Espanya Industrial", "Carrer de Muntadas 37, 08014 Barcelona"),
    ("institut", "Institut Sants-Badal", "Carrer de Badal 121, 08014 Barcelona"),
)

#: (key, name, support text, logo colour)
FUNDERS = (
    ("ajuntament", "Ajuntament de Barcelona", "Amb el suport de", "#c8102e"),
    (
        "generalitat",
        "Generalitat de Catalunya – Departament de Drets Socials",
        "Amb el suport de",
        "#b5121b",
    ),
    ("diputacio", "Diputació de Barcelona", "Amb el finançament de", "#e4002b"),
    ("fundacio", "Fundació Horitzó Comunitari", "Amb el suport de", "#2a7f62"),
)


@dataclass(frozen=True)
class OrganisationSeed:
    key: str
    name: str
    kind: str
    contact: str
    #: People who go to network meetings on the organisation's behalf.
    people: tuple[str, ...]


ORGANISATIONS = (
    OrganisationSeed(
        "ss_sants",
        "Centre de Serveis Socials de Sants",
        "public_service",
        "Carrer de Sant Medir 2 · 932 91 87 00",
        ("Elena Marcos Vila", "Raül Ortega Sanz"),
    ),
    OrganisationSeed(
        "cap_sants",
        "CAP Sants",
        "health_centre",
        "Carrer de Numància 23 · treball social: 934 10 20 30",
        ("Gemma Fortuny Pla", "Dr. Albert Camps Rius"),
    ),
    OrganisationSeed(
        "csma",
        "Centre de Salut Mental d'Adults Sants",
        "health_centre",
        "Carrer de Galileu 94 · 934 22 35 11",
        ("Lourdes Navarro Gil",),
    ),
    OrganisationSeed(
        "escola_cotxeres",
        "Escola Cotxeres",
        "school",
        "direccio@escolacotxeres.cat",
        ("Isabel Prats Coma", "Jaume Oliveras Mir"),
    ),
    OrganisationSeed(
        "institut",
        "Institut Sants-Badal",
        "school",
        "coordinacio@insantsbadal.cat · 933 31 40 22",
        ("Helena Barceló Ruiz",),
    ),
    OrganisationSeed(
        "casal_barri",
        "Casal de Barri de Sants",
        "association",
        "casal@casalsants.cat",
        ("Txell Domènech Puig",),
    ),
    OrganisationSeed(
        "bascula",
        "Espai Jove La Bàscula",
        "public_service",
        "labascula@bcn.cat",
        ("Nil Sabater Roig", "Aida Benítez Flores"),
    ),
    OrganisationSeed(
        "av_bordeta",
        "Associació de Veïns i Veïnes de la Bordeta",
        "association",
        "avbordeta@gmail.com",
        ("Pepita Mas Ferrer",),
    ),
    OrganisationSeed(
        "dones_amal",
        "Associació de Dones Marroquines Al-Amal",
        "association",
        "alamal.sants@gmail.com · 612 45 78 90",
        ("Naima Bouzid",),
    ),
    OrganisationSeed(
        "pakistanesa",
        "Associació Cultural Amistat Pakistanesa de Sants",
        "association",
        "amistatpk@gmail.com",
        ("Tariq Hussain",),
    ),
    OrganisationSeed(
        "bayanihan",
        "Associació Filipina Bayanihan",
        "association",
        "bayanihan.bcn@gmail.com",
        ("Lorna Bautista",),
    ),
    OrganisationSeed(
        "punt_infojove",
        "Punt InfoJove Sants-Montjuïc",
        "public_service",
        "infojove.santsmontjuic@bcn.cat",
        ("Oriol Campmany Vidal",),
    ),
    OrganisationSeed(
        "districte",
        "Districte de Sants-Montjuïc – Departament de Serveis a les Persones",
        "public_service",
        "Carrer de la Creu Coberta 104",
        ("Sílvia Pons Giralt", "Marc Esteve Font"),
    ),
    OrganisationSeed(
        "radars",
        "Programa Radars – Ajuntament de Barcelona",
        "public_service",
        "radars@bcn.cat",
        ("Carmen Rubio Lara",),
    ),
)
