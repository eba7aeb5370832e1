"""The five programmes of the municipal community-action service (one per *prestació*) and their
activities, as templates the builder turns into rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActivitySeed:
    key: str
    name: str
    #: workshop, event, participatory_process, self_organisation, attention, other
    kind: str
    description: str
    place: str
    facilitators: tuple[str, ...]
    start: str
    end: str
    #: weekly, fortnightly, monthly or dates (then ``dates`` gives (month, day) pairs)
    pattern: str
    weekday: int
    #: Who takes part: children (< 14), teens (12-17), adults, elders (60+), migrants, all
    audience: str = "adults"
    #: Enrolled group size for the small demo (the large one scales it)
    group: int = 10
    dates: tuple[tuple[int, int], ...] = ()
    #: First session of the school year: (month, day)
    season_start: tuple[int, int] = (9, 22)
    #: Expected people at an open event (head counts)
    crowd: int = 0
    #: Can be repeated with more groups in the large demo
    repeatable: bool = True


@dataclass(frozen=True)
class IndicatorSeed:
    name: str
    kind: str
    #: Targets for the small and the large demo (close to what each reaches in a year)
    target: float
    large_target: float
    manual_value: float | None = None


@dataclass(frozen=True)
class ProgrammeSeed:
    code: str
    name: str
    category: str
    description: str
    funders: tuple[str, ...]
    responsible: str
    objectives: tuple[str, ...]
    indicators: tuple[IndicatorSeed, ...]
    activities: tuple[ActivitySeed, ...] = field(default=())


PROGRAMMES = (
    ProgrammeSeed(
        "PREV",
        "Programa de sensibilització i prevenció",
        "prevention",
        "El programa és l'instrument mitjançant el qual la comunitat de referència aprèn a "
        "afrontar les conductes asocials, procurant actuacions i protecció a la ciutadania.",
        ("ajuntament", "generalitat"),
        "marina",
        (
            "Reduir les conductes de risc entre adolescents i joves del barri.",
            "Acompanyar les famílies en la criança i en l'ús saludable de les pantalles.",
            "Detectar situacions de vulnerabilitat i derivar-les als serveis del territori.",
        ),
        (
            IndicatorSeed("Persones participants", "participants", 18, 450),
            IndicatorSeed("Sessions realitzades", "sessions", 55, 330),
            IndicatorSeed("Derivacions a serveis del territori", "referrals", 12, 60),
        ),
        (
            ActivitySeed(
                "prev_taller",
                "Taller de prevenció de conductes de risc",
                "workshop",
                "Grup setmanal amb adolescents de l'institut: consums, relacions i xarxes.",
                "institut",
                ("marina", "sergi"),
                "16:00",
                "17:30",
                "weekly",
                1,
                audience="teens",
                group=12,
                season_start=(10, 1),
            ),
            ActivitySeed(
                "prev_families",
                "Grup de famílies: criança i pantalles",
                "workshop",
                "Espai de trobada quinzenal de mares i pares amb infants de primària.",
                "casal",
                ("marina",),
                "17:30",
                "19:00",
                "fortnightly",
                3,
                group=10,
            ),
            ActivitySeed(
                "prev_xerrada",
                "Xerrades obertes a les famílies",
                "event",
                "Xerrades trimestrals obertes al barri amb professionals convidats.",
                "biblioteca",
                ("marina", "montse"),
                "18:00",
                "19:30",
                "dates",
                2,
                audience="all",
                dates=((11, 18), (2, 17), (5, 12)),
                crowd=35,
                repeatable=False,
            ),
        ),
    ),
    ProgrammeSeed(
        "CONV",
        "Programa de participació i promoció de la convivència",
        "community_animation",
        "El programa persegueix la inclusió i la participació de grups vulnerables i col·lectius "
        "específics en la vida social de la comunitat, potenciant la dinàmica relacional i la "
        "convivència participativa i col·laborativa.",
        ("ajuntament", "fundacio"),
        "carla",
        (
            "Afavorir la relació entre veïns i veïnes de procedències diverses.",
            "Implicar els col·lectius menys representats en les festes i activitats del barri.",
        ),
        (
            IndicatorSeed("Persones participants", "participants", 30, 380),
            IndicatorSeed("Assistències totals", "attendances", 950, 10000),
            IndicatorSeed("Reunions de xarxa", "meetings", 6, 8),
            IndicatorSeed("Entitats implicades en les festes", "manual", 8, 8, 6),
        ),
        (
            ActivitySeed(
                "conv_cuina",
                "Taller de cuina intercultural",
                "workshop",
                "Cada setmana una persona del grup ensenya un plat del seu país.",
                "casal",
                ("carla", "ayesha"),
                "10:00",
                "12:30",
                "weekly",
                2,
                group=14,
            ),
            ActivitySeed(
                "conv_placa",
                "Procés participatiu: una plaça de Sants per a tothom",
                "participatory_process",
                "Sessions mensuals per decidir amb el veïnat els usos de la plaça.",
                "cotxeres",
                ("carla", "youssef"),
                "18:30",
                "20:30",
                "monthly",
                3,
                group=16,
                season_start=(10, 1),
                repeatable=False,
            ),
            ActivitySeed(
                "conv_festes",
                "Festes i àpats populars",
                "event",
                "Castanyada, carnestoltes, Sant Jordi i festa de final de curs a la plaça.",
                "placa",
                ("carla", "youssef", "montse"),
                "17:00",
                "21:00",
                "dates",
                5,
                audience="all",
                dates=((10, 31), (2, 13), (4, 23), (6, 19)),
                crowd=160,
                repeatable=False,
            ),
        ),
    ),
    ProgrammeSeed(
        "VOLU",
        "Programa de promoció del voluntariat social",
        "associationism",
        "El programa és l'instrument pel qual es promociona la implicació de la ciutadania en "
        "les qüestions socials del seu ecosistema social.",
        ("diputacio",),
        "montse",
        (
            "Formar i acompanyar persones voluntàries del barri.",
            "Reduir la solitud no volguda de la gent gran amb xarxes de suport veïnal.",
        ),
        (
            IndicatorSeed("Persones voluntàries actives", "volunteers", 20, 300),
            IndicatorSeed("Hores d'activitat", "hours", 60, 380),
            IndicatorSeed("Persones grans acompanyades", "manual", 30, 30, 34),
            IndicatorSeed("Hores de voluntariat", "volunteer_hours", 900, 9000),
        ),
        (
            ActivitySeed(
                "volu_radars",
                "Grup de voluntariat d'acompanyament a la gent gran",
                "self_organisation",
                "Trobada setmanal del grup que fa visites i trucades a persones grans soles.",
                "local",
                ("montse",),
                "11:00",
                "12:30",
                "weekly",
                4,
                audience="volunteers",
                group=11,
            ),
            ActivitySeed(
                "volu_formacio",
                "Formació de persones voluntàries",
                "workshop",
                "Cicle de formació inicial: escolta activa, recursos del barri i cures.",
                "cotxeres",
                ("montse", "sergi"),
                "18:00",
                "20:00",
                "dates",
                1,
                audience="volunteers",
                group=14,
                dates=((10, 6), (10, 13), (10, 20), (10, 27), (2, 2), (2, 9)),
                repeatable=False,
            ),
        ),
    ),
    ProgrammeSeed(
        "ESPV",
        "Programa d'intervenció en espais vulnerables",
        "community_participation",
        "El programa és l'instrument pel qual s'atén de manera integral zones territorials on "
        "conflueixen característiques urbanístiques, residencials, socials, laborals o "
        "econòmiques que els donen la consideració d'espais vulnerables, i es treballa "
        "aplicant mesures de discriminació positiva per garantir la participació ciutadana en "
        "la pròpia superació de les necessitats.",
        ("ajuntament", "generalitat", "fundacio"),
        "youssef",
        (
            "Dinamitzar l'espai públic de Badal i la Bordeta amb activitats per a tothom.",
            "Donar suport a l'autoorganització veïnal als blocs amb més necessitats.",
            "Oferir reforç escolar i lleure educatiu als infants del barri.",
        ),
        (
            IndicatorSeed("Infants i famílies participants", "participants", 25, 520),
            IndicatorSeed("Sessions realitzades", "sessions", 60, 360),
            IndicatorSeed("Comunitats de veïns organitzades", "groups_autonomous", 4, 4),
        ),
        (
            ActivitySeed(
                "espv_reforc",
                "Reforç escolar i lleure per a infants",
                "workshop",
                "Acompanyament als deures i jocs cooperatius, cada dimarts a la tarda.",
                "casal",
                ("sergi", "carla"),
                "17:00",
                "18:30",
                "weekly",
                1,
                audience="children",
                group=14,
            ),
            ActivitySeed(
                "espv_veinal",
                "Grup d'autoorganització veïnal de Badal",
                "self_organisation",
                "Reunió quinzenal de veïns i veïnes dels blocs del carrer de Badal.",
                "local",
                ("youssef",),
                "19:00",
                "20:30",
                "fortnightly",
                2,
                group=12,
            ),
            ActivitySeed(
                "espv_placa",
                "Dinamització de l'espai públic a la Bordeta",
                "event",
                "Jocs, música i berenar al parc; activitat oberta amb recompte d'assistència.",
                "parc",
                ("youssef", "carla"),
                "17:00",
                "19:30",
                "monthly",
                4,
                audience="all",
                crowd=60,
            ),
        ),
    ),
    ProgrammeSeed(
        "MIGR",
        "Programa d'atenció especialitzada a persones migrants",
        "community_mediation",
        "El programa ofereix informació, mediació, assessorament, orientació i atenció "
        "especialitzada sobre els recursos disponibles per a les persones migrants, refugiades "
        "i sol·licitants de protecció internacional.",
        ("generalitat", "ajuntament"),
        "ayesha",
        (
            "Orientar les persones nouvingudes en l'accés als recursos i als tràmits.",
            "Facilitar l'aprenentatge de les llengües i la relació amb el veïnat.",
            "Enfortir les xarxes de suport mutu entre dones migrants.",
        ),
        (
            IndicatorSeed("Persones ateses", "participants", 30, 1400),
            IndicatorSeed("Atencions", "attendances", 520, 11500),
            IndicatorSeed("Hores de classe i atenció", "hours", 200, 1400),
        ),
        (
            ActivitySeed(
                "migr_punt",
                "Punt d'informació i acompanyament a persones migrants",
                "attention",
                "Atenció sense cita: empadronament, targeta sanitària, escolarització, arrelament.",
                "local",
                ("ayesha", "youssef"),
                "09:30",
                "13:30",
                "weekly",
                0,
                audience="migrants",
                group=5,
            ),
            ActivitySeed(
                "migr_llengua",
                "Taller de català i castellà per a dones",
                "workshop",
                "Aprenentatge de llengua amb servei d'acollida infantil.",
                "biblioteca",
                ("ayesha", "pau"),
                "10:00",
                "12:00",
                "weekly",
                3,
                audience="migrant_women",
                group=13,
                season_start=(10, 1),
            ),
            ActivitySeed(
                "migr_suport",
                "Grup de suport mutu de dones migrants",
                "self_organisation",
                "Espai quinzenal autogestionat per les participants, amb suport de l'entitat.",
                "local",
                ("ayesha",),
                "16:00",
                "17:30",
                "fortnightly",
                4,
                audience="migrant_women",
                group=10,
            ),
        ),
    ),
)

#: Reasons written on cancelled sessions.
CANCEL_NOTES = (
    "Suspesa per pluja.",
    "Suspesa per malaltia de la dinamitzadora.",
    "Suspesa: l'espai no estava disponible.",
    "Ajornada per coincidència amb la festa del barri.",
)

#: Notes written on some held sessions.
SESSION_NOTES = (
    "Bona participació; s'han proposat temes per a les properes sessions.",
    "Han vingut dues persones noves derivades de serveis socials.",
    "Sessió amb traducció a l'àrab i a l'urdú.",
    "S'ha fet l'avaluació trimestral amb el grup.",
    "Hem comptat amb una persona voluntària de suport.",
)
