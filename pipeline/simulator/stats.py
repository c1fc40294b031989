"""Stat dictionaries in the API's key order, with its string formats for rate stats."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .people import Player

# fmt: off
GAME_BATTING = ("gamesPlayed", "flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples", "homeRuns",
    "strikeOuts", "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "atBats", "caughtStealing",
    "stolenBases", "stolenBasePercentage", "groundIntoDoublePlay", "groundIntoTriplePlay", "plateAppearances",
    "totalBases", "rbi", "leftOnBase", "sacBunts", "sacFlies", "catchersInterference", "pickoffs",
    "atBatsPerHomeRun", "popOuts", "lineOuts")
SEASON_BATTING = ("gamesPlayed", "flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples", "homeRuns",
    "strikeOuts", "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "avg", "atBats", "obp", "slg", "ops",
    "caughtStealing", "stolenBases", "stolenBasePercentage", "caughtStealingPercentage", "groundIntoDoublePlay",
    "groundIntoTriplePlay", "plateAppearances", "totalBases", "rbi", "leftOnBase", "sacBunts", "sacFlies", "babip",
    "groundOutsToAirouts", "catchersInterference", "pickoffs", "atBatsPerHomeRun", "popOuts", "lineOuts")
TEAM_BATTING = ("flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples", "homeRuns", "strikeOuts",
    "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "avg", "atBats", "obp", "slg", "ops", "caughtStealing",
    "stolenBases", "stolenBasePercentage", "groundIntoDoublePlay", "groundIntoTriplePlay", "plateAppearances",
    "totalBases", "rbi", "leftOnBase", "sacBunts", "sacFlies", "catchersInterference", "pickoffs",
    "atBatsPerHomeRun", "popOuts", "lineOuts")
GAME_PITCHING = ("gamesPlayed", "gamesStarted", "flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples",
    "homeRuns", "strikeOuts", "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "atBats", "caughtStealing",
    "stolenBases", "stolenBasePercentage", "numberOfPitches", "inningsPitched", "wins", "losses", "saves",
    "saveOpportunities", "holds", "blownSaves", "earnedRuns", "battersFaced", "outs", "gamesPitched",
    "completeGames", "shutouts", "pitchesThrown", "balls", "strikes", "strikePercentage", "hitBatsmen", "balks",
    "wildPitches", "pickoffs", "rbi", "gamesFinished", "runsScoredPer9", "homeRunsPer9", "inheritedRunners",
    "inheritedRunnersScored", "catchersInterference", "sacBunts", "sacFlies", "passedBall", "popOuts", "lineOuts")
SEASON_PITCHING = ("gamesPlayed", "gamesStarted", "flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples",
    "homeRuns", "strikeOuts", "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "atBats", "obp",
    "caughtStealing", "stolenBases", "stolenBasePercentage", "caughtStealingPercentage", "numberOfPitches", "era",
    "inningsPitched", "wins", "losses", "saves", "saveOpportunities", "holds", "blownSaves", "earnedRuns", "whip",
    "battersFaced", "outs", "gamesPitched", "completeGames", "shutouts", "balls", "strikes", "strikePercentage",
    "hitBatsmen", "balks", "wildPitches", "pickoffs", "groundOutsToAirouts", "rbi", "winPercentage",
    "pitchesPerInning", "gamesFinished", "strikeoutWalkRatio", "strikeoutsPer9Inn", "walksPer9Inn", "hitsPer9Inn",
    "runsScoredPer9", "homeRunsPer9", "inheritedRunners", "inheritedRunnersScored", "catchersInterference",
    "sacBunts", "sacFlies", "passedBall", "popOuts", "lineOuts")
# A player who has pitched this season also gets pitchesThrown (absent for position players).
SEASON_PITCHING_ACTIVE = SEASON_PITCHING[:36] + ("pitchesThrown",) + SEASON_PITCHING[36:]
TEAM_PITCHING = ("flyOuts", "groundOuts", "airOuts", "runs", "doubles", "triples", "homeRuns", "strikeOuts",
    "baseOnBalls", "intentionalWalks", "hits", "hitByPitch", "atBats", "obp", "caughtStealing", "stolenBases",
    "stolenBasePercentage", "caughtStealingPercentage", "numberOfPitches", "era", "inningsPitched",
    "saveOpportunities", "earnedRuns", "whip", "battersFaced", "outs", "completeGames", "shutouts", "pitchesThrown",
    "balls", "strikes", "strikePercentage", "hitBatsmen", "balks", "wildPitches", "pickoffs", "groundOutsToAirouts",
    "rbi", "pitchesPerInning", "runsScoredPer9", "homeRunsPer9", "inheritedRunners", "inheritedRunnersScored",
    "catchersInterference", "sacBunts", "sacFlies", "passedBall", "popOuts", "lineOuts")
FIELDING = ("gamesStarted", "caughtStealing", "stolenBases", "stolenBasePercentage", "caughtStealingPercentage",
    "assists", "putOuts", "errors", "chances", "fielding", "passedBall", "pickoffs")
TEAM_FIELDING = ("caughtStealing", "stolenBases", "stolenBasePercentage", "caughtStealingPercentage", "assists",
    "putOuts", "errors", "chances", "passedBall", "pickoffs")
# fmt: on

# Per-game putouts/assists/errors by position, for plausible season fielding lines.
_FIELD_RATES = {
    "C": (7.5, 0.5, 0.04), "1B": (8.0, 0.6, 0.04), "2B": (1.8, 2.7, 0.06), "3B": (0.7, 1.9, 0.08),
    "SS": (1.5, 2.9, 0.09), "LF": (1.7, 0.05, 0.02), "CF": (2.3, 0.05, 0.02), "RF": (1.8, 0.06, 0.02),
    "DH": (0.0, 0.0, 0.0), "P": (0.3, 0.8, 0.02),
}


def rate3(num: float, den: float, empty: str = ".000") -> str:
    """Baseball's three-decimal rates: ".251", "1.000"; `empty` when undefined."""
    if den == 0:
        return empty
    text = f"{num / den:.3f}"
    return text[1:] if text.startswith("0") else text


def rate2(num: float, den: float, scale: float = 1.0, empty: str = "-.--") -> str:
    return empty if den == 0 else f"{num * scale / den:.2f}"


def innings(outs: int) -> str:
    return f"{outs // 3}.{outs % 3}"  # "6.2" is six innings and two outs


def counts(c: Mapping[str, int], *keys: str) -> list[int]:
    """The counts of `keys`, 0 when missing (a Counter's c[k] would call its Python-level
    __missing__ for each: a box score reads some thousand missing counts)."""
    return list(map(c.get, keys, itertools.repeat(0)))


def batting_rates(c: Mapping[str, int]) -> dict[str, str]:
    ab, h, bb, hbp, sf, tb, so, hr, sb, cs, go, ao = counts(
        c, "atBats", "hits", "baseOnBalls", "hitByPitch", "sacFlies", "totalBases", "strikeOuts", "homeRuns",
        "stolenBases", "caughtStealing", "groundOuts", "airOuts")
    obp_den = ab + bb + hbp + sf
    obp = (h + bb + hbp) / obp_den if obp_den else 0.0
    slg = tb / ab if ab else 0.0
    attempts = sb + cs
    return {
        "avg": rate3(h, ab), "obp": rate3(h + bb + hbp, obp_den), "slg": rate3(tb, ab),
        "ops": rate3(obp + slg, 1),
        "stolenBasePercentage": rate3(sb, attempts, ".---"),
        "caughtStealingPercentage": rate3(cs, attempts, ".---"),
        "babip": rate3(h - hr, ab - so - hr + sf, ".---"),
        "groundOutsToAirouts": rate2(go, ao),
        "atBatsPerHomeRun": rate2(ab, hr),
    }


def pitching_rates(c: Mapping[str, int]) -> dict[str, str]:
    outs, ab, h, bb, hbp, sf, so, hr, r, er, sb, cs, go, ao, pitches, strikes, w, l = counts(
        c, "outs", "atBats", "hits", "baseOnBalls", "hitByPitch", "sacFlies", "strikeOuts", "homeRuns", "runs",
        "earnedRuns", "stolenBases", "caughtStealing", "groundOuts", "airOuts", "numberOfPitches", "strikes",
        "wins", "losses")
    attempts = sb + cs
    return {
        "obp": rate3(h + bb + hbp, ab + bb + hbp + sf), "era": rate2(er, outs, 27), "inningsPitched": innings(outs),
        "whip": rate2(h + bb, outs, 3, "-"),
        "stolenBasePercentage": rate3(sb, attempts, ".---"),
        "caughtStealingPercentage": rate3(cs, attempts, ".---"),
        "strikePercentage": rate3(strikes, pitches, "-.--"),
        "groundOutsToAirouts": rate2(go, ao),
        "winPercentage": rate3(w, w + l, ".---"),
        "pitchesPerInning": rate2(pitches, outs, 3),
        "strikeoutWalkRatio": rate2(so, bb),
        "strikeoutsPer9Inn": rate2(so, outs, 27), "walksPer9Inn": rate2(bb, outs, 27),
        "hitsPer9Inn": rate2(h, outs, 27), "runsScoredPer9": rate2(r, outs, 27),
        "homeRunsPer9": rate2(hr, outs, 27),
    }


def fielding_rates(c: Mapping[str, int]) -> dict[str, str]:
    sb, cs, po, a, e = counts(c, "stolenBases", "caughtStealing", "putOuts", "assists", "errors")
    attempts = sb + cs
    return {
        "stolenBasePercentage": rate3(sb, attempts, ".---"),
        "caughtStealingPercentage": rate3(cs, attempts, ".---"),
        "fielding": rate3(po + a, po + a + e),
    }


def build(keys: tuple[str, ...], c: Counter, derived: dict[str, Any]) -> dict[str, Any]:
    """The stat line `keys` in that order: the `derived` value of a key when there is one
    (rates, figures this line shows differently), else its count."""
    count = c.get  # not c[k]: a Counter's missing key costs a Python-level __missing__ call
    return {k: derived[k] if k in derived else count(k, 0) for k in keys}


def add_counts(total: Counter, part: Mapping[str, int]) -> Counter:
    """`total.update(part)` without Counter.update's per-call type checks: a box score
    adds up some hundreds of small counters."""
    count = total.get
    for key, n in part.items():
        total[key] = count(key, 0) + n
    return total


# The counts behind a club's season avg/obp/slg/ops (batting_rates) and era/whip (pitching_rates).
SEASON_AVG_OBP_SLG_COUNTS = ("hits", "atBats", "baseOnBalls", "hitByPitch", "sacFlies", "totalBases")
SEASON_ERA_WHIP_COUNTS = ("earnedRuns", "outs", "hits", "baseOnBalls")


def summed(counters: list[Counter], keys: tuple[str, ...]) -> Counter:
    """The totals of `keys` (no other count) over `counters`."""
    return Counter({k: sum(c.get(k, 0) for c in counters) for k in keys})


def fielding_game(c: Mapping[str, int], started: bool) -> dict[str, Any]:
    cs, po, a, e = counts(c, "caughtStealing", "putOuts", "assists", "errors")
    derived: dict[str, Any] = fielding_rates(c)
    derived["fielding"] = ".000"  # the live API reports no per-game fielding percentage
    if cs == 0:
        derived["caughtStealingPercentage"] = ".---"
    derived["chances"] = po + a + e
    derived["gamesStarted"] = 1
    return build(FIELDING if started else FIELDING[1:], c, derived)


# ---------------------------------------------------------------- season totals before a game
def batting_baseline(p: Player, n: int) -> Counter:
    """Season batting totals over the team's first `n` games: smooth in `n`, no randomness."""
    c: Counter = Counter()
    if p.is_pitcher or n <= 0:
        return c
    t = p.talent
    g = int(n * t["share"] + 0.5)
    pa = int(g * (4.1 if p.role == "REG" else 3.2))
    bb, hbp, sf, sh = int(pa * 0.085 * t["eye"]), int(pa * 0.011), int(pa * 0.008), int(pa * 0.002)
    ab = pa - bb - hbp - sf - sh
    h = int(ab * t["avg"])
    hr = min(h, int(ab * 0.032 * t["power"]))
    d2 = min(h - hr, int(h * 0.2))
    d3 = min(h - hr - d2, int(h * 0.018 * t["speed"]))
    k = min(ab - h, int(ab * 0.22 / t["eye"] ** 0.5))
    gidp = min(ab - h - k, int(pa * 0.018))
    bip = ab - h - k
    go = int(bip * 0.44)
    air = bip - go
    fo, po = int(air * 0.55), int(air * 0.2)
    sb = int(g * 0.08 * t["speed"])
    c.update(gamesPlayed=g, plateAppearances=pa, baseOnBalls=bb, intentionalWalks=int(bb * 0.05), hitByPitch=hbp,
             sacFlies=sf, sacBunts=sh, atBats=ab, hits=h, homeRuns=hr, doubles=d2, triples=d3, strikeOuts=k,
             groundIntoDoublePlay=gidp, groundOuts=go, airOuts=air, flyOuts=fo, popOuts=po, lineOuts=air - fo - po,
             totalBases=h + d2 + 2 * d3 + 3 * hr, runs=int(pa * 0.118), rbi=int(pa * 0.105 + hr * 0.5),
             stolenBases=sb, caughtStealing=int(sb * 0.25), leftOnBase=int(pa * 0.38))
    return c


def pitching_baseline(p: Player, n: int, rotation_slot: int | None) -> Counter:
    c: Counter = Counter()
    if not p.is_pitcher or n <= 0:
        return c
    t = p.talent
    if rotation_slot is not None:  # starts so far: earlier team games with the same index mod 5
        gs = max(0, (n - rotation_slot + 4) // 5)
        gp, outs = gs, int(gs * (14 + 4 * (5.2 - t["era"]) / 2.6))
        wins, losses = int(gs * (0.52 - t["era"] / 20)), int(gs * (0.15 + t["era"] / 25))
    else:
        share = {"CL": 0.42, "SU": 0.44, "LR": 0.25}.get(p.role, 0.36)
        gs, gp = 0, int(n * share)
        outs = int(gp * (5.0 if p.role == "LR" else 3.05))
        wins, losses = int(gp * 0.06), int(gp * 0.05)
    bf = int(outs * 1.42)
    h, bb = int(outs * 0.29 * t["contact"]), int(outs * 0.11)
    k = min(outs, int(outs * 0.30 * t["k"]))
    hr = int(outs * 0.038)
    runs = int(outs * t["era"] / 27 * 1.08)
    hbp, sf, sh = int(bf * 0.01), int(bf * 0.008), int(bf * 0.002)
    pitches = int(bf * 3.9)
    strikes = int(pitches * 0.645)
    go = int((outs - k) * 0.45)
    air = outs - k - go
    fo, po = int(air * 0.55), int(air * 0.2)
    sb = int(gp * (0.25 if gs else 0.05))
    saves = int(gp * 0.55) if p.role == "CL" else 0
    blown = int(gp * 0.08) if p.role in ("CL", "SU") else int(gp * 0.02)
    inherited = 0 if gs else int(gp * 0.3)
    c.update(gamesPlayed=gp, gamesPitched=gp, gamesStarted=gs, outs=outs, battersFaced=bf, hits=h, baseOnBalls=bb,
             intentionalWalks=int(bb * 0.04), strikeOuts=k, homeRuns=hr, doubles=int(h * 0.2), triples=int(h * 0.02),
             runs=runs, earnedRuns=int(runs * 0.92), hitByPitch=hbp, hitBatsmen=hbp, sacFlies=sf, sacBunts=sh,
             atBats=bf - bb - hbp - sf - sh, numberOfPitches=pitches, pitchesThrown=pitches, strikes=strikes,
             balls=pitches - strikes, groundOuts=go, airOuts=air, flyOuts=fo, popOuts=po, lineOuts=air - fo - po,
             wins=wins, losses=losses, saves=saves, saveOpportunities=saves + blown, blownSaves=blown,
             holds=int(gp * 0.4) if p.role == "SU" else int(gp * 0.12) if p.role == "RP" else 0,
             gamesFinished=int(gp * 0.8) if p.role == "CL" else 0 if gs else int(gp * 0.15),
             stolenBases=sb, caughtStealing=int(sb * 0.3), rbi=int(runs * 0.95), wildPitches=int(gp * 0.08),
             inheritedRunners=inherited, inheritedRunnersScored=int(inherited * 0.3),
             completeGames=int(gs * 0.02), shutouts=int(gs * 0.01))
    return c


def fielding_baseline(p: Player, games: int) -> Counter:
    po, a, e = _FIELD_RATES["P" if p.is_pitcher else p.position]
    c: Counter = Counter(putOuts=int(games * po), assists=int(games * a), errors=int(games * e))
    if p.position == "C":
        c.update(stolenBases=int(games * 0.45), caughtStealing=int(games * 0.12), passedBall=int(games * 0.04))
    return c


def season_dict(keys: tuple[str, ...], c: Counter, kind: str) -> dict[str, Any]:
    if not c:  # a pitcher's batting, a position player's pitching: the same zeros every game
        return dict(_empty_season_dict(keys, kind))
    return _season_dict(keys, c, kind)


@functools.cache
def _empty_season_dict(keys: tuple[str, ...], kind: str) -> dict[str, Any]:
    return _season_dict(keys, Counter(), kind)


def _season_dict(keys: tuple[str, ...], c: Counter, kind: str) -> dict[str, Any]:
    if kind == "batting":
        return build(keys, c, batting_rates(c))
    if kind == "pitching":
        derived: dict[str, Any] = pitching_rates(c)
        if c["gamesPitched"]:
            keys = SEASON_PITCHING_ACTIVE
            derived["pitchesThrown"] = c["numberOfPitches"]
        return build(keys, c, derived)
    derived = fielding_rates(c)
    po, a, e = counts(c, "putOuts", "assists", "errors")
    derived["chances"] = po + a + e
    return build(keys, c, derived)


# ---------------------------------------------------------------- summaries
def _count(n: int, label: str) -> str:
    return label if n == 1 else f"{n} {label}"


def batting_summary(c: Counter) -> str:
    parts = [_count(c[k], label) for k, label in (
        ("doubles", "2B"), ("triples", "3B"), ("homeRuns", "HR"), ("baseOnBalls", "BB"), ("hitByPitch", "HBP"),
        ("sacFlies", "SF"), ("strikeOuts", "K"), ("rbi", "RBI"), ("runs", "R"), ("stolenBases", "SB"),
        ("caughtStealing", "CS")) if c[k]]
    head = f"{c['hits']}-{c['atBats']}"
    return f"{head} | {', '.join(parts)}" if parts else head


def pitching_summary(c: Counter) -> str:
    def item(n: int, label: str) -> str:
        return label if n == 1 else f"{n} {label}"

    return (f"{innings(c['outs'])} IP, {item(c['earnedRuns'], 'ER')}, {item(c['strikeOuts'], 'K')}, "
            f"{item(c['baseOnBalls'], 'BB')}")
