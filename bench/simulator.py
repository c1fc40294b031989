"""What one box score costs the simulator (issue 11): rendering it on demand (the game
simulation, building the answer from it, the JSON encoding; then the whole request through
`Simulator.handle` with nothing cached) and serving a prerendered one over real HTTP from
`pipeline simulate serve --prerender`. Medians in milliseconds, beside the issue's targets.

    python bench/simulator.py                 # 240 games across the 2024 season
    python bench/simulator.py --games 60 --requests 500
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import time
from datetime import date
from urllib.parse import urlsplit

from harness import start_simulator

from pipeline.simulator.api import Simulator, dumps
from pipeline.simulator.boxscore import BoxscoreFactory
from pipeline.simulator.people import build_rosters, build_umpires
from pipeline.simulator.season import Season

RENDER_TARGET_MS, SERVE_TARGET_MS = 5.0, 1.0
PRERENDER = (date(2024, 4, 1), date(2024, 4, 7))  # ~100 box scores: a second or two to render


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:6.2f} ms"


class Stages:
    """Wall and CPU seconds per stage of each game: on a busy machine the CPU figure is the
    one that compares."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        self._last = (time.perf_counter(), time.thread_time())

    def start(self) -> None:
        self._last = (time.perf_counter(), time.thread_time())

    def lap(self, stage: str) -> None:
        now = (time.perf_counter(), time.thread_time())
        self.wall.setdefault(stage, []).append(now[0] - self._last[0])
        self.cpu.setdefault(stage, []).append(now[1] - self._last[1])
        self._last = now

    def line(self, label: str, *stages: str) -> str:
        wall = [sum(parts) for parts in zip(*(self.wall[s] for s in stages))]
        cpu = [sum(parts) for parts in zip(*(self.cpu[s] for s in stages))]
        return f"  {label:<24} {median_ms(wall)}  (CPU {median_ms(cpu)})"


def render_on_demand(seed: int, year: int, count: int) -> None:
    """Simulation, building and encoding timed apart, then the whole on-demand request."""
    season = Season(seed, year)
    factory = BoxscoreFactory(seed, season, build_rosters(seed, year), build_umpires(seed))
    step = max(1, len(season.games) // count)
    games = season.games[::step][:count]
    # a cache of 0 bytes keeps only the last box score: every game is rendered afresh
    sim = Simulator(seed, year, cache_bytes=0)
    stages = Stages()
    for game in games:
        stages.start()
        play = factory.play(game)
        stages.lap("simulation")
        box = factory.render(game, *play)
        stages.lap("building")
        dumps(box)
        stages.lap("encoding")
        status, _, _ = sim.handle("GET", f"/api/v1/game/{game.pk}/boxscore", {})
        stages.lap("request")
        assert status == 200
    print(f"rendering a box score on demand, {len(games)} games of {year} (seed {seed}), medians:")
    print(stages.line("game simulation", "simulation"))
    print(stages.line("building the answer", "building"))
    print(stages.line("JSON encoding", "encoding"))
    print(stages.line("all three", "simulation", "building", "encoding") + f"   target <= {RENDER_TARGET_MS:.0f} ms")
    print(stages.line("Simulator.handle, fresh", "request") + "   (ETag, cache upkeep included)")


def serve_prerendered(seed: int, year: int, rounds: int) -> None:
    """GET prerendered box scores over one keep-alive HTTP connection."""
    env = dict(os.environ)
    span = f"{PRERENDER[0]}:{PRERENDER[1]}"
    started = time.perf_counter()
    process, base_url = start_simulator(env, "--seed", str(seed), "--season", str(year), "--prerender", span)
    ready = time.perf_counter() - started
    try:
        pks = [g.pk for g in Season(seed, year).games if PRERENDER[0] <= g.day <= PRERENDER[1]]
        url = urlsplit(base_url)
        connection = http.client.HTTPConnection(url.hostname, url.port)
        samples = []
        for i in range(rounds):
            began = time.perf_counter()
            connection.request("GET", f"/api/v1/game/{pks[i % len(pks)]}/boxscore")
            response = connection.getresponse()
            body = response.read()
            samples.append(time.perf_counter() - began)
            assert response.status == 200 and body
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(f"serving a prerendered box score over HTTP ({len(pks)} box scores of {span} prerendered, "
          f"server up in {ready:.1f} s), {rounds} requests, median:")
    print(f"  GET on a keep-alive connection {median_ms(samples)}   target <= {SERVE_TARGET_MS:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=240, help="box scores rendered on demand")
    parser.add_argument("--requests", type=int, default=1000, help="GETs of prerendered box scores")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--season", type=int, default=2024)
    args = parser.parse_args()
    render_on_demand(args.seed, args.season, args.games)
    serve_prerendered(args.seed, args.season, args.requests)


if __name__ == "__main__":
    main()
