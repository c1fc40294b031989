"""Replay that resolves: a replay re-requests each letter's own request whatever older
versions of it exist; what lands resolves its letter, what fails again stays open with its
attempt count."""

from __future__ import annotations

import asyncio
import io
from datetime import date

import pytest

from pipeline.config import load_settings
from pipeline.jobs.app import JOB_RETRY
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.progress import run_and_wait
from pipeline.runs.replay import plan_replay
from pipeline.runs.runtime import worker_runtime
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.bad_server import BadServer

DAY = date(2024, 4, 16)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")
    monkeypatch.setenv("PIPELINE_MLB_BREAKER_THRESHOLD", "0")
    monkeypatch.setenv("PIPELINE_MLB_MAX_ATTEMPTS", "1")
    monkeypatch.setattr(JOB_RETRY, "wait", 0.0)
    monkeypatch.setattr(JOB_RETRY, "exponential_wait", 0.0)
    with BadServer(Simulator(seed=3, season=2024)) as bad:
        monkeypatch.setenv("PIPELINE_MLB_BASE_URL", bad.url)
        yield bad


def work(dsn: str, planned) -> str:
    async def go():
        progress = await run_and_wait(worker_runtime(dsn, load_settings()), planned.run_id, concurrency=4,
                                      stream=io.StringIO())
        return progress.status

    return asyncio.run(go())


def test_replay_resolves_letters_whose_requests_have_older_versions(dsn, conn, server):
    assert work(dsn, asyncio.run(plan_backfill(dsn, mlb.SOURCE, DAY, DAY))) == "succeeded"
    game_pk = conn.execute("select min(game_pk) from staging.mlb_player_batting").fetchone()[0]
    path = f"/api/v1/game/{game_pk}/boxscore"

    # a lookback re-fetches the date; one box score (landed before) now fails for good
    server.spoil[path] = "down"
    assert work(dsn, asyncio.run(plan_lookback(dsn, mlb.SOURCE, DAY, days=1))) == "failed"
    assert conn.execute("select request_key, attempts from ops.dead_letters where resolved_at is null"
                        ).fetchall() == [(path, 1)]
    assert conn.execute("select count(*) from raw.mlb_boxscore where request_key = %s", [path]).fetchone()[0] == 1, \
        "an older version of the letter's request exists"

    # replayed while the server still fails: the letter stays open, one attempt more
    server.requests.clear()
    replay = asyncio.run(plan_replay(dsn, mlb.SOURCE, None))
    assert work(dsn, replay) == "failed"
    assert server.requests[path] >= 1, "the replay asked for the letter's own request"
    assert conn.execute("select attempts from ops.dead_letters where resolved_at is null").fetchone()[0] == 2

    # replayed once the server answers: the letter resolves
    server.spoil.clear()
    server.requests.clear()
    replay = asyncio.run(plan_replay(dsn, mlb.SOURCE, None))
    assert work(dsn, replay) == "succeeded"
    assert server.requests[path] == 1
    assert conn.execute("select count(*) from ops.dead_letters where resolved_at is null").fetchone()[0] == 0
    assert conn.execute("select resolution from ops.dead_letters").fetchone()[0] == "landed"
    assert asyncio.run(plan_replay(dsn, mlb.SOURCE, None)) is None, "nothing left to replay"


def test_a_failed_schedule_request_is_a_letter_per_date_and_a_replay_resolves_them(dsn, conn, server):
    server.spoil["/api/v1/schedule"] = "down"  # the window's one schedule request fails for good
    assert work(dsn, asyncio.run(plan_lookback(dsn, mlb.SOURCE, DAY, days=1))) == "failed"
    letters = conn.execute("select endpoint, partition_key, request_key from ops.dead_letters "
                           "where resolved_at is null order by partition_key").fetchall()
    assert letters == [("schedule", day, mlb.schedule_request(day).key) for day in (date(2024, 4, 15), DAY)], \
        "each date the window stood for has its own letter"

    server.spoil.clear()
    replay = asyncio.run(plan_replay(dsn, mlb.SOURCE, None))
    assert replay.planned == 2
    assert work(dsn, replay) == "succeeded"
    assert conn.execute("select count(*) from ops.dead_letters where resolved_at is null").fetchone()[0] == 0
    assert conn.execute("select count(*) from ops.pipeline_checkpoints where endpoint = 'games' "
                        "and status = 'done'").fetchone()[0] == 2
