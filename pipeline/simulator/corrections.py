"""Stat corrections: a fraction of final box scores change a stat a few days after the game.

Two kinds, as scorers really revise them: a single becomes a reached-on-error (the batter
loses a hit and a total base, the pitcher a hit allowed, a fielder gains an error), and an
earned run becomes unearned. Team totals change with the players' lines, and runs never
change, so the box score stays consistent with itself and with the schedule's score.
Which games, which kind and the delay are drawn from (seed, season, gamePk): deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from . import stats as S
from .season import Game, seeded_rng

KINDS = ("hit_to_error", "earned_to_unearned")
MAX_DELAY_DAYS = 3


@dataclass(frozen=True)
class PlannedCorrection:
    game_pk: int
    kind: str
    appears_on: dt.date


def planned(seed: int, season: int, game: Game, rate: float) -> PlannedCorrection | None:
    """Whether `game` gets a correction, of which kind and from which date."""
    if rate <= 0:
        return None
    rng = seeded_rng(seed, season, game.pk, "correction")
    if rng.random() >= rate:
        return None
    kind = rng.choice(KINDS)
    return PlannedCorrection(game.pk, kind, game.day + dt.timedelta(days=rng.randint(1, MAX_DELAY_DAYS)))


def _change(out: list[dict[str, Any]], correction: PlannedCorrection, player: dict[str, Any],
            group: str, field: str, delta: int) -> None:
    line = player["stats"][group]
    old = line[field]
    line[field] = old + delta
    out.append({"game_pk": correction.game_pk, "player_id": player["person"].get("id"), "field": f"{group}.{field}",
                "old": old, "new": old + delta, "appeared_on": correction.appears_on.isoformat()})


def _team_total(team: dict[str, Any], group: str, field: str, delta: int) -> None:
    team["teamStats"][group][field] += delta


def _batting_summary(line: dict[str, Any]) -> None:
    if "summary" in line:
        head, _, rest = line["summary"].partition(" | ")
        line["summary"] = f"{line['hits']}-{line['atBats']}" + (f" | {rest}" if rest else "")


def _team_batting_rates(team: dict[str, Any]) -> None:
    from collections import Counter

    batting = team["teamStats"]["batting"]
    rates = S.batting_rates(Counter({k: v for k, v in batting.items() if isinstance(v, int)}))
    for key in ("avg", "obp", "slg", "ops"):
        if key in batting:
            batting[key] = rates[key]


def _players(team: dict[str, Any], group: str) -> list[dict[str, Any]]:
    return [team["players"][key] for key in sorted(team["players"]) if team["players"][key]["stats"].get(group)]


def _hit_to_error(box: dict[str, Any], correction: PlannedCorrection, rng: random.Random) -> list[dict[str, Any]]:
    sides = ["away", "home"]
    rng.shuffle(sides)
    for side in sides:
        batting_team, fielding_team = box["teams"][side], box["teams"]["home" if side == "away" else "away"]
        # a batter who hit a single and a pitcher who allowed one: hits beyond extra-base hits
        batters = [p for p in _players(batting_team, "batting") if _singles(p["stats"]["batting"]) > 0]
        pitchers = [p for p in _players(fielding_team, "pitching") if _singles(p["stats"]["pitching"]) > 0]
        fielders = [p for p in _players(fielding_team, "fielding") if p["position"]["abbreviation"] not in ("DH", "PH")]
        if not (batters and pitchers and fielders):
            continue
        out: list[dict[str, Any]] = []
        batter, pitcher, fielder = rng.choice(batters), rng.choice(pitchers), rng.choice(fielders)
        _change(out, correction, batter, "batting", "hits", -1)
        _change(out, correction, batter, "batting", "totalBases", -1)
        _batting_summary(batter["stats"]["batting"])
        _change(out, correction, pitcher, "pitching", "hits", -1)
        _change(out, correction, fielder, "fielding", "errors", 1)
        fielding = fielder["stats"]["fielding"]
        if "chances" in fielding:
            fielding["chances"] += 1
        _team_total(batting_team, "batting", "hits", -1)
        _team_total(batting_team, "batting", "totalBases", -1)
        _team_batting_rates(batting_team)
        _team_total(fielding_team, "pitching", "hits", -1)
        if "errors" in fielding_team["teamStats"].get("fielding", {}):
            _team_total(fielding_team, "fielding", "errors", 1)
        return out
    return []


def _earned_to_unearned(box: dict[str, Any], correction: PlannedCorrection,
                        rng: random.Random) -> list[dict[str, Any]]:
    pitchers = [(side, p) for side in ("away", "home") for p in _players(box["teams"][side], "pitching")
                if p["stats"]["pitching"]["earnedRuns"] > 0]
    if not pitchers:
        return []
    side, pitcher = rng.choice(pitchers)
    out: list[dict[str, Any]] = []
    _change(out, correction, pitcher, "pitching", "earnedRuns", -1)
    _team_total(box["teams"][side], "pitching", "earnedRuns", -1)
    line = pitcher["stats"]["pitching"]
    if "summary" in line:
        ip, _, rest = line["summary"].partition(", ")
        rest_parts = rest.split(", ")
        er = line["earnedRuns"]
        rest_parts[0] = "ER" if er == 1 else f"{er} ER"
        line["summary"] = ", ".join([ip, *rest_parts])
    return out


def apply(box: dict[str, Any], seed: int, season: int, correction: PlannedCorrection) -> list[dict[str, Any]]:
    """Change `box` in place; returns one dict per player value changed (none if the game
    offers nothing to correct, e.g. no single and no earned run)."""
    rng = seeded_rng(seed, season, correction.game_pk, "correction-detail")
    first, second = (_hit_to_error, _earned_to_unearned)
    if correction.kind == "earned_to_unearned":
        first, second = second, first
    return first(box, correction, rng) or second(box, correction, rng)


def _singles(line: dict[str, Any]) -> int:
    return line["hits"] - line.get("doubles", 0) - line.get("triples", 0) - line.get("homeRuns", 0)
