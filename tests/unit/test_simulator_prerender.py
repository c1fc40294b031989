"""Prerendered box scores are the very bytes rendered on demand, with the clock,
corrections, bad data and faults as ever; the cache stays within its bound."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from pipeline.simulator.api import Simulator
from pipeline.simulator.faults import KINDS, FaultPlan
from pipeline.simulator.transport import SimulatorTransport

START, END = date(2024, 4, 1), date(2024, 4, 6)


def answers(sim: Simulator, faults: FaultPlan | None = None) -> list[tuple]:
    sim.faults = faults
    client = httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim")
    out = []
    for game in sim.games(START, END):
        path = f"/api/v1/game/{game['game_pk']}/boxscore"
        for _ in range(2):  # a second fetch: from the cache on both sides
            try:
                response = client.get(path)
                out.append((path, response.status_code, response.content, response.headers.get("etag")))
            except httpx.TransportError as exc:  # a fault played as a broken connection
                out.append((path, type(exc).__name__))
    day = START
    response = client.get("/api/v1/schedule", params={"sportId": 1, "date": day.isoformat()})
    out.append(("schedule", response.status_code, response.content))
    return out


@pytest.mark.parametrize("options", [
    {},
    {"today": date(2024, 4, 4)},
    {"correction_rate": 0.3},
    {"today": date(2024, 4, 5), "correction_rate": 0.3, "bad_data_rate": 0.3},
], ids=["plain", "clock", "corrections", "everything"])
def test_prerendered_answers_are_byte_identical(options):
    on_demand = Simulator(seed=9, season=2024, **options)
    prerendered = Simulator(seed=9, season=2024, cache_bytes=1 << 30, **options)
    count, size = prerendered.prerender(START, END)
    assert count > 50 and size > 1_000_000
    assert prerendered.request_counts()["boxscore"] == 0, "prerendering is not serving"
    assert answers(prerendered) == answers(on_demand)


def test_faults_play_the_same_over_prerendered_answers():
    plans = [FaultPlan(rate=0.3, seed=9, kinds=KINDS) for _ in range(2)]
    prerendered = Simulator(seed=9, season=2024, cache_bytes=1 << 30)
    prerendered.prerender(START, END)
    assert answers(prerendered, plans[0]) == answers(Simulator(seed=9, season=2024), plans[1])


def test_the_cache_stays_within_its_bound():
    sim = Simulator(seed=9, season=2024, cache_bytes=2_000_000)
    sim.prerender(START, END)
    stats = sim.cache_stats()
    assert 0 < stats["bytes"] <= 2_000_000 and stats["limit_bytes"] == 2_000_000
