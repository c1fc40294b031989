"""Deterministic regular season for (seed, season): schedule, postponements, line scores.

Every team plays in every one of 54 "rounds" (one series each), so every team plays exactly
162 games: 46 rounds of 3-game series, 4 rounds of 4-game series and 4 later rounds of
2-game series that replay a 4-game round's matchups with the same home team. Home teams
come from an Euler orientation of the matchup multigraph, which gives every club 81 home
games. Only line scores are made here (cheap); box scores are simulated lazily elsewhere.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass

from .teams import TEAMS, TEAMS_BY_ID

ROUNDS = 54
FOUR_ROUNDS = (3, 10, 17, 24)
TWO_ROUNDS = (33, 39, 45, 51)  # same matchups and home teams as FOUR_ROUNDS, in that order
SEASON_DAYS = 186  # Thursday opening day to the last Sunday: late March to late September
ALL_STAR_DAYS = 4
UTC = dt.timezone.utc


@dataclass
class Game:
    pk: int
    away: int
    home: int
    round: int
    games_in_series: int
    series_game_number: int
    day: dt.date  # the date the game was (finally) played: its officialDate
    start: dt.datetime | None = None  # UTC
    day_night: str = "night"
    double_header: str = "N"
    game_number: int = 1
    postponed_day: dt.date | None = None  # original date when the game was postponed
    postponed_start: dt.datetime | None = None
    postpone_code: str = "DR"
    postpone_reason: str = "Rain"
    description: str | None = None
    inning_break: int = 120
    away_line: tuple[int, ...] = ()
    home_line: tuple[int, ...] = ()  # one shorter than away_line when the home team did not bat last
    away_record: tuple[int, int] = (0, 0)  # wins/losses after this game
    home_record: tuple[int, int] = (0, 0)
    away_index: int = 0  # the team's n-th game of the season (0-based), played order
    home_index: int = 0
    guid: str = ""

    @property
    def away_score(self) -> int:
        return sum(self.away_line)

    @property
    def home_score(self) -> int:
        return sum(self.home_line)

    @property
    def winner(self) -> int:
        return self.home if self.home_score > self.away_score else self.away

    @property
    def innings(self) -> int:
        return len(self.away_line)


def seeded_rng(seed: int, season: int, *parts: object) -> random.Random:
    # String seeds hash with SHA-512 inside `random`, so they are stable across processes.
    return random.Random(":".join(["sim", str(seed), str(season), *map(str, parts)]))


def _matchups(rng: random.Random) -> list[list[tuple[int, int]]]:
    """A perfect matching of the 30 clubs per round, favouring division and league rivals."""
    ids = [t.id for t in TEAMS]
    desire: dict[tuple[int, int], float] = {}
    for a in TEAMS:
        for b in TEAMS:
            if a.id < b.id:
                same_div, same_lg = a.division_id == b.division_id, a.league_id == b.league_id
                desire[(a.id, b.id)] = 4.0 if same_div else 2.0 if same_lg else 1.0
    al = [t.id for t in TEAMS if t.league_id == 103]
    nl = [t.id for t in TEAMS if t.league_id == 104]
    rng.shuffle(nl)
    for a, b in zip(al, nl):  # "natural rivals" meet twice
        desire[(min(a, b), max(a, b))] += 1.0
    rounds: list[list[tuple[int, int]]] = []
    previous: set[tuple[int, int]] = set()
    for r in range(ROUNDS):
        if r in TWO_ROUNDS:
            rounds.append(rounds[FOUR_ROUNDS[TWO_ROUNDS.index(r)]])
            continue
        units = 2.0 if r in FOUR_ROUNDS else 1.0
        order = ids[:]
        rng.shuffle(order)
        free = set(ids)
        pairs: list[tuple[int, int]] = []
        for a in order:
            if a not in free:
                continue
            free.discard(a)

            def score(b: int, a: int = a) -> float:
                key = (min(a, b), max(a, b))
                return desire[key] - (3.0 if key in previous else 0.0) + rng.random() * 0.9

            b = max(sorted(free), key=score)
            free.discard(b)
            key = (min(a, b), max(a, b))
            desire[key] -= units
            pairs.append(key)
        rounds.append(pairs)
        previous = set(pairs)
    return rounds


def _euler_orient(edges: list[tuple[int, int]], rng: random.Random) -> list[bool]:
    """For an even-degree multigraph: True when edge (a, b) is walked a -> b.

    Hierholzer walks only close at their start vertex, so every club leaves as often as it
    enters: walked a -> b means a visits b, and each club is home in exactly half its rounds.
    """
    adj: dict[int, list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(edges):
        adj[a].append(i)
        adj[b].append(i)
    for v in sorted(adj):
        rng.shuffle(adj[v])
    used = [False] * len(edges)
    forward = [False] * len(edges)
    ptr: dict[int, int] = defaultdict(int)
    for start in sorted(adj):
        stack = [start]
        while stack:
            v = stack[-1]
            lst, i = adj[v], ptr[v]
            while i < len(lst) and used[lst[i]]:
                i += 1
            ptr[v] = i
            if i == len(lst):
                stack.pop()
                continue
            e = lst[i]
            used[e] = True
            a, b = edges[e]
            forward[e] = a == v
            stack.append(b if a == v else a)
    return forward


def _opening_day(season: int) -> dt.date:
    day = dt.date(season, 3, 26)
    return day + dt.timedelta(days=(3 - day.weekday()) % 7)  # first Thursday from March 26


def _calendar(rng: random.Random, season: int, lengths: list[int]) -> tuple[list[dt.date], list[int]]:
    """Start date and window length of each round; spare days become off days."""
    opening = _opening_day(season)
    asb = dt.date(season, 7, 13)
    asb += dt.timedelta(days=(0 - asb.weekday()) % 7)  # All-Star break: Monday to Thursday
    before = (asb - opening).days
    after = SEASON_DAYS - before - ALL_STAR_DAYS
    best: tuple[float, int, int] | None = None
    for k in range(1, ROUNDS):
        e1 = before - sum(lengths[:k])
        e2 = after - sum(lengths[k:])
        if 0 <= e1 <= k - 1 and 0 <= e2 <= ROUNDS - k:
            balance = abs(e1 / k - e2 / (ROUNDS - k))
            if best is None or balance < best[0]:
                best = (balance, k, e1)
    assert best is not None, "season calendar does not fit"
    _, k, e1 = best
    e2 = after - sum(lengths[k:])
    extra = set(rng.sample(range(1, k), e1)) | set(rng.sample(range(k, ROUNDS), e2))
    starts, windows = [], []
    day = opening
    for r, length in enumerate(lengths):
        if r == k:
            day += dt.timedelta(days=ALL_STAR_DAYS)
        window = length + (1 if r in extra else 0)
        starts.append(day)
        windows.append(window)
        day += dt.timedelta(days=window)
    return starts, windows


_NIGHT = ((18, 35), (18, 40), (18, 45), (19, 5), (19, 7), (19, 10), (19, 15), (19, 40), (18, 10))
_DAY = ((12, 10), (12, 35), (13, 5), (13, 10), (13, 20), (13, 35), (13, 40), (16, 5), (16, 10))


class Season:
    """The whole regular season; build time is a small fraction of a second."""

    def __init__(self, seed: int, season: int) -> None:
        self.seed, self.season = seed, season
        rng = seeded_rng(seed, season, "schedule")
        self.opening = _opening_day(season)
        self.last_day = self.opening + dt.timedelta(days=SEASON_DAYS - 1)
        rounds = _matchups(rng)
        forward = self._orient(rounds, rng)
        lengths = [4 if r in FOUR_ROUNDS else 2 if r in TWO_ROUNDS else 3 for r in range(ROUNDS)]
        starts, windows = _calendar(rng, season, lengths)
        self.series: list[list[Game]] = []
        for r, pairs in enumerate(rounds):
            for (a, b), fwd in zip(pairs, forward[r]):
                away, home = (a, b) if fwd else (b, a)
                off = 1 if windows[r] > lengths[r] and rng.random() < 0.5 else 0
                days = [starts[r] + dt.timedelta(days=off + i) for i in range(lengths[r])]
                traditional_dh = lengths[r] == 4 and rng.random() < 0.08
                if traditional_dh:  # a scheduled doubleheader squeezes a 4-game set into 3 days
                    days = [days[0], days[1], days[1], days[2]]
                games = [Game(0, away, home, r, lengths[r], i + 1, d) for i, d in enumerate(days)]
                if traditional_dh:
                    games[1].double_header = games[2].double_header = "Y"
                    games[2].game_number = 2
                self.series.append(games)
        self.games: list[Game] = [g for s in self.series for g in s]
        pks = seeded_rng(seed, season, "pks").sample(range(630000, 780000), len(self.games))
        for g, pk in zip(self.games, pks):
            g.pk = pk
            g.guid = str(uuid.UUID(int=seeded_rng(seed, season, pk, "guid").getrandbits(128), version=4))
        self._postpone(rng)
        self._times(rng)
        self._outcomes()
        self._records()
        self.by_pk: dict[int, Game] = {g.pk: g for g in self.games}
        self._by_day: dict[dt.date, list[tuple[dt.datetime, int, Game, bool]]] = defaultdict(list)
        for g in self.games:
            assert g.start is not None
            self._by_day[g.day].append((g.start, g.game_number, g, False))
            if g.postponed_day is not None and g.postponed_start is not None:
                self._by_day[g.postponed_day].append((g.postponed_start, 1, g, True))
        for entries in self._by_day.values():
            entries.sort(key=lambda e: (e[0], e[1], e[2].pk))

    @staticmethod
    def _orient(rounds: list[list[tuple[int, int]]], rng: random.Random) -> list[list[bool]]:
        single = [r for r in range(ROUNDS) if r not in FOUR_ROUNDS and r not in TWO_ROUNDS]
        forward: list[list[bool]] = [[] for _ in range(ROUNDS)]
        for group in (single, list(FOUR_ROUNDS)):
            edges = [pair for r in group for pair in rounds[r]]
            flags = _euler_orient(edges, rng)
            i = 0
            for r in group:
                forward[r] = flags[i : i + len(rounds[r])]
                i += len(rounds[r])
        for four, two in zip(FOUR_ROUNDS, TWO_ROUNDS):
            forward[two] = forward[four]
        return forward

    def _postpone(self, rng: random.Random) -> None:
        """Rain out ~1.5% of games; each is made up later as game 2 of a doubleheader."""
        target = rng.randint(len(self.games) // 100, len(self.games) // 50)
        later_series: dict[tuple[int, int], list[list[Game]]] = defaultdict(list)
        for s in self.series:
            later_series[(s[0].away, s[0].home)].append(s)
        touched: set[int] = set()
        candidates = self.games[:]
        rng.shuffle(candidates)
        done = 0
        for g in candidates:
            if done >= target:
                break
            series = next(s for s in later_series[(g.away, g.home)] if s[0].round == g.round)
            if (TEAMS_BY_ID[g.home].roof or g.double_header != "N" or id(series) in touched
                    or g.day.month not in range(4, 10) or (self.last_day - g.day).days < 7):
                continue
            same = [h for h in series if h.day > g.day and h.double_header == "N"]
            later = [h for s in later_series[(g.away, g.home)] if s[0].round > g.round and id(s) not in touched
                     for h in s[:1] if h.double_header == "N"]
            if not same and not later:
                continue
            host = same[0] if same and (not later or rng.random() < 0.75) else later[0]
            g.postponed_day, g.day = g.day, host.day
            g.double_header = host.double_header = "S" if rng.random() < 0.65 else "Y"
            host.game_number, g.game_number = 1, 2
            if rng.random() < 0.25:
                g.postpone_code, g.postpone_reason = "DI", "Inclement Weather"
            for s in later_series[(g.away, g.home)]:
                if g in s or host in s:
                    touched.add(id(s))
            done += 1

    def _times(self, rng: random.Random) -> None:
        night = {t.id: rng.choice(_NIGHT) for t in TEAMS}
        opened: set[int] = set()
        for series in self.series:
            for g in series:
                team = TEAMS_BY_ID[g.home]
                if g.postponed_day is not None:
                    g.postponed_start = self._utc(team.utc_offset, g.postponed_day, self._slot(rng, g, night, g.postponed_day))
                if g.double_header != "N":
                    continue  # set with its partner below
                hm = self._slot(rng, g, night, g.day)
                if g.home not in opened:  # first home game: the opener, always in daylight
                    opened.add(g.home)
                    g.description = f"{team.team_name} home opener"
                    hm = rng.choice(_DAY[:7])
                g.start = self._utc(team.utc_offset, g.day, hm)
                g.day_night = "day" if hm[0] < 17 else "night"
                g.inning_break = 145 if rng.random() < 0.1 else 120
        pairs: dict[tuple[int, dt.date], list[Game]] = defaultdict(list)
        for g in self.games:
            if g.double_header != "N":
                pairs[(g.home, g.day)].append(g)
        for (home, day), games in sorted(pairs.items()):
            games.sort(key=lambda g: g.game_number)
            offset = TEAMS_BY_ID[home].utc_offset
            first = (13, 5) if games[0].double_header == "S" or rng.random() < 0.5 else (16, 5)
            gap = dt.timedelta(hours=5, minutes=40) if games[0].double_header == "S" else dt.timedelta(hours=3, minutes=20)
            games[0].start = self._utc(offset, day, first)
            games[1].start = games[0].start + gap
            for g in games:
                local_hour = (g.start.hour + offset) % 24
                g.day_night = "day" if local_hour < 17 else "night"

    @staticmethod
    def _slot(rng: random.Random, g: Game, night: dict[int, tuple[int, int]], day: dt.date) -> tuple[int, int]:
        weekday = day.weekday()
        getaway = g.series_game_number == g.games_in_series and weekday < 4
        if weekday == 6 or (getaway and rng.random() < 0.45) or (weekday == 5 and rng.random() < 0.4):
            return rng.choice(_DAY)
        return night[g.home]

    @staticmethod
    def _utc(offset: int, day: dt.date, hm: tuple[int, int]) -> dt.datetime:
        local = dt.datetime(day.year, day.month, day.day, hm[0], hm[1], tzinfo=UTC)
        return local - dt.timedelta(hours=offset)

    def _outcomes(self) -> None:
        srng = seeded_rng(self.seed, self.season, "strength")
        rating = {t.id: srng.uniform(-1.0, 1.0) for t in TEAMS}
        for g in self.games:
            g.away_line, g.home_line = line_score(seeded_rng(self.seed, self.season, g.pk, "line"), rating[g.away], rating[g.home])

    def _records(self) -> None:
        wins: dict[int, int] = defaultdict(int)
        losses: dict[int, int] = defaultdict(int)
        played: dict[int, int] = defaultdict(int)
        for g in sorted(self.games, key=lambda g: (g.start, g.game_number, g.pk)):
            g.away_index, g.home_index = played[g.away], played[g.home]
            played[g.away] += 1
            played[g.home] += 1
            loser = g.home if g.winner == g.away else g.away
            wins[g.winner] += 1
            losses[loser] += 1
            g.away_record = (wins[g.away], losses[g.away])
            g.home_record = (wins[g.home], losses[g.home])

    def entries(self, day: dt.date) -> list[tuple[Game, bool]]:
        """Schedule entries on a date: (game, True) is the postponed original-date entry."""
        return [(g, postponed) for _, _, g, postponed in self._by_day.get(day, [])]

    def game(self, pk: int) -> Game | None:
        return self.by_pk.get(pk)


_RUNS = (1, 2, 3, 4, 5, 6, 7)
_RUN_WEIGHTS = (0.50, 0.25, 0.125, 0.065, 0.035, 0.015, 0.01)


def _half(rng: random.Random, bat: float, pitch: float, extra: bool) -> int:
    # P(scoreless half) ~0.745 (about 4.5 runs per team per game); extras start with a
    # runner on second, so they are far likelier to produce a run.
    p0 = (0.42 if extra else 0.745) - 0.035 * bat + 0.035 * pitch
    if rng.random() < p0:
        return 0
    return rng.choices(_RUNS, _RUN_WEIGHTS)[0]


def line_score(rng: random.Random, away: float, home: float) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Runs per half-inning under real rules: no bottom of the 9th when the home team leads,
    extra innings while tied, and a walk-off ends the game as soon as the winning run scores."""
    a_line: list[int] = []
    h_line: list[int] = []
    inning = 0
    while True:
        inning += 1
        extra = inning > 9
        a_line.append(_half(rng, away, home, extra))
        a_total, h_total = sum(a_line), sum(h_line)
        if inning >= 9 and h_total > a_total:
            break  # home team leads after the top half: the bottom is not played
        runs = _half(rng, home, away, extra)
        if inning >= 9 and h_total + runs > a_total:
            h_line.append(a_total - h_total + 1)  # walk-off: the game ends with the winning run
            break
        h_line.append(runs)
        if inning >= 9 and h_total + runs < a_total:
            break
    return tuple(a_line), tuple(h_line)
