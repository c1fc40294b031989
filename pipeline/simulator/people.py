"""Invented players and umpires: stable per (seed, season), with MLB-style ids and names."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .teams import TEAMS

# fmt: off
FIRST_NAMES = (
    "Aaron", "Adam", "Adrián", "Alex", "Andrés", "Andrew", "Anthony", "Austin", "Bailey", "Ben",
    "Blake", "Bobby", "Brandon", "Brent", "Brett", "Brian", "Bryce", "Bryan", "Cade", "Caleb",
    "Cal", "Carlos", "Carson", "Casey", "Chase", "Chris", "Cody", "Colin", "Colton", "Connor",
    "Corbin", "Cristian", "Dalton", "Daniel", "Danny", "David", "Dean", "Dylan", "Eduardo", "Eli",
    "Elvis", "Emmanuel", "Eric", "Eugenio", "Evan", "Felix", "Francisco", "Frankie", "Gabriel", "Garrett",
    "Gavin", "George", "Gerardo", "Grant", "Gunnar", "Hunter", "Ian", "Isaac", "Jack", "Jackson",
    "Jacob", "Jake", "James", "Jared", "Jason", "Javier", "Jesús", "Joe", "Joey", "Jonah",
    "Jordan", "Jorge", "José", "Josh", "Juan", "Julio", "Justin", "Keegan", "Kevin", "Kody",
    "Kyle", "Landon", "Logan", "Luis", "Lucas", "Manny", "Marcus", "Mason", "Matt", "Max",
    "Michael", "Miguel", "Mitch", "Nate", "Nick", "Noah", "Nolan", "Oneil", "Óscar", "Owen",
    "Pablo", "Patrick", "Pete", "Rafael", "Ramón", "Randy", "Reid", "Riley", "Robbie", "Ryan",
    "Salvador", "Sam", "Sean", "Seiya", "Shota", "Spencer", "Taylor", "Trevor", "Tyler", "Víctor",
    "Wade", "Walker", "Will", "Wilmer", "Xavier", "Yandy", "Yoshi", "Zach", "Zack", "Ezequiel",
)
LAST_NAMES = (
    "Abreu", "Acuña", "Adames", "Allen", "Alvarez", "Anderson", "Arenado", "Bailey", "Baker", "Barnes",
    "Bell", "Bennett", "Berríos", "Bishop", "Blanco", "Bradley", "Brooks", "Brown", "Burke", "Butler",
    "Cabrera", "Campbell", "Carroll", "Carter", "Castillo", "Castro", "Chapman", "Clark", "Cole", "Collins",
    "Contreras", "Cook", "Cooper", "Cruz", "Dalton", "Davis", "Díaz", "Dominguez", "Duran", "Edwards",
    "Ellis", "Espinal", "Evans", "Fisher", "Fletcher", "Flores", "Foster", "Franco", "Fuentes", "García",
    "Gibson", "Gomez", "González", "Gordon", "Graham", "Gray", "Green", "Griffin", "Gutiérrez", "Hall",
    "Hamilton", "Harper", "Harris", "Hayes", "Henderson", "Hernández", "Hicks", "Hill", "Holmes", "Howard",
    "Hughes", "Jackson", "James", "Jiménez", "Johnson", "Jones", "Kelly", "Kennedy", "King", "Kirk",
    "Lewis", "Lopez", "Lowe", "Marsh", "Martin", "Martínez", "Matos", "Mayer", "McCarthy", "Medina",
    "Mejía", "Meyers", "Miller", "Mitchell", "Montero", "Moore", "Morales", "Moreno", "Murphy", "Myers",
    "Nelson", "Núñez", "Ortiz", "Ozuna", "Palmer", "Parker", "Peña", "Peralta", "Pérez", "Perry",
    "Peterson", "Phillips", "Pratt", "Price", "Ramírez", "Ramos", "Reed", "Reyes", "Reynolds", "Richards",
    "Rivera", "Roberts", "Robinson", "Rodríguez", "Rogers", "Rojas", "Romero", "Rosario", "Ross", "Ruiz",
    "Russell", "Sánchez", "Santana", "Santos", "Schmidt", "Scott", "Sears", "Segura", "Shaw", "Simmons",
    "Smith", "Soto", "Stewart", "Stone", "Suárez", "Sullivan", "Suzuki", "Taylor", "Thomas", "Thompson",
    "Torres", "Tucker", "Turner", "Urías", "Valdez", "Vargas", "Vázquez", "Walker", "Wallace", "Ward",
    "Watson", "Webb", "Wells", "West", "White", "Williams", "Wilson", "Winn", "Wood", "Wright",
    "Yamamoto", "Young", "Zimmerman", "Ohtani", "Kikuchi", "Bichette", "Guerrero", "Tatis", "Vaughn", "Witt",
)
# Invented surnames widen the pool so most players, as in MLB, have a unique surname.
_STEMS = ("Al", "Bar", "Bel", "Cal", "Cor", "Dal", "Del", "Dor", "Fer", "Gal", "Har", "Kel", "Lan", "Lind",
          "Mar", "Mon", "Mor", "Nor", "Pel", "Ram", "Ren", "Ros", "Sal", "San", "Stan", "Ter", "Tor", "Val",
          "Wal", "Win", "Hol", "Brad", "Craw", "Ash", "Pres", "Whit")
_ENDS = ("ton", "son", "ley", "ford", "man", "ero", "ino", "ski", "well", "by", "ick", "ard", "ows", "ano",
         "ado", "ette", "field", "more", "ridge", "stead", "ner", "wick", "ares", "enko")
SURNAMES = LAST_NAMES + tuple(sorted({s + e for s in _STEMS for e in _ENDS} - set(LAST_NAMES)))
# fmt: on

# Roster template: 13 pitchers (5 starters, 8 relievers) and 13 position players.
PITCHER_ROLES = ("SP", "SP", "SP", "SP", "SP", "CL", "SU", "RP", "RP", "RP", "RP", "RP", "LR")
HITTER_SPOTS = ("C", "1B", "2B", "3B", "SS", "LF", "CF", "RF", "DH", "C", "2B", "LF", "1B")
STARTING_SPOTS = 9  # the first nine of HITTER_SPOTS are the everyday lineup


@dataclass
class Player:
    id: int
    first: str
    last: str
    team_id: int
    jersey: str
    position: str  # primary position abbreviation ("P" for pitchers)
    role: str  # SP/CL/SU/RP/LR for pitchers, "REG"/"BENCH" for hitters
    talent: dict[str, float] = field(default_factory=dict)
    boxscore_name: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def is_pitcher(self) -> bool:
        return self.position == "P"


@dataclass(frozen=True)
class Umpire:
    id: int
    full_name: str


def _talent(rng: random.Random, pitcher: bool, role: str) -> dict[str, float]:
    if pitcher:
        return {
            "k": rng.uniform(0.8, 1.3),  # strikeout multiplier
            "contact": rng.uniform(0.85, 1.15),  # hits-allowed multiplier
            "era": rng.uniform(2.6, 5.2),
            "limit": rng.uniform(84, 106),  # pitch count at which a starter tires
        }
    regular = role == "REG"
    return {
        "avg": rng.uniform(0.225, 0.300) if regular else rng.uniform(0.200, 0.255),
        "power": rng.uniform(0.6, 1.6),
        "eye": rng.uniform(0.7, 1.4),
        "speed": rng.uniform(0.3, 2.0),
        "share": rng.uniform(0.86, 0.97) if regular else rng.uniform(0.22, 0.45),
    }


def build_rosters(seed: int, season: int) -> dict[int, list[Player]]:
    """26 players per club; ids are unique 6-digit numbers, names unique league-wide."""
    rng = random.Random(f"sim:{seed}:{season}:people")
    ids = rng.sample(range(430000, 700000), len(TEAMS) * 26)
    used_names: set[tuple[str, str]] = set()
    rosters: dict[int, list[Player]] = {}
    k = 0
    for team in TEAMS:
        jerseys = rng.sample(range(1, 100), 26)
        players: list[Player] = []
        spots = [("P", role) for role in PITCHER_ROLES] + [
            (pos, "REG" if i < STARTING_SPOTS else "BENCH") for i, pos in enumerate(HITTER_SPOTS)
        ]
        for pos, role in spots:
            while True:
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                if rng.random() < 0.02:
                    last += " Jr."
                if (first, last) not in used_names:
                    used_names.add((first, last))
                    break
            players.append(
                Player(ids[k], first, last, team.id, str(jerseys[len(players)]), pos, role,
                       _talent(rng, pos == "P", role))
            )
            k += 1
        rosters[team.id] = players
    _assign_boxscore_names([p for ps in rosters.values() for p in ps])
    return rosters


def _assign_boxscore_names(players: list[Player]) -> None:
    # Like the real API: "Peña" when the surname is unique league-wide, else "Valdez, F",
    # and more letters of the first name ("Scott, Tay") while that is still ambiguous.
    by_last: dict[str, list[Player]] = {}
    for p in players:
        by_last.setdefault(p.last, []).append(p)
    for last, group in by_last.items():
        if len(group) == 1:
            group[0].boxscore_name = last
            continue
        for p in group:
            n = 1
            while n < len(p.first) and sum(q.first[:n] == p.first[:n] for q in group) > 1:
                n += 1
            p.boxscore_name = f"{last}, {p.first[:n]}"


def build_umpires(seed: int) -> list[Umpire]:
    rng = random.Random(f"sim:{seed}:umpires")
    ids = rng.sample(range(420000, 430000), 76)  # below every player id: no collisions
    names: set[str] = set()
    out = []
    for uid in ids:
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in names:
                names.add(name)
                break
        out.append(Umpire(uid, name))
    return out
