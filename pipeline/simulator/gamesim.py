"""Plate-appearance simulation of one game, forced to reproduce the season's line score.

Each half-inning has a target run total. Before every plate appearance the simulator keeps
only the events that can still end the half exactly on target (no 3rd out while runs are
missing, never more runs than the target), then draws among them with realistic weights.
Every counter in the box score comes from these events, so the totals agree by construction.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from .events import FIELDED, HITS, NOT_AT_BAT, OUT_EVENTS, POSSIBLE, VERBS, Runner, advance, count_event, occupied
from .people import Player


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class PlateAppearance:
    inning: int
    top: bool
    batter: int
    pitcher: int
    event: str
    outs_before: int
    risp: bool
    on_base: int
    risp_runners: int  # runners on second and third before the pitch
    rbi: int
    third_out: bool


@dataclass
class Stint:
    lead_in: int  # fielding team's lead when the pitcher entered
    save_situation: bool
    lead_out: int = 0
    blown: bool = False


@dataclass
class Side:
    """One club during the game: lineup slots, who played where, and every counter."""

    team_id: int
    lineup: list[tuple[int, str]]
    starter: int
    relievers: list[int]
    bench: list[int]
    closer: int
    setup: int
    slots: list[list[int]] = field(default_factory=list)
    pos: dict[int, str] = field(default_factory=dict)
    all_pos: dict[int, list[str]] = field(default_factory=dict)
    pitchers: list[int] = field(default_factory=list)
    stints: dict[int, Stint] = field(default_factory=dict)
    bat: dict[int, Counter] = field(default_factory=dict)
    pit: dict[int, Counter] = field(default_factory=dict)
    fld: dict[int, Counter] = field(default_factory=dict)
    next_slot: int = 0
    runs: int = 0
    lob: int = 0
    pending: dict[int, str] = field(default_factory=dict)  # pinch hitter -> position to take
    notes: list[tuple[int, str]] = field(default_factory=list)  # (player, "Walked for X in the 8th.")
    double_plays: list[list[int]] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    steals: list[tuple[int, int, int, bool]] = field(default_factory=list)  # runner, pitcher, catcher, success

    def __post_init__(self) -> None:
        self.slots = [[pid] for pid, _ in self.lineup]
        for pid, pos in self.lineup:
            self.pos[pid] = pos
            self.all_pos[pid] = [pos]
            self.fld[pid] = Counter(gamesStarted=0 if pos == "DH" else 1)
        self._enter_pitcher(self.starter, lead=0, runners=0)
        self.fld[self.starter]["gamesStarted"] = 1
        self.pit[self.starter]["gamesStarted"] = 1

    def _enter_pitcher(self, pid: int, lead: int, runners: int) -> None:
        self.pitchers.append(pid)
        self.pos[pid] = "P"
        self.all_pos[pid] = ["P"]
        self.pit[pid] = Counter(inheritedRunners=runners)
        self.fld.setdefault(pid, Counter())
        self.stints[pid] = Stint(lead, 1 <= lead <= 3 and pid != self.starter)

    @property
    def pitcher(self) -> int:
        return self.pitchers[-1]

    def fielders(self) -> dict[str, int]:
        out = {self.pos[s[-1]]: s[-1] for s in self.slots if self.pos[s[-1]] not in ("DH", "PH")}
        out["P"] = self.pitcher
        return out


class GameSim:
    def __init__(self, rng: random.Random, away_line: tuple[int, ...], home_line: tuple[int, ...],
                 away: Side, home: Side, players: dict[int, Player]) -> None:
        self.rng = rng
        self.away_line, self.home_line = away_line, home_line
        self.away, self.home = away, home
        self.players = players
        self.log: list[PlateAppearance] = []
        self.pitching_notes: list[str] = []
        self.lead_changes: list[tuple[int, int, int]] = []  # (leading team id, winner candidate, loser)
        self.last_batter = self.last_pitcher = 0
        self.inning_faced: Counter = Counter()  # (pitcher, inning) -> batters faced
        self.inning_outs: Counter = Counter()

    # ----------------------------------------------------------------- game flow
    def run(self) -> None:
        for i, a_runs in enumerate(self.away_line):
            inning = i + 1
            self._half(inning, True, a_runs, walkoff=False)
            if i < len(self.home_line):
                h_runs = self.home_line[i]
                walkoff = inning >= 9 and self.home.runs + h_runs > self.away.runs
                self._half(inning, False, h_runs, walkoff)

    def _half(self, inning: int, top: bool, target: int, walkoff: bool) -> None:
        bat, fld = (self.away, self.home) if top else (self.home, self.away)
        for ph, position in list(fld.pending.items()):  # pinch hitters take the field
            fld.pos[ph] = position
            fld.all_pos[ph].append(position)
            fld.fld.setdefault(ph, Counter())
            del fld.pending[ph]
        self._maybe_change(fld, bat, inning, 0, (None, None, None), start=True)
        bases: list[Runner | None] = [None, None, None]
        if inning > 9:  # extra innings start with the previous batter on second base
            prev = bat.slots[(bat.next_slot - 1) % 9][-1]
            bases[1] = Runner(prev, fld.pitcher, earned=False)
        outs = runs = 0
        while outs < 3 and not (walkoff and runs == target):
            outs, runs = self._maybe_steal(bat, fld, bases, outs, runs, target, walkoff)
            if outs == 3:
                break
            self._maybe_change(fld, bat, inning, outs, tuple(bases), start=False)
            self._maybe_pinch_hit(bat, inning)
            outs, runs = self._plate_appearance(bat, fld, bases, outs, runs, target, walkoff, inning, top)
        if outs == 3:
            bat.lob += sum(r is not None for r in bases)

    # ----------------------------------------------------------------- events
    def _plate_appearance(self, bat: Side, fld: Side, bases: list[Runner | None], outs: int, runs: int,
                          target: int, walkoff: bool, inning: int, top: bool) -> tuple[int, int]:
        rng = self.rng
        slot = bat.next_slot
        batter = bat.slots[slot][-1]
        pitcher = fld.pitcher
        bt, pt = self.players[batter].talent, self.players[pitcher].talent
        me = Runner(batter, pitcher, earned=True)
        hit = bt.get("avg", 0.25) / 0.25 * pt.get("contact", 1.0)
        missing = target - runs
        options: list[str] = []
        weights: list[float] = []
        on = occupied(bases)
        for ev, w, made, scoring in POSSIBLE[on, outs]:
            if scoring > missing or (outs + made >= 3 and scoring < missing):
                continue  # would miss the line score
            if ev in HITS:
                w *= hit
            if ev == "HR":
                w *= bt.get("power", 1.0)
            if ev in ("BB", "K"):
                w *= bt.get("eye", 1.0) if ev == "BB" else pt.get("k", 1.0)
            options.append(ev)
            weights.append(w)
        ev = rng.choices(options, weights)[0]
        new_bases, add, scored = advance(ev, bases, me)
        if ev == "E1B":
            me.earned = False  # reached second on the error: his run would be unearned
        before = list(bases)
        risp = on[1] or on[2]
        on_base = sum(on)
        b, p = bat.bat.setdefault(batter, Counter()), fld.pit[pitcher]
        b["plateAppearances"] += 1
        p["battersFaced"] += 1
        self.inning_faced[(pitcher, inning)] += 1
        if ev not in NOT_AT_BAT:
            b["atBats"] += 1
            p["atBats"] += 1
        count_event(ev, b, p)
        self._pitches(ev, p)
        rbi = len(scored) if ev != "GIDP" else 0
        b["rbi"] += rbi
        p["rbi"] += rbi
        outs += add
        p["outs"] += add
        self.inning_outs[(pitcher, inning)] += add
        if ev in OUT_EVENTS:
            b["leftOnBase"] += 3 - new_bases.count(None)
        self._field(ev, fld, before)
        bases[:] = new_bases
        for r in scored:
            runs += 1
            self._score(r, bat, fld)
        risp_n = on[1] + on[2]
        self.log.append(PlateAppearance(inning, top, batter, pitcher, ev, outs - add, risp, on_base, risp_n, rbi,
                                        outs >= 3))
        for ph_i, (ph, text) in enumerate(bat.notes):
            if ph == batter and "{verb}" in text:
                bat.notes[ph_i] = (ph, text.replace("{verb}", VERBS[ev]))
        self.last_batter, self.last_pitcher = batter, pitcher
        bat.next_slot = (slot + 1) % 9
        return outs, runs

    def _pitches(self, ev: str, p: Counter) -> None:
        rng = self.rng
        if ev == "K":
            n = rng.randint(3, 8)
            balls = rng.randint(0, min(3, n - 3))
        elif ev == "BB":
            n = rng.randint(4, 8)
            balls = 4
        elif ev == "HBP":
            n = rng.randint(1, 5)
            balls = n - rng.randint(0, min(2, n - 1))
        else:
            n = rng.randint(1, 7)
            balls = rng.randint(0, min(3, n - 1))
        p["numberOfPitches"] += n
        p["balls"] += balls
        p["strikes"] += n - balls

    def _score(self, r: Runner, bat: Side, fld: Side) -> None:
        bat.bat.setdefault(r.pid, Counter())["runs"] += 1
        charged = fld.pit[r.pitcher]
        charged["runs"] += 1
        if r.earned:
            charged["earnedRuns"] += 1
        if r.inherited_by is not None:
            fld.pit[r.inherited_by]["inheritedRunnersScored"] += 1
        before = bat.runs - fld.runs
        bat.runs += 1
        if before == 0:  # this run puts the batting team ahead
            self.lead_changes.append((bat.team_id, bat.pitcher, r.pitcher))
        stint = fld.stints[fld.pitcher]
        if stint.save_situation and fld.runs - bat.runs <= 0:
            stint.blown = True

    # ----------------------------------------------------------------- fielding and running
    def _field(self, ev: str, fld: Side, bases: list[Runner | None]) -> None:
        if ev not in FIELDED:
            return
        rng, f = self.rng, fld.fielders()

        def po(pos: str) -> int:
            fld.fld.setdefault(f[pos], Counter())["putOuts"] += 1
            return f[pos]

        def a(pos: str) -> int:
            fld.fld.setdefault(f[pos], Counter())["assists"] += 1
            return f[pos]

        if ev == "K":
            po("C")
        elif ev in ("GO", "GO_ADV"):
            who = rng.choices(("SS", "2B", "3B", "1B", "P"), (30, 25, 20, 12, 13))[0]
            if who != "1B":
                a(who)
            po("1B")
        elif ev == "GIDP":
            first, pivot = rng.choice((("SS", "2B"), ("2B", "SS"), ("3B", "2B"), ("P", "SS")))
            fld.double_plays.append([a(first), po(pivot), po("1B")])
            a(pivot)
        elif ev in ("FO", "SF"):
            po(rng.choices(("LF", "CF", "RF"), (3, 4, 3))[0])
        elif ev == "PO":
            po(rng.choice(("1B", "2B", "3B", "SS", "C")))
        elif ev == "LO":
            po(rng.choice(("1B", "2B", "3B", "SS", "LF", "CF", "RF", "P")))
        elif ev == "SAC":
            who = rng.choice(("P", "C", "3B", "1B"))
            a(who)
            po("2B" if who == "1B" else "1B")
        elif ev == "E1B":
            err = f[rng.choice(("LF", "CF", "RF"))]
            fld.fld.setdefault(err, Counter())["errors"] += 1
            fld.errors.append(err)

    def _maybe_steal(self, bat: Side, fld: Side, bases: list[Runner | None], outs: int, runs: int,
                     target: int, walkoff: bool) -> tuple[int, int]:
        rng = self.rng
        runner = bases[0]
        if runner is None or bases[1] is not None:
            return outs, runs
        speed = self.players[runner.pid].talent.get("speed", 0.5)
        if rng.random() >= 0.035 * speed:
            return outs, runs
        success = rng.random() < 0.78
        if not success and outs == 2 and (runs < target or walkoff):
            return outs, runs  # a caught stealing here would cut the inning short of its runs
        f = fld.fielders()
        catcher, pitcher = f["C"], fld.pitcher
        b = bat.bat.setdefault(runner.pid, Counter())
        key = "stolenBases" if success else "caughtStealing"
        b[key] += 1
        fld.pit[pitcher][key] += 1
        fld.fld.setdefault(catcher, Counter())[key] += 1
        fld.steals.append((runner.pid, pitcher, catcher, success))
        bases[0] = None
        if success:
            bases[1] = runner
            return outs, runs
        fld.fld[catcher]["assists"] += 1
        fld.fld.setdefault(f[rng.choice(("SS", "2B"))], Counter())["putOuts"] += 1
        fld.pit[pitcher]["outs"] += 1
        return outs + 1, runs

    # ----------------------------------------------------------------- managers
    def _maybe_pinch_hit(self, bat: Side, inning: int) -> None:
        slot = bat.next_slot
        current = bat.slots[slot][-1]
        pos = bat.pos[current]
        if (inning < 7 or slot < 6 or len(bat.slots[slot]) > 1 or pos == "C" or len(bat.notes) >= 2
                or bat.runs > self._other(bat).runs or self.rng.random() >= 0.12):
            return
        bench = [p for p in bat.bench if self.players[p].position != "C"]
        if not bench:
            return
        ph = self.rng.choice(bench)
        bat.bench.remove(ph)
        bat.slots[slot].append(ph)
        bat.pos[ph] = "PH"
        bat.all_pos[ph] = ["PH"]
        bat.fld[ph] = Counter()
        bat.pending[ph] = pos
        replaced = self.players[current].boxscore_name
        bat.notes.append((ph, f"{{verb}} for {replaced} in the {ordinal(inning)}."))

    def _other(self, side: Side) -> Side:
        return self.home if side is self.away else self.away

    def _maybe_change(self, fld: Side, bat: Side, inning: int, outs: int, bases: tuple, start: bool) -> None:
        p = fld.pitcher
        st = fld.pit[p]
        lead = fld.runs - bat.runs
        rng = self.rng
        change = False
        if p == fld.starter:
            limit = self.players[p].talent.get("limit", 95)
            tired = st["numberOfPitches"] >= limit or st["runs"] >= 7 or (st["runs"] >= 5 and st["outs"] < 15)
            change = tired and (start or st["numberOfPitches"] >= limit + 10 or rng.random() < 0.3)
        else:
            stint_outs = st["outs"]
            long_man = self.players[p].role == "LR"
            if start:
                change = stint_outs >= (9 if long_man else 3) and rng.random() < 0.9
            else:
                change = st["numberOfPitches"] >= 38 or (st["runs"] >= 3 and rng.random() < 0.5)
        closer_time = start and inning >= 9 and 1 <= lead <= 3 and p != fld.closer and fld.closer in fld.relievers
        if not (change or closer_time):
            return
        new = self._pick_reliever(fld, inning, lead)
        if new is None:
            return
        if not start and self.inning_outs[(p, inning)] == 0 and self.inning_faced[(p, inning)] > 0:
            n = self.inning_faced[(p, inning)]
            self.pitching_notes.append(
                f"{self.players[p].boxscore_name} pitched to {n} batter{'s' if n > 1 else ''} in the {ordinal(inning)}."
            )
        fld.stints[p].lead_out = lead
        on_base = [r for r in bases if r is not None]
        for r in on_base:
            if r.inherited_by is None:
                r.inherited_by = new
        fld.relievers.remove(new)
        fld._enter_pitcher(new, lead, len(on_base))

    def _pick_reliever(self, fld: Side, inning: int, lead: int) -> int | None:
        avail = fld.relievers
        if not avail:
            return None
        if inning >= 9 and 1 <= lead <= 3 and fld.closer in avail:
            return fld.closer
        if inning in (7, 8) and 1 <= lead <= 3 and fld.setup in avail:
            return fld.setup
        rest = [p for p in avail if p not in (fld.closer, fld.setup)]
        return self.rng.choice(rest) if rest else avail[0]

    # ----------------------------------------------------------------- decisions
    def decide(self, winner: Side, loser: Side) -> None:
        """Credit W, L, SV, HLD and BS the way official scorers do (simplified)."""
        for side in (self.away, self.home):
            side.stints[side.pitcher].lead_out = side.runs - self._other(side).runs
        team, w, l = self.lead_changes[-1]  # the final lead change is the winner's
        assert team == winner.team_id
        if w == winner.starter and winner.pit[w]["outs"] < 15 and len(winner.pitchers) > 1:
            w = winner.pitchers[1]  # starter short of five innings: first reliever gets the win
        winner.pit[w]["wins"] = 1
        loser.pit[l]["losses"] = 1
        last = winner.pitcher
        st = winner.stints[last]
        if last != w and last != winner.starter and not st.blown and (
            (st.save_situation and winner.pit[last]["outs"] >= 3) or winner.pit[last]["outs"] >= 9
        ):
            winner.pit[last]["saves"] = 1
            winner.pit[last]["saveOpportunities"] = 1
        for side in (self.away, self.home):
            for p in side.pitchers:
                stint, c = side.stints[p], side.pit[p]
                if stint.blown:
                    c["blownSaves"] = 1
                    c["saveOpportunities"] = 1
                elif (stint.save_situation and p != side.pitcher and c["outs"] >= 1 and stint.lead_out > 0
                      and not c["wins"]):
                    c["holds"] = 1
            if side.pitcher != side.starter:
                side.pit[side.pitcher]["gamesFinished"] = 1
            elif len(side.pitchers) == 1:
                side.pit[side.starter]["completeGames"] = 1
                if self._other(side).runs == 0:
                    side.pit[side.starter]["shutouts"] = 1


def simulate(rng: random.Random, away_line: tuple[int, ...], home_line: tuple[int, ...], away: Side,
             home: Side, players: dict[int, Player]) -> GameSim:
    sim = GameSim(rng, away_line, home_line, away, home, players)
    sim.run()
    assert away.runs == sum(away_line) and home.runs == sum(home_line)
    winner, loser = (home, away) if home.runs > away.runs else (away, home)
    sim.decide(winner, loser)
    return sim

