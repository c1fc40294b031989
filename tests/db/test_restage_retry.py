"""The two modes that prove the run seams: `restage` (staging, checks and curated again
from the raw zone, no API request) and `retry` (exactly the unfinished partitions of an
ended run), through the real in-process worker and the simulator as a transport."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import shutil
from collections import Counter
from datetime import date

import httpx
import pytest

from pipeline import sources, sqlfiles
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.jobs.app import JOB_RETRY
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.restage import plan_restage
from pipeline.runs.retry import plan_retry
from pipeline.runs.runtime import worker_runtime
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb

START, END = date(2024, 4, 2), date(2024, 4, 4)


class SimulatorTransport(httpx.AsyncBaseTransport):
    """The simulator in-process; counts requests by path; answers 503 for `down` paths."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.requests: Counter = Counter()
        self.down: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request.url.path + ("?" + request.url.query.decode() if request.url.query else "")
        self.requests[key] += 1
        if any(part in key for part in self.down):
            return httpx.Response(503, content=b"unavailable")
        status, headers, body = self.sim.handle(request.method, request.url.path, dict(request.url.params),
                                                dict(request.headers))
        return httpx.Response(status, headers=headers, content=body)


@pytest.fixture
def transport(monkeypatch) -> SimulatorTransport:
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")
    monkeypatch.setenv("PIPELINE_MLB_BREAKER_THRESHOLD", "0")
    monkeypatch.setenv("PIPELINE_MLB_MAX_ATTEMPTS", "1")
    # a failing job is retried at once, not after seconds of backoff
    monkeypatch.setattr(JOB_RETRY, "wait", 0.0)
    monkeypatch.setattr(JOB_RETRY, "exponential_wait", 0.0)
    return SimulatorTransport(Simulator(seed=4, season=2024))


def work(dsn: str, transport, planned) -> str:
    async def go():
        progress = await run_and_wait(worker_runtime(dsn, load_settings(), transport=transport), planned.run_id,
                                      concurrency=4, stream=io.StringIO())
        return progress.status

    return asyncio.run(go())


def test_restage_applies_an_edited_staging_file_without_a_request(dsn, conn, transport, tmp_path):
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    before = sum(transport.requests.values())
    assert conn.execute("select count(*) from staging.mlb_player_batting where rbi <> runs").fetchone()[0] > 0

    # an analyst edits a staging expression: rbi now reads the runs field
    edited = tmp_path / "sql"
    shutil.copytree(sqlfiles.sql_root(), edited)
    batting = edited / "staging" / "mlb" / "player_batting.sql"
    batting.write_text(batting.read_text().replace('"rbi": "rbi",', '"rbi": "runs",'))
    sources.register(dataclasses.replace(mlb.SOURCE, sql=sqlfiles.SqlTree(edited)))
    try:
        planned = asyncio.run(plan_restage(dsn, sources.get("mlb"), START, END))
        assert work(dsn, transport, planned) == "succeeded"
    finally:
        sources.register(mlb.SOURCE)

    assert sum(transport.requests.values()) == before, "a restage makes no API request"
    assert planned.planned == 4 and planned.queued == 4, "three dates and the season's teams, all restaged"
    assert conn.execute("select count(*) from staging.mlb_player_batting where rbi <> runs").fetchone()[0] == 0
    mismatched = conn.execute("select count(*) from curated.mlb_player_season_batting where rbi <> runs").fetchone()
    assert mismatched[0] == 0, "curated follows the restaged staging rows"
    assert conn.execute("select count(*) from curated.mlb_player_season_batting").fetchone()[0] > 0
    stages = dict(conn.execute("select stage, count(*) from ops.job_log where run_id = %s group by stage",
                               [planned.run_id]).fetchall())
    assert stages == {"transform": 4, "aggregate": 1}, "no extract job ran"


def test_restage_refuses_dates_never_landed(dsn, transport):
    with pytest.raises(PipelineError, match="nothing of mlb was landed"):
        asyncio.run(plan_restage(dsn, mlb.SOURCE, START, END))


def test_retry_reruns_only_the_failed_partition(dsn, conn, transport):
    transport.down = {"date=2024-04-03"}  # the schedule of one date is unreachable
    first = asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))
    assert work(dsn, transport, first) == "failed"
    failed = conn.execute("select endpoint, partition_key, status from ops.pipeline_checkpoints "
                          "where status <> 'done' order by 1, 2").fetchall()
    assert failed == [("games", date(2024, 4, 3), "failed")]
    letters = conn.execute("select endpoint, partition_key, request_key, attempts from ops.dead_letters "
                           "where resolved_at is null").fetchall()
    assert letters == [("schedule", date(2024, 4, 3), "/api/v1/schedule?date=2024-04-03&sportId=1",
                        JOB_RETRY.max_attempts + 1)], \
        "the schedule request that failed for good is a dead letter, one attempt per job attempt"

    transport.down = set()
    transport.requests.clear()
    retry = asyncio.run(plan_retry(dsn, first.run_id))
    assert (retry.planned, retry.queued) == (1, 1)
    assert work(dsn, transport, retry) == "succeeded"
    assert all("2024-04-03" in key or "/boxscore" in key for key in transport.requests), transport.requests
    schedules = [key for key in transport.requests if "/schedule" in key]
    assert schedules == ["/api/v1/schedule?sportId=1&date=2024-04-03"]
    boxscore_dates = set(conn.execute(
        "select distinct partition_date from raw.mlb_boxscore where last_run_id = %s", [retry.run_id]).fetchall())
    assert boxscore_dates == {(date(2024, 4, 3),)}, "only the failed date's box scores were fetched"
    assert conn.execute("select count(*) from ops.pipeline_checkpoints where status <> 'done'").fetchone()[0] == 0
    assert asyncio.run(plan_retry(dsn, retry.run_id)) is None, "nothing left to retry"
    assert conn.execute("select count(*) from ops.dead_letters where resolved_at is null").fetchone()[0] == 0, \
        "the schedule that landed resolved its letter"
    with pytest.raises(PipelineError, match="no run with id 999"):
        asyncio.run(plan_retry(dsn, 999))
