"""`/api/v1/game/{gamePk}/boxscore` for a final game, simulated on demand from the season."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from . import stats as S
from .gamesim import GameSim, Side, ordinal, simulate
from .people import Player, Umpire
from .season import Game, Season, seeded_rng
from .teams import TEAMS_BY_ID, copyright_text, team_json

_POSITIONS = {
    "P": ("1", "Pitcher", "Pitcher"), "C": ("2", "Catcher", "Catcher"), "1B": ("3", "First Base", "Infielder"),
    "2B": ("4", "Second Base", "Infielder"), "3B": ("5", "Third Base", "Infielder"),
    "SS": ("6", "Shortstop", "Infielder"), "LF": ("7", "Outfielder", "Outfielder"),
    "CF": ("8", "Outfielder", "Outfielder"), "RF": ("9", "Outfielder", "Outfielder"),
    "DH": ("10", "Designated Hitter", "Hitter"), "PH": ("11", "Pinch Hitter", "Hitter"),
}
_CAN_PLAY = {"C": ("C",), "1B": ("1B", "2B"), "2B": ("2B", "1B"), "3B": ("2B", "1B"), "SS": ("2B",),
             "LF": ("LF",), "CF": ("LF",), "RF": ("LF",), "DH": ("1B", "LF", "2B")}
_UMPIRE_SEATS = ("Home Plate", "First Base", "Second Base", "Third Base")
_WEATHER = ("Sunny", "Partly Cloudy", "Cloudy", "Clear", "Overcast", "Drizzle")
_WIND = ("Out To CF", "In From CF", "L To R", "R To L", "Out To LF", "Out To RF", "In From LF", "Varies", "Calm")


def position(abbr: str) -> dict[str, str]:
    code, name, kind = _POSITIONS[abbr]
    return {"code": code, "name": name, "type": kind, "abbreviation": abbr}


def _record(wins: int, losses: int) -> dict[str, Any]:
    pct = S.rate3(wins, wins + losses)
    return {
        "gamesPlayed": wins + losses, "wildCardGamesBack": "-", "leagueGamesBack": "-",
        "springLeagueGamesBack": "-", "sportGamesBack": "-", "divisionGamesBack": "-", "conferenceGamesBack": "-",
        "leagueRecord": {"wins": wins, "losses": losses, "ties": 0, "pct": pct}, "records": {},
        "divisionLeader": False, "wins": wins, "losses": losses, "winningPercentage": pct,
    }


def _join(items: list[str]) -> str:
    return "; ".join(items) + "."


class BoxscoreFactory:
    """Everything a box score needs that is fixed for the season: rosters, umpires, schedule."""

    def __init__(self, seed: int, season: Season, rosters: dict[int, list[Player]], umpires: list[Umpire]) -> None:
        self.seed, self.season, self.rosters, self.umpires = seed, season, rosters, umpires
        self.players = {p.id: p for roster in rosters.values() for p in roster}
        self.orders: dict[int, list[Player]] = {}
        for team_id, roster in rosters.items():
            regulars = roster[13:22]
            # A fixed everyday batting order per club: the best bats near the top.
            self.orders[team_id] = sorted(regulars, key=lambda p: -(p.talent["avg"] + 0.02 * p.talent["power"]))

    # ------------------------------------------------------------------ simulation
    def _side(self, rng: random.Random, team_id: int, index: int) -> Side:
        roster = self.rosters[team_id]
        order = self.orders[team_id][:]
        if rng.random() < 0.3:
            i = rng.randrange(8)
            order[i], order[i + 1] = order[i + 1], order[i]
        bench = [p for p in roster[22:]]
        lineup: list[tuple[int, str]] = []
        subs: list[tuple[int, str]] = []
        for p in order:
            rest = 0.2 if p.position == "C" else 1 - p.talent["share"]
            sub = next((b for b in bench if b.position in _CAN_PLAY[p.position]), None)
            if sub is not None and rng.random() < rest:
                bench.remove(sub)
                subs.append((sub.id, p.position))
                bench.append(p)
            else:
                lineup.append((p.id, p.position))
        lineup += subs  # a day's replacement bats at the bottom of the order
        pitchers = roster[:13]
        relievers = [p.id for p in pitchers[5:]]
        rng.shuffle(relievers)
        closer = next(p.id for p in pitchers if p.role == "CL")
        setup = next(p.id for p in pitchers if p.role == "SU")
        starter = pitchers[index % 5].id
        return Side(team_id, lineup, starter, relievers, [b.id for b in bench], closer, setup)

    def build(self, game: Game) -> dict[str, Any]:
        return self.render(game, *self.play(game))

    def play(self, game: Game) -> tuple[GameSim, random.Random]:
        """The game simulated, and its random stream where the simulation left it."""
        rng = seeded_rng(self.seed, self.season.season, game.pk, "box")
        away = self._side(rng, game.away, game.away_index)
        home = self._side(rng, game.home, game.home_index)
        return simulate(rng, game.away_line, game.home_line, away, home, self.players), rng

    def render(self, game: Game, sim: GameSim, rng: random.Random) -> dict[str, Any]:
        """The box score of a simulated game (the rest of `rng` draws its weather, crowd, length)."""
        return _View(self, game, sim, rng).render()


class _View:
    """Renders one simulated game as the API's JSON."""

    def __init__(self, factory: BoxscoreFactory, game: Game, sim: GameSim, rng: random.Random) -> None:
        self.f, self.game, self.sim, self.rng = factory, game, sim, rng
        self.players = factory.players
        self.season_bat: dict[int, Counter] = {}
        self.season_pit: dict[int, Counter] = {}
        self.season_fld: dict[int, Counter] = {}
        self.entries: dict[int, dict[str, Any]] = {}

    def name(self, pid: int) -> str:
        return self.players[pid].boxscore_name

    def render(self) -> dict[str, Any]:
        g, sim = self.game, self.sim
        teams = {
            "away": self._team(sim.away, g.away_index, g.away_record),
            "home": self._team(sim.home, g.home_index, g.home_record),
        }
        return {
            "copyright": copyright_text(self.f.season.season),
            "teams": teams,
            "officials": self._officials(),
            "info": self._game_info(),
            "pitchingNotes": list(sim.pitching_notes),
            "topPerformers": self._top_performers(),
        }

    # ------------------------------------------------------------------ players
    def _team(self, side: Side, index: int, record: tuple[int, int]) -> dict[str, Any]:
        roster = self.f.rosters[side.team_id]
        order_of: dict[int, str] = {}
        for i, slot in enumerate(side.slots):
            for j, pid in enumerate(slot):
                order_of[pid] = f"{i + 1}{j:02d}"
        players = {}
        for k, p in enumerate(roster):
            players[f"ID{p.id}"] = self._player(side, p, index, k if k < 5 else None, order_of.get(p.id))
        batters = sorted(order_of, key=lambda pid: int(order_of[pid])) + list(side.pitchers)
        played = set(side.all_pos)
        return {
            "team": team_json(TEAMS_BY_ID[side.team_id], self.f.season.season, _record(*record)),
            "teamStats": self._team_stats(side, roster),
            "players": players,
            "batters": batters,
            "pitchers": list(side.pitchers),
            "bench": [p.id for p in roster if not p.is_pitcher and p.id not in played],
            "bullpen": [p.id for p in roster if p.is_pitcher and p.id not in played],
            "battingOrder": [slot[-1] for slot in side.slots],
            "info": self._team_info(side),
            "note": [{"label": chr(97 + i), "value": text} for i, (_, text) in enumerate(side.notes)],
        }

    def _player(self, side: Side, p: Player, index: int, rotation_slot: int | None,
                batting_order: str | None) -> dict[str, Any]:
        pid = p.id
        in_game = pid in side.all_pos
        bat, pit = side.bat.get(pid), side.pit.get(pid)
        started = in_game and side.fld.get(pid, {}).get("gamesStarted", 0) == 1

        season_bat = S.batting_baseline(p, index)
        season_pit = S.pitching_baseline(p, index, rotation_slot)
        game_bat: dict[str, Any] = {}
        game_pit: dict[str, Any] = {}
        if bat is not None:
            c = S.add_counts(Counter(gamesPlayed=1), bat)
            S.add_counts(season_bat, c)
            game_bat = S.build(S.GAME_BATTING, c, S.batting_rates(c))
            game_bat = {"summary": S.batting_summary(c), **game_bat}
            note = next((chr(97 + i) for i, (ph, _) in enumerate(side.notes) if ph == pid), None)
            if note:
                game_bat = {"note": f"{note}-", **game_bat}
        if pit is not None:
            c = S.add_counts(Counter(gamesPlayed=1, gamesPitched=1, pitchesThrown=pit["numberOfPitches"]), pit)
            c["gamesStarted"] = pit["gamesStarted"]
            S.add_counts(season_pit, c)
            game_pit = S.build(S.GAME_PITCHING, c, S.pitching_rates(c))
            lead = {"summary": S.pitching_summary(c)}
            note = self._decision_note(c, season_pit)
            game_pit = ({"note": note} if note else {}) | lead | game_pit
        games = season_pit["gamesPitched"] if p.is_pitcher else season_bat["gamesPlayed"]
        season_fld = S.fielding_baseline(p, games)
        if in_game:
            S.add_counts(season_fld, side.fld.get(pid, {}))
        # Quirk of the real API: seasonStats.fielding.gamesStarted is 1 when the player started
        # this game and absent otherwise.
        season_fld["gamesStarted"] = 1
        fld_keys = S.FIELDING if started else S.FIELDING[1:]
        self.season_bat[pid], self.season_pit[pid], self.season_fld[pid] = season_bat, season_pit, season_fld

        pos = side.pos.get(pid, p.position) if in_game else p.position
        entry: dict[str, Any] = {
            "person": {"id": pid, "fullName": p.full_name, "link": f"/api/v1/people/{pid}",
                       "boxscoreName": p.boxscore_name},
            "jerseyNumber": p.jersey,
            "position": position(pos),
            "status": {"code": "A", "description": "Active"},
            "parentTeamId": side.team_id,
        }
        if batting_order is not None:
            entry["battingOrder"] = batting_order
        entry["stats"] = {
            "batting": game_bat,
            "pitching": game_pit,
            "fielding": S.fielding_game(side.fld.get(pid, {}), started) if in_game else {},
        }
        entry["seasonStats"] = {
            "batting": S.season_dict(S.SEASON_BATTING, season_bat, "batting"),
            "pitching": S.season_dict(S.SEASON_PITCHING, season_pit, "pitching"),
            "fielding": S.season_dict(fld_keys, season_fld, "fielding"),
        }
        entry["gameStatus"] = {
            "isCurrentBatter": pid == self.sim.last_batter,
            "isCurrentPitcher": pid == self.sim.last_pitcher,
            "isOnBench": not in_game,
            "isSubstitute": in_game and bool(batting_order) and batting_order[1:] != "00",
        }
        if in_game:
            entry["allPositions"] = [position(a) for a in side.all_pos[pid]]
        self.entries[pid] = entry
        return entry

    @staticmethod
    def _decision_note(game: Counter, season: Counter) -> str | None:
        parts = []
        if game["blownSaves"]:
            parts.append(f"(BS, {season['blownSaves']})")
        if game["wins"]:
            parts.append(f"(W, {season['wins']}-{season['losses']})")
        if game["losses"]:
            parts.append(f"(L, {season['wins']}-{season['losses']})")
        if game["saves"]:
            parts.append(f"(S, {season['saves']})")
        if game["holds"]:
            parts.append(f"(H, {season['holds']})")
        return "".join(parts) or None

    # ------------------------------------------------------------------ team totals
    def _team_stats(self, side: Side, roster: list[Player]) -> dict[str, Any]:
        bat: Counter = Counter()
        for c in side.bat.values():
            S.add_counts(bat, c)
        pit: Counter = Counter()
        for c in side.pit.values():
            S.add_counts(pit, c)
        pit["pitchesThrown"] = pit["numberOfPitches"]
        fld: Counter = Counter()
        for c in side.fld.values():
            S.add_counts(fld, c)
        fld.pop("gamesStarted", None)  # a team has no fielding gamesStarted
        fld["chances"] = fld["putOuts"] + fld["assists"] + fld["errors"]
        # As in the real feed: avg/obp/slg/ops and era/whip are season figures, the rest this game.
        season_bat = S.summed([self.season_bat[p.id] for p in roster], S.SEASON_AVG_OBP_SLG_COUNTS)
        season_pit = S.summed([self.season_pit[p.id] for p in roster], S.SEASON_ERA_WHIP_COUNTS)
        bat_rates = S.batting_rates(bat)
        season_rates = S.batting_rates(season_bat)
        bat_rates.update({k: season_rates[k] for k in ("avg", "obp", "slg", "ops")})
        pit_rates = S.pitching_rates(pit)
        season_pit_rates = S.pitching_rates(season_pit)
        pit_rates.update({k: season_pit_rates[k] for k in ("era", "whip")})
        return {
            "batting": S.build(S.TEAM_BATTING, bat, bat_rates),
            "pitching": S.build(S.TEAM_PITCHING, pit, pit_rates),
            "fielding": S.build(S.TEAM_FIELDING, fld, S.fielding_rates(fld)),
        }

    # ------------------------------------------------------------------ notes and info
    def _team_info(self, side: Side) -> list[dict[str, Any]]:
        top = side is self.sim.away
        log = [pa for pa in self.sim.log if pa.top == top]
        name = self.name
        batting: list[dict[str, str]] = []

        def hit_list(event: str, stat: str) -> None:
            by: dict[int, list[str]] = {}
            for pa in log:
                if pa.event == event or (event == "2B" and pa.event == "2B_L"):
                    by.setdefault(pa.batter, []).append(name(pa.pitcher))
            if by:
                label = {"2B": "2B", "3B": "3B"}[event]
                items = [f"{name(b)}{' ' + str(len(ps)) if len(ps) > 1 else ''} "
                         f"({self.season_bat[b][stat]}, {', '.join(ps)})" for b, ps in by.items()]
                batting.append({"label": label, "value": _join(items)})

        hit_list("2B", "doubles")
        hit_list("3B", "triples")
        homers: dict[int, list[str]] = {}
        seen: Counter = Counter()
        for pa in log:
            if pa.event == "HR":
                seen[pa.batter] += 1
                homers.setdefault(pa.batter, []).append(
                    f"{ordinal(pa.inning)} inning off {name(pa.pitcher)}, {pa.on_base} on, {pa.outs_before} out")
        if homers:
            items = []
            for b, descs in homers.items():
                total = self.season_bat[b]["homeRuns"]
                first = total - len(descs) + 1
                inner = "; ".join(f"{first + i}, {d}" for i, d in enumerate(descs))
                items.append(f"{name(b)}{' ' + str(len(descs)) if len(descs) > 1 else ''} ({inner})")
            batting.append({"label": "HR", "value": _join(items)})
        tb = sorted((name(pid), c["totalBases"]) for pid, c in side.bat.items() if c["totalBases"])
        if tb:
            batting.append({"label": "TB", "value": _join([n if v == 1 else f"{n} {v}" for n, v in tb])})
        rbi = sorted((name(pid), c["rbi"], self.season_bat[pid]["rbi"]) for pid, c in side.bat.items() if c["rbi"])
        if rbi:
            batting.append({"label": "RBI", "value": _join(
                [f"{n}{' ' + str(v) if v > 1 else ''} ({s})" for n, v, s in rbi])})
        self._counted(batting, "2-out RBI", [(pa.batter, pa.rbi) for pa in log if pa.rbi and pa.outs_before == 2])
        self._counted(batting, "Runners left in scoring position, 2 out",
                      [(pa.batter, pa.risp_runners) for pa in log if pa.third_out and pa.risp_runners and pa.outs_before == 2])
        for label, event in (("SF", "SF"), ("S", "SAC"), ("GIDP", "GIDP")):
            self._counted(batting, label, [(pa.batter, 1) for pa in log if pa.event == event])
        risp = [pa for pa in log if pa.risp and pa.event not in ("BB", "HBP", "SF", "SAC")]
        hits = sum(pa.event in ("1B", "1B_S", "E1B", "2B", "2B_L", "3B", "HR") for pa in risp)
        batting.append({"label": "Team RISP", "value": f"{hits}-for-{len(risp)}."})
        batting.append({"label": "Team LOB", "value": f"{side.lob}."})
        sections = [{"title": "BATTING", "fieldList": batting}]

        running = []
        fielding_side = self.sim.home if top else self.sim.away
        for label, ok, word, stat in (("SB", True, "off", "stolenBases"), ("CS", False, "by", "caughtStealing")):
            items = [f"{name(r)} ({self.season_bat[r][stat]}, 2nd base {word} {name(p)}/{name(c)})"
                     for r, p, c, success in fielding_side.steals if success is ok]
            if items:
                running.append({"label": label, "value": _join(items)})
        if running:
            sections.append({"title": "BASERUNNING", "fieldList": running})
        fielding = []
        if side.errors:
            fielding.append({"label": "E", "value": _join(
                [f"{name(e)} ({self.season_fld[e]['errors']}, fielding)" for e in dict.fromkeys(side.errors)])})
        if side.double_plays:
            chains = ", ".join("-".join(name(x) for x in dp) for dp in side.double_plays)
            count = len(side.double_plays)
            fielding.append({"label": "DP", "value": f"{str(count) + ' ' if count > 1 else ''}({chains})."})
        if fielding:
            sections.append({"title": "FIELDING", "fieldList": fielding})
        return sections

    def _counted(self, out: list[dict[str, str]], label: str, items: list[tuple[int, int]]) -> None:
        totals: dict[int, int] = {}
        for pid, n in items:
            totals[pid] = totals.get(pid, 0) + n
        if totals:
            out.append({"label": label, "value": _join(
                [self.name(p) if n == 1 else f"{self.name(p)} {n}" for p, n in totals.items()])})

    def _officials(self) -> list[dict[str, Any]]:
        g = self.game
        crew_rng = seeded_rng(self.f.seed, self.f.season.season, "crew", g.round, g.home)  # one crew per series
        crew = crew_rng.sample(self.f.umpires, 4)
        shift = (g.series_game_number - 1) % 4  # umpires rotate a base each game
        crew = crew[-shift:] + crew[:-shift] if shift else crew
        return [{"official": {"id": u.id, "fullName": u.full_name, "link": f"/api/v1/people/{u.id}"},
                 "officialType": seat} for u, seat in zip(crew, _UMPIRE_SEATS)]

    def _game_info(self) -> list[dict[str, Any]]:
        g, sim, rng, name = self.game, self.sim, self.rng, self.name
        team = TEAMS_BY_ID[g.home]
        pitchers = [(p, side.pit[p]) for side in (sim.away, sim.home) for p in side.pitchers]
        info: list[dict[str, Any]] = []
        hbp = [f"{name(pa.batter)} (by {name(pa.pitcher)})" for pa in sim.log if pa.event == "HBP"]
        if hbp:
            info.append({"label": "HBP", "value": _join(hbp)})
        info.append({"label": "Pitches-strikes", "value": _join(
            [f"{name(p)} {c['numberOfPitches']}-{c['strikes']}" for p, c in pitchers])})
        info.append({"label": "Groundouts-flyouts", "value": _join(
            [f"{name(p)} {c['groundOuts']}-{c['flyOuts']}" for p, c in pitchers])})
        info.append({"label": "Batters faced", "value": _join([f"{name(p)} {c['battersFaced']}" for p, c in pitchers])})
        inherited = [f"{name(p)} {c['inheritedRunners']}-{c['inheritedRunnersScored']}"
                     for p, c in pitchers if c["inheritedRunners"]]
        if inherited:
            info.append({"label": "Inherited runners-scored", "value": _join(inherited)})
        seats = ("HP", "1B", "2B", "3B")
        umps = " ".join(f"{s}: {o['official']['fullName']}." for s, o in zip(seats, self._officials()))
        info.append({"label": "Umpires", "value": umps + " "})
        if team.roof and rng.random() < 0.7:
            info.append({"label": "Weather", "value": f"{rng.randint(68, 74)} degrees, Roof Closed."})
            info.append({"label": "Wind", "value": "0 mph, None."})
        else:
            temp = 50 + 6 * min(g.day.month - 3, 10 - g.day.month) + rng.randint(0, 14)
            info.append({"label": "Weather", "value": f"{temp} degrees, {rng.choice(_WEATHER)}."})
            info.append({"label": "Wind", "value": f"{rng.randint(0, 18)} mph, {rng.choice(_WIND)}."})
        assert g.start is not None
        first = g.start + dt.timedelta(hours=team.utc_offset, minutes=rng.randint(3, 12))
        info.append({"label": "First pitch", "value": f"{first.hour % 12 or 12}:{first.minute:02d} "
                                                      f"{'AM' if first.hour < 12 else 'PM'}."})
        total = sum(c["numberOfPitches"] for _, c in pitchers)
        minutes = int(total * 0.42) + 25 + rng.randint(-8, 8)
        info.append({"label": "T", "value": f"{minutes // 60}:{minutes % 60:02d}."})
        info.append({"label": "Att", "value": f"{rng.randint(11000, 45000):,}."})
        info.append({"label": "Venue", "value": f"{team.venue_name}."})
        info.append({"label": f"{g.day:%B} {g.day.day}, {g.day.year}"})
        return info

    def _top_performers(self) -> list[dict[str, Any]]:
        sim = self.sim
        scored: list[tuple[int, int, dict[str, Any]]] = []
        for side in (sim.away, sim.home):
            c = side.pit[side.starter]
            outs = c["outs"]
            score = (50 + outs + 2 * max(0, outs // 3 - 4) + c["strikeOuts"] - 2 * c["hits"] - 4 * c["earnedRuns"]
                     - 2 * (c["runs"] - c["earnedRuns"]) - c["baseOnBalls"])
            scored.append((score, side.starter, {"type": "starter", "gameScore": score, "pitchingGameScore": score}))
            for pid, b in side.bat.items():
                score = (30 + 4 * b["totalBases"] + 3 * b["runs"] + 3 * b["rbi"] + 2 * b["baseOnBalls"]
                         + 3 * b["stolenBases"] - 2 * b["strikeOuts"] - (b["atBats"] - b["hits"]))
                scored.append((score, pid, {"type": "hitter", "gameScore": score, "hittingGameScore": score}))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [{"player": self.entries[pid], **extra} for _, pid, extra in scored[:3]]
