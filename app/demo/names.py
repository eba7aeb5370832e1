"""Names of the neighbourhood's people, by origin, for the generated participants.

Sants, Badal and Hostafrancs: Catalan and Spanish families, and people from Morocco, Pakistan,
China, the Philippines and Latin America. A few names are written in Arabic or Chinese script, as
people write them themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _n(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(","))


@dataclass(frozen=True)
class Origin:
    key: str
    weight: int
    #: Nationality codes (ISO 3166-1), the first the most frequent
    nationalities: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    families: tuple[str, ...]
    #: Spanish-style naming: two family names
    two_families: bool


CATALAN = Origin(
    "catalan",
    30,
    _n("ES"),
    _n(
        "Núria, Montserrat, Mercè, Laia, Jana, Júlia, Aina, Queralt, Roser, Neus, Marta, Anna, "
        "Carme, Glòria, Marcel·la, Estel·la, Clara, Berta, Ona, Txell, Remei, Assumpta"
    ),
    _n(
        "Jordi, Pere, Joan, Oriol, Arnau, Pol, Marc, Xavier, Quim, Jaume, Ferran, Biel, Martí, "
        "Bernat, Marcel·lí, Roger, Nil, Pau, Josep, Genís"
    ),
    _n(
        "Gel·labert, Puig, Vilaseca, Ferrer, Soler, Casals, Riera, Bosch, Serra, Vidal, Roca, "
        "Font, Sala, Mas, Coll, Prat, Bonet, Pagès, Rovira, Bruguera, Ventura, Sabaté, Mir, "
        "Castells, Vilanova, Estruch, Farré, Queralt, Miralles, Torrents"
    ),
    True,
)

SPANISH = Origin(
    "spanish",
    20,
    _n("ES"),
    _n(
        "Carmen, María José, Lucía, Rocío, Pilar, Antonia, Dolores, Isabel, Ana Belén, Raquel, "
        "Sara, Paula, Encarnación, Concepción, Alba, Irene"
    ),
    _n(
        "Antonio, José Luis, Manuel, Francisco, Javier, David, Alejandro, Rafael, Juan Carlos, "
        "Sergio, Hugo, Daniel, Ángel, Rubén, Iván"
    ),
    _n(
        "García, Martínez, López, Sánchez, Fernández, Pérez, Gómez, Ruiz, Jiménez, Moreno, "
        "Muñoz, Álvarez, Romero, Navarro, Torres, Domínguez, Gil, Vázquez, Ortega, Castillo, "
        "Cortés, Lozano"
    ),
    True,
)

MOROCCAN = Origin(
    "moroccan",
    12,
    _n("MA, MA, MA, ES"),
    _n(
        "Fatima, Khadija, Aicha, Naima, Salma, Meryem, Imane, Hanane, Zineb, Samira, Nadia, "
        "Soukaina, Fatima Zahra, Houda, Latifa"
    ),
    _n(
        "Mohamed, Youssef, Ahmed, Hamza, Rachid, Said, Karim, Mustapha, Abdelkader, Omar, "
        "Ayoub, Bilal, Adam, Ilyas, Anas"
    ),
    _n(
        "El Amrani, Benali, Bouzid, El Idrissi, Ouali, Tahiri, Haddou, Alaoui, Chakir, Bakkali, "
        "El Khattabi, Azzouzi, Ziani, Boukhris, Lahlou"
    ),
    False,
)

PAKISTANI = Origin(
    "pakistani",
    9,
    _n("PK, PK, PK, ES"),
    _n("Ayesha, Sana, Nadia, Rabia, Hina, Saima, Amna, Zainab, Mehwish, Iqra, Shazia"),
    _n(
        "Muhammad Ali, Imran, Asif, Bilal, Usman, Hamza, Kashif, Tariq, Zeeshan, Faisal, Ahmed "
        "Raza, Waqas"
    ),
    _n("Khan, Malik, Chaudhry, Butt, Iqbal, Hussain, Akhtar, Rana, Sheikh, Qureshi, Javed, Aslam"),
    False,
)

CHINESE = Origin(
    "chinese",
    7,
    _n("CN, CN, ES"),
    _n("Xiaoli, Mei, Li Na, Yan, Jing, Hui, Xiuying, Lucía, Yuting, Fang"),
    _n("Wei, Jun, Hao, Lei, Jian, Ming, Tao, Zhiwei, Hugo, Yifan"),
    _n("Wang, Chen, Zhang, Lin, Li, Zhou, Wu, Huang, Ye, Xu, Jin"),
    False,
)

FILIPINO = Origin(
    "filipino",
    7,
    _n("PH, PH, ES"),
    _n(
        "Maria Cristina, Rowena, Jocelyn, Marites, Lorna, Rosalie, Jasmine, Angelica, Maricel, "
        "Princess"
    ),
    _n("Jose Rizalito, Rodel, Reynaldo, Mark Anthony, Romeo, Noel, Christian, Jomar, Jerome"),
    _n(
        "Dela Cruz, Santos, Reyes, Bautista, Ocampo, Mendoza, Villanueva, Aquino, Manalo, "
        "Dimaculangan, Pascual"
    ),
    False,
)

LATIN_AMERICAN = Origin(
    "latin_american",
    15,
    _n("CO, PE, EC, HN, VE, BO, DO, AR, ES"),
    _n(
        "Luz Marina, Yuliana, Paola Andrea, Yulissa, Rosa Elvira, Milagros, Mayra, Jessenia, "
        "Keyla, Dayana, Génesis, Oriana, Yokasta, Florencia, Wara"
    ),
    _n(
        "Andrés Felipe, Jhon Fredy, Camilo, Jhonatan, Edwin, Wilmer, Byron, Elvin, Josué, Luis "
        "Eduardo, Yorman, Starlin, Matías, Nicolás"
    ),
    _n(
        "Rodríguez, Gómez, Restrepo, Castaño, Ospina, Quispe, Mamani, Huamán, Flores, Chávez, "
        "Paredes, Guamán, Zambrano, Hernández, Mejía, Zelaya, Briceño, Condori, De la Rosa, "
        "Benítez"
    ),
    True,
)

ORIGINS = (CATALAN, SPANISH, MOROCCAN, PAKISTANI, CHINESE, FILIPINO, LATIN_AMERICAN)
ORIGIN_WEIGHTS = tuple(o.weight for o in ORIGINS)

#: Names written in their own script: (given, family, gender, origin key)
SCRIPT_NAMES = (
    _n("فاطمة, الزهراء, woman, moroccan"),
    _n("يوسف, العمراني, man, moroccan"),
    _n("خديجة, بنعلي, woman, moroccan"),
    _n("芳, 王, woman, chinese"),
    _n("明轩, 李, man, chinese"),
    _n("秀英, 陈, woman, chinese"),
    # Urdu (Arabic script with the Urdu letters ہ and ے)
    _n("عائشہ, چوہدری, woman, pakistani"),
    _n("عمران, خان, man, pakistani"),
    _n("ثناء, ملک, woman, pakistani"),
    _n("بلال, اقبال, man, pakistani"),
    _n("مريم, العلوي, woman, moroccan"),
    _n("حسن, البقالي, man, moroccan"),
    _n("丽娜, 林, woman, chinese"),
    _n("伟, 张, man, chinese"),
    _n("俊, 周, man, chinese"),
)

NEIGHBOURHOODS = ("Sants", "Sants", "Sants", "Badal", "Hostafrancs", "la Bordeta", "Sants-Badal")

#: Given names that fit anyone, for people who define themselves outside woman/man.
NEUTRAL_NAMES = ("Àlex", "Noa", "Kim", "Iu", "Dani", "Sam")

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def origin(key: str) -> Origin:
    return next(o for o in ORIGINS if o.key == key)


def pick_origin(rng: random.Random) -> Origin:
    return rng.choices(ORIGINS, weights=ORIGIN_WEIGHTS)[0]


#: Names mostly of older or of younger generations, kept to fitting ages.
OLDER = frozenset(
    _n(
        "Montserrat, Mercè, Roser, Carme, Remei, Assumpta, Glòria, Carmen, Pilar, Antonia, "
        "Dolores, Encarnación, Concepción, Josep, Joan, Jaume, Pere, Antonio, Manuel, Francisco, "
        "José Luis, Juan Carlos, Marites, Lorna, Romeo, Latifa, Abdelkader, Mustapha"
    )
)
YOUNGER = frozenset(
    _n(
        "Jana, Aina, Ona, Júlia, Laia, Berta, Pol, Nil, Biel, Arnau, Martí, Hugo, Lucía, Alba, "
        "Paula, Irene, Iván, Adam, Ilyas, Anas, Ayoub, Princess, Jasmine, Génesis, Oriana, "
        "Yifan, Yuting, Matías"
    )
)


def given_name(rng: random.Random, o: Origin, gender: str | None, age: int = 40) -> str:
    if gender not in ("man", "woman"):
        return rng.choice(NEUTRAL_NAMES)
    candidates = o.men if gender == "man" else o.women
    fitting = [
        n for n in candidates if not (n in OLDER and age < 45) and not (n in YOUNGER and age > 40)
    ]
    return rng.choice(fitting or candidates)


def family_names(rng: random.Random, o: Origin, first: str | None = None) -> str:
    """One family name, or two (the first one given, for a child of the family)."""
    one = first or rng.choice(o.families)
    if not o.two_families:
        return one
    two = rng.choice(o.families)
    while two == one:
        two = rng.choice(o.families)
    # Some Catalan people write the conjunction, as in "Puig i Soler".
    joiner = " i " if o.key == "catalan" and rng.random() < 0.15 else " "
    return f"{one}{joiner}{two}"


def dni(rng: random.Random) -> str:
    number = rng.randrange(10_000_000, 79_999_999)
    return f"{number:08d}{_DNI_LETTERS[number % 23]}"


def nie(rng: random.Random) -> str:
    prefix = rng.choice("XYYZ")
    number = rng.randrange(0, 9_999_999)
    value = int(str("XYZ".index(prefix)) + f"{number:07d}")
    return f"{prefix}{number:07d}{_DNI_LETTERS[value % 23]}"


def passport(rng: random.Random, nationality: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    head = "".join(rng.choice(letters) for _ in range(2))
    return f"{head}{rng.randrange(1_000_000, 9_999_999)}"


def phone(rng: random.Random) -> str:
    return f"6{rng.randrange(0, 100_000_000):08d}"
