"""The simulator's --bad-data-rate: off means byte-identical answers; on, a deterministic
share of box scores carries one of the four faults."""

from __future__ import annotations

import json
from datetime import date

from pipeline.simulator.api import Simulator
from pipeline.simulator.baddata import FAULTS, BadData, corrupt

DAYS = (date(2024, 4, 10), date(2024, 4, 13))


def boxscore_paths(sim: Simulator) -> list[tuple[int, str]]:
    return [(g["game_pk"], f"/api/v1/game/{g['game_pk']}/boxscore") for g in sim.games(*DAYS) if g["status"] == "Final"]


def test_rate_zero_answers_byte_identical():
    plain, off = Simulator(seed=5), Simulator(seed=5, bad_data_rate=0.0)
    for _, path in boxscore_paths(plain)[:5]:
        assert plain.handle("GET", path, {}) == off.handle("GET", path, {})


def test_a_rate_corrupts_that_share_deterministically_with_every_fault():
    sim, again = Simulator(seed=5, bad_data_rate=0.5), Simulator(seed=5, bad_data_rate=0.5)
    clean = Simulator(seed=5)
    chosen = BadData(5, 0.5)
    games = boxscore_paths(sim)
    changed = [pk for pk, path in games if sim.handle("GET", path, {})[2] != clean.handle("GET", path, {})[2]]
    assert changed == [pk for pk, _ in games if chosen.fault_for(pk)]
    assert 0.3 < len(changed) / len(games) < 0.7
    assert {chosen.fault_for(pk) for pk in changed} == set(FAULTS)
    assert [sim.handle("GET", p, {})[2] for _, p in games] == [again.handle("GET", p, {})[2] for _, p in games]


def test_each_fault_breaks_what_it_names():
    box = Simulator(seed=5).boxscore(boxscore_paths(Simulator(seed=5))[0][0])
    players = lambda b, side: [p for p in b["teams"][side]["players"].values() if p["stats"]["batting"]]  # noqa: E731
    assert any(p["stats"]["batting"]["baseOnBalls"] < 0 for p in players(corrupt(box, "negative_counts"), "away"))
    assert any(p["stats"]["batting"]["hits"] > p["stats"]["batting"]["atBats"]
               for p in players(corrupt(box, "hits_over_at_bats"), "home"))
    assert any("id" not in p["person"] for p in players(corrupt(box, "missing_player_id"), "away"))
    doubled = corrupt(box, "duplicated_player")
    ids = [p["person"]["id"] for side in ("away", "home") for p in doubled["teams"][side]["players"].values()]
    assert len(ids) == len(set(ids)) + 1
    assert json.dumps(box) == json.dumps(Simulator(seed=5).boxscore(boxscore_paths(Simulator(seed=5))[0][0])), \
        "corrupt() works on a copy"
