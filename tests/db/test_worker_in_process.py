"""The real procrastinate worker, in-process, against the simulator as an httpx transport:
a bad item becomes a dead letter without losing the rest, and a later run completes it."""

from __future__ import annotations

import asyncio
import io
from collections import Counter
from datetime import date

import httpx
import pytest

from pipeline.config import load_settings
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from pipeline.runs.runtime import worker_runtime

DAY = date(2024, 4, 16)


def simulator_transport(sim: Simulator, fault: dict[str, str], counts: Counter) -> httpx.MockTransport:
    """The simulator in-process; `fault` maps a path to 'truncate' or '404'."""

    def handle(request: httpx.Request) -> httpx.Response:
        counts[request.url.path] += 1
        status, headers, body = sim.handle(request.method, request.url.path, dict(request.url.params),
                                           dict(request.headers))
        kind = fault.get(request.url.path)
        if kind == "truncate":
            body = body[: len(body) // 2]
        elif kind == "404":
            status, body = 404, b'{"messageNumber": 10, "message": "Object not found"}'
        return httpx.Response(status, headers={"content-type": "application/json"}, content=body)

    return httpx.MockTransport(handle)


def backfill(dsn: str, transport: httpx.MockTransport):
    async def go():
        planned = await plan_backfill(dsn, mlb.SOURCE, DAY, DAY)
        return await run_and_wait(worker_runtime(dsn, load_settings(), transport=transport), planned.run_id,
                                  concurrency=2, stream=io.StringIO())

    return asyncio.run(go())


@pytest.mark.parametrize("fault,attempts,error_class", [("truncate", 4, "BadBody"), ("404", 1, "ItemFailed")])
def test_bad_item_goes_to_dead_letters_and_a_later_run_completes_it(dsn, conn, monkeypatch, fault, attempts, error_class):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    sim = Simulator(seed=3, season=2024)
    played = [g["game_pk"] for g in sim.games(DAY, DAY) if g["status"] == "Final" and g.get("away_score") is not None]
    assert len(played) >= 3, "the simulated day needs a few games"
    bad_path = f"/api/v1/game/{played[0]}/boxscore"
    counts: Counter = Counter()

    progress = backfill(dsn, simulator_transport(sim, {bad_path: fault}, counts))

    assert progress.status == "failed"
    assert counts[bad_path] == attempts, "transient failures are retried, a 404 is not"
    letters = conn.execute("select request_key, error_class, error_message, resolved_at from ops.dead_letters").fetchall()
    assert [(key, cls, resolved) for key, cls, _, resolved in letters] == [(bad_path, error_class, None)]
    assert conn.execute("select status from ops.pipeline_checkpoints where endpoint = 'games'").fetchone()[0] == "partial"
    landed = {pk for (pk,) in conn.execute("select distinct game_pk from staging.mlb_player_batting")}
    assert landed == set(played[1:]), "every other game of the day landed and was transformed"

    progress = backfill(dsn, simulator_transport(sim, {}, counts))

    assert progress.status == "succeeded"
    assert conn.execute("select count(*) from ops.dead_letters where resolved_at is not null").fetchone()[0] == 1
    landed = {pk for (pk,) in conn.execute("select distinct game_pk from staging.mlb_player_batting")}
    assert landed == set(played)
    assert counts[f"/api/v1/game/{played[1]}/boxscore"] == 1, "the re-run fetched only the missing box score"
