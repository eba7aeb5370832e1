"""The territorial networks the demo entity takes part in (the eight spaces of the association's
seed, with the commissions it names) and the texts their meetings are written from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpaceSeed:
    key: str
    name: str
    territory: str
    #: member, driving_group, coordination
    role: str
    representative: str
    #: Who else sits at the table (organisation keys)
    organisations: tuple[str, ...]
    #: Meeting rhythm: every N weeks, on this weekday
    every_weeks: int
    weekday: int
    start: str
    end: str
    place: str
    theme: str
    programmes: tuple[str, ...] = ()
    parent: str | None = None


SPACES = (
    SpaceSeed(
        "festes",
        "Grup Impulsor d'Activitats i Festes de Sants – Badal",
        "Sants-Badal",
        "driving_group",
        "carla",
        ("casal_barri", "av_bordeta", "dones_amal", "pakistanesa", "bayanihan", "districte"),
        6,
        1,
        "19:00",
        "20:30",
        "Casal de Barri de Sants",
        "festes",
        ("CONV",),
    ),
    SpaceSeed(
        "equipaments",
        "Xarxa d'Equipaments i Serveis de Sants-Badal",
        "Sants-Badal",
        "member",
        "youssef",
        ("ss_sants", "casal_barri", "bascula", "districte", "cap_sants"),
        8,
        3,
        "10:00",
        "12:00",
        "Centre Cívic Cotxeres de Sants",
        "equipaments",
        ("ESPV",),
    ),
    SpaceSeed(
        "infancia",
        "Xarxa d'Infància de Sants",
        "Sants",
        "member",
        "marina",
        ("ss_sants", "escola_cotxeres", "cap_sants", "casal_barri", "districte"),
        8,
        1,
        "09:30",
        "11:30",
        "Centre Cívic Cotxeres de Sants",
        "infancia",
        ("PREV", "ESPV"),
    ),
    SpaceSeed(
        "infancia_motor",
        "Grup Motor de la Xarxa d'Infància de Sants",
        "Sants",
        "driving_group",
        "marina",
        ("ss_sants", "escola_cotxeres", "districte"),
        4,
        2,
        "09:30",
        "11:00",
        "Centre de Serveis Socials de Sants",
        "infancia",
        ("PREV",),
        parent="infancia",
    ),
    SpaceSeed(
        "infancia_comunicacio",
        "Comissió de comunicació",
        "Sants",
        "coordination",
        "carla",
        ("casal_barri", "escola_cotxeres"),
        6,
        4,
        "13:00",
        "14:00",
        "",
        "comunicacio",
        parent="infancia",
    ),
    SpaceSeed(
        "joves",
        "Taula d'Adolescents i Joves de Sants",
        "Sants",
        "member",
        "sergi",
        ("bascula", "institut", "punt_infojove", "ss_sants", "cap_sants"),
        8,
        2,
        "10:00",
        "12:00",
        "Espai Jove La Bàscula",
        "joves",
        ("PREV",),
    ),
    SpaceSeed(
        "joves_afectiva",
        "Comissió d'Educació Afectiva i Sexual",
        "Sants",
        "coordination",
        "sergi",
        ("bascula", "institut", "cap_sants"),
        6,
        3,
        "12:00",
        "13:30",
        "Espai Jove La Bàscula",
        "afectiva",
        ("PREV",),
        parent="joves",
    ),
    SpaceSeed(
        "educacio",
        "Grup de Treball d'Educació Comunitària de Sants – Montjuïc",
        "Sants-Montjuïc",
        "member",
        "marina",
        ("escola_cotxeres", "institut", "districte", "casal_barri"),
        10,
        0,
        "10:00",
        "12:00",
        "Centre Cívic Cotxeres de Sants",
        "educacio",
    ),
    SpaceSeed(
        "salut_mental",
        "Taula de Salut Mental de Sants – Montjuïc",
        "Sants-Montjuïc",
        "member",
        "ayesha",
        ("csma", "cap_sants", "ss_sants", "districte"),
        8,
        3,
        "09:30",
        "11:30",
        "CAP Sants",
        "salut",
        ("MIGR",),
    ),
    SpaceSeed(
        "salut_intercultural",
        "Comissió d'Interculturalitat i Salut mental",
        "Sants-Montjuïc",
        "driving_group",
        "ayesha",
        ("csma", "dones_amal", "pakistanesa", "bayanihan"),
        6,
        1,
        "16:00",
        "17:30",
        "Local de l'entitat",
        "salut",
        ("MIGR",),
        parent="salut_mental",
    ),
    SpaceSeed(
        "tast",
        "Taula d'Acció Social Territorial (TAST) de Sants",
        "Sants",
        "member",
        "montse",
        ("ss_sants", "cap_sants", "districte", "av_bordeta", "radars"),
        8,
        4,
        "09:30",
        "11:30",
        "Centre de Serveis Socials de Sants",
        "tast",
        ("ESPV", "MIGR"),
    ),
    SpaceSeed(
        "radars",
        "Taula Radars de Sants",
        "Sants",
        "coordination",
        "montse",
        ("radars", "cap_sants", "ss_sants", "av_bordeta"),
        8,
        2,
        "11:00",
        "12:30",
        "Local de l'entitat",
        "radars",
        ("VOLU",),
    ),
)

OPENING_ITEMS = ("Benvinguda i aprovació de l'acta anterior", "Seguiment dels acords pendents")
CLOSING_ITEMS = ("Informacions dels serveis i les entitats", "Torn obert de paraules")

#: theme -> agenda items (one or two are picked per meeting)
AGENDA = {
    "festes": (
        "Preparació de la Castanyada a la plaça",
        "Programa de la festa de Carnestoltes",
        "Organització de Sant Jordi: parades de les entitats",
        "Festa de final de curs: torns i materials",
        "Balanç econòmic de la darrera festa",
    ),
    "equipaments": (
        "Calendari compartit d'activitats del trimestre",
        "Guia de recursos del barri: actualització",
        "Ús dels espais del Centre Cívic per part de les entitats",
        "Campanya de difusió conjunta a les escoles",
    ),
    "infancia": (
        "Diagnosi compartida de la infància del barri",
        "Preparació de la Setmana dels Drets de la Infància",
        "Protocol de detecció de maltractament infantil",
        "Casals d'estiu: places i beques",
        "Espais de joc a l'espai públic",
    ),
    "comunicacio": (
        "Butlletí trimestral de la Xarxa",
        "Xarxes socials: calendari de publicacions",
        "Fulletó de recursos en diverses llengües",
    ),
    "joves": (
        "Oci nocturn i prevenció de riscos",
        "Espais per a joves als caps de setmana",
        "Retorn de la diagnosi participativa amb l'institut",
        "Festival jove de primavera",
    ),
    "afectiva": (
        "Tallers d'educació afectiva i sexual als instituts",
        "Materials sobre relacions abusives a les xarxes",
        "Formació per a professionals en diversitat sexual i de gènere",
    ),
    "educacio": (
        "Mapa d'activitats educatives fora de l'horari escolar",
        "Patis oberts al barri",
        "Jornada d'educació comunitària del districte",
    ),
    "salut": (
        "Circuit de derivació entre el CAP, el CSMA i les entitats",
        "Estigma i salut mental a les comunitats migrants",
        "Grup de suport per a persones cuidadores",
        "Dia Mundial de la Salut Mental: activitats al barri",
    ),
    "tast": (
        "Situacions d'emergència habitacional detectades",
        "Pobresa energètica: campanya d'hivern",
        "Coordinació del rebost solidari",
        "Casos compartits: criteris de derivació",
    ),
    "radars": (
        "Altes de persones grans ateses per Radars",
        "Onada de calor: protocol de trucades",
        "Comerços radar: noves adhesions",
        "Passejades de gent gran pel barri",
    ),
}

#: theme -> agreement texts
AGREEMENTS = {
    "festes": (
        "Demanar els permisos d'ocupació de la via pública al Districte.",
        "Fer la difusió de la festa en català, castellà, àrab, urdú i tagal.",
        "Reservar les taules i l'equip de so del Casal de Barri.",
        "Obrir una crida a persones voluntàries per a la festa.",
    ),
    "equipaments": (
        "Actualitzar la guia de recursos abans de final de trimestre.",
        "Compartir el calendari d'activitats en un document comú.",
        "Proposar al Districte una reunió sobre els usos dels espais.",
    ),
    "infancia": (
        "Enviar el qüestionari de la diagnosi a totes les escoles.",
        "Programar les activitats de la Setmana dels Drets de la Infància.",
        "Revisar el protocol de detecció amb els equips de les escoles.",
        "Recollir les places disponibles als casals d'estiu.",
    ),
    "comunicacio": (
        "Redactar el butlletí i enviar-lo a les entitats de la Xarxa.",
        "Traduir el fulletó de recursos a l'àrab, l'urdú i el xinès.",
    ),
    "joves": (
        "Fer una sessió de retorn de la diagnosi amb l'alumnat.",
        "Demanar l'obertura de La Bàscula els dissabtes a la tarda.",
        "Coordinar amb el Punt InfoJove la campanya d'oci nocturn.",
    ),
    "afectiva": (
        "Calendaritzar els tallers als grups de tercer d'ESO.",
        "Revisar els materials sobre relacions abusives a les xarxes.",
    ),
    "educacio": (
        "Recollir les propostes de patis oberts de cada escola.",
        "Preparar la jornada d'educació comunitària.",
    ),
    "salut": (
        "Elaborar un circuit de derivació compartit entre els serveis.",
        "Organitzar una xerrada sobre estigma amb mediació intercultural.",
        "Recollir necessitats de les persones cuidadores.",
    ),
    "tast": (
        "Traslladar al Districte els casos d'emergència habitacional.",
        "Difondre el punt d'assessorament energètic a les entitats.",
        "Ampliar el torn de voluntariat del rebost solidari.",
    ),
    "radars": (
        "Incorporar cinc comerços nous a la xarxa de comerços radar.",
        "Activar el protocol de trucades durant l'onada de calor.",
        "Organitzar una passejada trimestral amb la gent gran.",
    ),
}

#: Sentences the minutes are written from, one per agenda item.
MINUTES_LINES = (
    "Es comenta el punt «{item}»; les entitats hi aporten la seva experiència.",
    "Sobre «{item}», es posen en comú les dades recollides des de la darrera reunió.",
    "Es debat «{item}» i s'acorda continuar-ne el treball a la propera sessió.",
    "Pel que fa a «{item}», es presenta una proposta que s'aprova amb petits canvis.",
)

#: What the minutes say about the recurring items.
FIXED_MINUTES = {
    OPENING_ITEMS[1]: "Es repassen els acords pendents de les reunions anteriors i se n'actualitza "
    "l'estat a la taula de seguiment.",
    CLOSING_ITEMS[0]: "Els serveis i les entitats comparteixen les activitats i les novetats de "
    "les properes setmanes.",
    CLOSING_ITEMS[1]: "En el torn obert de paraules no es planteja cap tema nou.",
}
