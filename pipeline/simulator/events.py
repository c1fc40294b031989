"""Plate-appearance events as rules: their weights, what each does to the bases, which
counters it moves, and, for every base-out situation, which events are possible at all.
No game state lives here; `gamesim` plays the events."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

HITS = {"1B": 1, "1B_S": 1, "E1B": 1, "2B": 2, "2B_L": 2, "3B": 3, "HR": 4}  # total bases
NOT_AT_BAT = {"BB", "HBP", "SF", "SAC"}
OUT_EVENTS = {"K", "GO", "GO_ADV", "FO", "PO", "LO", "SF", "SAC", "GIDP"}
AIR_OUTS = {"FO", "SF", "PO", "LO"}
FIELDED = {"K", "GO", "GO_ADV", "GIDP", "FO", "SF", "PO", "LO", "SAC", "E1B"}  # a fielder makes a play
# Base weights per plate appearance, roughly MLB 2024 frequencies. Their order is the order
# of the draw: changing it changes every game.
WEIGHTS = {
    "K": 0.225, "BB": 0.078, "HBP": 0.011, "1B": 0.092, "1B_S": 0.048, "E1B": 0.004,
    "2B": 0.030, "2B_L": 0.014, "3B": 0.004, "HR": 0.031, "GO": 0.125, "GO_ADV": 0.070,
    "FO": 0.095, "SF": 0.030, "PO": 0.045, "LO": 0.050, "GIDP": 0.090, "SAC": 0.008,
}
VERBS = {
    "K": "Struck out", "BB": "Walked", "HBP": "Hit by pitch", "1B": "Singled", "1B_S": "Singled",
    "E1B": "Singled", "2B": "Doubled", "2B_L": "Doubled", "3B": "Tripled", "HR": "Homered",
    "GO": "Grounded out", "GO_ADV": "Grounded out", "FO": "Flied out", "SF": "Hit a sacrifice fly",
    "PO": "Popped out", "LO": "Lined out", "GIDP": "Grounded into a double play", "SAC": "Sacrificed",
}
# The counters an event adds one to, for the batter and (except groundIntoDoublePlay) the pitcher.
COUNTED = {
    "1B": ("hits",), "1B_S": ("hits",), "E1B": ("hits",), "2B": ("hits", "doubles"), "2B_L": ("hits", "doubles"),
    "3B": ("hits", "triples"), "HR": ("hits", "homeRuns"), "K": ("strikeOuts",), "BB": ("baseOnBalls",),
    "HBP": ("hitByPitch",), "SF": ("sacFlies", "flyOuts"), "SAC": ("sacBunts", "groundOuts"),
    "GO": ("groundOuts",), "GO_ADV": ("groundOuts",), "GIDP": ("groundOuts", "groundIntoDoublePlay"),
    "FO": ("flyOuts",), "PO": ("popOuts",), "LO": ("lineOuts",),
}


@dataclass
class Runner:
    pid: int
    pitcher: int  # the pitcher charged with this runner's run
    earned: bool = True
    inherited_by: int | None = None


Bases = list[Runner | None]


def advance(ev: str, bases: Bases, batter: Runner) -> tuple[Bases, int, list[Runner]]:
    """The bases after `ev`, the outs it makes and the runners who score."""
    r1, r2, r3 = bases
    if ev in ("K", "GO", "FO", "PO", "LO"):
        return [r1, r2, r3], 1, []
    if ev in ("GO_ADV", "SAC"):
        return [None, r1, r2], 1, [r for r in (r3,) if r]
    if ev == "SF":
        return [r1, r2, None], 1, [r3] if r3 else []
    if ev == "GIDP":
        return [None, r2, r3], 2, []
    if ev in ("BB", "HBP"):
        if r1 and r2 and r3:
            return [batter, r1, r2], 0, [r3]
        if r1 and r2:
            return [batter, r1, r2], 0, []
        if r1:
            return [batter, r1, r3], 0, []
        return [batter, r2, r3], 0, []
    scored = [r for r in (r3, r2) if r]
    if ev == "1B":
        return [batter, r1, None], 0, scored
    if ev == "1B_S":
        return [batter, r1, r2], 0, [r for r in (r3,) if r]
    if ev in ("2B", "E1B"):
        return [None, batter, r1], 0, scored
    if ev == "2B_L":
        return [None, batter, None], 0, scored + [r for r in (r1,) if r]
    if ev == "3B":
        return [None, None, batter], 0, scored + [r for r in (r1,) if r]
    return [None, None, None], 0, scored + [r for r in (r1,) if r] + [batter]  # HR


def allowed(ev: str, bases: Bases, outs: int) -> bool:
    r1, r2, r3 = bases
    if ev == "GO_ADV":
        return outs < 2 and any(bases)
    if ev == "SF":
        return outs < 2 and r3 is not None
    if ev == "GIDP":
        return outs < 2 and r1 is not None
    if ev == "SAC":
        return outs < 2 and (r1 is not None or r2 is not None) and r3 is None
    return True


def count_event(ev: str, b: Counter, p: Counter) -> None:
    """Add `ev` to the batter's counters `b` and the pitcher's `p`."""
    if ev in HITS:
        b["totalBases"] += HITS[ev]
    for k in COUNTED[ev]:
        b[k] += 1
        if k != "groundIntoDoublePlay":
            p[k] += 1
    if ev == "HBP":
        p["hitBatsmen"] += 1
    if ev in AIR_OUTS:
        b["airOuts"] += 1
        p["airOuts"] += 1


class Outcome(NamedTuple):
    event: str
    weight: float  # before the batter's and the pitcher's talents
    outs: int  # outs the event makes
    runs: int  # runs that score on it


def occupied(bases: Bases) -> tuple[bool, bool, bool]:
    return bases[0] is not None, bases[1] is not None, bases[2] is not None


def _possible(on: tuple[bool, bool, bool], outs: int) -> tuple[Outcome, ...]:
    # who the runners are changes nothing: only which bases are taken
    bases = [Runner(0, 0) if taken else None for taken in on]
    out = []
    for ev, weight in WEIGHTS.items():
        if allowed(ev, bases, outs):
            _, made, scored = advance(ev, bases, Runner(0, 0))
            out.append(Outcome(ev, weight, made, len(scored)))
    return tuple(out)


# The events possible in each (occupied bases, outs) situation, in WEIGHTS order, worked out
# once: a plate appearance only drops those that would miss the half-inning's runs.
POSSIBLE = {(on, outs): _possible(on, outs) for on in itertools.product((False, True), repeat=3) for outs in range(3)}
